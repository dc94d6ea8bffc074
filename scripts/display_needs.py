"""Which ImageJ commands need a display: each sample command run with bridge's Xvfb and headless.

Headless, ImageJ 1.53t builds no command table at all (``Menus`` needs a
``java.awt.MenuBar``), so without a display every ``run("...")`` fails.  The question
this script answers is the next one: given ImageJ's own table, which commands would
still run headless (``java.awt.headless=true``)?  It measures, in two processes:

1. with bridge's virtual display: ImageJ's command table, and each command of the
   sample (``tests/backends/jvm/test_commands.py``: the commands DICOM scripts use, with
   the macro recorder's options) run on CT_small.dcm, printing what it left;
2. headless (``BRIDGE_DISPLAY=none``), the table of step 1 put into ``Menus``, the same
   macros.

A command runs headless when it prints the same line and logs no exception; otherwise
the table says what went wrong.  The result replaces the part of docs/command-line.md
between the ``display-needs`` markers (``--check`` only compares).
Usage: python scripts/display_needs.py [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "command-line.md"
START, END = "<!-- display-needs:start -->", "<!-- display-needs:end -->"


def _sample() -> list[tuple[str, str, str]]:
    sys.path.insert(0, str(ROOT))
    from tests.backends.jvm.test_commands import SAMPLE
    return list(SAMPLE)


def _macro(image: str, command: str, options: str, before: str) -> str:
    """One command on a fresh copy of the image, then one line saying what it left."""
    return "\n".join([
        f'open("{image}");', before, f'run("{command}", "{options}");',
        'getStatistics(area, mean, min, max, std);',
        'print(getTitle() + "|" + getWidth() + "x" + getHeight() + "|" + bitDepth() + "|" + nImages'
        ' + "|" + nResults + "|" + d2s(mean, 4) + "|" + d2s(std, 4));'])


def _exception(traces: str) -> str | None:
    found = re.search(r"^([\w.$]+(?:Exception|Error))(?::|$)", traces, re.MULTILINE)
    return found[1] if found else None


def child(mode: str, table_file: str) -> None:
    """Run every sample command in this process's JVM; print the outcomes as JSON."""
    from pydicom.data import get_testdata_file

    from bridge.backends.jvm import companion, runtime
    image = get_testdata_file("CT_small.dcm")
    menus = runtime.jclass("ij.Menus")
    if mode == "display":
        companion.prepare_commands()
        companion.run_macro('run("Clear Results");', "<table>", "", True)   # ImageJ builds its table
        table = menus.getCommands()
        Path(table_file).write_text(json.dumps({str(k): str(table.get(k)) for k in table.keySet()}))
    else:
        table = runtime.jclass("java.util.Hashtable")()
        for name, target in json.loads(Path(table_file).read_text()).items():
            table.put(name, target)
        field = menus.class_.getDeclaredField("pluginsTable")
        field.setAccessible(True)
        field.set(None, table)
    outcomes = []
    for command, options, before in _sample():
        outcome = companion.run_macro(_macro(image, command, options, before), "<sample>", "", True)
        outcomes.append({"command": command, "output": outcome.output.strip().splitlines()[-1:],
                         "error": outcome.error, "exception": _exception(outcome.stack_traces)})
    print(json.dumps(outcomes))


def _run_child(mode: str, table_file: str) -> list[dict[str, object]]:
    env = {**os.environ, "BRIDGE_DISPLAY": "xvfb" if mode == "display" else "none", "BRIDGE_BACKEND": "jvm"}
    done = subprocess.run([sys.executable, __file__, "--child", mode, table_file], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900, check=True)
    result: list[dict[str, object]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _line(outcome: dict[str, object]) -> str:
    """The macro's summary line (title|size|bits|images|results|mean|sd)."""
    lines = outcome["output"]
    return str(lines[0]) if isinstance(lines, list) and lines else ""


def _verdict(shown: dict[str, object], headless: dict[str, object]) -> tuple[bool, str]:
    if shown["error"] is not None or shown["exception"] is not None:
        return False, f"fails with a display too: {shown['error'] or shown['exception']}"
    if headless["exception"] is not None:
        return True, f"headless: {headless['exception']}"
    if headless["error"] is not None:
        return True, f"headless: {str(headless['error']).splitlines()[0]}"
    if headless["output"] != shown["output"]:   # e.g. the filters: headless, the options are not read
        return True, f"headless, another result: `{_line(headless)}` instead of `{_line(shown)}`"
    return False, "same result headless"


def table_text(shown: list[dict[str, object]], headless: list[dict[str, object]]) -> str:
    needs = sorted({str(s["command"]) for s, h in zip(shown, headless) if _verdict(s, h)[0]})
    rows = ["| Command | Needs a display | Measured |", "|---|---|---|"]
    seen: set[str] = set()
    for s, h in zip(shown, headless):
        command = str(s["command"])
        if command in seen:
            continue
        seen.add(command)
        need, why = _verdict(s, h)
        rows.append(f"| `{command}` | {'yes' if need else 'no'} | {why.replace('|', ' ')} |")
    summary = (f"{len(seen)} commands of the sample, {len(needs)} need a display "
               f"(generated by `scripts/display_needs.py`):")
    return "\n".join([summary, "", *rows])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the doc's table is current")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        table_file = str(Path(folder) / "table.json")
        shown = _run_child("display", table_file)
        headless = _run_child("headless", table_file)
    text = table_text(shown, headless)
    doc = DOC.read_text(encoding="utf-8")
    before, _, rest = doc.partition(START)
    _, _, after = rest.partition(END)
    updated = f"{before}{START}\n{text}\n{END}{after}"
    if args.check:
        print("current" if updated == doc else "out of date")
        sys.exit(0 if updated == doc else 1)
    DOC.write_text(updated, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
