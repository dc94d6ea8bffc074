"""The pure FolderOpener (bridge.core.series) against ImageJ's rules and the real FolderOpener.

Parity tests open each file with the jvm backend (backend-independent
model snapshots), assemble them with the pure code, and compare every
field with what ``ij.plugin.FolderOpener.open`` itself made of the folder.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.backends import load
from bridge.core import tags
from bridge.core.series import (assemble, dicom_sort_order, folder_title, list_folder,
                                         permute_in_place, sort_numerically, voxel_depth)
from bridge.compare import describe, same, tag_ids
from bridge.errors import DicomReadError, MissingFileError, NotDicomError
from bridge.model import GRAY16, GRAY32, Calibration, ImagePlus
from tests.series_folders import CASES, FAILING_CASES, Slice, pydicom_series_folders, write_folder


# --- name order, listing ------------------------------------------------------------------

@pytest.mark.parametrize("names, expected", [
    (["b10", "b9", "b1", "b2", "b100"], ["b1", "b2", "b9", "b10", "b100"]),
    (["IM10.dcm", "im9.dcm", "Im11.dcm"], ["im9.dcm", "IM10.dcm", "Im11.dcm"]),      # case ignored
    (["s1_10", "s1_9", "s2_1"], ["s1_9", "s1_10", "s2_1"]),                            # second number padded too
    (["a01", "a1", "a001"], ["a01", "a1", "a001"]),                                    # equal once padded: stable
    (["x", "10", "9"], ["9", "10", "x"]),
])
def test_sort_numerically_pads_each_run_of_digits(names, expected):
    assert sort_numerically(names) == expected


def test_list_folder_drops_hidden_excluded_and_subfolders(tmp_path):
    for name in ["b10", "b9", ".hidden", "Thumbs.db", "notes.txt", "macro.ijm", "img.dcm"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    listing = list_folder(os.fspath(tmp_path))
    assert listing.names == ["b9", "b10", "img.dcm"]
    assert listing.directory == os.fspath(tmp_path) + "/"
    assert listing.title == tmp_path.name


def test_list_folder_follows_links_as_java_file_does(tmp_path):
    """``File.isDirectory`` follows a link: a link to a folder is left out, one to a file kept, a broken one kept."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.dcm").write_bytes(b"x")
    (tmp_path / "to_sub").symlink_to(tmp_path / "sub")
    (tmp_path / "to_a.dcm").symlink_to(tmp_path / "a.dcm")
    (tmp_path / "broken.dcm").symlink_to(tmp_path / "missing")
    assert list_folder(os.fspath(tmp_path)).names == ["a.dcm", "broken.dcm", "to_a.dcm"]


def test_list_folder_of_a_file_or_missing_child_means_its_parent(tmp_path):
    (tmp_path / "a.dcm").write_bytes(b"x")
    assert list_folder(os.fspath(tmp_path / "a.dcm")).directory == os.fspath(tmp_path) + "/"
    assert list_folder(os.fspath(tmp_path / "nope")).names == ["a.dcm"]
    with pytest.raises(MissingFileError, match="nope"):
        list_folder(os.fspath(tmp_path / "nope" / "deeper"))


@pytest.mark.parametrize("directory, title", [("/a/b/", "b"), ("/a/b", "b"), ("C:/", "C"), ("rel/", "rel")])
def test_folder_title(directory, title):
    assert folder_title(directory) == title


# --- DicomTools.sort and getVoxelDepth -------------------------------------------------------

def _label(name: str, instance: str | None = None, series: str | None = None, position: str | None = None) -> str:
    lines = [f"{name}", "0008,0060  Modality: CT"]
    if series is not None:
        lines.append(f"0020,0011  Series Number: {series}")
    if instance is not None:
        lines.append(f"0020,0013  Image Number: {instance}")
    if position is not None:
        lines.append(f"0020,0032  Image Position (Patient): {position}")
    return "\n".join(lines) + "\n"


def test_sort_uses_five_character_keys():
    labels = [_label(f"f{k}", v) for k, v in enumerate(["-1", "10", "2", "100000", "-20"])]
    order = dicom_sort_order(labels)
    assert [["-1", "10", "2", "100000", "-20"][i] for i in order] == ["2", "-1", "10", "-20", "100000"]


def test_sort_ties_keep_name_order_and_reads_before_a_backslash():
    labels = [_label("a", "2"), _label("b", "1\\7"), _label("c", "2"), _label("d", " 1 ")]
    assert dicom_sort_order(labels) == [1, 3, 0, 2]


