"""Thresholds and *Process>Binary* against real ImageJ 1.53t: the pure backend vs the jvm backend.

Thresholds are compared with ImageJ's own ``ImageProcessor``/``IJ`` methods run
on the jvm backend's Java image (levels, LUT mode and display range, exactly);
commands with :func:`tests.parity.commands.compare_command` (pixels bit for
bit, type, calibration, LUT, threshold left behind).  The images cover every
type the commands take: 8-bit (normal, inverted and colour LUT), 16-bit signed with
the Hounsfield calibration (CT_small), 16-bit unsigned, 32-bit float, and
8-bit and calibrated 16-bit stacks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pydicom.data
import pytest

from bridge import backends, macro
from bridge.core import autothreshold
from bridge.core import threshold as th
from bridge.model import ImagePlus
from tests import dicomgen
from tests.parity.commands import compare_command

pytestmark = pytest.mark.jvm

CT = pydicom.data.get_testdata_file("CT_small.dcm")
MR = pydicom.data.get_testdata_file("MR_small.dcm")
PALETTE = pydicom.data.get_testdata_file("examples_palette.dcm")     # 8-bit with a colour LUT
METHODS = [m for m in autothreshold.METHODS if m != "IJ_IsoData"]


def _blobs(rng: np.random.Generator, shape: tuple[int, ...], low: float, high: float) -> np.ndarray:
    """Smooth bright blobs on a darker, noisy background: histograms with two modes, as in real images."""
    *frames, rows, cols = shape
    yy, xx = np.mgrid[0:rows, 0:cols]
    out = np.zeros(shape, dtype=np.float64)
    for index in np.ndindex(*frames) if frames else [()]:
        plane = rng.normal(0.2, 0.05, (rows, cols))
        for _ in range(5):
            cy, cx, r = rng.uniform(0, rows), rng.uniform(0, cols), rng.uniform(3, 10)
            plane += 0.6 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r))
        out[index] = plane
    return low + (high - low) * np.clip(out, 0, 1)


def _shapes(rng: np.random.Generator, frames: int | None = None) -> np.ndarray:
    """0/255 objects with holes, some touching the edges."""
    count = frames or 1
    rows, cols = 40, 52
    yy, xx = np.mgrid[0:rows, 0:cols]
    out = np.zeros((count, rows, cols), dtype=np.uint8)
    for n in range(count):
        for _ in range(6):
            cy, cx, r = rng.uniform(-3, rows + 3), rng.uniform(-3, cols + 3), rng.uniform(3, 9)
            disc = (yy - cy) ** 2 + (xx - cx) ** 2
            out[n][disc < r * r] = 255
            out[n][disc < (r / 3) ** 2] = 0            # a hole
        out[n][rng.random((rows, cols)) < 0.02] ^= 255  # specks
    return out if frames else out[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("binary")
    rng = np.random.default_rng(15)
    made = {
        "8-bit": dicomgen.image_dicom(_blobs(rng, (48, 64), 0, 255).astype(np.uint8)),
        "8-bit inverted": dicomgen.image_dicom(_blobs(rng, (48, 64), 0, 255).astype(np.uint8),
                                               photometric="MONOCHROME1"),
        "16-bit unsigned": dicomgen.image_dicom(_blobs(rng, (48, 64), 100, 3000).astype(np.uint16)),
        "32-bit": dicomgen.image_dicom(_blobs(rng, (48, 64), 5, 900000).astype(np.uint32)),
        "8-bit stack": dicomgen.image_dicom(_blobs(rng, (4, 40, 50), 0, 255).astype(np.uint8), frames="4"),
        "binary": dicomgen.image_dicom(_shapes(rng)),
        "binary inverted": dicomgen.image_dicom(_shapes(rng), photometric="MONOCHROME1"),
        "binary stack": dicomgen.image_dicom(_shapes(rng, 3), frames="3"),
        "RGB": dicomgen.image_dicom((_blobs(rng, (40, 50, 3), 0, 255) * [1.0, 0.5, 0.3]).astype(np.uint8),
                                    samples=3, photometric="RGB", planar=0),
        "16-bit stack": dicomgen.image_dicom(_blobs(rng, (3, 40, 50), -900, 1500).astype(np.int16), signed=True,
                                             frames="3", rescale=("-1024", "1")),
        "16-bit unsigned stack": dicomgen.image_dicom(_blobs(rng, (3, 36, 44), 20, 4000).astype(np.uint16),
                                                      frames="3"),
        "32-bit stack": dicomgen.image_dicom(_blobs(rng, (3, 36, 44), 7, 3000000).astype(np.uint32), frames="3",
                                             rescale=("-2.5", "0.0031")),
        "8-bit inverted stack": dicomgen.image_dicom(_blobs(rng, (3, 36, 44), 0, 255).astype(np.uint8), frames="3",
                                                     photometric="MONOCHROME1"),
        "RGB stack": dicomgen.image_dicom((_blobs(rng, (3, 36, 44, 3), 0, 255) * [0.4, 1.0, 0.7]).astype(np.uint8),
                                          samples=3, photometric="RGB", planar=0, frames="3"),
    }
    paths = {name: str(dicomgen.write(folder / f"{name.replace(' ', '_')}.dcm", data)) for name, data in made.items()}
    paths.update({"CT_small": CT, "MR_small": MR, "8-bit palette": PALETTE})
    return paths


GREY = ["CT_small", "MR_small", "8-bit", "8-bit inverted", "8-bit palette", "16-bit unsigned", "32-bit"]


def test_generated_files_open_as_intended(files: dict[str, str]) -> None:
    kinds = {name: (imp.getBitDepth(), imp.getStackSize(), imp.isInvertedLut())
             for name, imp in ((n, backends.get("pydicom").open_image(files[n])) for n in files)}
    assert kinds["8-bit inverted"] == (8, 1, True) and kinds["32-bit"] == (32, 1, False)
    assert kinds["16-bit unsigned"][0] == 16 and kinds["binary stack"] == (8, 3, False)
    assert kinds["16-bit stack"] == (16, 3, False)
    assert kinds["32-bit stack"] == (32, 3, False) and kinds["RGB stack"] == (24, 3, False)
    assert kinds["8-bit inverted stack"] == (8, 3, True) and kinds["16-bit unsigned stack"] == (16, 3, False)


# --- thresholds against ImageJ's processor methods ------------------------------------------------
def _both(path: str) -> tuple[ImagePlus, ImagePlus, Any]:
    """The image opened by each backend, and the jvm one's live Java image."""
    ours = backends.get("pydicom").open_image(path)
    theirs = backends.get("jvm").open_image(path)
    return ours, theirs, theirs.java


