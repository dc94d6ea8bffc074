"""Pre-checks that keep a hostile file from making a reader hang, recurse or allocate without bound.

Both backends read with ImageJ's rules, and ImageJ believes every length it
reads: a 1.3 kB file that declares a 25000 x 25000 image makes it allocate
1.25 GiB, a text value declaring 2 GB makes it allocate 2 GB before it
notices the file has ended.  The pure backend never allocates from a header
field (its walker checks each length against the bytes that remain, its
pixel reader applies :func:`check_declared`), but ImageJ cannot be taught
that.  So the jvm backend shows ImageJ a DICOM file only after the pure
decoder has walked it (:func:`check_before_imagej`, :func:`header_answer`;
the walk is linear in the bytes present and allocates nothing a header
declares), and a TIFF or PGM only after :func:`check_other_image`.

One limit is shared by both walks: sequence nesting (:class:`Nesting`),
refused past ``settings().max_depth``.  ImageJ's walk is flat, so nesting
costs it nothing, but no real file nests 64 levels and a recursive reader
(pydicom) dies of a ``RecursionError`` long before 10,000.
"""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from . import config
from .errors import CorruptHeaderError, DicomReadError, LimitExceededError, TruncatedError

if TYPE_CHECKING:
    from .backends.pure.decoder import Decoded

__all__ = ["Nesting", "Inspection", "inspect", "check_declared", "check_before_imagej", "header_answer",
           "check_other_image", "ALLOCATION_SLACK"]

#: How far past the end of the file a value ImageJ reads may reach before the jvm backend
#: answers for ImageJ instead (ImageJ allocates the whole declared value, then meets the end).
ALLOCATION_SLACK = 16 << 20
#: Images up to this size may be mostly missing (ImageJ zero-fills them).
SMALL_IMAGE = 1 << 20
#: A declared image may be at most this many times the bytes behind it.
MAX_RATIO = 64


def check_declared(declared: int, present: int, path: str) -> None:
    """Refuse, before allocating, an image larger than ``max_image_bytes`` or 64x the bytes behind it."""
    limit = config.settings().max_image_bytes
    if declared > limit:
        raise LimitExceededError(f"declared image of {declared} bytes exceeds max_image_bytes={limit} "
                                 "(raise it with bridge.configure(max_image_bytes=...))", path)
    if declared > max(MAX_RATIO * present, SMALL_IMAGE):
        raise LimitExceededError(f"declared image of {declared} bytes but only {present} pixel bytes in the file",
                                 path)


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
        #: (end offset, undefined length, 1 for a sequence / 0 for an item: what it adds to the depth)
        self._open: list[tuple[int, bool, int]] = []

    # Both methods run for every sequence, item and delimiter of a walk, so each is one
    # function without calls: finished containers come off the top first, then the change.

    def enter(self, pos: int, end: int | None, item: bool = False) -> None:
        """A sequence (or an ``item``) starts at ``pos``; ``end`` is None for an undefined length.

        Any other element of undefined length counts as a sequence (a reader parses it as one).
        """
        opened = self._open
        while opened and opened[-1][0] <= pos:
            self.depth -= opened.pop()[2]
        if not item:
            if self.depth >= self.limit:
                raise LimitExceededError(f"sequences nested deeper than max_depth={self.limit} at byte {pos} "
                                         "(raise it with bridge.configure(max_depth=...))", self.name)
            self.depth += 1
        outer = opened[-1][0] if opened else 1 << 63
        opened.append((outer if end is None else min(end, outer), end is None, 0 if item else 1))

    def leave(self, pos: int) -> None:
        """A delimiter at ``pos`` closes the innermost container of undefined length."""
        opened = self._open
        while opened and opened[-1][0] <= pos:
            self.depth -= opened.pop()[2]
        while opened:
            _, undefined, weight = opened.pop()
            self.depth -= weight
            if undefined:
                return


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


