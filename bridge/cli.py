"""The ``bridge`` command: ImageJ's DICOM calls from the shell.

Each subcommand mirrors one ImageJ call and prints exactly what that call
returns, so shell pipelines see the same strings a script would::

    bridge tag ct.dcm 0008,1030        # DicomTools.getTag   -> "0008,1030: e+1 "
    bridge info ct.dcm                 # DICOM().getInfo     -> the header text
    bridge demo                        # the seed snippet on pydicom's CT_small.dcm
    bridge scan DIR --tags 0008,1030   # headers only, one CSV row per file
    bridge run script.js               # original ImageJ JavaScript or macro, headless
    bridge compare DIR                 # both backends, every field that differs
    bridge doctor                      # what each backend needs and has

Exit status: 0 success, 1 when an input could not be read, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from . import backends
from .errors import BridgeError

SEED_TAGS = (("Study Description", "0008,1030"), ("Image Position", "0020,0032"),
             ("Pixel Spacing", "0028,0030"))


def _sample_file() -> str:
    """pydicom's bundled CT_small.dcm: the embedded default of the demo (no network)."""
    from pydicom.data import get_testdata_file
    path = get_testdata_file("CT_small.dcm")
    assert isinstance(path, str)
    return path


def cmd_demo(args: argparse.Namespace) -> int:
    """The seed snippet, on every backend usable here (or the one chosen)."""
    from .facade import IJ, DicomTools
    path = args.file or _sample_file()
    names = [args.backend] if args.backend else list(backends.NAMES)
    status = 0
    for name in names:
        problems = backends.load(name).missing()
        if problems:
            print(f"[{name}] not available: {'; '.join(problems)}", file=sys.stderr)
            status = 1
            continue
        backends.set_backend(name)
        print(f"[{name}] IJ.openImage({path!r})")
        imp = IJ.openImage(path)
        if imp is None:
            print(f"[{name}] openImage returned null: {IJ.getErrorMessage()}")
            status = 1
            continue
        for label, tag in SEED_TAGS:
            print(f"{label}: {DicomTools.getTag(imp, tag)}")
    return status


def _tag_record(tag: str, value: str | None) -> dict[str, str | None]:
    from .facade import DicomTools
    return {"tag": tag, "name": DicomTools.getTagName(tag), "value": value}


def cmd_tag(args: argparse.Namespace) -> int:
    from .facade import DicomTools, open as open_image
    imp = open_image(args.file)
    values = [(tag, DicomTools.getTag(imp, tag)) for tag in args.tags]
    if args.json:
        records = [_tag_record(tag, value) for tag, value in values]
        print(json.dumps({"file": args.file, "tags": records}, ensure_ascii=False, indent=1))
    for tag, value in values if not args.json else ():
        text = "null" if value is None else value
        print(text if args.value_only else f"{tag}:{text}")
    return 1 if any(value is None for _, value in values) else 0


