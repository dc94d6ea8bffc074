"""The statistics' fast paths against their reference loops, on random images, calibrations and masks.

Skewness, kurtosis and the centre of mass rest on six pixel sums Java adds in
row order; :func:`~bridge.core.statistics.whole_number_moment_sums` takes
the ones whole-number arithmetic gives exactly (per level for 8/16-bit data,
per pixel for float images).
Every sum it answers must be the double the row-order loop
(:func:`~bridge.core.statistics.sequential_moment_sums`, the reference) ends
with, bit for bit; it must answer for ordinary CT data and decline where it
cannot be exact (fractional calibrations, fourth powers past 2**53, 8-bit
regions of zeros whose sums are Java's denormals).  The parity tests
(``test_measure_parity.py``) compare the whole result with ImageJ itself.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as hs

from bridge.core import statistics as S
from bridge.core.imagetypes import GRAY8, GRAY16, GRAY32

#: (slope, intercept) pairs: none, Hounsfield-like whole numbers, negative and fractional slopes.
CALIBRATIONS = [None, (1.0, -32768.0 - 1024.0), (1.0, -1024.0), (-2.0, 300.0), (1.5, -1024.0), (0.25, 7.0)]


def region_and_pixels(seed: int, kind: int, level_range: int, masked: bool) -> tuple[np.ndarray, S.Region]:
    """A random image and a random region of it (a random mask, or the whole rectangle).

    Float images hold whole numbers of either sign (CT data converted to 32-bit), some with fractions,
    NaN and infinities.
    """
    rng = np.random.default_rng(seed)
    height, width = int(rng.integers(1, 60)), int(rng.integers(1, 60))
    if kind == GRAY32:
        pixels = rng.integers(-level_range, level_range, (height, width)).astype(np.float32)
        for odd, share in ((0.5, 0.02), (np.nan, 0.05), (np.inf, 0.01), (-np.inf, 0.01)):
            if rng.random() < 0.3:
                pixels[rng.random(pixels.shape) < share] = np.float32(odd)
    else:
        top = min(level_range, 256 if kind == GRAY8 else 65536)
        pixels = rng.integers(0, top, (height, width)).astype(np.uint8 if kind == GRAY8 else np.uint16)
    if rng.random() < 0.2:                              # a region with many zeros
        pixels[rng.random(pixels.shape) < 0.9] = 0
    x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
    w, h = int(rng.integers(1, width - x + 1)), int(rng.integers(1, height - y + 1))
    mask = rng.random((h, w)) < rng.random() if masked else None
    return pixels, S.Region(x, y, w, h, mask)


def table_of(kind: int, calibration: tuple[float, float] | None) -> np.ndarray | None:
    if calibration is None or kind == GRAY32:
        return None
    slope, intercept = calibration
    return S._straight_line_table(256 if kind == GRAY8 else 65536, intercept, slope)


def both_paths(pixels: np.ndarray, region: S.Region, kind: int, table: np.ndarray | None,
               bounds: tuple[float, float] = S._FLOAT_RANGE) -> tuple[list[float | None], list[float]]:
    block = pixels[region.y:region.y + region.height, region.x:region.x + region.width]
    inside = block.reshape(-1) if region.mask is None else block[region.mask]
    return (S.whole_number_moment_sums(block, region, inside, kind, table, bounds),
            S.sequential_moment_sums(region, inside, kind, table, bounds))


def same_double(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


@settings(max_examples=400, deadline=None)
@given(seed=hs.integers(0, 2**32 - 1), kind=hs.sampled_from([GRAY8, GRAY16, GRAY32]),
       level_range=hs.sampled_from([2, 50, 256, 4096, 65536]), masked=hs.booleans(),
       calibration=hs.sampled_from(CALIBRATIONS),
       bounds=hs.sampled_from([S._FLOAT_RANGE, (0.0, 0.0), (-10.0, 0.0), (0.0, 1e9), (-3.5, 70.25)]))
def test_whole_number_moment_sums_are_the_row_order_loops(seed: int, kind: int, level_range: int, masked: bool,
                                                          calibration: tuple[float, float] | None,
                                                          bounds: tuple[float, float]) -> None:
    """``bounds``: a float image's range test ("limit to threshold" levels), which sees ``v + Double.MIN_VALUE``."""
    pixels, region = region_and_pixels(seed, kind, level_range, masked)
    fast, reference = both_paths(pixels, region, kind, table_of(kind, calibration),
                                 bounds if kind == GRAY32 else S._FLOAT_RANGE)
    for index, (ours, theirs) in enumerate(zip(fast, reference)):
        assert ours is None or same_double(ours, theirs), (index, ours, theirs)


def test_the_fast_path_answers_for_ct_data_and_declines_where_it_cannot_be_exact() -> None:
    rng = np.random.default_rng(1)
    water = (rng.normal(0, 12, (200, 210)) + 1024 + 32768).astype(np.uint16)
    region = S.Region(5, 7, 180, 170, rng.random((170, 180)) < 0.7)
    hounsfield = table_of(GRAY16, (1.0, -32768.0 - 1024.0))
    assert None not in both_paths(water, region, GRAY16, hounsfield)[0]
    with_air = water.copy()
    with_air[:, :100] = 32768 + 24                      # -1000 HU: v**4 * n passes 2**53
    fast, reference = both_paths(with_air, region, GRAY16, hounsfield)
    assert fast[3] is None and None not in fast[:3]
    assert fast[:3] == reference[:3]
    assert both_paths(water, region, GRAY16, table_of(GRAY16, (0.25, 7.0)))[0] == [None] * 6
    zeros = np.zeros((10, 10), dtype=np.uint8)
    fast, reference = both_paths(zeros, S.Region(1, 1, 5, 5), GRAY8, None)
    assert fast[0] is None and reference[0] == 25 * 5e-324      # Java's sum of Double.MIN_VALUEs
    hounsfield_floats = (water.astype(np.float64) - 32768 - 1024).astype(np.float32)
    fast, reference = both_paths(hounsfield_floats, region, GRAY32, None)
    assert None not in fast and fast == reference
    row, column = np.argwhere(region.mask)[0]              # a pixel inside the region
    hounsfield_floats[region.y + row, region.x + column] = 0.5
    assert both_paths(hounsfield_floats, region, GRAY32, None)[0] == [None] * 6


@settings(max_examples=100, deadline=None)
@given(seed=hs.integers(0, 2**32 - 1), masked=hs.booleans())
def test_centroid_is_the_mean_position_of_the_counted_pixels(seed: int, masked: bool) -> None:
    pixels, region = region_and_pixels(seed, GRAY16, 4096, masked)
    block = pixels[region.y:region.y + region.height, region.x:region.x + region.width]
    stats = S.ImageStatistics()
    S._centroid(stats, region, block, GRAY16, None)
    ys, xs = np.nonzero(region.mask if region.mask is not None else np.ones(block.shape, dtype=bool))
    count = xs.size
    expected_x = float(np.cumsum((xs + region.x).astype(np.float64))[-1]) / count + 0.5 if count else math.nan
    expected_y = float(np.cumsum((ys + region.y).astype(np.float64))[-1]) / count + 0.5 if count else math.nan
    assert same_double(stats.xCentroid, expected_x) and same_double(stats.yCentroid, expected_y)
