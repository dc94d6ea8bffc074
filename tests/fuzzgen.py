"""Random DICOM files, written byte by byte, for differential fuzzing against ImageJ.

``generate(seed)`` is deterministic: the same seed gives the same bytes on
every machine.  The files are *well-formed* DICOM (ascending tags, correct
lengths, proper items and delimiters) but use every corner ImageJ's guessing
decoder can stumble over: every VR, odd values padded with NUL or space
(and, rarely, left odd), multi-valued numbers, private groups and creators,
nested sequences of defined and undefined length, non-ASCII and malformed
UTF-8 bytes, implicit VR and big endian, with and without the preamble.

Image fuzzing extends it through :class:`Options` (``image_tags`` is a list
of callables that add image-defining elements; ``trailing_tags`` adds
elements out of tag order; ``pixel_data`` decides the pixel element) without
touching the header machinery.  :func:`generate_image` draws an
:class:`ImageSpec` -- every image-defining choice as one plain field, so a
failing case can be shrunk field by field -- and renders it through those
hooks (see "Image campaign" below).
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace

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
#: An element to add: (tag, VR, value).  The value is raw bytes, a list of numbers
#: (packed for the VR), or a function of the :class:`Writer` returning the whole
#: encoded element (header included) -- how sequences with chosen content are given.
Extra = tuple[int, str, "bytes | list | Callable[[Writer], bytes]"]


@dataclass
class Options:
    """What a generated file may contain; tweak for focused campaigns.

    ``syntax`` and ``preamble`` fix what is otherwise drawn at random;
    ``base_image_tags`` off leaves the image description to ``image_tags``.
    """

    max_elements: int = 25
    max_depth: int = 3
    image_tags: list[Callable[[random.Random], list[Extra]]] = field(default_factory=list)
    trailing_tags: Callable[[random.Random], list[Extra]] | None = None
    pixel_data: Callable[[random.Random], tuple | None] | None = None
    syntax: str | None = None
    preamble: bool | None = None
    base_image_tags: bool = True


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


def _data_set(rng: random.Random, w: Writer, depth: int, count: int, extra: list[Extra] = ()) -> bytes:
    """Random elements (plus ``extra`` ones) in ascending tag order."""
    chosen: dict[int, tuple[str, object]] = {}
    for _ in range(count):
        tag, vr = _random_tag(rng, depth)
        chosen[tag] = (vr, None)
    for tag, vr, value in extra:
        chosen[tag] = (vr, value)
    out = bytearray()
    for tag in sorted(chosen):
        vr, value = chosen[tag]
        if callable(value):
            out += value(w)
        elif vr == "SQ":
            items = [_data_set(rng, w, depth - 1, rng.randint(0, 4), extra=_nested_extra(rng))
                     for _ in range(rng.choice([0, 1, 1, 2]))]
            out += w.sequence(tag, items, rng.random() < 0.5, rng.random() < 0.5)
        else:
            raw = _value(rng, vr, w.endian) if value is None else _encode(w, vr, value)
            out += w.element(tag, vr, raw)
    return bytes(out)


def _encode(w: Writer, vr: str, value: bytes | list) -> bytes:
    return value if isinstance(value, bytes) else struct.pack(f"{w.endian}{len(value)}{NUMBER_VRS[vr]}", *value)


def _elements(w: Writer, elements: list[Extra]) -> bytes:
    """``elements`` encoded in the order given (not sorted: out-of-order runs are the point)."""
    return b"".join(value(w) if callable(value) else w.element(tag, vr, _encode(w, vr, value))
                    for tag, vr, value in elements)


def _nested_extra(rng: random.Random) -> list[Extra]:
    """Image-defining tags inside sequences now and then (ImageJ interprets some of them)."""
    if rng.random() < 0.2:
        return [(rng.choice([0x00281050, 0x00281051, 0x00280030, 0x00180050]), "DS", _pad(rng, b"12.5\\3"))]
    return []


def image_tags(rng: random.Random) -> list[Extra]:
    """A plausible image description (sizes small, so that ImageJ can open the file)."""
    rows, cols = rng.randint(1, 6), rng.randint(1, 6)
    bits = rng.choice([8, 16, 16, 32])
    tags: list[Extra] = [
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
    syntax = opts.syntax or syntax
    explicit = syntax != IMPLICIT_LE
    w = Writer(explicit, syntax != EXPLICIT_BE)
    preamble = rng.random() < 0.85 if opts.preamble is None else opts.preamble
    extra: list[Extra] = [(0x00080016, "UI", _pad(rng, b"1.2.840.10008.5.1.4.1.1.7"))]
    if opts.base_image_tags and rng.random() < 0.7:
        extra += image_tags(rng)
    for add in opts.image_tags:
        extra += add(rng)
    body = _data_set(rng, w, opts.max_depth, rng.randint(0, opts.max_elements), extra)
    if opts.trailing_tags is not None:
        body += _elements(w, opts.trailing_tags(rng))
    if opts.pixel_data is not None:
        pixel = opts.pixel_data(rng)
        body += b"" if pixel is None else w.element(*pixel)
    else:
        body += _pixel_data(rng, w)
    if not preamble:
        return body
    head = bytes(rng.getrandbits(8) for _ in range(128)) if rng.random() < 0.2 else bytes(128)
    return head + b"DICM" + meta(rng, syntax) + body


# ------------------------------------------------------------------ image campaign
#
# An ImageSpec holds every image-defining choice of one file as a plain field whose
# default means "leave it out / the ordinary choice".  ``draw_image_spec`` picks them
# at random; ``render_image`` turns a spec into bytes through the Options hooks above;
# shrinking a failing case is resetting fields to their defaults (scripts/fuzz_image.py).

PIXEL_DATA, FLOAT_PIXEL_DATA = 0x7FE00010, 0x7FE00008

#: Value pools for the text tags ImageJ parses (Java's Double.valueOf after a trim).
FRAMES = [b"1", b"2", b"3", b"3d", b"1A", b"", b"0", b"-2", b"2.7", b" 2 ", b"NaN", b"4", b"1e1", b"2\\3",
          b"+2", b"0x2p0"]
INTERCEPTS = [b"0", b"-1024", b"1024", b"", b" -100 ", b"1\\2", b"NaN", b"0.5", b"-0.0", b"1e-3",
              b"Infinity", b"\\5", b"abc", b"-32768", b"70000"]
SLOPES = [b"1", b"1", b"1.0", b"2.5", b"0.5", b"", b" 1 ", b"1\\2", b"NaN", b"-1", b"0", b"1e0", b"3d",
          b"1.00001", b"\\2", b"1e-30"]
CENTERS = [b"40", b"100\\5000", b"1\\2\\3", b"-100", b"NaN", b"0", b"1000.7", b"2000000000", b"\\40", b"",
           b"32768", b"-5\\-6", b"128", b"0.5", b"Infinity"]
WIDTHS = [b"400", b"10\\20", b"1\\2\\3", b"-5", b"NaN", b"0", b"0.5", b"1", b"1e9", b"", b"65536\\70000",
          b"255", b"100.5", b"Infinity", b"2"]
SPACINGS = [b"0.5\\0.25", b"1\\1", b"\\2", b"0\\1", b"3", b"-0.5\\0.25", b"0.5\\-0.25", b"NaN\\1", b"1\\NaN",
            b" 0.3 \\ 0.4 ", b"1\\2\\3", b"", b"2e-1\\3d", b"0.1\\0"]
DEPTHS = [b"2", b"", b"0", b"-1", b"NaN", b"1.25", b" 3 ", b"1\\2", b"5e-1"]
PHOTOMETRICS = [b"MONOCHROME2 ", b"MONOCHROME2 ", b"MONOCHROME1 ", b"MONOCHROME1\0", b"MONOCHROME1", b"RGB ",
                b"RGB\0", b"PALETTE COLOR ", b"YBR_FULL", b"YBR_FULL_422", b"YBR_RCT ", b"", b"ARGB", b"HSV ",
                b" RGB"]
BITS = [8, 8, 16, 16, 16, 32, 32, 1, 12, 24, 64, 0]
#: Sequences that carry image tags: before group 0028 (top level wins), after it (the
#: sequence wins), the icon sequence (skipped when of defined length), a private one.
NEST_SEQUENCES = [0x00081140, 0x00400275, 0x0040A730, 0x00880200, 0x00291010]
ACQUISITION_CONTEXT, VIEW_CODE = 0x00400555, 0x00540220
#: (tag, VR, pool) of the text tags, for nested and out-of-order copies
TEXT_TAGS = [(0x00280008, "IS", FRAMES), (0x00281052, "DS", INTERCEPTS), (0x00281053, "DS", SLOPES),
             (0x00281050, "DS", CENTERS), (0x00281051, "DS", WIDTHS), (0x00280030, "DS", SPACINGS),
             (0x00181164, "DS", SPACINGS), (0x00180050, "DS", DEPTHS), (0x00180088, "DS", DEPTHS),
             (0x00280004, "CS", PHOTOMETRICS)]
SHORT_TAGS = [(0x00280010, [1, 2, 3, 7]), (0x00280011, [1, 2, 3, 7]), (0x00280100, [8, 16, 32]),
              (0x00280103, [0, 1]), (0x00280002, [1, 3]), (0x00280006, [0, 1])]
#: elements an icon-like nested image may hold (Pixel Data inside a sequence is only listed)
NESTED_PIXELS = [(PIXEL_DATA, "OB", b"\x01\x02\x03\x04"), (PIXEL_DATA, "OW", b""), (FLOAT_PIXEL_DATA, "OF", bytes(8))]


@dataclass
class ImageSpec:
    """Every image-defining choice of one generated file; defaults mean "absent" or "ordinary"."""

    seed: int = 0
    syntax: str = EXPLICIT_LE
    preamble: bool = True
    background: int = 0                   # up to this many random header elements
    rows: int | None = 2
    columns: int | None = 2
    bits: int | None = 16
    representation: int | None = None     # Pixel Representation
    samples: int | None = None
    planar: int | None = None
    photometric: bytes | None = None
    palette: tuple[int, int, int] | None = None   # bytes in the red, green, blue LUT data
    raw_short: tuple[int, str, bytes] | None = None  # one US tag written with another VR or length
    frames: bytes | None = None
    intercept: bytes | None = None
    slope: bytes | None = None
    center: bytes | None = None
    width: bytes | None = None
    pixel_spacing: bytes | None = None
    imager_spacing: bytes | None = None
    thickness: bytes | None = None
    slice_spacing: bytes | None = None
    nested: tuple | None = None           # (sequence tag, undefined seq, undefined item, context, tags)
    late: tuple = ()                      # (tag, VR, value) written after the data set, out of order
    far_offset: bool = False              # 1200 private bytes push the pixel offset past 1000
    empty_pixel_first: bool = False       # an empty Pixel Data before the real one
    pixel_tag: int = PIXEL_DATA
    pixel_vr: str = "OW"
    pixel_undefined: bool = False         # Pixel Data of undefined length
    data_frames: int = 1                  # frames of pixel bytes written
    fill: str = "random"                  # pixel bytes: "random", "small" (0-3), "zeros", "first flat"
    extra_pixel_bytes: int = 0            # added to (or, negative, cut from) the written pixel bytes
    truncate: int | None = None           # file cut this many bytes into the pixel data
    container: str = "plain"              # "plain" or "zip"
    name: str = "fuzz.dcm"                # file name, or the zip's first entry name

    def pixel_bytes(self) -> int:
        """Bytes of pixel data written (before truncation)."""
        bpp = {8: 1, 32: 4}.get(self.bits or 16, 2)
        n = (self.rows or 0) * (self.columns or 0) * bpp * max(1, self.samples or 1) * self.data_frames
        return max(0, n + self.extra_pixel_bytes)


def _frames_hint(text: bytes | None) -> int:
    """Roughly how many frames a Number of Frames text asks for (to write about that much data)."""
    try:
        return max(1, min(4, int(float(text.strip().rstrip(b"dDfF")))))
    except (AttributeError, ValueError, OverflowError):
        return 1


def _sometimes(rng: random.Random, p: float, pool: list) -> object:
    return rng.choice(pool) if rng.random() < p else None


def draw_image_spec(seed: int) -> ImageSpec:
    """A random image description for ``seed`` (deterministic)."""
    rng = random.Random(seed * 7919 + 17)
    s = ImageSpec(seed=seed)
    roll = rng.random()
    s.syntax = EXPLICIT_LE if roll < 0.45 else IMPLICIT_LE if roll < 0.7 else EXPLICIT_BE if roll < 0.97 \
        else rng.choice(OTHER_SYNTAXES)
    s.preamble = rng.random() < 0.9
    s.background = rng.choice([0, 0, 3, 8, 15])
    size = rng.random()
    s.rows, s.columns = ((rng.randint(1, 8), rng.randint(1, 8)) if size < 0.85 else
                         (rng.randint(9, 300), rng.randint(9, 300)) if size < 0.94 else
                         rng.choice([(512, 512), (300, 700), (1024, 200)]) if size < 0.96 else
                         rng.choice([(0, 3), (3, 0), (None, 3), (3, None), (1, 1), (1, 700)]))
    s.bits = rng.choice(BITS) if rng.random() < 0.95 else None
    s.representation = _sometimes(rng, 0.6, [0, 1, 1, 2])
    s.samples = _sometimes(rng, 0.5, [1, 1, 3, 3, 3, 4, 0])
    s.planar = _sometimes(rng, 0.4, [0, 0, 1, 1, 2])
    s.photometric = _sometimes(rng, 0.85, PHOTOMETRICS)
    if rng.random() < 0.05:
        tag = rng.choice([0x00280002, 0x00280006, 0x00280010, 0x00280011, 0x00280100, 0x00280103])
        s.raw_short = (tag, rng.choice(["US", "US", "SS", "UL", "OW"]),
                       rng.choice([b"", b"\x03", b"\x03\x00\x09\x00", b"\x01\x00\x00\x00", b"\x00\x01", b"\xff\xff"]))
    if s.photometric == b"PALETTE COLOR " or rng.random() < 0.05:
        n = rng.choice([512, 512, 32, 0, 600])
        s.palette = (n, n, n) if rng.random() < 0.85 else (n, rng.choice([n, 32, 0]), rng.choice([n + 1, n]))
    s.frames = _sometimes(rng, 0.3, FRAMES)
    s.intercept = _sometimes(rng, 0.35, INTERCEPTS)
    s.slope = _sometimes(rng, 0.35, SLOPES)
    if rng.random() < 0.4:
        s.center, s.width = rng.choice(CENTERS), rng.choice(WIDTHS)
    elif rng.random() < 0.05:
        s.center, s.width = _sometimes(rng, 0.5, CENTERS), _sometimes(rng, 0.5, WIDTHS)
    s.pixel_spacing = _sometimes(rng, 0.35, SPACINGS)
    s.imager_spacing = _sometimes(rng, 0.15, SPACINGS)
    s.thickness = _sometimes(rng, 0.3, DEPTHS)
    s.slice_spacing = _sometimes(rng, 0.15, DEPTHS)
    if rng.random() < 0.15:
        s.nested = (rng.choice(NEST_SEQUENCES), rng.random() < 0.5, rng.random() < 0.5, rng.choice([0, 0, 1, 2]),
                    tuple(_random_image_tag(rng) for _ in range(rng.randint(1, 3))))
    if rng.random() < 0.1:
        s.late = tuple(_random_image_tag(rng) for _ in range(rng.randint(1, 3)))
    s.far_offset = rng.random() < 0.15
    s.empty_pixel_first = rng.random() < 0.05
    s.pixel_tag = FLOAT_PIXEL_DATA if rng.random() < 0.04 else PIXEL_DATA
    s.pixel_vr = rng.choice(["OW", "OB", "OW", "OB", "UN", "OF"])
    s.pixel_undefined = rng.random() < 0.02
    s.data_frames = _frames_hint(s.frames) if rng.random() < 0.85 else rng.randint(1, 4)
    s.fill = rng.choice(["random"] * 6 + ["small", "zeros", "first flat"])
    s.extra_pixel_bytes = rng.choice([0] * 17 + [1, -1, 5])
    if rng.random() < 0.2:
        total = s.pixel_bytes()
        frame = total // max(1, s.data_frames)
        s.truncate = max(0, rng.choice([0, 1, total // 2, total - 1, frame, frame - 1, frame + 1,
                                        rng.randint(0, max(0, total))]))
    if rng.random() < 0.08:
        s.container = "zip"
        s.name = rng.choice(["fuzz.dcm", "fuzz.dcm", "sub/fuzz.dcm", "fuzz.DCM"])
    else:
        s.name = rng.choice(["fuzz.dcm"] * 17 + ["fuzz", "FUZZ.DCM", "fuzz.ima"])
    return s


def _random_image_tag(rng: random.Random) -> tuple[int, str, bytes | list]:
    if rng.random() < 0.1:
        return rng.choice(NESTED_PIXELS)
    if rng.random() < 0.7:
        tag, vr, pool = rng.choice(TEXT_TAGS)
        return tag, vr, _pad(rng, rng.choice(pool))
    tag, pool = rng.choice(SHORT_TAGS)
    return tag, "US", [rng.choice(pool)]


def _rng_for(s: ImageSpec, tag: int) -> random.Random:
    """Randomness private to one element, so that dropping another field leaves its bytes alone."""
    return random.Random(s.seed * 1_000_003 + tag)


def image_elements(s: ImageSpec) -> list[Extra]:
    """The top-level image-defining elements of ``s`` (placed in tag order by the generator)."""
    out: list[Extra] = []
    shorts = [(0x00280002, s.samples), (0x00280006, s.planar), (0x00280010, s.rows), (0x00280011, s.columns),
              (0x00280100, s.bits), (0x00280103, s.representation)]
    out += [(tag, "US", [value]) for tag, value in shorts if value is not None]
    if s.raw_short is not None:
        out = [e for e in out if e[0] != s.raw_short[0]] + [s.raw_short]
    if s.bits is not None:
        out += [(0x00280101, "US", [s.bits]), (0x00280102, "US", [max(0, s.bits - 1)])]
    texts = [(0x00280004, "CS", s.photometric), (0x00280008, "IS", s.frames), (0x00281052, "DS", s.intercept),
             (0x00281053, "DS", s.slope), (0x00281050, "DS", s.center), (0x00281051, "DS", s.width),
             (0x00280030, "DS", s.pixel_spacing), (0x00181164, "DS", s.imager_spacing),
             (0x00180050, "DS", s.thickness), (0x00180088, "DS", s.slice_spacing)]
    out += [(tag, vr, _pad(_rng_for(s, tag), value)) for tag, vr, value in texts if value is not None]
    if s.palette is not None:
        for i, n in enumerate(s.palette):
            out.append((0x00281101 + i, "US", [n // 2 % 65536, 0, 16]))      # descriptors (ignored by ImageJ)
            out.append((0x00281201 + i, "OW", _rng_for(s, 0x00281201 + i).randbytes(n)))
    if s.far_offset:
        out.append((0x00091010, "OB", b"ABC \\." * 200))
    if s.nested is not None:
        out += _nested_sequence(*s.nested)
    return out


def _nested_sequence(tag: int, undefined: bool, undefined_item: bool, context: int,
                     inner: tuple) -> list[Extra]:
    """A sequence holding image tags.

    ``context`` 1 adds an Acquisition Context Sequence (from which on ImageJ
    interprets tags in undefined-length sequences too), 2 also the View Code
    Sequence that switches that off again; both empty, of undefined length.
    """
    def body(w: Writer) -> bytes:
        return _elements(w, sorted(inner, key=lambda e: e[0]))

    def sequence(w: Writer) -> bytes:
        return w.sequence(tag, [body(w)], undefined, undefined_item)

    out: list[Extra] = [(tag, "SQ", sequence)]
    for switch in (ACQUISITION_CONTEXT, VIEW_CODE)[:context]:
        out.append((switch, "SQ", lambda w, switch=switch: w.sequence(switch, [b""], True, True)))
    return out


def image_options(s: ImageSpec) -> Options:
    """The :class:`Options` that make :func:`generate` write the file ``s`` describes."""
    def pixel(_: random.Random) -> tuple:
        return s.pixel_tag, s.pixel_vr, pixel_values(s), s.pixel_undefined

    def trailing(_: random.Random) -> list[Extra]:
        late = list(s.late)
        if s.empty_pixel_first:
            late.append((PIXEL_DATA, "OW", b""))
        return late

    return Options(max_elements=s.background, max_depth=2, image_tags=[lambda _: image_elements(s)],
                   trailing_tags=trailing, pixel_data=pixel, syntax=s.syntax, preamble=s.preamble,
                   base_image_tags=False)


def pixel_values(s: ImageSpec) -> bytes:
    """The pixel bytes of ``s``: random, small, zero, or random after a flat first frame."""
    n = s.pixel_bytes()
    if s.fill == "zeros":
        return bytes(n)
    data = random.Random(s.seed + 1).randbytes(n)
    if s.fill == "small":
        return bytes(b & 3 for b in data)
    if s.fill == "first flat":
        frame = n // max(1, s.data_frames)
        return bytes([7]) * frame + data[frame:]
    return data


def render_image(s: ImageSpec) -> bytes:
    """The bytes of the file ``s`` describes: a DICOM file, or a zip with it as first entry."""
    data = generate(s.seed, image_options(s))
    if s.truncate is not None:
        data = data[:len(data) - s.pixel_bytes() + s.truncate]
    if s.container != "zip":
        return data
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(s.name, data)
        if s.seed % 3 == 0:
            z.writestr("second.dcm", b"not read: ImageJ looks at the first entry only")
    return buf.getvalue()


def file_name(s: ImageSpec) -> str:
    """The name to write ``render_image(s)`` under."""
    return "fuzz.zip" if s.container == "zip" else s.name.rsplit("/", 1)[-1]


def generate_image(seed: int) -> tuple[str, bytes]:
    """(file name, bytes) of the random image file for ``seed``."""
    spec = draw_image_spec(seed)
    return file_name(spec), render_image(spec)


def simpler_specs(s: ImageSpec) -> Iterator[ImageSpec]:
    """Simplifications of ``s``, one change each, for shrinking a failing case to its cause."""
    default = ImageSpec(seed=s.seed)
    for f in fields(ImageSpec):
        if f.name != "seed" and getattr(s, f.name) != getattr(default, f.name):
            yield replace(s, **{f.name: getattr(default, f.name)})
    for name in ("rows", "columns", "data_frames"):
        value = getattr(s, name)
        if isinstance(value, int) and value > 1:
            yield replace(s, **{name: 1})
    if s.nested is not None and len(s.nested[4]) > 1:
        for i in range(len(s.nested[4])):
            yield replace(s, nested=(*s.nested[:4], s.nested[4][:i] + s.nested[4][i + 1:]))
    for i in range(len(s.late)):
        yield replace(s, late=s.late[:i] + s.late[i + 1:])
