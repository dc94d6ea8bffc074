"""`bridge run` against ImageJ's own `ij.ImageJ -batch`, whole processes, same macro.

Rows (median of repeats, interleaved):
* ImageJ -batch under a virtual display (the reference; an Xvfb this benchmark starts),
* ImageJ -batch headless (java.awt.headless=true: what ImageJ does without any display),
* `bridge run` (its own Xvfb, started while the JVM starts),
* `bridge run` with BRIDGE_DISPLAY=none (headless: no Xvfb, no ImageJ command table),
* Xvfb alone: from launch to accepting connections (what a display costs by itself).

Macros: a one-line `print` (target: bridge <= 1.5x ImageJ), and the project's phantom QA
macro on CT_small.dcm (tests/data/scripts/phantom_qa.ijm: open, Set Measurements, oval
ROI, Measure, Duplicate, Median, save Results).
Usage: python benchmarks/bench_run.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydicom.data import get_testdata_file

from _timing import report

from bridge import locate
from bridge.backends.jvm import display

ROOT = Path(__file__).resolve().parents[1]


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - started


def _xvfb_start() -> float:
    started = time.perf_counter()
    server = display.VirtualDisplay()
    server.number()
    elapsed = time.perf_counter() - started
    server.stop()
    return elapsed


def _rows(macro: Path, arg: list[str], work: Path, screen: str, repeats: int,
          headless: bool = True) -> list[tuple[str, float]]:
    ij = ["java", "-cp", str(locate.ij_jar().path), "ij.ImageJ", "-batch", str(macro), " ".join(arg)]
    plain = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    runs: dict[str, Callable[[], float]] = {
        "ImageJ -batch, Xvfb": lambda: _timed(ij, {**plain, "DISPLAY": screen}, work),
        "ImageJ -batch, headless": lambda: _timed(ij[:1] + ["-Djava.awt.headless=true"] + ij[1:], plain, work),
        "bridge run": lambda: _timed([sys.executable, "-m", "bridge", "run", str(macro), *arg], plain, work),
        "bridge run, BRIDGE_DISPLAY=none": lambda: _timed(
            [sys.executable, "-m", "bridge", "run", str(macro), *arg], {**plain, "BRIDGE_DISPLAY": "none"}, work),
    }
    if not headless:   # the macro needs ImageJ's commands: no display, no run
        runs = {name: run for name, run in runs.items() if "headless" not in name and "none" not in name}
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for name, run in runs.items():   # warm-up: page cache, class-data archive
        run()
    for _ in range(repeats):
        for name, run in runs.items():
            samples[name].append(run())
    return [(name, statistics.median(times)) for name, times in samples.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-qa", action="store_true", help="only the one-line macro")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        ct = work / "ct.dcm"
        shutil.copyfile(get_testdata_file("CT_small.dcm"), ct)
        one_line = work / "one_line.ijm"
        one_line.write_text('print("hello");\n')
        screen = display.VirtualDisplay()
        try:
            name = f":{screen.number()}"
            rows = _rows(one_line, [], work, name, args.repeats)
            rows.append(("Xvfb alone, to ready", statistics.median(_xvfb_start() for _ in range(args.repeats))))
            report("one-line macro, whole process", rows, "ImageJ -batch, Xvfb")
            if not args.no_qa:
                qa = ROOT / "tests" / "data" / "scripts" / "phantom_qa.ijm"
                rows = _rows(qa, [str(ct), str(work / "r.csv")], work, name, args.repeats, headless=False)
                report("phantom QA macro on CT_small, whole process", rows, "ImageJ -batch, Xvfb")
        finally:
            screen.stop()


if __name__ == "__main__":
    main()
