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
from typing import BinaryIO

CHUNK = 1 << 16


class ByteSource:
    """Random access to the bytes of one input, with its total size known up front."""

    def __init__(self, data: bytes, size: int | None = None, stream: BinaryIO | None = None) -> None:
        self.buf = data                 # the window: file bytes [base, base + len(buf))
        self.base = 0
        self.size = len(data) if size is None else size
        self._stream = stream

    @classmethod
    def from_path(cls, path: str) -> "ByteSource":
        """Open ``path`` and read its first chunk (the caller closes it)."""
        stream = open(path, "rb")
        try:
            size = os.fstat(stream.fileno()).st_size
            return cls(stream.read(CHUNK), size, stream)
        except BaseException:
            stream.close()
            raise

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> "ByteSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def window(self, pos: int, n: int) -> tuple[bytes, int]:
        """A buffer holding bytes ``[pos, pos + n)`` and the index of ``pos`` in it.

        The caller has checked ``pos + n <= size``.  Only called when the
        current window does not cover the range.
        """
        if self._stream is None:
            raise AssertionError("window beyond an in-memory buffer")
        self._stream.seek(pos)
        data = self._stream.read(max(n, CHUNK))
        if len(data) < n:              # the file shrank while we read it
            self.size = pos + len(data)
        self.buf, self.base = data, pos
        return data, 0
