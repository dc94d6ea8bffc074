"""The ROI Manager against ImageJ 1.53t's own ``RoiManager`` (a hidden one, live through JPype).

The same selections are added on both sides; labels, the selection and slice
*Select* restores, *Rename*, *Delete*, *Measure* rows and the ``.zip`` sets
each saves (entry names and bytes) must agree, and each side opens the
other's set.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bridge.core import roi as R
from bridge.core import roifile
from bridge.core import statistics as S
from bridge.core.measure import Settings
from bridge.core.results import ResultsTable
from bridge.core.roimanager import RoiManager
from bridge.model import ImagePlus

sys.path.insert(0, str(Path(__file__).parent))
import imagej_live as ij  # noqa: E402
from test_measure_parity import csv_of, open_file  # noqa: E402

pytestmark = pytest.mark.jvm


def both_managers(imp: ImagePlus, rois: list[tuple[int, R.Roi]]) -> tuple[RoiManager, Any, Any]:
    """Each selection added on its slice (``(slice, roi)``) to a Python and a Java manager."""
    ours, theirs = RoiManager(), ij.jclass("ij.plugin.frame.RoiManager")(True)
    jimp = ij.java_image_of(imp)
    for slice_number, roi in rois:
        imp.setSlice(slice_number)
        jimp.setSlice(slice_number)
        imp.setRoi(roi.clone())
        jimp.setRoi(ij.java_roi_with_attributes(roi))
        ours.addRoi(imp)
        assert theirs.runCommand(jimp, "Add")
        assert imp.getRoi() is not None and imp.getRoi().name == str(jimp.getRoi().getName())
    return ours, theirs, jimp


def labels(manager: Any) -> list[str]:
    return [str(manager.getName(i)) for i in range(int(manager.getCount()))]


def selections_of(imp: ImagePlus) -> list[R.Roi]:
    w, h = imp.getWidth(), imp.getHeight()
    named = R.OvalRoi(w // 5, h // 6, w // 2 + 1, h // 2)
    named.name = "liver"
    return [R.Roi(w // 4, h // 4, w // 2, h // 3), named, R.PolygonRoi([1, w // 2, w - 2], [2, h // 4, h - 1]),
            R.Line(1.5, 2.2, w - 3.3, h / 2), R.PointRoi([3.5], [4.0]), R.Roi(0, 0, w, h)]


@pytest.mark.parametrize("name", ["CT_small.dcm", "rtdose.dcm"])
def test_add_select_rename_delete(name: str) -> None:
    imp = open_file(name)
    stack = imp.getStackSize()
    rois = [(1 + (i * 3) % stack, roi) for i, roi in enumerate(selections_of(imp))]
    ours, theirs, jimp = both_managers(imp, rois)
    assert ours.getCount() == int(theirs.getCount()) and [r.name for r in ours.getRoisAsArray()] == labels(theirs)
    for index in range(ours.getCount()):
        ours.select(index, imp)
        theirs.select(jimp, index)
        mine, java = imp.getRoi(), jimp.getRoi()
        assert mine is not None
        b, jb = mine.getBounds(), java.getBounds()
        assert (mine.getType(), b.x, b.y, b.width, b.height) == (int(java.getType()), jb.x, jb.y, jb.width, jb.height)
        assert imp.getCurrentSlice() == int(jimp.getCurrentSlice()), index
        assert ours.getSelectedIndex() == int(theirs.getSelectedIndex())
    ours.select(1, imp)
    theirs.select(jimp, 1)
    ours.rename("0003-0010-0020")
    theirs.runCommand("Rename", "0003-0010-0020")
    assert ours.getRoi(1).position == int(theirs.getRoi(1).getPosition())
    assert [r.name for r in ours.getRoisAsArray()] == labels(theirs)
    ours.select(2, imp)
    theirs.select(jimp, 2)
    ours.delete()
    theirs.runCommand("Delete")
    assert [r.name for r in ours.getRoisAsArray()] == labels(theirs) and ours.getSelectedIndex() == -1


def test_measure_each_entry_on_its_slice(tmp_path: Path) -> None:
    """Each entry selected and measured alone (ImageJ headless starts its Results afresh at every Measure)."""
    imp = open_file("rtdose.dcm")
    rois = [(1 + (i * 4) % 15, roi) for i, roi in enumerate(selections_of(imp)) if roi.getType() != R.OVAL]
    ours, theirs, jimp = both_managers(imp, rois)
    options = S.AREA + S.MEAN + S.STD_DEV + S.MIN_MAX + S.CENTROID + S.LABELS + S.STACK_POSITION
    ij.jclass("ij.plugin.filter.Analyzer").setMeasurements(options)
    system = ij.jclass("ij.measure.ResultsTable").getResultsTable()
    for index in range(ours.getCount()):
        system.reset()
        table = ResultsTable()
        imp.setSlice(1)
        jimp.setSlice(1)
        ours.select(index, imp)
        theirs.select(jimp, index)
        ours.measure(imp, Settings(options), table)
        assert theirs.runCommand(jimp, "Measure")
        assert csv_of(table, tmp_path / "ours.csv") == csv_of(system, tmp_path / "imagej.csv"), index
        assert imp.getCurrentSlice() == int(jimp.getCurrentSlice())


def test_measure_all_leaves_no_selection() -> None:
    imp = open_file("CT_small.dcm")
    areas = [roi for roi in selections_of(imp) if roi.isArea() and roi.getType() != R.OVAL]
    ours, theirs, jimp = both_managers(imp, [(1, roi) for roi in areas])
    table = ResultsTable()
    ours.measure(imp, Settings(S.AREA + S.MEAN), table)
    assert theirs.runCommand(jimp, "Measure")
    assert table.size() == len(areas)
    assert imp.getRoi() is None and jimp.getRoi() is None


def test_sets_are_saved_and_opened_alike(tmp_path: Path) -> None:
    imp = open_file("rtdose.dcm")
    rois = [(slice_number, roi) for slice_number, roi in zip((1, 4, 4, 7, 2, 9), selections_of(imp))]
    rois.append((4, R.Roi(imp.getWidth() // 4, imp.getHeight() // 4, imp.getWidth() // 2, imp.getHeight() // 3)))
    ours, theirs, _ = both_managers(imp, rois)                      # the last label repeats the first
    mine, java = tmp_path / "ours.zip", tmp_path / "imagej.zip"
    ours.save(mine)
    assert theirs.runCommand("Save", str(java))
    with zipfile.ZipFile(mine) as a, zipfile.ZipFile(java) as b:
        assert a.namelist() == b.namelist()
        assert all(a.read(n) == b.read(n) for n in a.namelist())
    reopened = RoiManager()
    reopened.open(java)
    assert [reopened.getName(i) for i in range(reopened.getCount())] == labels(theirs)
    assert [roifile.encode(r) for r in reopened.getRoisAsArray()] == [ij.java_roi_bytes(j) for j in
                                                                     theirs.getRoisAsArray()]
    assert [str(j.getName()) for j in ij.java_open_set(str(mine))] == [r.name for r in ours.getRoisAsArray()]


def test_one_roi_file_is_saved_as_imagej_saves_it(tmp_path: Path) -> None:
    imp = open_file("CT_small.dcm")
    ours, theirs, jimp = both_managers(imp, [(1, roi) for roi in selections_of(imp)])
    ours.select(3, imp)
    theirs.select(jimp, 3)
    ours.save(tmp_path / "ours.roi")
    assert theirs.runCommand("Save", str(tmp_path / "imagej.roi"))
    assert (tmp_path / "ours.roi").read_bytes() == (tmp_path / "imagej.roi").read_bytes()
