"""The image model both backends fill: plain Python and numpy, ImageJ's method names.

An :class:`ImagePlus` here is a snapshot of what ImageJ built, never a live
Java object, so it can be pickled, compared field by field (the parity
tests do exactly that) and kept after the JVM is busy with other work.

Methods whose answer ImageJ computes from text (``getStringProperty``,
``DicomTools.getTag``) are answered by the backend that made the image, so
on the jvm backend they really run ImageJ's code.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

# Re-exported: ImagePlus.getType() values and Calibration function codes, as ImageJ names them.
from .core.imagetypes import COLOR_256 as COLOR_256
from .core.imagetypes import COLOR_RGB as COLOR_RGB
from .core.imagetypes import GRAY8 as GRAY8
from .core.imagetypes import GRAY16 as GRAY16
from .core.imagetypes import GRAY32 as GRAY32
from .core.imagetypes import NONE as NONE
from .core.imagetypes import STRAIGHT_LINE as STRAIGHT_LINE
from .core.javafmt import parse_double
from .core.roi import Roi
from .core import threshold as thresholds
from .core.statistics import ALL_STATS, DEFAULT_OPTIONS, LIMIT, RAW_OPTIONS, ImageStatistics
from .backends import current_backend
from .errors import BackendUnavailableError, JavaError

if TYPE_CHECKING:
    from .backends.base import Backend
    from .core import filtering
# The filters and measurements (.core.filtering, .core.measure...) are imported where used:
# opening an image needs none of them, and they were a tenth of a cold open's CPU time.

_BIT_DEPTH = {GRAY8: 8, GRAY16: 16, GRAY32: 32, COLOR_256: 8, COLOR_RGB: 24}
_DTYPE = {GRAY8: np.uint8, GRAY16: np.uint16, GRAY32: np.float32, COLOR_256: np.uint8,
          COLOR_RGB: np.int32}

# ImageJ numbers images -2, -3, ... per JVM, and opening a DICOM file uses two
# numbers (the reader is itself an ImagePlus).  Snapshots that do not come from
# a JVM count the same way: -2, -4, -6, ...
_image_ids = itertools.count(-2, -2)


@dataclass
class Calibration:
    """ImageJ's ``ij.measure.Calibration``: spatial scale and the value function."""

    pixelWidth: float = 1.0
    pixelHeight: float = 1.0
    pixelDepth: float = 1.0
    unit: str = "pixel"
    function: int = NONE
    coefficients: list[float] | None = None
    valueUnit: str = "Gray Value"
    xOrigin: float = 0.0
    yOrigin: float = 0.0
    zOrigin: float = 0.0

    def getUnit(self) -> str:
        return self.unit

    def getUnits(self) -> str:
        """The plural unit, ImageJ's way: only "pixel", "micron" and "inch" change."""
        return {"pixel": "pixels", "micron": "microns", "inch": "inches"}.get(self.unit, self.unit)

    def getValueUnit(self) -> str:
        return self.valueUnit

    def getFunction(self) -> int:
        return self.function

    def getCoefficients(self) -> list[float] | None:
        return None if self.coefficients is None else list(self.coefficients)

    def getRawValue(self, value: float) -> float:
        """A calibrated value back to the raw pixel value (straight line only, as ``getCValue``)."""
        c = self.coefficients
        if self.function == STRAIGHT_LINE and c and len(c) == 2 and c[1] != 0.0:
            return (value - c[0]) / c[1]
        return float(value)

    def calibrated(self) -> bool:
        return self.function != NONE

    def scaled(self) -> bool:
        return self.pixelWidth != 1.0 or self.pixelHeight != 1.0 or self.pixelDepth != 1.0 \
            or self.unit != "pixel"

    def getCValue(self, raw: float) -> float:
        """The calibrated value of a raw pixel value (ImageJ: straight line only)."""
        if self.function == STRAIGHT_LINE and self.coefficients:
            return self.coefficients[0] + self.coefficients[1] * raw
        return float(raw)


