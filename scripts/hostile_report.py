"""Run the hostile corpus through both backends and print the figures: hangs, worst time, worst memory.

    python scripts/hostile_report.py [--family meta-zip --family maximal ...] [--backend jvm]

Each case goes through ``tests/hostile/harness.run_case`` (``bridge.open``, ``IJ.openImage``,
``DICOM().getInfo``, ``DicomTools.getTag``), with the memory of every open measured: peak RSS of
the process, and on the jvm backend the Java heap's peak.  A hang is a call over 10 s.  The
corpus runs with its own ``max_image_bytes`` (:data:`tests.hostile.corpus.CORPUS_MAX_IMAGE_BYTES`)
unless ``--default-limits`` is given.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bridge  # noqa: E402
from tests.hostile.corpus import CORPUS_MAX_IMAGE_BYTES, control_bytes, corpus, materialize  # noqa: E402
from tests.hostile.harness import MAX_SECONDS, Meter, control_checker, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", action="append", help="only these families (default: all)")
    parser.add_argument("--backend", action="append", choices=("jvm", "pydicom"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--default-limits", action="store_true", help="max_image_bytes as configured, not 48 MiB")
    args = parser.parse_args()
    cases = [c for c in corpus(args.seed) if not args.family or c.family in args.family]
    broken = 0
    with tempfile.TemporaryDirectory(prefix="hostile-report-") as folder:
        root = Path(folder)
        (root / "tmp").mkdir()
        tempfile.tempdir = str(root / "tmp")     # a private TMPDIR: any leftover is ours, and goes with it
        (root / "control").mkdir()
        (root / "control" / "control.dcm").write_bytes(control_bytes())
        paths = [materialize(case, root / f"{i:04d}") for i, case in enumerate(cases)]
        for backend in args.backend or ["pydicom", "jvm"]:
            bridge.set_backend(backend)
            if not args.default_limits:
                bridge.configure(max_image_bytes=CORPUS_MAX_IMAGE_BYTES)
            control, meter = control_checker(root / "control" / "control.dcm"), Meter(backend)
            results = [run_case(c.id, p, meter, control) for c, p in zip(cases, paths)]
            slowest = max(results, key=lambda r: r.seconds)
            hungriest = max(results, key=lambda r: r.grown)
            problems = [f"  {r.case_id}: {p}" for r in results for p in r.problems]
            broken += len(problems)
            print(f"{backend}: {len(results)} cases, "
                  f"{sum(r.seconds > MAX_SECONDS for r in results)} hangs (> {MAX_SECONDS:.0f} s), "
                  f"worst time {slowest.seconds:.2f} s ({slowest.case_id}), "
                  f"worst memory growth {hungriest.grown / 2**20:.1f} MiB ({hungriest.case_id}, {hungriest.hungriest}, "
                  f"allowed {hungriest.allowed / 2**20:.1f} MiB), {len(problems)} broken promises")
            print("  outcomes: " + ", ".join(f"{k} {v}" for k, v in Counter(r.opened for r in results).most_common()))
            print("\n".join(problems[:40]))
            bridge.configure(max_image_bytes=None)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
