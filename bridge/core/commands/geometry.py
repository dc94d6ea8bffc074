"""*Image* geometry commands: Duplicate..., Crop, Canvas Size..., Translate..., the flips and rotations,
Scale... and *Edit>Selection>Specify...*, with ImageJ 1.53t's option keys and rules.

Each command follows its ImageJ plugin (``Duplicator``, ``Resizer("crop")``,
``CanvasResizer``, ``Translator``, ``Transformer``, ``Rotator``, ``Scaler``,
``SpecifyROI``) step by step; the pixel work is :mod:`bridge.core.transforms`.
What a PlugInFilter does with a selection is kept: the flips, *Translate...*
and *Rotate...* change only the selection's bounding rectangle (*Rotate...*
restores the pixels outside a non-rectangular selection), and a filter
changes only the current slice unless the ``stack`` box is on.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from ...errors import ScriptError
from ...model import ImagePlus
from .. import calibration as cal_rules
from .. import roi as rois
from .. import shapebounds
from .. import transforms
from ..imagetypes import COLOR_RGB, GRAY8, GRAY16, GRAY32
from ..javamath import java_div
from ..roi import Rectangle
from .options import Options
from .registry import command
from .session import Session

_POSITIONS = ("Top-Left", "Top-Center", "Top-Right", "Center-Left", "Center", "Center-Right",
              "Bottom-Left", "Bottom-Center", "Bottom-Right")


# --- what the commands share ------------------------------------------------------------
def area_bounds(imp: ImagePlus) -> Rectangle:
    """The processor's rectangle (``ip.getRoi()``): an area selection's bounds clipped to the image, else all of it.

    ImageJ gives a processor the bounds of area selections only (lines and
    points leave it whole); bounds wholly outside clip to an empty rectangle.
    """
    width, height = imp.getWidth(), imp.getHeight()
    roi = imp.getRoi()
    if roi is None or not roi.isArea():
        return Rectangle(0, 0, width, height)
    b = roi.getBounds()
    x0, y0 = max(b.x, 0), max(b.y, 0)
    x1, y1 = min(b.x + b.width, width), min(b.y + b.height, height)
    if x1 <= x0 or y1 <= y0:
        return Rectangle(0, 0, 0, 0)
    return Rectangle(x0, y0, x1 - x0, y1 - y0)


def crossing(imp: ImagePlus, roi: rois.Roi) -> bool:
    """Whether the selection's bounds reach past the image (ImageJ then works on its intersection with it)."""
    b = roi.getBounds()
    return b.x < 0 or b.y < 0 or b.x + b.width > imp.getWidth() or b.y + b.height > imp.getHeight()


def intersection_bounds(imp: ImagePlus) -> Rectangle:
    """The bounds of the area selection's intersection with the image (``ShapeRoi.and``), as *Crop* cuts.

    A rectangle gives its clipped bounds; an oval the pixels of its mask that
    lie on the image (``OvalRoi.getPolygon`` traces them); a polygon what
    Java's ``Area`` makes of it (:mod:`bridge.core.shapebounds`), which can be
    a pixel off the exact clipped outline's, and even reach past the image.
    """
    roi = imp.getRoi()
    if roi is None or not roi.isArea() or not crossing(imp, roi) or roi.getType() == rois.RECTANGLE:
        return area_bounds(imp)
    width, height = imp.getWidth(), imp.getHeight()
    b = roi.getBounds()
    if isinstance(roi, rois.PolygonRoi):
        return shapebounds.polygon_on_image_bounds(roi.xpoints, roi.ypoints, width, height)
    mask = roi.getMask()
    assert mask is not None
    on_image = np.zeros_like(mask)
    x0, y0 = max(b.x, 0), max(b.y, 0)
    x1, y1 = min(b.x + b.width, width), min(b.y + b.height, height)
    if x1 > x0 and y1 > y0:
        on_image[y0 - b.y:y1 - b.y, x0 - b.x:x1 - b.x] = mask[y0 - b.y:y1 - b.y, x0 - b.x:x1 - b.x]
    rows, cols = np.flatnonzero(on_image.any(axis=1)), np.flatnonzero(on_image.any(axis=0))
    if rows.size == 0:
        return Rectangle(0, 0, 0, 0)
    return Rectangle(b.x + int(cols[0]), b.y + int(rows[0]), int(cols[-1] - cols[0]) + 1, int(rows[-1] - rows[0]) + 1)


