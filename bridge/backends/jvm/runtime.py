"""The JVM life cycle: one per process, started lazily, headless, never shut down.

JPype cannot restart a JVM, so this module is the only place that starts
one and it never calls ``shutdownJVM``.  Java classes are obtained with
``jpype.JClass`` (never ``import java.*``), because the repository's own
``java/`` folder would shadow that import for anything run from its root.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

from ... import config
from ...errors import BackendUnavailableError, JavaError
from . import locate

_lock = threading.Lock()


def jvm_options(throughput: bool = False) -> list[str]:
    """Headless, a bounded heap, the JIT tier for the work ahead, and the class-data archive if built.

    ``-XX:TieredStopAtLevel=1`` (C1 only) starts about a third faster, which is what a
    script that opens a few files feels; C2 then runs ImageJ's decoder and FolderOpener
    1.5-2x faster, which is what a batch feels (``benchmarks/bench_coldstart.py``,
    ``bench_series.py --full-jit``, ``bench_scan.py``).  So the first call decides:
    batch entry points start the JVM with ``throughput=True``; ``BRIDGE_JVM_JIT=quick``
    or ``full`` forces one.  The archive (``bridge/_jars/bridge-jvm.jsa``, made by
    ``scripts/setup.sh``) only speeds the start; a stale or foreign one is ignored
    silently by the JVM, never fatal.
    """
    heap = config.settings().jvm_heap
    jit = os.environ.get("BRIDGE_JVM_JIT") or ("full" if throughput else "quick")
    options = ["-Djava.awt.headless=true", f"-Xmx{heap}", "-Dfile.encoding=UTF-8",
               "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
    if jit != "full":
        options.append("-XX:TieredStopAtLevel=1")
    dump = os.environ.get("BRIDGE_JVM_CDS_DUMP")
    if dump:
        options.append(f"-XX:ArchiveClassesAtExit={dump}")
    elif locate.CDS_ARCHIVE.is_file():
        options.append(f"-XX:SharedArchiveFile={locate.CDS_ARCHIVE}")
    return options


def class_path() -> list[str]:
    paths = [locate.ij_jar().path, locate.rhino_jar().path, locate.companion_jar().path]
    return [p for p in paths if p]


def start(throughput: bool = False) -> None:
    """Start the JVM if this process has none yet (see :func:`jvm_options`); later calls return at once."""
    import jpype
    if jpype.isJVMStarted():
        return
    with _lock:
        if jpype.isJVMStarted():
            return
        problems = locate.missing()
        if problems:
            raise BackendUnavailableError("jvm", problems)
        jpype.startJVM(*jvm_options(throughput), classpath=class_path(), convertStrings=False)


def started() -> bool:
    try:
        import jpype
    except ImportError:
        return False
    return bool(jpype.isJVMStarted())


@lru_cache(maxsize=None)
def jclass(name: str) -> Any:
    """A Java class by name, starting the JVM on first use."""
    start()
    import jpype
    return jpype.JClass(name)


def java_error(exc: BaseException, context: str = "") -> JavaError:
    """Turn a JPype ``JException`` into our :class:`JavaError`, keeping class and message."""
    java_class = exc.getClass().getName() if hasattr(exc, "getClass") else type(exc).__name__
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    err = JavaError(str(java_class), None if message is None else str(message), context)
    err.__cause__ = exc
    return err
