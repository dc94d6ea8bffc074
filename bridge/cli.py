"""The ``bridge`` command: ImageJ's DICOM calls from the shell.

Each subcommand mirrors one ImageJ call and prints exactly what that call
returns, so shell pipelines see the same strings a script would::

    bridge tag ct.dcm 0008,1030        # DicomTools.getTag   -> "0008,1030: e+1 "
    bridge info ct.dcm                 # DICOM().getInfo     -> the header text
    bridge demo                        # the seed snippet on pydicom's CT_small.dcm
    bridge scan DIR --tags 0008,1030   # headers only, one CSV row per file
    bridge run script.ijm              # original ImageJ macro, JavaScript or Fiji Python script
    bridge compare DIR                 # both backends, every field that differs
    bridge doctor                      # what each backend needs and has

The conventions are those of pydicom's and dcmtk's tools: options before or
after the subcommand, exit status 0 when every input was read, 1 when some
input failed, 2 on a usage error; one line per error on stderr (the
traceback only with ``--debug``); a closed pipe ends the command quietly.
The help texts are written here in plain words, apart from these docstrings.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from . import __version__, backends, config, emulation, locate
from .compare import (BIOFORMATS_FIELDS, FIELDS, READERS, FileComparison, compare_path, compare_text,
                      release_of_text, tag_ids)
from .core.tags import get_tag
from .errors import (BackendUnavailableError, BridgeError, ConfigError, DicomReadError, NotDicomError,
                     TruncatedError)
from .inputs import iter_files

# The facade (numpy, the image model), scan, port and doctor are imported by the commands that use
# them: `bridge run` of a macro needs only the JVM, and starts twice as fast without them.

SEED_TAGS = (("Study Description", "0008,1030"), ("Image Position", "0020,0032"),
             ("Pixel Spacing", "0028,0030"))

#: A DICOM tag id as ImageJ's getTag takes it: group and element in hex.
TAG_ID = re.compile(r"[0-9A-Fa-f]{4},[0-9A-Fa-f]{4}")

#: The status a process killed by SIGPIPE has in a shell (128 + 13), as dcmdump's would be.
CLOSED_PIPE_STATUS = 141
INTERRUPTED_STATUS = 130


class UsageError(Exception):
    """The command line asks for something that cannot be done as asked (status 2)."""


# --- the commands --------------------------------------------------------------------------


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
    from .facade import DICOM
    text = DICOM().getInfo(args.file)
    if args.json:
        records = [_tag_record(tag, get_tag(text, tag)) for tag in tag_ids(text)]
        print(json.dumps({"file": args.file, "info": text, "tags": records}, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(text)
    failure = header_failure(args.file, text)
    if failure is not None:
        raise failure
    return 0


def header_failure(path: str, text: str) -> DicomReadError | None:
    """Why ``getInfo`` gave no text (or a text cut short), from our decoder; None when the header is whole.

    ImageJ's getInfo says nothing about a failure: it returns what it read.
    A header that parses but describes no image (no pixel data, a compressed
    transfer syntax) is not a header failure.
    """
    from .core.decoder import header_text
    _, error = header_text(path)
    if not text:
        return error or NotDicomError("no DICOM header could be read", path)
    return error if isinstance(error, TruncatedError) else None


def cmd_compare(args: argparse.Namespace) -> int:
    if args.against:
        if args.reader != "imagej":
            raise UsageError("--against compares a header text: the imagej reader's")
        return _compare_against(args.paths, args.against)
    missing = backends.load("jvm").missing()
    if args.reader == "bioformats" and locate.bioformats_jar().path is None:
        missing = [*missing, f"the Bio-Formats jar ({locate.bioformats_jar().how}); fix: {locate.BIOFORMATS_FIX}"]
    if missing:
        raise BridgeError("compare needs the jvm backend (real ImageJ), which is not available: "
                          f"{'; '.join(missing)}; see `bridge doctor`")
    known = BIOFORMATS_FIELDS if args.reader == "bioformats" else FIELDS
    unknown = [field for field in args.fields or () if field not in known]
    if unknown:
        raise UsageError(f"{unknown[0]!r} is not a field of --reader {args.reader} (one of {', '.join(known)})")
    fields = tuple(args.fields) if args.fields else known
    results = []
    emulated = emulation.emulated()
    if not args.json:
        print(f"both backends emulate ImageJ {emulated.version} ({emulated.how})" if args.reader == "imagej" else
              f"both backends: Bio-Formats' import (BF.openImagePlus); jvm: {locate.bioformats_jar().how}")
    for path in iter_files(args.paths):
        result = compare_path(path, fields, reader=args.reader)
        results.append(result)
        if not args.json:
            _print_comparison(result)
    same = sum(r.identical for r in results)
    unreadable = sum(r.unreadable is not None for r in results)
    if args.json:
        files = [{"file": r.path, "identical": r.identical, "unreadable": r.unreadable,
                  "differences": r.differences} for r in results]
        print(json.dumps({"identical": same, "unreadable": unreadable, "total": len(results), "files": files,
                          "reader": args.reader,
                          "imagej": {"version": emulated.version, "how": emulated.how}}, indent=1))
    else:
        note = f" ({unreadable} unreadable on both backends)" if unreadable else ""
        print(f"identical: {same}/{len(results)}{note}")
    return 0 if same == len(results) else 1


def _print_comparison(result: FileComparison) -> None:
    if result.unreadable is not None:
        print(f"{result.path}: neither backend could read it ({result.unreadable})")
    if result.differences:
        print(f"{result.path}:")
        for field, how in result.differences.items():
            print(f"  {field}: " + how.replace("\n", "\n    "))


def _compare_against(paths: list[str], saved: str) -> int:
    """The pydicom backend's header of one file against an Info text saved from ImageJ."""
    from .facade import DICOM
    if len(paths) != 1:
        raise UsageError("--against compares exactly one DICOM file")
    backends.set_backend("pydicom")
    (path,) = paths
    with open(saved, encoding="utf-8", errors="replace") as text:
        theirs = text.read()
    version, why = release_of_text(theirs)       # the release whose dictionary wrote the saved text
    before = config.settings().imagej if config.given_by("imagej") == "configure" else None
    config.configure(imagej=version)
    try:
        ours = DICOM().getInfo(path)
    finally:
        config.configure(imagej=before)
    failure = header_failure(path, ours)
    if failure is not None and not ours:
        raise failure
    diff = compare_text(ours, theirs)
    if diff:
        print(diff)
    print(f"compared with ImageJ {version} (pydicom backend): {why}")
    print(f"identical: {0 if diff else 1}/1")
    return 1 if diff else 0


