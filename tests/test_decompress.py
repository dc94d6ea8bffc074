"""decode="all": compressed files open as ImageJ opens their uncompressed equivalent.

The oracles are independent of bridge: the uncompressed twin opened the
ordinary way (lossless codecs must give its pixels exactly), and pydicom's
``pixel_array`` turned into ImageJ's storage by ImageJ's documented rules.
"""

from __future__ import annotations

import os
import sys
import warnings
import zipfile

import numpy as np
import pydicom
import pytest
from pydicom.uid import UID

import bridge
from bridge import compare, decompress
from bridge.errors import (CorruptHeaderError, LimitExceededError, PixelDecodeError,
                           UnsupportedTransferSyntaxError)
from tests.parity.cases import pydicom_test_files

FILES = pydicom_test_files()
ROUTED = sorted(name for name, path in FILES.items()
                if (uid := decompress.transfer_syntax(path)) and decompress.needs_decoding(uid))

#: lossless codecs: the decoded image must be the twin's, pixel for pixel
LOSSLESS_TWINS = {
    "MR_small_RLE.dcm": "MR_small.dcm",
    "MR_small_jp2klossless.dcm": "MR_small.dcm",
    "MR_small_jpeg_ls_lossless.dcm": "MR_small.dcm",
    "rtdose_rle.dcm": "rtdose.dcm",
    "rtdose_rle_1frame.dcm": "rtdose_1frame.dcm",
}

#: test files pydicom itself cannot decode (damaged stream, no Pixel Data)
UNDECODABLE = {"JPEG-lossy.dcm", "JPEG2000-embedded-sequence-delimiter.dcm", "UN_sequence.dcm"}


@pytest.fixture
def decode_all():
    bridge.configure(decode="all")
    yield
    bridge.configure(decode=None, isolate=None, decode_timeout=None, max_image_bytes=None)


def plugin_installed(path: str) -> bool:
    uid = decompress.transfer_syntax(path)
    return uid == decompress.DEFLATED or pydicom.pixels.get_decoder(uid).is_available


def quietly_read(path: str) -> pydicom.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(path)


def imagej_storage(ds: pydicom.Dataset, values: np.ndarray) -> np.ndarray:
    """pydicom's decoded array as ImageJ stores the uncompressed data (spec §4.1-4.2).

    Gray: 8-bit as is, signed 16-bit +32768, 32-bit as float32.  Colour is read
    as 8-bit RGB whatever the depth: ImageJ takes the first 3*W*H bytes of each
    frame's worth of the (little-endian) data.
    """
    frames = int(ds.get("NumberOfFrames") or 1)
    rows, cols = int(ds.Rows), int(ds.Columns)
    if int(ds.SamplesPerPixel) == 3:
        raw = values.astype(values.dtype.newbyteorder("<")).tobytes()
        return np.frombuffer(raw[:frames * rows * cols * 3], np.uint8).reshape(frames, rows, cols, 3)
    values = values.reshape(frames, rows, cols)
    if int(ds.BitsAllocated) == 8:
        return values.astype(np.uint8)
    if int(ds.BitsAllocated) == 32:
        return values.astype(np.float32)
    if int(ds.PixelRepresentation) == 1:
        return (values.astype(np.int32) + 32768).astype(np.uint16)
    return values.astype(np.uint16)


# --- the default stays ImageJ's -------------------------------------------------
def test_default_refuses_compressed_data_with_imagejs_message():
    assert bridge.IJ.openImage(FILES["MR_small_RLE.dcm"]) is None
    assert "ImageJ cannot open compressed DICOM images" in bridge.IJ.getErrorMessage()


def test_decode_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("BRIDGE_DECODE", "all")
    assert decompress.route(FILES["MR_small_RLE.dcm"]) == "1.2.840.10008.1.2.5"
    assert decompress.route(FILES["MR_small.dcm"]) is None     # uncompressed: ImageJ's own path
    monkeypatch.setenv("BRIDGE_DECODE", "everything")
    with pytest.raises(ValueError, match="BRIDGE_DECODE"):
        decompress.route(FILES["MR_small_RLE.dcm"])


