"""ImageJ macro functions a DICOM user needs, as Python functions with the macro's answers.

A macro such as::

    open("/data/CT_small.dcm");
    print("Study Description: " + getInfo("0008,1030"));

becomes::

    from bridge.macro import open, getInfo
    open("/data/CT_small.dcm")
    print("Study Description: " + getInfo("0008,1030"))

and prints the same line.  Strings are exactly the macro's strings (the
leading space of a tag value, ``""`` for a missing tag); numbers are Python
``int`` where the macro value is a whole number by nature (sizes, 8/16-bit
pixels) and ``float`` otherwise.

*The current image.*  As in ImageJ, :func:`open` makes the new image the
current one and the other functions work on it; :func:`selectImage` switches
to an image you hold.  The current image is per thread (ImageJ's
``WindowManager.setTempCurrentImage`` is too), so parallel batch jobs do not
see each other's images.  Every function also takes ``imp=`` to name the
image directly.  Calling one with no image gives a :class:`ScriptError` with
ImageJ's message, "There are no images open".

*Measurements.*  Selections (``makeRectangle``, ``makeOval``, ...), statistics
(``getStatistics``, ``getValue``) and the Results table (``run("Measure")``,
``getResult``, ``saveAs("Results", path)``) follow ImageJ's rules exactly
(:mod:`bridge.core.measure`; docs/measurements.md).  The Results table and the
*Set Measurements...* choices are per thread too (ImageJ has one of each per
JVM), so parallel jobs keep their own.

*Headless, as the bridge is:* there is no window, selection or log window,
so the window- and selection-keys of ``getInfo`` answer what ImageJ answers
without them, and macros count as running in batch mode.

*One-image stacks.*  In ImageJ, ``getMetadata("Label")`` on a single image
makes ImageJ build a one-slice stack, after which ``getImageInfo()`` starts
with the title line.  Here every call answers for the image as opened, so
the answers do not depend on the order of calls.
"""

from __future__ import annotations

import fnmatch
import math
import os
import threading
from collections.abc import Callable

from . import emulation, facade
from .backends import current_backend
from .core import commands
from .core import measure as measurements
from .core import threshold as thresholds
from .core import profile as profiles
from .core import roimanager
from .core import statistics as st
from .core.results import ResultsTable, ResultsTableError
from .core.roi import POLYLINE, Line, OvalRoi, PointRoi, PolygonRoi, Roi
from .errors import BridgeError, ScriptError
from .model import COLOR_RGB, GRAY16, GRAY32, ImagePlus

__all__ = ["open", "selectImage", "selectWindow", "close", "nImages", "isOpen", "getImageID", "rename", "getList", "current_image", "getTitle", "getWidth", "getHeight",
           "nSlices", "getSliceNumber", "setSlice", "bitDepth", "getDimensions", "getVoxelSize",
           "getPixel", "calibrate", "getInfo", "getImageInfo", "getMetadata", "Property",
           "makeRectangle", "makeOval", "makePolygon", "makeLine", "makePoint", "selectNone",
           "selectionType", "getSelectionBounds", "getStatistics", "getRawStatistics", "getValue", "run",
           "nResults", "getResult", "getResultString", "getResultLabel", "setResult", "updateResults",
           "saveAs", "results_table",
           # types and pixel math
           "setMinAndMax", "resetMinAndMax", "getMinAndMax",
           # thresholds
           "setThreshold", "setAutoThreshold", "resetThreshold", "getThreshold",
           # ROI Manager and profiles
           "roiManager", "roi_manager", "getProfile"]

_state = threading.local()


# ---------------------------------------------------------------- the current image

def open(path: str | os.PathLike[str]) -> None:  # noqa: A001 - the macro's name
    """``open(path);`` opens the file and makes it the current image.

    Where the macro stops with an error dialog, this raises the typed
    :class:`~bridge.errors.DicomReadError` of :func:`bridge.open`.
    """
    selectImage(facade.open(path))


def selectImage(image: ImagePlus | int | str) -> None:
    """``selectImage(id)``: make an image current: an image you hold, ImageJ's (negative) ID,
    a positive index among the open images (1 = the first opened), or a title.

    An image you pass that this thread has not opened joins its open images.
    """
    if isinstance(image, ImagePlus):
        if all(open_image is not image for open_image in _open_images()):
            _open_images().append(image)
        _state.image = image
        return
    found = _find(image)
    if found is None:
        raise ScriptError("selectImage()", None, f"Image {image} not found or no images are open")
    _state.image = found


