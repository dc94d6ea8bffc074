#!/usr/bin/env python3
"""Record what a given ij.jar's commands do on the command cases (``tests/golden/commands.py``).

    python scripts/record_commands.py --ij-jar /usr/share/java/ij.jar

Runs every case as an ImageJ macro in that jar's ImageJ (the jvm backend's
JVM, bridge's Xvfb display, each case from a fresh session: no images, empty
Results) and writes ``tests/golden/data/imagej-<version>-commands.json.gz``:
per case the current image's title, type, size, display range, calibration,
threshold and pixels' sha256, the Results CSV and the numbers of its queries.
The jar's version and sha256 are stored with the data.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ij-jar", required=True, help="the ij.jar whose behaviour is recorded")
    parser.add_argument("--only", help="record only the cases whose name contains this (not saved)")
    args = parser.parse_args(argv)
    from bridge.backends.jvm import companion
    from tests.golden import commands
    from tests.parity.jar import recording_jar
    version, jar = recording_jar(args.ij_jar)
    if not companion.prepare_commands():
        raise SystemExit("ImageJ's commands need a display: install Xvfb (scripts/setup.sh)")
    seen: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = commands.write_files(Path(tmp))
        for name, (file, calls) in commands.cases().items():
            if args.only and args.only not in name:
                continue
            folder = Path(tmp) / "out"
            folder.mkdir()
            outcome = companion.run_macro(commands.macro_text(files[file], calls), name, f"{folder}/", fresh=True)
            seen[name] = commands.parse_recording(outcome.output, outcome.error, folder)
            for written in folder.iterdir():
                written.unlink()
            folder.rmdir()
    failed = sum(1 for s in seen.values() if s["error"] is not None)
    if args.only:
        for name, case in seen.items():
            print(name, case)
        return 0
    path = commands.save(version, jar, seen)
    print(f"ImageJ {version}: {len(seen)} command cases ({failed} ended in an error) -> "
          f"{path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
