"""Ported scripts print what ImageJ prints: the original through `bridge run` (real ImageJ), the port on both backends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from bridge import backends, cli
from bridge.core import commands
from bridge.errors import ScriptError
from bridge.port import port_file

from tests.series_folders import Slice, write_folder

from .helpers import SCRIPTS, run_port, write_folder_of_files, write_stack
from .random_macros import random_macro

DATA = Path(__file__).parent.parent / "data"
pytestmark = pytest.mark.jvm


def imagej_output(script: Path, args: list[str], capfd: pytest.CaptureFixture[str]) -> str:
    """What the original prints in real ImageJ (`bridge run` on the jvm backend)."""
    capfd.readouterr()
    assert cli.main(["run", str(script), *args]) == 0
    return capfd.readouterr().out


def without_results_echo(printed: str) -> str:
    """ImageJ run headless echoes the Results table after Measure (tab-separated lines); a port does not."""
    return "".join(line for line in printed.splitlines(keepends=True) if "\t" not in line)


@pytest.mark.parametrize("name", ["language.ijm", "language.js", "arrays.ijm"])
def test_the_languages_control_flow_and_numbers(name, capfd):
    port = port_file(SCRIPTS / name)
    assert port.untranslated == []
    expected = imagej_output(SCRIPTS / name, [], capfd)
    assert expected == (SCRIPTS / f"{name}.out").read_text()   # the golden file test_translate.py uses
    assert run_port(port.python) == expected


@pytest.mark.parametrize("name", ["stack.ijm", "stack.js"])
def test_a_stack_walk_on_both_backends(name, tmp_path, capfd):
    stack = write_stack(tmp_path / "stack.dcm")
    port = port_file(SCRIPTS / name)
    assert port.untranslated == []
    expected = without_results_echo(imagej_output(SCRIPTS / name, [str(stack)], capfd))
    assert "6: mean=" in expected and "bright" in expected and "dark" in expected
    for backend in ("pydicom", "jvm"):
        backends.set_backend(backend)
        assert run_port(port.python, str(stack)) == expected, backend


@pytest.mark.parametrize("name", ["scripts/tags.js", "scripts/tags_reference.ijm"])
def test_the_example_scripts(name, tmp_path, capfd):
    image = shutil.copy(get_testdata_file("CT_small.dcm"), tmp_path / "ct.dcm")
    port = port_file(DATA / name)
    assert port.untranslated == []
    expected = imagej_output(DATA / name, [str(image)], capfd)
    assert expected.startswith("Image: ct.dcm 128x128 16-bit\n")
    backends.set_backend("jvm")
    assert run_port(port.python, str(image)) == expected
    backends.set_backend("pydicom")
    if "Median..." in commands.names():
        assert run_port(port.python, str(image)) == expected
    else:   # the pure backend's Median... is on its way: until then the port stops as ImageJ would
        with pytest.raises(ScriptError, match='Unrecognized command: "Median..."'):
            run_port(port.python, str(image))


def test_a_series_folder_in_javascript(tmp_path, capfd):
    folder = write_folder(tmp_path, "series", [Slice(f"s{i}.dcm", instance=i + 1, z=2.5 * i, offset=40 * i)
                                               for i in range(4)])
    port = port_file(SCRIPTS / "series.js")
    assert port.untranslated == []
    expected = imagej_output(SCRIPTS / "series.js", [folder], capfd)
    assert expected.startswith("Stack: 4 slices") and "4: Instance= 4 " in expected
    for backend in ("pydicom", "jvm"):
        backends.set_backend(backend)
        assert run_port(port.python, folder) == expected, backend


def test_folder_listing_golden_file_is_imagejs(tmp_path, capfd):
    folder = write_folder_of_files(tmp_path / "fl")
    assert imagej_output(SCRIPTS / "files.ijm", [str(folder)], capfd) == (SCRIPTS / "files.ijm.out").read_text()


def test_a_batch_macro_over_a_folder(tmp_path, capfd):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("CT_small.dcm", "MR_small.dcm"):
        shutil.copy(get_testdata_file(name), folder / name)
    (folder / "notes.txt").write_text("not an image")
    port = port_file(SCRIPTS / "batch.ijm")
    assert port.untranslated == []
    expected = without_results_echo(imagej_output(SCRIPTS / "batch.ijm", [str(folder)], capfd))
    assert expected.endswith("MR_small.dcm: mean 359.93, min 179\n2 files measured\n")
    for backend in ("pydicom", "jvm"):
        backends.set_backend(backend)
        assert run_port(port.python, str(folder)) == expected, backend


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("suffix", [".ijm", ".js"])
def test_random_text_and_number_chains_print_as_imagej(seed, suffix, tmp_path, capfd):
    """300 random ``print`` lines per seed: the macro's text rules (runs of numbers, 4 decimals, own calls),
    JavaScript's (left fold, ``Number::toString``, text in arithmetic)."""
    macro = tmp_path / f"random{suffix}"
    macro.write_text(random_macro(seed, 300, javascript=suffix == ".js"))
    capfd.readouterr()
    status = cli.main(["run", str(macro)])
    printed = capfd.readouterr()
    assert status == 0 or (status == 1 and "in line" in printed.err)
    expected = printed.out.splitlines()
    if seed == 1 and suffix == ".ijm":
        assert expected == (SCRIPTS / "random_seed1.out").read_text().splitlines()   # test_translate's golden
    # ImageJ's parser stops at a few valid-looking lines (seed 3, line 279: a parenthesized difference of
    # two own-function calls after text): the port must print every line ImageJ printed before that.
    assert len(expected) >= 250
    port = port_file(macro)
    assert port.untranslated == []
    assert run_port(port.python).splitlines()[:len(expected)] == expected


def test_bridge_run_gives_a_port_its_arguments(tmp_path, capfd):
    """`bridge run port.py ARGS` (the jvm backend's Python runner) passes ARGS as `python port.py ARGS` would."""
    image = shutil.copy(get_testdata_file("CT_small.dcm"), tmp_path / "ct.dcm")
    ported = tmp_path / "tags.py"
    ported.write_text(port_file(DATA / "scripts/tags_reference.ijm").python)
    expected = imagej_output(DATA / "scripts/tags_reference.ijm", [str(image)], capfd)
    assert imagej_output(ported, [str(image)], capfd) == expected