def selectWindow(title: str) -> None:
    """``selectWindow(title)``: the open image with this title becomes the current one."""
    found = _find(str(title))
    if found is None:
        raise ScriptError("selectWindow()", None, f'No window with the title "{title}" found')
    _state.image = found


def close(pattern: str | None = None) -> None:
    """``close()`` the current image; ``close(pattern)`` the open images whose title matches it
    (``*`` and ``?`` as ImageJ's wildcards, ``"\\Others"``: all but the current one).

    As in batch-mode ImageJ, the image opened last among those left becomes current.
    """
    images, current = _open_images(), getattr(_state, "image", None)
    if pattern is None:
        doomed = [current] if current is not None else []
    elif pattern == "\\Others":
        doomed = [imp for imp in images if imp is not current]
    else:
        doomed = [imp for imp in images if fnmatch.fnmatchcase(imp.getTitle(), pattern)]
    images[:] = [imp for imp in images if all(imp is not gone for gone in doomed)]
    if current is None or any(current is gone for gone in doomed):
        _state.image = images[-1] if images else None


def nImages() -> int:
    """``nImages``: the images this thread has open."""
    return len(_open_images())


def isOpen(image: int | str) -> bool:
    """``isOpen(id)`` / ``isOpen(title)``."""
    return _find(image) is not None


def getImageID(imp: ImagePlus | None = None) -> int:
    """``getImageID()``: the current image's ID (negative, unique in the process)."""
    return _image(imp, "getImageID").getID()


def rename(title: str, imp: ImagePlus | None = None) -> None:
    """``rename(title)``: the current image's new title."""
    _image(imp, "rename").title = str(title)


def getList(key: str) -> list[str]:
    """``getList("image.titles")``: the open images' titles, in the order they were opened."""
    if key != "image.titles":
        raise ScriptError("getList()", None, f'Unvalid key: "{key}" (bridge has "image.titles")')
    return [imp.getTitle() for imp in _open_images()]


def _open_images() -> list[ImagePlus]:
    """This thread's open images (ImageJ's batch-mode image list), oldest first."""
    images: list[ImagePlus] | None = getattr(_state, "images", None)
    if images is None:
        images = _state.images = []
    return images


def _find(image: int | str) -> ImagePlus | None:
    """An open image by ID (negative), index (positive, 1-based) or title; None if there is none."""
    images = _open_images()
    if isinstance(image, str):
        return next((imp for imp in images if imp.getTitle() == image), None)
    if image < 0:
        return next((imp for imp in images if imp.getID() == image), None)
    return images[image - 1] if 0 < image <= len(images) else None


def current_image() -> ImagePlus:
    """The current image (no macro twin: a macro never holds the image itself)."""
    return _image(None, "current_image")


def _image(imp: ImagePlus | None, function: str) -> ImagePlus:
    """``imp``, else the current image, else ImageJ's "no image" abort."""
    if imp is None:
        imp = getattr(_state, "image", None)
    if imp is None:
        raise ScriptError(f"{function}()", None, "There are no images open")
    return imp


# ---------------------------------------------------------------- geometry

def getTitle(imp: ImagePlus | None = None) -> str:
    """``getTitle()``: the image title (the file name for an opened file)."""
    return _image(imp, "getTitle").getTitle()


def getWidth(imp: ImagePlus | None = None) -> int:
    """``getWidth()``."""
    return _image(imp, "getWidth").getWidth()


def getHeight(imp: ImagePlus | None = None) -> int:
    """``getHeight()``."""
    return _image(imp, "getHeight").getHeight()


def nSlices(imp: ImagePlus | None = None) -> int:
    """``nSlices``: the stack size (frames of a multi-frame file)."""
    return _image(imp, "nSlices").getStackSize()


def getSliceNumber(imp: ImagePlus | None = None) -> int:
    """``getSliceNumber()``: the current slice, from 1."""
    return _image(imp, "getSliceNumber").getCurrentSlice()


def setSlice(n: int, imp: ImagePlus | None = None) -> None:
    """``setSlice(n);``: make slice ``n`` current; out of range is the macro's error."""
    image = _image(imp, "setSlice")
    size = image.getStackSize()
    if not 1 <= n <= size:
        raise ScriptError("setSlice()", None, f"Argument must be >=1 and <={size}")
    image.setSlice(int(n))


