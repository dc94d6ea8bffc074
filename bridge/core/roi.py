"""ImageJ's selections (``ij.gui.Roi`` and subclasses), pixel for pixel, in Python.

Which pixels a selection covers is ImageJ's own definition, not geometry's:

* a rectangle covers its integer bounds (sub-pixel corners are truncated, the
  size rounded up: ``Roi(double...)``);
* an oval covers the pixels whose centres pass ``OvalRoi.getMask``'s ellipse
  test on the integer bounds (not a textbook ellipse through the corners);
* a polygon covers what ``PolygonFiller`` fills: a scan line per pixel row
  through the pixel centres, left edges out, right edges in;
* lines and points cover no area (``isArea()`` is false); they have lengths
  and bounds.

Masks are ``(height, width)`` boolean arrays over ``getBounds()`` (``None``
for a plain rectangle), so ``mask.astype(np.uint8) * 255`` is ImageJ's
``getMask().getPixels()``.  Lengths and Feret values take the pixel size of
the image the selection is measured on, as ImageJ's ``roi.setImage(imp)``
gives them.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import MeasurementError

# Roi.getType() values.
RECTANGLE, OVAL, POLYGON, FREEROI, TRACED_ROI, LINE, POLYLINE, FREELINE, ANGLE, COMPOSITE, POINT = range(11)
_AREA_TYPES = (RECTANGLE, OVAL, POLYGON, FREEROI, TRACED_ROI, COMPOSITE)
_LINE_TYPES = (LINE, POLYLINE, FREELINE)
_FLOAT_MIN = 1.401298464324817e-45     # Java's Float.MIN_VALUE
#: ImageJ's masks are Java arrays: at most 2**31 - 1 pixels.
MAX_MASK_PIXELS = 2**31 - 1


@dataclass(frozen=True)
class Rectangle:
    """``java.awt.Rectangle``: integer bounds."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class PixelSize:
    """The spatial calibration a selection is measured with (``cal.pixelWidth/Height``)."""

    width: float = 1.0
    height: float = 1.0


UNCALIBRATED = PixelSize()


class Roi:
    """A rectangular selection, ImageJ's ``new Roi(x, y, width, height)``.

    Integer arguments give the rectangle itself.  Non-integer ones give
    ImageJ's sub-pixel rectangle: the pixel bounds are ``(int)x, (int)y``
    and the size rounded up, exactly as ``Roi(double, double, double, double)``.

    Every selection also carries what a ``.roi`` file keeps besides its
    geometry (:mod:`bridge.core.roifile`): a name, a stack position (0: all
    slices), a stroke width (the line width of a line selection; 0: none
    set), stroke and fill colours (ARGB ints; 0: none), a hyperstack
    position (channel, slice, frame; None: not set), properties text, and,
    for rectangles, the rounded corners' diameter.
    """

    name: str | None = None
    position: int = 0
    subpixel: bool = False
    stroke_width: float = 0.0
    stroke_color: int = 0
    fill_color: int = 0
    corner_diameter: int = 0
    hyperstack_position: tuple[int, int, int] | None = None
    properties: str | None = None
    #: whether the stroke width scales with the zoom: None follows ImageJ's setStrokeWidth (yes when a
    #: width is set); a file says so itself
    scale_stroke_width: bool | None = None
    #: the prototype overlay a file keeps: label options (RoiDecoder's OVERLAY_* bits), label colour
    #: (ARGB; 0: none) and label font size (None: no font)
    overlay_options: int = 0
    overlay_label_color: int = 0
    overlay_font_size: int | None = None

    def __init__(self, x: float, y: float, width: float, height: float, subpixel: bool | None = None) -> None:
        """``subpixel``: None takes ``Roi(int...)`` for whole numbers, ``Roi(double...)`` otherwise; True or
        False chooses (a file's sub-pixel rectangle stays one even where its corners are whole)."""
        _finite("Roi", x, y, width, height)
        self.type = RECTANGLE
        self.x, self.y = _java_int(x), _java_int(y)
        self.width, self.height = max(1, math.ceil(width)), max(1, math.ceil(height))
        if subpixel is None:
            subpixel = not all(float(v).is_integer() for v in (x, y, width, height))
        self.subpixel = subpixel
        if not subpixel:                                     # Roi(int...): sizes below 1 become 1
            self._float_bounds = (float(self.x), float(self.y), float(self.width), float(self.height))
        else:
            self._float_bounds = (float(x), float(y), float(width), float(height))
        self.pixel_size = UNCALIBRATED

    # --- what ImageJ's Roi answers ------------------------------------------------
    def getType(self) -> int:
        return self.type

    def isArea(self) -> bool:
        return self.type in _AREA_TYPES

    def isLine(self) -> bool:
        return self.type in _LINE_TYPES

    def getBounds(self) -> Rectangle:
        return Rectangle(self.x, self.y, self.width, self.height)

    def getMask(self) -> np.ndarray | None:
        """None: a rectangle needs no mask (ImageJ's ``getMask()`` returns null too)."""
        if self.corner_diameter > 0:
            raise MeasurementError(f"{self!r}: measuring rounded rectangles is not supported yet")
        return None

    # --- what a .roi file and the ROI Manager keep ---------------------------------
    def getName(self) -> str | None:
        return self.name

    def setName(self, name: str | None) -> None:
        self.name = name

    def getPosition(self) -> int:
        return self.position

    def setPosition(self, position: int) -> None:
        """``setPosition(n)``: a negative position is 0 (all slices)."""
        self.position = max(0, int(position))

    def getStrokeWidth(self) -> float:
        return self.stroke_width

    def setStrokeWidth(self, width: float) -> None:
        self.stroke_width = float(width)

    def clone(self) -> Roi:
        """A copy with its own name and position (``Roi.clone()``); the geometry is shared, it never changes."""
        return copy.copy(self)

    def contains(self, x: int, y: int) -> bool:
        """Whether pixel (x, y) is inside (its mask bit, where there is a mask)."""
        b = self.getBounds()
        if not (b.x <= x < b.x + b.width and b.y <= y < b.y + b.height):
            return False
        mask = self.getMask()
        return mask is None or bool(mask[y - b.y, x - b.x])

    def getLength(self) -> float:
        """The perimeter, calibrated: ``2*width*pw + 2*height*ph`` of the integer bounds."""
        pw, ph = self.pixel_size.width, self.pixel_size.height
        return 2.0 * self.width * pw + 2.0 * self.height * ph

    def getFloatPolygon(self) -> tuple[list[float], list[float]]:
        """The corners (sub-pixel ones where the rectangle was made with them)."""
        x, y, w, h = self._float_bounds if self._subpixel() else (self.x, self.y, self.width, self.height)
        return _f32([x, x + w, x + w, x]), _f32([y, y, y + h, y + h])    # a FloatPolygon: Java floats

    def getFeretValues(self) -> list[float] | None:
        """``[Feret, FeretAngle, MinFeret, FeretX, FeretY]`` from the convex hull (ImageJ's rotating calipers)."""
        xs, ys = self.getFloatPolygon()
        return feret_values(*convex_hull(_f32(xs), _f32(ys)), self.pixel_size)

    def getConvexHullArea(self) -> float:
        """The area of ``getConvexHull()`` (the hull's vertices rounded to integers), as Analyzer's solidity uses."""
        hx, hy = convex_hull(*map(_f32, self.getFloatPolygon()))
        return polygon_area([_java_round(v) for v in hx], [_java_round(v) for v in hy])

    def _subpixel(self) -> bool:
        return self.subpixel

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.x}, {self.y}, {self.width}, {self.height})"


