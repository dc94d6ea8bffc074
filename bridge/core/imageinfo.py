"""*Image>Show Info*: ImageJ 1.53t's ``ImageInfo.getImageInfo(imp)`` text, from the model alone.

The text is the image's metadata (the header text, or the current slice's
label when that label holds one), a dashed line, then ImageJ's own lines::

    Title: CT_small.dcm
    Width:  84.6679 mm (128)
    ...
    Path: /data/CT_small.dcm
    No properties
    No overlay
     
    No selection

Only what an image opened from DICOM files can have is written here: no
ROI, overlay, threshold, window, hyperstack, frame rate or image properties
(a headless bridge never creates them; the model has no place for them).
One case of ImageJ's is therefore out of reach: an Image Sequence of a
single file carries a ``Slice_Label`` property ("Properties: 1 (Slice_Label)").  Numbers go through
ImageJ's ``d2s`` rules, reproduced below on top of Java's formatting.

*The single-image stack:* in ImageJ, calling ``getStack()`` on a one-image
ImagePlus gives it a stack whose label is ``title + "\\n" + Info``; Show Info
then starts with the title line and gains an ``Image: 1/1 (…)`` line.  This
module describes the image as opened (a one-image file has no stack unless
ImageJ built it from one, which the model shows as a non-None label).
"""

from __future__ import annotations

import math
import os

from .. import emulation
from ..errors import JavaError
from .calibration import finite_range
from .javafmt import d2s
from ..model import COLOR_256, COLOR_RGB, GRAY8, GRAY16, GRAY32, STRAIGHT_LINE, ImagePlus

SEPARATOR = "--------------------------------------------\n"

#: ImageJ's ``LUT.nameKey``: a LUT name stored as an image property.
LUT_NAME_KEY = "CurrentLUT"

#: ``CurveFitter.fList`` entries and the two special functions ImageJ names in Show Info.
UNCALIBRATED_OD, CUSTOM = 21, 22
_FUNCTION_NAMES = {STRAIGHT_LINE: "y = a+bx", 1: "y = a+bx+cx^2", 2: "y = a+bx+cx^2+dx^3",
                   3: "y = a+bx+cx^2+dx^3+ex^4", 4: "y = a*exp(bx)", 5: "y = a*x^b",
                   6: "y = a*ln(bx)", UNCALIBRATED_OD: "Uncalibrated OD",
                   CUSTOM: "Custom lookup table"}
_LAST_FIT_FUNCTION = 13  # Calibration.EXP_RECOVERY: the functions without a lookup table



# ---------------------------------------------------------------- Java numbers

def java_int(x: float) -> int:
    """Java's ``(int) x``: truncation, NaN -> 0, saturating at the int range."""
    if math.isnan(x):
        return 0
    if math.isinf(x):
        return 2**31 - 1 if x > 0 else -2**31
    return max(-2**31, min(2**31 - 1, int(x)))


def _has_exponent(n: float) -> bool:
    """Whether Java's ``Double.toString(n)`` uses ``E`` notation (|n| outside [1e-3, 1e7))."""
    return math.isfinite(n) and n != 0 and not 1e-3 <= abs(n) < 1e7


def decimal_places(n: float) -> int:
    """``Tools.getDecimalPlaces(n)``: 0 for integers, -2 for E notation, else the decimals (max 4).

    Python's ``repr`` has Java's digits for these purposes: where Java 17
    prints a longer string, the difference is past the fourth decimal or a
    trailing zero, both of which the rule drops.
    """
    if math.isnan(n) or java_int(n) == n:
        return 0
    if _has_exponent(n):
        return -2
    if math.isinf(n):
        return 0
    text = repr(n).rstrip("0")
    return min(len(text) - text.index(".") - 1, 4)


def d2s_auto(n: float) -> str:
    """ImageInfo's private ``d2s(n)``: as many decimals as ``getDecimalPlaces`` asks for."""
    return d2s(n, decimal_places(n))


