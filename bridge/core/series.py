"""A folder of images as one stack, the way ImageJ 1.53t's ``FolderOpener.open(dir)`` builds it.

ImageJ opens every file of the folder on its own and glues the results
together.  This module does the gluing, as a function of the per-file
images (:func:`assemble`), so it can be checked against the real
FolderOpener with images from either backend.  In reading order:

* :func:`list_folder` - which names ImageJ considers, in its numeric name order;
* :func:`assemble` - slices, labels, calibration and display range from the per-file images;
* :func:`dicom_sort_order`, :func:`voxel_depth` - ``DicomTools.sort`` / ``getVoxelDepth`` (1.53t quirks);
* :func:`open_series` - the pure backend's entry point (streams files through the pure opener).

Memory and speed: :func:`assemble` consumes the images one at a time and
copies each into one preallocated stack array, so only one file's pixels
exist beside the stack.  :func:`open_series` does better: it decodes every
header first, guesses the sorted order from them, and reads each file's
pixels straight into its final slot of the stack (no per-file array, no
copy, no reordering when the guess holds); each slice label is kept once
(the guess's string) and each decoded header is dropped once its file is
stacked, so the open's peak is about 1.03x the stack.  With
``virtual=True`` no stack array is made at all: the result's ``data`` is a
:class:`bridge.model.LazyStack` that re-reads a file when one of its slices
is asked for.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Union

import numpy as np

from ..errors import CorruptHeaderError, DicomReadError, MissingFileError, NotDicomError
from ..model import COLOR_RGB, GRAY16, GRAY32, Calibration, ImagePlus, LazyStack
from . import opener
from .calibration import set_min_and_max
from .fileinfo import FileInfo
from .image import Destination
from .javafmt import parse_double
from .opener import DicomHeader, local_header, open_routed, read_image
from .pixels import STORAGE
from .tags import get_tag

#: FolderOpener leaves out names with these endings (and names starting with "." and Thumbs.db).
EXCLUDED_SUFFIXES = (".txt", ".lut", ".roi", ".pty", ".hdr", ".java", ".ijm", ".py", ".js", ".bsh",
                     ".xml", ".rar", ".h5", ".doc", ".xls")

#: ImageJ's error when no file of the folder opens (IJ.error of FolderOpener).
NO_IMAGES_MESSAGE = ("This folder does not appear to contain\nany TIFF, JPEG, BMP, DICOM, GIF, FITS or PGM "
                     "files.\n \n   \"{directory}\"")

_PIXEL_DATA = "7FE0,0010"
_SORT_KEY_WIDTH = 5            # DicomTools.MAX_DIGITS


# --- the folder listing -----------------------------------------------------------------

@dataclass(frozen=True)
class Listing:
    """The directory ImageJ settled on (ends with "/"), the stack title and the names to open, in order."""

    directory: str
    title: str
    names: list[str]


def list_folder(folder: str) -> Listing:
    """The names FolderOpener opens, in its order; a path that is not a folder means its parent folder.

    Raises :class:`MissingFileError` where ImageJ says "Directory not found".
    """
    directory = folder
    entries = _list(directory)
    if entries is None:
        parent = _java_parent(directory)
        entries = _list(parent) if parent is not None else None
        if parent is None or entries is None:
            raise MissingFileError("directory not found", folder,
                                   imagej_message=f"Directory not found: {folder}")
        directory = parent
    if not directory.endswith(("/", "\\")):
        directory += "/"
    names = [entry.name for entry in entries if not _is_folder(entry) and not _excluded(entry.name)]
    return Listing(directory, folder_title(directory), sort_numerically(names))


def _list(directory: str) -> list[os.DirEntry[str]] | None:
    """``File.list()``: the entries in directory order, or None when it is not a readable folder."""
    if not directory:
        return None
    try:
        with os.scandir(directory) as entries:
            return list(entries)
    except OSError:
        return None


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """``File.isDirectory`` (links followed), from the listing's file types: no ``stat`` per name on most systems."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _java_parent(path: str) -> str | None:
    """``new File(path).getParent()``: the path without its last name, separators normalised."""
    normal = re.sub("/+", "/", path)
    if len(normal) > 1:
        normal = normal.rstrip("/")
    cut = normal.rfind("/")
    if cut < 0:
        return None
    return normal[:cut] if cut > 0 else "/"


