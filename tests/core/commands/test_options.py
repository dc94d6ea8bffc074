"""The option-string grammar of ImageJ's dialogs in a macro, and bridge's refusal of unread keys."""

from __future__ import annotations

import pytest

from bridge.core.commands.options import Options
from bridge.errors import ScriptError


def test_values_brackets_and_checkboxes():
    options = Options("Duplicate...", "title=[my copy] range=2-5 duplicate")
    assert options.text_value("title", "x") == "my copy"
    assert options.text_value("range", "") == "2-5"
    assert options.flag("duplicate") and not options.flag("stack")
    options.done()


def test_numbers_defaults_and_bad_numbers():
    options = Options("Median...", "radius=2.5")
    assert options.number("radius", 1) == 2.5
    assert options.number("sigma", 7) == 7
    with pytest.raises(ScriptError, match='"abc" is an invalid number for "radius"'):
        Options("Median...", "radius=abc").number("radius", 1)


def test_a_key_nobody_reads_is_refused_naming_it():
    options = Options("Median...", "radius=2 stak")
    options.number("radius", 1)
    options.flag("stack")
    with pytest.raises(ScriptError, match='unrecognized option "stak" for "Median..."'):
        options.done()


def test_choices_match_case_insensitively_and_refuse_others():
    options = Options("Rotate... ", "interpolation=bilinear")
    assert options.choice("interpolation", ("None", "Bilinear", "Bicubic"), "None") == "Bilinear"
    with pytest.raises(ScriptError, match="not a valid choice"):
        Options("Rotate... ", "interpolation=cubic").choice("interpolation", ("None", "Bilinear"), "None")
