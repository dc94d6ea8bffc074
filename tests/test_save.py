"""Saving DICOM: open -> save -> open gives the same image, and pydicom's validation accepts the file."""

from __future__ import annotations

import hashlib
import os

import numpy as np
import pydicom
import pytest
from pydicom.config import RAISE, settings

import bridge
from bridge.errors import OverwriteError, SaveError
from bridge.model import COLOR_RGB, GRAY8, GRAY16, GRAY32, STRAIGHT_LINE, Calibration, ImagePlus
from tests.parity.cases import pydicom_test_files

FILES = pydicom_test_files()

#: one file per kind of image ImageJ builds: signed 16-bit with intercept, signed, unsigned with a
#: two-valued window, palette, RGB, planar big-endian RGB, 32-bit multi-frame, 8-bit YBR-as-gray
ROUND_TRIP = ["CT_small.dcm", "MR_small.dcm", "examples_overlay.dcm", "examples_palette.dcm",
              "examples_rgb_color.dcm", "ExplVR_BigEnd.dcm", "rtdose.dcm", "SC_ybr_full_422_uncompressed.dcm"]
#: what ImageJ made of these is no longer the file's encoding: 32-bit integers became float
#: (saved as Float Pixel Data), YBR was read as 8-bit gray; they become Secondary Capture
NEW_ENCODING = {"rtdose.dcm", "SC_ybr_full_422_uncompressed.dcm"}
#: tags that define the image, the same after the round trip whenever the SOP class is kept
IMAGE_TAGS = ["0028,0002", "0028,0004", "0028,0010", "0028,0011", "0028,0100", "0028,0101", "0028,0102",
              "0028,0103", "0028,0030", "0018,0050", "0028,1052", "0028,1053", "0008,0016", "0010,0010",
              "0020,000D", "0020,000E"]


def same_image(a: ImagePlus, b: ImagePlus) -> None:
    assert a.data.dtype == b.data.dtype and np.array_equal(a.data, b.data)
    assert (a.getType(), a.calibration, a.display_range) == (b.getType(), b.calibration, b.display_range)
    assert a.isInvertedLut() == b.isInvertedLut()
    assert (a.lut is None and b.lut is None) or np.array_equal(a.lut, b.lut)


def tags(imp: ImagePlus, ids: list[str]) -> dict[str, str | None]:
    return {tag: bridge.DicomTools.getTag(imp, tag) for tag in ids}


def valid(path: str) -> pydicom.Dataset:
    """pydicom reads the file back with every value validated (RAISE) and decodes its pixels."""
    saved = settings.reading_validation_mode
    settings.reading_validation_mode = RAISE
    try:
        ds = pydicom.dcmread(path)
        for _ in ds.iterall():
            pass
        assert ds.pixel_array.size > 0
        return ds
    finally:
        settings.reading_validation_mode = saved


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_open_save_open_gives_the_same_image(name, tmp_path, each_backend):
    imp = bridge.open(FILES[name])
    out = bridge.save_dicom(imp, tmp_path / name)
    back = bridge.open(out)
    same_image(imp, back)
    original, saved = pydicom.dcmread(FILES[name]), pydicom.dcmread(out)
    assert saved.SOPInstanceUID != original.SOPInstanceUID
    assert saved.StudyInstanceUID == original.StudyInstanceUID
    if name not in NEW_ENCODING:
        assert saved.SOPClassUID == original.SOPClassUID
        assert saved.SeriesInstanceUID == original.SeriesInstanceUID
        assert tags(back, IMAGE_TAGS) == tags(imp, IMAGE_TAGS)
    else:
        assert saved.SOPClassUID.name.endswith("Secondary Capture Image Storage")
        assert saved.SeriesInstanceUID != original.SeriesInstanceUID


@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small.dcm", "examples_palette.dcm",
                                  "examples_rgb_color.dcm", "SC_ybr_full_422_uncompressed.dcm"])
def test_pydicom_validation_accepts_the_file(name, tmp_path):
    ds = valid(bridge.save_dicom(bridge.open(FILES[name]), tmp_path / name))
    assert ds.file_meta.TransferSyntaxUID == pydicom.uid.ExplicitVRLittleEndian


