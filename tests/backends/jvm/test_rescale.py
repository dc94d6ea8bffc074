"""Rescale Slope != 1 on the jvm backend gives the ImageJ GUI's result (behaviour notes §4.3).

Headless ImageJ cannot run the menu commands its DICOM reader uses for these files; the
companion supplies them.  Each test builds a file byte by byte and computes the expected
pixels in numpy from the same raw values: true value (signed data as signed, RGB as
(R+G+B)/3), then float32 multiply by the slope and float32 add of the intercept, as
ImageJ's FloatProcessor does.
"""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from dicom_bytes import dicom_file

from bridge.model import GRAY32

pytestmark = pytest.mark.jvm

SLOPE, INTERCEPT = 2.5, -10.0
CALIBRATION_NONE = 20


def true_values(pixels: np.ndarray) -> np.ndarray:
    """What ImageJ's calibrated conversion to 32-bit gives, before the rescale."""
    if pixels.ndim == 4:  # RGB: unweighted mean, computed in double then stored as float
        r, g, b = (pixels[..., c].astype(np.float64) for c in range(3))
        return (r * (1 / 3) + g * (1 / 3) + b * (1 / 3)).astype(np.float32)
    return pixels.astype(np.float32)


def rescaled(values: np.ndarray, slope: float = SLOPE, intercept: float = INTERCEPT) -> np.ndarray:
    return values * np.float32(slope) + np.float32(intercept)


def sample(dtype: str, frames: int = 1, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (frames, 6, 7)
    if dtype == "int16":
        return rng.integers(-3000, 3000, shape).astype(np.int16)
    if dtype == "uint16":
        return rng.integers(0, 4000, shape).astype(np.uint16)
    if dtype == "uint8":
        return rng.integers(0, 256, shape).astype(np.uint8)
    if dtype == "rgb":
        return rng.integers(0, 256, (*shape, 3)).astype(np.uint8)
    return rng.normal(100.0, 50.0, shape).astype(np.float32)


def open_built(tmp_path, jvm_backend, pixels, name="img.dcm", **tags):
    path = tmp_path / name
    path.write_bytes(dicom_file(pixels, **tags))
    return jvm_backend.open_image(str(path))


@pytest.mark.parametrize("dtype", ["int16", "uint16", "uint8", "rgb", "float32"])
def test_single_image_is_float_with_the_rescale_applied(tmp_path, jvm_backend, dtype):
    pixels = sample(dtype)
    imp = open_built(tmp_path, jvm_backend, pixels, slope="2.5", intercept="-10")
    values = true_values(pixels)
    np.testing.assert_array_equal(imp.data, rescaled(values))
    assert imp.image_type == GRAY32
    assert imp.calibration.function == CALIBRATION_NONE
    assert imp.calibration.valueUnit == "Gray Value"
    # One image keeps the display range it had before the rescale (8-bit and RGB: 0-255).
    low, high = (0.0, 255.0) if dtype in ("uint8", "rgb") else (values.min(), values.max())
    assert imp.display_range == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize("frames", [2, 4, 5])
def test_stack_display_range_is_that_of_slice_n_over_2_after_scaling(tmp_path, jvm_backend, frames):
    pixels = sample("int16", frames, seed=frames)
    imp = open_built(tmp_path, jvm_backend, pixels, slope="2.5", intercept="-10")
    expected = rescaled(true_values(pixels))
    np.testing.assert_array_equal(imp.data, expected)
    middle = expected[frames // 2 - 1]  # slice nSlices/2, 1-based
    assert imp.display_range == (middle.min(), middle.max())
    assert imp.current_slice == 1


@pytest.mark.parametrize(("dtype", "frames"), [("uint16", 1), ("uint16", 3), ("rgb", 1)])
def test_window_overrides_the_display_range(tmp_path, jvm_backend, dtype, frames):
    """On the float image: RGB pixels stay untouched (a window on RGB would rewrite them)."""
    pixels = sample(dtype, frames)
    imp = open_built(tmp_path, jvm_backend, pixels, slope="2.5", intercept="-10",
                     center="30\\40", width="300\\400")  # the second values count
    np.testing.assert_array_equal(imp.data, rescaled(true_values(pixels)))
    assert imp.display_range == (-160.0, 240.0)


def test_empty_slope_counts_as_zero(tmp_path, jvm_backend):
    imp = open_built(tmp_path, jvm_backend, sample("int16"), slope="", intercept="-10")
    assert imp.image_type == GRAY32
    assert np.all(imp.data == np.float32(INTERCEPT))


def test_zip_first_entry_gets_the_same_result(tmp_path, jvm_backend):
    pixels = sample("int16", 3)
    plain = open_built(tmp_path, jvm_backend, pixels, slope="2.5", intercept="-10")
    archive = tmp_path / "img.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("dir/img.dcm", dicom_file(pixels, slope="2.5", intercept="-10"))
    zipped = jvm_backend.open_image(str(archive))
    np.testing.assert_array_equal(zipped.data, plain.data)
    assert zipped.display_range == plain.display_range
    assert zipped.title == "img.dcm"


def test_slope_one_keeps_imagej_calibration(tmp_path, jvm_backend):
    pixels = sample("int16")
    imp = open_built(tmp_path, jvm_backend, pixels, slope="1", intercept="-10")
    assert imp.data.dtype == np.uint16
    np.testing.assert_array_equal(imp.data, pixels.astype(np.int32) + 32768)
    assert imp.calibration.coefficients == [INTERCEPT - 32768, 1.0]


def test_every_rescaled_open_is_quiet_and_repeatable(tmp_path, jvm_backend, capfd):
    """Headless ImageJ failed the first such file and printed "Unrecognized command" later."""
    pixels = sample("uint8")
    first = open_built(tmp_path, jvm_backend, pixels, name="a.dcm", slope="2.5", intercept="-10")
    second = open_built(tmp_path, jvm_backend, pixels, name="b.dcm", slope="2.5", intercept="-10")
    np.testing.assert_array_equal(first.data, second.data)
    out, err = capfd.readouterr()
    assert out == "" and "Unrecognized" not in err
