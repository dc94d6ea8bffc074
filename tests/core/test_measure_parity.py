"""Selections, statistics and Measure against ImageJ 1.53t's own classes (live, through JPype).

Each test builds the same image and selection on both sides: Python through
:mod:`bridge.core`, Java through ``ij.gui.*Roi``, ``ImagePlus.getStatistics``
and ``Analyzer.measure`` (see ``imagej_live.py``).  Masks and statistics are
compared bit for bit; Results tables by the CSV each writes.  The one
exception is the fitted ellipse (Major, Minor, Angle): Java's ``Math.atan``,
``sin`` and ``cos`` may differ from C's in the last bit, so those three
fields are compared to 1e-12 relative and exactly once printed.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pydicom.data
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from bridge.backends import load
from bridge.core import roi as R
from bridge.core import statistics as S
from bridge.core.measure import MEASUREMENT_KEYS, Settings, image_statistics, measure
from bridge.core.results import ResultsTable
from bridge.model import GRAY8, GRAY16, GRAY32, Calibration, ImagePlus

sys.path.insert(0, str(Path(__file__).parent))
import imagej_live as ij  # noqa: E402

pytestmark = pytest.mark.jvm

TEST_FILES = Path(pydicom.data.get_testdata_file("CT_small.dcm")).parent
#: pydicom's test images of every grey type ImageJ measures: signed 16-bit with a Hounsfield
#: calibration, signed 16-bit, unsigned 16-bit, 8-bit, 32-bit, a 32-bit stack.
FILES = ["CT_small.dcm", "MR_small.dcm", "examples_overlay.dcm", "SC_ybr_full_422_uncompressed.dcm",
         "examples_palette.dcm", "badVR.dcm", "rtdose.dcm"]
TRIG_FIELDS = ("major", "minor", "angle")
FIELDS = ("pixelCount", "area", "mean", "umean", "stdDev", "min", "max", "dmode", "mode", "maxCount",
          "median", "skewness", "kurtosis", "xCentroid", "yCentroid", "xCenterOfMass", "yCenterOfMass",
          "roiX", "roiY", "roiWidth", "roiHeight", "areaFraction", "histMin", "histMax", "binSize") + TRIG_FIELDS


def open_file(name: str) -> ImagePlus:
    return load("pydicom").open_image(str(TEST_FILES / name))


def same_number(ours: float, theirs: float, field: str) -> bool:
    if math.isnan(ours) and math.isnan(theirs):
        return True
    if field in TRIG_FIELDS:
        return ours == theirs or abs(ours - theirs) <= 1e-12 * max(abs(theirs), 1.0)
    return ours == theirs


def assert_same_statistics(ours: S.ImageStatistics, theirs: object, context: object) -> None:
    for name in FIELDS:
        value = float(getattr(theirs, name))
        assert same_number(float(getattr(ours, name)), value, name), (context, name, getattr(ours, name), value)
    assert np.array_equal(ours.histogram, np.array(list(theirs.getHistogram()))), (context, "histogram")


def selections(imp: ImagePlus) -> list[R.Roi | None]:
    """No selection, and rectangles, ovals and polygons inside, across the edge and outside the image."""
    w, h = imp.getWidth(), imp.getHeight()
    return [None, R.Roi(w // 4, h // 4, w // 2, h // 3), R.Roi(-3, h - 5, 12, 9),
            R.Roi(1.5, 2.25, w / 3 + 0.4, h / 5 + 0.7), R.OvalRoi(w // 5, h // 6, w // 2 + 1, h // 2),
            R.OvalRoi(w - 4, -2, 9, 7), R.OvalRoi(0.7, 1.2, w / 2 + 0.3, h / 3 + 0.6),
            R.PolygonRoi([1, w // 2, w - 2, w // 3], [2, h // 4, h - 1, h - 3]),
            R.PolygonRoi([-4, w + 3, w // 2], [h // 2, h // 3, h + 6])]


# --- selections ---------------------------------------------------------------------------
@pytest.mark.parametrize("width", range(1, 41))
def test_oval_masks_are_imagejs_for_every_size(width: int) -> None:
    for height in range(1, 41):
        roi = R.OvalRoi(5, 7, width, height)
        assert np.array_equal(roi.getMask(), ij.java_mask(roi)), (width, height)


def test_sub_pixel_ovals_and_rectangles_have_imagejs_bounds_and_masks() -> None:
    rng = np.random.default_rng(15)
    for _ in range(300):
        x, y = rng.uniform(-20, 40, 2)
        w, h = rng.uniform(0.2, 30, 2)
        for roi in (R.OvalRoi(x, y, w, h), R.Roi(x, y, w, h)):
            theirs = ij.java_roi(roi)
            b, jb = roi.getBounds(), theirs.getBounds()
            assert (b.x, b.y, b.width, b.height) == (jb.x, jb.y, jb.width, jb.height), roi
            mask = roi.getMask()
            assert (mask is None and ij.java_mask(roi) is None) or np.array_equal(mask, ij.java_mask(roi))
            assert roi.getLength() == theirs.getLength(), roi


def test_polygon_masks_lengths_and_hulls_are_imagejs() -> None:
    rng = np.random.default_rng(151)
    for _ in range(400):
        n = int(rng.integers(3, 10))
        xs, ys = rng.integers(-10, 50, n).tolist(), rng.integers(-10, 50, n).tolist()
        kind = [R.POLYGON, R.FREEROI, R.TRACED_ROI][int(rng.integers(0, 3))]
        roi = R.PolygonRoi(xs, ys, kind)
        theirs = ij.java_roi(roi)
        b, jb = roi.getBounds(), theirs.getBounds()
        assert (b.x, b.y, b.width, b.height) == (jb.x, jb.y, jb.width, jb.height), (xs, ys)
        assert np.array_equal(roi.getMask(), ij.java_mask(roi)), (xs, ys, kind)
        assert roi.getLength() == theirs.getLength(), (xs, ys, kind)
        feret = roi.getFeretValues()
        assert feret is not None
        java_feret = list(theirs.getFeretValues())[:5]
        assert feret[0] == java_feret[0] and feret[2] == java_feret[2] and feret[3:] == java_feret[3:5], (xs, ys)
        assert abs(feret[1] - java_feret[1]) <= 1e-12 * 180, (xs, ys)


@pytest.mark.parametrize("pixel", [(0.3, 0.3), (0.7, 0.7), (1.1, 0.4)])
def test_calibrated_feret_values_are_imagejs(pixel: tuple[float, float]) -> None:
    """Found by scripts/fuzz_measure.py: Java's ``xnorm *= factor * pw`` multiplies the factors first."""
    imp = ij.java_image(np.zeros((10, 10), np.uint8), GRAY8,
                        Calibration(pixelWidth=pixel[0], pixelHeight=pixel[1], unit="mm"))
    rng = np.random.default_rng(16)
    rois = [R.Roi(-24, 50, 84, 60)] + [R.PolygonRoi(rng.integers(-20, 60, 6).tolist(), rng.integers(-20, 60, 6).tolist())
                                        for _ in range(30)]
    for roi in rois:
        roi.pixel_size = R.PixelSize(*pixel)
        theirs = ij.java_roi(roi)
        theirs.setImage(imp)
        feret, java_feret = roi.getFeretValues(), list(theirs.getFeretValues())[:5]
        assert feret is not None
        assert [feret[0], feret[2], feret[3], feret[4]] == [java_feret[0], java_feret[2], java_feret[3], java_feret[4]]
        assert roi.getLength() == theirs.getLength()