def bitDepth(imp: ImagePlus | None = None) -> int:
    """``bitDepth()``: 8, 16, 24 (RGB) or 32."""
    return _image(imp, "bitDepth").getBitDepth()


def getDimensions(imp: ImagePlus | None = None) -> tuple[int, int, int, int, int]:
    """``getDimensions(width, height, channels, slices, frames);`` as a tuple."""
    width, height, channels, slices, frames = _image(imp, "getDimensions").getDimensions()
    return width, height, channels, slices, frames


def getVoxelSize(imp: ImagePlus | None = None) -> tuple[float, float, float, str]:
    """``getVoxelSize(width, height, depth, unit);`` as a tuple; the unit is plural ("pixels")."""
    cal = _image(imp, "getVoxelSize").getCalibration()
    return cal.pixelWidth, cal.pixelHeight, cal.pixelDepth, cal.getUnits()


# ---------------------------------------------------------------- pixels

def getPixel(x: int, y: int, imp: ImagePlus | None = None) -> int | float:
    """``getPixel(x, y)`` on the current slice: the stored value, not calibrated.

    16-bit signed data keeps ImageJ's +32768 shift (use :func:`calibrate`);
    32-bit gives the float (NaN outside the image, 0 for the other types);
    RGB gives ImageJ's packed int with its alpha byte, so it is negative
    (``(v >> 16) & 0xff`` is red, as in a macro).  Only whole-pixel
    coordinates are supported; ImageJ interpolates between pixels otherwise.
    """
    image = _image(imp, "getPixel")
    if x != int(x) or y != int(y):
        raise ScriptError("getPixel()", None, f"sub-pixel coordinates ({x}, {y}) are not supported")
    x, y = int(x), int(y)
    inside = 0 <= x < image.getWidth() and 0 <= y < image.getHeight()
    if image.getType() == GRAY32:
        return image.getProcessor().getf(x, y) if inside else float("nan")
    if not inside:
        return 0
    value = int(image.data[image.getCurrentSlice() - 1, y, x])
    if image.getType() == COLOR_RGB:
        return (value & 0xFFFFFF) - 0x1000000  # ImageJ's opaque alpha, as a Java int
    return value


def calibrate(value: float, imp: ImagePlus | None = None) -> float:
    """``calibrate(value)``: a raw pixel value through the image's calibration (e.g. to HU)."""
    return _image(imp, "calibrate").getCalibration().getCValue(value)


# ---------------------------------------------------------------- text

#: getInfo keys a headless ImageJ answers the same way whatever the image.
_FIXED_KEYS = {
    "command.name": "null",             # no menu command has run
    "log": "",                          # headless: no Log window
    "micrometer.abbreviation": "\u00b5m",
    "threshold.method": "Default", "threshold.mode": "Red",
    "window.type": "", "window.title": "", "window.name": "",
    "macro.filepath": "null",           # not run from a macro file
}

#: ...and those that still need an image to be open.
_FIXED_IMAGE_KEYS = {
    "overlay": "",                      # DICOM images open without an overlay
    "image.subtitle": "",               # no image window
    "selection.name": "", "roi.name": "",
    "font.name": "SansSerif",
}

#: Java system properties Python can answer the same way.
_SYSTEM_PROPERTIES: dict[str, Callable[[], str]] = {
    "user.dir": os.getcwd,
    "user.home": lambda: os.path.expanduser("~"),
    "file.separator": lambda: os.sep,
    "path.separator": lambda: os.pathsep,
    "line.separator": lambda: os.linesep,
}


def getInfo(key: str, imp: ImagePlus | None = None) -> str:
    """``getInfo(key)``: a DICOM tag's value, a header field, or an image fact; never None.

    * ``"0008,1030"`` (a tag id): the value with its leading space, ``""``
      when the tag is missing (or written in lower case), as ``getTag``.
    * A key without a dot (``"Modality"``): the header line's value without
      the leading space, as ``imp.getStringProperty(key)``; ``""`` if absent.
    * ``"image.title"``, ``"image.filename"``, ``"image.directory"``,
      ``"image.description"``, ``"slice.label"``, ``"window.contents"`` (the
      Show Info text), ``"overlay"``; window and selection keys answer as a
      headless ImageJ; ``user.dir`` and other path properties of the system.
    * Any other dotted key: ``"Invalid key"``, as ImageJ says for keys that
      are not Java system properties (``java.*`` and ``os.*`` are not given).
    """
    lower = key.lower()
    if lower in _FIXED_KEYS:
        return _FIXED_KEYS[lower]
    if lower in _SYSTEM_PROPERTIES:
        return _SYSTEM_PROPERTIES[lower]()
    image = _image(imp, "getInfo")
    if lower in _FIXED_IMAGE_KEYS:
        return _FIXED_IMAGE_KEYS[lower]
    if lower in ("selection.color", "roi.color"):
        raise ScriptError("getInfo()", None, "No selection")
    if "." not in key:
        value = image.getStringProperty(key)
        return "" if value is None else value
    return _image_key(image, lower)