class OvalRoi(Roi):
    """``new OvalRoi(x, y, width, height)``: ImageJ's oval on the integer bounds."""

    def __init__(self, x: float, y: float, width: float, height: float, subpixel: bool | None = None) -> None:
        super().__init__(x, y, width, height, subpixel)
        self.type = OVAL

    def getMask(self) -> np.ndarray:
        """``OvalRoi.getMask``: pixel centres with ``xx²/a² + yy²/b² <= 1``, a and b the half sizes."""
        _check_mask_size(self)
        return oval_mask(self.width, self.height)

    def contains(self, x: int, y: int) -> bool:
        """``OvalRoi.contains``: the same test on the pixel centre (can differ from the mask by rounding)."""
        a, b = self.width * 0.5, self.height * 0.5
        dx, dy = x - (self.x + a - 0.5), y - (self.y + b - 0.5)
        return (dx * dx) / (a * a) + (dy * dy) / (b * b) <= 1.0

    def getLength(self) -> float:
        """Ramanujan's approximation of the ellipse's circumference, as ImageJ."""
        a = 0.5 * self.width * self.pixel_size.width
        b = 0.5 * self.height * self.pixel_size.height
        return math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))

    def getFeretValues(self) -> list[float]:
        """``OvalRoi.getFeretValues``: the axes themselves, not a hull."""
        pw, ph = self.pixel_size.width, self.pixel_size.height
        x, y, w, h = self.x, self.y, self.width, self.height
        tall = ph * h > pw * w
        return [h * ph if tall else w * pw, 90.0 if tall else 0.0, w * pw if tall else h * ph,
                (x + (0.5 * w if tall else 0)) * pw, (y + (h if tall else 0.5 * h)) * ph]

    def getConvexHullArea(self) -> float:
        """``Analyzer.getArea(roi.getConvexHull())``: the hull of ImageJ's flattened ellipse, rounded to integers.

        Not the mask's area: ImageJ's hull comes from ``OvalRoi.getFloatPolygon()``, a Java2D
        ellipse flattened to line segments (:func:`oval_polygon`), so Solidity is not 1.
        """
        bounds = self.getBounds()
        hx, hy = convex_hull(*oval_polygon(bounds.x, bounds.y, bounds.width, bounds.height))
        return polygon_area([_java_round(v) for v in hx], [_java_round(v) for v in hy])


