"""*Process>Subtract Background...* as ImageJ 1.53t's ``BackgroundSubtracter`` runs it in a macro.

The rolling ball itself is :mod:`bridge.core.background`; this module reads
the dialog's keys (``rolling=50 light separate create sliding disable stack``;
old macros' ``white`` means ``light``), runs the ball (or with ``sliding``
:mod:`bridge.core.paraboloid`'s paraboloid) on each gray slice or RGB
channel (or, for RGB without ``separate``, on the HSB brightness) and writes
the result back with ImageJ's rounding.  Like ImageJ, it works on the whole
slice whatever the selection, and resets the display range afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ...errors import ScriptError
from .. import background as bg
from .. import paraboloid
from ..imagetypes import COLOR_RGB, GRAY8, GRAY16, GRAY32
from ..threshold import slice_min_max
from .options import Options
from .registry import command
from .session import Session

if TYPE_CHECKING:
    from ...model import ImagePlus

COMMAND = "Subtract Background..."


@dataclass(frozen=True)
class Settings:
    """The dialog's fields as a macro sets them (ImageJ's macro defaults: radius 50, every box off)."""

    radius: float = 50.0
    light: bool = False
    separate: bool = False
    create: bool = False
    paraboloid: bool = False
    presmooth: bool = True


def _read(options: Options, is_rgb: bool) -> Settings:
    """``showDialog`` + ``dialogItemChanged``: a radius of 0.0001 or less stops the reading of the boxes."""
    radius = options.number("rolling", 50.0)
    light = options.flag("light") or options.flag("white")
    separate = options.flag("separate")
    create = options.flag("create")
    sliding = options.flag("sliding")
    disable = options.flag("disable")
    if radius <= 0.0001:
        return Settings(radius)
    return Settings(radius, light, separate and is_rgb, create, sliding, not disable)


@command(COMMAND)
def subtract_background(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """Subtract (or with ``create``, show) the rolling-ball background of the current slice or every slice."""
    assert imp is not None
    image_type = imp.getType()
    settings = _read(options, image_type == COLOR_RGB)
    every_slice = options.flag("stack") and imp.getStackSize() > 1
    options.done(also_accepted=("separate",))        # ImageJ's dialog has "separate" only for RGB
    _check_size(imp, settings.radius)
    slices = range(imp.getStackSize()) if every_slice else [imp.getCurrentSlice() - 1]
    invert = imp.isInvertedLut() != settings.light if image_type != COLOR_RGB else settings.light
    data = np.array(imp.data, copy=True)
    for n in slices:
        data[n] = _slice(data[n], image_type, settings, invert)
    imp.data = data
    _reset_display_range(imp)


def _check_size(imp: ImagePlus, radius: float) -> None:
    """A shrunk image needs two pixels each way to be enlarged again (ImageJ throws an index exception)."""
    factor = bg.RollingBall.of_radius(radius).shrink_factor
    if factor > 1 and min(imp.getWidth(), imp.getHeight()) <= factor:
        raise ScriptError(COMMAND, None, f"the image is too small for a rolling ball of radius {radius:g} "
                                         "(ImageJ fails with an array index error)")


def _slice(pixels: np.ndarray, image_type: int, settings: Settings, invert: bool) -> np.ndarray:
    """One slice: gray, each RGB channel (``separate``), or the RGB brightness."""
    if image_type == COLOR_RGB and not settings.separate:
        hue, saturation, brightness = bg.rgb_to_hsb_bytes(pixels)
        new_brightness = _channel(brightness, GRAY8, settings, settings.light)
        return bg.hsb_bytes_to_rgb(hue, saturation, new_brightness)
    if image_type == COLOR_RGB:
        out = pixels.astype(np.int64)
        for shift in (16, 8, 0):
            channel = _channel((out >> shift) & 0xFF, GRAY8, settings, invert)
            out = (out & ~(0xFF << shift)) | (channel << shift)
        return out.astype(np.uint32).view(np.int32)
    result = _channel(pixels, image_type, settings, invert)
    return result.astype(pixels.dtype)


def _channel(values: np.ndarray, image_type: int, settings: Settings, invert: bool) -> np.ndarray:
    """``rollingBallBackground`` for one channel: the new values (float32 for 32-bit, else whole numbers)."""
    floats = values.astype(np.float32)
    algorithm = paraboloid.background if settings.paraboloid else bg.background
    background = algorithm(floats, settings.radius, invert, settings.presmooth)
    if image_type == GRAY32:
        return background if settings.create else (floats - background).astype(np.float32)
    top = 65535 if image_type == GRAY16 else 255
    if settings.create:         # setPixels(channel, fp): + 0.5, clamped, truncated
        with np.errstate(all="ignore"):
            shifted = background + np.float32(0.5)
        clamped = np.where(shifted < 0, np.float32(0), np.where(shifted > top, np.float32(top), shifted))
        return np.asarray(np.trunc(np.nan_to_num(clamped, nan=0.0)), dtype=np.int64)
    return bg.subtract(values, background, invert, top)


def _reset_display_range(imp: ImagePlus) -> None:
    """The ``final`` step: ``imp.getProcessor().resetMinAndMax()`` (8-bit and RGB: 0-255)."""
    image_type = imp.getType()
    if image_type in (GRAY16, GRAY32):
        imp.display_range = slice_min_max(np.asarray(imp.data[imp.getCurrentSlice() - 1]), image_type)
    elif image_type in (GRAY8, COLOR_RGB):
        imp.display_range = (0.0, 255.0)
