"""Pixel reading: ImageReader's byte rules, truncation and limits (§4.1, §4.2)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from bridge import configure
from bridge.core import pixels
from bridge.core.fileinfo import (COLOR8, GRAY8, GRAY16_SIGNED, GRAY16_UNSIGNED, GRAY32_INT,
                                           GRAY32_UNSIGNED, RGB, RGB_PLANAR, FileInfo)
from bridge.errors import LimitExceededError, TruncatedError

from . import cases


def read(raw: bytes, file_type: int, width: int, height: int, *, n: int = 1, little: bool = True,
         offset: int = 4) -> np.ndarray:
    """Read ``raw`` placed at ``offset`` in an in-memory file."""
    fi = FileInfo(width=width, height=height, offset=offset, n_images=n, file_type=file_type,
                  little_endian=little)
    data = b"\xAA" * offset + raw
    return pixels.read_pixels(io.BytesIO(data), fi, len(raw))


def test_signed_16_bit_is_stored_plus_32768_without_masking():
    values = np.array([-32768, -1, 0, 1, 0x7123], dtype="<i2")
    out = read(values.tobytes(), GRAY16_SIGNED, 5, 1)
    assert out.dtype == np.uint16
    assert out.reshape(-1).tolist() == [0, 32767, 32768, 32769, 0x7123 + 32768]


def test_16_bit_follows_the_byte_order():
    out = read(b"\x12\x34\xF1\x23", GRAY16_UNSIGNED, 2, 1, little=False)
    assert out.reshape(-1).tolist() == [0x1234, 0xF123]


def test_8_bit_is_never_swapped_even_big_endian():
    out = read(b"\x01\x02\x03\x04", GRAY8, 4, 1, little=False)
    assert out.reshape(-1).tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize("file_type,dtype", [(GRAY32_UNSIGNED, "<u4"), (GRAY32_INT, "<i4")])
def test_32_bit_integers_become_float32(file_type, dtype):
    values = np.array([0, 1, 2**24 + 1, 2**31 + 5, 7], dtype=np.int64).astype(dtype)
    out = read(values.tobytes(), file_type, 5, 1)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.reshape(-1), values.astype(np.float32))
    assert out.reshape(-1)[2] == 2**24          # precision lost as in Java's (float)


def test_rgb_interleaved_and_planar_pack_with_alpha():
    inter = read(bytes([1, 2, 3, 4, 5, 6]), RGB, 2, 1)
    planar = read(bytes([1, 4, 2, 5, 3, 6]), RGB_PLANAR, 2, 1)
    expected = np.array([0xFF010203, 0xFF040506], dtype=np.uint32).view(np.int32)
    assert inter.dtype == np.int32
    np.testing.assert_array_equal(inter.reshape(-1), expected)
    np.testing.assert_array_equal(planar.reshape(-1), expected)


def test_color8_reads_indices():
    assert read(bytes([9, 200]), COLOR8, 2, 1).reshape(-1).tolist() == [9, 200]


def test_short_single_frame_converts_only_the_buffer_that_met_eof():
    # 300x300 16-bit = 180000 bytes -> ImageJ buffer 180000/25 = 7200 -> 8192 bytes.
    raw = np.full(300 * 300, 5, dtype="<i2").tobytes()[:10000]
    out = read(raw, GRAY16_SIGNED, 300, 300).reshape(-1)
    assert (out[:5000] == 32773).all()
    assert (out[5000:8192] == 32768).all()       # zeros of the last read buffer, +32768
    assert (out[8192:] == 0).all()               # never read


def test_short_rgb_buffer_is_24_rows_of_bytes():
    raw = bytes(range(1, 31))                    # 10 pixels of a 4-wide image: buffer = 96 bytes = 32 px
    out = read(raw, RGB, 4, 20).reshape(-1).view(np.uint32)
    assert out[9] == 0xFF1C1D1E
    assert (out[10:32] == 0xFF000000).all()
    assert (out[32:] == 0).all()


def test_multiframe_keeps_complete_frames_and_drops_the_rest():
    frames = np.arange(3 * 6, dtype="<u2").reshape(3, 2, 3)
    raw = frames.tobytes()[:2 * 12 + 5]
    out = read(raw, GRAY16_UNSIGNED, 3, 2, n=3)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out, frames[:2])


def test_multiframe_with_less_than_one_frame_keeps_one_zero_filled_frame():
    out = read(b"\x05\x00", GRAY16_UNSIGNED, 3, 2, n=4)
    assert out.shape == (1, 2, 3)
    assert out.reshape(-1).tolist() == [5, 0, 0, 0, 0, 0]


def test_validation_message_is_fileopeners():
    fi = FileInfo(width=512, height=512, offset=4316, file_type=GRAY16_UNSIGNED)
    assert pixels.validation_error(fi, 37084) == (
        "FileInfo parameter error. \nOffset + image size > file length.\n \n"
        "  Width: 512\n  Height: 512\n  Offset: 4316\n  Bytes/pixel: 2\n  File length: 37084\n")
    assert pixels.validation_error(FileInfo(width=512, height=512, offset=999), 1000) is None
    quarter = FileInfo(width=100, height=100, offset=2000, file_type=GRAY16_UNSIGNED)
    assert pixels.validation_error(quarter, 2000 + 5000) is None
    assert pixels.validation_error(quarter, 2000 + 4999) is not None
    stack = FileInfo(width=100, height=100, offset=2000, n_images=3, file_type=GRAY16_UNSIGNED)
    assert pixels.validation_error(stack, 2000 + 20000) is None
    assert pixels.validation_error(stack, 2000 + 19999) is not None


def test_refuses_images_beyond_the_limit_before_allocating():
    fi = FileInfo(width=60000, height=60000, offset=200, file_type=GRAY16_UNSIGNED)
    with pytest.raises(LimitExceededError, match="max_image_bytes"):
        pixels.check_size(fi, 60000 * 60000 * 2, "/x.dcm")
    small = FileInfo(width=4000, height=4000, offset=200, file_type=GRAY16_UNSIGNED)
    with pytest.raises(LimitExceededError, match="only 1000 pixel bytes"):
        pixels.check_size(small, 1000, "/x.dcm")
    pixels.check_size(small, 4000 * 4000 * 2 // 64 + 1, "/x.dcm")


def test_limit_is_configurable(write_file, pure_backend):
    path = write_file("a.dcm", cases.PIXELS["u16"]())
    configure(max_image_bytes=10)
    try:
        with pytest.raises(LimitExceededError) as info:
            pure_backend.open_image(str(path))
        assert str(path) in str(info.value)
    finally:
        configure(max_image_bytes=None)


# --- the same files through ImageJ ---------------------------------------------
@pytest.mark.jvm
@pytest.mark.parametrize("name", sorted(cases.PIXELS))
def test_pixel_layouts_match_imagej(name, write_file, assert_parity):
    assert_parity(write_file(f"{name}.dcm", cases.PIXELS[name]()))


@pytest.mark.jvm
@pytest.mark.parametrize("name", sorted(cases.TRUNCATED))
def test_truncated_files_match_imagej(name, write_file, assert_parity):
    imp = assert_parity(write_file(f"{name}.dcm", cases.TRUNCATED[name]()))
    assert not isinstance(imp, Exception)


@pytest.mark.jvm
@pytest.mark.parametrize("name", sorted(cases.TRUNCATED_FAILING))
def test_too_short_files_fail_with_fileopeners_message(name, write_file, pure_backend, jvm_backend):
    path = write_file(f"{name}.dcm", cases.TRUNCATED_FAILING[name]())
    with pytest.raises(TruncatedError) as info:
        pure_backend.open_image(str(path))
    with pytest.raises(TruncatedError) as imagej:  # ImageJ shows FileOpener's message, then throws
        jvm_backend.open_image(str(path))
    assert info.value.imagej_message == imagej.value.imagej_message
    assert info.value.imagej_message.startswith("FileInfo parameter error.")
