"""``IJ``, ``DicomTools`` and ``DICOM``: ImageJ's names, delegating to the chosen backend.

These stay thin on purpose: every rule about what ImageJ returns lives in a
backend, so the facade reads like ImageJ's own API reference.  The one thing
added here is the Pythonic twin :func:`open`, which raises a typed error
where ``IJ.openImage`` returns ``None`` (both raise where ImageJ throws).
"""

from __future__ import annotations

import os
import threading

import numpy as np

from .backends import current_backend
from .errors import DicomReadError
from .model import ImagePlus, stored_values

_last_error = threading.local()


def _remember(message: str | None) -> None:
    _last_error.message = message


def open(path: str | os.PathLike[str]) -> ImagePlus:  # noqa: A001 - the Pythonic twin of IJ.openImage
    """Open an image like ``IJ.openImage`` but raise a :class:`DicomReadError` instead of returning None.

    The error's message names the file; ``err.imagej_message`` is what
    ``IJ.getErrorMessage()`` would have said.
    """
    return _open(os.fspath(path))


def _open(path: str) -> ImagePlus:
    """Both entry points: URLs are fetched safely by us, never by ImageJ's own URL reader."""
    backend = current_backend()
    if "://" in path or "file:/" in path:     # ImageJ's URL test (Opener.openImage)
        from .fetch import open_url
        return open_url(path, backend.open_image)
    return backend.open_image(path)


class IJ:
    """``ij.IJ``: the static entry points scripts start from."""

    @staticmethod
    def openImage(path: str | os.PathLike[str]) -> ImagePlus | None:
        """``IJ.openImage(path)``: the image, or None with the reason in :meth:`getErrorMessage`.

        Where ImageJ's own ``IJ.openImage`` throws (``err.thrown``), this raises the
        error instead, and :meth:`getErrorMessage` holds what ImageJ holds then.
        """
        try:
            imp = _open(os.fspath(path))
        except DicomReadError as err:
            _remember(err.imagej_message)
            if err.thrown is not None:
                raise
            return None
        if imp.error_message is not None:     # an image that came with a message (a failed zip entry)
            _remember(imp.error_message)
        return imp

    @staticmethod
    def saveAs(imp: ImagePlus, format: str, path: str | os.PathLike[str]) -> str:  # noqa: A002 - ImageJ's name
        """``IJ.saveAs(imp, "DICOM", path)``: beyond ImageJ 1.x, which writes no DICOM (see :mod:`bridge.save`).

        The extension becomes ``.dcm`` (ImageJ's rule); an existing file is
        replaced, as ImageJ does, except the image's own source.  Returns the path written.
        """
        from .save import save_as
        return save_as(imp, format, path)

    @staticmethod
    def run(imp_or_command: ImagePlus | str, command_or_options: str | None = None,
            options: str | None = None) -> None:
        """``IJ.run(imp, command, options)`` or ``IJ.run(command, options)``: an ImageJ menu command.

        Options are the macro recorder's text, e.g. ``IJ.run(imp, "Median...",
        "radius=2")``.  On the jvm backend ImageJ's own command runs on the Java
        image behind ``imp`` (any command in its menus), which the snapshot then
        shows; on the pydicom backend the commands of :mod:`bridge.core.commands`
        run in Python.  An unknown command raises :class:`bridge.errors.ScriptError`
        with ImageJ's text (``Unrecognized command: "X"``).
        """
        if isinstance(imp_or_command, str):
            imp, command, opts = None, imp_or_command, command_or_options
        else:
            if command_or_options is None:
                raise TypeError("IJ.run(imp, command, options) needs a command")
            imp, command, opts = imp_or_command, command_or_options, options
        backend = (imp.backend if imp is not None and imp.backend is not None else current_backend())
        backend.run_command(imp, command, opts)

    @staticmethod
    def getErrorMessage() -> str | None:
        """The message of the last failed open on this thread, cleared by reading (as ImageJ)."""
        message = getattr(_last_error, "message", None)
        _remember(None)
        return message

    @staticmethod
    def getFullVersion() -> str:
        return current_backend().full_version()

    @staticmethod
    def getVersion() -> str:
        return current_backend().full_version()[:5]


class DicomTools:
    """``ij.util.DicomTools``."""

    @staticmethod
    def getTag(imp: ImagePlus, tag_id: str) -> str | None:
        """The value text of ``tag_id`` ("gggg,eeee"), leading space kept, or None."""
        return (imp.backend or current_backend()).get_tag(imp, tag_id)

    @staticmethod
    def getTagName(tag_id: str) -> str | None:
        return current_backend().get_tag_name(tag_id)


class DICOM:
    """``ij.plugin.DICOM``: ``DICOM().getInfo(path)`` reads the header without the image."""

    def getInfo(self, path: str | os.PathLike[str]) -> str:
        """The header text; ``""`` where ImageJ parsed nothing (it never returns null)."""
        return current_backend().get_info(os.fspath(path))

    @staticmethod
    def getTagName(tag_id: str) -> str | None:
        return current_backend().get_tag_name(tag_id)


def array(imp: ImagePlus, copy: bool = True) -> np.ndarray:
    """The stack as a numpy array in ImageJ's stored values: a new array, or with ``copy=False`` a read-only one.

    Shape (slices, rows, cols) for gray images, (slices, rows, cols, 3) uint8
    for RGB.  Signed 16-bit data stays shifted by +32768 as ImageJ stores it;
    use :func:`calibrated_array` for the calibrated values (e.g. Hounsfield units).
    ``np.asarray(imp)`` gives the same as the default.

    ``copy=False`` is for reading a large stack without paying for a second
    one: gray pixels come as a read-only view of the image's own array (no
    copy; it sees later changes to the image).  Where the values need a
    conversion (RGB is unpacked, a virtual stack is read from its files) they
    are necessarily a new array, read-only too, so the result obeys one rule
    whatever the image.
    """
    if copy:
        return stored_values(imp)
    try:
        values = imp.__array__(copy=False).view()
    except ValueError:      # RGB or a virtual stack: only a converted copy exists
        values = stored_values(imp)
    values.flags.writeable = False
    return values


def calibrated_array(imp: ImagePlus) -> np.ndarray:
    """The stack as float64 values after ImageJ's calibration function (``getCValue``).

    One float64 array is made and calibrated in place: no copy of the
    stored values and no temporaries beside it (a 150 MiB 16-bit stack gives
    600 MiB of float64, and that is all the memory the call takes).
    """
    values = array(imp, copy=False).astype(np.float64)
    cal = imp.calibration
    if cal.function == 0 and cal.coefficients:
        values *= cal.coefficients[1]           # c0 + c1 * v, the same float64 operations in place
        values += cal.coefficients[0]
    return values
