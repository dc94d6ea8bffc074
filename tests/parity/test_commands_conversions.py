"""Type conversions, Invert, Process>Math and Enhance Contrast: the pure backend against real ImageJ 1.53t.

Every command runs on every image type it accepts, with and without a
selection, on single images and stacks (``compare_command``: pixels bit for
bit, type, calibration, display range, LUT inversion).  The images are
pydicom's CT (16-bit signed, Hounsfield calibration) and MR (signed 16-bit,
``-32768 + raw``), and files written here: 8-bit, unsigned 16-bit, 32-bit
(16-bit with a Rescale Slope of 0.5, which ImageJ opens as float), RGB, and 3-slice stacks of each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pydicom.data
import pytest

from bridge import backends
from bridge.core.roi import OvalRoi, Roi
from bridge.errors import ScriptError
from bridge.model import ImagePlus
from tests import dicomgen
from tests.parity.commands import compare_command

pytestmark = pytest.mark.jvm

CT = pydicom.data.get_testdata_file("CT_small.dcm")
MR = pydicom.data.get_testdata_file("MR_small.dcm")


def _pixels(kind: str, frames: int) -> tuple[np.ndarray, dict[str, Any]]:
    rng = np.random.default_rng(15)
    shape = (frames, 24, 32)
    if kind == "8-bit":
        return rng.integers(20, 200, shape, dtype=np.uint8), {}
    if kind == "16-bit":
        return rng.integers(100, 4000, shape).astype("<u2"), {}
    if kind == "32-bit":
        # a Rescale Slope other than 1 makes ImageJ open the image as 32-bit float
        return rng.integers(0, 3000, shape).astype("<u2"), {"rescale": ("-100.25", "0.5")}
    if kind == "CT":        # signed with a Rescale Intercept: ImageJ's -33792 + raw calibration, like CT_small
        return rng.integers(-1500, 2500, shape).astype("<i2"), {"signed": True, "rescale": ("-1024", "1")}
    if kind == "RGB":
        return rng.integers(0, 256, shape + (3,), dtype=np.uint8), {"samples": 3, "photometric": "RGB", "planar": 0}
    raise ValueError(kind)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Generated test files by name: "8-bit", "16-bit", "32-bit", "RGB", and "<type> stack"."""
    folder = tmp_path_factory.mktemp("types")
    made = {"CT": CT, "MR": MR}
    for kind in ("8-bit", "16-bit", "32-bit", "RGB", "CT"):
        for frames in ((1, 3) if kind != "CT" else (3,)):
            pixels, extra = _pixels(kind, frames)
            data = pixels[0] if frames == 1 else pixels
            name = kind if frames == 1 else f"{kind} stack"
            path = folder / (name.replace(" ", "_") + ".dcm")
            dicomgen.write(path, dicomgen.image_dicom(data, frames=None if frames == 1 else str(frames), **extra))
            made[name] = str(path)
    return made


@pytest.fixture(autouse=True)
def imagej_conversion_options() -> Iterator[None]:
    """Conversions... is global in ImageJ and per thread in bridge: both back to ImageJ's defaults after."""
    yield
    for backend in ("jvm", "pydicom"):
        backends.get(backend).run_command(None, "Conversions...", "scale")


def oval(imp: ImagePlus) -> None:
    imp.setRoi(OvalRoi(3, 4, 17, 13))


def rectangle(imp: ImagePlus) -> None:
    imp.setRoi(Roi(5, 2, 11, 9))


def middle_slice(imp: ImagePlus) -> None:
    imp.setSlice(2)


SETUPS: dict[str, Callable[[ImagePlus], Any] | None] = {"whole": None, "oval": oval, "rectangle": rectangle}
SINGLE = ("8-bit", "16-bit", "32-bit", "RGB", "CT", "MR")
STACKS = ("8-bit stack", "16-bit stack", "32-bit stack", "RGB stack", "CT stack")


def check(path: str, command: str, options: str = "", setup: Callable[[ImagePlus], Any] | None = None) -> None:
    assert compare_command(path, command, options, setup) == {}


# --- conversions ------------------------------------------------------------------------------------
# (source, target, Conversions... boxes); the weights only matter for RGB sources
CONVERSIONS = [(source, target, scale, weighted)
               for source in SINGLE + STACKS for target in ("8-bit", "16-bit", "32-bit")
               for scale in ("scale", "") for weighted in (("weighted", "") if "RGB" in source else ("",))
               if (source, target) != ("RGB stack", "16-bit")]


