"""Pixel agreement of every compressed pydicom test file with its uncompressed twin, under decode="all".

Usage: python scripts/decode_agreement.py [--backend jvm|pydicom]

Prints, per file: the transfer syntax, the twin it is compared with, and how
far the decoded pixels are from the twin's (exact, or max/mean absolute
channel difference for lossy codecs).  Files without a twin are compared with
pydicom's ``pixel_array`` in ImageJ's storage (see ``tests/test_decompress.py``).
"""

from __future__ import annotations

import argparse
import os
import warnings

import numpy as np
import pydicom
import pydicom.data

import bridge
from bridge.decompress import route

#: compressed file -> its uncompressed (or losslessly compressed) twin in pydicom's test files
TWINS = {
    "MR_small_RLE.dcm": "MR_small.dcm",
    "MR_small_jp2klossless.dcm": "MR_small.dcm",
    "MR_small_jpeg_ls_lossless.dcm": "MR_small.dcm",
    "rtdose_rle.dcm": "rtdose.dcm",
    "rtdose_rle_1frame.dcm": "rtdose_1frame.dcm",
    "SC_rgb_jpeg.dcm": "SC_rgb_jpeg_dcmd.dcm",
    "SC_rgb_jpeg_app14_dcmd.dcm": "SC_rgb_jpeg_dcmd.dcm",
    "SC_jpeg_no_color_transform.dcm": "SC_rgb_jpeg_dcmd.dcm",
    "SC_jpeg_no_color_transform_2.dcm": "SC_rgb_jpeg_dcmd.dcm",
    "SC_rgb_small_odd_jpeg.dcm": "SC_rgb_small_odd.dcm",
    # the 100x100 SC_rgb family: SC_rgb_rle.dcm is its lossless (RLE) member
    **{name: "SC_rgb_rle.dcm" for name in (
        "SC_rgb_jpeg_gdcm.dcm", "SC_rgb_gdcm_KY.dcm", "SC_rgb_jls_lossy_line.dcm",
        "SC_rgb_jls_lossy_sample.dcm", "SC_rgb_dcmtk_+eb+cr.dcm", "SC_rgb_dcmtk_+eb+cy+n1.dcm",
        "SC_rgb_dcmtk_+eb+cy+n2.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm", "SC_rgb_dcmtk_+eb+cy+s2.dcm",
        "SC_rgb_dcmtk_+eb+cy+s4.dcm", "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_jpeg_lossy_gdcm.dcm")},
    "SC_rgb_rle_2frame.dcm": "SC_rgb_rle.dcm",
}


def channels(imp: bridge.ImagePlus) -> np.ndarray:
    return bridge.array(imp).astype(np.float64)


def agreement(name: str, twin: str) -> str:
    a = bridge.open(pydicom.data.get_testdata_file(name))
    b = bridge.open(pydicom.data.get_testdata_file(twin))
    x, y = channels(a), channels(b)
    if name == "SC_rgb_rle_2frame.dcm":
        x = x[:1]          # frame 1 is the single-frame image
    if x.shape != y.shape:
        return f"shape {x.shape} vs {y.shape}"
    diff = np.abs(x - y)
    if not diff.any():
        return "exact"
    return f"max {diff.max():g}, mean {diff.mean():.3f}, {100 * np.mean(diff == 0):.1f}% equal"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="pydicom")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    bridge.set_backend(args.backend)
    bridge.configure(decode="all")
    folder = os.path.dirname(pydicom.data.get_testdata_file("CT_small.dcm"))
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        uid = route(path)
        if uid is None:
            continue
        try:
            imp = bridge.open(path)
            result = agreement(name, TWINS[name]) if name in TWINS else f"opens ({imp.getBitDepth()}-bit), no twin"
        except bridge.BridgeError as err:
            result = f"{type(err).__name__}: {err.reason[:90]}"
        print(f"{name:42} {uid:24} {TWINS.get(name, ''):22} {result}")


if __name__ == "__main__":
    main()
