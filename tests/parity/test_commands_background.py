"""*Subtract Background...* on the pure backend against real ImageJ 1.53t, pixels bit for bit.

Images with what the command is for: a sloping, noisy background under
small bright (or dark) spots, in every type ImageJ takes (8-bit, inverted
8-bit, 16-bit unsigned and signed with the CT calibration, 32-bit float,
RGB, a stack), with ball radii on each side of ImageJ's shrink steps
(10, 30, 100) and every box of the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pydicom.data
import pytest

from bridge.core.roi import OvalRoi, Roi
from bridge.model import ImagePlus
from tests import dicomgen
from tests.parity.commands import compare_command

pytestmark = pytest.mark.jvm

COMMAND = "Subtract Background..."


def _spots(rng: np.random.Generator, shape: tuple[int, ...], light: bool = False) -> np.ndarray:
    """0-1: a tilted plane with noise and a few Gaussian spots (dark spots on a light plane with ``light``)."""
    *frames, rows, cols = shape
    yy, xx = np.mgrid[0:rows, 0:cols]
    out = np.zeros(shape)
    for index in np.ndindex(*frames) if frames else [()]:
        plane = 0.2 + 0.3 * xx / cols + 0.1 * yy / rows + rng.normal(0, 0.02, (rows, cols))
        for _ in range(6):
            cy, cx, r = rng.uniform(0, rows), rng.uniform(0, cols), rng.uniform(1.5, 5)
            plane += 0.4 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r))
        out[index] = 1 - plane if light else plane
    return np.clip(out, 0, 1)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("background")
    rng = np.random.default_rng(41)
    shape = (52, 61)
    made = {
        "8-bit": dicomgen.image_dicom((_spots(rng, shape) * 255).astype(np.uint8)),
        "8-bit light": dicomgen.image_dicom((_spots(rng, shape, light=True) * 255).astype(np.uint8)),
        "8-bit inverted": dicomgen.image_dicom((_spots(rng, shape) * 255).astype(np.uint8),
                                               photometric="MONOCHROME1"),
        "16-bit": dicomgen.image_dicom((_spots(rng, shape) * 4000).astype(np.uint16)),
        "16-bit signed": dicomgen.image_dicom((_spots(rng, shape) * 3000 - 1000).astype(np.int16), signed=True,
                                              rescale=("-1024", "1")),
        "32-bit": dicomgen.image_dicom((_spots(rng, shape) * 3e6).astype(np.uint32), rescale=("-2.5", "0.003")),
        "RGB": dicomgen.image_dicom((np.stack([_spots(rng, shape), _spots(rng, shape, light=True),
                                               _spots(rng, shape)], -1) * 255).astype(np.uint8),
                                    samples=3, photometric="RGB", planar=0),
        "stack": dicomgen.image_dicom((_spots(rng, (3, 40, 45)) * 4000).astype(np.uint16), frames="3"),
    }
    paths = {name: str(dicomgen.write(folder / f"{name.replace(' ', '_')}.dcm", data)) for name, data in made.items()}
    paths["CT_small"] = pydicom.data.get_testdata_file("CT_small.dcm")
    return paths


TYPES = ["8-bit", "8-bit light", "8-bit inverted", "16-bit", "16-bit signed", "32-bit", "RGB", "CT_small"]
RADII = [3, 10, 10.5, 25, 30, 31, 80, 101]


@pytest.mark.parametrize("radius", RADII)
@pytest.mark.parametrize("name", TYPES)
def test_rolling_ball_radii_on_every_type(files: dict[str, str], name: str, radius: float) -> None:
    assert compare_command(files[name], COMMAND, f"rolling={radius}") == {}


@pytest.mark.parametrize("boxes", ["light", "create", "disable", "light create", "light disable",
                                   "create disable", "separate", "separate light create", "white"])
@pytest.mark.parametrize("name", TYPES)
def test_every_box_of_the_dialog(files: dict[str, str], name: str, boxes: str) -> None:
    for radius in (6, 40):
        assert compare_command(files[name], COMMAND, f"rolling={radius} {boxes}") == {}, radius


def test_stacks_every_slice_or_the_current_one(files: dict[str, str]) -> None:
    def second(imp: ImagePlus) -> None:
        imp.setSlice(2)
    for options in ("rolling=12 stack", "rolling=12 light stack", "rolling=50 create stack", "rolling=7"):
        assert compare_command(files["stack"], COMMAND, options, second) == {}, options


SELECTIONS: dict[str, Callable[[ImagePlus], Any]] = {
    "rectangle": lambda imp: imp.setRoi(Roi(5, 4, 30, 20)),
    "oval": lambda imp: imp.setRoi(OvalRoi(8, 6, 30, 25)),
}


@pytest.mark.parametrize("selection", sorted(SELECTIONS))
@pytest.mark.parametrize("name", ["8-bit", "32-bit", "RGB"])
def test_a_selection_changes_nothing_imagej_filters_the_whole_slice(files: dict[str, str], name: str,
                                                                    selection: str) -> None:
    assert compare_command(files[name], COMMAND, "rolling=15", SELECTIONS[selection]) == {}


def test_radius_at_or_below_imagejs_limit(files: dict[str, str]) -> None:
    """A radius <= 0.0001 stops ImageJ reading the boxes: they stay off (macro defaults)."""
    for options in ("rolling=0 light create", "rolling=0.00005 light", "rolling=-4"):
        assert compare_command(files["8-bit"], COMMAND, options) == {}, options


@pytest.mark.parametrize("boxes", ["", "light", "disable", "create", "light disable create", "separate"])
@pytest.mark.parametrize("name", TYPES)
def test_sliding_paraboloid(files: dict[str, str], name: str, boxes: str) -> None:
    for radius in (4, 25, 150):
        assert compare_command(files[name], COMMAND, f"rolling={radius} sliding {boxes}") == {}, radius


def test_sliding_paraboloid_on_a_stack_with_corner_particles(tmp_path: Any) -> None:
    """Bright blobs in the corners: ImageJ's corner correction keeps them from becoming background."""
    rng = np.random.default_rng(5)
    planes = _spots(rng, (2, 48, 57))
    yy, xx = np.mgrid[0:48, 0:57]
    for cy, cx in ((0, 0), (0, 56), (47, 0), (47, 56)):
        planes += 0.5 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 18.0)
    path = dicomgen.write(tmp_path / "corners.dcm",
                          dicomgen.image_dicom((np.clip(planes, 0, 1) * 4000).astype(np.uint16), frames="2"))
    for options in ("rolling=10 sliding stack", "rolling=30 sliding disable stack"):
        assert compare_command(str(path), COMMAND, options) == {}, options
