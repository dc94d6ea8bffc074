"""Fixtures for the pure backend's image tests: both backends side by side, and parity checks."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from bridge.backends import load
from bridge.testing import assert_same_as_imagej
from bridge.errors import DicomReadError
from bridge.model import ImagePlus

@pytest.fixture(scope="session")
def jvm_backend():
    backend = load("jvm")
    missing = backend.missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"jvm backend unavailable: {missing}")
        pytest.skip(f"jvm backend unavailable: {missing}")
    return backend


@pytest.fixture(scope="session")
def pure_backend():
    return load("pydicom")


def open_or_error(backend, path: Path) -> ImagePlus | DicomReadError:
    try:
        return backend.open_image(str(path))
    except DicomReadError as err:
        return err


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path
    return write


def _same_float(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def assert_same_image(pure: ImagePlus, jvm: ImagePlus) -> None:
    """Every observable of the two snapshots, field by field (NaN equals NaN)."""
    assert pure.getTitle() == jvm.getTitle()
    assert (pure.getType(), pure.getWidth(), pure.getHeight(), pure.getStackSize()) == \
        (jvm.getType(), jvm.getWidth(), jvm.getHeight(), jvm.getStackSize())
    if jvm.getWidth() > 0:   # ImageJ's empty image has bit depth 0, which the model cannot say
        assert pure.getBitDepth() == jvm.getBitDepth()
    assert pure.data.dtype == jvm.data.dtype
    np.testing.assert_array_equal(pure.data, jvm.data)
    pc, jc = pure.calibration, jvm.calibration
    for name in ("pixelWidth", "pixelHeight", "pixelDepth", "xOrigin", "yOrigin", "zOrigin"):
        assert _same_float(getattr(pc, name), getattr(jc, name)), name
    assert (pc.unit, pc.function, pc.coefficients, pc.valueUnit) == \
        (jc.unit, jc.function, jc.coefficients, jc.valueUnit)
    assert all(_same_float(a, b) for a, b in zip(pure.display_range, jvm.display_range)), \
        (pure.display_range, jvm.display_range)
    assert pure.labels == jvm.labels
    assert pure.info == jvm.info
    assert pure.inverted_lut == jvm.inverted_lut
    assert (pure.lut is None) == (jvm.lut is None)
    if pure.lut is not None:
        np.testing.assert_array_equal(pure.lut, jvm.lut)
    assert pure.file_info == jvm.file_info
    assert pure.current_slice == jvm.current_slice


@pytest.fixture
def assert_parity(pure_backend, jvm_backend) -> Callable[[Path], ImagePlus | DicomReadError]:
    """Open ``path`` with both backends and require the same image (or the same refusal)."""
    def check(path: Path) -> ImagePlus | DicomReadError:
        assert_same_as_imagej(path)    # every facade field, Show Info text included (bridge.testing)
        pure = open_or_error(pure_backend, path)
        jvm = open_or_error(jvm_backend, path)
        if isinstance(jvm, DicomReadError) or isinstance(pure, DicomReadError):
            assert isinstance(pure, DicomReadError), f"pure opened what ImageJ refused: {jvm}"
            assert isinstance(jvm, DicomReadError), f"pure refused what ImageJ opened: {pure}"
            assert pure.imagej_message == jvm.imagej_message
            return pure
        assert_same_image(pure, jvm)
        return pure
    return check
