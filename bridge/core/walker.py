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

The rules depend only on an element's header bytes and five flags of the
walk, so they run once per distinct (header, flags) and are kept as a
:class:`Plan` (:func:`decide`); the walk itself (:meth:`Walk.records`) looks
plans up and does the bookkeeping.  It yields ``(plan, value, location)``
records -- :meth:`Walk.elements` gives them as :class:`Element` tuples --
which ``header.py`` turns into text and ``decoder.py`` into a ``FileInfo``.
Failures are ``bridge.errors`` exceptions whose ``imagej_message`` is what
ImageJ reports.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import NamedTuple

from ..errors import (CorruptHeaderError, DicomReadError, NotDicomError, TruncatedError,
                       UnsupportedTransferSyntaxError)
from .charset import java_string
from .limits import Nesting
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
KEY = struct.Struct("<Q")          # the same 8 bytes as one number: the key of the plan tables
INT_LE, INT_BE = struct.Struct("<i"), struct.Struct(">i")


class ImageJThrewError(CorruptHeaderError):
    """ImageJ itself throws here (a Java runtime exception escapes ``getInfo`` and ``openImage``).

    ImageJ shows no message for it, so ``imagej_message`` stays None unless a
    caller that catches it (``Opener.openZip``) shows one.
    """

    def __init__(self, reason: str, path: str | None, java_class: str = "", java_message: str = "",
                 **kw: str | None) -> None:
        kw.setdefault("thrown", f"{java_class}: {java_message}")
        super().__init__(reason, path, **kw)


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


# -- plans: ImageJ's decisions for one element header in one walker state ------------

# The walker's state: the flags that change what an element header means.  ODD is ImageJ's
# "some element sat at an odd offset" (it ends the length-13 hack); ODD_NEXT says the next
# element is the first at an odd offset: it is decided without ODD, which holds from then on.
LITTLE, BIG_SYNTAX, IN_SEQUENCE, ACQUISITION, ODD, ODD_NEXT = 1, 2, 4, 8, 16, 32
STATES = 64

# What the walk does with a planned element (``Plan.action``).
PLAIN = 0       # read ``n`` value bytes, one record
PASSES = 1      # read nothing (a skip, a sequence), one record
LONG = 2        # explicit VR with a 4-byte length: the plan depends on that length
SWITCH = 3      # group 0x0800 once the syntax said big endian: switch, then read the header again
EFFECTS = 4     # PLAIN or PASSES with side effects, listed in ``Plan.effects``
UNLISTED = 5    # an item, a delimiter (or an empty RAK pixel data): only the containers change

# Side effects, applied in this order (``Plan.effects``).
OPENS = 1       # undefined length: the sequence flag rises and a container opens
STOP = 2        # non-empty pixel data: the last record
FAIL = 4        # ImageJ throws NegativeArraySizeException
DELIMITS = 8    # an item or sequence delimiter: the flag falls, a container closes
ITEM_OPENS = 16  # an item of defined length
NO_RECORD = 32  # items, delimiters, an empty RAK pixel data: nothing listed
ACQ_ON = 64     # Acquisition Context Sequence: interpret inside sequences from here on
ACQ_OFF = 128   # View Code Sequence: stop that
WALKS_INTO = 256  # a sequence of defined length, walked into
SYNTAX = 512    # the transfer syntax: compressed (stop) or big endian (switch later)
ODD_NOW = 1024  # the first element at an odd offset: ODD holds from here on
PARITY = 2048   # an odd number of bytes consumed before ODD holds: the next offset may be odd


_NO_LENGTHS: dict[int, "Plan"] = {}     # shared by every plan that is not LONG (never written)


