"""``bridge port``: translate a simple ImageJ JavaScript into Python on the facade.

Only what the facade names are for is translated: ``importClass`` lines,
``IJ`` / ``DicomTools`` / ``DICOM`` calls, variables, string concatenation
and ``print``.  Anything else (control flow, functions, Java classes the
facade does not have) is kept as a comment and reported, so nothing is
silently dropped.

JavaScript's ``+`` turns ``null`` into ``"null"`` when concatenating, where
Python would raise; operands next to a string literal are therefore wrapped
in :func:`js_str`, so the port prints exactly what the original prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Classes the facade provides under ImageJ's names.
FACADE_CLASSES = {"ij.IJ": "IJ", "ij.util.DicomTools": "DicomTools", "ij.plugin.DICOM": "DICOM"}

_TOKEN = re.compile(r"""
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)
  | (?P<op>[-+*/(),=%])
  | (?P<space>\s+)
""", re.VERBOSE)
_IMPORT = re.compile(r"^importClass\(\s*Packages\.([\w.]+)\s*\)$")
_ASSIGN = re.compile(r"^(?:(?:var|let|const)\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)\s*(.+)$")
_LITERALS = {"null": "None", "true": "True", "false": "False"}


def js_str(value: object) -> str:
    """A value as JavaScript's string concatenation shows it (``null``, ``true``, ``22``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Port:
    python: str
    untranslated: list[tuple[int, str]] = field(default_factory=list)   # (line number, source)


class _Untranslatable(ValueError):
    pass


def port_javascript(source: str) -> Port:
    """Translate ``source``; lines that cannot be translated become comments and are listed."""
    imports: list[str] = []
    body: list[str] = []
    untranslated: list[tuple[int, str]] = []
    uses_js_str = False
    for number, raw in enumerate(source.splitlines(), start=1):
        line = _strip_comment(raw).strip().rstrip(";").strip()
        if not line:
            body.append(raw.strip().replace("//", "#", 1) if raw.strip() else "")
            continue
        try:
            imported = _IMPORT.match(line)
            if imported:
                imports.append(_facade_class(imported.group(1)))
                continue
            assigned = _ASSIGN.match(line)
            target, expression = (assigned.group(1), assigned.group(2)) if assigned else (None, line)
            text, wrapped = _expression(expression)
            uses_js_str |= wrapped
            body.append(f"{target} = {text}" if target else text)
        except _Untranslatable as why:
            untranslated.append((number, raw))
            body.append(f"# bridge port: line {number} not translated ({why}): {raw.strip()}")
    head = []
    names = list(dict.fromkeys(imports))
    if names:
        head.append(f"from bridge import {', '.join(names)}")
    if uses_js_str:
        head.append("from bridge.port import js_str")
    python = "\n".join([*head, "", *body]).strip("\n") + "\n"
    return Port(python, untranslated)


def _facade_class(java_name: str) -> str:
    if java_name not in FACADE_CLASSES:
        raise _Untranslatable(f"{java_name} is not in the bridge facade")
    return FACADE_CLASSES[java_name]


def _strip_comment(line: str) -> str:
    """The line without a trailing // comment (ignoring // inside strings)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == "\\":
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif line.startswith("//", i):
            return line[:i]
    return line


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while pos < len(expression):
        match = _TOKEN.match(expression, pos)
        if not match:
            raise _Untranslatable(f"unsupported syntax at {expression[pos:pos + 12]!r}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append((kind, match.group()))
        pos = match.end()
    return tokens


def _expression(expression: str) -> tuple[str, bool]:
    """Python text for one JS expression; True when js_str() wrapping was needed."""
    parser = _Parser(_tokens(expression))
    text = parser.sum()
    if parser.pos != len(parser.tokens):
        raise _Untranslatable(f"unexpected {parser.tokens[parser.pos][1]!r}")
    return text, parser.wrapped


class _Parser:
    """Recursive descent over the small JS subset: sums of operands, calls, parentheses."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.wrapped = False

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (text is not None and token[1] != text):
            raise _Untranslatable(f"expected {text or 'more'} at {token[1] or 'end of line'!r}")
        self.pos += 1
        return token

    def sum(self) -> str:
        """``a + b + c``: if any operand is a string literal, JS concatenates: wrap the others."""
        text, is_string = self.product()
        while self.peek() == ("op", "+"):
            self.take()
            right, right_is_string = self.product()
            if is_string or right_is_string:   # JS folds left: from the first string on, + concatenates
                self.wrapped = True
                text = f"{text if is_string else f'js_str({text})'} + " \
                       f"{right if right_is_string else f'js_str({right})'}"
                is_string = True
            else:
                text = f"{text} + {right}"
        return text

    def product(self) -> tuple[str, bool]:
        """An operand of ``+``; its flag says whether it is (already) a string."""
        text, is_string = self.primary()
        while self.peek()[0] == "op" and self.peek()[1] in "-*/%":
            operator = self.take()[1]
            text, is_string = f"{text} {operator} {self.primary()[0]}", False
        return text, is_string

    def primary(self) -> tuple[str, bool]:
        kind, text = self.take()
        if kind == "string":
            return text, True
        if kind == "number":
            return text, False
        if kind == "op" and text == "(":
            inner = self.sum()
            self.take(")")
            return f"({inner})", False
        if kind == "op" and text == "-":
            return f"-{self.primary()[0]}", False
        if kind != "name":
            raise _Untranslatable(f"unexpected {text!r}")
        if text.split(".")[0] in ("Packages", "java", "new", "function", "var"):
            raise _Untranslatable(f"{text} has no Python twin in the facade")
        if self.peek() == ("op", "("):
            self.take()
            args = []
            while self.peek() != ("op", ")"):
                args.append(self.sum())
                if self.peek() == ("op", ","):
                    self.take()
            self.take(")")
            return f"{text}({', '.join(args)})", False
        return _LITERALS.get(text, text), False
