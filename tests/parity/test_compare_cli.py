"""`bridge compare` over all of pydicom's test data: both backends agree on every file."""

import json
from pathlib import Path

import pydicom.data
import pytest

from bridge import cli


@pytest.mark.jvm
def test_compare_over_pydicoms_test_data_is_all_identical(capsys):
    """Identical, except the files neither opens (not DICOM, no pixels, compressed): refused alike (status 1)."""
    folder = Path(pydicom.data.get_testdata_file("CT_small.dcm")).parent
    total = sum(1 for p in folder.rglob("*") if p.is_file() and not any(s.startswith(".") for s in p.relative_to(folder).parts))
    status = cli.main(["compare", "--json", str(folder)])
    report = json.loads(capsys.readouterr().out)
    differing = {f["file"]: f["differences"] for f in report["files"] if f["differences"]}
    assert differing == {} and report["total"] == total > 170
    unreadable = [f["file"] for f in report["files"] if f["unreadable"]]
    assert report["identical"] == total - len(unreadable) and report["identical"] > 50 and unreadable
    assert status == 1