class Plan:
    """Everything ImageJ decides about one element from its header bytes and the walk's state.

    ImageJ's rules look only at the 8 header bytes (tag, VR guess, length),
    the 4-byte length of a long VR, and five flags of the walk (byte order,
    big-endian syntax, inside a sequence, acquisition context, odd offsets
    seen).  So a decision made once holds for every element with the same
    bytes in the same state: the walker keeps plans in one table per state
    (:func:`plan_tables`) and the hot loop is a dictionary lookup.  Headers
    repeat a lot, within a file (sequence items) and across files (the same
    tags with the same lengths).  ``line`` is a slot for the header text's
    own per-plan memo (:mod:`header`).
    """

    __slots__ = ("action", "size", "n", "step", "advance", "drift", "effects", "tag", "vr", "length", "little",
                 "marked", "special", "interpreted", "image_tag", "name", "shift", "fail_length",
                 "by_length", "line", "text_start")

    def __init__(self, action: int, size: int, tag: int, vr: str, length: int, little: bool,
                 name: str | None) -> None:
        self.action = action
        self.size = size                # header bytes: 8, or 12 for a long explicit VR
        self.n = -1                     # value bytes read, -1 for none (then the record's value is None)
        self.step = -1                  # size + n when a value is read: how far the walk moves
        self.advance = 0                # bytes skipped after the header when nothing is read
        self.drift = 0                  # what a skip of length <= 0 does to ImageJ's offset counter
        self.effects = 0
        self.tag = tag
        self.vr = vr
        self.length = length
        self.little = little
        self.marked = False
        self.special = False
        self.interpreted = False
        self.image_tag = False          # interpreted and one of the tags the decoder uses
        self.name = name                # the dictionary's name, None for tags it lacks
        self.shift = 0                  # RAK pixel data: its offset is 4 bytes on
        self.fail_length = 0            # the length ImageJ's exception names
        self.by_length: dict[int, Plan] = {} if action == LONG else _NO_LENGTHS   # LONG: plans by length
        self.line: tuple[int, bytes, dict[bytes, bytes]] | None = None
        self.text_start: bytes | None = None    # the line start when the line is start + value + LF

    def record(self, value: bytes | None, location: int) -> Element:
        return Element(self.tag, self.vr, self.length, value, location, self.little, self.marked,
                       self.special, self.interpreted)


#: The table lookup's default: a header not decided yet in this state (its action is not PLAIN).
UNDECIDED = Plan(EFFECTS, 0, 0, IMPLICIT, 0, True, None)

#: What the walk yields: the element's plan, the value bytes read (or None) and ImageJ's offset.
Record = tuple[Plan, bytes | None, int]

#: How many plans the process keeps before it starts afresh: real headers need a few thousand,
#: hostile ones make endless new headers (a plan and its memo take about half a kilobyte).
PLAN_LIMIT = 1 << 16
_tables: dict[int, tuple[dict[int, tuple[str, str]], list[dict[int, Plan]]]] = {}
_plans_made = 0
#: How many times the plans were forgotten: a cache of plans outside the tables (the C walk's)
#: starts afresh when this changes.
generation = 0


def plan_tables(dictionary: dict[int, tuple[str, str]]) -> list[dict[int, Plan]]:
    """The plan tables for walks with ``dictionary`` (which types implicit VRs), one per state."""
    known = _tables.get(id(dictionary))
    if known is None or known[0] is not dictionary:
        known = _tables[id(dictionary)] = (dictionary, [{} for _ in range(STATES)])
    return known[1]


def forget_plans() -> None:
    """Drop every plan (at the limit; benchmarks measure a process meeting its files first)."""
    global _plans_made, generation
    generation += 1
    for _, tables in _tables.values():
        for table in tables:
            table.clear()       # in place: a walk under way keeps using its (now empty) tables
    _tables.clear()
    _plans_made = 0


def _remember(table: dict[int, Plan], key: int, plan: Plan) -> Plan:
    global _plans_made
    if _plans_made >= PLAN_LIMIT:
        forget_plans()
    _plans_made += 1
    table[key] = plan
    return plan


