#!/usr/bin/env python3
"""Fuzz the pure backend's walker and opener: typed errors only, bounded time and memory.

    python scripts/fuzz_walker.py --examples 5000 --seed 1                    # hypothesis (default)
    python scripts/fuzz_walker.py --engine atheris --examples 200000 --seed 1  # coverage-guided

Inputs are pydicom's image files and random well-formed files (``tests/fuzzgen``)
with up to eight mutations each: bit flips, overwrites, absurd lengths,
insertions, cuts.  Hypothesis steers toward inputs that walk more elements
(``hypothesis.target``); atheris (``pip install atheris``) follows coverage of
the walker itself.  Each input must decode and open to an image or a
``BridgeError`` within :data:`MAX_SECONDS`, allocating no more than
:data:`BASE_BYTES` plus :data:`PER_BYTE` times its own size.  Exit status 1
if any input broke a promise; ``--keep DIR`` saves those inputs.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAX_SECONDS = 10.0
BASE_BYTES = 16 << 20
PER_BYTE = 16
ABSURD = (0xFFFFFFFF, 0xFFFFFFFE, 0x80000000, 0x7FFFFFFF, 0x50000000, 0x00FFFFFF, 13, 0xFFFF, 1)


def seeds() -> list[bytes]:
    """The starting files: small pydicom images and a few random well-formed files."""
    from tests.fuzzgen import generate
    from tests.hostile.corpus import SEED_FILES, seed_bytes
    return [seed_bytes(n) for n in SEED_FILES if len(seed_bytes(n)) < 100_000] + [generate(i) for i in range(8)]


def mutate(data: bytes, mutations: list[tuple[str, int, int, bytes]]) -> bytes:
    """Apply ``(kind, position, number, raw)`` mutations; positions wrap around the current size."""
    out = bytearray(data)
    for kind, position, number, raw in mutations:
        at = position % (len(out) + 1)
        if kind == "flip" and at < len(out):
            out[at] ^= 1 << (number % 8)
        elif kind == "put":
            out[at:at + len(raw)] = raw
        elif kind == "length":
            out[at:at + 4] = struct.pack("<I", ABSURD[number % len(ABSURD)])
        elif kind == "insert":
            out[at:at] = raw
        elif kind == "cut":
            del out[at:]
    return bytes(out)


class Checker:
    """Runs one input through ``decode`` and ``open_image``; says what went wrong, if anything."""

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, "fuzz.dcm")

    def __call__(self, data: bytes) -> tuple[str | None, int]:
        """(problem or None, elements walked: a measure of how deep the input got)."""
        from bridge.core.decoder import decode_bytes
        from bridge.core.opener import open_image
        from bridge.errors import BridgeError
        with open(self.path, "wb") as f:
            f.write(data)
        tracemalloc.start()
        start = time.perf_counter()
        try:
            decoded = decode_bytes(data, self.path)
            try:
                open_image(self.path)
            except BridgeError:
                pass
        except BaseException as exc:  # noqa: BLE001 - any other exception is the finding
            if isinstance(exc, KeyboardInterrupt):
                raise
            return f"{type(exc).__name__}: {exc}", 0
        finally:
            spent = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        if spent > MAX_SECONDS:
            return f"took {spent:.1f} s", 0
        if peak > BASE_BYTES + PER_BYTE * len(data):
            return f"allocated {peak} bytes for a {len(data)}-byte input", 0
        return None, decoded.info.count("\n")


def run_hypothesis(examples: int, seed: int, check: Checker, found: list[tuple[str, bytes]]) -> None:
    from hypothesis import HealthCheck, given, settings, strategies as st, target
    from hypothesis import seed as hypothesis_seed
    mutation = st.tuples(st.sampled_from(["flip", "put", "length", "insert", "cut"]), st.integers(0, 1 << 20),
                         st.integers(0, 255), st.binary(min_size=1, max_size=8))
    inputs = st.one_of(
        st.tuples(st.sampled_from(seeds()), st.lists(mutation, max_size=8)).map(lambda s: mutate(*s)),
        st.binary(max_size=2048))

    @hypothesis_seed(seed)
    @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(inputs)
    def fuzz(data: bytes) -> None:
        problem, walked = check(data)
        target(float(walked))
        if problem:
            found.append((problem, data))

    fuzz()


def run_atheris(examples: int, seed: int, check: Checker, found: list[tuple[str, bytes]]) -> None:
    import atheris
    with atheris.instrument_imports():
        import bridge.core.decoder  # noqa: F401
        import bridge.core.walker  # noqa: F401
    corpus = tempfile.mkdtemp(prefix="fuzz-walker-corpus-")   # libFuzzer grows it; kept for a next run
    print(f"atheris corpus: {corpus} (a finding stops the run and is saved as crash-*)")
    for i, data in enumerate(seeds()):
        Path(corpus, f"seed{i}").write_bytes(data)

    def one_input(data: bytes) -> None:
        problem, _ = check(data)
        if problem:
            found.append((problem, data))
            raise AssertionError(problem)

    atheris.Setup([sys.argv[0], f"-runs={examples}", f"-seed={seed or 1}", corpus], one_input)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine", choices=["hypothesis", "atheris"], default="hypothesis")
    parser.add_argument("--keep", help="directory to keep the inputs that broke a promise")
    args = parser.parse_args(argv)
    found: list[tuple[str, bytes]] = []
    with tempfile.TemporaryDirectory() as folder:
        run = run_atheris if args.engine == "atheris" else run_hypothesis
        run(args.examples, args.seed, Checker(folder), found)
    for i, (problem, data) in enumerate(found):
        if i < 5:
            print(f"{problem} ({len(data)} bytes)")
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            Path(args.keep, f"finding{i}.dcm").write_bytes(data)
    print(f"{args.examples} examples from seed {args.seed} ({args.engine}): {len(found)} broke a promise")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