def test_signed_data_goes_back_to_int16_with_the_intercept(tmp_path):
    imp = bridge.open(FILES["CT_small.dcm"])                  # ImageJ: stored + 32768, coefficients [-33792, 1]
    ds = pydicom.dcmread(bridge.save_dicom(imp, tmp_path / "ct.dcm"))
    original = pydicom.dcmread(FILES["CT_small.dcm"])
    assert ds.PixelRepresentation == 1 and float(ds.RescaleIntercept) == -1024.0
    assert np.array_equal(ds.pixel_array, original.pixel_array)
    assert ds[0x00281052].value == original[0x00281052].value      # the source's spelling is kept


def test_a_decoded_compressed_image_saves_uncompressed(tmp_path, each_backend):
    bridge.configure(decode="all")
    try:
        imp = bridge.open(FILES["MR_small_jp2klossless.dcm"])
    finally:
        bridge.configure(decode=None)
    back = bridge.open(bridge.save_dicom(imp, tmp_path / "mr.dcm"))   # opens without decode="all"
    same_image(imp, back)
    same_image(back, bridge.open(FILES["MR_small.dcm"]))


def test_edited_pixels_are_saved(tmp_path, each_backend):
    imp = bridge.open(FILES["MR_small.dcm"])
    imp.data[0, :8, :8] = 40000
    back = bridge.open(bridge.save_dicom(imp, tmp_path / "edited.dcm"))
    assert np.array_equal(back.data, imp.data) and back.data[0, 0, 0] == 40000


# --- computed images ----------------------------------------------------------------
def computed(image_type: int, data: np.ndarray, **kw) -> ImagePlus:
    return ImagePlus(title="computed", data=data, image_type=image_type, **kw)


RNG = np.random.default_rng(7)
COMPUTED = {
    "8-bit": lambda: computed(GRAY8, RNG.integers(0, 256, (1, 5, 7), dtype=np.uint8), display_range=(10.0, 200.0)),
    "16-bit signed": lambda: computed(
        GRAY16, RNG.integers(0, 65536, (1, 6, 4), dtype=np.uint16), display_range=(30000.0, 36000.0),
        calibration=Calibration(function=STRAIGHT_LINE, coefficients=[-33792.0, 1.0], pixelWidth=0.5,
                                pixelHeight=0.25, pixelDepth=2.0, unit="mm")),
    "32-bit stack": lambda: computed(GRAY32, RNG.normal(size=(3, 4, 5)).astype(np.float32),
                                     display_range=(-1.5, 2.0)),
    "RGB": lambda: computed(COLOR_RGB, (RNG.integers(0, 1 << 24, (2, 3, 3)) | -(1 << 24)).astype(np.int32),
                            display_range=(0.0, 255.0)),
}


@pytest.mark.parametrize("kind", sorted(COMPUTED))
def test_computed_images_round_trip_as_secondary_capture(kind, tmp_path, each_backend):
    imp = COMPUTED[kind]()
    out = bridge.save_dicom(imp, tmp_path / "computed.dcm")
    back = bridge.open(out)
    assert np.array_equal(back.data, imp.data) and back.getType() == imp.getType()
    assert back.calibration.coefficients == imp.calibration.coefficients
    assert (back.calibration.pixelWidth, back.calibration.pixelDepth) == (imp.calibration.pixelWidth,
                                                                          imp.calibration.pixelDepth)
    assert back.display_range == pytest.approx(imp.display_range, rel=1e-6)
    ds = valid(out)
    assert "Secondary Capture" in ds.SOPClassUID.name and ds.ConversionType == "WSD"


# --- never overwrite by accident ----------------------------------------------------
def digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@pytest.fixture
def own_copy(tmp_path):
    path = tmp_path / "mr.dcm"
    path.write_bytes(open(FILES["MR_small.dcm"], "rb").read())
    return str(path)


