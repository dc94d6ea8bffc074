"""Synthetic DICOM files for the image-building tests, one per ImageJ quirk (§4 of the notes).

Each case is a function returning the file's bytes, so a test writes only
what it uses.  Pixel values are seeded-random, small enough to read in a
failure message.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tests.dicomgen import EXPLICIT_BE, IMPLICIT_LE, JPEG_BASELINE, image_dicom, make_dicom

_rng = np.random.default_rng(20240601)
U16 = _rng.integers(0, 4000, (5, 7)).astype("<u2")
S16 = _rng.integers(-1000, 900, (5, 7)).astype("<i2")
U8 = _rng.integers(0, 256, (5, 7)).astype("u1")
S8 = _rng.integers(-100, 100, (5, 7)).astype("i1")
U32 = _rng.integers(0, 2**32 - 1, (5, 7), dtype=np.uint64).astype("<u4")
S32 = _rng.integers(-2**31, 2**31 - 1, (5, 7), dtype=np.int64).astype("<i4")
RGB8 = _rng.integers(0, 256, (5, 7, 3)).astype("u1")
BIG_S16 = _rng.integers(-500, 500, (300, 300)).astype("<i2")
BIG_RGB = _rng.integers(0, 256, (300, 300, 3)).astype("u1")
_PALETTE = [_rng.integers(0, 65536, 256).astype("<u2").tobytes() for _ in range(3)]
_PRIVATE_1200 = [(0x00091010, "OB", b"\0" * 1200)]   # pushes the pixel offset past 1000


def _rgb(pixels: np.ndarray = RGB8, **kw: object) -> bytes:
    return image_dicom(pixels, samples=3, photometric="RGB", planar=0, **kw)


def _planar(**kw: object) -> bytes:
    planes = np.ascontiguousarray(RGB8.transpose(2, 0, 1)).reshape(RGB8.shape)
    return image_dicom(planes, samples=3, photometric="RGB", planar=1, **kw)


def _palette(pixels: np.ndarray = U8, entries: int = 256, **kw: object) -> bytes:
    """A palette image; more than 256 entries repeat the 256 colours."""
    tables = [np.resize(np.frombuffer(table, "<u2"), entries).astype("<u2").tobytes() for table in _PALETTE]
    luts = [(0x00281201 + i, "OW", tables[i]) for i in range(3)]
    return image_dicom(pixels, photometric="PALETTE COLOR", extra=luts, **kw)


def _frames(*planes: np.ndarray) -> np.ndarray:
    return np.stack(planes)


Case = Callable[[], bytes]

#: pixel layouts and types (§4.1, §4.2)
PIXELS: dict[str, Case] = {
    "u16": lambda: image_dicom(U16),
    "s16": lambda: image_dicom(S16, signed=True),
    "u8": lambda: image_dicom(U8),
    "s8_read_as_s16": lambda: image_dicom(S8, signed=True),
    "u32_to_float": lambda: image_dicom(U32),
    "s32_read_as_s16": lambda: image_dicom(S32, signed=True),
    "rgb_interleaved": lambda: _rgb(),
    "rgb_planar": lambda: _planar(),
    "rgb_16bit_read_as_8": lambda: _rgb(RGB8.astype("<u2")),
    "ybr_as_gray8": lambda: image_dicom(RGB8, samples=3, photometric="YBR_FULL", planar=0),
    "palette": lambda: _palette(),
    "palette_16_entries": lambda: _palette(entries=16),
    "big_endian_8bit_not_swapped": lambda: image_dicom(U8, ts=EXPLICIT_BE),
    "big_endian_u16": lambda: image_dicom(U16.astype(">u2"), ts=EXPLICIT_BE),
    "big_endian_s16": lambda: image_dicom(S16.astype(">i2"), signed=True, ts=EXPLICIT_BE),
    "big_endian_u32": lambda: image_dicom(U32.astype(">u4"), ts=EXPLICIT_BE),
    "big_endian_rgb": lambda: _rgb(ts=EXPLICIT_BE),
    "implicit_u16": lambda: image_dicom(U16, ts=IMPLICIT_LE),
    "bits_stored_not_masked": lambda: image_dicom(np.full((5, 7), 0xF123, "<u2"),
                                                  extra=[(0x00280101, "US", 12)]),
    "multiframe": lambda: image_dicom(_frames(U16, U16 * 2, U16 + 5), frames="3"),
    "multiframe_3d": lambda: image_dicom(_frames(U16, U16, U16), frames="3d"),
    "multiframe_u32": lambda: image_dicom(_frames(U32, U32 // 3), frames="2"),
    "multiframe_rgb": lambda: _rgb(_frames(RGB8, RGB8[::-1]), frames="2"),
    "frames_1A_single": lambda: image_dicom(U16, frames="1A"),
}

#: truncated pixel data (§4.2, §12)
TRUNCATED: dict[str, Case] = {
    "single_s16_small_offset": lambda: image_dicom(S16, signed=True, keep_bytes=31),
    "single_rgb_small_offset": lambda: _rgb(keep_bytes=50),
    "single_u8_small_offset": lambda: image_dicom(U8, keep_bytes=11),
    "single_s16_eof_buffer_quirk": lambda: image_dicom(BIG_S16, signed=True, keep_bytes=70000),
    "single_rgb_eof_buffer": lambda: _rgb(BIG_RGB, keep_bytes=70001),
    "single_quarter_rule_ok": lambda: image_dicom(_rng.integers(0, 9, (50, 50)).astype("<u2"),
                                                  extra=_PRIVATE_1200, keep_bytes=1300),
    "multiframe_drops_incomplete": lambda: image_dicom(_frames(U16, U16 * 2, U16 + 5), frames="3",
                                                       keep_bytes=2 * 70 + 35),
    "multiframe_less_than_one_frame": lambda: image_dicom(_frames(U16, U16 * 2), frames="2",
                                                          keep_bytes=30),
}

#: truncated beyond what ImageJ accepts: FileOpener's error, then a NullPointerException
TRUNCATED_FAILING: dict[str, Case] = {
    "single_quarter_rule": lambda: image_dicom(U16, extra=_PRIVATE_1200, keep_bytes=10),
    "multiframe_one_frame_rule": lambda: image_dicom(_frames(U16, U16), frames="2", extra=_PRIVATE_1200,
                                                     keep_bytes=60),
}

#: calibration and display with slope 1 (§4.3 paths 2-5, §4.4, §4.5)
DISPLAY: dict[str, Case] = {
    "intercept_u16": lambda: image_dicom(U16, rescale=("-1024", "1")),
    "intercept_s16": lambda: image_dicom(S16, signed=True, rescale=("-1024", "1")),
    "intercept_u8": lambda: image_dicom(U8, rescale=("-100", "1")),
    "intercept_u32_ignored": lambda: image_dicom(U32, rescale=("-100", "1")),
    "intercept_rgb_ignored": lambda: _rgb(rescale=("-100", "1")),
    "intercept_u32_window_converted_first": lambda: image_dicom(U32, rescale=("-100", "1"),
                                                                window=("2000000000", "1000000000")),
    "intercept_rgb_window": lambda: _rgb(rescale=("-100", "1"), window=("0", "100")),
    "window_1_value": lambda: image_dicom(U16, window=("1000", "500")),
    "window_2_values_second_used": lambda: image_dicom(U16, window=("100\\1000", "5000\\500")),
    "window_3_values_dropped": lambda: image_dicom(U16, window=("100\\1000\\7", "5000\\500\\3")),
    "window_negative": lambda: image_dicom(U16, window=("-100", "100")),
    "window_nan": lambda: image_dicom(U16, window=("NaN", "100")),
    "window_width_0": lambda: image_dicom(U16, window=("0", "0")),
    "window_fraction_truncated": lambda: image_dicom(U16, window=("1000.7", "500.3")),
    "window_signed_calibrated": lambda: image_dicom(S16, signed=True, window=("40", "400"),
                                                    rescale=("-1024", "1")),
    "window_u8_rounded": lambda: image_dicom(U8, window=("100.5", "51")),
    "window_u8_reversed": lambda: image_dicom(U8, window=("-100", "1")),
    "window_rgb_rewrites_pixels": lambda: _rgb(window=("128", "100")),
    "window_float": lambda: image_dicom(U32, window=("2000000000.3", "1000000000")),
    "window_palette": lambda: _palette(window=("100", "50")),
    "monochrome1_space": lambda: image_dicom(U16, photometric="MONOCHROME1 "),
    "monochrome1_nul_not_detected": lambda: image_dicom(U16, photometric=b"MONOCHROME1\0"),
    "monochrome1_8bit_window": lambda: image_dicom(U8, photometric="MONOCHROME1 ", window=("100", "50")),
    "spacing": lambda: image_dicom(U16, spacing="0.5\\0.25", thickness="2"),
    "spacing_negative_height": lambda: image_dicom(U16, spacing="-0.5\\0.25"),
    "spacing_negative_width_ignored": lambda: image_dicom(U16, spacing="0.5\\-0.25"),
    "spacing_nan_height": lambda: image_dicom(U16, spacing="NaN\\1"),
    "thickness_alone_ignored": lambda: image_dicom(U16, thickness="3"),
    "multiframe_first_frame_range": lambda: image_dicom(_frames(U16, U16 * 2, U16 + 5), frames="3"),
    "multiframe_flat_first_frame": lambda: image_dicom(_frames(np.full_like(U16, 7), U16, U16 + 5),
                                                       frames="3"),
    "multiframe_window": lambda: image_dicom(_frames(U16, U16 * 2), frames="2", window=("500", "300")),
    "multiframe_window_nan_resets": lambda: image_dicom(_frames(U16, U16 * 2), frames="2",
                                                        window=("NaN", "300")),
    "multiframe_signed_intercept": lambda: image_dicom(_frames(S16, S16), signed=True, frames="2",
                                                       rescale=("-1024", "1")),
    "multiframe_u8_window": lambda: image_dicom(_frames(U8, U8), frames="2", window=("100", "60")),
    "multiframe_rgb_window": lambda: _rgb(_frames(RGB8, RGB8), frames="2", window=("128", "100")),
    "multiframe_palette_window": lambda: _palette(_frames(U8, U8), frames="2", window=("100", "50")),
}

#: rescale slope != 1: the GUI converts to 32-bit (§4.3 path 1); headless ImageJ cannot
SLOPE: dict[str, Case] = {
    "slope_s16": lambda: image_dicom(S16, signed=True, rescale=("-10", "2.5")),
    "slope_u16": lambda: image_dicom(U16, rescale=("-10", "2.5")),
    "slope_u8": lambda: image_dicom(U8, rescale=("-10", "2.5")),
    "slope_rgb": lambda: _rgb(rescale=("-10", "2.5")),
    "slope_u32": lambda: image_dicom(U32, rescale=("-10", "2.5")),
    "slope_empty_is_zero": lambda: image_dicom(U16, rescale=("-10", "")),
    "slope_window": lambda: image_dicom(S16, signed=True, rescale=("-10", "2.5"), window=("0", "100")),
    "slope_stack": lambda: image_dicom(_frames(S16, S16 * 2, S16 // 2), signed=True, frames="3",
                                       rescale=("-10", "2.5")),
}

#: refused files (§5)
FAILING: dict[str, Case] = {
    "no_rows": lambda: make_dicom([(0x00280011, "US", 4)], b"\0" * 8),
    "no_pixel_data": lambda: make_dicom([(0x00280010, "US", 4), (0x00280011, "US", 4)]),
    "compressed": lambda: make_dicom([(0x00280010, "US", 4), (0x00280011, "US", 4)], b"\0" * 32,
                                     ts=JPEG_BASELINE),
    "not_dicom": lambda: b"\x01\x02\x03\x04" * 100,
    "acr_start_then_eof": lambda: b"\x08\x00\x00\x00",
}

#: found by the image fuzzer (scripts/fuzz_image.py), each a difference once; opened or refused alike
FUZZ_FOUND: dict[str, Case] = {
    # ByteProcessor.setMinAndMax copies the colour model into 256-entry arrays: a longer
    # palette throws ArrayIndexOutOfBoundsException whenever ImageJ remaps it
    "palette_300_entries": lambda: _palette(entries=300),
    "palette_300_entries_window_throws": lambda: _palette(entries=300, window=("100", "50")),
    "palette_300_entries_nan_window_throws": lambda: _palette(entries=300, window=("NaN", "50")),
    "palette_300_entries_stack_throws": lambda: _palette(_frames(U8, U8), entries=300, frames="2"),
    "palette_300_entries_rescaled_throws_in_stackconverter":
        lambda: _palette(_frames(U8, U8), entries=300, frames="2", rescale=("0", "2.5")),
    "palette_300_entries_rescaled_single": lambda: _palette(entries=300, rescale=("0", "2.5")),
    # a rescaled stack keeps its LUT: the float processors inherit the colour model
    "monochrome1_rescaled_stack_stays_inverted":
        lambda: image_dicom(_frames(U16, U16 // 2), frames="2", photometric="MONOCHROME1 ", rescale=("0", "2.5")),
    # slice n/2 without a finite value: FloatStatistics' start values become the range (inf, -inf)
    "rescaled_stack_all_infinite":
        lambda: image_dicom(_frames(U16, U16), frames="2", rescale=("Infinity", "0")),
    # the failed read leaves no image; DICOM.open's "32-bit" then says so, and that is the last message
    "rescaled_truncated_no_images_open":
        lambda: image_dicom(U16, extra=_PRIVATE_1200, keep_bytes=10, rescale=("0", "2.5")),
    "rescaled_truncated_planar_no_images_open":
        lambda: _planar(keep_bytes=50, rescale=("0", "2.5")),
    # ImageJ shows no message for a short planar frame; the NullPointerException it throws is the report
    "planar_short_first_frame": lambda: _planar(keep_bytes=50),
    "planar_short_first_frame_windowed": lambda: _planar(keep_bytes=50, window=("100", "50")),
    # slope 0 makes +0.0 and -0.0; ImageJ's min/max scan keeps the first zero's sign (Show Info: "0 - 0")
    "rescaled_stack_signed_zeros": lambda: image_dicom(
        _frames(*[np.array([[5], [-5]], dtype="<i2")] * 3), signed=True, frames="3", rescale=("0", "0")),
}
