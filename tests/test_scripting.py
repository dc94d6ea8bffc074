"""Original ImageJ JavaScript and macros run unchanged through bridge.scripting (jvm backend)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pydicom.data
import pytest

from bridge.errors import ScriptError
from bridge.scripting import run_macro, run_script

pytestmark = pytest.mark.jvm

ROOT = Path(__file__).resolve().parents[1]

SEED_JS = (ROOT / "tests" / "data" / "seed.js").read_text()

SEED_MACRO = (ROOT / "tests" / "data" / "seed.ijm").read_text()

SEED_OUTPUT = ("Study Description:  e+1 \n"
               "Image Position:  -158.135803\\-179.035797\\-75.699997\n"
               "Pixel Spacing:  0.661468\\0.661468 \n")


@pytest.fixture(scope="module")
def ct_files(tmp_path_factory) -> dict[str, Path]:
    """A local copy of pydicom's CT_small.dcm, and a zip holding it as ct.dcm."""
    folder = tmp_path_factory.mktemp("ct")
    dcm = folder / "ct.dcm"
    shutil.copyfile(pydicom.data.get_testdata_file("CT_small.dcm"), dcm)
    archive = folder / "ct.dcm.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(dcm, "ct.dcm")
    return {"dcm": dcm, "zip": archive}


def with_path(script: str, path: Path) -> str:
    """The seed script with only its path changed."""
    return script.replace('"ct.dcm.zip"', json.dumps(str(path)))


@pytest.mark.parametrize("kind", ["dcm", "zip"])
def test_seed_javascript_prints_imagej_tags(ct_files, capsys, kind):
    assert run_script(with_path(SEED_JS, ct_files[kind])) is None
    assert capsys.readouterr().out == SEED_OUTPUT


@pytest.mark.parametrize("kind", ["dcm", "zip"])
def test_seed_macro_prints_imagej_tags(ct_files, capsys, kind):
    run_macro(with_path(SEED_MACRO, ct_files[kind]))
    assert capsys.readouterr().out == SEED_OUTPUT


def test_script_file_runs_and_returns_its_value(tmp_path, capsys):
    script = tmp_path / "args.js"
    script.write_text('print("arg=" + getArgument());\nIJ.getVersion() + "|" + 6 * 7\n')
    assert run_script(script, ["a", "b"]) == "1.53t|42"  # IJ comes from ImageJ's own prefix
    assert capsys.readouterr().out == "arg=a b\n"


def test_javascript_syntax_error_names_file_and_line(tmp_path):
    script = tmp_path / "broken.js"
    script.write_text("var a = 1;\nvar b = 2;\nvar c = (;\nprint(c);\n")
    with pytest.raises(ScriptError) as info:
        run_script(str(script))
    assert info.value.script == str(script)
    assert info.value.line == 3
    assert "broken.js:3" in str(info.value)


def test_javascript_runtime_error_is_a_script_error():
    with pytest.raises(ScriptError) as info:
        run_script("var x = null;\nx.foo();\n")
    assert (info.value.script, info.value.line) == ("<script>", 2)
    assert "foo" in info.value.message


def test_macro_error_names_line(capsys):
    with pytest.raises(ScriptError) as info:
        run_macro('print("before");\ny = undefinedFunction(2);\n')
    assert info.value.line == 2 and "Undefined identifier" in info.value.message
    assert capsys.readouterr().out == "before\n"


def test_macro_open_of_missing_file_aborts_with_imagej_message(tmp_path, capsys):
    missing = tmp_path / "missing.dcm"
    with pytest.raises(ScriptError) as info:
        run_macro(f'x = 1;\nopen("{missing}");\nprint("not reached");\n')
    assert info.value.line == 2 and "File not found" in info.value.message
    assert "not reached" not in capsys.readouterr().out


def test_macro_exit_return_value_and_fresh_image_list(ct_files, capsys):
    assert run_macro('return "got " + getArgument();', "x") == "got x"
    assert run_macro(f'open("{ct_files["dcm"]}");\nprint(nImages);\nexit("done");\nprint("no");') is None
    assert run_macro("print(nImages);") is None  # the previous macro's image was released
    assert capsys.readouterr().out == "1\ndone\n0\n"


def test_fresh_run_starts_without_the_table_windows_an_earlier_run_left(ct_files, capsys):
    run_macro('Table.create("Counts"); Table.set("n", 0, 7); print(isOpen("Counts"));', fresh=True)
    run_macro('print(isOpen("Counts"));')                       # not fresh: ImageJ's session goes on
    run_macro('print(isOpen("Counts") + " " + nResults);', fresh=True)
    assert capsys.readouterr().out == "1\n1\n0 0\n"


def test_missing_script_file_is_a_script_error(tmp_path):
    with pytest.raises(ScriptError, match="cannot read"):
        run_script(tmp_path / "nope.js")
