"""Random DICOM files, written byte by byte, for differential fuzzing against ImageJ.

``generate(seed)`` is deterministic: the same seed gives the same bytes on
every machine.  The files are *well-formed* DICOM (ascending tags, correct
lengths, proper items and delimiters) but use every corner ImageJ's guessing
decoder can stumble over: every VR, odd values padded with NUL or space
(and, rarely, left odd), multi-valued numbers, private groups and creators,
nested sequences of defined and undefined length, non-ASCII and malformed
UTF-8 bytes, implicit VR and big endian, with and without the preamble.

Image fuzzing extends it through :class:`Options` (``image_tags`` is a list
of callables that add image-defining elements; ``pixel_data`` decides the
pixel element) without touching the header machinery.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

EXPLICIT_LE = "1.2.840.10008.1.2.1"
IMPLICIT_LE = "1.2.840.10008.1.2"
EXPLICIT_BE = "1.2.840.10008.1.2.2"
OTHER_SYNTAXES = ("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.1.99")

TEXT_VRS = "AE AS CS DA DS DT IS LO LT PN SH ST TM UI UC UR UT".split()
NUMBER_VRS = {"US": "H", "SS": "h", "UL": "I", "SL": "i", "FD": "d", "FL": "f",
              "SV": "q", "UV": "Q"}
BINARY_VRS = "OB OW OF OD OL OV UN".split()
LONG_HEADER_VRS = set("OB OW OF OD OL OV SQ SV UN UC UR UT UV".split())
ALL_VRS = TEXT_VRS + list(NUMBER_VRS) + BINARY_VRS + ["AT", "SQ"]

# A few public tags with their usual VR, so that names, dictionary VRs (implicit) and
# ImageJ's special tags all occur; the rest of the tags are random.
KNOWN = {
    0x00080005: "CS", 0x00080008: "CS", 0x00080016: "UI", 0x00080018: "UI", 0x00080020: "DA",
    0x00080060: "CS", 0x00080070: "LO", 0x00080090: "PN", 0x00081030: "LO", 0x0008103E: "LO",
    0x00081032: "SQ", 0x00081110: "SQ", 0x00081140: "SQ", 0x00080100: "SH", 0x00080104: "LO",
    0x00100010: "PN", 0x00100020: "LO", 0x00100030: "DA", 0x00101010: "AS", 0x00101030: "DS",
    0x00180050: "DS", 0x00180060: "DS", 0x00180088: "DS", 0x00181063: "DS", 0x00181164: "DS",
    0x00181150: "IS", 0x00181152: "IS", 0x00181110: "DS", 0x00200013: "IS", 0x00200011: "IS",
    0x00200032: "DS", 0x00200037: "DS", 0x00280030: "DS", 0x00281050: "DS", 0x00281051: "DS",
    0x00281052: "DS", 0x00281053: "DS", 0x00280120: "SS", 0x00281054: "LO", 0x00400555: "SQ",
    0x00540220: "SQ", 0x00880200: "SQ", 0x00400275: "SQ", 0x0040A160: "UT", 0x30040002: "CS",
    0x3004000C: "DS", 0x300A0180: "SQ", 0x00181628: "FD", 0x00282000: "OB", 0x00500004: "CS",
}

TagVR = tuple[int, str]


@dataclass
class Options:
    """What a generated file may contain; tweak for focused campaigns."""

    max_elements: int = 25
    max_depth: int = 3
    image_tags: list[Callable[[random.Random], list[tuple[int, str, bytes | list]]]] = field(
        default_factory=list)
    pixel_data: Callable[[random.Random], tuple[int, str, bytes] | None] | None = None


# ------------------------------------------------------------------ values

def _text(rng: random.Random, vr: str) -> bytes:
    """A text value: mostly printable, sometimes backslashes, controls, non-ASCII bytes."""
    n = rng.choice([0, 1, 2, 3, 5, 8, 12, 13, 20, 44, 45, 61, 70])
    alphabet = "ABCxyz019 .-^\\" if vr not in ("UI", "DS", "IS") else "0123456789.\\-+eE "
    chars = bytearray(ord(rng.choice(alphabet)) for _ in range(n))
    roll = rng.random()
    if roll < 0.08:
        chars += rng.choice([b"\xc3\xa9", b"\xfc", b"\xed\xa0\x80", b"\xed\xa0", b"\xe4\xb8",
                             b"\xf0\x9f\x98\x80", b"\x80", b"\xff\xfe"])
    elif roll < 0.12:
        chars += rng.choice([b"\r\n", b"\t", b"\n", b"\x00mid", b"\x7f"])
    if vr in ("DS", "IS") and rng.random() < 0.5:
        chars = rng.choice([b"1", b"-2.5", b"0.3\\0.4", b"1e3", b"3d", b"0x3p0", b"NaN", b"",
                            b" 7 ", b"5\\6\\7", b"\\2", b"1A", b"Infinity", b"0"])
    return _pad(rng, bytes(chars))


def _pad(rng: random.Random, raw: bytes) -> bytes:
    """Even length by NUL or space, except rarely (odd lengths are legal input to ImageJ)."""
    if len(raw) % 2 and rng.random() < 0.93:
        raw += rng.choice([b" ", b"\x00"])
    return raw


def _numbers(rng: random.Random, vr: str) -> list:
    count = rng.choice([0, 1, 1, 1, 2, 3])
    code = NUMBER_VRS[vr]
    if code in "df":
        pool = [0.1, -0.0, 1e-5, 12345678.0, 2e23, float("nan"), float("inf"), 1.0, 3.14159,
                862399761.111079, 1e300, 5e-324, 178.07993]
        values = [rng.choice(pool) if rng.random() < 0.5 else rng.uniform(-1e9, 1e9) * 10.0 ** rng.randint(-12, 12)
                  for _ in range(count)]
        if code == "f":                                   # keep within float32 (inf/nan pass)
            values = [v if not abs(v) < float("inf") or abs(v) < 3e38 else 3e38 for v in values]
        return values
    bits = {"H": 16, "h": 16, "I": 32, "i": 32, "q": 64, "Q": 64}[code]
    signed = code.islower()
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return [rng.randint(low, high) for _ in range(count)]


def _value(rng: random.Random, vr: str, endian: str) -> bytes:
    if vr in NUMBER_VRS:
        values = _numbers(rng, vr)
        return struct.pack(f"{endian}{len(values)}{NUMBER_VRS[vr]}", *values)
    if vr == "AT":
        pairs = [rng.choice([0x00181063, 0x30040002, 0x00200013, rng.getrandbits(32)])
                 for _ in range(rng.choice([0, 1, 2]))]
        return b"".join(struct.pack(f"{endian}HH", t >> 16, t & 0xFFFF) for t in pairs)
    if vr in BINARY_VRS:
        if vr == "UN" and rng.random() < 0.5:
            return _pad(rng, bytes(rng.choice(b"ABCDEFGHIJ \\.") for _ in range(rng.choice([4, 30, 61, 80]))))
        return bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 2, 4, 8, 16])))
    return _text(rng, vr)


# ------------------------------------------------------------------ elements

class Writer:
    """Serialises elements in one transfer syntax."""

    def __init__(self, explicit: bool, little: bool) -> None:
        self.explicit = explicit
        self.endian = "<" if little else ">"

    def tag(self, tag: int) -> bytes:
        return struct.pack(f"{self.endian}HH", tag >> 16, tag & 0xFFFF)

    def element(self, tag: int, vr: str, value: bytes, undefined: bool = False) -> bytes:
        length = 0xFFFFFFFF if undefined else len(value)
        if not self.explicit:
            return self.tag(tag) + struct.pack(f"{self.endian}I", length) + value
        if vr in LONG_HEADER_VRS:
            return self.tag(tag) + vr.encode() + b"\0\0" + struct.pack(f"{self.endian}I", length) + value
        if len(value) > 0xFFFF:
            value = value[:0xFFFE]
        return self.tag(tag) + vr.encode() + struct.pack(f"{self.endian}H", len(value)) + value

    def item(self, body: bytes, undefined: bool) -> bytes:
        if undefined:
            return (self.tag(0xFFFEE000) + struct.pack(f"{self.endian}I", 0xFFFFFFFF) + body
                    + self.tag(0xFFFEE00D) + b"\0\0\0\0")
        return self.tag(0xFFFEE000) + struct.pack(f"{self.endian}I", len(body)) + body

    def sequence(self, tag: int, items: list[bytes], undefined: bool, undefined_items: bool) -> bytes:
        body = b"".join(self.item(i, undefined_items) for i in items)
        if undefined:
            return self.element(tag, "SQ", body + self.tag(0xFFFEE0DD) + b"\0\0\0\0", undefined=True)
        return self.element(tag, "SQ", body)


def _random_tag(rng: random.Random, depth: int) -> TagVR:
    roll = rng.random()
    if roll < 0.45:
        tag = rng.choice(sorted(KNOWN))
        vr = KNOWN[tag]
        if vr == "SQ" and depth <= 0:
            vr = "LO"
        return tag, vr
    if roll < 0.65:                                       # private creator or private element
        group = rng.choice([0x0009, 0x0011, 0x0019, 0x0029, 0x0043, 0x7FE1])
        if rng.random() < 0.3:
            return group << 16 | 0x0010, "LO"
        return group << 16 | 0x1000 | rng.randrange(0x100), rng.choice(ALL_VRS if depth > 0 else ALL_VRS[:-1])
    group = rng.choice([0x0008, 0x0010, 0x0018, 0x0020, 0x0028, 0x0032, 0x0040, 0x0054, 0x3002, 0x6000])
    vr = rng.choice(ALL_VRS if depth > 0 else ALL_VRS[:-1])
    return group << 16 | rng.randrange(0x10000), vr


def _data_set(rng: random.Random, w: Writer, depth: int, count: int,
              extra: list[tuple[int, str, bytes | list]] = ()) -> bytes:
    """Random elements (plus ``extra`` ones) in ascending tag order."""
    chosen: dict[int, tuple[str, bytes | list | None]] = {}
    for _ in range(count):
        tag, vr = _random_tag(rng, depth)
        chosen[tag] = (vr, None)
    for tag, vr, value in extra:
        chosen[tag] = (vr, value)
    out = bytearray()
    for tag in sorted(chosen):
        vr, value = chosen[tag]
        if vr == "SQ":
            items = [_data_set(rng, w, depth - 1, rng.randint(0, 4), extra=_nested_extra(rng))
                     for _ in range(rng.choice([0, 1, 1, 2]))]
            out += w.sequence(tag, items, rng.random() < 0.5, rng.random() < 0.5)
        else:
            raw = _value(rng, vr, w.endian) if value is None else (
                value if isinstance(value, bytes) else struct.pack(f"{w.endian}{len(value)}{NUMBER_VRS[vr]}", *value))
            out += w.element(tag, vr, raw)
    return bytes(out)


def _nested_extra(rng: random.Random) -> list[tuple[int, str, bytes | list]]:
    """Image-defining tags inside sequences now and then (ImageJ interprets some of them)."""
    if rng.random() < 0.2:
        return [(rng.choice([0x00281050, 0x00281051, 0x00280030, 0x00180050]), "DS", _pad(rng, b"12.5\\3"))]
    return []


def image_tags(rng: random.Random) -> list[tuple[int, str, bytes | list]]:
    """A plausible image description (sizes small, so that ImageJ can open the file)."""
    rows, cols = rng.randint(1, 6), rng.randint(1, 6)
    bits = rng.choice([8, 16, 16, 32])
    tags: list[tuple[int, str, bytes | list]] = [
        (0x00280002, "US", [rng.choice([1, 1, 3])]),
        (0x00280004, "CS", rng.choice([b"MONOCHROME2 ", b"MONOCHROME1 ", b"MONOCHROME1\0", b"RGB ",
                                       b"PALETTE COLOR "])),
        (0x00280010, "US", [rows]), (0x00280011, "US", [cols]),
        (0x00280100, "US", [bits]), (0x00280101, "US", [bits]), (0x00280102, "US", [bits - 1]),
        (0x00280103, "US", [rng.choice([0, 1])]),
    ]
    if rng.random() < 0.5:
        tags.append((0x00280030, "DS", _pad(rng, rng.choice([b"0.5\\0.25", b"1\\1", b"\\2", b"0\\1", b"3"]))))
    if rng.random() < 0.4:
        tags.append((0x00281050, "DS", _pad(rng, rng.choice([b"40", b"100\\5000", b"1\\2\\3"]))))
        tags.append((0x00281051, "DS", _pad(rng, rng.choice([b"400", b"10\\20", b"-5"]))))
    if rng.random() < 0.3:
        tags.append((0x00280008, "IS", _pad(rng, rng.choice([b"1", b"2", b"3d", b"1A", b""]))))
    return tags


def _pixel_data(rng: random.Random, w: Writer) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        return b""                                        # no pixel data: getInfo lists it all
    data = bytes(rng.getrandbits(8) for _ in range(rng.choice([2, 16, 64, 256])))
    out = b""
    if roll < 0.25:
        out += w.element(0x7FE00010, "OW", b"")           # an empty one first: only listed
    return out + w.element(0x7FE00010, rng.choice(["OB", "OW"]), data)


def meta(rng: random.Random, syntax: str) -> bytes:
    """File meta group, always explicit little endian."""
    w = Writer(True, True)
    body = (w.element(0x00020001, "OB", b"\0\x01")
            + w.element(0x00020002, "UI", _pad(rng, b"1.2.840.10008.5.1.4.1.1.7"))
            + w.element(0x00020003, "UI", _pad(rng, f"1.2.3.{rng.randrange(10**6)}".encode()))
            + w.element(0x00020010, "UI", _pad(rng, syntax.encode()))
            + w.element(0x00020012, "UI", _pad(rng, b"1.2.3.4")))
    return w.element(0x00020000, "UL", struct.pack("<I", len(body))) + body


def generate(seed: int, options: Options | None = None) -> bytes:
    """The bytes of one random file for ``seed``."""
    rng = random.Random(seed)
    opts = options or Options()
    roll = rng.random()
    syntax = (EXPLICIT_LE if roll < 0.45 else IMPLICIT_LE if roll < 0.75 else EXPLICIT_BE
              if roll < 0.95 else rng.choice(OTHER_SYNTAXES))
    explicit = syntax != IMPLICIT_LE
    w = Writer(explicit, syntax != EXPLICIT_BE)
    preamble = rng.random() < 0.85
    extra: list[tuple[int, str, bytes | list]] = [(0x00080016, "UI", _pad(rng, b"1.2.840.10008.5.1.4.1.1.7"))]
    if rng.random() < 0.7:
        extra += image_tags(rng)
    for add in opts.image_tags:
        extra += add(rng)
    body = _data_set(rng, w, opts.max_depth, rng.randint(0, opts.max_elements), extra)
    if opts.pixel_data is not None:
        pixel = opts.pixel_data(rng)
        body += b"" if pixel is None else w.element(*pixel)
    else:
        body += _pixel_data(rng, w)
    if not preamble:
        return body
    head = bytes(rng.getrandbits(8) for _ in range(128)) if rng.random() < 0.2 else bytes(128)
    return head + b"DICM" + meta(rng, syntax) + body
