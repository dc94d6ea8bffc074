"""ImageJ's geometric pixel operations (``ij.process.*Processor``), on numpy planes.

A plane is one slice in ImageJ's storage type: uint8, uint16, float32, or
int32 holding packed 0xRRGGBB.  Every function reproduces the Java loop it is
named after, with the same arithmetic in the same order, so results are
bit-identical: doubles for coordinates and weights, ``(int)(v + 0.5)`` or
``Math.round`` where ImageJ rounds, float32 where a FloatProcessor stores.
RGB planes are processed per channel, as ``ColorProcessor`` does (it splits
the channels into three ByteProcessors for interpolation).

Interpolation: ``NONE``, ``BILINEAR``, ``BICUBIC`` (ImageJ's constants).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..errors import ScriptError
from ..model import COLOR_RGB, GRAY8, GRAY16, GRAY32
from .roi import Rectangle

NONE, BILINEAR, BICUBIC = 0, 1, 2
#: An in-place operation on a plane's rectangle (the flips); a plane's turn into a new plane.
PlaneOperation = Callable[[np.ndarray, Rectangle], None]
PlaneTurn = Callable[[np.ndarray], np.ndarray]
INTERPOLATIONS = ("None", "Bilinear", "Bicubic")


# --- channels ------------------------------------------------------------------------
def channels(plane: np.ndarray, image_type: int) -> list[tuple[np.ndarray, int]]:
    """The planes ImageJ interpolates: RGB as three uint8 ones, any other as itself."""
    if image_type != COLOR_RGB:
        return [(plane, image_type)]
    packed = plane.astype(np.int64) & 0xFFFFFF
    return [(((packed >> shift) & 0xFF).astype(np.uint8), GRAY8) for shift in (16, 8, 0)]


def merged(parts: list[np.ndarray], image_type: int) -> np.ndarray:
    """Inverse of :func:`channels`: RGB packed with ImageJ's opaque alpha bits, as ``ColorProcessor`` stores."""
    if image_type != COLOR_RGB:
        return parts[0]
    r, g, b = (p.astype(np.int64) for p in parts)
    return ((0xFF << 24) | (r << 16) | (g << 8) | b).astype(np.uint32).view(np.int32)


def per_channel(plane: np.ndarray, image_type: int,
                operation: Callable[[np.ndarray, int], np.ndarray]) -> np.ndarray:
    """``operation`` on each channel of ``plane`` (three for RGB), the results merged back."""
    return merged([operation(p, t) for p, t in channels(plane, image_type)], image_type)


# --- exact operations ------------------------------------------------------------------
def flip_horizontal(plane: np.ndarray, r: Rectangle) -> None:
    """``ip.flipHorizontal()`` on the rectangle ``r``, in place."""
    region = plane[r.y:r.y + r.height, r.x:r.x + r.width]
    region[...] = region[:, ::-1].copy()


def flip_vertical(plane: np.ndarray, r: Rectangle) -> None:
    region = plane[r.y:r.y + r.height, r.x:r.x + r.width]
    region[...] = region[::-1, :].copy()


def rotate_right(plane: np.ndarray) -> np.ndarray:
    """``ip.rotateRight()``: 90 degrees clockwise, a new plane."""
    return np.ascontiguousarray(np.rot90(plane, k=-1))


def rotate_left(plane: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(plane, k=1))


def expand(plane: np.ndarray, width: int, height: int, x_offset: int, y_offset: int,
           fill: float | int) -> np.ndarray:
    """``CanvasResizer.expandImage``: a ``width`` x ``height`` plane of ``fill`` with ``plane`` inserted."""
    out = np.full((height, width), fill, dtype=plane.dtype)
    h, w = plane.shape
    x0, y0 = max(x_offset, 0), max(y_offset, 0)
    x1, y1 = min(x_offset + w, width), min(y_offset + h, height)
    if x1 > x0 and y1 > y0:
        out[y0:y1, x0:x1] = plane[y0 - y_offset:y1 - y_offset, x0 - x_offset:x1 - x_offset]
    return out


