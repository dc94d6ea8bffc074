"""The display ImageJ's commands draw their dialogs on: bridge's own virtual X server, or none.

Most ImageJ commands build a ``java.awt.Dialog`` even when a macro gives all their
options (``GenericDialog`` only skips *showing* it), and ImageJ builds its command
table from a ``java.awt.MenuBar``; a headless JVM can do neither.  Whether the JVM is
headless is fixed when it starts (strictly: at AWT's first use), so the choice is made
once, when :mod:`runtime` starts the JVM (:func:`launch`, :func:`wait_ready`).

The rule (``BRIDGE_DISPLAY``, see :mod:`bridge.config`):

* ``auto`` (default): if Debian's ``Xvfb`` is installed, bridge starts its own virtual
  display and the JVM is not headless; otherwise the JVM is headless and commands that
  need a display fail with :class:`DisplayUnavailableError`.
* ``xvfb``: the same, but a missing ``Xvfb`` is an error at JVM start.
* ``user``: use the display in ``$DISPLAY`` (windows may appear on it).
* ``none``: headless.

Why always, rather than only when a command is the first thing to need the JVM: the
headless switch cannot be changed later, so starting headless for ``openImage`` would
break a later ``IJ.run`` in the same process.  Xvfb starts while the JVM starts
(:func:`launch` starts it, :func:`wait_ready` collects its display number after
``startJVM``), so the two overlap (figures in ``benchmarks/bench_run.py``).

The server is bridge's: started at most once per process, on a display number it picks
itself (``-displayfd``), listening on no TCP port, and stopped when the process ends,
however it ends: a small shell waits on a pipe from this process and stops Xvfb when
the pipe closes (the kernel closes it even on SIGKILL).  It runs in its own session,
so a Ctrl-C in the terminal reaches Python, not the X server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from ... import config, locate
from ...errors import DisplayUnavailableError

__all__ = ["planned", "awt_options", "launch", "wait_ready", "status", "require", "DisplayStatus", "VirtualDisplay"]

XVFB = "Xvfb"
START_TIMEOUT = 20.0
"""Seconds Xvfb may take to report its display number (measured: 0.2-0.8 s on a busy machine)."""

# Xvfb in the background; the shell stops it when its stdin (our pipe) reaches end of file.
_WATCHDOG = 'Xvfb "$@" & xvfb=$!; read _ || true; kill "$xvfb" 2>/dev/null; wait "$xvfb"'


@dataclass(frozen=True)
class DisplayStatus:
    """What the JVM got: ``mode`` (``xvfb``, ``user`` or ``headless``), the display, and why not."""

    mode: str
    display: str | None = None
    problem: str | None = None

    @property
    def headless(self) -> bool:
        return self.mode == "headless"


class VirtualDisplay:
    """An Xvfb owned by this process (see the module docstring); the tests start one for ImageJ too."""

    def __init__(self) -> None:
        read_end, write_end = os.pipe()
        self._number_pipe = read_end
        try:
            self._process = subprocess.Popen(
                ["sh", "-c", _WATCHDOG, "sh", "-displayfd", str(write_end), "-noreset",
                 "-nolisten", "tcp", "-screen", "0", "1280x1024x24"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(write_end,), start_new_session=True)
        finally:
            os.close(write_end)
        # The watchdog's pipe as a bare descriptor too: Python closes its file objects while it
        # finalizes, which would stop Xvfb while a JVM left running at exit still draws on it
        # (Xlib then ends the process with status 1); the kernel closes this one last.
        assert self._process.stdin is not None
        self._keepalive: int | None = os.dup(self._process.stdin.fileno())

    def number(self) -> str:
        """The display number Xvfb chose, once it accepts connections; raises if it failed."""
        import selectors
        text = b""
        with selectors.DefaultSelector() as selector:
            selector.register(self._number_pipe, selectors.EVENT_READ)
            while not text.endswith(b"\n"):
                if not selector.select(START_TIMEOUT):
                    raise DisplayUnavailableError(f"Xvfb gave no display number within {START_TIMEOUT:.0f} s")
                chunk = os.read(self._number_pipe, 64)
                if not chunk:
                    raise DisplayUnavailableError("Xvfb exited at start")
                text += chunk
        os.close(self._number_pipe)
        return text.decode().strip()

    def stop(self) -> None:
        """Stop Xvfb now (it stops by itself when this process ends)."""
        if self._keepalive is not None:
            os.close(self._keepalive)
            self._keepalive = None
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=START_TIMEOUT)


_lock = threading.Lock()
_pending: VirtualDisplay | None = None
_status: DisplayStatus | None = None


def planned() -> DisplayStatus:
    """What the rule gives on this machine now (``display`` None until Xvfb has told its number)."""
    mode = config.settings().display
    user_display = os.environ.get("DISPLAY")
    if mode == "none":
        return DisplayStatus("headless", problem="BRIDGE_DISPLAY=none")
    if mode == "user":
        if user_display:
            return DisplayStatus("user", user_display)
        return DisplayStatus("headless", problem="BRIDGE_DISPLAY=user but $DISPLAY is not set")
    if shutil.which(XVFB) is None:
        if mode == "xvfb":
            raise DisplayUnavailableError(f"BRIDGE_DISPLAY=xvfb but {XVFB} is not installed")
        return DisplayStatus("headless", problem=f"{XVFB} is not installed")
    missing_awt = x11_awt_problem()
    if missing_awt is not None:
        if mode == "xvfb":
            raise DisplayUnavailableError(f"BRIDGE_DISPLAY=xvfb but {missing_awt}")
        return DisplayStatus("headless", problem=missing_awt)
    return DisplayStatus("xvfb")


def x11_awt_problem() -> str | None:
    """Why this Java runtime cannot draw on an X display, or None.

    A headless JRE (Debian's ``openjdk-*-jre-headless`` alone) has no
    ``libawt_xawt.so``: a JVM started with ``java.awt.headless=false`` then fails
    at AWT's first use, so such a runtime is run headless instead.
    """
    jvm = locate.jvm_library().path
    if jvm is None:
        return None                 # no JVM at all: the backend reports that itself
    library = Path(jvm).resolve().parents[1] / "libawt_xawt.so"     # <java home>/lib/server/libjvm.so
    if library.is_file():
        return None
    return (f"the Java runtime has no X11 AWT ({library} is missing: a headless JRE); "
            "fix: apt-get install -y default-jre")


def awt_options() -> list[str]:
    """The JVM's ``java.awt.headless`` option under the rule (no side effect)."""
    return [f"-Djava.awt.headless={'true' if planned().headless else 'false'}"]


def launch() -> None:
    """Start bridge's Xvfb if the rule says so; called once, just before the JVM starts.

    Xvfb starts while the JVM does; :func:`wait_ready` must follow ``startJVM``.
    """
    global _pending, _status
    with _lock:
        plan = planned()
        if plan.mode == "xvfb":
            _pending = VirtualDisplay()
        else:
            _status = plan


def wait_ready() -> None:
    """Point ``$DISPLAY`` at bridge's Xvfb once it is up (before anything in the JVM draws).

    If Xvfb failed, the JVM is made headless instead: ``java.awt.headless`` is read at
    AWT's first use, not at JVM start, so it can still be set here.

    AWT reads ``$DISPLAY`` from the C environment when it first connects, which is
    after the JVM starts, so setting it here is in time.  Our ``DISPLAY`` value is the
    process's from then on: the user's is never used unless ``BRIDGE_DISPLAY=user``.
    """
    global _pending, _status
    with _lock:
        if _pending is None:
            return
        try:
            number = _pending.number()
        except DisplayUnavailableError as err:
            # Nothing in the JVM has asked AWT yet, so headless can still be chosen.
            import jpype
            jpype.JClass("java.lang.System").setProperty("java.awt.headless", "true")
            _status = DisplayStatus("headless", problem=str(err))
            return
        finally:
            _pending = None
        os.environ["DISPLAY"] = f":{number}"
        _status = DisplayStatus("xvfb", f":{number}")


def status() -> DisplayStatus:
    """What the running JVM has (starts the JVM if none is running)."""
    from . import runtime
    runtime.start()
    if _status is None:   # a JVM that something else started: its own headless setting
        import jpype
        headless = str(jpype.JClass("java.awt.GraphicsEnvironment").isHeadless()) == "True"
        return DisplayStatus("headless" if headless else "user", os.environ.get("DISPLAY"),
                             problem="the JVM was started outside bridge" if headless else None)
    return _status


def require(what: str) -> None:
    """Raise :class:`DisplayUnavailableError` naming ``what`` if this JVM has no display."""
    current = status()
    if current.headless:
        raise DisplayUnavailableError(f"{what} needs a display ({current.problem})", command=what)


def xvfb_installed() -> str | None:
    """The path of ``Xvfb``, or None (for ``bridge doctor``)."""
    return shutil.which(XVFB)
