"""bridge's virtual display starts only when something draws, and ends with the process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bridge.backends.jvm import display

pytestmark = pytest.mark.jvm

TIMEOUT = 120


@pytest.fixture
def xvfb_log(tmp_path: Path) -> Path:
    """A ``PATH`` folder whose ``Xvfb`` writes a line (its pid, arguments, socket activation) and runs the real one."""
    real = shutil.which(display.XVFB)
    if real is None:
        pytest.skip("Xvfb is not installed")      # the CI set-up installs it (scripts/setup.sh)
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "xvfb.log"
    wrapper = folder / display.XVFB
    wrapper.write_text(f'#!/bin/sh\necho "$$ $* LISTEN_FDS=$LISTEN_FDS" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    return log


def _bridge_run(macro: str, tmp_path: Path, log: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "macro.ijm"
    script.write_text(macro)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "BRIDGE_DISPLAY")}
    env["PATH"] = f"{log.parent / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([sys.executable, "-m", "bridge", "run", str(script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)


def _gone(pid: int, within: float = 20.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid):
            return True
        time.sleep(0.1)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return ""


def test_a_macro_that_only_prints_starts_no_display(tmp_path, xvfb_log):
    done = _bridge_run('print("hello");\nprint("a" + 1);\n', tmp_path, xvfb_log)
    assert (done.returncode, done.stdout, done.stderr) == (0, "hello\na1\n", "")
    assert not xvfb_log.exists()


def test_a_command_starts_the_display_on_first_use_and_exit_stops_it(tmp_path, xvfb_log):
    macro = ('newImage("ramp", "8-bit ramp", 64, 32, 1);\n'
             'run("Median...", "radius=2");\n'       # a command: ImageJ's menus and a GenericDialog
             'run("Add...", "value=3");\n'
             'print(getTitle() + " " + getPixel(40, 10));\n')
    done = _bridge_run(macro, tmp_path, xvfb_log)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "ramp 163\n"                       # ImageJ 1.53t -batch prints the same
    started = xvfb_log.read_text().splitlines()
    assert len(started) == 1 and started[0].endswith("LISTEN_FDS=1")     # once, on bridge's socket
    pid = int(started[0].split()[0])
    assert _gone(pid), f"Xvfb {pid} outlived bridge run"


def test_a_dialog_shown_on_the_lazily_started_display_is_closed(tmp_path, xvfb_log):
    """The dialog guard comes with AWT (ToolkitStartHook): a dialog is cancelled, never waited on."""
    done = _bridge_run('x = getNumber("How many?", 3);\nprint("n=" + x);\n', tmp_path, xvfb_log)
    assert done.returncode == 1 and done.stdout == ""
    assert "How many?" in done.stderr
    assert len(xvfb_log.read_text().splitlines()) == 1