class PolygonRoi(Roi):
    """``new PolygonRoi(xpoints, ypoints, type)`` with integer vertices (what ``makePolygon`` makes).

    ``type`` is POLYGON, FREEROI or TRACED_ROI (areas) or POLYLINE/FREELINE (lines).
    """

    def __init__(self, xpoints: list[int], ypoints: list[int], type: int = POLYGON) -> None:  # noqa: A002
        if len(xpoints) != len(ypoints):
            raise MeasurementError("PolygonRoi: xpoints and ypoints differ in length")
        if type not in (POLYGON, FREEROI, TRACED_ROI, POLYLINE, FREELINE):
            raise MeasurementError(f"PolygonRoi: Invalid type {type}")
        xs, ys = [int(v) for v in xpoints], [int(v) for v in ypoints]
        x0, y0 = (min(xs), min(ys)) if xs else (0, 0)
        w, h = (max(xs) - x0, max(ys) - y0) if xs else (0, 0)
        if type in _LINE_TYPES:
            w, h = w + 1, h + 1              # ImageJ's line convention: bounds include the drawn pixels
        self.type, self.x, self.y, self.width, self.height = type, x0, y0, w, h
        self._float_bounds = (float(x0), float(y0), float(w), float(h))
        self.xpoints, self.ypoints = xs, ys
        self.pixel_size = UNCALIBRATED

    def size(self) -> int:
        return len(self.xpoints)

    def getPolygon(self) -> tuple[list[int], list[int]]:
        return list(self.xpoints), list(self.ypoints)

    def getFloatPolygon(self) -> tuple[list[float], list[float]]:
        return [float(v) for v in self.xpoints], [float(v) for v in self.ypoints]

    def getMask(self) -> np.ndarray | None:
        """``PolygonFiller``'s mask over the bounds; None for polylines (they are not areas)."""
        if not self.isArea():
            return None
        _check_mask_size(self)
        xs = [v - self.x for v in self.xpoints]
        ys = [v - self.y for v in self.ypoints]
        return polygon_mask(xs, ys, self.width, self.height)

    def getLength(self) -> float:
        """Perimeter (areas) or length (lines), ImageJ's rules per type (traced, smoothed, straight)."""
        return self._length(self.pixel_size.width, self.pixel_size.height)

    def uncalibrated_length(self) -> float:
        """``getUncalibratedLength()``: the length in pixels, whatever the image's pixel size."""
        return self._length(1.0, 1.0)

    def _length(self, pw: float, ph: float) -> float:
        xs = [v - self.x for v in self.xpoints]    # ImageJ keeps vertices relative to the bounds,
        ys = [v - self.y for v in self.ypoints]    # which changes the smoothed lengths' rounding
        n = len(xs)
        if self._traced():
            return traced_perimeter(xs, ys, pw, ph)
        if n > 2 and self.type == FREEROI:
            return _smoothed_perimeter(xs, ys, pw, ph)
        if n > 2 and self.type == FREELINE and self.width != 0 and self.height != 0:
            return _smoothed_length(xs, ys, pw, ph)
        return polyline_length(xs, ys, self.isArea(), pw, ph)

    def _traced(self) -> bool:
        if self.type == TRACED_ROI:
            return True
        if self.type != POLYGON:
            return False
        n = len(self.xpoints)
        return all(self.xpoints[(i + 1) % n] == self.xpoints[i] or self.ypoints[(i + 1) % n] == self.ypoints[i]
                   for i in range(n))

    def getConvexHullArea(self) -> float:
        hx, hy = convex_hull(*map(_f32, self.getFloatPolygon()))
        return polygon_area([_java_round(v) for v in hx], [_java_round(v) for v in hy])

    def area_mask(self) -> tuple[Rectangle, np.ndarray] | None:
        """``Roi.convertLineToArea`` of a segmented or freehand line: the pixels its stroke covers.

        ImageJ fills, with ``PolygonFiller`` on a mask from (0, 0), a rectangle
        per segment (the ends reaching half a pixel past the end points) and a
        triangle closing each bend on its outer side, then traces the filled
        pixels (``ThresholdToSelection``); these are the bounds and mask of those
        pixels.  None where nothing is filled (ImageJ's null: a segment of no
        length has no direction, and NaN vertices fill nothing).
        """
        width = max(_f32([self.stroke_width])[0], 1.0)
        b = self.getBounds()
        rows, columns = _java_round(b.y + b.height + width), _java_round(b.x + b.width + width)
        if rows * columns < 0:        # ImageJ's new ByteProcessor throws (NegativeArraySizeException)
            raise MeasurementError(f"{self!r}: ImageJ cannot make the area of a wide line this far above or left "
                                   "of the image")
        mask = np.zeros((max(rows, 0), max(columns, 0)), dtype=bool)
        if mask.size > MAX_MASK_PIXELS:
            raise MeasurementError(f"{self!r}: a mask of {mask.shape[1]} x {mask.shape[0]} pixels is too large")
        vertices_x, vertices_y = self.getFloatPolygon()
        for xs, ys in _stroke_pieces(_f32(vertices_x), _f32(vertices_y), width / 2.0):
            if not any(math.isnan(v) for v in xs + ys):       # PolygonFiller skips NaN vertices
                mask |= float_polygon_mask(xs, ys, 0.5, 0.5, mask.shape[1], mask.shape[0])
        filled_rows, filled_cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        if filled_rows.size == 0:
            return None
        y0, y1 = int(filled_rows[0]), int(filled_rows[-1]) + 1
        x0, x1 = int(filled_cols[0]), int(filled_cols[-1]) + 1
        return Rectangle(x0, y0, x1 - x0, y1 - y0), mask[y0:y1, x0:x1]


