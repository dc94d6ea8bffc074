"""*Subtract Background...*'s "sliding paraboloid": ImageJ 1.53t's ``slidingParaboloidFloatBackground``.

A paraboloid with the ball's curvature at its apex slides under the
image along lines in four directions (x, y and the two diagonals, some
twice, in ImageJ's order); each line keeps the points the parabola touches
and fills the stretches between with the parabola.  Before that, unless
smoothing is disabled, a 3x3 maximum (its mean shift subtracted at the end)
and a 3x3 mean; and the four corners are lowered where a particle sits in
them (ImageJ's ``correctCorners``).

Each line is a search whose steps depend on the values, so this is a
plain loop over Java floats (``numpy.float32`` scalars, every constant
typed): slower than the rolling ball, exact as ImageJ.
"""

from __future__ import annotations

import math

import numpy as np

from .background import mean_3x3

F = np.float32
_FLOAT_MAX = F(np.finfo(np.float32).max)
_INT_MAX = 2**31 - 1


def background(plane: np.ndarray, radius: float, invert: bool, presmooth: bool) -> np.ndarray:
    """The float32 background of a float32 plane by the sliding paraboloid (corners corrected)."""
    height, width = plane.shape
    work = plane.astype(np.float32, copy=True)
    if invert:
        work = -work
    shift_by = F(0)
    if presmooth:
        work, shift = _maximum_3x3(work)
        shift_by = F(shift)
        work = mean_3x3(work)
    flat = work.reshape(-1)
    coeff2 = F(0.5) / F(radius)
    coeff2_diagonal = F(1.0) / F(radius)
    with np.errstate(all="ignore"):         # infinities and NaN are values here, silent as in Java
        _slide_everywhere(flat, width, height, coeff2, coeff2_diagonal)
    with np.errstate(all="ignore"):
        if invert:
            work = -(work - shift_by)
        elif presmooth:
            work = work - shift_by
    return work.astype(np.float32)


def _slide_everywhere(flat: np.ndarray, width: int, height: int, coeff2: np.float32,
                      coeff2_diagonal: np.float32) -> None:
    """The corner correction, then the nine passes in ImageJ's order (diagonals last: faster there)."""
    _correct_corners(flat, width, height, coeff2)
    for direction, coefficient in (("x", coeff2), ("y", coeff2), ("x", coeff2), ("1a", coeff2_diagonal),
                                   ("1b", coeff2_diagonal), ("2a", coeff2_diagonal), ("2b", coeff2_diagonal),
                                   ("1a", coeff2_diagonal), ("1b", coeff2_diagonal)):
        for start, inc, length in _lines(direction, width, height):
            slide_parabola(flat, start, inc, length, coefficient, False)


def _maximum_3x3(plane: np.ndarray) -> tuple[np.ndarray, float]:
    """``filter3x3(fp, MAXIMUM)``: rows then columns; the mean rise, summed in doubles in ImageJ's order."""
    total = 0.0
    for axis in (1, 0):
        lines = plane if axis == 1 else plane.T
        padded = np.concatenate([lines[:, :1], lines, lines[:, -1:]], axis=1)
        left, centre, right = padded[:, :-2], padded[:, 1:-1], padded[:, 2:]
        side = np.where(left > right, left, right)
        new = np.where(centre > side, centre, side)
        rises = (new - centre).astype(np.float64)
        for line in rises:                                  # each line's sum starts at 0, in order
            total += float(np.cumsum(line)[-1]) if line.size else 0.0
        plane = new if axis == 1 else np.ascontiguousarray(new.T)
    return plane.astype(np.float32), total / plane.shape[1] / plane.shape[0]


def _lines(direction: str, width: int, height: int) -> list[tuple[int, int, int]]:
    """``filter1D``'s lines: (first pixel, step, length) in the flat pixel array."""
    if direction == "x":
        return [(i * width, 1, width) for i in range(height)]
    if direction == "y":
        return [(i, width, height) for i in range(width)]
    if direction == "1a":
        return [(i, width + 1, min(height, width - i)) for i in range(0, width - 2)]
    if direction == "1b":
        return [(i * width, width + 1, min(width, height - i)) for i in range(1, height - 2)]
    if direction == "2a":
        return [(i, width - 1, min(height, i + 1)) for i in range(2, width)]
    return [(i * width + width - 1, width - 1, min(width, height - i)) for i in range(0, height - 2)]


def _correct_corners(flat: np.ndarray, width: int, height: int, coeff2: np.float32) -> None:
    """``correctCorners``: each corner lowered to the mean of three edge estimates if it is above it."""
    corners = [F(0)] * 4
    edges = slide_parabola(flat, 0, 1, width, coeff2, True)
    corners[0], corners[1] = edges
    edges = slide_parabola(flat, (height - 1) * width, 1, width, coeff2, True)
    corners[2], corners[3] = edges
    edges = slide_parabola(flat, 0, width, height, coeff2, True)
    corners[0], corners[2] = corners[0] + edges[0], corners[2] + edges[1]
    edges = slide_parabola(flat, width - 1, width, height, coeff2, True)
    corners[1], corners[3] = corners[1] + edges[0], corners[3] + edges[1]
    diagonal = min(width, height)
    coeff2_diagonal = F(2) * coeff2
    for n, (start, inc) in enumerate(((0, 1 + width), (width - 1, width - 1), ((height - 1) * width, 1 - width),
                                      (width * height - 1, -1 - width))):
        corners[n] = corners[n] + slide_parabola(flat, start, inc, diagonal, coeff2_diagonal, True)[0]
    for n, index in enumerate((0, width - 1, (height - 1) * width, width * height - 1)):
        third = corners[n] / F(3)
        if flat[index] > third:
            flat[index] = third


