"""Differential fuzzing of thresholds and binary operations: bridge's core against ImageJ's classes, live.

One example, drawn from its seed: a random image (8-bit, 16-bit with a wide or
narrow range, 32-bit with NaNs and infinities; noise, two modes, a few levels
or flat; inverted LUT or not; sometimes calibrated), a random method with
"dark" or not, and a random 0/255 image with random erode/dilate count and
padding.  :func:`check` returns the differences ({} when ImageJ agrees):

* ``ip.setAutoThreshold(method)`` and ``setAutoThreshold(ISODATA2, RED_LUT)``:
  levels, LUT mode, display range;
* ``Measure`` statistics limited to that threshold;
* ``ByteProcessor.erode/dilate(count, background)``, ``outline``, ``skeletonize``.

Used by ``test_threshold_fuzz.py`` (a bounded run) and ``scripts/fuzz_threshold.py``.
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np

from bridge.core import binary
from bridge.core import statistics as S
from bridge.core import threshold as th
from bridge.model import GRAY8, GRAY16, GRAY32, Calibration, ImagePlus

METHODS = [m for m in th.METHODS if m != "IJ_IsoData"]
_STAT_FIELDS = ("pixelCount", "mean", "stdDev", "min", "max", "median", "xCenterOfMass", "areaFraction",
                "lowerThreshold", "upperThreshold")


def draw_image(rng: random.Random) -> ImagePlus:
    """A random grey image, its display range the slice's min and max as ImageJ opens it."""
    kind = rng.choice([GRAY8, GRAY16, GRAY32])
    width, height = rng.randint(1, 90), rng.randint(1, 70)
    nrng = np.random.default_rng(rng.getrandbits(32))
    shape = rng.choice(["noise", "modes", "levels", "flat"])
    top = {GRAY8: 255.0, GRAY16: float(rng.choice([60, 4095, 65535])), GRAY32: rng.choice([1.0, 5000.0])}[kind]
    if shape == "noise":
        values = nrng.uniform(0, top, (height, width))
    elif shape == "modes":
        values = np.where(nrng.random((height, width)) < rng.random(),
                          nrng.normal(top * 0.25, top * 0.05, (height, width)),
                          nrng.normal(top * 0.7, top * 0.1, (height, width)))
    elif shape == "levels":
        values = nrng.choice(nrng.uniform(0, top, rng.randint(1, 4)), (height, width))
    else:
        values = np.full((height, width), rng.uniform(0, top))
    if kind == GRAY32:
        data = (values - top * rng.random()).astype(np.float32)
        special = nrng.random(data.shape)
        data[special < 0.03] = np.nan
        if rng.random() < 0.1:
            data[special > 0.995] = np.inf
    else:
        data = np.clip(values, 0, top).astype(np.uint8 if kind == GRAY8 else np.uint16)
    cal = Calibration()
    if kind == GRAY16 and rng.random() < 0.3:
        cal = Calibration(function=0, coefficients=[-1024.0, 1.0])
    imp = ImagePlus("fuzz", data[None], kind, calibration=cal, inverted_lut=rng.random() < 0.2)
    imp.display_range = th.slice_min_max(data, kind) if kind != GRAY8 else (0.0, 255.0)
    return imp


def _java_image(imp: ImagePlus) -> Any:
    import imagej_live as ij          # tests/core on sys.path
    jimp = ij.java_image_of(imp)
    if imp.isInvertedLut():
        jimp.getProcessor().invertLut()
    return jimp


def _state(imp: ImagePlus) -> tuple[float, ...]:
    return (imp.min_threshold, imp.max_threshold, float(imp.lut_update), *imp.display_range)


def _java_state(jimp: Any) -> tuple[float, ...]:
    ip = jimp.getProcessor()
    return (float(ip.getMinThreshold()), float(ip.getMaxThreshold()), float(ip.getLutUpdateMode()),
            float(ip.getMin()), float(ip.getMax()))


def _same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b))


def check_threshold(seed: int) -> dict[str, Any]:
    """One random image and method: the threshold and the limited statistics, ours against ImageJ's."""
    rng = random.Random(seed)
    imp = draw_image(rng)
    spec = rng.choice(METHODS) + rng.choice(["", " dark"])
    found: dict[str, Any] = {}
    jimp = _java_image(imp)
    if rng.random() < 0.15:
        th.set_legacy_auto_threshold(imp)
        jimp.getProcessor().setAutoThreshold(1, 0)
        spec = "ISODATA2"
    else:
        th.set_auto_threshold(imp, spec)
        jimp.getProcessor().setAutoThreshold(spec)
    if not _same(_state(imp), _java_state(jimp)):
        found[f"threshold {spec}"] = (_state(imp), _java_state(jimp))
        return found
    options = S.AREA + S.MEAN + S.STD_DEV + S.MIN_MAX + S.MEDIAN + S.CENTER_OF_MASS + S.AREA_FRACTION + S.LIMIT
    ours, theirs = imp.getStatistics(options), jimp.getStatistics(options)
    for name in _STAT_FIELDS:
        a, b = float(getattr(ours, name)), float(getattr(theirs, name))
        if not ((math.isnan(a) and math.isnan(b)) or a == b):
            found[f"limited {name} {spec}"] = (a, b)
    return found


def check_binary(seed: int) -> dict[str, Any]:
    """One random 0/255 image: erode, dilate, outline and skeletonize, ours against ``ByteProcessor``'s."""
    import imagej_live as ij
    from bridge.backends.jvm.runtime import jclass
    rng = random.Random(seed)
    nrng = np.random.default_rng(rng.getrandbits(32))
    width, height = rng.randint(1, 60), rng.randint(1, 50)
    plane = np.where(nrng.random((height, width)) < rng.random(), 255, 0).astype(np.uint8)
    background, count, pad = rng.choice([0, 255]), rng.randint(1, 8), rng.random() < 0.5
    jclass("ij.Prefs").padEdges = pad
    found: dict[str, Any] = {}
    operations = [("erode", binary.erode(plane, count, background, pad), lambda ip: ip.erode(count, background)),
                  ("dilate", binary.dilate(plane, count, background), lambda ip: ip.dilate(count, background)),
                  ("skeletonize", binary.skeletonize(plane, 255 - background),
                   lambda ip: ip.skeletonize(255 - background))]
    if width > 1 or height < 3:         # ImageJ's outline throws there, and so does ours (tested apart)
        operations.append(("outline", binary.outline(plane, 255), lambda ip: ip.outline()))
    try:
        for name, ours, call in operations:
            ip = ij.java_processor(plane, GRAY8)
            call(ip)
            theirs = np.array(ip.getPixels(), dtype=np.int8).view(np.uint8).reshape(height, width)
            if not np.array_equal(ours, theirs):
                found[f"{name} count={count} background={background} pad={pad}"] = \
                    int(np.count_nonzero(ours != theirs))
    finally:
        jclass("ij.Prefs").padEdges = False
    return found