def _stroke_pieces(xs: list[float], ys: list[float], radius: float) -> list[tuple[list[float], list[float]]]:
    """``convertLineToArea``'s polygons for a polyline: each segment's rectangle, then each bend's triangle."""
    pieces = []
    dx1, dy1 = _unit(_f32([xs[1] - xs[0]])[0], _f32([ys[1] - ys[0]])[0])
    dx0, dy0 = dx1, dy1
    x_from, y_from = xs[0] - 0.5 * dx1, ys[0] - 0.5 * dy1
    n = len(xs)
    for i in range(1, n):
        x_to, y_to = xs[i], ys[i]
        if i == n - 1:
            x_to, y_to = x_to + 0.5 * dx1, y_to + 0.5 * dy1
        pieces.append((_f32([x_from + radius * dy1, x_from - radius * dy1, x_to - radius * dy1, x_to + radius * dy1]),
                       _f32([y_from - radius * dx1, y_from + radius * dx1, y_to + radius * dx1, y_to - radius * dx1])))
        if i > 1:
            side = -1.0 if dx1 * dy0 > dx0 * dy1 else 1.0       # a right turn closes on the left
            grow_x = _f32([0.5 * (radius * dy0 + radius * dy1)])[0]
            grow_y = _f32([0.5 * (radius * dx0 + radius * dx1)])[0]
            tip_x, tip_y = _f32([x_from])[0], _f32([y_from])[0]
            pieces.append((_f32([tip_x - side * grow_x, x_from + side * radius * dy0, x_from + side * radius * dy1]),
                           _f32([tip_y + side * grow_y, y_from - side * radius * dx0, y_from - side * radius * dx1])))
        dx0, dy0 = dx1, dy1
        x_from, y_from = x_to, y_to
        if i < n - 1:
            dx1, dy1 = _unit(_f32([xs[i + 1] - xs[i]])[0], _f32([ys[i + 1] - ys[i]])[0])
    return pieces


def _unit(dx: float, dy: float) -> tuple[float, float]:
    length = math.sqrt(dx * dx + dy * dy)
    return (dx / length, dy / length) if length else (math.nan, math.nan)


class Line(Roi):
    """``new Line(x1, y1, x2, y2)``: a straight line selection (no area)."""

    #: ``getDrawOffset()``: the end points are pixel corners, not centres (kept for the .roi file)
    draw_offset: bool = False

    def __init__(self, x1: float, y1: float, x2: float, y2: float) -> None:
        _finite("Line", x1, y1, x2, y2)
        self.type = LINE
        self.x1d, self.y1d, self.x2d, self.y2d = float(x1), float(y1), float(x2), float(y2)
        x0, y0 = min(self.x1d, self.x2d), min(self.y1d, self.y2d)
        self.x, self.y, self.width, self.height = _line_bounds(x0, y0, abs(self.x2d - self.x1d),
                                                               abs(self.y2d - self.y1d))
        self._float_bounds = (x0, y0, float(self.width), float(self.height))
        self.pixel_size = UNCALIBRATED

    def getLength(self) -> float:
        pw, ph = self.pixel_size.width, self.pixel_size.height
        return math.sqrt(((self.x2d - self.x1d) * pw) ** 2 + ((self.y2d - self.y1d) * ph) ** 2)

    def getAngle(self) -> float:
        """``getFloatAngle``: degrees counter-clockwise from the x axis (y grows downwards)."""
        pw, ph = self.pixel_size.width, self.pixel_size.height
        return math.degrees(math.atan2((self.y1d - self.y2d) * ph, (self.x2d - self.x1d) * pw))

    def getFloatPolygon(self) -> tuple[list[float], list[float]]:
        """The end points; for a line wider than 1, the outline of the area it covers (as ImageJ)."""
        if self.stroke_width > 1:
            return self.outline(self.stroke_width)
        return [self.x1d, self.x2d], [self.y1d, self.y2d]

    def outline(self, stroke_width: float) -> tuple[list[float], list[float]]:
        """``getFloatPolygon(strokeWidth)`` for a width over 1: the rectangle the wide line covers.

        Its ends reach half a pixel beyond the end points, and it is shifted by
        half a pixel (a line's coordinates are pixel centres, an area's corners).
        """
        dx, dy = self.x2d - self.x1d, self.y2d - self.y1d
        length = math.sqrt(dx * dx + dy * dy)
        dx, dy = dx * (0.5 / length), dy * (0.5 / length)
        x1, y1, x2, y2, w = self.x1d, self.y1d, self.x2d, self.y2d, stroke_width
        xs = [x1 + 0.5 - dx + dy * w, x1 + 0.5 - dx - dy * w, x2 + 0.5 + dx - dy * w, x2 + 0.5 + dx + dy * w]
        ys = [y1 + 0.5 - dy - dx * w, y1 + 0.5 - dy + dx * w, y2 + 0.5 + dy + dx * w, y2 + 0.5 + dy - dx * w]
        return _f32(xs), _f32(ys)

    def area_mask(self) -> tuple[Rectangle, np.ndarray]:
        """``Roi.convertLineToArea(line)``: the bounds and mask of the polygon a wide straight line covers.

        A width of 1 or less is taken as 1.0000001, as ImageJ does.
        """
        xs, ys = self.outline(max(self.stroke_width, 1.0000001))
        x0, y0 = min(xs), min(ys)
        x1 = max(max(xs), _FLOAT_MIN)
        y1 = max(max(ys), _FLOAT_MIN)
        bw, bh = _f32([x1 - x0])[0], _f32([y1 - y0])[0]       # FloatPolygon.getFloatBounds
        bx, by = math.floor(x0), math.floor(y0)                 # setIntBounds, the area convention
        bounds = Rectangle(bx, by, math.ceil(x0 + bw) - bx, math.ceil(y0 + bh) - by)
        if bounds.width * bounds.height > MAX_MASK_PIXELS:
            raise MeasurementError(f"{self!r}: a mask of {bounds.width} x {bounds.height} pixels is too large")
        rel_x, rel_y = _f32([x - x0 for x in xs]), _f32([y - y0 for y in ys])
        mask = float_polygon_mask(rel_x, rel_y, x0 - bx, y0 - by, bounds.width, bounds.height)
        return bounds, mask


