"""`bridge compare`, its engine and the pytest helper catch injected differences."""

import json

import numpy as np
import pytest
from pydicom.data import get_testdata_file

from bridge import cli, compare, testing
from bridge.backends.pure import BACKEND as PURE

CT = get_testdata_file("CT_small.dcm")
pytestmark = pytest.mark.jvm


def test_identical_files_report_all_identical(capsys):
    assert cli.main(["compare", CT, get_testdata_file("MR_small.dcm")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "identical: 2/2"


def test_changed_title_is_reported_with_field_and_exit_1(monkeypatch, capsys):
    real_open = PURE.open_image

    def renamed(path):
        imp = real_open(path)
        imp.title = "other.dcm"
        return imp

    monkeypatch.setattr(PURE, "open_image", renamed)
    assert cli.main(["compare", CT]) == 1
    out = capsys.readouterr().out
    assert "title: 'CT_small.dcm' != 'other.dcm'" in out and out.endswith("identical: 0/1\n")


def test_changed_pixel_is_located(monkeypatch, capsys):
    real_open = PURE.open_image

    def tampered(path):
        imp = real_open(path)
        imp.data = imp.data.copy()
        imp.data[0, 5, 7] += 3
        return imp

    monkeypatch.setattr(PURE, "open_image", tampered)
    assert cli.main(["compare", "--json", CT]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["identical"] == 0 and report["total"] == 1
    assert "1 of 16384 values differ (first at (slice, y, x) (0, 5, 7)); max |difference| 3" in \
        report["files"][0]["differences"]["pixels"]
    with pytest.raises(testing.NotSameAsImageJ, match="pixels: 1 of 16384"):
        testing.assert_same_as_imagej(CT)


def test_pytest_helper_passes_on_agreement_and_checks_user_values():
    testing.assert_same_as_imagej(CT, fields=("title", "tags", "calibration"))
    testing.assert_value_same_as_imagej(CT, "title", "CT_small.dcm")
    with pytest.raises(testing.NotSameAsImageJ, match="display_range"):
        testing.assert_value_same_as_imagej(CT, "display_range", (0.0, 1.0))


def test_against_saved_text_compares_with_the_release_that_wrote_it(tmp_path, capsys, emulate):
    """A text is compared with the emulated release if its names fit, else the newest release they fit."""
    from bridge import DICOM
    texts = {}
    for version in ("1.53t", "1.54p"):
        emulate(version)
        texts[version] = DICOM().getInfo(CT)
    assert texts["1.53t"] != texts["1.54p"]
    for start in ("1.53t", "1.54p"):
        for version, text in texts.items():
            emulate(start)
            saved = tmp_path / f"info-{version}.txt"
            saved.write_text(text)
            assert cli.main(["compare", CT, "--against", str(saved)]) == 0
            out = capsys.readouterr().out
            same_names = start == version or "1.54p" not in (start, version)
            expected = start if same_names else {"1.53t": "1.54f", "1.54p": "1.54p"}[version]
            assert f"compared with ImageJ {expected} (pydicom backend)" in out and "identical: 1/1" in out
    saved.write_text(texts["1.54p"].replace("  KVP:", "  kVp:"))    # one name of the other dictionary
    assert cli.main(["compare", CT, "--against", str(saved)]) == 1
    out = capsys.readouterr().out
    assert "+0018,0060  KVP: 120 " in out and "compared with ImageJ 1.54p" in out


def test_a_header_tells_1_53t_and_1_54f_from_1_54p_only(emulate):
    from bridge import DICOM
    emulate("1.54f")
    assert compare.releases_naming(DICOM().getInfo(CT)) == ["1.53t", "1.54f"]
    assert compare.release_of_text(DICOM().getInfo(CT))[0] == "1.54f"      # the emulated one, as it fits
    emulate("1.54p")
    assert compare.release_of_text(DICOM().getInfo(CT).replace("KVP", "kVp").replace(
        "Instance Number", "Image Number"))[0] == "1.54p"


def test_compare_text_reports_value_differences():
    diff = compare.compare_text("0008,0060  Modality: CT\n", "0008,0060  Modality: MR\n")
    assert "+0008,0060  Modality: CT" in diff
    assert compare.compare_text("same\n", "same\n") == ""


def test_pixel_description_counts():
    a = np.zeros((1, 2, 2), np.uint16)
    b = a.copy()
    b[0, 1, 0] = 9
    assert compare.describe("pixels", a, b).startswith("1 of 4 values differ")


def test_float_pixels_equal_up_to_nan_bits_only():
    """Java leaves a computed NaN's bits open (JIT-compiled ImageJ gives other ones): NaN-ness counts, bits otherwise."""
    a = np.array([[[1.0, np.nan, -0.0]]], np.float32)
    b = a.copy()
    b.view(np.uint32)[0, 0, 1] = 0xFFC35863            # another NaN
    assert compare.same("pixels", a, b)
    b[0, 0, 2] = 0.0                                   # -0.0 and 0.0 are different pixels
    assert not compare.same("pixels", a, b)
    c = a.copy()
    c[0, 0, 1] = 5.0
    assert not compare.same("pixels", a, c)


def test_lut_field_catches_a_lost_inversion(monkeypatch):
    real_open = PURE.open_image

    def uninverted(path):
        imp = real_open(path)
        imp.inverted_lut = not imp.inverted_lut
        return imp

    monkeypatch.setattr(PURE, "open_image", uninverted)
    assert "lut" in compare.compare_file(CT, fields=("lut",))
