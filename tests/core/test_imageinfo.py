"""Show Info (``getImageInfo``): the pure text against ImageJ's own, byte for byte.

The pure text is computed from the very snapshot the jvm backend made, so
these tests need no pure opener: only the text rules are under test.
"""

from __future__ import annotations

import math
import os
import random

import jpype
import numpy as np
import pytest
from pydicom.data import get_testdata_file

import bridge
from bridge.backends.pure import BACKEND as PURE
from bridge.core import imageinfo
from bridge.model import GRAY16, Calibration, ImagePlus

TEST_FILES = os.path.dirname(get_testdata_file("CT_small.dcm"))


def _jvm():
    from bridge.backends.jvm import BACKEND, adapter, runtime
    return BACKEND, adapter, runtime


def _opened_files() -> list[ImagePlus]:
    """Every pydicom test file ImageJ opens, as jvm snapshots."""
    bridge.set_backend("jvm")
    images = []
    for name in sorted(os.listdir(TEST_FILES)):
        try:
            imp = bridge.IJ.openImage(os.path.join(TEST_FILES, name))
        except bridge.DicomReadError:      # ImageJ throws for three of them
            continue
        if imp is not None:
            images.append(imp)
    return images


# ---------------------------------------------------------------- real files

@pytest.mark.jvm
def test_every_opened_test_file_and_slice_matches_imagej():
    jvm, _, _ = _jvm()
    images = _opened_files()
    assert len(images) >= 20
    checked = 0
    for imp in images:
        for n in range(1, imp.getStackSize() + 1):
            imp.setSlice(n)
            for in_macro in (False, True):
                expected = jvm.get_image_info(imp, in_macro=in_macro)
                assert imageinfo.image_info(imp, in_macro=in_macro) == expected, \
                    f"{imp.title} slice {n} in_macro={in_macro}"
                checked += 1
    assert checked >= 2 * (18 + 2 * 15)


@pytest.mark.jvm
def test_model_method_asks_the_backend_that_made_the_image():
    bridge.set_backend("jvm")
    imp = bridge.IJ.openImage(get_testdata_file("CT_small.dcm"))
    text = imp.getImageInfo()
    assert text.startswith("0002,0000")  # a fresh one-image file: no title line on top
    assert f"ID: {imp.getID()}\n" in text and imp.getID() < 0
    assert "Macro is running" not in text
    assert text == PURE.get_image_info(imp)


# ---------------------------------------------------------------- edited images

def _edited_twins(rng: random.Random, jimp, n_slices: int):
    """Apply the same random state to a Java image; return the jvm snapshot of it."""
    _, adapter, runtime = _jvm()
    cal = jimp.getCalibration().copy()
    values = [1.0, 0.5, 1 / 3, 100 / 3, 0.661468, 1e-4, 2.5e7, 3e9, 0.0, -0.5, 1.5e-3, 123.456789, math.nan]
    cal.pixelWidth, cal.pixelHeight, cal.pixelDepth = (rng.choice(values) for _ in range(3))
    cal.setUnit(rng.choice(["mm", "pixel", "micron", "inch", "cm"]))
    cal.xOrigin, cal.yOrigin, cal.zOrigin = (rng.choice([0.0, 0.0, 2.5, -7.0, 1e-5]) for _ in range(3))
    function = rng.choice(["line", "none", "unit"])
    if function == "line":
        coefficients = [rng.choice([-32768.0, -1024.0, 0.5, -33792.0]), rng.choice([1.0, 0.5, 2.25])]
        cal.setFunction(0, jpype.JArray(jpype.JDouble)(coefficients), "HU")
    else:
        cal.setFunction(20, None, "Gray Value" if function == "none" else "Gy")
    jimp.setCalibration(cal)
    if rng.random() < 0.7:
        jimp.setDisplayRange(rng.choice([0.0, 12.7, 32896.0]), rng.choice([255.0, 1167.5, 34959.0, 1e6]))
    if n_slices > 1:
        stack = jimp.getStack()
        for i in range(1, n_slices + 1):
            stack.setSliceLabel(rng.choice([None, "", "plain label", "f.dcm\n0008,0060  Modality: CT\n",
                                            "\nstarts with LF", "x" * 70 + ".tif\nbody\n"]), i)
        jimp.setSlice(rng.randint(1, n_slices))
    imp = adapter.to_model(jimp)
    imp.backend = PURE  # the LUT-name lookup reads the snapshot's text; no Java needed
    return imp


@pytest.mark.jvm
@pytest.mark.parametrize("name", ["CT_small.dcm", "rtdose.dcm", "examples_palette.dcm",
                                  "SC_rgb_small_odd.dcm", "MR_small.dcm"])
def test_edited_calibrations_labels_and_ranges_match_imagej(name):
    """Random spatial/value calibrations, origins, labels, slices and display ranges."""
    jvm, _, runtime = _jvm()
    bridge.set_backend("jvm")
    opened = bridge.IJ.openImage(get_testdata_file(name))
    jimp = jvm.java_image(opened).duplicate()
    jimp.setProperty("Info", opened.info)
    show_info = runtime.jclass("ij.plugin.ImageInfo")()
    rng = random.Random(name)
    for _ in range(60):
        imp = _edited_twins(rng, jimp, opened.getStackSize())
        assert imageinfo.image_info(imp) == str(show_info.getImageInfo(jimp))