class PointRoi(Roi):
    """``new PointRoi(xpoints, ypoints)``: one or more points (no area)."""

    #: ``PointRoi.getPointType()`` (0: hybrid) and ``getSize()`` (1: small): ImageJ's defaults.
    point_type: int = 0
    point_size: int = 1
    #: ``PointRoi.getCounters()`` as a file stores them (None: all zero)
    counters: list[int] | None = None

    def __init__(self, xpoints: list[float] | float, ypoints: list[float] | float) -> None:
        """``PointRoi(float[] xs, float[] ys, n)``, or ``PointRoi(x, y)`` for one point (a 1 x 1 bounds, as Java's)."""
        #: made by ``PointRoi(x, y)`` (Java's double constructor, which makes the bounds 1 x 1)
        self.single = not isinstance(xpoints, list)
        if not isinstance(xpoints, list):
            xpoints = [float(xpoints)]
        if not isinstance(ypoints, list):
            ypoints = [float(ypoints)]
        if not xpoints or len(xpoints) != len(ypoints):
            raise MeasurementError("PointRoi needs one y for each x, and at least one point")
        _finite("PointRoi", *xpoints, *ypoints)
        self.type = POINT
        xs, ys = _f32(xpoints), _f32(ypoints)
        x0, y0 = min(xs), min(ys)
        # ImageJ keeps the points as floats relative to their smallest x and y, and adds those back
        self.relative_points = (_f32([x - x0 for x in xs]), _f32([y - y0 for y in ys]))
        self.xpoints = _f32([x + x0 for x in self.relative_points[0]])
        self.ypoints = _f32([y + y0 for y in self.relative_points[1]])
        # FloatPolygon.getFloatBounds: the size is a float difference; the maxima start at Float.MIN_VALUE
        x1, y1 = max(max(xs), _FLOAT_MIN), max(max(ys), _FLOAT_MIN)
        self.x, self.y, self.width, self.height = _line_bounds(x0, y0, _f32([x1 - x0])[0], _f32([y1 - y0])[0])
        if self.single:
            self.width = self.height = 1
        self._float_bounds = (float(self.x), float(self.y), float(self.width), float(self.height))
        self.pixel_size = UNCALIBRATED

    def size(self) -> int:
        return len(self.xpoints)

    def getLength(self) -> float:
        return 0.0

    def getFloatPolygon(self) -> tuple[list[float], list[float]]:
        return list(self.xpoints), list(self.ypoints)

    def contains(self, x: int, y: int) -> bool:
        return any(_java_int(px) == x and _java_int(py) == y for px, py in zip(self.xpoints, self.ypoints))


def _line_bounds(x: float, y: float, width: float, height: float) -> tuple[int, int, int, int]:
    """``Roi.setIntBounds`` for lines and points: the pixels a drawn line touches, centres at integers."""
    x0, y0 = math.floor(x + 0.5), math.floor(y + 0.5)
    return x0, y0, math.floor(x + width + 1.0) - x0, math.floor(y + height + 1.0) - y0


def _finite(kind: str, *values: float) -> None:
    """Selections are made of finite numbers (ImageJ would silently turn NaN into 0)."""
    if not all(math.isfinite(v) for v in values):
        raise MeasurementError(f"{kind}: coordinates and sizes must be finite numbers, not {values}")


def _check_mask_size(roi: Roi) -> None:
    if roi.width * roi.height > MAX_MASK_PIXELS:
        raise MeasurementError(f"{roi!r}: a mask of {roi.width} x {roi.height} pixels is larger than ImageJ's "
                               "arrays allow")


# --- masks ------------------------------------------------------------------------
@lru_cache(maxsize=64)
def oval_mask(width: int, height: int) -> np.ndarray:
    """``OvalRoi.getMask()``: the same double arithmetic, vectorised; cached like ImageJ's, read-only."""
    a, b = width / 2.0, height / 2.0
    a2, b2 = a * a, b * b
    xx = np.arange(width, dtype=np.float64) - (a - 0.5)
    yy = np.arange(height, dtype=np.float64) - (b - 0.5)
    mask = (xx[None, :] * xx[None, :] / a2 + yy[:, None] * yy[:, None] / b2) <= 1.0
    mask.flags.writeable = False
    return mask


@dataclass
class _Edge:
    """One non-horizontal polygon edge in ``PolygonFiller``'s edge table."""

    x: float        # x where the edge crosses the current row's pixel centres
    y1: int         # first row
    y2: int         # row after the last
    slope: float    # dx per row