def _reciprocal(x: float) -> float:
    """``1.0 / x`` with Java's division by zero (±Infinity) instead of an exception."""
    if x == 0:
        return math.copysign(math.inf, x)
    return 1.0 / x


# ---------------------------------------------------------------- the text

_NO_PROCESSOR = ('Cannot invoke "ij.process.ImageProcessor.isColorLut()" because the return value of '
                 '"ij.ImagePlus.getProcessor()" is null')


def image_info(imp: ImagePlus, *, in_macro: bool = False) -> str:
    """The full Show Info text; ``in_macro``: as the macro ``getImageInfo()`` gives it.

    A macro runs headless in batch mode, and Show Info then says so.  ImageJ's
    empty image (what a failing zip entry opens to) has no processor, and Show
    Info throws on it: so does this, with ImageJ's exception.
    """
    if imp.getWidth() == 0 and imp.info is None:
        raise JavaError("java.lang.NullPointerException", _NO_PROCESSOR, f"getImageInfo of {imp.title!r}")
    metadata = _metadata(imp)
    lines = _info_lines(imp, in_macro)
    text = "".join(line + "\n" for line in lines)
    return text if metadata is None else metadata + SEPARATOR + text


def has_image_stack(imp: ImagePlus) -> bool:
    """ImageJ's ``hasImageStack()`` for an image as opened: a stack, or a one-image stack with a label."""
    return imp.getStackSize() > 1 or imp.labels[0] is not None


def _metadata(imp: ImagePlus) -> str | None:
    """The text above the dashed line: the slice label if it holds a header, else ``Info``."""
    if has_image_stack(imp):
        label = imp.getStack().getSliceLabel(imp.getCurrentSlice())
        if label is not None and label.find("\n") > 0:
            return label
    return imp.info  # ImageJ's Exif fallback needs a plugin 1.53t does not ship


def _info_lines(imp: ImagePlus, in_macro: bool) -> list[str]:
    lines = [f"Title: {imp.getTitle()}"]
    lines += _geometry(imp)
    lines.append(f"ID: {imp.getID()}")
    lines += _pixel_type(imp)
    lut_name = imp.getStringProperty(LUT_NAME_KEY)  # ImageJ's getProp: no properties, so the text
    if lut_name is not None:
        lines.append(f"LUT name: {lut_name}")
    lines += _stack_position(imp)
    lines.append("No threshold")
    lines += _value_calibration(imp)
    lines += _path(imp)
    lines += _origin(imp)
    lines += ["No properties", "No overlay"]
    if in_macro:
        lines.append("Macro is running in batch mode")
    if imp.calibration.calibrated():
        lines.append(" ")
    lines.append("No selection")
    return lines


def _geometry(imp: ImagePlus) -> list[str]:
    """Width, height, depth, size, resolution and pixel or voxel size."""
    cal = imp.calibration
    width, height, slices = imp.getWidth(), imp.getHeight(), imp.getNSlices()
    stack_size = imp.getStackSize()
    unit = cal.getUnit()
    if cal.scaled():
        units = cal.getUnits()
        lines = [f"Width:  {d2s_auto(width * cal.pixelWidth)} {units} ({width})",
                 f"Height:  {d2s_auto(height * cal.pixelHeight)} {units} ({height})"]
        if slices > 1:
            lines.append(f"Depth:  {d2s_auto(slices * cal.pixelDepth)} {units} ({slices})")
        lines.append(f"Size:  {image_size(imp)}")
        x_resolution, y_resolution = _reciprocal(cal.pixelWidth), _reciprocal(cal.pixelHeight)
        if x_resolution == y_resolution:
            lines.append(f"Resolution:  {d2s_auto(x_resolution)} pixels per {unit}")
        else:
            lines.append(f"X Resolution:  {d2s_auto(x_resolution)} pixels per {unit}")
            lines.append(f"Y Resolution:  {d2s_auto(y_resolution)} pixels per {unit}")
    else:
        lines = [f"Width:  {width} pixels", f"Height:  {height} pixels"]
        if stack_size > 1:
            lines.append(f"Depth:  {slices} pixels")
        lines.append(f"Size:  {image_size(imp)}")
    size = f"{d2s_auto(cal.pixelWidth)}x{d2s_auto(cal.pixelHeight)}"
    if stack_size > 1:
        lines.append(f"Voxel size: {size}x{d2s_auto(cal.pixelDepth)} {unit}^3")
    else:
        lines.append(f"Pixel size: {size} {unit}^2")
    return lines