class ImageProcessor:
    """One slice: a 2-D view into the stack array, ImageJ's accessors on top.

    ImageJ keeps the threshold on the processor, and an image has one
    processor whatever slice it shows: so ``imp.getProcessor()``'s threshold
    methods read and set the image's (``owner``).  A processor from
    ``getStack().getProcessor(n)`` has a threshold of its own, as in ImageJ.
    """

    def __init__(self, pixels: np.ndarray, image_type: int, owner: ImagePlus | None = None) -> None:
        self._pixels = pixels
        self._type = image_type
        self._owner = owner

    def __repr__(self) -> str:
        return f"<ImageProcessor {self.getWidth()}x{self.getHeight()} {type_name(self._type)}>"

    def getWidth(self) -> int:
        return int(self._pixels.shape[1])

    def getHeight(self) -> int:
        return int(self._pixels.shape[0])

    def getPixels(self) -> np.ndarray:
        """The pixels as a 1-D array in ImageJ's storage type (a copy, as ImageJ's snapshot)."""
        return self._pixels.reshape(-1).copy()

    def get(self, x: int, y: int) -> int:
        """The raw stored value at (x, y); for float images the raw float bits, as ImageJ."""
        v = self._pixels[y, x]
        if self._type == GRAY32:
            return int(np.asarray(v, dtype=np.float32).view(np.int32))
        return int(v)

    def getf(self, x: int, y: int) -> float:
        return float(self._pixels[y, x])

    def getPixel(self, x: int, y: int) -> int:
        return self.get(x, y) if self._type != COLOR_RGB else int(self._pixels[y, x]) & 0xFFFFFF

    # --- ImageJ's pixel arithmetic (bridge.core.pixelmath, the same code as Process>Math) ---------
    # Within the selection's bounding rectangle, as ``imp.getProcessor()`` sets it; ImageJ's
    # ``and``/``or`` are ``and_``/``or_`` here (Python keywords).
    def invert(self) -> None:
        """``ip.invert()``: 16-bit inverts over 0-65535 and resets the range, 32-bit over the display range."""
        from .core import pixelmath
        if self._type == GRAY16:
            self._process(pixelmath.INVERT, 0.0, "invert", display_range=(0.0, 65535.0))
            if self._owner is not None:
                self._owner.resetDisplayRange(live=False)      # ShortProcessor.invert resets its range
        else:
            self._process(pixelmath.INVERT, 0.0, "invert")

    def add(self, value: float) -> None:
        self._process("add", value, "add", value)

    def subtract(self, value: float) -> None:
        self._process("add", -value, "subtract", value)

    def multiply(self, value: float) -> None:
        self._process("mult", value, "multiply", value)

    def set(self, value: float) -> None:
        self._process("set", value, "set", value)

    def and_(self, value: int) -> None:
        self._process("and", value, "and", int(value))

    def or_(self, value: int) -> None:
        self._process("or", value, "or", int(value))

    def xor(self, value: int) -> None:
        self._process("xor", value, "xor", int(value))

    def gamma(self, value: float) -> None:
        self._process("gamma", value, "gamma", value)

    def log(self) -> None:
        self._process("log", 0.0, "log")

    def exp(self) -> None:
        self._process("exp", 0.0, "exp")

    def sqr(self) -> None:
        self._process("sqr", 0.0, "sqr")

    def sqrt(self) -> None:
        self._process("sqrt", 0.0, "sqrt")

    def abs(self) -> None:
        self._process("abs", 0.0, "abs")

    def min(self, value: float) -> None:
        self._process("min", value, "min", value)

    def max(self, value: float) -> None:
        self._process("max", value, "max", value)

    def _process(self, op: str, value: float, java_name: str, *java_args: float,
                 display_range: tuple[float, float] | None = None) -> None:
        """The arithmetic on this snapshot; on a jvm image also on its live Java processor, so both agree."""
        from .core import pixelmath
        from .core.statistics import Region
        owner = self._owner
        live = owner._live() if owner is not None else None
        if live is not None:
            getattr(live.getProcessor(), java_name)(*java_args)     # the slice and selection are set
        region = Region(0, 0, self.getWidth(), self.getHeight())
        roi = owner.getRoi() if owner is not None else None
        if roi is not None and roi.isArea():
            b = roi.getBounds()
            x0, y0 = max(b.x, 0), max(b.y, 0)
            region = Region(x0, y0, min(b.x + b.width, self.getWidth()) - x0,
                            min(b.y + b.height, self.getHeight()) - y0)
        if display_range is None:
            display_range = owner.display_range if owner is not None else (0.0, 0.0)
        cal = owner.calibration if owner is not None else None
        signed16 = cal is not None and cal.function == STRAIGHT_LINE and cal.coefficients is not None \
            and list(cal.coefficients[:2]) == [-32768.0, 1.0]
        pixelmath.apply(self._pixels, self._type, op, value, display_range=display_range,
                        signed16=signed16, region=region)
    # --- threshold (bridge.core.threshold) ------------------------------------------
    def _image(self) -> ImagePlus:
        if self._owner is None:         # a stack's processor: its own one-slice image holds its state
            low, high = thresholds.slice_min_max(self._pixels, self._type) if self._type != COLOR_RGB \
                else (0.0, 255.0)
            self._owner = ImagePlus("", self._pixels[None], self._type, display_range=(low, high))
        return self._owner

    def setThreshold(self, minThreshold: float, maxThreshold: float,
                     lutUpdate: int = thresholds.NO_LUT_UPDATE) -> None:
        """``ip.setThreshold(lower, upper[, lutUpdate])``: raw values (16-bit: clamped and rounded)."""
        thresholds.set_threshold(self._image(), minThreshold, maxThreshold, lutUpdate)

    def setAutoThreshold(self, method: str | int, darkBackground: bool | int | None = None,
                         lutUpdate: int = thresholds.RED_LUT) -> None:
        """``setAutoThreshold("Otsu dark")``, ``(method, darkBackground, lutUpdate)`` or ``(ISODATA2, lutUpdate)``.

        A processor has no selection here (``ip.setRoi`` is not modelled): the whole slice.
        """
        imp = self._image()
        if isinstance(method, int):
            if method not in (ImageProcessor.ISODATA, ImageProcessor.ISODATA2):
                raise ValueError("Invalid thresholding method")
            mode = thresholds.RED_LUT if darkBackground is None else int(darkBackground)
            thresholds.set_legacy_auto_threshold(imp, mode, in_selection=False)
        elif darkBackground is None:
            thresholds.set_auto_threshold(imp, method, in_selection=False)
        else:
            name = method.split(" ", 1)[0]
            keyword = {thresholds.BLACK_AND_WHITE_LUT: " b&w", thresholds.OVER_UNDER_LUT: " over",
                       thresholds.NO_LUT_UPDATE: " no-lut"}.get(lutUpdate, "")
            thresholds.set_auto_threshold(imp, name + (" dark" if darkBackground else "") + keyword,
                                          in_selection=False)

    def resetThreshold(self) -> None:
        thresholds.reset_threshold(self._image())

    def getMinThreshold(self) -> float:
        return self._image().min_threshold

    def getMaxThreshold(self) -> float:
        return self._image().max_threshold

    def getLutUpdateMode(self) -> int:
        return self._image().lut_update

    def isInvertedLut(self) -> bool:
        return self._image().isInvertedLut()

    # --- filters (bridge.core.filtering: the code behind the Process>Filters commands) ---------
    def smooth(self) -> None:
        """ImageJ's 3x3 mean (*Process>Smooth*) of the selection's rectangle, in place."""
        from .core import filter3x3, filtering
        self._filter(filtering.three_by_three(self._type, filter3x3.SMOOTH), "smooth")

    def sharpen(self) -> None:
        from .core import filter3x3, filtering
        self._filter(filtering.three_by_three(self._type, filter3x3.SHARPEN), "sharpen")

    def findEdges(self) -> None:
        """ImageJ's 3x3 Sobel edges (*Process>Find Edges*) of the selection's rectangle, in place."""
        from .core import filter3x3, filtering
        self._filter(filtering.three_by_three(self._type, filter3x3.FIND_EDGES), "findEdges")

    def medianFilter(self) -> None:
        """The 3x3 median of an 8-bit or RGB slice; nothing on 16- and 32-bit ones, as in ImageJ."""
        from .core import filtering, rankfilters
        if self._type in (GRAY8, COLOR_256, COLOR_RGB):
            self._filter(filtering.rank(self._type, 1.0, rankfilters.MEDIAN), "medianFilter")

    def blurGaussian(self, sigma: float) -> None:
        """``ip.blurGaussian(sigma)``: *Gaussian Blur...* of the whole slice (ImageJ resets the ROI first)."""
        from .core import filtering
        self._filter(filtering.gaussian_blur(self._type, sigma, sigma), "blurGaussian", sigma, whole_slice=True)

    def _filter(self, slice_filter: filtering.SliceFilter, java_name: str, *java_args: float,
                whole_slice: bool = False) -> None:
        """The filter on this snapshot; on a jvm image also on its live Java processor, so both agree."""
        from .core import filtering
        owner = self._owner
        live = owner._live() if owner is not None else None
        if live is not None:
            getattr(live.getProcessor(), java_name)(*java_args)
        roi = None if whole_slice or owner is None else owner.getRoi()
        if roi is not None and roi.isArea():        # the processor's rectangle: the bounds, no mask
            b = roi.getBounds()
            roi = Roi(b.x, b.y, b.width, b.height)
        else:
            roi = None
        filtering.apply(self._pixels[None], self._type, roi, range(1), slice_filter)

    # ImageProcessor's constants, for scripts that name them
    NO_THRESHOLD = thresholds.NO_THRESHOLD
    RED_LUT, BLACK_AND_WHITE_LUT = thresholds.RED_LUT, thresholds.BLACK_AND_WHITE_LUT
    NO_LUT_UPDATE, OVER_UNDER_LUT = thresholds.NO_LUT_UPDATE, thresholds.OVER_UNDER_LUT
    ISODATA, ISODATA2 = 0, 1


