#!/usr/bin/env python3
"""Record what a given ij.jar does on the golden corpora (pydicom's test files, the seeded fuzz corpus).

    python scripts/record_golden.py --ij-jar /usr/share/java/ij.jar [--corpus pydicom fuzz]

Runs the jvm backend on that jar (its own version is the one emulated) and
writes ``tests/golden/data/imagej-<version>-<corpus>.json.gz``: per file
getInfo, and for an opened image its title, dims, display range, Info,
getTag for every tag of the Info plus a fixed list, and a pixels hash.
The jar's version and sha256 are stored with the data.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ij-jar", required=True, help="the ij.jar whose behaviour is recorded")
    parser.add_argument("--corpus", nargs="+", default=["pydicom", "fuzz"])
    args = parser.parse_args(argv)
    from bridge import backends
    from tests.golden.record import corpus_files, observe, save
    from tests.parity.jar import recording_jar
    version, jar = recording_jar(args.ij_jar)
    jvm = backends.get("jvm")
    for corpus in args.corpus:
        with tempfile.TemporaryDirectory() as tmp:
            files = corpus_files(corpus, Path(tmp))
            seen = {name: observe(jvm, path) for name, path in files.items()}
        path = save(version, corpus, jar, seen)
        opened = sum(1 for s in seen.values() if s.get("opened"))
        print(f"ImageJ {version}, {corpus}: {len(seen)} files ({opened} opened) -> "
              f"{path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
