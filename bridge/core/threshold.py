"""An image's threshold as ImageJ keeps it on its ``ImageProcessor``, and how ImageJ sets it.

ImageJ stores two numbers (``getMinThreshold``/``getMaxThreshold``, raw pixel
values; ``NO_THRESHOLD`` = -808080 when none) and a display mode.  They are
set three ways, each ported here line by line from ImageJ 1.53t:

* :func:`set_threshold` -- ``ip.setThreshold(lower, upper, mode)``: 16-bit
  images clamp to 0..65535 and round to whole levels; ``setThreshold`` in a
  macro first turns calibrated values into raw ones (:func:`set_calibrated_threshold`);
* :func:`set_auto_threshold` -- ``ip.setAutoThreshold("Otsu dark")``: 16- and
  32-bit slices are reset to their own min and max (unless "no-reset"),
  scaled to 8 bits the way ``convertToByte(true)`` scales them, the selection's
  256-bin histogram goes to :mod:`~bridge.core.autothreshold`, and the level
  found is scaled back (``scaleAndSetThreshold``);
* :func:`set_legacy_auto_threshold` -- ``setAutoThreshold()`` without a method
  (ImageJ's ``ISODATA2``), also what *Convert to Mask* uses on an image
  without a threshold: the mode's count capped, a Gaussian-smoothed histogram
  to tell dark objects from light ones.

The state lives on the model's ``ImagePlus`` (one processor per image in
ImageJ, whatever slice is shown), so these functions take the image.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ScriptError
from . import autothreshold
from .autothreshold import java_int, java_round
from .imagetypes import COLOR_RGB, GRAY8, GRAY16, GRAY32, STRAIGHT_LINE
from .statistics import region_of

if TYPE_CHECKING:
    from ..model import ImagePlus

#: ``ImageProcessor.NO_THRESHOLD``: what ``getMinThreshold()`` returns when there is no threshold.
NO_THRESHOLD = -808080.0
#: ``ImageProcessor`` LUT update modes (how the threshold is shown).
RED_LUT, BLACK_AND_WHITE_LUT, NO_LUT_UPDATE, OVER_UNDER_LUT = 0, 1, 2, 3
#: The methods ``setAutoThreshold("<method> [dark] ...")`` accepts (``AutoThresholder.Method``).
METHODS = autothreshold.METHODS
_FLOAT_MAX = float(np.finfo(np.float32).max)


def has_threshold(imp: ImagePlus) -> bool:
    return imp.min_threshold != NO_THRESHOLD


def reset_threshold(imp: ImagePlus) -> None:
    """``ip.resetThreshold()``: only the lower level says "none"; ImageJ keeps the upper one and the mode."""
    imp.min_threshold = NO_THRESHOLD


def set_threshold(imp: ImagePlus, lower: float, upper: float, lut_update: int = RED_LUT) -> None:
    """``ip.setThreshold(lower, upper, lutUpdate)`` for the image's type (raw values)."""
    image_type = imp.getType()
    if image_type == COLOR_RGB:
        return
    if lower == NO_THRESHOLD:
        if image_type == GRAY8:
            imp.lut_update = lut_update
            imp.max_threshold = min(upper, 255.0)
        reset_threshold(imp)
        return
    if image_type == GRAY16:
        lower, upper = max(lower, 0.0), min(upper, 65535.0)
        lower, upper = float(java_round(lower)), float(java_round(upper))
    if image_type == GRAY8 or _display_span(imp):     # a flat 16/32-bit image keeps its mode
        imp.lut_update = lut_update
    if image_type == GRAY8:                             # ByteProcessor clamps to its levels
        lower, upper = max(lower, 0.0), min(upper, 255.0)
    imp.min_threshold, imp.max_threshold = float(lower), float(upper)


def _display_span(imp: ImagePlus) -> bool:
    """Whether the display range is not empty (16-bit compares it as ints, as ``ShortProcessor``)."""
    low, high = imp.display_range
    if imp.getType() == GRAY16:
        return java_int(high) > java_int(low)
    return high > low


