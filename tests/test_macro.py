"""``bridge.macro``: the macro functions' Python twins, judged by real ImageJ macros.

The jvm tests run the very macro line in ImageJ (on the same Java image,
made current for the macro) and compare its string with the twin's.
"""

from __future__ import annotations

import math
import threading

import pytest
from pydicom.data import get_testdata_file

import bridge
from bridge import DicomTools, ScriptError, macro
from bridge.macro import Property

CT = get_testdata_file("CT_small.dcm")

#: getInfo keys a DICOM user asks for; the tag ids include a sequence item, a lower-case id,
#: a trailing space and a tag that is absent.
INFO_KEYS = ["0008,1030", "0020,0032", "0028,0030", "0010,0010", "0008,0060", "0020,0013", "0028,0010",
             "7FE0,0010", "0008,103e", "0008,103E", "0028,0010 ", "0040,A730", "9999,9999",
             "Modality", "Patient's Name", "Rows", "Slice_Label", "image.title", "IMAGE.TITLE",
             "image.filename", "image.directory", "image.description", "image.subtitle", "slice.label",
             "overlay", "log", "micrometer.abbreviation", "window.title", "window.type", "selection.name",
             "threshold.method", "threshold.mode", "macro.filepath", "command.name", "font.name",
             "user.dir", "file.separator", "no.such.key"]

JUDGED_FILES = [("CT_small.dcm", 1), ("MR_small_bigendian.dcm", 1), ("rtdose.dcm", 1), ("rtdose.dcm", 7),
                ("examples_rgb_color.dcm", 1), ("ExplVR_BigEnd.dcm", 1), ("examples_palette.dcm", 1),
                ("badVR.dcm", 1)]


def _real_macro(imp, code: str) -> str:
    """Run ``code`` in ImageJ with the Java image behind ``imp`` as the current image."""
    from bridge.backends.jvm import BACKEND, run_macro
    return run_macro(BACKEND.java_image(imp), code)


def _same_number(text: str, value: float) -> bool:
    expected = float(text)
    return (math.isnan(expected) and math.isnan(value)) or expected == pytest.approx(value, rel=1e-12)


# ---------------------------------------------------------------- the seed

def test_seed_twin_prints_the_tag_values(each_backend, capsys):
    """The JS seed's macro twin, verbatim apart from Python's import line."""
    from bridge.macro import getInfo, open
    open(CT)
    print("Study Description: " + getInfo("0008,1030"))
    print("Image Position: " + getInfo("0020,0032"))
    print("Pixel Spacing: " + getInfo("0028,0030"))
    imp = macro.current_image()
    expected = "".join(f"{label}: {DicomTools.getTag(imp, tag)}\n" for label, tag in
                       [("Study Description", "0008,1030"), ("Image Position", "0020,0032"),
                        ("Pixel Spacing", "0028,0030")])
    assert capsys.readouterr().out == expected
    assert expected.startswith("Study Description:  ")  # the macro keeps getTag's leading space


# ---------------------------------------------------------------- judged by ImageJ

@pytest.mark.jvm
@pytest.mark.parametrize("name,slice_", JUDGED_FILES)
def test_text_functions_equal_the_real_macro(name, slice_):
    bridge.set_backend("jvm")
    macro.open(get_testdata_file(name))
    imp = macro.current_image()
    macro.setSlice(slice_)
    for key in INFO_KEYS:
        assert macro.getInfo(key) == _real_macro(imp, f'return getInfo("{key}");'), key
        if "." not in key:
            assert Property.get(key) == _real_macro(imp, f'x = Property.get("{key}"); return x;'), key
            assert _same_number(_real_macro(imp, f'x = Property.getNumber("{key}"); return d2s(x, 9);'),
                                Property.getNumber(key)), key
    assert macro.getTitle() == _real_macro(imp, "return getTitle();")
    assert macro.getImageInfo() == _real_macro(imp, "return getImageInfo();")
    assert macro.getInfo("window.contents") == macro.getImageInfo()
    assert Property.getInfo() == _real_macro(imp, "x = Property.getInfo(); return x;")
    assert macro.getMetadata("Info") == _real_macro(imp, 'return getMetadata("Info");')
    assert macro.getMetadata() == _real_macro(imp, "return getMetadata();")
    assert Property.getSliceLabel() == _real_macro(imp, "x = Property.getSliceLabel(); return x;")
    # Last: on a one-image file ImageJ now builds a one-slice stack (see the module docstring).
    assert macro.getMetadata("Label") == _real_macro(imp, 'return getMetadata("Label");')


