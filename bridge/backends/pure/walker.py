"""One pass over a DICOM file exactly as ImageJ 1.53t's ``DicomDecoder`` walks it.

ImageJ does not parse DICOM; it guesses.  Every rule below is one of its
guesses, and each changes which bytes are read next, so they all live here
together (spec: ``imagej-dicom-behavior.md`` §2):

* preamble: ``DICM`` at 128, else an ACR-NEMA-looking start read from 0;
* the VR is guessed from the two bytes after the tag, never from the
  transfer syntax; unknown codes mean implicit VR, typed from ImageJ's
  dictionary (``"--"`` when the tag is not in it);
* big endian starts at the first group that reads ``0x0800`` once the
  transfer syntax named it;
* a length of 13 becomes 10 until some element sat at an odd offset;
  an undefined length becomes 0 and raises the "in a sequence" flag, which
  *any* delimiter lowers;
* inside that flag ImageJ only lists elements, except between Acquisition
  Context Sequence and View Code Sequence;
* how many bytes an element consumes depends on how ImageJ formats it
  (``US`` of odd length leaves a byte, ``Rows`` always reads two, items and
  delimiters read none, skipped blobs may run past the end of the file);
* a compressed transfer syntax (``1.2.4``/``1.2.5`` anywhere in the UID)
  stops the walk, so does the first top-level non-empty pixel data.

The walker yields :class:`Element` records; ``header.py`` turns them into
text and ``decoder.py`` into a ``FileInfo``.  Failures are ``bridge.errors``
exceptions whose ``imagej_message`` is what ImageJ reports.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import NamedTuple

from ...errors import (CorruptHeaderError, DicomReadError, NotDicomError, TruncatedError,
                       UnsupportedTransferSyntaxError)
from ...guards import Nesting
from .charset import java_string
from .source import ByteSource

# Tags ImageJ treats specially.
TRANSFER_SYNTAX_UID = 0x00020010
MODALITY = 0x00080060
SLICE_THICKNESS = 0x00180050
SLICE_SPACING = 0x00180088
IMAGER_PIXEL_SPACING = 0x00181164
SAMPLES_PER_PIXEL = 0x00280002
PHOTOMETRIC_INTERPRETATION = 0x00280004
PLANAR_CONFIGURATION = 0x00280006
NUMBER_OF_FRAMES = 0x00280008
ROWS = 0x00280010
COLUMNS = 0x00280011
PIXEL_SPACING = 0x00280030
BITS_ALLOCATED = 0x00280100
PIXEL_REPRESENTATION = 0x00280103
WINDOW_CENTER = 0x00281050
WINDOW_WIDTH = 0x00281051
RESCALE_INTERCEPT = 0x00281052
RESCALE_SLOPE = 0x00281053
RED_PALETTE = 0x00281201
GREEN_PALETTE = 0x00281202
BLUE_PALETTE = 0x00281203
ACQUISITION_CONTEXT_SEQUENCE = 0x00400555
VIEW_CODE_SEQUENCE = 0x00540220
ICON_IMAGE_SEQUENCE = 0x00880200
ITEM = 0xFFFEE000
ITEM_DELIMITATION = 0xFFFEE00D
SEQUENCE_DELIMITATION = 0xFFFEE0DD
FLOAT_PIXEL_DATA = 0x7FE00008
PIXEL_DATA = 0x7FE00010
RAK_PIXEL_DATA = 0x7F880010          # ImageJ's "What is this? - RAK": ends the walk silently

# How a specially treated tag is read (when ImageJ interprets it).
TEXT, SHORT, LUT, PIXELS, RAK = range(5)
SPECIAL = {
    TRANSFER_SYNTAX_UID: TEXT, MODALITY: TEXT, NUMBER_OF_FRAMES: TEXT,
    PHOTOMETRIC_INTERPRETATION: TEXT, PIXEL_SPACING: TEXT, IMAGER_PIXEL_SPACING: TEXT,
    SLICE_THICKNESS: TEXT, SLICE_SPACING: TEXT, WINDOW_CENTER: TEXT, WINDOW_WIDTH: TEXT,
    RESCALE_INTERCEPT: TEXT, RESCALE_SLOPE: TEXT,
    SAMPLES_PER_PIXEL: SHORT, PLANAR_CONFIGURATION: SHORT, ROWS: SHORT, COLUMNS: SHORT,
    BITS_ALLOCATED: SHORT, PIXEL_REPRESENTATION: SHORT,
    RED_PALETTE: LUT, GREEN_PALETTE: LUT, BLUE_PALETTE: LUT,
    PIXEL_DATA: PIXELS, FLOAT_PIXEL_DATA: PIXELS, RAK_PIXEL_DATA: RAK,
}

ITEM_TAGS = frozenset({ITEM, ITEM_DELIMITATION, SEQUENCE_DELIMITATION})

IMPLICIT = "--"
# VR codes followed by a 4-byte length (if one of the next two bytes is 0) / a 2-byte length.
LONG_VRS = frozenset(b"OB OW SQ UN UT OF OL OD UC UR OV SV UV".split())
SHORT_VRS = frozenset(b"AE AS AT CS DA DS DT FD FL IS LO LT PN SH SL SS ST TM UI UL US ??".split())
#: explicit VR code -> (its text, whether a 4-byte length follows)
EXPLICIT = {code: (code.decode("latin-1"), code in LONG_VRS) for code in LONG_VRS | SHORT_VRS}
#: the same keyed by the code's two bytes read as one number in each byte order (the loop
#: unpacks the whole tag header as four 16-bit numbers: no 2-byte bytes object per element)
EXPLICIT_BY_ORDER = {little: {int.from_bytes(code, "little" if little else "big"): entry
                              for code, entry in EXPLICIT.items()} for little in (True, False)}
TEXT_VRS = frozenset("AE AS AT CS DA DS DT IS LO LT PN SH ST TM UI".split())

# What ImageJ reads of a listed element, by VR: text (whole value), numbers (whole
# words only), FD/FL (the whole value, shown only at length 8/4), nothing (SQ: unless
# skipped as a blob) or a skip over the value (every other VR, incl. UT and "OX").
READ_TEXT, WORDS, FLOATS, SEQUENCE, SKIP = range(5)
READ_RULES = {**{vr: READ_TEXT for vr in TEXT_VRS | {"UN", IMPLICIT}},
              "US": WORDS, "SS": WORDS, "UL": WORDS, "SL": WORDS,
              "FD": FLOATS, "FL": FLOATS, "SQ": SEQUENCE}

BIG_ENDIAN_UID = b"1.2.840.10008.1.2.2"
HEAD_LE, HEAD_BE = struct.Struct("<HHHH"), struct.Struct(">HHHH")   # group, element, VR code, short length
INT_LE, INT_BE = struct.Struct("<i"), struct.Struct(">i")


class ImageJThrewError(CorruptHeaderError):
    """ImageJ itself throws here (a Java runtime exception escapes ``getInfo`` and ``openImage``)."""

    def __init__(self, reason: str, path: str | None, java_class: str, java_message: str) -> None:
        self.java_class = java_class
        self.java_message = java_message
        super().__init__(reason, path, imagej_message=f"{java_class}: {java_message}")


NOT_DICOM = "java.io.IOException\n \nThis is not a DICOM or ACR/NEMA file"
NO_DICM = ("This does not appear to be a valid\nDICOM file. It does not have the\n"
           "characters 'DICM' at offset 128.")
UNDECODABLE = "Unable to decode DICOM header."


class Element(NamedTuple):
    """One element as ImageJ sees it.

    ``value`` holds the bytes ImageJ reads to show or use the element
    (``None`` when it reads none: sequences, skipped blobs, items).
    ``interpreted`` means it went through ImageJ's image-tag switch (outside
    sequences, or in acquisition context); ``special`` that the switch
    handled it, so its text follows the special rules (§3.3) -- an empty
    Pixel Data is interpreted but not special.  ``marked`` is the ``>``
    rule (inside a sequence and not an SQ).
    """

    tag: int
    vr: str
    length: int
    value: bytes | None
    location: int
    little_endian: bool
    marked: bool
    special: bool
    interpreted: bool


#: An :class:`Element` as the bare tuple the walker's hot loop makes (same field order).
Record = tuple[int, str, int, bytes | None, int, bool, bool, bool, bool]


class Walk:
    """One walk: iterate it for the elements; ``dicm_found`` tells how the file began."""

    def __init__(self, src: ByteSource, name: str, dictionary: dict[int, tuple[str, str]]) -> None:
        self.src = src
        self.name = name
        self.dictionary = dictionary
        self.pos = 0                    # next byte to read (synchronised on slow reads only)
        self.dicm_found = False
        self.at_element_start = False   # an end of data here is a clean one
        self.nesting = Nesting(name)    # hostile input: sequences nested past max_depth are refused

    # -- reading -------------------------------------------------------
    def read(self, n: int) -> bytes:
        """The next ``n`` bytes, or end of data (ImageJ: "unexpected EOF")."""
        pos, src = self.pos, self.src
        if pos + n > src.size:
            raise self._eof(pos)
        start = pos - src.base
        if start < 0 or start + n > len(src.buf):
            buf, start = src.window(pos, n)
            if start + n > len(buf):
                raise self._eof(pos)
        self.pos = pos + n
        return src.buf[start:start + n]

    # -- failures ------------------------------------------------------
    def _eof(self, pos: int) -> DicomReadError:
        clean = pos == self.src.size and self.at_element_start
        if not self.dicm_found:
            kind = NotDicomError if clean else TruncatedError
            return kind(f"end of data at byte {pos} without a 'DICM' preamble", self.name,
                        imagej_message=NO_DICM)
        if clean:
            return CorruptHeaderError(f"no pixel data before the end of the file (byte {pos})",
                                      self.name, imagej_message=UNDECODABLE)
        return TruncatedError(f"the header is cut off at byte {self.src.size}", self.name,
                              imagej_message=UNDECODABLE)

    def _negative_array(self, length: int, pos: int) -> DicomReadError:
        return ImageJThrewError(f"element length {length} before byte {pos} is negative "
                                "(ImageJ throws NegativeArraySizeException)", self.name,
                                "java.lang.NegativeArraySizeException", str(length))

    # -- the walk ------------------------------------------------------
    def preamble(self) -> None:
        if self.src.size < 132:
            raise NotDicomError(f"only {self.src.size} bytes", self.name, imagej_message=NO_DICM)
        head = self.read(128)
        magic = self.read(4)
        if magic == b"DICM":
            self.dicm_found = True
            return
        if not (head[0] in (2, 8) and head[1] == 0 and head[3] == 0):
            raise NotDicomError("neither 'DICM' at byte 128 nor an ACR-NEMA start", self.name,
                                imagej_message=NOT_DICOM)
        self.pos = 0

    def __iter__(self) -> Iterator[Element]:
        return self.elements()

    def elements(self) -> Iterator[Element]:
        """The walk as :class:`Element` records."""
        return map(Element._make, self.records())

    def _move_window(self, pos: int, n: int, element_start: bool = False) -> tuple[bytes, int]:
        """Make the window hold bytes ``[pos, pos + n)`` (or raise at the end of data); the new window.

        The slow path of the loop's inline reads, which index the window
        directly; ``element_start`` says an end of data here is a clean one.
        """
        self.pos = pos
        self.at_element_start = element_start
        self.read(n)
        self.at_element_start = False
        return self.src.buf, self.src.base

    def records(self) -> Iterator[Record]:
        """The walk itself, as plain tuples in :class:`Element`'s field order.

        One loop, because every rule changes what is read next.  Speed
        matters here (every header feature runs this loop once per element),
        so reads index the source's window in place and only call
        :meth:`_move_window` when it does not cover them; the tag header is
        unpacked as four 16-bit numbers, the VR code being one of them; and
        the records are bare tuples (a named tuple costs three times more to
        make), which the hot consumers unpack by position.
        """
        self.preamble()
        src, name_entry = self.src, self.dictionary.get
        special_get, rule_get = SPECIAL.get, READ_RULES.get
        heads, ints, explicit_get = HEAD_LE.unpack_from, INT_LE.unpack_from, EXPLICIT_BY_ORDER[True].get
        pos, drift = self.pos, 0
        buf, base = src.buf, src.base    # the window: file bytes [base, base + limit)
        limit = len(buf)
        little = True
        big_endian_syntax = False
        in_sequence = False
        acquisition = False
        odd_locations = False
        nesting = self.nesting
        value: bytes | None
        while True:
            # Tag, VR guess and length.
            off = pos - base
            if off < 0 or off + 8 > limit:
                buf, base = self._move_window(pos, 8, element_start=True)
                limit = len(buf)
                off = pos - base
            group, element, code, short_length = heads(buf, off)
            pos += 8
            if group == 0x0800 and big_endian_syntax:
                if little:
                    little = False
                    heads, ints, explicit_get = HEAD_BE.unpack_from, INT_BE.unpack_from, EXPLICIT_BY_ORDER[False].get
                    _, element, code, short_length = heads(buf, off)
                group = 0x0008
            tag = group << 16 | element
            explicit = explicit_get(code)
            if explicit is None or (explicit[1] and short_length & 0xFF and short_length & 0xFF00):
                vr = IMPLICIT          # (a long VR's two reserved bytes, both non-zero: not a VR)
                length = ints(buf, off + 4)[0]
                entry = name_entry(tag)
                if entry is not None:
                    vr = entry[0]
            elif explicit[1]:
                vr = explicit[0]
                off = pos - base
                if off < 0 or off + 4 > limit:
                    buf, base = self._move_window(pos, 4)
                    limit = len(buf)
                    off = pos - base
                pos += 4
                length = ints(buf, off)[0]
            else:
                vr = explicit[0]
                length = short_length
            if length == 13 and not odd_locations:
                length = 10             # ImageJ's hack for old GE files
            elif length == -1:
                length = 0
                in_sequence = True
                nesting.enter(pos, None, tag == ITEM)
            location = pos + drift
            if location & 1:
                odd_locations = True

            # The image-tag switch (outside sequences, or in acquisition context).
            interpreted = not in_sequence or acquisition
            kind = special_get(tag) if interpreted else None
            if kind is not None:
                if kind >= PIXELS:
                    if length != 0:
                        if kind == RAK:
                            location += 4
                        yield (tag, vr, length, None, location, little,
                                            in_sequence and vr != "SQ", True, True)
                        return
                    if kind == RAK:
                        continue
                    # empty pixel data: listed like any element, below
                else:
                    if kind == SHORT:
                        n = 2
                    elif length < 0:    # a LUT of odd length is read as text, else as byte[length/2]
                        raise self._negative_array(length if kind == TEXT or length & 1 else length // 2, pos)
                    else:
                        n = length
                    off = pos - base
                    if off < 0 or off + n > limit:
                        buf, base = self._move_window(pos, n)
                        limit = len(buf)
                        off = pos - base
                    value = buf[off:off + n]
                    pos += n
                    yield (tag, vr, length, value, location, little,
                                        in_sequence and vr != "SQ", True, True)
                    if tag == TRANSFER_SYNTAX_UID:
                        if b"1.2.4" in value or b"1.2.5" in value:
                            raise self._compressed(value)
                        if BIG_ENDIAN_UID in value:
                            big_endian_syntax = True
                    continue

            # Listed only: how many bytes are read depends on how the VR is shown.
            if tag >= ITEM and tag in ITEM_TAGS:
                if tag != ITEM:         # any delimiter ends "the" sequence
                    in_sequence = False
                    nesting.leave(pos)
                elif length > 0:
                    nesting.enter(pos, pos + length, True)
                continue
            rule = rule_get(vr, SKIP)
            if rule >= SEQUENCE:
                skip = True
                if rule == SEQUENCE:
                    if tag == ACQUISITION_CONTEXT_SEQUENCE:
                        acquisition = True
                    elif tag == VIEW_CODE_SEQUENCE:
                        acquisition = False
                    skip = tag == ICON_IMAGE_SEQUENCE or group & 1
                if skip:
                    if length > 0:
                        pos += length   # may pass the end: noticed at the next read
                    else:
                        drift += length     # ImageJ's counter moves back, the file does not
                elif length > 0:        # a sequence of defined length, walked into
                    nesting.enter(pos, pos + length)
                value = None
            else:
                if rule == WORDS:
                    width = 2 if vr[1] == "S" else 4
                    n = width if length == width else (length // width) * width if length > 0 else 0
                elif length >= 0:
                    n = length
                elif rule == READ_TEXT:  # Java's byte[length] fails first
                    raise self._negative_array(length, pos)
                else:
                    n = 0
                off = pos - base
                if off < 0 or off + n > limit:
                    buf, base = self._move_window(pos, n)
                    limit = len(buf)
                    off = pos - base
                value = buf[off:off + n]
                pos += n
            yield (tag, vr, length, value, location, little,
                                in_sequence and vr != "SQ", False, interpreted)

    def _compressed(self, value: bytes) -> DicomReadError:
        text = java_string(value)
        return UnsupportedTransferSyntaxError(
            f"compressed transfer syntax {text.strip(' ' + chr(0))!r} (ImageJ reads only uncompressed data)",
            self.name, uid=text.strip(" \0"),
            imagej_message="java.io.IOException\n \nImageJ cannot open compressed DICOM images.\n \n"
                           f"Transfer Syntax UID = {text}")


def walk(src: ByteSource, name: str, dictionary: dict[int, tuple[str, str]]) -> Iterator[Element]:
    """Yield the elements of ``src`` in ImageJ's reading order.

    Ends normally after the element that stops ImageJ (pixel data); raises a
    :class:`bridge.errors.DicomReadError` where ImageJ fails, after yielding
    everything ImageJ had read by then (its partial header text).
    """
    return Walk(src, name, dictionary).elements()
