"""Java 17's number text: ``Double.toString``, ``Float.toString`` and ``Double.valueOf``.

ImageJ prints FD/FL values with ``Double.toString``/``Float.toString`` and
parses DS/IS text with ``Double.valueOf``.  Neither matches Python:

* Up to Java 18 ``toString`` is not the shortest round-trip text (``repr``):
  ``FloatingDecimal``'s digit generation stops on a *symmetric* half-ulp test
  and then rounds the last digit, so about 0.1 % of doubles and a few percent
  of floats get one digit more (``2e23`` -> ``1.9999999999999998E23``).  The
  functions below redo that algorithm with Python integers.  It has three
  arithmetic paths (32-bit, 64-bit, big integers) whose stopping tests differ
  at equality and which wrap around on overflow; the path is chosen with
  Java's own size estimates and the fixed-width arithmetic is emulated.
* ``Double.valueOf`` accepts a suffix (``3d``, ``0.5f``), hexadecimal
  (``0x3p0``), ``NaN``/``Infinity`` with a sign, and trims every character
  up to U+0020 (so NUL padding too); ``float()`` differs on all of these.
"""

from __future__ import annotations

import math
import re
import struct
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Context, Decimal, localcontext
from functools import lru_cache

# ---------------------------------------------------------------- toString

_N_5_BITS = (0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45,
             47, 49, 52, 54, 56, 59, 61)          # ~ceil(log2(5**i)), Java's size estimate
_LONG_5_POW_COUNT = 27                             # 5**0 .. 5**26 fit in a long
_INSIGNIFICANT_FOR_POW2 = (
    0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7,
    8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11, 11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14,
    15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19)
_EXP_SHIFT = 52


def _wrap(value: int, bits: int) -> int:
    """Two's-complement wrap-around of a Java int (32) or long (64)."""
    half = 1 << (bits - 1)
    return ((value + half) & ((1 << bits) - 1)) - half


def _estimate_dec_exp(fract_bits: int, bin_exp: int) -> int:
    """floor(log10(value)) as Java estimates it (can be one too high)."""
    d2: float = struct.unpack(">d", struct.pack(">Q", (1023 << 52) | (fract_bits & ((1 << 52) - 1))))[0]
    d = (d2 - 1.5) * 0.289529654 + 0.176091259 + bin_exp * 0.301029995663981
    return math.floor(d)


def _long_digits(value: int, insignificant: int) -> tuple[list[int], int]:
    """Digits of an integer-valued number, rounded at ``insignificant`` low digits."""
    dec_exp = 0
    if insignificant:
        pow10 = 10 ** insignificant
        value, residue = divmod(value, pow10)
        dec_exp = insignificant
        if residue >= pow10 >> 1:
            value += 1
    text = str(value)
    stripped = text.rstrip("0")
    return [ord(c) - 48 for c in stripped], dec_exp + len(text)


def _generate_fixed(b: int, s: int, m: int, bits: int, dec_exp: int,
                    digits: list[int]) -> tuple[bool, bool, int, int]:
    """The digit loop in Java int (32) or long (64) arithmetic; returns (low, high, diff, dec_exp).

    Java picks the type from its size estimates, which keep ``b``, ``s`` and
    ``10 * s`` positive and inside it, so Java's truncating division is
    Python's ``divmod`` and only ``m * 10`` and ``b + m`` can wrap around: the
    loop wraps just those, inline (it runs once per digit of every FD/FL value
    a header shows).  The JVM comparison in the tests holds it to Java.
    """
    half, mask = 1 << (bits - 1), (1 << bits) - 1
    tens = s * 10
    q, r = divmod(b, s)
    b = 10 * r
    m = ((m * 10 + half) & mask) - half
    low = b < m
    high = ((b + m + half) & mask) - half > tens
    if q == 0 and not high:
        dec_exp -= 1
    else:
        digits.append(q)
    if dec_exp < -3 or dec_exp >= 8:
        low = high = False
    while not low and not high:
        q, r = divmod(b, s)
        b = 10 * r
        m = ((m * 10 + half) & mask) - half
        if m > 0:
            low = b < m
            high = ((b + m + half) & mask) - half > tens
        else:                       # m overflowed: Java gives up here
            low = high = True
        digits.append(q)
    return low, high, _wrap(_wrap(b << 1, bits) - tens, bits), dec_exp


