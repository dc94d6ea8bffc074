"""The image model as Python sees it: a short repr, and numpy's array protocol."""

from __future__ import annotations

import numpy as np
import pytest
import bridge
from tests.parity.cases import pydicom_test_files

FILES = pydicom_test_files()


@pytest.fixture
def ct(each_backend: str) -> bridge.ImagePlus:
    return bridge.open(FILES["CT_small.dcm"])


def test_repr_is_one_short_line(ct: bridge.ImagePlus, each_backend: str) -> None:
    assert repr(ct) == f"<ImagePlus 'CT_small.dcm' 128x128x1 16-bit backend={each_backend}>"
    assert repr(ct.getStack()) == "<ImageStack 128x128x1 16-bit>"
    assert repr(ct.getProcessor()) == "<ImageProcessor 128x128 16-bit>"


def test_repr_of_rgb_and_stacks(each_backend: str) -> None:
    rgb = bridge.open(FILES["examples_rgb_color.dcm"])
    assert repr(rgb) == f"<ImagePlus 'examples_rgb_color.dcm' 320x240x1 RGB backend={each_backend}>"
    frames = bridge.open(FILES["rtdose.dcm"])
    assert repr(frames) == f"<ImagePlus 'rtdose.dcm' 10x10x15 32-bit backend={each_backend}>"
    assert repr(frames.getStack()) == "<ImageStack 10x10x15 32-bit>"


def test_asarray_gives_what_bridge_array_gives(ct: bridge.ImagePlus) -> None:
    values = np.asarray(ct)
    expected = bridge.array(ct)
    assert values.shape == (1, 128, 128) and values.dtype == expected.dtype == np.uint16
    assert np.array_equal(values, expected)
    values[0, 0, 0] += 1
    assert not np.array_equal(values, bridge.array(ct))        # a copy, as bridge.array's
    assert np.asarray(ct, dtype=np.float64).dtype == np.float64


def test_asarray_of_rgb_is_unpacked() -> None:
    rgb = bridge.open(FILES["examples_rgb_color.dcm"])
    values = np.asarray(rgb)
    assert values.shape == (1, 240, 320, 3) and values.dtype == np.uint8
    assert np.array_equal(values, bridge.array(rgb))


@pytest.mark.skipif(np.lib.NumpyVersion(np.__version__) < "2.0.0", reason="copy= is numpy 2's")
def test_numpy2_copy_keyword(ct: bridge.ImagePlus) -> None:
    shared = np.asarray(ct, copy=False)
    assert np.shares_memory(shared, ct.data)
    assert not np.shares_memory(np.array(ct, copy=True), ct.data)
    with pytest.raises(ValueError, match="without a copy"):
        np.asarray(bridge.open(FILES["examples_rgb_color.dcm"]), copy=False)
    with pytest.raises(ValueError, match="without a copy"):
        np.asarray(ct, dtype=np.float32, copy=False)


def test_asarray_of_a_virtual_stack_reads_it(tmp_path, each_backend: str) -> None:
    for n in (1, 2):
        (tmp_path / f"mr{n}.dcm").write_bytes(open(FILES["MR_small.dcm"], "rb").read())
    virtual = bridge.open_series(tmp_path, virtual=True)
    assert repr(virtual) == f"<ImagePlus '{tmp_path.name}' 64x64x2 16-bit backend={each_backend}>"
    values = np.asarray(virtual)
    assert values.shape == (2, 64, 64) and np.array_equal(values, bridge.array(virtual))
    with pytest.raises(ValueError, match="without a copy"):
        np.asarray(virtual, copy=False)


def test_bridge_array_without_a_copy_is_a_read_only_view(ct: bridge.ImagePlus) -> None:
    view = bridge.array(ct, copy=False)
    assert np.shares_memory(view, ct.data) and np.array_equal(view, bridge.array(ct))
    assert not view.flags.writeable
    with pytest.raises(ValueError):
        view[0, 0, 0] = 1
    assert ct.data.flags.writeable                      # the image itself stays writable
    assert not np.shares_memory(bridge.array(ct), ct.data)      # the default: a new array


def test_bridge_array_of_a_series_shares_the_stack_until_asked_for_a_copy(tmp_path, each_backend: str) -> None:
    for n in (1, 2, 3):
        (tmp_path / f"mr{n}.dcm").write_bytes(open(FILES["MR_small.dcm"], "rb").read())
    stack = bridge.open_series(tmp_path)
    view = bridge.array(stack, copy=False)
    assert view.shape == (3, 64, 64) and np.shares_memory(view, stack.data) and not view.flags.writeable
    stack.data[1, 2, 3] += 1                                     # the view sees the image change
    assert view[1, 2, 3] == stack.data[1, 2, 3]
    own = bridge.array(stack, copy=True)                         # a writable copy of its own
    assert own.flags.writeable and not np.shares_memory(own, stack.data) and np.array_equal(own, view)
    own[...] = 0
    assert view.any()


def test_bridge_array_without_a_copy_still_converts_where_it_must(tmp_path) -> None:
    rgb = bridge.open(FILES["examples_rgb_color.dcm"])
    unpacked = bridge.array(rgb, copy=False)                     # RGB is unpacked: a new array, read-only
    assert unpacked.shape == (1, 240, 320, 3) and unpacked.dtype == np.uint8 and not unpacked.flags.writeable
    assert not np.shares_memory(unpacked, rgb.data) and np.array_equal(unpacked, bridge.array(rgb))
    for n in (1, 2):
        (tmp_path / f"mr{n}.dcm").write_bytes(open(FILES["MR_small.dcm"], "rb").read())
    virtual = bridge.open_series(tmp_path, virtual=True)         # a virtual stack is read from its files
    values = bridge.array(virtual, copy=False)
    assert values.shape == (2, 64, 64) and not values.flags.writeable
    assert np.array_equal(values, bridge.array(virtual))
