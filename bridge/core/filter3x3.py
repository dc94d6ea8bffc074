"""ImageJ's 3x3 filters (*Smooth*, *Sharpen*, *Find Edges*) in each processor's own arithmetic.

ImageJ has one implementation per image type, and they differ:

* 8-bit (``ByteProcessor.filter``, ``convolve3x3``): integers; smooth and
  edges fill the inside, then the edge lines only where the selection
  touches them (so a selection ending one pixel short of the right or
  bottom edge gets that edge line filtered too);
* 16-bit (``ShortProcessor.filter3x3``): integers, edges in a double
  square root, exactly the selection's rectangle;
* 32-bit (``FloatProcessor.filter3x3``): float sums in Java's order, the
  smooth multiplied by ``0.11111111f``;
* RGB: smooth sums the three channels in place (``blurMore``), edges run
  the 8-bit filter per channel, and sharpen divides without rounding and
  leaves the image's outermost lines alone.

Out-of-image neighbours are the nearest edge pixel throughout.
"""

from __future__ import annotations

import numpy as np

from .imagetypes import COLOR_256, GRAY8, GRAY16, GRAY32
from .rankfilters import Rect

SMOOTH, SHARPEN, FIND_EDGES = "smooth", "sharpen", "edges"
#: ImageJ's sharpen kernel; its sum (4) is the divisor
SHARPEN_KERNEL = ((-1, -1, -1), (-1, 12, -1), (-1, -1, -1))
_ALPHA = np.int32(-0x1000000)       # 0xff000000: ImageJ's ColorProcessor writes it with every filtered pixel


def filter3x3(pixels: np.ndarray, image_type: int, rect: Rect, kind: str) -> np.ndarray:
    """The slice after ImageJ's 3x3 filter ``kind`` on ``rect`` (a new array; ImageJ skips one-pixel-wide images)."""
    if pixels.shape[1] == 1:
        return pixels.copy()
    if image_type in (GRAY8, COLOR_256):
        return _byte_filter(pixels, rect, kind)
    if image_type == GRAY16:
        return _replace(pixels, rect, _short(_neighbours(pixels.astype(np.int64)), kind))
    if image_type == GRAY32:
        return _replace(pixels, rect, _float(_neighbours(pixels), kind))
    return _rgb(pixels, rect, kind)


def _neighbours(values: np.ndarray) -> list[np.ndarray]:
    """p1..p9 for every pixel (p1 top left, p5 the pixel, p9 bottom right), edges repeated."""
    padded = np.pad(values, 1, mode="edge")
    height, width = values.shape
    return [padded[dy:dy + height, dx:dx + width] for dy in range(3) for dx in range(3)]


def _replace(pixels: np.ndarray, rect: Rect, filtered: np.ndarray) -> np.ndarray:
    out = pixels.copy()
    inside = (slice(rect.y, rect.y + rect.height), slice(rect.x, rect.x + rect.width))
    out[inside] = filtered[inside]
    return out


