"""The C accelerator (``bridge/core/_walker.c``) against the Python path, record by record.

Both paths must give the same header text line by line, the same FileInfo
fields and the same failure (class, message, ImageJ's message, the Java
exception) for every input: pydicom's test files, the seeded fuzz corpus
(``tests/fuzzgen``) and the hostile corpus (``tests/hostile/corpus``).
Each input is decoded from memory and from a file read in tiny chunks, so
the C loop's window moves (a header, a long VR's length or a value split
across two reads) are taken at every possible place.  The rest of the
suite runs on whichever path is active (the accelerator where it was built).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pydicom.data
import pytest

import bridge
from bridge.core import decoder, native, source
from bridge.core.decoder import Decoded
from bridge.errors import DicomReadError
from tests.fuzzgen import generate, generate_image
from tests.core.native_paths import paths_differ
from tests.hostile.corpus import corpus

pytestmark = pytest.mark.skipif(not native.BUILT, reason=f"the C accelerator is {native.WHY_NOT}")

TEST_FILES = sorted(p for p in glob.glob(os.path.join(
    os.path.dirname(pydicom.data.get_testdata_file("CT_small.dcm")), "**", "*"), recursive=True)
    if os.path.isfile(p))
ROOT = Path(__file__).resolve().parents[2]
CT_SMALL = pydicom.data.get_testdata_file("CT_small.dcm")
FUZZ_SEEDS = range(300)
HOSTILE = [case for case in corpus(0) if case.special is None]


def assert_same(decode: Callable[[], Decoded], what: str) -> None:
    difference = paths_differ(decode)
    assert difference is None, f"{what}: {difference}"


def check_bytes(data: bytes, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """``data`` from memory, and from a file read ``chunk`` bytes at a time."""
    assert_same(lambda: decoder.decode_bytes(data, name), f"{name} (memory)")
    path = tmp_path / "input.dcm"
    path.write_bytes(data)
    monkeypatch.setattr(source, "CHUNK", chunk)
    assert_same(lambda: decoder.decode(str(path)), f"{name} (file, chunks of {chunk})")
    failures = []
    for pure in (False, True):      # the jvm backend's guard walk
        bridge.configure(pure_python=pure)
        try:
            error = decoder.walk_failure(str(path))
        finally:
            bridge.configure(pure_python=None)
        failures.append(None if error is None else (type(error).__name__, str(error), error.imagej_message))
    assert failures[0] == failures[1], f"{name}: walk_failure differs"


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: os.path.relpath(p, os.path.dirname(TEST_FILES[0])))
def test_pydicom_test_files(path, monkeypatch):
    assert_same(lambda: decoder.decode(path), path)
    monkeypatch.setattr(source, "CHUNK", 61)
    assert_same(lambda: decoder.decode(path), f"{path} (chunks of 61)")


def test_fuzz_corpus(tmp_path, monkeypatch):
    for seed in FUZZ_SEEDS:
        check_bytes(generate(seed), f"fuzz-{seed}", tmp_path, monkeypatch, chunk=7 + seed % 41)


def test_image_fuzz_corpus(tmp_path, monkeypatch):
    for seed in FUZZ_SEEDS:
        name, data = generate_image(seed)
        check_bytes(data, name, tmp_path, monkeypatch, chunk=9 + seed % 29)


def test_hostile_corpus(tmp_path, monkeypatch):
    assert len(HOSTILE) > 300
    for i, case in enumerate(HOSTILE):
        check_bytes(case.data, case.id, tmp_path, monkeypatch, chunk=5 + i % 50)


def test_get_info_raises_alike_where_imagej_throws(tmp_path):
    """A negative length makes ImageJ throw: both paths raise the same error from get_info."""
    from bridge.core.walker import ImageJThrewError
    from tests.core.dicom_bytes import dicom, implicit
    path = tmp_path / "negative.dcm"
    path.write_bytes(dicom(implicit(0x00100010, b"")[:-4] + struct.pack("<i", -8) + b"\0" * 16))
    raised = []
    for pure in (False, True):
        bridge.configure(pure_python=pure)
        try:
            with pytest.raises(ImageJThrewError) as info:
                decoder.get_info(str(path))
        finally:
            bridge.configure(pure_python=None)
        raised.append((str(info.value), info.value.imagej_message, info.value.thrown))
    assert raised[0] == raised[1]
    assert raised[0][2] == "java.lang.NegativeArraySizeException: -8"


def test_an_error_that_is_not_imagejs_propagates():
    """Only DicomReadErrors become a walk's failure; anything else (a bug) escapes the C loop."""
    from bridge.core import header

    def broken(*args):
        raise ZeroDivisionError("a bug")

    native._module.bind(native.walker.Plan, native.walker.decide_long, broken, header._by_vr_line,
                        header.special_line, DicomReadError, native.walker.BIG_ENDIAN_UID)
    try:
        bridge.configure(pure_python=False)
        native.walker.forget_plans()        # every plan needs its line made anew: ``broken`` is called
        with pytest.raises(ZeroDivisionError):
            decoder.decode(CT_SMALL)
    finally:
        native._load()                      # binds the real functions again
        native.walker.forget_plans()
        bridge.configure(pure_python=None)


