"""The files the parity suite runs through both backends, and the ledger of known differences."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydicom.data
import pytest

from bridge.compare import snapshot

LEDGER = Path(__file__).with_name("ledger.txt")


def pydicom_test_files() -> dict[str, str]:
    """relative name -> path of every file in pydicom's bundled ``test_files`` and its ``dicomdirtests``."""
    folder = Path(pydicom.data.get_testdata_file("CT_small.dcm")).parent  # type: ignore[arg-type]
    files = sorted(p for p in folder.iterdir() if p.is_file())
    files += sorted(p for p in (folder / "dicomdirtests").rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): str(p) for p in files}


def ledger() -> dict[tuple[str, str], str]:
    """(file name, field) -> note, for each difference the pydicom backend still has."""
    entries = {}
    if LEDGER.exists():
        for line in LEDGER.read_text().splitlines():
            text, _, note = line.partition("#")
            parts = text.split()
            if len(parts) == 2:
                entries[(parts[0], parts[1])] = note.strip()
    return entries


@lru_cache(maxsize=None)
def cached_snapshot(backend: str, path: str) -> dict[str, Any]:
    """One snapshot per (backend, file) per test session; a crash becomes a field value."""
    try:
        return snapshot(backend, path)
    except Exception as exc:  # a bug in a backend must show as a difference, not abort the suite
        return {"crash": f"{type(exc).__name__}: {exc}"}


def environ_backend_free() -> bool:
    return "BRIDGE_BACKEND" not in os.environ


def ledger_cases(files: dict[str, str], fields: tuple[str, ...], ledger: dict[tuple[str, str], str],
                 marks: tuple[Any, ...]) -> list[Any]:
    """One ``(name, field)`` parameter per file and field; a ledger entry makes it a strict xfail with its reason."""
    params = []
    for name in files:
        for field in fields:
            case_marks = list(marks)
            if (name, field) in ledger:
                case_marks.append(pytest.mark.xfail(strict=True, reason=f"ledger: {ledger[(name, field)]}"))
            params.append(pytest.param(name, field, marks=case_marks, id=f"{name}::{field}"))
    return params
