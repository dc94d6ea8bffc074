"""``roiManager(...)``, ``getProfile()`` and Measure on lines and points through ``bridge.macro``.

The pure tests hold the macro grammar and the manager's bookkeeping; the jvm
test runs the same macro in real ImageJ (bridge's companion, batch mode) and
compares what it prints with the Python twin's answers.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pydicom.data
import pytest

from bridge import macro
from bridge.core import roimanager
from bridge.errors import BridgeError, ScriptError

CT = pydicom.data.get_testdata_file("CT_small.dcm")


@pytest.fixture(autouse=True)
def fresh_state():
    """No image, an empty Results table and ROI Manager, ImageJ's default measurements."""
    macro.close()
    macro.run("Clear Results")
    macro.run("Set Measurements...", "area mean min redirect=None decimal=3")
    roimanager.reset_current()
    yield
    macro.close()
    macro.run("Clear Results")
    roimanager.reset_current()


def test_add_select_count_index_rename_delete() -> None:
    macro.open(CT)
    macro.makeRectangle(2, 3, 20, 10)
    macro.roiManager("add")
    macro.makeLine(1, 2, 30, 40)
    macro.roiManager("Add")
    assert macro.roiManager("count") == 2 and macro.roiManager("index") == -1
    macro.roiManager("select", 0)
    assert macro.selectionType() == 0 and macro.roiManager("index") == 0
    assert macro.current_image().getRoi().name == "0008-0012"
    macro.roiManager("rename", "tumour")
    assert macro.roi_manager().getName(0) == "tumour"
    macro.roiManager("select", 1)
    assert macro.selectionType() == 5 and macro.roi_manager().getName(1) == "0021-0016"
    macro.roiManager("delete")
    assert macro.roiManager("count") == 1
    macro.roiManager("deselect")
    macro.roiManager("delete")                       # nothing selected: every entry
    assert macro.roiManager("count") == 0
    with pytest.raises(ScriptError, match="The ROI Manager is empty"):
        macro.roiManager("delete")


def test_errors_are_imagejs() -> None:
    macro.open(CT)
    with pytest.raises(ScriptError, match="does not have a selection"):
        macro.roiManager("add")
    with pytest.raises(ScriptError, match=r"Index \(0\) is outside of the 0--1 range"):
        macro.roiManager("select", 0)
    with pytest.raises(ScriptError, match="Invalid ROI Manager command"):
        macro.roiManager("frobnicate")
    with pytest.raises(ScriptError, match="Exactly one item"):
        macro.roiManager("rename", "x")


def test_measure_every_entry_then_the_selected_one() -> None:
    macro.open(CT)
    macro.run("Set Measurements...", "area mean min display redirect=None decimal=3")
    for x in (2, 20, 40):
        macro.makeRectangle(x, 3, 20, 10)
        macro.roiManager("add")
    macro.makeLine(5, 5, 60, 90)
    macro.roiManager("add")
    macro.roiManager("measure")
    assert macro.nResults() == 4
    assert macro.getResultLabel(0) == "CT_small.dcm:0008-0012"
    assert macro.getResult("Length", 3) == pytest.approx((55 ** 2 + 85 ** 2) ** 0.5 * macro.getVoxelSize()[0])
    assert macro.current_image().getRoi() is None
    macro.run("Clear Results")
    macro.roiManager("select", 1)
    macro.roiManager("measure")
    assert macro.nResults() == 1 and macro.getResultLabel(0) == "CT_small.dcm:0008-0030"


def test_save_and_open_sets_and_single_files(tmp_path: Path) -> None:
    macro.open(CT)
    macro.makeOval(10, 10, 30, 20)
    macro.roiManager("add")
    macro.makePoint(5.5, 6.5)
    macro.roiManager("add")
    macro.roiManager("save", str(tmp_path / "set.zip"))
    macro.roiManager("select", 1)
    macro.roiManager("save", str(tmp_path / "one.roi"))
    macro.roiManager("reset")
    macro.roiManager("open", str(tmp_path / "set.zip"))
    macro.roiManager("open", str(tmp_path / "one.roi"))
    manager = macro.roi_manager()
    assert [manager.getName(i) for i in range(3)] == ["0020-0025", "0007-0006", "0007-0006"]
    assert [r.getType() for r in manager.getRoisAsArray()] == [1, 10, 10]
    with pytest.raises(ScriptError, match="must end with '.zip'"):
        macro.roiManager("save", str(tmp_path / "set.txt"))
    (tmp_path / "bad.roi").write_bytes(b"Iout\x00")
    with pytest.raises(BridgeError, match="bad.roi"):
        macro.roiManager("open", str(tmp_path / "bad.roi"))


