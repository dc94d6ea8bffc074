"""`bridge compare` over all of pydicom's test data: every file identical on both backends."""

from pathlib import Path

import pydicom.data
import pytest

from bridge import cli


@pytest.mark.jvm
def test_compare_over_pydicoms_test_data_is_all_identical(capsys):
    folder = Path(pydicom.data.get_testdata_file("CT_small.dcm")).parent
    total = sum(1 for p in folder.rglob("*") if p.is_file() and not any(s.startswith(".") for s in p.relative_to(folder).parts))
    status = cli.main(["compare", str(folder)])
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"identical: {total}/{total}", out[-3000:]
    assert status == 0 and total > 170
