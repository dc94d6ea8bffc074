#!/usr/bin/env python3
"""Differential measurement fuzzing: bridge's Python against ImageJ's own classes, live.

    python scripts/fuzz_measure.py --examples 2000 --seed 0

Every example draws, from the seed, one random image (8-bit, 16-bit with the
full range or a few levels, 32-bit with NaNs; calibrated in mm and Hounsfield
units or not), one random selection (none, rectangle, sub-pixel rectangle,
oval, sub-pixel oval, polygon; inside, across the edge or outside the image)
and a random set of measurements, then compares every statistics field and
the Measure row as ImageJ prints it (``tests/core/test_measure_parity.py``'s
``check_one``).  Prints the seed, the counts by selection kind and each
mismatch with the example's own seed, which ``--replay SEED`` checks again alone.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core"))

from bridge.core import roi as R  # noqa: E402
from bridge.model import GRAY8, GRAY16, GRAY32  # noqa: E402
from test_measure_parity import FUZZ_FLAGS, check_one, fuzz_image  # noqa: E402

KINDS = ("none", "rect", "subpixel-rect", "oval", "subpixel-oval", "polygon")


def example(seed: int) -> tuple[object, R.Roi | None, int, str]:
    """One image, selection and measurement set, all drawn from ``seed``."""
    rng = random.Random(seed)
    width, height = rng.randint(1, 120), rng.randint(1, 120)
    imp = fuzz_image(rng.choice([GRAY8, GRAY16, GRAY32]), width, height, rng.getrandbits(32), rng.random() < 0.5)
    kind = rng.choice(KINDS)
    x, y = rng.randint(-40, width + 20), rng.randint(-40, height + 20)
    w, h = rng.randint(1, 100), rng.randint(1, 100)
    roi: R.Roi | None = None
    if kind == "rect":
        roi = R.Roi(x, y, w, h)
    elif kind == "subpixel-rect":
        roi = R.Roi(x + rng.random(), y + rng.random(), w * rng.random() + 0.1, h * rng.random() + 0.1)
    elif kind == "oval":
        roi = R.OvalRoi(x, y, w, h)
    elif kind == "subpixel-oval":
        roi = R.OvalRoi(x + rng.random(), y - rng.random(), w * rng.random() + 0.1, h * rng.random() + 0.1)
    elif kind == "polygon":
        n = rng.randint(3, 12)
        roi = R.PolygonRoi([rng.randint(-30, width + 30) for _ in range(n)],
                           [rng.randint(-30, height + 30) for _ in range(n)])
    flags = sum(set(rng.sample(FUZZ_FLAGS, rng.randint(1, len(FUZZ_FLAGS)))))
    return imp, roi, flags, kind


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--replay", type=int, help="check one example, by the seed a mismatch printed")
    args = parser.parse_args()
    if args.replay is not None:
        imp, roi, flags, kind = example(args.replay)
        print(f"example seed {args.replay}: {kind} {roi!r} flags={flags}")
        check_one(imp, roi, flags)  # type: ignore[arg-type]
        print("agreed")
        return 0
    print(f"fuzz_measure: seed {args.seed}, {args.examples} examples", flush=True)
    master = random.Random(args.seed)
    counts: collections.Counter[str] = collections.Counter()
    mismatches = 0
    for _ in range(args.examples):
        seed = master.getrandbits(48)
        imp, roi, flags, kind = example(seed)
        try:
            check_one(imp, roi, flags)   # type: ignore[arg-type]
            counts[kind] += 1
        except AssertionError as err:
            mismatches += 1
            print(f"MISMATCH example seed {seed}: {kind} {roi!r} flags={flags}: {str(err)[:300]}", flush=True)
    print("agreed:", dict(sorted(counts.items())), f"mismatches: {mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
