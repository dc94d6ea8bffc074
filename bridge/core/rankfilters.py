"""ImageJ's ``RankFilters`` (Mean, Minimum, Maximum, Variance, Median, Remove Outliers), bit for bit.

The unit of work is one *plane*: a gray slice, or one color channel of an
RGB slice, as float32 values (ImageJ's filter cache is a float array too).
:func:`rank` filters the plane's rectangle and returns the new float values
of that rectangle; :mod:`.filtering` converts them back to the image type.

What makes the results ImageJ's to the last bit:

* the kernel is ImageJ's circle of line radii (:func:`line_radii`, its
  ``makeLineRadii``), and out-of-image pixels are the nearest edge pixel;
* the mean and variance add doubles in ImageJ's order: the whole kernel
  for the first pixel of a line (and every pixel for radii < 2), then the
  kernel's right edge in and its left edge out, pixel after pixel, with a
  fresh full sum after a NaN.  Each step is done for all lines at once, so
  numpy keeps Java's order within a line;
* the median (NaN-aware on float images, with the pixel as the first guess)
  and the outliers' median (with the previous median as the guess) pick
  the order statistic ImageJ's ``getMedian`` picks, NaNs included;
* minimum and maximum ignore NaN and start at -Float.MAX_VALUE, as ImageJ.

The median runs in C where the optional accelerator is built
(:func:`.native.rank_module`): ImageJ's loop itself, this module its reference.

Only signed zeros may differ here: where a kernel holds both -0.0 and 0.0 (float
images only), which of the two ImageJ returns depends on its scan order.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from . import native

MEAN, MIN, MAX, VARIANCE, MEDIAN, OUTLIERS = 0, 1, 2, 3, 4, 5
BRIGHT_OUTLIERS, DARK_OUTLIERS = 0, 1

_FLOAT_MAX = np.float32(np.finfo(np.float32).max)
#: how many kernel values are held at once (a band of lines is filtered at a time)
_BAND_VALUES = 1 << 22


#: the values at kernel offset (dy, dx) from every pixel being filtered
Window = Callable[[int, int], np.ndarray]


@dataclass(frozen=True)
class Kernel:
    """ImageJ's circular kernel: for each kernel line (top to bottom) its left and right x offset."""

    lines: tuple[tuple[int, int], ...]
    points: int
    radius: int        # kRadius: the kernel is 2*radius+1 wide and high

    def offsets(self) -> list[tuple[int, int]]:
        """Every (dy, dx) of the kernel, line by line, left to right: ImageJ's scan order."""
        return [(i - self.radius, dx) for i, (left, right) in enumerate(self.lines)
                for dx in range(left, right + 1)]


def line_radii(radius: float) -> Kernel:
    """``RankFilters.makeLineRadii``: radius 0.5 is the 4 neighbours, 1 a 3x3 square, and so on."""
    if 1.5 <= radius < 1.75:        # ImageJ keeps the sizes of its earlier RankFilters
        radius = 1.75
    elif 2.5 <= radius < 2.85:
        radius = 2.85
    r2 = int(radius * radius) + 1
    k_radius = int(math.sqrt(r2 + 1e-10))
    lines = [(0, 0)] * (2 * k_radius + 1)
    lines[k_radius] = (-k_radius, k_radius)
    points = 2 * k_radius + 1
    for y in range(1, k_radius + 1):
        dx = int(math.sqrt(r2 - y * y + 1e-10))
        lines[k_radius - y] = lines[k_radius + y] = (-dx, dx)
        points += 4 * dx + 2
    return Kernel(tuple(lines), points, k_radius)


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


def outlier_sign(which: int, inverted_lut: bool) -> float:
    """ImageJ's ``minMaxOutliersSign`` for Remove Outliers: -1 compares with the minimum (bright ones)."""
    return -1.0 if inverted_lut == (which == DARK_OUTLIERS) else 1.0


