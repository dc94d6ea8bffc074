"""ImageJ's menu commands on the jvm backend: its own table, recorder options, ImageJ's results.

The table is ImageJ's (``Menus``, built from the jar's ``IJ_Props.txt`` on bridge's
virtual display); the sample runs each command the way the macro recorder writes it
on CT_small.dcm, through ``bridge run`` and through ``ij.ImageJ -batch``, and compares
what each command left: title, size, type, statistics, Results rows.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pydicom.data
import pytest

from bridge import IJ
from bridge import locate
from bridge.backends.jvm import companion, display, runtime
from bridge.errors import ScriptError
from tests.imagej_reference import bridge_run, imagej_batch, reference_display  # noqa: F401 - fixture

pytestmark = pytest.mark.jvm

#: (command, options, macro run first): a sample of the commands DICOM scripts use, as recorded.
SAMPLE = [
    ("Invert", "", ""),
    ("Invert LUT", "", ""),
    ("Enhance Contrast...", "saturated=0.35", ""),
    ("Enhance Contrast...", "saturated=0.35 normalize", ""),
    ("Crop", "", "makeRectangle(20, 30, 64, 48);"),
    ("Specify...", "width=40 height=30 x=10 y=12", ""),
    ("Rotate... ", "angle=15 grid=1 interpolation=Bilinear", ""),
    ("Divide...", "value=2", ""),
    ("Multiply...", "value=1.5", ""),
    ("Add...", "value=25", ""),
    ("Subtract...", "value=25", ""),
    ("8-bit", "", ""),
    ("16-bit", "", 'run("32-bit");'),
    ("32-bit", "", ""),
    ("Scale...", "x=0.5 y=0.5 width=64 height=64 interpolation=Bilinear average create", ""),
    ("Canvas Size...", "width=160 height=150 position=Center zero", ""),
    ("Translate...", "x=5 y=3 interpolation=None", ""),
    ("Convert to Mask", "", 'setThreshold(33000, 40000, "raw");'),
    ("Make Binary", "", 'setThreshold(33000, 40000, "raw");'),
    ("Erode", "", 'setThreshold(33000, 40000, "raw"); run("Convert to Mask");'),
    ("Dilate", "", 'setThreshold(33000, 40000, "raw"); run("Convert to Mask");'),
    ("Fill Holes", "", 'setThreshold(33000, 40000, "raw"); run("Convert to Mask");'),
    ("Median...", "radius=2", ""),
    ("Mean...", "radius=2", ""),
    ("Minimum...", "radius=1", ""),
    ("Maximum...", "radius=1", ""),
    ("Variance...", "radius=2", ""),
    ("Gaussian Blur...", "sigma=2", ""),
    ("Unsharp Mask...", "radius=1 mask=0.60", ""),
    ("Smooth", "", ""),
    ("Sharpen", "", ""),
    ("Find Edges", "", ""),
    ("Flip Horizontally", "", ""),
    ("Rotate 90 Degrees Right", "", ""),
    ("Log", "", 'run("32-bit");'),
    ("Square Root", "", 'run("32-bit");'),
    ("Gamma...", "value=0.5", 'run("32-bit");'),
    ("Subtract Background...", "rolling=50", ""),
    ("Bin...", "x=2 y=2 bin=Average", ""),
    ("Size...", "width=64 height=64 depth=1 constrain average interpolation=Bilinear", ""),
    ("Duplicate...", "title=copy", "makeOval(30, 30, 50, 40);"),
    ("Measure", "", 'run("Set Measurements...", "area mean standard min median redirect=None decimal=3");'),
    ("Set Scale...", "distance=10 known=1 unit=mm", ""),
    ("Find Maxima...", "prominence=200 output=Count", ""),
    ("Analyze Particles...", "size=10-Infinity display clear",
     'setThreshold(33000, 40000, "raw"); run("Convert to Mask");'),
    ("Remove Outliers...", "radius=2 threshold=50 which=Bright", ""),
    ("Despeckle", "", ""),
    ("Clear Results", "", 'run("Measure");'),
    ("Histogram", "", ""),
    ("Flip Vertically", "", ""),
]


def sample_macro(image: Path) -> str:
    """One macro that runs every sample command on a fresh copy of ``image`` and prints what it left."""
    lines = []
    for command, options, before in SAMPLE:
        lines += [f'open("{image}");', before, f'run("{command}", "{options}");',
                  'getStatistics(area, mean, min, max, std);',
                  f'print("{command}|" + getTitle() + "|" + getWidth() + "x" + getHeight() + "x" + nSlices'
                  ' + "|" + bitDepth() + "|" + nImages + "|" + nResults + "|" + d2s(mean, 4) + "|" + d2s(min, 4)'
                  ' + "|" + d2s(max, 4) + "|" + d2s(std, 4) + "|" + is("Inverting LUT"));',
                  'close("*");']
    return "\n".join(lines) + "\n"


def ij_props_commands() -> list[str]:
    """Every command the jar's IJ_Props.txt installs in a menu, named as ``Menus`` names it.

    ``Menus`` drops a trailing ``[k]`` when ``k`` is a one-letter or one-digit shortcut
    ("Image...[n]" is "Image..."); other brackets stay ("Next Slice [>]").  The file is a
    Java properties file, so ``\\\\`` is one backslash.
    """
    with zipfile.ZipFile(locate.ij_jar().path) as jar:
        text = jar.read("IJ_Props.txt").decode("latin-1")
    commands = []
    for line in text.splitlines():
        match = re.match(r'^[a-z_0-9]+="([^"]+)",', line)
        if match:
            label = match[1].replace("\\\\", "\\")
            commands.append(re.sub(r"\[[A-Za-z0-9]\]$", "", label))
    return commands


@pytest.fixture
def ct(tmp_path: Path) -> Path:
    path = tmp_path / "ct.dcm"
    shutil.copyfile(pydicom.data.get_testdata_file("CT_small.dcm"), path)
    return path


def test_bridge_has_a_display_for_commands():
    assert display.status().mode == "xvfb"      # scripts/setup.sh installs xvfb
    assert companion.prepare_commands()


def test_every_command_in_ij_props_is_registered():
    companion.prepare_commands()
    table = runtime.jclass("ij.Menus").getCommands()
    commands = ij_props_commands()
    assert len(commands) > 250
    missing = [c for c in commands if not table.containsKey(c)]
    assert missing == []
    # ... and the commands Menus adds itself, not listed in IJ_Props.txt
    assert all(table.containsKey(c) for c in ("Measure", "Duplicate...", "Set Measurements...", "Crop", "Invert"))


def test_sample_of_commands_gives_imagejs_results(tmp_path, ct, reference_display):
    macro = tmp_path / "sample.ijm"
    macro.write_text(sample_macro(ct))
    ours = bridge_run(macro, cwd=tmp_path)
    theirs = imagej_batch(macro, "", tmp_path, reference_display)
    assert (ours.returncode, ours.stderr) == (0, "")
    lines = theirs.stdout.splitlines()
    assert len([line for line in lines if "|" in line]) == len(SAMPLE)
    assert ours.stdout.splitlines() == lines


def test_ij_run_on_a_snapshot_changes_it_like_imagej(ct, capsys):
    imp = IJ.openImage(ct)
    IJ.run(imp, "Invert", "")
    inverted = float(imp.java.getStatistics().mean)          # calibrated (Hounsfield units)
    assert float(imp.data.mean()) == pytest.approx(float(imp.java.getProcessor().getStatistics().mean))
    IJ.run(imp, "32-bit", "")                                 # 32-bit keeps the calibrated values
    assert imp.getBitDepth() == 32 and int(imp.java.getBitDepth()) == 32
    assert float(imp.data.mean()) == pytest.approx(inverted)
    with pytest.raises(ScriptError, match='Unrecognized command: "No Such Command"'):
        IJ.run(imp, "No Such Command", "")
    assert capsys.readouterr().out == ""


def test_ij_run_without_image_and_jimport_reach_imagej():
    from bridge.jvm import jimport
    jimport("ij.measure.ResultsTable").getResultsTable().incrementCounter()
    IJ.run("Clear Results", "")
    assert jimport("ij.measure.ResultsTable").getResultsTable().size() == 0


def test_a_headless_java_runtime_is_run_headless_with_the_fix(monkeypatch, tmp_path):
    """A JRE without ``libawt_xawt.so`` cannot draw even on Xvfb: auto mode plans headless, naming the fix."""
    java_home = tmp_path / "jre"
    (java_home / "lib" / "server").mkdir(parents=True)
    libjvm = java_home / "lib" / "server" / "libjvm.so"
    libjvm.write_bytes(b"")
    monkeypatch.setattr(locate, "jvm_library", lambda: locate.Found(str(libjvm), "test"))
    monkeypatch.setattr(display.shutil, "which", lambda name: "/usr/bin/Xvfb")
    planned = display.planned()
    assert planned.headless and "libawt_xawt.so" in planned.problem and "default-jre" in planned.problem
    (java_home / "lib" / "libawt_xawt.so").write_bytes(b"")
    assert display.planned().mode == "xvfb"