def image_size(imp: ImagePlus) -> str:
    """``ImageWindow.getImageSize``: the memory size as "32K", "1.5MB", "12MB" or "1.2GB"."""
    bytes_per_pixel = {GRAY16: 2, GRAY32: 4, COLOR_RGB: 4}.get(imp.getType(), 1)
    size = float(imp.getWidth()) * imp.getHeight() * imp.getStackSize() * bytes_per_pixel / 1024.0
    if size < 1024.0:
        number, unit = d2s(size, 0), "K"
    elif size < 10000.0:
        number, unit = d2s(size / 1024.0, 1), "MB"
    elif size < 1048576.0:
        number, unit = d2s(float(math.floor(size / 1024.0 + 0.5)), 0), "MB"
    else:
        number, unit = d2s(size / 1048576.0, 1), "GB"
    return number.removesuffix(".0") + unit


def _is_signed16(imp: ImagePlus) -> bool:
    """``Calibration.isSigned16Bit``: a 16-bit image whose function subtracts exactly 32768."""
    cal = imp.calibration
    return (imp.getBitDepth() == 16 and STRAIGHT_LINE <= cal.function <= _LAST_FIT_FUNCTION
            and cal.coefficients is not None and cal.coefficients[:2] == [-32768.0, 1.0])


def _pixel_type(imp: ImagePlus) -> list[str]:
    """The bits-per-pixel line and the display range (and from 1.54e the pixel value range)."""
    if emulation.rules().show_info_value_range:
        return _pixel_type_154(imp)
    low, high = imp.display_range
    kind = imp.getType()
    if kind == GRAY8:
        return [f"Bits per pixel: 8 ({_lut_kind(imp)})", f"Display range: {java_int(low)}-{java_int(high)}"]
    if kind in (GRAY16, GRAY32):
        if kind == GRAY16:
            first = f"Bits per pixel: 16 ({'signed' if _is_signed16(imp) else 'unsigned'})"
        else:
            first = "Bits per pixel: 32 (float)"
        cal = imp.calibration
        if cal.calibrated():
            low, high = cal.getCValue(java_int(low)), cal.getCValue(java_int(high))
        return [first, f"Display range: {d2s_auto(low)} - {d2s_auto(high)}"]
    return _colour_type(kind)


def _pixel_type_154(imp: ImagePlus) -> list[str]:
    """1.54e's lines: the LUT named for every gray type, then the current slice's own value range."""
    low, high = imp.display_range
    kind = imp.getType()
    if kind not in (GRAY8, GRAY16, GRAY32):
        return _colour_type(kind)
    plane = imp.data[imp.getCurrentSlice() - 1]
    if kind == GRAY8:
        return [f"Bits per pixel: 8 ({_lut_kind(imp)})", f"Display range: {java_int(low)}-{java_int(high)}",
                f"Pixel value range: {int(plane.min())}-{int(plane.max())}"]
    if kind == GRAY32:
        data_low, data_high = finite_range(plane)
        return [f"Bits per pixel: 32 (float, {_lut_kind(imp)})",
                f"Display range: {d2s_auto(low)} - {d2s_auto(high)}",
                f"Pixel value range: {d2s_auto(data_low)} - {d2s_auto(data_high)}"]
    signed = _is_signed16(imp)
    raw_low, raw_high = int(plane.min()), int(plane.max())
    if signed:
        raw_low, raw_high = raw_low - 32768, raw_high - 32768
    first = f"Bits per pixel: 16 ({'signed' if signed else 'unsigned'}, {_lut_kind(imp)})"
    cal = imp.calibration
    if cal.calibrated():
        shown = f"{d2s_auto(cal.getCValue(java_int(low)))} - {d2s_auto(cal.getCValue(java_int(high)))}"
        return [first, f"Display range: {shown}", f"Raw pixel value range: {raw_low} - {raw_high}"]
    return [first, f"Display range: {java_int(low)}-{java_int(high)}", f"Pixel value range: {raw_low}-{raw_high}"]


