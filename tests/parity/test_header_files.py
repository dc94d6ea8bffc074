"""pydicom's test files: header text, Info, getTag and tag names against real ImageJ."""

from __future__ import annotations

import os
import re

import pydicom.data
import pytest

from bridge import backends
from bridge.core import decoder, dictionary, tags
from tests.parity.header_check import header_difference

TEST_FILES = os.path.dirname(pydicom.data.get_testdata_file("CT_small.dcm"))
FILES = sorted(f for f in os.listdir(TEST_FILES) if os.path.isfile(os.path.join(TEST_FILES, f)))
TAG_AT_LINE_START = re.compile(r"^([0-9A-F]{4},[0-9A-F]{4})", re.MULTILINE)


@pytest.mark.jvm
@pytest.mark.parametrize("name", FILES)
def test_header_of_each_test_file(name):
    assert header_difference(os.path.join(TEST_FILES, name)) is None


@pytest.mark.jvm
@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small.dcm", "rtdose.dcm", "examples_overlay.dcm",
                                  "SC_rgb_small_odd_big_endian.dcm", "badVR.dcm"])
def test_get_tag_of_every_tag_in_the_text(name):
    jvm = backends.load("jvm")
    path = os.path.join(TEST_FILES, name)
    imp = jvm.open_image(path)
    info = decoder.decode(path).info
    ids = sorted(set(TAG_AT_LINE_START.findall(info))) + ["0020,0013 ", "0008,103e", "00100010", "7FE0"]
    for tag_id in ids:
        assert tags.get_tag(info, tag_id) == jvm.get_tag(imp, tag_id), tag_id
        assert dictionary.tag_name(tag_id) == jvm.get_tag_name(tag_id), tag_id
