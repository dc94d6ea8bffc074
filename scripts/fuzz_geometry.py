#!/usr/bin/env python3
"""Differential fuzzing of the geometry commands: the pure backend against real ImageJ 1.53t.

    python scripts/fuzz_geometry.py --examples 500 --seed 0

Every example draws, from its seed, one random DICOM image (8-bit with a
normal or inverted LUT, 16-bit unsigned or signed and calibrated, 32-bit,
RGB; 3..45 pixels square, 1..3 slices), a random selection (none,
rectangle, oval, polygon; inside or across the edge) and a random command
with random options (Translate..., Rotate... , Scale..., Canvas Size...,
Duplicate..., the flips and turns, Crop), runs it on both backends and
compares everything ``tests/parity/commands.py`` compares.  Prints the counts
per command and each mismatch with its seed; ``--replay SEED`` runs one again.
A case the pure backend refuses as not implemented is counted as skipped.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.parity.test_commands_geometry import check_random_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0, help="the first example's seed (then +1 each)")
    parser.add_argument("--replay", type=int, help="run only the example with this seed")
    args = parser.parse_args()
    seeds = [args.replay] if args.replay is not None else range(args.seed, args.seed + args.examples)
    counts: collections.Counter[str] = collections.Counter()
    skipped: collections.Counter[str] = collections.Counter()
    failures = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            command, options, kind, found = check_random_case(seed, Path(folder))
            counts[command] += 1
            if found == "":
                skipped[command] += 1
            elif found:
                failures += 1
                print(f"seed {seed}: {command} [{options}] selection {kind}: {found}", flush=True)
    print(f"{sum(counts.values())} examples in {time.monotonic() - started:.0f} s, {failures} mismatches; "
          + ", ".join(f"{c.strip()} {n} ({skipped[c]} skipped)" for c, n in sorted(counts.items())))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
