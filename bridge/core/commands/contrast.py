"""*Process>Enhance Contrast...*, ImageJ 1.53t's ``ContrastEnhancer``.

Without ``normalize`` it only stretches the display range so that
``saturated`` percent of the pixels (half at each end) fall outside it;
pixels change only for RGB (whose display range is written into the
pixels).  ``normalize`` rewrites the pixels to the full range of the type
(0-1 for 32-bit), ``equalize`` applies ImageJ's square-root histogram
equalization; ``process_all`` does every slice (and implies normalize).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...errors import ScriptError
from .. import pixelmath
from .. import statistics as st
from .. import typeconvert
from ..calibration import data_range, java_int, java_round_int, set_min_and_max
from ..imagetypes import COLOR_RGB, GRAY8, GRAY16, GRAY32
from ..statistics import Region
from .options import Options
from .pixel_math import filter_region
from .registry import command
from .session import Session

if TYPE_CHECKING:
    from ...model import ImagePlus


@command("Enhance Contrast...")
def enhance_contrast(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    image_type = imp.getType()
    stack = imp.getStackSize() > 1
    area_roi = imp.getRoi() is not None and imp.getRoi().isArea()  # type: ignore[union-attr]
    saturated = min(max(options.number("saturated", 0.35), 0.0), 100.0)
    normalize = options.flag("normalize") if image_type != COLOR_RGB else False
    entire_image = options.flag("update") if area_roi else False
    equalize = options.flag("equalize")
    process_all = options.flag("process_all") if stack else False
    use_stack_histogram = options.flag("use") if stack else False
    options.done(also_accepted=("normalize_all",))
    if use_stack_histogram and equalize and image_type == GRAY16 and imp.getCalibration().calibrated():
        # ImageJ's StackStatistics has no 65536-level histogram then, and equalize overruns the 256 bins
        raise ScriptError("Enhance Contrast...", None, "java.lang.ArrayIndexOutOfBoundsException: "
                          "Index 256 out of bounds for length 256")
    # decided before process_all turns normalize on: then the whole slice is normalized
    selection_only = area_roi and not entire_image and (normalize or image_type == COLOR_RGB)
    if process_all and not equalize:
        normalize = True
    if not isinstance(imp.data, np.ndarray) or not imp.data.flags.writeable:
        imp.data = np.array(imp.data)
    planes = list(imp.data) if process_all else [imp.data[imp.getCurrentSlice() - 1]]
    region = filter_region(imp)
    stack_histogram = _stack_histogram(imp, region, session) if use_stack_histogram else None
    if equalize:
        _equalize(imp, planes, process_all, session, stack_histogram)
        return
    for plane in planes:
        _stretch(imp, plane, region, saturated, normalize, selection_only, session, stack_histogram)
    if normalize:
        top = {GRAY8: 255.0, GRAY16: 65535.0, GRAY32: 1.0, COLOR_RGB: 255.0}[image_type]
        imp.display_range = set_min_and_max(image_type, 0.0, top, imp.data[imp.getCurrentSlice() - 1])


#: what ContrastEnhancer reads of an ImageStatistics: histogram (65536 levels for 16-bit), histMin, binSize,
#: pixelCount
Histogram = tuple[np.ndarray, float, float, int]


def _stretch(imp: ImagePlus, plane: np.ndarray, region: Region, saturated: float, normalize: bool,
             selection_only: bool, session: Session, stack_histogram: Histogram | None) -> None:
    """``stretchHistogram(ip, saturated, stats)`` on one slice (the stack's statistics with ``use``)."""
    image_type = imp.getType()
    histogram, hist_min, bin_size, count = stack_histogram or _histogram(plane, image_type, region, session)
    hmin, hmax = _saturated_bins(histogram, count, saturated)
    if hmax <= hmin:
        return
    lo, hi = hist_min + hmin * bin_size, hist_min + hmax * bin_size
    if image_type == GRAY16 and len(histogram) > 256:       # a 65536-level histogram: bins are levels
        lo, hi = float(hmin), float(hmax)
    target = region if selection_only else Region(0, 0, imp.getWidth(), imp.getHeight())
    if normalize:
        _normalize(plane, image_type, lo, hi, target)
    elif image_type == COLOR_RGB:        # ColorProcessor.setMinAndMax writes the range into the pixels
        table = _rgb_window_table(lo, hi)
        _masked(plane, target, lambda block: block.__setitem__(Ellipsis, pixelmath.apply_rgb_table(block, table)))
        imp.display_range = (float(java_int(lo)), float(java_int(hi)))
    else:
        imp.display_range = set_min_and_max(image_type, lo, hi, plane, current=imp.display_range)


def _histogram(plane: np.ndarray, image_type: int, region: Region,
               session: Session) -> tuple[np.ndarray, float, float, int]:
    """``ImageStatistics.getStatistics(ip, MIN_MAX, null)``: histogram, histMin, binSize, pixelCount."""
    if image_type == COLOR_RGB:
        block = plane[region.y:region.y + region.height, region.x:region.x + region.width]
        gray = typeconvert.rgb_to_byte(block, session.rgb_weights)
        inside = gray.reshape(-1) if region.mask is None else gray[region.mask]
        return np.bincount(inside, minlength=256), 0.0, 1.0, int(inside.size)
    stats = st.get_statistics(plane, image_type, region, st.MIN_MAX, None)
    histogram = stats.histogram
    if image_type == GRAY16 and stats.histogram16 is not None:     # one bin per level, all 65536 of them
        histogram = np.zeros(65536, dtype=np.int64)
        histogram[:len(stats.histogram16)] = stats.histogram16
    return histogram, stats.histMin, stats.binSize, stats.pixelCount


def _stack_histogram(imp: ImagePlus, region: Region, session: Session) -> Histogram:
    """``new StackStatistics(imp)``: the selection's pixels of every slice in one histogram.

    8-bit and RGB sum the 256-level histograms, 16-bit the 65536-level ones;
    32-bit bins all finite values into 256 bins between the stack's min and max.
    """
    image_type = imp.getType()
    inside = [_inside(plane, region) for plane in np.asarray(imp.data)]
    cal = imp.getCalibration()
    if image_type == GRAY32 or (image_type == GRAY16 and cal.calibrated()):
        values = np.concatenate(inside)
        if image_type == GRAY16:        # calibrated values through the float table
            table = typeconvert.calibration_table(GRAY16, cal.getCoefficients())
            assert table is not None
            values = table[values]
        values = values.astype(np.float64)
        values = values[(values >= -_FLOAT_MAX) & (values <= _FLOAT_MAX)]
        if values.size == 0:
            return np.zeros(256, dtype=np.int64), 0.0, 0.0, 0
        lo, hi = float(values.min()), float(values.max())
        with np.errstate(divide="ignore", invalid="ignore"):
            index = (256 / (hi - lo)) * (values - lo)
        bins = np.minimum(np.trunc(np.nan_to_num(index, nan=0.0)), 255).astype(np.int64)
        lo, hi = cal.getRawValue(lo), cal.getRawValue(hi)      # the range is reported raw again
        return np.bincount(bins, minlength=256), lo, (hi - lo) / 256, int(values.size)
    if image_type == COLOR_RGB:
        inside = [typeconvert.rgb_to_byte(values, session.rgb_weights) for values in inside]
    levels = 65536 if image_type == GRAY16 else 256
    histogram = sum((np.bincount(values, minlength=levels) for values in inside), np.zeros(levels, dtype=np.int64))
    return histogram, 0.0, 1.0, int(histogram.sum())


_FLOAT_MAX = 3.4028234663852886e38


def _inside(plane: np.ndarray, region: Region) -> np.ndarray:
    """The region's pixels (inside its mask), flat."""
    block = plane[region.y:region.y + region.height, region.x:region.x + region.width]
    return block.reshape(-1) if region.mask is None else block[region.mask]


def _saturated_bins(histogram: np.ndarray, count: int, saturated: float) -> tuple[int, int]:
    """``getMinAndMax``: the first bins from each end whose running count exceeds the threshold."""
    threshold = java_int(count * saturated / 200.0) if saturated > 0.0 else 0
    above_low = np.nonzero(np.cumsum(histogram) > threshold)[0]
    hmin = int(above_low[0]) if above_low.size else len(histogram) - 1
    above_high = np.nonzero(np.cumsum(histogram[::-1]) > threshold)[0]
    hmax = len(histogram) - 1 - int(above_high[0]) if above_high.size else 0
    return hmin, hmax


def _normalize(plane: np.ndarray, image_type: int, lo: float, hi: float, target: Region) -> None:
    """``normalize``: floats to 0-1 over the whole slice; integers through a table, in ``target``."""
    if image_type == GRAY32:
        scale = 1.0 / (hi - lo) if hi > lo else 1.0
        with np.errstate(invalid="ignore"):
            v = plane.astype(np.float64) - lo
            v = np.where(v < 0.0, 0.0, v) * scale
            plane[...] = np.where(v > 1.0, 1.0, v).astype(np.float32)
        return
    top = 65535 if image_type == GRAY16 else 255
    levels = np.arange(top + 1, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ramp = np.trunc((levels - lo) / (hi - lo) * top)
    table = np.where(levels <= lo, 0, np.where(levels >= hi, top, ramp))
    if image_type == COLOR_RGB:             # RGB is normalized only by process_all: each channel
        rgb_table = table.astype(np.uint8)
        _masked(plane, target, lambda block: block.__setitem__(Ellipsis, pixelmath.apply_rgb_table(block, rgb_table)))
        return
    typed = table.astype(plane.dtype)
    _masked(plane, target, lambda block: block.__setitem__(Ellipsis, typed[block]))


def _rgb_window_table(lo: float, hi: float) -> np.ndarray:
    """``ColorProcessor.setMinAndMax``'s table: ``(int)(256.0*(i-(int)min)/(max-min))``, clamped."""
    low = java_int(lo)
    values = [java_int(256.0 * (i - low) / (hi - lo)) for i in range(256)]
    return np.clip(values, 0, 255).astype(np.uint8)


def _masked(plane: np.ndarray, region: Region, change: object) -> None:
    """Apply ``change`` to the region's block, then restore what lies outside its mask."""
    block = plane[region.y:region.y + region.height, region.x:region.x + region.width]
    before = block.copy() if region.mask is not None else None
    change(block)  # type: ignore[operator]
    if before is not None and region.mask is not None:
        block[~region.mask] = before[~region.mask]


def _equalize(imp: ImagePlus, planes: list[np.ndarray], process_all: bool, session: Session,
              stack_histogram: Histogram | None) -> None:
    """``equalize(imp)``: square-root equalization from the (first) slice's histogram; not for 32-bit."""
    image_type = imp.getType()
    if image_type == GRAY32:
        print("Equalization of 32-bit images not supported.")    # ImageJ's message; nothing changes
        return
    histogram = stack_histogram[0] if stack_histogram is not None else None
    for plane in planes:
        if histogram is None:
            histogram = _level_histogram(imp, plane, session.rgb_weights)
        table = _equalize_table(histogram, 65535 if image_type == GRAY16 else 255)
        if image_type == COLOR_RGB:
            plane[...] = pixelmath.apply_rgb_table(plane, table.astype(np.uint8))
        else:
            plane[...] = table.astype(plane.dtype)[plane]
    current = imp.data[imp.getCurrentSlice() - 1]
    if image_type == GRAY16 and process_all and imp.getStackSize() > 1:
        imp.display_range = data_range(GRAY16, imp.data[imp.getStackSize() // 2 - 1])
    else:
        imp.display_range = data_range(image_type, current)


def _level_histogram(imp: ImagePlus, plane: np.ndarray, weights: tuple[float, float, float]) -> np.ndarray:
    """``ip.getHistogram()`` of ``imp.getProcessor()``: one count per level in the selection's rectangle."""
    roi = imp.getRoi()
    block = plane
    if roi is not None and roi.isArea():        # imp.getProcessor() sets the bounds only, not the mask
        r = st.region_of(roi, imp.getWidth(), imp.getHeight())
        block = plane[r.y:r.y + r.height, r.x:r.x + r.width]
    if imp.getType() == COLOR_RGB:
        block = typeconvert.rgb_to_byte(np.asarray(block), weights)
    return np.bincount(np.asarray(block).reshape(-1), minlength=65536 if imp.getType() == GRAY16 else 256)


def _equalize_table(histogram: np.ndarray, top: int) -> np.ndarray:
    """Richard Kirk's equalization: the running sum of square roots of the counts, scaled to ``top``."""
    counts = np.zeros(top + 1, dtype=np.float64)
    counts[:min(len(histogram), top + 1)] = histogram[:top + 1]
    weights = np.where(counts < 2, counts, np.sqrt(counts)).tolist()
    total = weights[0]
    for i in range(1, top):                 # summed in ImageJ's order: the rounding is part of the result
        total += 2 * weights[i]
    total += weights[top]
    scale = top / total
    table = np.zeros(top + 1, dtype=np.int64)
    running = weights[0]
    for i in range(1, top):
        running += weights[i]
        table[i] = java_round_int(running * scale)
        running += weights[i]
    table[top] = top
    return table
