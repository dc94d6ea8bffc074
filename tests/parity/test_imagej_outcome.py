"""Parity with the live jar itself: what ``IJ.openImage`` does (image, null or which exception).

``test_files.py`` compares the two backends; this asks real ImageJ 1.53t directly
(``IJ.openImage`` through JPype, as the ImageJ GUI runs it), so a backend that turned
an exception into a null, or invented a message, cannot agree with the other by mistake.
For every pydicom test file and a zip whose entry fails: the outcome, the message
``IJ.getErrorMessage()`` holds after it, and for an image its title, size, type, bit
depth, display range (or what asking for it throws) and stack size.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from pydicom.data import get_testdata_file

import bridge
from bridge import IJ
from bridge.errors import DicomReadError

from .cases import pydicom_test_files
from .image_check import describe, real_imagej

pytestmark = pytest.mark.jvm
FILES = pydicom_test_files()
THROWING = {"liver_1frame.dcm": "java.lang.NullPointerException",
            "liver_expb_1frame.dcm": "java.lang.NullPointerException",
            "image_dfl.dcm": "java.lang.NegativeArraySizeException"}


def facade(backend: str, path: str) -> tuple[Any, ...]:
    """The same through ``bridge.IJ.openImage`` on ``backend``."""
    bridge.set_backend(backend)
    IJ.getErrorMessage()
    try:
        imp = IJ.openImage(path)
    except DicomReadError as err:
        outcome, imp = f"throws {err.java_class}", None
    else:
        outcome = "null" if imp is None else "image"
    return outcome, IJ.getErrorMessage(), None if imp is None else describe(imp)


@pytest.fixture(scope="module")
def failing_zip(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A zip whose first entry is a ``.dcm`` ImageJ cannot decode (JPEG 2000)."""
    path = tmp_path_factory.mktemp("zip") / "j2k.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(str(get_testdata_file("JPEG2000.dcm")), "JPEG2000.dcm")
    return str(path)


@pytest.mark.parametrize("backend", ["jvm", "pydicom"])
def test_every_pydicom_file_as_the_live_jar(backend: str) -> None:
    differ = []
    for name, path in FILES.items():
        expected, got = real_imagej(path), facade(backend, path)
        if got != expected:
            differ.append(f"{name}: ImageJ {expected[:2]}, {backend} {got[:2]}")
    assert not differ, "\n".join(differ)


def test_the_three_throwing_files_throw() -> None:
    """The cases of issue 18, pinned: ImageJ throws, so the facade raises on both backends."""
    for name, java_class in THROWING.items():
        assert real_imagej(FILES[name])[0] == f"throws {java_class}"


@pytest.mark.parametrize("backend", ["jvm", "pydicom"])
def test_a_failing_zip_entry_gives_the_empty_image(backend: str, failing_zip: str) -> None:
    expected = real_imagej(failing_zip)
    assert expected[2] == ("null", 0, 0, 1, 0, 0, "throws java.lang.NullPointerException", 0)
    assert facade(backend, failing_zip) == expected


def test_the_jar_agrees_on_a_zip_entry_failing_at_the_boundary(tmp_path: Path) -> None:
    """The empty image's fields from the live jar are the ones pinned above (not a stale copy)."""
    path = tmp_path / "notdicom.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.dcm", b"not a DICOM file " * 16)
    for backend in ("jvm", "pydicom"):
        assert facade(backend, str(path)) == real_imagej(str(path))


def _fits_budget() -> bytes:
    """2048 x 2048 16-bit pixels declared over 64 bytes: ImageJ opens 8 MiB of zeros."""
    from tests.dicomgen import make_dicom
    return make_dicom([(0x00280010, "US", 2048), (0x00280011, "US", 2048), (0x00280100, "US", 16)], bytes(64))


@pytest.mark.parametrize("backend", ["jvm", "pydicom"])
@pytest.mark.parametrize("case", ["fits-budget", "cut-996", "cut-998", "cut-1000", "cut-1002", "cut-1100"])
def test_budget_and_offset_boundaries_as_the_live_jar(backend: str, case: str, tmp_path: Path) -> None:
    """An image inside the memory budget opens as in ImageJ; a cut multi-frame file opens below
    pixel offset 1000 and throws from it, as ImageJ does, with the same message after it."""
    from tests.hostile.corpus import _padded_multiframe
    data = _fits_budget() if case == "fits-budget" else _padded_multiframe(int(case[4:]), 100)
    path = tmp_path / f"{case}.dcm"
    path.write_bytes(data)
    expected = real_imagej(str(path))
    throws = case != "fits-budget" and int(case[4:]) >= 1000
    assert expected[0] == ("throws java.lang.NullPointerException" if throws else "image")
    assert facade(backend, str(path)) == expected
