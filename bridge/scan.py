"""Header scans over many files: one row per file with ImageJ's getTag strings.

A bad file never stops a scan: its row carries ``"error"`` ("Class:
message") and whatever tags its header still gave.  Work is sent in chunks
so that a process pool or a Dask cluster pays the hand-off once per chunk,
not once per file; rows come back in input order.

* pydicom backend: a process pool (one worker per core) by default, or any
  ``concurrent.futures``-style executor (``submit`` returning futures with
  ``result()``), including a ``dask.distributed.Client``.
* jvm backend: one JVM in this process, one Java call per chunk.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from . import backends
from .core.headerscan import Row
from .inputs import iter_files

CHUNK = 64


def scan(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], tags: Sequence[str], *,
         executor: Any = None, backend: str | None = None, progress: bool | None = None,
         chunk_size: int = CHUNK, workers: int | None = None) -> Iterator[Row]:
    """Yield ``{"path", <each tag>, "error"}`` for every file under ``paths``, in order.

    ``workers`` sizes the process pool made here when no ``executor`` is
    given (default: one per core); ``progress`` None shows a bar on a terminal.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    name = backend or backends.get_backend()
    backends.get(name)  # fail early, with the reason, if it cannot run
    if name == "jvm" and (executor is not None or workers):
        warnings.warn("the jvm backend reads every file in this process's one JVM: "
                      "executor= and workers= are for the pydicom backend and are not used", stacklevel=2)
    files = list(iter_files(paths))
    chunks = [files[i:i + chunk_size] for i in range(0, len(files), chunk_size)]
    bar = _progress(len(files), progress)
    try:
        for rows in _chunk_results(name, chunks, list(tags), executor, workers):
            yield from rows
            bar.update(len(rows))
    finally:
        bar.close()


def _chunk_results(name: str, chunks: list[list[str]], tags: list[str], executor: Any,
                   workers: int | None) -> Iterator[list[Row]]:
    if name == "jvm" or (executor is None and len(chunks) <= 1):
        for chunk in chunks:  # the one JVM lives in this process
            yield scan_chunk(name, chunk, tags)
        return
    own = executor is None
    pool: Any = ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) if own else executor
    try:
        futures = [pool.submit(scan_chunk, name, chunk, tags) for chunk in chunks]
        for future in futures:
            yield future.result()
    finally:
        if own:
            pool.shutdown(cancel_futures=True)


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
