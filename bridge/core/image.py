"""``DICOM.open`` after the header walk: FileInfo + pixels -> ImagePlus.

The order of the steps matters because ImageJ's quirks compound: the window
is converted through the calibration *before* ImageJ drops the calibration
of 32-bit and RGB images, and a stack's display range is applied a second
time when ``DICOM`` adopts the stack (``ImagePlus.setStack``), which resets
a 16-bit (0, 0) range.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import numpy as np

from ..errors import CorruptHeaderError, TruncatedError
from ..model import COLOR_RGB, GRAY8, GRAY16, GRAY32, NONE, Calibration, ImagePlus
from . import calibration as cal_rules
from . import pixels
from .fileinfo import (COLOR8, GRAY8 as FILE_GRAY8, GRAY16_SIGNED, GRAY16_UNSIGNED,
                       GRAY32_FLOAT, GRAY32_INT, GRAY32_UNSIGNED, RGB, RGB_PLANAR, FileInfo)
from .walker import ImageJThrewError

#: ImagePlus type for each FileInfo type (a palette image is GRAY8 with a colour LUT)
MODEL_TYPE = {FILE_GRAY8: GRAY8, COLOR8: GRAY8, GRAY16_SIGNED: GRAY16, GRAY16_UNSIGNED: GRAY16,
              GRAY32_INT: GRAY32, GRAY32_UNSIGNED: GRAY32, GRAY32_FLOAT: GRAY32,
              RGB: COLOR_RGB, RGB_PLANAR: COLOR_RGB}

UNDECODABLE = "Unable to decode DICOM header."
#: ``IJ.getErrorMessage()`` after DICOM.open ran "32-bit" on the null image of a failed read
NO_IMAGES = "There are no images open"


def check_decodable(fi: FileInfo | None, path: str) -> FileInfo:
    """``DICOM.open`` builds an image only with a width, a height and a pixel offset."""
    if fi is None or fi.width <= 0 or fi.height <= 0 or fi.offset <= 0:
        raise CorruptHeaderError("no image in the header (no Pixel Data, Rows or Columns)", path,
                                 imagej_message=UNDECODABLE)
    if fi.file_type not in MODEL_TYPE:
        raise CorruptHeaderError(f"unsupported FileInfo type {fi.file_type}", path)
    return fi


#: Where a file's pixels should go, given its FileInfo and the stack shape it reads as; None: a new array.
Destination = Callable[[FileInfo, tuple[int, int, int]], "np.ndarray | None"]


def read_stack(f: io.BufferedIOBase, fi: FileInfo, path: str, *, validate: bool,
               destination: Destination | None = None) -> np.ndarray:
    """The pixels of ``fi`` from the open file ``f``, with ``FileOpener``'s checks.

    ``validate`` is off for zip entries: ImageJ reads them from a stream and
    never compares the offset with a length.  ``destination`` is asked, once
    the checks passed, for an array to read into (a series' stack slots).
    """
    length = os.fstat(f.fileno()).st_size
    present = max(0, length - fi.offset)
    message = pixels.validation_error(fi, length) if validate else None
    if message is None and pixels.planar_frame_fails(fi, present):
        message = ""   # ImageJ's reader logs an EOFException and returns null
    if message is not None:
        # ImageJ then throws a NullPointerException from DICOM.open, out of IJ.openImage.  What
        # IJ.getErrorMessage() holds after it: "There are no images open" when Rescale Slope != 1
        # made DICOM.open run "32-bit" on the missing image, else FileOpener's message, if any.
        if cal_rules.opens_as_float(fi):
            message = NO_IMAGES
        raise TruncatedError("pixel data shorter than the header declares", path,
                             imagej_message=message or None, thrown=null_image_message(fi))
    pixels.check_size(fi, present, path)
    out = destination(fi, pixels.stack_shape(fi, present)) if destination is not None else None
    return pixels.read_pixels(f, fi, present, out)


def null_image_message(fi: FileInfo) -> str:
    """The NullPointerException ``DICOM.open`` throws when FileOpener returned no image.

    Its text names the first ``imp`` method reached, which depends on the
    calibration and window branches; ``Opener.openZip`` shows it as the message.
    """
    signed = fi.file_type == GRAY16_SIGNED
    calibrates = fi.rescale_intercept != 0.0 and (
        fi.rescale_slope == 1.0 or (not signed and fi.file_type == FILE_GRAY8))
    reached = "getStackSize"
    if not cal_rules.opens_as_float(fi) and (calibrates or fi.window_width > 0.0):
        reached = "getCalibration"
    return f'java.lang.NullPointerException: Cannot invoke "ij.ImagePlus.{reached}()" because "imp" is null'


def assemble(fi: FileInfo, info: str | None, title: str, stack: np.ndarray, path: str) -> ImagePlus:
    """The ImagePlus ``DICOM.open`` leaves, from the header's FileInfo and the raw stack.

    ``path`` names the file in the error ImageJ throws for an oversized palette.
    """
    image_type = MODEL_TYPE[fi.file_type]
    cal = cal_rules.spatial(fi)
    lut = cal_rules.base_lut(fi)
    as_float = cal_rules.opens_as_float(fi)
    display = _WINDOW_DECIDES if _window_decides(fi, image_type, as_float) else \
        cal_rules.opened_range(image_type, stack)
    current = 0          # the slice whose processor the window goes to
    if as_float:
        if stack.shape[0] > 1:     # StackConverter takes each slice with the stack's display range
            _check_palette_size(fi, image_type, *display, path)
        stack, display, current = _rescale_to_float(stack, image_type, cal, display, fi)
        image_type = GRAY32
        cal.function, cal.coefficients, cal.valueUnit = NONE, None, cal_rules.GRAY_VALUE
    else:
        cal_rules.rescale_function(cal, fi)
    if fi.window_width > 0.0:
        lo = fi.window_center - fi.window_width / 2
        hi = fi.window_center + fi.window_width / 2
        if not as_float:
            lo, hi = cal_rules.raw_value(cal, lo), cal_rules.raw_value(cal, hi)
        _check_palette_size(fi, image_type, lo, hi, path)
        display = _set_min_and_max(image_type, lo, hi, stack[current], display)
    if stack.shape[0] > 1:
        _check_palette_size(fi, image_type, *display, path)
        display = _adopt_stack(image_type, display, stack)
    cal_rules.settle(cal, image_type)
    return ImagePlus(
        title=title, data=stack, image_type=image_type, info=info,
        labels=[None] * stack.shape[0], calibration=cal, display_range=display,
        inverted_lut=image_type != COLOR_RGB and cal_rules.is_inverted(lut),
        lut=lut if image_type == GRAY8 and cal_rules.is_color(lut) else None,
        file_info=file_info(fi))


#: A placeholder for the opened range where the window replaces it unread (:func:`_window_decides`).
_WINDOW_DECIDES: cal_rules.Range = (0.0, 0.0)


def _window_decides(fi: FileInfo, image_type: int, as_float: bool) -> bool:
    """Whether the window sets the display range of a 16/32-bit image whatever the data range was.

    ``FileOpener`` finds the data range and the window then overwrites it:
    a 16/32-bit processor's ``setMinAndMax`` never reads the old range.
    Skipped, that pass over every pixel (two numpy reductions, about 7% of
    a series' open) is not paid for nothing.
    """
    return fi.window_width > 0.0 and not as_float and image_type in (GRAY16, GRAY32)


def file_info(fi: FileInfo) -> dict[str, object]:
    """The ``getOriginalFileInfo()`` essentials the jvm adapter reports too."""
    return {"fileFormat": fi.file_format, "fileName": fi.file_name, "directory": fi.directory,
            "fileType": fi.file_type, "offset": fi.offset, "intelByteOrder": fi.little_endian}


def _set_min_and_max(image_type: int, lo: float, hi: float, plane: np.ndarray,
                     display: cal_rules.Range) -> cal_rules.Range:
    """``ip.setMinAndMax`` on one slice's processor, rewriting the pixels of an RGB one."""
    new_display = cal_rules.set_min_and_max(image_type, lo, hi, plane, current=display)
    if image_type == COLOR_RGB:
        cal_rules.apply_rgb_window(plane, lo, hi)
    return new_display


def _check_palette_size(fi: FileInfo, image_type: int, lo: float, hi: float, path: str) -> None:
    """A palette of more than 256 entries makes ``ByteProcessor.setMinAndMax`` throw.

    It copies the colour model into 256-entry arrays the first time it
    remaps (any call but one with ``hi < lo``), and ``IndexColorModel.getReds``
    overruns them; the exception escapes ``IJ.openImage``.
    """
    if (image_type == GRAY8 and fi.lut is not None and len(fi.lut[0]) > 256 and not hi < lo):
        raise ImageJThrewError(f"ImageJ cannot remap its {len(fi.lut[0])}-entry palette", path,
                               "java.lang.ArrayIndexOutOfBoundsException", "Index 256 out of bounds for length 256")


def _adopt_stack(image_type: int, display: cal_rules.Range, stack: np.ndarray) -> cal_rules.Range:
    """``DICOM.setStack``: slice 1 gets a fresh processor, given the old range once more.

    A fresh ColorProcessor ignores the stack's range and shows 0-255.
    """
    if image_type == COLOR_RGB:
        return 0.0, 255.0
    return cal_rules.set_min_and_max(image_type, display[0], display[1], stack[0])


def _rescale_to_float(stack: np.ndarray, image_type: int, cal: Calibration, display: cal_rules.Range,
                      fi: FileInfo) -> tuple[np.ndarray, cal_rules.Range, int]:
    """The GUI result of "32-bit", "Multiply..." and "Add..." (§4.3, path 1).

    One image keeps the range it had before scaling (converted through the
    calibration); a stack shows the range of slice ``n/2`` after scaling.
    Both keep their LUT: the converted processors inherit the colour model.
    Returns the values, the display range and the slice the window goes to.
    """
    values = cal_rules.to_float(stack, image_type, cal)
    n = values.shape[0]
    if n == 1:
        if image_type != GRAY32:
            lo, hi = cal_rules.c_value(cal, display[0]), cal_rules.c_value(cal, display[1])
            display = cal_rules.set_min_and_max(GRAY32, lo, hi, values[0])
        cal_rules.multiply_add(values, fi.rescale_slope, fi.rescale_intercept)
        return values, display, 0
    cal_rules.multiply_add(values, fi.rescale_slope, fi.rescale_intercept)
    current = n // 2 - 1
    lo, hi = cal_rules.finite_range(values[current])
    display = cal_rules.set_min_and_max(GRAY32, lo, hi, values[current])
    return values, display, current