def test_a_bad_keyword_value_leaves_the_settings_alone():
    with pytest.raises(ValueError, match="decode="):
        bridge.configure(decode="yes")
    assert bridge.config.settings().decode == "imagej"


# --- what decodes ------------------------------------------------------------------
@pytest.mark.parametrize("name", ROUTED)
def test_decodes_as_pydicom_in_imagej_storage(name, decode_all):
    """Every routed test file: pydicom's pixels in ImageJ's storage, or the typed error for pydicom's failure."""
    path = FILES[name]
    ds = quietly_read(path)
    uid = str(ds.file_meta.TransferSyntaxUID)
    if "PixelData" not in ds:
        with pytest.raises(CorruptHeaderError):
            bridge.open(path)
        return
    if not plugin_installed(path):
        with pytest.raises(UnsupportedTransferSyntaxError, match="pip install"):
            bridge.open(path)
        return
    try:
        expected = ds.pixel_array
    except Exception:
        with pytest.raises(PixelDecodeError, match=UID(uid).name.split(" (")[0]):
            bridge.open(path)
        return
    imp = bridge.open(path)
    assert imp.getTitle() == name
    assert np.array_equal(bridge.array(imp), imagej_storage(ds, expected))


@pytest.mark.parametrize("name", sorted(LOSSLESS_TWINS))
def test_lossless_codecs_give_the_twins_image(name, decode_all, each_backend):
    """Pixels, type, calibration and display range as the uncompressed twin, on both backends."""
    imp = bridge.open(FILES[name])
    twin = bridge.open(FILES[LOSSLESS_TWINS[name]])
    assert imp.data.dtype == twin.data.dtype and np.array_equal(imp.data, twin.data)
    assert (imp.getType(), imp.calibration, imp.display_range) == (twin.getType(), twin.calibration,
                                                                    twin.display_range)
    for tag in ("0008,0018", "0028,0010", "0028,0103", "0028,1050", "0020,0013"):
        assert bridge.DicomTools.getTag(imp, tag) == bridge.DicomTools.getTag(twin, tag)


def test_header_text_is_the_uncompressed_equivalents(decode_all):
    imp = bridge.open(FILES["SC_rgb_dcmtk_+eb+cy+np.dcm"])      # JPEG baseline, YBR_FULL_422
    assert bridge.DicomTools.getTag(imp, "0002,0010").strip(" \0") == decompress.EXPLICIT_LITTLE
    assert bridge.DicomTools.getTag(imp, "0028,0004").strip() == "RGB"
    original = quietly_read(FILES["SC_rgb_dcmtk_+eb+cy+np.dcm"])
    assert bridge.DicomTools.getTag(imp, "0008,0018").strip(" \0") == original.SOPInstanceUID
    assert imp.getOriginalFileInfo()["directory"] == os.path.dirname(FILES["MR_small.dcm"]) + "/"


@pytest.mark.jvm
@pytest.mark.parametrize("name", ROUTED)
def test_both_backends_agree_on_decoded_files(name, decode_all):
    a, b = (compare.snapshot(backend, FILES[name]) for backend in ("jvm", "pydicom"))
    assert compare.differences(a, b) == {}
    if name in UNDECODABLE or not plugin_installed(FILES[name]):
        assert not a["opened"]
    # An available plugin may still not cover the file (pillow and 12-bit JPEG without the GPL
    # libjpeg): then the failure must come with a reason, never a silent null.
    assert a["opened"] or a["error"]


# --- what does not ---------------------------------------------------------------
class _NoPlugin:
    is_available = False


def test_a_missing_plugin_names_the_syntax_and_the_pip_command(decode_all, monkeypatch):
    monkeypatch.setattr(pydicom.pixels, "get_decoder", lambda uid: _NoPlugin())
    path = FILES["MR_small_jp2klossless.dcm"]
    with pytest.raises(UnsupportedTransferSyntaxError) as caught:
        bridge.open(path)
    err = caught.value
    assert err.uid == "1.2.840.10008.1.2.4.90" and err.path == path
    assert "JPEG 2000" in str(err) and "pip install pylibjpeg pylibjpeg-openjpeg" in str(err)
    assert bridge.IJ.openImage(path) is None
    assert "pip install" in bridge.IJ.getErrorMessage()