def test_each_thread_has_its_own_manager() -> None:
    macro.open(CT)
    macro.makeRectangle(2, 3, 20, 10)
    macro.roiManager("add")
    counts = []
    worker = threading.Thread(target=lambda: counts.append(macro.roiManager("count")))
    worker.start()
    worker.join()
    assert counts == [0] and macro.roiManager("count") == 1


def test_measure_lines_and_points() -> None:
    macro.open(CT)
    macro.run("Set Measurements...", "area mean min redirect=None decimal=3")
    macro.makeLine(10, 10, 40, 50)
    macro.run("Measure")
    macro.makePoint(20.5, 30)
    macro.run("Measure")
    assert macro.nResults() == 2
    assert macro.getResult("Length", 0) == pytest.approx(50 * 0.661468, rel=1e-5)
    assert macro.getResult("Angle", 0) == pytest.approx(-53.130102354)
    assert macro.getResult("X", 1) == pytest.approx(20.5 * 0.661468, rel=1e-5)
    assert macro.getResult("Area", 1) == 0


def test_get_profile() -> None:
    macro.open(CT)
    macro.makeLine(10, 10, 10, 20)
    profile = macro.getProfile()
    assert len(profile) == 11
    assert profile[0] == macro.calibrate(macro.getPixel(10, 10))
    macro.makeRectangle(10, 10, 3, 4)
    assert len(macro.getProfile()) == 3
    macro.makeOval(10, 10, 3, 4)
    with pytest.raises(BridgeError, match="Line or rectangular selection required"):
        macro.getProfile()


MACRO = """
open("{path}");
makeRectangle(2, 3, 20, 10); roiManager("add");
makeLine(1, 2, 30, 40); roiManager("add");
makePoint(7.5, 9); roiManager("add");
print(roiManager("count") + " " + roiManager("index"));
roiManager("select", 1);
print(selectionType() + " " + roiManager("index") + " " + Roi.getName);
p = getProfile();
s = 0; for (i = 0; i < p.length; i++) s += p[i];
print(p.length + " " + d2s(s, 6));
run("Set Measurements...", "area mean standard min centroid bounding display redirect=None decimal=3");
roiManager("select", 0); roiManager("rename", "box");
roiManager("select", 2); run("Measure");
print(nResults + " " + getResultLabel(0) + " " + d2s(getResult("X", 0), 6) + " " + d2s(getResult("Mean", 0), 6));
run("Clear Results"); roiManager("select", 1); run("Measure");
print(d2s(getResult("Length", 0), 6) + " " + d2s(getResult("Angle", 0), 6) + " " + d2s(getResult("StdDev", 0), 6));
print(d2s(getValue("Length"), 6) + " " + d2s(getValue("Mean"), 6) + " " + d2s(getValue("Feret"), 6));
for (i = 0; i < 4; i++) {{
  if (i == 0) makeLine(1, 2, 30, 40);
  if (i == 1) makeLine(5, 7, 5, 90);
  if (i == 2) makeLine(3.5, 60, 100.25, 60);
  if (i == 3) makePoint(7.75, 9.5);
  getStatistics(area, mean, min, max, std);
  getRawStatistics(n, rmean);
  print(d2s(area, 6) + " " + d2s(mean, 6) + " " + d2s(min, 6) + " " + d2s(max, 6) + " " + d2s(std, 6) + " " + n + " " + d2s(rmean, 6));
}}
"""


