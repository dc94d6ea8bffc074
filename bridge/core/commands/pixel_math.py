"""*Edit>Invert*, *Image>Lookup Tables>Invert LUT* and *Process>Math*, as ImageJ 1.53t runs them.

The arithmetic per image type is :mod:`bridge.core.pixelmath`; this module
is what ImageJ's filter runner adds around it: the current slice or, with
``stack``, every slice; the selection's rectangle and mask (a line or point
selection means the whole image); and the display range afterwards (a
16-bit image or one 32-bit image is re-ranged by *Min*, *Max*, *Abs*,
*Reciprocal* and 16-bit *Invert*; otherwise the range stays).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from ...errors import ScriptError
from .. import pixelmath as pm
from ..calibration import data_range, is_inverted
from ..imagetypes import COLOR_RGB, GRAY16, GRAY32, STRAIGHT_LINE
from ..statistics import Region, region_of
from .options import Options
from .registry import command
from .session import Session

if TYPE_CHECKING:
    from ...model import Calibration, ImagePlus


@dataclass(frozen=True)
class MathCommand:
    """One *Process>Math* entry: its processor operation, value key default, and display-range reset."""

    op: str
    default: float | str | None = None     # None: the command has no value field
    resets_range: bool = False


#: ImageJ's ``ImageMath`` dialog defaults (a macro that leaves out ``value=`` gets these)
MATH_COMMANDS = {
    "Add...": MathCommand(pm.ADD, 25.0),
    "Subtract...": MathCommand(pm.ADD, 25.0),
    "Multiply...": MathCommand(pm.MULT, 1.25),
    "Divide...": MathCommand(pm.MULT, 1.25),
    "AND...": MathCommand(pm.AND, "11110000"),
    "OR...": MathCommand(pm.OR, "11110000"),
    "XOR...": MathCommand(pm.XOR, "11110000"),
    "Min...": MathCommand(pm.MINIMUM, 0.0, resets_range=True),
    "Max...": MathCommand(pm.MAXIMUM, 255.0, resets_range=True),
    "Gamma...": MathCommand(pm.GAMMA, 0.5),
    "Set...": MathCommand(pm.SET, 25.0),
    "Log": MathCommand(pm.LOG),
    "Exp": MathCommand(pm.EXP),
    "Square": MathCommand(pm.SQR),
    "Square Root": MathCommand(pm.SQRT),
    "Abs": MathCommand(pm.ABS, resets_range=True),
    "Reciprocal": MathCommand("reciprocal", resets_range=True),
}


def math_command(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """Any *Process>Math* command but *Macro...*: its value, then the filter runner's loop."""
    assert imp is not None
    name = options.command
    spec = MATH_COMMANDS[name]
    value = _value(options, spec)
    whole_stack = options.flag("stack")
    options.done(also_accepted=("slice",))
    if name == "Abs" and imp.getType() != GRAY32 and not _signed16(imp.calibration):
        raise ScriptError(name, None, "32-bit or signed 16-bit image required")
    if name == "Reciprocal" and imp.getType() != GRAY32:
        raise ScriptError(name, None, "32-bit float image required")
    if name == "Gamma..." and not 0.05 <= value <= 5.0:
        raise ScriptError(name, None, "Gamma must be between 0.05 and 5.0")
    if name == "Subtract...":
        value = -value
    elif name == "Divide...":
        if value == 0.0 and imp.getType() != GRAY32:
            return                          # ImageJ leaves integer images alone
        value = 1.0 / value if value != 0.0 else float("inf")
    region = filter_region(imp)
    for plane in _planes(imp, whole_stack):
        if spec.resets_range and not _is_stack(imp, whole_stack):
            # the filter resets the range before the runner restores the pixels outside the mask
            unmasked = plane.copy()
            _math(imp, spec.op, value, unmasked, replace(region, mask=None))
            imp.display_range = data_range(imp.getType(), unmasked)
        _math(imp, spec.op, value, plane, region)


