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


COMPRESSED = ("693_J2KI.dcm", "MR_small_jp2klossless.dcm", "SC_rgb_jpeg_dcmtk.dcm", "examples_ybr_color.dcm")


@pytest.mark.jvm
@pytest.mark.bioformats
def test_compare_reader_bioformats_agrees_on_compressed_files_and_shows_a_ledger_difference(tmp_path, capsys):
    """Real Bio-Formats against bridge's reproduction: identical on these, a JPEG 2000 decoder difference reported."""
    for name in (*COMPRESSED, "examples_jpeg2k.dcm"):
        (tmp_path / name).write_bytes(Path(pydicom.data.get_testdata_file(name)).read_bytes())
    assert cli.main(["compare", "--reader", "bioformats", *(str(tmp_path / n) for n in COMPRESSED)]) == 0
    out = capsys.readouterr().out
    assert "Bio-Formats' import" in out and f"identical: {len(COMPRESSED)}/{len(COMPRESSED)}" in out
    status = cli.main(["compare", "--reader", "bioformats", "--json", str(tmp_path)])
    report = json.loads(capsys.readouterr().out)
    differing = {Path(f["file"]).name: sorted(f["differences"]) for f in report["files"] if f["differences"]}
    assert status == 1 and report["reader"] == "bioformats" and report["total"] == len(COMPRESSED) + 1
    assert differing == {"examples_jpeg2k.dcm": ["pixels"]}     # tests/parity/bioformats_ledger.txt


def test_compare_reader_bioformats_refuses_imagej_only_fields_and_against(capsys):
    ct = pydicom.data.get_testdata_file("CT_small.dcm")
    assert cli.main(["compare", "--reader", "bioformats", "--fields", "tags", ct]) == 2
    assert "not a field of --reader bioformats" in capsys.readouterr().err
    assert cli.main(["compare", "--reader", "bioformats", ct, "--against", ct]) == 2
