"""bridge.core's selections, statistics and Results table without Java: shapes, limits and refusals.

What ImageJ computes is checked against ImageJ itself in ``test_measure_parity.py``; these
tests hold the rest: bad input gives a clear :class:`MeasurementError`, never a crash or a
silent answer, and the pieces keep the shapes and invariants the parity suite relies on.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bridge.core import roi as R
from bridge.core import statistics as S
from bridge.core.measure import Settings, measure
from bridge.core.results import ResultsTable, d2s
from bridge.errors import BridgeError, MeasurementError
from bridge.model import COLOR_RGB, GRAY16, ImagePlus


@pytest.mark.parametrize("make", [lambda: R.Roi(math.nan, 0, 3, 3), lambda: R.OvalRoi(0, 0, math.inf, 3),
                                  lambda: R.Line(0, 0, 1, math.nan), lambda: R.PointRoi([1.0], [math.nan]),
                                  lambda: R.PolygonRoi([1, 2], [3]), lambda: R.PolygonRoi([1, 2, 3], [1, 2, 3], 99)])
def test_bad_selections_are_refused(make) -> None:
    with pytest.raises(MeasurementError):
        make()


def test_a_selection_larger_than_imagejs_arrays_is_refused_before_allocating() -> None:
    imp = ImagePlus("big", np.zeros((1, 8, 8), np.uint16), GRAY16)
    imp.setRoi(R.OvalRoi(0, 0, 100000, 100000))
    with pytest.raises(MeasurementError, match="larger than ImageJ's arrays"):
        imp.getStatistics()


def test_a_selection_outside_the_image_measures_nothing() -> None:
    imp = ImagePlus("img", np.arange(64, dtype=np.uint16).reshape(1, 8, 8), GRAY16)
    imp.setRoi(R.Roi(20, 20, 5, 5))
    stats = imp.getStatistics(S.ALL_STATS)
    assert stats.pixelCount == 0 and math.isnan(stats.mean) and math.isnan(stats.median)


def test_masks_cover_what_the_statistics_count() -> None:
    plane = np.ones((1, 40, 40), np.uint16)
    imp = ImagePlus("ones", plane, GRAY16)
    for roi in (R.OvalRoi(3, 4, 21, 13), R.PolygonRoi([2, 30, 10], [1, 8, 35]), R.Roi(5, 5, 7, 3)):
        imp.setRoi(roi)
        mask = roi.getMask()
        expected = roi.width * roi.height if mask is None else int(mask.sum())
        assert imp.getStatistics().pixelCount == expected
        assert all(roi.contains(x, y) == bool(mask[y - roi.y, x - roi.x]) if mask is not None else True
                   for y in range(roi.y, roi.y + roi.height) for x in range(roi.x, roi.x + roi.width))


def test_rgb_and_point_threshold_measurements_say_they_are_not_supported() -> None:
    rgb = ImagePlus("rgb", np.zeros((1, 4, 4), np.int32), COLOR_RGB)
    with pytest.raises(MeasurementError, match="RGB"):
        measure(rgb, None, Settings(), ResultsTable())
    gray = ImagePlus("gray", np.zeros((1, 4, 4), np.uint16), GRAY16)
    with pytest.raises(MeasurementError, match="limit to threshold"):
        measure(gray, R.PointRoi([1.0], [1.0]), Settings(S.LIMIT), ResultsTable())


def test_a_wide_segmented_line_is_measured_over_the_pixels_its_stroke_covers() -> None:
    """A segment 3 wide: its rectangle reaches half a pixel past both ends and 1.5 pixels to each side."""
    gray = ImagePlus("gray", np.arange(16 * 12, dtype=np.uint16).reshape(1, 12, 16), GRAY16)
    wide = R.PolygonRoi([0, 10], [5, 5], R.POLYLINE)
    wide.stroke_width = 3
    table = ResultsTable()
    measure(gray, wide, Settings(S.AREA + S.MEAN), table)
    rows, columns = np.arange(4, 7)[:, None], np.arange(0, 11)[None, :]
    assert table.getValue("Area", 0) == 33
    assert table.getValue("Mean", 0) == pytest.approx(float((rows * 16 + columns).mean()))
    assert table.getValue("Length", 0) == 10


def test_results_table_rows_and_columns() -> None:
    table = ResultsTable()
    table.setValue("Dose", 0, 1.5)
    table.setValue("Note", 0, "a, b")
    table.setValue("Count", 1, 3)
    assert table.size() == 2 and table.getHeadings() == ["Dose", "Note", "Count"]
    assert table.getStringValue("Dose", 0) == "1.500" and table.getStringValue("Count", 1) == "3"
    assert table.getRowAsString(0, ",", quote_commas=True) == '1.500,"a, b",0'
    with pytest.raises(MeasurementError):
        table.getValue("Missing", 0)
    with pytest.raises(BridgeError):
        table.setValue("Dose", 5, 1.0)


@pytest.mark.parametrize(("value", "places", "text"), [(2.5, 0, "3"), (0.0625, 3, "0.062"), (1e-5, 3, "1.000E-5"),
                                                      (-0.4, 0, "-0"), (math.nan, 3, "NaN"), (1e13, 3, "1.000E13")])
def test_numbers_print_with_javas_rounding(value: float, places: int, text: str) -> None:
    assert d2s(value, places) == text
