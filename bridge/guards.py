"""The jvm backend's pre-flight: what ImageJ must not be shown, decided by the core reader's walk.

Both backends read with ImageJ's rules, and ImageJ believes every length it
reads: a 1.3 kB file that declares a 25000 x 25000 image makes it allocate
1.25 GiB, a text value declaring 2 GB makes it allocate 2 GB before it
notices the file has ended.  The core reader never allocates from a header
field (:mod:`bridge.core.limits`), but ImageJ cannot be taught that.  So the
jvm backend shows ImageJ a DICOM file only after the core decoder has walked
it (:func:`check_before_imagej`, :func:`header_answer`; the walk is linear in
the bytes present and allocates nothing a header declares), and a TIFF or PGM
only after :func:`bridge.core.limits.check_other_image`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .core import dictionary, pixels
from .core.decoder import Decoded, decode, walk_failure
from .core.source import ByteSource
from .core.walker import Walk
from .errors import DicomReadError, LimitExceededError, TruncatedError, renamed

__all__ = ["Inspection", "inspect", "check_before_imagej", "header_answer", "ALLOCATION_SLACK"]

#: How far past the end of the file a value ImageJ reads may reach before the jvm backend
#: answers for ImageJ instead (ImageJ allocates the whole declared value, then meets the end).
ALLOCATION_SLACK = 16 << 20


@dataclass
class Inspection:
    """The pure decoder's view of a file, and whether ImageJ would allocate far past its end."""

    decoded: Decoded
    overreaches: bool


def inspect(path: str, name: str | None = None, entry: str | None = None) -> Inspection:
    """Walk ``path`` with the pure decoder; errors name ``name`` (default ``path``) and ``entry``.

    Raises :class:`LimitExceededError` for nesting beyond ``max_depth``.  A walk that
    ends in a truncation is walked once more to measure how far past the end of the file
    the failing read reached (truncated files are rare, so common files pay one walk).
    """
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
    * a declared image past the memory budget (``max_image_bytes``; beyond 16 MiB, more
      than 64x the bytes present: :func:`bridge.core.limits.check_declared`):
      :class:`LimitExceededError`, exactly as the pure backend refuses it.

    ``validate`` is False for a zip entry (ImageJ checks no length on a stream).
    """
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


def header_answer(path: str) -> str | None:
    """``getInfo``'s text for a file ImageJ must not read, or None when ImageJ may read it.

    The pure decoder's partial text is ImageJ's (the parity suite checks it); only
    the allocation ImageJ would make before failing is saved.
    """
    error = walk_failure(path)      # the walk alone: no text, no image description (the common case)
    if isinstance(error, LimitExceededError):
        raise renamed(error, path, None)
    if isinstance(error, TruncatedError) and _overreach(path) > ALLOCATION_SLACK:
        return decode(path).info
    return None


def _overreach(path: str) -> int:
    """How many bytes past the end of ``path`` the walk's failing read asked ImageJ to allocate.

    A read that starts beyond the end (after a skip, which allocates nothing) counts
    only its own size.
    """

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
