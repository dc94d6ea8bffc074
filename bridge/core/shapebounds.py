"""The bounds ImageJ gives a polygon cut to the image (``ShapeRoi.and``), Java's rounding included.

*Crop* and *Duplicate...* of a polygon reaching past the image intersect it
with the image rectangle through ``java.awt.geom.Area`` and cut the
resulting ``ShapeRoi``'s bounds.  Those are not the exact geometry's:

* the corner is ``floor`` of the Area's smallest x and y in double
  precision, and where a polygon edge crosses the image's left side Area
  computes the crossing a hair left of 0 as often as not, which moves the
  cut a whole pixel left;
* the size comes from the outline moved to that corner and stored as Java
  floats (``GeneralPath``): ``ceil(x + width)`` of its float bounds, where a
  float width can round past a whole number and add a pixel.

So this module does what Area does, for straight edges only
(``sun.awt.geom.AreaOp.pruneEdges`` with ``Order1`` curves): the polygon is
first made into its even-odd outline (edges cut where they cross), then
intersected with the image rectangle.  Each step sweeps y bands, orders the
edges in each band by Java's comparisons (which decide where a band ends
and which edges count as one), and keeps the pieces where the inside
changes; their end points are computed with Java's double formulas.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .roi import Rectangle

# AreaOp's tags: which operand an edge belongs to, how it changes the inside, the running state.
_LEFT, _RIGHT = 0, 1
_IGNORE, _ENTER, _EXIT = 0, 1, -1


class _Order1:
    """``sun.awt.geom.Order1``: a segment from its top (y0) to its bottom (y1); no horizontal ones."""

    def __init__(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.xmin, self.xmax = min(x0, x1), max(x0, x1)

    def x_for_y(self, y: float) -> float:
        if self.x0 == self.x1 or y <= self.y0:
            return self.x0
        if y >= self.y1:
            return self.x1
        return self.x0 + (y - self.y0) * (self.x1 - self.x0) / (self.y1 - self.y0)

    def sub_curve(self, top: float, bottom: float) -> _Order1:
        """``getSubCurve(ystart, yend)``."""
        if top == self.y0 and bottom == self.y1:
            return self
        if self.x0 == self.x1:
            return _Order1(self.x0, top, self.x1, bottom)
        num, denom = self.x0 - self.x1, self.y0 - self.y1
        return _Order1(self.x0 + (top - self.y0) * num / denom, top, self.x0 + (bottom - self.y0) * num / denom, bottom)

    def compare_to(self, other: _Order1, yrange: list[float]) -> int:
        """``Order1.compareTo``: the order in the band, shortening the band to a crossing inside it."""
        yrange[1] = min(yrange[1], self.y1, other.y1)
        if self.xmax <= other.xmin:
            return 0 if self.xmin == other.xmax else -1
        if self.xmin >= other.xmax:
            return 1
        dxa, dya = self.x1 - self.x0, self.y1 - self.y0
        dxb, dyb = other.x1 - other.x0, other.y1 - other.y0
        denom = dxb * dya - dxa * dyb
        if denom != 0:
            num = (self.x0 - other.x0) * dya * dyb - self.y0 * dxa * dyb + other.y0 * dxb * dya
            y = num / denom
            if y <= yrange[0]:
                y = min(self.y1, other.y1)
            else:
                if y < yrange[1]:
                    yrange[1] = y
                y = max(self.y0, other.y0)
        else:
            y = max(self.y0, other.y0)
        a, b = self.x_for_y(y), other.x_for_y(y)
        return -1 if a < b else 1 if a > b else 0


class _Edge:
    """``sun.awt.geom.Edge``: a curve in the sweep, with its operand, last tag and the last comparison cached."""

    def __init__(self, curve: _Order1, operand: int) -> None:
        self.curve, self.operand = curve, operand
        self.etag, self.active_y, self.equivalence = _IGNORE, 0.0, 0
        self.last_edge: _Edge | None = None
        self.last_result, self.last_limit = 0, 0.0

    def compare_to(self, other: _Edge, yrange: list[float]) -> int:
        if other is self.last_edge and yrange[0] < self.last_limit:
            yrange[1] = min(yrange[1], self.last_limit)
            return self.last_result
        if self is other.last_edge and yrange[0] < other.last_limit:
            yrange[1] = min(yrange[1], other.last_limit)
            return -other.last_result
        result = self.curve.compare_to(other.curve, yrange)
        self.last_edge, self.last_limit, self.last_result = other, yrange[1], result
        return result


class _EvenOdd:
    """``AreaOp.EOWindOp``: every edge enters or leaves."""

    def __init__(self) -> None:
        self.inside = False

    def classify(self, edge: _Edge) -> int:
        self.inside = not self.inside
        return _ENTER if self.inside else _EXIT


class _Intersection:
    """``AreaOp.IntOp``: inside both operands."""

    def __init__(self) -> None:
        self.in_left = self.in_right = self.inside = False

    def classify(self, edge: _Edge) -> int:
        if edge.operand == _LEFT:
            self.in_left = not self.in_left
        else:
            self.in_right = not self.in_right
        now = self.in_left and self.in_right
        if now == self.inside:
            return _IGNORE
        self.inside = now
        return _ENTER if now else _EXIT


def _prune(edges: list[_Edge], operation: type[_EvenOdd] | type[_Intersection]) -> list[_Order1]:
    """``AreaOp.pruneEdges``: the result's boundary pieces, in Area's order."""
    if len(edges) < 2:
        return []
    edgelist = sorted(edges, key=lambda e: (e.curve.y0, e.curve.x0))      # YXTopComparator, stable
    n = len(edgelist)
    left = right = 0
    yrange = [0.0, 0.0]
    subcurves: list[_Link] = []
    chains: list[_ChainEnd] = []
    while left < n:
        y = yrange[0]
        keep = right - 1                       # drop the edges that end above the band
        for cur in range(right - 1, left - 1, -1):
            e = edgelist[cur]
            if e.curve.y1 > y:
                if keep > cur:
                    edgelist[keep] = e
                keep -= 1
        left = keep + 1
        if left >= right:
            if right >= n:
                break
            y = edgelist[right].curve.y0
            if y > yrange[0]:
                _finalize(subcurves, chains)
            yrange[0] = y
        while right < n and edgelist[right].curve.y0 <= y:
            right += 1
        yrange[1] = edgelist[left].curve.y1
        if right < n:
            yrange[1] = min(yrange[1], edgelist[right].curve.y0)
        _sort_band(edgelist, left, right, yrange)
        links = _classify_band(edgelist, left, right, yrange, operation())
        chains = _resolve(subcurves, chains, links)
        yrange[0] = yrange[1]
    _finalize(subcurves, chains)
    return _consume(subcurves)


def _sort_band(edgelist: list[_Edge], left: int, right: int, yrange: list[float]) -> None:
    """The insertion sort of the band's edges; equal ones share an equivalence number."""
    next_equivalence = 1
    for cur in range(left, right):
        e = edgelist[cur]
        e.equivalence = 0
        position = cur
        while position > left:
            previous = edgelist[position - 1]
            ordering = e.compare_to(previous, yrange)
            if ordering >= 0:
                if ordering == 0:
                    if previous.equivalence == 0:
                        previous.equivalence = next_equivalence
                        next_equivalence += 1
                    e.equivalence = previous.equivalence
                break
            edgelist[position] = previous
            position -= 1
        edgelist[position] = e