def _excluded(name: str) -> bool:
    return name.startswith(".") or name == "Thumbs.db" or name.endswith(EXCLUDED_SUFFIXES)


def folder_title(directory: str) -> str:
    """The stack title: the folder's own name (FolderOpener strips the separator and a drive colon)."""
    title = directory[:-1] if directory.endswith(("/", os.sep)) else directory
    title = title[max(title.rfind(os.sep), title.rfind("/")) + 1:]
    return title[:-1] if title.endswith(":") else title


def sort_numerically(names: Sequence[str]) -> list[str]:
    """``StringSorter.sortNumerically``: numbers zero-padded to the widest at their position, case ignored.

    The k-th run of digits of every name is padded to the longest k-th run
    of any name, so ``b9 < b10``; the padded names are then compared ignoring
    case, and equal ones keep their directory order (a stable sort).
    """
    runs = [list(re.finditer(r"[0-9]+", name)) for name in names]
    widest: dict[int, int] = {}
    for found in runs:
        for k, run in enumerate(found):
            widest[k] = max(widest.get(k, 0), len(run.group()))

    def padded(name: str, found: list[re.Match[str]]) -> str:
        out, last = [], 0
        for k, run in enumerate(found):
            out += [name[last:run.start()], "0" * (widest[k] - len(run.group()))]
            last = run.start()
        out.append(name[last:])
        return "".join(out)

    keys = [_ignore_case(padded(n, f)) for n, f in zip(names, runs)]
    order = sorted(range(len(names)), key=keys.__getitem__)
    return [names[i] for i in order]


def _ignore_case(text: str) -> str:
    """A key ordering like Java's ``compareToIgnoreCase`` (upper-case, then lower-case, char by char)."""
    if text.isascii():
        return text.lower()            # what the folding below gives for ASCII, at C speed

    def fold(c: str) -> str:
        upper = c.upper()
        upper = upper if len(upper) == 1 else c
        lower = upper.lower()
        return lower if len(lower) == 1 else upper
    return "".join(fold(c) for c in text)


# --- DicomTools.sort and getVoxelDepth (1.53t) ----------------------------------------------

def dicom_sort_order(labels: Sequence[str | None]) -> list[int] | None:
    """The slice order ``DicomTools.sort`` makes (0-based indexes), or None where it leaves the stack.

    It gives up on one slice, a null label, a slice without Instance Number
    (0020,0013), or a Series Number (0020,0011) that differs from the first
    slice's.  Otherwise each slice gets the string key ``number + index``,
    each right-aligned in 5 characters of which only the last 5 are kept,
    and the keys are compared as text: numeric for 0..99999, odd outside.
    """
    if len(labels) <= 1:
        return None
    series = _series_number(labels[0])
    keys = []
    for i, label in enumerate(labels, start=1):
        if label is None:
            return None
        number = _numeric_tag(label, "0020,0013")
        if number != number or _series_number(label) != series:   # NaN: the tag is missing
            return None
        keys.append(_sort_key_part(_java_d2s0(number)) + _sort_key_part(str(i)))
    keys.sort()
    order = [int(key[-_SORT_KEY_WIDTH:]) - 1 for key in keys]
    return None if any(i < 0 for i in order) else order


def _sort_key_part(text: str) -> str:
    return ("       " + text)[-_SORT_KEY_WIDTH:]


def _java_d2s0(value: float) -> str:
    """``IJ.d2s(value, 0)``: half-even rounding (DecimalFormat), "-0" kept, "Infinity" spelled out."""
    if value != value or value in (float("inf"), float("-inf")):
        return {float("inf"): "Infinity", float("-inf"): "-Infinity"}.get(value, "NaN")
    return f"{value:.0f}"


def _series_number(label: str | None) -> float:
    number = _numeric_tag(label, "0020,0011")
    return 0.0 if number != number else number


def _numeric_tag(label: str | None, tag: str) -> float:
    """DicomTools' private ``getNumericTag``: the value before any backslash, NaN when absent or unparsable."""
    value = _label_tag(label, tag)
    if value is None:
        return float("nan")
    cut = value.find("\\")
    if cut > 0:
        value = value[:cut]
    try:
        return parse_double(value)
    except ValueError:
        return float("nan")


