#!/usr/bin/env python3
"""Differential header fuzzing: random DICOM files, real ImageJ vs the pydicom backend.

    python scripts/fuzz_header.py --examples 2000 --seed 1 [--keep DIR] [--ij-jar path/to/ij-1.54p.jar]

Prints how many files agreed and the first differences (files kept in --keep).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.parity.jar import use_ij_jar  # noqa: E402
from tests.fuzzgen import generate  # noqa: E402
from tests.parity.header_check import header_difference  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--ij-jar", help="the ij.jar to hold the pure backend against (default: the usual search); "
                                         "both backends emulate its version")
    parser.add_argument("--seed", type=int, default=0, help="first seed; example i uses seed+i")
    parser.add_argument("--keep", help="directory to keep differing files in")
    parser.add_argument("--show", type=int, default=3, help="differences to print")
    args = parser.parse_args(argv)
    print(f"against {use_ij_jar(args.ij_jar)}")
    keep = Path(args.keep) if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.examples):
            seed = args.seed + i
            path = Path(tmp) / f"fuzz_{seed}.dcm"
            path.write_bytes(generate(seed))
            problem = header_difference(str(path))
            if problem:
                failures += 1
                if failures <= args.show:
                    print(f"seed {seed}: {problem[:2000]}")
                if keep:
                    (keep / path.name).write_bytes(path.read_bytes())
    print(f"{args.examples} examples from seed {args.seed}: "
          f"{args.examples - failures} agree, {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
