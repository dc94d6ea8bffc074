"""Header scans over many files: one row per file with ImageJ's getTag strings.

A bad file never stops a scan: its row carries ``"error"`` ("Class:
message") and whatever tags its header still gave.  Work is sent in chunks
so that a process pool or a Dask cluster pays the hand-off once per chunk,
not once per file; rows come back in input order.

* pydicom backend: a process pool (one worker per core) by default, or any
  ``concurrent.futures``-style executor (``submit`` returning futures with
  ``result()``), including a ``dask.distributed.Client``.
* jvm backend: one JVM in this process, one Java call per chunk.

The default pool never forks a process whose JVM runs (the child could not
use Java, see docs/threads-and-processes.md) nor one with other threads (a
lock another thread held stays locked in the child): its workers are then
started by the "forkserver" method, which costs each worker an ``import
bridge``; a plain single-threaded process without a JVM forks them, at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from . import backends, config, emulation
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
    pool: Any = process_pool(workers or os.cpu_count() or 1) if own else executor
    try:
        imagej = emulation.emulated().version     # a worker may not share this process's settings
        with _interrupts_held_back():           # workers start in submit: they must not see a Ctrl-C
            futures = [pool.submit(scan_chunk, name, chunk, tags, imagej) for chunk in chunks]
        for future in futures:
            yield future.result()
    finally:
        if own:
            pool.shutdown(cancel_futures=True)


def process_pool(max_workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers are forks of this process only where a fork is safe (module doc).

    The workers ignore Ctrl-C.  A terminal sends SIGINT to the whole process
    group; a worker interrupted while it holds the pool's queue lock leaves its
    siblings, and the pool's shutdown, waiting for ever (seen under load: the
    scan hung after Ctrl-C).  This process takes the interrupt and cancels the
    chunks not started; the running ones take milliseconds.
    """
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=multiprocessing.get_context(start_method()),
                               initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    """A worker's first act: SIGINT ignored, then let through the mask it inherited (it is ignored now)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def _interrupts_held_back() -> Iterator[None]:
    """SIGINT blocked in this thread while workers are started, so each starts with it blocked (a
    Ctrl-C then waits for this thread, and never reaches a worker before it ignores it)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def start_method() -> str:
    """"fork" for a single-threaded process without a JVM, else "forkserver" (or "spawn" where there is none)."""
    methods = multiprocessing.get_all_start_methods()
    jpype = sys.modules.get("jpype")     # never imported here: a process without it has no JVM
    has_jvm = jpype is not None and bool(jpype.isJVMStarted())
    if "fork" in methods and not has_jvm and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def scan_chunk(name: str, paths: list[str], tags: list[str], imagej: str | None = None) -> list[Row]:
    """Rows for one chunk on one backend (runs in a worker process for the pool path).

    ``imagej``: the release the caller emulates, set here when the worker
    emulates another (a spawned or remote worker does not see ``configure``).
    """
    if imagej is not None and emulation.emulated().version != imagej:
        config.configure(imagej=imagej)
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
