"""Random selections of every kind a ``.roi`` file holds, for the round-trip fuzz (pure and against ImageJ)."""

from __future__ import annotations

from hypothesis import strategies as hs

from bridge.core import roi as R

_COORD = hs.integers(-200, 3000)
_SUBPIXEL = hs.floats(-200, 3000, allow_nan=False, allow_infinity=False, width=32)
_SIZE = hs.floats(0.5, 800, allow_nan=False, allow_infinity=False, width=32)
_NAME = hs.one_of(hs.none(), hs.text(min_size=1, max_size=12))


@hs.composite
def polygons(draw: hs.DrawFn) -> R.Roi:
    kind = draw(hs.sampled_from([R.POLYGON, R.FREEROI, R.TRACED_ROI, R.POLYLINE, R.FREELINE]))
    n = draw(hs.integers(3, 40))
    xs = draw(hs.lists(_COORD, min_size=n, max_size=n))
    ys = draw(hs.lists(_COORD, min_size=n, max_size=n))
    return R.PolygonRoi(xs, ys, kind)


@hs.composite
def rectangles(draw: hs.DrawFn) -> R.Roi:
    cls = draw(hs.sampled_from([R.Roi, R.OvalRoi]))
    if draw(hs.booleans()):
        roi = cls(draw(_COORD), draw(_COORD), draw(hs.integers(1, 900)), draw(hs.integers(1, 900)))
    else:
        roi = cls(draw(hs.floats(0, 3000, width=32)), draw(hs.floats(0, 3000, width=32)), draw(_SIZE), draw(_SIZE))
    if cls is R.Roi and draw(hs.booleans()):
        roi.corner_diameter = draw(hs.integers(1, 40))
    return roi


@hs.composite
def lines(draw: hs.DrawFn) -> R.Roi:
    line = R.Line(draw(_SUBPIXEL), draw(_SUBPIXEL), draw(_SUBPIXEL), draw(_SUBPIXEL))
    if draw(hs.booleans()):
        line.stroke_width = draw(hs.integers(1, 30))
    return line


@hs.composite
def points(draw: hs.DrawFn) -> R.Roi:
    n = draw(hs.integers(1, 30))
    xs = draw(hs.lists(hs.floats(0, 3000, width=32), min_size=n, max_size=n))
    ys = draw(hs.lists(hs.floats(0, 3000, width=32), min_size=n, max_size=n))
    return R.PointRoi(xs, ys)


@hs.composite
def selections(draw: hs.DrawFn) -> R.Roi:
    """Any selection, with a name, a slice position and perhaps a stroke width."""
    roi = draw(hs.one_of(polygons(), rectangles(), lines(), points()))
    roi.name = draw(_NAME)
    roi.position = draw(hs.integers(0, 500))
    if not isinstance(roi, (R.Line, R.PointRoi)) and draw(hs.booleans()):
        roi.stroke_width = float(draw(hs.integers(1, 12)))
    return roi
