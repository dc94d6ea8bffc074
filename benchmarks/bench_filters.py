"""*Process>Filters* on a 512 x 512 16-bit CT: bridge's Python against ImageJ through JPype.

Builds one CT-like slice (signed 16-bit, stored +32768 as ImageJ stores it)
and times, in one process, the median of repeated runs of each filter:

* ``bridge``: ``bridge.core.commands.run(imp, command, options)``, what
  ``IJ.run`` and ``run()`` do on the pure backend, on a fresh copy of the
  pixels each time; with the median's C accelerator where it is built
  (the default), and with ``pure_python=True`` (numpy only);
* ``ImageJ``: the filter class itself (``RankFilters.rank``,
  ``GaussianBlur.blurGaussian``, ``ip.smooth()``) on a duplicate of the
  ShortProcessor, through JPype after warm-up (the JIT has compiled its
  loops; ImageJ uses its own threads, ``Prefs.getThreads()``).

The issue's target: ``Median...`` radius 2 within 2x of ImageJ.  (The sliding paraboloid is a
plain Python loop over Java floats: expect it far slower than ImageJ.)

Run: ``PYTHONPATH=. python benchmarks/bench_filters.py [--repeats N] [--size N]``
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core"))

from _timing import median_seconds, report  # noqa: E402
import bridge  # noqa: E402
from bridge.backends.jvm import companion  # noqa: E402
from bridge.core import commands, native  # noqa: E402
from bridge.model import GRAY16, ImagePlus  # noqa: E402
import imagej_live  # noqa: E402


def ct_slice(size: int) -> ImagePlus:
    """A water phantom in air with noise, stored as ImageJ stores signed CT data (+32768)."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[:size, :size]
    inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (0.4 * size) ** 2
    hu = np.where(inside, 0.0, -1000.0) + rng.normal(0, 12, (size, size))
    stored = np.clip(np.round(hu) + 1024 + 32768, 0, 65535).astype(np.uint16)
    return ImagePlus("ct.dcm", stored[None], GRAY16)


def imagej_filters() -> dict[str, Callable[[Any], None]]:
    """Each command's ImageJ class, called as its plugin calls it."""
    rank_filters = imagej_live.jclass("ij.plugin.filter.RankFilters")
    gaussian = imagej_live.jclass("ij.plugin.filter.GaussianBlur")
    unsharp = imagej_live.jclass("ij.plugin.filter.UnsharpMask")
    subtracter = imagej_live.jclass("ij.plugin.filter.BackgroundSubtracter")
    java_float = imagej_live.jclass("java.lang.Float")

    def unsharp_mask(ip: Any) -> None:        # the plugin's CONVERT_TO_FLOAT and SNAPSHOT, then its filter
        fp = ip.toFloat(0, None)
        fp.snapshot()
        unsharp().sharpenFloat(fp, 1.0, java_float(0.6).floatValue())
        ip.setPixels(0, fp)
    return {
        "Median... radius=2": lambda ip: rank_filters().rank(ip, 2.0, rank_filters.MEDIAN),
        "Median... radius=5": lambda ip: rank_filters().rank(ip, 5.0, rank_filters.MEDIAN),
        "Mean... radius=2": lambda ip: rank_filters().rank(ip, 2.0, rank_filters.MEAN),
        "Maximum... radius=2": lambda ip: rank_filters().rank(ip, 2.0, rank_filters.MAX),
        "Variance... radius=2": lambda ip: rank_filters().rank(ip, 2.0, rank_filters.VARIANCE),
        "Remove Outliers... radius=2 threshold=50 which=Bright":
            lambda ip: rank_filters().rank(ip, 2.0, rank_filters.OUTLIERS, rank_filters.BRIGHT_OUTLIERS, 50.0),
        "Gaussian Blur... sigma=2": lambda ip: gaussian().blurGaussian(ip, 2.0, 2.0, 0.0002),
        "Unsharp Mask... radius=1 mask=0.6": unsharp_mask,
        "Subtract Background... rolling=50": lambda ip: subtracter().rollingBallBackground(
            ip, 50.0, False, False, False, True, True),
        "Subtract Background... rolling=50 sliding": lambda ip: subtracter().rollingBallBackground(
            ip, 50.0, False, False, True, True, True),
        "Smooth": lambda ip: ip.smooth(),
        "Find Edges": lambda ip: ip.findEdges(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--only", help="run only the filters whose name contains this")
    args = parser.parse_args()

    imp = ct_slice(args.size)
    pixels = imp.data.copy()
    java_ip = imagej_live.java_processor(pixels[0], GRAY16)
    companion.prepare_commands()        # ImageJ's filter threads as daemons, so that the process can exit
    print(f"median filter path: {native.median_path_in_use()}")
    for name, java_filter in imagej_filters().items():
        if args.only and args.only not in name:
            continue
        command, _, options = name.partition("... ")
        command += "..." if options else ""

        def ours() -> None:
            imp.data = pixels.copy()
            commands.run(imp, command, options)

        def imagej() -> None:
            java_filter(java_ip.duplicate())

        rows = [("ImageJ (JPype, warm)", median_seconds(imagej, args.repeats, warmup=10)),
                ("bridge (default path)", median_seconds(ours, args.repeats))]
        bridge.configure(pure_python=True)
        try:
            rows.append(("bridge (pure_python=True)", median_seconds(ours, max(1, args.repeats // 3))))
        finally:
            bridge.configure(pure_python=None)
        report(f"{name} on {args.size}x{args.size} 16-bit", rows, "ImageJ (JPype, warm)")


if __name__ == "__main__":
    main()
