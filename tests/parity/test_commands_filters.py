"""Parity: *Process>Filters* on the pure backend against real ImageJ 1.53t, pixels bit for bit.

Two kinds of cases:

* whole commands through :func:`compare_command` on files of every type
  ImageJ filters (8-bit, 16-bit unsigned and signed, 32-bit float, RGB, a
  stack), with no selection, rectangles (inside, and touching the edges
  where ImageJ's loops have their quirks) and an oval;
* the core filters against ImageJ's own classes on float planes holding
  NaN and infinities, which no DICOM file gives (``RankFilters.rank``,
  ``GaussianBlur.blurGaussian`` on a ``FloatProcessor``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pydicom.data
import pytest

from bridge.core import gaussian, rankfilters
from bridge.core.roi import OvalRoi, PolygonRoi, Roi
from bridge.model import GRAY32, ImagePlus
from tests.dicomgen import image_dicom

from .commands import compare_command

pytestmark = pytest.mark.jvm

_rng = np.random.default_rng(15)
_SHAPE = (33, 38)
FILES: dict[str, Callable[[], bytes]] = {
    "8-bit": lambda: image_dicom(_rng.integers(0, 256, _SHAPE).astype("u1")),
    "16-bit": lambda: image_dicom(_rng.integers(0, 4000, _SHAPE).astype("<u2")),
    "16-bit signed": lambda: image_dicom(_rng.integers(-1000, 1000, _SHAPE).astype("<i2"), signed=True,
                                         rescale=("-1024", "1")),
    "32-bit": lambda: image_dicom(_rng.integers(0, 2**32 - 1, _SHAPE, dtype=np.uint64).astype("<u4"),
                                  rescale=("-3.5", "0.0137")),
    "RGB": lambda: image_dicom(_rng.integers(0, 256, (*_SHAPE, 3)).astype("u1"), samples=3,
                               photometric="RGB", planar=0),
    "stack": lambda: image_dicom(_rng.integers(0, 4000, (3, *_SHAPE)).astype("<u2"), frames="3"),
}
SELECTIONS: dict[str, Callable[[ImagePlus], Any] | None] = {
    "none": None,
    "oval": lambda imp: imp.setRoi(OvalRoi(4, 3, 25, 22)),
}
EDGE_SELECTIONS: dict[str, Callable[[ImagePlus], Any]] = {
    "rect inside": lambda imp: imp.setRoi(Roi(6, 5, 17, 12)),
    "rect at the left and top": lambda imp: imp.setRoi(Roi(0, 0, 9, 7)),
    "rect one short of the right and bottom": lambda imp: imp.setRoi(Roi(20, 15, 16, 16)),
    "rect at the right and bottom": lambda imp: imp.setRoi(Roi(25, 20, 13, 13)),
    "polygon": lambda imp: imp.setRoi(PolygonRoi([2, 30, 17], [1, 9, 31])),
}
COMMANDS = [("Median...", "radius=2"), ("Mean...", "radius=2"), ("Minimum...", "radius=1.5"),
            ("Maximum...", "radius=2.5"), ("Variance...", "radius=2"), ("Despeckle", ""),
            ("Remove Outliers...", "radius=2 threshold=10 which=Bright"),
            ("Remove Outliers...", "radius=3 threshold=5 which=Dark"),
            ("Gaussian Blur...", "sigma=2"), ("Smooth", ""), ("Sharpen", ""), ("Find Edges", "")]
RANK = ("Median...", "Mean...", "Minimum...", "Maximum...", "Variance...")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("filters")
    paths = {name: str((folder / f"{name}.dcm").resolve()) for name in FILES}
    for name, make in FILES.items():
        Path(paths[name]).write_bytes(make())
    paths["CT_small"] = pydicom.data.get_testdata_file("CT_small.dcm")
    return paths


def _same(files: dict[str, str], name: str, command: str, options: str,
          setup: Callable[[ImagePlus], Any] | None = None) -> None:
    if name == "stack":
        options = (options + " stack").strip()
    assert compare_command(files[name], command, options, setup) == {}


@pytest.mark.parametrize("selection", sorted(SELECTIONS))
@pytest.mark.parametrize(("command", "options"), COMMANDS)
@pytest.mark.parametrize("name", [*FILES, "CT_small"])
def test_every_command_on_every_type(files: dict[str, str], name: str, command: str, options: str,
                                     selection: str) -> None:
    _same(files, name, command, options, SELECTIONS[selection])


@pytest.mark.parametrize("radius", [0.5, 1, 1.5, 2, 2.5, 3, 4, 5])
@pytest.mark.parametrize("command", RANK)
@pytest.mark.parametrize("name", ["16-bit", "32-bit", "RGB"])
def test_rank_filter_radii(files: dict[str, str], name: str, command: str, radius: float) -> None:
    _same(files, name, command, f"radius={radius}")


@pytest.mark.parametrize("sigma", [0.4, 1, 3, 5, 8.6, 12, 30])
@pytest.mark.parametrize("name", ["8-bit", "32-bit", "RGB", "16-bit signed"])
def test_gaussian_sigmas_and_downscaling(files: dict[str, str], name: str, sigma: float) -> None:
    _same(files, name, "Gaussian Blur...", f"sigma={sigma}")


@pytest.mark.parametrize("selection", sorted(EDGE_SELECTIONS))
@pytest.mark.parametrize(("command", "options"), [("Median...", "radius=3"), ("Mean...", "radius=3"),
                                                  ("Variance...", "radius=1"), ("Gaussian Blur...", "sigma=4"),
                                                  ("Gaussian Blur...", "sigma=11"), ("Smooth", ""),
                                                  ("Sharpen", ""), ("Find Edges", "")])
@pytest.mark.parametrize("name", ["8-bit", "16-bit", "32-bit", "RGB"])
def test_selections_at_the_edges(files: dict[str, str], name: str, command: str, options: str,
                                 selection: str) -> None:
    _same(files, name, command, options, EDGE_SELECTIONS[selection])


@pytest.mark.parametrize(("command", "options"), [("Median...", "radius=2"), ("Gaussian Blur...", "sigma=1.5"),
                                                  ("Smooth", " "), ("Variance...", "radius=1")])
def test_a_stack_without_the_stack_key_filters_the_current_slice(files: dict[str, str], command: str,
                                                                 options: str) -> None:
    """As in a macro.  (ImageJ called from Java with no options at all asks "Process all 3 images?";
    the jvm backend's dialog guard cancels it, so a blank option string stands for the macro here.)"""
    def second_slice(imp: ImagePlus) -> None:
        imp.setSlice(2)
    assert compare_command(files["stack"], command, options, second_slice) == {}


def test_gaussian_old_radius_key_and_scaled_sigma(tmp_path: Path) -> None:
    path = tmp_path / "scaled.dcm"
    path.write_bytes(image_dicom(_rng.integers(0, 4000, _SHAPE).astype("<u2"), spacing="0.5\\0.25"))
    assert compare_command(str(path), "Gaussian Blur...", "sigma=1 scaled") == {}
    assert compare_command(str(path), "Gaussian Blur...", "sigma=1") == {}
    assert compare_command(str(path), "Gaussian Blur...", "radius=5") == {}


# --- the core against ImageJ's classes, on floats no file holds -------------------------------------
def _awkward_floats(shape: tuple[int, int]) -> np.ndarray:
    """Random floats with NaN patches, infinities and a line of NaN (ImageJ's running sums restart there)."""
    rng = np.random.default_rng(7)
    plane = (rng.normal(0, 1000, shape) * rng.random(shape)).astype(np.float32)
    plane[rng.random(shape) < 0.04] = np.nan
    plane[5, 3:12] = np.nan
    plane[9:14, 20:26] = np.nan
    plane[rng.random(shape) < 0.01] = np.inf
    plane[rng.random(shape) < 0.01] = -np.inf
    return plane


@pytest.fixture(scope="module")
def daemon_pool() -> None:
    """ImageJ's filter threads as daemons (the companion's set-up for commands), so Python can exit after."""
    from bridge.backends.jvm import companion
    from tests.core.imagej_live import start
    start()
    companion.prepare_commands()


def _java_float(plane: np.ndarray) -> Any:
    from tests.core.imagej_live import java_processor
    return java_processor(plane, GRAY32)


def _java_pixels(ip: Any) -> np.ndarray:
    return np.array(ip.getPixels(), dtype=np.float32).reshape(ip.getHeight(), ip.getWidth())


def _bits(values: np.ndarray) -> bytes:
    """The float bits, every NaN as one NaN: a NaN's sign bit is no value (ImageJ's is Java's canonical one)."""
    return np.where(np.isnan(values), np.float32(np.nan), values).astype(np.float32).tobytes()


@pytest.mark.parametrize("radius", [0.5, 1, 2, 3.5])
@pytest.mark.parametrize("kind", ["MEAN", "VARIANCE", "MEDIAN", "MIN", "MAX", "OUTLIERS"])
def test_rank_on_floats_with_nan_and_infinity(daemon_pool: None, kind: str, radius: float) -> None:
    from tests.core.imagej_live import jclass
    plane = _awkward_floats((24, 30))
    ip = _java_float(plane)
    filters = jclass("ij.plugin.filter.RankFilters")
    filters().rank(ip, float(radius), getattr(filters, kind), filters.BRIGHT_OUTLIERS, 100.0)
    ours = rankfilters.rank(plane, rankfilters.Rect(0, 0, 30, 24), radius, getattr(rankfilters, kind),
                            max_value=float("nan"), threshold=100.0,
                            sign=rankfilters.outlier_sign(rankfilters.BRIGHT_OUTLIERS, False))
    assert _bits(ours) == _bits(_java_pixels(ip))


@pytest.mark.parametrize("sigma", [0.7, 2, 9.5])
def test_gaussian_on_floats_with_nan(daemon_pool: None, sigma: float) -> None:
    from tests.core.imagej_live import jclass
    plane = _awkward_floats((40, 45))
    plane[np.isinf(plane)] = 3.0
    ip = _java_float(plane)
    jclass("ij.plugin.filter.GaussianBlur")().blurGaussian(ip, float(sigma), float(sigma), 0.0002)
    ours = gaussian.blur(plane, rankfilters.Rect(0, 0, 45, 40), sigma, sigma, 0.0002)
    assert _bits(ours) == _bits(_java_pixels(ip))


# --- Unsharp Mask... ------------------------------------------------------------------------------------
UNSHARP = ["radius=1 mask=0.60", "radius=3.5 mask=0.3", "radius=12 mask=0.9", "radius=0.4 mask=0.99",
           "radius=2 mask=0"]


@pytest.mark.parametrize("selection", sorted(SELECTIONS))
@pytest.mark.parametrize("options", UNSHARP)
@pytest.mark.parametrize("name", [*FILES, "CT_small"])
def test_unsharp_mask_on_every_type(files: dict[str, str], name: str, options: str, selection: str) -> None:
    _same(files, name, "Unsharp Mask...", options, SELECTIONS[selection])


@pytest.mark.parametrize("selection", sorted(EDGE_SELECTIONS))
@pytest.mark.parametrize("name", ["8-bit", "16-bit signed", "32-bit", "RGB", "stack"])
def test_unsharp_mask_in_selections_at_the_edges(files: dict[str, str], name: str, selection: str) -> None:
    for options in ("radius=2 mask=0.6", "radius=9 mask=0.75"):
        _same(files, name, "Unsharp Mask...", options, EDGE_SELECTIONS[selection])


def test_unsharp_mask_on_one_slice_of_a_stack(files: dict[str, str]) -> None:
    def second_slice(imp: ImagePlus) -> None:
        imp.setSlice(2)
    assert compare_command(files["stack"], "Unsharp Mask...", "radius=2 mask=0.5", second_slice) == {}


def test_unsharp_mask_keys_imagej_reads_as_given(files: dict[str, str]) -> None:
    """Old macros' ``gaussian=`` (2.5 sigmas), a weight of 1 (0/0) and a negative radius (no blur),
    which ImageJ's dialog flags but a macro runs."""
    for name in ("8-bit", "32-bit", "RGB"):
        for options in ("gaussian=5 mask=0.6", "radius=2 mask=1", "radius=-3 mask=0.5", "radius=1 mask=1.5"):
            _same(files, name, "Unsharp Mask...", options)


def test_unsharp_mask_keeps_the_last_values_for_absent_keys(files: dict[str, str]) -> None:
    """ImageJ's sigma and weight are static fields: a key left out takes the value of the last run."""
    from bridge import backends
    from bridge.core.commands import session as sessions
    from tests.parity.commands import compare_outcomes, run_on
    for backend in ("pydicom", "jvm"):
        imp = backends.get(backend).open_image(files["8-bit"])
        backends.get(backend).run_command(imp, "Unsharp Mask...", "radius=4.5 mask=0.2")
    assert sessions.current().unsharp_sigma == 4.5
    for options in ("mask=0.8", "radius=1.5", " "):      # " ": a macro's empty string (see above)
        ours = run_on("pydicom", files["16-bit"], "Unsharp Mask...", options)
        theirs = run_on("jvm", files["16-bit"], "Unsharp Mask...", options)
        assert compare_outcomes(ours, theirs) == {}, options
    assert (sessions.current().unsharp_sigma, sessions.current().unsharp_weight) == (1.5, 0.8)
