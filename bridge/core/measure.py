"""*Analyze>Measure* and *Set Measurements...*: ImageJ's ``Analyzer``, in Python.

``measure`` computes ``imp.getStatistics(measurements)`` for the selection
and appends one row to a :class:`~bridge.core.results.ResultsTable` with the
columns, order and decimals ImageJ's ``Analyzer.saveResults`` gives.
``parse_set_measurements`` reads the option string a macro passes to
``run("Set Measurements...", "area mean ... decimal=3")``.

Selections measured here are areas (rectangle, oval, polygon), none (the
whole image), lines and points.  A line is measured as ImageJ's
``Analyzer.measureLength``: the statistics of its profile
(:mod:`bridge.core.profile`), or of the area a wide straight line covers,
plus Length and (straight lines) Angle; a point selection gives one row
per point (the pixel's statistics, X and Y).  Wide segmented lines, and
*limit to threshold* on lines and points, raise: they are not ported yet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from ..errors import MeasurementError
from .imagetypes import GRAY8, GRAY16, GRAY32
from .javamath import java_div
from . import statistics as st
from .results import COLUMN, DEFAULT_HEADINGS, LAST_HEADING, ResultsTable
from .roi import POINT, Line, PixelSize, PolygonRoi, Roi
from .threshold import NO_THRESHOLD

if TYPE_CHECKING:
    from ..model import ImagePlus

#: *Set Measurements...* checkboxes in dialog order: the macro key (the label's first word) and the flag.
MEASUREMENT_KEYS = (
    ("area", st.AREA), ("mean", st.MEAN), ("standard", st.STD_DEV), ("modal", st.MODE), ("min", st.MIN_MAX),
    ("centroid", st.CENTROID), ("center", st.CENTER_OF_MASS), ("perimeter", st.PERIMETER),
    ("bounding", st.RECT), ("fit", st.ELLIPSE), ("shape", st.SHAPE_DESCRIPTORS), ("feret's", st.FERET),
    ("integrated", st.INTEGRATED_DENSITY), ("median", st.MEDIAN), ("skewness", st.SKEWNESS),
    ("kurtosis", st.KURTOSIS), ("area_fraction", st.AREA_FRACTION), ("stack", st.STACK_POSITION),
    ("limit", st.LIMIT), ("display", st.LABELS), ("invert", st.INVERT_Y),
    ("scientific", st.SCIENTIFIC_NOTATION), ("add", st.ADD_TO_OVERLAY), ("nan", st.NAN_EMPTY_CELLS),
)
#: ImageJ's defaults (``Prefs``: area, mean, min & max; 3 decimals).
DEFAULT_MEASUREMENTS = st.AREA + st.MEAN + st.MIN_MAX
DEFAULT_PRECISION = 3
#: Names ``getValue`` accepts: a Results heading at the start of the key (ImageJ's test), or "Length".
COLUMN_NAMES = DEFAULT_HEADINGS + ("Length",)
_UNSUPPORTED = st.INVERT_Y | st.SCIENTIFIC_NOTATION | st.ADD_TO_OVERLAY
_OPTION = re.compile(r"([^\s=\[]+)(?:=(\[[^\]]*\]|\S*))?")


@dataclass
class Settings:
    """The state *Set Measurements...* keeps: the flags and the decimal places."""

    measurements: int = DEFAULT_MEASUREMENTS
    precision: int = DEFAULT_PRECISION


def parse_set_measurements(options: str) -> Settings:
    """``run("Set Measurements...", options)``: every checkbox not named is off, as in a macro.

    ImageJ renames ``circularity`` to ``shape`` and ``slice`` to ``stack``
    (old macros); ``redirect=None`` is the only redirect accepted; an
    unknown key raises a :class:`~bridge.errors.MeasurementError` naming it.
    """
    text = f"{options} ".replace("circularity ", "shape ").replace("slice ", "stack ")
    flags = dict(MEASUREMENT_KEYS)
    settings = Settings(measurements=0)
    for match in _OPTION.finditer(text):
        key, value = match.group(1), match.group(2)
        if key in flags and value is None:
            settings.measurements |= flags[key]
        elif key == "decimal" and value is not None:
            settings.precision = _decimal_places(value)
        elif key == "redirect" and value is not None:
            if value.strip("[]") != "None":
                raise MeasurementError(f'Set Measurements: redirect to "{value.strip("[]")}" is not supported')
        else:
            raise MeasurementError(f'Set Measurements: unrecognized option "{match.group(0)}"')
    unsupported = settings.measurements & _UNSUPPORTED
    if unsupported:
        names = [key for key, flag in MEASUREMENT_KEYS if flag & unsupported]
        raise MeasurementError(f"Set Measurements: {', '.join(names)} not supported yet")
    return settings


def _decimal_places(value: str) -> int:
    try:
        places = int(float(value.strip("[]")))
    except ValueError:
        raise MeasurementError(f'Set Measurements: "decimal={value}" is not a number') from None
    return max(0, min(places, 9))


# --- statistics of an image and its selection --------------------------------------
def image_statistics(imp: ImagePlus, roi: Roi | None, options: int, calibrated: bool = True,
                     region: st.Region | None = None) -> st.ImageStatistics:
    """``imp.getStatistics(options)`` (``calibrated=False``: ``getRawStatistics``) on the current slice.

    ``region``: these pixels instead of the selection's (a wide line's area).
    """
    if imp.getType() not in (GRAY8, GRAY16, GRAY32):
        raise MeasurementError(f"{imp.getTitle()}: measuring RGB images is not supported yet")
    plane = imp.data[imp.getCurrentSlice() - 1]
    if region is None:
        region = st.region_of(roi, imp.getWidth(), imp.getHeight())
    cal = imp.getCalibration() if calibrated else None
    threshold = None if imp.min_threshold == NO_THRESHOLD else (imp.min_threshold, imp.max_threshold)
    return st.get_statistics(plane, imp.getType(), region, options, cal, threshold)


def uncalibrated(imp: ImagePlus) -> ImagePlus:
    """The image with ImageJ's ``setCalibration(null)``: no value function, no pixel size (for "raw" keys)."""
    no_calibration = type(imp.calibration)()        # the model's Calibration, without importing the model
    return replace(imp, calibration=no_calibration, roi=None)