# --- interpolation (ImageProcessor.getInterpolatedPixel and friends) ------------------------
def _bilinear(pixels: np.ndarray, xs: np.ndarray, ys: np.ndarray, float_nan: bool) -> np.ndarray:
    """The private ``getInterpolatedPixel(x, y, pixels)``: (int) bases, fractions, the Java order of terms.

    Coordinates must already be inside ``[0, width-1) x [0, height-1)``.  A
    FloatProcessor (``float_nan``) skips a NaN neighbour when the fraction is on
    the other side, as its own version does.
    """
    p = pixels.astype(np.float64)
    xbase = xs.astype(np.int64)         # (int) truncates toward zero; xs >= 0 here
    ybase = ys.astype(np.int64)
    xf = xs - xbase
    yf = ys - ybase
    ll = p[ybase, xbase]
    lr = p[ybase, xbase + 1]
    ur = p[ybase + 1, xbase + 1]
    ul = p[ybase + 1, xbase]
    upper = ul + xf * (ur - ul)
    lower = ll + xf * (lr - ll)
    value = lower + yf * (upper - lower)
    if not float_nan:
        return value
    upper = np.where(np.isnan(ul) & (xf >= 0.5), ur, np.where(np.isnan(ur) & (xf < 0.5), ul, upper))
    lower = np.where(np.isnan(ll) & (xf >= 0.5), lr, np.where(np.isnan(lr) & (xf < 0.5), ll, lower))
    return np.where(np.isnan(lower) & (yf >= 0.5), upper,
                    np.where(np.isnan(upper) & (yf < 0.5), lower, lower + yf * (upper - lower)))


def _clamped_bilinear(pixels: np.ndarray, xs: np.ndarray, ys: np.ndarray, float_nan: bool) -> np.ndarray:
    """The public ``getInterpolatedPixel(x, y)`` (bilinear): coordinates clamped to the last cell first."""
    h, w = pixels.shape
    xs = np.where(xs < 0.0, 0.0, xs)
    xs = np.where(xs >= w - 1.0, w - 1.001, xs)
    ys = np.where(ys < 0.0, 0.0, ys)
    ys = np.where(ys >= h - 1.0, h - 1.001, ys)
    return _bilinear(pixels, xs, ys, float_nan)


def _cubic(x: np.ndarray) -> np.ndarray:
    """``ImageProcessor.cubic``: Catmull-Rom (a = 0.5), the Java expression order."""
    a = 0.5
    x = np.abs(x)
    inner = x * x * (x * (-a + 2.0) + (a - 3.0)) + 1.0
    outer = -a * x * x * x + 5.0 * a * x * x - 8.0 * a * x + 4.0 * a
    return np.where(x < 1.0, inner, np.where(x < 2.0, outer, 0.0))


def bicubic(pixels: np.ndarray, xs: np.ndarray, ys: np.ndarray, background: float,
            float_nan: bool) -> np.ndarray:
    """``getBicubicInterpolatedPixel(x, y, ip2)``: 4x4 Catmull-Rom inside, ImageJ's bilinear at the border.

    Near the border (``u0 <= 0 || u0 >= width-2`` ...) ImageJ falls back to
    ``getBilinearInterpolatedPixel``: the clamped bilinear value for
    ``-1 <= x < width``, ``-1 <= y < height``, else the background value.
    """
    h, w = pixels.shape
    p = pixels.astype(np.float64)
    u0 = np.floor(xs).astype(np.int64)
    v0 = np.floor(ys).astype(np.int64)
    inside = (u0 > 0) & (u0 < w - 2) & (v0 > 0) & (v0 < h - 2)
    u0i, v0i = np.where(inside, u0, 1), np.where(inside, v0, 1)
    q = np.zeros(xs.shape, dtype=np.float64)
    for j in range(4):
        v = v0i - 1 + j
        row = np.zeros(xs.shape, dtype=np.float64)
        for i in range(4):
            u = u0i - 1 + i
            # clipped reads: only "inside" points (all four neighbours on the image) keep these values
            row = row + p[np.minimum(v, h - 1), np.minimum(u, w - 1)] * _cubic(xs - u)
        q = q + row * _cubic(ys - v)
    near = (xs >= -1) & (xs < w) & (ys >= -1) & (ys < h)
    edge = np.where(near, _clamped_bilinear(pixels, xs, ys, float_nan), background)
    return np.where(inside, q, edge)