@pytest.mark.jvm
@pytest.mark.parametrize("name,slice_", JUDGED_FILES)
def test_numeric_functions_equal_the_real_macro(name, slice_):
    bridge.set_backend("jvm")
    imp = bridge.open(get_testdata_file(name))
    macro.selectImage(imp)
    macro.setSlice(slice_)
    numbers = {"getWidth()": macro.getWidth(), "getHeight()": macro.getHeight(), "nSlices": macro.nSlices(),
               "getSliceNumber()": macro.getSliceNumber(), "bitDepth()": macro.bitDepth()}
    w, h = macro.getWidth(), macro.getHeight()
    for x, y in [(0, 0), (1, 2), (w - 1, h - 1), (w // 2, h // 3), (-1, 0), (w, 0), (0, h)]:
        numbers[f"getPixel({x}, {y})"] = macro.getPixel(x, y)
    for raw in (0, 1, 32768, 33000.5):
        numbers[f"calibrate({raw})"] = macro.calibrate(raw)
    for code, value in numbers.items():
        assert _same_number(_real_macro(imp, f"x = {code}; return d2s(x, 9);"), value), code
    pw, ph, pd, unit = macro.getVoxelSize()
    assert _real_macro(imp, "getVoxelSize(w, h, d, u); return d2s(w,9)+' '+d2s(h,9)+' '+d2s(d,9)+' '+u;") \
        == " ".join([f"{pw:.9f}", f"{ph:.9f}", f"{pd:.9f}", unit])
    assert _real_macro(imp, "getDimensions(w, h, c, s, f); return ''+w+' '+h+' '+c+' '+s+' '+f;") \
        == " ".join(map(str, macro.getDimensions()))


@pytest.mark.jvm
def test_both_backends_give_the_same_show_info_for_one_snapshot():
    bridge.set_backend("jvm")
    imp = bridge.open(get_testdata_file("rtdose.dcm"))
    imp.setSlice(4)
    from bridge.backends.pure import BACKEND as PURE
    assert macro.getImageInfo(imp) == PURE.get_image_info(imp, in_macro=True)
    assert "Image: 4/15\n" in macro.getImageInfo(imp)
    assert macro.getImageInfo(imp) != imp.getImageInfo()  # the macro runs "in batch mode"


# ---------------------------------------------------------------- the current image

def test_no_image_is_imagej_abort_message():
    macro.close("*")
    with pytest.raises(ScriptError, match="There are no images open"):
        macro.getTitle()
    with pytest.raises(ScriptError, match="getInfo"):
        macro.getInfo("0008,0060")
    assert macro.getInfo("micrometer.abbreviation") == "\u00b5m"  # needs no image in ImageJ either


def test_current_image_is_per_thread_and_imp_argument_wins(each_backend):
    ct = bridge.open(CT)
    mr = bridge.open(get_testdata_file("MR_small.dcm"))
    macro.selectImage(ct)
    seen = []
    worker = threading.Thread(target=lambda: (macro.selectImage(mr), seen.append(macro.getTitle())))
    worker.start()
    worker.join()
    assert seen == ["MR_small.dcm"] and macro.getTitle() == "CT_small.dcm"
    assert macro.getTitle(mr) == "MR_small.dcm" and macro.getInfo("0008,0060", imp=mr) == " MR"


def test_macro_errors_are_typed(each_backend, tmp_path):
    with pytest.raises(bridge.MissingFileError):
        macro.open(tmp_path / "missing.dcm")
    macro.open(get_testdata_file("rtdose.dcm"))
    with pytest.raises(ScriptError, match="Argument must be >=1 and <=15"):
        macro.setSlice(16)
    with pytest.raises(ScriptError, match="out of range: 0"):
        Property.getSliceLabel(0)
    with pytest.raises(ScriptError, match="No selection"):
        macro.getInfo("selection.color")
    with pytest.raises(ScriptError, match="sub-pixel"):
        macro.getPixel(1.5, 2)


@pytest.mark.jvm
def test_labelled_stack_slices_equal_the_real_macro():
    """An Image Sequence stack (labels hold each file's header), read through a pure snapshot."""
    from bridge.backends.jvm import adapter, run_macro
    from bridge.backends.pure import BACKEND as PURE
    from tests.core.test_imageinfo import TEST_FILES, _folder_stack
    bridge.set_backend("jvm")
    jimp = _folder_stack(f"{TEST_FILES}/dicomdirtests/98892003/MR2")
    imp = adapter.to_model(jimp)
    imp.backend = PURE
    macro.selectImage(imp)
    for n in range(1, macro.nSlices() + 1):
        macro.setSlice(n)
        jimp.setSlice(n)
        for key in ("slice.label", "0020,0013", "0020,0032", "Image Number"):
            assert macro.getInfo(key) == run_macro(jimp, f'return getInfo("{key}");'), (n, key)
        assert macro.getMetadata() == run_macro(jimp, "return getMetadata();")
        assert macro.getMetadata("Info") == run_macro(jimp, 'return getMetadata("Info");')
        assert macro.getImageInfo() == run_macro(jimp, "return getImageInfo();")


@pytest.mark.parametrize("version, expected", [("1.53t", "second"), ("1.54f", "second"), ("1.54p", "")])
def test_get_metadata_info_falls_back_to_the_label_before_154i(version, expected, emulate):
    """``getMetadata("info")`` on a stack without Info: the slice label until 1.54i, then ""."""
    import numpy as np
    from bridge.model import GRAY8, ImagePlus
    emulate(version)
    imp = ImagePlus(title="stack", data=np.zeros((2, 2, 2), np.uint8), image_type=GRAY8,
                    labels=["first", "second"], current_slice=2)
    assert macro.getMetadata("Info", imp) == expected
    assert macro.getMetadata("Label", imp) == "second"
