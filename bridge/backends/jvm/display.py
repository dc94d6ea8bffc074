"""The display ImageJ's commands draw their dialogs on: bridge's own virtual X server, or none.

Most ImageJ commands build a ``java.awt.Dialog`` even when a macro gives all their
options (``GenericDialog`` only skips *showing* it), and ImageJ builds its command
table from a ``java.awt.MenuBar``; a headless JVM can do neither.  Whether the JVM is
headless is fixed when it starts (strictly: at AWT's first use), so the choice is made
once, when :mod:`runtime` starts the JVM (:func:`launch`, :func:`settle`).

The rule (``BRIDGE_DISPLAY``, see :mod:`bridge.config`):

* ``auto`` (default): if Debian's ``Xvfb`` is installed, the JVM gets bridge's own virtual
  display (started when first drawn on) and is not headless; otherwise the JVM is headless and commands that
  need a display fail with :class:`DisplayUnavailableError`.
* ``xvfb``: the same, but a missing ``Xvfb`` is an error at JVM start.
* ``user``: use the display in ``$DISPLAY`` (windows may appear on it).
* ``none``: headless.

Lazily: the JVM must be told at its start whether it has a display (the headless switch
cannot be changed later), but the X server is started only when something first draws.
:func:`launch` reserves a display number by binding X's socket for it (``ActivatedDisplay``),
points ``$DISPLAY`` at it and starts the JVM with ``java.awt.headless=false``; the first
client to connect (AWT, when a command first needs the display) waits in that socket's
queue while bridge starts Xvfb on the very socket, handed over as systemd's socket
activation hands one (``LISTEN_FDS``).  So a script that never draws (a macro that only
prints, opens files and reads headers, as ``ij.ImageJ -batch`` does without touching X)
starts no Xvfb at all, and nothing ever waits for Xvfb before the JVM starts.

The server is bridge's: started at most once per process, on a display number it picks
itself, listening on no TCP port, and stopped when the process ends,
however it ends: a small shell waits on a pipe from this process and stops Xvfb when
the pipe closes (the kernel closes it even on SIGKILL).  It runs in its own session,
so a Ctrl-C in the terminal reaches Python, not the X server.
"""

from __future__ import annotations

import os
import selectors
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from ... import config, locate
from ...errors import DisplayUnavailableError

__all__ = ["planned", "awt_options", "launch", "status", "require", "DisplayStatus", "VirtualDisplay",
           "ActivatedDisplay"]

XVFB = "Xvfb"
START_TIMEOUT = 20.0
"""Seconds Xvfb may take to report its display number (measured: 0.2-0.8 s on a busy machine)."""

# Xvfb in the background; the shell stops it when its stdin (our pipe) reaches end of file.
_WATCHDOG = 'Xvfb "$@" & xvfb=$!; read _ || true; kill "$xvfb" 2>/dev/null; wait "$xvfb"'
# The same for a display whose listening socket this process made: the socket comes as the shell's
# stdout and goes to Xvfb as systemd's first passed descriptor (3, with LISTEN_FDS=1 and LISTEN_PID
# its own pid, which `exec` keeps); the shell then closes its copy, so that if Xvfb dies the socket
# closes and a waiting client fails instead of waiting for ever.
_ACTIVATING_WATCHDOG = ('exec 3>&1 >/dev/null; sh -c \'export LISTEN_PID=$$ LISTEN_FDS=1; exec Xvfb "$@"\' sh "$@" & '
                        'xvfb=$!; exec 3>&-; read _ || true; kill "$xvfb" 2>/dev/null; wait "$xvfb"')
X_SOCKETS = "/tmp/.X11-unix"
FIRST_DISPLAY = 20
"""Where bridge starts looking for a free display number (clear of the usual :0 and :1)."""
SCREEN = ["-screen", "0", "1280x1024x24"]


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
                 "-nolisten", "tcp", *SCREEN],
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


