"""ImageJ's per-pixel arithmetic (``ImageProcessor.add``, ``invert``, ``gamma``...) on one slice.

Each processor type has its own rules in ImageJ 1.53t, kept here:

* 8-bit and RGB build a 256-entry table from the operation
  (``ImageProcessor.process``: integer results, clamped to 0-255) and
  apply it to the gray values, or to each channel of an RGB pixel;
* 16-bit works in ints on the raw value minus 32768 when the image is
  signed (its calibration is exactly ``-32768 + 1*raw``), and clamps to
  0-65535 after adding the offset back; gamma, log and exp scale by the
  display range, invert by the full 0-65535 range;
* 32-bit works in Java ``float`` arithmetic; AND, OR and XOR do nothing.

Everything happens inside the selection's bounding rectangle; pixels
outside a non-rectangular selection's mask are put back afterwards, as
ImageJ's filter runner does with its snapshot.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .calibration import java_int, java_round_int
from .imagetypes import COLOR_RGB, GRAY8, GRAY16, GRAY32
from .statistics import Region

INVERT, SET, ADD, MULT, AND, OR, XOR, GAMMA, LOG, EXP, SQR, SQRT, ABS, MINIMUM, MAXIMUM = (
    "invert", "set", "add", "mult", "and", "or", "xor", "gamma", "log", "exp", "sqr", "sqrt", "abs", "min", "max")
#: the operations ImageJ's byte and RGB processors do nothing for (their ``abs()`` is empty)
_NO_BYTE_OP = frozenset((ABS,))
#: the operations a FloatProcessor ignores
_NO_FLOAT_OP = frozenset((AND, OR, XOR))

_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1
_LOG_SCALE = 255.0 / math.log(255.0)
#: the NaN Java's ``Math.log`` of a negative number gives on x86 (sign bit set), as a float
_X86_NAN = np.array([0xFFC00000], dtype=np.uint32).view(np.float32)[0]


def apply(plane: np.ndarray, image_type: int, op: str, value: float, *, display_range: tuple[float, float],
          signed16: bool, region: Region) -> None:
    """``ip.<op>(value)`` on ``plane`` (rows, cols) in place, limited to ``region`` and its mask.

    ``display_range`` is the processor's min and max (16-bit gamma, log, exp
    and 32-bit invert read it); ``signed16`` whether a 16-bit processor has
    the signed calibration table.
    """
    if region.width <= 0 or region.height <= 0:
        return
    window = (slice(region.y, region.y + region.height), slice(region.x, region.x + region.width))
    block = plane[window]
    before = block.copy() if region.mask is not None else None
    if image_type in (GRAY8, COLOR_RGB):
        if op in _NO_BYTE_OP:
            return
        table = byte_table(op, value)
        block[...] = apply_rgb_table(block, table) if image_type == COLOR_RGB else table[block]
    elif image_type == GRAY16:
        block[...] = _short(block, op, value, display_range, signed16)
    elif image_type == GRAY32:
        if op in _NO_FLOAT_OP:
            return
        block[...] = _float(block, op, value, display_range)
    else:
        raise ValueError(f"image type {image_type} has no pixel arithmetic")
    if before is not None:
        assert region.mask is not None
        block[~region.mask] = before[~region.mask]


# --- 8-bit and RGB: one table of 256 entries ----------------------------------------------------
def byte_table(op: str, value: float) -> np.ndarray:
    """``ImageProcessor.process``'s lookup table for ``op`` (every entry clamped to 0-255)."""
    rule = _BYTE_RULES[op]
    return np.array([max(0, min(255, rule(i, value))) for i in range(256)], dtype=np.uint8)


def _wrap32(v: int) -> int:
    """Java int overflow."""
    return (v + (1 << 31)) % (1 << 32) - (1 << 31)


def _byte_gamma(i: int, value: float) -> int:
    """``(int)(Math.exp(Math.log(i/255.0)*value)*255.0)``; log(0) is -infinity, as in Java."""
    exponent = (math.log(i / 255.0) if i else -math.inf) * value
    return 0 if math.isnan(exponent) else java_int(math.exp(exponent) * 255.0)


_BYTE_RULES: dict[str, Callable[[int, float], int]] = {
    INVERT: lambda i, v: 255 - i,
    SET: lambda i, v: java_int(v),
    ADD: lambda i, v: _wrap32(i + java_int(v)),
    MULT: lambda i, v: java_round_int(i * v),
    AND: lambda i, v: i & java_int(v),
    OR: lambda i, v: i | java_int(v),
    XOR: lambda i, v: i ^ java_int(v),
    GAMMA: _byte_gamma,
    LOG: lambda i, v: 0 if i == 0 else java_int(math.log(i) * _LOG_SCALE),
    EXP: lambda i, v: java_int(math.exp(i / _LOG_SCALE)),
    SQR: lambda i, v: i * i,
    SQRT: lambda i, v: java_int(math.sqrt(i)),
    MINIMUM: lambda i, v: java_int(v) if i < v else i,
    MAXIMUM: lambda i, v: java_int(v) if i > v else i,
}