def _image_key(imp: ImagePlus, key: str) -> str:
    """The dotted ``getInfo`` keys that describe the image."""
    if key == "image.title":
        return imp.getTitle()
    if key == "slice.label":
        if imp.getStackSize() == 1:
            label = imp.getStringProperty("Slice_Label")  # ImageJ's getProp: the header text's line
        else:
            label = imp.getStack().getShortSliceLabel(imp.getCurrentSlice())
        return label or ""
    if key == "window.contents":  # no text window is in front: the image's Show Info
        return getImageInfo(imp)
    file_keys = {"image.filename": "fileName", "image.directory": "directory",
                 "image.description": "description"}
    if key in file_keys:
        return imp.getOriginalFileInfo().get(file_keys[key]) or ""
    return "Invalid key"


def getImageInfo(imp: ImagePlus | None = None) -> str:
    """``getImageInfo()``: *Image>Show Info*'s text, as a macro gets it.

    That is the header text, a dashed line, then ImageJ's lines (title,
    size, calibration, path, ...).  A macro sees one line more than Java or
    JavaScript code calling ``new ImageInfo().getImageInfo(imp)`` (which is
    :meth:`ImagePlus.getImageInfo`): "Macro is running in batch mode".
    """
    image = _image(imp, "getImageInfo")
    return (image.backend or current_backend()).get_image_info(image, in_macro=True)


def getMetadata(kind: str | None = None, imp: ImagePlus | None = None) -> str:
    """``getMetadata("Info")`` (the header text) or ``getMetadata("Label")`` (the slice label).

    Without an argument: the label for a stack, the header for one image.
    A multi-frame file has no labels, so its "Label" is ``""``; a single
    image's label is ImageJ's ``title + "\\n" + header``.  Never None.
    """
    image = _image(imp, "getMetadata")
    if kind is None:
        kind = "label" if image.getStackSize() > 1 else "info"
    label = image.getStack().getSliceLabel(image.getCurrentSlice())
    if "info" in kind.lower():
        metadata = image.getProperty("Info")
        if metadata is None and image.getStackSize() > 1 and emulation.rules().info_falls_back_to_label:
            metadata = label
    else:
        metadata = label
    return metadata or ""


class Property:
    """The macro's ``Property.*`` functions on the current image (or ``imp=``)."""

    @staticmethod
    def get(key: str, imp: ImagePlus | None = None) -> str:
        """``Property.get(key)``: as ``getInfo(key)`` for tags and header fields; ``""`` if absent."""
        value = _image(imp, "Property.get").getStringProperty(key)
        return "" if value is None else value

    @staticmethod
    def getDicomTag(tag: str, imp: ImagePlus | None = None) -> str:
        """``Property.getDicomTag("0010,0010")``: the same string as ``Property.get``."""
        return Property.get(tag, _image(imp, "Property.getDicomTag"))

    @staticmethod
    def getNumber(key: str, imp: ImagePlus | None = None) -> float:
        """``Property.getNumber(key)``: the value as a number (Java's parsing), NaN if it is not one."""
        return _image(imp, "Property.getNumber").getNumericProperty(key)

    @staticmethod
    def getInfo(imp: ImagePlus | None = None) -> str:
        """``Property.getInfo()``: the header text, ``""`` if none."""
        info = _image(imp, "Property.getInfo").getProperty("Info")
        return info or ""

    @staticmethod
    def getSliceLabel(n: int | None = None, imp: ImagePlus | None = None) -> str:
        """``Property.getSliceLabel()`` (current slice) or ``Property.getSliceLabel(n)``; ``""`` if none."""
        image = _image(imp, "Property.getSliceLabel")
        n = image.getCurrentSlice() if n is None else int(n)
        if not 1 <= n <= image.getStackSize():
            raise ScriptError("Property.getSliceLabel()", None, f"Argument out of range: {n}")
        return image.getStack().getSliceLabel(n) or ""


