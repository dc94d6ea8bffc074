"""The header text ImageJ builds while it walks (the image's ``Info`` property).

One line per listed element, ``GGGG,EEEE`` + space + NUL + ``[>]Name: value``
+ LF (spec §3); the NUL is written as the space the clean-up turns it into.  Values are shown the way ``DicomDecoder.getHeaderInfo``
formats them: text at full length, numbers by VR (SS printed unsigned, FD/FL
with Java's ``toString``, ``null`` for an FD/FL of the wrong length), UN cut
to 60 characters, implicit-VR tags unknown to the dictionary shown raw up to
44 bytes and dropped beyond, binary VRs empty.  The tags ImageJ uses itself
are shown by their own rules (Window after the backslash, LUT entry counts,
the pixel offset).  After the walk every control character except LF
becomes a space (:meth:`HeaderText.text`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from .charset import java_string
from .javafmt import double_bits_to_string, float_bits_to_string
from .walker import (LUT, PIXELS, RAK_PIXEL_DATA, SHORT, SPECIAL, TEXT_VRS, WINDOW_CENTER,
                     WINDOW_WIDTH, Plan, Record)

UN_LIMIT = 60            # characters of a UN value shown
IMPLICIT_LIMIT = 44      # bytes of an unknown implicit-VR value shown

#: ``getDicomInfo``'s clean-up as a byte table: every byte below 0x20 except LF becomes a space
_CLEAN_BYTES = bytes(0x20 if b < 0x20 and b != 0x0A else b for b in range(256))
_NL = b"\n"


def tag_hex(tag: int) -> str:
    return f"{tag >> 16:04X},{tag & 0xFFFF:04X}"


# How a plan's line is written (the first item of ``Plan.line``); PICK marks the decoder's tags.
# LOCATION_LINE: the line start, then ImageJ's offset of the element (pixel data shows where it starts).
TEXT_LINE, NO_LINE, FIXED_LINE, BY_VR, BY_SPECIAL, LOCATION_LINE = range(6)
PICK = 8


class HeaderText:
    """The header text of one walk, built line by line as the walk goes.

    :meth:`consume` is the hot loop of every header feature.  What a line
    looks like depends, apart from the value bytes, only on the element's
    :class:`~.walker.Plan`, so each plan carries its line's start
    (``GGGG,EEEE  [>]Name: `` as UTF-8) and how the value is shown, worked
    out the first time the plan is seen (:func:`plan_line`).  The text is
    kept as UTF-8 *bytes* until the end: a text value goes in as the raw
    bytes ImageJ read, and :meth:`text` cleans and decodes the whole text
    once.  That gives exactly the per-value ``new String(bytes)`` then
    clean-up of ImageJ: every line ends in LF and control bytes are ASCII,
    so no malformed UTF-8 sequence can reach across a value's end, and a
    malformed sequence ends at a control byte as it does at a space.  Lines
    read before a failure stay (``getInfo`` returns them).
    """

    def __init__(self) -> None:
        self.parts: list[bytes] = []     # the text's pieces, in order

    def consume(self, records: Iterable[Record], picked: list[Record] | None = None) -> None:
        """Add the lines of ``records``; those the decoder interprets also go to ``picked``."""
        parts = self.parts
        extend, append = parts.extend, parts.append
        pick = (picked if picked is not None else []).append
        for plan, value, location in records:
            start = plan.text_start     # most lines: the text value's bytes as read, decoded in text()
            if start is not None:
                extend((start, value, _NL))     # type: ignore[arg-type]  # text lines read a value
                continue
            mode, start, shown_lines = plan.line or plan_line(plan)
            if mode & PICK:
                pick((plan, value, location))
                mode &= ~PICK
            if mode == TEXT_LINE:       # (pixel data of a text VR, empty: interpreted, listed as text)
                extend((start, value, _NL))     # type: ignore[arg-type]
            elif mode == FIXED_LINE:
                append(start)
            elif mode == BY_VR:         # numbers: the same values recur, so their lines are memoised
                assert value is not None, "BY_VR plans read a value"
                shown = shown_lines.get(value)
                if shown is None:
                    shown = _by_vr_line(plan, start, value, shown_lines)
                append(shown)
            elif mode == BY_SPECIAL:    # by value too
                shown = None if value is None else shown_lines.get(value)
                append(shown if shown is not None else special_line(plan, start, value, location, shown_lines))
            elif mode == LOCATION_LINE:
                extend((start, str(location).encode("ascii"), _NL))

    def text(self) -> str:
        """The finished text, after ``getDicomInfo``'s clean-up."""
        return java_string(b"".join(self.parts).translate(_CLEAN_BYTES))


