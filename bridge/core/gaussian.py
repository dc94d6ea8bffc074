"""ImageJ's ``GaussianBlur`` on one float plane, bit for bit.

ImageJ blurs each row, then each column, with a one-sided float kernel
(:func:`gaussian_kernel`: cut off where it falls below ``accuracy``, its
tail bent to reach zero smoothly, normalized in double), out-of-image pixels
being the nearest edge pixel (through the kernel's running sums).  A sigma
above 8.5 pixels is blurred on a line shrunk by an integer factor and
grown back (:func:`_downscaled_line`).  Every product and sum is float32
in Java's order; numpy does the same operation for all lines at once, so
no line sees another order of additions.

The selection's rectangle is blurred; the rows above and below it that
the x pass blurs to feed the y pass are put back afterwards, as ImageJ does.
"""

from __future__ import annotations

import math

import numpy as np

from .rankfilters import Rect

_UPSCALE_K_RADIUS = 2
_MIN_DOWNSCALED_SIGMA = 4.0
F32 = np.float32


def accuracy_for(image_type_is_byte: bool) -> float:
    """ImageJ's kernel accuracy: 0.002 for 8-bit and RGB, 0.0002 for 16- and 32-bit."""
    return 0.002 if image_type_is_byte else 0.0002


def gaussian_kernel(sigma: float, accuracy: float, max_radius: int) -> tuple[np.ndarray, np.ndarray]:
    """``makeGaussianKernel``: the kernel from its centre out, and the running sum beyond each point."""
    k_radius = int(math.ceil(sigma * math.sqrt(-2 * math.log(accuracy)))) + 1
    max_radius = max(max_radius, 50)            # a small maxRadius would give an inaccurate sum
    k_radius = min(k_radius, max_radius)
    kernel = [float(F32(math.exp(-0.5 * i * i / sigma / sigma))) for i in range(k_radius)]
    if k_radius < max_radius and k_radius > 3:         # bend the tail to reach zero smoothly
        sqrt_slope = float("inf")
        r = k_radius
        while r > k_radius // 2:
            r -= 1
            a = math.sqrt(kernel[r]) / (k_radius - r)
            if a < sqrt_slope:
                sqrt_slope = a
            else:
                break
        for r1 in range(r + 2, k_radius):
            kernel[r1] = float(F32((k_radius - r1) * (k_radius - r1) * sqrt_slope * sqrt_slope))
    if k_radius < max_radius:
        total = kernel[0]
        for i in range(1, k_radius):
            total += 2 * kernel[i]
    else:
        total = sigma * math.sqrt(2 * math.pi)
    rsum = 0.5 + 0.5 * kernel[0] / total
    kern = np.empty(k_radius, dtype=np.float32)
    kern_sum = np.empty(k_radius, dtype=np.float32)
    for i in range(k_radius):
        v = kernel[i] / total
        kern[i] = v
        rsum -= v
        kern_sum[i] = rsum
    return kern, kern_sum


def blur(plane: np.ndarray, rect: Rect, sigma_x: float, sigma_y: float, accuracy: float) -> np.ndarray:
    """``blurGaussian`` of the float32 ``plane`` within ``rect``: the new plane (``plane`` is not changed).

    The rows above and below the rectangle that the x pass blurred for the
    y pass are put back afterwards (ImageJ's ``resetOutOfRoi``).
    """
    work = plane.astype(np.float32, copy=True)
    extra = int(math.ceil(5 * sigma_y))
    with np.errstate(all="ignore"):         # NaN and infinity are values here, silent as in Java
        if sigma_x > 0:
            _blur_direction(work, rect, sigma_x, accuracy, True, extra)
        if sigma_y > 0:
            _blur_direction(work, rect, sigma_y, accuracy, False, 0)
    if rect.height != plane.shape[0] and sigma_x > 0 and sigma_y > 0:
        columns = slice(rect.x, rect.x + rect.width)
        above = slice(max(rect.y - extra, 0), rect.y)
        below = slice(rect.y + rect.height, min(rect.y + rect.height + extra, plane.shape[0]))
        work[above, columns] = plane[above, columns]
        work[below, columns] = plane[below, columns]
    return work


def _blur_direction(pixels: np.ndarray, rect: Rect, sigma: float, accuracy: float, x_direction: bool,
                    extra_lines: int) -> None:
    """``blur1Direction``: every line (row or column) in range, written between writeFrom and writeTo."""
    lines = pixels if x_direction else pixels.T            # a view: rows of `lines` are ImageJ's lines
    n_lines, length = lines.shape
    first, span = (rect.y, rect.height) if x_direction else (rect.x, rect.width)
    line_from = max(first - extra_lines, 0)
    line_to = min(first + span + extra_lines, n_lines)
    write_from, write_to = (rect.x, rect.x + rect.width) if x_direction else (rect.y, rect.y + rect.height)
    if line_to <= line_from:
        return
    down = sigma > 2 * _MIN_DOWNSCALED_SIGMA + 0.5
    reduce_by = min(int(math.floor(sigma / _MIN_DOWNSCALED_SIGMA)), length) if down else 1
    sigma_gauss = math.sqrt(sigma * sigma / (reduce_by * reduce_by) - 1. / 3. - 1. / 4.) if down else sigma
    max_length = (length + reduce_by - 1) // reduce_by + 2 * (_UPSCALE_K_RADIUS + 1) if down else length
    kern, kern_sum = gaussian_kernel(sigma_gauss, accuracy, max_length)
    block = lines[line_from:line_to]
    if not down:
        k_radius = len(kern)
        read_from = max(write_from - k_radius, 0)
        read_to = min(write_to + k_radius, length)
        source = np.zeros_like(block)
        source[:, read_from:read_to] = block[:, read_from:read_to]
        result = _convolve(source, kern, kern_sum, write_from, write_to)
        block[:, write_from:write_from + result.shape[1]] = result
        return
    k_radius = len(kern) * reduce_by
    read_from = max(write_from - k_radius, 0)
    read_to = min(write_to + k_radius, length)
    new_length = (read_to - read_from + reduce_by - 1) // reduce_by + 2 * (_UPSCALE_K_RADIUS + 1)
    unscaled0 = read_from - (_UPSCALE_K_RADIUS + 1) * reduce_by
    small = _downscale(block, reduce_by, unscaled0, new_length)
    blurred = np.zeros_like(small)
    result = _convolve(small, kern, kern_sum, 1, new_length - 1)
    blurred[:, 1:1 + result.shape[1]] = result
    block[:, write_from:write_to] = _upscale(blurred, reduce_by, unscaled0, write_from, write_to)


