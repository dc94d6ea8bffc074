"""Header scans: good, bad and zipped files; rows in order; executors incl. Dask."""

import csv
import io
import json
import shutil
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydicom.data import get_testdata_file

import bridge
from bridge import cli
from bridge.scan import scan

TAGS = ["0008,0060", "0028,0030", "0008,1030"]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(get_testdata_file("CT_small.dcm"), tmp_path / "a_ct.dcm")
    shutil.copy(get_testdata_file("MR_small.dcm"), tmp_path / "sub" / "b_mr.dcm")
    (tmp_path / "c_notes.txt").write_text("not a DICOM file\n" * 20)
    with zipfile.ZipFile(tmp_path / "d_ct.zip", "w") as archive:
        archive.write(get_testdata_file("CT_small.dcm"), "ct.dcm")
    return tmp_path


def _expected_tags(path):
    imp = bridge.IJ.openImage(path)
    return {tag: bridge.DicomTools.getTag(imp, tag) for tag in TAGS}


def test_rows_in_order_with_values_and_errors(each_backend, folder):
    rows = list(scan(folder, TAGS, progress=False))
    assert [r["path"] for r in rows] == [str(folder / "a_ct.dcm"), str(folder / "c_notes.txt"),
                                         str(folder / "d_ct.zip"), str(folder / "sub" / "b_mr.dcm")]
    ct, notes, zipped, mr = rows
    assert ct == {"path": str(folder / "a_ct.dcm"), **_expected_tags(folder / "a_ct.dcm"), "error": None}
    assert ct["0008,0060"] == " CT" and ct["0008,1030"] == " e+1 "
    assert mr["0008,1030"] is None and mr["error"] is None
    assert notes["error"].startswith("NotDicomError") and notes["0008,0060"] is None
    assert zipped["0008,0060"] == " CT" and zipped["error"] is None  # ImageJ's rule: the first .dcm entry


def test_executors_give_the_same_rows(folder):
    bridge.set_backend("pydicom")
    serial = list(scan(folder, TAGS, progress=False, chunk_size=1))
    with ThreadPoolExecutor(2) as pool:
        assert list(scan(folder, TAGS, executor=pool, chunk_size=1, progress=False)) == serial
    assert list(scan(folder, TAGS, chunk_size=2, progress=False)) == serial  # default process pool


@pytest.mark.slow
def test_dask_local_cluster(folder):
    distributed = pytest.importorskip("distributed")
    bridge.set_backend("pydicom")
    serial = list(scan(folder, TAGS, progress=False))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  processes=True) as cluster, distributed.Client(cluster) as client:
        rows = list(scan(folder, TAGS, executor=client, chunk_size=1, progress=False))
    assert rows == serial


def test_cli_csv_and_json(each_backend, folder, capsys):
    assert cli.main(["--backend", each_backend, "scan", str(folder), "--tags", *TAGS, "--quiet"]) == 1
    captured = capsys.readouterr()
    table = list(csv.DictReader(io.StringIO(captured.out)))
    assert [r["path"] for r in table][0] == str(folder / "a_ct.dcm")
    assert table[0]["0008,0060"] == " CT" and table[1]["error"].startswith("NotDicomError")
    assert captured.err == "bridge: 1 of 4 files could not be read (their rows say why, under 'error')\n"
    assert cli.main(["--backend", each_backend, "scan", str(folder / "a_ct.dcm"), "--tags", "0008,0060",
                     "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(folder / "a_ct.dcm"), "0008,0060": " CT",
                                                   "error": None}


@pytest.mark.jvm
def test_jvm_backend_says_it_does_not_use_an_executor(folder):
    with ThreadPoolExecutor(2) as pool, pytest.warns(UserWarning, match="executor= and workers= are for the pydicom"):
        rows = list(scan(folder, TAGS, executor=pool, backend="jvm", progress=False))
    assert len(rows) == 4


def test_cli_warnings_are_one_line(folder, monkeypatch, capsys):
    """A library warning reaches the command line's stderr as one 'bridge: warning:' line."""
    import warnings

    def warns(*args, **kw):
        warnings.warn("something to know\nover two lines")
        return iter([])

    monkeypatch.setattr(sys.modules["bridge.scan"], "scan", warns)   # `bridge scan` imports it when run
    assert cli.main(["scan", "-q", "-t", "0008,0060", str(folder)]) == 0
    assert capsys.readouterr().err == "bridge: warning: something to know over two lines\n"


def test_spawned_workers_emulate_the_callers_imagej(folder, emulate):
    """A worker that does not share this process's settings still speaks the release emulated here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    bridge.set_backend("pydicom")
    emulate("1.54p")          # 0002,0001 (empty, named from 1.54j on) has a line only in 1.54p
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        rows = list(scan(folder / "a_ct.dcm", ["0002,0001"], executor=pool, progress=False))
    assert rows[0]["0002,0001"] == " "
    emulate("1.53t")
    assert list(scan(folder / "a_ct.dcm", ["0002,0001"], progress=False))[0]["0002,0001"] is None


def _interrupt_handler_name() -> str:
    import signal
    return "ignored" if signal.getsignal(signal.SIGINT) == signal.SIG_IGN else "handled"


def test_pool_workers_leave_ctrl_c_to_the_caller():
    """A worker interrupted inside the pool's queue lock hangs its siblings and the shutdown; they ignore it."""
    from bridge.scan import process_pool
    with process_pool(1) as pool:
        assert pool.submit(_interrupt_handler_name).result(timeout=60) == "ignored"
    assert _interrupt_handler_name() == "handled"
