"""Compressed DICOM, opt-in: open the uncompressed equivalent of the file, by ImageJ's rules.

ImageJ 1.53t refuses every JPEG, JPEG-LS, JPEG 2000 and RLE transfer syntax
and misreads deflate.  With ``bridge.configure(decode="all")`` (or
``BRIDGE_DECODE=all``) both backends open such files by one rule:

    the image is what ImageJ opens from the file's *uncompressed equivalent*:
    the same data set, its pixels decoded by pydicom (with the pylibjpeg,
    openjpeg, RLE and CharLS plugins), written as Explicit VR Little Endian
    to a private temporary file that has the original's name.

Every ImageJ rule (type, signed +32768, calibration, display range) then
applies unchanged: the pydicom backend opens the copy with its own code, the
jvm backend hands it to the real ImageJ, and the two agree for the reason
they agree on any uncompressed file.  The title and ``getOriginalFileInfo``
name the original file.

**The header text** (``Info``, ``getTag``) is ImageJ's text for that
equivalent, so it describes the pixels the image holds:

* ``0002,0010 Transfer Syntax UID`` reads ``1.2.840.10008.1.2.1`` (and the
  meta group length is the copy's); the file's own transfer syntax is in
  ``bridge.dataset(imp).file_meta``;
* ``0028,0004 Photometric Interpretation`` is what pydicom decoded to: colour
  JPEG and JPEG 2000 in YBR become ``RGB``, with Planar Configuration 0;
* ``7FE0,0010 Pixel Data`` gives the pixel offset in the copy;
* everything else is the file's own, SOP Instance UID included.

Native decoders are the riskiest code on hostile input, so with
``isolate=True`` (``BRIDGE_ISOLATE=1``) the decoding runs in a subprocess
(``python -m bridge.decompress SRC DST``): a crash or a hang becomes a
:class:`PixelDecodeError` naming the file, never a dead or stuck process.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import warnings
import zlib
from collections.abc import Iterator
from typing import Any

from . import config, errors, safety
from .errors import (CorruptHeaderError, DicomReadError, LimitExceededError, NotDicomError,
                     PixelDecodeError, UnsupportedTransferSyntaxError)

EXPLICIT_LITTLE = "1.2.840.10008.1.2.1"
DEFLATED = "1.2.840.10008.1.2.1.99"

#: The command of the isolated decoder (tests put a crashing stand-in here).
WORKER: tuple[str, ...] = (sys.executable, "-m", "bridge.decompress")
_TYPED_EXIT = 3                   # the worker's exit status after a typed error (JSON on stdout)

#: Which packages decode which transfer syntaxes (pydicom's plugins), and bridge's extra for them.
_JPEG_2000 = ("pylibjpeg pylibjpeg-openjpeg", "jpeg")
_JPEG_LS = ("pyjpegls", "jpeg")
_INSTALL = {
    "1.2.840.10008.1.2.4.50": ("pillow", "jpeg"),                          # baseline 8-bit
    "1.2.840.10008.1.2.4.51": ("pylibjpeg pylibjpeg-libjpeg", "jpeg-gpl"),  # extended 12-bit
    "1.2.840.10008.1.2.4.57": ("pylibjpeg pylibjpeg-libjpeg", "jpeg-gpl"),  # lossless
    "1.2.840.10008.1.2.4.70": ("pylibjpeg pylibjpeg-libjpeg", "jpeg-gpl"),  # lossless SV1
    "1.2.840.10008.1.2.4.80": _JPEG_LS, "1.2.840.10008.1.2.4.81": _JPEG_LS,
    "1.2.840.10008.1.2.4.90": _JPEG_2000, "1.2.840.10008.1.2.4.91": _JPEG_2000,
    "1.2.840.10008.1.2.4.201": _JPEG_2000, "1.2.840.10008.1.2.4.202": _JPEG_2000,
    "1.2.840.10008.1.2.4.203": _JPEG_2000,
}


# --- when ------------------------------------------------------------------
def route(path: str) -> str | None:
    """The transfer syntax to decode when ``decode="all"`` applies to ``path``, else None.

    Routed are the syntaxes ImageJ does not read: those it refuses (a UID
    containing ``1.2.4`` or ``1.2.5``) and deflate.  Only the meta header is read.
    """
    if config.settings().decode != "all":
        return None
    uid = transfer_syntax(path)
    return uid if uid is not None and needs_decoding(uid) else None


def needs_decoding(uid: str) -> bool:
    """Whether ImageJ cannot read data in this transfer syntax: one it refuses, or deflate."""
    return uid == DEFLATED or "1.2.4" in uid or "1.2.5" in uid


def transfer_syntax(path: str) -> str | None:
    """The Transfer Syntax UID of the file's meta header, or None (no meta header, not DICOM)."""
    from pydicom.filereader import read_file_meta_info
    try:
        meta = read_file_meta_info(path)
    except Exception:   # pydicom raises many kinds on a non-DICOM file; none of them matters here
        return None
    uid = str(meta.get("TransferSyntaxUID", "") or "").strip(" \0")
    return uid or None


