"""``.roi`` files against ImageJ 1.53t's own RoiEncoder and RoiDecoder (live, through JPype).

Written bytes must be the bytes ``RoiEncoder.saveAsByteArray`` writes for the
same selection; bytes ImageJ wrote must read back to the same selection and
re-encode to the same bytes; and ImageJ must read what bridge writes as the
selection bridge meant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from bridge.core import roi as R
from bridge.core import roifile

sys.path.insert(0, str(Path(__file__).parent))
import imagej_live as ij  # noqa: E402
from roi_strategies import selections  # noqa: E402
from test_roifile import damage  # noqa: E402

pytestmark = pytest.mark.jvm

FIXED = [R.Roi(3, 4, 10, 20), R.Roi(3.5, 4.25, 10, 20), R.OvalRoi(3, 4, 10, 20), R.OvalRoi(3.5, 4.25, 10.3, 20.7),
         R.PolygonRoi([1, 10, 5], [2, 3, 9]), R.PolygonRoi([1, 10, 5], [2, 3, 9], R.POLYLINE),
         R.PolygonRoi([1, 10, 5, 7], [2, 3, 9, 1], R.FREELINE), R.PolygonRoi([1, 10, 5], [2, 3, 9], R.FREEROI),
         R.PolygonRoi([1, 10, 10, 1], [2, 2, 9, 9], R.TRACED_ROI), R.Line(1.5, 2, 10, 7.25),
         R.PointRoi([1.5, 3], [2, 4]), R.PointRoi([1.0], [2.0]), R.Line(-5, 300.5, 2000, -7)]


def java_view(jroi: Any) -> tuple[object, ...]:
    """What ImageJ's selection is, in Python values: the fields ``geometry`` compares."""
    r = jroi.getBounds()
    polygon = jroi.getFloatPoints() if int(jroi.getType()) == R.LINE else jroi.getFloatPolygon()
    xs = [float(v) for v in polygon.xpoints][:int(polygon.npoints)]
    ys = [float(v) for v in polygon.ypoints][:int(polygon.npoints)]
    name = None if jroi.getName() is None else str(jroi.getName())
    return (int(jroi.getType()), (int(r.x), int(r.y), int(r.width), int(r.height)), xs, ys, name,
            int(jroi.getPosition()), float(jroi.getStrokeWidth()), int(jroi.getCornerDiameter()))


def python_view(roi: R.Roi) -> tuple[object, ...]:
    b = roi.getBounds()
    xs, ys = ([roi.x1d, roi.x2d], [roi.y1d, roi.y2d]) if isinstance(roi, R.Line) else roi.getFloatPolygon()
    if roi.getType() == R.RECTANGLE and roi.corner_diameter:
        xs, ys = [], []                      # ImageJ's rounded rectangle polygon has its arcs' vertices
    return (roi.getType(), (b.x, b.y, b.width, b.height), [float(v) for v in xs], [float(v) for v in ys],
            roi.name, roi.position, roi.stroke_width, roi.corner_diameter)


def compare(roi: R.Roi) -> None:
    theirs = ij.java_roi_bytes(ij.java_roi_with_attributes(roi))
    assert roifile.encode(roi) == theirs, roi
    back = roifile.decode(theirs, "imagej.roi")
    assert roifile.encode(back) == theirs, roi
    jroi = ij.java_decode(roifile.encode(roi))
    view = java_view(jroi)
    if roi.getType() == R.RECTANGLE and roi.corner_diameter:
        view = view[:2] + ([], []) + view[4:]
    if roi.getType() == R.OVAL:                # ImageJ's oval polygon is its traced outline
        view = view[:2] + python_view(back)[2:4] + view[4:]
    assert python_view(back) == view, roi


@pytest.mark.parametrize("roi", FIXED, ids=repr)
def test_every_kind_is_written_as_imagej_writes_it(roi: R.Roi) -> None:
    compare(roi)


def test_names_positions_widths_and_corners() -> None:
    line = R.Line(1.5, 2, 10, 7.25)
    line.name, line.position, line.stroke_width = "hello", 3, 5.0
    polygon = R.PolygonRoi([1, 10, 5], [2, 3, 9])
    polygon.name, polygon.stroke_width = "\u00e9\u540d\U0001F600", 2.5
    rounded = R.Roi(3, 4, 10, 20)
    rounded.corner_diameter, rounded.name = 5, ""
    for roi in (line, polygon, rounded):
        compare(roi)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(selections())
def test_random_selections_both_ways(roi: R.Roi) -> None:
    compare(roi)


def test_roi_sets_imagej_reads(tmp_path: Path) -> None:
    """A set bridge writes opens in ImageJ's ROI Manager with the same labels and selections."""
    rois = [R.Roi(1, 2, 3, 4), R.Line(1, 2, 30, 40), R.PointRoi([5.5], [6.25])]
    for i, roi in enumerate(rois):
        roi.name = f"r{i}"
    path = tmp_path / "RoiSet.zip"
    roifile.write_set(rois, path)
    opened = ij.java_open_set(str(path))
    assert [str(j.getName()) for j in opened] == ["r0", "r1", "r2"]
    assert [ij.java_roi_bytes(j) for j in opened] == [roifile.encode(r) for r in rois]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(selections(), hs.data())
def test_damaged_files_read_as_imagej_reads_them(roi: R.Roi, data: hs.DataObject) -> None:
    """Where bridge and ImageJ both read a damaged file, they read the same selection (re-encoded alike)."""
    damaged = damage(roifile.encode(roi), data)
    try:
        ours = roifile.decode(damaged, "damaged.roi")
        again = roifile.encode(ours)
    except roifile.RoiFileError:
        return
    try:
        theirs = ij.java_decode(damaged)
    except Exception:       # noqa: BLE001 - ImageJ throws on some damage that bridge reads
        return
    if theirs is not None:
        assert again == ij.java_roi_bytes(theirs)
