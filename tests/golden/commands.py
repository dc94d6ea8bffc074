"""Golden data for ImageJ's commands: a fixed set of macro cases, run by a real jar and replayed by bridge.

A case is a list of macro calls (``("run", "Median...", "radius=2")``,
``("makeOval", 4, 3, 20, 14)``) on one of a few seeded files: 8-bit,
unsigned and signed 16-bit, float, RGB, stacks, a Hounsfield-calibrated CT.
``scripts/record_commands.py --ij-jar JAR`` turns every case into ImageJ macro
text (:func:`macro_text`), runs it in that jar's ImageJ and records what the
macro saw (:func:`parse_recording`); :func:`replay` runs the same calls through
:mod:`bridge.macro` and observes the same things, so the test compares field by
field.  What is observed after the calls, on the current image: title, type,
size, slice, display range, voxel size, calibration, threshold, and the
pixels' sha256 as *File>Save As>Raw Data* writes them (big-endian, RGB as
three bytes); the Results table as CSV; and the numbers of every query call
(``getStatistics``, ``getProfile``...) in the case.  Numbers are printed by
ImageJ with 17 significant digits, so they are the exact doubles.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pydicom.data

from tests import dicomgen

DATA = Path(__file__).with_name("data")
Step = tuple[Any, ...]

#: calls whose answers are recorded: the macro line that prints them, by name
QUERIES = {
    "getStatistics": "getStatistics(a, m, lo, hi, sd, h); q('getStatistics', newArray(a, m, lo, hi, sd)); print('histogram\\t' + String.join(h, '\\t'));",
    "getRawStatistics": "getRawStatistics(n, m, lo, hi, sd, h); q('getRawStatistics', newArray(n, m, lo, hi, sd)); print('histogram\\t' + String.join(h, '\\t'));",
    "getProfile": "q('getProfile', getProfile());",
    "getThreshold": "getThreshold(lo, hi); q('getThreshold', newArray(lo, hi));",
    "getMinAndMax": "getMinAndMax(lo, hi); q('getMinAndMax', newArray(lo, hi));",
}
#: a value list longer than this is stored as its sha256 (histograms of 16-bit images)
LONGEST_LIST = 64

#: ImageJ's global settings, set at the start of every case (bridge keeps them per thread)
PROLOGUE: list[Step] = [
    ("run", "Conversions...", "scale"),
    ("run", "Set Measurements...", "area mean min display redirect=None decimal=3"),
    ("run", "Options...", "iterations=1 count=1"),
]
ALL_MEASUREMENTS = ("area mean standard modal min centroid center perimeter bounding fit shape feret's "
                    "integrated median skewness kurtosis area_fraction stack display redirect=None decimal=9")

_EPILOGUE = """
if (nImages > 0) {
  print("title\\t" + getTitle());
  q("image", newArray(bitDepth(), getWidth(), getHeight(), nSlices, getSliceNumber()));
  getMinAndMax(lo, hi); q("display range", newArray(lo, hi));
  getVoxelSize(vw, vh, vd, unit); q("voxel size", newArray(vw, vh, vd)); print("unit\\t" + unit);
  q("calibrate", newArray(calibrate(0), calibrate(1)));
  getThreshold(lo, hi); q("threshold", newArray(lo, hi));
  saveAs("Raw Data", folder + "pixels.raw");
}
if (nResults > 0) saveAs("Results", folder + "results.csv");
function q(name, values) {
  s = name;
  for (i = 0; i < values.length; i++) s = s + "\\t" + String.format("%.16e", values[i]);
  print(s);
}
"""


# ---------------------------------------------------------------- the files

def _blobs(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """A 0..1 image of a few bright disks on a ramp with noise (something to threshold, fill and erode)."""
    y, x = np.mgrid[0:shape[0], 0:shape[1]]
    image = 0.15 * x / shape[1] + 0.05 * rng.random(shape)
    for cy, cx, r in ((10, 12, 6), (22, 30, 8), (9, 36, 4)):
        ring = (y - cy) ** 2 + (x - cx) ** 2 <= r * r
        image[ring] += 0.6 + 0.1 * rng.random()
    image[21:24, 29:32] = 0.1      # a hole in the big disk, for Fill Holes
    return np.clip(image, 0, 1)


def _generated(name: str) -> bytes:
    rng = np.random.default_rng(154)
    shape = (32, 48)
    plane = _blobs(rng, shape)
    if name == "u8":
        return dicomgen.image_dicom((plane * 250).astype(np.uint8), spacing="0.5\\0.5")
    if name == "u16":
        return dicomgen.image_dicom((plane * 3000 + 200).astype("<u2"))
    if name == "s16":            # signed, no rescale: ImageJ's -32768 + raw
        return dicomgen.image_dicom((plane * 3000 - 1000).astype("<i2"), signed=True)
    if name == "f32":            # a Rescale Slope other than 1: ImageJ opens it as 32-bit float
        return dicomgen.image_dicom((plane * 3000).astype("<u2"), rescale=("-100.25", "0.5"))
    if name == "rgb":
        rgb = np.stack([plane * 250, plane[::-1] * 200, 255 - plane * 250], axis=-1).astype(np.uint8)
        return dicomgen.image_dicom(rgb, samples=3, photometric="RGB", planar=0)
    if name == "u16 stack":
        frames = np.stack([_blobs(rng, shape) * (1000 + 500 * k) for k in range(4)]).astype("<u2")
        return dicomgen.image_dicom(frames, frames="4", spacing="0.8\\0.8", thickness="2")
    if name == "u8 stack":
        frames = np.stack([_blobs(rng, shape) * 240 for _ in range(3)]).astype(np.uint8)
        return dicomgen.image_dicom(frames, frames="3")
    raise ValueError(name)


GENERATED = ("u8", "u16", "s16", "f32", "rgb", "u16 stack", "u8 stack")
FILES = (*GENERATED, "CT", "MR")


def write_files(folder: Path) -> dict[str, str]:
    """The case files by name, written into ``folder`` (pydicom's CT and MR copied under fixed names)."""
    paths = {}
    for name in GENERATED:
        paths[name] = str(dicomgen.write(folder / (name.replace(" ", "_") + ".dcm"), _generated(name)))
    for name, source in (("CT", "CT_small.dcm"), ("MR", "MR_small.dcm")):
        target = folder / f"{name}.dcm"
        shutil.copyfile(pydicom.data.get_testdata_file(source), target)
        paths[name] = str(target)
    return paths


# ---------------------------------------------------------------- the cases

RECT = ("makeRectangle", 6, 4, 30, 20)
OVAL = ("makeOval", 4, 3, 33, 24)
POLYGON = ("makePolygon", 3, 3, 40, 6, 30, 28, 8, 24)
LINE = ("makeLine", 2, 3, 45, 27)
SELECTIONS: dict[str, Step | None] = {"": None, "rect": RECT, "oval": OVAL, "polygon": POLYGON}
THRESHOLD_METHODS = ("Default", "Huang", "Intermodes", "IsoData", "Li", "MaxEntropy", "Mean", "MinError",
                     "Minimum", "Moments", "Otsu", "Percentile", "RenyiEntropy", "Shanbhag", "Triangle", "Yen")


def cases() -> dict[str, tuple[str, list[Step]]]:
    """name -> (file, calls): every case, in a fixed order."""
    out: dict[str, tuple[str, list[Step]]] = {}

    def add(file: str, name: str, *calls: Step | None) -> None:
        out[f"{file}: {name}"] = (file, [c for c in calls if c is not None])

    for file in FILES:
        gray = file != "rgb"
        for label, selection in SELECTIONS.items():
            add(file, f"Measure {label or 'all'}", ("run", "Set Measurements...", ALL_MEASUREMENTS), selection,
                ("run", "Measure", ""))
            add(file, f"getStatistics {label or 'all'}", selection, ("getStatistics",), ("getRawStatistics",))
        add(file, "getProfile line", LINE, ("getProfile",))
        add(file, "getProfile rect", RECT, ("getProfile",))
        add(file, "Duplicate rect", RECT, ("run", "Duplicate...", "title=copy"))
        add(file, "Crop", RECT, ("run", "Crop", ""))
        add(file, "Rotate 15", ("run", "Rotate... ", "angle=15 grid=1 interpolation=Bilinear"))
        add(file, "Scale 0.7 create", ("run", "Scale...", "x=0.7 y=0.7 interpolation=Bilinear average create"))
        for depth in ("8-bit", "16-bit", "32-bit"):
            add(file, depth, ("run", depth, ""))
        add(file, "8-bit no scaling", ("run", "Conversions...", " "), ("run", "8-bit", ""))
        add(file, "Enhance Contrast", ("run", "Enhance Contrast...", "saturated=0.35"), ("getMinAndMax",))
        add(file, "Enhance Contrast normalize", ("run", "Enhance Contrast...", "saturated=0.35 normalize"))
        add(file, "Enhance Contrast oval", OVAL, ("run", "Enhance Contrast...", "saturated=1"), ("getMinAndMax",))
        for name, options in (("Median...", "radius=2"), ("Mean...", "radius=1.5"),
                              ("Gaussian Blur...", "sigma=1.5")):
            add(file, name, ("run", name, options))
            add(file, f"{name} oval", OVAL, ("run", name, options))
        if gray:
            for method in THRESHOLD_METHODS:
                add(file, f"setAutoThreshold {method} dark", ("setAutoThreshold", f"{method} dark"), ("getThreshold",))
            add(file, "setAutoThreshold Otsu rect", RECT, ("setAutoThreshold", "Otsu"), ("getThreshold",))
            add(file, "Measure limit", ("setAutoThreshold", "Default dark"),
                ("run", "Set Measurements...", "area mean min limit display redirect=None decimal=9"),
                ("run", "Measure", ""))
        # a stack needs the options of the "Convert Stack to Binary" and "Process all slices?" dialogs
        # (without, ImageJ's batch mode ends the macro there)
        to_binary = "method=Default background=Dark calculate black" if "stack" in file else ""
        all_slices = "stack" if "stack" in file else ""
        add(file, "Convert to Mask", ("setAutoThreshold", "Default dark") if gray else None,
            ("run", "Convert to Mask", to_binary))
        add(file, "Make Binary", ("run", "Make Binary", to_binary))
        add(file, "Make Binary, setAutoThreshold Huang", ("run", "Make Binary", to_binary),
            ("setAutoThreshold", "Huang dark"), ("getThreshold",))     # a two-level histogram
        for binary in ("Erode", "Dilate", "Fill Holes"):
            add(file, f"Make Binary, {binary}", ("run", "Make Binary", to_binary), ("run", binary, all_slices))
    return out


# ---------------------------------------------------------------- macro text (for the recorder)

def _literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def macro_text(path: str, calls: Sequence[Step]) -> str:
    """The ImageJ macro of one case; its argument is the folder (ending in "/") it writes its files into."""
    lines = ["folder = getArgument();", f"open({_literal(path)});"]
    for call in [*PROLOGUE, *calls]:
        name, args = call[0], call[1:]
        lines.append(QUERIES[name] if name in QUERIES else f"{name}({', '.join(map(_literal, args))});")
    return "\n".join(lines) + _EPILOGUE


def parse_recording(output: str, error: str | None, folder: Path) -> dict[str, Any]:
    """What the macro printed and wrote, as :func:`replay` gives it."""
    seen: dict[str, Any] = {"error": error, "queries": []}
    for line in output.splitlines():
        name, _, rest = line.partition("\t")
        if name in ("title", "unit"):
            seen[name] = rest
        elif name in QUERIES or name == "histogram":
            seen["queries"].append([name, _numbers([float(v) for v in rest.split("\t") if v])])
        elif name in ("image", "display range", "voxel size", "calibrate", "threshold"):
            seen[name] = _numbers([float(v) for v in rest.split("\t")])
    raw = folder / "pixels.raw"
    if raw.exists():
        seen["pixels"] = hashlib.sha256(raw.read_bytes()).hexdigest()
    csv = folder / "results.csv"
    seen["results"] = csv.read_text(encoding="utf-8") if csv.exists() else None
    return seen


# ---------------------------------------------------------------- replay (bridge.macro)

def replay(path: str, calls: Sequence[Step], folder: Path) -> dict[str, Any]:
    """The case run through :mod:`bridge.macro` on the current backend; observed as the recorder observes."""
    from bridge import macro
    from bridge.errors import BridgeError
    macro.close("*")
    macro.run("Clear Results")
    seen: dict[str, Any] = {"error": None, "queries": []}
    try:
        macro.open(path)
        for call in [*PROLOGUE, *calls]:
            name, args = call[0], call[1:]
            answer = getattr(macro, name)(*args)
            if name in QUERIES:
                seen["queries"] += _query_answers(name, answer)
    except BridgeError as err:
        seen["error"] = str(err)
    if macro.nImages() > 0:
        seen.update(_image_fields(macro))
    csv = folder / "results.csv"
    if macro.nResults() > 0:
        macro.saveAs("Results", csv)
    seen["results"] = csv.read_text(encoding="utf-8") if csv.exists() else None
    return seen


def _image_fields(macro: Any) -> dict[str, Any]:
    imp = macro.current_image()
    width, height, depth, unit = macro.getVoxelSize()
    return {"title": macro.getTitle(),
            "image": _numbers([macro.bitDepth(), macro.getWidth(), macro.getHeight(), macro.nSlices(),
                               macro.getSliceNumber()]),
            "display range": _numbers(macro.getMinAndMax()), "voxel size": _numbers([width, height, depth]),
            "unit": unit, "calibrate": _numbers([macro.calibrate(0), macro.calibrate(1)]),
            "threshold": _numbers(macro.getThreshold()),
            "pixels": hashlib.sha256(raw_data(np.asarray(imp.data), _signed16(imp))).hexdigest()}


def _signed16(imp: Any) -> bool:
    """ImageJ's ``Calibration.isSigned16Bit()``: 16-bit with the -32768 + raw function."""
    cal = imp.getCalibration()
    return bool(imp.data.dtype == np.uint16 and cal.getFunction() == 0 and cal.getCoefficients() is not None
                and list(cal.getCoefficients()[:2]) == [-32768.0, 1.0])


def raw_data(data: np.ndarray, signed16: bool = False) -> bytes:
    """The bytes *Save As>Raw Data* writes: big-endian samples (signed 16-bit data as signed), RGB as
    r, g, b bytes, slice after slice."""
    if data.dtype == np.int32:          # RGB, packed 0xRRGGBB
        return np.stack([(data >> 16) & 255, (data >> 8) & 255, data & 255], axis=-1).astype(np.uint8).tobytes()
    if signed16:
        data = data ^ np.uint16(0x8000)
    return data.astype(data.dtype.newbyteorder(">")).tobytes()


def _query_answers(name: str, answer: Any) -> list[list[Any]]:
    """A query's answer as the macro prints it: statistics' histogram on a line of its own."""
    values = list(answer)
    if values and isinstance(values[-1], (tuple, list)):
        return [[name, _numbers(values[:-1])], ["histogram", _numbers(values[-1])]]
    return [[name, _numbers(values)]]


def _numbers(values: Sequence[float]) -> list[Any] | str:
    """Numbers as JSON keeps them (NaN and infinities as text); a long list as the sha256 of its doubles."""
    values = [float(v) for v in values]
    if len(values) > LONGEST_LIST:
        return f"{len(values)} values, sha256 " + hashlib.sha256(np.asarray(values, ">f8").tobytes()).hexdigest()
    return [v if math.isfinite(v) else repr(v) for v in values]


# ---------------------------------------------------------------- the data files

def data_path(version: str) -> Path:
    return DATA / f"imagej-{version}-commands.json.gz"


def save(version: str, jar: dict[str, str], seen: dict[str, dict[str, Any]]) -> Path:
    body = json.dumps({"imagej": version, "jar": jar, "cases": seen}, ensure_ascii=False, sort_keys=True,
                      indent=0).encode("utf-8")
    path = data_path(version)
    path.write_bytes(gzip.compress(body, mtime=0))
    return path


def load(version: str) -> dict[str, dict[str, Any]]:
    cases_seen: dict[str, dict[str, Any]] = json.loads(gzip.decompress(data_path(version).read_bytes()))["cases"]
    return cases_seen


def recorded_versions() -> list[str]:
    return sorted(p.name.split("-")[1] for p in DATA.glob("imagej-*-commands.json.gz"))


def differing_fields(recorded: dict[str, Any], seen: dict[str, Any]) -> list[str]:
    """The fields where a replay differs from the recording (when either failed: only whether both did)."""
    if recorded.get("error") is not None or seen.get("error") is not None:
        return [] if recorded.get("error") is not None and seen.get("error") is not None else ["error"]
    return [k for k in sorted(recorded.keys() | seen.keys()) if recorded.get(k) != seen.get(k)]