@pytest.mark.parametrize(("source", "target", "scale", "weighted"), CONVERSIONS)
def test_conversion(files: dict[str, str], source: str, target: str, scale: str, weighted: str) -> None:
    options = f"{scale} {weighted}".strip() or " "     # what the recorder writes for both boxes off
    for backend in ("jvm", "pydicom"):
        backends.get(backend).run_command(None, "Conversions...", options)
    check(files[source], target, "", middle_slice if "stack" in source else oval)


def test_rgb_stack_to_16_bit_is_refused(files: dict[str, str]) -> None:
    """ImageJ's StackConverter does not convert RGB stacks to 16-bit: its "Supported Conversions" error."""
    for backend in ("jvm", "pydicom"):
        imp = backends.get(backend).open_image(files["RGB stack"])
        with pytest.raises(ScriptError, match="Supported Conversions"):
            backends.get(backend).run_command(imp, "16-bit", "")


def test_32_bit_keeps_hounsfield_units(files: dict[str, str]) -> None:
    """CT in HU: the 32-bit image holds the calibrated values, and the calibrated display range."""
    imp = backends.get("pydicom").open_image(files["CT"])
    raw = int(imp.data[0, 10, 10])
    hu = imp.getCalibration().getCValue(raw)
    lo, hi = (imp.getCalibration().getCValue(v) for v in imp.display_range)
    backends.get("pydicom").run_command(imp, "32-bit", "")
    assert float(imp.data[0, 10, 10]) == hu
    assert imp.display_range == (lo, hi)
    check(files["CT"], "32-bit")


# --- Invert, Invert LUT, Process>Math --------------------------------------------------------------
MATH = [("Add...", "value=37"), ("Add...", "value=-1000.5"), ("Subtract...", "value=12.5"),
        ("Multiply...", "value=1.7"), ("Multiply...", "value=-2"), ("Divide...", "value=3.3"),
        ("Divide...", "value=0"), ("Min...", "value=120"), ("Max...", "value=150.5"),
        ("Gamma...", "value=0.6"), ("Gamma...", "value=2.5"), ("Set...", "value=77"),
        ("AND...", "value=10110011"), ("OR...", "value=1000101"), ("XOR...", "value=11111111"),
        ("Log", ""), ("Exp", ""), ("Square", ""), ("Square Root", ""), ("Invert", "")]


@pytest.mark.parametrize(("command", "options"), MATH)
@pytest.mark.parametrize("source", SINGLE)
@pytest.mark.parametrize("selection", SETUPS)
def test_math_on_one_image(files: dict[str, str], command: str, options: str, source: str, selection: str) -> None:
    check(files[source], command, options, SETUPS[selection])


@pytest.mark.parametrize(("command", "options"), MATH)
@pytest.mark.parametrize("source", STACKS)
@pytest.mark.parametrize("whole", ("stack", ""))
def test_math_on_stacks(files: dict[str, str], command: str, options: str, source: str, whole: str) -> None:
    def setup(imp: ImagePlus) -> None:
        imp.setSlice(2)
        oval(imp)
    check(files[source], command, f"{options} {whole}".strip() or "slice", setup)


@pytest.mark.parametrize("command", ("Abs", "Reciprocal"))
@pytest.mark.parametrize("source", ("32-bit", "MR", "32-bit stack"))
@pytest.mark.parametrize("selection", SETUPS)
def test_float_only_math(files: dict[str, str], command: str, source: str, selection: str) -> None:
    """Abs takes 32-bit and signed 16-bit (MR); Reciprocal only 32-bit; elsewhere ImageJ's error."""
    options = "stack" if "stack" in source else ""
    refused = command == "Reciprocal" and source == "MR"
    if refused:
        for backend in ("jvm", "pydicom"):
            imp = backends.get(backend).open_image(files[source])
            with pytest.raises(ScriptError, match="32-bit float image required"):
                backends.get(backend).run_command(imp, command, options)
    else:
        check(files[source], command, options, SETUPS[selection])


@pytest.mark.parametrize("source", ("8-bit", "16-bit", "CT", "RGB"))
def test_abs_needs_float_or_signed(files: dict[str, str], source: str) -> None:
    for backend in ("jvm", "pydicom"):
        imp = backends.get(backend).open_image(files[source])
        with pytest.raises(ScriptError, match="32-bit or signed 16-bit image required"):
            backends.get(backend).run_command(imp, "Abs", "")


@pytest.mark.parametrize("source", SINGLE + STACKS)
def test_invert_lut(files: dict[str, str], source: str) -> None:
    if source.startswith("RGB"):
        for backend in ("jvm", "pydicom"):
            imp = backends.get(backend).open_image(files[source])
            with pytest.raises(ScriptError, match="RGB images do not use LUTs"):
                backends.get(backend).run_command(imp, "Invert LUT", "")
    else:
        check(files[source], "Invert LUT")


