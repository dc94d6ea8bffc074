"""Geometry commands in the core, without Java: the rules that real ImageJ's parity tests pin, checked by hand.

Images are built in memory (``bridge.model.ImagePlus``) with values that make
each rule visible: a 4 x 3 ramp, a two-slice stack with labels, a signed
16-bit calibration.
"""

from __future__ import annotations

import numpy as np
import pytest

from bridge.core import commands, transforms
from bridge.core.commands.geometry import unique_name
from bridge.core.roi import OvalRoi, PolygonRoi, Rectangle, Roi
from bridge.errors import ScriptError
from bridge.model import COLOR_RGB, GRAY8, GRAY16, GRAY32, STRAIGHT_LINE, Calibration, ImagePlus


def image(image_type: int = GRAY8, slices: int = 1, title: str = "ramp.dcm") -> ImagePlus:
    """A 4 x 3 ramp (0..11, +100 per slice) of ``image_type``, labels "s1", "s2", ..."""
    values = np.arange(12).reshape(3, 4)[None] + 100 * np.arange(slices)[:, None, None]
    dtype = {GRAY8: np.uint8, GRAY16: np.uint16, GRAY32: np.float32, COLOR_RGB: np.int32}[image_type]
    data = values.astype(dtype)
    if image_type == COLOR_RGB:
        data = (values | (0xFF << 24)).astype(np.int64).astype(np.uint32).view(np.int32)
    labels: list[str | None] = [f"s{n + 1}" for n in range(slices)] if slices > 1 else [None]
    return ImagePlus(title=title, data=data, image_type=image_type, labels=labels, display_range=(0.0, 255.0))


def run(imp: ImagePlus, command: str, options: str = " ") -> ImagePlus | None:
    return commands.run(imp, command, options)


# --- Duplicate... ---------------------------------------------------------------------------
def test_duplicate_titles_follow_getuniquename():
    imp = image()
    copy = run(imp, "Duplicate...", " ")
    assert copy is not None and copy.getTitle() == "ramp-1.dcm"
    again = run(copy, "Duplicate...", " ")              # a duplicate's "-1" is replaced, not extended
    assert again is not None and again.getTitle() == "ramp-1.dcm"
    assert unique_name(image(title="scan-3"), "scan-3") == "scan-3-1"     # not a duplicate: "-3" stays


def test_duplicate_copies_the_selection_bounds_and_never_shares_pixels():
    imp = image()
    imp.setRoi(Roi(1, 1, 2, 2))
    copy = run(imp, "Duplicate...", "title=part")
    assert copy is not None and copy.getTitle() == "part"
    assert copy.data.tolist() == [[[5, 6], [9, 10]]]
    whole = run(image(), "Duplicate...", "title=whole")
    assert whole is not None
    whole.data[0, 0, 0] = 99
    assert imp.data[0, 0, 0] == 0


def test_duplicate_of_a_stack_is_one_slice_unless_duplicate_with_a_range():
    stack = image(slices=4)
    stack.setSlice(3)
    one = run(stack, "Duplicate...", "title=one")
    assert one is not None and one.getStackSize() == 1 and one.data[0, 0, 0] == 200
    assert one.getProp("Slice_Label") == "s3"
    some = run(stack, "Duplicate...", "duplicate range=2-3")
    assert some is not None and some.data[:, 0, 0].tolist() == [100, 200] and some.labels == ["s2", "s3"]
    clamped = run(stack, "Duplicate...", "duplicate range=0-9")      # clamped to the stack
    assert clamped is not None and clamped.getStackSize() == 4 and clamped.getCurrentSlice() == 3
    by_label = run(stack, "Duplicate...", "use")                       # "use": the slice's label titles it
    assert by_label is not None and by_label.getTitle() == "s3"


def test_duplicate_refuses_a_selection_off_the_image_and_unknown_keys():
    imp = image()
    imp.setRoi(Roi(10, 10, 3, 3))
    with pytest.raises(ScriptError, match="Roi is outside image"):
        run(imp, "Duplicate...", "title=x")
    with pytest.raises(ScriptError, match='unrecognized option "titel"'):
        run(image(), "Duplicate...", "titel=x")


def test_object_api_duplicate_ignores_the_selection_and_crop_uses_it():
    imp = image(slices=2)
    imp.setRoi(OvalRoi(1, 0, 2, 2))
    whole, part = imp.duplicate(), imp.crop()
    assert whole.getTitle() == "DUP_ramp.dcm" and whole.data.shape == (2, 3, 4)
    assert part.data.shape == (1, 2, 2) and imp.getRoi() is not None