@pytest.mark.jvm
def test_one_image_stack_after_getstack_matches_imagej():
    """ImageJ's side effect, reproduced when the snapshot carries the label it creates."""
    jvm, adapter, _ = _jvm()
    bridge.set_backend("jvm")
    opened = bridge.IJ.openImage(get_testdata_file("CT_small.dcm"))
    jimp = jvm.java_image(opened)
    fresh = jvm.get_image_info(opened)
    jimp.getStack()  # ImageJ now gives the image a label: title + "\n" + Info
    snapshot = adapter.to_model(jimp)
    snapshot.backend = PURE
    expected = str(_jvm()[2].jclass("ij.plugin.ImageInfo")().getImageInfo(jimp))
    assert expected != fresh and expected.startswith("CT_small.dcm\n")
    assert "Image: 1/1 (CT_small)\n" in expected
    assert imageinfo.image_info(snapshot) == expected


def _folder_stack(folder: str):
    """ImageJ's FolderOpener on ``folder`` (its first call in a JVM may throw HeadlessException)."""
    _, _, runtime = _jvm()
    from bridge.backends.jvm import quiet_stdout
    for attempt in range(2):
        try:
            with quiet_stdout():
                return runtime.jclass("ij.plugin.FolderOpener").open(folder)
        except Exception:
            if attempt:
                raise


@pytest.mark.jvm
def test_labelled_stacks_from_folders_match_imagej():
    """Image Sequence stacks: every slice has a label holding its file's header."""
    _, adapter, runtime = _jvm()
    bridge.set_backend("jvm")
    show_info = runtime.jclass("ij.plugin.ImageInfo")()
    root = os.path.join(TEST_FILES, "dicomdirtests")
    checked = 0
    for folder in ["77654033/CT2", "98892001/CT2N", "98892001/CT5N", "98892003/MR1", "98892003/MR2",
                   "98892003/MR700"]:
        jimp = _folder_stack(os.path.join(root, folder))
        imp = adapter.to_model(jimp)
        imp.backend = PURE
        assert imp.getStackSize() > 1 and all(label and "\n" in label for label in imp.labels)
        for n in range(1, imp.getStackSize() + 1):
            jimp.setSlice(n)
            imp.setSlice(n)
            assert imageinfo.image_info(imp) == str(show_info.getImageInfo(jimp)), f"{folder} slice {n}"
            checked += 1
    assert checked >= 25


# ---------------------------------------------------------------- Java numbers

@pytest.mark.jvm
def test_d2s_and_decimal_places_match_java():
    _, _, runtime = _jvm()
    IJ, Tools = runtime.jclass("ij.IJ"), runtime.jclass("ij.util.Tools")
    rng = np.random.default_rng(7)
    specials = [0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 1e-3, 9.99e-4, 1e7, 9999999.5, 2**31, -2**31 - 1.0,
                math.inf, -math.inf, math.nan, 3.4028234663852886e38, 100 / 3, 1 / 3, 84.66790399999999,
                0.1 + 0.2, 1e-300, 1e30, 2.675, 0.125, 1.005]
    # Up to 1e15: beyond, and for subnormals, Java 17 prints some values with more
    # digits than Python's shortest repr (see imageinfo._java_digits).
    numbers = specials + list(rng.normal(0, 1e3, 300)) + list(10.0 ** rng.uniform(-8, 15, 600)) \
        + list(np.round(rng.uniform(-1e4, 1e4, 200), 3))
    for n in map(float, numbers):
        assert imageinfo.decimal_places(n) == Tools.getDecimalPlaces(n), n
        for places in (-3, -2, 0, 1, 2, 4, 6, 9):
            assert imageinfo.d2s(n, places) == str(IJ.d2s(n, places)), (n, places)


# ---------------------------------------------------------------- without Java

def _synthetic(n_slices: int, labels: list[str | None] | None = None) -> ImagePlus:
    data = np.zeros((n_slices, 4, 6), dtype=np.uint16)
    cal = Calibration(pixelWidth=0.5, pixelHeight=0.5, pixelDepth=2.0, unit="mm", function=0,
                      coefficients=[-32768.0, 1.0])
    imp = ImagePlus(title="s.dcm", data=data, image_type=GRAY16, info="0008,0060  Modality: MR\n",
                    labels=labels or [], calibration=cal, display_range=(32768.0, 33768.0),
                    file_info={"fileName": "s.dcm", "directory": "/data"})
    imp.backend = PURE
    return imp


def test_stack_text_layout_without_java():
    imp = _synthetic(3, ["a.dcm\n0008,0060  Modality: CT\n", "plain", None])
    imp.setSlice(1)
    text = imageinfo.image_info(imp)
    header, _, own = text.partition(imageinfo.SEPARATOR)
    assert header == imp.labels[0]  # the current slice's label holds the header
    assert "Depth:  6 mm (3)\nSize:  0K\n" in own and "Voxel size: 0.5x0.5x2 mm^3\n" in own
    assert "Bits per pixel: 16 (signed)\nDisplay range: 0 - 1000\nImage: 1/3 (a)\n" in own
    assert own.endswith("Path: /data/s.dcm\nCoordinate origin:  0,0,0\nNo properties\nNo overlay\n \nNo selection\n")
    imp.setSlice(2)
    assert imageinfo.image_info(imp).startswith(imp.info + imageinfo.SEPARATOR)  # "plain" has no header
    assert "Image: 2/3 (plain)\n" in imageinfo.image_info(imp)


def test_macro_line_and_sizes():
    imp = _synthetic(1)
    assert imageinfo.image_info(imp, in_macro=True) == imageinfo.image_info(imp).replace(
        "No overlay\n", "No overlay\nMacro is running in batch mode\n")
    big = _synthetic(1)
    big.data = np.zeros((3, 1024, 1024), dtype=np.uint16)
    assert imageinfo.image_size(big) == "6MB"
