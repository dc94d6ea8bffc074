import subprocess
import sys

import pytest
from pydicom.data import get_testdata_file

from bridge import cli

CT = get_testdata_file("CT_small.dcm")


def test_tag_prints_gettag_strings(each_backend, capsys):
    status = cli.main(["--backend", each_backend, "tag", CT, "0008,1030", "0028,0030", "0009,9999"])
    out = capsys.readouterr().out.splitlines()
    assert out == ["0008,1030: e+1 ", "0028,0030: 0.661468\\0.661468 ", "0009,9999:null"]
    assert status == 1  # one tag absent


def test_unreadable_file_is_exit_1_with_the_file_named(tmp_path, capsys):
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(b"not dicom at all")
    assert cli.main(["--backend", "pydicom", "tag", str(bad), "0008,0060"]) == 1
    assert str(bad) in capsys.readouterr().err


def test_usage_error_is_exit_2():
    with pytest.raises(SystemExit) as info:
        cli.main(["tag"])
    assert info.value.code == 2


def test_module_entry_point_runs_from_the_repo_root():
    """`python -m bridge` works even though the repo's java/ folder shadows `import java`."""
    done = subprocess.run([sys.executable, "-m", "bridge", "--backend", "pydicom", "tag", CT, "0008,0060"],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout == "0008,0060: CT\n", done.stderr
