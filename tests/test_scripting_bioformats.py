"""Scripts that use Bio-Formats, run by `bridge run` and by ImageJ with the Bio-Formats jar installed.

The reference is ``ij.ImageJ -batch`` with ``bioformats_package.jar`` on its class path and
its folder as ImageJ's plugins folder (``-Dplugins.dir``: where ImageJ finds the importer's
menu command), under a virtual display (``tests/imagej_reference.py``).  The macro runs
both ways; JDK 17 gives ImageJ's -batch no JavaScript engine and this machine has no
Jython, so the JavaScript and Python scripts (``BF.openImagePlus``) are compared with
the macro's output: the importer with ``autoscale`` is ``BF.openImagePlus``'s defaults.
A direct ``BF`` call lets Bio-Formats log its debug lines to stdout, in ImageJ too, so
those two are compared on the lines the scripts print (``bf: ...``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pydicom.data
import pytest

from bridge import locate
from tests.imagej_reference import Run, bridge_run, imagej_batch, reference_display  # noqa: F401 - fixture

pytestmark = [pytest.mark.jvm, pytest.mark.bioformats]

SCRIPTS = Path(__file__).resolve().parent / "data" / "scripts"
#: an RGB file (a 3-channel composite in Bio-Formats) and a 30-frame JPEG one
FILES = ("examples_rgb_color.dcm", "examples_ybr_color.dcm")


def imagej_with_bioformats(macro: Path, arg: str, cwd: Path, display_name: str) -> Run:
    jar = locate.bioformats_jar().path
    assert jar is not None
    return imagej_batch(macro, arg, cwd, display_name, class_path=[jar],
                        properties={"plugins.dir": str(Path(jar).parent)})


def _copy(name: str, folder: Path) -> Path:
    source = pydicom.data.get_testdata_file(name)
    assert source is not None
    return Path(shutil.copyfile(source, folder / name))


def _results(run: Run) -> list[str]:
    return [line for line in run.stdout.splitlines() if line.startswith("bf: ")]


@pytest.mark.parametrize("name", FILES)
def test_importer_macro_prints_what_imagej_prints(tmp_path: Path, reference_display: str, name: str) -> None:
    image = _copy(name, tmp_path)
    ours = bridge_run(SCRIPTS / "bf_import.ijm", str(image), cwd=tmp_path)
    theirs = imagej_with_bioformats(SCRIPTS / "bf_import.ijm", str(image), tmp_path, reference_display)
    assert (ours.returncode, ours.stderr) == (0, "")
    assert f"bf: {name} " in theirs.stdout and "Populating metadata" in theirs.stdout
    assert ours.stdout.splitlines() == theirs.stdout.splitlines()


@pytest.mark.parametrize("script", ["bf_open.js", "bf_open.py"])
@pytest.mark.parametrize("name", FILES)
def test_bf_scripts_print_what_the_importer_macro_prints_in_imagej(tmp_path: Path, reference_display: str,
                                                                    name: str, script: str) -> None:
    image = _copy(name, tmp_path)
    ours = bridge_run(SCRIPTS / script, f"image={image}" if script.endswith(".py") else str(image), cwd=tmp_path)
    theirs = imagej_with_bioformats(SCRIPTS / "bf_import.ijm", str(image), tmp_path, reference_display)
    assert ours.returncode == 0, ours.stderr
    assert len(_results(theirs)) > 4
    assert _results(ours) == _results(theirs)
