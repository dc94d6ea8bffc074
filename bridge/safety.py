"""Checks that keep a batch job from hanging or filling the disk on odd input.

Raw ImageJ opens whatever path it is given: a FIFO blocks its reader for
ever, ``/dev/zero`` never ends, a directory produces a confusing message.
Everything here answers from ``os.stat`` (or ``fstat`` on a descriptor
opened without blocking), so a check itself can never hang, and nothing is
ever opened for writing except our own private temporary files.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from .errors import DicomReadError, LimitExceededError, MissingFileError, NotARegularFileError

__all__ = ["regular_file", "open_regular", "private_tempfile", "copy_limited", "read_limited"]

CHUNK = 1 << 16

#: ImageJ's own message for a directory (Opener, then ``null``).
_DIRECTORY_MESSAGE = "Unsupported format or file not found:\n{path}"

#: Which "file not found" errnos mean the path is simply not there.
_MISSING_ERRNOS = {errno.ENOENT, errno.ENOTDIR}  # ENOTDIR: a path component is a file


def regular_file(path: str | os.PathLike[str]) -> str:
    """Return ``path`` (as a str) if it leads to a regular file, else raise a typed error.

    Symbolic links are followed and judged by their target.  The path itself
    is returned, not the resolved one, because ImageJ titles an image by the
    name it was given.  The check only stats, so a FIFO answers at once.
    """
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except OSError as exc:
        raise _stat_error(name, exc) from None
    _require_regular(name, st.st_mode)
    return name


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading, with no window between check and open.

    :func:`regular_file` followed by ``open`` leaves a moment in which the
    file can be swapped for a FIFO.  So after the check the descriptor is
    opened with ``O_NONBLOCK`` (even a FIFO opens at once) and judged again
    by ``fstat``, which describes exactly what was opened.
    """
    name = regular_file(path)  # the clear message for the common case
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        raise _stat_error(name, exc) from None
    try:
        _require_regular(name, os.fstat(fd).st_mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return io.open(fd, "rb")


def _require_regular(name: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise NotARegularFileError("is a directory", name, imagej_message=_DIRECTORY_MESSAGE.format(path=name))
    raise NotARegularFileError(f"is a {_kind(mode)}, not a regular file", name)


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))
    return next((text for test, text in kinds if test(mode)), "special file")


def _stat_error(name: str, exc: OSError) -> DicomReadError:
    """A missing path is silent in ImageJ (``imagej_message`` None); anything else names the OS reason."""
    if exc.errno in _MISSING_ERRNOS:
        reason = "dangling symbolic link" if os.path.islink(name) else "file not found"
        return MissingFileError(reason, name)
    return DicomReadError(exc.strerror or str(exc), name)


@contextlib.contextmanager
def private_tempfile(suffix: str = "", *, name: str | None = None) -> Iterator[str]:
    """Yield the path of a new, empty 0600 file in a fresh 0700 directory; remove both afterwards.

    ``name`` picks the file's own name (a plain name, no separators), so that
    a downloaded ``x.dcm`` keeps the name ImageJ would title it by; the
    default is ``tmp<suffix>``.  The directory is private, so nobody else can
    swap the file between our writing and reading it.
    """
    filename = name if name is not None else f"tmp{suffix}"
    if not filename or filename in (".", "..") or os.sep in filename or "\0" in filename or \
            (os.altsep and os.altsep in filename):
        raise ValueError(f"not a plain file name: {filename!r}")
    folder = tempfile.mkdtemp(prefix="bridge-")  # mkdtemp makes it 0700
    try:
        path = os.path.join(folder, filename)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        os.close(fd)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def copy_limited(src: BinaryIO, dst: BinaryIO, limit: int, what: str) -> int:
    """Copy ``src`` to ``dst``, at most ``limit`` bytes; return the count.

    One byte more than ``limit`` is asked for, so a stream of exactly
    ``limit`` bytes passes and anything longer raises
    :class:`LimitExceededError` naming ``what`` (a path or URL) without
    reading on.
    """
    copied = 0
    while True:
        chunk = src.read(min(CHUNK, limit + 1 - copied))
        if not chunk:
            return copied
        copied += len(chunk)
        if copied > limit:
            raise LimitExceededError(f"more than the limit of {limit} bytes", what)
        dst.write(chunk)


def read_limited(stream: BinaryIO, limit: int, what: str) -> bytes:
    """Read all of ``stream`` into memory, at most ``limit`` bytes (see :func:`copy_limited`)."""
    buffer = io.BytesIO()
    copy_limited(stream, buffer, limit, what)
    return buffer.getvalue()