def _generate_big(b: int, s: int, m: int, dec_exp: int,
                  digits: list[int]) -> tuple[bool, bool, int, int]:
    """The same loop on big integers; note ``>=`` in the high test where the fixed paths use ``>``."""
    tens = s * 10
    m *= 10
    q, b = divmod(b, s)
    b *= 10
    low = b < m
    high = b + m >= tens
    if q == 0 and not high:
        dec_exp -= 1
    else:
        digits.append(q)
    if dec_exp < -3 or dec_exp >= 8:
        low = high = False
    while not low and not high:
        q, b = divmod(b, s)
        b *= 10
        m *= 10
        low = b < m
        high = b + m >= tens
        digits.append(q)
    diff = ((b << 1) > tens) - ((b << 1) < tens) if (low and high) else 0
    return low, high, diff, dec_exp


def _round_up(digits: list[int], dec_exponent: int) -> int:
    """Add one to the last digit; an all-9 carry-out keeps the digit count (Java's quirk)."""
    i = len(digits) - 1
    while digits[i] == 9 and i > 0:
        digits[i] = 0
        i -= 1
    if digits[i] == 9:
        digits[0] = 1
        return dec_exponent + 1
    digits[i] += 1
    return dec_exponent


def _dtoa(bin_exp: int, fract_bits: int, n_significant_bits: int) -> tuple[list[int], int]:
    """Java's ``BinaryToASCIIBuffer.dtoa``: (digits, decimal exponent) of a positive finite value."""
    tail_zeros = (fract_bits & -fract_bits).bit_length() - 1
    n_fract_bits = _EXP_SHIFT + 1 - tail_zeros
    n_tiny_bits = max(0, n_fract_bits - bin_exp - 1)
    if -21 <= bin_exp <= 62 and n_tiny_bits == 0:
        # An integer that fits a long: its exact digits, rounded past the precision.
        insignificant = 0
        if bin_exp > n_significant_bits:
            p2 = bin_exp - n_significant_bits - 1
            insignificant = _INSIGNIFICANT_FOR_POW2[p2] if 1 < p2 < len(_INSIGNIFICANT_FOR_POW2) else 0
        value = fract_bits << (bin_exp - _EXP_SHIFT) if bin_exp >= _EXP_SHIFT else fract_bits >> (_EXP_SHIFT - bin_exp)
        return _long_digits(value, insignificant)

    dec_exp = _estimate_dec_exp(fract_bits, bin_exp)
    b5 = max(0, -dec_exp)
    b2 = b5 + n_tiny_bits + bin_exp
    s5 = max(0, dec_exp)
    s2 = s5 + n_tiny_bits
    m5 = b5
    m2 = b2 - n_significant_bits
    fract_bits >>= tail_zeros
    b2 -= n_fract_bits - 1
    common = min(b2, s2)
    b2, s2, m2 = b2 - common, s2 - common, m2 - common
    if n_fract_bits == 1:           # a power of two: the gap below is half as wide
        m2 -= 1
    if m2 < 0:
        b2, s2, m2 = b2 - m2, s2 - m2, 0

    b_bits = n_fract_bits + b2 + (_N_5_BITS[b5] if b5 < len(_N_5_BITS) else b5 * 3)
    ten_s_bits = s2 + 1 + (_N_5_BITS[s5 + 1] if s5 + 1 < len(_N_5_BITS) else (s5 + 1) * 3)
    digits: list[int] = []
    if b_bits < 64 and ten_s_bits < 64:
        width = 32 if (b_bits < 32 and ten_s_bits < 32) else 64
        b = _wrap(_wrap(fract_bits * 5 ** b5, width) << b2, width)
        s = _wrap(5 ** s5 << s2, width)
        m = _wrap(5 ** m5 << m2, width)
        low, high, diff, dec_exp = _generate_fixed(b, s, m, width, dec_exp, digits)
    else:
        b = fract_bits * 5 ** b5 << b2
        low, high, diff, dec_exp = _generate_big(b, 5 ** s5 << s2, 5 ** m5 << m2, dec_exp, digits)

    dec_exponent = dec_exp + 1
    if high and (not low or diff > 0 or (diff == 0 and digits[-1] & 1)):
        dec_exponent = _round_up(digits, dec_exponent)
    return digits, dec_exponent


