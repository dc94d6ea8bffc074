"""The scan shortcut gives exactly getTag on the full getInfo text: fuzz files, pydicom's files, traps."""

from __future__ import annotations

import glob
import os
import re

import pydicom.data
import pytest

from bridge.backends.pure import decoder, tagscan
from bridge.backends.pure.tags import get_tag
from bridge.backends.pure.walker import ImageJThrewError
from tests.fuzzgen import generate

from .dicom_bytes import dicom, element

PIXELS = element(0x7FE00010, "OW", b"\0" * 8)
EXTRA_IDS = ["0008,1030", "0020,0032", "0028,0030", "7FE0,0010", "0008,103e", "FFFE,E000", "0002,0010"]


def _full(path: str) -> tuple[dict[str, str | None], bool] | type:
    try:
        text = decoder.get_info(path)
    except ImageJThrewError:
        return ImageJThrewError
    return {t: get_tag(text, t) for t in _ids(text)}, bool(text)


def _ids(text: str) -> list[str]:
    """Every tag id that starts a line, and a few that may be absent."""
    return sorted(set(re.findall(r"^([0-9A-F]{4},[0-9A-F]{4})", text, re.M)) | set(EXTRA_IDS))


def _assert_same(path: str) -> None:
    try:
        text = decoder.get_info(path)
    except ImageJThrewError:
        with pytest.raises(ImageJThrewError):
            tagscan.tag_values(path, EXTRA_IDS)
        return
    ids = _ids(text)
    assert tagscan.tag_values(path, ids) == ({t: get_tag(text, t) for t in ids}, bool(text)), path


def test_fuzz_files_agree_with_the_full_text(tmp_path):
    for seed in range(300):
        path = tmp_path / f"fuzz_{seed}.dcm"
        path.write_bytes(generate(seed))
        _assert_same(str(path))


def test_pydicom_files_agree_with_the_full_text():
    folder = os.path.dirname(pydicom.data.get_testdata_file("CT_small.dcm"))
    files = sorted(glob.glob(os.path.join(folder, "*")))
    assert len(files) > 50
    for path in files:
        if os.path.isfile(path):
            _assert_same(path)


def test_an_id_inside_a_value_is_found_first(tmp_path):
    """getTag's substring search finds the id in an earlier value: the shortcut must step aside."""
    body = (element(0x00081010, "SH", b"0008,1030: no ") + element(0x00081030, "LO", b"study ")
            + PIXELS)
    path = tmp_path / "trap.dcm"
    path.write_bytes(dicom(body))
    text = decoder.get_info(str(path))
    assert get_tag(text, "0008,1030") == " no "          # the value of the earlier line
    assert tagscan.tag_values(str(path), ["0008,1030"]) == ({"0008,1030": " no "}, True)


def test_marked_first_line_skips_once(tmp_path):
    """The first occurrence inside a sequence (``>``) sends getTag to the next occurrence."""
    item = element(0x00081030, "LO", b"inner ")
    seq = element(0x00081032, "SQ", b"\xfe\xff\x00\xe0" + len(item).to_bytes(4, "little") + item)
    body = seq + element(0x00081030, "LO", b"outer ") + PIXELS
    path = tmp_path / "marked.dcm"
    path.write_bytes(dicom(body))
    _assert_same(str(path))


def test_other_spellings_use_the_full_text(tmp_path):
    path = tmp_path / "lower.dcm"
    path.write_bytes(dicom(element(0x0008103E, "LO", b"series") + PIXELS))
    for ids in (["0008,103e"], ["0008,103E"], [" 0008,103E"], ["103E"]):
        text = decoder.get_info(str(path))
        assert tagscan.tag_values(str(path), ids) == ({t: get_tag(text, t) for t in ids}, True)


def test_no_text_and_missing_files(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not DICOM\n" * 20)
    assert tagscan.tag_values(str(path), ["0008,0060"]) == ({"0008,0060": None}, False)
    assert tagscan.tag_values(str(tmp_path / "gone.dcm"), ["0008,0060"]) == ({"0008,0060": None}, False)


def test_common_files_take_the_shortcut(monkeypatch):
    """CT_small (ids not among its bytes) is answered without the full text."""
    path = pydicom.data.get_testdata_file("CT_small.dcm")
    want = {t: get_tag(decoder.get_info(path), t) for t in ["0008,0060", "0020,0032", "0028,0030"]}
    monkeypatch.setattr(tagscan, "header_text", lambda p: pytest.fail("took the full text"))
    assert tagscan.tag_values(path, list(want)) == (want, True)
