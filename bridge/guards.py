"""Pre-checks that keep a hostile file from making a reader hang, recurse or allocate without bound.

Both backends read with ImageJ's rules, and ImageJ believes every length it
reads: a 1,444-byte file that declares a 25000 x 25000 image makes it
allocate 1.2 GiB, a text value declaring 2 GB makes it allocate 2 GB before
it notices the file has ended.  The pure backend never allocates from a
header field (its walker checks each length against the bytes that remain,
its pixel reader calls :func:`bridge.backends.pure.pixels.check_size`), but
ImageJ cannot be taught that.  So the jvm backend shows ImageJ a file only
after the pure decoder has walked it (:func:`check_before_imagej`,
:func:`header_answer`); the walk is linear in the bytes present and
allocates nothing a header declares.

One limit is shared by both walks: sequence nesting (:class:`Nesting`),
refused past ``settings().max_depth``.  ImageJ's walk is flat, so nesting
costs it nothing, but no real file nests 64 levels and a recursive reader
(pydicom) dies of a ``RecursionError`` long before 10,000.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import config
from .errors import DicomReadError, LimitExceededError, TruncatedError

if TYPE_CHECKING:
    from .backends.pure.decoder import Decoded

__all__ = ["Nesting", "Inspection", "inspect", "check_before_imagej", "header_answer", "ALLOCATION_SLACK"]

#: How far past the end of the file a value ImageJ reads may reach before the jvm backend
#: answers for ImageJ instead (ImageJ allocates the whole declared value, then meets the end).
ALLOCATION_SLACK = 16 << 20


class Nesting:
    """How many sequences enclose the walk's position; more than ``max_depth`` is a typed error.

    Items are tracked too (a delimiter closes the innermost container of
    undefined length, item or sequence) but only sequences count toward the
    depth.  A container of defined length ends at an offset: ends are checked
    only when a new container opens (no cost per element), and each end is
    clamped to its parent's, so finished containers are always on top.
    """

    __slots__ = ("name", "limit", "depth", "_open")

    def __init__(self, name: str, limit: int | None = None) -> None:
        self.name = name
        self.limit = config.settings().max_depth if limit is None else limit
        self.depth = 0                                    # sequences open
        self._open: list[tuple[int, bool, bool]] = []     # (end offset, undefined length, is an item)

    def enter(self, pos: int, end: int | None, item: bool = False) -> None:
        """A sequence (or an ``item``) starts at ``pos``; ``end`` is None for an undefined length.

        Any other element of undefined length counts as a sequence (a reader parses it as one).
        """
        self._close_before(pos)
        if not item:
            if self.depth >= self.limit:
                raise LimitExceededError(f"sequences nested deeper than max_depth={self.limit} at byte {pos} "
                                         "(raise it with bridge.configure(max_depth=...))", self.name)
            self.depth += 1
        outer = self._open[-1][0] if self._open else 1 << 63
        self._open.append((outer if end is None else min(end, outer), end is None, item))

    def leave(self, pos: int) -> None:
        """A delimiter at ``pos`` closes the innermost container of undefined length."""
        self._close_before(pos)
        while self._open:
            if self._pop()[1]:
                return

    def _close_before(self, pos: int) -> None:
        while self._open and self._open[-1][0] <= pos:
            self._pop()

    def _pop(self) -> tuple[int, bool, bool]:
        entry = self._open.pop()
        if not entry[2]:
            self.depth -= 1
        return entry


@dataclass
class Inspection:
    """The pure decoder's view of a file, and whether ImageJ would allocate far past its end."""

    decoded: "Decoded"
    overreaches: bool


def inspect(path: str, name: str | None = None, entry: str | None = None) -> Inspection:
    """Walk ``path`` with the pure decoder; errors name ``name`` (default ``path``) and ``entry``.

    Raises :class:`LimitExceededError` for nesting beyond ``max_depth``.  A walk that
    ends in a truncation is walked once more to measure how far past the end of the file
    the failing read reached (truncated files are rare, so common files pay one walk).
    """
    from .backends.pure.decoder import decode
    decoded = decode(path)
    error = decoded.error
    if isinstance(error, LimitExceededError):
        raise renamed(error, path if name is None else name, entry)
    overreaches = isinstance(error, TruncatedError) and _overreach(path) > ALLOCATION_SLACK
    return Inspection(decoded, overreaches)


def check_before_imagej(path: str, name: str | None = None, *, entry: str | None = None,
                        validate: bool = True) -> None:
    """Raise what ImageJ must not be shown before it opens ``path`` as DICOM.

    * nesting beyond ``max_depth``: :class:`LimitExceededError`;
    * a value reaching far past the end of the file: the pure decoder's own error, which
      carries ImageJ's message (ImageJ would fail the same way, after the allocation);
    * a declared image beyond ``max_image_bytes`` or 64x the bytes present:
      :class:`LimitExceededError`, exactly as the pure backend refuses it.

    ``validate`` is False for a zip entry (ImageJ checks no length on a stream).
    """
    from .backends.pure import pixels
    label = path if name is None else name
    found = inspect(path, label, entry)
    fi = found.decoded.fi
    if found.overreaches:
        assert found.decoded.error is not None
        raise renamed(found.decoded.error, label, entry)
    if fi is None:
        return                      # ImageJ refuses it too, without allocating an image
    length = os.stat(path).st_size
    if validate and pixels.validation_error(fi, length) is not None:
        return                      # ImageJ's FileOpener refuses it before allocating
    try:
        pixels.check_size(fi, max(0, length - fi.offset), label)
    except LimitExceededError as err:
        raise renamed(err, label, entry) from None


def renamed(error: DicomReadError, name: str, entry: str | None) -> DicomReadError:
    """``error`` about ``name`` (and zip ``entry``) instead of the file that was walked.

    A zip entry is walked in a temporary file; the error must name the zip.  A limit's
    ImageJ-facing message is its own text, so it is made anew; other errors keep ImageJ's.
    Meant for the plain error classes the walk and the size check raise.
    """
    if error.path == name and error.entry == entry:
        return error
    message = None if isinstance(error, LimitExceededError) else error.imagej_message
    return type(error)(error.reason, name, entry=entry, imagej_message=message)


def header_answer(path: str) -> str | None:
    """``getInfo``'s text for a file ImageJ must not read, or None when ImageJ may read it.

    The pure decoder's partial text is ImageJ's (the parity suite checks it); only
    the allocation ImageJ would make before failing is saved.
    """
    found = inspect(path)
    return found.decoded.info if found.overreaches else None


def _overreach(path: str) -> int:
    """How many bytes past the end of ``path`` the walk's failing read asked ImageJ to allocate.

    A read that starts beyond the end (after a skip, which allocates nothing) counts
    only its own size.
    """
    from .backends.pure import dictionary
    from .backends.pure.source import ByteSource
    from .backends.pure.walker import Walk
    from .errors import DicomReadError

    class Measuring(Walk):
        beyond = 0

        def read(self, n: int) -> bytes:
            self.beyond = max(self.beyond, min(n, self.pos + n - self.src.size))
            return super().read(n)

    with ByteSource.from_path(path) as src:
        walk = Measuring(src, path, dictionary.table())
        try:
            for _ in walk:
                pass
        except DicomReadError:
            pass
    return walk.beyond