def set_calibrated_threshold(imp: ImagePlus, lower: float, upper: float, mode: str | None = None) -> None:
    """``IJ.setThreshold(imp, lower, upper, mode)``: calibrated values unless ``mode`` has "raw"."""
    if mode is None or "raw" not in mode:
        lower, upper = raw_value(imp, lower), raw_value(imp, upper)
    lut_update = RED_LUT
    if mode is not None:
        mode = mode.lower()
        if "black" in mode:
            lut_update = BLACK_AND_WHITE_LUT
        elif "over" in mode:
            lut_update = OVER_UNDER_LUT
        elif "no" in mode:
            lut_update = NO_LUT_UPDATE
    set_threshold(imp, lower, upper, lut_update)


def raw_value(imp: ImagePlus, value: float) -> float:
    """``Calibration.getRawValue``: a straight line inverted; other functions are not modelled."""
    cal = imp.getCalibration()
    if not cal.calibrated():
        return value
    coefficients = cal.getCoefficients()
    if cal.getFunction() == STRAIGHT_LINE and coefficients is not None and len(coefficients) == 2 \
            and coefficients[1] != 0.0:
        return (value - coefficients[0]) / coefficients[1]
    raise ScriptError("setThreshold", None, "only straight-line calibrations are supported")


def calibrated_threshold(imp: ImagePlus) -> tuple[float, float]:
    """The macro's ``getThreshold(lower, upper)``: calibrated values, or (-1, -1) without a threshold."""
    if not has_threshold(imp):
        return -1.0, -1.0
    cal = imp.getCalibration()
    return cal.getCValue(imp.min_threshold), cal.getCValue(imp.max_threshold)


# --- automatic thresholds ------------------------------------------------------------------
def parse_method(spec: str) -> tuple[str, bool, bool, int]:
    """``"Otsu dark no-reset"`` -> (method, dark background, no reset, LUT mode), as ``setAutoThreshold(String)``."""
    lut_update = RED_LUT
    if "b&w" in spec:
        lut_update = BLACK_AND_WHITE_LUT
    if "over" in spec:
        lut_update = OVER_UNDER_LUT
    if "no-lut" in spec:
        lut_update = NO_LUT_UPDATE
    method = spec.split(" ", 1)[0]
    if method not in METHODS:
        raise ScriptError("setAutoThreshold", None, f'Invalid method ("{method}")')
    return method, "dark" in spec, "no-reset" in spec, lut_update


def set_auto_threshold(imp: ImagePlus, spec: str, in_selection: bool = True) -> None:
    """``ip.setRoi(imp.getRoi()); ip.setAutoThreshold(spec)`` on the current slice.

    ``in_selection=False`` is ``imp.getProcessor().setAutoThreshold(spec)``
    in a script, where the processor has no selection: the whole slice.
    """
    _refuse_rgb(imp)
    method, dark, no_reset, lut_update = parse_method(spec)
    histogram = _byte_histogram(imp, not no_reset or lut_update == OVER_UNDER_LUT, in_selection)
    threshold = autothreshold.get_threshold(method, histogram)
    if dark != imp.isInvertedLut():
        lower, upper = threshold + 1.0, 255.0
    else:
        lower, upper = 0.0, float(threshold)
    scale_and_set_threshold(imp, min(lower, 255.0), upper, lut_update)


def set_legacy_auto_threshold(imp: ImagePlus, lut_update: int = RED_LUT, in_selection: bool = True) -> None:
    """``ip.setAutoThreshold(ISODATA2, lutUpdate)``: the macro's ``setAutoThreshold()`` without a method."""
    _refuse_rgb(imp)
    histogram = _byte_histogram(imp, True, in_selection)
    lower, upper = legacy_levels(histogram, imp.isInvertedLut())
    scale_and_set_threshold(imp, lower, upper, lut_update)


