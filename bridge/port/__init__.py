"""``bridge port``: translate an ImageJ macro or JavaScript into Python on bridge.

The source is parsed with a real JavaScript parser (esprima; the macro
language is JavaScript's grammar plus ``macro "name" {}`` blocks) and the
syntax tree is translated statement by statement: variables, arithmetic,
strings, arrays, ``if``/``else``, ``for``/``while``/``do``, functions, and the
ImageJ calls bridge has (:mod:`bridge.port.tables`).  A statement that has no
faithful translation is kept as a comment and listed with its line number;
nothing is dropped silently.  The ported Python imports :mod:`bridge.macro`,
the facade and :mod:`bridge.port.runtime` (the languages' own rules for
numbers in text, ``+`` and string comparison), so it prints what the
original prints, on either backend.
"""

from __future__ import annotations

import os

from .ijm import port_macro
from .javascript import port_javascript
from .runtime import js_str
from .translate import Port

__all__ = ["Port", "port_file", "port_javascript", "port_macro", "port_source", "js_str"]


def port_source(source: str, filename: str) -> Port:
    """Translate by the file's extension, as ImageJ picks the language: ``.js``, else the macro language."""
    return port_javascript(source) if filename.endswith(".js") else port_macro(source)


def port_file(path: str | os.PathLike[str]) -> Port:
    """Translate a script file (UTF-8 text)."""
    from ..errors import BridgeError
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as source:
            text = source.read()
    except UnicodeDecodeError as err:
        raise BridgeError(f"{name}: not UTF-8 text (byte {err.start}: {err.reason})") from err
    try:
        return port_source(text, name)
    except BridgeError as err:
        raise BridgeError(f"{name}: {err}") from None