def cmd_scan(args: argparse.Namespace) -> int:
    from .scan import scan
    rows = scan(args.paths, args.tags, backend=args.backend, progress=False if args.quiet else None,
                workers=args.workers)
    columns = ["path", *args.tags, "error"]
    if args.parquet:
        failed, total = _write_parquet(rows, columns, args.parquet)
    elif args.json:
        failed, total = _write_rows(rows, lambda row: print(json.dumps(row, ensure_ascii=False)))
    elif args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as out:
            failed, total = _write_csv(rows, columns, out)
    else:
        failed, total = _write_csv(rows, columns, sys.stdout)
    if failed:
        print(f"bridge: {failed} of {total} files could not be read (their rows say why, under 'error')", file=sys.stderr)
    return 1 if failed else 0


def _write_rows(rows: Iterable[dict[str, Any]], write: Callable[[dict[str, Any]], object]) -> tuple[int, int]:
    """Write each row; (rows with an error, rows)."""
    failed = total = 0
    for row in rows:
        write(row)
        failed += row["error"] is not None
        total += 1
    return failed, total


def _write_csv(rows: Iterable[dict[str, Any]], columns: list[str], out: TextIO) -> tuple[int, int]:
    """CSV with LF line ends (the csv module's default is CRLF), as Unix tools and pandas expect."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    return _write_rows(rows, writer.writerow)


def _write_parquet(rows: Iterable[dict[str, Any]], columns: list[str], target: str) -> tuple[int, int]:
    try:
        import pandas
    except ImportError:
        raise UsageError("--parquet needs pandas and pyarrow: pip install pandas pyarrow") from None
    frame = pandas.DataFrame(list(rows), columns=columns)
    frame.to_parquet(target)
    return int(frame["error"].notna().sum()), len(frame)


def cmd_run(args: argparse.Namespace) -> int:
    """Run an ImageJ macro, JavaScript or Fiji-style Python script; exit 0 done, 1 aborted, 2 usage.

    Stdout holds only what the script printed; ImageJ's error text goes to stderr.
    """
    from .backends.jvm import runtime
    from .scripting import install_bioformats
    if not os.path.isfile(args.script):
        print(f"bridge run: {args.script}: no such script file", file=sys.stderr)
        return 2
    if not args.script.endswith(".py"):     # only a Python script can hand Java numpy values
        runtime.import_jpype_without_numpy()    # first: install_bioformats imports JPype
    install_bioformats()
    # Relative paths in the script mean the working directory, as in a shell; ImageJ's macro
    # open() would otherwise resolve them against the folder of the last file it opened.
    runtime.jclass("ij.io.OpenDialog").setDefaultDirectory(os.getcwd() + os.sep)
    status = _run_script_file(args)
    if args.owns_process:   # the command line's bridge run, not cli.main() called from a program
        runtime.exit_process(status)
    return status


def _run_script_file(args: argparse.Namespace) -> int:
    """Run the script; its exit status, with ImageJ's error text or the script's traceback on stderr."""
    from .errors import ScriptError
    from .scripting import ScriptUsageError, run_file
    try:
        run_file(args.script, args.args)
    except ScriptUsageError as err:
        print(f"bridge run: {err}", file=sys.stderr)
        return 2
    except ScriptError as err:
        print(err.imagej_text.rstrip() if err.imagej_text else str(err), file=sys.stderr)
        return 1
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except Exception:  # a Python script's own error: its traceback, as python would print it
        if not args.script.endswith(".py"):
            raise
        _print_script_traceback(args.script)
        return 1
    return 0


def _print_script_traceback(script: str) -> None:
    """The traceback of a failed Python script, from the script's first frame on (not bridge's)."""
    import traceback
    from pathlib import Path
    kind, error, trace = sys.exc_info()
    while trace is not None and trace.tb_frame.f_code.co_filename != str(Path(script)):
        trace = trace.tb_next
    sys.stdout.flush()
    traceback.print_exception(kind, error, trace, file=sys.stderr)


def cmd_port(args: argparse.Namespace) -> int:
    """Print the Python port; list each untranslated line on stderr (then exit 1)."""
    from .port import port_file
    port = port_file(args.script)
    sys.stdout.write(port.python)
    for number, line, why in port.untranslated:
        print(f"bridge port: {args.script}:{number}: not translated ({why}): {line.strip()}", file=sys.stderr)
    return 1 if port.untranslated else 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import report
    text, ok = report()
    print(text)
    return 0 if ok else 1


# --- --version -------------------------------------------------------------------------------


def version_text() -> str:
    """bridge's version and the ImageJ each backend gives, without starting Java."""
    from importlib import metadata
    pure = backends.load("pydicom").full_version()
    lines = [f"bridge {__version__}",
             f"  pydicom backend: emulates ImageJ {pure} (pydicom {metadata.version('pydicom')})"]
    jar = locate.ij_jar().path
    if jar is None:
        lines.append("  jvm backend: no ij.jar found (see `bridge doctor`)")
    else:
        lines.append(f"  jvm backend: ImageJ {_ij_jar_version(jar) or '(version unknown)'} from {jar}")
    return "\n".join(lines)


