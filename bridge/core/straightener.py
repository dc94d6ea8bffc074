"""*Edit>Selection>Straighten*'s sampling (``ij.plugin.Straightener.straightenLine``, 1.53t), in Python.

A line wider than one pixel has its profile from here: ImageJ fits a spline
through the line's vertices (``PolygonRoi.fitSplineForStraightening``: a
natural cubic spline, ``SplineFitter``), resamples it at one-pixel steps
(``getEquidistantPoints``) and, at every point, reads ``width`` values
across it, one pixel apart, bilinearly interpolated.  The result is a float
image ``width`` rows high; the profile is the average of each column.

A straight line goes the same way (as a two-point polyline), so its
samples are the spline's, not the textbook line's.  ImageJ keeps the
vertices as Java floats relative to a float origin and moves that origin
twice; every such rounding is kept here, so the values are ImageJ's to the
last bit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .javamath import java_div

if TYPE_CHECKING:
    from .profile import Processor

_FLOAT_MAX = 3.4028234663852886e38      # Java's Float.MAX_VALUE
_FLOAT_MIN = 1.401298464324817e-45      # Java's Float.MIN_VALUE


def _f(value: float) -> float:
    """A Java ``(float)`` cast (and the result of any float arithmetic: computed in double, rounded once)."""
    return float(np.float32(value))


class SubpixelPolyline:
    """An open ``PolygonRoi`` with float vertices: each kept relative to the bounds' float corner (``xpf + base``).

    ``length`` is ``getUncalibratedLength()`` as ImageJ computes it before the
    fit (smoothed for freehand lines, as the selection asks).
    """

    def __init__(self, xs: list[float], ys: list[float], base: tuple[float, float], length: float) -> None:
        self.xpf, self.ypf = xs, ys
        self.base_x, self.base_y = base
        self.length = length

    @classmethod
    def from_float_points(cls, xs: list[float], ys: list[float]) -> SubpixelPolyline:
        """``new PolygonRoi(float[], float[], n, POLYLINE)``: ``finishPolygon`` moves the origin to the minima."""
        xs, ys = [_f(v) for v in xs], [_f(v) for v in ys]
        min_x, min_y = _float_minimum(xs), _float_minimum(ys)
        rel_x, rel_y = [_f(v - min_x) for v in xs], [_f(v - min_y) for v in ys]
        return cls(rel_x, rel_y, (min_x, min_y), float_length(rel_x, rel_y))

    @classmethod
    def from_int_points(cls, xs: list[int], ys: list[int], base: tuple[int, int], length: float) -> SubpixelPolyline:
        """An integer ``PolygonRoi`` (vertices relative to its bounds) as ``getSpline`` makes it float."""
        return cls([float(v) for v in xs], [float(v) for v in ys], (float(base[0]), float(base[1])), length)

    def straightening_points(self) -> tuple[list[float], list[float]]:
        """``fitSplineForStraightening`` then ``getFloatPolygon``: points about one pixel apart, image coordinates."""
        xs, ys = self._spline(int(self.length * 2) + 1)
        xs, ys = equidistant_points(xs, ys, 1.0)
        # setSpline -> resetSplineFitBoundingRect: to image coordinates, new origin at the minima, back
        base_x, base_y = _f(self.base_x), _f(self.base_y)
        xs, ys = [_f(v + base_x) for v in xs], [_f(v + base_y) for v in ys]
        min_x, min_y = _float_minimum(xs), _float_minimum(ys)
        xs, ys = [_f(v - _f(min_x)) for v in xs], [_f(v - _f(min_y)) for v in ys]
        base_x, base_y = _f(min_x), _f(min_y)
        return [_f(v + base_x) for v in xs], [_f(v + base_y) for v in ys]

    def _spline(self, evaluation_points: int) -> tuple[list[float], list[float]]:
        """``getSpline``: x and y splines over the square root of the chord lengths, evaluated evenly."""
        nodes, last = [0.0], 0.0
        for i in range(1, len(self.xpf)):
            dx, dy = _f(self.xpf[i] - self.xpf[i - 1]), _f(self.ypf[i] - self.ypf[i - 1])
            step = _f(math.sqrt(math.sqrt(_f(_f(dx * dx) + _f(dy * dy)))))
            if step < _f(0.001):
                step = _f(0.001)
            last = _f(last + step)
            nodes.append(last)
        fit_x, fit_y = SplineFitter(nodes, self.xpf), SplineFitter(nodes, self.ypf)
        scale = last / (evaluation_points - 1) if evaluation_points > 1 else java_div(last, 0.0)
        xs = [_f(fit_x.evaluate(i * scale)) for i in range(evaluation_points)]
        ys = [_f(fit_y.evaluate(i * scale)) for i in range(evaluation_points)]
        return xs, ys


class SplineFitter:
    """``ij.measure.SplineFitter`` for an open curve: a natural cubic spline through (x[i], y[i])."""

    def __init__(self, x: list[float], y: list[float]) -> None:
        n = len(x)
        y2, u = [0.0] * n, [0.0] * n
        for i in range(1, n - 1):
            sig = java_div(x[i] - x[i - 1], x[i + 1] - x[i - 1])
            p = sig * y2[i - 1] + 2.0
            y2[i] = (sig - 1.0) / p
            u[i] = java_div(y[i + 1] - y[i], _f(x[i + 1] - x[i])) - java_div(y[i] - y[i - 1], _f(x[i] - x[i - 1]))
            u[i] = (java_div(6.0 * u[i], _f(x[i + 1] - x[i - 1])) - sig * u[i - 1]) / p
        if n > 1:
            y2[n - 1] = (0.0 - 0.0 * u[n - 2]) / (0.0 * y2[n - 2] + 1.0)
        for k in range(n - 2, -1, -1):
            y2[k] = y2[k] * y2[k + 1] + u[k]
        self.x, self.y, self.y2 = x, y, y2

    def evaluate(self, xp: float) -> float:
        """``evalSpline``: the interval by bisection, then the cubic."""
        x, y, y2 = self.x, self.y, self.y2
        lo, hi = 0, len(x) - 1
        while hi - lo > 1:
            k = (hi + lo) >> 1
            if x[k] > xp:
                hi = k
            else:
                lo = k
        h = _f(x[hi] - x[lo])
        if h == 0.0:
            return 0.0
        a, b = (x[hi] - xp) / h, (xp - x[lo]) / h
        return a * y[lo] + b * y[hi] + ((a * a * a - a) * y2[lo] + (b * b * b - b) * y2[hi]) * (h * h) / 6.0


def equidistant_points(xs: list[float], ys: list[float], segment: float) -> tuple[list[float], list[float]]:
    """``PolygonRoi.getEquidistantPoints``: the polyline resampled at (about) ``segment`` steps, floats."""
    length = float_length(xs, ys)
    n_out = math.floor(length / segment + 0.5) + 1
    step = java_div(length, n_out - 1)
    out_x, out_y = [0.0] * n_out, [0.0] * n_out
    out_x[0], out_y[0] = xs[0], ys[0]
    read, written = 0.0, 1
    x2, y2 = xs[0], ys[0]
    for i in range(1, len(xs)):
        x1, y1, x2, y2 = x2, y2, xs[i], ys[i]
        dx, dy = x2 - x1, y2 - y1
        distance = math.sqrt(dx * dx + dy * dy)
        read += distance
        over = read - written * step
        while (over >= 0.0 or i == len(xs) - 1) and written < n_out:
            fraction = 0.0 if distance == 0 else over / distance
            out_x[written], out_y[written] = _f(x2 - fraction * dx), _f(y2 - fraction * dy)
            over -= step
            written += 1
    return out_x, out_y


def float_length(xs: list[float], ys: list[float]) -> float:
    """``PolygonRoi.getLength(float[]...)`` of an open line, uncalibrated (each difference a float)."""
    return sum(math.sqrt(_f(xs[i + 1] - xs[i]) ** 2 + _f(ys[i + 1] - ys[i]) ** 2) for i in range(len(xs) - 1))


def straighten(ip: Processor, line: SubpixelPolyline, width: int) -> np.ndarray | None:
    """``straightenLine``: a float32 array, ``width`` rows by one column per point of the fitted line.

    None where ImageJ returns null (fewer than two points after the fit).
    """
    xs, ys = line.straightening_points()
    n = len(xs)
    if n < 2:
        return None
    out = np.zeros((width, n), dtype=np.float32)
    x2 = _f(xs[0] - _f(xs[1] - xs[0]))        # the point before the first, extrapolated one step back
    y2 = _f(ys[0] - _f(ys[1] - ys[0]))
    for i in range(n):
        x1, y1, x2, y2 = x2, y2, xs[i], ys[i]
        if width == 1:                          # a width from 1 to 2 on a straight line: the spline itself
            out[0, i] = ip.getInterpolatedValue(x2, y2)
            continue
        dx, dy = x2 - x1, y1 - y2
        length = _f(math.sqrt(dx * dx + dy * dy))
        dx, dy = java_div(dx, length), java_div(dy, length)
        x, y = x2 - dy * (width - 1) / 2.0, y2 - dx * (width - 1) / 2.0
        for j in range(width):
            out[j, i] = ip.getInterpolatedValue(x, y)
            x += dy
            y += dx
    return out


def column_averages(values: np.ndarray) -> list[float]:
    """``getColumnAverageProfile`` of a float image: each column's mean, NaN values left out."""
    sums, counts = [0.0] * values.shape[1], [0] * values.shape[1]
    for row in values.astype(np.float64).tolist():
        for i, v in enumerate(row):
            if not math.isnan(v):
                sums[i] += v
                counts[i] += 1
    return [java_div(s, c) for s, c in zip(sums, counts)]


def _float_minimum(values: list[float]) -> float:
    """``FloatPolygon.calculateBounds``' minimum (from Float.MAX_VALUE, as ImageJ starts it)."""
    return min([_FLOAT_MAX, *values])
