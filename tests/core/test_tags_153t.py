"""Edge cases of the 1.53t getTag / getStringProperty text rules (see tags.py)."""

from __future__ import annotations

import pytest

from bridge.core import tags

TEXT = "0008,0060  Modality: CT\n0020,0013  >Image Number: 1 \n0020,0013  Image Number: 2 \n"


@pytest.mark.parametrize("tag_id, value", [
    ("0008,0060", " CT"), ("0020,0013", " 2 "), ("0008,0061", None), ("0008,0060 ", " CT"),
])
def test_get_tag(tag_id, value):
    assert tags.get_tag(TEXT, tag_id) == value


def test_get_tag_near_the_end_is_null_like_java():
    assert tags.get_tag("0020,0013:\n", "0020,0013") is None     # charAt(index+11) throws
    assert tags.get_tag("x 0020,0013: v", "0020,0013") is None   # no final LF


@pytest.mark.parametrize("key, is_tag", [("0008,0060", True), ("0008,006a", True), ("0008,006A", True),
                                         ("0008,0060 ", False), ("00080060", False), ("0008,006g", False),
                                         ("0008,006\u0663", True)])
def test_dicom_keys(key, is_tag):
    assert tags.is_dicom_key(key) is is_tag


def test_property_keys_must_start_a_word():
    text = "XModality: no\n\u00b2Modality: yes\nModality: MR\n"
    assert tags.get_property_value(text, "Modality") == "yes"    # '²' is not a Java letter/digit