def apply_rgb_table(packed: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``ColorProcessor.applyTable``: each channel through the table; the result is opaque."""
    u = packed.view(np.uint32)
    t = table.astype(np.uint32)
    out: np.ndarray = np.uint32(0xFF000000) | (t[(u >> 16) & 0xFF] << 16) | (t[(u >> 8) & 0xFF] << 8) | t[u & 0xFF]
    return out.view(np.int32)


# --- 16-bit: Java ints ----------------------------------------------------------------------------
def java_int_array(values: np.ndarray) -> np.ndarray:
    """Java's ``(int)`` of doubles, elementwise: truncation, NaN -> 0, saturation."""
    with np.errstate(invalid="ignore"):
        out: np.ndarray = np.nan_to_num(np.trunc(values), nan=0.0, posinf=_INT_MAX, neginf=_INT_MIN)
    clipped: np.ndarray = np.clip(out, _INT_MIN, _INT_MAX)
    return clipped.astype(np.int64)


def java_round_array(values: np.ndarray) -> np.ndarray:
    """Java's ``(int)Math.round`` of doubles: floor(x + 0.5) as a long, narrowed to 32 bits."""
    long_max = float(2 ** 63 - 1)
    with np.errstate(invalid="ignore", over="ignore"):
        rounded = np.nan_to_num(np.floor(values + 0.5), nan=0.0, posinf=long_max, neginf=-long_max - 1)
    rounded = np.clip(rounded, -2.0 ** 63, 2.0 ** 63 - 1024)
    return _wrap32_array(rounded.astype(np.int64))


def _wrap32_array(values: np.ndarray) -> np.ndarray:
    return values.astype(np.int32).astype(np.int64)     # numpy wraps like Java's narrowing


def _short(block: np.ndarray, op: str, value: float, display_range: tuple[float, float],
           signed16: bool) -> np.ndarray:
    """``ShortProcessor.process``."""
    offset = 32768 if signed16 else 0
    lo, hi = display_range
    value_range = hi - lo
    min2 = java_int(lo) - offset
    max2 = java_int(hi) - offset
    int_value = java_int(value)
    v1 = block.astype(np.int64) - offset
    d1 = v1.astype(np.float64)
    with np.errstate(all="ignore"):
        if op == INVERT:
            v2 = max2 - (v1 - min2)
        elif op == SET:
            v2 = np.full_like(v1, int_value)
        elif op == ADD:
            v2 = _wrap32_array(v1 + int_value)
        elif op == MULT:
            v2 = java_round_array(d1 * value)
        elif op == AND:
            v2 = v1 & int_value
        elif op == OR:
            v2 = v1 | int_value
        elif op == XOR:
            v2 = v1 ^ int_value
        elif op == GAMMA:
            if value_range <= 0.0:
                v2 = v1
            else:
                v2 = java_int_array(np.exp(value * np.log((d1 - min2) / value_range)) * value_range + min2)
                v2 = np.where(v1 == min2, v1, v2)
        elif op == LOG:
            v2 = np.where(v1 <= 0, 0, java_int_array(np.log(d1) * (max2 / math.log(max2) if max2 > 0 else math.nan)))
        elif op == EXP:
            v2 = java_int_array(np.exp(d1 * (math.log(max2) / max2 if max2 > 0 else math.nan)))
        elif op == SQR:
            v2 = java_int_array(d1 * d1)
        elif op == SQRT:
            v2 = java_int_array(np.sqrt(d1))
        elif op == ABS:
            v2 = np.abs(v1)
        elif op == MINIMUM:
            v2 = np.where(d1 < value, int_value, v1)
        elif op == MAXIMUM:
            v2 = np.where(d1 > value, int_value, v1)
        else:
            raise ValueError(op)
    return np.clip(v2 + offset, 0, 65535).astype(np.uint16)


# --- 32-bit: Java floats ------------------------------------------------------------------------------
def _float(block: np.ndarray, op: str, value: float, display_range: tuple[float, float]) -> np.ndarray:
    """``FloatProcessor.process``: float arithmetic; functions in double, rounded to float."""
    with np.errstate(all="ignore"):
        c = np.float32(value)
        v1 = block
        if op == INVERT:
            lo, hi = np.float32(display_range[0]), np.float32(display_range[1])
            return hi - (v1 - lo)
        if op == SET:
            return np.full_like(v1, c)
        if op == ADD:
            return v1 + c
        if op == MULT:
            return v1 * c
        d1 = v1.astype(np.float64)
        if op == GAMMA:
            return np.where(v1 <= 0, np.float32(0), np.exp(float(c) * np.log(d1)).astype(np.float32))
        if op == LOG:
            return np.where(v1 < 0, _X86_NAN, np.log(d1).astype(np.float32))
        if op == EXP:
            return np.exp(d1).astype(np.float32)
        if op == SQR:
            squared: np.ndarray = v1 * v1
            return squared
        if op == SQRT:
            return np.where(v1 <= 0, np.float32(0), np.sqrt(d1).astype(np.float32))
        if op == ABS:
            absolute: np.ndarray = np.abs(v1)
            return absolute
        if op == MINIMUM:
            return np.where(d1 < value, np.float32(value), v1)
        if op == MAXIMUM:
            return np.where(d1 > value, np.float32(value), v1)
    raise ValueError(op)

