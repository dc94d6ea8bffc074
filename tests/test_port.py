"""`bridge port`: the seed snippet's translation prints what the original prints."""

import contextlib
import io
import zipfile
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from bridge import cli
from bridge.port import js_str, port_javascript

SEED = (Path(__file__).parent / "data" / "seed.js").read_text()


@pytest.fixture
def ct_zip(tmp_path, monkeypatch):
    """The seed's "ct.dcm.zip" in the working directory: CT_small stored as entry ct.dcm."""
    with zipfile.ZipFile(tmp_path / "ct.dcm.zip", "w") as archive:
        archive.write(get_testdata_file("CT_small.dcm"), "ct.dcm")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "ct.dcm.zip"


def _run_python(code: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<port>", "exec"), {})
    return out.getvalue()


def test_seed_translation_prints_what_the_demo_prints(each_backend, ct_zip):
    port = port_javascript(SEED)
    assert port.untranslated == []
    printed = _run_python(port.python)
    from bridge import DicomTools, IJ
    imp = IJ.openImage(str(ct_zip))
    expected = "".join(f"{label}: {js_str(DicomTools.getTag(imp, tag))}\n"
                       for label, tag in cli.SEED_TAGS)
    assert printed == expected
    assert printed.splitlines()[0] == "Study Description:  e+1 "


def test_untranslatable_lines_are_named(tmp_path, capsys):
    script = tmp_path / "loop.js"
    script.write_text(SEED + "for (i = 0; i < 3; i++) print(i);\nf = new java.io.File(\"x\");\n")
    assert cli.main(["port", str(script)]) == 1
    captured = capsys.readouterr()
    assert f"{script}:11: not translated" in captured.err and f"{script}:10:" not in captured.err
    assert "# bridge port: line 11 not translated" in captured.out and "while i < 3:" in captured.out


def test_js_concatenation_semantics():
    code = port_javascript('x = 1 + 2 + "a" + null + true\nprint(x)').python
    assert _run_python(code) == "3anulltrue\n"
    assert js_str(22.0) == "22" and js_str(None) == "null"


@pytest.mark.jvm
def test_bridge_run_executes_the_seed_snippets_verbatim(ct_zip, capfd):
    """`bridge run` on the JS seed and its macro twin prints what the Python port prints."""
    import bridge
    bridge.set_backend("jvm")
    (ct_zip.parent / "seed.js").write_text(SEED)
    macro = (Path(__file__).parent / "data" / "seed.ijm").read_text()
    (ct_zip.parent / "seed.ijm").write_text(macro)
    expected = _run_python(port_javascript(SEED).python)
    capfd.readouterr()
    assert cli.main(["run", "seed.js"]) == 0
    assert capfd.readouterr().out == expected
    assert cli.main(["run", "seed.ijm"]) == 0
    assert capfd.readouterr().out == expected