def filter_slices(imp: ImagePlus, options: Options) -> list[int]:
    """The 0-based slices a PlugInFilter changes: all with the ``stack`` box (``IJ.setupDialog``), else the current one."""
    whole_stack = options.flag("stack")     # read always: ImageJ asks only for a stack, ignores it otherwise
    if imp.getStackSize() > 1 and whole_stack:
        return list(range(imp.getStackSize()))
    return [imp.getCurrentSlice() - 1]


def unique_name(imp: ImagePlus, name: str) -> str:
    """``WindowManager.getUniqueName(imp, name)`` with no other image open: ``name-1.ext``.

    A trailing ``-N`` is replaced (not extended) only on an image that is
    itself a duplicate (ImageJ's "UniqueName" property), so duplicating
    "CT_small-1.dcm" gives "CT_small-1.dcm" again.
    """
    stem, extension = name, ""
    dot = stem.rfind(".")
    if dot != -1 and len(stem) - dot < 6 and dot != len(stem) - 1:
        stem, extension = stem[:dot], stem[dot:]
    dash = stem.rfind("-") if imp.getProp("UniqueName") is not None else -1
    if dash != -1 and len(stem) - dash < 4 and dash < len(stem) - 1 and stem[dash + 1].isdigit() \
            and stem[dash + 1] != "0":
        stem = stem[:dash]
    return f"{stem}-1{extension}"


def _new_image(imp: ImagePlus, title: str, data: np.ndarray, labels: list[str | None],
               display_range: tuple[float, float]) -> ImagePlus:
    """``imp.createImagePlus()`` given pixels: type, calibration, Info, properties and LUT carried over."""
    file_info = dict(imp.file_info)
    if file_info:
        file_info["directory"] = None
    return ImagePlus(title=title, data=data, image_type=imp.image_type, info=imp.info, labels=labels,
                 calibration=copy.deepcopy(imp.calibration), display_range=display_range,
                 inverted_lut=imp.inverted_lut, lut=None if imp.lut is None else imp.lut.copy(),
                 file_info=file_info, properties=dict(imp.properties))


def _copied_range(imp: ImagePlus) -> tuple[float, float]:
    """A copy's display range: the original's (an RGB copy shows 0-255, its fresh ColorProcessor's)."""
    return (0.0, 255.0) if imp.image_type == COLOR_RGB else imp.display_range


def _crop(planes: np.ndarray, r: Rectangle) -> np.ndarray:
    """``ip.setRoi(r); ip.crop()``: the part of ``r`` on the image (ImageJ clips the rectangle), a copy."""
    r = _on_image(r, planes.shape[2], planes.shape[1])
    return planes[:, r.y:r.y + r.height, r.x:r.x + r.width].copy()   # a copy, never a view of the original


def _on_image(r: Rectangle, width: int, height: int) -> Rectangle:
    """``ImageProcessor.setRoi(Rectangle)``: the rectangle clipped to the image."""
    x0, y0 = max(r.x, 0), max(r.y, 0)
    x1, y1 = min(r.x + r.width, width), min(r.y + r.height, height)
    return Rectangle(x0, y0, max(x1 - x0, 0), max(y1 - y0, 0))


def _resized_crop(imp: ImagePlus, r: Rectangle) -> np.ndarray:
    """*Crop*'s ``StackProcessor.resize``: the part of ``r`` on the image, scaled (nearest) to ``r``'s size.

    The two differ only where ImageJ's intersection reaches past the image
    (:mod:`bridge.core.shapebounds`); then ImageJ stretches what is there.
    """
    source = _on_image(r, imp.getWidth(), imp.getHeight())
    if (source.width, source.height) == (r.width, r.height):
        return _crop(imp.data, r)
    return np.stack([transforms.resize(plane, imp.image_type, source, r.width, r.height, transforms.NONE, False)
                     for plane in imp.data])