class ImageStack:
    """Slices of one shape, 1-based like ImageJ's ``ImageStack``."""

    def __init__(self, data: np.ndarray, labels: list[str | None], image_type: int) -> None:
        self._data = data
        self._labels = labels
        self._type = image_type

    def __repr__(self) -> str:
        return f"<ImageStack {self.getWidth()}x{self.getHeight()}x{self.getSize()} {type_name(self._type)}>"

    def getSize(self) -> int:
        return int(self._data.shape[0])

    def getWidth(self) -> int:
        return int(self._data.shape[2])

    def getHeight(self) -> int:
        return int(self._data.shape[1])

    def getSliceLabel(self, n: int) -> str | None:
        self._check(n)
        return self._labels[n - 1]

    def getShortSliceLabel(self, n: int) -> str | None:
        """The label's first line without a 3-letter extension, at most 60 characters (ImageJ's rule)."""
        label = self.getSliceLabel(n)
        if label is None or label.startswith("\n"):
            return None
        label = label.split("\n", 1)[0]
        if len(label) > 4 and label[-4] == "." and not label[-1].isdecimal():
            label = label[:-4]
        return label[:60]

    def getProcessor(self, n: int) -> ImageProcessor:
        self._check(n)
        return ImageProcessor(self._data[n - 1], self._type)

    def getPixels(self, n: int) -> np.ndarray:
        return self.getProcessor(n).getPixels()

    def _check(self, n: int) -> None:
        if not 1 <= n <= self.getSize():
            raise IndexError(f"Argument out of range: {n}")


