"""Files bridge writes for a user: whole or not at all, under the umask, a replaced file's mode kept."""

from __future__ import annotations

import os

import pytest

from bridge.core import atomicfile
from bridge.core.results import ResultsTable
from bridge.errors import BridgeError, SaveError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_new_file_gets_0666_less_the_umask(tmp_path):
    target = tmp_path / "new.bin"
    atomicfile.write(str(target), lambda out: out.write(b"data"))
    assert target.read_bytes() == b"data"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_a_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "private.bin"
    target.write_bytes(b"old")
    target.chmod(0o600)
    atomicfile.write(str(target), lambda out: out.write(b"new"))
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("failure", [ValueError("writer failed"), KeyboardInterrupt()])
def test_a_write_that_stops_leaves_the_old_file_and_no_temporary(tmp_path, failure):
    target = tmp_path / "kept.bin"
    target.write_bytes(b"old")

    def fill(out):
        out.write(b"half")
        raise failure
    with pytest.raises(type(failure)):
        atomicfile.write(str(target), fill)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.bin"]


def test_results_saved_where_nothing_can_be_written_raise_naming_the_file(tmp_path):
    table = ResultsTable()
    table.incrementCounter()
    table.addValue("Mean", 1.5)
    target = tmp_path / "no such folder" / "results.csv"
    with pytest.raises(SaveError) as caught:
        table.saveAs(target)
    assert isinstance(caught.value, BridgeError) and str(target) in str(caught.value)
