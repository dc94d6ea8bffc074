"""The jvm backend: the real ImageJ 1.x in an in-process JVM (JPype).

The JVM starts on the first call that needs it (``runtime.start``).  Opened
Java images are remembered beside their Python snapshots (a weak map) so
that text queries such as ``getTag`` run ImageJ's own code on the very
image ImageJ built.

ImageJ never sees a file before ``bridge.guards`` has walked it: what is not
a regular file, nesting past ``max_depth``, a value reaching far past the end
of the file and a declared image over the limits are answered here, without
the hang or the allocation ImageJ would make.  Java errors that still escape
become typed errors (``OutOfMemoryError``: :class:`LimitExceededError`).

What needs numpy (the image model, the adapter) and the core reader behind the guards
(decoder, walker, archive, decompression) are imported by the functions that open and
convert images, not with this package:
``bridge run`` of a macro imports :mod:`.runtime`, :mod:`.display` and :mod:`.companion`
from here and needs none of it (half its start-up, ``benchmarks/bench_run.py``).
"""

from __future__ import annotations

import contextlib
import os
import stat
import weakref
from collections.abc import Iterator
from typing import Any

from ...errors import (ArchiveError, BridgeError, JavaError, CorruptHeaderError, DicomReadError,
                       LimitExceededError, MissingFileError, NotARegularFileError, NotDicomError,
                       ScriptError, TruncatedError, UnsupportedTransferSyntaxError)
from typing import TYPE_CHECKING

from ... import config, emulation, locate
from . import companion, runtime

if TYPE_CHECKING:
    from ...model import ImagePlus
    from ..base import Backend


def _version_problems() -> list[str]:
    """The jar's release against the emulated one: this backend speaks only its jar's version."""
    wanted = emulation.emulated()
    jar = runtime.running_jar() or locate.ij_jar().path
    have = None if jar is None else emulation.jar_version(jar)
    if jar is None or have == wanted.version:
        return []
    return [f"ImageJ {wanted.version} is emulated ({wanted.how}), but the ij.jar "
            f"{'this process runs' if runtime.running_jar() else 'found'}, {jar}, is ImageJ {have}; "
            f"fix: point BRIDGE_IJ_JAR at an ImageJ {wanted.version} jar, or use the pydicom backend"]