# --- Duplicate... and ImagePlus.duplicate()/crop() ------------------------------------------
def duplicate_slices(imp: ImagePlus, first: int = 1, last: int | None = None) -> ImagePlus:
    """``new Duplicator().run(imp[, first, last])``: the slices cropped to the area selection, titled ``DUP_``.

    A one-slice image is :func:`crop_slice`.  The whole stack is cut to the
    selection's intersection with the image (``cropRoi``), a range of it to
    the selection's clipped bounds, as ImageJ's two methods do.
    """
    n = imp.getStackSize()
    if n == 1:
        return crop_slice(imp)
    r = intersection_bounds(imp) if last is None else area_bounds(imp)
    last = n if last is None else last
    data = _crop(imp.data[first - 1:last], r)
    created = _new_image(imp, f"DUP_{imp.title}", data, list(imp.labels[first - 1:last]), _copied_range(imp))
    if imp.dimensions is not None and (first, last) == (1, n):
        created.dimensions = imp.dimensions
    return created


def crop_slice(imp: ImagePlus) -> ImagePlus:
    """``new Duplicator().crop(imp)`` (``imp.crop()``): the current slice cropped to the area selection.

    A stack slice's label goes along: a long DICOM header becomes the Info,
    anything else the "Slice_Label" property.
    """
    r = area_bounds(imp)
    index = imp.getCurrentSlice() - 1
    data = _crop(imp.data[index:index + 1], r)
    created = _new_image(imp, f"DUP_{imp.title}", data, [None], _copied_range(imp))
    label = imp.labels[index] if imp.getStackSize() > 1 else None
    if label is not None:
        if len(label) > 250 and label.find("\n") > 0 and "0002," in label:
            created.info = label
        else:
            created.setProp("Slice_Label", label)
    return created


def duplicate_whole(imp: ImagePlus) -> ImagePlus:
    """``imp.duplicate()``: every slice, the selection ignored."""
    saved = imp.getRoi()
    imp.deleteRoi()
    try:
        return duplicate_slices(imp)
    finally:
        imp.roi = saved


def _slice_range(text: str, n: int) -> tuple[int, int]:
    """The "Range:" field: ``Tools.split(text, " -")``, unparsable ends at the stack's ends, clamped."""
    parts = [p for p in text.replace("-", " ").split(" ") if p]
    first, last = 1.0, float(n)
    if parts:
        first = _parse(parts[0])
        last = _parse(parts[1]) if len(parts) == 2 else math.nan
    a = 1 if math.isnan(first) else int(first)
    b = n if math.isnan(last) else int(last)
    a, b = max(a, 1), min(b, n)
    return (1, n) if a > b else (a, b)


