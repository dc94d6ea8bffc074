"""ImageJ's binary-image operations on one 8-bit slice (``ByteProcessor``/``BinaryProcessor``), in numpy.

Every function takes a (rows, cols) uint8 plane of 0s and 255s and returns
the new plane; the foreground/background values come from the caller, who
knows ImageJ's "black background" and inverted-LUT rules
(:mod:`bridge.core.commands.binary`).  Each is exact to ImageJ 1.53t,
edges included:

* erode/dilate (``ByteProcessor.erode(count, background)``): a pixel changes
  when at least ``count`` of its 8 neighbours are of the other kind; outside
  the image is background, except when eroding with "pad edges", where it
  is foreground;
* outline (``BinaryProcessor.outline``): interior foreground pixels become
  background; the image's outermost rows and columns are left as they are;
* skeletonize: ImageJ's two-pass table thinning, then its second table;
* fill holes: background not 4-connected to the image's border becomes foreground.
"""

from __future__ import annotations

import numpy as np


def _neighbour_counts(is_value: np.ndarray, outside: bool) -> np.ndarray:
    """How many of each pixel's 8 neighbours are True, with ``outside`` beyond the edges."""
    padded = np.pad(is_value, 1, constant_values=outside).astype(np.int8)
    height, width = is_value.shape
    total = np.zeros(is_value.shape, dtype=np.int8)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if dy != 1 or dx != 1:
                total += padded[dy:dy + height, dx:dx + width]
    return total


def erode(plane: np.ndarray, count: int, background: int, pad_edges: bool) -> np.ndarray:
    """``erode(count, background)``: foreground with ``count`` or more background neighbours turns background."""
    foreground = 255 - background
    is_background = plane == background
    near = _neighbour_counts(is_background, outside=not pad_edges)
    out = np.where(near >= count, background, foreground).astype(np.uint8)
    out[is_background] = background
    return out


def dilate(plane: np.ndarray, count: int, background: int) -> np.ndarray:
    """``dilate(count, background)``: background with ``count`` or more foreground neighbours turns foreground."""
    foreground = 255 - background
    is_foreground = plane == foreground
    near = _neighbour_counts(is_foreground, outside=False)
    out = np.where(near >= count, foreground, background).astype(np.uint8)
    out[is_foreground] = foreground
    return out


def outline(plane: np.ndarray, background: int) -> np.ndarray:
    """``BinaryProcessor.outline``: foreground pixels without a background neighbour become background.

    ImageJ's loop reads past the pixels of an image one pixel wide and three
    or more high (``ArrayIndexOutOfBoundsException``): ValueError here.
    """
    out = plane.copy()
    height, width = plane.shape
    if width == 1 and height >= 3:
        raise ValueError(f"ImageJ's outline fails on a 1x{height} image (ArrayIndexOutOfBoundsException)")
    if height < 3 or width < 3:
        return out
    is_background = plane == background
    near = _neighbour_counts(is_background, outside=False)[1:-1, 1:-1]
    inner = out[1:-1, 1:-1]
    inner[(inner != background) & (near == 0)] = background
    return out


def fill_holes(plane: np.ndarray, foreground: int, background: int) -> np.ndarray:
    """Gabriel Landini's fill: background reached from the border (4-connected) stays, the rest is foreground."""
    is_background = plane == background
    reached = np.zeros_like(is_background)
    reached[0, :], reached[-1, :] = is_background[0, :], is_background[-1, :]
    reached[:, 0], reached[:, -1] = is_background[:, 0], is_background[:, -1]
    while True:
        grown = reached.copy()
        grown[1:, :] |= reached[:-1, :]
        grown[:-1, :] |= reached[1:, :]
        grown[:, 1:] |= reached[:, :-1]
        grown[:, :-1] |= reached[:, 1:]
        grown &= is_background
        if np.array_equal(grown, reached):
            break
        reached = grown
    return np.where(reached, background, foreground).astype(np.uint8)