# --- Crop, Canvas Size..., flips, turns -------------------------------------------------------
def test_crop_needs_an_area_selection_and_moves_a_shaped_one_to_the_origin():
    with pytest.raises(ScriptError, match="Area selection required"):
        run(image(), "Crop")
    imp = image(slices=2)
    imp.setRoi(PolygonRoi([1, 3, 3], [0, 0, 2]))
    run(imp, "Crop")
    assert imp.data.shape == (2, 2, 2) and imp.data[0].tolist() == [[1, 2], [5, 6]]
    roi = imp.getRoi()
    assert roi is not None and (roi.getBounds().x, roi.getBounds().y) == (0, 0)


@pytest.mark.parametrize("position,offset", [("Top-Left", (0, 0)), ("Center", (1, 1)), ("Bottom-Right", (3, 2))])
def test_canvas_size_places_the_image_and_fills_with_zero(position, offset):
    imp = image(GRAY16)
    run(imp, "Canvas Size...", f"width=7 height=5 position={position} zero")
    x, y = offset
    assert imp.data.shape == (1, 5, 7) and imp.data[0, y:y + 3, x:x + 4].tolist() == image(GRAY16).data[0].tolist()
    assert int(imp.data.sum()) == int(image(GRAY16).data.sum())


def test_canvas_shrinking_centred_truncates_toward_zero():
    imp = image()
    run(imp, "Canvas Size...", "width=1 height=3 position=Center zero")      # (1 - 4) / 2 = -1 in Java
    assert imp.data[0, :, 0].tolist() == [1, 5, 9]


def test_flips_change_the_selection_rectangle_only_and_the_stack_with_stack():
    imp = image(slices=2)
    imp.setRoi(Roi(0, 0, 2, 3))
    run(imp, "Flip Horizontally", "stack")
    assert imp.data[0, 0].tolist() == [1, 0, 2, 3] and imp.data[1, 0].tolist() == [101, 100, 102, 103]
    run(imp, "Flip Vertically", " ")
    assert imp.data[0, :, 0].tolist() == [9, 5, 1] and imp.data[1, :, 0].tolist() == [101, 105, 109]


def test_turns_swap_the_size_and_the_pixel_size():
    imp = image()
    imp.calibration = Calibration(pixelWidth=0.5, pixelHeight=2.0, unit="mm")
    run(imp, "Rotate 90 Degrees Right")
    assert imp.data[0].tolist() == [[8, 4, 0], [9, 5, 1], [10, 6, 2], [11, 7, 3]]
    assert (imp.calibration.pixelWidth, imp.calibration.pixelHeight) == (2.0, 0.5)
    run(imp, "Rotate 90 Degrees Left")
    assert imp.data[0].tolist() == image().data[0].tolist()


# --- Translate..., Rotate..., Scale... ---------------------------------------------------------------
def test_translate_by_whole_pixels_fills_with_zero():
    imp = image()
    run(imp, "Translate...", "x=1 y=-1 interpolation=None")
    assert imp.data[0].tolist() == [[0, 4, 5, 6], [0, 8, 9, 10], [0, 0, 0, 0]]


def test_translate_bilinear_rounds_half_up_and_zeroes_what_has_no_two_neighbours():
    imp = image(GRAY16)
    run(imp, "Translate...", "x=0.5 y=0 interpolation=Bilinear")
    # x - 0.5 < 0 at x = 0 and >= width-1 at the last column's neighbour: 0 there
    assert imp.data[0, 0].tolist() == [0, 1, 2, 3]          # (0+1)/2 = 0.5 -> 1, (1+2)/2 = 1.5 -> 2, ...


def test_rotate_by_360_changes_8_bit_not_at_all_but_16_and_32_bit_rotate_anyway():
    imp = image(GRAY8)
    run(imp, "Rotate... ", "angle=360 grid=1 interpolation=Bilinear")
    assert imp.data.tolist() == image(GRAY8).data.tolist()
    floats = image(GRAY32)
    run(floats, "Rotate... ", "angle=360 grid=1 interpolation=Bilinear")   # sin(-2 pi) is not 0: the edge moves
    assert floats.data.tolist() != image(GRAY32).data.tolist()