def _label_tag(label: str | None, tag: str) -> str | None:
    """DicomTools' private ``getTag`` on one slice label (a substring search, as ``DicomTools.getTag``)."""
    return get_tag(label, tag)


def voxel_depth(labels: Sequence[str | None]) -> float:
    """``DicomTools.getVoxelDepth``: |z_last - z_first| / (n - 1) from Image Position's third value.

    -1 when the first slice has no Image Position (0020,0032) or either value
    does not split into 3 parts; NaN for one slice (0 / 0).  Java's
    ``split`` drops trailing empty parts, so ``1\\2\\3\\`` still has 3.
    """
    first = _label_tag(labels[0], "0020,0032")
    if first is None:
        return -1.0
    z_first = _third_component(first)
    if z_first is None:
        return -1.0
    last = _label_tag(labels[-1], "0020,0032")
    z_last = _third_component(last) if last is not None else None
    if z_last is None:
        return -1.0
    steps = len(labels) - 1
    if steps == 0:
        return float("nan")
    return abs((z_last - z_first) / steps)


def _third_component(value: str) -> float | None:
    parts = value.split("\\")
    while parts and parts[-1] == "":
        parts.pop()
    if len(parts) != 3:
        return None
    try:
        return parse_double(parts[2])
    except ValueError:
        raise NotDicomError(f"Image Position (0020,0032) {value.strip()!r} is not a number") from None


# --- building the stack -----------------------------------------------------------------------

#: How one slice of a file becomes a slice of the stack when their types differ (applied in order).
Step = tuple[Any, ...]


@dataclass
class _Slot:
    """Where a stack slice comes from: file ``name``, its slice ``index``, and the conversions it needs."""

    name: str
    index: int
    steps: list[Step] = field(default_factory=list)