def decide(key: int, state: int, dictionary: dict[int, tuple[str, str]]) -> Plan:
    """The plan for the 8 header bytes ``key`` (read as one little-endian number) in ``state``."""
    little = bool(state & LITTLE)
    raw = key.to_bytes(8, "little")
    group, element, code, short_length = (HEAD_LE if little else HEAD_BE).unpack(raw)
    if group == 0x0800 and state & BIG_SYNTAX:
        if little:
            return Plan(SWITCH, 0, 0, IMPLICIT, 0, little, None)
        group = 0x0008
    tag = group << 16 | element
    entry = dictionary.get(tag)
    name = None if entry is None else entry[1]
    explicit = EXPLICIT_BY_ORDER[little].get(code)
    if explicit is None or (explicit[1] and short_length & 0xFF and short_length & 0xFF00):
        # implicit VR (a long VR's two reserved bytes, both non-zero, are no VR either)
        length = (INT_LE if little else INT_BE).unpack_from(raw, 4)[0]
        return plan_element(tag, IMPLICIT if entry is None else entry[0], length, 8, state, name)
    if explicit[1]:
        return Plan(LONG, 12, tag, explicit[0], 0, little, name)
    return plan_element(tag, explicit[0], short_length, 8, state, name)


def decide_long(stub: Plan, length: int, state: int) -> Plan:
    """The plan of a long explicit VR once its 4-byte ``length`` is known (kept in ``stub``)."""
    plan = plan_element(stub.tag, stub.vr, length, 12, state, stub.name)
    return _remember(stub.by_length, length, plan)


def plan_element(tag: int, vr: str, length: int, size: int, state: int, name: str | None) -> Plan:
    """ImageJ's treatment of one element (spec §2): the rules of ``DicomDecoder.getFileInfo``'s loop."""
    plan = Plan(EFFECTS, size, tag, vr, length, bool(state & LITTLE), name)
    in_sequence = bool(state & IN_SEQUENCE)
    if length == 13 and not state & ODD:
        length = 10                     # ImageJ's hack for old GE files
    elif length == -1:
        length = 0
        in_sequence = True
        plan.effects |= OPENS
    plan.length = length
    plan.marked = in_sequence and vr != "SQ"
    plan.interpreted = interpreted = not in_sequence or bool(state & ACQUISITION)
    kind = SPECIAL.get(tag) if interpreted else None
    plan.image_tag = kind is not None
    if kind is not None and _plan_special(plan, kind):
        return _settle(plan, state)
    if tag >= ITEM and tag in ITEM_TAGS:
        plan.effects |= NO_RECORD | (ITEM_OPENS if tag == ITEM and length > 0 else 0)
        if tag != ITEM:                 # any delimiter ends "the" sequence
            plan.effects |= DELIMITS
        return _settle(plan, state)
    _plan_listed(plan, READ_RULES.get(vr, SKIP))
    return _settle(plan, state)


def _settle(plan: Plan, state: int) -> Plan:
    """The last touches: the parity bookkeeping, the step, and PLAIN when no effect is left.

    Headers are 8 or 12 bytes and the walk starts at an even offset, so an
    element's offset can only turn odd after an element that consumed an odd
    number of bytes (value, skip or counter drift): only those check it.
    """
    if state & ODD_NEXT:
        plan.effects |= ODD_NOW
    elif not state & ODD and not plan.effects & (STOP | FAIL | NO_RECORD):
        consumed = plan.n if plan.n >= 0 else plan.advance + plan.drift
        if consumed & 1:
            plan.effects |= PARITY
    if plan.n >= 0:
        plan.step = plan.size + plan.n
    if not plan.effects:
        plan.action = PLAIN if plan.n >= 0 else PASSES
    elif plan.effects & NO_RECORD and not plan.effects & ~(NO_RECORD | DELIMITS | ITEM_OPENS):
        plan.action = UNLISTED
    return plan


def _plan_special(plan: Plan, kind: int) -> bool:
    """The image-tag switch; False when the element is listed like any other (empty pixel data)."""
    length = plan.length
    if kind >= PIXELS:
        if length != 0:
            plan.effects |= STOP
            plan.special = True
            plan.shift = 4 if kind == RAK else 0
            return True
        if kind == RAK:
            plan.effects |= NO_RECORD
            return True
        return False
    plan.special = True
    if kind == SHORT:
        plan.n = 2
    elif length < 0:                    # a LUT of odd length is read as text, else as byte[length/2]
        plan.effects |= FAIL
        plan.fail_length = length if kind == TEXT or length & 1 else length // 2
    else:
        plan.n = length
    if plan.tag == TRANSFER_SYNTAX_UID:
        plan.effects |= SYNTAX
    return True


