"""Measure of an oval selection on a 512 x 512 16-bit CT: bridge's Python against ImageJ through JPype.

Builds one CT-like slice (signed 16-bit, Hounsfield calibration, 0.7 mm pixels)
in both worlds and times, in one process, the median of repeated runs of
*Analyze>Measure* on the same oval (a 300-pixel phantom region):

* ``pure``: :func:`bridge.core.measure.measure` (what ``run("Measure")`` and
  ``imp.getStatistics`` run without Java);
* ``ImageJ``: ``imp.setRoi(oval)`` and ``new Analyzer(imp, measurements, rt).measure()``
  through JPype, after warm-up (the JIT has compiled ImageJ's loops);

the two taking turns, run by run, so that both see the same load.  On a
loaded machine the scheduler's interruptions (several milliseconds each)
still swell the medians of millisecond runs, unevenly, so the fastest run
of each is printed too.

for three measurement sets: ImageJ's default (area, mean, min & max), a QA set
(adds standard deviation and median) and everything but shape descriptors;
and for two places of the oval: inside the water (the issue's case), and
across the phantom's edge, where air (-1000 HU) makes the fourth-power sum
of the kurtosis pass 2**53, so that one sum is added pixel by pixel in
Java's order (:func:`bridge.core.statistics.moment_sums`).

Run: ``PYTHONPATH=. python benchmarks/bench_measure.py [--repeats N] [--size N]``
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core"))

from _timing import interleaved_samples, report  # noqa: E402
from bridge.core import statistics as st  # noqa: E402
from bridge.core.measure import Settings, measure  # noqa: E402
from bridge.core.results import ResultsTable  # noqa: E402
from bridge.core.roi import OvalRoi  # noqa: E402
from bridge.model import GRAY16, STRAIGHT_LINE, Calibration, ImagePlus  # noqa: E402
import imagej_live  # noqa: E402

SETS = {"area mean min": st.AREA + st.MEAN + st.MIN_MAX,
        "area mean standard min median": st.AREA + st.MEAN + st.STD_DEV + st.MIN_MAX + st.MEDIAN,
        "all but shape": st.ALL_STATS - st.SHAPE_DESCRIPTORS}


def ct_slice(size: int) -> ImagePlus:
    """A water phantom in air with noise, stored as ImageJ stores signed CT data (+32768)."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[:size, :size]
    inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (0.4 * size) ** 2
    hu = np.where(inside, 0.0, -1000.0) + rng.normal(0, 12, (size, size))
    stored = np.clip(np.round(hu) + 1024 + 32768, 0, 65535).astype(np.uint16)
    cal = Calibration(pixelWidth=0.7, pixelHeight=0.7, unit="mm", function=STRAIGHT_LINE,
                      coefficients=[-32768.0 - 1024.0, 1.0], valueUnit="Hounsfield Units")
    return ImagePlus("ct.dcm", stored[None], GRAY16, calibration=cal)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=101)
    parser.add_argument("--size", type=int, default=512)
    args = parser.parse_args()

    imp = ct_slice(args.size)
    diameter = int(args.size * 300 / 512)
    centre = (args.size - diameter) // 2
    places = {"in water": OvalRoi(centre, centre, diameter, diameter),
              "across the edge": OvalRoi(0, centre, diameter, diameter)}
    java_imp = imagej_live.java_image_of(imp)
    analyzer = imagej_live.jclass("ij.plugin.filter.Analyzer")
    java_table = imagej_live.jclass("ij.measure.ResultsTable")

    for (place, oval), (name, flags) in itertools.product(places.items(), SETS.items()):
        java_oval = imagej_live.java_roi(oval)
        settings = Settings(flags)

        def pure() -> None:
            imp.setRoi(oval)
            measure(imp, imp.getRoi(), settings, ResultsTable())

        def imagej() -> None:
            java_imp.setRoi(java_oval)
            analyzer(java_imp, flags, java_table()).measure()

        for _ in range(200):                # the JIT compiles ImageJ's loops
            imagej()
        samples = interleaved_samples({"ImageJ (JPype, warm)": imagej, "pure": pure}, args.repeats, warmup=3)
        title = f"Measure, oval of {diameter} px {place} on {args.size}x{args.size} 16-bit CT: {name}"
        for statistic, pick in (("median", statistics.median), ("fastest run", min)):
            report(title, [(who, pick(times)) for who, times in samples.items()], "ImageJ (JPype, warm)", statistic)


if __name__ == "__main__":
    main()
