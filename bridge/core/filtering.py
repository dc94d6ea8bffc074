"""What ImageJ's ``PlugInFilterRunner`` does around a filter: slices, channels, selection, type.

A filter here is a function of one slice (a 2-D array in ImageJ's storage
type) and the selection's bounding rectangle that returns the new slice
(ImageJ's filters change the rectangle, and a few write a little beyond it).  :func:`apply` runs it on the current slice or every slice, and
keeps the pixels outside a non-rectangular selection as they were (ImageJ's
``snapshot`` / ``reset(mask)``).  A line or point selection filters the
whole image, as in ImageJ.

Most of ImageJ's filters work on float copies of each gray slice or color
channel: :func:`float_filter` wraps such a function, reading the planes as
ImageJ's ``toFloat`` does and writing back with one of ImageJ's two
roundings (:data:`TRUNCATE` for the rank filters' ``(int)(v+0.5f)``,
:data:`CLAMP` for ``setPixels(channel, fp)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from . import filter3x3, gaussian, rankfilters
from .imagetypes import COLOR_256, COLOR_RGB, GRAY8, GRAY16, GRAY32
from .rankfilters import Rect
from .statistics import region_of

if TYPE_CHECKING:
    from .roi import Roi

#: ``(slice pixels, rectangle) -> the new slice``, in the slice's storage type
SliceFilter = Callable[[np.ndarray, Rect], np.ndarray]
#: ``(float32 plane, rectangle) -> the new float32 plane``
PlaneFilter = Callable[[np.ndarray, Rect], np.ndarray]

#: RankFilters' ``writeLineToPixels``: ``(int)(v + 0.5f)``, no clamping
TRUNCATE = "truncate"
#: ``setPixels(channel, fp)``: ``v + 0.5f`` clamped to the type's range, then ``(int)``
CLAMP = "clamp"

_MAX = {GRAY8: 255.0, COLOR_256: 255.0, GRAY16: 65535.0, COLOR_RGB: 255.0}
_SHIFTS = (16, 8, 0)


def max_value(image_type: int) -> float:
    """``ip.maxValue()``: 255 or 65535; NaN for float images (a cap they never get)."""
    return _MAX.get(image_type, float("nan"))


def apply(data: np.ndarray, image_type: int, roi: Roi | None, slices: range, function: SliceFilter) -> None:
    """Run ``function`` on ``data[n]`` for each n in ``slices`` (0-based), in place."""
    height, width = data.shape[1:]
    region = region_of(roi, width, height)
    rect = Rect(region.x, region.y, region.width, region.height)
    if rect.width == 0 or rect.height == 0:
        return
    inside = (slice(rect.y, rect.y + rect.height), slice(rect.x, rect.x + rect.width))
    for n in slices:
        pixels = data[n]
        new = function(pixels, rect)
        if region.mask is not None:             # ImageJ's reset(mask): the rectangle outside the mask
            outside = ~region.mask
            new[inside][outside] = pixels[inside][outside]
        pixels[...] = new


def float_filter(image_type: int, plane_filter: PlaneFilter, rounding: str) -> SliceFilter:
    """A slice filter that runs ``plane_filter`` on each float channel of the slice."""
    def run(pixels: np.ndarray, rect: Rect) -> np.ndarray:
        if image_type == GRAY32:
            return plane_filter(pixels, rect)
        if image_type != COLOR_RGB:
            return _to_type(plane_filter(pixels.astype(np.float32), rect), image_type, rounding)
        out = pixels.copy()
        for shift in _SHIFTS:
            plane = ((pixels >> shift) & 0xFF).astype(np.float32)
            channel = _to_type(plane_filter(plane, rect), GRAY8, rounding).astype(np.int32)
            out = (out & ~np.int32(0xFF << shift)) | (channel << shift)
        return out
    return run


def _to_type(values: np.ndarray, image_type: int, rounding: str) -> np.ndarray:
    """Float results back to 8 or 16 bits, with ImageJ's rounding (``(int)`` truncates toward zero)."""
    dtype = np.uint16 if image_type == GRAY16 else np.uint8
    with np.errstate(invalid="ignore"):
        shifted = values.astype(np.float32) + np.float32(0.5)
    if rounding == CLAMP:
        top = np.float32(65535 if image_type == GRAY16 else 255)
        shifted = np.where(shifted < 0, np.float32(0), np.where(shifted > top, top, shifted))
        return np.asarray(np.nan_to_num(shifted, nan=0.0).astype(dtype))
    whole = np.trunc(np.nan_to_num(shifted, nan=0.0)).astype(np.int64)
    return np.asarray((whole & (0xFFFF if image_type == GRAY16 else 0xFF)).astype(dtype))




# --- ImageJ's filters as slice filters: one implementation behind the commands and ImageProcessor ------
def rank(image_type: int, radius: float, kind: int, *, threshold: float = 50.0,
         which: int = rankfilters.BRIGHT_OUTLIERS, inverted_lut: bool = False) -> SliceFilter:
    """``RankFilters.rank(ip, radius, kind, which, threshold)`` (results rounded as ImageJ writes them)."""
    cap = max_value(image_type)
    sign = rankfilters.outlier_sign(which, inverted_lut)

    def plane_filter(plane: np.ndarray, rect: Rect) -> np.ndarray:
        return rankfilters.rank(plane, rect, radius, kind, max_value=cap, threshold=threshold, sign=sign)
    return float_filter(image_type, plane_filter, TRUNCATE)


def gaussian_blur(image_type: int, sigma_x: float, sigma_y: float) -> SliceFilter:
    """``GaussianBlur.blurGaussian`` with ImageJ's accuracy for the type (0.002 for 8-bit and RGB)."""
    accuracy = gaussian.accuracy_for(image_type in (GRAY8, COLOR_256, COLOR_RGB))

    def plane_filter(plane: np.ndarray, rect: Rect) -> np.ndarray:
        return gaussian.blur(plane, rect, sigma_x, sigma_y, accuracy)
    return float_filter(image_type, plane_filter, CLAMP)


def unsharp_mask(image_type: int, sigma: float, weight: float) -> SliceFilter:
    """``UnsharpMask.sharpenFloat``: ``(original - weight*blurred)/(1 - weight)`` in Java floats.

    The blur is ``blurGaussian(fp, sigma, sigma, 0.01)`` whatever the type (not
    the 0.002 *Gaussian Blur...* uses for 8-bit and RGB); only the selection's
    rectangle changes, and 8/16-bit and RGB results are rounded and clamped
    as ``setPixels(channel, fp)`` writes them.
    """
    mask_weight = np.float32(weight)
    divisor = np.float32(1.0) - mask_weight

    def plane_filter(plane: np.ndarray, rect: Rect) -> np.ndarray:
        blurred = gaussian.blur(plane, rect, sigma, sigma, 0.01)
        inside = (slice(rect.y, rect.y + rect.height), slice(rect.x, rect.x + rect.width))
        with np.errstate(all="ignore"):         # weight 1 divides by zero, as ImageJ lets it
            blurred[inside] = (plane[inside] - mask_weight * blurred[inside]) / divisor
        return blurred
    return float_filter(image_type, plane_filter, CLAMP)


def three_by_three(image_type: int, kind: str) -> SliceFilter:
    """``ip.smooth()``, ``ip.sharpen()`` or ``ip.findEdges()`` (:mod:`.filter3x3`)."""
    def run(pixels: np.ndarray, rect: Rect) -> np.ndarray:
        return filter3x3.filter3x3(pixels, image_type, rect, kind)
    return run