def bind(roi: Roi | None, imp: ImagePlus) -> Roi | None:
    """``roi.setImage(imp)``: lengths and Feret values in the image's pixel size."""
    if roi is not None:
        cal = imp.getCalibration()
        roi.pixel_size = PixelSize(cal.pixelWidth, cal.pixelHeight)
    return roi


# --- Measure ----------------------------------------------------------------------------
def measure(imp: ImagePlus, roi: Roi | None, settings: Settings, table: ResultsTable) -> None:
    """``Analyzer.measure()``: one row of ``settings.measurements`` for the selection, appended to ``table``.

    A point selection appends one row per point.
    """
    if roi is not None and not roi.isArea():
        _check_line_or_point(imp, roi, settings)
    table.setPrecision(settings.precision)
    table.nan_empty_cells = bool(settings.measurements & st.NAN_EMPTY_CELLS)
    last = table.getColumnHeading(LAST_HEADING)
    if last is None or not last.startswith("M"):
        if table.size() > 0:
            table.reset()
        if table.getColumnHeading(LAST_HEADING) is None:
            table.setDefaultHeadings()
    bind(roi, imp)
    if roi is not None and roi.getType() == POINT:
        _measure_points(imp, roi, settings, table)
    elif roi is not None and roi.isLine():
        _measure_length(imp, roi, settings, table)
    else:
        save_results(imp, roi, image_statistics(imp, roi, settings.measurements), settings, table)


# --- lines and points ---------------------------------------------------------------------
#: The measurements that make ``measureLength`` take the profile's statistics (else Length alone).
_PROFILE_MEASUREMENTS = st.AREA | st.MEAN | st.STD_DEV | st.MODE | st.MIN_MAX | st.CENTROID | st.MEDIAN
_NOT_PORTED_FOR_LINES = st.LIMIT


def _check_line_or_point(imp: ImagePlus, roi: Roi, settings: Settings) -> None:
    if settings.measurements & _NOT_PORTED_FOR_LINES:
        raise MeasurementError(f"{imp.getTitle()}: limit to threshold with line and point selections is not "
                               "supported yet")


