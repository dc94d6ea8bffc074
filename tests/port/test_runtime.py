"""The languages' own rules in bridge.port.runtime, against what ImageJ 1.53t printed (measured)."""

from __future__ import annotations

import math

import pytest

from bridge.errors import ScriptError
from bridge.port.runtime import (MacroArray, js_add, js_number, js_str, macro_add, macro_compare, macro_returned_str,
                                 macro_split, macro_str, new_array, parse_int)


@pytest.mark.parametrize("value, text", [
    (1 / 3, "0.3333"), (2.0, "2"), (1e-5, "0.00001"), (123456789.5, "123456790"), (-0.5, "-0.5"),
    (1e10, "1.0000E10"), (0.1, "0.1"), (1234567.891, "1234567.89"), (math.inf, "Infinity"),
    (math.nan, "NaN"), (True, "1"), (7, "7"), ("x", "x"),
])
def test_macro_numbers_in_text(value, text):
    assert macro_str(value) == text


def test_macro_text_rules():
    assert macro_add("a", 1 / 3) == "a0.3333" and macro_add(1, 2) == 3
    assert macro_returned_str(1 / 3) == "0.3333333333333333" and macro_returned_str(4.0) == "4"
    assert macro_compare("ABC", "==", "abc") and macro_compare("a", "<", "B")
    assert not macro_compare(1, "==", 2)
    with pytest.raises(ScriptError, match="Array"):
        macro_str([1, 2])


@pytest.mark.parametrize("text, delimiters, pieces", [
    ("a,,b", ",", ["a", "", "b"]), (" x  y ", " ", ["x", "y"]), ("x y\tz", None, ["x", "y", "z"]),
    ("a1b22c", "(\\d+)", ["a", "b", "c"]), ("l1\nl2\n", "\n", ["l1", "l2"]), ("a-b_c", "-_", ["a", "b", "c"]),
])
def test_macro_split(text, delimiters, pieces):
    assert macro_split(text, delimiters) == pieces


def test_macro_arrays_and_numbers(capsys):
    assert new_array(3) == [0, 0, 0] and new_array(2, "a") == [2, "a"]
    assert parse_int(" 12 ") == 12 and math.isnan(parse_int("1.5"))
    low, high, mean, std = MacroArray.getStatistics([1, 2, 3, 4])
    assert (low, high, mean) == (1, 4, 2.5) and std == pytest.approx(1.2909944487)
    MacroArray.print("v:", [1, 2.5, "s"])
    assert capsys.readouterr().out == "v: 1, 2.5000, s\n"


def test_javascript_text_rules():
    assert [js_str(v) for v in (None, True, 2.0, 1e-7, 1e-5, 2.5e-6, 1e21, 0.1 * 3, math.nan, -1e-7)] == \
        ["null", "true", "2", "1e-7", "0.00001", "0.0000025", "1e+21", "0.30000000000000004", "NaN", "-1e-7"]
    assert js_add(1, 2) == 3 and js_add("a", None) == "anull"
    assert js_number("7") == 7 and math.isnan(js_number("t")) and js_number(None) == 0 and js_number("") == 0
