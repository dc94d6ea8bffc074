"""The header text ImageJ builds while it walks (the image's ``Info`` property).

One line per listed element, ``GGGG,EEEE`` + space + NUL + ``[>]Name: value``
+ LF (spec §3); the NUL is written as the space the clean-up turns it into.  Values are shown the way ``DicomDecoder.getHeaderInfo``
formats them: text at full length, numbers by VR (SS printed unsigned, FD/FL
with Java's ``toString``, ``null`` for an FD/FL of the wrong length), UN cut
to 60 characters, implicit-VR tags unknown to the dictionary shown raw up to
44 bytes and dropped beyond, binary VRs empty.  The tags ImageJ uses itself
are shown by their own rules (Window after the backslash, LUT entry counts,
the pixel offset).  After the walk every control character except LF
becomes a space (:func:`clean`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from .charset import java_string
from .javafmt import double_bits_to_string, float_bits_to_string
from .walker import (LUT, PIXELS, RAK_PIXEL_DATA, SHORT, SPECIAL, TEXT_VRS, WINDOW_CENTER,
                     WINDOW_WIDTH, Element, Record)

UN_LIMIT = 60            # characters of a UN value shown
IMPLICIT_LIMIT = 44      # bytes of an unknown implicit-VR value shown

#: ``getDicomInfo``'s clean-up as a byte table: every byte below 0x20 except LF becomes a space
_CLEAN_BYTES = bytes(0x20 if b < 0x20 and b != 0x0A else b for b in range(256))
_NL = b"\n"


def clean(text: str) -> str:
    """``getDicomInfo``'s clean-up: every character below U+0020 except LF becomes a space."""
    return text.encode("utf-8", "surrogatepass").translate(_CLEAN_BYTES).decode("utf-8", "surrogatepass")


def tag_hex(tag: int) -> str:
    return f"{tag >> 16:04X},{tag & 0xFFFF:04X}"


class HeaderText:
    """The header text of one walk, built line by line as the walk goes.

    :meth:`consume` is the hot loop of every header feature, so the text is
    kept as UTF-8 *bytes* until the end: a text value goes in as the raw
    bytes ImageJ read, each tag's ``GGGG,EEEE  [>]Name: `` prefix comes from
    a per-dictionary cache, and :meth:`text` cleans and decodes the whole
    text once.  That gives exactly the per-value ``new String(bytes)`` then
    clean-up of ImageJ: every line ends in LF and control bytes are ASCII,
    so no malformed UTF-8 sequence can reach across a value's end, and a
    malformed sequence ends at a control byte as it does at a space.  Lines
    read before a failure stay (``getInfo`` returns them).
    """

    _caches: dict[int, tuple[dict[int, tuple[str, str]], dict[int, tuple[str | None, bytes]]]] = {}

    def __init__(self, dictionary: dict[int, tuple[str, str]]) -> None:
        cached = self._caches.get(id(dictionary))
        if cached is None or cached[0] is not dictionary:
            cached = self._caches[id(dictionary)] = (dictionary, {})
        self.dictionary, self._prefixes = cached
        self.parts: list[bytes] = []     # prefix, value, LF for every line so far

    def _prefix(self, tag: int, marked: bool) -> tuple[str | None, bytes]:
        """(name or None, the line start up to the value; ``---: `` for unknown tags)."""
        entry = self.dictionary.get(tag)
        name = None if entry is None else entry[1]
        start = f"{tag_hex(tag)}  {'>' if marked else ''}{'---' if name is None else name}: "
        self._prefixes[tag << 1 | marked] = result = (name, start.encode("utf-8"))
        return result

    def consume(self, elements: Iterable[Record], keep: frozenset[int] = frozenset(),
                picked: list[Record] | None = None) -> None:
        """Add the lines of ``elements``; interpreted ones whose tag is in ``keep`` go to ``picked``."""
        extend, prefixes, text_vrs = self.parts.extend, self._prefixes, TEXT_VRS
        for el in elements:
            tag, vr, _, value, _, _, marked, special, interpreted = el
            if interpreted and tag in keep and picked is not None:
                picked.append(el)
            name, start = prefixes.get(tag << 1 | marked) or self._prefix(tag, marked)
            if special:
                if tag == RAK_PIXEL_DATA:
                    continue
                if name is None:        # only with a user dictionary lacking ImageJ's own tags
                    start = start.replace(b"---: ", b"null: ")
                extend((start, special_value(el).encode("utf-8"), _NL))
            elif vr in text_vrs:        # the bytes as read; decoded in text()
                assert value is not None, "the walker reads every text value"
                if value or name is not None:
                    extend((start, value, _NL))
            else:
                shown = vr_value(el)
                if shown or name is not None:   # unknown and empty (or null): no line
                    extend((start, b"null" if shown is None else shown.encode("utf-8"), _NL))

    def text(self) -> str:
        """The finished text, after ``getDicomInfo``'s clean-up."""
        return java_string(b"".join(self.parts).translate(_CLEAN_BYTES))

    def raw_lines(self) -> list[str]:
        """The lines before the clean-up (each value decoded on its own), for tests and tools."""
        parts = self.parts
        return [(parts[i] + java_string(parts[i + 1]).encode("utf-8", "surrogatepass") + parts[i + 2])
                .decode("utf-8", "surrogatepass") for i in range(0, len(parts), 3)]