def legacy_levels(histogram: np.ndarray, inverted_lut: bool) -> tuple[float, float]:
    """ISODATA2's (lower, upper) in 0-255: objects on the side of the smoothed mode with the longer tail."""
    counts = [int(c) for c in histogram]
    mode = int(np.argmax(histogram))
    max_count2 = max((c for i, c in enumerate(counts) if i != mode), default=0)
    capped = list(counts)
    if counts[mode] > max_count2 * 2 and max_count2 != 0:
        capped[mode] = java_int(max_count2 * 1.5)
    threshold = float(autothreshold.ij_isodata(capped))
    smoothed = blur_histogram(counts)
    peak, peak_count, total = 0, np.float32(0), np.float32(0)
    for i, count in enumerate(smoothed):
        total = np.float32(total + count)
        if count > peak_count:
            peak, peak_count = i, count
    used = np.flatnonzero(histogram)
    low, high = (float(used[0]), float(used[-1])) if used.size else (255.0, 0.0)
    if float(peak_count) / (float(total) / 256.0) > 1.5:
        objects_light = (high - peak) > (peak - low)
    else:
        objects_light = inverted_lut
    return (threshold, 255.0) if objects_light else (0.0, threshold)


def byte_histogram(plane: np.ndarray) -> np.ndarray:
    """An 8-bit plane's 256-bin histogram."""
    return np.bincount(plane.reshape(-1).astype(np.int64), minlength=256)


def set_stack_threshold(imp: ImagePlus, spec: str) -> None:
    """``setAutoThreshold("<method> [dark] stack")``: one threshold from the whole stack's histogram.

    ImageJ's ``IJ.setStackThreshold``: the stack histogram (``StackStatistics``)
    of the selection, 256 bins from the stack's min to max (8-bit: 0-255),
    the level scaled to that range, the display range set to it, red LUT.
    """
    _refuse_rgb(imp)
    method = spec.split(" ", 1)[0]
    if method not in METHODS:
        raise ScriptError("setAutoThreshold", None, f"No enum constant ij.process.AutoThresholder.Method.{method}")
    histogram, low, high = stack_histogram(imp)
    if imp.getBitDepth() == 8:
        low, high = 0.0, 255.0
    level = autothreshold.get_threshold(method, histogram)
    if ("dark" in spec) != imp.isInvertedLut():
        lower, upper = min(level + 1.0, 255.0), 255.0
    else:
        lower, upper = 0.0, float(level)
    if high > low:
        lower, upper = low + (lower / 255.0) * (high - low), low + (upper / 255.0) * (high - low)
    else:
        lower = upper = low
    set_display_range(imp, low, high)
    set_threshold(imp, lower, upper, RED_LUT)


def stack_histogram(imp: ImagePlus) -> tuple[np.ndarray, float, float]:
    """``new StackStatistics(imp)``'s 256-bin histogram, min and max (raw), over the selection on every slice.

    Calibrated 16-bit stacks take ImageJ's general path: min, max and bins of
    the calibrated values (which ``setStackThreshold`` then uses as raw
    levels and display range, clamped to 0-65535: ImageJ's, kept).
    """
    region = region_of(imp.getRoi(), imp.getWidth(), imp.getHeight())
    planes = [np.asarray(imp.data[n]) for n in range(imp.getStackSize())]
    blocks = [p[region.y:region.y + region.height, region.x:region.x + region.width] for p in planes]
    inside = np.concatenate([b.reshape(-1) if region.mask is None else b[region.mask] for b in blocks])
    image_type = imp.getType()
    if image_type == GRAY8:
        return np.bincount(inside.astype(np.int64), minlength=256), 0.0, 255.0
    cal = imp.getCalibration()
    if image_type == GRAY16 and not cal.calibrated():
        used = np.flatnonzero(np.bincount(inside, minlength=65536))
        low, high = (float(used[0]), float(used[-1])) if used.size else (65535.0, 0.0)
        levels = inside.astype(np.float64)
        with np.errstate(all="ignore"):
            index = (np.float64(1.0) / np.float64((high - low) / 256)) * (levels - low)
    else:
        levels = inside.astype(np.float64)
        coefficients = cal.getCoefficients()
        if image_type == GRAY16 and cal.getFunction() == STRAIGHT_LINE and coefficients:
            levels = (coefficients[0] + coefficients[1] * levels).astype(np.float32).astype(np.float64)
        levels = levels[(levels >= -_FLOAT_MAX) & (levels <= _FLOAT_MAX)]
        low = float(levels.min()) if levels.size else 1.7976931348623157e308
        high = float(levels.max()) if levels.size else -1.7976931348623157e308
        with np.errstate(all="ignore"):
            index = (256 / np.float64(high - low)) * (levels - low)
    bins = np.where(np.isnan(index), 0, np.minimum(np.trunc(np.nan_to_num(index, posinf=255)), 255))
    return np.bincount(bins.astype(np.int64), minlength=256), low, high


