"""``IJ.openImage(path)`` for local paths: ImageJ 1.53t's routing, titles and nulls.

``Opener.getFileType`` decides from the first 132 bytes and the name; only
its DICOM and ZIP outcomes lead to images here.  Every refusal is a
:class:`bridge.errors.DicomReadError` whose ``imagej_message`` is the text
ImageJ leaves in ``IJ.getErrorMessage()`` (None where ImageJ is silent); the
facade turns it into ``None`` as ImageJ does.

A zip is read like ImageJ reads it: only its first entry counts, a ``.dcm``
entry is decoded (inflated to a private temporary file under a byte
budget), and a failing entry still yields an image — a 0×0 one titled
"null", as ImageJ's ``openZip`` returns the empty ``DICOM`` object.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
import numpy as np

from .. import archive, decompress
from ..errors import (CorruptHeaderError, DicomReadError, FetchError, LimitExceededError, MissingFileError,
                       NotARegularFileError, NotDicomError, TruncatedError, renamed)
from ..model import GRAY8, ImagePlus
from . import image, limits
from .decoder import Decoded, decode, decode_source, open_source
from .fileinfo import FORMAT_ZIP_ARCHIVE, FileInfo
from .source import ByteSource
from .textimage import shape_error
from .walker import ImageJThrewError

SNIFF_BYTES = 132
UNSUPPORTED = "Unsupported format or file not found:\n{path}"
JPEG_FAILED = "Error loading image\n(Note: ImageJ cannot open CMYK JPEGs)\n \n{path}"
#: how far ImageJ's BufferedInputStream can rewind a zip entry (DicomDecoder marks 400000 bytes)
ZIP_MARK_LIMIT = 400_000


def open_image(path: str) -> ImagePlus:
    """The image ImageJ opens from ``path``; a ``DicomReadError`` where it returns null.

    A plain DICOM file (the usual case) is sniffed and decoded on one open
    (:func:`dicom_header`); everything else takes ImageJ's routing from the top.
    """
    header = local_header(path)
    if header is not None:
        return read_image(header)
    return open_routed(path)


def local_header(path: str) -> DicomHeader | None:
    """The first half of :func:`open_image`: URLs refused, then :func:`dicom_header`."""
    if "://" in path or "file:/" in path:
        raise FetchError("URLs are not opened by the pydicom backend yet", url=path)
    return dicom_header(path)


def open_routed(path: str) -> ImagePlus:
    """``open_image`` for what is not a plain DICOM file: compressed DICOM, zip, or a refusal."""
    kind = file_type(path)
    if kind == "dicom":
        return open_dicom(path)
    if kind == "zip":
        return open_zip(path)
    raise refusal(path, kind)


@dataclass
class DicomHeader:
    """A plain local DICOM file whose header is decoded and whose pixels are not read yet.

    Splitting the open in two lets a series decode every header first (the
    slice order comes from them) and then read each file's pixels straight
    into their place in the stack.
    """

    path: str             # the path asked for: the title and the errors name it
    source: str           # the file the bytes come from: ``path``, or its uncompressed copy
    fi: FileInfo          # passed ``DICOM.open``'s checks; file name and directory as ImageJ splits ``path``
    info: str


def dicom_header(path: str) -> DicomHeader | None:
    """The decoded header of a plain DICOM file; None for anything :func:`open_routed` must open.

    One open serves ImageJ's sniff and the header walk.  None covers files
    that are missing or not regular, not DICOM by ``Opener.getFileType``, and
    compressed ones routed through :mod:`bridge.decompress`: the routing
    gives their errors.  A DICOM file whose header fails raises it.
    """
    src = open_source(path)
    if isinstance(src, DicomReadError):
        return None
    with src:
        if sniff(_head(src), base_name(path)) != "dicom" or decompress.route(path) is not None:
            return None
        decoded = decode_source(src, path)
    return _checked_header(path, path, decoded)


def _checked_header(path: str, source: str, decoded: Decoded) -> DicomHeader:
    """``DICOM.open``'s checks on a decode of ``source``; the header names ``path``."""
    if decoded.error is not None:
        raise decoded.error
    fi = image.check_decodable(decoded.fi, path)
    fi.directory, fi.file_name = split_path(path)     # the decode made this FileInfo: ours to change
    return DicomHeader(path, source, fi, decoded.info)