@pytest.mark.parametrize("labels", [
    [_label("a", "2")],                                                # one slice
    [_label("a", "2"), _label("b")],                                   # an Instance Number missing
    [_label("a", "2", "1"), _label("b", "1", "2")],                    # two series
    [_label("a", "2"), None],                                          # a null label (multi-frame)
    [_label("a", "2"), _label("b", "x")],                              # unparsable counts as missing
])
def test_sort_gives_up(labels):
    assert dicom_sort_order(labels) is None


def test_sort_counts_a_missing_series_number_as_zero():
    assert dicom_sort_order([_label("a", "2"), _label("b", "1", "0")]) == [1, 0]


def test_sort_rounds_half_even_like_decimalformat():
    labels = [_label("a", "2.5"), _label("b", "2"), _label("c", "1.5")]   # 2.5 -> "2", 1.5 -> "2": ties
    assert dicom_sort_order(labels) == [0, 1, 2]


@pytest.mark.parametrize("first, last, n, expected", [
    ("1\\2\\3", "1\\2\\9", 4, 2.0),
    ("1\\2\\9", "1\\2\\3", 3, 3.0),
    ("1\\2\\3\\", "1\\2\\7", 3, 2.0),          # Java's split drops the trailing empty part
    ("1\\2", "1\\2\\7", 3, -1.0),
    (None, "1\\2\\7", 3, -1.0),
    ("1\\2\\3", None, 3, -1.0),
    ("1\\2\\3", "1\\2\\3", 1, float("nan")),
])
def test_voxel_depth(first, last, n, expected):
    labels = [_label("a", position=first)] + [_label("m")] * (n - 2) + ([_label("z", position=last)] if n > 1 else [])
    assert same("x", voxel_depth(labels), expected)


@given(st.permutations(list(range(9))))
def test_permute_in_place_matches_fancy_indexing(order):
    data = np.arange(9 * 4, dtype=np.uint16).reshape(9, 2, 2)
    expected = data[order].copy()
    permute_in_place(data, order)
    assert np.array_equal(data, expected)


# --- assemble on hand-made images (type rules) ------------------------------------------------

def _image(name: str, pixels, image_type: int, display, coefficients=None, info="0020,0013  Image: 1\n"
           "7FE0,0010  Pixel Data: 1\n") -> ImagePlus:
    cal = Calibration(function=0 if coefficients else 20, coefficients=coefficients)
    return ImagePlus(title=name, data=np.asarray(pixels)[None], image_type=image_type, info=info,
                     calibration=cal, display_range=display)


def test_16_then_32_bit_dicom_shifts_earlier_slices_and_calibrates_later_ones():
    a = _image("a", np.full((2, 2), 40000, np.uint16), GRAY16, (0.0, 50000.0), [-32768.0, 1.0])
    b = _image("b", np.full((2, 2), 1.5, np.float32), GRAY32, (-3.0, 4.0))
    c = _image("c", np.full((2, 2), 40000, np.uint16), GRAY16, (10.0, 20.0), [-33792.0, 1.0])
    imp = assemble([a, b, c], ["a", "b", "c"], "/x/series")
    assert imp.image_type == GRAY32 and imp.data.dtype == np.float32
    assert imp.data[:, 0, 0].tolist() == [40000 - 32768, 1.5, 40000 - 33792]
    assert imp.display_range == (-3.0, 50000.0)        # ImageJ keeps the ranges as they were
    assert imp.title == "series" and imp.info is None


def test_8_bit_into_16_bit_widens_and_other_mixes_are_refused():
    a = _image("a", np.full((2, 2), 300, np.uint16), GRAY16, (0.0, 300.0))
    b = _image("b", np.full((2, 2), 7, np.uint8), 0, (0.0, 255.0))
    assert assemble([a, b], ["a", "b"], "/x/s").data[:, 0, 0].tolist() == [300, 7]
    with pytest.raises(NotDicomError, match="16-bit image into a 8-bit stack"):
        assemble([b, a], ["b", "a"], "/x/s")


def test_nothing_opens_is_a_typed_error_with_imagej_message():
    with pytest.raises(NotDicomError) as err:
        assemble([None, None], ["a", "b"], "/x/s")
    assert "does not appear to contain" in err.value.imagej_message
    with pytest.raises(NotDicomError) as err:
        assemble([], [], "/x/empty")
    assert err.value.imagej_message is None      # ImageJ returns null without a word


def test_flat_zero_display_ranges_reset_to_the_first_slice_data_range():
    a = _image("a", np.array([[0, 5], [9, 2]], np.uint16), GRAY16, (0.0, 0.0))
    b = _image("b", np.array([[1, 1], [1, 1]], np.uint16), GRAY16, (0.0, 0.0))
    assert assemble([a, b], ["a", "b"], "/x/s").display_range == (0.0, 9.0)