@pytest.mark.jvm
def test_the_same_macro_in_imagej_prints_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    import bridge
    bridge.run_macro(MACRO.format(path=CT))
    imagej = capsys.readouterr().out.split("\n")
    macro.open(CT)
    macro.makeRectangle(2, 3, 20, 10)
    macro.roiManager("add")
    macro.makeLine(1, 2, 30, 40)
    macro.roiManager("add")
    macro.makePoint(7.5, 9)
    macro.roiManager("add")
    ours = [f"{macro.roiManager('count')} {macro.roiManager('index')}"]
    macro.roiManager("select", 1)
    ours.append(f"{macro.selectionType()} {macro.roiManager('index')} {macro.current_image().getRoi().name}")
    profile = macro.getProfile()
    ours.append(f"{len(profile)} {sum(profile):.6f}")
    macro.run("Set Measurements...", "area mean standard min centroid bounding display redirect=None decimal=3")
    macro.roiManager("select", 0)
    macro.roiManager("rename", "box")
    macro.roiManager("select", 2)
    macro.run("Measure")
    ours.append(f"{macro.nResults()} {macro.getResultLabel(0)} {macro.getResult('X', 0):.6f} "
                f"{macro.getResult('Mean', 0):.6f}")
    macro.run("Clear Results")
    macro.roiManager("select", 1)
    macro.run("Measure")
    ours.append(f"{macro.getResult('Length', 0):.6f} {macro.getResult('Angle', 0):.6f} "
                f"{macro.getResult('StdDev', 0):.6f}")
    ours.append(f"{macro.getValue('Length'):.6f} {macro.getValue('Mean'):.6f} {macro.getValue('Feret'):.6f}")
    for make, args in ((macro.makeLine, (1, 2, 30, 40)), (macro.makeLine, (5, 7, 5, 90)),
                       (macro.makeLine, (3.5, 60, 100.25, 60)), (macro.makePoint, (7.75, 9.5))):
        make(*args)
        area, mean, minimum, maximum, std, _ = macro.getStatistics()
        n, raw_mean = macro.getRawStatistics()[:2]
        ours.append(f"{area:.6f} {mean:.6f} {minimum:.6f} {maximum:.6f} {std:.6f} {n} {raw_mean:.6f}")
    printed = [line for line in imagej if line and not line.startswith((" \t", "1\t"))]
    assert printed == ours


WIDE_LINE_MACRO = """
open("{path}");
makeLine(10.5, 20, 80, 60.25, 5);
run("Set Measurements...", "area mean standard min bounding redirect=None decimal=3");
run("Measure");
print(d2s(getResult("Area", 0), 9) + " " + d2s(getResult("Mean", 0), 9) + " " + d2s(getResult("StdDev", 0), 9) + " " + d2s(getResult("Length", 0), 9));
roiManager("add");
makePoint(3.25, 4.5);
roiManager("add");
roiManager("save", "{folder}/imagej.zip");
roiManager("select", 0);
roiManager("save", "{folder}/imagej.roi");
"""


@pytest.mark.jvm
def test_wide_lines_and_their_files_are_imagejs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile
    import bridge
    bridge.run_macro(WIDE_LINE_MACRO.format(path=CT, folder=tmp_path))
    printed = [line for line in capsys.readouterr().out.split("\n") if line and not line.startswith((" \t", "1\t"))]
    macro.open(CT)
    macro.makeLine(10.5, 20, 80, 60.25, 5)
    macro.run("Set Measurements...", "area mean standard min bounding redirect=None decimal=3")
    macro.run("Measure")
    values = [macro.getResult(column, 0) for column in ("Area", "Mean", "StdDev", "Length")]
    assert printed == [" ".join(f"{v:.9f}" for v in values)]
    macro.roiManager("add")
    macro.makePoint(3.25, 4.5)
    macro.roiManager("add")
    macro.roiManager("save", str(tmp_path / "ours.zip"))
    macro.roiManager("select", 0)
    macro.roiManager("save", str(tmp_path / "ours.roi"))
    assert (tmp_path / "ours.roi").read_bytes() == (tmp_path / "imagej.roi").read_bytes()
    with zipfile.ZipFile(tmp_path / "ours.zip") as ours, zipfile.ZipFile(tmp_path / "imagej.zip") as theirs:
        assert ours.namelist() == theirs.namelist()
        assert [ours.read(n) for n in ours.namelist()] == [theirs.read(n) for n in theirs.namelist()]


