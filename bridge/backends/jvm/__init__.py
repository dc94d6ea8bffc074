"""The jvm backend: the real ImageJ 1.x in an in-process JVM (JPype).

The JVM starts on the first call that needs it (``runtime.start``).  Opened
Java images are remembered beside their Python snapshots (a weak map) so
that text queries such as ``getTag`` run ImageJ's own code on the very
image ImageJ built.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Iterator
from typing import Any

from ...errors import (ArchiveError, JavaError, CorruptHeaderError, DicomReadError, MissingFileError,
                       NotARegularFileError, NotDicomError, TruncatedError,
                       UnsupportedTransferSyntaxError)
from ...model import ImagePlus
from ... import archive, decompress
from . import adapter, companion, locate, runtime


class JvmBackend:
    name = "jvm"

    def __init__(self) -> None:
        self._java_images: weakref.WeakKeyDictionary[ImagePlus, Any] = weakref.WeakKeyDictionary()

    def missing(self) -> list[str]:
        return locate.missing()

    def full_version(self) -> str:
        return str(runtime.jclass("ij.IJ").getFullVersion())

    def open_image(self, path: str) -> ImagePlus:
        IJ = runtime.jclass("ij.IJ")
        IJ.getErrorMessage()  # clear what an earlier call left
        with quiet_stdout():
            try:
                jimp = _open_java_image(path)
            except DicomReadError:
                raise
            except Exception as exc:  # a Java exception escaped ImageJ
                raise _thrown_error(path, runtime.java_error(exc), IJ.getErrorMessage()) from exc
        if jimp is None:
            message = IJ.getErrorMessage()
            raise _null_error(path, None if message is None else str(message))
        imp = adapter.to_model(jimp, adapter.stack_pixels(jimp) if companion.available() else None)
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
        imp = adapter.to_model(jimp, stack_pixels=lazy)
        if imp.getStackSize() == 1:   # the adapter leaves a single slice's label out; this one is real
            imp.labels = [None if jstack.getSliceLabel(1) is None else str(jstack.getSliceLabel(1))]
        imp.backend = self
        self._java_images[imp] = jimp
        return imp

    def get_info(self, path: str) -> str:
        dicom = runtime.jclass("ij.plugin.DICOM")()
        with quiet_stdout():
            try:
                return str(dicom.getInfo(path))
            except Exception as exc:
                raise _thrown_error(path, runtime.java_error(exc), None) from exc

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
        from ...scan import header_rows, tags_from_headers
        runtime.start(throughput=True)   # a batch: if this starts the JVM, with the full JIT
        if companion.available() and tags:
            return header_rows(paths, tags, companion.tag_rows)
        if companion.available():
            return header_rows(paths, tags, tags_from_headers(lambda files: list(companion.get_info_batch(files))))
        return header_rows(paths, tags, tags_from_headers(lambda files: [self._info_or_error(f) for f in files]))

    def _info_or_error(self, path: str) -> str | BaseException:
        try:
            return self.get_info(path)
        except DicomReadError as err:
            return err

    def java_image(self, imp: ImagePlus) -> Any:
        """The Java ImagePlus behind a snapshot this backend made (for scripts and macros)."""
        return self._java_image(imp)

    def _java_image(self, imp: ImagePlus) -> Any:
        jimp = self._java_images.get(imp)
        if jimp is None:
            raise ValueError(f"image {imp.title!r} was not opened by the jvm backend")
        jimp.setSlice(imp.current_slice)
        return jimp


def _open_java_image(path: str) -> Any:
    """``IJ.openImage`` through the companion when present (GUI result for Rescale Slope != 1).

    What ImageJ would read from something other than a regular file (a FIFO blocks it
    forever) is refused first, with ImageJ's routing; a zip's first entry is inflated
    by us and decoded by ImageJ from that file (see ``bridge/archive.py``).
    """
    from ..pure.opener import file_type, refusal
    if "://" not in path and "file:/" not in path:
        kind = file_type(path)
        if kind in ("missing", "not-regular"):
            raise refusal(path, kind)
        if kind == "zip" and companion.available():
            with archive.first_dicom_entry(path) as (entry_file, entry_name), \
                    decompress.uncompressed(entry_file) as source:
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
    from ..pure.opener import split_path
    if jimp is not None and jimp.getOriginalFileInfo() is not None:
        jimp.getOriginalFileInfo().directory = split_path(path)[0]
    return jimp


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Keep ImageJ's headless messages (it prints errors to System.out) off our stdout."""
    System = runtime.jclass("java.lang.System")
    PrintStream = runtime.jclass("java.io.PrintStream")
    Sink = runtime.jclass("java.io.ByteArrayOutputStream")
    saved = System.out
    System.setOut(PrintStream(Sink()))
    try:
        yield
    finally:
        System.setOut(saved)


def run_macro(jimp: Any, code: str) -> str:
    """Run macro ``code`` with ``jimp`` as this thread's current image; its return value."""
    WindowManager = runtime.jclass("ij.WindowManager")
    saved = WindowManager.getTempCurrentImage()
    WindowManager.setTempCurrentImage(jimp)
    try:
        result = runtime.jclass("ij.IJ").runMacro(code)
    finally:
        WindowManager.setTempCurrentImage(saved)
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
    if message is None and not os.path.exists(path):
        return MissingFileError("file not found", path)
    if os.path.isdir(path):
        return NotARegularFileError("is a directory", path, imagej_message=message)
    reason = " ".join((message or "ImageJ could not open it").split())
    kind = next((k for fragment, k in _MESSAGE_KINDS if message and fragment in message), CorruptHeaderError)
    if kind is UnsupportedTransferSyntaxError:
        uid = (message or "").rpartition("=")[2].strip(" \0")
        return UnsupportedTransferSyntaxError(reason, path, uid=uid, imagej_message=message)
    return kind(reason, path, imagej_message=message)


def _series_null_error(folder: str) -> DicomReadError:
    """Why FolderOpener returned null: the same listing rules, told as a typed error."""
    from ..pure.series import NO_IMAGES_MESSAGE, list_folder
    listing = list_folder(folder)   # raises MissingFileError for "Directory not found"
    message = NO_IMAGES_MESSAGE.format(directory=listing.directory) if listing.names else None
    return NotDicomError("no file in the folder opens as an image", folder, imagej_message=message)


def _lazy_java_stack(jimp: Any, jstack: Any) -> Any:
    """The Java stack's pixels as a :class:`bridge.series.LazyStack`, copied a slice at a time on demand."""
    from ...series import LazyStack
    storage = 0 if int(jimp.getType()) == 3 else int(jimp.getType())   # COLOR_256 is stored as bytes

    def read(n: int) -> Any:
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
    """ImageJ threw instead of returning null: keep the message it had shown, else the exception."""
    if message is not None:
        return _null_error(path, str(message))
    return CorruptHeaderError(f"ImageJ failed with {err}", path, imagej_message=str(err))


BACKEND = JvmBackend()