def _measure_length(imp: ImagePlus, roi: Roi, settings: Settings, table: ResultsTable) -> None:
    """``Analyzer.measureLength``: the profile's statistics (as a one-row float image), Length and Angle."""
    from .profile import ProfilePlot          # the profile reads images through the statistics module
    if not settings.measurements & _PROFILE_MEASUREMENTS:
        table.incrementCounter()
        table.addValue("Length", roi.getLength())
        if isinstance(roi, Line):
            table.addValue("Angle", roi.getAngle())
        if settings.measurements & st.LABELS:
            table.addLabel("Label", row_label(imp, roi))
        return
    flags = st.AREA | st.MEAN | st.STD_DEV | st.MODE | st.MIN_MAX | st.MEDIAN
    if isinstance(roi, (Line, PolygonRoi)) and math.floor(roi.stroke_width + 0.5) > 1:   # the area it covers
        area = roi.area_mask()                 # None: ImageJ's null area, and ip.setRoi(null) is the whole image
        region = None if area is None else st.clipped_region(*area, imp.getWidth(), imp.getHeight())
        stats = image_statistics(imp, None, flags, region=region)
    else:
        values = np.asarray(ProfilePlot(imp).getProfile(), dtype=np.float32).reshape(1, -1)
        stats = st.get_statistics(values, GRAY32, st.Region(0, 0, values.shape[1], 1), flags, imp.getCalibration())
    if isinstance(roi, Line) and settings.measurements & st.CENTROID:
        cal = imp.getCalibration()
        # getFloatPoints(): float ends, and Java subtracts two floats in float before halving in double
        x1, y1, x2, y2 = (np.float32(v) for v in (roi.x1d, roi.y1d, roi.x2d, roi.y2d))
        stats.xCentroid = (float(x1) + float(x2 - x1) / 2.0 - cal.xOrigin) * cal.pixelWidth
        stats.yCentroid = (float(y1) + float(y2 - y1) / 2.0 - cal.yOrigin) * cal.pixelHeight
    save_results(imp, roi, stats, settings, table)


def wide_line_statistics(imp: ImagePlus, roi: Roi, width: int, options: int,
                         calibrated: bool = True) -> st.ImageStatistics:
    """The macro's ``getStatistics`` of a line after *Line Width...* set ``width`` over 1.

    A straight line: the pixels of its outline rounded to whole pixels
    (``ip.setRoi(line.getPolygon())``); any other line: its straightened
    image, ``width`` rows high (``Straightener.straightenLine``).
    """
    from .profile import Processor
    from .straightener import SubpixelPolyline, straighten
    if isinstance(roi, Line):
        xs, ys = roi.getFloatPolygon()
        if len(xs) < 3:
            raise MeasurementError(f"{imp.getTitle()}: statistics of a thin line under a wider Line Width... "
                                   "(ImageJ measures a two-point polygon) are not supported yet")
        outline = PolygonRoi([math.floor(v + 0.5) for v in xs], [math.floor(v + 0.5) for v in ys])
        return image_statistics(imp, outline, options, calibrated)
    assert isinstance(roi, PolygonRoi)
    b = roi.getBounds()
    polyline = SubpixelPolyline.from_int_points([x - b.x for x in roi.xpoints], [y - b.y for y in roi.ypoints],
                                                (b.x, b.y), roi.uncalibrated_length())
    values = straighten(Processor(imp), polyline, width)
    if values is None:
        raise MeasurementError(f"{imp.getTitle()}: the segmented line is too short to straighten")
    return st.get_statistics(values, GRAY32, st.Region(0, 0, values.shape[1], values.shape[0]), options,
                             imp.getCalibration() if calibrated else None)