def interpolated_pixel(pixels: np.ndarray, image_type: int, method: int, xs: np.ndarray, ys: np.ndarray,
                       background: float = 0.0) -> np.ndarray:
    """``ip.getPixelInterpolated(x, y)`` per processor type, as stored values (0 outside, bilinear)."""
    h, w = pixels.shape
    if method == NONE:
        ix = (xs + 0.5).astype(np.int64)
        iy = (ys + 0.5).astype(np.int64)
        ok = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)    # getPixel: 0 outside
        out = np.zeros(xs.shape, dtype=pixels.dtype)
        out[ok] = pixels[iy[ok], ix[ok]]
        return out
    float_nan = image_type == GRAY32
    if method == BILINEAR:
        ok = ~((xs < 0.0) | (ys < 0.0) | (xs >= w - 1) | (ys >= h - 1))
        values = np.zeros(xs.shape, dtype=np.float64)
        values[ok] = _bilinear(pixels, xs[ok], ys[ok], float_nan)
        if image_type == GRAY32:
            return values.astype(np.float32)
        return _java_round(values).astype(pixels.dtype)
    values = bicubic(pixels, xs, ys, background, float_nan)
    if image_type == GRAY32:
        return values.astype(np.float32)
    return _rounded_clamped(values, 255 if image_type == GRAY8 else 65535).astype(pixels.dtype)


def _java_round(values: np.ndarray) -> np.ndarray:
    """``(int)Math.round(v)`` for the non-negative values interpolation gives: floor(v + 0.5)."""
    return np.floor(values + 0.5)


def _rounded_clamped(values: np.ndarray, top: int) -> np.ndarray:
    """``(int)(v + 0.5)`` clamped to 0..top (Java's int cast truncates toward zero)."""
    return np.clip(np.trunc(values + 0.5), 0, top)


# --- translate -------------------------------------------------------------------------
def translate(plane: np.ndarray, image_type: int, r: Rectangle, dx: float, dy: float, method: int) -> None:
    """``ip.translate(dx, dy)`` on the rectangle ``r``, in place (outside pixels read as 0).

    Integer offsets (or no interpolation) move by ``(int)`` offsets; otherwise
    each pixel of ``r`` is ``getPixelInterpolated(x - dx, y - dy)`` of a copy
    (RGB bicubic: ``filterRGB``, each channel translated as a ByteProcessor).
    """
    if r.width <= 0 or r.height <= 0:
        return
    ys, xs = np.mgrid[r.y:r.y + r.height, r.x:r.x + r.width]
    if (dx == int(dx) and dy == int(dy)) or method == NONE:
        sx, sy = xs - int(dx), ys - int(dy)
        h, w = plane.shape
        ok = (sx >= 0) & (sx < w) & (sy >= 0) & (sy < h)
        source = plane.copy()
        region = np.zeros(xs.shape, dtype=plane.dtype)
        region[ok] = source[sy[ok], sx[ok]]
        plane[r.y:r.y + r.height, r.x:r.x + r.width] = region
        return
    fx, fy = xs - dx, ys - dy
    region = per_channel(plane, image_type, lambda p, t: interpolated_pixel(p, t, method, fx, fy))
    if image_type == COLOR_RGB and method == BILINEAR:     # ColorProcessor's own: 0, not opaque black, outside
        h, w = plane.shape
        region[(fx < 0.0) | (fy < 0.0) | (fx >= w - 1) | (fy >= h - 1)] = 0
    plane[r.y:r.y + r.height, r.x:r.x + r.width] = region