def set_display_range(imp: ImagePlus, low: float, high: float) -> None:
    """``ip.setMinAndMax(min, max)``: 16-bit clamps and truncates, 32-bit keeps floats, 8-bit rounds."""
    image_type = imp.getType()
    if image_type == GRAY8:
        if high >= low:
            imp.display_range = (float(java_round(low)), float(java_round(high)))
        return
    if low == 0.0 and high == 0.0:
        imp.display_range = slice_min_max(np.asarray(imp.data[imp.getCurrentSlice() - 1]), image_type)
    elif image_type == GRAY16:
        imp.display_range = (float(java_int(max(low, 0.0))), float(java_int(min(high, 65535.0))))
    else:
        imp.display_range = (float(np.float32(low)), float(np.float32(high)))
    reset_threshold(imp)


def scale_and_set_threshold(imp: ImagePlus, lower: float, upper: float, lut_update: int) -> None:
    """``scaleAndSetThreshold``: 0-255 levels to the 16/32-bit display range (0 and 255 to the type's ends)."""
    bits = imp.getBitDepth()
    if bits != 8 and lower != NO_THRESHOLD:
        low, high = _processor_min_max(imp)
        if high > low:
            if lower == 0.0:
                if bits == 32:
                    lower = min(low, -1e30)
            else:
                lower = low + (lower / 255.0) * (high - low)
            if upper == 255.0:
                upper = 65535.0 if bits == 16 else max(high, 1e30)
            else:
                upper = low + (upper / 255.0) * (high - low)
        else:
            lower = upper = low
    set_threshold(imp, lower, upper, lut_update)


def _processor_min_max(imp: ImagePlus) -> tuple[float, float]:
    """``ip.getMin()``/``getMax()``: ints for 16-bit (``ShortProcessor`` keeps them as ints)."""
    low, high = imp.display_range
    if imp.getType() == GRAY16:
        return float(java_int(low)), float(java_int(high))
    return float(low), float(high)


def _refuse_rgb(imp: ImagePlus) -> None:
    if imp.getType() == COLOR_RGB:
        raise ScriptError("setAutoThreshold", None, "Non-RGB image expected")


def _byte_histogram(imp: ImagePlus, reset: bool, in_selection: bool) -> np.ndarray:
    """The 256-bin histogram ``setAutoThreshold`` thresholds: of the 8-bit view, inside the selection.

    For 16- and 32-bit slices ``reset`` first sets the display range to the
    slice's min and max (``resetMinAndMax``, which also drops the threshold).
    """
    plane = np.asarray(imp.data[imp.getCurrentSlice() - 1])
    if imp.getType() != GRAY8:
        if reset:
            imp.display_range = slice_min_max(plane, imp.getType())
            reset_threshold(imp)
        low, high = _processor_min_max(imp)
        plane = to_byte(plane, imp.getType(), low, high)
    region = region_of(imp.getRoi() if in_selection else None, imp.getWidth(), imp.getHeight())
    block = plane[region.y:region.y + region.height, region.x:region.x + region.width]
    inside = block.reshape(-1) if region.mask is None else block[region.mask]
    return np.bincount(inside.astype(np.int64), minlength=256)