# --- Enhance Contrast -----------------------------------------------------------------------------
CONTRAST = ["saturated=0.35", "saturated=5", "saturated=0", "saturated=1 normalize", "saturated=0.35 equalize",
            "saturated=2 normalize update"]


# no "update" box without an area selection, no "normalize" box for RGB: ImageJ ignores such a key,
# bridge refuses it (test_enhance_contrast_refuses_keys_its_dialog_lacks)
CONTRAST_CASES = [(options, source, selection) for options in CONTRAST for source in SINGLE for selection in SETUPS
                  if not ("update" in options and selection == "whole")
                  and not ("normalize" in options and source == "RGB")]


@pytest.mark.parametrize(("options", "source", "selection"), CONTRAST_CASES)
def test_enhance_contrast(files: dict[str, str], options: str, source: str, selection: str) -> None:
    check(files[source], "Enhance Contrast...", options, SETUPS[selection])


@pytest.mark.parametrize(("options", "source"), [
    (options, source) for source in STACKS
    for options in ("saturated=0.35", "saturated=1 process_all", "saturated=0.35 equalize",
                    "saturated=0.35 equalize process_all", "saturated=3 normalize", "saturated=1 use",
                    "saturated=1 process_all use", "saturated=0.35 equalize use",
                    "saturated=0.35 equalize process_all use")
    if not ("normalize" in options and source.startswith("RGB"))
    and not ("equalize" in options and "use" in options and source == "CT stack")])
def test_enhance_contrast_on_stacks(files: dict[str, str], options: str, source: str) -> None:
    check(files[source], "Enhance Contrast...", options, middle_slice)


@pytest.mark.parametrize(("options", "source"), [
    (options, source) for source in STACKS
    for options in ("saturated=1 use", "saturated=2 process_all use", "saturated=0.35 equalize use",
                    "saturated=2 process_all", "saturated=2 normalize process_all",
                    "saturated=2 normalize update process_all")
    if not ("normalize" in options and source.startswith("RGB"))
    and not ("equalize" in options and "use" in options and source == "CT stack")])
def test_enhance_contrast_on_stacks_with_a_selection(files: dict[str, str], options: str, source: str) -> None:
    """``use``: the stack histogram (StackStatistics) of the selection; process_all normalizes whole slices
    unless normalize was asked for too (ImageJ decides "selection only" before process_all sets normalize)."""
    def setup(imp: ImagePlus) -> None:
        imp.setSlice(3)
        oval(imp)
    check(files[source], "Enhance Contrast...", options, setup)


def test_enhance_contrast_refuses_keys_its_dialog_lacks(files: dict[str, str]) -> None:
    """RGB has no Normalize box: ImageJ would ignore the key, bridge says so instead."""
    imp = backends.get("pydicom").open_image(files["RGB"])
    with pytest.raises(ScriptError, match='unrecognized option "normalize"'):
        backends.get("pydicom").run_command(imp, "Enhance Contrast...", "saturated=1 normalize")


# --- display range: setMinAndMax, resetMinAndMax, getMinAndMax, and the object API -------------------
@pytest.mark.parametrize("source", SINGLE)
@pytest.mark.parametrize(("low", "high"), [(50.5, 180.25), (-20, 3000), (10, 5)])
def test_set_min_and_max(files: dict[str, str], source: str, low: float, high: float) -> None:
    """The macro functions against ImageJ's ``IJ.setMinAndMax`` (calibrated values, per-type rounding)."""
    from bridge import macro
    from bridge.backends.jvm import runtime
    ours = backends.get("pydicom").open_image(files[source])
    theirs = backends.get("jvm").open_image(files[source])
    macro.setMinAndMax(low, high, ours)
    jimp = theirs.java
    runtime.jclass("ij.IJ").setMinAndMax(jimp, float(low), float(high))
    assert macro.getMinAndMax(ours) == (jimp.getCalibration().getCValue(jimp.getDisplayRangeMin()),
                                        jimp.getCalibration().getCValue(jimp.getDisplayRangeMax()))
    if source == "RGB":
        assert np.array_equal(ours.data[0].ravel(), np.asarray(jimp.getProcessor().getPixels(), dtype=np.int32))
    macro.resetMinAndMax(ours)
    runtime.jclass("ij.IJ").resetMinAndMax(jimp)
    assert ours.display_range == (jimp.getDisplayRangeMin(), jimp.getDisplayRangeMax())