def _ij_jar_version(jar: str) -> str | None:
    """ImageJ.VERSION ("1.53t"), read from the class file's constants: no JVM needed."""
    try:
        with zipfile.ZipFile(jar) as archive:
            code = archive.read("ij/ImageJ.class")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = re.search(rb"\x01\x00[\x04-\x10](1\.\d\d[a-z]\d*)", code)  # a CONSTANT_Utf8 like "1.53t"
    return found.group(1).decode() if found else None


class _Version(argparse.Action):
    """``--version``, computed only when asked (it looks for ij.jar)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


# --- the grammar -------------------------------------------------------------------------------


def _tag_id(text: str) -> str:
    if not TAG_ID.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a tag id (gggg,eeee, e.g. 0008,0060)")
    return text


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _existing_file(text: str) -> str:
    if not os.path.exists(text):
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"a directory, not a file: {text}")
    return text


class _ItemsThenPaths(argparse.Action):
    """A list option followed by paths: ``--tags 0008,0060 0028,0010 DIR``.

    The values are items up to the first one that is not an item (not a tag
    id, not a field name); from there on they are paths, as if given before
    the option.  So ``scan --tags X DIR`` and ``scan DIR --tags X`` mean the same.
    """

    def __init__(self, option_strings: list[str], dest: str, *, is_item: Callable[[str], bool],
                 what: str, **kw: Any) -> None:
        super().__init__(option_strings, dest, nargs="+", **kw)
        self.is_item = is_item
        self.what = what

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        values = list(values)
        count = next((i for i, value in enumerate(values) if not self.is_item(value)), len(values))
        if count == 0:
            raise argparse.ArgumentError(self, f"{values[0]!r} is not {self.what}")
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), *values[:count]])
        namespace.trailing_paths = [*getattr(namespace, "trailing_paths", []), *values[count:]]


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions keep their line breaks (they hold examples); option help is wrapped."""


