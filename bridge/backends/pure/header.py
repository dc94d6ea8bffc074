"""The header text ImageJ builds while it walks (the image's ``Info`` property).

One line per listed element, ``GGGG,EEEE`` + space + NUL + ``[>]Name: value``
+ LF (spec §3).  Values are shown the way ``DicomDecoder.getHeaderInfo``
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

from .charset import java_string
from .javafmt import double_bits_to_string, float_bits_to_string
from .walker import (LUT, PIXELS, RAK_PIXEL_DATA, SHORT, SPECIAL, TEXT_VRS, WINDOW_CENTER,
                     WINDOW_WIDTH, Element)

UN_LIMIT = 60            # characters of a UN value shown
IMPLICIT_LIMIT = 44      # bytes of an unknown implicit-VR value shown

_CONTROL = {c: " " for c in range(32) if c != 10}


def clean(text: str) -> str:
    """``getDicomInfo``'s clean-up: every character below U+0020 except LF becomes a space."""
    return text.translate(_CONTROL)


def tag_hex(tag: int) -> str:
    return f"{tag >> 16:04X},{tag & 0xFFFF:04X}"


def line(el: Element, dictionary: dict[int, tuple[str, str]]) -> str | None:
    """The raw (not yet cleaned) header line of ``el``, or ``None`` when ImageJ lists none."""
    entry = dictionary.get(el.tag)
    name = None if entry is None else entry[1]
    if el.special:
        if el.tag == RAK_PIXEL_DATA:
            return None
        info = f"{'null' if name is None else name}: {special_value(el)}"
    else:
        value = vr_value(el)
        if name is None:
            if not value:           # None or "": unknown and empty -> no line
                return None
            info = f"---: {value}"
        else:
            info = f"{name}: {'null' if value is None else value}"
    return f"{tag_hex(el.tag)} \0{'>' if el.marked else ''}{info}\n"


def special_value(el: Element) -> str:
    """The value text of a tag ImageJ interprets (§3.3, second table)."""
    kind = SPECIAL[el.tag]
    if kind == SHORT:
        return str(_unsigned(el.value, 2, el.little_endian)[0])
    if kind == LUT:
        return str(el.length // 2)
    if kind == PIXELS:
        return str(el.location)
    text = java_string(el.value)
    if el.tag == WINDOW_CENTER or el.tag == WINDOW_WIDTH:
        return text[text.find("\\") + 1:]       # after the first backslash, if any
    return text


def vr_value(el: Element) -> str | None:
    """The value text by VR (§3.3, first table); ``None`` where ImageJ's value is null."""
    vr, raw = el.vr, el.value
    if vr in TEXT_VRS:
        return java_string(raw)
    if vr == "US" or vr == "SS":         # SS too: ImageJ's getSShort is unsigned
        return _numbers(_unsigned(raw, 2, el.little_endian), el.length == 2)
    if vr == "UL":
        return _numbers(_unsigned(raw, 4, el.little_endian), el.length == 4)
    if vr == "SL":
        fmt = "<" if el.little_endian else ">"
        return _numbers(struct.unpack(f"{fmt}{len(raw) // 4}i", raw), el.length == 4)
    if vr == "FD":
        if el.length != 8:
            return None
        return double_bits_to_string(struct.unpack("<Q" if el.little_endian else ">Q", raw)[0])
    if vr == "FL":
        if el.length != 4:
            return None
        return float_bits_to_string(struct.unpack("<I" if el.little_endian else ">I", raw)[0])
    if vr == "UN":
        return java_string(raw)[:UN_LIMIT]
    if vr == "--":
        return java_string(raw) if el.length <= IMPLICIT_LIMIT else None
    return ""                                # SQ, binary VRs, dictionary oddities: skipped


def _unsigned(raw: bytes, width: int, little: bool) -> tuple[int, ...]:
    code = "H" if width == 2 else "I"
    return struct.unpack(f"{'<' if little else '>'}{len(raw) // width}{code}", raw)


def _numbers(values: tuple[int, ...], single: bool) -> str:
    """One number alone, else every number followed by a space (the last too)."""
    if single:
        return str(values[0])
    return "".join(f"{v} " for v in values)


def render(lines: list[str]) -> str:
    """The final text from the raw lines."""
    return clean("".join(lines))
