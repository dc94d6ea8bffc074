"""A polygon cut to the image: the bounds ImageJ's ``ShapeRoi.and`` gives, against ImageJ 1.53t live (JPype).

*Crop* and *Duplicate...* cut those bounds; Java's ``Area`` arithmetic can put
them a pixel off the exact geometry's (even past the image), and bridge must
be off the same way.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from bridge.core import roi as R
from bridge.core.shapebounds import polygon_on_image_bounds

sys.path.insert(0, str(Path(__file__).parent))
import imagej_live as ij  # noqa: E402


def imagej_bounds(xs: list[int], ys: list[int], width: int, height: int) -> tuple[int, int, int, int]:
    """What ``Resizer`` (Crop) computes: ``new ShapeRoi(new Roi(0, 0, w, h)).and(new ShapeRoi(polygon))``."""
    shape_roi, roi = ij.jclass("ij.gui.ShapeRoi"), ij.jclass("ij.gui.Roi")
    b = shape_roi(roi(0, 0, width, height)).and_(shape_roi(ij.java_roi(R.PolygonRoi(xs, ys)))).getBounds()
    return int(b.x), int(b.y), int(b.width), int(b.height)


def ours(xs: list[int], ys: list[int], width: int, height: int) -> tuple[int, int, int, int]:
    b = polygon_on_image_bounds(xs, ys, width, height)
    return b.x, b.y, b.width, b.height


@pytest.mark.jvm
@pytest.mark.parametrize("block", range(4))
def test_random_polygons_across_the_edge_are_cut_as_imagej_cuts(block: int) -> None:
    """Random polygons (self-crossing ones too) with vertices up to 5 pixels past every edge."""
    for seed in range(block * 150, (block + 1) * 150):
        rng = random.Random(seed)
        width, height, n = rng.randint(3, 45), rng.randint(3, 45), rng.randint(3, 7)
        xs = [rng.randint(-5, width + 4) for _ in range(n)]
        ys = [rng.randint(-5, height + 4) for _ in range(n)]
        assert ours(xs, ys, width, height) == imagej_bounds(xs, ys, width, height), (seed, width, height, xs, ys)


@pytest.mark.jvm
@pytest.mark.parametrize("case", [
    (11, 39, [3, -2, 10], [43, 23, 25]),                     # the crossing with x = 0 falls a hair left: x is -1
    (27, 41, [21, 25, 12, 29], [39, -1, 29, 21]),            # a float width rounds past 15: one pixel wider
    (21, 19, [9, 7, 10, 11, -4, 22, 20], [5, 17, 18, 15, 12, -2, 10]),   # a vertex on another edge
    (10, 10, [-3, 13, 13, -3], [-3, -3, 13, 13]),            # the whole image
    (10, 10, [-3, -1, -2], [2, 4, 8]),                      # nothing on the image
    (10, 10, [2, 8, 8, 2, 5, 5], [2, 2, 8, 8, 12, 12]),     # a zero-area spike past the edge
])
def test_known_cases_are_cut_as_imagej_cuts(case: tuple[int, int, list[int], list[int]]) -> None:
    width, height, xs, ys = case
    assert ours(xs, ys, width, height) == imagej_bounds(xs, ys, width, height)


def test_the_exact_geometry_is_not_what_imagej_cuts() -> None:
    """The triangle crosses x = 0 at y = 23 1/3: Java's crossing lies a hair left of 0, so the cut starts at -1
    (ImageJ 1.53t: ``Rectangle[x=-1, y=23, width=10, height=17]``)."""
    assert ours([3, -2, 10], [43, 23, 25], 11, 39) == (-1, 23, 10, 17)
    assert ours([2, 8, 5], [2, 2, 8], 10, 10) == (2, 2, 6, 6)
