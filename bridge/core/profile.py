"""*Analyze>Plot Profile*'s data (``ij.gui.ProfilePlot``, 1.53t), in Python.

The profile of a straight line is ``ImageProcessor.getLine``: one value
per pixel of length (the length rounded, plus one), starting at the first
end point, each bilinearly interpolated between the four nearest pixel
centres (ImageJ's default *interpolate line profiles*).  A segmented or
freehand line walks its vertices in steps of 0.01 pixel and takes a value
whenever it has moved a pixel from the last one.  A rectangle gives the
average of each column.  Values are calibrated (the image's value function
through ImageJ's float table), so a CT profile is in Hounsfield units.

A wide line (a stroke width over 1) is straightened first, as ImageJ's
``Straightener`` does (:mod:`bridge.core.straightener`): values are read
across the line at each point of a spline fitted through its vertices, and
the profile is the average across.  A straight line's width is truncated
(``(int)getStrokeWidth()``), a segmented or freehand line's rounded.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..errors import MeasurementError
from . import statistics as st
from . import straightener
from .imagetypes import GRAY8, GRAY16, GRAY32
from .javamath import java_div
from .roi import FREELINE, LINE, POLYLINE, RECTANGLE, Line, PolygonRoi, Roi

if TYPE_CHECKING:
    from ..model import ImagePlus


class Processor:
    """The current slice as ``imp.getProcessor()`` reads it: calibrated values, NaN outside, interpolation."""

    def __init__(self, imp: ImagePlus) -> None:
        if imp.getType() not in (GRAY8, GRAY16, GRAY32):
            raise MeasurementError(f"{imp.getTitle()}: profiles of RGB images are not supported yet")
        plane = np.asarray(imp.data[imp.getCurrentSlice() - 1])
        table = st._c_table(imp.getCalibration(), imp.getType())
        values = table[plane] if table is not None else plane.astype(np.float32)
        self.values: list[list[float]] = values.astype(np.float64).tolist()
        self.height, self.width = plane.shape

    def getPixelValue(self, x: int, y: int) -> float:
        """``getPixelValue``: the (calibrated) value, NaN outside the image."""
        if 0 <= x < self.width and 0 <= y < self.height:
            return self.values[y][x]
        return math.nan

    def getInterpolatedValue(self, x: float, y: float) -> float:
        """``getInterpolatedValue``: bilinear; edge pixels repeated within a pixel outside, 0 beyond."""
        w, h = self.width, self.height
        if x < 0.0 or x >= w - 1.0 or y < 0.0 or y >= h - 1.0:
            if x < -1.0 or x >= w or y < -1.0 or y >= h:
                return 0.0
            return self._bilinear(x, y, self._edge_value)
        return self._bilinear(x, y, self.getPixelValue)

    def _edge_value(self, x: int, y: int) -> float:
        return self.getPixelValue(min(max(x, 0), self.width - 1), min(max(y, 0), self.height - 1))

    @staticmethod
    def _bilinear(x: float, y: float, value: object) -> float:
        assert callable(value)
        xbase, ybase = int(x), int(y)                   # Java's (int): toward zero
        xf, yf = max(x - xbase, 0.0), max(y - ybase, 0.0)
        lower_left, lower_right = value(xbase, ybase), value(xbase + 1, ybase)
        upper_right, upper_left = value(xbase + 1, ybase + 1), value(xbase, ybase + 1)
        upper = upper_left + xf * (upper_right - upper_left)
        lower = lower_left + xf * (lower_right - lower_left)
        return float(lower + yf * (upper - lower))

    def getLine(self, x1: float, y1: float, x2: float, y2: float, interpolate: bool = True) -> list[float]:
        """``getLine``: ``round(length) + 1`` values from (x1, y1) towards (x2, y2), ImageJ's steps."""
        dx, dy = x2 - x1, y2 - y1
        n = math.floor(math.sqrt(dx * dx + dy * dy) + 0.5)
        xinc, yinc = (dx / n, dy / n) if n > 0 else (0.0, 0.0)
        if not ((xinc == 0 and n == self.height) or (yinc == 0 and n == self.width)):
            n += 1
        data, rx, ry = [], x1, y1
        for _ in range(n):
            if interpolate:
                data.append(self.getInterpolatedValue(rx, ry))
            else:
                data.append(self.getPixelValue(math.floor(rx + 0.5), math.floor(ry + 0.5)))
            rx += xinc
            ry += yinc
        return data