def _parse(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


@command("Duplicate...")
def duplicate(imp: ImagePlus | None, options: Options, session: Session) -> ImagePlus:
    """*Image>Duplicate...*: ``title``, ``ignore`` (selection), ``duplicate`` (stack), ``range=a-b``."""
    assert imp is not None
    roi = imp.getRoi()
    if roi is not None:
        b = roi.getBounds()
        if b.x >= imp.getWidth() or b.y >= imp.getHeight() or b.x + b.width <= 0 or b.y + b.height <= 0:
            raise ScriptError("Duplicate...", None, "Roi is outside image")
    if imp.getNChannels() > 1 or imp.getNFrames() > 1:
        raise ScriptError("Duplicate...", None, "duplicating a hyperstack (channels, slices, frames) is not "
                                                "implemented on the pydicom backend; use the jvm backend")
    n = imp.getStackSize()
    default = unique_name(imp, imp.title)
    legacy = "duplicate" in options.text or "use" not in options.text    # Java's contains(): substrings
    if n > 1 and not legacy:      # "use": the slice's label is the default title
        label = imp.getStack().getShortSliceLabel(imp.getCurrentSlice())
        default = label or default
    title = options.text_value("title", default)
    ignore = options.flag("ignore") if roi is not None else False
    whole_stack = options.flag("duplicate") if n > 1 else False
    first, last = _slice_range(options.text_value("range", f"1-{n}"), n) if whole_stack else (1, n)
    options.done(also_accepted=("use", "ignore", "duplicate", "range"))
    if roi is not None and roi.isArea() and roi.getType() != rois.RECTANGLE:
        b = intersection_bounds(imp)
        if b.width == 0 or b.height == 0:    # ImageJ's cropRoi throws (logged) and no copy is made
            raise ScriptError("Duplicate...", None, "Selection is outside the image")
    if ignore:
        imp.deleteRoi()
    try:
        if whole_stack and (first > 1 or last < n):
            created = duplicate_slices(imp, first, last)
        else:
            created = duplicate_slices(imp) if whole_stack or n == 1 else crop_slice(imp)
    finally:
        imp.roi = roi
    if roi is not None and (created.calibration.xOrigin != 0.0 or created.calibration.yOrigin != 0.0):
        created.calibration.xOrigin -= roi.getBounds().x
        created.calibration.yOrigin -= roi.getBounds().y
    created.title = title
    created.setProp("UniqueName", "true")
    if roi is not None and roi.isArea() and roi.getType() != rois.RECTANGLE:     # even with "ignore"
        created.setRoi(_moved_to_origin(roi, imp))
    if n > 1 and created.getStackSize() == n:
        created.setSlice(imp.getCurrentSlice())
    return created


def _moved_to_origin(roi: rois.Roi, imp: ImagePlus) -> rois.Roi | None:
    """A copy of an area selection with its bounds at (0, 0), as ``roi.setLocation(0, 0)``.

    A selection reaching past ``imp``'s edge is, in ImageJ, its intersection
    with the image: a composite selection, which bridge does not model (None).
    """
    if crossing(imp, roi):
        return None
    b = roi.getBounds()
    if isinstance(roi, rois.PolygonRoi):
        return rois.PolygonRoi([x - b.x for x in roi.xpoints], [y - b.y for y in roi.ypoints], roi.getType())
    _, _, width, height = roi._float_bounds
    return (rois.OvalRoi if roi.getType() == rois.OVAL else rois.Roi)(0.0, 0.0, width, height)


# --- Crop, Canvas Size... ---------------------------------------------------------------------
@command("Crop")
def crop(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """*Image>Crop*: every slice cut to the area selection's bounds (``Resizer("crop")``)."""
    assert imp is not None
    options.done()
    roi = imp.getRoi()
    if roi is None or not roi.isArea():
        raise ScriptError("Crop", None, "Area selection required")
    r = intersection_bounds(imp)
    if r.width == 0 or r.height == 0:   # ImageJ logs this, then fails inside its resize (the stack is damaged)
        raise ScriptError("Crop", None, "Selection is outside image")
    shaped = _moved_to_origin(roi, imp) if roi.getType() != rois.RECTANGLE else None
    cal = imp.calibration
    clipped = area_bounds(imp)
    if cal.scaled():     # Resizer scales by the clipped bounds over the intersection's: 1 unless they differ
        cal.pixelWidth *= clipped.width / r.width
        cal.pixelHeight *= clipped.height / r.height
    if cal.xOrigin != 0.0 or cal.yOrigin != 0.0:       # by the intersection's corner, as Resizer
        cal.xOrigin -= r.x
        cal.yOrigin -= r.y
    resized = (r.width, r.height) != (imp.getWidth(), imp.getHeight())
    imp.data = _resized_crop(imp, r)        # the display range is put back as it was
    if roi.getType() != rois.RECTANGLE:
        imp.setRoi(shaped)
    elif resized:                           # setStack with a new size drops the selection
        imp.deleteRoi()


@command("Canvas Size...")
def canvas_size(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """*Image>Adjust>Canvas Size...*: ``width height position=... zero``; the border is the background.

    Without ``zero`` the border takes ImageJ's background colour (black, see
    :func:`_background`), with ``zero`` it is 0.
    """
    assert imp is not None
    width = int(options.number("width", imp.getWidth()))
    height = int(options.number("height", imp.getHeight()))
    position = _POSITIONS.index(options.choice("position", _POSITIONS, "Center"))
    zero = options.flag("zero")
    options.done()
    _resize_canvas(imp, _expanded(imp, width, height, _POSITIONS[position], 0 if zero else _background(imp)))


def _expanded(imp: ImagePlus, width: int, height: int, position: str, fill: float | int) -> np.ndarray:
    """``CanvasResizer.expandStack``: every slice on a new canvas of ``fill``, placed at ``position``."""
    index = _POSITIONS.index(position)
    dx, dy = width - imp.getWidth(), height - imp.getHeight()
    x_offset = (0, int(dx / 2), dx)[index % 3]      # Java's int division truncates toward zero
    y_offset = (0, int(dy / 2), dy)[index // 3]
    return np.stack([transforms.expand(p, width, height, x_offset, y_offset, fill) for p in imp.data])


def _resize_canvas(imp: ImagePlus, data: np.ndarray) -> None:
    """``imp.setStack(null, stack2)``: new pixels; a new size removes the selection, the same size keeps it."""
    if data.shape != imp.data.shape:
        imp.deleteRoi()
    imp.data = data


def _background(imp: ImagePlus) -> float | int:
    """``ip.setGlobalBackgroundColor()`` with a fresh ImageJ's background colour, black, as the processor stores it.

    The new processor has the image's display range but no calibration table,
    so ``ShortProcessor.setColor`` never takes the signed-16-bit branch:
    8-bit: the LUT's index of black (255 with an inverted LUT); 16- and
    32-bit: 0 when the range starts above 0, else ``min + (max - min) * index/255``;
    RGB: opaque black.
    """
    low, high = imp.display_range
    best = 255 if imp.inverted_lut else 0
    if imp.image_type == COLOR_RGB:
        return -0x1000000
    if imp.image_type == GRAY8:
        return best
    if best > 0 and low == 0.0 and high == 0.0:
        return best
    if best == 0 and low > 0.0:
        return 0
    value = low + (high - low) * (best / 255.0)
    return int(value) if imp.image_type == GRAY16 else float(np.float32(value))


# --- flips and rotations by 90 degrees ----------------------------------------------------------
@command("Flip Horizontally")
def flip_horizontally(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    _flip(imp, options, transforms.flip_horizontal)


@command("Flip Vertically")
def flip_vertically(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    _flip(imp, options, transforms.flip_vertical)


def _flip(imp: ImagePlus, options: Options, flip: transforms.PlaneOperation) -> None:
    slices = filter_slices(imp, options)
    options.done()
    r = area_bounds(imp)
    for n in slices:
        flip(imp.data[n], r)
    cal = imp.calibration
    whole = (r.x, r.y, r.width, r.height) == (0, 0, imp.getWidth(), imp.getHeight())
    if whole and (cal.xOrigin != 0 or cal.yOrigin != 0):
        for _ in slices:      # the filter runs once per slice, and each run mirrors the origin
            if flip is transforms.flip_horizontal:
                cal.xOrigin = imp.getWidth() - 1 - cal.xOrigin
            else:
                cal.yOrigin = imp.getHeight() - 1 - cal.yOrigin


@command("Rotate 90 Degrees Right")
def rotate_right(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    options.done()
    cal = imp.calibration
    if cal.xOrigin != 0 or cal.yOrigin != 0:
        cal.xOrigin, cal.yOrigin = imp.getHeight() - 1 - cal.yOrigin, cal.xOrigin
    _rotate90(imp, transforms.rotate_right)


@command("Rotate 90 Degrees Left")
def rotate_left(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    options.done()
    cal = imp.calibration
    if cal.xOrigin != 0 or cal.yOrigin != 0:
        cal.xOrigin, cal.yOrigin = cal.yOrigin, imp.getWidth() - 1 - cal.xOrigin
    _rotate90(imp, transforms.rotate_left)


def _rotate90(imp: ImagePlus, turn: transforms.PlaneTurn) -> None:
    """``StackProcessor.rotateRight/Left`` on every slice, then the pixel width and height swap."""
    _resize_canvas(imp, np.stack([turn(p) for p in imp.data]))
    cal = imp.calibration
    cal.pixelWidth, cal.pixelHeight = cal.pixelHeight, cal.pixelWidth


# --- Translate... ----------------------------------------------------------------------------------
@command("Translate...")
def translate(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """*Image>Transform>Translate...*: ``x y interpolation=None|Bilinear|Bicubic [stack]``."""
    assert imp is not None
    dx = options.number("x", 15.0)
    dy = options.number("y", 15.0)
    method = transforms.INTERPOLATIONS.index(options.choice("interpolation", transforms.INTERPOLATIONS, "None"))
    slices = filter_slices(imp, options)
    options.done()
    r = area_bounds(imp)
    for n in slices:
        transforms.translate(imp.data[n], imp.image_type, r, dx, dy, method)


# --- Rotate... (the image) ------------------------------------------------------------------------
@command("Rotate... ")
def rotate(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """*Image>Transform>Rotate...*: ``angle grid interpolation=... [fill] [enlarge] [stack]`` (note the space).

    In a macro the interpolation is None unless given; ``enlarge`` (whole
    image only) first grows the canvas, centred, to the rotated image's
    bounds; a non-rectangular selection keeps the pixels outside it.
    """
    assert imp is not None
    roi = imp.getRoi()
    area = roi if roi is not None and roi.isArea() else None
    r = area_bounds(imp)
    kept = roi if roi is not None and not roi.isLine() else None     # a point selection keeps "enlarge" off too
    bounds = kept.getBounds() if kept is not None else Rectangle(0, 0, imp.getWidth(), imp.getHeight())
    whole = (bounds.x, bounds.y, bounds.width, bounds.height) == (0, 0, imp.getWidth(), imp.getHeight())
    angle = options.number("angle", 15.0)
    options.number("grid", 1)       # grid lines are drawn only on the live preview
    # the old "interpolate" box leaves the choice at the dialog's default (a fresh ImageJ's: Bilinear)
    default = "Bilinear" if options.flag("interpolate") else "None"
    method = transforms.INTERPOLATIONS.index(options.choice("interpolation", transforms.INTERPOLATIONS, default))
    fill = options.flag("fill")
    enlarge = options.flag("enlarge") and whole
    slices = filter_slices(imp, options)
    options.done()
    if enlarge:
        width, height = transforms.rotated_bounds(imp.getWidth(), imp.getHeight(), angle)
        width, height = max(width, imp.getWidth()), max(height, imp.getHeight())
        _resize_canvas(imp, _expanded(imp, width, height, "Center", 0 if not fill else _background(imp)))
        imp.deleteRoi()
        r = Rectangle(0, 0, width, height)
    background = _rotation_background(imp, fill)
    mask = area.getMask() if area is not None and not enlarge else None
    for n in slices:
        before = imp.data[n].copy() if mask is not None else None
        transforms.rotate(imp.data[n], imp.image_type, r, angle, method, background)
        if before is not None and mask is not None and area is not None:
            _restore_outside(imp.data[n], before, area, mask)


def _rotation_background(imp: ImagePlus, fill: bool) -> float | int:
    """The processor's background for ``rotate``: 0 (``setBackgroundValue(0)``), or with ``fill`` the colour black.

    16- and 32-bit processors take the display range's share of black's LUT
    index (``setBackgroundColor``); a signed 16-bit processor adds 32768 (as a short).
    """
    if imp.image_type in (GRAY16, GRAY32):
        value = 0.0
        if fill:
            low, high = imp.display_range
            value = low + (high - low) * ((255 if imp.inverted_lut else 0) / 255.0)
        if imp.image_type == GRAY32:
            return float(np.float32(value))
        return (int(value) + (32768 if _signed16(imp) else 0)) & 0xFFFF
    return _background(imp) if fill else 0


def _signed16(imp: ImagePlus) -> bool:
    """``ip.isSigned16Bit()``: the calibration maps raw 0 to -32768 (a signed 16-bit file)."""
    cal = imp.calibration
    return cal.calibrated() and cal.getCValue(0) == -32768.0


def _restore_outside(plane: np.ndarray, before: np.ndarray, roi: rois.Roi, mask: np.ndarray) -> None:
    """``ip.reset(mask)``: the bounding rectangle's pixels outside a non-rectangular selection put back."""
    b = roi.getBounds()
    height, width = plane.shape
    x0, y0 = max(b.x, 0), max(b.y, 0)
    x1, y1 = min(b.x + mask.shape[1], width), min(b.y + mask.shape[0], height)
    if x1 <= x0 or y1 <= y0:
        return
    outside = ~mask[y0 - b.y:y1 - b.y, x0 - b.x:x1 - b.x]
    plane[y0:y1, x0:x1][outside] = before[y0:y1, x0:x1][outside]


# --- Scale... ----------------------------------------------------------------------------------------
@command("Scale...")
def scale(imp: ImagePlus | None, options: Options, session: Session) -> ImagePlus | None:
    """*Image>Scale...*: ``x y [z] width height [depth] interpolation [fill] [average] [process] [create] title``.

    With ``create`` a new image (the selection's bounds, every slice with
    ``process``) is returned; without, the pixels are zoomed in place about the
    selection's centre, the size kept.  Macro rules: interpolation None unless
    given (``interpolate`` is Bilinear); ``width=`` and ``height=`` given
    make the scale fields default to "-".  Changing a stack's depth is not
    implemented here (use the jvm backend).
    """
    assert imp is not None
    request = _scale_request(imp, options)
    roi = imp.getRoi()
    r = area_bounds(imp) if roi is not None and roi.isArea() else Rectangle(0, 0, imp.getWidth(), imp.getHeight())
    method = request.method if imp.getWidth() > 1 and imp.getHeight() > 1 or request.create else transforms.NONE
    if request.create and imp.getStackSize() > 1 and request.whole_stack:
        if imp.getWidth() == 1 or imp.getHeight() == 1:
            method = transforms.NONE
        whole = Rectangle(0, 0, r.width, r.height)      # each slice is cropped first (createNewStack)
        data = np.stack([transforms.resize(p, imp.image_type, whole, request.width, request.height, method,
                                           request.average) for p in _crop(imp.data, r)])
        created = _new_image(imp, request.title, data, list(imp.labels), _copied_range(imp))
        created.dimensions = imp.dimensions
    elif request.create:
        index = imp.getCurrentSlice() - 1
        data = transforms.resize(imp.data[index], imp.image_type, r, request.width, request.height, method,
                                 request.average)[None]
        created = _new_image(imp, request.title, data, [None], _copied_range(imp))
    else:
        whole_stack = imp.getStackSize() > 1 and request.whole_stack
        background = _scale_background(imp, request.fill, whole_stack)
        if whole_stack and method != transforms.NONE:
            method = transforms.BILINEAR    # StackProcessor: setInterpolate(true), which is bilinear
        for n in range(imp.getStackSize()) if whole_stack else [imp.getCurrentSlice() - 1]:
            transforms.scale(imp.data[n], imp.image_type, r, request.x_scale, request.y_scale, method, background)
        imp.deleteRoi()
        return None
    cal = created.calibration
    if cal.scaled():
        cal.pixelWidth *= 1.0 / request.x_scale
        cal.pixelHeight *= 1.0 / request.y_scale
    cal.xOrigin *= request.x_scale
    cal.yOrigin *= request.y_scale
    return created


@dataclass(frozen=True)
class _ScaleRequest:
    width: int
    height: int
    x_scale: float
    y_scale: float
    method: int
    fill: bool
    average: bool
    whole_stack: bool
    create: bool
    title: str


def _scale_request(imp: ImagePlus, options: Options) -> _ScaleRequest:
    """``Scaler.showDialog`` in a macro: the fields, their defaults and how sizes and scales derive from each other."""
    text = options.text
    by_size = "width=" in text and " height=" in text
    stack = imp.getStackSize() > 1
    r = area_bounds(imp)
    x_text = options.text_value("x", "-" if by_size else "0.5")
    y_text = options.text_value("y", "-" if by_size else "0.5")
    z_text = options.text_value("z", "1.0") if stack else "1.0"
    x_scale, y_scale = _scale_number(x_text), _scale_number(y_text)
    width_default, height_default = r.width, java_round(java_div(r.width * r.height, r.width))
    if x_scale != 0.0 and y_scale != 0.0:
        width_default, height_default = java_round(r.width * x_scale), java_round(r.height * y_scale)
    width_text = options.text_value("width", str(width_default))
    width = java_round(_scale_number(width_text))
    height = java_round(_scale_number(options.text_value("height", str(height_default))))
    depth = java_round(_scale_number(options.text_value("depth", str(imp.getStackSize())))) if stack else 0
    if height != 0 and width_text in ("-", "0"):
        width = java_round(java_div(height * r.width, r.height))
    elif width != 0 and height == 0:
        height = java_round(java_div(width * r.height, r.width))
    elif height != 0 and width == 0:
        width = java_round(java_div(height * r.width, r.height))
    if width == 0 or height == 0:
        raise ScriptError("Scale...", None, "Width or height is 0")
    if x_scale > 0.0 and y_scale > 0.0:
        width, height = java_round(r.width * x_scale), java_round(r.height * y_scale)
    z_scale = _scale_number(z_text)
    if stack and z_scale > 0.0:
        depth = java_round(imp.getStackSize() * z_scale)
    method = transforms.INTERPOLATIONS.index(options.choice("interpolation", transforms.INTERPOLATIONS, "None"))
    if options.flag("interpolate") and not options.has("interpolation"):
        method = transforms.BILINEAR
    fill = options.flag("fill") and imp.image_type in (GRAY8, COLOR_RGB)
    average = options.flag("average")
    whole_stack = options.flag("process") if stack else False
    create = options.flag("create")
    title = options.text_value("title", unique_name_plain(imp.title))
    options.done(also_accepted=("fill", "process", "z", "depth"))
    if stack and depth > 0 and depth != imp.getStackSize():
        raise ScriptError("Scale...", None, "changing the number of slices (depth, z) is not implemented "
                                            "on the pydicom backend; use the jvm backend")
    if width <= 0 or height <= 0:    # ImageJ goes on into an exception inside resize and makes nothing
        raise ScriptError("Scale...", None, "Width or height is 0")
    if x_scale == 0.0:
        x_scale, y_scale = width / r.width, height / r.height
    return _ScaleRequest(width, height, x_scale, y_scale, method, fill, average, whole_stack, create, title)


def _scale_number(text: str) -> float:
    """``Tools.parseDouble(text, 0.0)``: 0 for what does not parse."""
    value = _parse(text.strip())
    return 0.0 if math.isnan(value) else value


def java_round(value: float) -> int:
    """``(int)Math.round(value)``: half up; NaN is 0, and the infinities wrap as Java's long-to-int cast does."""
    if math.isnan(value):
        return 0
    if math.isinf(value):
        return -1 if value > 0 else 0
    return math.floor(value + 0.5)


def unique_name_plain(name: str) -> str:
    """``WindowManager.getUniqueName(name)`` (no image given) with no other image open."""
    from ...model import ImagePlus as Model       # a stand-in image without the "UniqueName" property
    return unique_name(Model(title=name, data=np.zeros((1, 1, 1), np.uint8), image_type=GRAY8), name)


def _scale_background(imp: ImagePlus, fill: bool, whole_stack: bool) -> float | int:
    """What ``ip.scale`` writes where shrinking leaves no source pixel.

    8-bit and RGB: the background value *Scale...* sets (0, or with ``fill``
    the colour black); 16-bit: ``(short)getMin()``; 32-bit: ``(float)getMin()``,
    the minimum of the image's processor, or for a whole stack of the fresh
    processor of slice 1 (its data minimum).
    """
    low = imp.display_range[0]
    if whole_stack and imp.image_type in (GRAY16, GRAY32):
        low = cal_rules.data_range(imp.image_type, imp.data[0])[0]
    if imp.image_type == GRAY16:
        return int(low) & 0xFFFF
    if imp.image_type == GRAY32:
        return float(np.float32(low))
    if not fill:
        return 0
    return _background(imp) if imp.image_type == GRAY8 else -0x1000000


# --- Specify... --------------------------------------------------------------------------------------
@command("Specify...")
def specify(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """*Edit>Selection>Specify...*: a rectangle (or ``oval``) ``width height x y``, ``centered``, ``scaled``."""
    assert imp is not None
    cal = imp.calibration
    width = options.number("width", imp.getWidth() // 2)
    height = options.number("height", imp.getHeight() // 2)
    x = options.number("x", (imp.getWidth() // 2) / 2)
    y = options.number("y", (imp.getHeight() // 2) / 2)
    slice_number = int(options.number("slice", imp.getCurrentSlice()))
    oval = options.flag("oval")
    options.flag("constrain")       # square/circle: only the live dialog acts on it
    centered = options.flag("centered")
    scaled = options.flag("scaled") and (cal.scaled() or cal.xOrigin != 0.0 or cal.yOrigin != 0.0)
    options.done()       # "slice" and "scaled" are read always: ImageJ ignores them where it has no such field
    if math.isnan(width) or math.isnan(height) or width <= 0 or height <= 0:
        return
    if imp.getStackSize() > 1 and 0 < slice_number <= imp.getStackSize():
        imp.setSlice(slice_number)
    if centered:
        x -= width / 2
        y -= height / 2
    if scaled:
        x = x / cal.pixelWidth + cal.xOrigin
        y = y / cal.pixelHeight + cal.yOrigin
        width /= cal.pixelWidth
        height /= cal.pixelHeight
    imp.setRoi((rois.OvalRoi if oval else rois.Roi)(x, y, width, height))
