"""*Process>Binary*: Convert to Mask, Make Binary, Erode, Dilate, Open, Close-, Outline, Fill Holes,
Skeletonize and Options..., as ImageJ 1.53t's ``Thresholder`` and ``Binary`` plugins run them in a macro.

Which value is foreground follows ImageJ's two rules: *Options...*'s "black
background" (white objects on black when on) and the image's LUT (an
inverted LUT swaps them).  Convert to Mask makes 0/255 masks whose LUT is
inverted unless "black background" is on, and leaves ImageJ's invisible
threshold on them (255-255, no LUT update) that later commands read; the
binary operations leave the one matching their foreground.  The pixel work
is :mod:`bridge.core.binary`; the thresholds are :mod:`bridge.core.threshold`'s.

An area selection limits the binary operations as ImageJ's filter runner
limits them (Convert to Mask removes it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from ...errors import ScriptError
from .. import autothreshold, binary, javafmt, typeconvert
from ..statistics import Region, region_of
from .. import threshold as th
from ..imagetypes import COLOR_256, COLOR_RGB, GRAY8, GRAY16, GRAY32, NONE
from .options import Options
from .registry import command
from .session import BinaryOptions, Session

if TYPE_CHECKING:
    from ...model import ImagePlus

#: *Convert Stack to Binary*'s "Background" choices.
BACKGROUNDS = ("Default", "Dark", "Light")
#: *Binary Options*' "EDM output" and "Do" choices.
EDM_OUTPUTS = ("Overwrite", "8-bit", "16-bit", "32-bit")
OPERATIONS = ("Nothing", "Erode", "Dilate", "Open", "Close", "Outline", "Fill Holes", "Skeletonize")
MAX_ITERATIONS = 100
#: The stack dialog's keys: a single image has no dialog, so ImageJ ignores them there (and so do we).
_STACK_KEYS = ("method", "background", "calculate", "only", "slice", "black", "list", "create")


# --- Options... ------------------------------------------------------------------------------------
@command("Options...", needs_image=False)
def binary_options(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """*Process>Binary>Options...*: a macro's absent checkbox is off, an absent number keeps its value."""
    current = session.binary
    iterations = int(options.number("iterations", current.iterations))
    count = int(options.number("count", current.count))
    black, pad = options.flag("black"), options.flag("pad")
    edm = options.choice("edm", EDM_OUTPUTS, current.edm_output)
    operation = options.choice("do", OPERATIONS, "Nothing")
    stack = options.flag("stack")
    options.done()
    session.binary = BinaryOptions(min(max(iterations, 1), MAX_ITERATIONS), min(max(count, 1), 8), black, pad, edm)
    binary_image = imp is not None and imp.getType() in (GRAY8, COLOR_256) and _current_is_binary(imp)
    if operation != "Nothing" and binary_image:
        assert imp is not None
        _run_operation(imp, operation.lower(), stack, session.binary)


# --- the operations ------------------------------------------------------------------------------
def _operation(name: str, arg: str) -> None:
    def run(imp: ImagePlus | None, options: Options, session: Session) -> None:
        assert imp is not None
        stack = options.flag("stack")
        options.done(also_accepted=("slice",))
        _check_binary(imp, name)
        _run_operation(imp, arg, stack, session.binary)
    run.__name__ = run.__qualname__ = arg.replace(" ", "_")
    run.__doc__ = f"*Process>Binary>{name}* on the current slice (every slice with ``stack``)."
    command(name)(run)


for _name, _arg in (("Erode", "erode"), ("Dilate", "dilate"), ("Open", "open"), ("Close-", "close"),
                    ("Outline", "outline"), ("Fill Holes", "fill holes"), ("Skeletonize", "skeletonize")):
    _operation(_name, _arg)