def check_other_image(path: str, kind: str) -> None:
    """The size rule for the non-DICOM images ImageJ's own readers build from a header (jvm backend).

    A 300-byte TIFF declaring 20000 x 20000 16-bit pixels makes ImageJ allocate
    800 MB; so do PGM/PPM headers.  TIFF is summed over all its image
    directories, and directories that loop (ImageJ would read them for ever) or
    overlap are refused.  GIF, PNG and JPEG go through Java's decoders, which
    allocate the declared raster (4 bytes a pixel) before decoding: only
    ``max_image_bytes`` applies to them, as their compression legitimately
    exceeds the 64x ratio.
    """
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if kind in ("gif", "jpeg") or (kind == "other" and f.read(8) == _PNG):
            f.seek(0)
            check_declared(_raster_bytes(f, kind), 1 << 62, path)
            return
        f.seek(0)
        declared = _tiff_bytes(f, size, path) if kind == "tiff" else _pnm_bytes(f.read(64))
    check_declared(declared, size, path)


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _raster_bytes(f: BinaryIO, kind: str) -> int:
    """The ARGB raster Java's decoders allocate for a GIF (logical screen), PNG (IHDR) or JPEG (SOF)."""
    head = f.read(32)
    if kind == "gif":
        width, height = struct.unpack("<HH", head[6:10].ljust(4, b"\0"))
    elif kind == "jpeg":
        width, height = _jpeg_size(f)
    else:
        width, height = struct.unpack(">II", head[16:24].ljust(8, b"\0"))
    return 4 * int(width) * int(height)


def _jpeg_size(f: BinaryIO) -> tuple[int, int]:
    """Width and height from the first start-of-frame marker, walking marker segments (linear in the file)."""
    f.seek(2)
    while True:
        marker = f.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return 0, 0
        if marker[1] in (0xD8, 0x01) or 0xD0 <= marker[1] <= 0xD7:
            continue                  # markers without a length
        length_bytes = f.read(2)
        if len(length_bytes) < 2:
            return 0, 0
        length = struct.unpack(">H", length_bytes)[0]
        if marker[1] in _JPEG_SOF:
            frame = f.read(5)
            if len(frame) < 5:
                return 0, 0
            height, width = struct.unpack(">HH", frame[1:5])
            return width, height
        if length < 2:
            return 0, 0
        f.seek(length - 2, os.SEEK_CUR)


def _tiff_bytes(f: BinaryIO, size: int, path: str) -> int:
    """Bytes ImageJ's arrays take for every image directory of a TIFF, in work linear in ``size``.

    Like ``TiffDecoder``, a directory of 0 or more than 1000 entries ends the chain.
    Sound directories do not share bytes, so reading more entries than the file
    holds means they overlap.
    """
    order = "<" if f.read(2) == b"II" else ">"
    f.seek(4)
    offset = struct.unpack(order + "I", f.read(4).ljust(4, b"\0"))[0]
    total, seen, budget = 0, set(), size // 12 + 1
    while 0 < offset <= size - 2:
        if offset in seen or budget < 0:
            reason = "the TIFF image directories loop or overlap (ImageJ would read them for ever)"
            raise CorruptHeaderError(reason, path, imagej_message=f"{path}: {reason}")
        seen.add(offset)
        f.seek(offset)
        count = struct.unpack(order + "H", f.read(2).ljust(2, b"\0"))[0]
        if not 1 <= count <= 1000:
            break
        budget -= count
        fields = {}
        for _ in range(count):
            raw = f.read(12).ljust(12, b"\0")
            tag, kind = struct.unpack(order + "HH", raw[:4])
            fields[tag] = struct.unpack(order + ("H" if kind == 3 else "I"), raw[8:10] if kind == 3 else raw[8:12])[0]
        samples, bits = max(1, fields.get(277, 1)), fields.get(258, 8)
        per_pixel = 4 if samples >= 3 else max(1, (min(bits, 64) + 7) // 8)
        total += fields.get(256, 0) * fields.get(257, 0) * per_pixel
        offset = struct.unpack(order + "I", f.read(4).ljust(4, b"\0"))[0]
    return total


def _pnm_bytes(head: bytes) -> int:
    """Bytes of a PGM/PPM image from its header ("P5\n<width> <height>\n<max>\n")."""
    words = re.sub(rb"#[^\n]*", b" ", head[2:]).split()
    if head[:1] != b"P" or len(words) < 3 or not all(w.isdigit() for w in words[:3]):
        return 0
    width, height, top = (int(w) for w in words[:3])
    per_pixel = 4 if head[1:2] in b"36" else 2 if top > 255 else 1
    return width * height * per_pixel


def header_answer(path: str) -> str | None:
    """``getInfo``'s text for a file ImageJ must not read, or None when ImageJ may read it.

    The pure decoder's partial text is ImageJ's (the parity suite checks it); only
    the allocation ImageJ would make before failing is saved.
    """
    from .backends.pure.decoder import decode, walk_failure
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
