"""bridge.open_series / bridge.FolderOpener: the public face of folder stacks, on each backend."""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

import bridge
from bridge import FolderOpener, open_series
from bridge.backends import load
from bridge.errors import CorruptHeaderError, MissingFileError, NotDicomError
from bridge.model import LazyStack
from bridge.series import geometric_order
from tests.series_folders import CASES, Slice, write_folder

PURE_OPENER = importlib.util.find_spec("bridge.core.opener") is not None


@pytest.fixture(params=[pytest.param("jvm", marks=pytest.mark.jvm),
                        pytest.param("pydicom", marks=pytest.mark.skipif(
                            not PURE_OPENER, reason="the pure opener (bridge.core.opener) is not merged yet"))])
def backend(request):
    bridge.set_backend(request.param)
    return request.param


def test_open_series_builds_imagej_stack(backend, tmp_path):
    folder = write_folder(tmp_path, "series", CASES["out_of_order"])
    imp = open_series(folder)
    assert imp.getTitle() == "series" and imp.getStackSize() == 3
    assert [imp.getStack().getShortSliceLabel(n) for n in (1, 2, 3)] == ["s3", "s2", "s1"]
    imp.setSlice(3)
    assert bridge.DicomTools.getTag(imp, "0020,0013").strip() == "3"
    assert imp.getInfoProperty() is None
    assert imp.calibration.pixelDepth == pytest.approx(3.75)    # |2.5 - 10| / 2


def test_folder_opener_returns_none_where_imagej_does(backend, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "a.bin").write_bytes(b"not an image")
    assert FolderOpener.open(os.fspath(tmp_path / "empty")) is None
    assert FolderOpener.open(os.fspath(tmp_path / "junk")) is None
    with pytest.raises(MissingFileError, match="nowhere"):
        open_series(os.fspath(tmp_path / "nowhere" / "deeper"))
    with pytest.raises(NotDicomError) as err:
        open_series(os.fspath(tmp_path / "junk"))
    assert "does not appear to contain" in err.value.imagej_message


def test_single_file_folder_keeps_info_and_label(backend, tmp_path):
    imp = open_series(write_folder(tmp_path, "one", CASES["single"]))
    assert imp.getStackSize() == 1
    assert imp.getInfoProperty() == imp.getStack().getSliceLabel(1).split("\n", 1)[1]
    assert imp.getStack().getShortSliceLabel(1) == "only"


def test_virtual_gives_the_same_image_lazily(backend, tmp_path):
    folder = write_folder(tmp_path, "lazy", CASES["numeric_names"])
    eager, lazy = open_series(folder), open_series(folder, virtual=True)
    assert isinstance(lazy.data, LazyStack) and lazy.data.shape == eager.data.shape
    assert lazy.labels == eager.labels and lazy.display_range == eager.display_range
    assert lazy.calibration == eager.calibration
    assert np.array_equal(lazy.getStack().getPixels(4), eager.getStack().getPixels(4))
    assert np.array_equal(bridge.array(lazy), bridge.array(eager))


def test_geometric_sort_orders_along_the_normal(backend, tmp_path):
    folder = write_folder(tmp_path, "tilted", CASES["tilted"])
    imagej = open_series(folder)
    geometric = open_series(folder, sort="geometric")
    assert imagej.labels == geometric.labels[::-1]         # Instance Number runs against the normal here
    assert np.array_equal(np.asarray(imagej.data)[::-1], np.asarray(geometric.data))
    assert geometric.calibration.pixelDepth == pytest.approx(0.8)   # z steps of 1 along (0, -0.6, 0.8)
    geometric.setSlice(1)
    assert bridge.DicomTools.getTag(geometric, "0020,0013").strip() == "4"   # queries see the new order


def test_geometric_sort_needs_positions(backend, tmp_path):
    with pytest.raises(CorruptHeaderError, match="r1"):
        open_series(write_folder(tmp_path, "nopos", CASES["no_position"]), sort="geometric")


def test_unknown_sort_is_refused():
    with pytest.raises(ValueError, match="geometric"):
        open_series("/tmp", sort="name")


def test_geometric_order_ties_keep_order_and_spacing_is_signed_free():
    label = "n\n0020,0032  Image Position (Patient): 0\\0\\{z}\n0020,0037  Image Orientation (Patient): 1\\0\\0\\0\\1\\0\n"
    order, spacing = geometric_order([label.format(z=z) for z in (3, 1, 1, 5)])
    assert order == [1, 2, 0, 3] and spacing == pytest.approx(4 / 3)


def test_lazy_stack_reads_one_slice_per_index():
    reads = []

    def read(n):
        reads.append(n)
        return np.full(6, n, dtype=np.uint16)

    lazy = LazyStack((4, 2, 3), np.uint16, read)
    assert lazy[2].shape == (2, 3) and lazy[-1][0, 0] == 3 and reads == [2, 3]
    lazy[-1]
    assert reads == [2, 3]                       # the last slice read is kept
    assert lazy.reordered([3, 2, 1, 0])[0][0, 0] == 3
    assert np.asarray(lazy)[:, 0, 0].tolist() == [0, 1, 2, 3]
    with pytest.raises(IndexError):
        lazy[4]
    with pytest.raises(ValueError):
        lazy[0][0, 0] = 1                        # read-only: a write would be lost


@pytest.mark.jvm
def test_jvm_series_is_quiet_and_keeps_the_java_image(tmp_path, capfd):
    folder = write_folder(tmp_path, "odd", CASES["odd_files"])
    imp = load("jvm").open_series(folder)
    out = capfd.readouterr().out
    assert "wrong size" not in out and "Unsupported format" not in out
    assert load("jvm").java_image(imp).getStackSize() == imp.getStackSize() == 2


@pytest.mark.jvm
def test_jvm_series_sorts_instance_numbers_like_imagej(tmp_path):
    folder = write_folder(tmp_path, "neg", CASES["negative_and_large"])
    imp = load("jvm").open_series(folder)
    numbers = []
    for n in range(1, imp.getStackSize() + 1):
        imp.setSlice(n)
        numbers.append(load("jvm").get_tag(imp, "0020,0013").strip())
    assert numbers == ["2", "-1", "10", "-20", "100000"]


def test_series_of_mixed_files_with_extra_subfolder(backend, tmp_path):
    folder = write_folder(tmp_path, "mix", [Slice("b2", 2, z=0.0), Slice("b1", 1, z=2.0)])
    os.mkdir(os.path.join(folder, "subfolder"))
    imp = open_series(folder)
    assert [imp.getStack().getShortSliceLabel(n) for n in (1, 2)] == ["b1", "b2"]