def _math(imp: ImagePlus, op: str, value: float, plane: np.ndarray, region: Region) -> None:
    if op == "reciprocal":
        _reciprocal(plane, region)
    else:
        pm.apply(plane, imp.getType(), op, value, display_range=imp.display_range,
                 signed16=_signed16(imp.calibration), region=region)


for _name in MATH_COMMANDS:
    command(_name)(math_command)


@command("Invert")
def invert(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """``Filters("invert")``: 8-bit and RGB 255-v, 16-bit 65535-v (whole image), 32-bit by the display range."""
    assert imp is not None
    whole_stack = options.flag("stack")
    options.done(also_accepted=("slice",))
    image_type = imp.getType()
    if image_type == GRAY16:
        region = Region(0, 0, imp.getWidth(), imp.getHeight())
        imp.deleteRoi()
        for plane in _planes(imp, whole_stack):
            pm.apply(plane, GRAY16, pm.INVERT, 0.0, display_range=(0.0, 65535.0), signed16=False, region=region)
        imp.display_range = data_range(GRAY16, imp.data[imp.getCurrentSlice() - 1])
        return
    region = filter_region(imp)
    for plane in _planes(imp, whole_stack):
        pm.apply(plane, image_type, pm.INVERT, 0.0, display_range=imp.display_range, signed16=False,
                 region=region)


@command("Invert LUT")
def invert_lut(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """The LUT reversed; the pixels stay.  RGB images have no LUT: ImageJ's error."""
    assert imp is not None
    options.done()
    if imp.getType() == COLOR_RGB:
        raise ScriptError("Invert LUT", None, "RGB images do not use LUTs")
    if imp.lut is None:
        imp.inverted_lut = not imp.inverted_lut
    else:                                   # a palette reversed is "inverted" only if it now darkens
        imp.lut = imp.lut[:, ::-1].copy()
        imp.inverted_lut = is_inverted(imp.lut)


def _value(options: Options, spec: MathCommand) -> float:
    """The ``value=`` field: a number, or for AND/OR/XOR a binary number (``Integer.parseInt(v, 2)``)."""
    if spec.default is None:
        return 0.0
    if isinstance(spec.default, str):
        text = options.text_value("value", spec.default)
        try:
            return float(int(text, 2))
        except ValueError:
            raise ScriptError(options.command, None, "Binary number required") from None
    return options.number("value", spec.default)


def _signed16(cal: Calibration) -> bool:
    """Whether the processor gets the signed table: ``-32768 + 1*raw`` exactly."""
    return cal.function == STRAIGHT_LINE and cal.coefficients is not None \
        and list(cal.coefficients[:2]) == [-32768.0, 1.0]


def _is_stack(imp: ImagePlus, whole_stack: bool) -> bool:
    return whole_stack and imp.getStackSize() > 1


def _planes(imp: ImagePlus, whole_stack: bool) -> list[np.ndarray]:
    """The slices the command changes (writable views): all with ``stack``, else the current one."""
    if not isinstance(imp.data, np.ndarray) or not imp.data.flags.writeable:
        imp.data = np.array(imp.data)       # a virtual stack is read into memory, as ImageJ edits a copy
    if _is_stack(imp, whole_stack):
        return list(imp.data)
    return [imp.data[imp.getCurrentSlice() - 1]]


def filter_region(imp: ImagePlus) -> Region:
    """``PlugInFilterRunner.prepareProcessor``: an area selection's rectangle and mask, else everything."""
    roi = imp.getRoi()
    if roi is None or not roi.isArea():
        return Region(0, 0, imp.getWidth(), imp.getHeight())
    return region_of(roi, imp.getWidth(), imp.getHeight())


def _reciprocal(plane: np.ndarray, region: Region) -> None:
    """``ImageMath`` "reciprocal": 1/v, 0 becomes NaN, on the whole slice; the runner then puts
    back what lies in the selection's rectangle but outside its mask."""
    before = plane.copy()
    with np.errstate(divide="ignore"):
        plane[...] = np.where(plane == 0, np.float32(np.nan), np.float32(1.0) / plane)
    if region.mask is not None:
        window = (slice(region.y, region.y + region.height), slice(region.x, region.x + region.width))
        plane[window][~region.mask] = before[window][~region.mask]
