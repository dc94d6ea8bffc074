"""ImageJ 1.53t's pixel arithmetic and type conversion rules, without Java (values worked out from its source)."""

from __future__ import annotations

import numpy as np

from bridge.core import pixelmath as pm
from bridge.core import typeconvert
from bridge.core.commands import Session, run
from bridge.core.imagetypes import GRAY8, GRAY16, GRAY32
from bridge.core.statistics import Region
from bridge.model import Calibration, ImagePlus

WHOLE = Region(0, 0, 3, 1)


def test_byte_multiply_rounds_half_up_and_clamps() -> None:
    plane = np.array([[3, 100, 200]], dtype=np.uint8)
    pm.apply(plane, GRAY8, pm.MULT, 1.5, display_range=(0, 255), signed16=False, region=WHOLE)
    assert plane.tolist() == [[5, 150, 255]]            # 4.5 -> 5 (Math.round), 300 -> 255


def test_signed_16_bit_works_on_true_values() -> None:
    """-32768 + raw: Abs of -5 is 5, stored back with the offset."""
    plane = np.array([[32768 - 5, 32768 + 7, 32768]], dtype=np.uint16)
    pm.apply(plane, GRAY16, pm.ABS, 0.0, display_range=(0, 65535), signed16=True, region=WHOLE)
    assert plane.tolist() == [[32773, 32775, 32768]]


def test_float_division_by_zero_gives_infinities_and_nan() -> None:
    imp = ImagePlus("f", np.array([[[-2.0, 0.0, 3.0]]], dtype=np.float32), GRAY32, display_range=(-2.0, 3.0))
    run(imp, "Divide...", "value=0", Session())
    assert np.isneginf(imp.data[0, 0, 0]) and np.isnan(imp.data[0, 0, 1]) and np.isposinf(imp.data[0, 0, 2])


def test_integer_division_by_zero_changes_nothing() -> None:
    imp = ImagePlus("b", np.array([[[1, 2, 3]]], dtype=np.uint8), GRAY8, display_range=(0, 255))
    run(imp, "Divide...", "value=0", Session())
    assert imp.data.tolist() == [[[1, 2, 3]]]


def test_scaled_16_to_8_bit_maps_the_display_range() -> None:
    plane = np.array([[100, 150, 355]], dtype=np.uint16)
    assert typeconvert.to_byte(plane, GRAY16, (100, 355), True, typeconvert.UNWEIGHTED).tolist() == [[0, 50, 255]]
    assert typeconvert.to_byte(plane, GRAY16, (100, 355), False, typeconvert.UNWEIGHTED).tolist() == [[100, 150, 255]]


def test_32_bit_keeps_calibrated_values_and_range() -> None:
    cal = Calibration(function=0, coefficients=[-1024.0, 1.0])
    imp = ImagePlus("ct", np.array([[[1000, 1024, 2048]]], dtype=np.uint16), GRAY16, calibration=cal,
                    display_range=(1000.0, 2048.0))
    run(imp, "32-bit", "", Session())
    assert imp.data.tolist() == [[[-24.0, 0.0, 1024.0]]]
    assert imp.display_range == (-24.0, 1024.0)
    assert imp.getCalibration().getFunction() == 20         # NONE: the values are the HU now


def test_conversions_session_choice_is_used() -> None:
    session = Session()
    run(None, "Conversions...", " ", session)
    assert not session.scale_conversions
    imp = ImagePlus("s", np.array([[[100, 300, 70000 - 65536]]], dtype=np.uint16), GRAY16, display_range=(0, 400))
    run(imp, "8-bit", "", session)
    assert imp.data.tolist() == [[[100, 255, 255]]]


def test_pseudo_colour_lut_is_a_smooth_one() -> None:
    from bridge.core.commands.conversions import is_pseudo_color
    ramp = np.tile(np.arange(256, dtype=np.uint8), (3, 1))
    assert is_pseudo_color(ramp)
    assert not is_pseudo_color(np.random.default_rng(1).integers(0, 256, (3, 256)).astype(np.uint8))


def test_unknown_option_is_refused() -> None:
    import pytest

    from bridge.errors import ScriptError
    imp = ImagePlus("b", np.zeros((1, 2, 2), dtype=np.uint8), GRAY8, display_range=(0, 255))
    with pytest.raises(ScriptError, match='unrecognized option "valeu"'):
        run(imp, "Add...", "valeu=3", Session())


def test_gamma_outside_imagej_range_is_an_error() -> None:
    import pytest

    from bridge.errors import ScriptError
    imp = ImagePlus("b", np.zeros((1, 2, 2), dtype=np.uint8), GRAY8, display_range=(0, 255))
    with pytest.raises(ScriptError, match="Gamma must be between 0.05 and 5.0"):
        run(imp, "Gamma...", "value=7", Session())
