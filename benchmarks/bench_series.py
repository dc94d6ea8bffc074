"""How fast a folder of DICOM slices opens as one stack, against the cost of just reading the bytes.

Writes a synthetic series (default 300 slices of 512 x 512 signed 16-bit,
pydicom-written, distinct Instance Numbers and positions) to a temporary
folder, then times in this one process, median of ``--repeats`` runs after
a warm-up (so every path reads from the page cache):

* hot floor    - read every file's bytes and drop them (page cache to a reused buffer);
* fresh floor  - read every file's bytes into one new stack-sized array: the page
                 faults of fresh memory, which any open that returns a stack pays;
* assemble     - the pure stacking alone, on images already in memory;
* pure         - ``open_series`` on the pure backend (needs bridge.core.opener);
* jvm          - ``open_series`` on the jvm backend: real FolderOpener plus the copy into numpy.

The report ends with pure against both floors and pure's peak memory against the
stack it returns, measured twice, each on one untimed open: the peak of Python's
traced allocations (tracemalloc, numpy's arrays included) in this process, and the
growth of the peak resident set (VmHWM, or ``ru_maxrss``) over an open in a fresh process,
which counts every byte the process touched (the interpreter's own included).
Targets (issue #19): pure <= 2 x the fresh floor, peak memory <= 1.05 x the stack.
On a shared machine the ratio to the fresh floor is also given as the median of
paired runs (floor, then open, back to back), which load moves less than two medians.

    PYTHONPATH=. python benchmarks/bench_series.py [--slices 300] [--size 512] [--repeats 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pydicom
from pydicom.data import get_testdata_file

from _timing import median_seconds


def write_series(folder: Path, slices: int, size: int) -> None:
    """``slices`` files named 1.dcm..N.dcm, CT_small's header with new pixels, numbers and positions."""
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.Rows = ds.Columns = size
    rng = np.random.default_rng(0)
    base = rng.integers(-1000, 2000, size=(size, size), dtype=np.int16)
    for k in range(slices):
        ds.InstanceNumber = slices - k        # against the name order, so the sort does work
        ds.ImagePositionPatient = [-158.1, -179.0, -75.7 + 2.5 * k]
        ds.PixelData = (base + k).astype("<i2").tobytes()
        ds.save_as(folder / f"{k + 1}.dcm")




def read_bytes(folder: Path) -> int:
    return sum(len(p.read_bytes()) for p in sorted(folder.iterdir()))


def read_into_fresh_stack(folder: Path) -> np.ndarray:
    """Every file's bytes read into one new array the size of all of them (a stack's unavoidable cost:
    the page faults of fresh memory, which the cache-hot ``read_bytes`` floor never pays)."""
    paths = sorted(folder.iterdir())
    out = np.empty(sum(p.stat().st_size for p in paths), np.uint8)
    view, at = memoryview(out), 0
    for p in paths:
        with open(p, "rb", buffering=0) as f:
            at += f.readinto(view[at:])
    return out


def assemble_only(folder: Path) -> Callable[[], object]:
    """The pure stacking cost alone (copy, sort, labels): per-file images opened up front by the jvm."""
    from bridge.backends.jvm import BACKEND as jvm
    from bridge.core.series import assemble, list_folder
    listing = list_folder(os.fspath(folder))
    images = [jvm.open_image(listing.directory + name) for name in listing.names]
    return lambda: assemble(images, listing.names, os.fspath(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slices", type=int, default=300)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--jit", choices=("full", "quick"), default="full",
                        help="the JVM's JIT: full (C1 + C2, what open_series starts) or quick "
                             "(-XX:TieredStopAtLevel=1, C1 only)")
    args = parser.parse_args()
    os.environ["BRIDGE_JVM_JIT"] = args.jit

    from bridge.backends import load
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "series"
        folder.mkdir()
        write_series(folder, args.slices, args.size)
        total = read_bytes(folder)
        print(f"{args.slices} slices of {args.size}x{args.size} 16-bit, {total / 2**20:.0f} MiB, "
              f"median of {args.repeats}, JVM JIT {args.jit}")
        floor = median_seconds(lambda: read_bytes(folder), args.repeats)
        fresh = median_seconds(lambda: read_into_fresh_stack(folder), args.repeats)
        rows = [("hot floor (read bytes)", floor), ("fresh floor (read into a new stack array)", fresh)]
        jvm = load("jvm")
        if not jvm.missing():
            rows.append(("assemble only (pure, images in memory)", median_seconds(assemble_only(folder), args.repeats)))
        pure_seconds = peak = peak_rss = None
        if importlib.util.find_spec("bridge.core.opener") is not None:
            pure = load("pydicom")
            pure_seconds = median_seconds(lambda: pure.open_series(os.fspath(folder)), args.repeats)
            rows.append(("pure open_series", pure_seconds))
            paired = paired_ratio(lambda: pure.open_series(os.fspath(folder)),
                                  lambda: read_into_fresh_stack(folder), args.repeats)
            peak = peak_memory_ratio(lambda: pure.open_series(os.fspath(folder)))
            peak_rss = peak_rss_ratio(folder)
        else:
            print("pure open_series: skipped (bridge.core.opener is not there yet)")
        if not jvm.missing():
            rows.append(("jvm open_series (+ copy to numpy)",
                         median_seconds(lambda: jvm.open_series(os.fspath(folder)), args.repeats)))
        for label, seconds in rows:
            print(f"{label:42s} {seconds * 1000:9.1f} ms  {seconds / floor:6.2f} x hot floor")
        if pure_seconds is not None and peak is not None:
            print(f"\npure open_series: {pure_seconds / floor:.2f} x hot floor, {pure_seconds / fresh:.2f} x fresh floor, "
                  f"{paired:.2f} x paired (target 2); peak memory {peak:.3f} x the stack traced, {peak_rss:.3f} x as peak RSS growth "
                  "in a fresh process (target 1.05)")


def paired_ratio(run: Callable[[], object], baseline: Callable[[], object], repeats: int) -> float:
    """The median over ``repeats`` pairs of run time / baseline time, each pair timed back to back."""
    ratios = []
    for _ in range(repeats):
        ratios.append(median_seconds(run, 1, warmup=0) / median_seconds(baseline, 1, warmup=0))
    return statistics.median(ratios)


def peak_memory_ratio(open_it: Callable[[], object]) -> float:
    """Peak traced memory of one run over the bytes of the stack it returns (traced separately: it slows the run)."""
    tracemalloc.start()
    try:
        imp = open_it()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / np.asarray(imp.data).nbytes      # type: ignore[attr-defined]


#: Run in a fresh process: the peak resident set an open adds, over the bytes of the stack it returns.
_PEAK_RSS = """
import resource, sys
import numpy as np
from bridge.backends import load

def resident(field):
    # Linux: the resident set now (VmRSS) or its peak (VmHWM); elsewhere the peak, from getrusage
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith(field))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)

pure = load("pydicom")
before = resident("VmRSS:")
imp = pure.open_series(sys.argv[1])
print((resident("VmHWM:") - before) / np.asarray(imp.data).nbytes)
"""


def peak_rss_ratio(folder: Path) -> float:
    """How much an open grows the peak resident set of a process that has only imported bridge and numpy.

    Unlike tracemalloc this sees everything: C allocations, the
    interpreter's caches, memory numpy frees to a pool rather than to the system.
    """
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", _PEAK_RSS, os.fspath(folder)], check=True,
                          capture_output=True, text=True, env=env)
    return float(done.stdout)


if __name__ == "__main__":
    main()