class _Stack:
    """The slices as they are collected: one preallocated array, or (virtual) only the recipes.

    Slices are numbered in the order they arrive (FolderOpener's file order).
    Arrival slice ``n`` is stored at index ``placement[n]`` when a placement
    is given -- where ``DicomTools.sort`` is expected to put it -- else at
    ``n``.  :meth:`arrange` then puts every slice where the real sort says,
    so a right guess leaves nothing to move and a wrong one costs one
    in-place permutation, never a wrong stack.

    ImageJ grows its stack as files open; here the array is allocated once
    for one slice per file and only grows for multi-frame files.
    """

    def __init__(self, capacity: int, height: int, width: int, dtype: Any, virtual: bool,
                 placement: Sequence[int] = ()) -> None:
        self.slots: list[_Slot] = []
        self.where: list[int] = []          # the array index of each arrival slice
        self.placement = placement
        self.data = None if virtual else np.empty((max(capacity, 1), height, width), dtype=dtype)

    def __len__(self) -> int:
        return len(self.slots)

    def _index(self, n: int) -> int:
        """The array index for arrival slice ``n`` (past the guess: its own number, free by construction)."""
        return self.placement[n] if n < len(self.placement) else n

    def free(self, count: int) -> np.ndarray | None:
        """The array part the next ``count`` slices will fill, if they are consecutive and allocated."""
        if self.data is None:
            return None
        n = len(self.slots)
        first = self._index(n)
        if first + count > self.data.shape[0] or any(self._index(n + k) != first + k for k in range(1, count)):
            return None
        return self.data[first:first + count]

    def add(self, slot: _Slot, pixels: np.ndarray) -> None:
        """Store the next slice; pixels already read into their place (see :meth:`free`) are not copied."""
        index = self._index(len(self.slots))
        if self.data is not None:
            if index >= self.data.shape[0]:
                n = len(self.slots)
                self.data = _grown(self.data, max(index + 1, n + max(n // 2, 1)))
            target = self.data[index]
            if slot.steps or not _is_view_of(pixels, target):
                target[...] = convert(pixels, slot.steps)
        self.slots.append(slot)
        self.where.append(index)

    def convert_all(self, step: Step, dtype: Any) -> None:
        """Change the type of every slice so far (the DICOM 16 -> 32-bit switch)."""
        for slot in self.slots:
            slot.steps.append(step)
        if self.data is not None:
            old = self.data
            self.data = np.empty(old.shape, dtype=dtype)
            for index in self.where:
                self.data[index] = convert(old[index], [step])

    def arrange(self, order: Sequence[int] | None) -> None:
        """Make stack slice i the arrival slice ``order[i]`` (None: arrival order), and drop spare capacity."""
        n = len(self.slots)
        order = range(n) if order is None else order
        self.slots = [self.slots[i] for i in order]
        if self.data is not None:
            permute_in_place(self.data, _completed([self.where[i] for i in order], self.data.shape[0]))
            self._trim(n)
        self.where = list(range(n))

    def _trim(self, n: int) -> None:
        """Keep the first ``n`` slices: shrunk in place where possible, so two stacks never coexist."""
        assert self.data is not None
        if self.data.shape[0] == n:
            return
        try:
            self.data.resize((n, *self.data.shape[1:]))
        except ValueError:      # numpy refuses while another reference to the array is alive
            self.data = self.data[:n].copy()


def _is_view_of(pixels: np.ndarray, target: np.ndarray) -> bool:
    """Whether ``pixels`` are the very memory of ``target`` (the file was read into its slot)."""
    return (pixels.shape == target.shape and pixels.dtype == target.dtype and pixels.strides == target.strides
            and pixels.__array_interface__["data"][0] == target.__array_interface__["data"][0])


def _completed(sources: list[int], size: int) -> list[int]:
    """``sources`` (distinct indexes below ``size``) made a permutation of ``range(size)``: the unused ones last."""
    used = set(sources)
    return sources + [i for i in range(size) if i not in used]


def permute_in_place(data: np.ndarray, order: Sequence[int]) -> None:
    """Reorder slices so that slice i becomes old slice ``order[i]``, cycle by cycle with one spare slice."""
    done = [False] * len(order)
    for start in range(len(order)):
        if done[start] or order[start] == start:
            continue
        spare = data[start].copy()
        i = start
        while order[i] != start:
            data[i] = data[order[i]]
            done[i] = True
            i = order[i]
        data[i] = spare
        done[i] = True


def _grown(data: np.ndarray, capacity: int) -> np.ndarray:
    bigger = np.empty((capacity, *data.shape[1:]), dtype=data.dtype)
    bigger[:data.shape[0]] = data
    return bigger


def convert(pixels: np.ndarray, steps: Sequence[Step]) -> np.ndarray:
    """Apply ImageJ's type conversions (``ImageStack.convertType`` and FolderOpener's 16 -> 32 switch)."""
    for step in steps:
        if step[0] == "widen16":            # TypeConverter.convertByteToShort
            pixels = pixels.astype(np.uint16)
        elif step[0] == "float":            # convertToFloat through the calibration table, if any
            coefficients = step[1]
            if coefficients:
                pixels = (coefficients[0] + coefficients[1] * pixels.astype(np.float64)).astype(np.float32)
            else:
                pixels = pixels.astype(np.float32)
        elif step[0] == "shift_float":      # FolderOpener: convertToFloat() then subtract(32768), no calibration
            pixels = pixels.astype(np.float32) - np.float32(32768)
    return pixels


def _conversion(stack_depth: int, image: ImagePlus, name: str) -> list[Step]:
    """The steps ``ImageStack.convertType`` applies to a slice of ``image`` added to a ``stack_depth`` stack."""
    depth = image.getBitDepth()
    if depth == stack_depth:
        return []
    if stack_depth == 16 and depth == 8:
        return [("widen16",)]
    if stack_depth == 32 and depth in (8, 16):
        cal = image.calibration
        coefficients = cal.coefficients if cal.function == 0 and cal.coefficients else None
        return [("float", coefficients)]
    raise NotDicomError(f"mixes a {depth}-bit image into a {stack_depth}-bit stack; "
                        "that conversion is not reproduced", name)


@dataclass
class _First:
    """What FolderOpener keeps from the first image it stacks (its metadata, not its pixels)."""

    image: ImagePlus
    bit_depth: int
    dicom: bool

    @classmethod
    def of(cls, image: ImagePlus) -> _First:
        no_pixels = np.empty((0, image.getHeight(), image.getWidth()), dtype=image.data.dtype)
        info = image.info
        return cls(replace(image, data=no_pixels, labels=list(image.labels)), image.getBitDepth(),
                   info is not None and _PIXEL_DATA in info)


@dataclass(frozen=True)
class _Guess:
    """The slice order expected before any pixel is read: the labels it was sorted from, and that order."""

    labels: list[str | None]
    order: list[int]

    def placement(self) -> list[int]:
        """Where each arrival slice goes: the inverse of the order."""
        placement = [0] * len(self.order)
        for index, n in enumerate(self.order):
            placement[n] = index
        return placement


class _Builder:
    """FolderOpener's loop over the opened files: skip, convert, label, and track the value range."""

    def __init__(self, capacity: int, virtual: bool, guess: _Guess | None = None) -> None:
        self.capacity = capacity
        self.virtual = virtual
        self.guess = guess
        self.first: _First | None = None
        self.stack: _Stack | None = None
        self.labels: list[str | None] = []
        self.low, self.high = float("inf"), float("-inf")
        self.same_calibration = True

    def destination(self, fi: FileInfo, shape: tuple[int, int, int]) -> np.ndarray | None:
        """Where the next file's pixels can be read in place: its stack slots, if its raw pixels fit them.

        Only shape and storage type are checked: :meth:`_Stack.add` still
        converts (or skips) a file whose image turns out otherwise.
        """
        data = self.stack.data if self.stack is not None else None
        if data is None or shape[1:] != data.shape[1:] or np.dtype(STORAGE[fi.file_type]) != data.dtype:
            return None
        assert self.stack is not None
        return self.stack.free(shape[0])

    def add(self, name: str, image: ImagePlus) -> None:
        if self.first is None:
            self.first = _First.of(image)
            self.stack = _Stack(self.capacity, image.getHeight(), image.getWidth(), image.data.dtype, self.virtual,
                                self.guess.placement() if self.guess is not None else ())
        first, stack = self.first, self.stack
        assert stack is not None
        if (image.getWidth(), image.getHeight()) != (first.image.getWidth(), first.image.getHeight()):
            return    # ImageJ logs "<name>: wrong size; WxH expected, ..." and skips the file
        if abs(image.calibration.pixelWidth - first.image.calibration.pixelWidth) > 1e-10:
            self.same_calibration = False
        for index, label in enumerate(_labels(image)):
            if first.dicom and first.bit_depth == 16 and image.getBitDepth() == 32:
                stack.convert_all(("shift_float",), np.float32)   # FolderOpener's DICOM 16 -> 32-bit switch
                first.bit_depth = 32
            stack.add(_Slot(name, index, _conversion(first.bit_depth, image, name)), image.data[index])
            self.labels.append(self._guessed_copy(label))
            self.low = min(self.low, image.display_range[0])
            self.high = max(self.high, image.display_range[1])

    def _guessed_copy(self, label: str | None) -> str | None:
        """The guess's string for this slice where it equals ``label``: one copy of each label, not two."""
        n, guessed = len(self.labels), self.guess.labels if self.guess is not None else []
        return guessed[n] if n < len(guessed) and guessed[n] == label else label

    def finish(self, names: Sequence[str], folder: str, reader: Callable[[str], ImagePlus] | None) -> ImagePlus:
        """The stack once every file is in, or ImageJ's error when none opened."""
        if self.first is None or self.stack is None:
            listing_dir = folder if folder.endswith(("/", "\\")) else folder + "/"
            message = NO_IMAGES_MESSAGE.format(directory=listing_dir) if names else None   # no names: silent null
            raise NotDicomError("no file in the folder opens as an image", folder, imagej_message=message)
        order = (self.guess.order if self.guess is not None and self.guess.labels == self.labels
                 else _sort_order(self.first.image.info, self.labels))      # a right guess is not sorted twice
        return _finish(self.first, self.stack, self.labels, order, (self.low, self.high), self.same_calibration,
                       folder, reader)


def assemble(images: Iterable[ImagePlus | None], names: Sequence[str], folder: str, *,
             virtual: bool = False, reader: Callable[[str], ImagePlus] | None = None) -> ImagePlus:
    """The ImagePlus ``FolderOpener.open(folder)`` makes from the folder's files opened one by one.

    ``names`` are the file names in FolderOpener's order (:func:`list_folder`)
    and ``images`` the opened files in that order, ``None`` where a file did
    not open; it may be a generator, and each image is dropped once copied.
    With ``virtual=True`` the pixels are not kept: ``reader(name)`` must
    re-open a file when a slice of it is asked for.
    """
    builder = _Builder(len(names), virtual)
    remaining = iter(images)
    for name in names:     # not zip(): its reused result tuple would keep the previous file alive
        image = next(remaining, None)
        if image is not None:
            builder.add(name, image)
        del image          # let this file's pixels go before the next file is opened
    return builder.finish(names, folder, reader)


def _labels(image: ImagePlus) -> list[str | None]:
    """FolderOpener's slice labels for one file: ``name\\nInfo``, or ``name:k`` for each frame of a stack."""
    title = image.getTitle()
    n = image.getStackSize()
    if n == 1:
        return [_single_label(title, image.info)]
    own = [image.labels[k] for k in range(n)]
    return [f"{title}:{label}" if label is not None and len(label) <= 15
            else (f"{title}:{k + 1}" if title else title) for k, label in enumerate(own)]


def _single_label(title: str, info: str | None) -> str:
    """The label of a one-slice file: its title, then its Info unless that is a TIFF description."""
    return f"{title}\n{info}" if info is not None and _use_info(info) else title


def _use_info(info: str) -> bool:
    return not (info.startswith("Software") or info.startswith("ImageDescription"))


def _sort_order(first_info: str | None, labels: Sequence[str | None]) -> list[int] | None:
    """The order FolderOpener sorts the slices into: ``DicomTools.sort``, only when the first image is DICOM."""
    if first_info is None or first_info.rfind(_PIXEL_DATA) <= 0:
        return None
    return dicom_sort_order(labels)


def _finish(first: _First, stack: _Stack, labels: list[str | None], order: list[int] | None,
            value_range: tuple[float, float], same_calibration: bool, folder: str,
            reader: Callable[[str], ImagePlus] | None) -> ImagePlus:
    """What FolderOpener does once every file is in: calibration, DICOM sort (``order``), voxel depth, display range."""
    image = first.image
    image_type = _stack_type(image, first.bit_depth)
    first_cal = replace(image.calibration, coefficients=image.calibration.getCoefficients())
    calibration = Calibration()
    if same_calibration:
        if first_cal.pixelWidth != 1.0 and first_cal.pixelDepth == 1.0:
            first_cal.pixelDepth = first_cal.pixelWidth
        calibration = _set_on_stack(first_cal, image, image_type)
    stack.arrange(order)
    if order is not None:
        labels = [labels[i] for i in order]
    if image.info is not None and image.info.rfind(_PIXEL_DATA) > 0:
        depth = voxel_depth(labels)
        if depth > 0:
            first_cal.pixelDepth = depth
            calibration = _set_on_stack(first_cal, image, image_type)
    data = _stack_data(stack, image_type, reader)
    display = image.display_range
    if image_type in (GRAY16, GRAY32):
        display = _set_min_and_max(value_range, image_type, data[0])
    listing_dir = folder if folder.endswith(("/", "\\")) else folder + "/"
    file_info = {**image.file_info, "fileFormat": 0, "fileName": "", "directory": listing_dir}
    single = len(labels) == 1
    return ImagePlus(
        title=folder_title(listing_dir), data=data, image_type=image_type,
        info=image.info if single else None, labels=labels, calibration=calibration,
        display_range=display, inverted_lut=image.inverted_lut, lut=image.lut, file_info=file_info)


def _set_on_stack(cal: Calibration, first: ImagePlus, image_type: int) -> Calibration:
    """``ImagePlus.setCalibration`` (``Calibration.setImage``): a value function survives only on its own depth.

    The calibration remembers the bit depth of the first image; on a stack of
    another depth, or any 32-bit or RGB stack, the function is dropped (a
    32-bit stack keeps the value unit).
    """
    cal = replace(cal, coefficients=cal.getCoefficients())
    depth = {GRAY16: 16, GRAY32: 32, COLOR_RGB: 24}.get(image_type, 8)
    if depth != first.getBitDepth() or image_type in (GRAY32, COLOR_RGB):
        unit = cal.valueUnit
        cal.function, cal.coefficients, cal.valueUnit = 20, None, "Gray Value"
        if image_type == GRAY32:
            cal.valueUnit = unit
    return cal


def _stack_type(image: ImagePlus, bit_depth: int) -> int:
    if bit_depth == 32:
        return GRAY32
    if bit_depth == 16:
        return GRAY16
    return image.image_type if bit_depth != 24 else COLOR_RGB


def _stack_data(stack: _Stack, image_type: int, reader: Callable[[str], ImagePlus] | None) -> Any:
    """The arranged stack's pixels: its array, or a lazy stack re-reading files (virtual)."""
    if stack.data is not None:
        return stack.data
    if reader is None:
        raise ValueError("a virtual stack needs a reader to re-open its files")
    slots = list(stack.slots)
    first = reader(slots[0].name)
    dtype = np.float32 if image_type == GRAY32 else first.data.dtype

    def read(n: int) -> np.ndarray:
        slot = slots[n]
        return convert(reader(slot.name).data[slot.index], slot.steps)

    return LazyStack((len(slots), first.getHeight(), first.getWidth()), dtype, read)


def _set_min_and_max(value_range: tuple[float, float], image_type: int, first_slice: np.ndarray
                     ) -> tuple[float, float]:
    """``ImageProcessor.setMinAndMax(min, max)`` on slice 1: (0, 0) means the data range of that slice."""
    low, high = value_range
    if low == 0.0 and high == 0.0:
        finite = first_slice[np.isfinite(first_slice)] if image_type == GRAY32 else first_slice
        return (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    if image_type == GRAY16:      # ShortProcessor's rule of the emulated release
        return set_min_and_max(GRAY16, low, high, first_slice)
    return float(np.float32(low)), float(np.float32(high))    # FloatProcessor keeps floats


# --- the pure backend's entry point ----------------------------------------------------------

def open_series(folder: str, *, virtual: bool = False) -> ImagePlus:
    """``FolderOpener.open(folder)`` on the pure opener, in two passes over the files.

    First every header is decoded (small: the labels keep that text anyway);
    from them the slice order is guessed, so that the second pass can read
    each file's pixels straight into its final place in the stack, with no
    per-file array and no copy.  The files are still opened, skipped and
    converted one by one in FolderOpener's order, through the same opener as
    :func:`bridge.core.opener.open_image`.
    """
    listing = list_folder(folder)
    paths = [listing.directory + name for name in listing.names]
    headers = [_header(path) for path in paths]
    builder = _Builder(len(paths), virtual, _guess(listing.names, headers))
    for k, (name, path) in enumerate(zip(listing.names, paths)):
        header, headers[k] = headers[k], None    # each header's text goes once its file is stacked
        try:
            image = _open(path, header, builder.destination)
        except DicomReadError as err:
            if err.thrown is not None:  # DICOM.open threw, and FolderOpener lets it through
                raise CorruptHeaderError(f"ImageJ failed with {err.thrown}", folder,
                                         thrown=err.thrown) from err
            continue            # ImageJ skips files that do not open
        builder.add(name, image)
        del image               # let this file's pixels go before the next file is opened
    return builder.finish(listing.names, listing.directory.rstrip("/") or "/",
                          reader=lambda name: opener.open_image(listing.directory + name))


#: A file after the first pass: its decoded header, the error opening it gives, or None (no plain DICOM file).
_Header = Union["DicomHeader", DicomReadError, None]


def _header(path: str) -> _Header:
    """The first half of ``open_image`` on ``path``; an error is kept, to be raised in its turn."""
    try:
        return local_header(path)
    except DicomReadError as err:
        return err


def _open(path: str, header: _Header, destination: Destination) -> ImagePlus:
    """The second half of ``open_image``: raise the kept error, open the routed way, or read the pixels."""
    if isinstance(header, DicomReadError):
        raise header
    if header is None:
        return open_routed(path)
    return read_image(header, destination)


def _guess(names: Sequence[str], headers: Sequence[_Header]) -> _Guess | None:
    """The order ``DicomTools.sort`` will give, from the headers alone (None: no guess, or no sort).

    The guess is made when every file is a one-slice DICOM file of the first
    one's size, so that file k gives arrival slice k with a known label.
    """
    decoded = [h for h in headers if isinstance(h, DicomHeader)]
    if not decoded or len(decoded) != len(headers):
        return None
    size = (decoded[0].fi.width, decoded[0].fi.height)
    if any(h.fi.n_images > 1 or (h.fi.width, h.fi.height) != size for h in decoded):
        return None
    labels: list[str | None] = [_single_label(name, h.info) for name, h in zip(names, decoded)]
    order = _sort_order(decoded[0].info, labels)
    return _Guess(labels, order) if order is not None else None
