"""ImageJ's ``TypeConverter``: one slice's pixels as another type, with its rounding and scaling.

"Scale when converting" (*Edit>Options>Conversions...*) maps the display
range onto 0-255 (to 8-bit) or 0-65535 (32-bit to 16-bit); without it
values are clamped.  RGB becomes gray through the weighting factors:
1/3 each, or 0.299, 0.587, 0.114 when "Weighted RGB conversions" is on.
"""

from __future__ import annotations

import numpy as np

from .calibration import java_int
from .imagetypes import COLOR_RGB, GRAY8, GRAY16, GRAY32

#: ``ColorProcessor``'s default weighting factors, and the weighted ones
UNWEIGHTED = (1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0)
WEIGHTED = (0.299, 0.587, 0.114)


def to_byte(plane: np.ndarray, image_type: int, display_range: tuple[float, float], scale: bool,
            weights: tuple[float, float, float]) -> np.ndarray:
    """``ip.convertToByte(scale)`` with the processor's min and max = ``display_range``."""
    if image_type == GRAY8:
        return plane.copy()
    if image_type == GRAY16:
        return _short_to_byte(plane, display_range, scale)
    if image_type == GRAY32:
        return _float_to_byte(plane, display_range, scale)
    if image_type == COLOR_RGB:
        return rgb_to_byte(plane, weights)
    raise ValueError(f"no conversion to 8-bit from image type {image_type}")


def _short_to_byte(plane: np.ndarray, display_range: tuple[float, float], scale: bool) -> np.ndarray:
    values = plane.astype(np.int64)
    if not scale:
        return np.minimum(values, 255).astype(np.uint8)
    lo, hi = java_int(display_range[0]), java_int(display_range[1])
    factor = 256.0 / (hi - lo + 1)
    shifted = np.maximum(values - lo, 0)
    return np.minimum(np.trunc(shifted * factor + 0.5), 255).astype(np.uint8)


def _float_to_byte(plane: np.ndarray, display_range: tuple[float, float], scale: bool) -> np.ndarray:
    """Scaled: ``FloatProcessor.create8BitImage``; else ``ByteProcessor.setPixels(0, fp)`` (round half up)."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        if scale:
            lo, hi = display_range
            factor = 255.0 / (hi - lo)
            shifted = plane.astype(np.float64) - lo
            shifted = np.where(shifted < 0.0, 0.0, shifted)
            scaled = np.trunc(np.nan_to_num(shifted * factor + 0.5, nan=0.0, posinf=2.0 ** 31 - 1))
            return np.minimum(scaled, 255).astype(np.uint8)
        values = plane + np.float32(0.5)
        values = np.where(values < 0, np.float32(0), values)
        values = np.where(values > 255, np.float32(255), values)
        return np.trunc(np.nan_to_num(values, nan=0.0)).astype(np.uint8)


def rgb_to_byte(plane: np.ndarray, weights: tuple[float, float, float]) -> np.ndarray:
    """``TypeConverter.convertRGBToByte``: ``(byte)(r*rw + g*gw + b*bw + 0.5)``."""
    return np.trunc(_rgb_gray(plane, weights) + 0.5).astype(np.int64).astype(np.uint8)


def _rgb_gray(plane: np.ndarray, weights: tuple[float, float, float]) -> np.ndarray:
    u = plane.view(np.uint32)
    r, g, b = ((u >> 16) & 0xFF).astype(np.float64), ((u >> 8) & 0xFF).astype(np.float64), \
        (u & 0xFF).astype(np.float64)
    return r * weights[0] + g * weights[1] + b * weights[2]


def to_short(plane: np.ndarray, image_type: int, display_range: tuple[float, float], scale: bool,
             weights: tuple[float, float, float]) -> np.ndarray:
    """``ip.convertToShort(scale)``: bytes as they are, floats scaled or clamped, RGB through bytes."""
    if image_type == GRAY16:
        return plane.copy()
    if image_type == GRAY8:
        return plane.astype(np.uint16)
    if image_type == COLOR_RGB:
        return rgb_to_byte(plane, weights).astype(np.uint16)
    if image_type == GRAY32:
        return _float_to_short(plane, display_range, scale)
    raise ValueError(f"no conversion to 16-bit from image type {image_type}")


def _float_to_short(plane: np.ndarray, display_range: tuple[float, float], scale: bool) -> np.ndarray:
    lo, hi = display_range
    values = plane.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        if scale:
            factor = 1.0 if hi - lo == 0.0 else 65535.0 / (hi - lo)
            values = (values - lo) * factor
        values = np.where(values < 0.0, 0.0, values)
        values = np.where(values > 65535.0, 65535.0, values)
        return np.trunc(np.nan_to_num(values + 0.5, nan=0.0)).astype(np.uint16)


def to_float(plane: np.ndarray, image_type: int, table: np.ndarray | None,
             weights: tuple[float, float, float]) -> np.ndarray:
    """``ip.convertToFloat()``: through the calibration table when there is one; RGB weighted."""
    if image_type == GRAY32:
        return plane.copy()
    if image_type == COLOR_RGB:
        return _rgb_gray(plane, weights).astype(np.float32)
    if table is not None:
        calibrated: np.ndarray = table[plane]
        return calibrated
    return plane.astype(np.float32)


def calibration_table(image_type: int, function_coefficients: list[float] | None) -> np.ndarray | None:
    """``Calibration.getCTable()`` of a straight line: ``(float)(c0 + c1*raw)`` for every raw value."""
    if function_coefficients is None or image_type not in (GRAY8, GRAY16):
        return None
    c0, c1 = function_coefficients[0], function_coefficients[1]
    levels = np.arange(65536 if image_type == GRAY16 else 256, dtype=np.float64)
    return (c0 + c1 * levels).astype(np.float32)