def _java_state(jimp: Any) -> tuple[float, float, int, tuple[float, float]]:
    ip = jimp.getProcessor()
    return (float(ip.getMinThreshold()), float(ip.getMaxThreshold()), int(ip.getLutUpdateMode()),
            (float(ip.getMin()), float(ip.getMax())))


def _our_state(imp: ImagePlus) -> tuple[float, float, int, tuple[float, float]]:
    return imp.min_threshold, imp.max_threshold, imp.lut_update, tuple(imp.display_range)  # type: ignore[return-value]


@pytest.mark.parametrize("name", GREY)
@pytest.mark.parametrize("method", METHODS)
def test_auto_threshold_methods_are_imagejs(files: dict[str, str], name: str, method: str) -> None:
    for variant in ("", " dark", " dark no-reset", " b&w"):
        ours, _, jimp = _both(files[name])
        th.set_auto_threshold(ours, method + variant)
        jimp.getProcessor().setAutoThreshold(method + variant)
        assert _our_state(ours) == _java_state(jimp), (name, method + variant)


@pytest.mark.parametrize("name", GREY)
def test_auto_threshold_in_a_selection_and_without_a_method(files: dict[str, str], name: str) -> None:
    ours, theirs, jimp = _both(files[name])
    macro.selectImage(ours)
    macro.makeOval(5, 4, 30, 25)
    macro.setAutoThreshold("Li dark")
    from bridge.backends.jvm.adapter import java_roi
    jimp.setRoi(java_roi(ours.getRoi()))
    jimp.getProcessor().setRoi(jimp.getRoi())
    jimp.getProcessor().setAutoThreshold("Li dark")
    assert _our_state(ours) == _java_state(jimp)
    macro.setAutoThreshold()
    jimp.getProcessor().setAutoThreshold(1, 0)          # ISODATA2, RED_LUT: the macro's setAutoThreshold()
    assert _our_state(ours) == _java_state(jimp)


