"""Calibration, display range and LUT rules (§4.3-§4.5), alone and against ImageJ."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bridge
from bridge.core import calibration as rules
from bridge.core.fileinfo import COLOR8, GRAY8 as FILE_GRAY8, GRAY16_SIGNED, GRAY16_UNSIGNED, FileInfo
from bridge.model import COLOR_RGB, GRAY8, GRAY16, GRAY32, NONE, STRAIGHT_LINE, Calibration

from . import cases


# --- processor rules ---------------------------------------------------------
def test_short_processor_clamps_then_truncates():
    plane = np.array([[3, 9]], dtype=np.uint16)
    assert rules.set_min_and_max(GRAY16, -21.5, 421.5, plane) == (0.0, 421.0)
    assert rules.set_min_and_max(GRAY16, 100.9, 70000.0, plane) == (100.0, 65535.0)
    assert rules.set_min_and_max(GRAY16, -150.0, -50.0, plane) == (0.0, -50.0)
    assert rules.set_min_and_max(GRAY16, math.nan, math.nan, plane) == (0.0, 0.0)
    assert rules.set_min_and_max(GRAY16, 0.0, 0.0, plane) == (3.0, 9.0)       # (0, 0) resets


def test_byte_processor_rounds_and_ignores_reversed_ranges():
    plane = np.zeros((1, 1), dtype=np.uint8)
    assert rules.set_min_and_max(GRAY8, 74.5, 125.5, plane) == (75.0, 126.0)
    assert rules.set_min_and_max(GRAY8, -2.5, 3.49, plane) == (-2.0, 3.0)
    assert rules.set_min_and_max(GRAY8, 10.0, 5.0, plane, current=(0.0, 255.0)) == (0.0, 255.0)


def test_float_processor_keeps_float32():
    plane = np.array([[1.5, math.nan, -2.0]], dtype=np.float32)
    lo, hi = rules.set_min_and_max(GRAY32, 0.1, 0.3, plane)
    assert (lo, hi) == (float(np.float32(0.1)), float(np.float32(0.3)))
    assert rules.set_min_and_max(GRAY32, 0.0, 0.0, plane) == (-2.0, 1.5)     # NaN skipped


def test_color_processor_rewrites_pixels():
    packed = np.array([0xFF00807F, 0xFFFF0010], dtype=np.uint32).view(np.int32)
    rules.apply_rgb_window(packed, 78.0, 178.0)
    assert [hex(v) for v in packed.view(np.uint32)] == ["0xff00807d", "0xffff0000"]  # 256*(v-78)/100
    assert rules.set_min_and_max(COLOR_RGB, 78.9, 178.9, packed) == (78.0, 178.0)


def test_java_conversions():
    assert rules.java_int(-0.9) == 0 and rules.java_int(1e20) == 2**31 - 1
    assert rules.java_round_int(-2.5) == -2 and rules.java_round_int(2.5) == 3
    assert rules.java_round_int(math.nan) == 0


# --- calibration -------------------------------------------------------------
def _fi(**kw) -> FileInfo:
    return FileInfo(width=1, height=1, offset=200, **kw)


@pytest.mark.parametrize("file_type,intercept,expected", [
    (GRAY16_SIGNED, 0.0, (STRAIGHT_LINE, [-32768.0, 1.0])),
    (GRAY16_SIGNED, -1024.0, (STRAIGHT_LINE, [-33792.0, 1.0])),
    (GRAY16_UNSIGNED, -1024.0, (STRAIGHT_LINE, [-1024.0, 1.0])),
    (GRAY16_UNSIGNED, 0.0, (NONE, None)),
    (FILE_GRAY8, -100.0, (STRAIGHT_LINE, [-100.0, 1.0])),
])
def test_value_calibration_with_slope_1(file_type, intercept, expected):
    fi = _fi(file_type=file_type, rescale_intercept=intercept)
    cal = rules.spatial(fi)
    rules.rescale_function(cal, fi)
    assert (cal.function, cal.coefficients) == expected
    assert cal.valueUnit == "Gray Value"


@pytest.mark.parametrize("image_type", [GRAY32, COLOR_RGB])
def test_32_bit_and_rgb_drop_the_value_function(image_type):
    cal = Calibration(function=STRAIGHT_LINE, coefficients=[-100.0, 1.0])
    rules.settle(cal, image_type)
    assert (cal.function, cal.coefficients, cal.valueUnit) == (NONE, None, "Gray Value")


def test_spatial_calibration_needs_a_positive_width_and_a_unit():
    cal = rules.spatial(_fi(pixel_width=0.25, pixel_height=-0.5, pixel_depth=0.0, unit="mm"))
    assert (cal.pixelWidth, cal.pixelHeight, cal.pixelDepth, cal.unit) == (0.25, -0.5, 0.0, "mm")
    assert rules.spatial(_fi(pixel_width=-0.25, unit="mm")).unit == "pixel"
    assert rules.spatial(_fi(pixel_width=0.25, pixel_depth=3.0)).pixelDepth == 1.0


def test_luts():
    assert rules.is_inverted(rules.base_lut(_fi(white_is_zero=True)))
    assert not rules.is_inverted(rules.base_lut(_fi()))
    palette = (bytes(range(256)), bytes(256), bytes(255, ) + b"\1")
    lut = rules.base_lut(_fi(file_type=COLOR8, lut=palette))
    assert rules.is_color(lut) and lut[0, 7] == 7
    short = rules.base_lut(_fi(file_type=COLOR8, lut=(b"\1\2", b"\3\4", b"\5\6")))
    assert short[:, :3].tolist() == [[1, 2, 0], [3, 4, 0], [5, 6, 0]]


# --- against ImageJ --------------------------------------------------------------
@pytest.mark.jvm
@pytest.mark.parametrize("name", sorted(cases.DISPLAY))
def test_calibration_and_display_match_imagej(name, write_file, assert_parity):
    assert_parity(write_file(f"{name}.dcm", cases.DISPLAY[name]()))


@pytest.mark.jvm
def test_window_examples_from_the_notes(write_file, pure_backend):
    imp = pure_backend.open_image(str(write_file("w.dcm", cases.DISPLAY["window_2_values_second_used"]())))
    assert imp.display_range == (750.0, 1250.0)
    nan = pure_backend.open_image(str(write_file("n.dcm", cases.DISPLAY["window_nan"]())))
    assert nan.display_range == (0.0, 0.0)
    neg = pure_backend.open_image(str(write_file("g.dcm", cases.DISPLAY["window_negative"]())))
    assert neg.display_range == (0.0, -50.0)


# --- rescale slope != 1: the GUI's 32-bit result -------------------------------
def _scaled(values: np.ndarray, slope: float = 2.5, intercept: float = -10.0) -> np.ndarray:
    """Multiply then add in float32, as FloatProcessor does."""
    out = values.astype(np.float32) * np.float32(slope)
    return out + np.float32(intercept) if intercept != 0.0 else out


def _rgb_gray(rgb: np.ndarray) -> np.ndarray:
    third = 1.0 / 3.0
    r, g, b = (rgb[..., i].astype(np.float64) for i in range(3))
    return (r * third + g * third + b * third).astype(np.float32)


GUI_RESULTS = {
    # name: (expected pixels (slices, rows, cols), display range)
    "slope_s16": (_scaled(cases.S16)[None], (float(cases.S16.min()), float(cases.S16.max()))),
    "slope_u16": (_scaled(cases.U16)[None], (float(cases.U16.min()), float(cases.U16.max()))),
    "slope_u8": (_scaled(cases.U8)[None], (0.0, 255.0)),
    "slope_rgb": (_scaled(_rgb_gray(cases.RGB8))[None], (0.0, 255.0)),
    "slope_u32": (_scaled(cases.U32.astype(np.float32))[None],
                  (float(cases.U32.astype(np.float32).min()), float(cases.U32.astype(np.float32).max()))),
    "slope_empty_is_zero": (np.full((1, 5, 7), -10.0, np.float32),
                            (float(cases.U16.min()), float(cases.U16.max()))),
    "slope_window": (_scaled(cases.S16)[None], (-50.0, 50.0)),
    "slope_stack": (np.stack([_scaled(cases.S16), _scaled(cases.S16 * 2), _scaled(cases.S16 // 2)]),
                    (float(_scaled(cases.S16).min()), float(_scaled(cases.S16).max()))),
}


@pytest.mark.parametrize("name", sorted(cases.SLOPE))
def test_rescale_slope_gives_the_gui_32_bit_result(name, write_file, pure_backend):
    imp = pure_backend.open_image(str(write_file(f"{name}.dcm", cases.SLOPE[name]())))
    expected_pixels, expected_display = GUI_RESULTS[name]
    assert imp.getType() == GRAY32 and imp.getBitDepth() == 32
    np.testing.assert_array_equal(imp.data, expected_pixels)
    assert imp.display_range == expected_display
    cal = imp.getCalibration()
    assert (cal.function, cal.coefficients, cal.valueUnit) == (NONE, None, "Gray Value")
    np.testing.assert_array_equal(bridge.calibrated_array(imp), expected_pixels.astype(np.float64))


def test_notes_example_p16s_slope(write_file, pure_backend):
    """§4.3: signed data −1000…900, slope 2.5, intercept −10 -> pixels −2510…2240, display −1000…900."""
    values = np.linspace(-1000, 900, 20).astype("<i2").reshape(4, 5)
    from tests.dicomgen import image_dicom
    imp = pure_backend.open_image(str(write_file("p16s_slope.dcm",
                                                 image_dicom(values, signed=True, rescale=("-10", "2.5")))))
    assert (float(imp.data.min()), float(imp.data.max())) == (-2510.0, 2240.0)
    assert imp.display_range == (-1000.0, 900.0)


@pytest.mark.jvm
@pytest.mark.parametrize("name", sorted(cases.SLOPE))
def test_rescale_slope_matches_imagej(name, write_file, assert_parity):
    assert_parity(write_file(f"{name}.dcm", cases.SLOPE[name]()))
