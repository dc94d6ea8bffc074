"""ImageJ 1.53t's rules for reading a tag back out of header text.

``DicomTools.getTag`` does a plain substring search, not a parse: it finds
the first occurrence of the id anywhere in the text, skips once past a
sequence-marked line, and returns everything after the next colon up to
the line end, leading space and padding included.  These functions repeat
exactly that, because ported scripts compare and concatenate those strings.
"""

from __future__ import annotations



def search_text(info: str | None, labels: list[str | None], current_slice: int) -> str | None:
    """The text ``getTag`` searches: the current slice label of a stack if it holds a header."""
    if len(labels) > 1:
        label = labels[current_slice - 1]
        if label is not None and label.find("\n") > 0:
            return label
    return info


def get_tag(text: str | None, tag_id: str) -> str | None:
    """``DicomTools.getTag`` on already chosen text (1.53t semantics)."""
    if not text:
        return None
    index = text.find(tag_id)
    if index == -1 or index + 11 >= len(text):
        return None                     # 1.53t: charAt(index+11) throws near the end -> null
    if text[index + 11] == ">":
        index = text.find(tag_id, index + 10)
        if index == -1:
            return None
    colon = text.find(":", index)
    if colon == -1:
        return None
    end = text.find("\n", colon)
    if end == -1:
        # 1.53t throws (substring with -1) and answers null in that case.
        return None
    return text[colon + 1:end]


def is_dicom_key(key: str) -> bool:
    """``ImagePlus.isDicomTag``: 9 characters, a comma at 4, the rest (lower-cased) digits or a-f.

    Java's ``Character.isDigit`` accepts any Unicode decimal digit, hence ``isdecimal``.
    """
    if len(key) != 9 or key[4] != ",":
        return False
    lowered = key.lower()
    return len(lowered) == 9 and all(c.isdecimal() or c in "abcdef"
                                     for i, c in enumerate(lowered) if i != 4)


def _find_key(text: str, key: str) -> int:
    """Index just after ``key`` where it does not end a longer word, else -1 (ImagePlus.findKey)."""
    i = text.find(key)
    while i > 0 and _letter_or_digit(text[i - 1]):
        i = text.find(key, i + len(key))
    return -1 if i < 0 else i + len(key)


def _letter_or_digit(c: str) -> bool:
    """Java's ``Character.isLetterOrDigit`` (Python's ``isalnum`` also takes e.g. '²')."""
    return c.isalpha() or c.isdecimal()


def get_property_value(text: str | None, key: str) -> str | None:
    """The ``key: value`` (or ``key = value``, ``key=value``) lookup of ``getStringProperty``.

    The value comes without the separator, up to the line end.
    """
    if not text:
        return None
    for separator in (": ", " = ", "="):
        start = _find_key(text, key + separator)
        if start >= 0:
            break
    else:
        return None
    end = text.find("\n", start)
    return text[start:] if end == -1 else text[start:end]


def get_string_property(info: str | None, labels: list[str | None], current_slice: int,
                        key: str) -> str | None:
    """``ImagePlus.getStringProperty`` (1.53t) for images that are not tag keys."""
    if len(labels) > 1:
        label = labels[current_slice - 1]
        if label is not None and label.find("\n") > 0:
            value = get_property_value(label, key)
            if value is not None:
                return value
    return get_property_value(info, key)