def polygon_mask(xs: list[int], ys: list[int], width: int, height: int) -> np.ndarray:
    """``PolygonFiller.getMask`` for integer vertices relative to the bounds' corner.

    A scan line per row through the pixel centres; each edge's x is carried
    from row to row by adding its inverse slope, as ImageJ does, so rounding
    on long edges matches too.
    """
    edges = []
    n = len(xs)
    for i in range(n):
        x1, y1, x2, y2 = xs[i], ys[i], xs[(i + 1) % n], ys[(i + 1) % n]
        if y1 == y2:
            continue
        if y1 > y2:
            x1, y1, x2, y2 = x2, y2, x1, y1
        slope = (x2 - x1) / (y2 - y1)
        edges.append(_Edge(x1 + 0.5 * slope + 1e-8, y1, y2, slope))
    return _fill(edges, width, height)


def float_polygon_mask(xs: list[float], ys: list[float], x_offset: float, y_offset: float,
                       width: int, height: int) -> np.ndarray:
    """``PolygonFiller.getMask`` for float vertices (plus an offset to the mask's corner).

    An edge's end rows are its ends' y rounded; edges within one row, or
    wholly above the first, are left out; x starts at the first row's centre.
    """
    edges = []
    n = len(xs)
    for i in range(n):
        x1f, y1f = xs[i] + x_offset, ys[i] + y_offset
        x2f, y2f = xs[(i + 1) % n] + x_offset, ys[(i + 1) % n] + y_offset
        y1, y2 = math.floor(y1f + 0.5), math.floor(y2f + 0.5)
        if y1 == y2 or (y1 <= 0 and y2 <= 0):
            continue
        if y1 > y2:
            y1, y2, y1f, y2f, x1f, x2f = y2, y1, y2f, y1f, x2f, x1f
        slope = (x2f - x1f) / (y2f - y1f)
        edges.append(_Edge(x1f + (y1 - y1f + 0.5) * slope + 1e-8, y1, y2, slope))
    return _fill(edges, width, height)


def _fill(edges: list[_Edge], width: int, height: int) -> np.ndarray:
    """``fillByteProcessorMask``: the scan lines over the edge table."""
    mask = np.zeros((height, width), dtype=bool)
    if not edges:
        return mask
    y_min, y_max = min(e.y1 for e in edges), max(e.y2 for e in edges)
    active: list[_Edge] = []
    y_start = max(y_min, 0)
    if y_min != 0:
        for e in edges:
            if e.y1 < y_start <= e.y2:
                e.x += e.slope * (y_start - e.y1)
                active.append(e)
        _selection_sort(active)
    for y in range(y_start, min(height, y_max + 1)):
        active = [e for e in active if e.y1 <= y < e.y2]
        for e in edges:
            if e.y1 == y:
                index = 0
                while index < len(active) and e.x > active[index].x:
                    index += 1
                active.insert(index, e)
        for i in range(0, len(active) - 1, 2):
            left = min(max(int(active[i].x + 0.5), 0), width)
            right = min(max(int(active[i + 1].x + 0.5), 0), width)
            if right > left:
                mask[y, left:right] = True
        previous, ordered = -math.inf, True
        for e in active:
            e.x += e.slope
            ordered = ordered and e.x >= previous
            previous = e.x
        if not ordered:
            _selection_sort(active)
    return mask


def _selection_sort(active: list[_Edge]) -> None:
    """ImageJ's selection sort of the active edges (its own order for ties, which decides odd cases)."""
    for i in range(len(active)):
        low = i
        for j in range(i, len(active)):
            if active[j].x < active[low].x:
                low = j
        active[low], active[i] = active[i], active[low]


# --- lengths and hulls --------------------------------------------------------------
def polyline_length(xs: list[int], ys: list[int], closed: bool, pw: float, ph: float) -> float:
    """``PolygonRoi.getLength(int[]...)``: straight segments, the closing one for areas."""
    n = len(xs)
    if n < 2:
        return 0.0
    length = 0.0
    for i in range(n - 1):
        length += math.sqrt(((xs[i + 1] - xs[i]) * pw) ** 2 + ((ys[i + 1] - ys[i]) * ph) ** 2)
    if closed:
        length += math.sqrt(((xs[0] - xs[-1]) * pw) ** 2 + ((ys[0] - ys[-1]) * ph) ** 2)
    return length


def _smoothed_length(xs: list[int], ys: list[int], pw: float, ph: float) -> float:
    """``getSmoothedLineLength``: a 3-point running average along the line."""
    w2, h2, n = pw * pw, ph * ph, len(xs)
    dx = (xs[0] + xs[1] + xs[2]) / 3.0 - xs[0]
    dy = (ys[0] + ys[1] + ys[2]) / 3.0 - ys[0]
    length = math.sqrt(dx * dx * w2 + dy * dy * h2)
    for i in range(1, n - 2):
        dx, dy = (xs[i + 2] - xs[i - 1]) / 3.0, (ys[i + 2] - ys[i - 1]) / 3.0
        length += math.sqrt(dx * dx * w2 + dy * dy * h2)
    dx = xs[n - 1] - (xs[n - 3] + xs[n - 2] + xs[n - 1]) / 3.0
    dy = ys[n - 1] - (ys[n - 3] + ys[n - 2] + ys[n - 1]) / 3.0
    return length + math.sqrt(dx * dx * w2 + dy * dy * h2)