def profile_statistics(imp: ImagePlus, roi: Roi, options: int, calibrated: bool = True) -> st.ImageStatistics:
    """The macro's ``getStatistics`` of a line: its profile as a one-row float image.

    ImageJ leaves the last value out for a horizontal or vertical line on
    whole pixels (``setRoi(0, 0, width-1, 1)``); ``calibrated=False`` gives
    pixel counts for the area (the values stay calibrated, as ImageJ's do).
    """
    from .profile import ProfilePlot
    values = np.asarray(ProfilePlot(imp).getProfile(), dtype=np.float32).reshape(1, -1)
    width = values.shape[1]
    if isinstance(roi, Line):
        ends = (roi.x1d, roi.y1d, roi.x2d, roi.y2d)
        whole = all(float(v) == int(v) for v in ends)
        if whole and (int(roi.y1d) == int(roi.y2d) or int(roi.x1d) == int(roi.x2d)):
            width -= 1
    return st.get_statistics(values, GRAY32, st.Region(0, 0, width, 1), options,
                             imp.getCalibration() if calibrated else None)


def _measure_points(imp: ImagePlus, roi: Roi, settings: Settings, table: ResultsTable) -> None:
    """``Analyzer.measurePoint``: a row per point, the statistics of its pixel, then X and Y."""
    from .roi import PointRoi
    xs, ys = roi.getFloatPolygon()
    for x, y in zip(xs, ys):
        pixel = Roi(math.floor(x + 0.5), math.floor(y + 0.5), 1, 1)
        stats = image_statistics(imp, pixel, settings.measurements)
        stats.xCenterOfMass, stats.yCenterOfMass = x, y
        point = PointRoi(x, y)
        point.position = roi.position
        save_results(imp, point, stats, settings, table)


def _save_points(imp: ImagePlus, roi: Roi, settings: Settings, table: ResultsTable) -> None:
    """``Analyzer.savePoints``: Area 0, X and Y calibrated, the slice for stacks."""
    if settings.measurements & st.AREA:
        table.addValue(COLUMN["Area"], 0.0)
    xs, ys = roi.getFloatPolygon()
    cal = imp.getCalibration()
    table.addValue("X", (xs[0] - cal.xOrigin) * cal.pixelWidth)
    table.addValue("Y", (ys[0] - cal.yOrigin) * cal.pixelHeight)
    if imp.getStackSize() > 1:
        table.addValue("Slice", float(roi.position if roi.position else imp.getCurrentSlice()))


def save_results(imp: ImagePlus, roi: Roi | None, stats: st.ImageStatistics, settings: Settings,
                 table: ResultsTable) -> None:
    """``Analyzer.saveResults``: the columns in ImageJ's order, each only when asked for."""
    m, add = settings.measurements, table.addValue
    table.incrementCounter()
    if m & st.LABELS:
        table.addLabel("Label", row_label(imp, roi))
    for flag, column, value in ((st.AREA, "Area", stats.area), (st.MEAN, "Mean", stats.mean),
                                (st.STD_DEV, "StdDev", stats.stdDev), (st.MODE, "Mode", stats.dmode)):
        if m & flag:
            add(COLUMN[column], value)
    if m & st.MIN_MAX:
        add(COLUMN["Min"], stats.min)
        add(COLUMN["Max"], stats.max)
    if m & st.CENTROID:
        add(COLUMN["X"], stats.xCentroid)
        add(COLUMN["Y"], stats.yCentroid)
    if m & st.CENTER_OF_MASS:
        add(COLUMN["XM"], stats.xCenterOfMass)
        add(COLUMN["YM"], stats.yCenterOfMass)
    if m & (st.PERIMETER | st.SHAPE_DESCRIPTORS):
        _perimeter_and_shape(imp, roi, stats, settings, table)
    if m & st.RECT:
        for column, value in zip(("BX", "BY", "Width", "Height"), _bounding_rectangle(imp, roi, stats)):
            add(COLUMN[column], value)
    if m & st.ELLIPSE:
        add(COLUMN["Major"], stats.major)
        add(COLUMN["Minor"], stats.minor)
        add(COLUMN["Angle"], stats.angle)
    if m & st.FERET:
        _feret(imp, roi, table)
    if m & st.INTEGRATED_DENSITY:
        add(COLUMN["IntDen"], stats.area * stats.mean)
        add(COLUMN["RawIntDen"], stats.pixelCount * stats.umean)
    for flag, column, value in ((st.MEDIAN, "Median", stats.median), (st.SKEWNESS, "Skew", stats.skewness),
                                (st.KURTOSIS, "Kurt", stats.kurtosis),
                                (st.AREA_FRACTION, "%Area", stats.areaFraction)):
        if m & flag:
            add(COLUMN[column], value)
    if m & st.STACK_POSITION:
        add("Slice", float(imp.getCurrentSlice()))
    if roi is not None and roi.isLine():
        add("Length", roi.getLength())
        if isinstance(roi, Line):
            add("Angle", roi.getAngle())
    elif roi is not None and roi.getType() == POINT:
        _save_points(imp, roi, settings, table)
    if m & st.LIMIT:
        add(COLUMN["MinThr"], stats.lowerThreshold)
        add(COLUMN["MaxThr"], stats.upperThreshold)


