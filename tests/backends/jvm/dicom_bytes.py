"""Small DICOM files built byte by byte (explicit VR little endian), for rescale tests.

Only what the tests vary is a parameter; everything else is the minimum ImageJ needs
to open an image.  Values are written as raw text, so an empty or odd slope can be
expressed exactly (``slope=""``).
"""

from __future__ import annotations

import struct

import numpy as np

from tests.dicomgen import EXPLICIT_LE, encode_element


def element(tag: int, vr: str, value: bytes) -> bytes:
    """One explicit-VR little-endian element, padded to an even length."""
    if len(value) % 2:
        value += b"\0" if vr in ("UI", "OB") else b" "
    return encode_element(tag, vr, value)


def us(tag: int, value: int) -> bytes:
    return element(tag, "US", struct.pack("<H", value))


def text(tag: int, vr: str, value: str) -> bytes:
    return element(tag, vr, value.encode("ascii"))


def dicom_file(pixels: np.ndarray, *, slope: str | None = None, intercept: str | None = None,
               center: str | None = None, width: str | None = None) -> bytes:
    """A DICOM file holding ``pixels`` (frames, rows, cols[, 3]).

    The pixel type follows the array: uint8, uint16, int16, uint8 with a last axis of 3
    (RGB, interleaved) or float32 (Float Pixel Data).  More than one frame sets
    Number of Frames.
    """
    frames, rows, cols = pixels.shape[:3]
    rgb = pixels.ndim == 4
    bits = 32 if pixels.dtype == np.float32 else pixels.dtype.itemsize * 8
    meta = text(0x00020010, "UI", EXPLICIT_LE)
    body = [
        element(0x00020000, "UL", struct.pack("<I", len(meta))), meta,
        text(0x00080060, "CS", "OT"),
        us(0x00280002, 3 if rgb else 1),
        text(0x00280004, "CS", "RGB" if rgb else "MONOCHROME2"),
    ]
    if rgb:
        body.append(us(0x00280006, 0))
    if frames > 1:
        body.append(text(0x00280008, "IS", str(frames)))
    body += [us(0x00280010, rows), us(0x00280011, cols), us(0x00280100, bits),
             us(0x00280101, bits), us(0x00280102, bits - 1),
             us(0x00280103, 1 if pixels.dtype == np.int16 else 0)]
    for tag, value in ((0x00281050, center), (0x00281051, width),
                       (0x00281052, intercept), (0x00281053, slope)):
        if value is not None:
            body.append(text(tag, "DS", value))
    data = np.ascontiguousarray(pixels).astype(pixels.dtype.newbyteorder("<")).tobytes()
    if pixels.dtype == np.float32:
        body.append(element(0x7FE00008, "OF", data))
    else:
        body.append(element(0x7FE00010, "OB" if bits == 8 else "OW", data))
    return b"\0" * 128 + b"DICM" + b"".join(body)
