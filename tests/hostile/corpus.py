"""The hostile corpus: deterministic, seeded, built in memory from pydicom's image files.

Batch scripts feed the facade whatever lies in a folder.  This module makes
that folder: mutated copies of real images (bit flips, overwrites,
truncations, absurd lengths, wrong VRs), hand-built files with absurd
image descriptions, deep nesting, bogus transfer syntaxes, non-DICOM bytes,
polyglots, zip bombs and things that are not files at all (FIFOs,
``/dev/zero``, symlinks).  ``corpus(seed)`` gives the same cases, byte for
byte, on every machine; :func:`materialize` writes one case to a folder.

The generator aims its mutations with the pure backend's walker (it knows
where each length field is), but judges nothing: the tests do that.
"""

from __future__ import annotations

import io
import os
import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pydicom.data

from tests.dicomgen import EXPLICIT_BE, EXPLICIT_LE, IMPLICIT_LE, JPEG_BASELINE, image_dicom, make_dicom
from tests.fuzzgen import Writer

#: pydicom's files the mutations start from: small, uncompressed images in every layout ImageJ reads,
#: plus one compressed file, one without preamble and one full of private sequences.
SEED_FILES = ("CT_small.dcm", "MR_small.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm",
              "SC_rgb_small_odd.dcm", "rtdose.dcm", "ExplVR_BigEnd.dcm", "JPEG2000.dcm", "no_meta.dcm",
              "nested_priv_SQ.dcm", "liver_1frame.dcm", "examples_palette.dcm")

#: a decoded image is never allowed more than this in the corpus runs (the zip bombs inflate past it)
CORPUS_MAX_IMAGE_BYTES = 48 << 20

DEEP = 10_000          # nesting levels of the deep-nesting cases
ABSURD_32 = (0xFFFFFFFE, 0x80000000, 0x7FFFFFFF, 0x7FFFFFF0, 0x50000000, 0x00FFFFFF, 0xFFFFFFFF)
ABSURD_16 = (0xFFFF, 0xFFFE, 0x8000, 13)
VR_CODES = (b"SQ", b"UN", b"OB", b"OW", b"US", b"UT", b"FD", b"XX", b"\0\0", b"LO", b"UL", b"AT")

#: how ``materialize`` builds the cases that are not plain bytes
SPECIALS = ("fifo", "dev-zero", "link-dev-zero", "link-fifo", "dangling-link", "link-loop",
            "directory", "link-directory", "link-good", "unreadable")


@dataclass(frozen=True)
class Case:
    """One hostile input: a family (what kind of attack), a stable id, the bytes and the file name.

    ``special`` names a non-file input (see :data:`SPECIALS`); ``data`` is then the bytes of the
    regular file involved, if any.
    """

    family: str
    id: str
    data: bytes
    filename: str
    special: str | None = None


# --- seeds ------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def seed_bytes(name: str) -> bytes:
    return Path(pydicom.data.get_testdata_file(name)).read_bytes()  # type: ignore[arg-type]


def control_bytes() -> bytes:
    """A small, valid image every backend opens: the control file after each failure."""
    return seed_bytes("MR_small.dcm")


@dataclass(frozen=True)
class Field:
    """Where one element's length field lies in a seed, and how it is written."""

    tag: int
    vr: str
    at: int          # offset of the length field
    width: int       # 2 or 4 bytes
    little: bool


@lru_cache(maxsize=None)
def length_fields(name: str) -> tuple[Field, ...]:
    """Every length field the walker passes in seed ``name``, items included."""
    from bridge.core import dictionary
    from bridge.core.source import ByteSource
    from bridge.core.walker import Walk
    from bridge.errors import DicomReadError
    data = seed_bytes(name)
    found: list[Field] = []
    try:
        for el in Walk(ByteSource(data), name, dictionary.table()):
            found.append(_field_of(data, el.tag, el.vr, el.location, el.little_endian))
    except DicomReadError:
        pass                        # compressed or header-only seeds: the fields before the stop
    for pattern, little in ((b"\xfe\xff\x00\xe0", True), (b"\xff\xfe\xe0\x00", False)):
        at = data.find(pattern)
        while at != -1:
            found.append(Field(0xFFFEE000, "item", at + 4, 4, little))
            at = data.find(pattern, at + 1)
    return tuple(sorted(set(found), key=lambda f: f.at))


