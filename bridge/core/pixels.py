"""Pixels exactly as ImageJ 1.53t's ``FileOpener``/``ImageReader`` read them.

ImageJ takes raw bytes at the Pixel Data offset and never looks at Bits
Stored, High Bit or the VR.  The rules that make its pixels differ from
pydicom's ``pixel_array`` are all here:

* 16/32-bit data follow the file's byte order; 8-bit data is never swapped.
* signed 16-bit data is stored +32768 (as unsigned); nothing is masked;
* 32-bit integers become float32 (precision lost above 2**24);
* RGB (interleaved or planar) is packed into int32 ``0xFFRRGGBB`` — the
  alpha byte included, as Java's ``int[]`` holds it;
* short data: the first frame is zero-filled, later incomplete frames are
  dropped, and the read buffer in which ImageJ met the end of file gets
  ImageJ's conversion applied to its zeros (+32768 for signed 16-bit,
  opaque black for RGB) while everything after it stays 0.

Speed comes from reading straight into the result array (``readinto`` on a
preallocated numpy buffer) and converting in place: no intermediate copy
of the image is ever made, so opening costs about what reading costs.
"""

from __future__ import annotations

import io
import sys

import numpy as np

from . import limits
from .fileinfo import (COLOR8, GRAY8, GRAY16_SIGNED, GRAY16_UNSIGNED, GRAY32_FLOAT, GRAY32_INT,
                       GRAY32_UNSIGNED, RGB, RGB_PLANAR, FileInfo)

#: bytes one pixel takes in the file, per ``FileInfo.fileType``
BYTES_PER_PIXEL = {GRAY8: 1, COLOR8: 1, GRAY16_SIGNED: 2, GRAY16_UNSIGNED: 2, GRAY32_INT: 4,
                   GRAY32_UNSIGNED: 4, GRAY32_FLOAT: 4, RGB: 3, RGB_PLANAR: 3}

#: numpy type ImageJ stores each file type in (ByteProcessor, ShortProcessor, FloatProcessor, ColorProcessor)
STORAGE = {GRAY8: np.uint8, COLOR8: np.uint8, GRAY16_SIGNED: np.uint16, GRAY16_UNSIGNED: np.uint16,
           GRAY32_INT: np.float32, GRAY32_UNSIGNED: np.float32, GRAY32_FLOAT: np.float32,
           RGB: np.int32, RGB_PLANAR: np.int32}

_ALPHA = np.uint32(0xFF000000)
_NATIVE_LITTLE = sys.byteorder == "little"
_CHUNK = 1 << 22          # bytes per conversion step, so no step doubles the memory in use


def frame_bytes(fi: FileInfo) -> int:
    """Bytes of one frame in the file (``width*height*bytesPerPixel``)."""
    return fi.width * fi.height * BYTES_PER_PIXEL[fi.file_type]


def validation_error(fi: FileInfo, file_length: int) -> str | None:
    """``FileOpener.validateFileInfo`` for a local file: ImageJ's message, or None when it reads on.

    Offsets below 1000 are never checked; otherwise a single image needs a
    quarter of its bytes present, a multi-frame image one whole frame.
    """
    offset = fi.offset
    if offset < 1000:
        return None
    size = frame_bytes(fi)
    if fi.n_images <= 1:
        size //= 4
    if fi.height == 1:
        size = 0
    if offset + size <= file_length:
        return None
    return ("FileInfo parameter error. \n"
            "Offset + image size > file length.\n \n"
            f"  Width: {fi.width}\n  Height: {fi.height}\n  Offset: {offset}\n"
            f"  Bytes/pixel: {BYTES_PER_PIXEL[fi.file_type]}\n  File length: {file_length}\n")