@pytest.mark.parametrize("name", GREY)
def test_set_and_get_threshold_are_imagejs(files: dict[str, str], name: str) -> None:
    from bridge.backends.jvm.runtime import jclass
    IJ = jclass("ij.IJ")
    ours, _, jimp = _both(files[name])
    cal = ours.getCalibration()
    for lower, upper, mode in ((-100.5, 200.25, None), (20, 40000, "raw"), (-40000, 1e9, None), (7, 7, "Black"),
                               (3.7, 90.2, "no update")):
        macro.setThreshold(lower, upper, mode, imp=ours)
        IJ.setThreshold(jimp, float(lower), float(upper), mode)
        assert _our_state(ours) == _java_state(jimp), (lower, upper, mode)
        t1, t2 = jimp.getProcessor().getMinThreshold(), jimp.getProcessor().getMaxThreshold()
        assert macro.getThreshold(imp=ours) == (cal.getCValue(t1), cal.getCValue(t2))
    macro.resetThreshold(imp=ours)
    assert macro.getThreshold(imp=ours) == (-1.0, -1.0)


# --- Convert to Mask -------------------------------------------------------------------------------
def _options(text: str) -> Callable[[ImagePlus], None]:
    """Setup: *Process>Binary>Options...* on the image's own backend (ImageJ's Prefs, or the session)."""
    def setup(imp: ImagePlus) -> None:
        assert imp.backend is not None
        imp.backend.run_command(imp, "Options...", text)
    return setup


def _then(*steps: Callable[[ImagePlus], None]) -> Callable[[ImagePlus], None]:
    def setup(imp: ImagePlus) -> None:
        for step in steps:
            step(imp)
    return setup


def _auto(spec: str) -> Callable[[ImagePlus], None]:
    return lambda imp: th.set_auto_threshold(imp, spec)


WHITE, BLACK = _options("iterations=1 count=1"), _options("iterations=1 count=1 black")


@pytest.mark.parametrize("name", GREY)
@pytest.mark.parametrize("background", [WHITE, BLACK], ids=["white", "black"])
def test_convert_to_mask_without_a_threshold(files: dict[str, str], name: str, background: Any) -> None:
    assert compare_command(files[name], "Convert to Mask", "", background) == {}
    assert compare_command(files[name], "Make Binary", "", background) == {}


@pytest.mark.parametrize("name", GREY)
@pytest.mark.parametrize("method", METHODS)
def test_convert_to_mask_with_each_method(files: dict[str, str], name: str, method: str) -> None:
    for dark, background in (("", WHITE), (" dark", BLACK)):
        setup = _then(background, _auto(method + dark))
        assert compare_command(files[name], "Convert to Mask", "", setup) == {}, (method + dark)


@pytest.mark.parametrize("name", GREY)
def test_convert_to_mask_with_set_threshold(files: dict[str, str], name: str) -> None:
    for lower, upper in ((-50, 120), (30, 40), (1000, 1e6)):
        setup = _then(WHITE, lambda imp: macro.setThreshold(lower, upper, imp=imp))
        assert compare_command(files[name], "Convert to Mask", "", setup) == {}, (lower, upper)


STACK_OPTIONS = ["method=Default background=Default calculate", "method=Otsu background=Dark calculate black",
                 "method=Huang background=Light calculate", "method=Default background=Default",
                 "method=Triangle background=Dark black", "method=MaxEntropy background=Default calculate black"]


