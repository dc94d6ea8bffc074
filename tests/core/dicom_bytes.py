"""Hand-built DICOM byte strings for the pure backend's unit tests."""

from __future__ import annotations

import random

from tests.fuzzgen import EXPLICIT_BE, EXPLICIT_LE, IMPLICIT_LE, Writer, meta

__all__ = ["EXPLICIT_BE", "EXPLICIT_LE", "IMPLICIT_LE", "Writer", "dicom", "element", "implicit"]

LE = Writer(True, True)
IMPLICIT = Writer(False, True)
BE = Writer(True, False)


def element(tag: int, vr: str, value: bytes) -> bytes:
    """An explicit-VR little-endian element."""
    return LE.element(tag, vr, value)


def implicit(tag: int, value: bytes) -> bytes:
    return IMPLICIT.element(tag, "", value)


def dicom(body: bytes, syntax: str = EXPLICIT_LE, preamble: bool = True) -> bytes:
    """``body`` behind a 128-byte preamble, ``DICM`` and a file meta group naming ``syntax``."""
    if not preamble:
        return body
    rng = random.Random(0)
    return bytes(128) + b"DICM" + meta(rng, syntax) + body
