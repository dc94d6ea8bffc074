"""Header scans over many files: one row per file with ImageJ's getTag strings.

A bad file never stops a scan: its row carries ``"error"`` ("Class:
message") and whatever tags its header still gave.  Work is sent in chunks
so that a process pool or a Dask cluster pays the hand-off once per chunk,
not once per file; rows come back in input order.

* pydicom backend: a process pool (one worker per core) by default, or any
  ``concurrent.futures``-style executor (``submit`` returning futures with
  ``result()``), including a ``dask.distributed.Client``.
* jvm backend: one JVM in this process, one Java call per chunk; with an
  ``executor``, the chunks go to it (each worker process runs its own JVM).

The default pool starts its workers with the "forkserver" method, never by
forking this process: a fork of a process whose JVM runs cannot use Java
(see docs/threads-and-processes.md), and a fork of a threaded process is unsafe.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from . import archive, backends
from .errors import DicomReadError
from .inputs import iter_files

CHUNK = 64
Row = dict[str, Any]


def scan(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], tags: Sequence[str], *,
         executor: Any = None, backend: str | None = None, progress: bool | None = None,
         chunk_size: int = CHUNK) -> Iterator[Row]:
    """Yield ``{"path", <each tag>, "error"}`` for every file under ``paths``, in order.

    ``executor`` (anything with ``submit``, e.g. a thread or process pool, a Dask
    ``Client``) runs the chunks on either backend; without one, the pydicom backend
    uses a process pool and the jvm backend this process's JVM.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    name = backend or backends.get_backend()
    backends.get(name)  # fail early, with the reason, if it cannot run
    files = list(iter_files(paths))
    chunks = [files[i:i + chunk_size] for i in range(0, len(files), chunk_size)]
    bar = _progress(len(files), progress)
    try:
        for rows in _chunk_results(name, chunks, list(tags), executor):
            yield from rows
            bar.update(len(rows))
    finally:
        bar.close()


def _chunk_results(name: str, chunks: list[list[str]], tags: list[str], executor: Any) -> Iterator[list[Row]]:
    if executor is None and (name == "jvm" or len(chunks) <= 1):
        for chunk in chunks:  # the one JVM lives in this process
            yield scan_chunk(name, chunk, tags)
        return
    own = executor is None
    pool: Any = process_pool(os.cpu_count() or 1) if own else executor
    try:
        futures = [pool.submit(scan_chunk, name, chunk, tags) for chunk in chunks]
        for future in futures:
            yield future.result()
    finally:
        if own:
            pool.shutdown(cancel_futures=True)


def process_pool(max_workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers never are forks of this process (see the module doc)."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=multiprocessing.get_context(method))


def scan_chunk(name: str, paths: list[str], tags: list[str]) -> list[Row]:
    """Rows for one chunk on one backend (runs in a worker process for the pool path)."""
    return backends.get(name).scan_tags(paths, tags)


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, wanted: bool | None) -> Any:
    """A tqdm bar on a terminal (or when asked for), nothing when piped."""
    if wanted is False or (wanted is None and not sys.stderr.isatty()):
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)


#: what a backend's tag reader gives for one file: ``(values by tag id, whether the header text
#: is non-empty)``, or the exception its header raised
TagResult = tuple[dict[str, str | None], bool] | BaseException


def header_rows(paths: Sequence[str], tags: Sequence[str],
                read_tags: Callable[[list[str], list[str]], list[TagResult]]) -> list[Row]:
    """Scan rows for ``paths`` on a backend whose ``read_tags`` gives ``getTag`` values of files' headers.

    ImageJ's routing decides what each path is: a zip contributes its first
    entry's header (inflated safely), anything not a regular file is refused
    before a reader sees it.  A file with no header text gets the reason
    from our own decoder, so both backends name the same cause.
    """
    from .backends.pure.opener import refusal
    rows: dict[int, Row] = {}
    plain: list[tuple[int, str]] = []
    for index, path in enumerate(paths):
        try:
            kind = _route(path)
            if kind in ("missing", "not-regular"):
                raise refusal(path, kind)
            if kind == "zip":
                with archive.first_dicom_entry(path) as (entry_file, entry):
                    row = _row(path, entry_file, read_tags([entry_file], list(tags))[0], tags)
                    if row["error"]:    # name the zip and its entry, not our temporary file
                        row["error"] = row["error"].replace(entry_file, f"{path} (entry {entry!r})")
                    rows[index] = row
            else:
                plain.append((index, path))
        except DicomReadError as err:
            rows[index] = _row(path, path, err, tags)
    results = read_tags([path for _, path in plain], list(tags)) if plain else []
    for (index, path), result in zip(plain, results):
        rows[index] = _row(path, path, result, tags)
    return [rows[i] for i in range(len(paths))]


def _route(path: str) -> str:
    """``opener.file_type`` where it matters to a scan: only a name ending in ``.zip`` needs the sniff.

    Every other regular file goes to the header reader whatever its first
    bytes say, so a scan does not open each file twice.
    """
    from .backends.pure.opener import _base_name, file_type
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "missing"
    if not stat.S_ISREG(mode):
        return "not-regular"
    return file_type(path) if _base_name(path).lower().endswith(".zip") else "plain"


def tags_from_headers(read_headers: Callable[[list[str]], list[str | BaseException]]
                      ) -> Callable[[list[str], list[str]], list[TagResult]]:
    """A tag reader from a reader of whole header texts (``getInfo``), with ImageJ's ``getTag``."""
    from .backends.pure.tags import get_tag

    def read_tags(paths: list[str], tags: list[str]) -> list[TagResult]:
        return [h if isinstance(h, BaseException) else ({t: get_tag(h, t) for t in tags}, bool(h))
                for h in read_headers(paths)]
    return read_tags


def _row(path: str, local: str, result: TagResult, tags: Sequence[str]) -> Row:
    row: Row = {"path": path}
    if isinstance(result, BaseException):
        row.update(dict.fromkeys(tags))
        row["error"] = error_text(result)
        return row
    values, has_text = result
    for tag in tags:
        row[tag] = values[tag]
    row["error"] = None if has_text else why_unreadable(local)
    return row


def why_unreadable(path: str) -> str:
    """``Class: message`` for a file whose header gave no text, from our own decoder."""
    from .backends.pure.decoder import decode
    try:
        decoded = decode(path)
    except DicomReadError as err:
        return error_text(err)
    if decoded.error is not None:
        return error_text(decoded.error)
    return "NotDicomError: no DICOM header could be read"


def error_text(err: BaseException) -> str:
    """``Class: message`` as a row shows an error."""
    return f"{type(err).__name__}: {err}"
