"""ImageJ's colour names and hex strings (``ij.plugin.Colors.decode``), as ARGB ints.

Selections keep colours as Java's ``Color.getRGB()``: a signed 32-bit ARGB
int (opaque colours are negative), which is what a ``.roi`` file stores.
"""

from __future__ import annotations

import re

#: java.awt.Color's named constants, RGB.
_NAMED = {"black": 0x000000, "white": 0xFFFFFF, "red": 0xFF0000, "blue": 0x0000FF, "yellow": 0xFFFF00,
          "green": 0x00FF00, "magenta": 0xFF00FF, "cyan": 0x00FFFF, "orange": 0xFFC800, "pink": 0xFFAFAF,
          "gray": 0x808080, "lightgray": 0xC0C0C0, "darkgray": 0x404040}
#: ``Colors.getColor``'s order: the first name the text contains wins ("darkred" is red).
_SEARCH_ORDER = ("black", "white", "red", "blue", "yellow", "green", "magenta", "cyan", "orange", "pink")
_JAVA_HEX = re.compile(r"[+-]?[0-9a-fA-F]+")


def argb(rgb: int, alpha: int = 255) -> int:
    """``new Color(rgb).getRGB()`` with that alpha, as Java's signed int."""
    value = ((alpha & 0xFF) << 24) | (rgb & 0xFFFFFF)
    return value - (1 << 32) if value >= 1 << 31 else value


CYAN = argb(_NAMED["cyan"])


def named(name: str) -> int | None:
    """``Colors.getColor(name, null)``: a colour whose name the text contains (any case), else None."""
    if len(name) < 2:
        return None
    name = name.lower()
    for candidate in _SEARCH_ORDER:
        if candidate in name:
            return argb(_NAMED[candidate])
    if "gray" in name or "grey" in name:
        shade = "lightgray" if "light" in name else "darkgray" if "dark" in name else "gray"
        return argb(_NAMED[shade])
    return None


def decode(text: str | None, default: int) -> int:
    """``Colors.decode(text, default)``: a name, or 6 (RGB) or 8 (ARGB) hex digits after an optional # or 0x."""
    if text is None or len(text) < 2:
        return default
    found = named(text)
    if found is not None:
        return found
    digits = text[1:] if text.startswith("#") else text[2:] if text.startswith("0x") else text
    if len(digits) not in (6, 8) or not _JAVA_HEX.fullmatch(digits):
        return default
    value = int(digits, 16) & 0xFFFFFFFF              # (int)Long.parseLong(hex, 16)
    return argb(value, value >> 24 if len(digits) == 8 else 255)
