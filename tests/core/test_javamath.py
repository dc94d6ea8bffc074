"""Java's double division, as every ported ImageJ formula divides."""

from __future__ import annotations

import math

import pytest

from bridge.core.javamath import java_div


@pytest.mark.parametrize(("a", "b", "expected"), [
    (1.0, 0.0, math.inf), (-1.0, 0.0, -math.inf), (1.0, -0.0, -math.inf), (-1.0, -0.0, math.inf),
    (3.0, 2.0, 1.5)])
def test_division_by_zero_gives_java_infinities(a, b, expected):
    assert java_div(a, b) == expected


@pytest.mark.parametrize(("a", "b"), [(0.0, 0.0), (-0.0, 0.0), (math.nan, 0.0), (math.nan, 2.0)])
def test_zero_by_zero_and_nan_give_nan(a, b):
    assert math.isnan(java_div(a, b))