def _smoothed_perimeter(xs: list[int], ys: list[int], pw: float, ph: float) -> float:
    dx, dy = xs[-1] - xs[0], ys[-1] - ys[0]
    return _smoothed_length(xs, ys, pw, ph) + math.sqrt(dx * dx * pw * pw + dy * dy * ph * ph)


def traced_perimeter(xs: list[int], ys: list[int], pw: float, ph: float) -> float:
    """``getTracedPerimeter``: edge pixels count 1, corners sqrt(2) (wand-traced outlines)."""
    n = len(xs)
    if n < 4:
        return 0.0
    sum_dx = sum_dy = corners = 0
    dx1, dy1 = xs[0] - xs[-1], ys[0] - ys[-1]
    side1, corner = abs(dx1) + abs(dy1), False
    for i in range(n):
        j = (i + 1) % n
        dx2, dy2 = xs[j] - xs[i], ys[j] - ys[i]
        sum_dx += abs(dx1)
        sum_dy += abs(dy1)
        side2 = abs(dx2) + abs(dy2)
        if side1 > 1 or not corner:
            corner = True
            corners += 1
        else:
            corner = False
        dx1, dy1, side1 = dx2, dy2, side2
    return sum_dx * pw + sum_dy * ph - corners * ((pw + ph) - math.sqrt(pw * pw + ph * ph))