class ProfilePlot:
    """``new ProfilePlot(imp)``: the profile of the image's line or rectangle selection."""

    def __init__(self, imp: ImagePlus) -> None:
        roi = imp.getRoi()
        if roi is None:
            raise MeasurementError(f"{imp.getTitle()}: Selection required")
        if not (roi.isLine() or roi.getType() == RECTANGLE):
            raise MeasurementError(f"{imp.getTitle()}: Line or rectangular selection required")
        cal = imp.getCalibration()
        #: the distance between profile points, calibrated (``xInc``)
        self.xInc = cal.pixelWidth
        ip = Processor(imp)
        if roi.getType() == LINE:
            assert isinstance(roi, Line)
            self.profile = self._straight_line(roi, ip, cal.pixelWidth, cal.pixelHeight)
        elif roi.getType() in (POLYLINE, FREELINE):
            assert isinstance(roi, PolygonRoi)
            width = _line_width(roi)
            self.profile = wide_polyline_profile(roi, ip, width) if width > 1 else irregular_profile(roi, ip)
        else:
            if roi.corner_diameter > 0:
                raise MeasurementError(f"{imp.getTitle()}: profiles of rounded rectangles are not supported yet")
            self.profile = column_average_profile(roi, ip)

    def getProfile(self) -> list[float]:
        return list(self.profile)

    def getMin(self) -> float:
        return min(self.profile)

    def getMax(self) -> float:
        return max(self.profile)

    def _straight_line(self, line: Line, ip: Processor, pw: float, ph: float) -> list[float]:
        """``Line.getPixels`` (interpolated, or straightened when wide), and ``xInc`` for pixels that are not square."""
        if _f32(line.stroke_width) > 1:
            values = wide_line_profile(line, ip)
        else:
            values = ip.getLine(line.x1d, line.y1d, line.x2d, line.y2d)
        if pw != ph:
            x1, y1, x2, y2 = (float(np.float32(v)) for v in (line.x1d, line.y1d, line.x2d, line.y2d))
            dx, dy = x2 - x1, y2 - y1
            pixel_length = math.sqrt(dx * dx + dy * dy)
            calibrated = math.sqrt((pw * dx) ** 2 + (ph * dy) ** 2)
            self.xInc = calibrated * 1.0 / pixel_length if pixel_length else math.nan
        return values


def _line_width(roi: Roi) -> int:
    """``Math.round(getStrokeWidth())``: a segmented line's width for its profile."""
    return math.floor(_f32(roi.stroke_width) + 0.5)


def _f32(value: float) -> float:
    """The stroke width as ImageJ keeps it: a Java float."""
    return float(np.float32(value))


def wide_line_profile(line: Line, ip: Processor) -> list[float]:
    """``Line.getPixels`` for a wide line: ``Straightener.rotateLine`` with ``(int)`` the width, averaged across.

    ImageJ straightens the line as a two-point polyline (``getFloatPoints``);
    a line that leaves fewer than two points gives no values.
    """
    polyline = straightener.SubpixelPolyline.from_float_points([line.x1d, line.x2d], [line.y1d, line.y2d])
    values = straightener.straighten(ip, polyline, int(_f32(line.stroke_width)))
    return [] if values is None else straightener.column_averages(values)


def wide_polyline_profile(roi: PolygonRoi, ip: Processor, width: int) -> list[float]:
    """``getWideLineProfile``: the straightened segmented or freehand line, averaged across."""
    b = roi.getBounds()
    xs, ys = [x - b.x for x in roi.xpoints], [y - b.y for y in roi.ypoints]
    polyline = straightener.SubpixelPolyline.from_int_points(xs, ys, (b.x, b.y), roi.uncalibrated_length())
    values = straightener.straighten(ip, polyline, width)
    if values is None:
        raise MeasurementError("the segmented line is too short to straighten (ImageJ gives no profile)")
    return straightener.column_averages(values)


def column_average_profile(roi: Roi, ip: Processor) -> list[float]:
    """``getColumnAverageProfile``: each column's mean over the bounds' rows (pixels outside skipped)."""
    b = roi.getBounds()
    sums, counts = [0.0] * b.width, [0] * b.width
    for y in range(b.y, b.y + b.height):
        row = ip.getLine(b.x, y, b.x + b.width - 1, y, interpolate=False)
        for i in range(b.width):
            if not math.isnan(row[i]):
                sums[i] += row[i]
                counts[i] += 1
    return [s / c if c else math.nan for s, c in zip(sums, counts)]


def irregular_profile(roi: Roi, ip: Processor) -> list[float]:
    """``getIrregularProfile``: walk the vertices in 0.01-pixel steps, a value each pixel moved."""
    xs, ys = (list(np.asarray(v, dtype=np.float32).astype(np.float64)) for v in roi.getFloatPolygon())
    n, inc = len(xs), 0.01
    values: list[float] = []
    last_x = last_y = 0.0
    x2, y2 = xs[0], ys[0]
    for i in range(1, n):
        x1, y1 = x2, y2
        x, y = x1, y1
        x2, y2 = xs[i], ys[i]
        dx, dy = x2 - x1, y2 - y1
        distance = math.sqrt(dx * dx + dy * dy)
        xinc, yinc = java_div(dx * inc, distance), java_div(dy * inc, distance)
        steps = _java_int(distance / inc)
        if n == 2:
            steps += 1
        while True:
            ddx, ddy = x - last_x, y - last_y
            if math.sqrt(ddx * ddx + ddy * ddy) >= 1.0 - inc / 2.0:
                values.append(ip.getInterpolatedValue(x, y))
                last_x, last_y = x, y
            x += xinc
            y += yinc
            steps -= 1
            if steps <= 0:
                break
    return values


def _java_int(value: float) -> int:
    """Java's ``(int)`` of a double: toward zero, NaN to 0, saturating."""
    if math.isnan(value):
        return 0
    return max(-2**31, min(2**31 - 1, int(value))) if math.isfinite(value) else (2**31 - 1 if value > 0 else -2**31)