def test_virtual_assembly_reads_slices_on_demand():
    images = {n: _image(n, np.full((2, 3), k, np.uint16), GRAY16, (k, k)) for k, n in enumerate("abc")}
    reads = []

    def reader(name):
        reads.append(name)
        return images[name]

    imp = assemble(list(images.values()), list(images), "/x/s", virtual=True, reader=reader)
    reads.clear()
    assert imp.getStack().getProcessor(3).getPixel(0, 0) == 2 and reads == ["c"]
    assert np.array_equal(np.asarray(imp.data), np.stack([images[n].data[0] for n in "abc"]))


# --- parity with the real FolderOpener (jvm) ---------------------------------------------------

def _series_fields(imp: ImagePlus, tag_answer) -> dict[str, object]:
    ids = tag_ids(imp.labels[0].split("\n", 1)[1] if imp.labels and imp.labels[0] and "\n" in imp.labels[0]
                  else imp.info)
    per_slice = [{t: tag_answer(n, t) for t in ids[:40] + ["0020,0013", "0020,0032"]}
                 for n in range(1, imp.getStackSize() + 1)]
    return {"title": imp.getTitle(), "dims": imp.getDimensions(), "type": imp.getType(),
            "calibration": imp.calibration.__dict__, "display_range": imp.display_range,
            "labels": list(imp.labels), "pixels": np.asarray(imp.data), "info": imp.info,
            "file_info": imp.file_info, "inverted_lut": imp.inverted_lut, "tags": per_slice}


def _jvm_fields(imp: ImagePlus) -> dict[str, object]:
    jvm = load("jvm")

    def answer(n, tag):
        imp.setSlice(n)
        return jvm.get_tag(imp, tag)
    fields = _series_fields(imp, answer)
    imp.setSlice(1)
    return fields


def _pure_fields(imp: ImagePlus) -> dict[str, object]:
    return _series_fields(imp, lambda n, tag: tags.get_tag(tags.search_text(imp.info, imp.labels, n), tag))


def _assembled_from_jvm_files(folder: str) -> ImagePlus:
    jvm = load("jvm")
    listing = list_folder(folder)

    def each():
        for name in listing.names:
            try:
                yield jvm.open_image(listing.directory + name)
            except DicomReadError:
                yield None
    return assemble(each(), listing.names, listing.directory.rstrip("/"))


def _parity(folder: str) -> dict[str, str]:
    real = _jvm_fields(load("jvm").open_series(folder))
    ours = _pure_fields(_assembled_from_jvm_files(folder))
    return {f: describe(f, real[f], ours[f]) for f in real if not same(f, real[f], ours[f])}


@pytest.mark.jvm
@pytest.mark.parametrize("case", list(CASES))
def test_assembly_matches_folderopener(case, tmp_path):
    folder = write_folder(tmp_path, case, CASES[case])
    assert _parity(folder) == {}


@pytest.mark.jvm
@pytest.mark.parametrize("folder", pydicom_series_folders(), ids=os.path.basename)
def test_assembly_matches_folderopener_on_pydicom_series(folder):
    assert _parity(folder) == {}


@pytest.mark.jvm
def test_parity_cases_exercise_the_rules(tmp_path):
    """Guard against cases that pass trivially: the folders really do differ in what they test."""
    jvm = load("jvm")
    imps = {c: jvm.open_series(write_folder(tmp_path, c, CASES[c])) for c in
            ("out_of_order", "negative_and_large", "odd_files", "single", "mixed_depth_16_32", "spacing_differs_flat",
              "multiframe")}
    assert imps["multiframe"].getStackSize() == 30 and imps["multiframe"].labels[:2] == ["dose1:1", "dose1:2"]
    assert [lb.split("\n")[0] for lb in imps["out_of_order"].labels] == ["s3.dcm", "s2.dcm", "s1.dcm"]
    assert imps["odd_files"].getStackSize() == 2
    assert imps["single"].info is not None and imps["single"].getStackSize() == 1
    assert imps["mixed_depth_16_32"].image_type == GRAY32
    assert imps["spacing_differs_flat"].calibration == Calibration()
    assert imps["out_of_order"].display_range[0] != imps["out_of_order"].display_range[1]


def test_assemble_holds_one_file_at_a_time():
    import gc
    import weakref
    seen: list[weakref.ref] = []

    def each():
        for k in range(5):
            gc.collect()
            assert all(ref() is None for ref in seen[1:])   # only the first image is kept (its metadata)
            image = _image(f"f{k}", np.full((4, 4), k, np.uint16), GRAY16, (k, k))
            seen.append(weakref.ref(image))
            yield image
            del image
    imp = assemble(each(), [f"f{k}" for k in range(5)], "/x/s")
    assert imp.data[:, 0, 0].tolist() == [0, 1, 2, 3, 4]