def _field_of(data: bytes, tag: int, vr: str, location: int, little: bool) -> Field:
    long_vr = data[location - 8:location - 6]
    if long_vr.isalpha() and data[location - 6:location - 4] == b"\0\0":
        return Field(tag, long_vr.decode(), location - 4, 4, little)
    short_vr = data[location - 4:location - 2]
    if short_vr.isalpha() and short_vr.decode() == vr:
        return Field(tag, vr, location - 2, 2, little)
    return Field(tag, vr, location - 4, 4, little)     # implicit VR


def _put(data: bytes, at: int, raw: bytes) -> bytes:
    return data[:at] + raw + data[at + len(raw):]


def _put_length(data: bytes, field: Field, value: int) -> bytes:
    fmt = ("<" if field.little else ">") + ("H" if field.width == 2 else "I")
    return _put(data, field.at, struct.pack(fmt, value & (0xFFFF if field.width == 2 else 0xFFFFFFFF)))


def _header_end(data: bytes, name: str) -> int:
    """Where the pixel data starts (mutations aim mostly at the header before it)."""
    pixel = [f.at for f in length_fields(name) if f.tag == 0x7FE00010]
    return min(len(data), (pixel[0] + 4) if pixel else len(data))


# --- families ---------------------------------------------------------------------------------
def bit_flips(rng: random.Random, per_seed: int) -> Iterator[Case]:
    """1 to 8 flipped bits, three times in four inside the header."""
    for name in SEED_FILES:
        data = seed_bytes(name)
        head = _header_end(data, name)
        for i in range(per_seed):
            out = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(head) if rng.random() < 0.75 else rng.randrange(len(data))
                out[at] ^= 1 << rng.randrange(8)
            yield Case("flip", f"flip/{name}/{i}", bytes(out), name)


def overwrites(rng: random.Random, per_seed: int) -> Iterator[Case]:
    """A run of 1-8 bytes in the header replaced by an interesting value."""
    values = (b"\xff" * 4, b"\0" * 4, b"\xfe\xff\xff\xff", b"\xff\xff\xff\x7f", b"\0\0\0\x80", b"DICM",
              b"\xfe\xff\x00\xe0", b"\xfe\xff\xdd\xe0", b"SQ\0\0\xff\xff\xff\xff", b"\x08\x00")
    for name in SEED_FILES:
        data = seed_bytes(name)
        head = _header_end(data, name)
        for i in range(per_seed):
            raw = rng.choice(values) if rng.random() < 0.7 else rng.randbytes(rng.randint(1, 8))
            yield Case("overwrite", f"overwrite/{name}/{i}", _put(data, rng.randrange(head), raw), name)