@pytest.mark.parametrize("name", ["8-bit stack", "16-bit stack", "binary stack"])
@pytest.mark.parametrize("options", STACK_OPTIONS)
def test_convert_stack_to_mask(files: dict[str, str], name: str, options: str) -> None:
    assert compare_command(files[name], "Convert to Mask", options, WHITE) == {}
    with_threshold = _then(WHITE, _auto("Moments dark"))
    assert compare_command(files[name], "Convert to Mask", options, with_threshold) == {}


@pytest.mark.parametrize("command", ["Convert to Mask", "Make Binary"])
@pytest.mark.parametrize("background", [WHITE, BLACK], ids=["white", "black"])
def test_convert_an_rgb_image_to_mask(files: dict[str, str], command: str, background: Any) -> None:
    assert backends.get("pydicom").open_image(files["RGB"]).getBitDepth() == 24
    assert compare_command(files["RGB"], command, "", background) == {}


def test_convert_one_slice_of_an_8_bit_stack(files: dict[str, str]) -> None:
    setup = _then(WHITE, lambda imp: imp.setSlice(2), _auto("Mean dark"))
    assert compare_command(files["8-bit stack"], "Convert to Mask", "method=Default background=Dark only",
                           setup) == {}


# --- the binary operations --------------------------------------------------------------------------
OPERATIONS = ["Erode", "Dilate", "Open", "Close-", "Outline", "Fill Holes", "Skeletonize"]
SETTINGS = ["iterations=1 count=1", "iterations=1 count=1 black", "iterations=3 count=2",
            "iterations=2 count=4 black pad", "iterations=1 count=1 pad"]


@pytest.mark.parametrize("name", ["binary", "binary inverted"])
@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("settings", SETTINGS)
def test_binary_operations(files: dict[str, str], name: str, operation: str, settings: str) -> None:
    assert compare_command(files[name], operation, "", _options(settings)) == {}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_binary_operations_on_stacks(files: dict[str, str], operation: str) -> None:
    settings = _options("iterations=2 count=3 black")
    assert compare_command(files["binary stack"], operation, "stack", settings) == {}
    slice_two = _then(settings, lambda imp: imp.setSlice(2))
    assert compare_command(files["binary stack"], operation, "slice", slice_two) == {}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_binary_operations_after_convert_to_mask(files: dict[str, str], operation: str) -> None:
    for background in (WHITE, BLACK):
        setup = _then(background, _auto("Otsu dark"),
                      lambda imp: imp.backend.run_command(imp, "Convert to Mask", ""))  # type: ignore[union-attr]
        assert compare_command(CT, operation, "", setup) == {}


def test_options_do_runs_the_operation(files: dict[str, str]) -> None:
    assert compare_command(files["binary"], "Options...", "iterations=2 count=1 black do=Dilate") == {}
    assert compare_command(files["binary stack"], "Options...", "iterations=1 count=2 do=Open stack") == {}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_binary_operations_refuse_what_imagej_refuses(files: dict[str, str], operation: str) -> None:
    from bridge.errors import ScriptError
    for name in ("8-bit", "CT_small"):
        messages = []
        for backend in ("pydicom", "jvm"):
            imp = backends.get(backend).open_image(files[name])
            with pytest.raises(ScriptError) as caught:
                backends.get(backend).run_command(imp, operation, "")
            messages.append(caught.value.message)
        assert messages[0] == messages[1]


# --- Measure's "limit to threshold" ----------------------------------------------------------------
STAT_FIELDS = ("pixelCount", "area", "mean", "umean", "stdDev", "min", "max", "dmode", "mode", "median", "skewness",
               "kurtosis", "xCentroid", "yCentroid", "xCenterOfMass", "yCenterOfMass", "areaFraction",
               "lowerThreshold", "upperThreshold")
LIMITED = ["limit area mean standard modal min median skewness kurtosis area_fraction center integrated",
           "limit area centroid fit shape display", "limit area mean min area_fraction"]


def _same(ours: float, theirs: float) -> bool:
    return (np.isnan(ours) and np.isnan(theirs)) or ours == theirs or \
        abs(ours - theirs) <= 1e-12 * max(abs(theirs), 1.0)     # fitted ellipse: Java's trigonometry