def test_rotate_by_180_turns_about_the_centre():
    imp = image(GRAY32)
    run(imp, "Rotate... ", "angle=180 grid=1 interpolation=None")
    assert imp.data[0].tolist() == image(GRAY32).data[0][::-1, ::-1].tolist()


def test_rotate_keeps_pixels_outside_a_shaped_selection():
    imp = image()
    imp.setRoi(OvalRoi(0, 0, 4, 3))
    mask = imp.getRoi().getMask()
    run(imp, "Rotate... ", "angle=180 grid=1 interpolation=None")
    assert (imp.data[0][~mask] == image().data[0][~mask]).all()


def test_rotated_bounds_of_the_whole_image():
    assert transforms.rotated_bounds(4, 2, 90) == (2, 4)
    assert transforms.rotated_bounds(10, 10, 45) == (14, 14)


def test_scale_with_create_makes_a_new_image_and_scales_the_pixel_size():
    imp = image()
    imp.calibration = Calibration(pixelWidth=0.5, pixelHeight=0.5, unit="mm")
    created = run(imp, "Scale...", "x=2 y=2 interpolation=None create title=big")
    assert created is not None and created.getTitle() == "big" and created.data.shape == (1, 6, 8)
    assert created.calibration.pixelWidth == 0.25 and imp.data.shape == (1, 3, 4)
    assert created.data[0, :2, :2].tolist() == [[0, 0], [0, 0]] and created.data[0, 5, 7] == 11


def test_scale_in_place_keeps_the_size_and_fills_shrunk_borders():
    imp = image(GRAY16)
    imp.display_range = (3.0, 11.0)
    run(imp, "Scale...", "x=0.5 y=0.5 interpolation=None title=x")
    assert imp.data.shape == (1, 3, 4)
    assert imp.data[0, 0, 0] == 3                # (short)getMin(): the display minimum


def test_scale_refuses_a_new_depth_and_a_zero_size():
    with pytest.raises(ScriptError, match="not implemented"):
        run(image(slices=2), "Scale...", "x=1 y=1 z=2 interpolation=None process create title=x")
    with pytest.raises(ScriptError, match="Width or height is 0"):
        run(image(), "Scale...", "x=- y=- width=0 height=0 interpolation=None create title=x")


def test_averaging_table_weights_sum_to_one():
    for method in (transforms.NONE, transforms.BILINEAR, transforms.BICUBIC):
        indices, weights, start, end = transforms._downsize_table(37, 3, 30, 11, method)
        sums = np.zeros(11)
        np.add.at(sums, indices, weights.astype(np.float64))
        assert np.allclose(sums, 1.0, atol=1e-5), method


def test_bicubic_is_exact_on_a_linear_ramp():
    """Catmull-Rom reproduces a linear function inside the image (away from the bilinear border)."""
    ramp = np.add.outer(np.arange(8.0), 2 * np.arange(8.0)).astype(np.float32)
    xs, ys = np.array([3.25, 4.5]), np.array([2.75, 3.5])
    values = transforms.bicubic(ramp, xs, ys, 0.0, True)
    assert np.allclose(values, ys + 2 * xs)


# --- Specify... ---------------------------------------------------------------------------------------
def test_specify_makes_rectangles_and_ovals_centred_and_scaled():
    imp = image(slices=2)
    run(imp, "Specify...", "width=2 height=2 x=1 y=1 slice=2")
    roi = imp.getRoi()
    assert roi is not None and roi.getBounds() == Rectangle(1, 1, 2, 2) and imp.getCurrentSlice() == 2
    run(imp, "Specify...", "width=2 height=2 x=2 y=2 oval centered")
    roi = imp.getRoi()
    assert roi is not None and roi.getType() == 1 and roi.getBounds() == Rectangle(1, 1, 2, 2)
    imp.calibration = Calibration(pixelWidth=0.5, pixelHeight=0.5, unit="mm")
    run(imp, "Specify...", "width=1 height=1 x=0.5 y=0 scaled")
    roi = imp.getRoi()
    assert roi is not None and roi.getBounds() == Rectangle(1, 0, 2, 2)


def test_signed_16_bit_rotation_background_is_the_calibrated_zero():
    imp = image(GRAY16)
    imp.calibration = Calibration(function=STRAIGHT_LINE, coefficients=[-32768.0, 1.0])
    run(imp, "Rotate... ", "angle=45 grid=1 interpolation=None")
    assert 32768 in imp.data[0]
