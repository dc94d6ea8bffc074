"""ImageJ 1.53t's *Subtract Background...* (``BackgroundSubtracter``), rolling ball, bit for bit.

A ball of the given radius rolls under the image's surface (pixel values
as heights); what it reaches is the background.  ImageJ's recipe, kept
step by step in Java's float arithmetic:

1. the slice as floats, negated for a light background (objects darker);
2. unless "disable smoothing": a 3x3 mean, rows then columns, edges repeated;
3. for radii above 10 the image shrunk (each block's minimum; blocks of
   2, 4 or 8 pixels as the radius grows) and the ball shrunk with it;
4. the ball rolled: each position's height is the lowest
   ``pixel - ball`` under the patch; the background is the highest
   ``height + ball`` over the positions covering a pixel;
5. a shrunk background enlarged again by ImageJ's bilinear interpolation;
6. subtracted: ``pixel - background + 0.5`` (``+ 255.5``/``65535.5`` for a
   light background) clamped and truncated, or ``pixel - background`` for
   32-bit images.

Both the minimum and the maximum in step 4 are exact in any order, so numpy
runs them one ball offset at a time over all positions.  The sliding
paraboloid is :mod:`bridge.core.paraboloid`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

_F = np.float32
_FLOAT_MAX = np.float32(np.finfo(np.float32).max)


@dataclass(frozen=True)
class RollingBall:
    """``RollingBall``: the patch of the ball's top (heights, square) and how much the image shrinks."""

    heights: np.ndarray
    shrink_factor: int

    @classmethod
    def of_radius(cls, radius: float) -> RollingBall:
        if radius <= 10:
            shrink, trim = 1, 24
        elif radius <= 30:
            shrink, trim = 2, 24
        elif radius <= 100:
            shrink, trim = 4, 32
        else:
            shrink, trim = 8, 40
        small_radius = max(radius / shrink, 1.0)
        x_trim = int(trim * small_radius) // 100
        half = math.floor(small_radius - x_trim + 0.5)          # Math.round
        offsets = np.arange(-half, half + 1, dtype=np.int64)
        squared = small_radius * small_radius - offsets[:, None] ** 2 - offsets[None, :] ** 2
        heights = np.where(squared > 0, np.sqrt(np.maximum(squared, 0.0)), 0.0).astype(np.float32)
        return cls(heights, shrink)


def background(plane: np.ndarray, radius: float, invert: bool, presmooth: bool) -> np.ndarray:
    """``rollingBallFloatBackground``: the float32 background of a float32 plane (the plane is not changed)."""
    work = plane.astype(np.float32, copy=True)
    if invert:
        work = -work
    if presmooth:
        work = mean_3x3(work)
    ball = RollingBall.of_radius(radius)
    if ball.shrink_factor > 1:
        small = _shrink(work, ball.shrink_factor)
        work = _enlarge(_roll_ball(ball.heights, small), work.shape, ball.shrink_factor)
    else:
        work = _roll_ball(ball.heights, work)
    return -work if invert else work


def mean_3x3(plane: np.ndarray) -> np.ndarray:
    """``filter3x3(fp, MEAN)``: ``(left + centre + right) * 0.33333333f`` along rows, then along columns."""
    return _mean_3(_mean_3(plane, axis=1), axis=0)


def _mean_3(plane: np.ndarray, axis: int) -> np.ndarray:
    padded = np.concatenate([np.take(plane, [0], axis=axis), plane, np.take(plane, [-1], axis=axis)], axis=axis)
    n = plane.shape[axis]
    before, centre, after = (np.take(padded, np.arange(k, k + n), axis=axis) for k in range(3))
    with np.errstate(all="ignore"):
        return np.asarray(((before + centre) + after) * _F(0.33333333))


