"""Fiji script parameters (``#@ String name``) filled from ``name=value`` command-line items.

Fiji reads lines such as ``#@ File (label="Input") input`` or ``#@ int n`` at the top of
a script and asks the user for each value; ``bridge run x.py input=ct.dcm n=3`` gives
them on the command line instead.  A parameter with ``value=...`` in its parentheses
has that default; any other that is not given is an error naming it.  ``File``
parameters become ``java.io.File`` objects, as in Fiji, so ``input.getAbsolutePath()``
works.  Output (``#@output``) and service parameters (``#@ LogService``) are not inputs
and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Parameter", "declared_parameters", "fill_parameters"]

_LINE = re.compile(r"^\s*#\s*@\s*(?P<type>[A-Za-z_][\w.]*)\s*(?:\((?P<attrs>[^)]*)\))?\s*(?P<name>[A-Za-z_]\w*)\s*$")
_DEFAULT = re.compile(r"""\bvalue\s*=\s*(?:"(?P<quoted>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^,\s]+))""")


def _to_file(text: str) -> object:
    from .jvm import jimport
    return jimport("java.io.File")(text)


def _to_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ValueError(text)


_CONVERT: dict[str, Callable[[str], object]] = {
    "String": str, "string": str,
    "int": int, "Integer": int, "long": int, "Long": int, "short": int, "Short": int, "byte": int,
    "float": float, "Float": float, "double": float, "Double": float,
    "boolean": _to_bool, "Boolean": _to_bool,
    "File": _to_file, "java.io.File": _to_file,
}


@dataclass(frozen=True)
class Parameter:
    """One ``#@`` input: its type as written, its name and its default text (None: required)."""

    type: str
    name: str
    default: str | None


def declared_parameters(source: str) -> list[Parameter]:
    """The input parameters a script declares, in order (output and service lines skipped)."""
    found = []
    for line in source.splitlines():
        match = _LINE.match(line)
        if match is None or match["type"] not in _CONVERT:
            continue
        default = None
        if match["attrs"]:
            value = _DEFAULT.search(match["attrs"])
            if value is not None:
                default = next(v for v in value.groups() if v is not None)
        found.append(Parameter(match["type"], match["name"], default))
    return found


def fill_parameters(source: str, args: Sequence[str]) -> dict[str, object]:
    """Each declared parameter's value from the ``name=value`` items of ``args``.

    Raises ``ValueError`` naming a parameter that is neither given nor defaulted, or
    whose value does not convert to its type.
    """
    given = dict(a.split("=", 1) for a in args if "=" in a)
    values: dict[str, object] = {}
    for parameter in declared_parameters(source):
        text = given.get(parameter.name, parameter.default)
        if text is None:
            raise ValueError(f"missing script parameter {parameter.name!r} "
                             f"(#@ {parameter.type} {parameter.name}): give it as {parameter.name}=VALUE")
        try:
            values[parameter.name] = _CONVERT[parameter.type](text)
        except ValueError:
            raise ValueError(f"script parameter {parameter.name!r} (#@ {parameter.type}): "
                             f"{text!r} is not a {parameter.type}") from None
    return values
