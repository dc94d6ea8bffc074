"""Header lines: grammar, value formatting by VR, special tags, clean-up and decoding."""

from __future__ import annotations

import struct

import pytest

from bridge.core import charset, dictionary, header
from bridge.core.source import ByteSource
from bridge.core.walker import Walk

from .dicom_bytes import BE, EXPLICIT_BE, IMPLICIT, IMPLICIT_LE, LE, dicom, element, implicit

PIXELS = element(0x7FE00010, "OW", b"\0" * 8)


def text_of(body: bytes, syntax: str = "1.2.840.10008.1.2.1") -> str:
    h = header.HeaderText()
    try:
        h.consume(Walk(ByteSource(dicom(body, syntax)), "t.dcm", dictionary.table()).records())
    except Exception:
        pass
    return h.text()


def lines_of(body: bytes, syntax: str = "1.2.840.10008.1.2.1") -> list[str]:
    """The data set's lines (after the file meta group)."""
    return [ln for ln in text_of(body, syntax).split("\n") if not ln.startswith("0002,")]


@pytest.mark.parametrize("vr, raw, shown", [
    ("US", struct.pack("<H", 128), "128"),
    ("US", struct.pack("<3H", 256, 0, 16), "256 0 16 "),
    ("US", b"", ""),
    ("SS", struct.pack("<h", -5), "65531"),                  # ImageJ prints SS unsigned
    ("UL", struct.pack("<I", 4000000000), "4000000000"),
    ("UL", struct.pack("<2I", 1, 4000000000), "1 4000000000 "),
    ("SL", struct.pack("<i", -70000), "-70000"),
    ("SL", struct.pack("<3i", -1, 2, -3), "-1 2 -3 "),
    ("FD", struct.pack("<d", 0.1), "0.1"),
    ("FD", struct.pack("<2d", 0.1, 0.2), "null"),
    ("FL", struct.pack("<f", 178.07993), "178.07993"),
    ("FL", b"", "null"),
    ("UN", b"x" * 70, "x" * 60),
    ("OB", b"\1\2", ""),
    ("UT", b"text", ""),
    ("LT", b"line1\r\nline2  ", "line1 \nline2  "),
])
def test_values_by_vr(vr, raw, shown):
    lines = lines_of(element(0x00181000, vr, raw) + PIXELS)   # a named tag: always listed
    value = "\n".join(lines[:-2])
    assert value == "0018,1000  Device Serial Number: " + shown


def test_unknown_tags_show_dashes_or_nothing():
    lines = lines_of(element(0x00091010, "LO", b"abc ") + element(0x00091011, "OB", b"\0\0")
                     + element(0x00091012, "FD", b"") + PIXELS)
    assert lines[0] == "0009,1010  ---: abc "
    assert lines[1].startswith("7FE0,0010")


def test_implicit_unknown_values_up_to_44_bytes():
    body = implicit(0x00091010, b"A" * 44) + implicit(0x00091011, b"B" * 46) \
        + implicit(0x00180050, b"2.5 ") + IMPLICIT.element(0x7FE00010, "", b"\0" * 4)
    lines = lines_of(body, IMPLICIT_LE)
    assert lines[:2] == ["0009,1010  ---: " + "A" * 44, "0018,0050  Slice Thickness: 2.5 "]


def test_special_tags():
    body = (element(0x00280010, "US", struct.pack("<H", 64)) + element(0x00281050, "DS", b"100\\5000")
            + element(0x00281051, "DS", b"5000\\7\\8 ") + element(0x00281201, "OW", b"\0" * 512) + PIXELS)
    data = dicom(body)
    lines = lines_of(body)
    assert lines[:4] == ["0028,0010  Rows: 64", "0028,1050  Window Center: 5000",
                         "0028,1051  Window Width: 7\\8 ",
                         "0028,1201  Red Palette Color Lookup Table Data: 256"]
    assert lines[4] == f"7FE0,0010  Pixel Data: {len(data) - 8}"


def test_sequence_marks_and_items():
    inner = LE.sequence(0x00081140, [element(0x00081150, "UI", b"1.2 ")], True, True)
    body = LE.sequence(0x00081110, [element(0x00080100, "SH", b"CODE")], True, True) + inner + PIXELS
    lines = lines_of(body)
    assert lines[:4] == ["0008,1110  Referenced Study Sequence: ", "0008,0100  >Code Value: CODE",
                         "0008,1140  Referenced Image Sequence: ",
                         "0008,1150  >Referenced SOP Class UID: 1.2 "]


def test_every_line_ends_with_lf_and_controls_become_spaces():
    text = text_of(element(0x00100010, "PN", b"A\tB\0") + PIXELS)
    assert text.endswith("\n") and "0010,0010  Patient's Name: A B \n" in text
    assert "\0" not in text and "\t" not in text


def test_big_endian_numbers():
    body = BE.element(0x00080060, "CS", b"MR") + BE.element(0x00181000, "US", struct.pack(">2H", 1, 2)) \
        + BE.element(0x7FE00010, "OW", b"\0" * 4)
    assert "0018,1000  Device Serial Number: 1 2 " in lines_of(body, EXPLICIT_BE)


@pytest.mark.parametrize("raw, text", [
    (b"M\xfcller", "M\ufffdller"), (b"\xc3\xa9", "\u00e9"),
    (b"\xed\xa0\x80x", "\ufffdx"),              # a surrogate: one U+FFFD (Python gives three)
    (b"\xed\xa0x", "\ufffdx"), (b"\xed\xa0", "\ufffd"), (b"\xe4\xb8", "\ufffd"), (b"\xf0\x9f\x98\x80", "\U0001F600"),
])
def test_java_utf8_decoding(raw, text):
    assert charset.java_string(raw) == text


def test_line_of_one_element():
    records = list(Walk(ByteSource(dicom(element(0x00080060, "CS", b"CT") + PIXELS)), "t",
                        dictionary.table()).records())
    assert header.line(records[-2]) == "0008,0060  Modality: CT\n"
