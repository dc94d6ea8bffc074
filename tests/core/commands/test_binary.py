"""Process>Binary in the core, without Java: the options' state, what is refused, and small known answers.

Parity with ImageJ is ``tests/parity/test_commands_binary.py``; these pin the rules a reader can check by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from bridge.core import commands
from bridge.core import threshold as th
from bridge.errors import ScriptError
from bridge.model import COLOR_RGB, GRAY8, GRAY16, ImagePlus


@pytest.fixture(autouse=True)
def fresh_session() -> None:
    commands.reset()


def _image(plane: list[list[int]], image_type: int = GRAY8) -> ImagePlus:
    dtype = np.uint8 if image_type == GRAY8 else np.uint16
    data = np.array(plane, dtype=dtype)[None]
    return ImagePlus("t", data, image_type, display_range=(float(data.min()), float(data.max())))


SQUARE = [[0] * 5, [0, 255, 255, 255, 0], [0, 255, 0, 255, 0], [0, 255, 255, 255, 0], [0] * 5]


def test_options_keep_imagejs_defaults_and_a_macros_absent_checkboxes_are_off() -> None:
    session = commands.current()
    assert (session.binary.iterations, session.binary.count, session.binary.black_background) == (1, 1, True)
    commands.run(None, "Options...", "iterations=300 count=0")
    assert (session.binary.iterations, session.binary.count, session.binary.black_background) == (100, 1, False)
    with pytest.raises(ScriptError, match='unrecognized option "blak"'):
        commands.run(None, "Options...", "iterations=1 blak")


def test_fill_holes_and_outline_with_black_background() -> None:
    imp = _image(SQUARE)
    commands.run(imp, "Fill Holes", "")
    assert imp.data[0, 2, 2] == 255 and imp.data[0, 0, 0] == 0
    assert (imp.min_threshold, imp.max_threshold, imp.lut_update) == (255.0, 255.0, th.NO_LUT_UPDATE)
    commands.run(None, "Options...", "iterations=1 count=1")           # white background: objects are 0
    imp = _image(SQUARE)
    commands.run(imp, "Dilate", "")
    assert imp.data[0, 2, 2] == 0 and imp.data[0, 0, 0] == 0          # the black hole grew into the frame


def test_binary_operations_refuse_what_imagej_refuses() -> None:
    with pytest.raises(ScriptError, match="8-bit binary"):
        commands.run(_image([[0, 7], [255, 0]]), "Erode", "")
    with pytest.raises(ScriptError, match="requires an image of type"):
        commands.run(_image(SQUARE, GRAY16), "Outline", "")
    with pytest.raises(ScriptError, match='unrecognized option "radius"'):
        commands.run(_image(SQUARE), "Erode", "radius=2")


def test_convert_to_mask_uses_the_threshold_and_leaves_imagejs_invisible_one() -> None:
    imp = _image([[10, 20, 30], [40, 50, 60]], GRAY16)
    th.set_threshold(imp, 20, 40)
    commands.run(imp, "Convert to Mask", "")
    assert imp.getType() == GRAY8 and not imp.isInvertedLut()
    assert imp.data[0].tolist() == [[0, 255, 255], [255, 0, 0]]
    assert (imp.min_threshold, imp.max_threshold, imp.lut_update) == (255.0, 255.0, th.NO_LUT_UPDATE)


def test_convert_stack_to_mask_reads_the_dialogs_keys() -> None:
    stack = ImagePlus("s", np.arange(32, dtype=np.uint16).reshape(2, 4, 4), GRAY16, display_range=(0.0, 31.0))
    with pytest.raises(ScriptError, match='"Otsuu" is not a valid choice for "method"'):
        commands.run(stack, "Convert to Mask", "method=Otsuu background=Dark")
    with pytest.raises(ScriptError, match="8-bit stack required"):
        commands.run(stack, "Convert to Mask", "method=Otsu background=Dark only")
    commands.run(stack, "Convert to Mask", "method=Otsu background=Dark calculate black")
    assert stack.getType() == GRAY8 and stack.getStackSize() == 2 and not stack.isInvertedLut()


def test_convert_stack_to_a_new_stack_and_list_its_thresholds(capsys: pytest.CaptureFixture[str]) -> None:
    """``create``: the masks are a new image titled MASK_..., the stack unchanged; ``list`` logs each slice."""
    planes = np.zeros((2, 4, 4), dtype=np.uint16)
    planes[0, :2] = 1000                        # slice 1: 0 and 1000, slice 2: 0 and 3000
    planes[1, 2:] = 3000
    stack = ImagePlus("s", planes, GRAY16, display_range=(0.0, 3000.0))
    created = commands.run(stack, "Convert to Mask", "method=Mean background=Dark calculate list create black")
    assert created is not None and created.getTitle() == "MASK_s" and stack.getType() == GRAY16
    assert np.array_equal(stack.data, planes) and created.getType() == GRAY8
    assert created.data.tolist() == np.where(planes > 0, 255, 0).tolist()
    # the Mean of 0 and 255 on 8 bits is level 127; "  n: t1-t2" scales 128-255 back to each slice's range
    assert capsys.readouterr().out == "Thresholding method: Mean\n  1: 502-1000\n  2: 1506-3000\n"


def test_rgb_stacks_become_grey_masks() -> None:
    rgb = np.zeros((2, 3, 3), dtype=np.int32)
    rgb[:, 1, 1] = (200 << 16) | (100 << 8) | 30        # grey (200+100+30)/3 = 110
    stack = ImagePlus("rgb", rgb, COLOR_RGB)
    commands.run(stack, "Convert to Mask", "method=Mean background=Dark calculate black")    # Mean level 110/9 -> 12
    assert stack.getType() == GRAY8 and stack.data[:, 1, 1].tolist() == [255, 255]
    assert int(stack.data.sum()) == 2 * 255


def test_thresholds_on_the_model_and_its_processor() -> None:
    imp = _image([[0, 100], [200, 255]])
    ip = imp.getProcessor()
    ip.setThreshold(-5, 300)                         # 8-bit clamps; two arguments: no LUT update
    assert (ip.getMinThreshold(), ip.getMaxThreshold(), ip.getLutUpdateMode()) == (0.0, 255.0, th.NO_LUT_UPDATE)
    ip.resetThreshold()
    assert ip.getMinThreshold() == th.NO_THRESHOLD and ip.getMaxThreshold() == 255.0   # ImageJ keeps the upper
    ip.setAutoThreshold("Mean dark")
    assert (ip.getMinThreshold(), ip.getMaxThreshold()) == (139.0, 255.0) and imp.isThreshold()
    with pytest.raises(ScriptError, match='Invalid method \\("Meen"\\)'):
        ip.setAutoThreshold("Meen dark")