DESCRIPTION = """\
ImageJ's DICOM calls from the shell. Each command prints what one ImageJ
call returns, so a pipeline sees the strings an ImageJ script would see.
Two backends give the same answers: jvm runs the real ImageJ in Java,
pydicom reproduces it in pure Python."""

EPILOG = """\
options such as --backend and --debug may come before or after the command.

exit status:
  0  every input was read (and every tag asked for was there)
  1  some input could not be read, a tag was missing, or files differ
  2  usage error: an unknown option, a bad value (or BRIDGE_* setting),
     a missing script

Run 'bridge COMMAND --help' for the options of one command."""

BACKEND_HELP = "jvm (real ImageJ) or pydicom (pure Python); default: $BRIDGE_BACKEND, else jvm if usable"
IMAGEJ_HELP = ("the ImageJ release both backends emulate (1.53t, 1.54f, 1.54p...); "
               "default: $BRIDGE_IMAGEJ, else the ij.jar's, else the newest supported")


def _options(*, backend: bool) -> argparse.ArgumentParser:
    """The options every command takes too, so they may follow the command's name.

    Their default is "not given" (SUPPRESS), so that a value given before the
    command is not overwritten by the command's own default.
    """
    options = argparse.ArgumentParser(add_help=False)
    if backend:
        options.add_argument("--backend", choices=backends.NAMES, default=argparse.SUPPRESS, help=BACKEND_HELP)
    options.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the full traceback of an error")
    options.add_argument("--imagej", metavar="VERSION", default=argparse.SUPPRESS, help=IMAGEJ_HELP)
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bridge", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=_Formatter)
    parser.add_argument("--version", action=_Version, help="show bridge's version and the ImageJ each backend gives")
    parser.add_argument("--backend", choices=backends.NAMES, default=None, help=BACKEND_HELP)
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    parser.add_argument("--imagej", metavar="VERSION", default=None, help=IMAGEJ_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    with_backend, without_backend = _options(backend=True), _options(backend=False)

    def command(name: str, func: Callable[[argparse.Namespace], int], summary: str, description: str,
                backend: bool = True, usage: str | None = None) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, description=description, formatter_class=_Formatter,
                           parents=[with_backend if backend else without_backend], usage=usage)
        p.set_defaults(func=func, needs_backend=backend, trailing_paths=[])
        return p

    p = command("demo", cmd_demo, "run the seed snippet: openImage and three getTag calls",
                "Open a file with IJ.openImage and print three tags with DicomTools.getTag,\n"
                "on every backend usable here (or the one chosen with --backend).")
    p.add_argument("file", nargs="?", help="a DICOM file (default: pydicom's CT_small.dcm)")

    p = command("tag", cmd_tag, "print DicomTools.getTag values, one TAG:VALUE line each",
                "Print DicomTools.getTag(imp, TAG) for each TAG, as ImageJ returns it\n"
                "(leading space kept); 'null' and status 1 for a tag the file lacks.\n\n"
                "example:  bridge tag ct.dcm 0008,1030 0028,0030")
    p.add_argument("file", help="a DICOM file")
    p.add_argument("tags", nargs="+", metavar="TAG", type=_tag_id, help="a tag id: gggg,eeee (e.g. 0008,0060)")
    p.add_argument("--value-only", action="store_true", help="print only the values")
    p.add_argument("--json", action="store_true", help="print JSON: each tag, ImageJ's name of it and its value")

    p = command("info", cmd_info, "print the header text, as DICOM().getInfo gives it",
                "Print the header text ImageJ's DICOM().getInfo(path) gives. A file that\n"
                "cannot be read (missing, a folder, not DICOM, cut short) is named on stderr,\n"
                "with the reason, and the status is 1.")
    p.add_argument("file", help="a DICOM file")
    p.add_argument("--json", action="store_true", help="print JSON: the text and every tag's value")

    p = command("scan", cmd_scan, "one row per file with getTag values (headers only)",
                "Read the headers (not the pixels) of many files and write one row per file:\n"
                "the path, DicomTools.getTag for each tag, and the error if the file could not\n"
                "be read. Folders are walked; zips give their first DICOM entry. Status 1 if\n"
                "any file could not be read.\n\n"
                "examples:\n"
                "  bridge scan /data --tags 0008,0060 0028,0010 > rows.csv\n"
                "  bridge scan --tags 0008,0060 0028,0010 /data --json\n"
                "  bridge scan -t 0008,0060 -t 0028,0010 /data --csv rows.csv",
                usage="bridge scan [options] PATH... (--tags TAG... | -t TAG)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files, folders (walked) and zips")
    p.add_argument("--tags", action=_ItemsThenPaths, is_item=lambda text: bool(TAG_ID.fullmatch(text)), what="a tag id (gggg,eeee)",
                   metavar="TAG", default=[],
                   help="tag ids (gggg,eeee); the first value that is not a tag id starts the paths")
    p.add_argument("-t", "--tag", action="append", type=_tag_id, dest="more_tags", default=[], metavar="TAG",
                   help="one tag id; may be repeated, as dcmdump's --search")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--csv", metavar="OUT.csv", help="write the CSV to a file (default: CSV on stdout)")
    output.add_argument("--json", action="store_true", help="write JSON lines on stdout")
    output.add_argument("--parquet", metavar="OUT.parquet", help="write Parquet (needs pandas and pyarrow)")
    p.add_argument("--workers", type=_positive_int, metavar="N",
                   help="processes reading headers on the pydicom backend (default: one per core)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (shown on a terminal if tqdm is installed)")

    p = command("run", cmd_run, "run an ImageJ macro (.ijm), JavaScript (.js) or Fiji Python (.py) script",
                "Run an original ImageJ macro (.ijm, or any other name), JavaScript (.js) or\n"
                "Fiji-style Python script (.py) on the jvm backend, with every ImageJ command.\n"
                "Exit status: 0 the script finished, 1 it aborted, 2 usage error.", backend=False)
    p.add_argument("script", type=_existing_file, help="a .ijm, .js or .py file")
    p.add_argument("args", nargs="*",
                   help="getArgument() gets them joined by spaces; NAME=VALUE fills a Python script's #@ parameter")

    p = command("port", cmd_port, "translate an ImageJ macro or JavaScript into Python",
                "Write the Python twin of an ImageJ macro (.ijm) or JavaScript (.js), on\n"
                "bridge.macro and bridge's IJ, DicomTools and DICOM, with its control flow.\n"
                "Lines it cannot translate are kept as comments and listed on stderr with\n"
                "their line numbers (status 1). See docs/porting.md.",
                backend=False)
    p.add_argument("script", type=_existing_file, help="a .ijm or .js file")

    p = command("compare", cmd_compare, "open files on both backends and show every field that differs",
                "Open each file with real ImageJ (jvm backend) and in pure Python (pydicom\n"
                "backend) and show every field where they differ. Status 1 if any file\n"
                "differs or neither backend could read it.\n\n"
                "With --against, compare the pydicom backend's header text of one file with\n"
                "an Info text saved from your own ImageJ or Fiji.", backend=False,
                usage="bridge compare [options] PATH...\n       bridge compare FILE --against INFO.txt")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (walked)")
    p.add_argument("--fields", action=_ItemsThenPaths, is_item=lambda text: text in (*FIELDS, *BIOFORMATS_FIELDS),
                   what=f"a field (one of {', '.join(FIELDS)})", metavar="FIELD",
                   help=f"compare only these fields ({', '.join(FIELDS)}; with --reader bioformats: "
                        f"{', '.join(BIOFORMATS_FIELDS)}); the first value that is not a field starts the paths")
    p.add_argument("--reader", choices=READERS, default="imagej",
                   help="the route compared: imagej (IJ.openImage, default) or bioformats (BF.openImagePlus: "
                        "real Bio-Formats against bridge's reproduction; needs the Bio-Formats jar)")
    p.add_argument("--json", action="store_true", help="print a JSON report")
    p.add_argument("--against", metavar="INFO.txt", type=_existing_file,
                   help="an Info text saved from ImageJ (Image > Show Info) to compare one file with")

    command("doctor", cmd_doctor, "show what each backend needs, what was found and how to fix the rest",
            "Show what each backend needs, what was found where, and the command that\n"
            "fixes what is missing. Status 1 if a backend cannot run here.", backend=False)
    return parser