def test_a_syntax_without_any_decoder(decode_all, tmp_path):
    ds = quietly_read(FILES["MR_small_jp2klossless.dcm"])
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.100"        # MPEG2
    path = str(tmp_path / "video.dcm")
    ds.save_as(path)
    with pytest.raises(UnsupportedTransferSyntaxError, match="no decoder exists for MPEG2") as caught:
        bridge.open(path)
    assert caught.value.uid == "1.2.840.10008.1.2.4.100"


def test_declared_size_is_checked_before_decoding(decode_all):
    bridge.configure(max_image_bytes=1000)
    with pytest.raises(LimitExceededError, match="max_image_bytes=1000"):
        bridge.open(FILES["MR_small_RLE.dcm"])                        # 64*64*2 bytes


def test_a_deflate_bomb_stops_at_the_budget(decode_all):
    bridge.configure(max_image_bytes=10_000)                          # image_dfl inflates to 262 kB
    with pytest.raises(LimitExceededError, match="inflates past"):
        bridge.open(FILES["image_dfl.dcm"])


def test_input_files_are_never_written(decode_all):
    path = FILES["SC_rgb_rle_2frame.dcm"]
    before = os.stat(path)
    bridge.open(path)
    after = os.stat(path)
    assert (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size)


# --- zip entries -----------------------------------------------------------------
def test_zip_entries_are_decoded_too(decode_all, tmp_path, each_backend):
    archive = tmp_path / "mr.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FILES["MR_small_RLE.dcm"], "mr_rle.dcm")
    imp = bridge.open(str(archive))
    assert imp.getTitle() == "mr_rle.dcm"
    assert np.array_equal(imp.data, bridge.open(FILES["MR_small.dcm"]).data)


# --- isolation -------------------------------------------------------------------
def test_isolated_decoding_gives_the_same_image(decode_all):
    direct = bridge.open(FILES["SC_rgb_rle_2frame.dcm"])
    bridge.configure(isolate=True)
    isolated = bridge.open(FILES["SC_rgb_rle_2frame.dcm"])
    assert np.array_equal(direct.data, isolated.data) and direct.info == isolated.info


def test_isolated_typed_errors_cross_the_process_boundary(decode_all):
    bridge.configure(isolate=True)
    with pytest.raises(CorruptHeaderError, match="no Pixel Data") as caught:
        bridge.open(FILES["UN_sequence.dcm"])
    assert caught.value.path == FILES["UN_sequence.dcm"]


def test_a_crashing_decoder_is_a_typed_error_not_a_dead_process(decode_all, monkeypatch):
    """The stand-in dereferences NULL, as a broken native decoder would (SIGSEGV)."""
    monkeypatch.setattr(decompress, "WORKER", (sys.executable, "-c", "import ctypes; ctypes.string_at(0)"))
    bridge.configure(isolate=True)
    with pytest.raises(PixelDecodeError, match="died .*SIGSEGV") as caught:
        bridge.open(FILES["MR_small_RLE.dcm"])
    assert caught.value.path == FILES["MR_small_RLE.dcm"]


def test_a_hanging_decoder_is_stopped(decode_all, monkeypatch):
    monkeypatch.setattr(decompress, "WORKER", (sys.executable, "-c", "import time; time.sleep(60)"))
    bridge.configure(isolate=True, decode_timeout=1.0)
    with pytest.raises(PixelDecodeError, match="decode_timeout=1"):
        bridge.open(FILES["MR_small_RLE.dcm"])


def test_isolate_flag_from_the_environment(monkeypatch):
    monkeypatch.setenv("BRIDGE_ISOLATE", "yes")
    assert bridge.config.settings().isolate is True
    monkeypatch.setenv("BRIDGE_ISOLATE", "0")
    assert bridge.config.settings().isolate is False
    monkeypatch.setenv("BRIDGE_ISOLATE", "maybe")
    with pytest.raises(ValueError, match="BRIDGE_ISOLATE"):
        bridge.config.settings()
