"""ImageJ's ROI Manager (``ij.plugin.frame.RoiManager``), headless, one per thread.

The manager is a list of selections with labels and a list selection.  Its
commands follow ImageJ 1.53t's in a batch-mode macro:

* *Add* stores a copy of the image's selection under its name, or under
  ImageJ's standard label (``"0050-0128"``: centre y and x; the slice first
  for stacks), and names the image's selection so too;
* *Select* puts a copy back on the image, moving to its slice (its
  position, else the slice in its standard label);
* *Measure* measures the selected entries, else all, each on its slice;
* *Delete* removes the selected entries, else all; *Rename* renames the one
  selected; *Save* writes a ``.zip`` set (all entries) or one ``.roi`` (the
  first selected); *Open* adds a ``.roi`` file or a set's entries.

ImageJ's manager is one per JVM; bridge keeps one per thread (:func:`current`),
as it keeps the Results table, so parallel batch jobs do not share lists.
Errors are ImageJ's texts as :class:`~bridge.errors.ScriptError`.
"""

from __future__ import annotations

import math
import os
import threading
from typing import TYPE_CHECKING

from ..errors import ScriptError
from . import colors, roifile
from . import measure as analyzer
from .results import ResultsTable
from .roi import POINT, Roi

if TYPE_CHECKING:
    from ..model import ImagePlus

_local = threading.local()


