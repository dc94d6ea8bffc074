"""ImageJ run the reference way, and bridge run the user's way, both as separate processes.

The reference is ``java -cp ij.jar ij.ImageJ -batch macro.ijm ARG`` under a virtual
display (an Xvfb started here, as bridge starts its own), the way a user runs ImageJ
headless; bridge is ``python -m bridge run script ARGS...``.  Both run in ``cwd``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from bridge import locate
from bridge.backends.jvm import display

TIMEOUT = 90.0


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str
    returncode: int


@pytest.fixture(scope="session")
def reference_display() -> Iterator[str]:
    """A DISPLAY value for ImageJ's reference runs (an Xvfb of the test session's own)."""
    if display.xvfb_installed() is None:
        pytest.fail("Xvfb is not installed: the reference runs need it (scripts/setup.sh installs xvfb)")
    server = display.VirtualDisplay()
    try:
        yield f":{server.number()}"
    finally:
        server.stop()


def imagej_batch(macro: Path, arg: str, cwd: Path, display_name: str, class_path: Sequence[str] = (),
                 properties: Mapping[str, str] | None = None) -> Run:
    """``ij.ImageJ -batch macro arg``: stdout and stderr as ImageJ wrote them.

    ``class_path``: jars after ij.jar; ``properties``: Java system properties (``-Dname=value``).
    """
    env = {**os.environ, "DISPLAY": display_name}
    defines = [f"-D{name}={value}" for name, value in (properties or {}).items()]
    command = ["java", *defines, "-cp", os.pathsep.join([str(locate.ij_jar().path), *class_path]),
               "ij.ImageJ", "-batch", str(macro), arg]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    return Run(done.stdout, done.stderr, done.returncode)


def bridge_run(script: Path, *args: str, cwd: Path) -> Run:
    """``python -m bridge run script args...`` (the user's bridge, its own Xvfb)."""
    command = [sys.executable, "-m", "bridge", "run", str(script), *args]
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    return Run(done.stdout, done.stderr, done.returncode)