def _layout(negative: bool, digits: list[int], dec_exponent: int) -> str:
    """``BinaryToASCIIBuffer.getChars``: plain for 1e-3 <= |v| < 1e7, else ``d.dddE<n>``."""
    text = "".join(chr(48 + d) for d in digits)
    sign = "-" if negative else ""
    n = len(text)
    if 0 < dec_exponent < 8:
        if n <= dec_exponent:
            return f"{sign}{text}{'0' * (dec_exponent - n)}.0"
        return f"{sign}{text[:dec_exponent]}.{text[dec_exponent:]}"
    if -3 < dec_exponent <= 0:
        return f"{sign}0.{'0' * -dec_exponent}{text}"
    exponent = dec_exponent - 1
    return f"{sign}{text[0]}.{text[1:] or '0'}E{exponent}"


def _to_string(bits: int, exp_bits: int, mantissa_bits: int) -> str:
    """Shared unpacking of an IEEE value (double: 11/52, float: 8/23)."""
    negative = bool(bits >> (exp_bits + mantissa_bits))
    biased = (bits >> mantissa_bits) & ((1 << exp_bits) - 1)
    fraction = bits & ((1 << mantissa_bits) - 1)
    if biased == (1 << exp_bits) - 1:
        if fraction:
            return "NaN"
        return "-Infinity" if negative else "Infinity"
    if biased == 0:
        if fraction == 0:
            return "-0.0" if negative else "0.0"
        shift = mantissa_bits + 1 - fraction.bit_length()
        fraction <<= shift
        bin_exp = 1 - shift
        n_significant = mantissa_bits + 1 - shift
    else:
        fraction |= 1 << mantissa_bits
        bin_exp = biased
        n_significant = mantissa_bits + 1
    bin_exp -= (1 << (exp_bits - 1)) - 1
    digits, dec_exponent = _dtoa(bin_exp, fraction << (_EXP_SHIFT - mantissa_bits), n_significant)
    return _layout(negative, digits, dec_exponent)


def double_to_string(value: float) -> str:
    """Java 17's ``Double.toString(value)``."""
    return _to_string(struct.unpack(">Q", struct.pack(">d", value))[0], 11, 52)


# The digit generation costs tens of microseconds; a header's FD/FL values repeat from file
# to file of a series (spacing, orientation, scanner settings), so answers are remembered.
@lru_cache(maxsize=4096)
def double_bits_to_string(bits: int) -> str:
    """``Double.toString(Double.longBitsToDouble(bits))`` (keeps NaN payload-free 'NaN')."""
    return _to_string(bits, 11, 52)


@lru_cache(maxsize=4096)
def float_bits_to_string(bits: int) -> str:
    """Java 17's ``Float.toString(Float.intBitsToFloat(bits))``."""
    return _to_string(bits, 8, 23)


def float_to_string(value: float) -> str:
    """Java 17's ``Float.toString((float) value)`` (the value is rounded to float32 first)."""
    return float_bits_to_string(struct.unpack(">I", struct.pack(">f", value))[0])


# ---------------------------------------------------------------- valueOf

_DECIMAL = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?[fFdD]?", re.ASCII)
_HEX = re.compile(r"([+-]?)0[xX](?:([0-9a-fA-F]+)\.?|([0-9a-fA-F]*)\.([0-9a-fA-F]+))"
                  r"[pP]([+-]?\d+)[fFdD]?", re.ASCII)
_SPECIAL = re.compile(r"([+-]?)(NaN|Infinity)")


def java_trim(text: str) -> str:
    """``String.trim``: strip every character up to U+0020 at both ends (NUL included)."""
    start, end = 0, len(text)
    while start < end and text[start] <= " ":
        start += 1
    while end > start and text[end - 1] <= " ":
        end -= 1
    return text[start:end]


