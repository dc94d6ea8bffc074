"""Parity of ``BF.openImagePlus``: the real Bio-Formats 7.3.1 (jvm) against bridge.core.bioformats (pydicom).

Every pydicom test file, field by field.  What the pure reader does not
reproduce is listed in ``bioformats_ledger.txt`` (file, field, reason) and
runs as a strict xfail, so a fixed case fails until it leaves the ledger.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bridge.compare import bioformats_snapshot

from .cases import ledger_cases, pydicom_test_files

FIELDS = ("opened", "count", "title", "dimensions", "type", "calibration", "display_range", "labels", "pixels",
          "info_core", "info_keys", "info")      # bridge.compare.BIOFORMATS_FIELDS, the metadata table also by parts
LEDGER_FILE = Path(__file__).with_name("bioformats_ledger.txt")
FILES = {name: path for name, path in pydicom_test_files().items() if "/" not in name}


def _ledger() -> dict[tuple[str, str], str]:
    entries = {}
    for line in LEDGER_FILE.read_text().splitlines():
        text, _, reason = line.partition("#")
        if text.split():
            name, field = text.split()
            entries[(name, field)] = reason.strip()
    return entries


LEDGER = _ledger()


@lru_cache(maxsize=None)
def bf_snapshot(backend: str, path: str) -> dict[str, Any]:
    """What ``BF.openImagePlus(path)`` gives on one backend (``bridge compare --reader bioformats``'s snapshot),
    with the metadata table also split into its core lines and its element keys."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")    # pydicom's warnings on odd values
        snap = bioformats_snapshot(backend, path)
    info = snap.get("info") or ""
    return {**snap, "info_core": [line for line in info.splitlines() if line.startswith(" ")],
            "info_keys": [line[:9] for line in info.splitlines() if line[4:5] == ","]}


def _same(field: str, a: Any, b: Any) -> bool:
    if field == "pixels":
        return bool(a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b))
    return bool(a == b)


@pytest.mark.parametrize(("name", "field"),
                         ledger_cases(FILES, FIELDS, LEDGER, (pytest.mark.jvm, pytest.mark.bioformats)))
def test_field(name: str, field: str) -> None:
    real = bf_snapshot("jvm", FILES[name])
    ours = bf_snapshot("pydicom", FILES[name])
    if field == "opened":
        assert real["opened"] == ours["opened"]
        return
    if not (real["opened"] and ours["opened"]):
        return      # nothing to compare: "opened" reports the difference
    assert _same(field, real[field], ours[field]), f"{name} {field}:\n Bio-Formats {real[field]!r}\n ours {ours[field]!r}"


@pytest.mark.jvm
@pytest.mark.bioformats
def test_compressed_files_are_compared() -> None:
    """The acceptance point: compressed transfer syntaxes (JPEG, JPEG 2000, RLE) agree field by field."""
    compressed = ["693_J2KI.dcm", "MR_small_jp2klossless.dcm", "SC_rgb_jpeg.dcm", "SC_rgb_jpeg_dcmtk.dcm",
                  "SC_rgb_small_odd_jpeg.dcm", "examples_ybr_color.dcm"]
    for name in compressed:
        real, ours = bf_snapshot("jvm", FILES[name]), bf_snapshot("pydicom", FILES[name])
        assert real["opened"] and ours["opened"], name
        assert all(_same(f, real[f], ours[f]) for f in FIELDS), name


def test_ledger_names_existing_cases() -> None:
    stale = [key for key in LEDGER if key[0] not in FILES or key[1] not in FIELDS]
    assert not stale, stale
