"""The macro functions for selections, statistics and the Results table (``bridge.macro``).

The pure tests hold the macro grammar (argument order, errors, option
strings); the jvm tests compare each function with the ImageJ code the macro
function runs (``ImageStatistics.getStatistics``, ``IJ.getValue``,
``Analyzer.measure``, ``ResultsTable.saveAs``), since headless ImageJ cannot
run menu commands such as ``run("Measure")`` itself.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pydicom.data
import pytest

from bridge import macro
from bridge.core import statistics as S
from bridge.core.measure import parse_set_measurements
from bridge.errors import BridgeError, ScriptError

sys.path.insert(0, str(Path(__file__).parent / "core"))

CT = pydicom.data.get_testdata_file("CT_small.dcm")
MR = pydicom.data.get_testdata_file("MR_small.dcm")


@pytest.fixture(autouse=True)
def fresh_state():
    """Each test starts with no image, an empty Results table and ImageJ's default measurements."""
    macro.close()
    macro.run("Clear Results")
    macro.run("Set Measurements...", "area mean min redirect=None decimal=3")
    yield
    macro.close()
    macro.run("Clear Results")
    macro.run("Set Measurements...", "area mean min redirect=None decimal=3")


# --- grammar -------------------------------------------------------------------------------
def test_set_measurements_reads_imagejs_option_string() -> None:
    settings = parse_set_measurements("area mean standard modal min centroid center perimeter bounding fit "
                                      "shape feret's integrated median skewness kurtosis area_fraction stack "
                                      "limit display nan redirect=None decimal=5")
    assert settings.measurements == (S.ALL_STATS | S.STACK_POSITION | S.LIMIT | S.LABELS | S.NAN_EMPTY_CELLS)
    assert settings.precision == 5
    assert parse_set_measurements("circularity slice").measurements == S.SHAPE_DESCRIPTORS | S.STACK_POSITION
    assert parse_set_measurements("area_fraction").measurements == S.AREA_FRACTION
    assert parse_set_measurements("decimal=12").precision == 9


@pytest.mark.parametrize("options", ["area meen", "area redirect=[other.tif]", "scientific", "decimal=x"])
def test_set_measurements_refuses_what_it_cannot_honour(options: str) -> None:
    with pytest.raises(BridgeError):
        macro.run("Set Measurements...", options)


def test_unknown_command_is_imagejs_error() -> None:
    with pytest.raises(BridgeError, match='Unrecognized command: "Mesure"'):
        macro.run("Mesure")


def test_selection_functions() -> None:
    macro.open(CT)
    assert macro.getSelectionBounds() == (0, 0, 128, 128) and macro.selectionType() == -1
    macro.makeOval(10.5, 20.2, 30.3, 12)
    assert macro.getSelectionBounds() == (10, 20, 31, 12) and macro.selectionType() == 1
    macro.makePolygon(1.4, 2.6, 40, 3, 20, 50)
    assert macro.getSelectionBounds() == (1, 3, 39, 47) and macro.selectionType() == 2
    macro.makeRectangle(5, 5, 0, 10)
    assert macro.selectionType() == -1
    with pytest.raises(ScriptError, match="Fewer than 3 points"):
        macro.makePolygon(1, 2, 3, 4)
    macro.makeLine(1, 2, 30, 40)
    assert macro.selectionType() == 5
    assert macro.getStatistics()[0] > 0      # the profile's statistics (tests/test_macro_roi.py compares)
    macro.selectNone()
    assert macro.selectionType() == -1


def test_results_functions_follow_the_macro_rules(tmp_path: Path) -> None:
    macro.open(MR)
    macro.makeRectangle(10, 10, 20, 20)
    macro.run("Measure")
    macro.run("Measure")
    assert macro.nResults() == 2
    assert macro.getResult("Mean") == macro.getResult("Mean", 1) == macro.getResult("Mean", 0)
    assert math.isnan(macro.getResult("Median"))
    assert macro.getResultString("Nope") == "null"
    assert macro.getResultLabel(0) == ""
    macro.setResult("Group", 2, "controls")
    macro.setResult("Label", 2, "row three")
    assert macro.nResults() == 3 and macro.getResultString("Group", 2) == "controls"
    assert macro.getResultLabel(2) == "row three"
    with pytest.raises(ScriptError, match="out of range"):
        macro.getResult("Mean", 7)
    macro.run("Clear Results")
    assert macro.nResults() == 0