def slice_min_max(plane: np.ndarray, image_type: int) -> tuple[float, float]:
    """``findMinAndMax``: 16-bit over all pixels; 32-bit skipping NaN (infinities count)."""
    if image_type == GRAY32:
        finite = plane[~np.isnan(plane)]
        if not finite.size:
            return math.nan, math.nan
        return float(finite.min()), float(finite.max())
    return float(plane.min()), float(plane.max())


def to_byte(plane: np.ndarray, image_type: int, low: float, high: float) -> np.ndarray:
    """``convertToByte(true)``: 16-bit by ``256/(max-min+1)``, 32-bit by ``255/(max-min)``, rounded."""
    if image_type == GRAY16:
        low_i, high_i = java_int(low), java_int(high)
        scale = 256.0 / (high_i - low_i + 1)
        values = np.maximum(plane.astype(np.int64) - low_i, 0)
        return np.minimum((values * scale + 0.5).astype(np.int64), 255).astype(np.uint8)
    with np.errstate(all="ignore"):
        scale = np.float64(255.0) / np.float64(high - low)
        values = plane.astype(np.float64) - np.float64(low)
        values = np.where(values < 0.0, 0.0, values)
        scaled = values * scale + 0.5
    scaled = np.where(np.isnan(scaled), 0.0, np.minimum(scaled, 255.0))
    return scaled.astype(np.uint8)


# --- ISODATA2's smoothed histogram ---------------------------------------------------------------
def blur_histogram(histogram: list[int]) -> np.ndarray:
    """``GaussianBlur.blur1Direction(fp, 2.0, 0.01, true, 0)`` on the 256 counts, in Java floats."""
    line = np.asarray(histogram, dtype=np.float32)
    kernel, running = _gaussian_kernel(2.0, 0.01, 256)
    length, radius = len(line), len(kernel)
    first, last = line[0], line[-1]
    out = np.empty(length, dtype=np.float32)
    for i in range(length):
        result = np.float32(line[i] * kernel[0])
        if i < radius:
            result = np.float32(result + running[i] * first)
        if i + radius >= length:
            result = np.float32(result + running[length - i - 1] * last)
        for k in range(1, radius):
            v = np.float32(0)
            if i - k >= 0:
                v = np.float32(v + line[i - k])
            if i + k < length:
                v = np.float32(v + line[i + k])
            result = np.float32(result + np.float32(kernel[k] * v))
        out[i] = result
    return out


def _gaussian_kernel(sigma: float, accuracy: float, max_radius: int) -> tuple[np.ndarray, np.ndarray]:
    """``GaussianBlur.makeGaussianKernel``: one side of the kernel and its running sums, as floats."""
    radius = math.ceil(sigma * math.sqrt(-2 * math.log(accuracy))) + 1
    max_radius = max(max_radius, 50)
    radius = min(radius, max_radius)
    kernel = np.array([np.float32(math.exp(-0.5 * i * i / sigma / sigma)) for i in range(radius)], dtype=np.float32)
    if 3 < radius < max_radius:
        sqrt_slope = 1.7976931348623157e308
        r = radius
        while r > radius // 2:
            r -= 1
            a = math.sqrt(float(kernel[r])) / (radius - r)
            if a < sqrt_slope:
                sqrt_slope = a
            else:
                break
        for r1 in range(r + 2, radius):
            kernel[r1] = np.float32((radius - r1) * (radius - r1) * sqrt_slope * sqrt_slope)
    if radius < max_radius:
        total = float(kernel[0])
        for i in range(1, radius):
            total += 2 * float(kernel[i])
    else:
        total = sigma * math.sqrt(2 * math.pi)
    rsum = 0.5 + 0.5 * float(kernel[0]) / total
    running = np.empty(radius, dtype=np.float32)
    for i in range(radius):
        v = float(kernel[i]) / total
        kernel[i] = np.float32(v)
        rsum -= v
        running[i] = np.float32(rsum)
    return kernel, running