def _bounding_rectangle(imp: ImagePlus, roi: Roi | None, stats: st.ImageStatistics) -> tuple[float, ...]:
    """BX, BY, Width, Height: the statistics' rectangle, or a line's own bounds, calibrated."""
    if roi is None or not roi.isLine():
        return stats.roiX, stats.roiY, stats.roiWidth, stats.roiHeight
    b, cal = roi.getBounds(), imp.getCalibration()
    return ((b.x - cal.xOrigin) * cal.pixelWidth, (b.y - cal.yOrigin) * cal.pixelHeight,
            b.width * cal.pixelWidth, b.height * cal.pixelHeight)


def _perimeter_and_shape(imp: ImagePlus, roi: Roi | None, stats: st.ImageStatistics, settings: Settings,
                         table: ResultsTable) -> None:
    """Perimeter, and the shape descriptors built on it (circularity, aspect ratio, roundness, solidity)."""
    perimeter = roi.getLength() if roi is not None else float(imp.getWidth() * 2 + imp.getHeight() * 2)
    if settings.measurements & st.PERIMETER:
        table.addValue(COLUMN["Perim."], perimeter)
    if not settings.measurements & st.SHAPE_DESCRIPTORS:
        return
    circularity = 0.0 if perimeter == 0.0 else 4.0 * math.pi * java_div(stats.area, perimeter * perimeter)
    table.addValue(COLUMN["Circ."], min(circularity, 1.0))
    if roi is not None and not roi.isArea():           # lines and points: ImageJ's fixed answers
        for column, value in (("AR", 0.0), ("Round", 0.0), ("Solidity", math.nan)):
            table.addValue(COLUMN[column], value)
    else:
        _area_shape(imp, roi, stats, table)
    if table.size() == 1:
        for column in ("Circ.", "AR", "Round", "Solidity"):
            table.setDecimalPlaces(COLUMN[column], settings.precision)


def _area_shape(imp: ImagePlus, roi: Roi | None, stats: st.ImageStatistics, table: ResultsTable) -> None:
    convex_area = roi.getConvexHullArea() if roi is not None else float(stats.pixelCount)
    table.addValue(COLUMN["AR"], java_div(stats.major, stats.minor))
    table.addValue(COLUMN["Round"], java_div(4.0 * stats.area, math.pi * stats.major * stats.major))
    table.addValue(COLUMN["Solidity"], java_div(stats.pixelCount, convex_area))


def _feret(imp: ImagePlus, roi: Roi | None, table: ResultsTable) -> None:
    if roi is None:                     # ImageJ's stand-in rectangle has no image: Feret in pixels
        roi = Roi(0, 0, imp.getWidth(), imp.getHeight())
    values = roi.getFeretValues() or [math.nan] * 5
    for column, value in zip(("Feret", "FeretAngle", "MinFeret", "FeretX", "FeretY"), values):
        table.addValue(COLUMN[column], value)


def row_label(imp: ImagePlus, roi: Roi | None) -> str:
    """``Analyzer.getFileName``: the title, the image's selection's name, then the slice label (or number)."""
    label = imp.getTitle()
    selection = imp.getRoi()
    name = selection.name if selection is not None else None
    if name is not None and "." not in name:
        label += ":" + (name[:27] + "..." if len(name) > 30 else name)
    if imp.getStackSize() > 1:
        slice_label = imp.getStack().getShortSliceLabel(imp.getCurrentSlice())
        colon = "" if label == "" else ":"
        label += colon + (slice_label if slice_label else str(imp.getCurrentSlice()))
    return label
