"""The companion's one-call pixel export and header batches, checked against plain ImageJ calls."""

from __future__ import annotations

import shutil
import zipfile

import numpy as np
import pydicom.data
import pytest
from dicom_bytes import dicom_file

from bridge.backends.jvm import adapter, quiet_stdout, runtime
from bridge.errors import JavaError

pytestmark = pytest.mark.jvm


def per_slice(jimp) -> np.ndarray:
    """The adapter's slice-by-slice copy: the reference the one-call export must equal."""
    return adapter.to_model(jimp).data


@pytest.mark.parametrize("kind", ["8-bit", "16-bit", "32-bit", "RGB"])
@pytest.mark.parametrize("slices", [1, 3])
def test_export_equals_slice_by_slice_copy(companion, kind, slices):
    jimp = runtime.jclass("ij.IJ").createImage("t", f"{kind} random", 5, 4, slices)
    exported = adapter.stack_pixels(jimp)
    assert exported.shape == (slices, 4, 5)
    np.testing.assert_array_equal(exported, per_slice(jimp))


def test_export_refuses_a_target_that_is_too_small(companion):
    jimp = runtime.jclass("ij.IJ").createImage("t", "16-bit ramp", 8, 8, 2)
    with pytest.raises(Exception, match="needs 256"):
        companion.export_pixels(jimp, np.empty((1, 8, 8), np.uint16))


@pytest.fixture(scope="module")
def headers_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    shutil.copyfile(pydicom.data.get_testdata_file("CT_small.dcm"), folder / "ct.dcm")
    pixels = np.arange(12, dtype=np.uint16).reshape(1, 3, 4)
    (folder / "built.dcm").write_bytes(dicom_file(pixels, slope="2.5", intercept="-10"))
    (folder / "text.dcm").write_text("not dicom at all")
    return folder


def test_info_batch_equals_get_info_per_file(companion, jvm_backend, headers_dir):
    paths = [str(headers_dir / n) for n in ("ct.dcm", "built.dcm", "text.dcm", "missing.dcm")]
    assert companion.get_info_batch(paths) == [jvm_backend.get_info(p) for p in paths]


def test_tags_batch_follows_get_tag(companion, jvm_backend, headers_dir):
    paths = [str(headers_dir / n) for n in ("ct.dcm", "built.dcm", "missing.dcm")]
    tags = ["0008,1030", "0028,1053", "0020,0032", "7FE0,0010", "0008,103e"]
    rows = companion.get_tags_batch(paths, tags)
    for path, row in zip(paths, rows):
        if path.endswith("missing.dcm"):
            assert row == dict.fromkeys(tags)
            continue
        imp = jvm_backend.open_image(path)
        assert row == {tag: jvm_backend.get_tag(imp, tag) for tag in tags}
    assert rows[0]["0008,1030"] == " e+1 " and rows[1]["0028,1053"] == " 2.5 "


def test_batch_turns_java_exceptions_into_errors_naming_the_file(companion, headers_dir):
    """A Java exception for one path does not stop the batch.

    A null path makes ImageJ open a file dialog, which throws headless.
    """
    good = str(headers_dir / "ct.dcm")
    import jpype
    paths = jpype.JArray(jpype.JString)([good, None])
    headers = runtime.jclass("bridge.companion.Companion").getInfoBatch(paths)
    assert str(headers[0]).startswith("0002,0000")
    marked = str(headers[1])
    assert marked.startswith(companion.ERROR_MARK)
    error = companion._marked_error(marked, "<null>")
    assert isinstance(error, JavaError) and error.java_class == "java.lang.NullPointerException"
    assert "<null>" in str(error)


@pytest.mark.parametrize("name", ["folder", "missing.dcm", "text.dcm", "notes.zip"])
def test_open_image_fails_exactly_like_imagej(companion, tmp_path, capfd, name):
    (tmp_path / "folder").mkdir()
    (tmp_path / "text.dcm").write_text("not dicom at all")
    with zipfile.ZipFile(tmp_path / "notes.zip", "w") as zf:
        zf.writestr("notes.txt", "hello")
    path = str(tmp_path / name)
    IJ = runtime.jclass("ij.IJ")
    with quiet_stdout():
        IJ.getErrorMessage()
        plain = IJ.openImage(path)
        plain_message = IJ.getErrorMessage()
    IJ.getErrorMessage()
    assert companion.open_image(path) is None and plain is None
    assert IJ.getErrorMessage() == plain_message
    assert capfd.readouterr().out == ""