def _shrink(plane: np.ndarray, factor: int) -> np.ndarray:
    """``shrinkImage``: each ``factor`` x ``factor`` block's minimum (the last blocks may be partial)."""
    height, width = plane.shape
    small_h, small_w = -(-height // factor), -(-width // factor)
    padded = np.full((small_h * factor, small_w * factor), _FLOAT_MAX, dtype=np.float32)
    padded[:height, :width] = plane
    return np.asarray(padded.reshape(small_h, factor, small_w, factor).min(axis=(1, 3)))


def _roll_ball(ball: np.ndarray, plane: np.ndarray) -> np.ndarray:
    """``rollBall``: the highest ``z + ball`` over every ball position covering each pixel.

    A position's ``z`` is the lowest ``pixel - ball`` over the patch's
    points inside the image; centres run over the image and ``radius``
    beyond each edge.  Outside the image the padding is +infinity (never
    the lowest), and positions only reach pixels inside.
    """
    size = ball.shape[0]
    radius = size // 2
    height, width = plane.shape
    padded = np.full((height + 4 * radius, width + 4 * radius), np.inf, dtype=np.float32)
    padded[2 * radius:2 * radius + height, 2 * radius:2 * radius + width] = plane
    centres_h, centres_w = height + 2 * radius, width + 2 * radius
    lowest = np.full((centres_h, centres_w), _FLOAT_MAX, dtype=np.float32)     # Java's z = Float.MAX_VALUE
    with np.errstate(all="ignore"):
        for dy in range(size):
            for dx in range(size):
                window = padded[dy:dy + centres_h, dx:dx + centres_w]
                np.fmin(lowest, window - ball[dy, dx], out=lowest)
        result = np.full((height, width), -_FLOAT_MAX, dtype=np.float32)
        for dy in range(size):
            for dx in range(size):
                # the centre (cy, cx) reaches pixel (cy + dy - radius, cx + dx - radius), centres offset by radius
                reached = lowest[2 * radius - dy:2 * radius - dy + height, 2 * radius - dx:2 * radius - dx + width]
                np.fmax(result, reached + ball[dy, dx], out=result)
    return result


def _interpolation(length: int, small_length: int, factor: int) -> tuple[np.ndarray, np.ndarray]:
    """``makeInterpolationArrays``: each pixel's left small-image index (Java's truncating division) and weight."""
    i = np.arange(length, dtype=np.int64)
    index = np.trunc((i - factor // 2) / factor).astype(np.int64)
    index = np.minimum(index, small_length - 2)
    distance = (i.astype(np.float32) + _F(0.5)) / _F(factor) - (index.astype(np.float32) + _F(0.5))
    return index, (_F(1.0) - distance).astype(np.float32)


def _enlarge(small: np.ndarray, shape: tuple[int, int], factor: int) -> np.ndarray:
    """``enlargeImage``: bilinear inter- (and at the edges extra-) polation, x first, in floats."""
    height, width = shape
    x_index, x_weight = _interpolation(width, small.shape[1], factor)
    y_index, y_weight = _interpolation(height, small.shape[0], factor)
    rows = small[:, x_index] * x_weight + small[:, x_index + 1] * (_F(1.0) - x_weight)
    y_weight = y_weight[:, None]
    return np.asarray(rows[y_index] * y_weight + rows[y_index + 1] * (_F(1.0) - y_weight), dtype=np.float32)


def subtract(original: np.ndarray, bg: np.ndarray, invert: bool, top: int) -> np.ndarray:
    """An 8/16-bit channel minus its background: ``value - bg + 0.5`` (``+ top + 0.5`` inverted), clamped."""
    offset = _F(top + 0.5) if invert else _F(0.5)
    with np.errstate(all="ignore"):
        value = (original.astype(np.float32) - bg) + offset
    value = np.where(value < 0, _F(0), np.where(value > _F(top), _F(top), value))
    return np.asarray(np.trunc(np.nan_to_num(value, nan=0.0)), dtype=np.int64)


# --- RGB brightness: java.awt.Color's HSB, as ColorProcessor.getHSB/setHSB use it -------------------------
def rgb_to_hsb_bytes(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``ColorProcessor.getHSB``: ``Color.RGBtoHSB`` in floats, each component ``(int)(v*255.0)``."""
    r = ((packed >> 16) & 0xFF).astype(np.int64)
    g = ((packed >> 8) & 0xFF).astype(np.int64)
    b = (packed & 0xFF).astype(np.int64)
    cmax = np.maximum(np.maximum(r, g), b)
    cmin = np.minimum(np.minimum(r, g), b)
    brightness = cmax.astype(np.float32) / _F(255.0)
    with np.errstate(all="ignore"):
        saturation = np.where(cmax != 0, (cmax - cmin).astype(np.float32) / cmax.astype(np.float32), _F(0))
        span = (cmax - cmin).astype(np.float32)
        redc = (cmax - r).astype(np.float32) / span
        greenc = (cmax - g).astype(np.float32) / span
        bluec = (cmax - b).astype(np.float32) / span
        hue = np.where(r == cmax, bluec - greenc,
                       np.where(g == cmax, (_F(2.0) + redc) - bluec, (_F(4.0) + greenc) - redc)) / _F(6.0)
    hue = np.where(hue < 0, hue + _F(1.0), hue)
    hue = np.where(saturation == 0, _F(0), hue).astype(np.float32)

    def to_byte(v: np.ndarray) -> np.ndarray:
        return np.trunc(v.astype(np.float64) * 255.0).astype(np.int64)
    return to_byte(hue), to_byte(saturation.astype(np.float32)), to_byte(brightness)


def hsb_bytes_to_rgb(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``ColorProcessor.setHSB``: ``Color.HSBtoRGB(h/255, s/255, b/255)`` (components as floats), packed."""
    hue = (h / 255.0).astype(np.float32)
    sat = (s / 255.0).astype(np.float32)
    bri = (v / 255.0).astype(np.float32)

    def channel(x: np.ndarray) -> np.ndarray:
        return np.asarray(np.trunc(x * _F(255.0) + _F(0.5)), dtype=np.int64)
    h6 = (hue - np.floor(hue).astype(np.float32)) * _F(6.0)
    f = h6 - np.floor(h6).astype(np.float32)
    p = bri * (_F(1.0) - sat)
    q = bri * (_F(1.0) - sat * f)
    t = bri * (_F(1.0) - sat * (_F(1.0) - f))
    sector = np.trunc(h6).astype(np.int64)
    choices = [(bri, t, p), (q, bri, p), (p, bri, t), (p, q, bri), (t, p, bri), (bri, p, q)]
    r = np.zeros(h.shape, dtype=np.int64)
    g = np.zeros(h.shape, dtype=np.int64)
    b = np.zeros(h.shape, dtype=np.int64)
    for n, (cr, cg, cb) in enumerate(choices):
        here = sector == n
        r[here], g[here], b[here] = channel(cr[here]), channel(cg[here]), channel(cb[here])
    grey = sat == 0
    r[grey] = g[grey] = b[grey] = channel(bri[grey])
    return ((0xFF << 24) | (r << 16) | (g << 8) | b).astype(np.uint32).view(np.int32)
