"""Helpers for the port tests: run a port in this process, as ``python port.py args`` would."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import numpy as np

from bridge import macro
from bridge.core import commands
from tests import dicomgen

SCRIPTS = Path(__file__).parent.parent / "data" / "port"


def run_port(python: str, *args: str) -> str:
    """Execute ported code as a fresh ``python port.py args`` run would; return what it printed."""
    out = io.StringIO()
    saved_argv = sys.argv
    sys.argv = ["port.py", *args]
    commands.reset()   # a new process has an empty Results table and no current image
    macro.close()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(python, "port.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    finally:
        sys.argv = saved_argv
    return out.getvalue()


def write_stack(path: Path) -> Path:
    """Six 32x32 16-bit frames whose means cross 100 and 1000 (the scripts' branches), Instance 7."""
    rng = np.random.default_rng(7)
    frames = np.stack([rng.integers(0, 40 * 4 ** k, (32, 32)) for k in range(6)]).astype("<u2")
    data = dicomgen.image_dicom(frames, frames="6", spacing="0.5\\0.5", extra=[(0x00200013, "IS", "7")])
    return dicomgen.write(path, data)


def write_folder_of_files(folder: Path) -> Path:
    """What files.ijm lists: two .dcm files, a text file, a sub-folder and hidden entries it skips."""
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name in ("b.dcm", "B2.dcm", "a.txt", ".x"):
        (folder / name).write_bytes(b"")
    return folder
