"""The facade on both backends: ImageJ's names, Python types, nulls and typed errors."""

import numpy as np
import pytest
from pydicom.data import get_testdata_file

import bridge
from bridge import DICOM, IJ, DicomTools

CT = get_testdata_file("CT_small.dcm")
MR = get_testdata_file("MR_small.dcm")


def test_seed_snippet(each_backend):
    imp = IJ.openImage(CT)
    assert DicomTools.getTag(imp, "0008,1030") == " e+1 "
    assert DicomTools.getTag(imp, "0020,0032") == " -158.135803\\-179.035797\\-75.699997"
    assert DicomTools.getTag(imp, "0028,0030") == " 0.661468\\0.661468 "
    assert DicomTools.getTag(IJ.openImage(MR), "0008,1030") is None


def test_values_are_python_types(each_backend):
    imp = IJ.openImage(CT)
    assert type(imp.getTitle()) is str and imp.getTitle() == "CT_small.dcm"
    assert type(imp.getWidth()) is int and imp.getWidth() == 128
    assert imp.getBitDepth() == 16 and imp.getType() == 1
    cal = imp.getCalibration()
    assert cal.getCoefficients() == [-33792.0, 1.0] and cal.getUnit() == "mm"
    assert type(cal.pixelWidth) is float
    pixels = imp.getProcessor().getPixels()
    assert isinstance(pixels, np.ndarray) and pixels.dtype == np.uint16 and pixels.shape == (128 * 128,)
    assert IJ.getFullVersion() == "1.53t99"


def test_array_and_calibrated_values(each_backend):
    imp = IJ.openImage(CT)
    stored = bridge.array(imp)
    assert stored.shape == (1, 128, 128) and stored.dtype == np.uint16
    stored[0, 0, 0] = 0
    assert imp.data[0, 0, 0] != 0, "array() must be a copy"
    import pydicom
    ds = pydicom.dcmread(CT)
    hu = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    before = imp.data.copy()
    values = bridge.calibrated_array(imp)
    np.testing.assert_array_equal(values[0], hu)
    assert values.flags.writeable and not np.shares_memory(values, imp.data)   # a new array, the image untouched
    assert np.array_equal(imp.data, before)


def test_null_cases_and_error_message(each_backend, tmp_path):
    assert IJ.openImage(tmp_path / "missing.dcm") is None
    assert IJ.getErrorMessage() is None  # ImageJ says nothing for a missing file
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(b"x" * 300)
    assert IJ.openImage(bad) is None
    message = IJ.getErrorMessage()
    assert message and "DICOM" in message
    assert IJ.getErrorMessage() is None  # reading clears it, as in ImageJ


def test_open_raises_typed_errors_naming_the_file(each_backend, tmp_path):
    with pytest.raises(bridge.MissingFileError) as info:
        bridge.open(tmp_path / "missing.dcm")
    assert "missing.dcm" in str(info.value)
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(b"x" * 300)
    with pytest.raises(bridge.DicomReadError) as info:
        bridge.open(bad)
    assert str(bad) in str(info.value) and info.value.imagej_message


def test_get_info_is_header_text_or_empty(each_backend, tmp_path):
    text = DICOM().getInfo(CT)
    assert text.startswith("0002,0000  ---: 192\n") and text.endswith("7FE0,0010  Pixel Data: 6300\n")
    assert DICOM().getInfo(str(tmp_path / "missing.dcm")) == ""


def test_string_property(each_backend):
    imp = IJ.openImage(CT)
    assert imp.getStringProperty("0008,0060") == " CT"
    assert imp.getStringProperty("Modality") == "CT"
    assert imp.getNumericProperty("0020,0013") == 1.0
