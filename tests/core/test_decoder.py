"""The decoder's FileInfo (ImageJ's getFileInfo) and getInfo's failure rules."""

from __future__ import annotations

import os
import struct

import pytest

from bridge.errors import (CorruptHeaderError, MissingFileError, NotARegularFileError, NotDicomError,
                           UnsupportedTransferSyntaxError)
from bridge.core import decoder
from bridge.core import fileinfo as ft

from .dicom_bytes import EXPLICIT_BE, BE, dicom, element


def us(tag: int, value: int) -> bytes:
    return element(tag, "US", struct.pack("<H", value))


def image(*extra: bytes, pixels: bytes = b"\0" * 8) -> bytes:
    tags = sorted([us(0x00280010, 2), us(0x00280011, 2), *extra], key=lambda e: struct.unpack_from("<HH", e))
    return dicom(b"".join(tags) + element(0x7FE00010, "OW", pixels))


def decode(data: bytes) -> decoder.Decoded:
    return decoder.decode_bytes(data, "/data/x.dcm")


def test_a_plain_image():
    data = image(element(0x00080060, "CS", b"CT"), element(0x00280030, "DS", b"0.5\\0.25"),
                 element(0x00180050, "DS", b"2 "), element(0x00281050, "DS", b"100\\40"),
                 element(0x00281051, "DS", b"400 "), element(0x00281052, "DS", b"-1024 "),
                 element(0x00281053, "DS", b"1 "))
    d = decode(data)
    fi = d.fi
    assert d.error is None and fi is not None
    assert (fi.width, fi.height, fi.offset) == (2, 2, len(data) - 8)
    assert (fi.file_type, fi.little_endian, fi.n_images) == (ft.GRAY16_UNSIGNED, True, 1)
    assert (fi.pixel_width, fi.pixel_height, fi.pixel_depth, fi.unit) == (0.25, 0.5, 2.0, "mm")
    assert (fi.window_center, fi.window_width) == (40.0, 400.0)
    assert (fi.rescale_intercept, fi.rescale_slope, fi.modality) == (-1024.0, 1.0, "CT")
    assert (fi.file_name, fi.directory) == ("x.dcm", "/data/")
    assert d.info.endswith(f"7FE0,0010  Pixel Data: {fi.offset}\n")


@pytest.mark.parametrize("extra, file_type", [
    ((us(0x00280100, 8),), ft.GRAY8),
    ((us(0x00280100, 32),), ft.GRAY32_UNSIGNED),
    ((us(0x00280100, 32), us(0x00280103, 1)), ft.GRAY16_SIGNED),   # Pixel Representation wins
    ((us(0x00280100, 8), us(0x00280103, 1)), ft.GRAY16_SIGNED),
    ((us(0x00280100, 12),), ft.GRAY16_UNSIGNED),
    ((us(0x00280002, 3), element(0x00280004, "CS", b"RGB "), us(0x00280006, 1)), ft.RGB_PLANAR),
    ((us(0x00280002, 3), element(0x00280004, "CS", b"RGB ")), ft.RGB),
    ((us(0x00280002, 3), element(0x00280004, "CS", b"YBR_FULL")), ft.GRAY16_UNSIGNED),
])
def test_pixel_type_in_tag_order(extra, file_type):
    assert decode(image(*extra)).fi.file_type == file_type


def test_float_pixel_data_even_when_empty():
    data = dicom(us(0x00280010, 1) + us(0x00280011, 1) + element(0x7FE00008, "OF", b"")
                 + element(0x7FE00010, "OW", b"\0" * 4))
    assert decode(data).fi.file_type == ft.GRAY32_FLOAT


def test_palette_lut_keeps_high_bytes():
    lut = struct.pack("<3H", 0x0100, 0x0200, 0xFF00)
    d = decode(image(us(0x00280100, 8), element(0x00281201, "OW", lut), element(0x00281202, "OW", lut),
                     element(0x00281203, "OW", lut)))
    assert d.fi.file_type == ft.COLOR8 and d.fi.lut == (b"\1\2\xff",) * 3


