"""The filter commands and their core without Java: kernels, the C and numpy paths, options, selections.

Parity with real ImageJ is in ``tests/parity/test_commands_filters.py``;
here each piece is checked against an independent numpy formula or
ImageJ's documented numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

import bridge
from bridge.core import commands, filtering, gaussian, native, rankfilters
from bridge.core.rankfilters import Rect
from bridge.core.roi import OvalRoi, Roi
from bridge.errors import ScriptError
from bridge.model import COLOR_RGB, GRAY8, GRAY16, GRAY32, ImagePlus

_rng = np.random.default_rng(3)


def _image(data: np.ndarray, image_type: int) -> ImagePlus:
    return ImagePlus("test", data if data.ndim == 3 else data[None], image_type)


@pytest.mark.parametrize(("radius", "points", "k_radius"),
                         [(0.5, 5, 1), (1, 9, 1), (1.5, 13, 2), (2, 21, 2), (2.5, 29, 3), (3, 37, 3), (5, 89, 5)])
def test_line_radii_are_imagejs_circles(radius: float, points: int, k_radius: int) -> None:
    kernel = rankfilters.line_radii(radius)
    assert (kernel.points, kernel.radius) == (points, k_radius)
    assert sum(right - left + 1 for left, right in kernel.lines) == points


def _shifted_sum(plane: np.ndarray, kernel: rankfilters.Kernel) -> np.ndarray:
    """An independent mean: the edge-padded kernel sum over shifted copies (exact for integers)."""
    r = kernel.radius
    padded = np.pad(plane.astype(np.float64), r, mode="edge")
    height, width = plane.shape
    return sum(padded[r + dy:r + dy + height, r + dx:r + dx + width] for dy, dx in kernel.offsets())


@pytest.mark.parametrize("radius", [0.5, 1, 2, 3.5])
def test_mean_of_integers_is_the_kernel_average_rounded_as_imagej(radius: float) -> None:
    plane = _rng.integers(0, 65536, (20, 23)).astype(np.uint16)
    imp = _image(plane.copy(), GRAY16)
    commands.run(imp, "Mean...", f"radius={radius}")
    kernel = rankfilters.line_radii(radius)
    mean = (_shifted_sum(plane, kernel) / kernel.points).astype(np.float32)
    expected = np.trunc(mean + np.float32(0.5)).astype(np.uint16)
    assert np.array_equal(imp.data[0], expected)


@pytest.mark.parametrize("radius", [1, 2, 4])
@pytest.mark.parametrize("image_type", [GRAY8, GRAY16, GRAY32])
def test_median_minimum_maximum_are_order_statistics(image_type: int, radius: float) -> None:
    dtype = {GRAY8: np.uint8, GRAY16: np.uint16, GRAY32: np.float32}[image_type]
    plane = _rng.integers(0, 250, (17, 19)).astype(dtype)
    kernel = rankfilters.line_radii(radius)
    r = kernel.radius
    padded = np.pad(plane, r, mode="edge")
    stack = np.stack([padded[r + dy:r + dy + 17, r + dx:r + dx + 19] for dy, dx in kernel.offsets()])
    for name, expected in (("Median...", np.median(stack, axis=0)), ("Minimum...", stack.min(axis=0)),
                           ("Maximum...", stack.max(axis=0))):
        imp = _image(plane.copy(), image_type)
        commands.run(imp, name, f"radius={radius}")
        assert np.array_equal(imp.data[0], expected.astype(dtype)), name


@pytest.mark.skipif(not native.RANK_BUILT, reason="the median's C accelerator is not built here")
@pytest.mark.parametrize("radius", [0.5, 1, 2, 3, 6])
@pytest.mark.parametrize("with_nan", [False, True])
def test_the_c_median_and_the_numpy_median_agree(radius: float, with_nan: bool) -> None:
    plane = (_rng.normal(0, 100, (41, 37))).astype(np.float32)
    if with_nan:
        plane[_rng.random(plane.shape) < 0.2] = np.nan
        plane[3:9, 4:12] = np.nan
    rect = Rect(2, 3, 30, 33)
    results = []
    for pure in (False, True):
        bridge.configure(pure_python=pure)
        try:
            for cap in (float("nan"), 65535.0):     # float (NaN-aware) and integer (previous-median guess)
                source = plane if np.isnan(cap) else np.nan_to_num(np.round(plane) + 500)
                results.append(rankfilters.rank(source, rect, radius, rankfilters.MEDIAN, max_value=cap))
        finally:
            bridge.configure(pure_python=None)
    np.testing.assert_array_equal(results[0], results[2])
    np.testing.assert_array_equal(results[1], results[3])


def test_mean_restarts_after_nan_as_imagej_does() -> None:
    """A NaN spoils the running sum: ImageJ starts afresh at the pixel after the next one."""
    plane = np.arange(60, dtype=np.float32).reshape(6, 10)
    plane[2, 4] = np.nan
    out = rankfilters.rank(plane, Rect(0, 0, 10, 6), 2, rankfilters.MEAN, max_value=float("nan"))
    kernel = rankfilters.line_radii(2)
    expected = (_shifted_sum(plane, kernel) / kernel.points).astype(np.float32)
    assert np.array_equal(np.isnan(out), np.isnan(expected))
    assert np.allclose(out[~np.isnan(out)], expected[~np.isnan(expected)], rtol=1e-6)


def test_remove_outliers_replaces_only_beyond_the_threshold() -> None:
    plane = np.full((9, 9), 100, dtype=np.uint8)
    plane[4, 4], plane[1, 1] = 200, 120
    imp = _image(plane.copy(), GRAY8)
    commands.run(imp, "Remove Outliers...", "radius=1 threshold=50 which=Bright")
    assert imp.data[0, 4, 4] == 100 and imp.data[0, 1, 1] == 120
    dark = _image(255 - plane, GRAY8)
    commands.run(dark, "Remove Outliers...", "radius=1 threshold=50 which=Dark")
    assert dark.data[0, 4, 4] == 155


def test_rgb_is_filtered_per_channel() -> None:
    channels = _rng.integers(0, 256, (3, 12, 14)).astype(np.int32)
    packed = (channels[0] << 16) | (channels[1] << 8) | channels[2]
    imp = _image(packed.astype(np.int32), COLOR_RGB)
    commands.run(imp, "Maximum...", "radius=1")
    for shift, channel in zip((16, 8, 0), channels):
        gray = _image(channel.astype(np.uint8), GRAY8)
        commands.run(gray, "Maximum...", "radius=1")
        assert np.array_equal((imp.data[0] >> shift) & 0xFF, gray.data[0])


def test_selection_changes_only_the_mask() -> None:
    plane = _rng.integers(0, 256, (30, 30)).astype(np.uint8)
    imp = _image(plane.copy(), GRAY8)
    imp.setRoi(OvalRoi(5, 5, 20, 20))
    commands.run(imp, "Median...", "radius=2")
    changed = imp.data[0] != plane
    mask = np.zeros((30, 30), dtype=bool)
    mask[5:25, 5:25] = OvalRoi(5, 5, 20, 20).getMask()
    assert changed.any() and not (changed & ~mask).any()


def test_stack_key_filters_every_slice_else_the_current_one() -> None:
    data = _rng.integers(0, 4000, (3, 10, 11)).astype(np.uint16)
    current = _image(data.copy(), GRAY16)
    current.setSlice(2)
    commands.run(current, "Gaussian Blur...", "sigma=1")
    assert np.array_equal(current.data[0], data[0]) and np.array_equal(current.data[2], data[2])
    assert not np.array_equal(current.data[1], data[1])
    every = _image(data.copy(), GRAY16)
    commands.run(every, "Gaussian Blur...", "sigma=1 stack")
    assert np.array_equal(every.data[1], current.data[1])
    assert all(not np.array_equal(every.data[n], data[n]) for n in range(3))


def test_unknown_keys_and_bad_radii_are_refused() -> None:
    imp = _image(np.zeros((5, 5), dtype=np.uint8), GRAY8)
    with pytest.raises(ScriptError, match="unrecognized option"):
        commands.run(imp, "Median...", "radius=2 raduis=3")
    with pytest.raises(ScriptError, match="Radius out of range"):
        commands.run(imp, "Median...", "radius=101")
    with pytest.raises(ScriptError, match="Sigma out of range"):
        commands.run(imp, "Gaussian Blur...", "sigma=-1")


def test_gaussian_kernel_is_normalized_and_keeps_a_flat_image() -> None:
    for sigma, accuracy in ((0.5, 0.002), (2, 0.0002), (7, 0.002)):
        kern, _ = gaussian.gaussian_kernel(sigma, accuracy, 1000)
        assert abs(float(kern[0]) + 2 * float(kern[1:].sum()) - 1) < 1e-6
    imp = _image(np.full((3, 40, 50), 77, dtype=np.uint8), GRAY8)
    commands.run(imp, "Gaussian Blur...", "sigma=12 stack")     # downscaled: sigma > 8.5
    assert (imp.data == 77).all()


def test_smooth_of_8_bit_is_the_rounded_3x3_mean() -> None:
    plane = _rng.integers(0, 256, (8, 9)).astype(np.uint8)
    imp = _image(plane.copy(), GRAY8)
    commands.run(imp, "Smooth", "")
    padded = np.pad(plane.astype(np.int64), 1, mode="edge")
    total = sum(padded[dy:dy + 8, dx:dx + 9] for dy in range(3) for dx in range(3))
    assert np.array_equal(imp.data[0], ((total + 4) // 9).astype(np.uint8))


def test_processor_methods_run_the_commands_code() -> None:
    plane = _rng.integers(0, 4000, (12, 13)).astype(np.uint16)
    by_command = _image(plane.copy(), GRAY16)
    by_processor = _image(plane.copy(), GRAY16)
    for name, method in (("Smooth", "smooth"), ("Sharpen", "sharpen"), ("Find Edges", "findEdges")):
        commands.run(by_command, name, "")
        getattr(by_processor.getProcessor(), method)()
        assert np.array_equal(by_command.data, by_processor.data), name
    commands.run(by_command, "Gaussian Blur...", "sigma=1.5")
    by_processor.getProcessor().blurGaussian(1.5)
    assert np.array_equal(by_command.data, by_processor.data)
    before = by_processor.data.copy()
    by_processor.getProcessor().medianFilter()          # ImageJ: a no-op on 16-bit
    assert np.array_equal(before, by_processor.data)
    gray = _image(plane.astype(np.uint8), GRAY8)
    despeckled = _image(plane.astype(np.uint8), GRAY8)
    gray.getProcessor().medianFilter()
    commands.run(despeckled, "Despeckle", "")
    assert np.array_equal(gray.data, despeckled.data)


def test_float_results_round_trip_to_types() -> None:
    values = np.array([[-3.2, 0.49, 0.5, 254.6, 300.0, np.nan]], dtype=np.float32)
    assert filtering._to_type(values, GRAY8, filtering.CLAMP).tolist() == [[0, 0, 1, 255, 255, 0]]
    assert filtering.max_value(GRAY32) != filtering.max_value(GRAY32)     # NaN: floats are never capped
    assert isinstance(Roi(0, 0, 1, 1), Roi)


def test_unsharp_mask_sharpens_by_its_formula_and_keeps_its_values() -> None:
    """``(original - w*blurred)/(1 - w)``: a flat image stays flat, an edge overshoots on both sides."""
    commands.reset()
    flat = _image(np.full((9, 9), 80.0, dtype=np.float32), GRAY32)
    commands.run(flat, "Unsharp Mask...", "radius=2 mask=0.6")
    assert np.allclose(flat.data, 80.0, atol=1e-4)
    edge = np.zeros((9, 12), dtype=np.float32)
    edge[:, 6:] = 100.0
    imp = _image(edge.copy(), GRAY32)
    commands.run(imp, "Unsharp Mask...", "radius=1 mask=0.5")
    blurred = gaussian.blur(edge, Rect(0, 0, 12, 9), 1.0, 1.0, 0.01)
    assert np.array_equal(imp.data[0], (edge - np.float32(0.5) * blurred) / np.float32(0.5))
    assert imp.data[0, 4, 5] < 0 and imp.data[0, 4, 6] > 100
    commands.run(imp, "Unsharp Mask...", "mask=0.2")           # the radius of the last run
    assert commands.current().unsharp_sigma == 1.0 and commands.current().unsharp_weight == 0.2
