"""Bytes to text as ImageJ's ``new String(bytes)`` does it (UTF-8, Java 17).

ImageJ ignores Specific Character Set and decodes every value with the
JVM's default charset, UTF-8 here.  Java replaces malformed input like
Python's ``errors="replace"`` except for UTF-16 surrogates encoded in UTF-8
(``ED A0..BF ..``): Java replaces a complete 3-byte surrogate with *one*
U+FFFD, and ``ED xx`` before a non-continuation byte (or the end) with one,
where Python emits one per byte.  A codec error handler adds that rule.
"""

from __future__ import annotations

import codecs

REPLACEMENT = "\ufffd"


def _java_replace(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    raw, start = err.object, err.start
    if raw[start] == 0xED and start + 1 < len(raw) and 0xA0 <= raw[start + 1] <= 0xBF:
        # A surrogate's lead pair: Java swallows the third byte too if it continues the sequence.
        if start + 2 < len(raw) and raw[start + 2] & 0xC0 == 0x80:
            return REPLACEMENT, start + 3
        return REPLACEMENT, start + 2
    return REPLACEMENT, err.end


codecs.register_error("bridge-java-replace", _java_replace)


def java_string(raw: bytes) -> str:
    """``new String(raw)`` under a UTF-8 default charset."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "bridge-java-replace")