# ImageJ's thinning tables: per 3x3 neighbourhood, 1 = remove on even passes, 2 = on odd, 3 = on both.
_TABLE = np.array([
    0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 3, 1, 1, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 3, 0, 3, 3,
    0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 2, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 2, 0,
    0, 0, 3, 1, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 3, 1, 3, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 0, 1, 0, 0, 0, 0, 2, 2, 0, 0, 2, 0, 0, 0])
_TABLE2 = np.array([
    0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
#: The neighbour bits of ``thin``'s index: (dy, dx) for p1 p2 p3 p6 p9 p8 p7 p4.
_BITS = ((-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1))


def skeletonize(plane: np.ndarray, foreground: int) -> np.ndarray:
    """``BinaryProcessor.skeletonize(foreground)``: thin objects to lines one pixel wide.

    ImageJ thins inside a one-pixel background border (adding one around
    the image when objects touch its edges); background here is "any value
    but the foreground's kind", as ImageJ's signed-byte test makes it.
    """
    background = 255 - foreground
    objects = np.pad(plane != background, 1, constant_values=False)
    for table in (_TABLE, _TABLE2):        # each round: an even pass, then an odd one, until nothing goes
        while _thin(objects, table, 0) + _thin(objects, table, 1) > 0:
            pass
    out = plane.copy()
    out[~objects[1:-1, 1:-1]] = background
    return out


def _thin(objects: np.ndarray, table: np.ndarray, pass_number: int) -> int:
    """One thinning pass over the interior (the border stays background); the count removed."""
    inner = objects[1:-1, 1:-1]
    height, width = inner.shape
    index = np.zeros(inner.shape, dtype=np.int64)
    for bit, (dy, dx) in enumerate(_BITS):
        index |= objects[1 + dy:1 + dy + height, 1 + dx:1 + dx + width].astype(np.int64) << bit
    code = table[index]
    wanted = (2, 3) if pass_number & 1 else (1, 3)
    remove = inner & np.isin(code, wanted)
    inner[remove] = False
    return int(np.count_nonzero(remove))


def filtered_area(height: int, width: int, x: int, y: int, w: int, h: int) -> np.ndarray:
    """The pixels ``ByteProcessor.filter`` (erode, dilate) writes for the rectangle (x, y, w, h).

    The rectangle's part inside the one-pixel frame, plus ImageJ's edge passes:
    a frame column or row is done along the rectangle's extent when the
    rectangle reaches the pixel next to it (so a rectangle ending one pixel
    before the right edge also changes the last column, as in ImageJ).
    """
    area = np.zeros((height, width), dtype=bool)
    if width == 1:
        area[y:y + h, x] = True
        return area
    x_min, x_max = max(x, 1), min(x + w - 1, width - 2)
    y_min, y_max = max(y, 1), min(y + h - 1, height - 2)
    if x_min <= x_max and y_min <= y_max:
        area[y_min:y_max + 1, x_min:x_max + 1] = True
    if x_min == 1:
        area[y:y + h, x] = True
    if y_min == 1:
        area[y, x:x + w] = True
    if x_max == width - 2:
        area[y:y + h, width - 1] = True
    if y_max == height - 2:
        area[height - 1, x:x + w] = True
    return area


def inner_area(height: int, width: int, x: int, y: int, w: int, h: int) -> np.ndarray:
    """The rectangle's pixels inside the one-pixel frame: what ``BinaryProcessor.outline`` writes."""
    area = np.zeros((height, width), dtype=bool)
    x_min, x_max = max(x, 1), min(x + w - 1, width - 2)
    y_min, y_max = max(y, 1), min(y + h - 1, height - 2)
    if x_min <= x_max and y_min <= y_max:
        area[y_min:y_max + 1, x_min:x_max + 1] = True
    return area


def is_binary(plane: np.ndarray) -> bool:
    """``ByteProcessor.isBinary``: only 0 and 255."""
    return bool(np.all((plane == 0) | (plane == 255)))