def _plan_listed(plan: Plan, rule: int) -> None:
    """Listed only: how many bytes are read depends on how the VR is shown."""
    tag, length = plan.tag, plan.length
    if rule >= SEQUENCE:
        skip = True
        if rule == SEQUENCE:
            if tag == ACQUISITION_CONTEXT_SEQUENCE:
                plan.effects |= ACQ_ON
            elif tag == VIEW_CODE_SEQUENCE:
                plan.effects |= ACQ_OFF
            skip = tag == ICON_IMAGE_SEQUENCE or bool(tag >> 16 & 1)
        if skip:
            if length > 0:
                plan.advance = length   # may pass the end: noticed at the next read
            else:
                plan.drift = length     # ImageJ's counter moves back, the file does not
        elif length > 0:
            plan.effects |= WALKS_INTO
    elif rule == WORDS:
        width = 2 if plan.vr[1] == "S" else 4
        plan.n = width if length == width else (length // width) * width if length > 0 else 0
    elif length >= 0:
        plan.n = length
    elif rule == READ_TEXT:             # Java's byte[length] fails first
        plan.effects |= FAIL
        plan.fail_length = length
    else:
        plan.n = 0


class Walk:
    """One walk: iterate it for the elements; ``dicm_found`` tells how the file began."""

    def __init__(self, src: ByteSource, name: str, dictionary: dict[int, tuple[str, str]],
                 max_depth: int | None = None) -> None:
        self.src = src
        self.name = name
        self.dictionary = dictionary
        self.pos = 0                    # next byte to read (synchronised on slow reads only)
        self.dicm_found = False
        self.at_element_start = False   # an end of data here is a clean one
        # hostile input: sequences nested past max_depth (the setting's, unless given) are refused
        self.nesting = Nesting(name, max_depth)

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
        src = self.src
        if src.size < 132:
            raise NotDicomError(f"only {src.size} bytes", self.name, imagej_message=NO_DICM)
        head = src.buf[:132] if src.base == 0 and len(src.buf) >= 132 else self.read(132)
        self.pos = 132
        if head[128:132] == b"DICM":
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
        return (plan.record(value, location) for plan, value, location in self.records())

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

    def plan_for(self, table: dict[int, Plan], key: int, state: int) -> Plan:
        """The plan of header ``key`` not yet in ``state``'s ``table``: decided, and kept there."""
        return _remember(table, key, decide(key, state, self.dictionary))

    def records(self) -> Iterator[Record]:
        """The walk itself: ``(plan, value, location)`` for every element ImageJ lists or uses.

        Each element's header bytes are looked up in the plan table of the
        current state (:class:`Plan`); only a header never seen in that state
        runs the rules (:func:`decide`).  What remains per element is the
        bookkeeping no plan can hold: the position, ImageJ's offset counter,
        the value bytes, and the side effects some plans name.

        Speed matters most here, so positions are kept as ``off``, an index
        into the window ``buf`` (file bytes from ``base``), and the common
        case -- a plain element whose value is in the window -- comes first
        and does nothing else.  The general path below handles the rest:
        window moves (:meth:`_move_window`), long VRs, skips and effects.
        """
        self.preamble()
        src, nesting = self.src, self.nesting
        tables = plan_tables(self.dictionary)
        state = LITTLE
        table = tables[state]
        lookup = table.get
        key_at, ints = KEY.unpack_from, INT_LE.unpack_from
        buf, base = src.buf, src.base    # the window: file bytes [base, base + limit)
        limit = len(buf)
        off = self.pos - base           # the next header in the window (never negative: it only moves on)
        drift = 0                       # ImageJ's offset counter minus the file position
        shift = base + drift            # window index + shift = ImageJ's offset
        value: bytes | None
        while True:
            try:
                plan = lookup(key_at(buf, off)[0], UNDECIDED)
            except struct.error:        # the window ends inside this header
                buf, base = self._move_window(base + off, 8, element_start=True)
                limit, off, shift = len(buf), 0, base + drift
                plan = lookup(key_at(buf, off)[0], UNDECIDED)
            if not plan.action:
                end = off + plan.step
                if end <= limit:        # the common case: a plain element, its value at hand
                    start = off + plan.size
                    yield plan, buf[start:end], start + shift
                    off = end
                    continue
            elif plan.action == UNLISTED:   # the next most common: sequence items and their delimiters
                start = base + off + plan.size
                if plan.effects & DELIMITS:
                    state &= ~IN_SEQUENCE
                    table = tables[state]
                    lookup = table.get
                    nesting.leave(start)
                elif plan.effects & ITEM_OPENS:
                    nesting.enter(start, start + plan.length, True)
                off += plan.size
                continue
            elif plan is UNDECIDED:
                plan = self.plan_for(table, key_at(buf, off)[0], state)
            pos = base + off
            action = plan.action
            if action == LONG:
                if off + 12 > limit:
                    buf, base = self._move_window(pos + 8, 4)
                    limit, off, shift = len(buf), pos - base, base + drift
                length = ints(buf, off + 8)[0]
                plan = plan.by_length.get(length) or decide_long(plan, length, state)
                action = plan.action
            elif action == SWITCH:
                state &= ~LITTLE
                table = tables[state]
                lookup, ints = table.get, INT_BE.unpack_from
                continue
            size = plan.size
            location = pos + size + drift
            if action >= EFFECTS:       # (UNLISTED too, met here first), in the order ImageJ's loop meets them
                effects = plan.effects
                start = pos + size
                if effects & ODD_NOW:
                    state = state & ~ODD_NEXT | ODD
                    table = tables[state]
                    lookup = table.get
                if effects & OPENS:
                    state |= IN_SEQUENCE
                    table = tables[state]
                    lookup = table.get
                    nesting.enter(start, None, plan.tag == ITEM)
                if effects & STOP:
                    yield plan, None, location + plan.shift
                    return
                if effects & FAIL:
                    raise self._negative_array(plan.fail_length, start)
                if effects & NO_RECORD:
                    if effects & DELIMITS:
                        state &= ~IN_SEQUENCE
                        table = tables[state]
                        lookup = table.get
                        nesting.leave(start)
                    elif effects & ITEM_OPENS:
                        nesting.enter(start, start + plan.length, True)
                    off += size
                    continue
                if effects & (ACQ_ON | ACQ_OFF):
                    state = state | ACQUISITION if effects & ACQ_ON else state & ~ACQUISITION
                    table = tables[state]
                    lookup = table.get
                if effects & WALKS_INTO:
                    nesting.enter(start, start + plan.length)
            step = plan.step
            if step >= 0:               # header and value: the value is read
                end = off + step
                if end > limit:
                    buf, base = self._move_window(pos + size, plan.n)
                    limit, off, shift = len(buf), pos - base, base + drift
                    end = off + step
                value = buf[off + size:end]
                off = end
            else:
                value = None
                off += size + plan.advance      # may pass the window's end: noticed at the next header
                drift += plan.drift
                shift = base + drift
            yield plan, value, location
            if action == EFFECTS:
                effects = plan.effects
                if effects & SYNTAX:
                    assert value is not None
                    if b"1.2.4" in value or b"1.2.5" in value:
                        raise self._compressed(value)
                    if BIG_ENDIAN_UID in value:
                        state |= BIG_SYNTAX
                if effects & PARITY and (base + off + drift) & 1:
                    state |= ODD_NEXT   # the next element sits at the first odd offset
                table = tables[state]
                lookup = table.get

    def _compressed(self, value: bytes) -> DicomReadError:
        text = java_string(value)
        return UnsupportedTransferSyntaxError(
            f"compressed transfer syntax {text.strip(' ' + chr(0))!r} (ImageJ reads only uncompressed data)",
            self.name, uid=text.strip(" \0"),
            imagej_message="java.io.IOException\n \nImageJ cannot open compressed DICOM images.\n \n"
                           f"Transfer Syntax UID = {text}")