def read_image(header: DicomHeader, destination: image.Destination | None = None) -> ImagePlus:
    """``DICOM.open`` after the header: the pixels (into ``destination``'s array if it gives one), the image."""
    with open(header.source, "rb") as f:
        stack = image.read_stack(f, header.fi, header.path, validate=True, destination=destination)
    return image.assemble(header.fi, header.info, header.fi.file_name, stack, header.path)


# --- Opener.getFileType -------------------------------------------------------
def file_type(path: str) -> str:
    """ImageJ's routing, reduced to what matters here: "dicom", "zip", or why not."""
    try:
        info = os.stat(path)
    except OSError:
        return "missing"
    if not stat.S_ISREG(info.st_mode):
        return "not-regular"    # ImageJ would try (and a FIFO would block); we never open one
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return "unknown"
    return sniff(head, base_name(path))


def _head(src: ByteSource) -> bytes:
    """The first bytes ``Opener.getFileType`` looks at, from a source opened at the file's start."""
    wanted = min(SNIFF_BYTES, src.size)
    if len(src.buf) < wanted:          # a short first read: ask again
        return src.window(0, wanted)[0][:SNIFF_BYTES]
    return src.buf[:SNIFF_BYTES]


def sniff(head: bytes, name: str) -> str:
    """``Opener.getFileType`` on the first 132 bytes (zero-padded here if shorter) and the file name."""
    head = head.ljust(SNIFF_BYTES, b"\0")
    dicm = head[128:132] == b"DICM"
    if dicm and head[:2] in (b"II", b"MM"):
        return "dicom"                        # GE Senographe: TIFF and DICOM in one file
    if name.endswith(".lsm"):
        return "other"
    if head[:4] in (b"II*\0", b"MM\0*"):
        return "tiff"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:4] == b"GIF8":
        return "gif"
    lower = name.lower()
    if dicm or lower.endswith(".dcm"):
        return "dicom"
    if head[0] in (8, 2) and head[1] == 0 and head[3] == 0 and not lower.endswith(".spe") \
            and lower != "fid":
        return "dicom"                        # ACR-NEMA: starts with group 0008 or 0002
    if head[0] == ord("P") and head[1] in b"142536" and head[2] in b"\n\r \t":
        return "other"                        # PGM
    if lower.endswith(".lut") or head[:4] == b"\x89PNG":
        return "other"
    if lower.endswith(".zip"):
        return "zip"
    if name.endswith(".txt"):
        return "text-image"                   # TextReader: a table of numbers as a 32-bit image
    if lower.endswith((".java", ".txt", ".ijm", ".js", ".bsh", ".py", ".html")):
        return "text"                         # ImageJ's text readers, not images
    if all(c in (9, 10, 13) or 32 <= c <= 126 for c in head[:10]):
        return "text"                         # ImageJ gives null without a message
    return "unknown"


def refusal(path: str, kind: str) -> DicomReadError:
    """The error for everything ``open_image`` does not turn into a DICOM image.

    GIF, JPEG and PNG declaring a raster past ``max_image_bytes`` get the same
    :class:`LimitExceededError` the jvm backend gives before Java decodes them.
    """
    if kind in ("gif", "jpeg") or (kind == "other" and _is_png(path)):
        limits.check_other_image(path, kind)
    if kind == "missing":
        return MissingFileError("file not found", path)
    if kind == "not-regular":
        return NotARegularFileError("not a regular file", path, imagej_message=UNSUPPORTED.format(path=path))
    if kind == "jpeg":
        return NotDicomError("starts like a JPEG; the pydicom backend opens DICOM only", path,
                             imagej_message=JPEG_FAILED.format(path=path))
    if kind == "gif":
        return NotDicomError("starts like a GIF; the pydicom backend opens DICOM only", path)
    if kind == "unknown":
        return NotDicomError("not DICOM (unsupported format)", path,
                             imagej_message=UNSUPPORTED.format(path=path))
    if kind == "text-image":
        message = shape_error(path)
        if message is not None:
            return NotDicomError(f"a ragged text table ({message})", path, imagej_message=message)
        return NotDicomError("a text image (ImageJ's TextReader opens those; the pydicom backend "
                             "opens DICOM only)", path)
    return NotDicomError(f"not DICOM ({kind}); the pydicom backend opens DICOM only", path)


