"""How close opening a DICOM with the pure backend comes to just reading its bytes.

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/bench_open.py [--repeats 5] [--frames 200] [--files 200]

It writes, into a temporary directory, one multi-frame file (200 frames of
512×512 16-bit) and a series of 200 single-frame files, then reports the
median time of

* the read floor: ``readinto`` of every file into one reused buffer, and
  plain ``f.read()`` (a new object per file, as any reader must allocate);
* ``open_image`` (routing + header walk + pixels + calibration/display);
* the image part alone (pixels + assembly from an already decoded header),

as ratios to the floor, and the peak traced memory of one open relative to
the image size.  All runs are in this process with a warm page cache, so
the floor is memory bandwidth, the harshest baseline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import median_seconds  # noqa: E402
from tests.dicomgen import image_dicom  # noqa: E402






def read_floor(paths: list[Path]) -> Callable[[], None]:
    buf = bytearray(max(p.stat().st_size for p in paths))

    def run() -> None:
        view = memoryview(buf)
        for p in paths:
            with open(p, "rb", buffering=0) as f:
                f.readinto(view)
    return run


def read_bytes(paths: list[Path]) -> Callable[[], None]:
    """The plain way to read a file: a new bytes object each time."""
    def run() -> None:
        for p in paths:
            with open(p, "rb") as f:
                f.read()
    return run


def open_all(paths: list[Path]) -> Callable[[], None]:
    from bridge.core.opener import open_image

    def run() -> None:
        for p in paths:
            open_image(str(p))
    return run


def image_part(paths: list[Path]) -> Callable[[], None]:
    """Pixels and assembly only, from FileInfos decoded beforehand."""
    from bridge.core import image
    from bridge.core.decoder import decode
    decoded = [(p, decode(str(p))) for p in paths]

    def run() -> None:
        for p, d in decoded:
            with open(p, "rb") as f:
                stack = image.read_stack(f, d.fi, str(p), validate=True)
            image.assemble(d.fi, d.info, p.name, stack, str(p))
    return run


def peak_ratio(path: Path) -> tuple[float, int]:
    from bridge.core.opener import open_image
    tracemalloc.start()
    imp = open_image(str(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / imp.data.nbytes, imp.data.nbytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size", type=int, default=512)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory(prefix="bridge-bench-") as tmp:
        root = Path(tmp)
        frames = rng.integers(-1000, 3000, (args.frames, args.size, args.size)).astype("<i2")
        multi = root / "multi.dcm"
        multi.write_bytes(image_dicom(frames, signed=True, frames=str(args.frames),
                                      rescale=("-1024", "1"), window=("40", "400")))
        series = []
        for i in range(args.files):
            path = root / f"s{i:04d}.dcm"
            path.write_bytes(image_dicom(frames[i % args.frames], signed=True, rescale=("-1024", "1")))
            series.append(path)
        print(f"median of {args.repeats}, warm page cache")
        for label, paths in ((f"multi-frame {args.frames}x{args.size}x{args.size} 16-bit", [multi]),
                             (f"series of {args.files} files {args.size}x{args.size} 16-bit", series)):
            floor = median_seconds(read_floor(paths), args.repeats)
            plain = median_seconds(read_bytes(paths), args.repeats)
            full = median_seconds(open_all(paths), args.repeats)
            part = median_seconds(image_part(paths), args.repeats)
            print(f"{label}:\n"
                  f"  read floor (readinto one reused buffer) {floor * 1e3:8.1f} ms\n"
                  f"  read bytes (f.read(), new object)       {plain * 1e3:8.1f} ms  ({plain / floor:.2f}x floor)\n"
                  f"  open_image                              {full * 1e3:8.1f} ms  ({full / floor:.2f}x floor, "
                  f"{full / plain:.2f}x read bytes)\n"
                  f"  image part (pixels + assembly)          {part * 1e3:8.1f} ms  ({part / floor:.2f}x floor, "
                  f"{part / plain:.2f}x read bytes)")
        ratio, nbytes = peak_ratio(multi)
        print(f"peak traced memory opening the multi-frame file: {ratio:.3f}x the image "
              f"({nbytes / 2**20:.0f} MiB)")
        ratio1, nbytes1 = peak_ratio(series[0])
        print(f"peak traced memory opening one series file: {ratio1:.3f}x the image "
              f"({nbytes1 / 2**10:.0f} KiB)")


if __name__ == "__main__":
    main()
