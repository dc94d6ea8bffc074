#!/usr/bin/env python3
"""Write the tag dictionary of an ij.jar, as the running jar answers it, as a data file of the package.

    python scripts/extract_dictionary.py --jar /usr/share/java/ij.jar     # -> bridge/_data/imagej-1.53t-dictionary.txt
    python scripts/extract_dictionary.py --jar path/to/ij-1.54p.jar       # -> bridge/_data/imagej-1.54p-dictionary.txt

The table is read from the jar's ``DicomDictionary`` class file, then the jar
is started (JPype) and its ``DicomDictionary.getDictionary()`` asked for
every entry; the file is written only if both agree.  The header records the
jar's ``ImageJ.VERSION``, its sha256, and how many entries there are.  See
``bridge/core/dictionary.py`` for how the pure backend reads it.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bridge.core.dictionary import data_file, entries_from_jar, format_table  # noqa: E402
from bridge.core.ijjar import jar_version  # noqa: E402


def running_dictionary(jar: str) -> dict[str, str]:
    """``DicomDictionary.getDictionary()`` of the jar, run in a JVM started for it."""
    import jpype
    jpype.startJVM("-Djava.awt.headless=true", classpath=[jar], convertStrings=False)
    cls = jpype.JClass("java.lang.Class").forName("ij.plugin.DicomDictionary")
    ctor = cls.getDeclaredConstructor()
    ctor.setAccessible(True)
    method = cls.getDeclaredMethod("getDictionary")
    method.setAccessible(True)
    props = method.invoke(ctor.newInstance())
    running_version = str(jpype.JClass("ij.IJ").getVersion())
    if running_version != jar_version(jar):
        raise SystemExit(f"{jar}: the class file says {jar_version(jar)}, the running jar {running_version}")
    return {str(key): str(props.get(key)) for key in props.keySet()}


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", default="/usr/share/java/ij.jar", help="the ij.jar to read")
    parser.add_argument("--out", help="where to write the table (default: the package's file for the jar's version)")
    parser.add_argument("--no-jvm", action="store_true", help="trust the class file; do not run the jar")
    args = parser.parse_args(argv)
    version = jar_version(args.jar)
    table = entries_from_jar(args.jar)
    checked = "not run"
    if not args.no_jvm:
        running = running_dictionary(args.jar)
        if running != table:
            differ = sorted(k for k in running.keys() | table.keys() if running.get(k) != table.get(k))
            raise SystemExit(f"{args.jar}: class file and running jar disagree on {len(differ)} keys: {differ[:10]}")
        checked = "equal to DicomDictionary.getDictionary() of the running jar"
    header = [f"ImageJ {version} DicomDictionary: GGGGEEEE=VR+name, in the class file's order",
              f"jar: {Path(args.jar).name} sha256={sha256(args.jar)}",
              f"entries: {len(table)} ({checked})",
              "written by scripts/extract_dictionary.py"]
    out = Path(args.out) if args.out else data_file(version)
    out.write_text(format_table(table, header), encoding="utf-8")
    print(f"{len(table)} tags of ImageJ {version} from {args.jar} -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