def truncations(rng: random.Random, per_seed: int) -> Iterator[Case]:
    """The seed cut at the edges ImageJ cares about, then at random offsets."""
    for name in SEED_FILES:
        data = seed_bytes(name)
        head = _header_end(data, name)
        edges = [0, 1, 127, 131, 132, 133, head - 1, head, head + 1, len(data) - 1, len(data) // 2]
        cuts = sorted({c for c in edges if 0 <= c < len(data)})
        while len(cuts) < per_seed:
            cuts = sorted(set(cuts) | {rng.randrange(len(data))})
        for cut in cuts[:per_seed]:
            yield Case("truncate", f"truncate/{name}/{cut}", data[:cut], name)


def absurd_lengths(rng: random.Random, per_seed: int) -> Iterator[Case]:
    """Lengths far beyond the file on elements, sequences, items and pixel data; odd lengths."""
    for name in SEED_FILES:
        data = seed_bytes(name)
        fields = list(length_fields(name))
        if not fields:
            continue
        aimed = [f for f in fields if f.tag in (0x7FE00010, 0xFFFEE000) or f.vr in ("SQ", "item")]
        for i in range(per_seed):
            field = rng.choice(aimed) if aimed and i % 3 == 0 else rng.choice(fields)
            original = struct.unpack_from(("<" if field.little else ">") + ("H" if field.width == 2 else "I"),
                                          data, field.at)[0]
            pool = ABSURD_16 if field.width == 2 else ABSURD_32 + (2 * len(data) + 1,)
            value = original | 1 if rng.random() < 0.15 else rng.choice(pool)
            yield Case("length", f"length/{name}/{i}/{field.tag:08X}@{field.at}={value:#x}",
                       _put_length(data, field, value), name)


def wrong_vrs(rng: random.Random, per_seed: int) -> Iterator[Case]:
    """An explicit VR code replaced by another (so the length field is read with the wrong width)."""
    for name in SEED_FILES:
        data = seed_bytes(name)
        explicit = [f for f in length_fields(name) if f.vr.isalpha() and f.vr != "item" and
                    data[f.at - (4 if f.width == 4 else 2):][:2].isalpha()]
        for i in range(min(per_seed, len(explicit))):
            field = rng.choice(explicit)
            at = field.at - (4 if field.width == 4 else 2)
            code = rng.choice(VR_CODES)
            yield Case("vr", f"vr/{name}/{i}/{field.tag:08X}={code!r}", _put(data, at, code), name)


def _tiny_image(**kw: object) -> bytes:
    return image_dicom(np.arange(16, dtype="<u2").reshape(4, 4), **kw)


def transfer_syntaxes() -> Iterator[Case]:
    """Meta groups naming what the data is not, or nothing that exists."""
    syntaxes = ("", "1.2.840.10008.1.2.1.99", JPEG_BASELINE, "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.2",
                "\xff" * 64, "1.2.5.", "9" * 10_000, "1.2.840.10008.1.2\\1.2.840.10008.1.2.2", "\0")
    for i, ts in enumerate(syntaxes):
        elements = [(0x00280010, "US", 4), (0x00280011, "US", 4), (0x00280100, "US", 16)]
        yield Case("syntax", f"syntax/{i}", make_dicom(elements, bytes(32), ts=ts), "ts.dcm")
    # data really big endian, meta claiming little endian, and the reverse
    be = _tiny_image(ts=EXPLICIT_BE)
    yield Case("syntax", "syntax/be-as-le", be.replace(EXPLICIT_BE.encode(), EXPLICIT_LE.encode()), "be.dcm")
    implicit = _tiny_image(ts=IMPLICIT_LE)
    yield Case("syntax", "syntax/implicit-as-explicit",
               implicit.replace(IMPLICIT_LE.encode() + b"\0", b"1.2.840.10008.1.2.1"[:18]), "impl.dcm")


def absurd_images(rng: random.Random, count: int) -> Iterator[Case]:
    """Rows, Columns, Frames, Bits, Samples and Planar values no scanner writes, over a few bytes."""
    rows_cols = (0, 1, 2, 255, 32768, 65535)
    frames = ("2147483647", "1e10", "-5", "NaN", "Infinity", "99999", "3", "0", "65536", "1E308")
    bits = (0, 1, 7, 8, 12, 16, 24, 32, 64, 65535)
    samples = (0, 1, 2, 3, 4, 65535)
    for i in range(count):
        elements: list[tuple[int, str, object]] = [
            (0x00280002, "US", rng.choice(samples)),
            (0x00280004, "CS", rng.choice(("MONOCHROME2", "RGB", "PALETTE COLOR", "MONOCHROME1 "))),
            (0x00280010, "US", rng.choice(rows_cols)), (0x00280011, "US", rng.choice(rows_cols)),
            (0x00280100, "US", rng.choice(bits)), (0x00280103, "US", rng.choice((0, 1, 2)))]
        if rng.random() < 0.6:
            elements.append((0x00280008, "IS", rng.choice(frames)))
        if rng.random() < 0.3:
            elements.append((0x00280006, "US", rng.choice((0, 1, 5))))
        if rng.random() < 0.3:
            elements.append((0x00281053, "DS", rng.choice(("2", "-1e308", "0", "1e-300"))))
        pixels = rng.randbytes(rng.choice((0, 2, 16, 1444, 70_000)))
        length = rng.choice((None, len(pixels), 0xFFFFFFFE, 0x7FFFFFFF))
        yield Case("image", f"image/{i}", make_dicom(elements, pixels, pixel_length=length), "image.dcm")
    # the named worst cases: the largest image 16-bit Rows/Columns allow, over 16 bytes and over 1 MiB
    big = [(0x00280010, "US", 65535), (0x00280011, "US", 65535), (0x00280100, "US", 32),
           (0x00280002, "US", 3), (0x00280004, "CS", "RGB"), (0x00280008, "IS", "2147483647")]
    yield Case("image", "image/max-16", make_dicom(big, bytes(16)), "max.dcm")
    yield Case("image", "image/max-1MiB", make_dicom(big, bytes(1 << 20)), "max.dcm")
    offset_small = [(0x00280010, "US", 25000), (0x00280011, "US", 25000), (0x00280100, "US", 16)]
    yield Case("image", "image/1444-bytes", make_dicom(offset_small, bytes(1024)), "small.dcm")


def deep_nesting() -> Iterator[Case]:
    """Sequences nested :data:`DEEP` levels deep, in every way a length can say so."""
    for explicit, little, label in ((True, True, "explicit"), (False, True, "implicit"), (True, False, "big")):
        w = Writer(explicit, little)
        ts = EXPLICIT_LE if explicit and little else IMPLICIT_LE if little else EXPLICIT_BE
        for undefined in (True, False):
            body = _nested(w, DEEP, undefined)
            name = f"nest/{label}/{'undefined' if undefined else 'defined'}"
            yield Case("nest", name, _wrap(body, ts), "deep.dcm")
    w = Writer(True, True)
    opened = (w.tag(0x00081115) + b"SQ\0\0" + b"\xff" * 4 + w.tag(0xFFFEE000) + b"\xff" * 4) * DEEP
    yield Case("nest", "nest/never-closed", _wrap(opened, EXPLICIT_LE), "open.dcm")
    items = (w.tag(0xFFFEE000) + b"\xff" * 4) * (10 * DEEP)
    yield Case("nest", "nest/items-only", _wrap(items, EXPLICIT_LE), "items.dcm")
    context = w.element(0x00400555, "SQ", _nested(w, 200, True), undefined=True)
    yield Case("nest", "nest/acquisition-context", _wrap(context, EXPLICIT_LE), "acq.dcm")
    yield Case("nest", "nest/65-levels", _wrap(_nested(w, 65, True), EXPLICIT_LE), "65.dcm")
    yield Case("nest", "nest/64-levels", _wrap(_nested(w, 64, True), EXPLICIT_LE), "64.dcm")


def _nested(w: Writer, depth: int, undefined: bool) -> bytes:
    """``depth`` sequences, each holding one item that holds the next, around one element."""
    core = w.element(0x00100010, "PN", b"Deep^Nest ")
    if undefined:
        opening = w.element(0x00081115, "SQ", b"", undefined=True) + w.tag(0xFFFEE000) + b"\xff" * 4
        closing = w.tag(0xFFFEE00D) + bytes(4) + w.tag(0xFFFEE0DD) + bytes(4)
        return opening * depth + core + closing * depth
    heads = []
    size = len(core)                    # defined lengths: each level counts everything inside it
    for _ in range(depth):
        item = w.tag(0xFFFEE000) + struct.pack(w.endian + "I", size)
        size += len(item)
        sequence = w.element(0x00081115, "SQ", b"")[:-4] + struct.pack(w.endian + "I", size)
        size += len(sequence)
        heads.append(sequence + item)
    return b"".join(reversed(heads)) + core


def _wrap(body: bytes, ts: str) -> bytes:
    """A header around ``body`` ending in a small image, so a walk that survives gets to pixels."""
    little = ts != EXPLICIT_BE
    w = Writer(ts != IMPLICIT_LE, little)
    image = w.element(0x00080060, "CS", b"OT") + b"".join(   # group 0008 first: ImageJ's big-endian switch
        w.element(tag, "US", struct.pack(w.endian + "H", v)) for tag, v in ((0x00280010, 2), (0x00280011, 2),
                                                                          (0x00280100, 16)))
    head = make_dicom([], None, ts=ts)
    return head + image + body + w.element(0x7FE00010, "OW", bytes(8))


def not_dicom(rng: random.Random) -> Iterator[Case]:
    """Bytes that are not DICOM, under names that send them to the DICOM reader or elsewhere."""
    blobs = {"empty": b"", "one": b"\x08", "zeros": bytes(4096), "ones": b"\xff" * 4096,
             "random": rng.randbytes(5000), "text": b"hello, world\n" * 100,
             "acr-start": b"\x08\x00\x00\x00" + rng.randbytes(300), "dicm-only": bytes(128) + b"DICM",
             "preamble-then-garbage": bytes(128) + b"DICM" + rng.randbytes(2000),
             "pk-not-zip": b"PK\x03\x04" + rng.randbytes(200), "json": b'{"00100010": {"vr": "PN"}}'}
    for label, data in blobs.items():
        for filename in ("x.dcm", "noext", "x.zip"):
            yield Case("notdicom", f"notdicom/{label}/{filename}", data, filename)


def polyglots() -> Iterator[Case]:
    """Other formats' magic numbers in the preamble of a real DICOM file (the preamble is free)."""
    image = seed_bytes("MR_small.dcm")
    magics = {"tiff-le": b"II*\0\x08\0\0\0", "tiff-be": b"MM\0*\0\0\0\x08", "jpeg": b"\xff\xd8\xff\xe0\0\x10JFIF\0",
              "gif": b"GIF89a\xff\xff\xff\xff\0\0\0", "png": b"\x89PNG\r\n\x1a\n", "pgm": b"P5\n65535 65535\n255\n",
              "zip": b"PK\x03\x04\x14\0\0\0\0\0"}
    for label, magic in magics.items():
        data = _put(image, 0, magic)
        yield Case("polyglot", f"polyglot/{label}", data, "poly.dcm")
        yield Case("polyglot", f"polyglot/{label}/noext", data, "poly")
    # a TIFF header whose first IFD claims an enormous image, DICM at 128
    ifd = struct.pack("<H", 3) + b"".join(struct.pack("<HHII", tag, 4, 1, value) for tag, value in
                                          ((256, 0x7FFFFFFF), (257, 0x7FFFFFFF), (273, 8)))
    tiff = (b"II*\0" + struct.pack("<I", 8) + ifd + bytes(4)).ljust(128, b"\0") + b"DICM" + image[132:]
    yield Case("polyglot", "polyglot/tiff-huge-ifd", tiff, "poly.tif")


def _tiff(entries: list[tuple[int, int]], *, next_ifd: int = 0, pixels: bytes = bytes(16)) -> bytes:
    """A little-endian TIFF: one directory of LONG ``(tag, value)`` entries at byte 8, then ``pixels``."""
    ifd_size = 2 + 12 * len(entries) + 4
    fields = {273: 8 + ifd_size, 279: len(pixels), **dict(entries)}
    ifd = struct.pack("<H", len(fields)) + b"".join(struct.pack("<HHII", tag, 4, 1, value)
                                                     for tag, value in sorted(fields.items()))
    return b"II*\0" + struct.pack("<I", 8) + ifd + struct.pack("<I", next_ifd) + pixels


def _chain(entries: list[tuple[int, int]], count: int) -> bytes:
    """A TIFF of ``count`` image directories one after the other, all pointing at the same 16 bytes."""
    size = 2 + 12 * len(entries) + 4
    ifds = b"".join(struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", tag, 4, 1, value)
                                                                for tag, value in entries)
                    + struct.pack("<I", 8 + (i + 1) * size if i + 1 < count else 0) for i in range(count))
    return b"II*\0" + struct.pack("<I", 8) + ifds + bytes(16)