class JvmBackend:
    name = "jvm"

    def __init__(self) -> None:
        self._java_images: weakref.WeakKeyDictionary[ImagePlus, Any] = weakref.WeakKeyDictionary()

    def missing(self) -> list[str]:
        return locate.missing() or _version_problems()

    def full_version(self) -> str:
        return str(runtime.jclass("ij.IJ").getFullVersion())

    def open_image(self, path: str) -> ImagePlus:
        IJ = runtime.jclass("ij.IJ")
        with quiet_stdout():   # holds runtime.imagej_state: the error message read is this call's
            IJ.getErrorMessage()  # clear what an earlier call left
            try:
                jimp = _open_java_image(path)
            except DicomReadError:
                raise
            except Exception as exc:  # a Java exception escaped ImageJ
                raise _as_pure_classifies(_thrown_error(path, runtime.java_error(exc), IJ.getErrorMessage())) from exc
            message = IJ.getErrorMessage()   # why null, or what came with an image (a failed zip entry)
        message = None if message is None else str(message)
        if jimp is None:
            raise _as_pure_classifies(_null_error(path, message))
        from . import adapter
        imp = adapter.to_model(jimp, adapter.stack_pixels(jimp) if companion.available() else None)
        imp.error_message = message
        imp.backend = self
        self._java_images[imp] = jimp
        return imp

    def open_series(self, folder: str, *, virtual: bool = False, sort: str = "imagej") -> ImagePlus:
        """``ij.plugin.FolderOpener.open(folder)``, headless; ``virtual`` leaves the pixels in the JVM."""
        runtime.start(throughput=True)   # a batch: if this starts the JVM, with the full JIT
        with quiet_stdout():   # FolderOpener logs skipped files and errors to System.out headless
            try:
                jimp = runtime.jclass("ij.plugin.FolderOpener").open(folder)
            except Exception as exc:
                raise _thrown_error(folder, runtime.java_error(exc), None) from exc
        if jimp is None:
            raise _series_null_error(folder)
        jstack = jimp.getStack()   # FolderOpener built the image from a stack: no side effect
        if sort == "geometric":
            _sort_java_geometrically(jimp, jstack)
            jstack = jimp.getStack()
        lazy = _lazy_java_stack(jimp, jstack) if virtual else None
        from . import adapter
        imp = adapter.to_model(jimp, stack_pixels=lazy)
        if imp.getStackSize() == 1:   # the adapter leaves a single slice's label out; this one is real
            imp.labels = [None if jstack.getSliceLabel(1) is None else str(jstack.getSliceLabel(1))]
        imp.backend = self
        self._java_images[imp] = jimp
        return imp

    def open_bioformats(self, path: str, options: dict[str, object]) -> list[ImagePlus]:
        from . import bioformats
        with quiet_stdout():
            images = bioformats.open_image_plus(path, options)
        for imp in images:
            imp.backend = self
        return images

    def get_info(self, path: str) -> str:
        answer = _header_without_imagej(path)
        if answer is not None:
            return answer
        dicom = runtime.jclass("ij.plugin.DICOM")()
        with quiet_stdout():
            try:
                return str(dicom.getInfo(path))
            except Exception as exc:
                raise _as_pure_classifies(_thrown_error(path, runtime.java_error(exc), None)) from exc

    def get_tag(self, imp: ImagePlus, tag_id: str) -> str | None:
        jimp = self._java_image(imp)
        try:
            value = runtime.jclass("ij.util.DicomTools").getTag(jimp, tag_id)
        except Exception:  # 1.53t throws StringIndexOutOfBounds at the text's end: null
            return None
        return None if value is None else str(value)

    def get_string_property(self, imp: ImagePlus, key: str) -> str | None:
        jimp = self._java_image(imp)
        try:
            value = jimp.getStringProperty(key)
        except Exception:
            return None
        return None if value is None else str(value)

    def get_image_info(self, imp: ImagePlus, *, in_macro: bool = False) -> str:
        """ImageJ's own *Show Info* text; ``in_macro`` really runs ``getImageInfo()`` in a macro.

        The bridge never calls ``getStack()`` on a one-image Java ImagePlus
        (that would add a slice label and change this text), so the answer
        is the one for the image as ImageJ opened it.
        """
        jimp = self._java_image(imp)
        with quiet_stdout():
            try:
                if not in_macro:
                    return str(runtime.jclass("ij.plugin.ImageInfo")().getImageInfo(jimp))
                return run_macro(jimp, "return getImageInfo();")
            except JavaError:
                raise
            except Exception as exc:
                raise runtime.java_error(exc, f"getImageInfo of {imp.title!r}") from exc

    def get_tag_name(self, tag_id: str) -> str | None:
        value = runtime.jclass("ij.util.DicomTools").getTagName(tag_id)
        return None if value is None else str(value)

    def scan_tags(self, paths: list[str], tags: list[str]) -> list[dict[str, object]]:
        """Rows for a batch; with the companion, all plain files' headers come from one Java call."""
        from ...core.headerscan import header_rows
        runtime.start(throughput=True)   # a batch: if this starts the JVM, with the full JIT
        return header_rows(paths, tags, self._read_tags)

    def _read_tags(self, files: list[str], tags: list[str]) -> list[Any]:
        """Tag values per file; ImageJ reads the files the guards let through, in one batch.

        Files ImageJ must not read (not regular, values far past the end, nesting past
        ``max_depth``) are answered by us first (``_header_without_imagej``).
        """
        from ...core.headerscan import tags_from_headers
        answers: list[Any] = []
        for path in files:
            try:
                answers.append(_header_without_imagej(path))
            except BridgeError as err:
                answers.append(err)
        asked = [path for path, answer in zip(files, answers) if answer is None]
        read: list[Any] | None = None
        if companion.available() and asked:
            with contextlib.suppress(Exception):   # a Java Error escaping the batch: ask file by file
                read = (companion.tag_rows(asked, tags) if tags else
                        tags_from_headers(lambda fs: list(companion.get_info_batch(fs)))(asked, tags))
        if read is None:
            read = tags_from_headers(lambda fs: [_header_or_error(self, f) for f in fs])(asked, tags)
        ours = tags_from_headers(lambda fs: [a for a in answers if a is not None])(files, tags)
        from_imagej, from_us = iter(read), iter(ours)
        return [next(from_imagej) if answer is None else next(from_us) for answer in answers]

    def java_image(self, imp: ImagePlus) -> Any:
        """The Java ImagePlus behind a snapshot this backend made (for scripts and macros)."""
        return self._java_image(imp)

    def run_command(self, imp: ImagePlus | None, command: str, options: str | None) -> ImagePlus | None:
        """``IJ.run(imp, command, options)`` on ImageJ's own command table, then ``imp`` re-snapshot.

        What the command logs is printed; an ImageJ error (its message, e.g.
        ``Unrecognized command: "X"``) raises :class:`ScriptError`.  Headless, any
        command but the three of the DICOM reader raises :class:`DisplayUnavailableError`.
        A command that opens an image (*Duplicate...*, *Scale...* with "create") returns
        its snapshot, backed by that Java image like one this backend opened.
        """
        from . import bioformats
        if command == bioformats.IMPORTER_COMMAND:
            return self._run_importer(options)
        jimp = None if imp is None else self._java_image(imp)
        if not companion.prepare_commands():
            known = runtime.jclass("ij.Menus").getCommands()
            if known is None or not known.containsKey(command):
                from . import display
                display.require(f'run("{command}")')
        outcome = companion.run_command(jimp, command, options)
        if outcome.output:
            print(outcome.output, end="", flush=True)
        if outcome.stack_traces:
            import sys
            print(outcome.stack_traces, end="", file=sys.stderr, flush=True)
        if outcome.error is not None:
            raise ScriptError(outcome.error_file or command, None, outcome.error)
        if imp is not None:
            self._refresh(imp, jimp)
        return None if outcome.opened is None else self._adopt(outcome.opened)

    def copy_image(self, imp: ImagePlus, method: str) -> ImagePlus:
        """``imp.duplicate()`` or ``imp.crop()`` run by ImageJ on the Java image, the copy registered here."""
        jimp = self._java_image(imp)
        with runtime.imagej_state():
            copied = getattr(jimp, method)()
        return self._adopt(copied)

    def _adopt(self, jimp: Any) -> ImagePlus:
        """A snapshot of an image a command opened, registered as if opened here (later commands run on it)."""
        from . import adapter
        imp = adapter.to_model(jimp, adapter.stack_pixels(jimp) if companion.available() else None)
        imp.backend = self
        imp.setRoi(adapter.model_roi(jimp.getRoi()))
        self._java_images[imp] = jimp
        return imp

    def _run_importer(self, options: str | None) -> ImagePlus | None:
        """The real Bio-Formats importer (its jar in a class loader of its own); the last image it opened."""
        from . import bioformats
        opened = bioformats.run_importer(options)
        for imp, jimp in opened:
            imp.backend = self
            self._java_images[imp] = jimp
        return opened[-1][0] if opened else None

    def _refresh(self, imp: ImagePlus, jimp: Any) -> None:
        """Make the snapshot show what the command did to its Java image (pixels, type, title, ...)."""
        from . import adapter
        fresh = adapter.to_model(jimp, adapter.stack_pixels(jimp) if companion.available() else None)
        for name in ("title", "data", "image_type", "info", "labels", "calibration", "display_range",
                     "inverted_lut", "lut", "current_slice", "min_threshold", "max_threshold", "lut_update"):
            setattr(imp, name, getattr(fresh, name))
        imp.setRoi(adapter.model_roi(jimp.getRoi()))

    def _java_image(self, imp: ImagePlus) -> Any:
        runtime.check_usable()
        jimp = self._java_images.get(imp)
        if jimp is None:
            raise ValueError(f"image {imp.title!r} was not opened by the jvm backend")
        from . import adapter
        jimp.setSlice(imp.current_slice)
        adapter.push_state(imp, jimp)
        if imp.roi is None:
            jimp.deleteRoi()
        else:
            jimp.setRoi(adapter.java_roi(imp.roi))
        return jimp


