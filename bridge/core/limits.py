"""The limits every reader applies before it trusts a length: image size and sequence nesting.

ImageJ believes every length it reads: a 1.3 kB file that declares a 25000 x 25000
image makes it allocate 1.25 GiB.  The core reader never allocates from a header
field: its walker checks each length against the bytes that remain and counts
sequence nesting (:class:`Nesting`), and its pixel reader applies
:func:`check_declared`.  The same rules guard the other image formats ImageJ's own
readers build from a header (:func:`check_other_image`).  Both backends apply them;
the jvm backend's pre-flight walk (:mod:`bridge.guards`) is built on them.

Nesting is refused past ``settings().max_depth``: ImageJ's walk is flat, so nesting
costs it nothing, but no real file nests 64 levels and a recursive reader (pydicom)
dies of a ``RecursionError`` long before 10,000.
"""

from __future__ import annotations

import os
import re
import struct
from typing import BinaryIO

from .. import config
from ..errors import CorruptHeaderError, LimitExceededError

__all__ = ["Nesting", "check_declared", "check_other_image", "inflation_budget", "FREE_BYTES", "MAX_RATIO"]

#: Images up to this size open however little of them the file holds (ImageJ zero-fills them).
FREE_BYTES = 16 << 20
#: A larger declared image may be at most this many times the bytes behind it.
MAX_RATIO = 64


def check_declared(declared: int, present: int, path: str) -> None:
    """Refuse, before allocating, only an image ImageJ would spend a huge amount of memory on.

    The budget of an open is 64 MiB + 3 x min(declared, 64 x bytes present, 1 GiB) of
    memory growth.  An open costs at most about three times the image (the pixels, a
    conversion, a copy), so every image up to :data:`FREE_BYTES` fits the 64 MiB alone
    and opens zero-filled as in ImageJ (2048 x 2048 16-bit pixels over 64 bytes: 8 MiB),
    and a larger one fits while it is at most :data:`MAX_RATIO` times its bytes.  Beyond
    that, and beyond ``max_image_bytes`` (1 GiB by default), it is refused.
    """
    limit = config.settings().max_image_bytes
    if declared > limit:
        raise LimitExceededError(f"declared image of {declared} bytes exceeds max_image_bytes={limit} "
                                 "(raise it with bridge.configure(max_image_bytes=...))", path)
    if declared > max(MAX_RATIO * present, FREE_BYTES):
        raise LimitExceededError(f"declared image of {declared} bytes but only {present} pixel bytes in the file",
                                 path)


def inflation_budget(compressed: int) -> int:
    """How many bytes a zip entry of ``compressed`` bytes may inflate to: the image rule's budget."""
    return min(config.settings().max_image_bytes, max(MAX_RATIO * compressed, FREE_BYTES))


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