class RoiManager:
    """``new RoiManager(true)``: a hidden manager, its list and its selected indexes."""

    def __init__(self) -> None:
        self._rois: list[Roi] = []
        self._labels: list[str] = []
        self._selected: list[int] = []

    def __repr__(self) -> str:
        return f"<RoiManager {self._labels}>"

    # --- what the Java class answers -------------------------------------------------------
    def getCount(self) -> int:
        return len(self._rois)

    def getRoi(self, index: int) -> Roi | None:
        """The stored selection itself (as ImageJ's), None out of range."""
        return self._rois[index] if 0 <= index < len(self._rois) else None

    def getRoisAsArray(self) -> list[Roi]:
        return list(self._rois)

    def getName(self, index: int) -> str | None:
        return self._labels[index] if 0 <= index < len(self._labels) else None

    def getSelectedIndex(self) -> int:
        """The first selected index, -1 when none (the macro's ``roiManager("index")``)."""
        return self._selected[0] if self._selected else -1

    def getSelectedIndexes(self) -> list[int]:
        return list(self._selected)

    def getIndexes(self) -> list[int]:
        """The selected indexes, else all (what Measure, Delete and Save-one work on)."""
        return list(self._selected) if self._selected else list(range(len(self._rois)))

    def add(self, roi: Roi, n: int = -1, imp: ImagePlus | None = None) -> None:
        """``add(imp, roi, n)``: store a copy; an unnamed one gets the standard label (``n`` >= 0 leads it)."""
        label = roi.name
        if label is None:
            label = standard_label(imp, roi, n)
            roi.name = label
        elif n >= 0:
            label = f"{n}-{label}"
        self._labels.append(label)
        self._rois.append(roi.clone())

    def addRoi(self, imp: ImagePlus, color: str | None = None, line_width: float = 1.0) -> None:
        """The *Add* command: the image's selection, named (the image's too) and copied into the list.

        ``color`` and ``line_width`` are the macro's ``roiManager("add", color, width)``: the copy (not
        the image's selection) gets that stroke colour (a name or hex, ``Colors.decode``; cyan if
        unreadable) and, above 1, that stroke width (rounded; over 100 is 1, as ImageJ's).
        """
        roi = imp.getRoi()
        if roi is None:
            raise ScriptError("roiManager()", None, "The active image does not have a selection.")
        label = roi.name if roi.name is not None and not is_standard_name(roi.name) else None
        if label is None:
            label = standard_label(imp, roi, -1)
        roi.name = label
        copy = roi.clone()
        width = math.floor(line_width + 0.5)
        if width > 100:
            width = 1
        if width > 1:                              # Roi.setStrokeWidth: a wide outline has no fill
            copy.stroke_width, copy.fill_color = float(width), 0
        if color is not None:
            copy.stroke_color = colors.decode(color, colors.CYAN)
        self._labels.append(label)
        self._rois.append(copy)

    def select(self, index: int, imp: ImagePlus | None = None) -> None:
        """Select entry ``index`` (a negative one deselects) and put it on ``imp``, on its slice."""
        if index < 0:
            self.deselect()
            return
        if index >= self.getCount():
            return
        self._selected = [index]
        if imp is not None:
            self._restore(imp, index)

    def deselect(self) -> None:
        self._selected = []

    def delete(self) -> None:
        """The selected entries, else all; an empty list is ImageJ's error."""
        if not self._rois:
            raise ScriptError("roiManager()", None, "The ROI Manager is empty.")
        doomed = set(self.getIndexes())
        self._rois = [r for i, r in enumerate(self._rois) if i not in doomed]
        self._labels = [s for i, s in enumerate(self._labels) if i not in doomed]
        self._selected = []

    def reset(self) -> None:
        self._rois, self._labels, self._selected = [], [], []

    def rename(self, name: str) -> None:
        """Rename the selected entry; a standard label's slice becomes its position, as ImageJ does."""
        if not self._selected:
            raise ScriptError("roiManager()", None, "Exactly one item in the list must be selected.")
        index = self._selected[0]
        if name == self._labels[index]:
            return
        roi = self._rois[index]
        roi.name = name
        slice_number = label_slice(name)
        if slice_number > 0 and roi.hyperstack_position is None:
            roi.position = slice_number
        self._labels[index] = name

    def measure(self, imp: ImagePlus, settings: analyzer.Settings, table: ResultsTable) -> None:
        """*Measure*: one Results row per selected entry (else every entry), each on its slice.

        ImageJ 1.53t means to add the Slice column for stacks but resets the
        choice on the next line, so the columns are the session's, as here.
        """
        indexes = self.getIndexes()
        if not indexes:
            raise ScriptError("roiManager()", None, "The ROI Manager is empty.")
        all_slice_one = imp.getStackSize() == 1 or not any(
            self._slice_of(i) > 1 or self._rois[i].hyperstack_position for i in indexes)
        current_slice = imp.getCurrentSlice()
        for index in indexes:
            self._restore(imp, index, set_slice=not all_slice_one)
            analyzer.measure(imp, imp.getRoi(), settings, table)
        imp.setSlice(current_slice)
        if len(indexes) > 1:
            imp.deleteRoi()

    def save(self, path: str | os.PathLike[str]) -> None:
        """``.zip``: every entry under its label; ``.roi``: the first selected entry (else the first)."""
        target = os.fspath(path)
        if target.endswith(".roi"):
            if not self._rois:
                raise ScriptError("roiManager()", None, "The list is empty")
            roifile.write(self._rois[self.getIndexes()[0]], target)
            return
        if not target.endswith(".zip"):
            raise ScriptError("roiManager()", None, "Name must end with '.zip'")
        if not self._rois:
            raise ScriptError("roiManager()", None, "The list is empty")
        roifile.write_set(self._rois, target, self._labels)

    def open(self, path: str | os.PathLike[str]) -> None:
        """Add a ``.roi`` file (labelled by its name) or every ``.roi`` entry of a ``.zip`` set."""
        target = os.fspath(path)
        if target.endswith(".zip"):
            entries = roifile.read_set_entries(target)
            if not entries:
                raise ScriptError("roiManager()", None,
                                  f'This ZIP archive does not contain ".roi" files: {target}')
            for label, roi in entries:
                self._labels.append(label)
                self._rois.append(roi)
            return
        roi = roifile.read(target)
        label = roi.name if roi.name is not None else os.path.basename(target)
        self._labels.append(label[:-4] if label.endswith(".roi") else label)
        self._rois.append(roi)

    def runCommand(self, cmd: str, arg: str | None = None, imp: ImagePlus | None = None,
                   settings: analyzer.Settings | None = None, table: ResultsTable | None = None) -> bool:
        """``runCommand(cmd)`` / ``runCommand(cmd, name)``: False for a command it does not know.

        "Add", "Measure" and "Select" (with ``arg`` the index) need ``imp``;
        "Measure" writes to ``table`` with ``settings`` (fresh ones if None).
        """
        command = cmd.lower()
        if command in ("open", "save", "rename"):
            if arg is None:
                raise ScriptError("roiManager()", None, f'"{cmd}" needs a path or name')
            {"open": self.open, "save": self.save, "rename": self.rename}[command](arg)
        elif command == "add":
            self.addRoi(_needs(imp, cmd))
        elif command == "select":
            self.select(int(arg or 0), imp)
        elif command == "measure":
            self.measure(_needs(imp, cmd), settings or analyzer.Settings(), table if table is not None
                         else ResultsTable())
        elif command == "delete":
            self.delete()
        elif command == "reset":
            self.reset()
        elif command == "deselect" or "all" in command:
            self.deselect()
        else:
            return False
        return True

    # --- restoring a selection onto an image ------------------------------------------
    def _slice_of(self, index: int) -> int:
        """``getSliceNumber(roi, label)``: the position, else the standard label's slice, else -1."""
        position = self._rois[index].position
        return position if position > 0 else label_slice(self._labels[index])

    def _restore(self, imp: ImagePlus, index: int, set_slice: bool = True) -> None:
        """``restore``: the slice (position, else the label's) and a copy of the selection on ``imp``."""
        roi = self._rois[index]
        hyperstack = roi.hyperstack_position
        if set_slice:
            size = imp.getStackSize()
            if hyperstack is not None and hyperstack[1] > 0 and size == imp.getNSlices():
                imp.setSlice(hyperstack[1])
            elif 0 < roi.position <= size:
                imp.setSlice(roi.position)
            else:
                n = label_slice(self._labels[index])
                if 1 <= n <= size:
                    imp.setSlice(n)
        copy = roi.clone()
        b = copy.getBounds()
        width, height = imp.getWidth(), imp.getHeight()
        if (b.x >= width or b.y >= height or b.x + b.width < 0 or b.y + b.height < 0) and copy.getType() != POINT:
            raise ScriptError("roiManager()", None, f"{self._labels[index]} lies outside the image; ImageJ "
                                                    "moves it to the centre, which bridge does not do yet")
        imp.setRoi(copy)