def cmd_info(args: argparse.Namespace) -> int:
    from .compare import tag_ids
    from .facade import DICOM
    from .core.tags import get_tag
    text = DICOM().getInfo(args.file)
    if args.json:
        records = [_tag_record(tag, get_tag(text, tag)) for tag in tag_ids(text)]
        print(json.dumps({"file": args.file, "info": text, "tags": records}, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(text)
    if not text:
        print(f"bridge: {args.file}: no DICOM header could be read", file=sys.stderr)
        return 1
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import FIELDS, compare_file, compare_text
    from .facade import DICOM
    from .inputs import iter_files
    if args.against:
        backends.set_backend("pydicom")
        (path,) = args.paths if len(args.paths) == 1 else (None,)
        if path is None:
            print("bridge compare --against takes exactly one DICOM file", file=sys.stderr)
            return 2
        with open(args.against, encoding="utf-8", errors="replace") as saved:
            theirs = saved.read()
        diff, guess = compare_text(DICOM().getInfo(path), theirs)
        if diff:
            print(diff)
        if guess:
            print(guess)
        print(f"identical: {0 if diff else 1}/1")
        return 1 if diff else 0
    fields = tuple(args.fields) if args.fields else FIELDS
    unknown = set(fields) - set(FIELDS)
    if unknown:
        print(f"bridge compare: unknown field(s) {sorted(unknown)}; known: {', '.join(FIELDS)}", file=sys.stderr)
        return 2
    total = same = 0
    results = []
    for path in iter_files(args.paths):
        total += 1
        found = compare_file(path, fields)
        same += not found
        results.append({"file": path, "identical": not found, "differences": found})
        if not args.json and found:
            print(f"{path}:")
            for field, how in found.items():
                print(f"  {field}: " + how.replace("\n", "\n    "))
    if args.json:
        print(json.dumps({"identical": same, "total": total, "files": results}, indent=1))
    else:
        print(f"identical: {same}/{total}")
    return 0 if same == total else 1


def cmd_scan(args: argparse.Namespace) -> int:
    import csv
    from .scan import scan
    rows = scan(args.paths, args.tags, backend=args.backend, progress=None if not args.quiet else False,
                executor=_executor(args.workers))
    columns = ["path", *args.tags, "error"]
    failed = 0
    if args.parquet:
        try:
            import pandas
        except ImportError:
            print("bridge scan --parquet needs pandas and pyarrow: pip install pandas pyarrow", file=sys.stderr)
            return 2
        frame = pandas.DataFrame(list(rows), columns=columns)
        frame.to_parquet(args.parquet)
        failed = int(frame["error"].notna().sum())
    elif args.json:
        for row in rows:
            failed += row["error"] is not None
            print(json.dumps(row, ensure_ascii=False))
    else:
        out = open(args.csv, "w", newline="", encoding="utf-8") if args.csv else sys.stdout
        try:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                failed += row["error"] is not None
                writer.writerow(row)
        finally:
            if out is not sys.stdout:
                out.close()
    if failed:
        print(f"bridge scan: {failed} file(s) had errors (see the error column)", file=sys.stderr)
    return 0


def _executor(workers: int | None) -> object:
    if not workers:
        return None
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(max_workers=workers)


def cmd_run(args: argparse.Namespace) -> int:
    """Run an ImageJ JavaScript (.js) or macro (.ijm and anything else) on the jvm backend."""
    from .scripting import run_macro, run_script
    from .backends.jvm import runtime
    # Relative paths in the script mean the working directory, as in a shell; ImageJ's macro
    # open() would otherwise resolve them against the folder of the last file it opened.
    runtime.jclass("ij.io.OpenDialog").setDefaultDirectory(os.getcwd() + os.sep)
    if args.script.endswith(".js"):
        run_script(args.script, args.args)
    else:
        run_macro(args.script, " ".join(args.args))
    return 0


def cmd_port(args: argparse.Namespace) -> int:
    from .port import port_javascript
    with open(args.script, encoding="utf-8") as source:
        port = port_javascript(source.read())
    sys.stdout.write(port.python)
    for number, line in port.untranslated:
        print(f"bridge port: {args.script}:{number}: not translated: {line.strip()}", file=sys.stderr)
    return 1 if port.untranslated else 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import report
    text, ok = report()
    print(text)
    return 0 if ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bridge", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=backends.NAMES,
                        help="jvm (real ImageJ) or pydicom (pure Python); default: BRIDGE_BACKEND, else jvm if usable")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="run the seed snippet (openImage + three getTag calls)")
    p.add_argument("file", nargs="?", help="a DICOM file (default: pydicom's CT_small.dcm)")
    p.set_defaults(func=cmd_demo, needs_backend=False)

    p = sub.add_parser("tag", help="print DicomTools.getTag values, as 'TAG:VALUE' lines")
    p.add_argument("file")
    p.add_argument("tags", nargs="+", metavar="TAG", help="gggg,eeee")
    p.add_argument("--value-only", action="store_true", help="print only the values")
    p.add_argument("--json", action="store_true", help="machine-readable: tag, ImageJ's name, getTag value")
    p.set_defaults(func=cmd_tag, needs_backend=True)

    p = sub.add_parser("info", help="print the header text (DICOM().getInfo)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="machine-readable: the text and every tag's value")
    p.set_defaults(func=cmd_info, needs_backend=True)

    p = sub.add_parser("compare", help="open files on both backends and show every field that differs")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked)")
    p.add_argument("--fields", nargs="+", metavar="FIELD", help="only these fields")
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.add_argument("--against", metavar="INFO.txt",
                   help="compare the pydicom backend's header with an Info text saved from ImageJ")
    p.set_defaults(func=cmd_compare, needs_backend=False)

    p = sub.add_parser("scan", help="one row per file with getTag values (headers only)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (walked) and zips")
    p.add_argument("--tags", nargs="+", required=True, metavar="TAG", help="gggg,eeee")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="OUT.csv", help="write CSV there (default: CSV on stdout)")
    out.add_argument("--json", action="store_true", help="JSON lines on stdout")
    out.add_argument("--parquet", metavar="OUT.parquet", help="write Parquet (needs pandas, pyarrow)")
    p.add_argument("--workers", type=int, help="processes for the pydicom backend (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_scan, needs_backend=True)

    p = sub.add_parser("run", help="run an ImageJ JavaScript (.js) or macro (.ijm) headless (jvm backend)")
    p.add_argument("script", help="a .js or .ijm file")
    p.add_argument("args", nargs="*", help="arguments (JavaScript: getArgument(); macro: one joined string)")
    p.set_defaults(func=cmd_run, needs_backend=False)

    p = sub.add_parser("port", help="translate an ImageJ JavaScript into Python on the facade")
    p.add_argument("script", help="a .js file")
    p.set_defaults(func=cmd_port, needs_backend=False)

    p = sub.add_parser("doctor", help="show what each backend needs and what is missing")
    p.set_defaults(func=cmd_doctor, needs_backend=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.needs_backend and args.backend:
            backends.set_backend(args.backend)
        return int(args.func(args))
    except BridgeError as err:
        print(f"bridge: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