def test_contains_is_imagejs() -> None:
    for roi in (R.OvalRoi(3, 4, 11, 8), R.Roi(2, 2, 5, 6), R.PolygonRoi([0, 10, 4], [0, 3, 12])):
        theirs = ij.java_roi(roi)
        for y in range(-1, 16):
            for x in range(-1, 16):
                assert roi.contains(x, y) == bool(theirs.contains(x, y)), (roi, x, y)


def test_line_length_and_angle_are_imagejs() -> None:
    for coords in ((1, 2, 30, 17), (10.5, 3.25, 2.0, 40.75), (5, 5, 5, 20)):
        line, theirs = R.Line(*coords), ij.java_roi(R.Line(*coords))
        assert line.getLength() == theirs.getLength()
        assert abs(line.getAngle() - theirs.getFloatAngle(*map(float, coords))) <= 1e-12 * 180


# --- statistics -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", FILES)
def test_statistics_of_test_files_are_imagejs(name: str) -> None:
    imp = open_file(name)
    if imp.getStackSize() > 1:
        imp.setSlice(imp.getStackSize() // 2 + 1)
    theirs = ij.java_image_of(imp)
    for roi in selections(imp):
        for options in (S.ALL_STATS, S.DEFAULT_OPTIONS, S.AREA + S.MEAN + S.CENTROID):
            imp.setRoi(roi)
            assert_same_statistics(imp.getStatistics(options), ij.java_statistics(theirs, roi, options),
                                   (name, roi, options))
        imp.setRoi(roi)
        ij.java_statistics(theirs, roi, S.DEFAULT_OPTIONS)
        assert_same_statistics(imp.getRawStatistics(), theirs.getRawStatistics(), (name, roi, "raw"))


@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small.dcm", "SC_ybr_full_422_uncompressed.dcm"])
def test_uncalibrated_and_millimetre_statistics_are_imagejs(name: str) -> None:
    """The same pixels without a value function, and with only a pixel size."""
    imp = open_file(name)
    for cal in (Calibration(), Calibration(pixelWidth=0.25, pixelHeight=0.4, unit="mm")):
        plain = ImagePlus(name, np.asarray(imp.data), imp.getType(), calibration=cal)
        theirs = ij.java_image_of(plain)
        for roi in selections(plain):
            plain.setRoi(roi)
            assert_same_statistics(plain.getStatistics(S.ALL_STATS),
                                   ij.java_statistics(theirs, roi, S.ALL_STATS), (name, cal, roi))


def test_statistics_of_float_images_with_nan_and_infinity() -> None:
    rng = np.random.default_rng(7)
    plane = rng.normal(5, 100, (40, 37)).astype(np.float32)
    plane[rng.random(plane.shape) < 0.1] = np.nan
    plane[3, 4], plane[5, 6] = np.inf, -np.inf
    imp = ImagePlus("nan", plane[None], GRAY32)
    theirs = ij.java_image_of(imp)
    for roi in selections(imp):
        imp.setRoi(roi)
        assert_same_statistics(imp.getStatistics(S.ALL_STATS), ij.java_statistics(theirs, roi, S.ALL_STATS), roi)


# --- Measure and the Results table ---------------------------------------------------------
def csv_of(table: object, path: Path) -> str:
    table.saveAs(str(path))  # type: ignore[attr-defined]
    return path.read_text(encoding="utf-8")


def measure_both(imp: ImagePlus, rois: list[R.Roi | None], options: int, tmp_path: Path) -> tuple[str, str]:
    theirs, java_table, ours = ij.java_image_of(imp), ij.jclass("ij.measure.ResultsTable")(), ResultsTable()
    for roi in rois:
        ij.java_measure(theirs, roi, options, java_table)
        imp.setRoi(roi)
        measure(imp, imp.getRoi(), Settings(options), ours)
    return csv_of(ours, tmp_path / "ours.csv"), csv_of(java_table, tmp_path / "imagej.csv")


MEASUREMENT_SETS = [S.AREA + S.MEAN + S.MIN_MAX,
                    S.ALL_STATS - S.SHAPE_DESCRIPTORS + S.STACK_POSITION + S.LABELS + S.LIMIT,
                    S.AREA + S.MEAN + S.STD_DEV + S.MODE + S.MEDIAN + S.INTEGRATED_DENSITY + S.LABELS]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("options", MEASUREMENT_SETS)
def test_measure_writes_imagejs_csv(name: str, options: int, tmp_path: Path) -> None:
    imp = open_file(name)
    if imp.getStackSize() > 1:
        imp.setSlice(3)
    ours, theirs = measure_both(imp, selections(imp), options, tmp_path)
    assert ours == theirs


def test_shape_descriptors_of_rectangles_and_polygons(tmp_path: Path) -> None:
    imp = open_file("CT_small.dcm")
    rois = [r for r in selections(imp) if r is None or r.getType() != R.OVAL]
    ours, theirs = measure_both(imp, rois, S.ALL_STATS, tmp_path)
    assert ours == theirs


def test_tab_separated_text_is_imagejs(tmp_path: Path) -> None:
    imp = open_file("MR_small.dcm")
    ours, java_table = ResultsTable(), ij.jclass("ij.measure.ResultsTable")()
    theirs = ij.java_image_of(imp)
    for roi in selections(imp)[:4]:
        ij.java_measure(theirs, roi, MEASUREMENT_SETS[1], java_table)
        imp.setRoi(roi)
        measure(imp, imp.getRoi(), Settings(MEASUREMENT_SETS[1]), ours)
    assert csv_of(ours, tmp_path / "ours.txt") == csv_of(java_table, tmp_path / "imagej.txt")
    assert ours.getColumnHeadings() == str(java_table.getColumnHeadings())


@pytest.mark.parametrize("value", [0.0, -0.0, 1.0005, 2.5, -2.5, 0.5, 1e-5, -3.2e-7, 123456789012345.0, 1e300,
                                   math.nan, math.inf, -math.inf, 0.00049, 999.9995, 3.4028234663852886e38, -0.4,
                                   0.0625, 1e13])
@pytest.mark.parametrize("places", [0, 1, 3, 4, 9, -3])
def test_numbers_print_as_imagej_prints_them(value: float, places: int) -> None:
    from bridge.core.results import d2s
    assert d2s(value, places) == str(ij.jclass("ij.measure.ResultsTable").d2s(value, places))


# --- differential fuzz (bounded; scripts/fuzz_measure.py runs it longer) ------------------------
images = hs.tuples(hs.sampled_from([GRAY8, GRAY16, GRAY32]), hs.integers(1, 48), hs.integers(1, 48),
                   hs.integers(0, 2**32 - 1), hs.booleans())
shapes = hs.tuples(hs.sampled_from(["none", "rect", "oval", "subpixel-oval", "polygon"]),
                   hs.lists(hs.integers(-30, 80), min_size=8, max_size=8),
                   hs.floats(0.1, 60), hs.floats(0.1, 60))
#: Every measurement ImageJ offers except the display settings not supported yet.
FUZZ_FLAGS = [flag for _, flag in MEASUREMENT_KEYS
              if flag not in (S.INVERT_Y, S.SCIENTIFIC_NOTATION, S.ADD_TO_OVERLAY)]
measurement_sets = hs.lists(hs.sampled_from(FUZZ_FLAGS), min_size=1, max_size=8)


def fuzz_image(kind: int, width: int, height: int, seed: int, calibrated: bool) -> ImagePlus:
    rng = np.random.default_rng(seed)
    if kind == GRAY8:
        data = rng.integers(0, 256, (1, height, width)).astype(np.uint8)
    elif kind == GRAY16:
        data = rng.integers(0, int(rng.choice([50, 4096, 65536])), (1, height, width)).astype(np.uint16)
    else:
        data = rng.normal(0, float(rng.choice([1, 1000])), (1, height, width)).astype(np.float32)
        data[rng.random(data.shape) < 0.05] = np.nan
    cal = Calibration()
    if calibrated:
        cal = Calibration(pixelWidth=0.3, pixelHeight=0.3, unit="mm")
        if kind != GRAY32:
            cal.function, cal.coefficients = 0, [-1024.0, 1.5]
    return ImagePlus("fuzz.dcm", data, kind, calibration=cal)


def fuzz_roi(shape: tuple[str, list[int], float, float]) -> R.Roi | None:
    kind, coords, w, h = shape
    if kind == "none":
        return None
    if kind == "rect":
        return R.Roi(coords[0], coords[1], abs(coords[2]) + 1, abs(coords[3]) + 1)
    if kind == "oval":
        return R.OvalRoi(coords[0], coords[1], abs(coords[2]) + 1, abs(coords[3]) + 1)
    if kind == "subpixel-oval":
        return R.OvalRoi(coords[0] + 0.37, coords[1] - 0.61, w, h)
    return R.PolygonRoi(coords[:4], coords[4:])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(image=images, shape=shapes, flags=measurement_sets)
def test_fuzz_measure_against_imagej(image: tuple[int, int, int, int, bool],
                                     shape: tuple[str, list[int], float, float], flags: list[int]) -> None:
    check_one(fuzz_image(*image), fuzz_roi(shape), sum(set(flags)))


def check_one(imp: ImagePlus, roi: R.Roi | None, options: int) -> None:
    """Statistics field by field and the Measure row as text, ours against ImageJ's."""
    theirs = ij.java_image_of(imp)
    imp.setRoi(roi)
    theirs.deleteRoi() if roi is None else theirs.setRoi(ij.java_roi(roi))
    if (imp.getRoi() is None) != (theirs.getRoi() is None):
        raise AssertionError(("selection kept by one side only", roi))
    assert_same_statistics(image_statistics(imp, imp.getRoi(), options | S.ALL_STATS),
                           theirs.getStatistics(options | S.ALL_STATS), roi)
    table, java_table = ResultsTable(), ij.jclass("ij.measure.ResultsTable")()
    measure(imp, imp.getRoi(), Settings(options), table)
    ij.jclass("ij.plugin.filter.Analyzer")(theirs, options, java_table).measure()
    assert table.getColumnHeadings() == str(java_table.getColumnHeadings())
    assert table.getRowAsString(0) == str(java_table.getRowAsString(0)), roi



@settings(max_examples=150, deadline=None)
@given(hs.integers(-40, 300), hs.integers(-40, 300), hs.integers(1, 600), hs.integers(1, 600))
def test_an_oval_flattens_to_imagejs_polygon_and_hull(x: int, y: int, width: int, height: int) -> None:
    """``OvalRoi.getFloatPolygon()`` (Java2D's flattened ellipse) point for point, and the hull area Solidity uses."""
    jroi = ij.jclass("ij.gui.OvalRoi")(x, y, width, height)
    polygon = jroi.getFloatPolygon()
    expected = ([float(v) for v in polygon.xpoints][:polygon.npoints], [float(v) for v in polygon.ypoints][:polygon.npoints])
    assert R.oval_polygon(x, y, width, height) == expected
    hull = jroi.getConvexHull()
    hull_area = R.polygon_area([int(v) for v in hull.xpoints][:hull.npoints], [int(v) for v in hull.ypoints][:hull.npoints])
    assert R.OvalRoi(x, y, width, height).getConvexHullArea() == hull_area