# --- rotate ----------------------------------------------------------------------------------
def rotate(plane: np.ndarray, image_type: int, r: Rectangle, angle: float, method: int,
           background: float | int) -> None:
    """``ip.rotate(angle)`` on the rectangle ``r``, in place: clockwise degrees about the rectangle's centre.

    Each pixel of ``r`` maps back through the inverse rotation; where that
    lands off the image it takes ``background`` (bilinear and none), while
    bicubic interpolates everywhere, ImageJ's bilinear fallback at the border.
    RGB bicubic rotates each channel as a ByteProcessor (``filterRGB``).
    """
    if r.width <= 0 or r.height <= 0:
        return
    if math.fmod(angle, 360) == 0 and image_type in (GRAY8, COLOR_RGB):   # 16- and 32-bit rotate anyway
        return
    if image_type == COLOR_RGB and method == BICUBIC:
        channel_backgrounds = iter(((int(background) >> s) & 0xFF) for s in (16, 8, 0))
        planes = []
        for channel, _ in channels(plane, image_type):
            rotate(channel, GRAY8, r, angle, method, next(channel_backgrounds))
            planes.append(channel)
        plane[...] = merged(planes, COLOR_RGB)
        return
    source = plane.copy()
    h, w = plane.shape
    center_x = r.x + (r.width - 1) / 2.0
    center_y = r.y + (r.height - 1) / 2.0
    radians = -angle / (180.0 / math.pi)
    ca, sa = math.cos(radians), math.sin(radians)
    tmp1 = center_y * sa - center_x * ca
    tmp2 = -center_x * sa - center_y * ca
    y = np.arange(r.y, r.y + r.height, dtype=np.float64)[:, None]
    x = np.arange(r.x, r.x + r.width, dtype=np.float64)[None, :]
    xs = x * ca + (tmp1 - y * sa + center_x)
    ys = x * sa + (tmp2 + y * ca + center_y)
    if method == BICUBIC:
        # off the image, bicubic falls back to the copy's background: the processor's own (8-bit copies it,
        # a FloatProcessor's is read through), but a fresh ShortProcessor's 0
        values = bicubic(source, xs, ys, 0.0 if image_type == GRAY16 else float(background), image_type == GRAY32)
        plane[r.y:r.y + r.height, r.x:r.x + r.width] = _stored(values, image_type)
        return
    inside = (xs >= -0.01) & (xs < w) & (ys >= -0.01) & (ys < h)
    region = np.full(xs.shape, background, dtype=plane.dtype)
    xi, yi = xs[inside], ys[inside]
    if method == BILINEAR:
        xi = np.where(xi < 0.0, 0.0, np.where(xi >= w - 1.0, w - 1.001, xi))
        yi = np.where(yi < 0.0, 0.0, np.where(yi >= h - 1.0, h - 1.001, yi))
        region[inside] = per_channel(source, image_type, lambda p, t: _stored(
            _bilinear(p, xi, yi, t == GRAY32), t, truncate=True))
    else:
        ix = np.minimum((xi + 0.5).astype(np.int64), w - 1)
        iy = np.minimum((yi + 0.5).astype(np.int64), h - 1)
        region[inside] = source[iy, ix]
    plane[r.y:r.y + r.height, r.x:r.x + r.width] = region


def _stored(values: np.ndarray, image_type: int, truncate: bool = False) -> np.ndarray:
    """Interpolated doubles as the processor stores them: (float), or ``(int)(v + 0.5)`` clamped (``truncate``:
    the bilinear paths' plain cast, whose values are in range already)."""
    if image_type == GRAY32:
        return values.astype(np.float32)
    top = 255 if image_type == GRAY8 else 65535
    rounded = np.trunc(values + 0.5)
    return (rounded if truncate else np.clip(rounded, 0, top)).astype(np.uint8 if top == 255 else np.uint16)


def rotated_bounds(width: int, height: int, angle: float) -> tuple[int, int]:
    """The rounded size of the whole-image rectangle rotated by ``angle`` (*Rotate...* "enlarge").

    ImageJ rotates the "Select All" rectangle's corners about its centre
    (``RoiRotator``) and rounds the float bounds' width and height.
    """
    xc, yc = width / 2.0, height / 2.0
    theta = -angle * math.pi / 180.0
    xs, ys = [], []
    for px, py in ((0, 0), (width, 0), (width, height), (0, height)):
        dx, dy = px - xc, yc - py
        radius = math.sqrt(dx * dx + dy * dy)
        a = math.atan2(dy, dx)
        xs.append(xc + radius * math.cos(a + theta))
        ys.append(yc - radius * math.sin(a + theta))
    return _java_round_half_up(max(xs) - min(xs)), _java_round_half_up(max(ys) - min(ys))


def _java_round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


