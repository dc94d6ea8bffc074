"""ImageJ's ``ImageStatistics`` for 8-bit, 16-bit and 32-bit images, to the last digit.

ImageJ computes statistics three ways, and the numbers scripts print depend
on which (``ByteStatistics``, ``ShortStatistics``, ``FloatStatistics``):

* 8- and 16-bit images are summarised through their full histogram: sums run
  over the grey levels in increasing order, each level's calibrated value
  (a Java ``float`` from the calibration table, e.g. Hounsfield units)
  times its count;
* 32-bit images are summed pixel by pixel in row order;
* moments (centre of mass, skewness, kurtosis) are summed pixel by pixel for
  every type.

The sums here run in the same order (``np.cumsum`` is a sequential sum, unlike
``np.sum``), so floating-point rounding is ImageJ's -- except where every
term and partial sum is a whole number below 2**53: then any order gives
Java's double exactly, and integer sums (per level, per row and column) do
the work several times faster (moments of 8/16-bit data and of whole-valued
float data, the centroid, sums of levels).  The region is what
``ImageProcessor.setRoi(roi)`` makes of a selection: its bounds clipped to
the image and its mask cropped with them (:func:`region_of`).

Measurement options are ImageJ's ``Measurements`` bit flags (below).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .. import emulation
from .imagetypes import GRAY8, GRAY16, GRAY32, STRAIGHT_LINE
from .javamath import java_div
from .roi import POINT, Rectangle, Roi

if TYPE_CHECKING:
    from ..model import Calibration

# ij.measure.Measurements
AREA, MEAN, STD_DEV, MODE, MIN_MAX = 1, 2, 4, 8, 16
CENTROID, CENTER_OF_MASS, PERIMETER, LIMIT, RECT = 32, 64, 128, 256, 512
LABELS, ELLIPSE, INVERT_Y, SHAPE_DESCRIPTORS, FERET = 1024, 2048, 4096, 8192, 16384
INTEGRATED_DENSITY, MEDIAN, SKEWNESS, KURTOSIS = 0x8000, 0x10000, 0x20000, 0x40000
AREA_FRACTION, STACK_POSITION, SCIENTIFIC_NOTATION = 0x80000, 0x100000, 0x200000
ADD_TO_OVERLAY, NAN_EMPTY_CELLS = 0x400000, 0x800000
ALL_STATS = (AREA + MEAN + STD_DEV + MODE + MIN_MAX + CENTROID + CENTER_OF_MASS + PERIMETER + RECT
             + ELLIPSE + SHAPE_DESCRIPTORS + FERET + INTEGRATED_DENSITY + MEDIAN + SKEWNESS + KURTOSIS
             + AREA_FRACTION)
#: ``imp.getStatistics()`` without arguments.
DEFAULT_OPTIONS = AREA + MEAN + STD_DEV + MODE + MIN_MAX + RECT
#: ``imp.getRawStatistics()``.
RAW_OPTIONS = AREA + MEAN + MODE + MIN_MAX

_FLOAT_MAX = float(np.finfo(np.float32).max)
#: The value range 32-bit statistics keep (NaN and infinities out); "limit to threshold" replaces it.
_FLOAT_RANGE = (-_FLOAT_MAX, _FLOAT_MAX)
_DOUBLE_MAX = 1.7976931348623157e308
_DOUBLE_MIN_VALUE = 5e-324          # Java's Double.MIN_VALUE, added to moments of 8-bit and float pixels
_EXACT_SUMS = 2.0 ** 53              # below this, sums of whole numbers are exact in a double
_SMALL_ROI = 250000                 # ShortStatistics: smaller regions get a histogram only up to their max


@dataclass(frozen=True)
class Region:
    """What ``ip.setRoi(roi)`` leaves: a rectangle inside the image and its mask (None: all of it)."""

    x: int
    y: int
    width: int
    height: int
    mask: np.ndarray | None = None


def region_of(roi: Roi | None, width: int, height: int) -> Region:
    """``ImageProcessor.setRoi(roi)``: bounds clipped to the image, the mask cropped along.

    A selection entirely outside the image leaves an empty region (ImageJ
    then reports zero pixels); a one-point selection is its pixel; a line
    measures the whole image (``ImagePlus.getStatistics`` resets the ROI).
    """
    if roi is None or not (roi.isArea() or (roi.getType() == POINT and roi.size() == 1)):  # type: ignore[attr-defined]
        return Region(0, 0, width, height)
    b = roi.getBounds()
    if not roi.isArea():                  # ImagePlus.getStatistics: the pixel (int)x, (int)y of the point
        xs, ys = roi.getFloatPolygon()
        b = Rectangle(int(xs[0]), int(ys[0]), 1, 1)
    return clipped_region(b, roi.getMask() if roi.isArea() else None, width, height)


def clipped_region(b: Rectangle, mask: np.ndarray | None, width: int, height: int) -> Region:
    """Bounds (and their mask) clipped to the image: an empty region when nothing is left."""
    x0, y0 = max(b.x, 0), max(b.y, 0)
    x1, y1 = min(b.x + b.width, width), min(b.y + b.height, height)
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return Region(0, 0, 0, 0)
    if mask is not None:
        mask = mask[y0 - b.y:y1 - b.y, x0 - b.x:x1 - b.x]
    return Region(x0, y0, x1 - x0, y1 - y0, mask)


@dataclass
class ImageStatistics:
    """``ij.process.ImageStatistics``'s public fields, with ImageJ's names and defaults."""

    pixelCount: int = 0
    area: float = 0.0
    mean: float = 0.0
    umean: float = 0.0
    stdDev: float = 0.0
    min: float = 0.0
    max: float = 0.0
    dmode: float = 0.0
    mode: int = 0
    maxCount: int = 0
    median: float = 0.0
    skewness: float = 0.0
    kurtosis: float = 0.0
    xCentroid: float = 0.0
    yCentroid: float = 0.0
    xCenterOfMass: float = 0.0
    yCenterOfMass: float = 0.0
    roiX: float = 0.0
    roiY: float = 0.0
    roiWidth: float = 0.0
    roiHeight: float = 0.0
    major: float = 0.0
    minor: float = 0.0
    angle: float = 0.0
    areaFraction: float = 0.0
    lowerThreshold: float = math.nan
    upperThreshold: float = math.nan
    nBins: int = 256
    histMin: float = 0.0
    histMax: float = 0.0
    binSize: float = 1.0
    histogram: np.ndarray = field(default_factory=lambda: np.zeros(256, dtype=np.int64))
    histogram16: np.ndarray | None = None


def get_statistics(pixels: np.ndarray, image_type: int, region: Region, options: int,
                   cal: Calibration | None, threshold: tuple[float, float] | None = None) -> ImageStatistics:
    """``ImageStatistics.getStatistics(ip, options, cal)`` for one slice's pixels (rows, cols).

    ``cal`` None means uncalibrated (``getRawStatistics``).  ``threshold`` is
    the processor's (raw lower and upper levels; None without one): with
    ``LIMIT`` only the pixels inside it are measured, and the area fraction
    is always the thresholded pixels' share, as ImageJ's.  RGB is not
    supported here (ImageJ's ``ColorStatistics`` measures luminance).
    """
    if image_type not in (GRAY8, GRAY16, GRAY32):
        raise ValueError(f"statistics of image type {image_type} are not supported")
    stats = _setup(pixels, region, cal)
    block = pixels[region.y:region.y + region.height, region.x:region.x + region.width]
    inside = block.reshape(-1) if region.mask is None else block[region.mask]
    everything = inside
    measured, levels = region, None
    if options & LIMIT:
        stats.lowerThreshold, stats.upperThreshold = _limits(image_type, threshold, cal)
        if threshold is not None:
            levels = _int_limits(image_type, threshold)
            measured = _within(region, block, *levels)
            inside = block[measured.mask]
    table = _c_table(cal, image_type)
    if image_type == GRAY8:
        _byte_statistics(stats, inside, options, table, cal)
        if inside is not everything:        # the histogram shows every pixel, "limit to threshold" or not
            stats.histogram = np.bincount(everything, minlength=256)
    elif image_type == GRAY16:
        limits = None if levels is None else (int(levels[0]), int(levels[1]))
        _short_statistics(stats, block, everything, options, table, cal, limits)
    else:
        _float_statistics(stats, inside, options, cal, levels or _FLOAT_RANGE)
    if options & AREA_FRACTION and threshold is not None:
        stats.areaFraction = _thresholded_fraction(everything, image_type, threshold)
    if options & (ELLIPSE | SHAPE_DESCRIPTORS):
        shape = _within(region, block, *threshold) if options & LIMIT and threshold is not None else region
        _fit_ellipse(stats, shape, cal, pixels.shape[0])
    elif options & CENTROID:
        _centroid(stats, measured, block, image_type, cal, levels or _FLOAT_RANGE)
    if options & (CENTER_OF_MASS | SKEWNESS | KURTOSIS):
        histogram = _level_histogram(stats, image_type) if inside is everything else None
        _moments(stats, block, measured, inside, image_type, table, cal, levels or _FLOAT_RANGE, histogram)
    return stats


# --- limit to threshold -------------------------------------------------------------------
def _int_limits(image_type: int, threshold: tuple[float, float]) -> tuple[float, float]:
    """The levels the statistics compare with: ``(int)`` casts for 8/16-bit, the doubles for 32-bit."""
    if image_type == GRAY32:
        return threshold
    return float(_java_int(threshold[0])), float(_java_int(threshold[1]))


def _java_int(value: float) -> int:
    return 0 if math.isnan(value) else int(max(min(value, 2**31 - 1), -2**31))


def _limits(image_type: int, threshold: tuple[float, float] | None,
            cal: Calibration | None) -> tuple[float, float]:
    """``saveThreshold``: the levels used (the type's whole range without a threshold), calibrated."""
    if threshold is None:
        low, high = {GRAY8: (0.0, 255.0), GRAY16: (0.0, 65535.0)}.get(image_type, (-_FLOAT_MAX, _FLOAT_MAX))
    else:
        low, high = _int_limits(image_type, threshold)
    if cal is not None and cal.function == STRAIGHT_LINE and cal.coefficients:
        low, high = (cal.coefficients[0] + cal.coefficients[1] * v for v in (low, high))
    return low, high


def _within(region: Region, block: np.ndarray, low: float, high: float) -> Region:
    """The region without the pixels outside ``low..high`` (compared as doubles, as ``getf`` values are)."""
    values = block.astype(np.float64)
    keep = (values >= low) & (values <= high)
    return Region(region.x, region.y, region.width, region.height,
                  keep if region.mask is None else keep & region.mask)


def _thresholded_fraction(inside: np.ndarray, image_type: int, threshold: tuple[float, float]) -> float:
    """``calculateAreaFraction`` with a threshold: the share of pixels inside it, in percent.

    8/16-bit round the levels to whole numbers; 32-bit compares as Java floats.
    """
    if image_type == GRAY32:
        values = inside.astype(np.float32)
        inside_threshold = (values >= np.float32(threshold[0])) & (values <= np.float32(threshold[1]))
    else:
        levels = inside.astype(np.int64)
        inside_threshold = (levels >= math.floor(threshold[0] + 0.5)) & (levels <= math.floor(threshold[1] + 0.5))
    count = int(np.count_nonzero(inside_threshold))
    return java_div(count * 100.0, inside.size)


# --- set-up -----------------------------------------------------------------------------
def _setup(pixels: np.ndarray, region: Region, cal: Calibration | None) -> ImageStatistics:
    """``ImageStatistics.setup``: the bounding rectangle, calibrated."""
    stats = ImageStatistics()
    pw, ph = (cal.pixelWidth, cal.pixelHeight) if cal is not None else (1.0, 1.0)
    stats.roiX = _cal_x(cal, region.x)
    stats.roiY = _cal_y(cal, region.y)
    stats.roiWidth, stats.roiHeight = region.width * pw, region.height * ph
    return stats


def _c_table(cal: Calibration | None, image_type: int) -> np.ndarray | None:
    """``Calibration.getCTable()``: the value function at every grey level, as Java floats."""
    if cal is None or image_type == GRAY32 or cal.function != STRAIGHT_LINE or not cal.coefficients:
        return None
    return _straight_line_table(256 if image_type == GRAY8 else 65536, cal.coefficients[0], cal.coefficients[1])


@lru_cache(maxsize=16)
def _straight_line_table(levels: int, c0: float, c1: float) -> np.ndarray:
    """``c0 + c1*level`` for every level, rounded to float like ImageJ's table (read-only: it is shared)."""
    table = (c0 + c1 * np.arange(levels, dtype=np.float64)).astype(np.float32).astype(np.float64)
    table.flags.writeable = False
    return table


def _pixel_area(cal: Calibration | None) -> tuple[float, float]:
    return (cal.pixelWidth, cal.pixelHeight) if cal is not None else (1.0, 1.0)


def _cal_x(cal: Calibration | None, x: float) -> float:
    return (x - cal.xOrigin) * cal.pixelWidth if cal is not None else float(x)


def _cal_y(cal: Calibration | None, y: float) -> float:
    return (y - cal.yOrigin) * cal.pixelHeight if cal is not None else float(y)


def _seq_sum(values: np.ndarray) -> float:
    """A left-to-right double sum, as a Java loop adds (numpy's ``sum`` pairs terms instead).

    When every term is a whole number and ``count * max|term| < 2**53``, every
    partial sum is exact in a double, so any order gives Java's result and the
    integer sum is used (several times faster than the sequential ``cumsum``).
    """
    if not values.size:
        return 0.0
    peak = float(np.max(np.abs(values)))
    if peak * values.size < _EXACT_SUMS and np.array_equal(values, np.trunc(values)):
        return float(values.astype(np.int64).sum())
    return float(np.cumsum(values, dtype=np.float64)[-1])


def _std_dev(n: float, total: float, total2: float) -> float:
    """``calculateStdDev``: ``sqrt((n*sum2 - sum²)/n/(n-1))``, 0 when not positive."""
    if n <= 0.0:
        return 0.0
    variance = (n * total2 - total * total) / n
    return math.sqrt(variance / (n - 1.0)) if variance > 0.0 else 0.0




# --- 8-bit --------------------------------------------------------------------------------
def _byte_statistics(stats: ImageStatistics, inside: np.ndarray, options: int,
                     table: np.ndarray | None, cal: Calibration | None) -> None:
    """``ByteStatistics``: everything from the 256-level histogram."""
    hist = np.bincount(inside, minlength=256)
    stats.histogram = hist
    pw, ph = _pixel_area(cal)
    levels = np.arange(256, dtype=np.float64)
    counts = hist.astype(np.float64)
    if table is not None:
        used = (hist > 0) & ~np.isnan(table)
        values = np.where(used, table, 0.0)
        stats.pixelCount = int(hist[used].sum())
        total = _seq_sum(values * counts * used)
        total2 = _seq_sum(values * values * counts * used)
        stats.mean = java_div(total, stats.pixelCount)
        stats.umean = java_div(_seq_sum(levels * counts * used), stats.pixelCount)
        stats.mode = int(np.argmax(np.where(used, hist, -1))) if used.any() else 0
        stats.maxCount = int(hist[stats.mode]) if used.any() else 0
        stats.dmode = float(table[stats.mode])
    else:
        stats.pixelCount = int(hist.sum())
        total, total2 = _seq_sum(levels * counts), _seq_sum(levels * levels * counts)
        stats.mean = stats.umean = java_div(total, stats.pixelCount)
        stats.mode = int(np.argmax(hist)) if hist.any() else 0
        stats.maxCount = int(hist[stats.mode])
        stats.dmode = float(stats.mode)
    stats.area = stats.pixelCount * pw * ph
    stats.stdDev = _std_dev(stats.pixelCount, total, total2)
    stats.histMin, stats.histMax = 0.0, 255.0
    if options & MIN_MAX:
        if stats.pixelCount == 0:
            stats.min = stats.max = math.nan
        elif table is not None:
            present = table[hist > 0]
            stats.min, stats.max = float(present.min()), float(present.max())
        else:
            stats.min, stats.max = _raw_min_max(hist, 255)
    if options & MEDIAN:
        stats.median = _histogram_median(hist, 0, 255, stats.pixelCount, cal)
    if options & AREA_FRACTION:
        total_count = int(hist.sum())
        stats.areaFraction = java_div((total_count - int(hist[0])) * 100.0, total_count)


def _raw_min_max(hist: np.ndarray, last: int) -> tuple[float, float]:
    """``getRawMinAndMax``: the first and last used level (an empty histogram gives last, 0)."""
    used = np.flatnonzero(hist[:last + 1] != 0)     # (numpy scans bools several times faster than ints)
    if used.size == 0:
        return float(min(last, len(hist) - 1)), 0.0
    return float(used[0]), float(used[-1])


def _limited_min_max(hist: np.ndarray, first: int, last: int) -> tuple[float, float]:
    """``ShortStatistics.getRawMinAndMax(hist, first, last)``: scans up from ``first`` and down from ``last``."""
    low = first
    if low < len(hist):
        used = np.flatnonzero(hist[low:] != 0)
        low = low + int(used[0]) if used.size else len(hist) - 1
    used = np.flatnonzero(hist[1:last + 1] != 0)
    high = 1 + int(used[-1]) if used.size else 0
    return float(low), float(high)


def _histogram_median(hist: np.ndarray, first: int, last: int, count: int, cal: Calibration | None) -> float:
    """``calculateMedian``: the first level where the running count passes half the pixels."""
    if count == 0 or first < 0 or last > len(hist):
        return math.nan
    running = np.cumsum(hist[first:last + 1], dtype=np.float64)
    past_half = np.flatnonzero(running > count / 2.0)
    level = first + int(past_half[0]) if past_half.size else last
    if cal is not None and cal.function == STRAIGHT_LINE and cal.coefficients:
        return cal.coefficients[0] + cal.coefficients[1] * level
    return float(level)


# --- 16-bit -------------------------------------------------------------------------------
def _short_statistics(stats: ImageStatistics, block: np.ndarray, inside: np.ndarray, options: int,
                      table: np.ndarray | None, cal: Calibration | None,
                      limits: tuple[int, int] | None = None) -> None:
    """``ShortStatistics``: the 65536-level histogram, then a 256-bin one between min and max.

    ``limits``: "limit to threshold"'s levels; the statistics run from the
    first used level at or above the lower one to the last at or below the
    upper one, scanning past them when none is inside (ImageJ's min and max
    of an empty range).
    """
    size = 65536
    if block.size < _SMALL_ROI:               # getHistogram2: sized by the rectangle's (unmasked) max
        size = max(int(block.max()) + 1 if block.size else 1, 256)
    hist = np.bincount(inside, minlength=size)
    stats.histogram16 = hist
    if limits is None:
        lo, hi = _raw_min_max(hist, size - 1)
    else:
        lo, hi = _limited_min_max(hist, limits[0], min(limits[1], size - 1))
    lo_i, hi_i = int(lo), int(hi)
    pw, ph = _pixel_area(cal)
    stats.histMin, stats.histMax = lo, hi
    stats.nBins = 256
    # ShortStatistics: 1.54m counts both ends of the range (its "Histogram bin width" fix)
    stats.binSize = (hi - lo + 1) / 256 if emulation.rules().short_bins_count_both_ends else (hi - lo) / 256
    span = hist[lo_i:hi_i + 1] if hi_i >= lo_i else hist[:0]
    levels = np.arange(lo_i, lo_i + len(span), dtype=np.float64)
    values = table[lo_i:lo_i + len(span)] if table is not None else levels
    counts = span.astype(np.float64)
    stats.pixelCount = int(span.sum())
    total, total2 = _seq_sum(values * counts), _seq_sum(values * values * counts)
    stats.area = stats.pixelCount * pw * ph
    stats.mean = stats.umean = java_div(total, stats.pixelCount)
    stats.stdDev = _std_dev(stats.pixelCount, total, total2)
    stats.min, stats.max = lo, hi
    stats.dmode = float(lo_i + int(np.argmax(span))) if span.size and span.any() else 0.0
    if table is not None:
        stats.dmode = float(table[int(stats.dmode)])
    stats.histogram = _binned(span, levels, lo, stats.binSize)
    if options & MODE:
        stats.mode = int(np.argmax(stats.histogram)) if stats.histogram.any() else 0
        stats.maxCount = int(stats.histogram[stats.mode])
    if options & MIN_MAX and table is not None:
        present = values[span > 0]
        stats.min = float(present.min()) if present.size else _DOUBLE_MAX
        stats.max = float(present.max()) if present.size else -_DOUBLE_MAX
    if options & MEDIAN:
        # levels outside min..max hold none of the pixels counted, so the running count may run from min to
        # max: it passes half of them there (the same answer as ImageJ's 0..65535, less work)
        stats.median = _histogram_median(hist, lo_i, hi_i, stats.pixelCount, cal) if stats.pixelCount else math.nan
    if options & AREA_FRACTION:
        total_count = int(hist.sum())
        stats.areaFraction = java_div((total_count - int(hist[0])) * 100.0, total_count)


def _binned(span: np.ndarray, levels: np.ndarray, lo: float, bin_size: float) -> np.ndarray:
    """The 256-bin histogram ``(int)(scale*(i-hMin))``, the top level in the last bin."""
    if not span.size:
        return np.zeros(256, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.float64(1.0) / np.float64(bin_size)
        index = scale * (levels - lo)
    bins = np.where(np.isnan(index), 0, np.minimum(np.floor(index), 255)).astype(np.int64)
    return np.bincount(bins, weights=span, minlength=256).astype(np.int64)


# --- 32-bit -------------------------------------------------------------------------------
def _float_statistics(stats: ImageStatistics, inside: np.ndarray, options: int, cal: Calibration | None,
                      bounds: tuple[float, float] = _FLOAT_RANGE) -> None:
    """``FloatStatistics``: pixel sums in row order, NaN pixels left out by the range test."""
    values = inside.astype(np.float64)
    finite = values[(values >= bounds[0]) & (values <= bounds[1])]
    # Java's running min starts at Double.MAX_VALUE, so an infinity never becomes the min (nor -inf the max)
    lo = min(float(finite.min()), _DOUBLE_MAX) if finite.size else _DOUBLE_MAX
    hi = max(float(finite.max()), -_DOUBLE_MAX) if finite.size else -_DOUBLE_MAX
    stats.min, stats.max = lo, hi
    stats.histMin, stats.histMax = lo, hi
    stats.binSize = (hi - lo) / 256
    kept = finite       # ImageJ's second test, lo <= v <= hi, holds for every value its first one kept
    stats.pixelCount = int(kept.size)
    total, total2 = _seq_sum(kept), _seq_sum(kept * kept)
    pw, ph = _pixel_area(cal)
    stats.area = stats.pixelCount * pw * ph
    stats.mean = stats.umean = java_div(total, stats.pixelCount)
    stats.stdDev = _std_dev(stats.pixelCount, total, total2)
    histogram = np.zeros(256, dtype=np.int64)
    if kept.size:
        with np.errstate(divide="ignore", invalid="ignore"):
            index = (256 / (hi - lo)) * (kept - lo) if hi != lo else np.full(kept.shape, np.nan)
        bins = np.where(np.isnan(index), 0, np.minimum(np.trunc(index), 255)).astype(np.int64)
        histogram = np.bincount(bins, minlength=256).astype(np.int64)
    stats.histogram = histogram
    if options & MODE:
        stats.mode = int(np.argmax(histogram)) if histogram.any() else 0
        stats.maxCount = int(histogram[stats.mode])
        stats.dmode = lo + stats.mode * stats.binSize
        if stats.binSize != 1.0:
            stats.dmode += stats.binSize / 2.0
    if options & MEDIAN:
        stats.median = _float_median(inside, bounds)
    if options & AREA_FRACTION:
        stats.areaFraction = java_div(int(np.count_nonzero(inside != 0)) * 100.0, inside.size)


def _float_median(inside: np.ndarray, bounds: tuple[float, float] = _FLOAT_RANGE) -> float:
    """``FloatStatistics.getMedian``: sorted floats, the mean of the middle two in float arithmetic."""
    kept = np.sort(inside[(inside >= bounds[0]) & (inside <= bounds[1])].astype(np.float32))
    if kept.size == 0:
        return math.nan
    middle = kept.size // 2
    if kept.size % 2 == 0:
        return float((kept[middle - 1] + kept[middle]) / np.float32(2))
    return float(kept[middle])


# --- geometry -------------------------------------------------------------------------------
def _counted(region: Region, block: np.ndarray, image_type: int, bounds: tuple[float, float]) -> np.ndarray | None:
    """Which pixels of the region's rectangle a loop counts: the mask, less NaN (out-of-range) floats."""
    if image_type != GRAY32:
        return region.mask
    keep = (block >= bounds[0]) & (block <= bounds[1])
    return keep if region.mask is None else keep & region.mask


def _axis_sums(region: Region, weights: np.ndarray | None) -> tuple[int, int]:
    """Σx·w and Σy·w over the region's pixels (image coordinates; None weighs every pixel 1), in integers."""
    xs = np.arange(region.x, region.x + region.width, dtype=np.int64)
    ys = np.arange(region.y, region.y + region.height, dtype=np.int64)
    if weights is None:
        return int(xs.sum()) * region.height, int(ys.sum()) * region.width
    return (int(weights.sum(axis=0, dtype=np.int64) @ xs), int(weights.sum(axis=1, dtype=np.int64) @ ys))


def _region_coordinates(region: Region) -> tuple[np.ndarray, np.ndarray]:
    """The image x and y of every pixel in the region, in row order."""
    if region.mask is not None:
        ys, xs = np.nonzero(region.mask)
    else:
        ys, xs = np.divmod(np.arange(region.width * region.height), max(region.width, 1))
    return xs + region.x, ys + region.y


def _centroid(stats: ImageStatistics, region: Region, block: np.ndarray, image_type: int,
              cal: Calibration | None, bounds: tuple[float, float] = _FLOAT_RANGE) -> None:
    """``getCentroid``: the mean pixel position plus half a pixel, calibrated (float images skip NaN).

    Java adds whole coordinates in doubles, exact below 2**53, so integer sums per row and column give
    its sums.
    """
    counted = _counted(region, block, image_type, bounds)
    count = region.width * region.height if counted is None else int(np.count_nonzero(counted))
    xsum, ysum = _axis_sums(region, counted)
    stats.xCentroid = _cal_x(cal, java_div(float(xsum), count) + 0.5)
    stats.yCentroid = _cal_y(cal, java_div(float(ysum), count) + 0.5)


def _level_histogram(stats: ImageStatistics, image_type: int) -> np.ndarray | None:
    """The count of every level of the whole region, when the histogram pass left it (8/16-bit)."""
    return {GRAY8: stats.histogram, GRAY16: stats.histogram16}.get(image_type)


def _moments(stats: ImageStatistics, block: np.ndarray, region: Region, inside: np.ndarray, image_type: int,
             table: np.ndarray | None, cal: Calibration | None, bounds: tuple[float, float] = _FLOAT_RANGE,
             histogram: np.ndarray | None = None) -> None:
    """``calculateMoments``: skewness, kurtosis and the centre of mass from Java's six pixel sums."""
    sum1, sum2, sum3, sum4, xsum, ysum = moment_sums(block, region, inside, image_type, table, bounds, histogram)
    n, mean = stats.pixelCount, stats.mean
    mean2 = mean * mean
    with np.errstate(all="ignore"):
        variance = java_div(sum2, n) - mean2
        deviation = math.sqrt(variance) if variance >= 0 else math.nan
        stats.skewness = java_div(java_div(sum3 - 3.0 * mean * sum2, n) + 2.0 * mean * mean2, variance * deviation)
        stats.kurtosis = java_div(java_div(sum4 - 4.0 * mean * sum3 + 6.0 * mean2 * sum2, n) - 3.0 * mean2 * mean2,
                              variance * variance) - 3.0
    stats.xCenterOfMass = _cal_x(cal, java_div(xsum, sum1) + 0.5)
    stats.yCenterOfMass = _cal_y(cal, java_div(ysum, sum1) + 0.5)


def moment_sums(block: np.ndarray, region: Region, inside: np.ndarray, image_type: int,
                table: np.ndarray | None, bounds: tuple[float, float] = _FLOAT_RANGE,
                histogram: np.ndarray | None = None) -> list[float]:
    """Java's six moment sums (v, v², v³, v⁴, x·v, y·v), each the double its pixel-by-pixel loop ends with.

    Sums of whole numbers come from integer arithmetic (:func:`whole_number_moment_sums`); the others are
    added in row order (:func:`sequential_moment_sums`, the reference: same answers, slower).
    """
    known = whole_number_moment_sums(block, region, inside, image_type, table, bounds, histogram)
    missing = [i for i, s in enumerate(known) if s is None]
    added = dict(zip(missing, sequential_moment_sums(region, inside, image_type, table, bounds, missing)))
    return [added[i] if s is None else s for i, s in enumerate(known)]


def sequential_moment_sums(region: Region, inside: np.ndarray, image_type: int, table: np.ndarray | None,
                           bounds: tuple[float, float] = _FLOAT_RANGE,
                           which: Sequence[int] = range(6)) -> list[float]:
    """The moment sums ``which`` (indices into v, v², v³, v⁴, x·v, y·v) added pixel by pixel in row order.

    This is ``calculateMoments``'s loop, sum by sum: 8-bit and float values get Java's
    ``Double.MIN_VALUE`` added, as ImageJ's loops do.
    """
    if not which:
        return []
    keep: np.ndarray | None = None
    if image_type == GRAY32:
        v = inside.astype(np.float64) + _DOUBLE_MIN_VALUE
        keep = (v >= bounds[0]) & (v <= bounds[1])
        v = v[keep]
    else:
        v = table[inside] if table is not None else inside.astype(np.float64)
        if image_type == GRAY8:
            v = v + _DOUBLE_MIN_VALUE
    with np.errstate(all="ignore"):         # infinities inside a threshold make NaN sums, as in Java
        v2 = v * v if any(i in (1, 2, 3) for i in which) else v
        if any(i in (4, 5) for i in which):
            xs, ys = _region_coordinates(region)
            if keep is not None:
                xs, ys = xs[keep], ys[keep]
        terms = {0: lambda: v, 1: lambda: v2, 2: lambda: v * v2, 3: lambda: v2 * v2,
                 4: lambda: xs * v, 5: lambda: ys * v}
        return [_seq_sum(terms[i]()) for i in which]


def whole_number_moment_sums(block: np.ndarray, region: Region, inside: np.ndarray, image_type: int,
                             table: np.ndarray | None, bounds: tuple[float, float] = _FLOAT_RANGE,
                             histogram: np.ndarray | None = None) -> list[float | None]:
    """The moment sums integer arithmetic gives exactly; None for each one it cannot.

    When the pixel values (levels, the calibration table's floats, or a float image's values) are whole
    numbers and ``n·max|term| < 2**53``, every term and partial sum of Java's loop is an exact double, so
    the sum in any order -- levels times their counts, rows and columns -- is Java's.  8-bit and float
    values get ``Double.MIN_VALUE`` added: a zero pixel adds a denormal to the sums of v, x·v and y·v,
    which the next non-zero term absorbs, so only a whole-number sum of 0 may differ from Java's; it is
    left to the sequential loop.  ``histogram``: the counts of ``inside``'s levels when the caller has them.
    """
    unknown: list[float | None] = [None] * 6
    if image_type == GRAY32:
        values, counts, per_pixel = _float_values(block, region, bounds)
    else:
        values, counts, per_pixel = _level_values(block, region, inside, image_type, table, histogram)
    if not values.size or not (np.all(np.abs(values) < _EXACT_SUMS) and np.array_equal(values, np.trunc(values))):
        return unknown                                      # fractions, NaN, infinities
    whole = values.astype(np.int64)
    peak = int(np.abs(whole).max())
    n = int(whole.size) if counts is None else int(counts.sum())
    sums = list(unknown)
    term = np.ones_like(whole)
    for power in range(4):
        if peak ** (power + 1) * n >= _EXACT_SUMS:
            break
        term = term * whole
        sums[power] = float(int((term if counts is None else counts * term).sum()))
    x_end, y_end = region.x + region.width - 1, region.y + region.height - 1
    if peak * max(x_end, y_end, 1) * n < _EXACT_SUMS:
        sums[4], sums[5] = (float(s) for s in _axis_sums(region, per_pixel(whole)))
    if image_type != GRAY16:            # a sum of 0 may be Java's sum of denormals
        sums = [None if s == 0.0 and i in (0, 4, 5) else s for i, s in enumerate(sums)]
    return sums


PerPixel = Callable[[np.ndarray], np.ndarray]


def _level_values(block: np.ndarray, region: Region, inside: np.ndarray, image_type: int, table: np.ndarray | None,
                  histogram: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, PerPixel]:
    """8/16-bit: each level present, its value and count, and how to spread whole values back over the pixels."""
    level_counts = np.bincount(inside) if histogram is None else histogram
    used = np.flatnonzero(level_counts != 0)

    def per_pixel(whole: np.ndarray) -> np.ndarray:
        lookup = np.zeros(65536 if image_type == GRAY16 else 256, dtype=np.int64)
        lookup[used] = whole
        weights = np.take(lookup, block)
        if region.mask is not None:
            weights *= region.mask
        return weights

    values = table[used] if table is not None else used.astype(np.float64)
    return values, level_counts[used].astype(np.int64), per_pixel


def _float_values(block: np.ndarray, region: Region,
                  bounds: tuple[float, float]) -> tuple[np.ndarray, None, PerPixel]:
    """32-bit: the values the loop keeps (its range test sees ``v + Double.MIN_VALUE``), in row order."""
    pixels = block.astype(np.float64)
    shifted = pixels + _DOUBLE_MIN_VALUE
    counted = (shifted >= bounds[0]) & (shifted <= bounds[1])
    if region.mask is not None:
        counted &= region.mask

    def per_pixel(whole: np.ndarray) -> np.ndarray:
        weights = np.zeros(block.shape, dtype=np.int64)
        weights[counted] = whole
        return weights

    return pixels[counted], None, per_pixel


def _fit_ellipse(stats: ImageStatistics, region: Region, cal: Calibration | None, height: int) -> None:
    """``EllipseFitter``: the ellipse with the region's second moments and area (Rodieck's method)."""
    major, minor, angle, xc, yc = fit_ellipse(region)
    pw, ph = _pixel_area(cal)
    psize = pw if abs(pw - ph) / pw < 0.01 else 0.0
    stats.major, stats.minor, stats.angle = major * psize, minor * psize, angle
    stats.xCentroid, stats.yCentroid = _cal_x(cal, xc), _cal_y(cal, yc)


def fit_ellipse(region: Region) -> tuple[float, float, float, float, float]:
    """``EllipseFitter.fit``: (major, minor, angle in degrees, x centre, y centre) in pixels."""
    half_pi = 1.5707963267949
    left, top, width, height = region.x, region.y, region.width, region.height
    if region.mask is None:
        major, minor, angle = width * 2 / 1.772453851, height * 2 / 1.772453851, 0.0
        if major < minor:
            major, minor, angle = minor, major, 90.0
        return major, minor, angle, left + width / 2.0, top + height / 2.0
    bits = region.mask.view(np.uint8)                   # integer sums: exact, as ImageJ's are
    xcols, yrows = np.arange(width, dtype=np.int64), np.arange(height, dtype=np.int64)
    rows, cols = bits.sum(axis=1, dtype=np.int64), bits.sum(axis=0, dtype=np.int64)
    row_xsum = np.einsum("ij,j->i", bits, xcols)
    bit_count = int(rows.sum())
    xsum, ysum = float(int(cols @ xcols)), float(int(rows @ yrows))
    x2sum = float(int(cols @ (xcols * xcols)))
    xysum = float(int(row_xsum @ yrows))
    y2sum = float(int(rows @ (yrows * yrows)))
    u20 = u02 = u11 = xm = ym = 0.0
    if bit_count:
        x2sum += 0.08333333 * bit_count
        y2sum += 0.08333333 * bit_count
        n = float(bit_count)
        x1, y1 = xsum / n, ysum / n
        xm, ym = x1, y1
        u20, u02, u11 = x2sum / n - x1 * x1, y2sum / n - y1 * y1, xysum / n - x1 * y1
    m4 = 4.0 * abs(u02 * u20 - u11 * u11)
    m4 = 0.000001 if m4 < 0.000001 else m4
    a11, a12, a22 = u02 / m4, u11 / m4, u20 / m4
    tmp = a11 - a22
    tmp = 0.000001 if tmp == 0.0 else tmp
    theta = 0.5 * math.atan(2.0 * a12 / tmp)
    if theta < 0.0:
        theta += half_pi
    if a12 > 0.0:
        theta += half_pi
    elif a12 == 0.0:
        if a22 > a11:
            theta, a22, a11 = 0.0, a11, a22
        elif a11 != a22:
            theta = half_pi
    tmp = math.sin(theta)
    tmp = 0.000001 if tmp == 0.0 else tmp
    z = a12 * math.cos(theta) / tmp
    major, minor = math.sqrt(java_div(1.0, abs(a22 + z))), math.sqrt(java_div(1.0, abs(a11 - z)))
    with np.errstate(all="ignore"):
        scale = float(np.sqrt(np.float64(bit_count) / (math.pi * major * minor)))
    major, minor = major * scale * 2.0, minor * scale * 2.0
    angle = 180.0 * theta / math.pi
    if angle == 180.0:
        angle = 0.0
    if major < minor:
        major, minor = minor, major
    return major, minor, angle, left + xm + 0.5, top + ym + 0.5
