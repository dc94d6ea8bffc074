"""What ported scripts import: the source language's rules where Python's differ.

``bridge port`` turns an ImageJ macro or JavaScript into Python on
:mod:`bridge.macro` and the facade.  Most of it maps to plain Python; what does
not is here, so a port prints what the original prints:

* numbers in text: the macro writes ``1/3`` as ``0.3333`` and ``2.0`` as
  ``2`` (ImageJ's ``Interpreter.toString``); JavaScript writes ``2.0`` as
  ``2`` and ``null`` as ``null``;
* ``+`` with text: JavaScript folds left (``"a" + 1 + 2`` is ``a12``), the
  macro sums each run of numbers first (``a3``); the macro's string
  comparisons ignore case;
* the macro's ``split``, ``parseInt``, ``round``, ``newArray`` and ``Array.*``.

This module needs no parser: a ported script runs wherever bridge runs.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NoReturn

from ..core import javafmt
from ..core.results import d2s as results_d2s
from ..errors import ScriptError

__all__ = ["macro_str", "macro_returned_str", "macro_print", "macro_add", "macro_chain", "macro_exit",
           "macro_compare", "macro_split", "new_array", "parse_int", "parse_float", "java_round", "d2s", "pad",
           "get_argument", "get_file_list", "MacroArray", "MacroFile",
           "js_str", "js_number", "js_add", "js_print"]

# ---------------------------------------------------------------- the macro language

_INT_MIN, _INT_MAX = -(2 ** 31), 2 ** 31 - 1


def _java_int(value: float) -> int:
    """Java's ``(int)value``: truncation, NaN to 0, clamped to the int range."""
    if math.isnan(value):
        return 0
    if math.isinf(value):
        return _INT_MAX if value > 0 else _INT_MIN
    return max(_INT_MIN, min(_INT_MAX, int(value)))


def _significant(x: float, significant_digits: int, max_digits: int) -> str:
    """``IJ.d2s(x, significantDigits, maxDigits)``: E notation for very large and small numbers."""
    magnitude = math.ceil(math.log10(abs(x)) + 0.223 * 10.0 ** -max_digits)   # x is not 0
    decimals = max_digits - magnitude
    if decimals < 0 or magnitude < significant_digits + 1 - max_digits:
        return javafmt.d2s(x, -significant_digits)
    if decimals > significant_digits:
        decimals = max(significant_digits, decimals - max_digits + significant_digits)
    return javafmt.d2s(x, decimals)


def macro_str(value: Any) -> str:
    """A value as the macro language writes it in text: ``2``, ``0.3333``, ``1.000E-5``, ``1`` for true."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):   # ImageJ stops the macro here too
        raise ScriptError("print()", None, "Array not allowed in text (use Array.print)")
    number = float(value)
    if not math.isfinite(number) or _java_int(number) == number:
        return javafmt.d2s(number, 0)
    text = _significant(number, 4, 9)
    if "." in text and "E" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


def macro_returned_str(value: Any) -> str:
    """A user function's result in text: a fraction as Java's ``""+value`` (all its digits)."""
    if isinstance(value, str):
        return value
    number = float(value)
    if _java_int(number) == number:
        return javafmt.d2s(number, 0)
    return javafmt.double_to_string(number)


def macro_print(*values: Any) -> None:
    """``print(a, b, ...)``: the values as text, joined by single spaces."""
    print(" ".join(macro_str(value) for value in values))


def macro_exit(message: str | None = None) -> NoReturn:
    """``exit`` / ``exit("message")``: the macro ends; in batch mode ImageJ prints the message."""
    if message is not None:
        print(macro_str(message))
    raise SystemExit(0)


def macro_add(left: Any, right: Any) -> Any:
    """The macro's ``+``: text if either side is a string, else the sum."""
    if isinstance(left, str) or isinstance(right, str):
        return macro_str(left) + macro_str(right)
    return left + right


def macro_chain(first: Any, *ops_and_operands: Any) -> Any:
    """A macro ``+``/``-`` chain whose operands are text or numbers only at run time.

    ``macro_chain(a, "+", b, "-", c)`` is ``a + b - c`` by ImageJ's rule: numbers
    only add up; once text is involved, each run of numbers (every ``- x`` and every
    ``+ x`` whose ``x`` is not text) is summed before it is written as text.
    """
    operands = [("+", first)] + list(zip(ops_and_operands[0::2], ops_and_operands[1::2]))
    if not any(isinstance(value, str) for _, value in operands):
        total = first
        for op, value in operands[1:]:
            total = total + value if op == "+" else total - value
        return total
    pieces, i = [], 0
    while i < len(operands):
        op, value = operands[i]
        if op == "-":                       # a term after text: ImageJ's string expression stops
            raise ScriptError("macro", None, "')' expected (text - x)")
        i += 1
        if not isinstance(value, str):      # a run of numbers, summed before it becomes text
            while i < len(operands) and (operands[i][0] == "-" or not isinstance(operands[i][1], str)):
                op, term = operands[i]
                if isinstance(term, str):
                    raise ScriptError("macro", None, "Number or numeric function expected (x - text)")
                value = value + term if op == "+" else value - term
                i += 1
        pieces.append(macro_str(value))
    return "".join(pieces)


