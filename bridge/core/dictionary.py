"""ImageJ's own DICOM tag dictionary, read without a JVM.

ImageJ names header lines, and guesses implicit-VR value representations,
from the table in its package-private class ``ij.plugin.DicomDictionary``:
a ``String[]`` of ``"GGGGEEEE=" + VR(2 chars) + name`` entries.  Names differ
from pydicom's (``Image Date``, ``kVp``...), and 1.54j replaced the whole
table, so the pure backend must use *the* table of the ImageJ it emulates.

The table is taken straight out of the class file: every ``CONSTANT_String``
of the constant pool that looks like an entry, in pool order, a later key
replacing an earlier one (as ``getDictionary()``'s ``Properties.put`` does).
The 1.53t table ships as ``bridge/_data/imagej-1.53t-dictionary.txt``
(written by ``scripts/extract_dictionary.py``); pointing ``BRIDGE_IJ_JAR`` or
``bridge.configure(ij_jar=...)`` at another ``ij.jar`` makes the backend use
that jar's table instead, extracted once per jar and cached.

``DICOM_Dictionary.txt`` (ImageJ's run-time override in its own directory)
is not honoured: outside a GUI that directory is the JVM's start-up working
directory, which a Python process cannot know.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
from functools import lru_cache
from pathlib import Path

from .. import config

CLASS_ENTRY = "ij/plugin/DicomDictionary.class"
DATA_FILE = Path(__file__).resolve().parents[1] / "_data" / "imagej-1.53t-dictionary.txt"

_ENTRY = re.compile(r"^[0-9A-F]{8}=")

# Constant-pool tags -> size of the entry body after the tag byte (Utf8 is variable).
_UTF8, _STRING, _LONG, _DOUBLE = 1, 8, 5, 6
_FIXED_SIZES = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4,
                15: 3, 16: 2, 17: 4, 18: 4, 19: 2, 20: 2}


class DictionaryError(ValueError):
    """The jar or class file does not hold a usable DicomDictionary."""


def _modified_utf8(raw: bytes) -> str:
    """Decode the JVM's "modified UTF-8" (NUL as C0 80, astral chars as surrogate pairs)."""
    text = raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", "surrogatepass")
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def constant_strings(class_bytes: bytes) -> list[str]:
    """The ``CONSTANT_String`` values of a class file, in constant-pool order."""
    if class_bytes[:4] != b"\xca\xfe\xba\xbe":
        raise DictionaryError("not a Java class file")
    (count,) = struct.unpack_from(">H", class_bytes, 8)
    utf8: dict[int, str] = {}
    string_refs: list[int] = []
    pos, index = 10, 1
    try:
        while index < count:
            tag = class_bytes[pos]
            pos += 1
            if tag == _UTF8:
                (length,) = struct.unpack_from(">H", class_bytes, pos)
                utf8[index] = _modified_utf8(class_bytes[pos + 2:pos + 2 + length])
                pos += 2 + length
            elif tag in _FIXED_SIZES:
                if tag == _STRING:
                    string_refs.append(struct.unpack_from(">H", class_bytes, pos)[0])
                pos += _FIXED_SIZES[tag]
            else:
                raise DictionaryError(f"unknown constant-pool tag {tag} at byte {pos - 1}")
            index += 2 if tag in (_LONG, _DOUBLE) else 1   # 8-byte constants take two slots
    except (IndexError, struct.error) as exc:
        raise DictionaryError("truncated class file") from exc
    return [utf8[i] for i in string_refs if i in utf8]


def entries_from_class(class_bytes: bytes) -> dict[str, str]:
    """``{"GGGGEEEE": "VRName"}`` from DicomDictionary.class, in its order, later keys winning."""
    table: dict[str, str] = {}
    for text in constant_strings(class_bytes):
        if _ENTRY.match(text):
            table[text[:8]] = text[9:]    # a duplicate key keeps its first position, last value
    if not table:
        raise DictionaryError(f"no dictionary entries in {CLASS_ENTRY}")
    return table


def entries_from_jar(jar_path: str | os.PathLike[str]) -> dict[str, str]:
    """The dictionary of an ``ij.jar``."""
    try:
        with zipfile.ZipFile(jar_path) as jar:
            class_bytes = jar.read(CLASS_ENTRY)
    except KeyError as exc:
        raise DictionaryError(f"{jar_path}: no {CLASS_ENTRY}") from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise DictionaryError(f"{jar_path}: cannot read the jar ({exc})") from exc
    try:
        return entries_from_class(class_bytes)
    except DictionaryError as exc:
        raise DictionaryError(f"{jar_path}: {exc}") from exc


def format_table(table: dict[str, str]) -> str:
    """The shipped text form: one ``GGGGEEEE=VRName`` line per entry."""
    return "".join(f"{key}={value}\n" for key, value in table.items())


def parse_table(text: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in text.split("\n"):
        if _ENTRY.match(line):
            table[line[:8]] = line[9:]
    return table


@lru_cache(maxsize=None)
def _load(jar_path: str | None) -> dict[int, tuple[str, str]]:
    """``{tag: (vr, name)}`` for the shipped table (``None``) or the given jar."""
    if jar_path is None:
        table = parse_table(DATA_FILE.read_text(encoding="utf-8"))
    else:
        table = entries_from_jar(jar_path)
    return {int(key, 16): (value[:2], value[2:]) for key, value in table.items()}


def _configured_jar() -> str | None:
    """An ij.jar the user pointed at (setting or ``BRIDGE_IJ_JAR``), else None (shipped 1.53t)."""
    jar = config.settings().ij_jar
    return None if jar is None else _real(jar)


@lru_cache(maxsize=16)
def _real(path: str) -> str:
    return os.path.realpath(path)


def table() -> dict[int, tuple[str, str]]:
    """The dictionary in force, ``{tag: (vr, name)}``; cached per jar."""
    return _load(_configured_jar())


def tag_name(tag_id: str) -> str | None:
    """``DICOM.getTagName``: commas removed, then an exact upper-case ``GGGGEEEE`` lookup."""
    key = tag_id.replace(",", "")
    if len(key) != 8 or not _ENTRY.match(key + "="):
        return None
    entry = table().get(int(key, 16))
    return None if entry is None else entry[1]