def rank(plane: np.ndarray, rect: Rect, radius: float, kind: int, *, max_value: float,
         threshold: float = 50.0, sign: float = 1.0) -> np.ndarray:
    """The float32 ``plane`` with ``rect`` filtered, as a new plane.

    ``max_value`` is ImageJ's ``ip.maxValue()`` (255, 65535) that caps the
    variance, NaN for float images; ``threshold`` and ``sign`` are Remove
    Outliers' (see :func:`outlier_sign`).
    """
    kernel = line_radii(radius)
    out = plane.astype(np.float32, copy=True)
    band = max(1, _BAND_VALUES // max(1, kernel.points * rect.width))
    for top in range(rect.y, rect.y + rect.height, band):
        rows = Rect(rect.x, top, rect.width, min(band, rect.y + rect.height - top))
        with np.errstate(all="ignore"):     # NaN and infinity are values here, silent as in Java
            out[top:top + rows.height, rect.x:rect.x + rect.width] = \
                _rank_band(plane, rows, kernel, kind, max_value, threshold, sign)
    return out


def padded(plane: np.ndarray, rect: Rect, pad: int) -> np.ndarray:
    """The rectangle grown by ``pad`` on every side, out-of-image pixels the nearest edge pixel."""
    height, width = plane.shape
    rows = np.clip(np.arange(rect.y - pad, rect.y + rect.height + pad), 0, height - 1)
    cols = np.clip(np.arange(rect.x - pad, rect.x + rect.width + pad), 0, width - 1)
    return np.ascontiguousarray(plane[np.ix_(rows, cols)], dtype=np.float32)


def _rank_band(plane: np.ndarray, rect: Rect, kernel: Kernel, kind: int, max_value: float,
               threshold: float, sign: float) -> np.ndarray:
    pad = kernel.radius + 1             # one more column for the side sums' "left out" column
    cache = padded(plane, rect, pad)
    h, w = rect.height, rect.width

    def window(dy: int, dx: int) -> np.ndarray:
        """The values at offset (dy, dx) from every pixel of the rectangle."""
        return cache[pad + dy:pad + dy + h, pad + dx:pad + dx + w]

    if kind in (MIN, MAX):
        return _extreme(window, kernel, np.float32(-1.0 if kind == MIN else 1.0))
    if kind in (MEAN, VARIANCE):
        return _sums_filter(window, kernel, kind, max_value)
    if kind == MEDIAN:
        if native.rank_module() is not None:
            return _accelerated_median(cache, pad, h, w, kernel, bool(np.isnan(max_value)))
    values = np.stack([window(dy, dx) for dy, dx in kernel.offsets()])
    if kind == MEDIAN:
        if np.isnan(max_value):         # float image: NaN-aware, the pixel itself the first guess
            return _nan_aware_median(values, window(0, 0))
        return np.asarray(np.partition(values, kernel.points // 2, axis=0)[kernel.points // 2])
    if kind == OUTLIERS:
        return _outliers(values, window, kernel, np.float32(threshold), np.float32(sign))
    raise ValueError(f"unknown rank filter {kind}")


def _accelerated_median(cache: np.ndarray, pad: int, height: int, width: int, kernel: Kernel,
                        nan_aware: bool) -> np.ndarray:
    """ImageJ's median loop in C, the lines split among threads as ImageJ splits them (each line starts afresh)."""
    accelerated = native.rank_module()
    assert accelerated is not None
    out = np.empty((height, width), dtype=np.float32)
    lines = tuple(offset for line in kernel.lines for offset in line)
    threads = max(1, min(os.cpu_count() or 1, 8, height // 16))
    bounds = [height * i // threads for i in range(threads + 1)]

    def band(i: int) -> None:
        top, bottom = bounds[i], bounds[i + 1]
        accelerated.median(cache[top:bottom + 2 * pad], cache.shape[1], out[top:bottom], bottom - top, width,
                           pad, lines, nan_aware)

    if threads == 1:
        band(0)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(band, range(threads)))
    return out


def _extreme(window: Window, kernel: Kernel, sign: np.float32) -> np.ndarray:
    """ImageJ's ``getAreaMax`` of value*sign (NaN never wins, -Float.MAX_VALUE to start), times sign."""
    found: np.ndarray | None = None
    for dy, dx in kernel.offsets():
        values = window(dy, dx) * sign
        found = np.fmax(np.float32(-_FLOAT_MAX), values) if found is None else np.fmax(found, values)
    assert found is not None
    return found * sign


def _sums_filter(window: Window, kernel: Kernel, kind: int, max_value: float) -> np.ndarray:
    """Mean or variance from ImageJ's running double sums, in ImageJ's order of additions."""
    if kernel.radius < 2:               # small kernels: the whole kernel summed at every pixel
        sums, sums2 = _area_sums(window, kernel)
    else:
        sums, sums2 = _running_sums(window, kernel)
    n = float(kernel.points)
    if kind == MEAN:
        return (sums / n).astype(np.float32)
    with np.errstate(invalid="ignore"):
        value = ((sums2 - sums * sums / n) / n).astype(np.float32)
        if not np.isnan(max_value):
            value = np.where(value > np.float32(max_value), np.float32(max_value), value)
        return np.where(value < 0, np.float32(0), value)


def _running_sums(window: Window, kernel: Kernel) -> tuple[np.ndarray, np.ndarray]:
    """The full sum at a line's first pixel, then plus each pixel's side sum (a cumulative sum is that order).

    After a NaN ImageJ starts afresh with the full sum at the next pixel;
    lines that meet one are redone pixel by pixel, all of them at once.
    """
    side, side2 = _side_sums(window, kernel)
    first, first2 = _area_sums(lambda dy, dx: window(dy, dx)[:, :1], kernel)
    side[:, :1], side2[:, :1] = first, first2
    sums, sums2 = np.cumsum(side, axis=1), np.cumsum(side2, axis=1)
    broken = np.flatnonzero(np.isnan(sums[:, :-1]).any(axis=1))
    if broken.size:
        full, full2 = _area_sums(lambda dy, dx: window(dy, dx)[broken], kernel)
        part, part2 = side[broken], side2[broken]
        total, total2 = full[:, 0], full2[:, 0]
        fresh = np.zeros(total.shape, dtype=bool)      # ImageJ tests for NaN only after a side step
        for x in range(1, full.shape[1]):
            total = np.where(fresh, full[:, x], total + part[:, x])
            total2 = np.where(fresh, full2[:, x], total2 + part2[:, x])
            fresh = ~fresh & np.isnan(total)
            part[:, x], part2[:, x] = total, total2
        part[:, 0], part2[:, 0] = full[:, 0], full2[:, 0]
        sums[broken], sums2[broken] = part, part2
    return sums, sums2


def _area_sums(window: Window, kernel: Kernel) -> tuple[np.ndarray, np.ndarray]:
    """``getAreaSums`` at every pixel: the kernel's values and squares added line by line, as doubles."""
    total: np.ndarray | float = 0.0
    total2: np.ndarray | float = 0.0
    for dy, dx in kernel.offsets():
        v = window(dy, dx).astype(np.float64)
        total = total + v
        total2 = total2 + v * v
    return np.asarray(total), np.asarray(total2)


def _side_sums(window: Window, kernel: Kernel) -> tuple[np.ndarray, np.ndarray]:
    """``addSideSums`` at every pixel: minus the column that left, plus the one that came, per line."""
    total: np.ndarray | float = 0.0
    total2: np.ndarray | float = 0.0
    for i, (left, right) in enumerate(kernel.lines):
        dy = i - kernel.radius
        gone = window(dy, left - 1).astype(np.float64)
        total = total - gone
        total2 = total2 - gone * gone
        came = window(dy, right).astype(np.float64)
        total = total + came
        total2 = total2 + came * came
    return np.asarray(total), np.asarray(total2)


def _order_pick(ordered: np.ndarray, valid: np.ndarray, above: np.ndarray, below: np.ndarray,
                half: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """ImageJ's ``getMedian`` answer from the sorted non-NaN values (NaN sorts last).

    With ``valid`` non-NaN values of which ``above`` lie above the guess and
    ``below`` below it: more than half above -> the one half from the top;
    more than half below -> the one half from the bottom; else the guess.
    """
    top = np.clip(valid - half - 1, 0, ordered.shape[0] - 1)
    bottom = np.clip(half, 0, ordered.shape[0] - 1)
    from_top = np.take_along_axis(ordered, top[None], axis=0)[0]
    from_bottom = np.take_along_axis(ordered, bottom[None], axis=0)[0]
    return np.where(above > half, from_top, np.where(below > half, from_bottom, guess)).astype(np.float32)


def _nan_aware_median(values: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """``getNaNAwareMedian`` with the pixel as the guess: NaN where the kernel (or the guess) is all NaN."""
    ordered = np.sort(values, axis=0)
    valid = np.count_nonzero(~np.isnan(values), axis=0)
    above = np.count_nonzero(values > guess, axis=0)
    below = np.count_nonzero(values < guess, axis=0)
    picked = _order_pick(ordered, valid, above, below, valid // 2, guess)
    return np.where(valid == 0, np.float32(np.nan), picked)


def _outliers(values: np.ndarray, window: Window, kernel: Kernel, threshold: np.float32,
              sign: np.float32) -> np.ndarray:
    """Remove Outliers: a pixel beyond the median by more than the threshold becomes the median.

    ImageJ computes the median (with the previous median as its guess) only
    where the pixel passes the cheap test against the kernel's extreme, so
    the guess is carried along each line, all lines at once.
    """
    extreme = _extreme(window, kernel, sign) * sign           # max of value*sign
    pixel = window(0, 0)
    if not np.isnan(values).any():     # an odd count of numbers: the median is the same whatever the guess
        median = np.partition(values, kernel.points // 2, axis=0)[kernel.points // 2]
        replace = (pixel * sign + threshold < extreme) & (pixel * sign + threshold < median * sign)
        return np.where(replace, median, pixel)
    ordered = np.sort(values, axis=0)
    valid = np.count_nonzero(~np.isnan(values), axis=0)
    half = np.full(pixel.shape[0], kernel.points // 2)
    out = pixel.copy()
    guess = np.where(np.isnan(pixel[:, 0]), np.float32(0), pixel[:, 0])
    for x in range(pixel.shape[1]):
        v = pixel[:, x]
        candidate = v * sign + threshold < extreme[:, x]
        column = values[:, :, x]
        median = _order_pick(ordered[:, :, x], valid[:, x], np.count_nonzero(column > guess, axis=0),
                             np.count_nonzero(column < guess, axis=0), half, guess)
        guess = np.where(candidate, median, guess)
        replace = candidate & (v * sign + threshold < median * sign)
        out[:, x] = np.where(replace, median, v)
    return out
