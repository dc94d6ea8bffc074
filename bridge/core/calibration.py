"""Intensity calibration, display range and LUT, by ImageJ 1.53t's rules.

``DICOM.open`` decides three things after the pixels are read, each with
quirks that scripts observe:

* **rescale** (§4.3): slope ≠ 1 converts the image to 32-bit float with
  ImageJ's own "32-bit", "Multiply..." and "Add..." commands (we compute
  what the GUI gives; headless ImageJ cannot run those commands); otherwise
  a straight-line calibration, which ImageJ drops again for 32-bit and RGB;
* **spatial calibration** (§4.4), from ``FileInfo``;
* **display range** (§4.5): the window is turned into raw values and handed
  to the processor's ``setMinAndMax``, whose rules differ per type
  (ShortProcessor clamps and truncates, ByteProcessor rounds, FloatProcessor keeps float32, ColorProcessor rewrites the pixels).

Processors are identified by the model's image types (GRAY8, GRAY16,
GRAY32, COLOR_RGB); display ranges are ``(min, max)`` float pairs as
``getDisplayRangeMin/Max`` return them.
"""

from __future__ import annotations

import math

import numpy as np

from ..model import COLOR_RGB, GRAY8, GRAY16, GRAY32, NONE, STRAIGHT_LINE, Calibration
from .fileinfo import COLOR8, GRAY8 as FILE_GRAY8, GRAY16_SIGNED, FileInfo

Range = tuple[float, float]
GRAY_VALUE = "Gray Value"
SIGNED16 = [-32768.0, 1.0]
_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1
_DOUBLE_MAX = 1.7976931348623157e308


# --- Java number conversions ------------------------------------------------
def java_int(value: float) -> int:
    """Java's ``(int)`` of a double: truncate toward zero, NaN -> 0, saturate."""
    if math.isnan(value):
        return 0
    if math.isinf(value):
        return _INT_MAX if value > 0 else _INT_MIN
    return max(_INT_MIN, min(_INT_MAX, int(value)))


def java_round_int(value: float) -> int:
    """Java's ``(int)Math.round(double)``: floor(x + 0.5) as a long, then narrowed to 32 bits."""
    if math.isnan(value):
        return 0
    if math.isinf(value):
        rounded = _LONG_MAX if value > 0 else _LONG_MIN
    else:
        rounded = max(_LONG_MIN, min(_LONG_MAX, math.floor(value + 0.5)))
    return (rounded + (1 << 31)) % (1 << 32) - (1 << 31)


def f32(value: float) -> float:
    """A double cast to Java ``float`` and back (overflow gives infinity, as in Java)."""
    with np.errstate(over="ignore"):
        return float(np.float32(value))


# --- spatial and value calibration ------------------------------------------
def spatial(fi: FileInfo) -> Calibration:
    """``FileOpener.setCalibration``: the pixel size applies only with a positive width and a unit."""
    cal = Calibration()
    if fi.pixel_width > 0.0 and fi.unit is not None:
        cal.pixelWidth, cal.pixelHeight, cal.pixelDepth = fi.pixel_width, fi.pixel_height, fi.pixel_depth
        cal.unit = fi.unit or "pixel"
    if fi.file_type == GRAY16_SIGNED:
        cal.function, cal.coefficients = STRAIGHT_LINE, list(SIGNED16)
    return cal


def opens_as_float(fi: FileInfo) -> bool:
    """``DICOM.open`` converts to 32-bit whenever the slope is not 1 (default preferences)."""
    return fi.rescale_slope != 1.0


def rescale_function(cal: Calibration, fi: FileInfo) -> None:
    """The straight-line calibration ``DICOM.open`` sets when the image stays integer.

    Signed data: ``[slope*-32768 + intercept, slope]``, only for slope 1.
    Anything else: ``[intercept, slope]``.  Both only with an intercept.
    """
    if fi.rescale_intercept == 0.0:
        return
    if fi.file_type == GRAY16_SIGNED:
        if fi.rescale_slope != 1.0:
            return
        cal.coefficients = [fi.rescale_slope * -32768 + fi.rescale_intercept, fi.rescale_slope]
    elif fi.rescale_slope == 1.0 or fi.file_type == FILE_GRAY8:
        cal.coefficients = [fi.rescale_intercept, fi.rescale_slope]
    else:
        return
    cal.function, cal.valueUnit = STRAIGHT_LINE, GRAY_VALUE