def _check_binary(imp: ImagePlus, name: str) -> None:
    """``Binary.setup``/``showDialog``: 8-bit only, and the current slice black and white only."""
    if imp.getType() not in (GRAY8, COLOR_256):
        raise ScriptError(name, None, f'"{name}" requires an image of type:\n \n\t8-bit grayscale\n\t8-bit color')
    if not _current_is_binary(imp):
        raise ScriptError(name, None, "8-bit binary (black and white only) image required.")


def _current_is_binary(imp: ImagePlus) -> bool:
    return binary.is_binary(np.asarray(imp.data[imp.getCurrentSlice() - 1]))


def _run_operation(imp: ImagePlus, arg: str, stack: bool, settings: BinaryOptions) -> None:
    """``PlugInFilterRunner`` running ``Binary`` on the current slice or every slice (``stack``).

    An area selection limits the work as ImageJ's does (each operation its
    own way, :func:`_plane_operation`); outside a non-rectangular selection's
    mask the pixels of its bounding rectangle are put back (not after
    Skeletonize, which drops the selection first).  One image gets the mask's
    invisible threshold afterwards; a whole stack's slices are copies, so the
    image keeps none.
    """
    roi = imp.getRoi()
    region = region_of(roi if roi is not None and roi.isArea() else None, imp.getWidth(), imp.getHeight())
    whole_stack = stack and imp.getStackSize() > 1
    snapshot = not whole_stack or region.mask is not None     # ImageJ's undo snapshot, which Outline reads
    operation = _plane_operation(arg, imp.isInvertedLut(), settings, snapshot, region)
    slices = range(imp.getStackSize()) if whole_stack else [imp.getCurrentSlice() - 1]
    data = np.array(imp.data, copy=True)
    for n in slices:
        try:
            result = operation(data[n])
        except ValueError as err:           # what ImageJ throws on (a one-pixel-wide Outline)
            raise ScriptError(arg.capitalize(), None, str(err)) from None
        if region.mask is not None and arg != "skeletonize":
            box = (slice(region.y, region.y + region.height), slice(region.x, region.x + region.width))
            result[box][~region.mask] = data[n][box][~region.mask]
        data[n] = result
    imp.data = data
    if not whole_stack:
        set_binary_threshold(imp, settings.black_background)


