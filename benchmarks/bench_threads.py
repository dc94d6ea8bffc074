"""Threads and the JVM: what the lock on ImageJ's process-wide state costs, and exit times.

The jvm backend holds one lock (``runtime.imagej_state``) for each open and the reading of
ImageJ's error message, so threads get their own outcomes.  Baseline: the same opens with
the lock replaced by a no-op (racy: figures only), in the same process.  Exit: seconds
from a script's last line to its process's end, with the JVM started from the main
thread, a ``threading.Thread`` or a thread pool.
Usage: python benchmarks/bench_threads.py [--repeats N] [--opens N]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from pydicom.data import get_testdata_file

from _timing import median_seconds, report

FILES = [get_testdata_file(name) for name in ("CT_small.dcm", "MR_small.dcm", "MR_truncated.dcm")]
EXIT_SCRIPT = """
import threading, time
from concurrent.futures import ThreadPoolExecutor
import bridge
bridge.set_backend("jvm")
def work():
    bridge.IJ.openImage({path!r})
if {starter!r} == "main":
    work()
elif {starter!r} == "thread":
    t = threading.Thread(target=work); t.start(); t.join()
else:
    with ThreadPoolExecutor(2) as pool:
        pool.submit(work).result()
print(time.monotonic(), flush=True)
"""


def _opens(count: int, threads: int) -> None:
    import bridge
    paths = [FILES[i % len(FILES)] for i in range(count)]
    if threads == 1:
        for path in paths:
            bridge.IJ.openImage(path)
        return
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(bridge.IJ.openImage, paths))


def _interleaved(work: Callable[[], None], repeats: int) -> tuple[float, float]:
    """Medians of ``work`` with the lock and with a no-op in its place, run alternately (same JIT state)."""
    from bridge.backends.jvm import runtime
    real_lock = runtime._imagej
    locked, unlocked = [], []
    for _ in range(repeats):
        locked.append(median_seconds(work, 1, 0))
        runtime._imagej = contextlib.nullcontext()
        try:
            unlocked.append(median_seconds(work, 1, 0))
        finally:
            runtime._imagej = real_lock
    return statistics.median(locked), statistics.median(unlocked)


def _exit_seconds(starter: str, timeout: float = 30) -> float:
    code = EXIT_SCRIPT.format(path=FILES[0], starter=starter)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    last_line = float(proc.stdout.readline() or "nan")
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return float("inf")
    return time.monotonic() - last_line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--opens", type=int, default=300)
    args = parser.parse_args()
    import bridge
    bridge.set_backend("jvm")
    _opens(args.opens, 2)   # warm the JIT before any figure
    rows = []
    for threads in (1, 2):
        locked, unlocked = _interleaved(lambda: _opens(args.opens, threads), args.repeats)
        rows += [(f"{args.opens} opens, {threads} thread(s), no lock (racy)", unlocked),
                 (f"{args.opens} opens, {threads} thread(s), with the lock", locked)]
    report("Opens on the jvm backend", rows, f"{args.opens} opens, 1 thread(s), no lock (racy)")
    exits = [(f"exit after a JVM start from {starter}",
              statistics.median(_exit_seconds(starter) for _ in range(args.repeats)))
             for starter in ("main", "thread", "pool")]
    report("Exit", exits, "exit after a JVM start from main")


if __name__ == "__main__":
    main()
