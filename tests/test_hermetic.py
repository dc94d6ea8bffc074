"""The suite depends on nothing outside the checkout and the temp folders its tests make.

A test that names a file such as ``/tmp/x.dcm`` passes only on the machine where that file was
left behind; on a fresh clone it fails.  This check reads every test module's string literals and
refuses absolute paths in the places where such leftovers live.  (``conftest.py`` also refuses,
at run time, any open of a shared temp folder outside the run's private ``TMPDIR``.)
"""

from __future__ import annotations

import io
import os
import tokenize
from pathlib import Path

import pytest

from tests.conftest import PRIVATE_TMP

TESTS = Path(__file__).resolve().parent
#: Folders whose contents differ from machine to machine (user homes, temp folders, work trees).
MACHINE_LOCAL = ("/tmp/", "/var/tmp/", "/root/", "/home/", "/work/", "/mnt/", "/srv/")


def machine_local_paths(source: str) -> list[tuple[int, str]]:
    """(line, literal) for each string literal in ``source`` that names a machine-local absolute path."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING:
            continue
        body = token.string.lstrip("rbuRBUfF").strip("'\"")
        if body.startswith(MACHINE_LOCAL) and body not in MACHINE_LOCAL:   # a file or folder in them
            found.append((token.start[0], body))
    return found


def test_finder_sees_a_leftover_path() -> None:
    leftover = os.path.join("/tmp", "f20473.dcm")       # the file a removed test depended on
    assert machine_local_paths(f"open({leftover!r})\nPath('relative/x')\n") == [(1, leftover)]


def test_no_test_names_a_machine_local_path() -> None:
    offenders = [f"{path.relative_to(TESTS.parent)}:{line}: {literal}"
                 for path in sorted(TESTS.rglob("*.py")) if path != Path(__file__).resolve()
                 for line, literal in machine_local_paths(path.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.skipif(not PRIVATE_TMP, reason="only under scripts/test, which makes the private TMPDIR")
def test_opening_shared_temp_is_refused() -> None:
    shared = os.path.join("/tmp", "bridge-hermetic-probe.dcm")
    with pytest.raises(RuntimeError, match="private TMPDIR"):
        open(shared, "rb")
