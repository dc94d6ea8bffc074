"""The translation tables: which ImageJ calls bridge has, and their Python twins.

A call that is not in these tables is not translated (``bridge port`` lists it
and exits 1): a port never calls something bridge does not have.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import macro as bridge_macro
from . import runtime
from ..core.results import ResultsTable
from ..core.roi import Roi
from ..core.statistics import ImageStatistics
from ..facade import DICOM
from ..model import Calibration, ImagePlus, ImageProcessor, ImageStack

MACRO = "bridge.macro"
RUNTIME = "bridge.port.runtime"
FACADE = "bridge"
STR, NUM = "str", "num"


@dataclass(frozen=True)
class Twin:
    """A function's Python twin: the name to call, where it comes from, what it returns."""

    python: str
    module: str | None
    returns: str | None = None


def _macro_twins() -> dict[str, Twin]:
    """bridge.macro's functions, under the macro's own names."""
    text = {"getTitle", "getInfo", "getImageInfo", "getMetadata", "getResultString", "getResultLabel"}
    number = {"getWidth", "getHeight", "getSliceNumber", "bitDepth", "getPixel", "calibrate",
              "selectionType", "getValue", "getResult"}
    statements = {"open", "close", "setSlice", "makeRectangle", "makeOval", "makePolygon", "makeLine",
                  "makePoint", "run", "setResult", "updateResults", "saveAs"}
    twins = {name: Twin(name, MACRO, STR if name in text else NUM if name in number else None)
             for name in text | number | statements}
    assert set(twins) <= set(bridge_macro.__all__)
    return twins


#: Macro functions: bridge.macro's, then the language's own (runtime helpers, math).
MACRO_FUNCTIONS: dict[str, Twin] = {
    **_macro_twins(),
    "d2s": Twin("d2s", RUNTIME, STR),
    "parseInt": Twin("parse_int", RUNTIME, NUM),
    "parseFloat": Twin("parse_float", RUNTIME, NUM),
    "round": Twin("java_round", RUNTIME, NUM),
    "split": Twin("macro_split", RUNTIME),
    "newArray": Twin("new_array", RUNTIME),
    "getArgument": Twin("get_argument", RUNTIME, STR),
    "IJ.pad": Twin("pad", RUNTIME, STR),
    "floor": Twin("math.floor", "math", NUM),
    "sqrt": Twin("math.sqrt", "math", NUM),
    "pow": Twin("math.pow", "math", NUM),
    "exp": Twin("math.exp", "math", NUM),
    "log": Twin("math.log", "math", NUM),
    "sin": Twin("math.sin", "math", NUM),
    "cos": Twin("math.cos", "math", NUM),
    "tan": Twin("math.tan", "math", NUM),
    "atan": Twin("math.atan", "math", NUM),
    "atan2": Twin("math.atan2", "math", NUM),
    "isNaN": Twin("math.isnan", "math", NUM),
    "abs": Twin("abs", None, NUM),
    "minOf": Twin("min", None, NUM),
    "maxOf": Twin("max", None, NUM),
    "lengthOf": Twin("len", None, NUM),
    "Property.get": Twin("Property.get", MACRO, STR),
    "Property.getDicomTag": Twin("Property.getDicomTag", MACRO, STR),
    "Property.getNumber": Twin("Property.getNumber", MACRO, NUM),
    "Property.getInfo": Twin("Property.getInfo", MACRO, STR),
    "Property.getSliceLabel": Twin("Property.getSliceLabel", MACRO, STR),
    "Array.sort": Twin("MacroArray.sort", RUNTIME),
    "Array.reverse": Twin("MacroArray.reverse", RUNTIME),
    "Array.concat": Twin("MacroArray.concat", RUNTIME),
    "Array.print": Twin("MacroArray.print", RUNTIME),
    "Array.slice": Twin("MacroArray.slice", RUNTIME),
    "Array.trim": Twin("MacroArray.trim", RUNTIME),
    "Array.fill": Twin("MacroArray.fill", RUNTIME),
    "Array.getSequence": Twin("MacroArray.getSequence", RUNTIME),
    "getFileList": Twin("get_file_list", RUNTIME),
    "File.getName": Twin("MacroFile.getName", RUNTIME, STR),
    "File.getNameWithoutExtension": Twin("MacroFile.getNameWithoutExtension", RUNTIME, STR),
    "File.getDirectory": Twin("MacroFile.getDirectory", RUNTIME, STR),
    "File.exists": Twin("MacroFile.exists", RUNTIME, NUM),
    "File.isDirectory": Twin("MacroFile.isDirectory", RUNTIME, NUM),
    "File.isFile": Twin("MacroFile.isFile", RUNTIME, NUM),
}

#: Math.* (the macro's since 1.52, and JavaScript's).
MATH_FUNCTIONS: dict[str, Twin] = {
    "Math.abs": Twin("abs", None, NUM), "Math.floor": Twin("math.floor", "math", NUM),
    "Math.ceil": Twin("math.ceil", "math", NUM), "Math.sqrt": Twin("math.sqrt", "math", NUM),
    "Math.pow": Twin("math.pow", "math", NUM), "Math.exp": Twin("math.exp", "math", NUM),
    "Math.log": Twin("math.log", "math", NUM), "Math.sin": Twin("math.sin", "math", NUM),
    "Math.cos": Twin("math.cos", "math", NUM), "Math.min": Twin("min", None, NUM),
    "Math.max": Twin("max", None, NUM), "Math.round": Twin("java_round", RUNTIME, NUM),
}

