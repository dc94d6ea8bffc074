"""A stand-in for ``bridge.backends.pure.decoder`` built on ImageJ's own ``DicomDecoder``.

Until the pure header walker is merged, the image-building tests need a
``decode(path) -> Decoded`` that fills the ``FileInfo`` contract exactly as
ImageJ does.  This one asks ImageJ itself (by reflection on the
package-private ``ij.plugin.DicomDecoder``), so the tests exercise
everything after the walk against the real thing.  Test use only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bridge.backends.jvm import runtime
from bridge.backends.pure.fileinfo import FileInfo
from bridge.errors import CorruptHeaderError, DicomReadError, NotDicomError, UnsupportedTransferSyntaxError

NO_DICM = ("This does not appear to be a valid\nDICOM file. It does not have the\n"
           "characters 'DICM' at offset 128.")


@dataclass
class Decoded:
    info: str
    fi: FileInfo | None
    error: DicomReadError | None


def _declared(cls: Any, name: str) -> Any:
    member = cls.getDeclaredField(name)
    member.setAccessible(True)
    return member


def decode(path: str) -> Decoded:
    """Walk ``path`` with ImageJ's decoder; errors carry the message ``DICOM.open`` would show."""
    import jpype
    Class = runtime.jclass("java.lang.Class")
    String = runtime.jclass("java.lang.String")
    cls = Class.forName("ij.plugin.DicomDecoder")
    ctor = cls.getDeclaredConstructor(String, String)
    ctor.setAccessible(True)
    i = path.rfind("/")
    directory, name = (path[:i + 1], path[i + 1:]) if i > 0 else ("", path)
    dd = ctor.newInstance(directory, name)
    get_file_info = cls.getDeclaredMethod("getFileInfo")
    get_file_info.setAccessible(True)
    get_info = cls.getDeclaredMethod("getDicomInfo")
    get_info.setAccessible(True)
    try:
        jfi = get_file_info.invoke(dd)
    except jpype.JException as exc:
        cause = exc.getCause() if hasattr(exc, "getCause") and exc.getCause() is not None else exc
        message = str(cause.getMessage())
        info = str(get_info.invoke(dd))
        if "EOF" not in message:
            text = f"{cause.getClass().getName()}\n \n{message}"
            kind = UnsupportedTransferSyntaxError if "compressed" in message else NotDicomError
            return Decoded(info, None, kind(message.replace("\n", " "), path, imagej_message=text))
        if not bool(_declared(cls, "dicmFound").get(dd)):
            return Decoded(info, None, NotDicomError("no DICM", path, imagej_message=NO_DICM))
        return Decoded(info, None, None)
    info = str(get_info.invoke(dd))
    return Decoded(info, _to_fileinfo(jfi, cls, dd), None)


def _to_fileinfo(jfi: Any, cls: Any, dd: Any) -> FileInfo:
    def lut(field: Any) -> bytes | None:
        return None if field is None else bytes(bytearray(int(b) & 0xFF for b in field))

    reds, greens, blues = lut(jfi.reds), lut(jfi.greens), lut(jfi.blues)
    fi = FileInfo(
        file_name=str(jfi.fileName), directory=str(jfi.directory) if jfi.directory is not None else "",
        width=int(jfi.width), height=int(jfi.height), offset=int(jfi.getOffset()),
        n_images=int(jfi.nImages), file_type=int(jfi.fileType), little_endian=bool(jfi.intelByteOrder),
        pixel_width=float(jfi.pixelWidth), pixel_height=float(jfi.pixelHeight),
        pixel_depth=float(jfi.pixelDepth), unit=None if jfi.unit is None else str(jfi.unit),
        white_is_zero=bool(jfi.whiteIsZero),
        lut=(reds, greens, blues) if int(jfi.lutSize) > 0 else None,
        window_center=float(_declared(cls, "windowCenter").get(dd)),
        window_width=float(_declared(cls, "windowWidth").get(dd)),
        rescale_intercept=float(_declared(cls, "rescaleIntercept").get(dd)),
        rescale_slope=float(_declared(cls, "rescaleSlope").get(dd)))
    return fi