class ActivatedDisplay:
    """A display number reserved now, whose Xvfb starts when its first client connects (see the module docstring).

    The number is taken by binding X's abstract socket ``@/tmp/.X11-unix/X<n>`` (which
    X clients on Linux try first): no other process can hold it while this one does.
    """

    def __init__(self) -> None:
        self._listener, self.number = _reserve_display()
        self.problem: str | None = None
        """Why Xvfb could not be started, or None."""
        self._process: subprocess.Popen[bytes] | None = None
        self._keepalive: int | None = None
        threading.Thread(target=self._start_for_first_client, name="bridge-display", daemon=True).start()

    def _start_for_first_client(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.select()        # a connection waits in the queue: AWT's, as it first draws
        try:
            self._process = subprocess.Popen(
                ["sh", "-c", _ACTIVATING_WATCHDOG, "sh", f":{self.number}", "-noreset", "-nolisten", "tcp", *SCREEN],
                stdin=subprocess.PIPE, stdout=self._listener.fileno(), stderr=subprocess.DEVNULL,
                start_new_session=True)
            assert self._process.stdin is not None     # kept open to the end, as VirtualDisplay's
            self._keepalive = os.dup(self._process.stdin.fileno())
        except OSError as err:      # the drawing that follows fails with AWT's "Can't connect": say why first
            self.problem = f"Xvfb could not be started: {err}"
            print(f"bridge: {self.problem}", file=sys.stderr, flush=True)
        finally:
            self._listener.close()   # Xvfb holds the socket now; if it dies, waiting clients fail


def _reserve_display() -> tuple[socket.socket, int]:
    """A listening socket on X's abstract address for a display number no X server uses, and the number."""
    for number in range(FIRST_DISPLAY, FIRST_DISPLAY + 500):
        if os.path.exists(f"/tmp/.X{number}-lock") or os.path.exists(f"{X_SOCKETS}/X{number}"):
            continue
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(f"\0{X_SOCKETS}/X{number}")
        except OSError:
            listener.close()
            continue
        listener.listen(16)
        return listener, number
    raise DisplayUnavailableError(f"no free X display number from :{FIRST_DISPLAY} to :{FIRST_DISPLAY + 499}")


_lock = threading.Lock()
_display: ActivatedDisplay | None = None
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
    """The JVM's AWT options under the rule (no side effect): ``java.awt.headless``, and the dialog guard.

    With a display, AWT loads the companion's ``ToolkitStartHook`` as its toolkit starts
    (an "assistive technology"), which closes every dialog ImageJ shows; nothing is
    loaded, nor X contacted, until something draws.
    """
    if planned().headless:
        return ["-Djava.awt.headless=true"]
    return ["-Djava.awt.headless=false", f"-Djavax.accessibility.assistive_technologies={TOOLKIT_HOOK}"]


TOOLKIT_HOOK = "bridge.companion.ToolkitStartHook"


def launch() -> None:
    """Reserve bridge's display if the rule says so; called once, just before the JVM starts.

    Points ``$DISPLAY`` at it (the JVM reads it when AWT first connects); Xvfb starts then.
    If no display number is free, the JVM is made headless instead (:func:`settle`).  Our ``DISPLAY``
    value is the process's from then on: the user's is never used unless ``BRIDGE_DISPLAY=user``.
    """
    global _display, _status
    with _lock:
        plan = planned()
        if plan.mode != "xvfb":
            _status = plan
            return
        try:
            _display = ActivatedDisplay()
        except (OSError, DisplayUnavailableError) as err:
            _status = DisplayStatus("headless", problem=f"no display for Xvfb: {err}")
            return
        os.environ["DISPLAY"] = f":{_display.number}"
        _status = DisplayStatus("xvfb", f":{_display.number}")


def settle() -> None:
    """After the JVM started: make it headless if :func:`launch` could not reserve a display.

    ``java.awt.headless`` is read at AWT's first use, not at JVM start, so it is still in time.
    """
    if _status is not None and _status.headless and planned().mode == "xvfb":
        import jpype
        jpype.JClass("java.lang.System").setProperty("java.awt.headless", "true")


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
