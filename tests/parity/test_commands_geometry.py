"""Geometry commands, pure backend against real ImageJ 1.53t, on every image type, with and without selections.

Images (:mod:`tests.parity.geometry_images`): CT_small (16-bit signed,
calibrated), MR_small, and generated 8-bit (one with an inverted LUT), 16-bit
unsigned and signed, 32-bit float and RGB images and stacks of odd size
(37 x 23).  Selections: none, a rectangle, an oval and a polygon (masks), a
rectangle reaching off the image, a line and a point (no area), and none on
slice 2.  Each case asserts that ``compare_command`` finds no difference:
pixels bit for bit, type, size, title, calibration, display range, current
slice, selection, and the image the command opened.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bridge import backends, macro
from bridge.core.roi import Line, OvalRoi, PointRoi, PolygonRoi, Roi
from bridge.errors import ScriptError
from bridge.model import ImagePlus

from .commands import Outcome, compare_command, compare_outcomes, run_on
from .geometry_images import make_images, random_command, random_image, random_selection

pytestmark = pytest.mark.jvm


def _rectangle(imp: ImagePlus) -> None:
    imp.setRoi(Roi(3, 4, 15, 9))


def _oval(imp: ImagePlus) -> None:
    imp.setRoi(OvalRoi(2, 3, 17, 11))


def _polygon(imp: ImagePlus) -> None:
    imp.setRoi(PolygonRoi([4, 30, 20, 6], [2, 5, 20, 15]))


def _off_the_edge(imp: ImagePlus) -> None:
    imp.setRoi(Roi(-5, 10, 20, 30))


def _line(imp: ImagePlus) -> None:
    imp.setRoi(Line(2, 3, 20, 15))


def _point(imp: ImagePlus) -> None:
    imp.setRoi(PointRoi([5.0], [6.0]))


def _slice_2(imp: ImagePlus) -> None:
    imp.setSlice(2)


SETUPS: dict[str, Callable[[ImagePlus], Any] | None] = {
    "no selection": None, "rectangle": _rectangle, "oval": _oval, "polygon": _polygon, "off the edge": _off_the_edge,
    "line": _line, "point": _point, "slice 2": _slice_2}
SELECTIONS = {k: v for k, v in SETUPS.items() if k in ("rectangle", "oval", "polygon", "off the edge")}

IMAGES = ("CT 16-bit signed calibrated", "MR 16-bit", "8-bit", "8-bit inverted", "8-bit stack", "16-bit unsigned",
          "16-bit signed stack", "32-bit float", "32-bit float stack", "RGB", "RGB stack")

COMMANDS = [
    ("Duplicate...", "title=copy"),
    ("Duplicate...", "duplicate"),                 # the whole stack, ImageJ's default title
    ("Duplicate...", "use"),                       # one slice, titled by its label where it has one
    ("Duplicate...", "duplicate range=2-3"),
    ("Duplicate...", "title=[a copy] ignore duplicate"),
    ("Canvas Size...", "width=50 height=30 position=Center"),
    ("Canvas Size...", "width=20 height=31 position=Bottom-Right zero"),
    ("Canvas Size...", "width=40 height=20 position=Top-Right"),
    ("Flip Horizontally", " "),
    ("Flip Vertically", "stack"),
    ("Rotate 90 Degrees Left", " "),
    ("Rotate 90 Degrees Right", " "),
    ("Translate...", "x=3 y=-2 interpolation=None"),
    ("Translate...", "x=-4 y=5 interpolation=None stack"),
    ("Translate...", "x=2.5 y=1.25 interpolation=None"),
    ("Translate...", "x=2.5 y=1.25 interpolation=Bilinear"),
    ("Translate...", "x=-2.5 y=1.75 interpolation=Bicubic stack"),
    ("Rotate... ", "angle=15 grid=1 interpolation=None"),
    ("Rotate... ", "angle=-33.5 grid=1 interpolation=Bilinear stack"),
    ("Rotate... ", "angle=20 grid=1 interpolation=Bicubic"),
    ("Rotate... ", "angle=30 grid=1 interpolation=Bilinear enlarge"),
    ("Rotate... ", "angle=90 grid=1 interpolation=Bicubic fill stack"),
    ("Rotate... ", "angle=15 grid=1 interpolation=Bilinear fill"),
    ("Rotate... ", "angle=360 grid=1 interpolation=Bilinear"),      # 16- and 32-bit rotate anyway
    ("Rotate... ", "angle=-20 grid=1 interpolation=None fill stack"),
    ("Scale...", "x=0.5 y=0.5 width=18 height=12 interpolation=Bilinear create title=s"),
    ("Scale...", "x=- y=- width=50 height=30 interpolation=Bicubic create process title=s"),
    ("Scale...", "x=0.6 y=0.7 interpolation=None create title=s"),
    ("Scale...", "x=0.5 y=0.5 interpolation=Bilinear average create process title=s"),
    ("Scale...", "x=0.4 y=0.7 interpolation=Bicubic average create title=s"),
    ("Scale...", "x=0.3 y=0.6 interpolation=None average process create title=s"),
    ("Scale...", "x=1.5 y=0.5 interpolation=Bilinear average create title=s"),
    ("Scale...", "x=0.5 y=0.5 interpolation=Bilinear title=s"),                # in place
    ("Scale...", "x=0.6 y=0.7 interpolation=None process title=s"),
    ("Scale...", "x=1.5 y=1.25 interpolation=Bicubic title=s"),
    ("Scale...", "x=1.5 y=1.5 interpolation=Bilinear process title=s"),
    ("Scale...", "x=0.7 y=0.8 interpolation=Bicubic fill process title=s"),
]


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return make_images(Path(tmp_path_factory.mktemp("geometry")))


@pytest.mark.parametrize("image", IMAGES)
@pytest.mark.parametrize("command,options", COMMANDS, ids=[f"{c.strip()} [{o.strip()}]" for c, o in COMMANDS])
def test_command_matches_imagej(images: dict[str, str], image: str, command: str, options: str) -> None:
    for name, setup in SETUPS.items():
        assert compare_command(images[image], command, options, setup) == {}, name


@pytest.mark.parametrize("image", IMAGES)
@pytest.mark.parametrize("options", ["width=10 height=7 x=3 y=4", "width=10.5 height=7 x=3.25 y=4 oval centered",
                                     "width=10 height=7 x=3 y=4 slice=2 scaled"])
def test_specify_matches_imagej(images: dict[str, str], image: str, options: str) -> None:
    """With a selection there, ImageJ draws only the specified one (without, see the next test)."""
    for name, setup in SELECTIONS.items():
        assert compare_command(images[image], "Specify...", options, setup) == {}, name


def test_specify_without_a_selection_gives_imagejs_pixel_bounds(images: dict[str, str]) -> None:
    """ImageJ first draws the previous call's rectangle (static fields), then the new one: the pixel bounds
    agree, the sub-pixel origin can be the previous call's; we give the specified one."""
    ours = run_on("pydicom", images["8-bit"], "Specify...", "width=10 height=7 x=3 y=4").image.getRoi()
    theirs = run_on("jvm", images["8-bit"], "Specify...", "width=10 height=7 x=3 y=4").image.getRoi()
    assert ours is not None and theirs is not None
    assert (ours.getType(), ours.getBounds()) == (theirs.getType(), theirs.getBounds())


