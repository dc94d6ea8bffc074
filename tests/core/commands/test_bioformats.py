"""The pure "Bio-Formats Importer" command: what it reads of its options, and what it refuses.

What it opens is compared with the real importer in tests/parity/test_bioformats_importer.py.
"""

from __future__ import annotations

import pytest
from pydicom.data import get_testdata_file

from bridge.core import commands
from bridge.errors import MissingFileError, ScriptError

RGB = get_testdata_file("examples_rgb_color.dcm")


def run(options: str):
    return commands.run(None, "Bio-Formats Importer", options, commands.Session())


def test_the_image_opened_is_returned_and_needs_no_current_image():
    imp = run(f"open=[{RGB}] autoscale color_mode=Composite view=Hyperstack stack_order=XYCZT series_1")
    assert imp.getTitle() == "examples_rgb_color.dcm" and imp.getNChannels() == 3


def test_split_channels_returns_the_last_channel():
    assert run(f"open=[{RGB}] split_channels").getTitle() == "examples_rgb_color.dcm - C=2"


@pytest.mark.parametrize("key", ["crop", "specify_range", "concatenate_series", "display_metadata", "group_files"])
def test_keys_not_reproduced_are_refused_by_name(key):
    with pytest.raises(ScriptError, match=f'"{key}" is not reproduced'):
        run(f"open=[{RGB}] {key}")


def test_bad_options_are_refused():
    with pytest.raises(ScriptError, match='unrecognized option "virtual"'):      # the recorder's key is use_virtual_stack
        run(f"open=[{RGB}] virtual")
    with pytest.raises(ScriptError, match="stack_order"):
        run(f"open=[{RGB}] stack_order=XYQ")
    with pytest.raises(ScriptError, match="Local machine"):
        run(f"open=[{RGB}] location=[Internet]")
    with pytest.raises(ScriptError, match="open="):
        run("autoscale")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(MissingFileError, match="gone.dcm"):
        run(f"open=[{tmp_path / 'gone.dcm'}]")