def subcommand_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser of each command, by name (for help texts and their tests)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _check(args: argparse.Namespace) -> None:
    """What argparse cannot say alone: the paths given after a list option, and lists left empty."""
    if hasattr(args, "paths"):
        args.paths = [*args.paths, *args.trailing_paths]
        if not args.paths:
            raise UsageError("no PATH given")
    if args.command == "scan":
        args.tags = [*args.tags, *args.more_tags]
        if not args.tags:
            raise UsageError("no tag given: --tags 0008,0060 ... or -t 0008,0060")


# --- running -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``bridge`` with ``argv`` (default: the command line) and return its exit status."""
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    with warnings.catch_warnings():
        if not debug:
            warnings.showwarning = _show_warning
        return _main(argv, debug)


def _main(argv: Sequence[str] | None, debug: bool) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.owns_process = argv is None
        _check(args)
        if args.imagej:
            config.configure(imagej=args.imagej)     # a release without rules: ConfigError, status 2
        if args.needs_backend and args.backend:
            backends.set_backend(args.backend)
        status = int(args.func(args))
        sys.stdout.flush()      # a closed pipe shows here, not at exit as "Exception ignored"
        return status
    except SystemExit as done:      # argparse: --help, --version, usage errors (status 2)
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)   # sys.exit("message"), as Python itself shows it
        return 1
    except BrokenPipeError:
        return _stdout_closed()
    except KeyboardInterrupt:
        if debug:
            raise
        print("bridge: interrupted", file=sys.stderr)
        return INTERRUPTED_STATUS
    except UsageError as err:
        print(f"bridge {args.command}: error: {err}", file=sys.stderr)
        return 2
    except ConfigError as err:      # a bad setting is a bad option value, given in the environment
        if debug:
            raise
        print(f"bridge: error: {one_line(err)}", file=sys.stderr)
        return 2
    except Exception as err:
        if debug:
            raise
        print(f"bridge: error: {one_line(err)}", file=sys.stderr)
        return 1


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: TextIO | None = None, line: str | None = None) -> None:
    """A warning as one line on stderr, like an error (``--debug`` shows Python's usual form)."""
    print(f"bridge: warning: {' '.join(str(message).splitlines())}", file=sys.stderr)


def one_line(err: BaseException) -> str:
    """An error as one line of text: the file first, then what went wrong."""
    if isinstance(err, BackendUnavailableError):
        return f"the {err.backend} backend is not available: {'; '.join(err.missing)}; see `bridge doctor`"
    if isinstance(err, NotDicomError) and "DICOM" not in err.reason:   # say what kind of failure it is
        text = f"{str(err)[:-len(err.reason)]}not DICOM ({err.reason})"
    elif isinstance(err, BridgeError):
        text = str(err)
    elif isinstance(err, OSError) and err.filename is not None:
        text = f"{err.filename}: {err.strerror or err}"
    else:
        text = f"{type(err).__name__}: {err} (run with --debug for the traceback)"
    return " ".join(text.split("\n"))


def _stdout_closed() -> int:
    """The reader of our output went away (``bridge scan ... | head``): stop quietly.

    Python would report the unflushed rest at exit; pointing stdout at
    devnull lets it go (the recipe of Python's signal documentation).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return CLOSED_PIPE_STATUS


if __name__ == "__main__":
    sys.exit(main())
