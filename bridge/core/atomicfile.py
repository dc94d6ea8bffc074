"""Files written whole or not at all: a temporary file beside the target, renamed into place.

Every file bridge writes for a user (a DICOM file, a Results table, a ``.roi`` file or
ROI set) goes through :func:`write`, so an error in the writer, a full disk or Ctrl-C
never leaves a half-written file and never damages the file being replaced.  A new
file gets the mode a plain ``open(path, "w")`` would give it (0666 less the umask);
a replaced file keeps its mode, so a 0600 file of patient data stays 0600.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from typing import IO

__all__ = ["write"]


def write(path: str, fill: Callable[[IO[bytes]], object], *, suffix: str = ".tmp") -> None:
    """Write what ``fill(file)`` writes to ``path``, atomically.

    Raises what the file system (``OSError``) or ``fill`` raised, after removing the
    temporary file; ``path`` is then as it was.  Callers turn these into their own
    :class:`~bridge.errors.BridgeError` naming the file.
    """
    replaced = _mode_of(path)
    fd, temp = _create_beside(path, suffix, private=replaced is not None)
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            if replaced is not None:
                os.fchmod(out.fileno(), replaced)
        os.replace(temp, path)
    except BaseException:             # KeyboardInterrupt and SystemExit too: nothing left behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _mode_of(path: str) -> int | None:
    """The permission bits of the regular file ``path`` replaces, or None for a new file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else None


def _create_beside(path: str, suffix: str, *, private: bool) -> tuple[int, str]:
    """A new ``.bridge-*`` file in ``path``'s folder: its descriptor and name.

    Created 0666 under the umask (what the user asked new files to be), or 0600
    while it will take a replaced file's mode, so the data is never more readable
    than the file it replaces, not even while being written.
    """
    folder = os.path.dirname(os.path.abspath(path))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = os.path.join(folder, f".bridge-{secrets.token_hex(6)}{suffix}")
        try:
            return os.open(temp, flags, 0o600 if private else 0o666), temp
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "no free temporary name beside it", path)
