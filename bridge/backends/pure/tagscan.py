"""``getTag`` values of a few tags without building the whole header text (for scans).

A scan asks for three tags of thousands of files; rendering every line of
every header to search three of them is most of the work.  ImageJ's
``getTag`` is a substring search in the text, so a line that is not about
the tag matters only if the tag id appears *inside* it.  That cannot
happen when:

* the id is a canonical ``GGGG,EEEE`` (upper-case hex): then it can only
  start a line at the line's own tag (a line starts with ``GGGG,EEEE`` and
  two spaces, and the id holds no space, colon or LF);
* no dictionary name holds the id, and the id's ASCII bytes do not occur
  in any byte the walk read (values are shown as decoded text, numbers or
  counts: an ASCII run in the text comes from the same run in the bytes).

Under those conditions the text made of only the lines whose tag is
requested gives exactly the same ``getTag`` answers as the full text (first
occurrence, the one ``>`` skip, the value up to LF), and the walk is
ImageJ's own (:mod:`walker`), so where it stops or fails is unchanged.
Otherwise the full text is built, as ``getInfo`` would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ...errors import DicomReadError
from . import dictionary
from .decoder import header_text, open_source
from .header import HeaderText
from .source import ByteSource
from .tags import get_tag
from .walker import ImageJThrewError, Record, Walk

_CANONICAL = re.compile(r"[0-9A-F]{4},[0-9A-F]{4}")

#: ``(values by tag id, True)``, or ``(all None, False)`` when the file gave no header text
TagValues = tuple[dict[str, str | None], bool]


def tag_values(path: str, tag_ids: Sequence[str]) -> TagValues:
    """``getTag(getInfo(path), id)`` for each id, and whether the header text is non-empty.

    Raises what ``get_info`` raises (ImageJ's own exceptions); other failures
    only end the text, as they do in ImageJ.
    """
    fast = [n for n in map(_tag_number, tag_ids) if n is not None]
    if len(fast) == len(tag_ids):
        src = open_source(path)
        if isinstance(src, DicomReadError):
            return _none(tag_ids), False
        with src:
            result = _walk_for_tags(src, path, tag_ids, frozenset(fast))
        if result is not None:
            return result
    text, error = header_text(path)
    if isinstance(error, ImageJThrewError):
        raise error
    return {t: get_tag(text, t) for t in tag_ids}, bool(text)


def _walk_for_tags(src: ByteSource, path: str, tag_ids: Sequence[str],
                   wanted: frozenset[int]) -> TagValues | None:
    """The values from the lines of the wanted tags only; None when the shortcut does not hold."""
    table = dictionary.table()
    if any(_in_some_name(t, id(table)) for t in tag_ids):
        return None
    first = HeaderText()            # the text's first line, to know whether there is any text
    lines = HeaderText()            # the lines of the wanted tags
    picked: list[Record] = []
    walker = Walk(src, path, table)
    records = walker.records()
    try:
        for record in records:      # until a first line exists, every record may make it
            first.consume((record,))
            if record[0].tag in wanted:
                picked.append(record)
            if first.parts:
                break
        for record in records:
            if record[0].tag in wanted:
                picked.append(record)
    except ImageJThrewError:
        raise
    except DicomReadError:
        pass                        # the text ends here, as ImageJ's does
    if src.base != 0 or any(t.encode("ascii") in src.buf for t in tag_ids):
        return None                 # an id among the bytes read (or bytes no longer at hand)
    lines.consume(picked)
    text = lines.text()
    return {t: get_tag(text, t) for t in tag_ids}, bool(first.parts)


def _tag_number(tag_id: str) -> int | None:
    """``GGGG,EEEE`` as the walker's tag number, None for any other spelling."""
    if not _CANONICAL.fullmatch(tag_id):
        return None
    return int(tag_id[:4], 16) << 16 | int(tag_id[5:], 16)


@lru_cache(maxsize=256)
def _in_some_name(tag_id: str, table_id: int) -> bool:
    del table_id                    # part of the cache key: one answer per dictionary
    return any(tag_id in name for _, name in dictionary.table().values())


def _none(tag_ids: Sequence[str]) -> dict[str, str | None]:
    return {t: None for t in tag_ids}