def parse_double(text: str) -> float:
    """``Double.valueOf(text)``; raises ``ValueError`` where Java throws NumberFormatException."""
    s = java_trim(text)
    match = _SPECIAL.fullmatch(s)
    if match:
        value = math.nan if match[2] == "NaN" else math.inf
        return -value if match[1] == "-" and match[2] != "NaN" else value
    match = _HEX.fullmatch(s)
    if match:
        return _parse_hex(match)
    match = _DECIMAL.fullmatch(s)
    if match and (match[2] or match[3]):
        mantissa = f"{match[2] or '0'}.{match[3] or '0'}"
        value = float(f"{mantissa}e{match[4] or '0'}")
        return -value if match[1] == "-" else value
    raise ValueError(f'For input string: "{s}"')


def _parse_hex(match: re.Match[str]) -> float:
    whole = match[2] if match[2] is not None else match[3]
    fraction = match[4] or ""
    text = f"0x{whole or '0'}.{fraction or '0'}p{match[5]}"
    try:
        value = float.fromhex(text)
    except OverflowError:
        value = math.inf
    return -value if match[1] == "-" else value


def s2d(text: str | None) -> float:
    """ImageJ's ``DicomDecoder.s2d``: one leading backslash dropped, unparsable -> 0.0."""
    if text is None:
        return 0.0
    if text.startswith("\\"):
        text = text[1:]
    try:
        return parse_double(text)
    except ValueError:
        return 0.0


# --- IJ.d2s: DecimalFormat with ImageJ's settings ------------------------------------
#: Float.MAX_VALUE, which ImageJ prints as "3.4e38" whatever the decimals.
FLOAT_MAX = 3.4028234663852886e38
_EXACT = Context(prec=1000, rounding=ROUND_HALF_EVEN)


def d2s(n: float, places: int) -> str:
    """``IJ.d2s(n, places)``: Java's ``DecimalFormat`` with ImageJ's settings.

    Rounding is half-even, except half-up for 0 decimals (ImageJ's choice).
    Negative ``places`` ask for E notation with that many mantissa decimals.
    """
    if math.isnan(n):
        return "NaN"
    if math.isinf(n):
        return "Infinity" if n > 0 else "-Infinity"
    if n == FLOAT_MAX:
        return "3.4e38"
    if places >= 0:
        places = min(places, 9)
        rounding = ROUND_HALF_UP if places == 0 else ROUND_HALF_EVEN
        return f"{_java_round(n, Decimal(1).scaleb(-places), rounding):f}"
    digits = min(-places, 9)
    if n == 0:  # Decimal would shift the exponent of a zero
        return f"{'-' if math.copysign(1, n) < 0 else ''}0.{'0' * digits}E0"
    quantum = Decimal(1).scaleb(_java_digits(n).adjusted() - digits)
    with localcontext(_EXACT):
        return format(_java_round(n, quantum, ROUND_HALF_EVEN), f".{digits}E").replace("E+", "E")


def _java_digits(n: float) -> Decimal:
    """The digits of Java's ``Double.toString(n)``, which ``DecimalFormat`` starts from.

    Python's shortest ``repr`` is the same but where Java 17 prints a longer
    string than needed (subnormals such as 4.9E-324, some 17-digit values);
    ``javafmt.double_to_string`` on the header branch has Java's exact digits.
    """
    return Decimal(repr(n))


def _java_round(n: float, quantum: Decimal, rounding: str) -> Decimal:
    """Round as ``DecimalFormat`` does: the shortest digits of ``n``, padded with zeros.

    A tie in those digits is a real tie only if they are the exact binary
    value; otherwise the side the binary value lies on decides.
    """
    shortest = _java_digits(n)
    exact = Decimal(n)
    with localcontext(_EXACT):
        truncated = shortest.quantize(quantum, rounding=ROUND_DOWN)
        if abs(shortest - truncated) * 2 == quantum and exact != shortest:
            rounding = ROUND_UP if abs(exact) > abs(shortest) else ROUND_DOWN
        return shortest.quantize(quantum, rounding=rounding)
