"""`bridge port`: control flow is translated or refused, and nothing is dropped silently."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bridge import cli
from bridge.errors import BridgeError
from bridge.port import port_javascript, port_macro, port_source

from .helpers import SCRIPTS, run_port, write_folder_of_files
from .random_macros import random_macro


@pytest.mark.parametrize("name", ["language.ijm", "language.js", "arrays.ijm"])
def test_ports_print_what_imagej_printed(name):
    """The .out files are ImageJ 1.53t's output (test_imagej.py checks them against the live ImageJ)."""
    port = port_source((SCRIPTS / name).read_text(), name)
    assert port.untranslated == []
    assert run_port(port.python) == (SCRIPTS / f"{name}.out").read_text()


def test_random_text_and_number_chains_as_imagej_printed():
    """ImageJ 1.53t's output for 300 random print lines (test_imagej.py checks the file against it live)."""
    port = port_macro(random_macro(1, 300))
    assert port.untranslated == []
    assert run_port(port.python) == (SCRIPTS / "random_seed1.out").read_text()


def test_macro_text_chains():
    """``"a" + 1 + 2`` is a3 in a macro (numbers after text are summed first); JavaScript folds left."""
    source = 'n = 5;\nfunction f(x) { return x / 3; }\nprint("a" + 1 + 2, n + 1 + "b" + 2 + 3, "c" + f(1) + 2);\n'
    assert run_port(port_macro(source).python) == "a3 6b5 c0.33333333333333332\n"
    assert run_port(port_javascript('print("a" + 1 + 2);').python) == "a12\n"
    assert "subtracting" in port_macro('print("a" - 1);').untranslated[0][2]


def test_folder_listing_and_paths_as_imagej_printed(tmp_path):
    folder = write_folder_of_files(tmp_path / "fl")
    port = port_macro((SCRIPTS / "files.ijm").read_text())
    assert port.untranslated == []
    assert run_port(port.python, str(folder)) == (SCRIPTS / "files.ijm.out").read_text()


def test_if_else_runs_one_branch():
    source = 'x = 2;\nif (x > 1) {\n  print("big");\n} else {\n  print("small");\n}\n'
    assert run_port(port_javascript(source).python) == "big\n"
    assert run_port(port_macro(source).python) == "big\n"
    assert run_port(port_macro(source.replace("x = 2", "x = 0")).python) == "small\n"


def test_for_loop_continue_runs_the_update():
    source = "n = 0;\nfor (i = 0; i < 5; i++) {\n  if (i == 2) continue;\n  n += i;\n}\nprint(n + \" \" + i);\n"
    assert run_port(port_macro(source).python) == "8 5\n"
    assert run_port(port_javascript(source).python) == "8 5\n"


def test_functions_are_defined_before_use_and_share_var_globals():
    source = ('var count = 0;\nprint(twice(3));\nprint(count);\n'
              'function twice(x) {\n  count++;\n  return 2 * x;\n}\n')
    assert run_port(port_macro(source).python) == "6\n1\n"


def test_python_names_are_not_shadowed():
    source = "min = 3; max = 10; len = minOf(min, max);\nprint(len + abs(-1));\n"
    port = port_macro(source)
    assert "min_ = 3" in port.python
    assert run_port(port.python) == "4\n"


def test_refused_statements_stay_as_comments_with_their_lines():
    source = ('print("before");\n'                       # 1
              'switch (x) {\n'                           # 2
              '  case 1: print("one");\n'                # 3
              '}\n'                                      # 4
              'if (true) {\n'                            # 5
              '  f = new java.io.File("x");\n'           # 6
              '}\n'                                      # 7
              'print("after" + nImages);\n')             # 8
    port = port_javascript(source)
    assert [line for line, _, _ in port.untranslated] == [2, 3, 4, 6, 8]
    reasons = {line: why for line, _, why in port.untranslated}
    assert "switch" in reasons[2] and reasons[3] == "part of the statement on line 2"
    assert "File" in reasons[6] or "new" in reasons[6]
    assert "nImages" in reasons[8]
    for number in (2, 3, 4, 6, 8):
        assert f"# bridge port: line {number} not translated" in port.python
    assert run_port(port.python) == "before\n"        # the rest still runs; the if's body is a pass