COLORED_ADD_MACRO = """
open("{path}");
makeRectangle(2, 3, 20, 10); roiManager("add", "red", 5);
makeLine(1, 2, 30, 40); roiManager("add", "#8000ff00");
makeOval(5, 5, 20, 10); roiManager("add", "0x123456", 2.6);
makePolygon(3, 4, 40, 9, 22, 50); roiManager("add", "nonsense", 150);
makeLine(10.5, 20, 80, 60.25, 4); roiManager("add");
makePoint(7.5, 9); roiManager("add", "DarkGray", 0);
makeRectangle(4, 4, 8, 8); roiManager("add", "light grey", 1.4);
roiManager("save", "{folder}/imagej.zip");
makeLine(10.5, 20, 80, 60.25, 5);
p = getProfile();
s = 0; for (i = 0; i < p.length; i++) s += p[i];
print(p.length + " " + d2s(s, 9) + " " + d2s(p[3], 9));
"""


@pytest.mark.jvm
def test_add_with_color_and_width_and_wide_profiles_are_imagejs(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``roiManager("add", color, width)`` stores what ImageJ stores (the saved set, byte for byte)."""
    import zipfile
    import bridge
    bridge.run_macro(COLORED_ADD_MACRO.format(path=CT, folder=tmp_path))
    printed = [line for line in capsys.readouterr().out.split("\n") if line and not line.startswith((" \t", "1\t"))]
    macro.open(CT)
    for make, args, add in ((macro.makeRectangle, (2, 3, 20, 10), ("red", 5)),
                            (macro.makeLine, (1, 2, 30, 40), ("#8000ff00",)),
                            (macro.makeOval, (5, 5, 20, 10), ("0x123456", 2.6)),
                            (macro.makePolygon, (3, 4, 40, 9, 22, 50), ("nonsense", 150)),
                            (macro.makeLine, (10.5, 20, 80, 60.25, 4), ()),
                            (macro.makePoint, (7.5, 9), ("DarkGray", 0)),
                            (macro.makeRectangle, (4, 4, 8, 8), ("light grey", 1.4))):
        make(*args)
        macro.roiManager("add", *add)
    macro.roiManager("save", str(tmp_path / "ours.zip"))
    with zipfile.ZipFile(tmp_path / "ours.zip") as ours, zipfile.ZipFile(tmp_path / "imagej.zip") as theirs:
        assert ours.namelist() == theirs.namelist()
        assert [ours.read(n) for n in ours.namelist()] == [theirs.read(n) for n in theirs.namelist()]
    macro.makeLine(10.5, 20, 80, 60.25, 5)
    profile = macro.getProfile()
    assert printed == [f"{len(profile)} {sum(profile):.9f} {profile[3]:.9f}"]


def test_add_with_color_and_width_changes_the_stored_copy_only() -> None:
    macro.open(CT)
    macro.makeRectangle(2, 3, 20, 10)
    macro.roiManager("add", "yellow", 3)
    stored = roimanager.current().getRoi(0)
    assert stored is not None and stored.stroke_width == 3.0 and stored.stroke_color == -256     # 0xFFFFFF00
    image_roi = macro.current_image().getRoi()
    assert image_roi is not None and image_roi.stroke_width == 0 and image_roi.stroke_color == 0


LINE_WIDTH_MACRO = """
open("{path}");
run("Line Width...", "line=10");
makeLine(10.5, 20, 80, 60.25);
p = getProfile();
print(p.length + " " + d2s(p[0], 9) + " " + d2s(p[p.length - 1], 9) + " " + selectionType());
makeLine(5, 5, 60, 20, 70, 60);
p = getProfile();
print(p.length + " " + d2s(p[0], 9) + " " + d2s(p[p.length / 2], 9));
makeLine(5, 5, 60, 20, 70, 60);
roiManager("add");
roiManager("save", "{folder}/imagej.roi");
run("Line Width...", "line=1");
makeLine(10.5, 20, 80, 60.25);
p = getProfile();
print(p.length);
"""


@pytest.mark.jvm
def test_line_width_makes_new_lines_wide_as_in_imagej(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``run("Line Width...", "line=10")`` then ``makeLine`` + ``getProfile()``: the common edge-profile QA case."""
    import bridge
    bridge.run_macro(LINE_WIDTH_MACRO.format(path=CT, folder=tmp_path))
    printed = [line for line in capsys.readouterr().out.split("\n") if line and not line.startswith((" \t", "1\t"))]
    macro.open(CT)
    try:
        macro.run("Line Width...", "line=10")
        macro.makeLine(10.5, 20, 80, 60.25)
        straight = macro.getProfile()
        macro.makeLine(5, 5, 60, 20, 70, 60)
        segmented = macro.getProfile()
        macro.roiManager("add")
        macro.roiManager("save", str(tmp_path / "ours.roi"))
    finally:
        macro.run("Line Width...", "line=1")
    macro.makeLine(10.5, 20, 80, 60.25)
    assert printed == [f"{len(straight)} {straight[0]:.9f} {straight[-1]:.9f} 5",
                       f"{len(segmented)} {segmented[0]:.9f} {segmented[len(segmented) // 2]:.9f}",
                       str(len(macro.getProfile()))]
    assert (tmp_path / "ours.roi").read_bytes() == (tmp_path / "imagej.roi").read_bytes()


def test_line_width_is_clamped_and_reaches_only_new_lines() -> None:
    macro.open(CT)
    macro.makeLine(1, 2, 30, 40)
    try:
        macro.run("Line Width...", "line=0")
        assert commands_session().line_width == 1
        macro.run("Line Width...", "line=7.9")
        assert commands_session().line_width == 7
        image_line = macro.current_image().getRoi()
        assert image_line is not None and image_line.stroke_width == 0      # the line already there stays thin
        macro.makeLine(1, 2, 30, 40)
        wide_line = macro.current_image().getRoi()
        assert wide_line is not None and wide_line.stroke_width == 7.0
        macro.run("Line Width...", "line=100000")
        assert commands_session().line_width == 500
        with pytest.raises(ScriptError, match="unrecognized option"):
            macro.run("Line Width...", "width=3")
    finally:
        macro.run("Line Width...", "line=1")


def commands_session():  # type: ignore[no-untyped-def]
    from bridge.core import commands
    return commands.current()


WIDE_STATISTICS_MACRO = """
open("{path}");
function line(i) {{
  if (i == 0) makeLine(10.5, 20, 80, 60.25, 5);
  if (i == 1) makeLine(10.5, 20, 80, 60.25);
  if (i == 2) makeLine(5, 5, 60, 20, 70, 60);
  if (i == 3) makeLine(-4, 30, 50.5, 90.25);
  if (i == 4) makeLine(3, 60, 40, 2, 90, 20);
}}
for (i = 0; i < 5; i++) {{
  if (i == 1) run("Line Width...", "line=7");
  line(i);
  getStatistics(area, mean, min, max, std);
  line(i);
  getRawStatistics(n, rmean, rmin, rmax, rstd);
  print(d2s(area, 6) + " " + d2s(mean, 9) + " " + d2s(min, 6) + " " + d2s(max, 6) + " " + d2s(std, 9) + " " + n + " " + d2s(rmean, 9));
}}
run("Line Width...", "line=1");
"""


@pytest.mark.jvm
def test_statistics_of_wide_lines_are_imagejs(capsys: pytest.CaptureFixture[str]) -> None:
    """``getStatistics``: a line's own width goes through its profile; *Line Width...* over 1 measures the
    rounded outline (straight) or the straightened line (segmented), as ImageJ's macro function does.

    Each call gets a fresh selection: ImageJ leaves a straightened segmented line spline-fitted, and a
    second straightening of it can differ in the last digits (bridge's selections stay as made)."""
    import bridge
    bridge.run_macro(WIDE_STATISTICS_MACRO.format(path=CT))
    printed = [line for line in capsys.readouterr().out.split("\n") if line and not line.startswith((" \t", "1\t"))]
    macro.open(CT)
    ours = []
    lines = [(10.5, 20, 80, 60.25, 5), (10.5, 20, 80, 60.25), (5, 5, 60, 20, 70, 60), (-4, 30, 50.5, 90.25),
             (3, 60, 40, 2, 90, 20)]
    try:
        for i, points in enumerate(lines):
            if i == 1:
                macro.run("Line Width...", "line=7")
            macro.makeLine(*points)
            area, mean, minimum, maximum, std, _ = macro.getStatistics()
            n, raw_mean = macro.getRawStatistics()[:2]
            ours.append(f"{area:.6f} {mean:.9f} {minimum:.6f} {maximum:.6f} {std:.9f} {n} {raw_mean:.9f}")
    finally:
        macro.run("Line Width...", "line=1")
    assert printed == ours
