"""Java 17's number text, checked on known cases and against the real JVM on random values."""

from __future__ import annotations

import math
import random
import struct

import pytest

from bridge.core import javafmt


@pytest.mark.parametrize("value, text", [
    (0.1, "0.1"), (1e-5, "1.0E-5"), (12345678.0, "1.2345678E7"), (862399761.111079, "8.62399761111079E8"),
    (float("nan"), "NaN"), (-0.0, "-0.0"), (0.0, "0.0"), (float("-inf"), "-Infinity"), (2.0, "2.0"),
    (1e7, "1.0E7"), (9999999.0, "9999999.0"), (0.001, "0.001"), (0.0009, "9.0E-4"), (100.0, "100.0"),
    (2e23, "1.9999999999999998E23"),      # Java <= 18 is not shortest here (repr: 2e+23)
    (5e-324, "4.9E-324"), (1.7976931348623157e308, "1.7976931348623157E308"), (123.456, "123.456"),
])
def test_double_to_string(value, text):
    assert javafmt.double_to_string(value) == text


@pytest.mark.parametrize("value, text", [
    (2295652352.0, "2.29565235E9"),       # shortest would be 2.2956524E9
    (178.07993, "178.07993"), (2.5602663e-29, "2.5602663E-29"), (1.4e-45, "1.4E-45"),
    (0.1, "0.1"), (1.0, "1.0"), (3.4028234663852886e38, "3.4028235E38"), (-1.5, "-1.5"),
])
def test_float_to_string(value, text):
    assert javafmt.float_to_string(value) == text


@pytest.mark.parametrize("text, value", [
    ("3d", 3.0), ("0.5f", 0.5), ("0x3p0", 3.0), ("+3", 3.0), ("-0x1.8p1", -3.0), (" 1.5\0\0", 1.5),
    ("1e3", 1000.0), (".5", 0.5), ("5.", 5.0), ("1.e2", 100.0), ("-Infinity", -math.inf),
    ("1e400", math.inf), ("0x1p99999999999", math.inf), ("-0", -0.0), ("00012", 12.0),
])
def test_parse_double_accepts_java_syntax(text, value):
    assert javafmt.parse_double(text) == value


@pytest.mark.parametrize("text", ["", " ", "1_000", "inf", "nan", "1e", "1e+", ".", "0x1", "0x", "1.2.3",
                                  "NaNd", "Infinityf", "1dd", "١٢", "1 2", "+", "e5", "3 d"])
def test_parse_double_rejects_what_java_rejects(text):
    with pytest.raises(ValueError):
        javafmt.parse_double(text)


def test_parse_double_nan():
    assert math.isnan(javafmt.parse_double("+NaN"))


def test_s2d_is_imagej_lenient():
    assert javafmt.s2d("\\2.5") == 2.5       # one leading backslash ignored
    assert javafmt.s2d("1\\2") == 0.0
    assert javafmt.s2d("") == 0.0
    assert javafmt.s2d(None) == 0.0


def _random_bits(rng: random.Random, width: int) -> int:
    kind = rng.random()
    if kind < 0.5:
        return rng.getrandbits(width)
    fmt = ">d" if width == 64 else ">f"
    value = rng.uniform(-1.0, 1.0) * 10.0 ** rng.randint(-40 if width == 32 else -300, 38 if width == 32 else 300)
    if kind < 0.75:
        value = float(round(value, rng.randint(0, 6))) if abs(value) < 1e15 else value
    try:
        raw = struct.pack(fmt, value)
    except OverflowError:
        raw = struct.pack(fmt, 1.0)
    return int.from_bytes(raw, "big")


def _signed(bits: int, width: int) -> int:
    return bits - (1 << width) if bits >> (width - 1) else bits


@pytest.mark.jvm
def test_to_string_matches_the_jvm_on_random_values():
    import jpype
    from bridge.backends.jvm import runtime
    Double, Float = runtime.jclass("java.lang.Double"), runtime.jclass("java.lang.Float")
    rng = random.Random(20240601)
    for _ in range(20000):
        bits = _random_bits(rng, 64)
        java = str(Double.toString(Double.longBitsToDouble(jpype.JLong(_signed(bits, 64)))))
        assert javafmt.double_bits_to_string(bits) == java, hex(bits)
        bits = _random_bits(rng, 32)
        java = str(Float.toString(Float.intBitsToFloat(jpype.JInt(_signed(bits, 32)))))
        assert javafmt.float_bits_to_string(bits) == java, hex(bits)


@pytest.mark.jvm
def test_parse_double_matches_the_jvm_on_random_strings():
    from bridge.backends.jvm import runtime
    Double = runtime.jclass("java.lang.Double")
    rng = random.Random(7)
    alphabet = "0123456789.eE+-dDfFxXpPaAbN I\0\t_"
    for _ in range(10000):
        if rng.random() < 0.5:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        else:
            text = repr(rng.uniform(-1e5, 1e5) * 10.0 ** rng.randint(-320, 300)) + rng.choice(["", "d", "F", " "])
        try:
            java = float(Double.valueOf(text).doubleValue())
        except Exception:
            java = None
        try:
            ours = javafmt.parse_double(text)
        except ValueError:
            ours = None
        if java is None or ours is None:
            assert java is ours, repr(text)
        elif math.isnan(java):
            assert math.isnan(ours), repr(text)
        else:
            assert struct.pack(">d", ours) == struct.pack(">d", java), repr(text)
