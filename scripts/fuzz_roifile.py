#!/usr/bin/env python3
"""Differential ``.roi`` fuzzing: bridge's encoder and decoder against ImageJ's RoiEncoder/RoiDecoder, live.

    python scripts/fuzz_roifile.py --examples 5000 --seed 0

Every example draws, from its seed, one random selection of any kind a file
holds (with a name, a position, perhaps a stroke width or rounded corners) and
checks it both ways (``tests/core/test_roifile_parity.py``'s ``compare``);
then it flips, truncates or overwrites bytes of the encoded file and checks
that bridge either reads it or raises ``RoiFileError`` -- and, where both
bridge and ImageJ read the damaged file, that they read the same selection.
Prints the counts and each mismatch with its example's seed (``--replay SEED``).
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core"))

from bridge.core import roi as R  # noqa: E402
from bridge.core import roifile  # noqa: E402
from bridge.backends.jvm.runtime import start as start_jvm  # noqa: E402
import imagej_live as ij  # noqa: E402
from test_roifile_parity import compare  # noqa: E402


def selection(rng: random.Random) -> R.Roi:
    """One random selection, every kind a .roi file holds."""
    kind = rng.choice(["rect", "subpixel-rect", "oval", "subpixel-oval", "polygon", "line", "points"])
    coord = lambda: rng.randint(-200, 3000)  # noqa: E731
    real = lambda: float(rng.uniform(-200, 3000))  # noqa: E731
    roi: R.Roi
    if kind in ("rect", "oval"):
        roi = (R.Roi if kind == "rect" else R.OvalRoi)(coord(), coord(), rng.randint(1, 900), rng.randint(1, 900))
    elif kind.startswith("subpixel"):
        cls = R.Roi if kind.endswith("rect") else R.OvalRoi
        roi = cls(rng.uniform(0, 3000), rng.uniform(0, 3000), rng.uniform(0.5, 800), rng.uniform(0.5, 800))
    elif kind == "polygon":
        n = rng.randint(3, 60)
        roi = R.PolygonRoi([coord() for _ in range(n)], [coord() for _ in range(n)],
                           rng.choice([R.POLYGON, R.FREEROI, R.TRACED_ROI, R.POLYLINE, R.FREELINE]))
    elif kind == "line":
        roi = R.Line(real(), real(), real(), real())
    else:
        n = rng.randint(1, 40)
        roi = R.PointRoi([rng.uniform(0, 3000) for _ in range(n)], [rng.uniform(0, 3000) for _ in range(n)])
    if rng.random() < 0.5:
        roi.name = "".join(rng.choice("abcXYZ-_. 0123\u00e9\u540d") for _ in range(rng.randint(0, 20)))
    roi.position = rng.choice([0, 0, rng.randint(1, 1000)])
    if not isinstance(roi, R.PointRoi) and rng.random() < 0.3:
        roi.stroke_width = float(rng.randint(1, 20))
    if type(roi) is R.Roi and rng.random() < 0.2:
        roi.corner_diameter = rng.randint(1, 50)
    return roi


def damaged(data: bytes, rng: random.Random) -> bytes:
    """The file with a few bytes changed, cut short, or a count or offset made huge."""
    damage = bytearray(data)
    how = rng.choice(["flip", "truncate", "huge"])
    if how == "truncate":
        return bytes(damage[:rng.randint(0, len(damage))])
    if how == "huge":
        offset = rng.choice([16, 18, 36, 60, 8, 12])
        damage[offset:offset + 4] = rng.getrandbits(32).to_bytes(4, "big")
        return bytes(damage)
    for _ in range(rng.randint(1, 8)):
        damage[rng.randrange(len(damage))] = rng.getrandbits(8)
    return bytes(damage)


def check(seed: int, counts: collections.Counter[str]) -> str | None:
    """None if the example agrees, else what went wrong."""
    rng = random.Random(seed)
    roi = selection(rng)
    try:
        compare(roi)
    except AssertionError as exc:
        return f"round trip: {roi!r}: {exc}"
    counts["round trips"] += 1
    bad = damaged(roifile.encode(roi), rng)
    start = time.perf_counter()
    try:
        ours: R.Roi | None = roifile.decode(bad, "fuzz.roi")
    except roifile.RoiFileError:
        ours = None
    except Exception:                                         # noqa: BLE001 - this is what the fuzzer looks for
        return f"damaged file raised outside the hierarchy: {traceback.format_exc(limit=3)}"
    if time.perf_counter() - start > 1.0:
        return "damaged file took over a second"
    try:
        theirs = ij.java_decode(bad)
    except Exception:                                         # noqa: BLE001 - ImageJ throws on some damage
        theirs = None
    counts["damaged: " + ("both read" if ours is not None and theirs is not None else
                          "bridge refused" if ours is None else "ImageJ refused")] += 1
    if ours is None or theirs is None:
        return None
    try:
        again = roifile.encode(ours)
    except roifile.RoiFileError:
        counts["damaged: read, then refused to write"] += 1
        return None
    java_again = ij.java_roi_bytes(theirs)
    if again != java_again:
        first = next((i for i, (a, b) in enumerate(zip(again, java_again)) if a != b), min(len(again), len(java_again)))
        return (f"damaged file read differently: {roi!r} as {ours!r}, re-encoded bytes differ from offset {first} "
                f"({again[first:first + 8].hex()} / {java_again[first:first + 8].hex()}; lengths {len(again)}, "
                f"{len(java_again)})")
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replay", type=int, default=None, help="check one example's seed alone")
    args = parser.parse_args()
    seeds = [args.replay] if args.replay is not None else [args.seed * 1_000_003 + i for i in range(args.examples)]
    counts: collections.Counter[str] = collections.Counter()
    failures = 0
    start_jvm()
    started = time.perf_counter()
    for seed in seeds:
        problem = check(seed, counts)
        if problem:
            failures += 1
            print(f"seed {seed}: {problem}")
    print(f"{len(seeds)} examples in {time.perf_counter() - started:.1f} s, {failures} mismatches; {dict(counts)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