def test_the_source_is_never_replaced_unless_asked(own_copy):
    imp = bridge.open(own_copy)
    before = digest(own_copy)
    with pytest.raises(OverwriteError, match="own source"):
        bridge.IJ.saveAs(imp, "DICOM", own_copy)
    with pytest.raises(OverwriteError, match="overwrite=True"):
        bridge.save_dicom(imp, own_copy)
    assert digest(own_copy) == before
    bridge.save_dicom(imp, own_copy, overwrite=True)
    assert digest(own_copy) != before
    same_image(imp, bridge.open(own_copy))


def test_save_dicom_refuses_any_existing_file(tmp_path, own_copy):
    other = tmp_path / "other.dcm"
    other.write_bytes(b"keep me")
    with pytest.raises(OverwriteError):
        bridge.save_dicom(bridge.open(own_copy), other)
    assert other.read_bytes() == b"keep me"


def test_ij_save_as_follows_imagej(tmp_path, own_copy):
    imp = bridge.open(own_copy)
    assert bridge.IJ.saveAs(imp, "dicom", tmp_path / "out.png") == str(tmp_path / "out.dcm")
    assert bridge.IJ.saveAs(imp, "DICOM", tmp_path / "series.1") == str(tmp_path / "series.1.dcm")
    bridge.IJ.saveAs(imp, "DICOM", tmp_path / "out.dcm")      # ImageJ replaces other files
    with pytest.raises(SaveError, match='only "DICOM"'):
        bridge.IJ.saveAs(imp, "tiff", tmp_path / "out.tif")


def test_a_failed_save_leaves_nothing_behind(tmp_path, own_copy):
    with pytest.raises(SaveError, match="missing"):
        bridge.save_dicom(bridge.open(own_copy), tmp_path / "missing" / "out.dcm")
    assert sorted(os.listdir(tmp_path)) == ["mr.dcm"]


@pytest.fixture
def umask():
    """Set the process umask for one test (it is process-wide: restored afterwards)."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield os.umask
    os.umask(saved)


def mode(path) -> int:
    return os.stat(path).st_mode & 0o777


@pytest.mark.parametrize(("mask", "expected"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_a_new_file_gets_the_users_umask(tmp_path, own_copy, umask, mask, expected):
    umask(mask)
    assert mode(bridge.save_dicom(bridge.open(own_copy), tmp_path / "new.dcm")) == expected


@pytest.mark.parametrize("kept", [0o600, 0o640, 0o444])
def test_a_replaced_file_keeps_its_mode(tmp_path, own_copy, umask, kept):
    umask(0o022)
    target = tmp_path / "patient.dcm"
    target.write_bytes(b"old")
    os.chmod(target, kept)
    bridge.save_dicom(bridge.open(own_copy), target, overwrite=True)
    assert mode(target) == kept and target.read_bytes() != b"old"
    os.chmod(own_copy, 0o600)
    bridge.save_dicom(bridge.open(own_copy), own_copy, overwrite=True)    # the source itself too
    assert mode(own_copy) == 0o600


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), MemoryError(), OSError(28, "No space left on device")])
def test_an_interrupted_save_leaves_the_old_file_and_nothing_else(tmp_path, own_copy, monkeypatch, interruption):
    target = tmp_path / "patient.dcm"
    target.write_bytes(b"keep me")
    imp = bridge.open(own_copy)

    def half_written(out, ds, **kwargs):
        out.write(b"\0" * 4096)
        raise interruption

    monkeypatch.setattr(pydicom, "dcmwrite", half_written)
    expected = SaveError if isinstance(interruption, Exception) else type(interruption)
    with pytest.raises(expected):
        bridge.save_dicom(imp, target, overwrite=True)
    assert target.read_bytes() == b"keep me"
    assert sorted(os.listdir(tmp_path)) == ["mr.dcm", "patient.dcm"]


def test_a_folder_is_never_a_target(tmp_path, own_copy):
    for overwrite in (False, True):
        with pytest.raises(SaveError, match="is a directory"):
            bridge.save_dicom(bridge.open(own_copy), tmp_path, overwrite=overwrite)
