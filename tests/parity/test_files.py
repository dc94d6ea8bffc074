"""Parity: every pydicom test file, every facade field, jvm (real ImageJ) against pydicom.

Known differences live in ``ledger.txt`` and run as strict xfails, so a case
that gets fixed fails until it leaves the ledger.  ``scripts/update_ledger.py``
rewrites the ledger from a run.
"""

from __future__ import annotations

import pytest

from bridge.compare import FIELDS, describe, same

from .cases import cached_snapshot, ledger, ledger_cases, pydicom_test_files

FILES = pydicom_test_files()
LEDGER = ledger()


@pytest.mark.parametrize(("name", "field"), ledger_cases(FILES, (*FIELDS, "crash"), LEDGER, (pytest.mark.jvm,)))
def test_field(name: str, field: str) -> None:
    path = FILES[name]
    imagej = cached_snapshot("jvm", path)
    ours = cached_snapshot("pydicom", path)
    if field == "crash":
        assert "crash" not in imagej and "crash" not in ours, (imagej.get("crash"), ours.get("crash"))
        return
    if field not in imagej and field not in ours:
        return  # neither backend opened the file: nothing to compare for this field
    assert same(field, imagej.get(field), ours.get(field)), \
        f"{name} {field}: ImageJ vs pydicom backend\n{describe(field, imagej.get(field), ours.get(field))}"


def test_ledger_names_existing_cases() -> None:
    """A ledger line for a file or field that does not exist is a typo hiding a real case."""
    stale = [key for key in LEDGER if key[0] not in FILES or key[1] not in (*FIELDS, "crash")]
    assert not stale, stale