@pytest.mark.parametrize("name", GREY)
@pytest.mark.parametrize("spec", ["Otsu dark", "Huang", "Li dark", "Triangle", "MinError dark", "Percentile"])
def test_statistics_limited_to_the_threshold(files: dict[str, str], name: str, spec: str) -> None:
    from bridge.backends.jvm.adapter import java_roi
    from bridge.core import statistics as S
    from bridge.core.roi import OvalRoi
    for roi in (None, OvalRoi(6, 5, 33, 27)):
        ours, _, jimp = _both(files[name])
        th.set_auto_threshold(ours, spec)
        jimp.getProcessor().setAutoThreshold(spec)
        ours.setRoi(roi)
        if roi is not None:
            jimp.setRoi(java_roi(roi))
        for options in (S.ALL_STATS + S.LIMIT, S.AREA + S.MEAN + S.MIN_MAX + S.LIMIT + S.AREA_FRACTION,
                        S.ALL_STATS):
            mine, theirs = ours.getStatistics(options), jimp.getStatistics(options)
            for field in STAT_FIELDS:
                assert _same(float(getattr(mine, field)), float(getattr(theirs, field))), (spec, roi, options, field)
            assert list(mine.histogram) == [int(c) for c in theirs.getHistogram()]


@pytest.mark.parametrize("name", GREY)
@pytest.mark.parametrize("measurements", LIMITED)
def test_measure_limited_to_the_threshold_is_imagejs(files: dict[str, str], name: str, measurements: str,
                                                      tmp_path: Path) -> None:
    from bridge.backends.jvm.runtime import jclass
    from bridge.core.measure import parse_set_measurements
    options = f"{measurements} redirect=None decimal=4"
    macro.run("Clear Results")
    macro.run("Set Measurements...", options)
    flags = parse_set_measurements(options).measurements
    ours, _, jimp = _both(files[name])
    analyzer = jclass("ij.plugin.filter.Analyzer")
    table = jclass("ij.measure.ResultsTable")()
    analyzer.setPrecision(4)
    try:
        macro.selectImage(ours)
        for lower, upper in ((20, 150), (-300, 60), (1e6, 2e6)):
            macro.setThreshold(lower, upper)
            jclass("ij.IJ").setThreshold(jimp, float(lower), float(upper), None)
            macro.run("Measure")
            analyzer(jimp, flags, table).measure()
        macro.resetThreshold()
        jimp.getProcessor().resetThreshold()
        macro.run("Measure")
        analyzer(jimp, flags, table).measure()
    finally:
        analyzer.setPrecision(3)
    macro.saveAs("Results", tmp_path / "ours.csv")
    table.saveAs(str(tmp_path / "imagej.csv"))
    assert (tmp_path / "ours.csv").read_text() == (tmp_path / "imagej.csv").read_text()


@pytest.mark.parametrize("name", ["8-bit stack", "16-bit stack", "binary stack", "CT_small", "MR_small", "32-bit",
                                  "16-bit unsigned"])
@pytest.mark.parametrize("method", METHODS)
def test_stack_auto_threshold_is_imagejs(files: dict[str, str], name: str, method: str) -> None:
    from bridge.backends.jvm.adapter import java_roi
    from bridge.backends.jvm.runtime import jclass
    from bridge.core.roi import OvalRoi
    for spec, roi in ((f"{method} stack", None), (f"{method} dark stack", OvalRoi(4, 3, 30, 25))):
        ours, _, jimp = _both(files[name])
        ours.setRoi(roi)
        if roi is not None:
            jimp.setRoi(java_roi(roi))
        macro.setAutoThreshold(spec, imp=ours)
        jclass("ij.IJ").setAutoThreshold(jimp, spec)
        assert _our_state(ours) == _java_state(jimp), spec