def _plane_operation(arg: str, inverted_lut: bool, settings: BinaryOptions, snapshot: bool,
                     region: Region) -> Callable[[np.ndarray], np.ndarray]:
    """One slice's work: foreground 255 with "black background", 0 without, swapped by an inverted LUT.

    ``snapshot``: ImageJ took an undo snapshot first; ``region``: the selection's rectangle (the
    whole image without one).  Fill Holes and Skeletonize work on the whole slice, as ImageJ's.
    """
    foreground = 255 if settings.black_background != inverted_lut else 0
    background = 255 - foreground
    count, iterations = settings.count, settings.iterations
    rect = (region.x, region.y, region.width, region.height)

    def repeat(step: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
        def run(plane: np.ndarray) -> np.ndarray:
            area = binary.filtered_area(plane.shape[0], plane.shape[1], *rect)
            for _ in range(iterations):
                plane = np.where(area, step(plane), plane).astype(np.uint8)
            return plane
        return run

    erode = repeat(lambda plane: binary.erode(plane, count, background, settings.pad_edges))
    dilate = repeat(lambda plane: binary.dilate(plane, count, background))
    return {
        "erode": erode, "dilate": dilate,
        "open": lambda plane: dilate(erode(plane)),
        "close": lambda plane: erode(dilate(plane)),
        "outline": lambda plane: _outline(plane, rect, inverted_lut, settings.black_background, snapshot),
        "fill holes": lambda plane: binary.fill_holes(plane, foreground, background),
        "skeletonize": lambda plane: binary.skeletonize(plane, foreground),
    }[arg]


def _outline(plane: np.ndarray, rect: tuple[int, int, int, int], inverted_lut: bool, black_background: bool,
             snapshot: bool) -> np.ndarray:
    """``Binary.outline``: ``BinaryProcessor.outline`` (background white, black with an inverted LUT).

    With "black background" ImageJ inverts the selection's rectangle before
    and after.  With an undo snapshot (one image) the outline reads its
    neighbours from the snapshot, the pixels before the first inversion: so
    ImageJ 1.53t then outlines the original pixels and inverts the result
    inside the one-pixel frame.  A whole stack has no snapshot and gets the
    outline of the objects.
    """
    x, y, w, h = rect
    box = (slice(y, y + h), slice(x, x + w))
    work = plane.copy()
    if black_background:
        work[box] = 255 - work[box]
    source = plane if black_background and snapshot else work
    outlined = binary.outline(source, 0 if inverted_lut else 255)
    area = binary.inner_area(plane.shape[0], plane.shape[1], *rect)
    work[area] = outlined[area]
    if black_background:
        work[box] = 255 - work[box]
    return work


def set_binary_threshold(imp: ImagePlus, black_background: bool) -> None:
    """``ip.setBinaryThreshold()``: the invisible threshold on the mask's foreground (8-bit only)."""
    if imp.getType() != GRAY8:
        return
    level = 0.0 if imp.isInvertedLut() == black_background else 255.0
    th.set_threshold(imp, level, level, th.NO_LUT_UPDATE)


# --- Convert to Mask and Make Binary ------------------------------------------------------------
@command("Convert to Mask")
def convert_to_mask(imp: ImagePlus | None, options: Options, session: Session) -> ImagePlus | None:
    """*Process>Binary>Convert to Mask*: 0/255 from the threshold (or ImageJ's automatic one).

    A stack reads *Convert Stack to Binary*'s keys; with ``create`` the masks
    are a new image (returned) and the stack is left as it was.
    """
    assert imp is not None
    if imp.getStackSize() > 1:
        return _convert_stack(imp, _StackDialog.read(options), session)
    options.done(also_accepted=_STACK_KEYS)
    _apply_threshold(imp, False, session.binary.black_background, session.rgb_weights)
    return None


@command("Make Binary")
def make_binary(imp: ImagePlus | None, options: Options, session: Session) -> ImagePlus | None:
    """*Process>Binary>Make Binary*: in a macro, Convert to Mask (its legacy dialog is not ported)."""
    assert imp is not None
    if options.has("thresholded") or options.has("remaining"):
        raise ScriptError("Make Binary", None, 'the legacy "thresholded remaining" options are not supported')
    return convert_to_mask(imp, options, session)


@dataclass(frozen=True)
class _StackDialog:
    """*Convert Stack to Binary*'s fields as a macro sets them (an absent checkbox is off)."""

    method: str
    background: str
    calculate: bool
    one_slice: bool
    black_background: bool
    list_thresholds: bool
    create: bool

    @classmethod
    def read(cls, options: Options) -> _StackDialog:
        dialog = cls(options.choice("method", autothreshold.METHODS, "Default"),
                     options.choice("background", BACKGROUNDS, "Default"),
                     options.flag("calculate"), options.flag("only") or options.flag("slice"),
                     options.flag("black"), options.flag("list"), options.flag("create"))
        options.done()
        if dialog.one_slice:                # "only convert current image" switches the others off
            dialog = replace(dialog, calculate=False, list_thresholds=False, create=False)
        return dialog


def _convert_stack(imp: ImagePlus, dialog: _StackDialog, session: Session) -> ImagePlus | None:
    """``Thresholder.convertStack`` in a macro ("black" holds only for this run)."""
    threshold_was_set = imp.isThreshold()
    if dialog.one_slice and imp.getBitDepth() != 8:
        raise ScriptError("Convert to Mask", None, "8-bit stack required to process a single slice.")
    target = _mask_copy(imp) if dialog.create else imp
    if dialog.calculate:
        _convert_stack_to_binary(target, dialog, session.rgb_weights)
    else:
        _apply_threshold(target, dialog.one_slice, dialog.black_background, session.rgb_weights)
    if dialog.create:
        return target
    if threshold_was_set and imp.lut_update != th.NO_LUT_UPDATE:
        th.reset_threshold(imp)
    return None


def _mask_copy(imp: ImagePlus) -> ImagePlus:
    """"Create new stack": ``imp.duplicate()`` titled ``MASK_...``, with the threshold (red) and slice."""
    from .geometry import duplicate_whole          # geometry imports the model at module level
    copy = duplicate_whole(imp)
    copy.backend = imp.backend
    copy.title = copy.title.replace("DUP_", "MASK_")
    if th.has_threshold(imp):
        th.set_threshold(copy, imp.min_threshold, imp.max_threshold, th.RED_LUT)
    copy.setSlice(imp.getCurrentSlice())
    return copy


def _apply_threshold(imp: ImagePlus, one_slice: bool, black_background: bool,
                     rgb_weights: tuple[float, float, float]) -> None:
    """``Thresholder.applyThreshold`` with ``convertToMask``: every slice by the current slice's threshold."""
    imp.deleteRoi()
    if imp.min_threshold == imp.max_threshold and imp.lut_update == th.NO_LUT_UPDATE:
        th.reset_threshold(imp)             # resetBinaryThreshold: a mask's invisible threshold goes
    if imp.getType() in (GRAY16, GRAY32):
        _apply_short_or_float_threshold(imp, black_background)
        return
    if imp.getType() == COLOR_RGB:
        _rgb_to_grey(imp, rgb_weights)
    current = np.asarray(imp.data[imp.getCurrentSlice() - 1])
    if th.has_threshold(imp):
        lower, upper = imp.min_threshold, imp.max_threshold
    else:
        lower, upper = th.legacy_levels(th.byte_histogram(current), imp.isInvertedLut())
    if imp.lut is not None:                  # a colour LUT becomes the default grey one
        imp.lut = None
        imp.image_type = GRAY8
    th.reset_threshold(imp)
    levels = np.arange(256)
    table = np.where((levels >= lower) & (levels <= upper), 255, 0).astype(np.uint8)
    data = np.array(imp.data, copy=True)
    if imp.getStackSize() > 1 and not one_slice:
        data = table[data]
    else:
        data[imp.getCurrentSlice() - 1] = table[data[imp.getCurrentSlice() - 1]]
    imp.data = data
    if not one_slice and imp.isInvertedLut() == black_background:
        imp.inverted_lut = not imp.inverted_lut
    th.set_threshold(imp, 255.0, 255.0, th.NO_LUT_UPDATE)


def _rgb_to_grey(imp: ImagePlus, weights: tuple[float, float, float]) -> None:
    """``Thresholder.convertToByte`` of RGB slices: ``TypeConverter``'s grey (``Conversions...``' weights)."""
    imp.data = np.stack([typeconvert.rgb_to_byte(np.asarray(plane), weights) for plane in imp.data])
    imp.image_type = GRAY8
    imp.display_range = (0.0, 255.0)
    imp.inverted_lut = False


def _apply_short_or_float_threshold(imp: ImagePlus, black_background: bool) -> None:
    """16- and 32-bit: a new 8-bit stack, 255 where ``t1 <= value <= t2`` (compared as Java floats)."""
    if th.has_threshold(imp):
        t1, t2 = np.float32(imp.min_threshold), np.float32(imp.max_threshold)
    else:
        low, high = _processor_min_max(imp)
        current = np.asarray(imp.data[imp.getCurrentSlice() - 1])
        lower, upper = th.legacy_levels(th.byte_histogram(th.to_byte(current, imp.getType(), low, high)),
                                        imp.isInvertedLut())
        t1 = np.float32(low + (high - low) * (lower / 255.0))
        t2 = np.float32(low + (high - low) * (upper / 255.0))
    values = np.asarray(imp.data).astype(np.float32)
    _become_mask(imp, np.where((values >= t1) & (values <= t2), 255, 0).astype(np.uint8), not black_background)


def _processor_min_max(imp: ImagePlus) -> tuple[float, float]:
    low, high = imp.display_range
    if imp.getType() == GRAY16:
        return float(autothreshold.java_int(low)), float(autothreshold.java_int(high))
    return float(low), float(high)


def _convert_stack_to_binary(imp: ImagePlus, dialog: _StackDialog, rgb_weights: tuple[float, float, float]) -> None:
    """``convertStackToBinary`` ("calculate threshold for each image"): each slice by its own threshold.

    16-bit, 32-bit and RGB slices are first made 8-bit (each scaled from its
    own min and max; RGB through the grey weights).  "List thresholds" logs
    each slice's levels, scaled back to the slice's range for 16 and 32 bits.
    """
    image_type = imp.getType()
    if dialog.list_thresholds:
        print(f"Thresholding method: {dialog.method}")
    inverted = imp.isInvertedLut() if image_type == GRAY8 else False
    masks = []
    for n in range(imp.getStackSize()):
        plane, low, high = _slice_as_bytes(np.asarray(imp.data[n]), image_type, rgb_weights)
        lower, upper = _stack_slice_levels(th.byte_histogram(plane), dialog, inverted)
        if dialog.list_thresholds:
            _log_levels(n + 1, lower, upper, low, high, image_type)
        masks.append(np.where((plane >= lower) & (plane <= upper), 255, 0).astype(np.uint8))
    _become_mask(imp, np.stack(masks), not dialog.black_background)


def _slice_as_bytes(plane: np.ndarray, image_type: int,
                    rgb_weights: tuple[float, float, float]) -> tuple[np.ndarray, float, float]:
    """``ip.resetMinAndMax(); ip.convertToByte(true)``, and the min and max (0-255 for 8-bit and RGB)."""
    if image_type == COLOR_RGB:
        return typeconvert.rgb_to_byte(plane, rgb_weights), 0.0, 255.0
    if image_type in (GRAY8, COLOR_256):
        return plane, 0.0, 255.0
    low, high = th.slice_min_max(plane, image_type)
    return th.to_byte(plane, image_type, low, high), low, high


def _stack_slice_levels(histogram: np.ndarray, dialog: _StackDialog, inverted: bool) -> tuple[float, float]:
    """The 8-bit slice's ``setAutoThreshold``: ImageJ's legacy one for Default/Default, else the method."""
    if dialog.method == "Default" and dialog.background == "Default":
        return th.legacy_levels(histogram, inverted)
    level = autothreshold.get_threshold(dialog.method, histogram)
    dark = dialog.background != "Light"
    lower, upper = (level + 1.0, 255.0) if dark != inverted else (0.0, float(level))
    return min(lower, 255.0), upper


def _log_levels(number: int, lower: float, upper: float, low: float, high: float, image_type: int) -> None:
    """"List thresholds": ``IJ.log("  n: t1-t2")``, scaled back to 16/32-bit values, 2 decimals for 32-bit."""
    if image_type not in (GRAY8, COLOR_256):
        lower = low + (lower / 255.0) * (high - low)
        upper = low + (upper / 255.0) * (high - low)
    digits = 2 if image_type == GRAY32 else 0
    print(f"  {number}: {javafmt.d2s(lower, digits)}-{javafmt.d2s(upper, digits)}")


def _become_mask(imp: ImagePlus, masks: np.ndarray, inverted_lut: bool) -> None:
    """``imp.setStack`` with the new 8-bit masks (a grey LUT, inverted unless "black background"),
    the calibration's value function dropped."""
    imp.data = masks
    imp.image_type = GRAY8
    imp.lut = None
    imp.inverted_lut = inverted_lut
    imp.calibration = replace(imp.calibration, function=NONE, coefficients=None, valueUnit="Gray Value")
    imp.display_range = (0.0, 255.0)
    imp.deleteRoi()
    th.set_threshold(imp, 255.0, 255.0, th.NO_LUT_UPDATE)
