"""What an ``ij.jar`` says about itself, read from its class files without a JVM.

Its release (``ImageJ.VERSION``, a string constant of ``ij/ImageJ.class``)
decides which ImageJ both backends emulate when no version is asked for
(:mod:`bridge.emulation`); its tag dictionary (the ``String[]`` of
``ij.plugin.DicomDictionary``) is what ``scripts/extract_dictionary.py``
records for the pure backend (:mod:`bridge.core.dictionary`).
"""

from __future__ import annotations

import os
import re
import struct
import zipfile

CLASS_ENTRY = "ij/plugin/DicomDictionary.class"
VERSION_CLASS = "ij/ImageJ.class"

#: a dictionary entry: eight hex digits (or ``x`` placeholders, 1.54j's ``50xx0005``) and ``=``
ENTRY = re.compile(r"^[0-9A-Fx]{8}=")
_VERSION = re.compile(r"^1\.\d\d[a-z]$")

# Constant-pool tags -> size of the entry body after the tag byte (Utf8 is variable).
_UTF8, _STRING, _LONG, _DOUBLE = 1, 8, 5, 6
_FIXED_SIZES = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4,
                15: 3, 16: 2, 17: 4, 18: 4, 19: 2, 20: 2}


class JarError(ValueError):
    """The jar or class file does not hold what is asked for (a DicomDictionary, a version)."""


def _modified_utf8(raw: bytes) -> str:
    """Decode the JVM's "modified UTF-8" (NUL as C0 80, astral chars as surrogate pairs)."""
    text = raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", "surrogatepass")
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def constant_strings(class_bytes: bytes) -> list[str]:
    """The ``CONSTANT_String`` values of a class file, in constant-pool order."""
    if class_bytes[:4] != b"\xca\xfe\xba\xbe":
        raise JarError("not a Java class file")
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
                raise JarError(f"unknown constant-pool tag {tag} at byte {pos - 1}")
            index += 2 if tag in (_LONG, _DOUBLE) else 1   # 8-byte constants take two slots
    except (IndexError, struct.error) as exc:
        raise JarError("truncated class file") from exc
    return [utf8[i] for i in string_refs if i in utf8]


def entries_from_class(class_bytes: bytes) -> dict[str, str]:
    """``{"GGGGEEEE": "VRName"}`` from DicomDictionary.class, in its order, later keys winning."""
    table: dict[str, str] = {}
    for text in constant_strings(class_bytes):
        if ENTRY.match(text):
            table[text[:8]] = text[9:]    # a duplicate key keeps its first position, last value
    if not table:
        raise JarError(f"no dictionary entries in {CLASS_ENTRY}")
    return table


def read_class(jar_path: str | os.PathLike[str], entry: str) -> bytes:
    try:
        with zipfile.ZipFile(jar_path) as jar:
            return jar.read(entry)
    except KeyError as exc:
        raise JarError(f"{jar_path}: no {entry}") from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise JarError(f"{jar_path}: cannot read the jar ({exc})") from exc


def entries_from_jar(jar_path: str | os.PathLike[str]) -> dict[str, str]:
    """The dictionary of an ``ij.jar``."""
    class_bytes = read_class(jar_path, CLASS_ENTRY)
    try:
        return entries_from_class(class_bytes)
    except JarError as exc:
        raise JarError(f"{jar_path}: {exc}") from exc


def jar_version(jar_path: str | os.PathLike[str]) -> str:
    """``ImageJ.VERSION`` of an ``ij.jar`` ("1.54p"), from its class file, without a JVM."""
    class_bytes = read_class(jar_path, VERSION_CLASS)
    try:
        found = [text for text in constant_strings(class_bytes) if _VERSION.match(text)]
    except JarError as exc:
        raise JarError(f"{jar_path}: {exc}") from exc
    if len(found) != 1:
        raise JarError(f"{jar_path}: no single version string in {VERSION_CLASS} ({found})")
    return found[0]