# ---------------------------------------------------------------- selections

def makeRectangle(x: float, y: float, width: float, height: float, imp: ImagePlus | None = None) -> None:
    """``makeRectangle(x, y, width, height)``: ImageJ's sub-pixel rectangle (``IJ.makeRectangle(double...)``).

    Its pixels are those of the integer bounds; its corners, kept as given,
    are what a saved ``.roi`` file holds.  A width of 0 or less (or a negative
    height) removes the selection, as in ImageJ.
    """
    image = _image(imp, "makeRectangle")
    image.setRoi(None if width <= 0 or height < 0 else Roi(x, y, width, height, subpixel=True))


def makeOval(x: float, y: float, width: float, height: float, imp: ImagePlus | None = None) -> None:
    """``makeOval(x, y, width, height)``: ImageJ's oval (its pixel mask, not a textbook ellipse), sub-pixel
    as ``IJ.makeOval(double...)`` makes it."""
    image = _image(imp, "makeOval")
    image.setRoi(None if width <= 0 or height < 0 else OvalRoi(x, y, width, height, subpixel=True))


def makePolygon(*coordinates: float, imp: ImagePlus | None = None) -> None:
    """``makePolygon(x1, y1, x2, y2, x3, y3, ...)``: vertices rounded to whole pixels, as ImageJ."""
    image = _image(imp, "makePolygon")
    xs, ys = _rounded_points(coordinates, "makePolygon")
    if len(xs) < 3:
        raise ScriptError("makePolygon()", None, "Fewer than 3 points")
    image.setRoi(PolygonRoi(xs, ys))


def makeLine(*coordinates: float, imp: ImagePlus | None = None) -> None:
    """``makeLine(x1, y1, x2, y2)``, ``makeLine(x1, y1, x2, y2, width)`` (a wide line) or more points
    (a segmented line, rounded)."""
    image = _image(imp, "makeLine")
    if len(coordinates) in (4, 5):
        line: Roi = Line(*coordinates[:4])
        if len(coordinates) == 5:       # a wide line: ImageJ's updateWideLine(round(width))
            _widened(line, math.floor(coordinates[4] + 0.5))
    else:
        xs, ys = _rounded_points(coordinates, "makeLine")
        line = PolygonRoi(xs, ys, POLYLINE)
    if len(coordinates) != 5 and commands.current().line_width > 1:     # run("Line Width...") before
        _widened(line, commands.current().line_width)
    image.setRoi(line)


def _widened(line: Roi, width: int) -> None:
    """``updateWideLine(width)``: the stroke width, and the wide-line colour unless one is set."""
    line.stroke_width = float(width)
    if not line.stroke_color:
        line.stroke_color = _WIDE_LINE_COLOR


#: updateWideLine's stroke colour: the default selection colour (yellow) at alpha 77.
_WIDE_LINE_COLOR = (77 << 24) | (255 << 16) | (255 << 8)


def makePoint(x: float, y: float, imp: ImagePlus | None = None) -> None:
    """``makePoint(x, y)``: a one-point selection."""
    _image(imp, "makePoint").setRoi(PointRoi(x, y))


def selectNone(imp: ImagePlus | None = None) -> None:
    """``run("Select None")`` / ``selectNone()``: remove the selection."""
    _image(imp, "selectNone").deleteRoi()


def selectionType(imp: ImagePlus | None = None) -> int:
    """``selectionType()``: ImageJ's ROI type code (0 rectangle, 1 oval, 2 polygon, ...), -1 for none."""
    roi = _image(imp, "selectionType").getRoi()
    return -1 if roi is None else roi.getType()


def getSelectionBounds(imp: ImagePlus | None = None) -> tuple[int, int, int, int]:
    """``getSelectionBounds(x, y, width, height)``: the selection's bounds, or the whole image."""
    image = _image(imp, "getSelectionBounds")
    roi = image.getRoi()
    if roi is None:
        return 0, 0, image.getWidth(), image.getHeight()
    b = roi.getBounds()
    return b.x, b.y, b.width, b.height