def _needs(imp: ImagePlus | None, cmd: str) -> ImagePlus:
    if imp is None:
        raise ScriptError("roiManager()", None, f'"{cmd}" needs an image: There are no images open')
    return imp


def standard_label(imp: ImagePlus | None, roi: Roi, n: int) -> str:
    """``RoiManager.getLabel``: ``yyyy-xxxx`` of the bounds' centre (``nnnn-yyyy`` with ``n``), slice first for stacks."""
    b = roi.getBounds()
    xc, yc = b.x + _java_div(b.width, 2), b.y + _java_div(b.height, 2)
    if n >= 0:
        xc, yc = yc, n
    xc, yc = max(xc, 0), max(yc, 0)
    digits = max(4, len(str(xc)), len(str(yc)))
    if digits == 4 and imp is not None and (imp.getStackSize() >= 10000 or imp.getHeight() >= 10000):
        digits = 5
    label = f"{yc:0{digits}d}"[-digits:] + "-" + f"{xc:0{digits}d}"[-digits:]
    if imp is not None and imp.getStackSize() > 1:
        label = f"{imp.getCurrentSlice():0{digits}d}"[-digits:] + "-" + label
    return label


def is_standard_name(name: str) -> bool:
    """``RoiManager.isStandardName``: a label the manager made (and will remake for a new position)."""
    n = len(name)
    if n < 9 or not name[0].isdigit():
        return False
    return ((n >= 14 and name[4] == "-" and name[9] == "-") or (n >= 17 and name[5] == "-" and name[11] == "-")
            or (n >= 9 and name[4] == "-" and name[5].isdigit()) or (n >= 11 and name[5] == "-" and name[6].isdigit()))


def label_slice(label: str) -> int:
    """``getSliceNumber(label)``: the slice a standard stack label starts with, -1 if none."""
    for digits, first, second in ((4, 4, 9), (5, 5, 11), (6, 6, 13)):
        if len(label) >= second + 5 and label[first] == "-" and label[second] == "-":
            return _parse_int(label[:digits])
    return -1


def _parse_int(text: str) -> int:
    """``(int)Tools.parseDouble(text, -1)``."""
    try:
        value = float(text)
    except ValueError:
        return -1
    return int(value) if math.isfinite(value) else -1


def _java_div(a: int, b: int) -> int:
    """Java's integer division (toward zero)."""
    return int(a / b)


def current() -> RoiManager:
    """This thread's ROI Manager, made empty on first use (the macro's ``roiManager`` works on it)."""
    manager = getattr(_local, "manager", None)
    if manager is None:
        manager = _local.manager = RoiManager()
    return manager


def reset_current() -> RoiManager:
    """A fresh, empty manager for this thread, returned."""
    manager = _local.manager = RoiManager()
    return manager
