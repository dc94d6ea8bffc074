"""Bio-Formats' DICOM import in pure Python (bridge.core.bioformats), on files made here.

Each case states what Bio-Formats 7.3.1 builds; the same files then go
through the real Bio-Formats, so the statements are checked, not assumed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import bridge
from bridge import backends
from bridge.core.bioformats import open_image_plus
from bridge.errors import DicomReadError, LimitExceededError, MissingFileError, NotDicomError
from bridge.model import GRAY8, GRAY16, GRAY32, NONE, STRAIGHT_LINE

from ..dicomgen import image_dicom, make_dicom, write

SPACING_BETWEEN_SLICES = 0x00180088


def _signed16(tmp_path):
    pixels = np.array([[[-5, 0], [7, 300]], [[-300, 1], [2, 3]]], dtype="<i2")
    return write(tmp_path / "signed16.dcm", image_dicom(pixels, signed=True, frames="2", spacing="0.5\\0.25",
                                                        extra=[(SPACING_BETWEEN_SLICES, "DS", "2.5")]))


def _signed8(tmp_path):
    pixels = np.array([[-128, -1], [0, 127]], dtype="i1")
    return write(tmp_path / "signed8.dcm", image_dicom(pixels, signed=True))


def _unsigned32(tmp_path):
    pixels = np.array([[0, 1], [0x7FFFFFFF, 0xFFFFFFFF]], dtype="<u4")
    return write(tmp_path / "unsigned32.dcm", image_dicom(pixels, spacing="1.0\\1.0"))


def _rgb_frames(tmp_path):
    pixels = np.arange(2 * 2 * 3 * 3, dtype=np.uint8).reshape(2, 2, 3, 3)   # frames, rows, cols, samples
    return write(tmp_path / "rgb.dcm", image_dicom(pixels, samples=3, photometric="RGB", planar=0, frames="2"))


def _short(tmp_path):
    """Pixel data cut 6 bytes in: Bio-Formats reads zeros past the end (pydicom refuses the short data)."""
    return write(tmp_path / "short.dcm", image_dicom(np.arange(1, 17, dtype="<u2").reshape(4, 4), keep_bytes=6))


MADE = {"signed16": _signed16, "signed8": _signed8, "unsigned32": _unsigned32, "rgb_frames": _rgb_frames,
        "short": _short}


def test_signed_16_bit_frames_are_z_slices_shifted_and_calibrated(tmp_path):
    (imp,) = open_image_plus(str(_signed16(tmp_path)))
    assert imp.getTitle() == "signed16.dcm"
    assert imp.getDimensions() == [2, 2, 1, 2, 1] and imp.getType() == GRAY16
    assert imp.data[:, 0, 0].tolist() == [32763, 32468]
    cal = imp.getCalibration()
    assert (cal.function, cal.coefficients, cal.valueUnit) == (STRAIGHT_LINE, [-32768.0, 1.0], "gray value")
    assert (cal.pixelWidth, cal.pixelHeight, cal.pixelDepth) == pytest.approx((250.0, 500.0, 2500.0))
    assert cal.unit == "micron"
    assert imp.display_range == (32768.0 - 300, 32768.0 + 300)
    assert imp.labels == ["z:1/2 - signed16.dcm", "z:2/2 - signed16.dcm"]


def test_signed_8_bit_is_shifted_by_128(tmp_path):
    (imp,) = open_image_plus(str(_signed8(tmp_path)))
    assert imp.getType() == GRAY8 and imp.data[0].tolist() == [[0, 127], [128, 255]]
    assert imp.getCalibration().coefficients == [-128.0, 1.0]
    assert imp.getCalibration().unit == "pixel"


def test_32_bit_integers_become_floats_of_their_signed_value(tmp_path):
    (imp,) = open_image_plus(str(_unsigned32(tmp_path)))
    assert imp.getType() == GRAY32 and imp.data.dtype == np.float32
    assert imp.data[0].ravel().tolist() == [0.0, 1.0, float(np.float32(0x7FFFFFFF)), -1.0]
    assert imp.getCalibration().function == NONE
    assert imp.display_range == (0.0, 2.0 ** 32)   # taken unsigned (0xFFFFFFFF), kept as a 32-bit float
    assert imp.getCalibration().pixelWidth == 1000.0000000000001   # Bio-Formats' mm -> micron rounding


def test_rgb_is_a_three_channel_hyperstack_channels_fastest(tmp_path):
    (imp,) = open_image_plus(str(_rgb_frames(tmp_path)))
    assert imp.getDimensions() == [3, 2, 3, 2, 1] and imp.getStackSize() == 6
    assert imp.data[:, 0, 0].tolist() == [0, 1, 2, 18, 19, 20]
    assert imp.labels[:2] == ["c:1/3 z:1/2 - rgb.dcm", "c:2/3 z:1/2 - rgb.dcm"]


def test_errors_name_the_file(tmp_path):
    with pytest.raises(MissingFileError, match="nope.dcm"):
        open_image_plus(str(tmp_path / "nope.dcm"))
    text = write(tmp_path / "notes.txt", b"not an image at all" * 20)
    with pytest.raises(NotDicomError, match="notes.txt"):
        open_image_plus(str(text))
    no_pixels = write(tmp_path / "nopixels.dcm", make_dicom([(0x00280010, "US", 4), (0x00280011, "US", 4),
                                                             (0x00280100, "US", 16)]))
    with pytest.raises(DicomReadError, match="nopixels.dcm"):
        open_image_plus(str(no_pixels))


def test_short_pixel_data_reads_zeros_past_its_end(tmp_path):
    (imp,) = open_image_plus(str(_short(tmp_path)))
    assert imp.data[0].ravel().tolist() == [1, 2, 3] + [0] * 13


def test_a_declared_image_over_the_limit_is_refused_before_decoding(tmp_path):
    path = str(_signed16(tmp_path))
    bridge.configure(max_image_bytes=8)
    try:
        with pytest.raises(LimitExceededError, match="signed16.dcm.*max_image_bytes=8"):
            open_image_plus(path)
    finally:
        bridge.configure(max_image_bytes=None)
    no_geometry = write(tmp_path / "nogeometry.dcm", make_dicom([(0x00080060, "CS", "OT")], b"\0" * 8))
    with pytest.raises(DicomReadError, match="nogeometry.dcm"):
        open_image_plus(str(no_geometry))


@pytest.mark.jvm
@pytest.mark.bioformats
@pytest.mark.parametrize("case", sorted(MADE))
def test_real_bioformats_builds_the_same(tmp_path, case):
    path = str(MADE[case](tmp_path))
    (real,) = backends.get("jvm").open_bioformats(path, {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (ours,) = open_image_plus(path)
    assert real.getDimensions() == ours.getDimensions() and real.getType() == ours.getType()
    assert real.data.dtype == ours.data.dtype and np.array_equal(real.data, ours.data)
    assert real.calibration == ours.calibration
    assert real.display_range == ours.display_range and real.labels == ours.labels