@dataclass(frozen=True)
class OutputCall:
    """A macro function that sets the variables named as its arguments: ``getStatistics(area, mean)``."""

    twin: Twin
    inputs: int                          # arguments before the outputs
    outputs: tuple[str | None, ...]      # the outputs' static types, in order


#: The macro's functions with output parameters; the port assigns their twin's tuple.
MACRO_OUTPUT_CALLS: dict[str, OutputCall] = {
    "getStatistics": OutputCall(Twin("getStatistics", MACRO), 0, (NUM,) * 5 + (None,)),
    "getRawStatistics": OutputCall(Twin("getRawStatistics", MACRO), 0, (NUM,) * 5 + (None,)),
    "getDimensions": OutputCall(Twin("getDimensions", MACRO), 0, (NUM,) * 5),
    "getVoxelSize": OutputCall(Twin("getVoxelSize", MACRO), 0, (NUM, NUM, NUM, STR)),
    "getSelectionBounds": OutputCall(Twin("getSelectionBounds", MACRO), 0, (NUM,) * 4),
    "Array.getStatistics": OutputCall(Twin("MacroArray.getStatistics", RUNTIME), 1, (NUM,) * 4),
}

#: JavaScript: the facade's static calls, by ImageJ's class names.
JS_FUNCTIONS: dict[str, Twin] = {
    "IJ.openImage": Twin("IJ.openImage", FACADE),
    "IJ.run": Twin("IJ.run", FACADE),
    "IJ.saveAs": Twin("IJ.saveAs", FACADE, STR),
    "IJ.getErrorMessage": Twin("IJ.getErrorMessage", FACADE),
    "IJ.getFullVersion": Twin("IJ.getFullVersion", FACADE, STR),
    "IJ.getVersion": Twin("IJ.getVersion", FACADE, STR),
    "IJ.d2s": Twin("d2s", RUNTIME, STR),
    "IJ.pad": Twin("pad", RUNTIME, STR),
    "DicomTools.getTag": Twin("DicomTools.getTag", FACADE),
    "DicomTools.getTagName": Twin("DicomTools.getTagName", FACADE),
    "FolderOpener.open": Twin("FolderOpener.open", FACADE),
    "BF.openImagePlus": Twin("BF.openImagePlus", FACADE),
    "getArgument": Twin("get_argument", RUNTIME, STR),
    **MATH_FUNCTIONS,
}

#: Classes JavaScript may name (``importClass(Packages.ij.IJ)``), as the facade exports them.
JS_CLASSES = {"ij.IJ": "IJ", "ij.util.DicomTools": "DicomTools", "ij.plugin.DICOM": "DICOM",
              "ij.plugin.FolderOpener": "FolderOpener", "loci.plugins.BF": "BF"}


def _public_methods(*classes: type) -> frozenset[str]:
    return frozenset(name for cls in classes for name in dir(cls)
                     if not name.startswith("_") and callable(getattr(cls, name)))


#: Methods of the Java objects bridge models (ImagePlus, its processor, stack, calibration, ...).
OBJECT_METHODS = _public_methods(ImagePlus, ImageProcessor, ImageStack, Calibration, ResultsTable, Roi,
                                 DICOM) - {"java", "copy", "reordered", "tobytes", "nbytes", "is_empty"}
#: ...those that return text, and those that return numbers (the others: unknown until run time).
TEXT_METHODS = {"getTitle", "getStringProperty", "getInfoProperty", "getImageInfo", "getUnit", "getUnits",
                "getValueUnit", "getSliceLabel", "getShortSliceLabel", "getInfo"}
NUMBER_METHODS = {"getWidth", "getHeight", "getStackSize", "getNSlices", "getNChannels", "getNFrames",
                  "getType", "getBitDepth", "getCurrentSlice", "getNumericProperty", "getPixel", "getf",
                  "getCValue", "getDisplayRangeMin", "getDisplayRangeMax", "size", "getSize"}
#: Public fields (ImageStatistics' and Calibration's).
OBJECT_FIELDS = frozenset(ImageStatistics.__dataclass_fields__) | \
    frozenset(Calibration.__dataclass_fields__) - {"function", "coefficients"}
TEXT_FIELDS = {"unit", "valueUnit"}


def _importable() -> frozenset[str]:
    twins = [*MACRO_FUNCTIONS.values(), *MATH_FUNCTIONS.values(), *JS_FUNCTIONS.values(),
             *(call.twin for call in MACRO_OUTPUT_CALLS.values())]
    return frozenset({twin.python.split(".")[0] for twin in twins} | set(runtime.__all__) |
                     set(JS_CLASSES.values()) | {"nResults", "nSlices", "Property"})


#: Every name a port may import: a script's own names are renamed away from them.
IMPORTABLE = _importable()