def test_the_environment_variable_forces_the_python_path(monkeypatch):
    monkeypatch.setenv("BRIDGE_PURE_PYTHON", "1")
    assert not native.active()
    assert native.path_in_use().startswith("pure Python (BRIDGE_PURE_PYTHON")
    monkeypatch.setenv("BRIDGE_PURE_PYTHON", "0")
    assert native.active()
    assert native.path_in_use() == "C accelerator (bridge.core._walker)"


def test_doctor_says_which_path_runs(monkeypatch):
    from bridge import doctor
    text, _ = doctor.report()
    assert "header walk: C accelerator" in text
    monkeypatch.setenv("BRIDGE_PURE_PYTHON", "yes")
    text, _ = doctor.report()
    assert "header walk: pure Python" in text


def test_without_the_extension_the_python_path_runs(tmp_path):
    """An install without a compiler: ``_walker`` cannot be imported, the walk runs in Python."""
    code = ("import sys; sys.modules['bridge.core._walker'] = None\n"
            "from bridge.core import native, decoder\n"
            "assert not native.BUILT and not native.active(), native.path_in_use()\n"
            "print(native.path_in_use())\n"
            f"print(decoder.decode({CT_SMALL!r}).info.count(chr(10)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    first, count = done.stdout.splitlines()
    assert first.startswith("pure Python (the C accelerator is not built")
    assert int(count) > 10


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="CI must test the accelerator it can build")
def test_ci_builds_the_accelerator():
    assert shutil.which("cc") is None or native.BUILT


def test_a_difference_between_the_paths_is_found():
    """The comparison can fail: a C path whose special lines differ is caught, line and all."""
    from bridge.core import header, walker

    def other_special_line(plan, start, value, location, shown_lines):
        return header.special_line(plan, start, value, location, {}).replace(b": ", b":  ", 1)

    walker.forget_plans()       # no line remembered from an earlier walk: the C path asks for each
    native._module.bind(walker.Plan, walker.decide_long, header.plan_line, header._by_vr_line,
                        other_special_line, DicomReadError, walker.BIG_ENDIAN_UID)
    try:
        difference = paths_differ(lambda: decoder.decode(CT_SMALL))
    finally:
        native._load()
        walker.forget_plans()
    assert difference is not None and difference.startswith("line ") and "Transfer Syntax UID:  " in difference


def test_fuzz_smoke_run(capsys):
    """A bounded run of ``scripts/fuzz_native.py`` (long runs and the ASan build: run the script)."""
    spec = importlib.util.spec_from_file_location("fuzz_native", ROOT / "scripts" / "fuzz_native.py")
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    assert fuzz.main(["--examples", "150", "--seed", "3"]) == 0
    assert "150 inputs from seed 3 (random, build" in capsys.readouterr().out
