"""The bytes the walker reads: a file read forward in chunks, or a buffer.

ImageJ reads the header through a ``BufferedInputStream`` and stops at the
pixel data, so a header walk should cost the header, not the file.  A
:class:`ByteSource` keeps one window of the file in memory and moves it
forward when the walk needs bytes beyond it; skipped blobs are never read.
Memory stays bounded by the largest value actually *read* (a text value of
the file's own size at worst), never by a declared length.
"""

from __future__ import annotations

import os
import stat

CHUNK = 1 << 14        # most headers fit: a header walk reads little of a large file
#: non-blocking, so that opening a FIFO cannot hang; it does nothing to a regular file's reads
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class ByteSource:
    """Random access to the bytes of one input, with its total size known up front."""

    def __init__(self, data: bytes, size: int | None = None, fd: int | None = None,
                 mode: int = stat.S_IFREG) -> None:
        self.buf = data                 # the window: file bytes [base, base + len(buf))
        self.base = 0
        self.size = len(data) if size is None else size
        self.mode = mode                # st_mode of what was opened (a buffer counts as a regular file)
        self._fd = fd

    @classmethod
    def from_path(cls, path: str) -> "ByteSource":
        """Open ``path`` and read its first chunk (the caller closes it).

        One descriptor, one ``fstat``, one read: a header walk of a small
        file costs little more than the system calls.  Anything that is not
        a regular file is opened (without blocking) but not read: its
        ``mode`` tells the caller what it is.  ``OSError`` as ``os.open``
        raises it.
        """
        fd = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return cls(b"", 0, fd, info.st_mode)
            return cls(os.read(fd, CHUNK), info.st_size, fd, info.st_mode)
        except BaseException:
            os.close(fd)
            raise

    @property
    def regular(self) -> bool:
        return stat.S_ISREG(self.mode)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "ByteSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def window(self, pos: int, n: int) -> tuple[bytes, int]:
        """A buffer holding bytes ``[pos, pos + n)`` and the index of ``pos`` in it.

        The caller has checked ``pos + n <= size``.  Only called when the
        current window does not cover the range.
        """
        if self._fd is None:
            raise AssertionError("window beyond an in-memory buffer")
        data = os.pread(self._fd, max(n, CHUNK), pos)
        while len(data) < n:           # one read returns at most ~2 GiB
            more = os.pread(self._fd, n - len(data), pos + len(data))
            if not more:
                break
            data += more
        if len(data) < n:              # the file shrank while we read it
            self.size = pos + len(data)
        self.buf, self.base = data, pos
        return data, 0
