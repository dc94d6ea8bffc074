#!/usr/bin/env python3
"""Header reading speed on pydicom's test files, in one process.

    python benchmarks/bench_header.py [--repeats 15] [--dir DIR]

For every file with a DICOM header (all of pydicom's ``test_files/*.dcm``
except the deflated one, which makes ImageJ throw), it times one pass over
all files of:

* the floor: open the file and read all its bytes;
* the pure backend's ``get_info``, its plan tables warm (every header of
  the set seen before, as in a batch over similar files), on the C
  accelerator and on the Python path (``pure_python=True``);
* the same with the plan tables and number caches emptied at the start of
  every pass (every header decided anew: a process meeting these files first);
* ImageJ's ``new DICOM().getInfo(path)`` through JPype, with and without
  turning the Java string into a Python ``str`` (what a caller gets to use);
* ``pydicom.dcmread(path, stop_before_pixels=True)``.

Every row first runs ``--warmup`` passes: ImageJ's getInfo is interpreted
Java at first and reaches its JIT-compiled speed only after some hundred
calls of each path, and a steady state is what a batch meets.  Each figure
is the median over the repeats (the minimum is shown too, as shared
machines add noise), and each is given as a ratio to the floor.
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402


def _time_rows(rows: list[tuple[str, Callable[[str], object]]], files: list[str], repeats: int,
               warmup: int) -> dict[str, tuple[float, float]]:
    """(median, min) seconds of one pass over ``files`` for every row.

    The rows take turns within each repeat (in a rotating order), so a
    machine that speeds up or slows down while the benchmark runs -- other
    load, CPU frequency, the JVM's compiler threads -- affects every row alike.
    """
    for _ in range(warmup):              # warm caches, JIT and imports
        for _, call in rows:
            for f in files:
                call(f)
    samples: dict[str, list[float]] = {label: [] for label, _ in rows}
    for r in range(repeats):
        for label, call in rows[r % len(rows):] + rows[:r % len(rows)]:
            start = _timing.clock()
            for f in files:
                call(f)
            samples[label].append(_timing.clock() - start)
    return {label: (statistics.median(runs), min(runs)) for label, runs in samples.items()}


def main(argv: list[str] | None = None) -> int:
    import pydicom
    import pydicom.data
    from bridge.backends.jvm import runtime
    from bridge.core import decoder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=60, help="passes before timing (JIT warm-up)")
    parser.add_argument("--dir", default=os.path.dirname(pydicom.data.get_testdata_file("CT_small.dcm")))
    parser.add_argument("--clock", choices=sorted(_timing.CLOCKS), default="wall",
                        help="wall time, or this process's CPU time (steadier on a shared machine)")
    args = parser.parse_args(argv)
    _timing.use_clock(args.clock)
    files = [f for f in sorted(glob.glob(os.path.join(args.dir, "*.dcm"))) if "dfl" not in f]

    def read_bytes(path: str) -> None:
        with open(path, "rb") as fh:
            fh.read()

    DICOM = runtime.jclass("ij.plugin.DICOM")

    def imagej(path: str) -> None:
        DICOM().getInfo(path)

    def imagej_str(path: str) -> None:
        str(DICOM().getInfo(path))

    def pydicom_header(path: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pydicom.dcmread(path, stop_before_pixels=True, force=True)

    import bridge
    from bridge.core import javafmt, native, walker

    def on_path(accelerated: bool, cold: bool = False) -> Callable[[str], object]:
        """get_info on the C accelerator or the Python path (switched at the start of every pass);
        ``cold``: plans and number texts forgotten at the start of every pass as well."""
        def call(path: str) -> object:
            if path == files[0]:
                bridge.configure(pure_python=not accelerated)
                if cold:
                    walker.forget_plans()
                    javafmt.double_bits_to_string.cache_clear()
                    javafmt.float_bits_to_string.cache_clear()
            return decoder.get_info(path)
        return call

    warm = [("read bytes (floor)", read_bytes), ("pure get_info (Python)", on_path(False))]
    cold = [("pure get_info, plans cold (Python)", on_path(False, cold=True))]
    if native.BUILT:
        warm.append(("pure get_info (C)", on_path(True)))
        cold.append(("pure get_info, plans cold (C)", on_path(True, cold=True)))
    else:
        print(f"the C accelerator is {native.WHY_NOT}: Python rows only")
    jvm = [("ImageJ getInfo (JPype)", imagej), ("ImageJ getInfo + str()", imagej_str)]
    # Two rounds: a cold row forgets every plan, so a warm row after it would meet its plans
    # anew (in C, the plan cache refills); the cold rows run with the floor and ImageJ again.
    results = _time_rows(warm + jvm + [("pydicom dcmread(stop_before_pixels)", pydicom_header)],
                         files, args.repeats, args.warmup)
    cold_round = _time_rows(warm[:1] + cold + jvm[:1], files, args.repeats, max(1, args.warmup // 4))
    results.update((label, cold_round[label]) for label, _ in cold)
    print(f"cold round: floor {cold_round['read bytes (floor)'][0] * 1e3:.2f} ms, ImageJ getInfo "
          f"{cold_round['ImageJ getInfo (JPype)'][0] * 1e3:.2f} ms per pass (the first round's figures are used below)")
    floor = results["read bytes (floor)"][0]
    print(f"{len(files)} files, {args.warmup} warm-up passes, {args.repeats} repeats, {args.clock} clock; "
          "times per pass over all files")
    print(f"{'':38} {'median ms':>10} {'min ms':>8} {'x floor':>8} {'per file us':>12}")
    for label, (median, best) in results.items():
        print(f"{label:38} {median * 1e3:10.2f} {best * 1e3:8.2f} {median / floor:8.1f} "
              f"{median / len(files) * 1e6:12.1f}")
    jvm = results["ImageJ getInfo (JPype)"][0]
    for label in results:
        if label.startswith("pure"):
            print(f"{label} / ImageJ getInfo: {results[label][0] / jvm:.2f}")
    if native.BUILT:
        print(f"C / Python, plans warm: {results['pure get_info (C)'][0] / results['pure get_info (Python)'][0]:.2f}; "
              f"plans cold: {results['pure get_info, plans cold (C)'][0] / results['pure get_info, plans cold (Python)'][0]:.2f}")
    for accelerated in ([True, False] if native.BUILT else [False]):
        bridge.configure(pure_python=not accelerated)
        _first_sight(files, imagej, args.repeats, args.warmup, "C" if accelerated else "Python")
    bridge.configure(pure_python=None)
    return 0


def _first_sight(warm_files: list[str], imagej: Callable[[str], object], repeats: int, warmup: int,
                 path: str) -> None:
    """Files never read before in the process (pydicom's dicomdirtests images), after a warm-up on the others.

    The rows above re-read the same files, so every header has its plan; a
    batch meets new files.  Each repeat forgets all plans, reads the main set
    (which warms the plans for common headers), then times one pass over the
    unseen files.  ImageJ keeps nothing per file, so it is timed on the same
    files after its own ``warmup`` passes over them (JIT-compiled paths).
    """
    from bridge.core import decoder, javafmt, walker
    root = os.path.join(os.path.dirname(warm_files[0]), "dicomdirtests")
    # the image files only: ImageJ takes 31 ms over DICOMDIR-bigEnd alone, which would decide the mean
    unseen = sorted(p for p in glob.glob(os.path.join(root, "**", "*"), recursive=True)
                    if os.path.isfile(p) and "DICOMDIR" not in os.path.basename(p))
    if not unseen:
        return

    def one_pass(call: Callable[[str], object]) -> float:
        start = _timing.clock()
        for f in unseen:
            call(f)
        return (_timing.clock() - start) / len(unseen)

    pure = []
    for _ in range(repeats):
        walker.forget_plans()
        javafmt.double_bits_to_string.cache_clear()
        javafmt.float_bits_to_string.cache_clear()
        for f in warm_files:
            decoder.get_info(f)
        pure.append(one_pass(decoder.get_info))
    for _ in range(warmup):
        one_pass(imagej)
    jvm = [one_pass(imagej) for _ in range(repeats)]
    p, j = statistics.median(pure), statistics.median(jvm)
    print(f"first sight ({path}): {len(unseen)} dicomdirtests image files, median of {repeats}: pure {p * 1e6:.1f} us/file, "
          f"ImageJ getInfo {j * 1e6:.1f} us/file, pure / ImageJ: {p / j:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