# --- resize (a new plane) and scale (in place) --------------------------------------------------
def resize(plane: np.ndarray, image_type: int, r: Rectangle, width: int, height: int, method: int,
           average: bool) -> np.ndarray:
    """``ip.resize(width, height, average)`` of the rectangle ``r``: a new ``width`` x ``height`` plane.

    Downsizing with ``average`` convolves with the interpolation's kernel in
    float (``FloatProcessor.downsize``, ``DownsizeTable``); otherwise each
    destination pixel samples the source, centres aligned, ImageJ's quarter-
    pixel shift when interpolating.
    """
    if average and (width < r.width or height < r.height):
        parts = []
        for channel, kind in channels(plane, image_type):
            small = _downsize(channel.astype(np.float32), r, width, height, method)
            parts.append(small if kind == GRAY32 else _from_float(small, kind))
        if image_type == COLOR_RGB:     # ColorProcessor.setPixels(channel, fp) leaves the alpha bits 0
            return merged(parts, image_type) & np.int32(0xFFFFFF)
        return parts[0]
    if r.width == width and r.height == height:
        return plane[r.y:r.y + r.height, r.x:r.x + r.width].copy()
    h, w = plane.shape
    if (w == 1 or h == 1) and method != NONE:
        raise ScriptError("Scale...", None, "resizing a one-pixel-wide or -high image with interpolation "
                                            "(ImageJ's resizeLinearly) is not implemented on the pydicom "
                                            "backend; use interpolation=None or the jvm backend")
    if image_type == COLOR_RGB and method == BICUBIC:
        return per_channel(plane, image_type, lambda p, t: resize(p, t, r, width, height, method, False))
    src_cx, src_cy = r.x + r.width / 2.0, r.y + r.height / 2.0
    dst_cx, dst_cy = width / 2.0, height / 2.0
    x_scale, y_scale = width / r.width, height / r.height
    if method != NONE:
        if width != w:
            dst_cx += x_scale / 4.0
        if height != h:
            dst_cy += y_scale / 4.0
    ys = (np.arange(height, dtype=np.float64)[:, None] - dst_cy) / y_scale + src_cy
    xs = (np.arange(width, dtype=np.float64)[None, :] - dst_cx) / x_scale + src_cx
    ys, xs = np.broadcast_arrays(ys, xs)
    if method == BICUBIC:
        return _stored(bicubic(plane, xs, ys, 0.0, image_type == GRAY32), image_type)
    if method == BILINEAR:
        ys = np.where(ys < 0.0, 0.0, np.where(ys >= h - 1.0, h - 1.001, ys))
        xs = np.where(xs < 0.0, 0.0, np.where(xs >= w - 1.0, w - 1.001, xs))
        return per_channel(plane, image_type, lambda p, t: _stored(_bilinear(p, xs, ys, t == GRAY32), t,
                                                                   truncate=True))
    return plane[ys.astype(np.int64), xs.astype(np.int64)]


def _from_float(values: np.ndarray, image_type: int) -> np.ndarray:
    """``ip.setPixels(channel, fp)``: ``(int)(v + 0.5f)`` in float, clamped to the type's range."""
    top = np.float32(255 if image_type == GRAY8 else 65535)
    shifted = np.clip(values + np.float32(0.5), np.float32(0), top)
    return shifted.astype(np.uint8 if image_type == GRAY8 else np.uint16)


def _downsize(pixels: np.ndarray, r: Rectangle, width: int, height: int, method: int) -> np.ndarray:
    """``FloatProcessor.downsize``: shrink x, then y, by convolution; then any upsizing plainly."""
    out, roi = pixels, r
    if width < r.width:
        out = _downsize_rows(out, roi, width, method)
        roi = Rectangle(0, 0, width, r.height)
        out_full = out
    else:
        out_full = out
    if height < roi.height:
        out_full = _downsize_rows(out_full.T.copy(), Rectangle(roi.y, roi.x, roi.height, roi.width),
                                  height, method).T.copy()
        roi = Rectangle(0, 0, roi.width, height)
    if out_full.shape != (height, width):
        out_full = resize(out_full, GRAY32, roi, width, height, method, False)
    return out_full


def _downsize_rows(pixels: np.ndarray, r: Rectangle, width: int, method: int) -> np.ndarray:
    """``downsize1D`` in x for the rows of ``r``: ``out[row, index] += v * weight`` in float, table order."""
    indices, weights, start, end = _downsize_table(pixels.shape[1], r.x, r.width, width, method)
    kernel = (1, 2, 4)[method]
    rows = pixels[r.y:r.y + r.height]
    out = np.zeros((r.height, width), dtype=np.float32)
    pointer = 0
    for source in range(start, end + 1):
        v = rows[:, source]
        for _ in range(kernel):
            out[:, indices[pointer]] += v * weights[pointer]
            pointer += 1
    return out


