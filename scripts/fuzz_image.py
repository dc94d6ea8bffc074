#!/usr/bin/env python3
"""Differential image fuzzing: random image files, real ImageJ vs the pydicom backend.

    python scripts/fuzz_image.py --examples 2000 --seed 0 [--out DIR] [--no-shrink]
    python scripts/fuzz_image.py --spec "ImageSpec(seed=279, bits=8, palette=(600, 600, 600))"

Every example is one random :class:`tests.fuzzgen.ImageSpec` (pixel layout,
rescale, window, spacing, frames, sequences, truncation, byte order, zips).
The outcome (an image, null, or which Java exception escapes ``IJ.openImage``) is
compared too, between the backends and with the live jar's own ``IJ.openImage``.
Prints the counts by outcome (what ImageJ did) and every mismatch; each
mismatch is shrunk to a minimal spec and saved to ``DIR`` (default
``fuzz-image-failures/``) as ``seed<N>.<ext>`` plus ``seed<N>.txt`` holding the
spec to paste into a regression case and the differing fields; ``--spec``
checks one such spec again.
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

from tests.fuzzgen import (ImageSpec, draw_image_spec, file_name, render_image,  # noqa: E402
                           simpler_specs)
from tests.parity.image_check import ImageResult, image_result  # noqa: E402


def check(spec: ImageSpec, folder: Path) -> ImageResult:
    path = folder / file_name(spec)
    path.write_bytes(render_image(spec))
    try:
        return image_result(str(path))
    finally:
        path.unlink()


def shrink(spec: ImageSpec, result: ImageResult, folder: Path) -> tuple[ImageSpec, ImageResult]:
    """The simplest spec found that still differs in at least one of the same fields."""
    fields = set(result.differences)
    tried = {repr(spec)}
    improved = True
    while improved:
        improved = False
        for candidate in simpler_specs(spec):
            if repr(candidate) in tried:
                continue
            tried.add(repr(candidate))
            attempt = check(candidate, folder)
            if fields & set(attempt.differences):
                spec, result, improved = candidate, attempt, True
                break
    return spec, result


def report(spec: ImageSpec, result: ImageResult) -> str:
    lines = [f"seed {spec.seed}: ImageJ {result.outcome}; differs in {', '.join(result.differences)}",
             f"  spec: {spec!r}"]
    for name, text in result.differences.items():
        lines.append(f"  {name}:\n    " + text[:1500].replace("\n", "\n    "))
    return "\n".join(lines)


def replay(text: str) -> int:
    """Check one spec, given as printed in a report."""
    spec = eval(text, {"ImageSpec": ImageSpec})  # noqa: S307 -- a developer's own command line
    with tempfile.TemporaryDirectory() as tmp:
        result = check(spec, Path(tmp))
    print(report(spec, result) if result.differences else f"agree: ImageJ {result.outcome}")
    return 1 if result.differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0, help="first seed; example i uses seed+i")
    parser.add_argument("--out", default="fuzz-image-failures", help="folder for minimal reproductions")
    parser.add_argument("--no-shrink", action="store_true", help="save mismatches as generated")
    parser.add_argument("--spec", help="check this one ImageSpec(...) (as printed) instead of a campaign")
    args = parser.parse_args(argv)
    if args.spec:
        return replay(args.spec)
    out = Path(args.out)
    outcomes: collections.Counter[str] = collections.Counter()
    mismatches = 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed in range(args.seed, args.seed + args.examples):
            spec = draw_image_spec(seed)
            result = check(spec, folder)
            outcomes[result.outcome] += 1
            if not result.differences:
                continue
            mismatches += 1
            if not args.no_shrink:
                spec, result = shrink(spec, result, folder)
            text = report(spec, result)
            print(text, flush=True)
            out.mkdir(parents=True, exist_ok=True)
            name = file_name(spec)
            suffix = Path(name).suffix or ".bin"
            (out / f"seed{seed}{suffix}").write_bytes(render_image(spec))
            (out / f"seed{seed}.txt").write_text(f"file name: {name}\n{text}\n")
    elapsed = time.monotonic() - start
    print(f"\n{args.examples} examples from seed {args.seed} in {elapsed:.0f} s: "
          f"{args.examples - mismatches} agree, {mismatches} differ")
    for name, count in outcomes.most_common():
        print(f"  {count:6d}  {name}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