def settle(cal: Calibration, image_type: int) -> None:
    """``ImagePlus.setCalibration``: 32-bit and RGB images drop any value function."""
    if image_type in (GRAY32, COLOR_RGB):
        cal.function, cal.coefficients = NONE, None
        if image_type == COLOR_RGB:
            cal.valueUnit = GRAY_VALUE


def raw_value(cal: Calibration, value: float) -> float:
    """``Calibration.getRawValue`` for the functions DICOM images can have."""
    c = cal.coefficients
    if cal.function == STRAIGHT_LINE and c and len(c) == 2 and c[1] != 0.0:
        return (value - c[0]) / c[1]
    return value


def c_value(cal: Calibration, raw: float) -> float:
    """``Calibration.getCValue`` (straight line or none)."""
    c = cal.coefficients
    if cal.function == STRAIGHT_LINE and c:
        return c[0] + c[1] * raw
    return raw


# --- data ranges --------------------------------------------------------------
def data_range(image_type: int, pixels: np.ndarray) -> Range:
    """What ``resetMinAndMax`` finds: the data range (floats skip NaN), fixed 0-255 for 8-bit/RGB."""
    if image_type in (GRAY8, COLOR_RGB):
        return 0.0, 255.0
    if pixels.size == 0:
        return 0.0, 0.0
    if image_type == GRAY32:
        finite_or_inf = pixels[~np.isnan(pixels)]
        if finite_or_inf.size == 0:
            return math.nan, math.nan
        return _first_of(finite_or_inf, finite_or_inf.min()), _first_of(finite_or_inf, finite_or_inf.max())
    return float(pixels.min()), float(pixels.max())


def stack_range(image_type: int, stack: np.ndarray) -> Range:
    """``FileOpener.setStackDisplayRange``: the lowest slice min and highest slice max."""
    lo, hi = _DOUBLE_MAX, -_DOUBLE_MAX
    for plane in stack:
        s_lo, s_hi = data_range(image_type, plane)
        lo = s_lo if s_lo < lo else lo
        hi = s_hi if s_hi > hi else hi
    return lo, hi


def opened_range(image_type: int, stack: np.ndarray) -> Range:
    """The display range ``FileOpener`` leaves: the first slice's, or the stack's if that is flat."""
    lo, hi = data_range(image_type, stack[0])
    if stack.shape[0] > 1 and lo == hi:
        return set_min_and_max(image_type, *stack_range(image_type, stack), stack[0])
    return lo, hi


# --- setMinAndMax per processor ---------------------------------------------
def set_min_and_max(image_type: int, lo: float, hi: float, pixels: np.ndarray,
                    current: Range = (0.0, 255.0)) -> Range:
    """The display range after ``ip.setMinAndMax(lo, hi)`` on the processor holding ``pixels``.

    RGB pixels change too (:func:`apply_rgb_window`).  A ByteProcessor
    remaps its LUT as well, but ``getColorModel`` and ``isInvertedLut``
    keep answering from the base LUT, so nothing observable changes there.
    """
    if image_type == GRAY16:
        if lo == 0.0 and hi == 0.0:
            return data_range(GRAY16, pixels)
        lo = lo if lo >= 0.0 or math.isnan(lo) else 0.0
        hi = hi if hi <= 65535.0 or math.isnan(hi) else 65535.0
        return float(java_int(lo)), float(java_int(hi))
    if image_type == GRAY32:
        if lo == 0.0 and hi == 0.0:
            return data_range(GRAY32, pixels)
        return f32(lo), f32(hi)
    if hi < lo:
        return current
    if image_type == GRAY8:
        return float(java_round_int(lo)), float(java_round_int(hi))
    return float(java_int(lo)), float(java_int(hi))


def apply_rgb_window(pixels: np.ndarray, lo: float, hi: float) -> None:
    """``ColorProcessor.setMinAndMax`` rewrites every channel through a 0-255 table, in place."""
    if hi < lo:
        return
    table = np.array([_clamp255(_java_div_int(256.0 * (i - java_int(lo)), hi - lo)) for i in range(256)],
                     dtype=np.uint32)
    flat = pixels.reshape(-1).view(np.uint32)
    r, g, b = (flat >> 16) & 0xFF, (flat >> 8) & 0xFF, flat & 0xFF
    flat[:] = np.uint32(0xFF000000) | (table[r] << 16) | (table[g] << 8) | table[b]