@dataclass(eq=False)
class ImagePlus:
    """A snapshot of ImageJ's ``ImagePlus`` as one backend built it.

    ``data`` is the whole stack, shape (slices, rows, cols), in ImageJ's
    storage type: uint8, uint16 (signed data shifted by +32768), float32, or
    int32 holding packed 0xRRGGBB for RGB.
    """

    title: str
    data: np.ndarray
    image_type: int
    info: str | None = None
    labels: list[str | None] = field(default_factory=list)
    calibration: Calibration = field(default_factory=Calibration)
    display_range: tuple[float, float] = (0.0, 0.0)
    inverted_lut: bool = False
    lut: np.ndarray | None = None          # (3, 256) uint8 for COLOR8 palettes
    file_info: dict[str, Any] = field(default_factory=dict)   # getOriginalFileInfo() essentials
    #: what ``IJ.getErrorMessage()`` holds after the open (ImageJ's empty image comes with one)
    error_message: str | None = field(default=None, compare=False)
    backend: Backend | None = field(default=None, repr=False, compare=False)
    current_slice: int = 1
    #: (channels, slices, frames) of a hyperstack, channels varying fastest in ``data``;
    #: None for ImageJ's plain stacks, which are (1, stack size, 1)
    dimensions: tuple[int, int, int] | None = None
    image_id: int = field(default_factory=lambda: next(_image_ids), compare=False)
    roi: Roi | None = field(default=None, compare=False, repr=False)
    #: ImageJ's string properties (``setProp``), e.g. "UniqueName" on a duplicate
    properties: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    #: the threshold ImageJ keeps on the processor: raw levels (NO_THRESHOLD: none) and its LUT mode
    min_threshold: float = thresholds.NO_THRESHOLD
    max_threshold: float = thresholds.NO_THRESHOLD
    lut_update: int = thresholds.RED_LUT

    def __post_init__(self) -> None:
        if not self.labels:
            self.labels = [None] * int(self.data.shape[0])

    def __repr__(self) -> str:
        """One line, as ImageJ's ``toString`` is: title, width x height x slices, type, backend.

        The header and the pixels are a call away (``getInfoProperty()``,
        ``bridge.array``); printed here they made a list of images unreadable.
        """
        backend = self.backend.name if self.backend is not None else None
        return (f"<ImagePlus {self.title!r} {self.getWidth()}x{self.getHeight()}x{self.getStackSize()} "
                f"{type_name(self.image_type)} backend={backend}>")

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(imp)``: what :func:`bridge.array` gives (a new array of ImageJ's stored values).

        numpy 2's ``copy=False`` ("never copy") gets the image's own gray
        pixels, so writing to the result changes the image; RGB pixels are
        unpacked from ImageJ's packed ints and a virtual stack is read from its
        files, so these cannot be had without a copy.
        """
        if copy is False:
            if self.image_type == COLOR_RGB or not isinstance(self.data, np.ndarray) or \
                    (dtype is not None and np.dtype(dtype) != self.data.dtype):
                raise ValueError("the pixels cannot be given without a copy (RGB is unpacked, a virtual "
                                 "stack is read, or another dtype was asked for); use copy=None or True")
            return self.data
        values = stored_values(self)
        return values if dtype is None else values.astype(dtype, copy=False)

    # --- geometry and type -------------------------------------------------
    def getTitle(self) -> str:
        return self.title

    def getWidth(self) -> int:
        return int(self.data.shape[2])

    def getHeight(self) -> int:
        return int(self.data.shape[1])

    def getStackSize(self) -> int:
        return int(self.data.shape[0])

    def getNSlices(self) -> int:
        return self.getStackSize() if self.dimensions is None else self.dimensions[1]

    def getNChannels(self) -> int:
        return 1 if self.dimensions is None else self.dimensions[0]

    def getNFrames(self) -> int:
        return 1 if self.dimensions is None else self.dimensions[2]

    def getDimensions(self) -> list[int]:
        return [self.getWidth(), self.getHeight(), self.getNChannels(), self.getNSlices(), self.getNFrames()]

    def getType(self) -> int:
        return self.image_type

    def getBitDepth(self) -> int:
        """8, 16, 24 or 32; 0 for ImageJ's empty image (no processor, no stack)."""
        return 0 if self.is_empty() else _BIT_DEPTH[self.image_type]

    def is_empty(self) -> bool:
        """Whether this is ImageJ's empty image: 0 x 0, no processor (a failing zip entry opens to it)."""
        return self.getWidth() == 0

    def getID(self) -> int:
        """ImageJ's image ID (negative); the jvm backend keeps the one ImageJ gave."""
        return self.image_id

    def getCurrentSlice(self) -> int:
        return self.current_slice

    def setSlice(self, n: int) -> None:
        if 1 <= n <= self.getStackSize():
            self.current_slice = n

    # --- metadata ----------------------------------------------------------
    def getInfoProperty(self) -> str | None:
        return self.info or None

    def getProperty(self, key: str) -> Any:
        return self.info if key == "Info" else None

    def getProp(self, key: str) -> str | None:
        """``imp.getProp(key)``: a string property set with ``setProp`` (ImageJ 1.53's), or None."""
        return self.properties.get(key)

    def setProp(self, key: str, value: str | None) -> None:
        if value is None:
            self.properties.pop(key, None)
        else:
            self.properties[key] = value

    def getStringProperty(self, key: str) -> str | None:
        return self._answerer().get_string_property(self, key)

    def getNumericProperty(self, key: str) -> float:
        """``Tools.parseDouble(getStringProperty(key))``: Java's number syntax, NaN where it fails."""
        value = self.getStringProperty(key)
        try:
            return parse_double(value) if value is not None else float("nan")
        except ValueError:
            return float("nan")

    def getImageInfo(self) -> str:
        """*Image>Show Info*'s text for the image as opened.

        ImageJ's ``ImagePlus`` has no such method; this is the twin of
        ``new ImageInfo().getImageInfo(imp)`` (the macro's ``getImageInfo()``
        is :func:`bridge.macro.getImageInfo`).
        """
        return self._answerer().get_image_info(self)

    def getCalibration(self) -> Calibration:
        return self.calibration

    def getDisplayRangeMin(self) -> float:
        """The display range's low end; ImageJ's empty image throws (it has no processor)."""
        self._check_processor("getMin")
        return float(self.display_range[0])

    def getDisplayRangeMax(self) -> float:
        self._check_processor("getMax")
        return float(self.display_range[1])

    def setDisplayRange(self, min: float, max: float) -> None:  # noqa: A002 - ImageJ's names
        """``imp.setDisplayRange(min, max)`` in raw values, each processor type's rounding (RGB: pixels too)."""
        from .core import calibration
        live = self._live()
        if live is not None:
            live.setDisplayRange(float(min), float(max))
        plane = self.data[self.current_slice - 1]
        if self.image_type == COLOR_RGB:
            calibration.apply_rgb_window(self.getProcessor()._pixels, min, max)
        self.display_range = calibration.set_min_and_max(self.image_type, min, max, plane,
                                                         current=self.display_range)

    def resetDisplayRange(self, live: bool = True) -> None:
        """``imp.resetDisplayRange()``: the current slice's data range (0-255 for 8-bit; RGB keeps its range,
        ColorProcessor has no reset)."""
        from .core import calibration
        java_image = self._live() if live else None
        if java_image is not None:
            java_image.resetDisplayRange()
        if self.image_type == COLOR_RGB:
            return
        self.display_range = calibration.data_range(self.image_type, self.data[self.current_slice - 1])

    def _live(self) -> Any:
        """The live Java image of a jvm snapshot (its slice set to this one's), else None."""
        java_image = getattr(self.backend, "java_image", None) if self.backend is not None else None
        return java_image(self) if java_image is not None else None

    def _check_processor(self, method: str) -> None:
        if self.is_empty():
            raise JavaError("java.lang.NullPointerException",
                            f'Cannot invoke "ij.process.ImageProcessor.{method}()" because "this.ip" is null')

    def isInvertedLut(self) -> bool:
        return self.inverted_lut

    def getOriginalFileInfo(self) -> dict[str, Any]:
        return dict(self.file_info)

    # --- pixels ------------------------------------------------------------
    def getStack(self) -> ImageStack:
        """The stack; a single image's one label is ``title + "\\n" + Info``, as ImageJ makes it."""
        if self.is_empty():         # ImageJ's empty image: a stack of no slices (though getStackSize() is 1)
            return ImageStack(self.data[:0], [], self.image_type)
        labels = self.labels
        if self.getStackSize() == 1 and labels[0] is None and self.info is not None:
            labels = [f"{self.title}\n{self.info}"]
        return ImageStack(self.data, labels, self.image_type)

    def getProcessor(self) -> ImageProcessor:
        """The current slice; its arithmetic (``invert()``, ``add(v)``...) changes this image, and its
        threshold is the image's (ImageJ's one processor per image)."""
        if not isinstance(self.data, np.ndarray) or not self.data.flags.writeable:
            self.data = np.array(self.data)     # a virtual stack is read into memory to be edited
        return ImageProcessor(self.data[self.current_slice - 1], self.image_type, owner=self)

    def isThreshold(self) -> bool:
        """``imp.isThreshold()``: whether the processor has a threshold (even a mask's invisible one)."""
        return thresholds.has_threshold(self)

    @property
    def java(self) -> Any:
        """The live ``ij.ImagePlus`` behind this snapshot (jvm backend only), for any ImageJ method.

        Changes made through it show in this snapshot after the next ``IJ.run`` on it.
        """
        backend = self._answerer()
        java_image = getattr(backend, "java_image", None)     # only the jvm backend has live objects
        if java_image is None:
            raise BackendUnavailableError("jvm", [f"imp.java: {self.title!r} was opened by the {backend.name} backend"])
        return java_image(self)

    # --- selection and measurements (bridge.core.measure) -------------------------------
    def setRoi(self, roi: Roi | int | None, y: int = 0, width: int = 0, height: int = 0) -> None:
        """``imp.setRoi(roi)`` or ``imp.setRoi(x, y, width, height)`` (a rectangle); None removes it.

        As in ImageJ, a selection whose bounds are empty is removed instead
        (except lines and points), and the selection takes this image's pixel
        size for its lengths.
        """
        if roi is not None and not isinstance(roi, Roi):
            roi = Roi(roi, y, width, height)
        if roi is not None:
            bounds = roi.getBounds()
            if bounds.width == 0 and bounds.height == 0 and roi.isArea():
                roi = None
        from .core import measure
        self.roi = measure.bind(roi, self)

    def getRoi(self) -> Roi | None:
        return self.roi

    def deleteRoi(self) -> None:
        self.roi = None

    def killRoi(self) -> None:
        self.deleteRoi()

    def getStatistics(self, mOptions: int = DEFAULT_OPTIONS) -> ImageStatistics:
        """``imp.getStatistics(options)``: calibrated statistics of the selection (or the whole slice)."""
        from .core import measure
        return measure.image_statistics(self, self.roi, mOptions)

    def getRawStatistics(self) -> ImageStatistics:
        """``imp.getRawStatistics()``: uncalibrated count, mean, mode, min and max, 256-bin histogram."""
        from .core import measure
        return measure.image_statistics(self, self.roi, RAW_OPTIONS, calibrated=False)

    # --- geometry (bridge.core.commands.geometry) --------------------------------------
    def duplicate(self) -> ImagePlus:
        """``imp.duplicate()``: a copy of every slice, the selection ignored, titled ``"DUP_" + title``.

        On the jvm backend ImageJ's own method runs on the Java image (so the copy
        has a Java image for later commands); elsewhere the core's Duplicator.
        """
        from .core.commands import geometry
        return self._copied("duplicate", geometry.duplicate_whole)

    def crop(self) -> ImagePlus:
        """``imp.crop()``: the current slice cut to the selection's bounds (all of it without one)."""
        from .core.commands import geometry
        return self._copied("crop", geometry.crop_slice)

    def _copied(self, method: str, in_python: Callable[[ImagePlus], ImagePlus]) -> ImagePlus:
        java_copy = getattr(self.backend, "copy_image", None)     # only the jvm backend has Java images
        if java_copy is not None:
            created: ImagePlus = java_copy(self, method)
            return created
        created = in_python(self)
        created.backend = self.backend
        return created

    def getAllStatistics(self) -> ImageStatistics:
        """``imp.getAllStatistics()``: every measurement, limited to the threshold when there is one."""
        from .core import measure
        return measure.image_statistics(self, self.roi, ALL_STATS + LIMIT)

    def _answerer(self) -> Backend:
        if self.backend is None:   # an image built by hand: the backend in use answers
            return current_backend()
        return self.backend


class LazyStack:
    """A read-only (slices, rows, cols) array that reads a slice only when it is indexed.

    It stands in for the numpy array in ``ImagePlus.data``: ``data[n]``,
    ``shape``, ``dtype`` and ``len`` behave as on an array and touch one
    slice at most; anything else (``np.asarray(data)``, ``data.copy()``,
    slicing with ranges) reads the whole stack into a new array.  The last
    slice read is kept, so repeated pixel queries on one slice read it once.
    """

    ndim = 3

    def __init__(self, shape: tuple[int, int, int], dtype: Any, read_slice: Callable[[int], np.ndarray]) -> None:
        slices, height, width = shape
        self.shape = (int(slices), int(height), int(width))
        self.dtype: np.dtype[Any] = np.dtype(dtype)
        self._read = read_slice
        self._cached: tuple[int, np.ndarray] | None = None

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1] * self.shape[2]

    @property
    def nbytes(self) -> int:
        return self.size * self.dtype.itemsize

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: Any) -> Any:     # a slice's array; else what numpy gives (maybe a scalar)
        if isinstance(key, (int, np.integer)):
            return self._slice(int(key))
        return np.asarray(self)[key]

    def _slice(self, n: int) -> np.ndarray:
        if n < 0:
            n += self.shape[0]
        if not 0 <= n < self.shape[0]:
            raise IndexError(f"slice index {n} out of range for {self.shape[0]} slices")
        if self._cached is None or self._cached[0] != n:
            pixels = np.asarray(self._read(n), dtype=self.dtype).reshape(self.shape[1:])
            pixels.flags.writeable = False
            self._cached = (n, pixels)
        return self._cached[1]

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        out = np.empty(self.shape, dtype=self.dtype)
        for n in range(self.shape[0]):
            out[n] = self._read(n).reshape(self.shape[1:])
        return out if dtype is None else out.astype(dtype)

    def copy(self) -> np.ndarray:
        return np.asarray(self)

    def tobytes(self) -> bytes:
        return np.asarray(self).tobytes()

    def reordered(self, order: Sequence[int]) -> LazyStack:
        """The same slices in another order: slice n of the result is slice ``order[n]`` of this one."""
        order = list(order)
        return LazyStack(self.shape, self.dtype, lambda n: self._read(order[n]))

    def __repr__(self) -> str:
        return f"LazyStack(shape={self.shape}, dtype={self.dtype})"


def type_name(image_type: int) -> str:
    """ImageJ's short name of an image type: "8-bit", "16-bit", "32-bit" or "RGB"."""
    return "RGB" if image_type == COLOR_RGB else f"{_BIT_DEPTH[image_type]}-bit"


def stored_values(imp: ImagePlus) -> np.ndarray:
    """The stack as a new array in ImageJ's stored values (:func:`bridge.array`; RGB as (…, 3) uint8)."""
    if imp.image_type == COLOR_RGB:
        return rgb_unpack(np.asarray(imp.data))
    return imp.data.copy()


def rgb_unpack(packed: np.ndarray) -> np.ndarray:
    """(…) int32 packed 0xRRGGBB -> (…, 3) uint8, the order numpy users expect."""
    u = packed.astype(np.uint32, copy=False)
    return np.stack([(u >> 16) & 0xFF, (u >> 8) & 0xFF, u & 0xFF], axis=-1).astype(np.uint8)