def _sobel(p: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    sum1 = p[0] + 2 * p[1] + p[2] - p[6] - 2 * p[7] - p[8]
    sum2 = p[0] + 2 * p[3] + p[6] - p[2] - 2 * p[5] - p[8]
    return sum1, sum2


def _sharpened(p: list[np.ndarray]) -> np.ndarray:
    total = sum(k * v for k, v in zip((k for row in SHARPEN_KERNEL for k in row), p))
    return np.asarray(total)


def _total(values: list[np.ndarray]) -> np.ndarray:
    """The sum of integer arrays (exact, so in any order)."""
    total = values[0].copy()
    for v in values[1:]:
        total = total + v
    return total


def _integer_filter(p: list[np.ndarray], kind: str, top: int) -> np.ndarray:
    """8- and 16-bit arithmetic (Java ints: the divisions here never see a negative that survives)."""
    if kind == SMOOTH:
        return np.asarray((_total(p) + 4) // 9)
    if kind == SHARPEN:
        return np.asarray(np.clip((_sharpened(p) + 2) // 4, 0, top))
    sum1, sum2 = _sobel(p)
    if top == 255:                      # ByteProcessor: (int)Math.sqrt of an int, capped
        return np.asarray(np.minimum(np.sqrt((sum1 * sum1 + sum2 * sum2).astype(np.float64)).astype(np.int64), 255))
    return np.asarray(np.minimum(np.sqrt((sum1 * sum1 + sum2 * sum2).astype(np.float64)), 65535.0).astype(np.int64))


def _short(p: list[np.ndarray], kind: str) -> np.ndarray:
    return _integer_filter(p, kind, 65535).astype(np.uint16)


def _float(p: list[np.ndarray], kind: str) -> np.ndarray:
    """FloatProcessor: float32 sums left to right, as Java evaluates them."""
    f = [v.astype(np.float32) for v in p]
    two = np.float32(2)
    if kind == SMOOTH:
        total = f[0]
        for v in f[1:]:
            total = total + v
        return total * np.float32(0.11111111)
    if kind == SHARPEN:
        weights = [np.float32(k) for row in SHARPEN_KERNEL for k in row]
        total = weights[0] * f[0]
        for k, v in zip(weights[1:], f[1:]):
            total = total + k * v
        return total * np.float32(0.25)
    sum1 = f[0] + two * f[1] + f[2] - f[6] - two * f[7] - f[8]
    sum2 = f[0] + two * f[3] + f[6] - f[2] - two * f[5] - f[8]
    return np.sqrt((sum1 * sum1 + sum2 * sum2).astype(np.float64)).astype(np.float32)


def _byte_filter(pixels: np.ndarray, rect: Rect, kind: str) -> np.ndarray:
    """ByteProcessor: sharpen on the rectangle; smooth and edges inside, then the edge lines it touches."""
    filtered = _integer_filter(_neighbours(pixels.astype(np.int64)), kind, 255).astype(np.uint8)
    if kind == SHARPEN:
        return _replace(pixels, rect, filtered)
    height, width = pixels.shape
    out = pixels.copy()
    rows, cols = slice(rect.y, rect.y + rect.height), slice(rect.x, rect.x + rect.width)
    x_min, x_max = max(rect.x, 1), min(rect.x + rect.width - 1, width - 2)
    y_min, y_max = max(rect.y, 1), min(rect.y + rect.height - 1, height - 2)
    out[y_min:y_max + 1, x_min:x_max + 1] = filtered[y_min:y_max + 1, x_min:x_max + 1]
    if x_min == 1:
        out[rows, rect.x] = filtered[rows, rect.x]
    if y_min == 1:
        out[rect.y, cols] = filtered[rect.y, cols]
    if x_max == width - 2:
        out[rows, width - 1] = filtered[rows, width - 1]
    if y_max == height - 2:
        out[height - 1, cols] = filtered[height - 1, cols]
    return out


def _channels(pixels: np.ndarray) -> list[np.ndarray]:
    return [((pixels >> shift) & 0xFF).astype(np.int64) for shift in (16, 8, 0)]


def _packed(red: np.ndarray, green: np.ndarray, blue: np.ndarray) -> np.ndarray:
    packed = (red.astype(np.int64) << 16) | (green.astype(np.int64) << 8) | blue.astype(np.int64)
    return (packed | int(_ALPHA)).astype(np.int64).astype(np.int32)


def _rgb(pixels: np.ndarray, rect: Rect, kind: str) -> np.ndarray:
    channels = _channels(pixels)
    if kind == FIND_EDGES:              # three ByteProcessors; setRGB writes every pixel back
        r, g, b = (_byte_filter(c.astype(np.uint8), rect, kind) for c in channels)
        return _packed(r, g, b)
    if kind == SMOOTH:
        smoothed = [(_total(_neighbours(c)) + 4) // 9 for c in channels]
        return _replace(pixels, rect, _packed(*smoothed))
    height, width = pixels.shape          # sharpen: the inside only, sum/4 truncated toward zero
    sharpened = [np.clip(np.trunc(_sharpened(_neighbours(c)) / 4), 0, 255).astype(np.int64) for c in channels]
    inner = Rect(max(rect.x, 1), max(rect.y, 1), 0, 0)
    x_end, y_end = min(rect.x + rect.width - 1, width - 2) + 1, min(rect.y + rect.height - 1, height - 2) + 1
    out = pixels.copy()
    if x_end > inner.x and y_end > inner.y:
        out[inner.y:y_end, inner.x:x_end] = _packed(*sharpened)[inner.y:y_end, inner.x:x_end]
    return out
