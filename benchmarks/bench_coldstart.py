"""Cold start: a fresh `python -c` that opens one file and prints a tag, per backend.

Baseline: `python -c "import numpy, pydicom"` (what any pydicom script pays).
Targets (issue #19): pydicom backend <= 1.1 x the baseline; jvm backend <= 300 ms.
Each process is timed twice: wall time, and the CPU time it used (user + system, from
``getrusage`` of the children), which a machine shared with other work moves far less.
A JVM uses several threads, so its CPU time runs above its wall time on an idle machine.
Usage: python benchmarks/bench_coldstart.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys

from pydicom.data import get_testdata_file

from _timing import median_seconds, report

CT = get_testdata_file("CT_small.dcm")
OPEN_AND_TAG = ("import bridge; bridge.set_backend({backend!r}); "
                "print(bridge.DicomTools.getTag(bridge.IJ.openImage({path!r}), '0008,1030'))")


# The JVM part alone: from after `import bridge` to the printed tag, timed inside the process;
# "full JIT" (BRIDGE_JVM_JIT=full) drops -XX:TieredStopAtLevel=1 (C2 compiles too): what the flag buys.
JVM_PART = ("import time, bridge\n"
            "t = time.perf_counter(); bridge.set_backend('jvm')\n"
            "bridge.DicomTools.getTag(bridge.IJ.openImage({path!r}), '0008,1030')\n"
            "print(time.perf_counter() - t)")


#: CPU seconds (user + system) of every `python -c` run so far, per code, in run order
_cpu: dict[str, list[float]] = {}


def _python(code: str) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    _cpu.setdefault(code, []).append(used)


def _timed(label: str, code: str, repeats: int) -> tuple[tuple[str, float], tuple[str, float]]:
    """(label, median wall seconds) and (label, median CPU seconds) of ``repeats`` runs after one warm-up."""
    wall = median_seconds(lambda: _python(code), repeats)
    return (label, wall), (label, statistics.median(_cpu[code][1:]))


def _jvm_part(full_jit: bool, repeats: int) -> float:
    code = JVM_PART.format(path=CT)
    env = {**os.environ, "BRIDGE_JVM_JIT": "full" if full_jit else "quick"}
    times = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                  text=True, env=env).stdout) for _ in range(repeats)]
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats
    runs = [("python -c 'import numpy, pydicom'", "import numpy, pydicom"), ("python -c 'pass'", "pass")]
    runs += [(f"open + getTag, {backend} backend", OPEN_AND_TAG.format(backend=backend, path=CT))
             for backend in ("pydicom", "jvm")]
    timed = [_timed(label, code, repeats) for label, code in runs]
    report("Cold start, wall time", [wall for wall, _ in timed], "python -c 'import numpy, pydicom'")
    report("Cold start, CPU time (user + system)", [cpu for _, cpu in timed], "python -c 'import numpy, pydicom'")
    jvm_rows = [("JVM part, -XX:TieredStopAtLevel=1 (default)", _jvm_part(False, repeats)),
                ("JVM part, full JIT (C1 + C2)", _jvm_part(True, repeats))]
    report("JVM part of the jvm cold start (wall time)", jvm_rows,
           "JVM part, -XX:TieredStopAtLevel=1 (default)")


if __name__ == "__main__":
    main()
