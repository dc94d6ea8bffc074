"""The JVM life cycle: one per process, started lazily, never shut down.

JPype cannot restart a JVM, so this module is the only place that starts
one and it never calls ``shutdownJVM``.  Java classes are obtained with
``jpype.JClass`` (never ``import java.*``), because the repository's own
``java/`` folder would shadow that import for anything run from its root.

The JVM is a guest in someone else's Python process, so it keeps out of the
way (see docs/threads-and-processes.md):

* **exit** -- the thread that starts a JVM is attached to it as a *user*
  thread, and at exit JPype's ``DestroyJavaVM`` waits for every user thread to
  end; a Python worker thread that started it never detaches, so exit waited for
  ever.  :func:`start` re-attaches such a thread as a daemon.
* **signals** -- ``-Xrs`` and ``interrupt=False``: Python keeps SIGINT, SIGTERM
  and SIGHUP, so Ctrl-C raises ``KeyboardInterrupt`` (once the Java call in
  progress returns) and the JVM stays usable.
* **fork** -- a forked child has the parent's JVM memory but none of its
  threads, so any Java call there would wait for ever.  The child is marked
  at fork; :func:`check_usable` then raises :class:`ForkedJvmError`.
* **threads** -- ImageJ keeps its last error message and ``System.out`` per
  process; calls that depend on them hold :func:`imagej_state` for the call
  and the reading of its outcome.
* **temp files** -- no ``hsperfdata`` (``-XX:-UsePerfData``) and Java's temp
  folder is Python's (``TMPDIR``).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from ... import config, locate
from ...errors import BackendUnavailableError, ForkedJvmError, JavaError
from . import display

_lock = threading.Lock()
_imagej = threading.RLock()
_forked_from: int | None = None
"""The pid of the parent whose started JVM this process inherited by ``fork``, else None."""


def jvm_options(throughput: bool = False) -> list[str]:
    """A display or none (:mod:`.display`), a bounded heap, the JIT tier for the work ahead, and the class-data archive if built.

    ``-XX:TieredStopAtLevel=1`` (C1 only) starts about a third faster, which is what a
    script that opens a few files feels; C2 then runs ImageJ's decoder and FolderOpener
    1.5-2x faster, which is what a batch feels (``benchmarks/bench_coldstart.py``,
    ``bench_series.py --full-jit``, ``bench_scan.py``).  So the first call decides:
    batch entry points start the JVM with ``throughput=True``; ``BRIDGE_JVM_JIT=quick``
    or ``full`` forces one.  The archive (``bridge/_jars/bridge-jvm.jsa``, or
    ``bridge-run.jsa`` for ``bridge run``'s class path, both made by ``scripts/setup.sh``)
    only speeds the start; a stale or foreign one is ignored silently by the JVM, never fatal.
    """
    heap = config.settings().jvm_heap
    jit = os.environ.get("BRIDGE_JVM_JIT") or ("full" if throughput else "quick")
    options = [*display.awt_options(), f"-Xmx{heap}", "-Dfile.encoding=UTF-8",
               "-Xlog:cds=off", "-Xlog:cds+dynamic=off", *_guest_options()]
    if _plugin_jars:
        options.append(f"-Dplugins.dir={os.path.dirname(_plugin_jars[0])}")
    if jit != "full":
        options.append("-XX:TieredStopAtLevel=1")
    dump = os.environ.get("BRIDGE_JVM_CDS_DUMP")
    if dump:
        options.append(f"-XX:ArchiveClassesAtExit={dump}")
    elif _class_data_archive().is_file():
        options.append(f"-XX:SharedArchiveFile={_class_data_archive()}")
    return options


def _class_data_archive() -> Path:
    """The archive recorded with this JVM's class path: ``bridge run``'s (plugin jars) or the library's.

    The JVM maps an archive only if the class path it was recorded with begins the
    running one, and ignores it silently otherwise (the whole archive, JPype's and
    ImageJ's classes too), so each class path has its own.
    """
    return locate.RUN_CDS_ARCHIVE if _plugin_jars else locate.CDS_ARCHIVE


def _guest_options() -> list[str]:
    """Python keeps the signals (``-Xrs``); no files outside TMPDIR (no perf data, Java's temp dir is ours)."""
    return ["-Xrs", "-XX:-UsePerfData", f"-Djava.io.tmpdir={tempfile.gettempdir()}"]


def class_path() -> list[str]:
    paths = [locate.ij_jar().path, locate.rhino_jar().path, locate.companion_jar().path, *_plugin_jars]
    return [p for p in paths if p]


_plugin_jars: list[str] = []


def install_plugin_jar(jar: str) -> bool:
    """Before the JVM starts: ``jar`` as a plugin installed in ImageJ, the way ImageJ run with it is.

    The jar goes on the class path (scripts import its classes) and its folder
    becomes ImageJ's plugins folder (``plugins.dir``), where ImageJ finds its
    ``plugins.config`` and adds its menu commands.  For ``bridge run`` only: a
    library process keeps ImageJ plain (see :mod:`.bioformats`).  Returns False,
    changing nothing, when this process's JVM has already started.
    """
    import jpype
    if jpype.isJVMStarted():
        return jar in _plugin_jars
    if jar not in _plugin_jars:
        _plugin_jars.append(jar)
    return True


def exit_process(status: int) -> NoReturn:
    """End this process now with ``status``, as ``ij.ImageJ -batch`` ends (``System.exit``).

    For ``bridge run``, whose work is done when its script ends.  Left to JPype, the
    exit destroys the JVM, and ``DestroyJavaVM`` waits for every non-daemon Java
    thread: AWT's event threads end only a second after the last window closes and
    never while one is open, so a macro that left a table window (``Table.create``)
    kept ``bridge run`` from exiting at all.  Letting the JVM merely die with the
    process instead (JPype's ``destroy_jvm=False``) aborted the process ("exception
    not rethrown", SIGABRT) once Bio-Formats had run.  So Python's own exit handlers
    run here (all but JPype's), the output is flushed, and Java's ``System.exit``
    ends the process, running Java's shutdown hooks as ImageJ's exit does.
    """
    import atexit
    import jpype
    import jpype._core
    if not jpype.isJVMStarted():
        sys.exit(status)
    atexit.unregister(jpype._core._JTerminate)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    jclass("java.lang.System").exit(status)
    raise AssertionError("System.exit returned")  # pragma: no cover


def import_jpype_without_numpy() -> None:
    """Import JPype with numpy hidden from it, for a process that will never hand Java a numpy value.

    JPype 1.7's extension imports numpy as it loads, only to recognise numpy scalars
    passed to Java methods; that import is a fifth of the CPU time of ``bridge run``
    of a one-line macro (``benchmarks/bench_run.py``).  A macro or JavaScript run
    by ``bridge run`` passes Java nothing but strings, and a numpy scalar still
    converts without the shortcut (through ``__index__``/``__float__``).  Does
    nothing if JPype or numpy is already imported, or if JPype is not installed.
    """
    if "jpype" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]   # "import numpy" raises ImportError
    try:
        import jpype  # noqa: F401
    except ImportError:
        pass                    # start() reports the missing backend as usual
    finally:
        del sys.modules["numpy"]


def start(throughput: bool = False) -> None:
    """Start the JVM if this process has none yet (see :func:`jvm_options`); later calls return at once."""
    check_usable()
    import jpype
    if jpype.isJVMStarted():
        return
    with _lock:
        if jpype.isJVMStarted():
            return
        problems = locate.missing()
        if problems:
            raise BackendUnavailableError("jvm", problems)
        global _running_jar
        paths = class_path()
        display.launch()
        jpype.startJVM(*jvm_options(throughput), classpath=paths, convertStrings=False, interrupt=False)
        _running_jar = locate.ij_jar().path
        if threading.current_thread() is not threading.main_thread():
            _attach_as_daemon()
        display.settle()


_running_jar: str | None = None


def running_jar() -> str | None:
    """The ij.jar the JVM of this process was started with, or None before it starts."""
    return _running_jar


def _attach_as_daemon() -> None:
    """Re-attach the starting thread as a daemon, so that exit does not wait for it (see the module doc)."""
    import jpype
    Thread = jpype.JClass("java.lang.Thread")
    Thread.detach()
    Thread.attachAsDaemon()


def check_usable() -> None:
    """Raise :class:`ForkedJvmError` in a child forked after the JVM started (a Java call would hang)."""
    if _forked_from is not None:
        raise ForkedJvmError(
            f"this process was forked from process {_forked_from} after its JVM started, and a JVM "
            "does not survive fork: start worker processes with the \"spawn\" or \"forkserver\" "
            "start method (multiprocessing.get_context(\"spawn\"), or ProcessPoolExecutor("
            "mp_context=multiprocessing.get_context(\"forkserver\"))), or use the pydicom backend "
            "in forked children")


def _mark_forked_child() -> None:
    """``os.register_at_fork`` hook: in a child of a process with a JVM, refuse Java and skip its exit."""
    global _forked_from
    if "jpype" not in sys.modules:     # never import JPype here: a child without a JVM stays so
        return
    import jpype
    import jpype.config
    if not jpype.isJVMStarted():
        return
    _forked_from = os.getppid()
    jpype.config.onexit = False     # JPype's atexit shutdown would wait for the parent's threads
    # Java objects must never be freed here: freeing one is a JNI call into a JVM whose threads
    # stayed in the parent, and it waits for ever.  The cyclic collector would free them at any
    # allocation (compiling a module on import was enough).  Freezing what the parent made was not:
    # cycles made here (a failed Java call's traceback holds Java objects) were still collected and
    # the child hung in 1 of 4 runs.  So this child, which cannot use Java anyway, collects no cycles.
    gc.freeze()
    gc.disable()


os.register_at_fork(after_in_child=_mark_forked_child)


@contextlib.contextmanager
def imagej_state() -> Iterator[None]:
    """Hold while a call uses ImageJ's process-wide state: its last error message, ``System.out``.

    ImageJ 1.x keeps one error message per process (``IJ.getErrorMessage()``)
    and prints to the one ``System.out``, which quiet calls swap; two threads
    doing that at once read each other's messages and can leave ``System.out``
    swapped.  One re-entrant lock, held for the call and the reading of its
    outcome, makes each call see only its own.
    """
    check_usable()
    with _imagej:
        yield


def started() -> bool:
    try:
        import jpype
    except ImportError:
        return False
    return bool(jpype.isJVMStarted())


def jclass(name: str) -> Any:
    """A Java class by name, starting the JVM on first use."""
    check_usable()
    return _jclass(name)


@lru_cache(maxsize=None)
def _jclass(name: str) -> Any:
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