def _lut_kind(imp: ImagePlus) -> str:
    """ImageInfo's ``getLutInfo``: "[inverting ](color|grayscale) LUT"."""
    lut = ("color" if imp.lut is not None else "grayscale") + " LUT"
    return "inverting " + lut if imp.isInvertedLut() else lut


def _colour_type(kind: int) -> list[str]:
    if kind == COLOR_256:
        return ["Bits per pixel: 8 (color LUT)"]
    return ["Bits per pixel: 32 (RGB)"]


def _stack_position(imp: ImagePlus) -> list[str]:
    """``Image: n/N (label)`` for stacks and for a one-image stack with a label."""
    if not has_image_stack(imp):
        return []
    stack = imp.getStack()
    if imp.getStackSize() > 1:
        n = imp.getCurrentSlice()
        label = stack.getSliceLabel(n)
        if label is not None and "\n" in label:
            label = stack.getShortSliceLabel(n)
        suffix = f" ({label})" if label else ""
        return [f"Image: {n}/{imp.getStackSize()}{suffix}"]
    label = stack.getShortSliceLabel(1)
    return [f"Image: 1/1 ({label})"] if label else []


def _value_calibration(imp: ImagePlus) -> list[str]:
    """The calibration function with its coefficients, or ``Uncalibrated``."""
    cal = imp.calibration
    if cal.calibrated():
        lines = [" ", f"Calibration function: {_FUNCTION_NAMES.get(cal.function, str(cal.function))}"]
        coefficients = cal.getCoefficients()
        if coefficients is not None:
            names = ("a", "b", "c", "c", "c")  # sic: ImageJ calls the 4th and 5th "c" too
            lines += [f"  {name}: {d2s(value, 6)}" for name, value in zip(names, coefficients)]
        lines.append(f'  Unit: "{cal.getValueUnit()}"')
        return lines
    if cal.getValueUnit() != "Gray Value":
        return ["Calibration function: None", f'  Unit: "{cal.getValueUnit()}"']
    return ["Uncalibrated"]


def _path(imp: ImagePlus) -> list[str]:
    """``URL: …`` or ``Path: …`` from the original file info (none for images not from a file)."""
    fi = imp.file_info
    if not fi:
        return []
    if fi.get("url"):
        return [f"URL: {fi['url']}"]
    directory = fi.get("directory") or ""
    default_dir = "" if directory else os.getcwd().replace("\\", "/") + "/"
    if directory and not directory.endswith(("/", os.sep)):
        directory += "/"
    name = fi.get("fileName")
    return [f"Path: {default_dir}{directory}{'null' if name is None else name}"]


def _origin(imp: ImagePlus) -> list[str]:
    cal = imp.calibration
    z = f",{d2s_auto(cal.zOrigin)}" if imp.getStackSize() > 1 or cal.zOrigin != 0.0 else ""
    origin = f"{d2s_auto(cal.xOrigin)},{d2s_auto(cal.yOrigin)}{z}"
    return [] if origin == "0,0" else [f"Coordinate origin:  {origin}"]