@pytest.mark.jvm
@pytest.mark.parametrize("virtual", [False, True])
@pytest.mark.parametrize("case", list(CASES))
def test_pure_open_series_matches_folderopener(case, virtual, tmp_path):
    """The pure entry point end to end (headers first, pixels read into their slots) against ImageJ."""
    from bridge.core import series as pure_series
    folder = write_folder(tmp_path, case, CASES[case])
    ours = _pure_fields(pure_series.open_series(folder, virtual=virtual))
    real = _jvm_fields(load("jvm").open_series(folder))
    assert {f: describe(f, real[f], ours[f]) for f in real if not same(f, real[f], ours[f])} == {}


@pytest.mark.jvm
@pytest.mark.parametrize("case", list(FAILING_CASES))
def test_pure_open_series_fails_where_folderopener_does(case, tmp_path):
    """A file cut short after its header: DICOM.open's exception ends the whole series, on both backends."""
    from bridge.core import series as pure_series
    folder = write_folder(tmp_path, case, FAILING_CASES[case])
    with pytest.raises(DicomReadError) as real:
        load("jvm").open_series(folder)
    with pytest.raises(DicomReadError) as ours:
        pure_series.open_series(folder)
    assert (type(ours.value), str(ours.value), ours.value.imagej_message, ours.value.thrown) == \
        (type(real.value), str(real.value), real.value.imagej_message, real.value.thrown)


def _streamed(folder: str) -> ImagePlus:
    """The reference: every file through ``open_image`` on its own, then :func:`assemble` copies it in."""
    from bridge.core.opener import open_image
    listing = list_folder(folder)

    def each():
        for name in listing.names:
            try:
                yield open_image(listing.directory + name)
            except DicomReadError:
                yield None
    return assemble(each(), listing.names, listing.directory.rstrip("/"))


@pytest.mark.parametrize("case", list(CASES))
def test_reading_into_slots_gives_what_copying_gives(case, tmp_path):
    """Headers first, pixels straight into their (guessed) slots: the same stack as file-by-file copying,
    whether the guess is right (sorted series) or absent (mixed files); wrong guesses: below."""
    from bridge.core.series import open_series
    folder = write_folder(tmp_path, case, CASES[case])
    ours, reference = _pure_fields(open_series(folder)), _pure_fields(_streamed(folder))
    assert {f: describe(f, reference[f], ours[f]) for f in reference if not same(f, reference[f], ours[f])} == {}


def _refuse_pixels_of(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make one file fail after its header decodes, as a size limit does (ImageJ has no such skip:
    a real file cut short makes FolderOpener fail), so the guessed order is off by one."""
    from bridge.core import limits
    from bridge.errors import LimitExceededError
    check = limits.check_declared

    def refusing(declared: int, present: int, path: str) -> None:
        if path.endswith(name):
            raise LimitExceededError("refused for the test", path)
        check(declared, present, path)
    monkeypatch.setattr(limits, "check_declared", refusing)


def test_a_wrong_guess_gives_what_copying_gives(tmp_path, monkeypatch):
    from bridge.core.series import open_series
    folder = write_folder(tmp_path, "skip", [Slice("w1", 4, z=0.0), Slice("w2", 3, z=1.0, offset=3),
                                             Slice("w3", 2, z=2.0, offset=7), Slice("w4", 1, z=3.0, offset=14)])
    _refuse_pixels_of(monkeypatch, "w2")
    imp = open_series(folder)
    assert imp.getStackSize() == 3 and not any(label.startswith("w2") for label in imp.labels)
    ours, reference = _pure_fields(imp), _pure_fields(_streamed(folder))
    assert {f: describe(f, reference[f], ours[f]) for f in reference if not same(f, reference[f], ours[f])} == {}


def test_a_skipped_file_leaves_no_spare_slice_and_no_second_stack(tmp_path, monkeypatch):
    """A wrong guess is undone in place: peak memory stays near one stack, the result holds no spare slot."""
    import tracemalloc
    from bridge.core.series import open_series
    slices = [Slice(f"v{k:02d}", 40 - k, z=float(k), offset=k) for k in range(40)]
    folder = write_folder(tmp_path, "big", slices)
    _refuse_pixels_of(monkeypatch, "v05")                    # decodes, then fails: the guess is off by one
    tracemalloc.start()
    try:
        imp = open_series(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert imp.getStackSize() == 39 and imp.data.base is None
    assert imp.labels[0].startswith("v39\n") and imp.labels[-1].startswith("v00\n")
    text = sum(len(label) for label in imp.labels)          # the headers, then the labels made of them
    assert peak <= 1.2 * imp.data.nbytes + 3 * text