def plan_line(plan: Plan) -> tuple[int, bytes, dict[bytes, bytes]]:
    """How ``plan``'s line is written: (mode, the line start -- the whole line for FIXED_LINE --, and
    for BY_VR the lines made so far by value)."""
    name, tag = plan.name, plan.tag
    start = f"{tag_hex(tag)}  {'>' if plan.marked else ''}{'---' if name is None else name}: ".encode("utf-8")
    pick = PICK if plan.image_tag else 0
    if plan.special:
        if tag == RAK_PIXEL_DATA:
            mode = NO_LINE
        else:
            if name is None:            # only with a user dictionary lacking ImageJ's own tags
                start = start.replace(b"---: ", b"null: ")
            mode = BY_SPECIAL
            if SPECIAL[tag] == LUT:     # the entry count: known from the length alone
                mode, start = FIXED_LINE, start + str(plan.length // 2).encode("ascii") + _NL
            elif SPECIAL[tag] == PIXELS:    # special_value's offset, without a call per file
                mode = LOCATION_LINE
    elif plan.vr in TEXT_VRS:
        mode = TEXT_LINE if plan.n > 0 or name is not None else NO_LINE
    elif plan.n < 0:                    # nothing read (SQ, binary VRs): an empty value
        mode, start = (FIXED_LINE, start + _NL) if name is not None else (NO_LINE, start)
    else:
        mode = BY_VR
    plan.line = (mode | pick, start, {})
    if mode == TEXT_LINE and not pick:
        plan.text_start = start
    return plan.line


#: How many lines by value one plan keeps (a header has a few numbers per tag; a hostile one, any).
SHOWN_LIMIT = 256


def _by_vr_line(plan: Plan, start: bytes, value: bytes, shown_lines: dict[bytes, bytes]) -> bytes:
    """The whole line of a number-like value (b"" for none), remembered for the next equal value."""
    shown = vr_value(plan.vr, plan.length, value, plan.little)
    if shown or plan.name is not None:     # unknown and empty (or null): no line
        text = start + (b"null" if shown is None else shown.encode("utf-8")) + _NL
    else:
        text = b""
    if len(shown_lines) >= SHOWN_LIMIT:
        shown_lines.clear()
    shown_lines[value] = text
    return text


def special_line(plan: Plan, start: bytes, value: bytes | None, location: int,
                 shown_lines: dict[bytes, bytes]) -> bytes:
    """The whole line of a tag ImageJ interprets and shows by its own rules (BY_SPECIAL).

    Remembered by value, as number lines are, unless it shows the location (pixel data: no value).
    """
    text = start + special_value(plan.tag, plan.length, value, location, plan.little).encode("utf-8") + _NL
    if value is not None:
        if len(shown_lines) >= SHOWN_LIMIT:
            shown_lines.clear()
        shown_lines[value] = text
    return text


def line(record: Record) -> str | None:
    """One element's raw line (decoded, not yet cleaned), or ``None`` where ImageJ lists none."""
    header = HeaderText()
    header.consume([record])
    if not header.parts:
        return None
    return java_string(b"".join(header.parts))


def special_value(tag: int, length: int, raw: bytes | None, location: int, little: bool) -> str:
    """The value text of a tag ImageJ interprets (§3.3, second table)."""
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


def vr_value(vr: str, length: int, raw: bytes | None, little: bool) -> str | None:
    """The value text by VR (§3.3, first table); ``None`` where ImageJ's value is null."""
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
