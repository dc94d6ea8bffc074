"""ImageJ's own DICOM tag dictionary, read without a JVM.

ImageJ names header lines, and guesses implicit-VR value representations,
from the table in its package-private class ``ij.plugin.DicomDictionary``:
a ``String[]`` of ``"GGGGEEEE=" + VR(2 chars) + name`` entries.  Names differ
from pydicom's (``Image Date``, ``kVp``...), and 1.54j replaced the whole
table, so the pure backend must use *the* table of the ImageJ it emulates.

Each supported release's table ships as ``bridge/_data/imagej-<release>-dictionary.txt``,
written by ``scripts/extract_dictionary.py`` from a real ``ij.jar`` (its
version and sha256 in the file's ``#`` header); the release in force is
``bridge.emulation.rules().dictionary``.  The script takes the table straight
out of the class file: every ``CONSTANT_String`` of the constant pool that
looks like an entry, in pool order, a later key replacing an earlier one (as
``getDictionary()``'s ``Properties.put`` does), and checks it against what
the running jar answers.  Keys with ``xx`` placeholders (1.54j's
``50xx0005``...) are kept: ``DICOM.getTagName("50xx,0005")`` answers them,
though no element of a file ever has such a tag.

``DICOM_Dictionary.txt`` (ImageJ's run-time override in its own directory)
is not honoured: outside a GUI that directory is the JVM's start-up working
directory, which a Python process cannot know.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .. import emulation
from . import versions
from .ijjar import CLASS_ENTRY, ENTRY as _ENTRY, JarError as DictionaryError, entries_from_class, entries_from_jar

__all__ = ["CLASS_ENTRY", "DictionaryError", "data_file", "entries_from_class", "entries_from_jar",
           "format_table", "parse_table", "recorded", "releases_naming", "table", "tag_name"]

DATA_DIR = Path(__file__).resolve().parents[1] / "_data"
_HEX_KEY = re.compile(r"^[0-9A-F]{8}$")
#: a header line's tag and name: "0008,1140  >Referenced Image Sequence: ..." ("---" for a nameless tag)
_NAMED_LINE = re.compile(r"^([0-9A-F]{4}),([0-9A-F]{4})  >?([^:\n]*):", re.MULTILINE)

def data_file(release: str) -> Path:
    """Where the recorded dictionary of ``release`` ships."""
    return DATA_DIR / f"imagej-{release}-dictionary.txt"


def format_table(table: dict[str, str], header: Sequence[str] = ()) -> str:
    """The shipped text form: ``#`` header lines, then one ``GGGGEEEE=VRName`` line per entry."""
    return "".join(f"# {line}\n" for line in header) + "".join(f"{key}={value}\n" for key, value in table.items())


def parse_table(text: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in text.split("\n"):
        if _ENTRY.match(line):
            table[line[:8]] = line[9:]
    return table


@lru_cache(maxsize=None)
def recorded(release: str) -> dict[str, str]:
    """The shipped table of ``release``, ``{"GGGGEEEE": "VRName"}`` (placeholder keys included)."""
    return parse_table(data_file(release).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _by_tag(release: str) -> dict[int, tuple[str, str]]:
    return {int(key, 16): (value[:2], value[2:])
            for key, value in recorded(release).items() if _HEX_KEY.match(key)}


def table() -> dict[int, tuple[str, str]]:
    """The dictionary of the emulated release, ``{tag: (vr, name)}``, as the walker consults it."""
    return _by_tag(emulation.rules().dictionary)


def tag_name(tag_id: str) -> str | None:
    """``DICOM.getTagName``: commas removed, then an exact ``Properties`` lookup (no case folding)."""
    value = recorded(emulation.rules().dictionary).get(tag_id.replace(",", ""))
    return None if value is None else value[2:]


def releases_naming(text: str) -> list[str]:
    """The supported releases whose dictionary names the lines of a header text best, oldest first.

    Every line ``GGGG,EEEE  Name:`` scores a point for each release that
    gives that tag that name (``---`` where it has none); the releases with
    the most points are returned.  1.53t and 1.54f share a dictionary, so a
    header alone cannot tell them apart.
    """
    lines = _NAMED_LINE.findall(text)
    scores = {release: sum(recorded(release).get(group + element, "  ---")[2:] == name
                           for group, element, name in lines)
              for release in versions.SUPPORTED}
    best = max(scores.values())
    return [release for release in versions.SUPPORTED if scores[release] == best]