def _ignore_case(text: str) -> str:
    """Java's ``compareToIgnoreCase`` key: each character upper-cased, then lower-cased."""
    return "".join(ch.upper().lower() if len(ch.upper()) == 1 else ch.lower() for ch in text)


_COMPARISONS = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
                "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def macro_compare(left: Any, operator: str, right: Any) -> bool:
    """The macro's comparison: strings compare ignoring case, as ImageJ's ``compareToIgnoreCase``."""
    if isinstance(left, str) and isinstance(right, str):
        left, right = _ignore_case(left), _ignore_case(right)
    result: bool = _COMPARISONS[operator](left, right)
    return result


def macro_split(text: str, delimiters: str | None = None) -> list[str]:
    """``split(string, delimiters)`` with ImageJ's three rules.

    ``","`` and ``";"`` split at each one (keeping empty pieces); ``"(regex)"``
    splits at a regular expression; any other string is a set of delimiter
    characters whose runs separate non-empty pieces (default: white space).
    """
    if text and delimiters in (",", ";"):
        return text.split(delimiters)
    if text and delimiters is not None and len(delimiters) >= 3 and delimiters[0] == "(" \
            and delimiters[-1] == ")":
        return re.split(delimiters[1:-1], text)   # Java's regex dialect, close to Python's
    if not delimiters:
        delimiters = " \t\n\r"
    if delimiters == "\n":
        return text.splitlines()
    return [piece for piece in re.split("[" + re.escape(delimiters) + "]", text) if piece]


def new_array(*values: Any) -> list[Any]:
    """``newArray(3)`` is three zeros; ``newArray(1, "a")`` holds its arguments."""
    if len(values) == 1 and not isinstance(values[0], str):
        return [0] * _java_int(float(values[0]))
    return list(values)


def parse_int(text: str, radix: int = 10) -> float:
    """``parseInt(string)``: the integer, or NaN if the (trimmed) text is not one."""
    try:
        return float(int(javafmt.java_trim(text), int(radix)))
    except ValueError:
        return math.nan


def parse_float(text: str) -> float:
    """``parseFloat(string)``: Java's number parsing of the trimmed text, NaN if it fails."""
    try:
        return javafmt.parse_double(javafmt.java_trim(text))
    except ValueError:
        return math.nan


def java_round(value: float) -> float:
    """``round(n)``: Java's ``Math.round``, halves up (``round(-2.5)`` is -2)."""
    return float(math.floor(value + 0.5)) if math.isfinite(value) else value


def d2s(value: float, decimals: int) -> str:
    """``d2s(n, decimals)`` / ``IJ.d2s``: ImageJ's number formatting."""
    return javafmt.d2s(float(value), int(decimals))


def pad(value: Any, digits: int) -> str:
    """``IJ.pad(n, digits)``: leading zeros up to ``digits`` characters."""
    text = macro_str(value) if not isinstance(value, str) else value
    return text.rjust(int(digits), "0")


def get_argument() -> str:
    """``getArgument()``: the script's arguments joined by spaces, as ImageJ passes them."""
    return " ".join(sys.argv[1:])


class MacroArray:
    """The macro's ``Array.*`` functions used by ported scripts."""

    @staticmethod
    def getStatistics(values: Sequence[float]) -> tuple[float, float, float, float]:
        """``Array.getStatistics(a, min, max, mean, stdDev)`` as a tuple (sample std dev)."""
        n = len(values)
        total, squares = sum(values), sum(v * v for v in values)
        low = min(values, default=math.inf)
        high = max(values, default=-math.inf)
        mean = total / n if n else math.nan
        spread = (n * squares - total * total) / n if n else math.nan
        std = math.sqrt(spread / (n - 1.0)) if n > 1 and spread >= 0 else math.nan
        return float(low), float(high), mean, std

    @staticmethod
    def sort(values: list[Any]) -> list[Any]:
        """``Array.sort(a)``: numbers ascending, or strings ignoring case; in place, also returned."""
        if all(isinstance(v, str) for v in values):
            values.sort(key=_ignore_case)
        else:
            values.sort()
        return values

    @staticmethod
    def reverse(values: list[Any]) -> list[Any]:
        """``Array.reverse(a)``: in place, also returned."""
        values.reverse()
        return values

    @staticmethod
    def concat(*parts: Any) -> list[Any]:
        """``Array.concat(a, b, ...)``: arrays and single values, joined into a new array."""
        joined: list[Any] = []
        for part in parts:
            joined.extend(part if isinstance(part, list) else [part])
        return joined

    @staticmethod
    def slice(values: list[Any], start: float, end: float | None = None) -> list[Any]:  # noqa: A003
        """``Array.slice(a, start[, end])``: a copy of the elements from ``start`` up to ``end``."""
        return list(values[int(start):None if end is None else int(end)])

    @staticmethod
    def trim(values: list[Any], count: float) -> list[Any]:
        """``Array.trim(a, n)``: a copy of the first ``n`` elements."""
        return list(values[:int(count)])

    @staticmethod
    def fill(values: list[Any], value: Any) -> list[Any]:
        """``Array.fill(a, value)``: every element set to ``value``, in place; also returned."""
        values[:] = [value] * len(values)
        return values

    @staticmethod
    def getSequence(count: float) -> list[int]:
        """``Array.getSequence(n)``: 0, 1, ..., n-1."""
        return list(range(int(count)))

    @staticmethod
    def print(*label_and_values: Any) -> None:  # noqa: A003 - the macro's name
        """``Array.print(a)`` or ``Array.print("label", a)``: joined by ", ", fractions with 4 decimals."""
        *label, values = label_and_values
        text = ", ".join(_array_item(v) for v in values)
        print(" ".join([*label, text]))