@pytest.mark.parametrize("photometric, inverted", [(b"MONOCHROME1 ", True), (b"MONOCHROME1\0", False),
                                                   (b"MONOCHROME2 ", False)])
def test_white_is_zero_needs_space_padding(photometric, inverted):
    assert decode(image(element(0x00280004, "CS", photometric))).fi.white_is_zero is inverted


@pytest.mark.parametrize("spacing, accepted", [(b"0.5\\0.25", True), (b"\\0.25 ", False), (b"0\\1 ", False),
                                               (b"3 ", False), (b"-0.5\\0.25", True), (b"NaN\\1 ", True)])
def test_pixel_spacing_rule(spacing, accepted):
    assert (decode(image(element(0x00280030, "DS", spacing))).fi.unit == "mm") is accepted


@pytest.mark.parametrize("frames, n", [(b"3d", 3), (b"1A", 1), (b"0 ", 1), (b"", 1), (b"2.9 ", 2),
                                       (b"Infinity", 2**31 - 1)])
def test_number_of_frames_parsed_like_java(frames, n):
    assert decode(image(element(0x00280008, "IS", frames))).fi.n_images == n


def test_big_endian_file_info():
    body = BE.element(0x00080060, "CS", b"MR") + BE.element(0x00280010, "US", b"\0\2") \
        + BE.element(0x00280011, "US", b"\0\3") + BE.element(0x7FE00010, "OW", b"\0" * 12)
    fi = decode(dicom(body, EXPLICIT_BE)).fi
    assert (fi.width, fi.height, fi.little_endian) == (3, 2, False)


def test_no_rows_means_undecodable():
    d = decode(dicom(us(0x00280011, 2) + element(0x7FE00010, "OW", b"\0" * 4)))
    assert d.fi is None and isinstance(d.error, CorruptHeaderError)
    assert d.error.imagej_message == "Unable to decode DICOM header."
    assert "Pixel Data" in d.info


def test_compressed_keeps_the_meta_lines():
    d = decode(dicom(b"", "1.2.840.10008.1.2.4.50"))
    assert isinstance(d.error, UnsupportedTransferSyntaxError)
    assert d.info.endswith("0002,0010  Transfer Syntax UID: 1.2.840.10008.1.2.4.50\n")


def test_get_info_never_fails_on_bad_inputs(tmp_path):
    assert decoder.get_info(str(tmp_path / "missing.dcm")) == ""
    assert decoder.get_info(str(tmp_path)) == ""
    junk = tmp_path / "junk.dcm"
    junk.write_bytes(b"\x01" * 300)
    assert decoder.get_info(str(junk)) == ""


def test_decode_errors_name_the_file(tmp_path):
    missing = decoder.decode(str(tmp_path / "missing.dcm")).error
    assert isinstance(missing, MissingFileError) and "missing.dcm" in str(missing)
    folder = decoder.decode(str(tmp_path)).error
    assert isinstance(folder, NotARegularFileError)
    assert folder.imagej_message == f"Unsupported format or file not found:\n{tmp_path}"
    junk = tmp_path / "junk.dcm"
    junk.write_bytes(b"\x01" * 300)
    err = decoder.decode(str(junk)).error
    assert isinstance(err, NotDicomError) and str(junk) in str(err)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.dcm"
    os.mkfifo(fifo)
    assert isinstance(decoder.decode(str(fifo)).error, NotARegularFileError)


def test_file_and_bytes_agree(tmp_path):
    data = image(element(0x00100010, "PN", b"Name^X"))
    path = tmp_path / "a.dcm"
    path.write_bytes(data)
    from_file = decoder.decode(str(path))
    assert from_file.info == decoder.decode_bytes(data, str(path)).info == decoder.get_info(str(path))
    assert from_file.fi == decoder.decode_bytes(data, str(path)).fi