def frames_to_read(fi: FileInfo, present: int) -> int:
    """How many slices ImageJ ends up with when ``present`` pixel bytes follow the offset.

    The first frame is always read (zero-filled if short); a later frame is
    dropped as soon as it meets the end of the data.
    """
    if fi.n_images <= 1:
        return 1
    return max(1, min(fi.n_images, present // frame_bytes(fi)))


def planar_frame_fails(fi: FileInfo, present: int) -> bool:
    """Planar RGB uses ``readFully``: a short first frame makes ImageJ's reader return null."""
    return fi.file_type == RGB_PLANAR and present < frame_bytes(fi)


def stack_shape(fi: FileInfo, present: int) -> tuple[int, int, int]:
    """The shape :func:`read_pixels` gives: (slices ImageJ keeps, height, width)."""
    return frames_to_read(fi, present), fi.height, fi.width


def check_size(fi: FileInfo, present: int, path: str) -> None:
    """Refuse, before allocating, an image far larger than the limit or than the bytes behind it."""
    n = frames_to_read(fi, present)
    limits.check_declared(n * fi.width * fi.height * np.dtype(STORAGE[fi.file_type]).itemsize, present, path)


def read_pixels(f: io.BufferedIOBase, fi: FileInfo, present: int, out: np.ndarray | None = None) -> np.ndarray:
    """The stack, shape (slices, height, width), in ImageJ's storage type.

    ``f`` is positioned anywhere; ``present`` is the number of bytes from
    ``fi.offset`` to the end of the data.  Callers check the size first
    (:func:`check_size`) and planar truncation (:func:`planar_frame_fails`).
    ``out``, when given, is where the pixels go (shape :func:`stack_shape`,
    type ``STORAGE``, C-contiguous): a series reads each file straight into
    its slice of the stack.  It is returned, filled.
    """
    shape, dtype = stack_shape(fi, present), STORAGE[fi.file_type]
    if out is None:
        out = np.empty(shape, dtype=dtype)
    elif out.shape != shape or out.dtype != dtype or not out.flags.c_contiguous:
        raise ValueError(f"cannot read {shape} {np.dtype(dtype)} pixels into a {out.shape} {out.dtype} array")
    f.seek(fi.offset)
    if fi.file_type in (RGB, RGB_PLANAR):
        got = _read_rgb(f, fi, out)
    else:
        got = _readinto(f, out.data.cast("B"))
        out.reshape(-1).view(np.uint8)[got:] = 0     # ImageJ's arrays start zeroed
        _convert_gray(out, fi)
    if got < frame_bytes(fi):   # only a short first frame gets here
        _clear_after_eof_buffer(out[0].reshape(-1), fi, got)
    return out


def _readinto(f: io.BufferedIOBase, buf: memoryview) -> int:
    """Fill ``buf`` from ``f`` until full or end of file; the byte count read."""
    total = 0
    while total < len(buf):
        n = f.readinto(buf[total:])
        if not n:
            break
        total += n
    return total


def _convert_gray(out: np.ndarray, fi: FileInfo) -> None:
    """Turn the raw bytes now in ``out`` into ImageJ's values, in place."""
    if fi.file_type in (GRAY8, COLOR8):
        return                                   # bytes as they are, whatever the byte order
    if fi.file_type in (GRAY16_SIGNED, GRAY16_UNSIGNED):
        if fi.little_endian != _NATIVE_LITTLE:
            out.byteswap(inplace=True)
        if fi.file_type == GRAY16_SIGNED:
            out ^= 0x8000                        # +32768 modulo 2**16
        return
    order = "<" if fi.little_endian else ">"
    if fi.file_type == GRAY32_FLOAT:
        if fi.little_endian != _NATIVE_LITTLE:
            out.byteswap(inplace=True)
        return
    ints = out.reshape(-1).view(order + ("u4" if fi.file_type == GRAY32_UNSIGNED else "i4"))
    flat = out.reshape(-1)
    step = _CHUNK // 4
    for start in range(0, flat.size, step):     # int -> float32 in place, one chunk at a time
        flat[start:start + step] = ints[start:start + step].astype(np.float32)


def _read_rgb(f: io.BufferedIOBase, fi: FileInfo, out: np.ndarray) -> int:
    """Read RGB frames through a small buffer and pack them; the bytes got for the first frame."""
    planar = fi.file_type == RGB_PLANAR
    first_got = 0
    for index in range(out.shape[0]):
        packed = out[index].reshape(-1).view(np.uint32)
        got = _read_planes(f, packed) if planar else _read_interleaved(f, packed)
        if index == 0:
            first_got = got
    return first_got


def _read_interleaved(f: io.BufferedIOBase, packed: np.ndarray) -> int:
    """R,G,B,R,G,B... into ``0xFFRRGGBB``; pixels past the end are packed from zeros."""
    pixels_per_step = max(1, _CHUNK // 3)
    buf = np.empty(3 * min(pixels_per_step, packed.size), dtype=np.uint8)
    got_total = 0
    for start in range(0, packed.size, pixels_per_step):
        count = min(pixels_per_step, packed.size - start)
        raw = buf[:3 * count]
        got = _readinto(f, raw.data)
        raw[got:] = 0
        got_total += got
        rgb = raw.reshape(count, 3).astype(np.uint32)
        packed[start:start + count] = _ALPHA | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    return got_total


def _read_planes(f: io.BufferedIOBase, packed: np.ndarray) -> int:
    """The R plane, then G, then B, each OR-ed into place."""
    packed[:] = _ALPHA
    step = min(_CHUNK, packed.size)
    buf = np.empty(step, dtype=np.uint8)
    got_total = 0
    for shift in (16, 8, 0):
        for start in range(0, packed.size, step):
            count = min(step, packed.size - start)
            raw = buf[:count]
            got = _readinto(f, raw.data)
            raw[got:] = 0
            got_total += got
            packed[start:start + count] |= raw.astype(np.uint32) << shift
    return got_total


def _clear_after_eof_buffer(pixels: np.ndarray, fi: FileInfo, got: int) -> None:
    """Zero what ImageJ never converted: every pixel after the buffer in which it hit EOF.

    ImageJ zero-fills the rest of that one buffer and converts it like real
    data; later buffers are never touched.  Its buffer is ``24*width`` bytes
    for RGB, else the frame size / 25 rounded down to 8192s (at least 8192).
    """
    nbytes = frame_bytes(fi)
    bpp = BYTES_PER_PIXEL[fi.file_type]
    if fi.file_type == RGB:
        buffer_size = 24 * fi.width
    else:
        buffer_size = max(8192, nbytes // 25 // 8192 * 8192)
    eof_buffer_end = min((got // buffer_size + 1) * buffer_size, nbytes)
    pixels[eof_buffer_end // bpp:] = 0
