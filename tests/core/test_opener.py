"""``IJ.openImage`` routing, titles, nulls and zips (§1, §5, §10, §12)."""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path

import numpy as np
import pytest

import bridge
from bridge.core import opener
from bridge.errors import (ArchiveError, FetchError, LimitExceededError, MissingFileError, NotARegularFileError,
                           NotDicomError, TruncatedError)
from tests.dicomgen import IMPLICIT_LE, image_dicom, write_zip

from . import cases

DICM = b"\0" * 128 + b"DICM"


@pytest.mark.parametrize("head,name,expected", [
    (b"II\0\0" + bytes(124) + b"DICM", "x.tif", "dicom"),      # GE Senographe TIFF+DICOM
    (b"II*\0" + bytes(128), "x.dcm", "tiff"),
    (b"\xff\xd8\xff" + bytes(125) + b"DICM", "x.dcm", "jpeg"),
    (b"GIF8" + bytes(124) + b"DICM", "x.dcm", "gif"),
    (DICM, "x.txt", "dicom"),
    (bytes(132), "x.DCM", "dicom"),
    (b"\x08\x00\x05\x00" + bytes(128), "4950", "dicom"),        # ACR-NEMA start, no extension
    (b"\x02\x00\x05\x00" + bytes(128), "fid", "unknown"),
    (b"\x08\x00\x05\x00" + bytes(128), "x.spe", "unknown"),
    (b"PK\3\4" + bytes(128), "a.ZIP", "zip"),
    (b"hello world, this is text" + bytes(107), "notes", "text"),
    (bytes(132), "x.bin", "unknown"),
])
def test_sniff_follows_imagej_order(head, name, expected):
    assert opener.sniff(head, name) == expected


def test_split_path_is_opendialogs():
    assert opener.split_path("/data/ct/CT_small.dcm") == ("/data/ct/", "CT_small.dcm")
    assert opener.split_path("CT_small.dcm") == ("", "CT_small.dcm")
    assert opener.split_path("/x.dcm") == ("", "/x.dcm")        # a slash at 0 does not split


def test_missing_file_is_silent(tmp_path, pure_backend):
    with pytest.raises(MissingFileError) as info:
        pure_backend.open_image(str(tmp_path / "missing.dcm"))
    assert info.value.imagej_message is None
    assert str(tmp_path / "missing.dcm") in str(info.value)


def test_directory_gives_imagejs_message(tmp_path, pure_backend):
    with pytest.raises(NotARegularFileError) as info:
        pure_backend.open_image(str(tmp_path))
    assert info.value.imagej_message == f"Unsupported format or file not found:\n{tmp_path}"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path, pure_backend):
    fifo = tmp_path / "pipe.dcm"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFileError):
        pure_backend.open_image(str(fifo))


def test_urls_are_a_typed_error_for_now(pure_backend):
    with pytest.raises(FetchError):
        pure_backend.open_image("https://example.org/x.dcm")


def test_facade_returns_none_and_keeps_the_message(tmp_path):
    bridge.set_backend("pydicom")
    try:
        assert bridge.IJ.openImage(str(tmp_path)) is None
        assert bridge.IJ.getErrorMessage().startswith("Unsupported format or file not found:")
    finally:
        bridge.set_backend(None)


# --- titles and DICOM files, against ImageJ ---------------------------------------
@pytest.mark.jvm
@pytest.mark.parametrize("name", ["good.DCM", "4950", "dicm.txt", "CT.dcm"])
def test_titles_and_routes_match_imagej(name, write_file, assert_parity):
    data = cases.PIXELS["u16"]() if name != "4950" else image_dicom(cases.U16, preamble=False, meta=False,
                                                                     ts=IMPLICIT_LE)
    imp = assert_parity(write_file(name, data))
    assert imp.getTitle() == name


@pytest.mark.jvm
@pytest.mark.parametrize("name", sorted(cases.FAILING))
def test_refusals_match_imagej(name, write_file, assert_parity):
    err = assert_parity(write_file(f"{name}.dcm", cases.FAILING[name]()))
    assert isinstance(err, bridge.DicomReadError)


PYDICOM_FILES = sorted(glob.glob(os.path.join(os.path.dirname(__import__("pydicom").__file__),
                                              "data", "test_files", "*.dcm")))
# ImageJ throws on these (Java exceptions, not messages): checked separately.
THROWING = {"image_dfl.dcm", "liver_1frame.dcm", "liver_expb_1frame.dcm"}


@pytest.mark.jvm
@pytest.mark.parametrize("path", [p for p in PYDICOM_FILES if os.path.basename(p) not in THROWING],
                         ids=os.path.basename)
def test_pydicom_test_files_match_imagej(path, assert_parity):
    assert_parity(Path(path))


@pytest.mark.jvm
def test_liver_1frame_fails_like_imagej(pure_backend):
    path = next(p for p in PYDICOM_FILES if p.endswith("liver_1frame.dcm"))
    with pytest.raises(TruncatedError) as info:
        pure_backend.open_image(path)
    assert info.value.imagej_message == (
        "FileInfo parameter error. \nOffset + image size > file length.\n \n  Width: 512\n"
        "  Height: 512\n  Offset: 4316\n  Bytes/pixel: 2\n  File length: 37084\n")


# --- zips ------------------------------------------------------------------------------
@pytest.fixture
def no_leftover_temp_files():
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "bridge-zip-*")))
    yield
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "bridge-zip-*"))) == before


