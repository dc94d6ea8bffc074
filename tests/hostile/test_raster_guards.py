"""GIF, PNG and JPEG bombs: the jvm backend refuses a declared raster past max_image_bytes before Java decodes."""

import struct
import zlib

import pytest

import bridge
from bridge.errors import LimitExceededError

pytestmark = pytest.mark.jvm


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height)) if width * height < 10_000 else b"\0"
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b"\x3b"


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


@pytest.mark.parametrize("name, data", [("bomb.png", _png(60000, 60000)), ("bomb.gif", _gif(65535, 65535)),
                                        ("bomb.jpg", _jpeg(65000, 65000))])
def test_declared_raster_over_the_limit_is_refused_before_java(name, data, tmp_path):
    bridge.set_backend("jvm")
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LimitExceededError, match="max_image_bytes") as info:
        bridge.open(path)
    assert str(path) in str(info.value)
    assert bridge.IJ.openImage(path) is None and "max_image_bytes" in bridge.IJ.getErrorMessage()


def test_a_small_png_still_opens(tmp_path):
    bridge.set_backend("jvm")
    path = tmp_path / "small.png"
    path.write_bytes(_png(7, 5))
    imp = bridge.open(path)
    assert (imp.getWidth(), imp.getHeight()) == (7, 5)


@pytest.mark.parametrize("backend", ["jvm", "pydicom"])
def test_both_backends_refuse_the_same_bombs(backend, tmp_path):
    bridge.set_backend(backend)
    path = tmp_path / "bomb.gif"
    path.write_bytes(_gif(65535, 65535))
    with pytest.raises(LimitExceededError):
        bridge.open(path)