@contextlib.contextmanager
def uncompressed(path: str) -> Iterator[str]:
    """Yield the path to read: ``path`` itself, or its uncompressed equivalent when routed (see module doc)."""
    uid = route(path)
    if uid is None:
        yield path
        return
    with safety.private_tempfile(name=os.path.basename(path) or "image.dcm") as copy:
        if config.settings().isolate:
            _write_isolated(path, copy)
        else:
            write_uncompressed(path, copy)
        yield copy


# --- how -------------------------------------------------------------------
def write_uncompressed(src: str, dst: str) -> None:
    """Decode ``src`` and write its uncompressed equivalent to ``dst``; typed errors name ``src``.

    pydicom's warnings about odd values stay quiet: ImageJ reads those files silently too.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _write_uncompressed(src, dst)


def _write_uncompressed(src: str, dst: str) -> None:
    ds = _read(src)
    uid = str(ds.file_meta.TransferSyntaxUID)
    _check_size(ds, src)
    if uid != DEFLATED:                       # deflate: the reading inflated it already
        _decode(ds, src, uid)
    ds.file_meta.TransferSyntaxUID = EXPLICIT_LITTLE
    for _ in ds.iterall():                    # give elements read as implicit VR their VR
        pass
    try:
        ds.save_as(dst, implicit_vr=False, little_endian=True)
    except Exception as exc:
        raise CorruptHeaderError(f"cannot write the uncompressed equivalent: {exc}", src) from exc


def _read(src: str) -> Any:
    """The whole data set; deflate is inflated here under the ``max_image_bytes`` budget."""
    import pydicom
    from pydicom.filereader import read_dataset, read_file_meta_info
    from pydicom.filebase import DicomBytesIO
    try:
        meta = read_file_meta_info(src)
        if str(meta.get("TransferSyntaxUID", "")).strip(" \0") != DEFLATED:
            return pydicom.dcmread(src)
        start = 132 + 12 + int(meta.FileMetaInformationGroupLength)
        with open(src, "rb") as f:
            f.seek(start)
            body = _inflate(f.read(), src)
        # pydicom annotates BinaryIO but reads its own DicomBytesIO (as its dcmread does)
        ds = read_dataset(DicomBytesIO(body), is_implicit_VR=False, is_little_endian=True)  # type: ignore[arg-type]
        ds.file_meta, ds.preamble = meta, b"\0" * 128
        return ds
    except DicomReadError:
        raise
    except Exception as exc:
        raise NotDicomError(f"pydicom cannot read it: {exc}", src) from exc


def _inflate(data: bytes, src: str) -> bytes:
    limit = config.settings().max_image_bytes
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        body = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise CorruptHeaderError(f"the deflated data set does not inflate: {exc}", src) from exc
    if len(body) > limit:
        raise LimitExceededError(f"the deflated data set inflates past max_image_bytes={limit}", src)
    return body


def _check_size(ds: Any, src: str) -> None:
    """Refuse to decode an image whose declared size is beyond ``max_image_bytes``."""
    if "PixelData" not in ds:
        raise CorruptHeaderError("no Pixel Data to decode", src, imagej_message="Unable to decode DICOM header.")
    try:
        frames = int(ds.get("NumberOfFrames") or 1)
        size = (int(ds.Rows) * int(ds.Columns) * int(ds.get("SamplesPerPixel") or 1)
                * frames * -(-int(ds.BitsAllocated) // 8))
    except (AttributeError, TypeError, ValueError) as exc:
        raise CorruptHeaderError(f"the image size is not declared: {exc}", src,
                                 imagej_message="Unable to decode DICOM header.") from exc
    limit = config.settings().max_image_bytes
    if size > limit:
        raise LimitExceededError(f"declared image of {size} bytes exceeds max_image_bytes={limit} "
                                 "(raise it with bridge.configure(max_image_bytes=...))", src)


def _decode(ds: Any, src: str, uid: str) -> None:
    """pydicom's ``decompress`` in place, its failures as typed errors."""
    from pydicom.pixels import get_decoder
    from pydicom.uid import UID
    name = UID(uid).name
    try:
        decoder = get_decoder(uid)
    except NotImplementedError:
        raise UnsupportedTransferSyntaxError(f"no decoder exists for {name} ({uid})", src, uid=uid,
                                             imagej_message=f"bridge cannot decode {name}") from None
    if not decoder.is_available:
        raise missing_decoder(src, uid)
    try:
        ds.decompress(generate_instance_uid=False)
    except Exception as exc:
        detail = " ".join(str(exc).split())
        packages, extra = _INSTALL.get(uid, ("", ""))
        hint = f"; another decoder may read it: pip install {packages}" if extra == "jpeg-gpl" else ""
        raise PixelDecodeError(f"the {name} decoder failed: {detail}{hint}", src) from exc


