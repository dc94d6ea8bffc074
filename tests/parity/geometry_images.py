"""The images the geometry parity tests run on: pydicom's files and generated ones of every type.

Generated files have odd sizes (37 x 23) and values over the whole range of
their type, so rounding, clamping and edge rules show.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom.data import get_testdata_file

from tests.dicomgen import image_dicom, write

WIDTH, HEIGHT = 37, 23


def _ramp(rng: np.random.Generator, shape: tuple[int, ...], top: int) -> np.ndarray:
    """A smooth ramp plus noise (interpolation has something to interpolate), 0..top."""
    ys, xs = np.mgrid[0:shape[-2], 0:shape[-1]]
    smooth = (xs * 7 + ys * 11) % (top + 1)
    return np.clip(smooth + rng.integers(0, max(top // 8, 2), size=shape), 0, top)


def make_images(folder: Path) -> dict[str, str]:
    """Name -> path of each test image (pydicom's files and ones written into ``folder``)."""
    rng = np.random.default_rng(15)
    images = {"CT 16-bit signed calibrated": get_testdata_file("CT_small.dcm"),
              "MR 16-bit": get_testdata_file("MR_small.dcm")}
    generated = {
        "8-bit": image_dicom(_ramp(rng, (HEIGHT, WIDTH), 255).astype(np.uint8)),
        "8-bit inverted": image_dicom(_ramp(rng, (HEIGHT, WIDTH), 255).astype(np.uint8), photometric="MONOCHROME1"),
        "8-bit stack": image_dicom(_ramp(rng, (3, HEIGHT, WIDTH), 255).astype(np.uint8), frames="3"),
        "16-bit unsigned": image_dicom(_ramp(rng, (HEIGHT, WIDTH), 65535).astype("<u2")),
        "16-bit signed stack": image_dicom((_ramp(rng, (4, HEIGHT, WIDTH), 4000) - 2000).astype("<i2"),
                                           signed=True, frames="4", rescale=("-1024", "1"),
                                           spacing="0.5\\0.75"),
        "32-bit float": image_dicom(_ramp(rng, (HEIGHT, WIDTH), 100000).astype("<u4")),
        "32-bit float stack": image_dicom(_ramp(rng, (3, HEIGHT, WIDTH), 100000).astype("<u4"), frames="3",
                                          rescale=("0.5", "0.25")),
        "RGB": image_dicom(_ramp(rng, (HEIGHT, WIDTH, 3), 255).astype(np.uint8), samples=3,
                           photometric="RGB", planar=0),
        "RGB stack": image_dicom(_ramp(rng, (2, HEIGHT, WIDTH, 3), 255).astype(np.uint8), samples=3,
                                 photometric="RGB", planar=0, frames="2"),
    }
    for name, data in generated.items():
        images[name] = str(write(folder / (name.replace(" ", "_") + ".dcm"), data))
    return images
