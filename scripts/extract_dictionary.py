#!/usr/bin/env python3
"""Write ImageJ's tag dictionary, taken from an ij.jar without a JVM, as a data file.

    python scripts/extract_dictionary.py [--jar /usr/share/java/ij.jar] [--out bridge/_data/...txt]

The pure backend ships the 1.53t table this writes; see
``bridge/backends/pure/dictionary.py`` for how it is read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bridge.core.dictionary import DATA_FILE, entries_from_jar, format_table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", default="/usr/share/java/ij.jar", help="the ij.jar to read")
    parser.add_argument("--out", default=str(DATA_FILE), help="where to write the table")
    args = parser.parse_args(argv)
    table = entries_from_jar(args.jar)
    Path(args.out).write_text(format_table(table), encoding="utf-8")
    print(f"{len(table)} tags from {args.jar} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
