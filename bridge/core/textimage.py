"""ImageJ's text images (``.txt``): the shape check ``TextReader`` makes before reading numbers.

``IJ.openImage`` sends a file named ``*.txt`` to ``TextReader``, which opens a
table of numbers as a 32-bit image.  The pydicom backend opens DICOM only, but
it reproduces TextReader's first pass, because that pass decides ImageJ's
error message: the words of each non-empty line are counted, and a line whose
count differs from the previous non-empty line's fails with "Line N is not
the same length as the first line."

A word is a run of the characters ``+``, ``-`` to DEL (43, 45-127) and any
character above 255 (``StreamTokenizer`` treats those as letters; the file is
read as UTF-8, so a stray Latin-1 byte becomes U+FFFD inside a word); every
other character separates words, and a line ends at CR, LF or CRLF.
"""

from __future__ import annotations

import re

_LINE_END = re.compile(r"\r\n|\r|\n")
_WORD = re.compile(r"[+\--\x7f\u0100-\U0010ffff]+")


def shape_error(path: str) -> str | None:
    """TextReader's message for a ragged table, or None when the table's lines agree."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    previous = 0
    lines = 0
    for line in _LINE_END.split(text)[:-1]:   # the part after the last line end has no EOL token
        words = len(_WORD.findall(line))
        if words == 0:
            continue                            # empty lines do not count
        lines += 1
        if lines > 1 and words != previous:
            return f"Line {lines} is not the same length as the first line."
        previous = words
    return None
