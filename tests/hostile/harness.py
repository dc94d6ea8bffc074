"""Runs one hostile case through the public facade of one backend and judges what happened.

For each case: ``bridge.open`` (an image or a ``BridgeError``), ``IJ.openImage``
(the same image, or None with the same reason in ``IJ.getErrorMessage()``),
``DICOM().getInfo`` (text or a ``BridgeError``) and ``DicomTools.getTag`` on
an opened image.  Every call is timed and measured for memory:
the process's peak RSS (``VmHWM``, reset before the call through
``/proc/self/clear_refs``; no ``tracemalloc``, which slowed allocation-heavy
cases tenfold) and on the jvm backend the Java heap pools' peaks, the larger counting.  The
rule is the issue's: growth at most 64 MiB + 3 x min(declared image bytes,
64 x bytes present, 1 GiB).  After a failure the control file must still open
to the same image, and the input must be byte for byte and mtime for mtime
unchanged.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import bridge
from bridge import DICOM, IJ, DicomTools
from bridge.core.decoder import decode
from bridge.core.pixels import STORAGE
from bridge.errors import BridgeError
from bridge.core.opener import file_type
from bridge.scan import scan

#: every open of a local file ends within this (the issue's promise)
MAX_SECONDS = 10.0
#: memory a call may grow by, beyond 3 x min(declared image, 64 x bytes present, 1 GiB)
BASE_BYTES = 64 << 20
RATIO, CAP = 64, 1 << 30


@dataclass
class Outcome:
    """What one case did on one backend; ``problems`` lists every broken promise."""

    case_id: str
    opened: str = ""                 # "image" or the error class name
    seconds: float = 0.0             # the slowest call
    grown: int = 0                   # the largest memory growth of a call
    hungriest: str = ""              # the call that grew it
    image_bytes: int = 0             # size of the image opened
    allowed: int = BASE_BYTES        # the memory rule for this case
    problems: list[str] = field(default_factory=list)


def fingerprint(path: Path) -> tuple[Any, ...] | None:
    """Bytes and mtime of a regular file (through links), None for anything else."""
    try:
        if not path.is_file():
            return None
        st = path.stat()
        return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_mode
    except OSError:
        return None


class Meter:
    """Growth of memory during one call: peak RSS, and the Java heap on the jvm backend."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self._pools: list[Any] = []
        if backend == "jvm":
            from bridge.backends.jvm import runtime
            factory = runtime.jclass("java.lang.management.ManagementFactory")
            heap = runtime.jclass("java.lang.management.MemoryType").HEAP
            self._pools = [p for p in factory.getMemoryPoolMXBeans() if p.getType() == heap]

    def measure(self, call: Callable[[], Any]) -> tuple[Any, int]:
        """``call()``'s result (or exception, returned) and the bytes memory grew by meanwhile."""
        rss_before = _reset_peak_rss()
        before = []
        for pool in self._pools:
            pool.resetPeakUsage()
            before.append(int(pool.getUsage().getUsed()))
        result = _capture(call)
        heap = sum(int(p.getPeakUsage().getUsed()) - b for p, b in zip(self._pools, before))
        rss = _peak_rss() - rss_before if rss_before is not None else 0
        return result, max(0, heap, rss)