def _selection(kind: str) -> Callable[[ImagePlus], None]:
    from bridge.core.roi import OvalRoi, PolygonRoi, Roi
    made = {"rectangle": lambda w, h: Roi(5, 4, 20, 15),
            "rectangle at the edges": lambda w, h: Roi(0, 0, w - 1, h - 1),
            "rectangle to the far edge": lambda w, h: Roi(3, 2, w - 4, h - 3),
            "oval": lambda w, h: OvalRoi(8, 6, 30, 22),
            "polygon across the edge": lambda w, h: PolygonRoi([-5, 30, w + 4, 12], [3, -6, h // 2, h + 5])}[kind]
    return lambda imp: imp.setRoi(made(imp.getWidth(), imp.getHeight()))


SELECTIONS = ["rectangle", "rectangle at the edges", "rectangle to the far edge", "oval", "polygon across the edge"]


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize("settings", ["iterations=2 count=1 black", "iterations=1 count=3 pad"])
def test_binary_operations_in_a_selection(files: dict[str, str], operation: str, selection: str,
                                          settings: str) -> None:
    setup = _then(_options(settings), _selection(selection))
    assert compare_command(files["binary"], operation, "", setup) == {}
    assert compare_command(files["binary stack"], operation, "stack", setup) == {}


@pytest.mark.parametrize("name", GREY)
def test_processor_methods_are_imagejs(files: dict[str, str], name: str) -> None:
    ours, _, jimp = _both(files[name])
    ip, jip = ours.getProcessor(), jimp.getProcessor()
    steps: list[tuple[str, tuple[Any, ...]]] = [
        ("setThreshold", (12.6, 140.2)), ("setThreshold", (5, 90000, th.OVER_UNDER_LUT)),
        ("setAutoThreshold", ("Intermodes", True, th.NO_LUT_UPDATE)), ("resetThreshold", ()),
        ("setAutoThreshold", ("RenyiEntropy", False, th.BLACK_AND_WHITE_LUT)),
        ("setAutoThreshold", (1, th.RED_LUT)), ("setAutoThreshold", ("Moments dark no-reset",))]
    for method, args in steps:
        getattr(ip, method)(*args)
        getattr(jip, method)(*args)
        assert _our_state(ours) == _java_state(jimp), (method, args)
        assert (ip.getMaxThreshold(), ip.getLutUpdateMode()) == (jip.getMaxThreshold(), jip.getLutUpdateMode())


# --- Convert Stack to Binary: every choice of its dialog ---------------------------------------------
STACKS = ["8-bit stack", "8-bit inverted stack", "16-bit stack", "16-bit unsigned stack", "32-bit stack",
          "RGB stack"]


@pytest.mark.parametrize("name", STACKS)
@pytest.mark.parametrize("method", autothreshold.METHODS)
def test_convert_stack_with_each_method_and_background(files: dict[str, str], name: str, method: str) -> None:
    for background, black in (("Default", ""), ("Dark", " black"), ("Light", "")):
        options = f"method={method} background={background} calculate{black}"
        assert compare_command(files[name], "Convert to Mask", options, WHITE) == {}, options


@pytest.mark.parametrize("name", ["16-bit stack", "16-bit unsigned stack", "32-bit stack", "8-bit stack"])
@pytest.mark.parametrize("method", autothreshold.METHODS)
def test_convert_stack_by_a_stack_histogram_threshold(files: dict[str, str], name: str, method: str) -> None:
    """``setAutoThreshold("<method> dark stack")`` then one threshold for every slice (no "calculate")."""
    for spec, options in ((f"{method} dark stack", "method=Default background=Dark black"),
                          (f"{method} stack", "method=Default background=Default")):
        setup = _then(WHITE, lambda imp: imp.setSlice(2), lambda imp: macro.setAutoThreshold(spec, imp=imp))
        assert compare_command(files[name], "Convert to Mask", options, setup) == {}, spec


@pytest.mark.parametrize("name", STACKS)
def test_convert_stack_without_calculate(files: dict[str, str], name: str) -> None:
    """No threshold: ImageJ's legacy one from the current slice, applied to every slice."""
    for options in ("method=Default background=Default", "method=Otsu background=Light black"):
        setup = _then(BLACK, lambda imp: imp.setSlice(3))
        assert compare_command(files[name], "Convert to Mask", options, setup) == {}, options
        assert compare_command(files[name], "Make Binary", options, setup) == {}, options


@pytest.mark.parametrize("name", STACKS)
@pytest.mark.parametrize("options", ["method=Li background=Dark calculate create",
                                     "method=Default background=Default create black",
                                     "method=Yen background=Light calculate list create"])
def test_convert_stack_into_a_new_stack(files: dict[str, str], name: str, options: str) -> None:
    """"Create new stack": the masks are a new image (MASK_...), the stack keeps its pixels and threshold."""
    setups = [WHITE] if name == "RGB stack" else [WHITE, _then(WHITE, lambda imp: imp.setSlice(2),
                                                              _auto("Percentile dark"))]
    for setup in setups:
        assert compare_command(files[name], "Convert to Mask", options, setup) == {}


@pytest.mark.parametrize("name", STACKS)
@pytest.mark.parametrize("method", ["Default", "Otsu", "MinError", "Triangle"])
def test_list_thresholds_logs_imagejs_lines(files: dict[str, str], name: str, method: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.parity.commands import compare_outcomes, run_on
    options = f"method={method} background=Dark calculate list"
    logs = []
    outcomes = []
    for backend in ("pydicom", "jvm"):
        outcomes.append(run_on(backend, files[name], "Convert to Mask", options, WHITE))
        logs.append(capsys.readouterr().out)
    assert compare_outcomes(outcomes[0], outcomes[1]) == {}
    assert logs[0] == logs[1]
    lines = logs[0].splitlines()
    assert lines[0] == f"Thresholding method: {method}" and len(lines) == 1 + outcomes[1].image.getStackSize()


def test_list_thresholds_only_with_calculate(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    for options in ("method=Otsu background=Dark list", "method=Otsu background=Dark calculate list only"):
        assert compare_command(files["8-bit stack"], "Convert to Mask", options, WHITE) == {}
        assert capsys.readouterr().out == ""


@pytest.mark.parametrize("name", ["16-bit stack", "32-bit stack", "RGB stack"])
def test_only_the_current_slice_needs_an_8_bit_stack(files: dict[str, str], name: str) -> None:
    from bridge.errors import ScriptError
    messages = []
    for backend in ("pydicom", "jvm"):
        imp = backends.get(backend).open_image(files[name])
        with pytest.raises(ScriptError) as caught:
            backends.get(backend).run_command(imp, "Convert to Mask", "method=Default background=Default only")
        messages.append(caught.value.message)
        assert imp.getBitDepth() == backends.get(backend).open_image(files[name]).getBitDepth()
    assert messages[0] == messages[1] == "8-bit stack required to process a single slice."


@pytest.mark.parametrize("name", ["8-bit stack", "8-bit inverted stack"])
def test_convert_one_slice_in_place(files: dict[str, str], name: str) -> None:
    """"Only convert current image" ("slice" in old macros) turns "calculate", "list" and "create" off."""
    for slice_number in (1, 3):
        for options in ("method=Default background=Default slice", "method=Otsu background=Dark only black",
                        "method=Default background=Default calculate list create only"):
            setup = _then(BLACK, lambda imp: imp.setSlice(slice_number))
            assert compare_command(files[name], "Convert to Mask", options, setup) == {}, options


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_rgb_masks_follow_the_conversions_weights(files: dict[str, str], weighted: bool) -> None:
    conversions = "scale weighted" if weighted else "scale"
    def conversions_options(imp: ImagePlus) -> None:
        assert imp.backend is not None
        imp.backend.run_command(imp, "Conversions...", conversions)
    setup = _then(WHITE, conversions_options)
    try:
        for name, options in (("RGB", ""), ("RGB stack", "method=Default background=Default"),
                              ("RGB stack", "method=Huang background=Dark calculate")):
            assert compare_command(files[name], "Convert to Mask", options, setup) == {}, (name, options)
    finally:
        for backend in ("pydicom", "jvm"):
            imp = backends.get(backend).open_image(files["RGB"])
            backends.get(backend).run_command(imp, "Conversions...", "scale")