def slide_parabola(flat: np.ndarray, start: int, inc: int, length: int, coeff2: np.float32,
                   corrected_edges: bool) -> tuple[np.float32, np.float32]:
    """``lineSlideParabola`` on one line of ``flat`` (changed in place); the corrected edge values if asked.

    The scan for touchable points and the filling between touched points are
    whole-line numpy operations (each element rounded as Java rounds it); the
    search for the next touched point is ImageJ's loop over float32 scalars.
    """
    index = start + inc * np.arange(length, dtype=np.int64)
    line = flat[index].astype(np.float32)
    cache = list(line)                                       # numpy float32 scalars
    steps = np.arange(length, dtype=np.int64).astype(np.float32)
    step_list = list(steps)
    rise_list = list(coeff2 * steps)                        # coeff2 * (j - i1), per distance
    min_value = F(np.fmin.reduce(line, initial=_FLOAT_MAX))
    next_point = _next_points(line, coeff2)
    first_corner, last_corner = length - 1, 0
    i1 = 0
    while i1 < length - 1:
        v1 = cache[i1]
        min_slope = _FLOAT_MAX
        i2 = 0
        search_to = length
        recalculate = 0
        j = next_point[i1]
        while j < search_to:
            slope = (cache[j] - v1) / step_list[j - i1] + rise_list[j - i1]
            if slope < min_slope:
                min_slope, i2, recalculate = slope, j, -3
            if recalculate == 0:
                max_search = _search_limit(i1, min_slope, coeff2, v1, min_value)
                if search_to > max_search > 0:
                    search_to = max_search
            j = next_point[j]
            recalculate += 1
        if i2 <= i1:                # only a NaN line gets here; ImageJ would loop forever
            break
        if i1 == 0:
            first_corner = i2
        if i2 == length - 1:
            last_corner = i1
        if i2 > i1 + 1:
            between = steps[1:i2 - i1]
            flat[index[i1 + 1:i2]] = v1 + between * (min_slope - between * coeff2)
        i1 = i2
    if not corrected_edges:
        return F(0), F(0)
    return _edges(cache, length, first_corner, last_corner, coeff2)


def _next_points(line: np.ndarray, coeff2: np.float32) -> list[int]:
    """``nextPoint``: from 0 through each point the parabola may touch (local curvature) to the last point."""
    length = line.size
    next_point = [0] * length
    last_point = 0
    if length >= 3:
        curvature = ((line[1:-1] + line[1:-1]) - line[:-2]) - line[2:]
        for point in (np.flatnonzero(curvature < F(1.999) * coeff2) + 1).tolist():
            next_point[last_point] = point
            last_point = point
    next_point[last_point] = length - 1
    next_point[length - 1] = _INT_MAX
    return next_point


def _search_limit(i1: int, min_slope: np.float32, coeff2: np.float32, v1: np.float32, min_value: np.float32) -> int:
    """``i1 + (int)(b + sqrt(b*b + (v1-minValue)/coeff2) + 1)`` with ``b`` a float widened, as Java's ints wrap."""
    b = float(F(0.5) * min_slope / coeff2)      # (float overflow warnings are off: background's errstate)
    under_root = b * b + float((v1 - min_value) / coeff2)
    reach = b + math.sqrt(under_root) + 1 if under_root >= 0 else math.nan
    if math.isnan(reach):                   # Java's (int)NaN
        whole = 0
    else:                                   # (int) saturates at the int range
        whole = int(max(min(reach, _INT_MAX), -2**31)) if math.isfinite(reach) else (_INT_MAX if reach > 0 else -2**31)
    total = (i1 + whole) & 0xFFFFFFFF
    return total - 2**32 if total >= 2**31 else total


def _edges(cache: list[np.float32], length: int, first_corner: int, last_corner: int,
           coeff2: np.float32) -> tuple[np.float32, np.float32]:
    """The two edge values a line would have without edge particles (vignetting as a 6th-order polynomial)."""
    if 4 * first_corner >= length:
        first_corner = 0
    if 4 * (length - 1 - last_corner) >= length:
        last_corner = length - 1
    v1, v2 = cache[first_corner], cache[last_corner]
    span = F(last_corner - first_corner)
    with np.errstate(all="ignore"):
        slope = (v2 - v1) / span
        value0 = v1 - slope * F(first_corner)
        coeff6 = F(0)
        mid = F(0.5) * F(last_corner + first_corner)
        for i in range((length + 2) // 3, (2 * length) // 3 + 1):
            dx = (F(i) - mid) * F(2) / span
            poly6 = dx * dx * dx * dx * dx * dx - F(1)
            if cache[i] < (value0 + slope * F(i)) + coeff6 * poly6:
                coeff6 = -((value0 + slope * F(i)) - cache[i]) / poly6
        dx = (F(first_corner) - mid) * F(2) / span
        first = (value0 + coeff6 * (dx * dx * dx * dx * dx * dx - F(1))) + coeff2 * F(first_corner) * F(first_corner)
        dx = (F(last_corner) - mid) * F(2) / span
        rest = F(length - 1 - last_corner)
        last = ((value0 + F(length - 1) * slope) + coeff6 * (dx * dx * dx * dx * dx * dx - F(1))) + coeff2 * rest * rest
    return F(first), F(last)
