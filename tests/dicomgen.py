"""Write small DICOM files byte by byte, for tests that need exact control over every byte.

pydicom would normalise what the tests are about (padding, tag order, odd
VRs, truncation), so files are assembled by hand::

    data = make_dicom([(0x00280010, "US", 2), (0x00280011, "US", 2)], pixel_data=b"\\0" * 8)
    data = image_dicom(np.arange(6, dtype="<u2").reshape(2, 3), window=("100", "50"))

Values: ``bytes`` are written as given (the caller pads), ``str`` is
ASCII padded to even length (NUL for UI, else space), ``int``/``list[int]``
are packed for US/SS/UL/SL, ``float`` for FL/FD.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

EXPLICIT_LE = "1.2.840.10008.1.2.1"
IMPLICIT_LE = "1.2.840.10008.1.2"
EXPLICIT_BE = "1.2.840.10008.1.2.2"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"

_LONG_VRS = {"OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UN", "UT", "UC", "UR", "SV", "UV"}
_PACK = {"US": "H", "SS": "h", "UL": "I", "SL": "i", "FL": "f", "FD": "d"}

Element = tuple[int, str, object]


def encode_value(vr: str, value: object, little: bool = True) -> bytes:
    """The value bytes of one element."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        raw = value.encode("latin-1")
        if len(raw) % 2:
            raw += b"\0" if vr == "UI" else b" "
        return raw
    values = value if isinstance(value, (list, tuple)) else [value]
    order = "<" if little else ">"
    return b"".join(struct.pack(order + _PACK[vr], v) for v in values)


def encode_element(tag: int, vr: str, value: object, *, little: bool = True, explicit: bool = True,
                   length: int | None = None) -> bytes:
    """Tag, VR (explicit only), length and value; ``length`` overrides the written length."""
    body = encode_value(vr, value, little)
    order = "<" if little else ">"
    n = len(body) if length is None else length
    head = struct.pack(order + "HH", tag >> 16, tag & 0xFFFF)
    if not explicit:
        return head + struct.pack(order + "I", n) + body
    if vr in _LONG_VRS:
        return head + vr.encode() + b"\0\0" + struct.pack(order + "I", n) + body
    return head + vr.encode() + struct.pack(order + "H", n) + body


def make_dicom(elements: Sequence[Element], pixel_data: bytes | None = None, *, ts: str = EXPLICIT_LE,
               preamble: bool = True, meta: bool = True, pixel_vr: str = "OW",
               pixel_length: int | None = None, pixel_tag: int = 0x7FE00010, sort: bool = True) -> bytes:
    """A whole file: preamble + "DICM", file meta (explicit LE), data set, then Pixel Data.

    ``pixel_length`` is the length written in the Pixel Data header (default:
    the bytes given), so truncated files are one argument away.
    """
    little = ts != EXPLICIT_BE
    explicit = ts != IMPLICIT_LE
    out = bytearray()
    if preamble:
        out += b"\0" * 128 + b"DICM"
    if meta:
        group = b"".join(encode_element(t, vr, v) for t, vr, v in [
            (0x00020001, "OB", b"\0\1"),
            (0x00020002, "UI", "1.2.840.10008.5.1.4.1.1.7"),
            (0x00020003, "UI", "1.2.3.4.5.6.7"),
            (0x00020010, "UI", ts)])
        out += encode_element(0x00020000, "UL", len(group)) + group
    items = sorted(elements, key=lambda e: e[0]) if sort else list(elements)
    for tag, vr, value in items:
        out += encode_element(tag, vr, value, little=little, explicit=explicit)
    if pixel_data is not None:
        n = len(pixel_data) if pixel_length is None else pixel_length
        out += encode_element(pixel_tag, pixel_vr, b"", little=little, explicit=explicit, length=n)
        out += pixel_data
    return bytes(out)


def image_dicom(pixels: np.ndarray, *, bits: int | None = None, signed: bool = False, samples: int = 1,
                photometric: str | bytes = "MONOCHROME2", planar: int | None = None,
                frames: str | None = None, window: tuple[str, str] | None = None,
                rescale: tuple[str | None, str | None] | None = None, spacing: str | None = None,
                thickness: str | None = None, extra: Sequence[Element] = (), ts: str = EXPLICIT_LE,
                keep_bytes: int | None = None, **kw: object) -> bytes:
    """A file holding ``pixels`` with the standard image tags (values as text where DICOM has text).

    ``pixels`` is (rows, cols), (frames, rows, cols) or with a trailing
    sample axis; its bytes are written exactly as its dtype lays them out, so
    the caller chooses the byte order.  ``keep_bytes`` cuts the file that
    many bytes into the pixel data (declared length unchanged).
    """
    shape = pixels.shape
    if samples > 1:
        shape = shape[:-1]
    rows, cols = shape[-2], shape[-1]
    if bits is None:
        bits = pixels.dtype.itemsize * 8
    elements: list[Element] = [
        (0x00080060, "CS", "OT"),
        (0x00280002, "US", samples),
        (0x00280004, "CS", photometric),
        (0x00280010, "US", rows), (0x00280011, "US", cols),
        (0x00280100, "US", bits), (0x00280101, "US", bits), (0x00280102, "US", bits - 1),
        (0x00280103, "US", 1 if signed else 0)]
    if frames is not None:
        elements.append((0x00280008, "IS", frames))
    if planar is not None:
        elements.append((0x00280006, "US", planar))
    if spacing is not None:
        elements.append((0x00280030, "DS", spacing))
    if thickness is not None:
        elements.append((0x00180050, "DS", thickness))
    if window is not None:
        elements += [(0x00281050, "DS", window[0]), (0x00281051, "DS", window[1])]
    if rescale is not None:
        intercept, slope = rescale
        if intercept is not None:
            elements.append((0x00281052, "DS", intercept))
        if slope is not None:
            elements.append((0x00281053, "DS", slope))
    elements += list(extra)
    data = pixels.tobytes()
    pixel_length = len(data) + len(data) % 2
    if len(data) % 2:
        data += b"\0"
    if keep_bytes is not None:
        data = data[:keep_bytes]
    return make_dicom(elements, data, ts=ts, pixel_vr="OB" if bits == 8 else "OW",
                      pixel_length=pixel_length, **kw)  # type: ignore[arg-type]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def write_zip(path: Path, entries: Sequence[tuple[str, bytes]]) -> Path:
    """A zip with the entries in the given order (ImageJ only looks at the first)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return path
