"""Cold start: a fresh `python -c` that opens one file and prints a tag, per backend.

Baseline: `python -c "import numpy, pydicom"` (what any pydicom script pays).
Targets (issue "Headless batch"): pydicom backend <= baseline; jvm backend <= 0.35 s.
Usage: python benchmarks/bench_coldstart.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
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


def _python(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


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
    rows = [("python -c 'import numpy, pydicom'", median_seconds(lambda: _python("import numpy, pydicom"), repeats)),
            ("python -c 'pass'", median_seconds(lambda: _python("pass"), repeats))]
    for backend in ("pydicom", "jvm"):
        code = OPEN_AND_TAG.format(backend=backend, path=CT)
        rows.append((f"open + getTag, {backend} backend", median_seconds(lambda: _python(code), repeats)))
    report("Cold start", rows, "python -c 'import numpy, pydicom'")
    jvm_rows = [("JVM part, -XX:TieredStopAtLevel=1 (default)", _jvm_part(False, repeats)),
                ("JVM part, full JIT (C1 + C2)", _jvm_part(True, repeats))]
    report("JVM part of the jvm cold start (target <= 350 ms)", jvm_rows,
           "JVM part, -XX:TieredStopAtLevel=1 (default)")


if __name__ == "__main__":
    main()
