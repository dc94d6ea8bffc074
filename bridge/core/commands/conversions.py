"""*Image>Type* conversions and *Edit>Options>Conversions...*, as ImageJ 1.53t's ``Converter`` does them.

``8-bit`` from 16/32-bit maps the display range onto 0-255 when "Scale when
converting" is on (clamps otherwise); from RGB it averages the channels
(or weighs them).  ``16-bit`` from 32-bit maps the display range onto
0-65535 when scaling.  ``32-bit`` goes through the calibration, so a CT
image in Hounsfield units keeps its HU values, and shows the calibrated
display range it had.  A value calibration is dropped whenever the bit
depth changes (32-bit keeps the value unit); the selection stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...errors import ScriptError
from .. import typeconvert
from ..calibration import c_value, data_range, f32, set_min_and_max
from ..imagetypes import COLOR_RGB, GRAY8, GRAY16, GRAY32, NONE, STRAIGHT_LINE
from .options import Options
from .registry import command
from .session import Session

if TYPE_CHECKING:
    from ...model import ImagePlus

GRAY_VALUE = "Gray Value"
#: the start of ImageJ's error for a conversion it does not do (RGB stack to 16-bit)
UNSUPPORTED = "Supported Conversions:"


@command("8-bit")
def to_8_bit(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    options.done()
    source = imp.getType()
    if source == GRAY8:
        if imp.lut is not None and not is_pseudo_color(imp.lut):
            _palette_to_gray(imp, session)
        imp.lut = None              # a pseudo-colour LUT becomes grey (inversion kept)
        return
    data = np.stack([typeconvert.to_byte(plane, source, imp.display_range, session.scale_conversions,
                                         session.rgb_weights) for plane in np.asarray(imp.data)])
    _replace(imp, data, GRAY8, (0.0, 255.0))


@command("16-bit")
def to_16_bit(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    options.done()
    source = imp.getType()
    if source == GRAY16:
        return
    stack = imp.getStackSize() > 1
    if stack and source == COLOR_RGB:
        raise ScriptError("16-bit", None, UNSUPPORTED)
    scale = session.scale_conversions and source == GRAY32
    data = np.stack([typeconvert.to_short(plane, source, imp.display_range, scale, session.rgb_weights)
                     for plane in np.asarray(imp.data)])
    if stack and scale:
        # StackConverter sets 0-65535 on each channel through setPosition, which leaves slice 1 current
        imp.current_slice = 1
        _replace(imp, data, GRAY16, (0.0, 65535.0))
    else:
        # the new processor's own range; for a stack, slice 1's (measured: whichever slice is current)
        _replace(imp, data, GRAY16, data_range(GRAY16, data[0]))


@command("32-bit")
def to_32_bit(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    options.done()
    source = imp.getType()
    if source == GRAY32:
        return
    cal = imp.getCalibration()
    lo, hi = (c_value(cal, v) for v in imp.display_range)
    coefficients = cal.coefficients if cal.function == STRAIGHT_LINE else None
    table = typeconvert.calibration_table(source, coefficients)
    data = np.stack([typeconvert.to_float(plane, source, table, session.rgb_weights)
                     for plane in np.asarray(imp.data)])
    display = (f32(lo), f32(hi)) if not (lo == 0.0 and hi == 0.0) else \
        data_range(GRAY32, data[imp.getCurrentSlice() - 1])
    _replace(imp, data, GRAY32, display)


@command("Conversions...", needs_image=False)
def conversions(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """The two checkboxes; a box not named is off (the recorder writes ``" "`` for both off).

    An empty option string changes nothing: ImageJ then shows the dialog,
    which has nobody to answer it.
    """
    if options.text == "":
        return
    scale = options.flag("scale")
    weighted = options.flag("weighted")
    options.done()
    session.scale_conversions = scale
    if not weighted:
        session.rgb_weights = typeconvert.UNWEIGHTED
    elif session.rgb_weights == typeconvert.UNWEIGHTED:
        session.rgb_weights = typeconvert.WEIGHTED


def is_pseudo_color(lut: np.ndarray) -> bool:
    """``ImageProcessor.isPseudoColorLut``: the colours change smoothly from entry to entry.

    The measure is the spread of the steps between neighbouring entries over
    all three channels (below 20, or ImageJ's "3-3-2 RGB" special value 67).
    """
    if lut.shape[1] != 256:
        return False
    steps = np.diff(lut.astype(np.float64), axis=1, prepend=lut[:, :1].astype(np.float64)).T.reshape(-1)
    total, total2 = float(steps.sum()), float((steps * steps).sum())
    spread = (768 * total2 - total * total) / 768.0
    spread = float(np.sqrt(spread / 767.0)) if spread > 0.0 else 0.0
    return spread < 20.0 or int(spread) == 67


def _palette_to_gray(imp: ImagePlus, session: Session) -> None:
    """A colour palette image becomes grey as ImageJ does it: drawn in RGB through the palette, then averaged."""
    lut = imp.lut
    assert lut is not None
    packed = (np.uint32(0xFF000000) | (lut[0].astype(np.uint32) << 16) | (lut[1].astype(np.uint32) << 8)
              | lut[2].astype(np.uint32)).view(np.int32)
    imp.data = np.stack([typeconvert.rgb_to_byte(packed[plane], session.rgb_weights) for plane in np.asarray(imp.data)])
    imp.inverted_lut = False
    imp.display_range = (0.0, 255.0)


def _replace(imp: ImagePlus, data: np.ndarray, image_type: int, display: tuple[float, float]) -> None:
    """The image now holds ``data`` of ``image_type``: ``Calibration.setImage``'s rules, the new range."""
    cal = imp.calibration
    cal.function, cal.coefficients = NONE, None
    if image_type != GRAY32:
        cal.valueUnit = GRAY_VALUE
    imp.data = data
    imp.image_type = image_type
    if image_type != GRAY8:
        imp.lut = None
    imp.display_range = set_min_and_max(image_type, display[0], display[1], data[imp.getCurrentSlice() - 1])