def _classify_band(edgelist: list[_Edge], left: int, right: int, yrange: list[float],
                   operation: _EvenOdd | _Intersection) -> list[_Link]:
    """Each edge (or run of equal edges) of the band that changes the inside: a link (curve, top, bottom, tag)."""
    top, bottom = yrange
    links = []
    cur = left
    while cur < right:
        e = edgelist[cur]
        if e.equivalence != 0:
            inside_before = operation.inside
            etag = _EXIT if inside_before else _ENTER
            active_match: _Edge | None = None
            longest, furthest = e, bottom
            group = e.equivalence
            while True:
                operation.classify(e)
                if active_match is None and e.etag == etag and e.active_y >= top:
                    active_match = e
                if e.curve.y1 > furthest:
                    longest, furthest = e, e.curve.y1
                cur += 1
                if not (cur < right and edgelist[cur].equivalence == group):
                    break
                e = edgelist[cur]
            cur -= 1
            if operation.inside == inside_before:
                etag = _IGNORE
            else:
                e = active_match if active_match is not None else longest
        else:
            etag = operation.classify(e)
        if etag != _IGNORE:
            e.etag, e.active_y = etag, bottom
            links.append(_Link(e.curve, top, bottom, etag))
        cur += 1
    return links


class _Link:
    """``sun.awt.geom.CurveLink``: a curve's stretch in one or more bands, and the next link of its chain."""

    def __init__(self, curve: _Order1, top: float, bottom: float, etag: int) -> None:
        self.curve, self.top, self.bottom, self.etag = curve, top, bottom, etag
        self.next: _Link | None = None

    def absorb(self, other: _Link) -> bool:
        if (self.curve is not other.curve or self.etag != other.etag or self.bottom < other.top
                or self.top > other.bottom):
            return False
        self.top, self.bottom = min(self.top, other.top), max(self.bottom, other.bottom)
        return True

    def x(self) -> float:
        return self.curve.x_for_y(self.top)

    def x_bottom(self) -> float:
        return self.curve.x_for_y(self.bottom)