def _rounded_points(coordinates: tuple[float, ...], function: str) -> tuple[list[int], list[int]]:
    if len(coordinates) % 2:
        raise ScriptError(f"{function}()", None, "an x without its y")
    rounded = [int(math.floor(v + 0.5)) for v in coordinates]   # Java's Math.round
    return rounded[0::2], rounded[1::2]


# ---------------------------------------------------------------- statistics

def getStatistics(imp: ImagePlus | None = None) -> tuple[float, float, float, float, float, list[int]]:
    """``getStatistics(area, mean, min, max, std, histogram)``: calibrated, as a tuple in that order.

    The histogram has ImageJ's 256 bins (for 16-bit images they span the
    selection's min to max).
    """
    stats = _macro_statistics(_image(imp, "getStatistics"), calibrated=True)
    return stats.area, stats.mean, stats.min, stats.max, stats.stdDev, [int(c) for c in stats.histogram]


def getRawStatistics(imp: ImagePlus | None = None) -> tuple[int, float, float, float, float, list[int]]:
    """``getRawStatistics(nPixels, mean, min, max, std, histogram)``: uncalibrated, as a tuple.

    For 16-bit images the histogram has one entry per value from 0 to the
    maximum, as ImageJ's.
    """
    image = _image(imp, "getRawStatistics")
    stats = _macro_statistics(image, calibrated=False)
    if image.getType() == GRAY16 and stats.histogram16 is not None:
        histogram = [int(c) for c in stats.histogram16[:int(stats.max) + 1]]
    else:
        histogram = [int(c) for c in stats.histogram]
    return stats.pixelCount, stats.mean, stats.min, stats.max, stats.stdDev, histogram


def _macro_statistics(imp: ImagePlus, calibrated: bool) -> st.ImageStatistics:
    roi = imp.getRoi()
    options = st.AREA + st.MEAN + st.MIN_MAX + st.STD_DEV
    if roi is not None and roi.isLine():         # ImageJ asks Line.getWidth(), not the line's own width
        if commands.current().line_width > 1:
            return measurements.wide_line_statistics(imp, roi, commands.current().line_width, options, calibrated)
        return measurements.profile_statistics(imp, roi, options, calibrated)
    if isinstance(roi, PointRoi) and roi.size() == 1:
        b = roi.getBounds()              # the macro's ip.setRoi(point): its rounded pixel, not (int)x, (int)y
        roi = Roi(b.x, b.y, 1, 1)
    return measurements.image_statistics(imp, roi, options, calibrated=calibrated)


#: getValue keys that only the shape descriptors give (the others do not depend on them).
_SHAPE_COLUMNS = ("Circ.", "AR", "Round", "Solidity")


def getValue(key: str, imp: ImagePlus | None = None) -> float:
    """``getValue("Mean")`` and the other Results column names (``"Mean raw"``: uncalibrated).

    ImageJ measures everything (``ALL_STATS``) into a private table and reads
    the column; so does this.  ``"results.count"`` is :func:`nResults`.
    """
    if key == "results.count":
        return float(nResults())
    name, _, options = key.partition(" ")
    if not name.startswith(measurements.COLUMN_NAMES):
        raise ScriptError("getValue()", None, "Invalid key")
    image = _image(imp, "getValue")
    flags = st.ALL_STATS + st.STACK_POSITION
    if not name.startswith(_SHAPE_COLUMNS):
        flags -= st.SHAPE_DESCRIPTORS
    if "limit" in options:
        flags += st.LIMIT
    table = ResultsTable()
    target = image if "raw" not in options else measurements.uncalibrated(image)
    measurements.measure(target, image.getRoi(), measurements.Settings(flags), table)
    try:
        return table.getValue(name, 0)
    except ResultsTableError:
        return math.nan


# ---- types and pixel math (display range)

def setMinAndMax(min: float, max: float, imp: ImagePlus | None = None) -> None:  # noqa: A002
    """``setMinAndMax(min, max)``: the display range in calibrated values (HU for CT), as ImageJ's
    ``IJ.setMinAndMax`` turns them into raw ones; RGB pixels are rewritten, as in ImageJ."""
    image = _image(imp, "setMinAndMax")
    cal = image.getCalibration()
    image.setDisplayRange(cal.getRawValue(min), cal.getRawValue(max))


def resetMinAndMax(imp: ImagePlus | None = None) -> None:
    """``resetMinAndMax()``: the display range back to the current slice's data range."""
    _image(imp, "resetMinAndMax").resetDisplayRange()


