"""ImageJ's walk: preamble, VR guess, length hacks, sequence flag, stops and failures."""

from __future__ import annotations

import struct

import pytest

from bridge.errors import (CorruptHeaderError, NotDicomError, TruncatedError,
                           UnsupportedTransferSyntaxError)
from bridge.core import dictionary
from bridge.core.source import CHUNK, ByteSource
from bridge.core.walker import ImageJThrewError, Walk

from .dicom_bytes import BE, EXPLICIT_BE, IMPLICIT, LE, dicom, element, implicit

PIXELS = element(0x7FE00010, "OW", b"\0" * 8)


def walk(data: bytes) -> list:
    return list(Walk(ByteSource(data), "test.dcm", dictionary.table()))


def walk_until_error(data: bytes) -> tuple[list, Exception]:
    seen = []
    with pytest.raises(Exception) as info:
        for el in Walk(ByteSource(data), "test.dcm", dictionary.table()):
            seen.append(el)
    return seen, info.value


def tags(elements: list) -> list[int]:
    return [el.tag for el in elements]


def test_preamble_dicm_and_acr_nema_start():
    with_meta = walk(dicom(element(0x00080060, "CS", b"CT") + PIXELS))
    assert tags(with_meta)[-2:] == [0x00080060, 0x7FE00010]
    body = element(0x00080060, "CS", b"CT") + element(0x00282000, "OB", bytes(200)) + PIXELS
    bare = walk(body)                                             # starts 08 00 .. 00: accepted
    assert tags(bare) == [0x00080060, 0x00282000, 0x7FE00010]
    assert bare[-1].location == len(body) - 8                     # offsets count from 0


def test_not_dicom_and_too_short():
    _, err = walk_until_error(b"\x01\x02" * 100)
    assert isinstance(err, NotDicomError)
    assert err.imagej_message == "java.io.IOException\n \nThis is not a DICOM or ACR/NEMA file"
    assert "test.dcm" in str(err)
    _, err = walk_until_error(b"\x08\x00\x00\x00")
    assert isinstance(err, NotDicomError) and "does not appear to be a valid" in err.imagej_message


def test_vr_is_guessed_per_element_not_from_the_syntax():
    body = element(0x00100010, "PN", b"A^B ") + implicit(0x00200013, b"7 ") + PIXELS
    els = walk(dicom(body))
    assert [el.vr for el in els[-3:]] == ["PN", "IS", "OW"]      # IS from ImageJ's dictionary
    unknown = walk(dicom(implicit(0x00191001, b"xy") + PIXELS))[-2]
    assert unknown.vr == "--" and unknown.value == b"xy"


def test_length_13_becomes_10_until_an_odd_offset():
    body = element(0x00100010, "PN", b"ABCDEFGHIJKLM") + PIXELS  # 13 bytes: ImageJ reads 10
    seen, err = walk_until_error(dicom(body))
    assert seen[-1].value == b"ABCDEFGHIJ" and isinstance(err, (CorruptHeaderError, TruncatedError))
    odd = element(0x00100010, "PN", b"ABC") + element(0x00100020, "LO", b"ABCDEFGHIJKLM") + PIXELS
    els = walk(dicom(odd))                                        # first value ends odd: no hack
    assert els[-2].value == b"ABCDEFGHIJKLM"


def test_the_first_element_at_an_odd_offset_still_gets_the_hack():
    """ImageJ applies the hack while reading the tag, and notes the odd offset only after it."""
    body = element(0x00100020, "LO", b"ABCDEFGHIJKLM") + PIXELS
    seen, _ = walk_until_error(dicom(body))      # the file meta group ends on an odd offset
    assert seen[-1].tag == 0x00100020 and seen[-1].location & 1
    assert seen[-1].value == b"ABCDEFGHIJ"


def test_undefined_length_marks_until_any_delimiter():
    inner = LE.sequence(0x00081140, [element(0x00081150, "UI", b"1.2 ")], True, True)
    outer = LE.sequence(0x00081115, [inner + element(0x00200011, "IS", b"7 ")], False, False)
    els = walk(dicom(outer + element(0x00200013, "IS", b"1 ") + PIXELS))
    marks = {el.tag: el.marked for el in els}
    assert marks[0x00081140] is False                             # an SQ line is never marked
    assert marks[0x00081150] is True
    assert marks[0x00200011] is False                             # after the inner delimiter
    assert all(el.tag < 0xFFFE0000 for el in els)                 # items never come out


def test_tags_inside_defined_sequences_are_interpreted():
    seq = LE.sequence(0x00081140, [element(0x00280030, "DS", b"2\\3 ")], False, False)
    spacing = [el for el in walk(dicom(seq + PIXELS)) if el.tag == 0x00280030][0]
    assert spacing.special and spacing.interpreted
    seq = LE.sequence(0x00081140, [element(0x00280030, "DS", b"2\\3 ")], True, False)
    spacing = [el for el in walk(dicom(seq + PIXELS)) if el.tag == 0x00280030][0]
    assert not spacing.special and spacing.marked


def test_acquisition_context_switches_interpretation_on_until_view_code():
    acq = LE.sequence(0x00400555, [element(0x00080100, "SH", b"X ")], True, True)
    later = LE.sequence(0x00081140, [element(0x00281050, "DS", b"40")], True, True)
    els = walk(dicom(acq + later + PIXELS))
    window = [el for el in els if el.tag == 0x00281050][0]
    assert window.special and window.marked