@pytest.mark.parametrize("image", IMAGES)
def test_crop_matches_imagej(images: dict[str, str], image: str) -> None:
    for name, setup in SELECTIONS.items():
        assert compare_command(images[image], "Crop", " ", setup) == {}, name


@pytest.mark.parametrize("backend", ["pydicom", "jvm"])
@pytest.mark.parametrize("setup", [None, _line, _point])
def test_crop_without_an_area_selection_is_imagejs_error(images: dict[str, str], backend: str,
                                                         setup: Callable[[ImagePlus], Any] | None) -> None:
    with pytest.raises(ScriptError, match="Area selection required"):
        run_on(backend, images["8-bit"], "Crop", " ", setup)


@pytest.mark.parametrize("backend", ["pydicom", "jvm"])
def test_macro_duplicate_makes_the_copy_current_and_commands_run_on_it(images: dict[str, str],
                                                                       backend: str) -> None:
    original = backends.get(backend).open_image(images["CT 16-bit signed calibrated"])
    macro.selectImage(original)
    macro.run("Duplicate...", "title=copy")
    assert macro.getTitle() == "copy"
    macro.run("Flip Horizontally", " ")          # on the copy: the original is unchanged
    copy = macro.current_image()
    assert copy is not original and copy.getTitle() == "copy"
    assert (copy.data[0] == original.data[0][:, ::-1]).all()