def getMinAndMax(imp: ImagePlus | None = None) -> tuple[float, float]:
    """``getMinAndMax(min, max)``: the display range, calibrated (a macro's two output variables)."""
    image = _image(imp, "getMinAndMax")
    cal = image.getCalibration()
    return cal.getCValue(image.getDisplayRangeMin()), cal.getCValue(image.getDisplayRangeMax())


# ---------------------------------------------------------------- commands and the Results table

def results_table() -> ResultsTable:
    """The thread's Results table (ImageJ's ``ResultsTable.getResultsTable()``)."""
    return commands.current().results


def run(command: str, options: str = "", imp: ImagePlus | None = None) -> None:
    """``run(command, options)``: ImageJ's menu command on the current image, ImageJ's option grammar.

    *Measure*, *Set Measurements...*, *Clear Results* and *Select None* work on
    this thread's Results and selection (:mod:`bridge.core.commands.measuring`)
    on both backends; any other command runs on the image's backend (the pure
    backend's :mod:`bridge.core.commands`, the jvm backend's real ImageJ).  A
    command that opens an image (*Duplicate...*) makes it the current image.
    An unknown command raises :class:`ScriptError` with ImageJ's text
    (``Unrecognized command: "..."``).
    """
    image = imp if imp is not None else getattr(_state, "image", None)
    if command in commands.measuring.SESSION_COMMANDS:
        created = commands.run(image, command, options)
    else:
        backend = image.backend if image is not None and image.backend is not None else current_backend()
        created = backend.run_command(image, command, options)
    if created is not None:
        selectImage(created)


def nResults() -> int:
    """``nResults``: rows in the Results table."""
    return results_table().size()


def getResult(column: str, row: int = -1) -> float:
    """``getResult("Mean", row)``: NaN for a column that does not exist; row -1 is the last row."""
    table = results_table()
    row = _row(table, row, "getResult")
    index = table.getColumnIndex(column)
    if not table.columnExists(index):
        return math.nan
    value = table.getValueAsDouble(index, row)
    if math.isnan(value):
        text = table.getStringValue(index, row)
        if text != "NaN":
            try:
                return float(text)
            except ValueError:
                return math.nan
    return value


def getResultString(column: str, row: int = -1) -> str:
    """``getResultString("Mean", row)``: the cell as the table prints it; ``"null"`` if missing."""
    table = results_table()
    row = _row(table, row, "getResultString")
    index = table.getColumnIndex(column)
    if table.columnExists(index):
        return table.getStringValue(index, row)
    label = table.getLabel(row) if column == "Label" else None
    return label if label is not None else "null"


def getResultLabel(row: int) -> str:
    """``getResultLabel(row)``: the row's label, ``""`` if it has none."""
    table = results_table()
    if not 0 <= row < table.size():
        raise ScriptError("getResultLabel()", None, f"Row ({row}) out of range")
    return table.getLabel(row) or ""


def setResult(column: str, row: int, value: float | str) -> None:
    """``setResult(column, row, value)``: row ``nResults`` appends a row; ``"Label"`` sets the label."""
    table = results_table()
    if not 0 <= row <= table.size():
        raise ScriptError("setResult()", None, f"Row ({row}) out of range")
    if row == table.size():
        table.incrementCounter()
    if column == "Label":
        table.setLabel(str(value), row)
    else:
        table.setValue(column, row, value)


def updateResults() -> None:
    """``updateResults()``: nothing to redraw headless; kept so ported macros run unchanged."""


def saveAs(format: str, path: str | os.PathLike[str], imp: ImagePlus | None = None) -> None:  # noqa: A002
    """``saveAs("Results", path)`` writes the Results table as ImageJ does (CSV for ``.csv``).

    ``saveAs("DICOM", path)`` saves the current image (:meth:`bridge.IJ.saveAs`).
    """
    kind = format.lower()
    if kind in ("results", "measurements"):
        results_table().saveAs(path)
    elif kind == "dicom":
        facade.IJ.saveAs(_image(imp, "saveAs"), format, path)
    else:
        raise BridgeError(f'saveAs: format "{format}" is not supported by bridge.macro')


def _row(table: ResultsTable, row: int, function: str) -> int:
    row = table.size() - 1 if row == -1 else int(row)
    if not 0 <= row < table.size():
        raise ScriptError(f"{function}()", None, f"Row ({row}) out of range")
    return row


# ---------------------------------------------------------------- thresholds and binary images