def test_get_value_keys() -> None:
    macro.open(CT)
    macro.makeRectangle(30, 30, 10, 10)
    area, mean, minimum, maximum, std, histogram = macro.getStatistics()
    assert macro.getValue("Mean") == mean and macro.getValue("Area") == area
    assert macro.getValue("Mean raw") == pytest.approx(mean + 1024 + 32768)
    assert len(histogram) == 256 and sum(histogram) == 100
    with pytest.raises(ScriptError, match="Invalid key"):
        macro.getValue("Average")


# --- against ImageJ's code -------------------------------------------------------------------


def java():
    import imagej_live
    return imagej_live


@pytest.mark.jvm
@pytest.mark.parametrize("path", [CT, MR], ids=["CT_small", "MR_small"])
@pytest.mark.parametrize("selection", [None, ("makeOval", (20, 15, 33, 21)), ("makeRectangle", (-4, 50, 30, 30)),
                                       ("makePolygon", (2, 3, 50, 10, 30, 60, 5, 40))],
                         ids=["none", "oval", "rectangle", "polygon"])
def test_statistics_functions_are_imagejs(path: str, selection: tuple[str, tuple[int, ...]] | None) -> None:
    ij = java()
    macro.open(path)
    imp = macro.current_image()
    if selection is not None:
        getattr(macro, selection[0])(*selection[1])
    theirs = ij.java_image_of(imp)
    roi = imp.getRoi()
    ip = theirs.getProcessor()
    if roi is not None:
        ip.setRoi(ij.java_roi(roi))
    params = S.AREA + S.MEAN + S.MIN_MAX + S.STD_DEV
    stats = ij.jclass("ij.process.ImageStatistics").getStatistics(ip, params, theirs.getCalibration())
    assert macro.getStatistics()[:5] == (stats.area, stats.mean, stats.min, stats.max, stats.stdDev)
    assert macro.getStatistics()[5] == [int(c) for c in stats.getHistogram()]
    raw = ij.jclass("ij.process.ImageStatistics").getStatistics(ip, params, None)
    count, mean, minimum, maximum, std, histogram = macro.getRawStatistics()
    assert (count, mean, minimum, maximum, std) == (raw.pixelCount, raw.mean, raw.min, raw.max, raw.stdDev)
    assert histogram == [int(c) for c in raw.histogram16][:int(raw.max) + 1]
    theirs.setRoi(ij.java_roi(roi)) if roi is not None else theirs.deleteRoi()
    for key in ("Mean", "Area", "StdDev", "Median", "X", "XM", "Skew", "Kurt", "IntDen", "RawIntDen", "%Area",
                "Feret", "Mean raw", "Min raw", "Major", "Slice", "Perim."):
        ours, imagejs = macro.getValue(key), float(ij.jclass("ij.IJ").getValue(theirs, key))
        assert ours == imagejs or (key == "Major" and abs(ours - imagejs) < 1e-12 * imagejs), key


@pytest.mark.jvm
def test_measure_and_save_as_results_are_imagejs(tmp_path: Path) -> None:
    ij = java()
    options = "area mean standard modal min centroid center perimeter bounding integrated median " \
              "skewness kurtosis area_fraction stack display redirect=None decimal=4"
    macro.run("Set Measurements...", options)
    flags = parse_set_measurements(options).measurements
    macro.open(CT)
    theirs = ij.java_image_of(macro.current_image())
    analyzer = ij.jclass("ij.plugin.filter.Analyzer")
    table = ij.jclass("ij.measure.ResultsTable")()
    analyzer.setPrecision(4)
    try:
        for maker, args in (("makeOval", (40, 40, 48, 48)), ("makeRectangle", (5, 5, 20, 10)),
                            ("makePolygon", (10, 10, 100, 20, 60, 110))):
            getattr(macro, maker)(*args)
            macro.run("Measure")
            theirs.setRoi(ij.java_roi(macro.current_image().getRoi()))
            analyzer(theirs, flags, table).measure()
    finally:
        analyzer.setPrecision(3)
    macro.saveAs("Results", tmp_path / "ours.csv")
    table.saveAs(str(tmp_path / "imagej.csv"))
    assert (tmp_path / "ours.csv").read_text() == (tmp_path / "imagej.csv").read_text()
    assert macro.getResultString("Mean", 0) == str(table.getStringValue("Mean", 0))
    assert np.isclose(macro.getResult("Mean", 0), table.getValue("Mean", 0), rtol=0, atol=0)