@pytest.mark.parametrize("method", ["duplicate", "crop"])
def test_object_api_copies_match_imagej(images: dict[str, str], method: str) -> None:
    from .commands import differences
    copies = []
    for backend in ("pydicom", "jvm"):
        imp = backends.get(backend).open_image(images["16-bit signed stack"])
        imp.setSlice(3)
        imp.setRoi(Roi(3, 4, 15, 9))
        copies.append(getattr(imp, method)())
    assert differences(*copies) == {}
    assert copies[0].getTitle() == "DUP_16-bit_signed_stack.dcm"


# --- differential fuzz (bounded; scripts/fuzz_geometry.py runs it longer) ------------------------------
#: Where ImageJ fails inside a command (a logged exception, a damaged or missing image) bridge raises
#: these instead: Crop or Duplicate... of a shaped selection with no pixel on the image, Scale... to a
#: size that rounds to 0.  Not comparable outcomes.
REFUSED_WHERE_IMAGEJ_BREAKS = ("Selection is outside image", "Selection is outside the image",
                               "Width or height is 0")


def check_random_case(seed: int, folder: Path) -> tuple[str, str, str, dict[str, Any] | str]:
    """One random image, selection and command from ``seed``: (command, options, selection, differences).

    Both backends must agree, including on refusing (the same error text);
    a command the pure backend reports as not implemented, or refuses where
    ImageJ breaks (:data:`REFUSED_WHERE_IMAGEJ_BREAKS`), is skipped ("").
    """
    rng = random.Random(seed)
    path = random_image(rng, folder)
    probe = backends.get("pydicom").open_image(path)
    kind, roi = random_selection(rng, probe.getWidth(), probe.getHeight())
    command, options = random_command(rng)

    def setup(imp: ImagePlus) -> None:
        imp.setRoi(roi)

    outcomes: list[Outcome | str] = []
    for backend in ("pydicom", "jvm"):
        try:
            outcomes.append(run_on(backend, path, command, options, setup))
        except ScriptError as err:
            if backend == "pydicom" and "not implemented" in err.message:
                return command, options, kind, ""
            outcomes.append(err.message)
        except Exception as err:     # anything else is a finding, not a crash of the fuzz run
            return command, options, kind, f"{backend} raised {type(err).__name__}: {err}"
    if outcomes[0] in REFUSED_WHERE_IMAGEJ_BREAKS and not isinstance(outcomes[1], str):
        return command, options, kind, ""
    if any(isinstance(o, str) for o in outcomes):
        same = all(isinstance(o, str) for o in outcomes) and outcomes[0] == outcomes[1]
        return command, options, kind, {} if same else f"errors differ: {outcomes}"
    ours, theirs = outcomes
    assert isinstance(ours, Outcome) and isinstance(theirs, Outcome)
    return command, options, kind, compare_outcomes(ours, theirs)


@pytest.mark.parametrize("seed", range(40))
def test_fuzz_geometry_against_imagej(tmp_path: Path, seed: int) -> None:
    command, options, kind, found = check_random_case(seed, tmp_path)
    assert found in ({}, ""), f"seed {seed}: {command} [{options}] selection {kind}: {found}"