def _open_java_image(path: str) -> Any:
    """``IJ.openImage`` through the companion when present (GUI result for Rescale Slope != 1).

    What ImageJ would read from something other than a regular file (a FIFO blocks it
    forever) is refused first, with ImageJ's routing; a DICOM file (or a zip's first
    entry, inflated by us and decoded by ImageJ from that file, see ``bridge/archive.py``)
    is shown to ImageJ only after ``guards.check_before_imagej``.
    """
    from ... import archive, decompress, guards
    from ...core import limits
    from ...core.opener import file_type, refusal
    from ...core.walker import ImageJThrewError
    if "://" not in path and "file:/" not in path:
        kind = file_type(path)
        if kind in ("missing", "not-regular"):
            raise refusal(path, kind)
        if kind == "dicom":
            guards.check_before_imagej(path)
        elif kind in ("tiff", "other", "gif", "jpeg"):   # ImageJ's other readers believe their headers too
            limits.check_other_image(path, kind)
        if kind == "zip":
            with archive.first_dicom_entry(path) as (entry_file, entry_name), \
                    decompress.uncompressed(entry_file) as source:
                try:
                    guards.check_before_imagej(source, path, entry=entry_name, validate=False)
                except (LimitExceededError, ImageJThrewError):
                    raise
                except DicomReadError as err:
                    # A header ImageJ must not read; in a zip, ImageJ's failed read shows its
                    # message and gives its empty DICOM object (0x0, titled null): so do we.
                    if err.imagej_message is not None:
                        runtime.jclass("ij.IJ").error("DICOM", err.imagej_message)
                    return runtime.jclass("ij.plugin.DICOM")()
                if not companion.available():   # ImageJ's own zip stream can spin for ever
                    raise ArchiveError("zips need the companion jar on the jvm backend "
                                       "(run scripts/build_java.sh)", path, entry=entry_name)
                return companion.open_zip_entry(source, entry_name, path)
        if kind == "dicom":
            with decompress.uncompressed(path) as source:
                if source != path:   # decode="all": ImageJ opens the uncompressed equivalent
                    return _named_as(_open_plain(source), path)
    return _open_plain(path)