def other_formats() -> Iterator[Case]:
    """Images ImageJ reads with its other readers (the pure backend opens DICOM only)."""
    small = [(256, 4), (257, 4), (258, 8), (259, 1), (262, 1), (277, 1)]
    yield Case("format", "format/tiff-good", _tiff(small), "good.tif")
    yield Case("format", "format/tiff-huge", _tiff([(256, 20000), (257, 20000), (258, 16)]), "huge.tif")
    yield Case("format", "format/tiff-over-4GiB", _tiff([(256, 0xFFFFFFFF), (257, 0xFFFFFFFF)]), "4g.tif")
    yield Case("format", "format/tiff-loop", _tiff(small, next_ifd=8), "loop.tif")
    yield Case("format", "format/tiff-1000-directories", _chain([(256, 2000), (257, 2000), (258, 16)], 1000),
               "many.tif")
    yield Case("format", "format/pgm-good", b"P5\n4 4\n255\n" + bytes(16), "good.pgm")
    yield Case("format", "format/pgm-huge", b"P5\n20000 20000\n65535\n" + bytes(100), "huge.pgm")
    yield Case("format", "format/ppm-huge", b"P6\n# comment\n30000 30000\n255\n" + bytes(100), "huge.ppm")


# --- zips -------------------------------------------------------------------------------------
def _zip(entries: list[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


@lru_cache(maxsize=None)
def _zeros_bomb(size: int) -> bytes:
    """A zip whose one ``.dcm`` entry inflates to ``size`` bytes: a DICOM header, then zeros."""
    head = _tiny_image()
    stream = zlib.compressobj(1, zlib.DEFLATED, -15)
    chunks = [stream.compress(head)]
    zeros = bytes(1 << 20)
    for _ in range((size - len(head)) >> 20):
        chunks.append(stream.compress(zeros))
    chunks.append(stream.flush())
    body = b"".join(chunks)
    total = len(head) + ((size - len(head)) >> 20 << 20)
    crc = zlib.crc32(head)
    for _ in range((size - len(head)) >> 20):
        crc = zlib.crc32(zeros, crc)
    return _raw_zip("bomb.dcm", body, total, crc)


def _raw_zip(name: str, body: bytes, size: int, crc: int, *, flags: int = 0, method: int = 8,
             copies: int = 1) -> bytes:
    """A zip written by hand, so sizes, flags and central entries can lie.

    ``copies`` central directory entries all point at the one local header (overlapping entries).
    """
    raw_name = name.encode()
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, flags, method, 0, 0, crc, len(body), size,
                        len(raw_name), 0) + raw_name + body
    central = b"".join(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, flags, method, 0, 0, crc, len(body),
                                   size, len(raw_name), 0, 0, 0, 0, 0, 0) + raw_name for _ in range(copies))
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, copies, copies, len(central), len(local), 0)
    return local + central + end