def _is_png(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


# --- DICOM files ----------------------------------------------------------------
def open_dicom(path: str) -> ImagePlus:
    """``DICOM.open`` on a local file; the title is the last path component.

    With ``decode="all"`` a compressed file is read through its uncompressed
    equivalent (:mod:`bridge.decompress`), still titled and named as ``path``.
    """
    with decompress.uncompressed(path) as source:
        return _open_dicom(path, source)


def _open_dicom(path: str, source: str) -> ImagePlus:
    return read_image(_checked_header(path, source, decode(source)))


def split_path(path: str) -> tuple[str, str]:
    """``OpenDialog.decodePath``: split after the last '/' (or '\\'), unless it is the first character."""
    i = path.rfind("/")
    if i == -1:
        i = path.rfind("\\")
    if i > 0:
        return path[:i + 1], path[i + 1:]
    return "", path


def base_name(path: str) -> str:
    """``java.io.File.getName``: the last non-empty component."""
    return os.path.basename(path.rstrip("/")) or path


# --- ZIP archives ------------------------------------------------------------------
def open_zip(path: str) -> ImagePlus:
    """``Opener.openZip``: only the first entry is looked at, and only a ``.dcm`` one is decoded."""
    with archive.first_dicom_entry(path) as (temp_path, name), decompress.uncompressed(temp_path) as source:
        imp = _decode_entry(source, split_path(name)[1], path, name)
    if not imp.file_info:
        return imp            # the empty image has no FileInfo to mark as coming from a zip
    directory = os.path.dirname(path)
    imp.file_info.update(fileFormat=FORMAT_ZIP_ARCHIVE, fileName=os.path.basename(path),
                         directory=directory + os.sep if directory else None)
    return imp


def _decode_entry(temp_path: str, title: str, zip_path: str, entry: str) -> ImagePlus:
    """``new DICOM(zipStream).run(entryName)``: failures give the empty image, not an error."""
    decoded = decode(temp_path)
    if isinstance(decoded.error, LimitExceededError):   # the facade's refusal, not ImageJ's failure
        raise renamed(decoded.error, zip_path, entry)
    if isinstance(decoded.error, ImageJThrewError):
        raise _caught_by_open_zip(decoded.error, zip_path, entry)
    if decoded.error is not None:
        return empty_image(decoded.error.imagej_message)
    fi = decoded.fi
    if fi is not None and fi.offset > ZIP_MARK_LIMIT:
        return empty_image()      # "Resetting to invalid mark": the stream cannot rewind that far
    try:
        fi = image.check_decodable(fi, zip_path)
    except DicomReadError as err:
        return empty_image(err.imagej_message)
    fi = replace(fi, file_name=title, directory="")
    with open(temp_path, "rb") as f:
        try:
            stack = image.read_stack(f, fi, zip_path, validate=False)
        except TruncatedError as err:
            # DICOM.open throws; openZip catches it, shows it and returns null.
            raise TruncatedError(err.reason, zip_path, entry=entry,
                                 imagej_message=image.null_image_message(fi)) from err
        except LimitExceededError as err:
            err.entry = entry
            raise
    try:
        return image.assemble(fi, decoded.info, title, stack, zip_path)
    except ImageJThrewError as err:
        raise _caught_by_open_zip(err, zip_path, entry) from None


def _caught_by_open_zip(error: DicomReadError, zip_path: str, entry: str) -> DicomReadError:
    """A runtime exception in a zip entry: ``openZip`` shows it (``IJ.error``) and returns null.

    So nothing escapes to the caller, and the exception's text is the message.
    """
    return CorruptHeaderError(error.reason, zip_path, entry=entry, imagej_message=error.thrown)


def empty_image(message: str | None = None) -> ImagePlus:
    """What ``openZip`` returns when the DICOM entry fails: width 0, title "null", no Info.

    ``message`` is what the failed read showed (``IJ.getErrorMessage()`` holds it after the open).
    """
    return ImagePlus(title="null", data=np.zeros((1, 0, 0), dtype=np.uint8), image_type=GRAY8,
                     display_range=(0.0, 0.0), error_message=message)
