"""The project's DICOM scripts run by `bridge run` and by ImageJ itself: same lines, same files.

ImageJ is run the reference way (``ij.ImageJ -batch`` under a virtual display, see
``tests/imagej_reference.py``).  JDK 17 has no JavaScript engine for ImageJ's -batch and
this machine has no Jython, so the JavaScript and Python scripts are compared with the
output of ``tags_reference.ijm``, the same steps as a macro.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pydicom.data
import pytest

from tests.imagej_reference import bridge_run, imagej_batch, reference_display  # noqa: F401 - fixture
from tests.phantom import ct_phantom
from tests.series_folders import Slice, write_folder

pytestmark = pytest.mark.jvm

SCRIPTS = Path(__file__).resolve().parent / "data" / "scripts"


@pytest.fixture
def ct(tmp_path: Path) -> Path:
    path = tmp_path / "ct.dcm"
    shutil.copyfile(pydicom.data.get_testdata_file("CT_small.dcm"), path)
    return path


def test_phantom_qa_macro_prints_and_saves_what_imagej_does(tmp_path, ct, reference_display):
    ours = bridge_run(SCRIPTS / "phantom_qa.ijm", str(ct), str(tmp_path / "ours.csv"), cwd=tmp_path)
    theirs = imagej_batch(SCRIPTS / "phantom_qa.ijm", f"{ct} {tmp_path / 'imagej.csv'}", tmp_path, reference_display)
    assert (ours.returncode, ours.stderr) == (0, "")
    assert "Uniformity %:" in theirs.stdout and "Saved rows: 2" in theirs.stdout
    assert ours.stdout.splitlines() == theirs.stdout.splitlines()
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "imagej.csv").read_bytes()


def test_ct_qa_macro_on_a_512_ct_prints_and_saves_what_imagej_does(tmp_path, reference_display):
    """The 100-line QA macro of benchmarks/bench_run.py: ROIs, Median, a thresholded selection, a profile."""
    ct = ct_phantom(tmp_path / "phantom.dcm")
    ours = bridge_run(SCRIPTS / "ct_qa.ijm", str(ct), str(tmp_path / "ours.csv"), cwd=tmp_path)
    theirs = imagej_batch(SCRIPTS / "ct_qa.ijm", f"{ct} {tmp_path / 'imagej.csv'}", tmp_path, reference_display)
    assert (ours.returncode, ours.stderr) == (0, "")
    assert "Image: phantom.dcm 512x512 16-bit" in theirs.stdout and "PASS: uniformity" in theirs.stdout
    assert ours.stdout.splitlines() == theirs.stdout.splitlines()
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "imagej.csv").read_bytes()


def _run_both(script: str, ct: Path, tmp_path: Path, display_name: str) -> tuple[Path, Path]:
    """Run ``script ct folder`` with bridge and with ImageJ, each writing into its own folder."""
    ours, theirs = tmp_path / "ours", tmp_path / "imagej"
    ours.mkdir()
    theirs.mkdir()
    mine = bridge_run(SCRIPTS / script, str(ct), str(ours), cwd=tmp_path)
    reference = imagej_batch(SCRIPTS / script, f"{ct} {theirs}", tmp_path, display_name)
    assert (mine.returncode, mine.stderr) == (0, "")
    assert reference.stdout.count("\n") > 10
    assert mine.stdout.splitlines() == reference.stdout.splitlines()
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in theirs.iterdir())
    return ours, theirs


def test_table_windows_macro_prints_and_saves_what_imagej_does(tmp_path, ct, reference_display):
    """Table.create/set/get/size/save/rename/reset and IJ.renameResults on tables besides Results;
    the table windows left open do not keep `bridge run` from exiting."""
    ours, theirs = _run_both("tables.ijm", ct, tmp_path, reference_display)
    assert {p.name for p in ours.iterdir()} == {"counts.csv", "areas.csv", "renamed.csv", "results.csv"}
    for name in ("counts.csv", "areas.csv", "renamed.csv", "results.csv"):
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name


def test_roi_manager_macro_prints_and_saves_what_imagej_does(tmp_path, ct, reference_display):
    """roiManager add, count, select, measure, rename, save, reset, open: same lines, same ROI set."""
    ours, theirs = _run_both("roi_manager.ijm", ct, tmp_path, reference_display)
    assert (ours / "roi_results.csv").read_bytes() == (theirs / "roi_results.csv").read_bytes()
    with zipfile.ZipFile(ours / "rois.zip") as mine, zipfile.ZipFile(theirs / "rois.zip") as reference:
        names = reference.namelist()
        assert len(names) == 3 and mine.namelist() == names     # the zips differ only in entry times
        assert all(mine.read(name) == reference.read(name) for name in names)


def test_series_macro_reads_per_slice_tags_as_imagej(tmp_path, reference_display):
    folder = write_folder(tmp_path, "series", [Slice(f"s{i}.dcm", instance=i + 1, z=2.5 * i, offset=40 * i)
                                               for i in range(4)])
    ours = bridge_run(SCRIPTS / "series_info.ijm", folder, cwd=tmp_path)
    theirs = imagej_batch(SCRIPTS / "series_info.ijm", folder, tmp_path, reference_display)
    assert (ours.returncode, ours.stderr) == (0, "")
    assert "Stack: 4 slices" in theirs.stdout
    assert ours.stdout.splitlines() == theirs.stdout.splitlines()


@pytest.mark.parametrize("script", ["tags.js", "tags.py"])
def test_javascript_and_python_scripts_print_what_the_macro_prints_in_imagej(tmp_path, ct, reference_display, script):
    arg = f"image={ct}" if script.endswith(".py") else str(ct)
    ours = bridge_run(SCRIPTS / script, arg, cwd=tmp_path)
    theirs = imagej_batch(SCRIPTS / "tags_reference.ijm", str(ct), tmp_path, reference_display)
    assert (ours.returncode, ours.stderr) == (0, "")
    assert "Filtered mean:" in theirs.stdout
    assert ours.stdout.splitlines() == theirs.stdout.splitlines()


def test_failing_macro_stops_with_imagejs_error_on_stderr(tmp_path):
    ours = bridge_run(SCRIPTS / "fails.ijm", cwd=tmp_path)
    assert ours.returncode == 1
    assert ours.stdout == "before\n"
    first = ours.stderr.splitlines()[0]
    assert first == 'Unrecognized command: "Enhance Contrast Harder" in line 4'
    assert "Exception" not in ours.stdout + ours.stderr


def test_missing_script_file_is_a_usage_error(tmp_path):
    ours = bridge_run(tmp_path / "missing.js", cwd=tmp_path)
    assert (ours.returncode, ours.stdout) == (2, "")
    assert "no such file" in ours.stderr and "missing.js" in ours.stderr


def test_python_script_missing_parameter_is_a_usage_error_naming_it(tmp_path):
    ours = bridge_run(SCRIPTS / "tags.py", cwd=tmp_path)
    assert (ours.returncode, ours.stdout) == (2, "")
    assert "missing script parameter 'image'" in ours.stderr


def test_without_a_display_a_command_fails_naming_it_and_the_fix(tmp_path, ct, monkeypatch):
    monkeypatch.setenv("BRIDGE_DISPLAY", "none")
    ours = bridge_run(SCRIPTS / "phantom_qa.ijm", str(ct), str(tmp_path / "r.csv"), cwd=tmp_path)
    assert ours.returncode == 1
    assert ours.stdout.splitlines() == ["Image: ct.dcm 128x128 16-bit", "Modality: CT"]
    assert 'run("Set Measurements...") needs ImageJ\'s command table' in ours.stderr
    assert "apt-get install xvfb" in ours.stderr and "Exception" not in ours.stderr