def line(el: Element, dictionary: dict[int, tuple[str, str]]) -> str | None:
    """One element's raw (not yet cleaned) line, or ``None`` where ImageJ lists none."""
    header = HeaderText(dictionary)
    header.consume([el])
    lines = header.raw_lines()
    return lines[0] if lines else None


def special_value(el: Record) -> str:
    """The value text of a tag ImageJ interprets (§3.3, second table).

    ``el`` is an :class:`Element` or the walker's bare tuple of the same fields.
    """
    tag, _, length, raw, location, little, _, _, _ = el
    kind = SPECIAL[tag]
    if kind == LUT:
        return str(length // 2)
    if kind == PIXELS:
        return str(location)
    assert raw is not None, "the walker reads every other interpreted tag"
    if kind == SHORT:
        return str(_unsigned(raw, 2, little)[0])
    text = java_string(raw)
    if tag == WINDOW_CENTER or tag == WINDOW_WIDTH:
        return text[text.find("\\") + 1:]       # after the first backslash, if any
    return text


def vr_value(el: Record) -> str | None:
    """The value text by VR (§3.3, first table); ``None`` where ImageJ's value is null."""
    _, vr, length, raw, _, little, _, _, _ = el
    if raw is None:                      # nothing read (SQ, binary VRs): nothing shown
        return ""
    if vr in TEXT_VRS:
        return java_string(raw)
    if vr == "US" or vr == "SS":         # SS too: ImageJ's getSShort is unsigned
        return _numbers(_unsigned(raw, 2, little), length == 2)
    if vr == "UL":
        return _numbers(_unsigned(raw, 4, little), length == 4)
    if vr == "SL":
        fmt = "<" if little else ">"
        return _numbers(struct.unpack(f"{fmt}{len(raw) // 4}i", raw), length == 4)
    if vr == "FD":
        if length != 8:
            return None
        return double_bits_to_string(struct.unpack("<Q" if little else ">Q", raw)[0])
    if vr == "FL":
        if length != 4:
            return None
        return float_bits_to_string(struct.unpack("<I" if little else ">I", raw)[0])
    if vr == "UN":
        return java_string(raw)[:UN_LIMIT]
    if vr == "--":
        return java_string(raw) if length <= IMPLICIT_LIMIT else None
    return ""                                # SQ, binary VRs, dictionary oddities: skipped


def _unsigned(raw: bytes, width: int, little: bool) -> tuple[int, ...]:
    code = "H" if width == 2 else "I"
    return struct.unpack(f"{'<' if little else '>'}{len(raw) // width}{code}", raw)


def _numbers(values: tuple[int, ...], single: bool) -> str:
    """One number alone, else every number followed by a space (the last too)."""
    if single:
        return str(values[0])
    return "".join(f"{v} " for v in values)