def convex_hull(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """``FloatPolygon.getConvexHull``: gift wrapping from the top-left point, collinear points dropped."""
    n = len(xs)
    if n == 0:
        return [], []
    smallest_y = min(ys)
    p1 = min((i for i in range(n) if ys[i] == smallest_y), key=lambda i: (xs[i], i))
    hx: list[float] = []
    hy: list[float] = []
    while True:
        x1, y1 = xs[p1], ys[p1]
        p2, x2, y2 = p1, 0.0, 0.0
        while True:
            p2 = (p2 + 1) % n
            if p2 == p1:
                break
            x2, y2 = xs[p2], ys[p2]
            if not (x2 == x1 and y2 == y1):
                break
        p3 = (p2 + 1) % n
        if p2 != p1:
            while True:
                x3, y3 = xs[p3], ys[p3]
                det = x1 * (y2 - y3) - y1 * (x2 - x3) + (y3 * x2 - y2 * x3)
                further = det == 0 and p3 != p2 and (x3 - x1) ** 2 + (y3 - y1) ** 2 > (x2 - x1) ** 2 + (y2 - y1) ** 2
                if det > 0 or further:
                    x2, y2, p2 = x3, y3, p3
                p3 = (p3 + 1) % n
                if p3 == p1:
                    break
        hx.append(x1)
        hy.append(y1)
        if p2 == p1:
            break
        p1 = p2
        if len(hx) > 1 and xs[p1] == hx[0] and ys[p1] == hy[0]:
            break
        if len(hx) > n:
            break
    return hx, hy


def feret_values(xs: list[float], ys: list[float], px: PixelSize) -> list[float] | None:
    """``Roi.getFeretValues`` on a counter-clockwise hull: max/min caliper, angle, start point."""
    n = len(xs)
    if n == 0:
        return None
    pw, ph = px.width, px.height
    best, p1, p2 = 0.0, 0, 0
    fx, fy = np.asarray(xs, dtype=np.float32), np.asarray(ys, dtype=np.float32)   # the hull's float points
    for i in range(n):
        for j in range(i + 1, n):
            # Java subtracts two of the polygon's floats in float, then scales in double
            dx, dy = float(fx[i] - fx[j]) * pw, float(fy[i] - fy[j]) * ph
            d = dx * dx + dy * dy
            if d > best:
                best, p1, p2 = d, i, j
    if xs[p1] > xs[p2]:
        p1, p2 = p2, p1
    xf1, yf1, xf2, yf2 = xs[p1], ys[p1], xs[p2], ys[p2]
    angle = math.degrees(math.atan2((yf1 - yf2) * ph, (xf2 - xf1) * pw))
    if angle < 0.0:
        angle += 180.0
    x0, y0 = xs[-1], ys[-1]
    min_feret = 1.7976931348623157e308
    for i in range(n):
        xprev, yprev, x0, y0 = x0, y0, xs[i], ys[i]
        xnorm, ynorm = (y0 - yprev) * ph, (xprev - x0) * pw
        factor = 1 / math.sqrt(xnorm * xnorm + ynorm * ynorm) if (xnorm or ynorm) else math.inf
        xnorm, ynorm = xnorm * (factor * pw), ynorm * (factor * ph)    # Java's `*=`: the factor first
        max_dist = 0.0
        for j in range(n):
            dist = (xs[j] - x0) * xnorm + (ys[j] - y0) * ynorm
            if dist > max_dist:
                max_dist = dist
        if max_dist < min_feret:
            min_feret = max_dist
    return [math.sqrt(best), angle, min_feret, xf1, yf1]


# --- an oval as Java2D draws it ---------------------------------------------------------
_CTRL = 0.5522847498307933                      # Java2D's EllipseIterator.CtrlVal
_PCV, _NCV = 0.5 + _CTRL * 0.5, 0.5 - _CTRL * 0.5
#: The ellipse's four cubic segments, as fractions of its bounds (EllipseIterator.ctrlpts).
_ELLIPSE_CUBICS = ((1.0, _PCV, _PCV, 1.0, 0.5, 1.0), (_NCV, 1.0, 0.0, _PCV, 0.0, 0.5),
                   (0.0, _NCV, _NCV, 0.0, 0.5, 0.0), (_PCV, 0.0, 1.0, _NCV, 1.0, 0.5))
_FLATNESS_SQ = 0.1 * 0.1                        # ShapeRoi.FLATNESS, squared as FlatteningPathIterator keeps it
_FLATTEN_LIMIT = 10                             # FlatteningPathIterator's default recursion limit


def oval_polygon(x: int, y: int, width: int, height: int) -> tuple[list[float], list[float]]:
    """``OvalRoi.getFloatPolygon()`` (1.53t): vertices of ``Ellipse2D`` flattened as ImageJ's ShapeRoi does.

    The ellipse is widened by 0.0004 on each side, moved to its integer bounds' origin and
    stored as floats (``GeneralPath``), each cubic split in halves until flat within 0.1
    pixel (at most 10 times), the end points kept as floats and moved back by a float sum.
    """
    ex, ey, ew, eh = x - 0.0004, y - 0.0004, width + 0.0008, height + 0.0008
    bx, by = math.floor(ex), math.floor(ey)

    def stored(fx: float, fy: float) -> tuple[float, float]:
        return float(np.float32(ex + fx * ew - bx)), float(np.float32(ey + fy * eh - by))
    points: list[tuple[float, float]] = []
    current = stored(1.0, 0.5)
    points.append(current)
    for c in _ELLIPSE_CUBICS:
        curve = (*current, *stored(c[0], c[1]), *stored(c[2], c[3]), *stored(c[4], c[5]))
        _flatten(curve, 0, points)
        current = (curve[6], curve[7])
    if points[-1] == points[0] and len(points) > 1:      # the close segment: no duplicate end point
        points.pop()
    xs = np.asarray([p[0] for p in points], dtype=np.float32) + np.float32(bx)
    ys = np.asarray([p[1] for p in points], dtype=np.float32) + np.float32(by)
    return [float(v) for v in xs], [float(v) for v in ys]


def _flatten(c: tuple[float, ...], level: int, points: list[tuple[float, float]]) -> None:
    """FlatteningPathIterator on one cubic: its end point when flat enough, else both halves, left first."""
    if level >= _FLATTEN_LIMIT or _cubic_flatness_sq(c) < _FLATNESS_SQ:
        points.append((float(np.float32(c[6])), float(np.float32(c[7]))))
        return
    x1, y1, cx1, cy1, cx2, cy2, x2, y2 = c
    x1m, y1m = (x1 + cx1) / 2.0, (y1 + cy1) / 2.0
    x2m, y2m = (x2 + cx2) / 2.0, (y2 + cy2) / 2.0
    centre_x, centre_y = (cx1 + cx2) / 2.0, (cy1 + cy2) / 2.0
    lx, ly = (x1m + centre_x) / 2.0, (y1m + centre_y) / 2.0
    rx, ry = (x2m + centre_x) / 2.0, (y2m + centre_y) / 2.0
    mx, my = (lx + rx) / 2.0, (ly + ry) / 2.0
    _flatten((x1, y1, x1m, y1m, lx, ly, mx, my), level + 1, points)
    _flatten((mx, my, rx, ry, x2m, y2m, x2, y2), level + 1, points)


def _cubic_flatness_sq(c: tuple[float, ...]) -> float:
    """``CubicCurve2D.getFlatnessSq``: the larger squared distance of a control point from the chord."""
    return max(_segment_distance_sq(c[0], c[1], c[6], c[7], c[2], c[3]),
               _segment_distance_sq(c[0], c[1], c[6], c[7], c[4], c[5]))


def _segment_distance_sq(x1: float, y1: float, x2: float, y2: float, px: float, py: float) -> float:
    """``Line2D.ptSegDistSq``, in Java's order of operations."""
    x2 -= x1
    y2 -= y1
    px -= x1
    py -= y1
    dot = px * x2 + py * y2
    if dot <= 0.0:
        projection = 0.0
    else:
        px = x2 - px
        py = y2 - py
        dot = px * x2 + py * y2
        projection = 0.0 if dot <= 0.0 else dot * dot / (x2 * x2 + y2 * y2)
    return max(px * px + py * py - projection, 0.0)


def polygon_area(xs: list[int], ys: list[int]) -> float:
    """``Analyzer.getArea(Polygon)``: the shoelace formula, absolute."""
    n = len(xs)
    total = 0
    for i in range(n):
        j = (i + 1) % n
        total += xs[i] * ys[j] - xs[j] * ys[i]
    return abs(total / 2.0)


def _java_int(value: float) -> int:
    """Java's ``(int)`` cast: toward zero."""
    return int(value)


def _java_round(value: float) -> int:
    return math.floor(value + 0.5)


def _f32(values: list[float]) -> list[float]:
    """Values as Java floats (FloatPolygon stores float), back as Python floats."""
    return [float(v) for v in np.asarray(values, dtype=np.float32)]