@pytest.mark.parametrize("source", SINGLE)
def test_processor_arithmetic_is_the_commands(files: dict[str, str], source: str) -> None:
    """``imp.getProcessor().multiply(v)`` etc. give what the menu commands give (one implementation)."""
    pure = backends.get("pydicom")
    for method, value, name, options in [("multiply", 1.5, "Multiply...", "value=1.5"),
                                         ("add", -7.0, "Add...", "value=-7"), ("invert", None, "Invert", "")]:
        by_method, by_command = pure.open_image(files[source]), pure.open_image(files[source])
        if method != "invert":          # Invert drops a 16-bit image's selection; ip.invert() keeps it
            rectangle(by_method)
            rectangle(by_command)
        processor = by_method.getProcessor()
        getattr(processor, method)(*(() if value is None else (value,)))
        pure.run_command(by_command, name, options)
        assert np.array_equal(by_method.data, by_command.data, equal_nan=by_method.data.dtype.kind == "f")


@pytest.mark.parametrize("source", SINGLE)
@pytest.mark.parametrize(("method", "value"), [("multiply", 1.5), ("add", -7.0), ("invert", None), ("gamma", 0.7),
                                               ("sqrt", None), ("min", 90.0)])
def test_processor_arithmetic_on_both_backends(files: dict[str, str], source: str, method: str,
                                               value: float | None) -> None:
    """On a jvm image the arithmetic also reaches the live Java image: ImageJ's own result, same pixels."""
    args = () if value is None else (value,)
    images = [backends.get(name).open_image(files[source]) for name in ("pydicom", "jvm")]
    for imp in images:
        rectangle(imp)
        getattr(imp.getProcessor(), method)(*args)
    ours, theirs = images
    java = np.asarray(theirs.java.getProcessor().getPixels())
    assert ours.data[0].ravel().tobytes() == java.astype(ours.data.dtype).tobytes()
    assert ours.display_range == (theirs.java.getDisplayRangeMin(), theirs.java.getDisplayRangeMax())


@pytest.mark.parametrize("command", ["8-bit", "16-bit", "32-bit", "Multiply...", "Gamma..."])
@pytest.mark.parametrize("source", ("8-bit", "16-bit", "32-bit", "CT"))
def test_commands_after_set_min_and_max(files: dict[str, str], command: str, source: str) -> None:
    """The display range set by setMinAndMax is what conversions scale by (and 16-bit gamma reads)."""
    from bridge import macro
    options = {"Multiply...": "value=1.3", "Gamma...": "value=0.8"}.get(command, "")
    check(files[source], command, options, lambda imp: macro.setMinAndMax(60, 200, imp))


PYDICOM_FILES = ["examples_palette.dcm", "examples_overlay.dcm", "rtdose.dcm"]


@pytest.mark.parametrize("name", PYDICOM_FILES)
@pytest.mark.parametrize(("command", "options"), [("8-bit", ""), ("16-bit", ""), ("32-bit", ""), ("Invert", "stack"),
                                                  ("Invert LUT", ""), ("Gamma...", "value=1.5 stack"),
                                                  ("Enhance Contrast...", "saturated=0.5 normalize")])
def test_pydicom_files(name: str, command: str, options: str) -> None:
    """A palette image (8-bit with a colour LUT), a real unsigned 16-bit image, a 32-bit stack."""
    check(pydicom.data.get_testdata_file(name), command, options, oval)


@pytest.mark.parametrize(("command", "options", "message"), [
    ("Gamma...", "value=7", "Gamma must be between 0.05 and 5.0"),
    ("AND...", "value=102", "Binary number required")])
def test_math_errors(files: dict[str, str], command: str, options: str, message: str) -> None:
    for backend in ("jvm", "pydicom"):
        imp = backends.get(backend).open_image(files["8-bit"])
        with pytest.raises(ScriptError, match=message):
            backends.get(backend).run_command(imp, command, options)


def test_equalizing_a_calibrated_stack_by_its_stack_histogram_fails(files: dict[str, str],
                                                                    capfd: pytest.CaptureFixture[str]) -> None:
    """ImageJ overruns its 256-bin stack histogram: it logs the exception and changes nothing; bridge raises it."""
    jvm = backends.get("jvm")
    theirs = jvm.open_image(files["CT stack"])
    before = theirs.data.copy()
    jvm.run_command(theirs, "Enhance Contrast...", "saturated=0.35 equalize use")
    assert "ArrayIndexOutOfBoundsException" in capfd.readouterr().err
    assert np.array_equal(theirs.data, before)
    ours = backends.get("pydicom").open_image(files["CT stack"])
    with pytest.raises(ScriptError, match="ArrayIndexOutOfBoundsException"):
        backends.get("pydicom").run_command(ours, "Enhance Contrast...", "saturated=0.35 equalize use")
