"""``bridge.dataset(imp)``: the pydicom Dataset of an opened image, read when asked."""

from __future__ import annotations

import shutil
import zipfile

import numpy as np
import pydicom
import pytest

import bridge
from bridge.errors import MissingFileError
from bridge.model import GRAY8, ImagePlus
from tests.parity.cases import pydicom_test_files

FILES = pydicom_test_files()


def test_a_files_dataset_with_nested_sequences(each_backend):
    imp = bridge.open(FILES["examples_overlay.dcm"])
    ds = bridge.dataset(imp)
    assert "PixelData" not in ds
    assert ds.SOPInstanceUID == bridge.DicomTools.getTag(imp, "0008,0018").strip(" \0")
    referenced = ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID
    assert referenced and referenced in imp.info          # ImageJ lists the item's elements as text
    assert isinstance(ds.IconImageSequence[0], pydicom.Dataset)


def test_a_zip_entrys_dataset(tmp_path, each_backend):
    archive = tmp_path / "ct.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FILES["CT_small.dcm"], "ct.dcm")
    ds = bridge.dataset(bridge.open(str(archive)))
    assert ds.PatientName == "CompressedSamples^CT1" and ds.OtherPatientIDsSequence[0].PatientID


def test_decoded_images_keep_the_files_own_transfer_syntax(each_backend):
    bridge.configure(decode="all")
    try:
        imp = bridge.open(FILES["SC_rgb_small_odd_jpeg.dcm"])
    finally:
        bridge.configure(decode=None)
    ds = bridge.dataset(imp)
    assert ds.file_meta.TransferSyntaxUID == pydicom.uid.JPEGBaseline8Bit
    assert ds.DerivationCodeSequence[0].CodeMeaning == "Lossy Compression"


def test_read_at_the_call_not_at_the_open(tmp_path, monkeypatch):
    path = tmp_path / "mr.dcm"
    shutil.copy(FILES["MR_small.dcm"], path)
    with monkeypatch.context() as m:
        m.setattr(pydicom, "dcmread", lambda *a, **k: pytest.fail("the open read the dataset"))
        imp = bridge.open(str(path))
    changed = pydicom.dcmread(path)
    changed.PatientName = "Changed^After^Open"
    changed.save_as(path)
    assert bridge.dataset(imp).PatientName == "Changed^After^Open"


def test_a_computed_image_has_no_dataset():
    imp = ImagePlus(title="computed", data=np.zeros((1, 4, 4), np.uint8), image_type=GRAY8)
    assert bridge.dataset(imp) is None


def test_a_vanished_source_is_a_typed_error_naming_it(tmp_path):
    path = tmp_path / "gone.dcm"
    shutil.copy(FILES["CT_small.dcm"], path)
    imp = bridge.open(str(path))
    path.unlink()
    with pytest.raises(MissingFileError, match="gone.dcm"):
        bridge.dataset(imp)