@pytest.mark.parametrize("source, why", [
    ("newImage(\"a\", \"8-bit\", 4, 4, 1);", "newImage() is not in bridge's macro functions"),
    ("x = y + 1;", "y is not a variable"),
    ("a = newArray(2); a[i++] = 1;", "inside an expression"),
    ("x = getStatistics(a) + 1;", "only as a statement"),
    ("requires(\"1.54f\");", "newer ImageJ"),
    ("close(\"*\");", "close(pattern)"),
    ("x = 1; x >>>= 2;", "operator"),
    ("i = 0; do { i++; if (i < 3) continue; } while (i < 5);", "continue in a do-while"),
])
def test_macro_refusals_say_why(source, why):
    port = port_macro(source)
    assert port.untranslated, source
    assert why in port.untranslated[-1][2]


@pytest.mark.parametrize("source, why", [
    ("importClass(Packages.java.io.File);", "not in bridge's facade"),
    ("var imp = IJ.getImage();", "IJ.getImage() is not in bridge's facade"),
    ("var f = function(x) { return x; };", "function expression"),
    ("var x;", "without a value"),
    ("var s = 'a'.replace(/a/, 'b');", "regular expression"),
    ("try { print(1); } catch (e) { print(2); }", "try statement"),
])
def test_javascript_refusals_say_why(source, why):
    port = port_javascript(source)
    assert port.untranslated, source
    assert why in port.untranslated[0][2]


def test_cli_lists_untranslated_lines_and_exits_1(tmp_path, capsys):
    script = tmp_path / "qa.ijm"
    script.write_text('print("a");\nselectWindow("x");\nfor (i = 0; i < 2; i++) print(i);\n')
    assert cli.main(["port", str(script)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"bridge port: {script}:2: not translated (selectWindow() is not in bridge's macro functions): "
        'selectWindow("x");']
    compile(captured.out, "port.py", "exec")
    assert "while i < 2:" in captured.out


def test_cli_exit_0_when_everything_translates(tmp_path, capsys):
    script = tmp_path / "ok.js"
    script.write_text("for (var i = 0; i < 2; i++) print(i);\n")
    assert cli.main(["port", str(script)]) == 0
    assert run_port(capsys.readouterr().out) == "0\n1\n"


def test_syntax_errors_and_macro_sets_name_the_line(tmp_path):
    with pytest.raises(BridgeError, match="line 2"):
        port_macro("x = 1;\ny = (2;\n")
    with pytest.raises(BridgeError, match="line 2: a second macro block"):
        port_macro('macro "a" { print(1); }\nmacro "b" { print(2); }\n')


def test_a_macro_block_keeps_its_line_numbers():
    port = port_macro('macro "Main" {\n  print("ok");\n  foo();\n}\n')
    assert [line for line, _, _ in port.untranslated] == [3]
    assert run_port(port.python.replace("# bridge port", "#")) == "ok\n"


def test_a_port_does_not_load_the_parser():
    """esprima's import takes seconds (Unicode tables): ported scripts and other commands skip it."""
    code = "import sys, bridge.cli, bridge.port.runtime; print('esprima' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


def test_macro_endings_and_calls_without_parentheses():
    source = 'print("a");\nt = getTitle;\nif (true) { exit("bye"); }\nprint("b");\n'
    port = port_macro(source)
    assert "t = getTitle()" in port.python and port.untranslated == []
    with pytest.raises(SystemExit) as ended:
        run_port(port.python.replace("t = getTitle()", "t = 'x'"))
    assert ended.value.code == 0
    port = port_macro('if (nResults == 0) return;\nprint("b");\nreturn "value";\n')
    assert "macro_exit()" in port.python
    assert [(line, why) for line, _, why in port.untranslated] == [
        (3, "a return value outside a function (the macro's result for its caller)")]
    with pytest.raises(BridgeError, match="line 1"):
        port_macro("x = ;\nreturn;\n")   # tolerant parsing lets through the top-level return only