def setThreshold(lower: float, upper: float, mode: str | None = None, imp: ImagePlus | None = None) -> None:
    """``setThreshold(lower, upper[, mode])``: calibrated values (Hounsfield units on a CT), raw with "raw".

    ``mode`` may also name the display ("red", "black & white", "over/under",
    "no update"), as ImageJ's; the threshold is kept on the image, for
    Convert to Mask and Measure's "limit to threshold".
    """
    thresholds.set_calibrated_threshold(_image(imp, "setThreshold"), lower, upper, mode)


def setAutoThreshold(method: str | None = None, imp: ImagePlus | None = None) -> None:
    """``setAutoThreshold("Otsu dark")``: ImageJ's method on the selection's histogram; no method: ImageJ's legacy one.

    The keywords are ImageJ's: "dark" (objects brighter than the background),
    "no-reset" (16/32-bit: keep the display range instead of resetting it to
    the slice's min and max), "b&w"/"over/under"/"no-lut" (the display mode).
    "stack" thresholds the whole stack's histogram (the display range becomes
    the stack's min and max).
    """
    image = _image(imp, "setAutoThreshold")
    if method is None:
        thresholds.set_legacy_auto_threshold(image)
    elif "stack" in method:
        thresholds.set_stack_threshold(image, method)
    else:
        thresholds.set_auto_threshold(image, method)


def resetThreshold(imp: ImagePlus | None = None) -> None:
    """``resetThreshold()``: no threshold any more."""
    thresholds.reset_threshold(_image(imp, "resetThreshold"))


def getThreshold(imp: ImagePlus | None = None) -> tuple[float, float]:
    """``getThreshold(lower, upper)`` as a tuple: calibrated values, (-1, -1) when there is no threshold."""
    return thresholds.calibrated_threshold(_image(imp, "getThreshold"))
# ---- selections, ROI Manager and profiles

def roi_manager() -> roimanager.RoiManager:
    """This thread's ROI Manager (what ``roiManager(...)`` works on; ImageJ has one per JVM)."""
    return roimanager.current()


def roiManager(cmd: str, arg: str | int | None = None, line_width: float | None = None,
               imp: ImagePlus | None = None) -> int | None:
    """``roiManager(cmd)`` / ``roiManager(cmd, arg)``: the ROI Manager commands of a batch-mode macro.

    "add" (``roiManager("add", color, width)``: the stored copy gets that stroke colour, a name or
    hex, and width), "select" (``arg`` the index), "deselect", "delete", "reset",
    "measure" (into the Results table, with *Set Measurements...*), "rename"
    (``arg`` the new name), "save"/"open" (``arg`` a ``.zip`` set or a
    ``.roi`` file); "count" and "index" return the number of entries and the
    selected index (-1 if none).  Anything else is ImageJ's "Invalid ROI
    Manager command".
    """
    command = cmd.lower()
    manager = roimanager.current()
    image = imp if imp is not None else getattr(_state, "image", None)
    if command in ("count", "size"):
        return manager.getCount()
    if command == "index":
        return manager.getSelectedIndex()
    if command == "select":
        index, count = int(arg if arg is not None else -1), manager.getCount()
        if not 0 <= index < count:
            raise ScriptError("roiManager()", None, f"Index ({index}) is outside of the 0-{count - 1} range")
        manager.select(index, image)
        return None
    if command in ("open", "save", "rename"):
        if arg is None:
            raise ScriptError("roiManager()", None, f'"{cmd}" needs a second argument')
        manager.runCommand(command, str(arg))
        return None
    if command == "add" and (arg is not None or line_width is not None):
        manager.addRoi(_image(image, "roiManager"), None if arg is None else str(arg),
                       1.0 if line_width is None else float(line_width))
        return None
    if command in ("add", "measure"):
        image = _image(image, "roiManager")
    session = commands.current()
    if not manager.runCommand(command, None, image, session.measurements, session.results):
        raise ScriptError("roiManager()", None, "Invalid ROI Manager command")
    return None


def getProfile(imp: ImagePlus | None = None) -> list[float]:
    """``getProfile()``: the values along a straight line, or the column averages of a rectangle.

    ImageJ's *Analyze>Plot Profile* data (:class:`bridge.core.profile.ProfilePlot`):
    interpolated along lines, calibrated values, line width averaged across.
    """
    image = _image(imp, "getProfile")
    return list(profiles.ProfilePlot(image).getProfile())
