#!/usr/bin/env python3
"""Fuzz the C accelerator of the header walk: memory safety, and the same results as the Python path.

    python scripts/fuzz_native.py --examples 20000 --seed 1             # random mutations
    python scripts/fuzz_native.py --engine atheris --examples 100000    # coverage-guided (pip install atheris)
    python scripts/fuzz_native.py --asan --examples 20000 --seed 1      # under AddressSanitizer (gcc)
    python scripts/fuzz_native.py --asan --hostile --examples 0         # the hostile corpus and pydicom's files

Inputs are the seeds of ``scripts/fuzz_walker.py`` (pydicom's small images and
random well-formed files) with up to eight mutations each (bit flips,
overwrites, absurd lengths, insertions, cuts).  Every input is decoded from
memory and from a file read in small chunks (so the C loop's window moves
happen everywhere), on the accelerator and on the Python path; a finding is
any difference (text line, FileInfo field, failure), any exception that is
not a ``DicomReadError``, or -- under ``--asan`` -- an invalid memory access,
which aborts the run with AddressSanitizer's report.

``--asan`` compiles ``bridge/core/_walker.c`` with ``-fsanitize=address``
into a temporary folder and runs this script again with that build loaded
and ``libasan`` preloaded (``PYTHONMALLOC=malloc``, so Python's objects are
checked too).  atheris follows the coverage of the Python side of the rules
(the decisions the C loop calls); the C code itself would need clang's
libFuzzer instrumentation, which gcc does not provide.  Under ``--asan``
atheris runs but records no coverage (measured: its corpus stays at one
input), so use the random engine there.  atheris ends the process itself
(libFuzzer's summary, no line of ours).  Exit status 1 if an input broke a
promise; ``--keep DIR`` saves those inputs.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SOURCE = ROOT / "bridge" / "core" / "_walker.c"
ASAN_BUILD = "BRIDGE_FUZZ_NATIVE_BUILD"    # set in the child: the ASan build to load
KINDS = ("flip", "put", "length", "insert", "cut")


def fuzz_walker() -> ModuleType:
    """``scripts/fuzz_walker.py``: its seeds and mutations are this fuzzer's too."""
    spec = importlib.util.spec_from_file_location("fuzz_walker", ROOT / "scripts" / "fuzz_walker.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_build(path: str) -> None:
    """Use the extension at ``path`` (the ASan build) as ``bridge.core._walker``."""
    spec = importlib.util.spec_from_file_location("bridge.core._walker", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["bridge.core._walker"] = module


class Checker:
    """One input through both paths, from memory and from a file; what went wrong, if anything."""

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, "fuzz.dcm")
        self.runs = 0

    def __call__(self, data: bytes) -> str | None:
        from bridge.core import decoder, source
        from tests.core.native_paths import paths_differ
        self.runs += 1
        with open(self.path, "wb") as f:
            f.write(data)
        saved = source.CHUNK
        source.CHUNK = 5 + self.runs % 61
        try:
            for where, decode in (("memory", lambda: decoder.decode_bytes(data, self.path)),
                                  (f"chunks of {source.CHUNK}", lambda: decoder.decode(self.path))):
                difference = paths_differ(decode)
                if difference:
                    return f"{where}: {difference}"
        except Exception as exc:  # noqa: BLE001 - anything but a DicomReadError (kept in Decoded) is a finding
            return f"{type(exc).__name__}: {exc}"
        finally:
            source.CHUNK = saved
        return None


def mutations(rng: random.Random) -> list[tuple[str, int, int, bytes]]:
    return [(rng.choice(KINDS), rng.randrange(1 << 20), rng.randrange(256), rng.randbytes(rng.randint(1, 8)))
            for _ in range(rng.randint(0, 8))]


def run_random(examples: int, seed: int, check: Checker, found: list[tuple[str, bytes]]) -> None:
    fuzz = fuzz_walker()
    starts = fuzz.seeds()
    rng = random.Random(seed)
    for i in range(1, examples + 1):
        data = fuzz.mutate(rng.choice(starts), mutations(rng)) if rng.random() < 0.95 else rng.randbytes(
            rng.randrange(2048))
        problem = check(data)
        if problem:
            found.append((problem, data))
        if i % 1000 == 0:           # long runs: a figure even if the run is cut short
            print(f"... {i} inputs, {len(found)} findings", flush=True)


def run_atheris(examples: int, seed: int, check: Checker, found: list[tuple[str, bytes]]) -> None:
    import atheris
    corpus = tempfile.mkdtemp(prefix="fuzz-native-corpus-")   # libFuzzer grows it; kept for a next run
    print(f"atheris corpus: {corpus} (a finding stops the run and is saved as crash-*)")
    for i, data in enumerate(fuzz_walker().seeds()):
        Path(corpus, f"seed{i}").write_bytes(data)

    def one_input(data: bytes) -> None:
        problem = check(data)
        if problem:
            found.append((problem, data))
            raise AssertionError(problem)

    atheris.Setup([sys.argv[0], f"-runs={examples}", f"-seed={seed or 1}", corpus], one_input)
    atheris.Fuzz()


def run_known_inputs(check: Checker, found: list[tuple[str, bytes]]) -> None:
    """The hostile corpus's inputs (those that are bytes) and every file of pydicom's test data."""
    import glob

    import pydicom.data
    from tests.hostile.corpus import corpus
    inputs = [(f"{case.family}/{case.id}", case.data) for case in corpus(0) if case.special is None]
    folder = os.path.dirname(pydicom.data.get_testdata_file("CT_small.dcm"))
    for path in sorted(glob.glob(os.path.join(folder, "**", "*"), recursive=True)):
        if os.path.isfile(path):
            with open(path, "rb") as f:
                inputs.append((os.path.relpath(path, folder), f.read()))
    for name, data in inputs:
        problem = check(data)
        if problem:
            found.append((f"{name}: {problem}", data))
    print(f"{len(inputs)} known inputs (hostile corpus, pydicom's test files) checked")


def build_asan(folder: str) -> str:
    """``_walker.c`` compiled with AddressSanitizer (and UBSan) into ``folder``; the path."""
    out = os.path.join(folder, "_walker" + sysconfig.get_config_var("EXT_SUFFIX"))
    cc = os.environ.get("CC", "gcc")
    subprocess.run([cc, "-shared", "-fPIC", "-g", "-O1", "-fno-omit-frame-pointer",
                    "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                    f"-I{sysconfig.get_paths()['include']}", str(SOURCE), "-o", out], check=True)
    return out


def run_under_asan(argv: list[str]) -> int:
    """This script again, with the ASan build loaded and libasan preloaded."""
    cc = os.environ.get("CC", "gcc")
    libasan = subprocess.run([cc, "-print-file-name=libasan.so"], capture_output=True, text=True,
                             check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="fuzz-native-asan-") as folder:
        env = dict(os.environ, LD_PRELOAD=libasan, PYTHONMALLOC="malloc", **{ASAN_BUILD: build_asan(folder)},
                   ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1")
        args = [a for a in argv if a != "--asan"]
        return subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], env=env).returncode


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine", choices=["random", "atheris"], default="random")
    parser.add_argument("--asan", action="store_true", help="build with AddressSanitizer and run under it")
    parser.add_argument("--keep", help="directory to keep the inputs that broke a promise")
    parser.add_argument("--hostile", action="store_true",
                        help="first check the hostile corpus (tests/hostile) and pydicom's test files")
    args = parser.parse_args(argv)
    if args.asan:
        return run_under_asan(argv)
    if os.environ.get(ASAN_BUILD):
        load_build(os.environ[ASAN_BUILD])
    if args.engine == "atheris":
        import atheris
        with atheris.instrument_imports(include=["bridge"]):    # coverage of the rules the C loop calls
            from bridge.core import native
    from bridge.core import native
    if not native.BUILT:
        print(f"the C accelerator is {native.WHY_NOT}: nothing to fuzz")
        return 1
    found: list[tuple[str, bytes]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        check = Checker(folder)
        if args.hostile:
            run_known_inputs(check, found)
        (run_atheris if args.engine == "atheris" else run_random)(args.examples, args.seed, check, found)
    for i, (problem, data) in enumerate(found):
        if i < 5:
            print(f"{problem} ({len(data)} bytes)")
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            Path(args.keep, f"finding{i}.dcm").write_bytes(data)
    build = "ASan build" if os.environ.get(ASAN_BUILD) else "build"
    print(f"{check.runs} inputs from seed {args.seed} ({args.engine}, {build}, "
          f"{time.perf_counter() - started:.0f} s): {len(found)} broke a promise")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