def missing_decoder(src: str, uid: str) -> UnsupportedTransferSyntaxError:
    """The error for a transfer syntax whose decoder is not installed: what to pip install."""
    from pydicom.uid import UID
    name = UID(uid).name
    packages, extra = _INSTALL.get(uid, ("pylibjpeg pylibjpeg-openjpeg pylibjpeg-rle pyjpegls", "jpeg"))
    reason = (f"no decoder for {name} ({uid}) is installed; "
              f"install one with: pip install {packages}  (bridge's extra: bridge[{extra}])")
    return UnsupportedTransferSyntaxError(reason, src, uid=uid, imagej_message=reason)


# --- isolation -------------------------------------------------------------
def _write_isolated(src: str, dst: str) -> None:
    """:func:`write_uncompressed` in a subprocess; a crash, hang or typed error comes back typed."""
    settings = config.settings()
    env = dict(os.environ, BRIDGE_MAX_IMAGE_BYTES=str(settings.max_image_bytes))
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run([*WORKER, src, dst], env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=settings.decode_timeout)
    except subprocess.TimeoutExpired:
        raise PixelDecodeError(f"the isolated decoder did not finish within decode_timeout="
                               f"{settings.decode_timeout:g} s", src) from None
    except OSError as exc:
        raise PixelDecodeError(f"cannot start the isolated decoder: {exc}", src) from exc
    if done.returncode == 0:
        return
    if done.returncode == _TYPED_EXIT:
        raise _error_from_json(done.stdout, src)
    raise PixelDecodeError(f"the isolated decoder died ({_exit_reason(done.returncode)})", src)


def _exit_reason(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit status {code}"


def _error_from_json(raw: bytes, src: str) -> DicomReadError:
    """Rebuild the worker's typed error; anything unreadable is a decoder failure."""
    try:
        data = json.loads(raw.decode("utf-8").strip().splitlines()[-1])
        kind = getattr(errors, data["type"])
        if not (isinstance(kind, type) and issubclass(kind, DicomReadError)):
            raise TypeError(data["type"])
        if issubclass(kind, UnsupportedTransferSyntaxError):
            return kind(data["reason"], src, uid=data.get("uid", ""), imagej_message=data.get("imagej_message"))
        return kind(data["reason"], src, imagej_message=data.get("imagej_message"))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeDecodeError):
        return PixelDecodeError("the isolated decoder failed without a readable report", src)


def main(argv: list[str] | None = None) -> int:
    """The worker: ``python -m bridge.decompress SRC DST``; a typed error is printed as JSON, exit 3."""
    src, dst = argv if argv is not None else sys.argv[1:]
    try:
        write_uncompressed(src, dst)
    except DicomReadError as err:
        report = {"type": type(err).__name__, "reason": err.reason, "imagej_message": err.imagej_message,
                  "uid": getattr(err, "uid", "")}
        print(json.dumps(report))
        return _TYPED_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