class _ChainEnd:
    """``sun.awt.geom.ChainEnd``: one open end of an outline being built, growing down band by band."""

    def __init__(self, first: _Link, partner: _ChainEnd | None) -> None:
        self.head = self.tail = first
        self.partner = partner
        self.etag = first.etag

    def link_to(self, that: _ChainEnd) -> _Link | None:
        """Join two ends; the head of the outline when that closes it, else None."""
        enter, leave = (self, that) if self.etag == _ENTER else (that, self)
        self.etag = that.etag = _IGNORE
        enter.tail.next = leave.head
        enter.tail = leave.tail
        if self.partner is that:
            return enter.head
        other_enter, other_leave = leave.partner, enter.partner
        assert other_enter is not None and other_leave is not None
        other_enter.partner, other_leave.partner = other_leave, other_enter
        if enter.head.top < other_enter.head.top:
            enter.tail.next = other_enter.head
            other_enter.head = enter.head
        else:
            other_leave.tail.next = enter.head
            other_leave.tail = enter.tail
        return None

    def add_link(self, link: _Link) -> None:
        if self.etag == _ENTER:
            self.tail.next = link
            self.tail = link
        else:
            link.next = self.head
            self.head = link

    def x(self) -> float:
        return self.tail.x_bottom() if self.etag == _ENTER else self.head.x_bottom()


def _obstructs(v1: float, v2: float, phase: int) -> bool:
    return v1 <= v2 if phase & 1 == 0 else v1 < v2


