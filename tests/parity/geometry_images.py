"""The images the geometry parity tests run on: pydicom's files and generated ones of every type.

Generated files have odd sizes (37 x 23) and values over the whole range of
their type, so rounding, clamping and edge rules show.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from pydicom.data import get_testdata_file

from bridge.core.roi import OvalRoi, PolygonRoi, Roi
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


# --- random cases for the differential fuzz (scripts/fuzz_geometry.py, and a bounded run in the suite) ----
_KINDS = ("8-bit", "16-bit", "16-bit signed", "32-bit", "RGB")


def random_image(rng: random.Random, folder: Path) -> str:
    """A DICOM file of a random type, size (3..45 square), depth (1..3) and content, written into ``folder``."""
    kind = rng.choice(_KINDS)
    width, height, depth = rng.randint(3, 45), rng.randint(3, 45), rng.choice((1, 1, 2, 3))
    gen = np.random.default_rng(rng.getrandbits(32))
    shape = (depth, height, width) + ((3,) if kind == "RGB" else ())
    top = {"8-bit": 255, "16-bit": 65535, "16-bit signed": 4000, "32-bit": 100000, "RGB": 255}[kind]
    pixels = _ramp(gen, shape, top) if rng.random() < 0.5 else gen.integers(0, top + 1, size=shape)
    extra: dict[str, object] = {"frames": str(depth)} if depth > 1 else {}
    if kind == "RGB":
        data = image_dicom(pixels.astype(np.uint8), samples=3, photometric="RGB", planar=0, **extra)
    elif kind == "8-bit":
        data = image_dicom(pixels.astype(np.uint8), photometric=rng.choice(("MONOCHROME2", "MONOCHROME1")),
                           **extra)
    elif kind == "16-bit":
        data = image_dicom(pixels.astype("<u2"), **extra)
    elif kind == "16-bit signed":
        data = image_dicom((pixels - 2000).astype("<i2"), signed=True, rescale=(rng.choice(("0", "-1024")), "1"),
                           spacing="0.5\\0.75", **extra)
    else:
        data = image_dicom(pixels.astype("<u4"), rescale=("0.5", "0.25"), **extra)
    return str(write(folder / f"{kind.replace(' ', '_')}-{rng.getrandbits(32)}.dcm", data))


def random_selection(rng: random.Random, width: int, height: int) -> tuple[str, Roi | None]:
    """None, a rectangle, an oval or a polygon, each inside the image or across its edge."""
    kind = rng.choice(("none", "rect", "oval", "polygon"))
    x, y = rng.randint(-5, width - 1), rng.randint(-5, height - 1)
    w, h = rng.randint(max(1, 1 - x), width + 5), rng.randint(max(1, 1 - y), height + 5)
    if kind == "rect":
        return kind, Roi(x, y, w, h)
    if kind == "oval":
        return kind, OvalRoi(x, y, w, h)
    if kind == "polygon":
        n = rng.randint(3, 7)
        return kind, PolygonRoi([rng.randint(-5, width + 4) for _ in range(n)],
                                [rng.randint(-5, height + 4) for _ in range(n)])
    return kind, None


def random_command(rng: random.Random) -> tuple[str, str]:
    """One geometry command with random options (Specify... is left out: ImageJ's static fields leak into it)."""
    method = rng.choice(("None", "Bilinear", "Bicubic"))
    stack = " stack" if rng.random() < 0.5 else ""

    def offset() -> float:
        return round(rng.uniform(-8, 8), rng.choice((0, 1, 2)))

    choices = [
        ("Translate...", f"x={offset()} y={offset()} interpolation={method}{stack}"),
        ("Rotate... ", f"angle={round(rng.uniform(-360, 360), rng.choice((0, 1, 3)))} grid=1 "
                       f"interpolation={method}{' fill' if rng.random() < 0.3 else ''}"
                       f"{' enlarge' if rng.random() < 0.3 else ''}{stack}"),
        # width and height always given, as the recorder writes them: without, ImageJ's defaults for them
        # come from the previous call's scale (static fields), and a 0 there fails the call
        ("Scale...", f"x={round(rng.uniform(0.2, 2.5), 2)} y={round(rng.uniform(0.2, 2.5), 2)} "
                     f"width={rng.randint(1, 60)} height={rng.randint(1, 60)} "
                     f"interpolation={method}{' average' if rng.random() < 0.6 else ''}"
                     f"{' process' if rng.random() < 0.5 else ''}{' create' if rng.random() < 0.6 else ''}"
                     f"{' fill' if rng.random() < 0.3 else ''} title=s"),
        ("Canvas Size...", f"width={rng.randint(1, 60)} height={rng.randint(1, 60)} "
                           f"position={rng.choice(_POSITIONS)}{' zero' if rng.random() < 0.5 else ''}"),
        ("Duplicate...", f"title=d{' duplicate' if rng.random() < 0.5 else ''} range={rng.randint(0, 3)}-"
                         f"{rng.randint(1, 4)}"),
        ("Flip Horizontally", stack or " "), ("Flip Vertically", stack or " "),
        ("Rotate 90 Degrees Left", " "), ("Rotate 90 Degrees Right", " "), ("Crop", " "),
    ]
    return rng.choice(choices)


_POSITIONS = ("Top-Left", "Top-Center", "Top-Right", "Center-Left", "Center", "Center-Right",
              "Bottom-Left", "Bottom-Center", "Bottom-Right")