@pytest.mark.jvm
def test_zip_first_entry_is_decoded(tmp_path, assert_parity, no_leftover_temp_files):
    path = write_zip(tmp_path / "two.zip", [("sub/a.dcm", cases.PIXELS["s16"]()),
                                            ("b.dcm", cases.PIXELS["u8"]())])
    imp = assert_parity(path)
    assert imp.getTitle() == "a.dcm"
    assert imp.getBitDepth() == 16
    assert imp.getOriginalFileInfo()["fileFormat"] == 7
    assert imp.getOriginalFileInfo()["fileName"] == "two.zip"


@pytest.mark.jvm
@pytest.mark.parametrize("entry,data", [
    ("a.DCM", cases.PIXELS["u16"]()),                 # the .dcm test is case-sensitive
    ("a.txt", b"text"),
])
def test_zip_without_dcm_first_entry(tmp_path, entry, data, assert_parity):
    path = write_zip(tmp_path / "x.zip", [(entry, data), ("b.dcm", cases.PIXELS["u16"]())])
    err = assert_parity(path)
    assert isinstance(err, ArchiveError)
    assert err.imagej_message == f"This ZIP archive does not contain a TIFF or DICOM file, or ROIs:\n   {path}"


@pytest.mark.jvm
@pytest.mark.parametrize("name", ["compressed", "not_dicom", "no_rows"])
def test_failing_zip_entry_gives_an_empty_image(tmp_path, name, assert_parity):
    imp = assert_parity(write_zip(tmp_path / "x.zip", [("a.dcm", cases.FAILING[name]())]))
    assert (imp.getTitle(), imp.getWidth(), imp.getHeight(), imp.getStackSize()) == ("null", 0, 0, 1)


@pytest.mark.jvm
@pytest.mark.parametrize("header_bytes", [399_000, 400_100])
def test_zip_header_must_fit_in_imagejs_400000_byte_mark(tmp_path, header_bytes, assert_parity):
    data = image_dicom(cases.U16, extra=[(0x00091010, "OB", b"\0" * header_bytes)])
    imp = assert_parity(write_zip(tmp_path / "x.zip", [("a.dcm", data)]))
    assert imp.getWidth() == (7 if header_bytes < 400_000 else 0)


@pytest.mark.jvm
def test_truncated_entry_in_zip_opens_zero_filled(tmp_path, assert_parity):
    """§12: the same bytes that fail on disk open from a zip (no length check on streams)."""
    data = cases.TRUNCATED_FAILING["single_quarter_rule"]()
    imp = assert_parity(write_zip(tmp_path / "x.zip", [("a.dcm", data)]))
    assert imp.getWidth() == 7 and int(imp.data.reshape(-1)[-1]) == 0


@pytest.mark.jvm
def test_planar_truncation_in_zip_reports_the_null_pointer(tmp_path, assert_parity):
    data = image_dicom(np.zeros((5, 7, 3), "u1"), samples=3, photometric="RGB", planar=1, keep_bytes=50)
    err = assert_parity(write_zip(tmp_path / "x.zip", [("a.dcm", data)]))
    assert "NullPointerException" in err.imagej_message


def test_zip_inflation_has_a_budget(tmp_path, pure_backend, no_leftover_temp_files):
    path = write_zip(tmp_path / "bomb.zip", [("a.dcm", bytes(3_000_000))])
    bridge.configure(max_image_bytes=1_000_000)
    try:
        with pytest.raises(LimitExceededError) as info:
            pure_backend.open_image(str(path))
        assert info.value.entry == "a.dcm"
    finally:
        bridge.configure(max_image_bytes=None)


def test_non_zip_and_empty_zip_are_silent(tmp_path, pure_backend):
    (tmp_path / "fake.zip").write_bytes(b"not a zip at all" * 10)
    empty = write_zip(tmp_path / "empty.zip", [])
    for path in (tmp_path / "fake.zip", empty):
        with pytest.raises(ArchiveError) as info:
            pure_backend.open_image(str(path))
        assert info.value.imagej_message is None


def test_tiff_in_zip_is_not_for_this_backend(tmp_path, pure_backend):
    with pytest.raises(NotDicomError):
        pure_backend.open_image(str(write_zip(tmp_path / "t.zip", [("a.tif", b"II*\0")])))


# --- what scripts get out ----------------------------------------------------------
@pytest.mark.jvm
def test_array_axis_order_and_values(write_file, pure_backend):
    rgb = pure_backend.open_image(str(write_file("rgb.dcm", cases.PIXELS["rgb_interleaved"]())))
    assert bridge.array(rgb).shape == (1, 5, 7, 3)
    np.testing.assert_array_equal(bridge.array(rgb)[0], cases.RGB8)
    signed = pure_backend.open_image(str(write_file("s.dcm", cases.DISPLAY["intercept_s16"]())))
    assert bridge.array(signed).shape == (1, 5, 7)
    np.testing.assert_array_equal(bridge.calibrated_array(signed)[0], cases.S16.astype(np.float64) - 1024)
    stack = pure_backend.open_image(str(write_file("m.dcm", cases.PIXELS["multiframe"]())))
    assert bridge.array(stack).shape == (3, 5, 7)
    np.testing.assert_array_equal(bridge.array(stack)[1], cases.U16 * 2)