def _java_div_int(numerator: float, denominator: float) -> int:
    """``(int)(numerator/denominator)`` with Java's division by zero (infinity or NaN)."""
    if denominator == 0.0:
        if numerator == 0.0 or math.isnan(numerator):
            return 0
        return _INT_MAX if numerator > 0 else _INT_MIN
    return java_int(numerator / denominator)


def _clamp255(v: int) -> int:
    return 0 if v < 0 else 255 if v > 255 else v


# --- LUTs ---------------------------------------------------------------------
def base_lut(fi: FileInfo) -> np.ndarray:
    """The (3, 256) colour model ``FileOpener.createColorModel`` gives: palette, gray or inverted gray."""
    if fi.file_type == COLOR8 and fi.lut is not None and len(fi.lut[0]) > 0:
        lut = np.zeros((3, 256), dtype=np.uint8)
        for channel, entries in enumerate(fi.lut):
            values = np.frombuffer(bytes(entries[:256]), dtype=np.uint8)
            lut[channel, :values.size] = values
        return lut
    return _INVERTED_GRAY if fi.white_is_zero else _GRAY


def _constant_lut(ramp: np.ndarray) -> np.ndarray:
    lut = np.tile(ramp, (3, 1))
    lut.flags.writeable = False
    return lut


_GRAY = _constant_lut(np.arange(256, dtype=np.uint8))
_INVERTED_GRAY = _constant_lut(np.arange(255, -1, -1, dtype=np.uint8))


def is_inverted(lut: np.ndarray) -> bool:
    """``ImageProcessor.isInvertedLut``: no entry among 0..254 brighter than the one before."""
    if lut is _GRAY or lut is _INVERTED_GRAY:      # the usual cases, answered without a pass
        return lut is _INVERTED_GRAY
    sums = lut.astype(np.int32).sum(axis=0)[:255]
    return not bool(np.any(sums[:-1] < sums[1:]))


def is_color(lut: np.ndarray) -> bool:
    if lut is _GRAY or lut is _INVERTED_GRAY:
        return False
    return bool(np.any(lut[0] != lut[1]) or np.any(lut[1] != lut[2]))


# --- the 32-bit conversion ---------------------------------------------------
def to_float(stack: np.ndarray, image_type: int, cal: Calibration) -> np.ndarray:
    """"32-bit" on the opened image: calibrated values (signed data becomes true values), RGB averaged."""
    if image_type == GRAY32:
        return stack
    if image_type == COLOR_RGB:
        packed = stack.view(np.uint32)
        third = 1.0 / 3.0
        r = ((packed >> 16) & 0xFF).astype(np.float64) * third
        r += ((packed >> 8) & 0xFF).astype(np.float64) * third
        r += (packed & 0xFF).astype(np.float64) * third
        return r.astype(np.float32)
    values = stack.astype(np.float32)
    if cal.function == STRAIGHT_LINE and cal.coefficients:
        c0, c1 = cal.coefficients
        table = (c0 + c1 * np.arange(65536 if image_type == GRAY16 else 256, dtype=np.float64))
        values = table.astype(np.float32)[stack]
    return values


def multiply_add(stack: np.ndarray, slope: float, intercept: float) -> None:
    """"Multiply..." then "Add..." (only when the intercept is not 0), in float32 like FloatProcessor."""
    with np.errstate(over="ignore", invalid="ignore"):
        stack *= np.float32(f32(slope))
        if intercept != 0.0:
            stack += np.float32(f32(intercept))


def finite_range(pixels: np.ndarray) -> Range:
    """``getRawStatistics`` min and max of a float slice: NaN and infinities do not count.

    With no finite value, FloatStatistics keeps its starting values (the
    largest double, and its negative).
    """
    finite = pixels[np.isfinite(pixels)]
    if finite.size == 0:
        return _DOUBLE_MAX, -_DOUBLE_MAX
    return _first_of(finite, finite.min()), _first_of(finite, finite.max())


def _first_of(values: np.ndarray, extreme: np.floating) -> float:
    """``extreme`` with the sign ImageJ's scan keeps: for a zero, that of the first zero.

    ImageJ updates its min (max) only on a strictly smaller (larger) value, so of
    -0.0 and 0.0 the first one seen stays; numpy's reductions make no such promise,
    and Show Info prints the difference ("-0" against "0").
    """
    if extreme != 0:
        return float(extreme)
    return float(values[np.argmax(values == 0)])
