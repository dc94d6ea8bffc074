"""A command's option string, read the way ImageJ's dialogs read it in a macro.

``run("Median...", "radius=2 stack")`` hands the dialog ``"radius=2 stack"``;
each dialog field finds its value by its key (the label's first word, lower
case): ``key=value`` up to the next space, ``key=[value with spaces]`` up to
``]``, and a checkbox is on when its key stands alone.  ImageJ ignores keys
no field asks for; bridge refuses them, because a misspelt key silently left
at its default is the bug a user of a ported script never finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ...errors import ScriptError

#: ``key``, ``key=value`` or ``key=[value]``; a value may be empty (``title=``).
_TOKEN = re.compile(r"([^\s=\[\]]+)(?:=(\[[^\]]*\]|\S*))?")


class Options:
    """The keys and values of one command's option string; ``done()`` refuses the keys nobody read."""

    def __init__(self, command: str, text: str | None) -> None:
        self.command = command
        self.text = text or ""
        self._values: dict[str, str | None] = {}
        for match in _TOKEN.finditer(self.text):
            key, value = match.group(1), match.group(2)
            if value is not None and value.startswith("["):
                value = value[1:-1]
            self._values.setdefault(key, value)
        self._read: set[str] = set()

    def __repr__(self) -> str:
        return f"Options({self.command!r}, {self.text!r})"

    def keys(self) -> list[str]:
        """The keys the option string names, in order (for a family of keys such as ``series_1``)."""
        return list(self._values)

    def has(self, key: str) -> bool:
        """Whether ``key`` appears at all (a value or a checkbox)."""
        self._read.add(key)
        return key in self._values

    def flag(self, key: str) -> bool:
        """A checkbox: on when ``key`` stands alone (``key=`` with a value is a field, not a box)."""
        self._read.add(key)
        return key in self._values and self._values[key] is None

    def text_value(self, key: str, default: str) -> str:
        """A text field or choice; ``default`` when the key is absent."""
        self._read.add(key)
        value = self._values.get(key)
        return default if value is None else value

    def number(self, key: str, default: float) -> float:
        """A numeric field; ImageJ's ``Tools.parseDouble`` rules (a non-number is an error here)."""
        value = self.text_value(key, "")
        if value == "":
            return default
        try:
            return float(value)
        except ValueError:
            raise ScriptError(self.command, None, f'"{value}" is an invalid number for "{key}"') from None

    def choice(self, key: str, choices: Sequence[str], default: str) -> str:
        """A choice field: one of ``choices`` (ImageJ also accepts any case), else an error naming it."""
        value = self.text_value(key, default)
        for choice in choices:
            if value.lower() == choice.lower():
                return choice
        raise ScriptError(self.command, None, f'"{value}" is not a valid choice for "{key}" '
                                              f'(one of {", ".join(choices)})')

    def done(self, also_accepted: Iterable[str] = ()) -> None:
        """Refuse any key no field read (``also_accepted``: keys ImageJ's dialog has that change nothing here)."""
        unknown = sorted(set(self._values) - self._read - set(also_accepted))
        if unknown:
            raise ScriptError(self.command, None, f'unrecognized option "{unknown[0]}" for "{self.command}" '
                                                  f"(the keys are the dialog's first words)")
