"""How fast a Java stack reaches numpy: the companion's one-call export against a memcpy.

Builds a 200 x 512 x 512 16-bit stack in Java and times, in one process, the median of
repeated runs of:

* ``export``: what the jvm backend does per image -- allocate the numpy array and let
  Java copy every slice into it in one call (``adapter.stack_pixels``);
* ``export (warm target)``: the same copy into an array reused between runs;
* ``per-slice``: the fallback without the companion (one JNI copy per slice);
* ``np.copyto``: numpy copying the same byte count between two existing arrays (the
  memcpy reference), and into a fresh array (the same page-fault cost as ``export``).

Run: ``PYTHONPATH=. python benchmarks/bench_jvm_export.py [--repeats N]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import median_seconds  # noqa: E402
from bridge.backends.jvm import adapter, companion, runtime  # noqa: E402

SLICES, SIZE = 200, 512




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    repeats = parser.parse_args().repeats

    if not companion.available():
        sys.exit("bridge-companion.jar is not built: run scripts/build_java.sh first")
    jimp = runtime.jclass("ij.IJ").createImage("bench", "16-bit random", SIZE, SIZE, SLICES)
    nbytes = SLICES * SIZE * SIZE * 2
    source = np.ones((SLICES, SIZE, SIZE), np.uint16)
    target = np.empty_like(source)

    timings = {
        "np.copyto (warm target)": median_seconds(lambda: np.copyto(target, source), repeats),
        "np.copyto (fresh target)": median_seconds(lambda: np.copyto(np.empty_like(source), source), repeats),
        "export": median_seconds(lambda: adapter.stack_pixels(jimp), repeats),
        "export (warm target)": median_seconds(lambda: companion.export_pixels(jimp, target), repeats),
        "per-slice (no companion)": median_seconds(lambda: adapter.to_model(jimp), max(3, repeats // 5)),
    }
    reference = timings["np.copyto (warm target)"]
    print(f"{SLICES} x {SIZE} x {SIZE} 16-bit = {nbytes / 1e6:.0f} MB, median of {repeats}")
    for name, seconds in timings.items():
        print(f"  {name:26s} {seconds * 1e3:8.2f} ms  {nbytes / seconds / 1e9:6.2f} GB/s  "
              f"ratio to warm np.copyto {reference / seconds:5.2f}")
    fresh = timings["np.copyto (fresh target)"] / timings["export"]
    print(f"export / np.copyto into a fresh array of the same size: {fresh:.2f}")


if __name__ == "__main__":
    main()