def test_big_endian_starts_at_group_0800():
    body = BE.element(0x00080060, "CS", b"MR") + BE.element(0x00280010, "US", struct.pack(">H", 300)) \
        + BE.element(0x7FE00010, "OW", b"\0" * 4)
    els = walk(dicom(body, EXPLICIT_BE))
    rows = [el for el in els if el.tag == 0x00280010][0]
    assert not rows.little_endian and rows.value == b"\x01\x2c"


def test_pixel_data_stops_the_walk_unless_empty():
    body = element(0x7FE00010, "OW", b"") + PIXELS + element(0x7FE10010, "LO", b"after ")
    els = walk(dicom(body))
    assert tags(els)[-2:] == [0x7FE00010, 0x7FE00010]
    assert not els[-2].special and els[-1].special
    assert els[-1].location == len(dicom(body)) - len(element(0x7FE10010, "LO", b"after ")) - 8


def test_rak_tag_stops_four_bytes_later():
    el = walk(dicom(element(0x7F880010, "OB", b"\0" * 8)))[-1]
    assert el.tag == 0x7F880010 and el.special


def test_compressed_syntax_is_refused_after_its_line():
    seen, err = walk_until_error(dicom(b"", "1.2.840.10008.1.2.4.91"))
    assert seen[-1].tag == 0x00020010
    assert isinstance(err, UnsupportedTransferSyntaxError) and err.uid == "1.2.840.10008.1.2.4.91"
    assert err.imagej_message == ("java.io.IOException\n \nImageJ cannot open compressed DICOM images.\n"
                                  " \nTransfer Syntax UID = 1.2.840.10008.1.2.4.91")


def test_end_of_file_kinds():
    seen, err = walk_until_error(dicom(element(0x00080060, "CS", b"CT")))
    assert isinstance(err, CorruptHeaderError) and err.imagej_message == "Unable to decode DICOM header."
    data = dicom(element(0x00080060, "CS", b"CT") + element(0x00100010, "PN", b"ABCD"))
    _, err = walk_until_error(data[:-2])
    assert isinstance(err, TruncatedError)


def test_a_skip_past_the_end_still_lists_the_element():
    data = dicom(LE.element(0x00282000, "OB", b"") [:-4] + struct.pack("<I", 1000) + b"\0" * 10)
    seen, err = walk_until_error(data)
    assert seen[-1].tag == 0x00282000 and isinstance(err, TruncatedError)


def test_negative_lengths_throw_like_java():
    data = dicom(implicit(0x00100010, b"") [:-4] + struct.pack("<i", -8) + b"\0" * 16)
    _, err = walk_until_error(data)
    assert isinstance(err, ImageJThrewError)
    assert err.thrown == "java.lang.NegativeArraySizeException: -8" and err.imagej_message is None


def test_odd_us_length_leaves_a_byte():
    body = element(0x00181150, "US", b"\1\0\2") + PIXELS      # ImageJ reads one short only
    seen, _ = walk_until_error(dicom(body))
    assert [el.value for el in seen if el.tag == 0x00181150] == [b"\1\0"]
    assert seen[-1].tag != 0x7FE00010                            # and is out of step after it


def test_values_beyond_the_first_chunk_are_read(tmp_path):
    long_text = b"x" * (3 * CHUNK)
    body = element(0x00282000, "OB", bytes(2 * CHUNK)) + LE.element(0x0040A160, "UT", b"") \
        + IMPLICIT.element(0x00080070, "", long_text) + PIXELS
    path = tmp_path / "big.dcm"
    path.write_bytes(dicom(body))
    with ByteSource.from_path(str(path)) as src:
        els = list(Walk(src, str(path), dictionary.table()))
    assert [el.value for el in els if el.tag == 0x00080070] == [long_text]
    assert els[-1].location == len(dicom(body)) - 8


def _outcome(data: bytes) -> tuple[list, str]:
    """Every record of a walk (as Elements) and how it ended."""
    seen: list = []
    try:
        for el in Walk(ByteSource(data), "test.dcm", dictionary.table()):
            seen.append(el)
    except Exception as exc:      # noqa: BLE001 -- the failure is part of the outcome
        return seen, f"{type(exc).__name__}: {exc}"
    return seen, "end"


def test_cached_plans_walk_exactly_like_fresh_decisions():
    """A walk on plans decided earlier (the fast path) equals one deciding every header anew."""
    from tests.fuzzgen import generate
    from bridge.core import walker
    for seed in range(200):
        data = generate(seed)
        walker.forget_plans()
        fresh = _outcome(data)
        assert _outcome(data) == fresh, seed      # the second walk meets only known headers


def test_plans_kept_stay_bounded_and_walks_unchanged(monkeypatch):
    """Hostile files make endless new headers: past the limit the plans start afresh, with no other effect."""
    from tests.fuzzgen import generate
    from bridge.core import walker
    files = [generate(seed) for seed in range(40)]
    expected = [_outcome(data) for data in files]
    monkeypatch.setattr(walker, "PLAN_LIMIT", 50)
    walker.forget_plans()
    assert [_outcome(data) for data in files] == expected
    kept = sum(len(table) + sum(len(plan.by_length) for plan in table.values())
               for _, tables in walker._tables.values() for table in tables)
    assert 0 < kept <= 50