def _downsize_table(size: int, origin: int, length: int, dst: int, method: int
                    ) -> tuple[list[int], np.ndarray, int, int]:
    """``new DownsizeTable(size, origin, length, dst, method)``: indices, float weights, srcStart, srcEnd."""
    scale = length / dst
    kernel = (1, 2, 4)[method]

    def src_index(d: float) -> float:
        return origin - 0.5 + (d + 0.5) * scale

    def dst_index(s: int) -> float:
        return (s - origin + 0.5) / scale - 0.5

    def weight_of(x: float) -> np.float32:
        if method == NONE:
            return np.float32(1.0)
        if method == BILINEAR:
            return np.float32(1.0) - np.float32(abs(x))
        return np.float32(_cubic(np.array([x]))[0])

    start = max(int(math.ceil(1e-8 + src_index(-0.5 * kernel))), 0)
    end = min(int(math.floor(1e-8 + src_index(dst - 1 + 0.5 * kernel))), size - 1)
    indices = [-1] * ((end - start + 1) * kernel)
    weights = np.zeros(len(indices), dtype=np.float32)
    for d in range(dst):
        total = 0.0
        lowest = int(math.ceil(1e-8 + src_index(d - 0.5 * kernel)))
        highest = int(math.floor(-1e-8 + src_index(d + 0.5 * kernel)))
        for src in range(lowest, highest + 1):
            s = 0 if src < 0 else (size - 1 if src >= size else src)
            p = (s - start) * kernel
            while indices[p] != -1 and indices[p] != d:
                p += 1
            indices[p] = d
            w = weight_of(d - dst_index(src))
            total += float(w)
            weights[p] = np.float32(weights[p] + w)
        first = max((lowest - start) * kernel, 0)
        last = min((highest - start) * kernel + kernel - 1, len(indices) - 1)
        for i in range(first, last + 1):
            if indices[i] == d:
                weights[i] = np.float32(float(weights[i]) / total)
    return [0 if i == -1 else i for i in indices], weights, start, end


def scale(plane: np.ndarray, image_type: int, r: Rectangle, x_scale: float, y_scale: float, method: int,
          background: float | int) -> None:
    """``ip.scale(x_scale, y_scale)`` in place: the rectangle zoomed about its centre, the size kept.

    Enlarging in both directions spreads over a grown rectangle; shrinking
    fills what no source pixel reaches with ``background`` (a ShortProcessor's
    and FloatProcessor's display minimum, the others' background value).
    """
    h, w = plane.shape
    xc, yc = r.x + r.width / 2.0, r.y + r.height / 2.0
    if x_scale > 1.0 and y_scale > 1.0:
        xmin = max(int(xc - (xc - r.x) * x_scale), 0)
        xmax = min(xmin + int(r.width * x_scale) - 1, w - 1)
        ymin = max(int(yc - (yc - r.y) * y_scale), 0)
        ymax = min(ymin + int(r.height * y_scale) - 1, h - 1)
    else:
        xmin, xmax, ymin, ymax = r.x, r.x + r.width - 1, r.y, r.y + r.height - 1
    if xmax < xmin or ymax < ymin:
        return
    if image_type == COLOR_RGB and method == BICUBIC:
        backgrounds = iter(((int(background) >> s) & 0xFF) for s in (16, 8, 0))
        parts = []
        for channel, _ in channels(plane, image_type):
            scale(channel, GRAY8, r, x_scale, y_scale, method, next(backgrounds))
            parts.append(channel)
        plane[...] = merged(parts, COLOR_RGB)
        return
    source = plane.copy()
    ys = (np.arange(ymin, ymax + 1, dtype=np.float64)[:, None] - yc) / y_scale + yc
    xs = (np.arange(xmin, xmax + 1, dtype=np.float64)[None, :] - xc) / x_scale + xc
    ys, xs = np.broadcast_arrays(ys, xs)
    if method == BICUBIC:
        plane[ymin:ymax + 1, xmin:xmax + 1] = _stored(bicubic(source, xs, ys, background if image_type == GRAY8
                                                              else 0.0, image_type == GRAY32), image_type)
        return
    ysi, xsi = ys.astype(np.int64), xs.astype(np.int64)
    ys = np.where(ys < 0.0, 0.0, np.where(ys >= h - 1.0, h - 1.001, ys))
    if method == BILINEAR:
        xs = np.where(xs < 0.0, 0.0, np.where(xs >= w - 1.0, w - 1.001, xs))
        region = per_channel(source, image_type, lambda p, t: _stored(_bilinear(p, xs, ys, t == GRAY32), t,
                                                                      truncate=True))
    else:
        region = source[ys.astype(np.int64), np.clip(xsi, 0, w - 1)]
    if x_scale < 1.0 or y_scale < 1.0:
        outside = (xsi < xmin) | (xsi > xmax) | (ysi < ymin) | (ysi > ymax)
        region[outside] = background
    plane[ymin:ymax + 1, xmin:xmax + 1] = region