def zips() -> Iterator[Case]:
    """Zip bombs and the zip tricks of the issue: nesting, overlap, encryption, ``../`` names, lies."""
    image = seed_bytes("MR_small.dcm")
    deflated = zlib.compress(image, 9)[2:-4]
    crc = zlib.crc32(image)
    yield Case("zip", "zip/good", _zip([("MR_small.dcm", image)]), "good.zip")
    yield Case("zip", "zip/bomb-ratio", _zeros_bomb(CORPUS_MAX_IMAGE_BYTES + (4 << 20)), "bomb.zip")
    yield Case("zip", "zip/bomb-under-budget", _zeros_bomb(8 << 20), "bomb8.zip")
    nested = _zip([("MR_small.dcm", image)])
    for level in range(4):                      # 42.zip-like: zips of zips
        nested = _zip([(f"level{level}-{copy}.zip", nested) for copy in range(4)])
    yield Case("zip", "zip/nested", nested, "42.zip")
    yield Case("zip", "zip/zip-named-dcm", _zip([("inner.dcm", _zip([("a.dcm", image)]))]), "inner.zip")
    yield Case("zip", "zip/overlap", _raw_zip("a.dcm", deflated, len(image), crc, copies=64), "overlap.zip")
    yield Case("zip", "zip/encrypted", _raw_zip("a.dcm", deflated, len(image), crc, flags=1), "enc.zip")
    yield Case("zip", "zip/dotdot", _zip([("../../../../tmp/evil.dcm", image)]), "dotdot.zip")
    yield Case("zip", "zip/absolute", _zip([("/etc/evil.dcm", image)]), "abs.zip")
    yield Case("zip", "zip/size-too-small", _raw_zip("a.dcm", deflated, 100, crc), "small.zip")
    yield Case("zip", "zip/size-too-large", _raw_zip("a.dcm", deflated, 0xFFFFFFFF, crc), "large.zip")
    yield Case("zip", "zip/bad-crc", _raw_zip("a.dcm", deflated, len(image), crc ^ 1), "crc.zip")
    yield Case("zip", "zip/stored-lie", _raw_zip("a.dcm", image, len(image) * 100, crc, method=0), "stored.zip")
    yield Case("zip", "zip/unknown-method", _raw_zip("a.dcm", deflated, len(image), crc, method=99), "m99.zip")
    yield Case("zip", "zip/truncated-stream", _raw_zip("a.dcm", deflated[: len(deflated) // 2], len(image), crc),
               "cut.zip")
    yield Case("zip", "zip/garbage-stream", _raw_zip("a.dcm", bytes(range(256)) * 4, len(image), crc), "junk.zip")
    yield Case("zip", "zip/empty", _zip([]), "empty.zip")
    yield Case("zip", "zip/roi", _zip([("a.roi", b"Iout" + bytes(60))]), "roi.zip")
    yield Case("zip", "zip/directory-entry", _zip([("dir/", b""), ("dir/a.dcm", image)]), "dir.zip")
    yield Case("zip", "zip/huge-declared-image", _zip([("big.dcm", make_dicom(
        [(0x00280010, "US", 65535), (0x00280011, "US", 65535), (0x00280100, "US", 16)], bytes(64)))]), "big.zip")
    yield Case("zip", "zip/deep-nesting", _zip([("deep.dcm", next(deep_nesting()).data)]), "deep.zip")
    cut = _zip([("MR_small.dcm", image)])
    yield Case("zip", "zip/cut-central", cut[:-30], "cutcd.zip")


# --- issue 18: where ImageJ fails, and what it would spend on hostile input -------------------
def _meta_length_file(value: int) -> bytes:
    """A small image whose Implementation Class UID (group 0002) declares ``value`` bytes."""
    data = _tiny_image()
    at = data.index(b"\x02\x00\x03\x00UI")           # (0002,0003) UI, a 2-byte length
    return _put(_put(data, at, b"\x02\x00\x03\x00UN\0\0"), at + 8, struct.pack("<I", value))


def _meta_group_length_file(value: int) -> bytes:
    """A small image whose File Meta Information Group Length (0002,0000) says ``value``."""
    data = _tiny_image()
    at = data.index(b"\x02\x00\x00\x00UL\x04\x00") + 8
    return _put(data, at, struct.pack("<I", value))


def meta_lengths_in_zips() -> Iterator[Case]:
    """A zip's first entry with an absurd length in its meta group (ImageJ reads it from a stream)."""
    for value in (0xFFFFFFF0, 0x7FFFFFFF, 0x40000000, 0x00FFFFFF, 1 << 20):
        for kind, make in (("element", _meta_length_file), ("group", _meta_group_length_file)):
            data = make(value)
            yield Case("meta-zip", f"meta-zip/{kind}-{value:#x}", _zip([("meta.dcm", data)]), "meta.zip")
            yield Case("meta-zip", f"meta-plain/{kind}-{value:#x}", data, "meta.dcm")


def maximal_dimensions() -> Iterator[Case]:
    """Rows = Columns = 65535 (and a 2048 x 2048 that fits the budget) over a few bytes."""
    for bits, samples, frames in ((8, 1, None), (16, 1, None), (32, 1, None), (8, 3, None), (16, 1, "2")):
        elements: list[tuple[int, str, object]] = [
            (0x00280002, "US", samples), (0x00280004, "CS", "RGB" if samples == 3 else "MONOCHROME2"),
            (0x00280010, "US", 65535), (0x00280011, "US", 65535), (0x00280100, "US", bits)]
        if frames:
            elements.append((0x00280008, "IS", frames))
        label = f"{bits}bit-{samples}s" + (f"-{frames}f" if frames else "")
        yield Case("maximal", f"maximal/{label}", make_dicom(elements, bytes(64)), "max.dcm")
    fits = [(0x00280010, "US", 2048), (0x00280011, "US", 2048), (0x00280100, "US", 16)]
    yield Case("maximal", "maximal/2048x2048-64-bytes", make_dicom(fits, bytes(64)), "fits.dcm")


def high_ratio_zips() -> Iterator[Case]:
    """Zips whose entry inflates far beyond its compressed size, or beyond what its header says."""
    yield Case("ratio-zip", "ratio-zip/1GiB", _zeros_bomb(1 << 30), "bomb1g.zip")
    yield Case("ratio-zip", "ratio-zip/256MiB", _zeros_bomb(256 << 20), "bomb256.zip")
    bomb = _zeros_bomb(256 << 20)
    yield Case("ratio-zip", "ratio-zip/256MiB-declared-small", _declared_size(bomb, 4096), "liar.zip")


def _declared_size(zipped: bytes, size: int) -> bytes:
    """``zipped`` (one entry, by :func:`_raw_zip`) with both headers declaring ``size`` uncompressed bytes."""
    local = _put(zipped, 22, struct.pack("<I", size))
    central = zipped.rindex(b"PK\x01\x02")
    return _put(local, central + 24, struct.pack("<I", size))


def _padded_multiframe(offset: int, kept: int) -> bytes:
    """Three 64 x 64 16-bit frames with the pixel data at ``offset``, cut ``kept`` bytes into it."""
    def build(pad: int) -> bytes:
        extra = [(0x00091010, "LO", "x" * pad)] if pad else []
        return image_dicom(np.zeros((3, 64, 64), "<u2"), frames="3", extra=extra, keep_bytes=kept)
    natural = len(build(0)) - kept
    pad = offset - natural - 8       # the private element's own header
    data = build(pad + pad % 2) if pad > 0 else build(0)
    assert len(data) - kept == offset, (len(data) - kept, offset)
    return data


def cut_multiframes() -> Iterator[Case]:
    """Multi-frame files cut short, the pixel data starting just below and at or above byte 1000."""
    for offset in (996, 998, 1000, 1002, 1100):
        for kept in (100, 8192 + 100):
            yield Case("cut-frames", f"cut-frames/{offset}-{kept}", _padded_multiframe(offset, kept), "cut.dcm")


# --- not files --------------------------------------------------------------------------------
def specials() -> Iterator[Case]:
    """Inputs that are not regular files, or lead to one through links."""
    for kind in SPECIALS:
        yield Case("special", f"special/{kind}", control_bytes(), f"{kind}.dcm", special=kind)


# --- the corpus -------------------------------------------------------------------------------
def corpus(seed: int = 0) -> list[Case]:
    """All cases, in a fixed order; ``seed`` picks the random mutations."""
    rng = random.Random(f"bridge-hostile-{seed}")
    families: list[Callable[[], Iterator[Case]]] = [
        lambda: bit_flips(rng, 8), lambda: overwrites(rng, 6), lambda: truncations(rng, 8),
        lambda: absurd_lengths(rng, 10), lambda: wrong_vrs(rng, 3), transfer_syntaxes,
        lambda: absurd_images(rng, 40), deep_nesting, lambda: not_dicom(rng), polyglots, other_formats, zips,
        specials, meta_lengths_in_zips, maximal_dimensions, high_ratio_zips, cut_multiframes]
    cases = [case for family in families for case in family()]
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases


def materialize(case: Case, folder: Path) -> Path:
    """Create ``case`` inside ``folder`` (which it owns alone) and return the path to open."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / case.filename
    target = folder / "target"
    if case.special is None:
        path.write_bytes(case.data)
    elif case.special == "fifo":
        os.mkfifo(path)
    elif case.special == "dev-zero":
        return Path("/dev/zero")
    elif case.special == "link-dev-zero":
        path.symlink_to("/dev/zero")
    elif case.special == "link-fifo":
        os.mkfifo(target)
        path.symlink_to(target)
    elif case.special == "dangling-link":
        path.symlink_to(folder / "nowhere.dcm")
    elif case.special == "link-loop":
        path.symlink_to(path)
    elif case.special == "directory":
        path.mkdir()
    elif case.special == "link-directory":
        target.mkdir()
        path.symlink_to(target)
    elif case.special == "link-good":
        target.write_bytes(case.data)
        path.symlink_to(target)
    elif case.special == "unreadable":
        path.write_bytes(case.data)
        path.chmod(0)
    else:
        raise ValueError(f"unknown special case {case.special!r}")
    return path