def _open_plain(path: str) -> Any:
    if companion.available():
        return companion.open_image(path)
    return runtime.jclass("ij.IJ").openImage(path)


def _named_as(jimp: Any, path: str) -> Any:
    """An image ImageJ opened from a copy, pointed back at the original's folder (the name is the same)."""
    from ...core.opener import split_path
    if jimp is not None and jimp.getOriginalFileInfo() is not None:
        jimp.getOriginalFileInfo().directory = split_path(path)[0]
    return jimp


def _header_without_imagej(path: str) -> str | None:
    """``getInfo``'s answer where ImageJ must not read ``path``, else None.

    Not a regular file: ``""`` (ImageJ's answer for what it cannot read; a FIFO
    would block it for ever).  A value far past the end of the file: the pure
    decoder's text (see ``guards.header_answer``).  Nesting past ``max_depth``
    raises :class:`LimitExceededError`, as on the pure backend.
    """
    from ... import guards
    try:                        # a stat, not an open: the walk below opens the file anyway
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        regular = False
    return guards.header_answer(path) if regular else ""


def _header_or_error(backend: JvmBackend, path: str) -> str | BaseException:
    try:
        return backend.get_info(path)
    except BridgeError as err:
        return err


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Keep ImageJ's headless messages (it prints errors to System.out) off our stdout.

    ``System.out`` is one per process: the swap is made holding ``runtime.imagej_state``,
    so two threads never swap it at once (and never restore each other's sink).
    """
    System = runtime.jclass("java.lang.System")
    PrintStream = runtime.jclass("java.io.PrintStream")
    OutputStream = runtime.jclass("java.io.OutputStream")
    with runtime.imagej_state():
        saved = System.out
        System.setOut(PrintStream(OutputStream.nullOutputStream()))
        try:
            yield
        finally:
            System.setOut(saved)


def run_macro(jimp: Any, code: str) -> str:
    """Run macro ``code`` with ``jimp`` as this thread's current image; its return value."""
    WindowManager = runtime.jclass("ij.WindowManager")
    with runtime.imagej_state():   # ImageJ's macro interpreter and error message are per process
        return _run_macro_on(WindowManager, jimp, code)


def _run_macro_on(WindowManager: Any, jimp: Any, code: str) -> str:
    saved = WindowManager.getTempCurrentImage()
    WindowManager.setTempCurrentImage(jimp)
    try:
        result = runtime.jclass("ij.IJ").runMacro(code)
    finally:
        WindowManager.setTempCurrentImage(saved)
        companion.forget_running_macro()    # else later "no image" errors abort as if in a macro
    if result is None or str(result) == "[aborted]":
        raise JavaError("ij.macro.Interpreter", "the macro was aborted", code)
    return str(result)


#: ImageJ's message fragments -> the typed error they mean (first match wins).
_MESSAGE_KINDS: tuple[tuple[str, type[DicomReadError]], ...] = (
    ("cannot open compressed", UnsupportedTransferSyntaxError),
    ("Offset + image size > file length", TruncatedError),
    ("ZIP archive", ArchiveError),
    ("not a DICOM or ACR/NEMA", NotDicomError),
    ("does not appear to be a valid", NotDicomError),
    ("Unsupported format", NotDicomError),
)


def _null_error(path: str, message: str | None) -> DicomReadError:
    """Why ImageJ returned null, as a typed error (the message stays ImageJ's)."""
    from ...core.opener import file_type
    if message is None and not os.path.exists(path):
        return MissingFileError("file not found", path)
    if os.path.isdir(path):
        return NotARegularFileError("is a directory", path, imagej_message=message)
    reason = " ".join((message or "ImageJ could not open it").split())
    # a file ImageJ sent to another reader (TIFF, JPEG, text...) is not DICOM
    default = CorruptHeaderError if file_type(path) in ("dicom", "zip") else NotDicomError
    kind = next((k for fragment, k in _MESSAGE_KINDS if message and fragment in message), default)
    if kind is UnsupportedTransferSyntaxError:
        uid = (message or "").rpartition("=")[2].strip(" \0")
        return UnsupportedTransferSyntaxError(reason, path, uid=uid, imagej_message=message)
    return kind(reason, path, imagej_message=message)


def _as_pure_classifies(error: DicomReadError) -> DicomReadError:
    """``error`` with the class the pure backend gives the same DICOM file, when both tell ImageJ's message.

    ImageJ says "Unable to decode DICOM header." both for a header cut short and for one
    without pixel data; the pure decoder knows which, so a batch script sees the same
    class (``TruncatedError``, ``CorruptHeaderError``...) from both backends.  Message and
    file stay ImageJ's and the caller's.
    """
    from ...core.decoder import decode
    from ...core.opener import file_type
    from ...core.walker import ImageJThrewError
    if error.path is None or error.entry is not None or file_type(error.path) != "dicom":
        return error
    expected = decode(error.path).error
    if expected is None or expected.imagej_message != error.imagej_message or type(expected) is type(error):
        return error
    if isinstance(expected, ImageJThrewError):
        return ImageJThrewError(error.reason, error.path, imagej_message=error.imagej_message, thrown=error.thrown)
    if isinstance(expected, UnsupportedTransferSyntaxError):
        return error
    return type(expected)(error.reason, error.path, imagej_message=error.imagej_message, thrown=error.thrown)


def _series_null_error(folder: str) -> DicomReadError:
    """Why FolderOpener returned null: the same listing rules, told as a typed error."""
    from ...core.series import NO_IMAGES_MESSAGE, list_folder
    listing = list_folder(folder)   # raises MissingFileError for "Directory not found"
    message = NO_IMAGES_MESSAGE.format(directory=listing.directory) if listing.names else None
    return NotDicomError("no file in the folder opens as an image", folder, imagej_message=message)


def _lazy_java_stack(jimp: Any, jstack: Any) -> Any:
    """The Java stack's pixels as a :class:`bridge.model.LazyStack`, copied a slice at a time on demand."""
    from ...model import LazyStack
    from . import adapter
    storage = 0 if int(jimp.getType()) == 3 else int(jimp.getType())   # COLOR_256 is stored as bytes

    def read(n: int) -> Any:
        runtime.check_usable()
        return adapter.slice_pixels(jstack.getPixels(n + 1), storage)

    shape = (int(jstack.getSize()), int(jimp.getHeight()), int(jimp.getWidth()))
    return LazyStack(shape, read(0).dtype, read)


def _sort_java_geometrically(jimp: Any, jstack: Any) -> None:
    """Put the Java stack in :func:`bridge.series.geometric_order`, so Java-side queries see the same slices."""
    from ...series import geometric_order
    n = int(jstack.getSize())
    labels = [None if jstack.getSliceLabel(i) is None else str(jstack.getSliceLabel(i)) for i in range(1, n + 1)]
    order, spacing = geometric_order(labels)
    low, high = jimp.getDisplayRangeMin(), jimp.getDisplayRangeMax()
    cal = jimp.getCalibration()
    sorted_stack = runtime.jclass("ij.ImageStack")(jstack.getWidth(), jstack.getHeight(), jstack.getColorModel())
    for i in order:
        sorted_stack.addSlice(jstack.getSliceLabel(i + 1), jstack.getPixels(i + 1))
    jimp.setStack(sorted_stack)
    if spacing > 0:
        cal.pixelDepth = spacing
    jimp.setCalibration(cal)
    jimp.getProcessor().setMinAndMax(low, high)


def _thrown_error(path: str, err: JavaError, message: Any) -> DicomReadError:
    """ImageJ threw instead of returning null: the exception, and the message ImageJ had shown (if any).

    Running out of heap is a limit (``jvm_heap``, ``-Xmx``), whatever ImageJ was doing.
    """
    if err.java_class == "java.lang.OutOfMemoryError":
        error = LimitExceededError(f"ImageJ ran out of Java heap (jvm_heap={config.settings().jvm_heap}): "
                                   f"{err.java_message}", path)
        error.__cause__ = err
        return error
    if message is not None:
        null = _null_error(path, str(message))
        null.thrown = str(err)
        return null
    return CorruptHeaderError(f"ImageJ failed with {err}", path, thrown=str(err))


BACKEND: Backend = JvmBackend()     # annotated: mypy checks it implements the interface