def _reset_peak_rss() -> int | None:
    """Make the process's peak RSS its current RSS; that RSS in bytes (None where Linux's files are missing)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return _peak_rss()
    except OSError:
        return None


def _peak_rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def allowed_growth(path: Path, image_bytes: int) -> int:
    """64 MiB + 3 x min(declared image bytes, 64 x bytes present, 1 GiB).

    Declared: what the core decoder reads from a DICOM header (all frames, in
    ImageJ's storage type), at least the image opened; for anything else the image opened.
    """
    declared = image_bytes
    try:
        present = path.stat().st_size if path.is_file() else 0
        found = decode(str(path)).fi if present else None
    except (OSError, BridgeError):
        return BASE_BYTES + 3 * image_bytes
    if found is not None and found.file_type in STORAGE:
        itemsize = np.dtype(STORAGE[found.file_type]).itemsize
        declared = max(declared, max(1, found.n_images) * found.width * found.height * itemsize)
    return BASE_BYTES + 3 * min(declared, RATIO * present, CAP) if declared else BASE_BYTES


def _capture(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except BaseException as exc:  # judged by the caller: only BridgeError is allowed
        if isinstance(exc, KeyboardInterrupt):
            raise
        return exc


def run_case(case_id: str, path: Path, meter: Meter, control: Callable[[], str | None]) -> Outcome:
    """All facade calls on ``path``; ``control()`` returns a problem text if the control file broke."""
    out = Outcome(case_id)
    watched = [path, Path(os.path.realpath(path))] if path.is_symlink() else [path]
    before = [fingerprint(p) for p in watched]

    def timed(what: str, call: Callable[[], Any]) -> Any:
        """``call()`` (an exception is returned), timed and measured: the worst call counts."""
        start = time.perf_counter()
        result, grown = meter.measure(call)
        spent = time.perf_counter() - start
        if grown > out.grown:
            out.grown, out.hungriest = grown, what
        out.seconds = max(out.seconds, spent)
        if spent > MAX_SECONDS:
            out.problems.append(f"{what} took {spent:.1f} s")
        if isinstance(result, BaseException) and not isinstance(result, BridgeError):
            out.problems.append(f"{what} raised {type(result).__name__}: {str(result)[:200]}")
        return result

    temp_before = _temp_files()
    opened = timed("bridge.open", lambda: bridge.open(path))
    if isinstance(opened, BridgeError):
        out.opened = type(opened).__name__
        if str(path) not in str(opened):
            out.problems.append(f"the error does not name the file: {opened}")
    elif isinstance(opened, bridge.ImagePlus):
        out.opened = "image"
        out.image_bytes = opened.data.nbytes
        tag = timed("DicomTools.getTag", lambda: DicomTools.getTag(opened, "0028,0010"))
        if tag is not None and not isinstance(tag, str):
            out.problems.append(f"getTag gave {tag!r}")
    else:
        out.opened = type(opened).__name__
    _check_openimage(out, opened, timed("IJ.openImage", lambda: (IJ.openImage(path), IJ.getErrorMessage())))
    info = timed("DICOM().getInfo", lambda: DICOM().getInfo(path))
    out.allowed = allowed_growth(path, out.image_bytes)
    if out.grown > out.allowed:
        out.problems.append(f"{out.hungriest} grew memory by {out.grown} bytes ({out.allowed} allowed)")
    if not isinstance(info, (str, BridgeError)):
        out.problems.append(f"getInfo gave {type(info).__name__}")
    if out.opened != "image":
        broken = control()
        if broken:
            out.problems.append(f"after this case the control file {broken}")
    if [fingerprint(p) for p in watched] != before:
        out.problems.append("the input file changed")
    left = _temp_files() - temp_before
    if left:
        out.problems.append(f"left in TMPDIR: {sorted(left)}")
    return out


def _temp_files() -> set[str]:
    """What lies in the temporary folder now (where every temporary file of ours goes)."""
    try:
        return set(os.listdir(tempfile.gettempdir()))
    except OSError:
        return set()


def _check_openimage(out: Outcome, opened: Any, result: Any) -> None:
    """``IJ.openImage`` is ``bridge.open`` with None and a message instead of the error.

    Where ImageJ's own ``IJ.openImage`` throws (``thrown``), it raises the same error.
    """
    throws = isinstance(opened, BridgeError) and getattr(opened, "thrown", None) is not None
    if isinstance(result, BaseException):
        if isinstance(result, BridgeError) and not throws:
            out.problems.append(f"IJ.openImage raised where ImageJ returns: {result}")
        return                                  # anything else is reported by ``timed``
    if throws:
        out.problems.append("IJ.openImage returned where ImageJ throws")
    imp, message = result
    if isinstance(opened, bridge.ImagePlus):
        if imp is None or imp.data.shape != opened.data.shape:
            out.problems.append("IJ.openImage did not give the image bridge.open gave")
    elif isinstance(opened, BridgeError):
        if imp is not None:
            out.problems.append("IJ.openImage gave an image where bridge.open raised")
        elif message != getattr(opened, "imagej_message", None):
            out.problems.append(f"IJ.getErrorMessage() {message!r} is not the error's reason")


def control_checker(path: Path) -> Callable[[], str | None]:
    """A function that reopens the control file and says what is wrong with it, if anything."""
    reference = bridge.open(path)
    expected = (reference.title, reference.data.shape, hashlib.sha256(reference.data.tobytes()).hexdigest())

    def check() -> str | None:
        try:
            imp = bridge.open(path)
        except BaseException as exc:  # noqa: BLE001 - any failure here is the finding
            return f"no longer opens: {type(exc).__name__}: {exc}"
        got = (imp.title, imp.data.shape, hashlib.sha256(imp.data.tobytes()).hexdigest())
        return None if got == expected else f"opens differently: {got[:2]} instead of {expected[:2]}"

    return check



def scan_problems(paths: list[Path], outcomes: list[Outcome], backend: str) -> list[str]:
    """``bridge.scan`` over all ``paths`` at once: one row each, in order, errors as text, no exception.

    A DICOM file that opened to a real image has a header, so its row carries no error.  Folders
    are left out (a scan visits the files below a folder).  An error names the file given,
    never a temporary file of ours.
    """
    outcomes = [o for p, o in zip(paths, outcomes) if not p.is_dir()]
    paths = [p for p in paths if not p.is_dir()]
    tags = ["0028,0010", "0008,0060"]
    start = time.perf_counter()
    try:
        rows = list(scan([str(p) for p in paths], tags, backend=backend, progress=False,
                                chunk_size=len(paths)))
    except BaseException as exc:  # noqa: BLE001 - a scan must never raise for a bad file
        return [f"bridge.scan raised {type(exc).__name__}: {exc}"]
    spent = time.perf_counter() - start
    problems = []
    if spent > MAX_SECONDS * len(paths):
        problems.append(f"bridge.scan took {spent:.1f} s for {len(paths)} files")
    if [r["path"] for r in rows] != [str(p) for p in paths]:
        return problems + ["bridge.scan rows are not one per file in order"]
    for row, outcome in zip(rows, outcomes):
        if row["error"] is not None and not isinstance(row["error"], str):
            problems.append(f"{outcome.case_id}: scan error {row['error']!r} is not text")
        if outcome.opened == "image" and outcome.image_bytes and row["error"] is not None and \
                file_type(row["path"]) in ("dicom", "zip"):
            problems.append(f"{outcome.case_id}: opens, but its scan row says {row['error']}")
        if row["error"] and tempfile.gettempdir() + os.sep + "bridge-" in row["error"]:
            problems.append(f"{outcome.case_id}: the scan error names a temporary file: {row['error']}")
    return problems
