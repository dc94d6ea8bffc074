#!/usr/bin/env python3
"""Differential fuzzing of thresholds, limited statistics and binary operations against ImageJ, live.

    python scripts/fuzz_threshold.py --examples 2000 --seed 0

Each example is drawn from its own seed (``tests/parity/threshold_fuzz.py``):
a random image and auto-threshold method checked against
``ImageProcessor.setAutoThreshold`` and ``getStatistics`` with LIMIT, and a
random 0/255 image checked against ``ByteProcessor``'s erode, dilate,
outline and skeletonize.  Prints the first seed, the counts, and every
mismatch with its seed, which ``--replay SEED`` checks again alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core"))

from tests.parity.threshold_fuzz import check_binary, check_threshold  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 1_000_000)
    parser.add_argument("--replay", type=int, help="check this one seed only")
    args = parser.parse_args()
    seeds = [args.replay] if args.replay is not None else range(args.seed, args.seed + args.examples)
    print(f"first seed {seeds[0]}, {len(seeds)} examples", flush=True)
    mismatches = 0
    started = time.monotonic()
    for seed in seeds:
        for kind, check in (("threshold", check_threshold), ("binary", check_binary)):
            found = check(seed)
            if found:
                mismatches += 1
                print(f"seed {seed} {kind}: {found}", flush=True)
    print(f"{len(seeds)} examples x 2 checks, {mismatches} mismatches, {time.monotonic() - started:.1f} s")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