def _array_item(value: Any) -> str:
    """An array element as ``Array.print`` writes it (ResultsTable's 4 decimals for fractions)."""
    if isinstance(value, str):
        return value
    number = float(value)
    return javafmt.d2s(number, 0) if _java_int(number) == number else results_d2s(number, 4)


def get_file_list(directory: str) -> list[str]:
    """``getFileList(dir)``: sorted names, folders with a trailing "/", no hidden files; [] if no folder."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [name + "/" if os.path.isdir(os.path.join(directory, name)) else name
            for name in names if not name.startswith(".") and name != "Thumbs.db"]


def _java_path(path: str) -> tuple[str | None, str]:
    """Java's ``File(path)``: (parent or None, name), after its normalization of repeated/trailing "/"."""
    path = re.sub("/+", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    head, slash, name = path.rpartition("/")
    if not slash:
        return None, path
    return (head or "/") if name else None, name


class MacroFile:
    """The macro's ``File.*`` functions on paths (``File.exists`` and the like answer 1 or 0)."""

    separator = os.sep

    @staticmethod
    def getName(path: str) -> str:
        """``File.getName(path)``: the last part of the path."""
        return _java_path(path)[1]

    @staticmethod
    def getNameWithoutExtension(path: str) -> str:
        """``File.getNameWithoutExtension(path)``: the name up to its last dot."""
        name = _java_path(path)[1]
        return name[:name.rfind(".")] if "." in name else name

    @staticmethod
    def getDirectory(path: str) -> str:
        """``File.getDirectory(path)``: the parent with a trailing "/", ``""`` if none."""
        parent = _java_path(path)[0]
        return "" if parent is None else parent.replace("\\", "/") + "/"

    @staticmethod
    def exists(path: str) -> int:
        return int(os.path.exists(path))

    @staticmethod
    def isDirectory(path: str) -> int:
        return int(os.path.isdir(path))

    @staticmethod
    def isFile(path: str) -> int:
        return int(os.path.isfile(path))


# ---------------------------------------------------------------- JavaScript

def js_str(value: object) -> str:
    """A value as JavaScript's string concatenation shows it (``null``, ``true``, ``22``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return "0" if value == 0 else _js_number_text(value)
    return str(value)


def _js_number_text(value: float) -> str:
    """ECMAScript's ``Number::toString``: the shortest digits, in decimals from 1e-6 up to 1e21."""
    sign, digits, exponent = Decimal(repr(abs(value))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    k = len(text)
    n = int(exponent) + len(digits)          # value = 0.text x 10^n
    if k <= n <= 21:
        body = text + "0" * (n - k)
    elif 0 < n <= 21:
        body = f"{text[:n]}.{text[n:]}"
    elif -6 < n <= 0:
        body = f"0.{'0' * -n}{text}"
    else:
        mantissa = text[0] + (f".{text[1:]}" if k > 1 else "")
        body = f"{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return ("-" if value < 0 else "") + body


_JS_DECIMAL = re.compile(r"[+-]?(Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")
_JS_HEX = re.compile(r"0[xX][0-9a-fA-F]+")


def js_number(value: Any) -> Any:
    """JavaScript's ``ToNumber`` for arithmetic: text parsed (``""`` is 0, junk NaN), null 0, booleans 0/1."""
    if value is None:
        return 0
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return 0
    if _JS_DECIMAL.fullmatch(text):
        return float(text.replace("Infinity", "inf"))
    return float(int(text, 16)) if _JS_HEX.fullmatch(text) else math.nan


def js_add(left: Any, right: Any) -> Any:
    """JavaScript's ``+``: text if either side is a string, else the sum."""
    if isinstance(left, str) or isinstance(right, str):
        return js_str(left) + js_str(right)
    return left + right


def js_print(value: Any) -> None:
    """ImageJ JavaScript's ``print(x)`` (``IJ.log``): the value as JavaScript writes it."""
    print(js_str(value))