def _resolve(subcurves: list[_Link], chains: list[_ChainEnd], links: list[_Link]) -> list[_ChainEnd]:
    """``AreaOp.resolveLinks``: the band's links joined to the open chains (or starting new ones)."""
    linklist: list[_Link | None] = [*links, None, None]
    endlist: list[_ChainEnd | None] = [*chains, None, None]
    result: list[_ChainEnd] = []
    curchain = curlink = 0
    chain, nextchain, link, nextlink = endlist[0], endlist[1], linklist[0], linklist[1]
    while chain is not None or link is not None:
        connect_chains, connect_links = link is None, chain is None
        if chain is not None and link is not None:
            connect_chains = curchain & 1 == 0 and nextchain is not None and chain.x() == nextchain.x()
            connect_links = curlink & 1 == 0 and nextlink is not None and link.x() == nextlink.x()
            if not connect_chains and not connect_links:
                cx, lx = chain.x(), link.x()
                connect_chains = nextchain is not None and cx < lx and _obstructs(nextchain.x(), lx, curchain)
                connect_links = nextlink is not None and lx < cx and _obstructs(nextlink.x(), cx, curlink)
        if connect_chains:
            assert chain is not None and nextchain is not None
            closed = chain.link_to(nextchain)
            if closed is not None:
                subcurves.append(closed)
            curchain += 2
            chain, nextchain = endlist[curchain], endlist[curchain + 1]
        if connect_links:
            assert link is not None and nextlink is not None
            opening = _ChainEnd(link, None)
            closing = _ChainEnd(nextlink, opening)
            opening.partner = closing
            result += [opening, closing]
            curlink += 2
            link, nextlink = linklist[curlink], linklist[curlink + 1]
        if not connect_chains and not connect_links:
            assert chain is not None and link is not None
            chain.add_link(link)
            result.append(chain)
            curchain += 1
            chain, nextchain = nextchain, endlist[curchain + 1]
            curlink += 1
            link, nextlink = nextlink, linklist[curlink + 1]
    return result


def _finalize(subcurves: list[_Link], chains: list[_ChainEnd]) -> None:
    """``finalizeSubCurves``: close the open chains pairwise."""
    for i in range(1, len(chains), 2):
        closed = chains[i - 1].link_to(chains[i])
        if closed is not None:
            subcurves.append(closed)
    chains.clear()


def _consume(subcurves: list[_Link]) -> list[_Order1]:
    """``consumeSubCurves``: each outline's links, consecutive ones of a curve joined, as sub-curves."""
    curves = []
    for link in subcurves:
        following = link.next
        while following is not None:
            if not link.absorb(following):
                curves.append(link.curve.sub_curve(link.top, link.bottom))
                link = following
            following = following.next
        curves.append(link.curve.sub_curve(link.top, link.bottom))
    return curves


def _outline_edges(xs: Sequence[float], ys: Sequence[float], operand: int) -> list[_Edge]:
    """A closed outline's edges, in path order, each from its top (``Curve.insertLine``)."""
    edges = []
    n = len(xs)
    for i in range(n):
        x0, y0, x1, y1 = float(xs[i]), float(ys[i]), float(xs[(i + 1) % n]), float(ys[(i + 1) % n])
        if y0 == y1:
            continue
        curve = _Order1(x0, y0, x1, y1) if y0 < y1 else _Order1(x1, y1, x0, y0)
        edges.append(_Edge(curve, operand))
    return edges


def polygon_on_image_bounds(xs: list[int], ys: list[int], width: int, height: int) -> Rectangle:
    """``new ShapeRoi(new Roi(0, 0, w, h)).and(new ShapeRoi(polygon)).getBounds()`` for an integer polygon."""
    outline = _prune(_outline_edges(xs, ys, _LEFT), _EvenOdd)                 # new Area(polygon), even-odd
    image = [_Edge(_Order1(0.0, 0.0, 0.0, float(height)), _LEFT),            # new Area(rectangle)
             _Edge(_Order1(float(width), 0.0, float(width), float(height)), _LEFT)]
    pieces = _prune(image + [_Edge(c, _RIGHT) for c in outline], _Intersection)
    if not pieces:
        return Rectangle(0, 0, 0, 0)
    px = [v for c in pieces for v in (c.x0, c.x1)]
    py = [v for c in pieces for v in (c.y0, c.y1)]
    corner_x, corner_y = math.floor(min(px)), math.floor(min(py))             # Area.getBounds()
    return Rectangle(corner_x, corner_y, _float_path_extent(px, corner_x), _float_path_extent(py, corner_y))


def _float_path_extent(values: list[float], corner: int) -> int:
    """The ShapeRoi's width (or height): its outline moved to the corner as floats, ``Rectangle2D.Float.getBounds``."""
    moved = np.asarray([v - corner for v in values], dtype=np.float32)
    low, high = moved.min(), moved.max()
    size = np.float32(high - low)
    return int(math.ceil(float(low) + float(size)) - math.floor(float(low)))