def _convolve(source: np.ndarray, kern: np.ndarray, kern_sum: np.ndarray, write_from: int,
              write_to: int) -> np.ndarray:
    """``convolveLine`` for many lines: the points from ``write_from`` on, float32 in Java's order.

    The points whose kernel reaches past the line's ends get the edge
    values through the running sums; those are ImageJ's loops, point by
    point; the inside points are done together.  As in ImageJ, the first
    loop runs to the kernel radius even past ``write_to`` (a selection near
    the left or top edge gets pixels beyond it written too), so the result
    may be wider than ``write_to - write_from``.
    """
    length = source.shape[1]
    k_radius = len(kern)
    first_value, last_value = source[:, 0], source[:, length - 1]
    first_part = min(k_radius, length)
    end = max(write_to, first_part) if write_from < first_part else write_to
    inside_from, inside_end = max(write_from, first_part), min(length - k_radius, write_to)
    out = np.empty((source.shape[0], end - write_from), dtype=np.float32)
    for i in range(write_from, end):
        if inside_from <= i < inside_end:
            continue
        result = source[:, i] * kern[0]
        if i < k_radius:
            result = result + kern_sum[i] * first_value
        if (i + k_radius > length) if i < first_part else (i + k_radius >= length):
            result = result + kern_sum[length - i - 1] * last_value
        for k in range(1, k_radius):
            v = np.zeros(source.shape[0], dtype=np.float32)
            if i - k >= 0:
                v = v + source[:, i - k]
            if i + k < length:
                v = v + source[:, i + k]
            result = result + kern[k] * v
        out[:, i - write_from] = result
    if inside_end > inside_from:
        start, stop = inside_from, inside_end
        result = source[:, start:stop] * kern[0]
        for k in range(1, k_radius):
            result = result + kern[k] * (source[:, start - k:stop - k] + source[:, start + k:stop + k])
        out[:, start - write_from:stop - write_from] = result
    return out


def _downscale_kernel(unit: int) -> np.ndarray:
    mid = unit * 3 // 2
    kernel = np.zeros(3 * unit, dtype=np.float32)
    for i in range(unit // 2 + 1):
        x = i / unit
        kernel[mid - i] = kernel[mid + i] = (0.75 - x * x) / unit
    for i in range(unit // 2 + 1, (unit * 3 + 1) // 2):
        x = i / unit
        kernel[mid - i] = kernel[mid + i] = (0.125 + 0.5 * (x - 1) * (x - 2)) / unit
    return kernel


def _upscale_kernel(unit: int) -> np.ndarray:
    kernel = np.zeros(4 * unit, dtype=np.float32)
    mid = 2 * unit
    for i in range(unit):
        x = i / unit
        kernel[mid + i] = kernel[mid - i] = 2. / 3. - x * x * (1 - 0.5 * x)
    for i in range(unit, 2 * unit):
        x = i / unit
        kernel[mid + i] = (2. - x) * (2. - x) * (2. - x) / 6.
        if mid - i >= 0:
            kernel[mid - i] = kernel[mid + i]
    return kernel


def _downscale(block: np.ndarray, reduce_by: int, unscaled0: int, new_length: int) -> np.ndarray:
    """``downscaleLine`` for many lines: each cache point sums three float partial sums in Java's order."""
    kernel = _downscale_kernel(reduce_by)
    length = block.shape[1]
    start = unscaled0 - reduce_by * 3 // 2
    steps = new_length + 2                     # xout = -1 .. new_length
    sums = [np.zeros((block.shape[0], steps), dtype=np.float32) for _ in range(3)]
    for x in range(reduce_by):
        where = np.clip(start + np.arange(steps) * reduce_by + x, 0, length - 1)
        v = block[:, where]
        for s, offset in zip(sums, (2 * reduce_by, reduce_by, 0)):
            s += v * kernel[x + offset]
    sum0, sum1, sum2 = sums                    # column j is xout = j - 1
    cache = sum2[:, 0:new_length] + sum1[:, 1:new_length + 1]
    return cache + sum0[:, 2:new_length + 2]


def _upscale(cache: np.ndarray, reduce_by: int, unscaled0: int, write_from: int, write_to: int) -> np.ndarray:
    """``upscaleLine`` for many lines: four float products per point, added left to right."""
    kernel = _upscale_kernel(reduce_by)
    xout = np.arange(write_from, write_to)
    xin = (xout - unscaled0 + reduce_by - 1) // reduce_by
    x = reduce_by - 1 - (xout - unscaled0 + reduce_by - 1) % reduce_by
    result = cache[:, xin - 2] * kernel[x]
    result = result + cache[:, xin - 1] * kernel[x + reduce_by]
    result = result + cache[:, xin] * kernel[x + 2 * reduce_by]
    return np.asarray(result + cache[:, xin + 1] * kernel[x + 3 * reduce_by])
