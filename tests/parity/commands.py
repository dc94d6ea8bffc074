"""One command on both backends, compared: the helper every command parity test uses.

``compare_command(path, "Median...", "radius=2")`` opens ``path`` with each
backend, runs ``setup`` (a function of the image, e.g. a selection) and the
command through ``IJ.run``, and returns both images' observable state so a test
asserts they agree: pixels bit for bit, type, size, title, calibration,
display range, LUT inversion, threshold, and the image the command opened (if any).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from bridge import backends
from bridge.model import ImagePlus


@dataclass
class Outcome:
    image: ImagePlus
    created: ImagePlus | None


def run_on(backend: str, path: str, command: str, options: str,
           setup: Callable[[ImagePlus], Any] | None = None) -> Outcome:
    """Open ``path`` with ``backend`` and run the command on it as ``IJ.run(imp, command, options)`` does."""
    chosen = backends.get(backend)
    imp = chosen.open_image(path)
    if setup is not None:
        setup(imp)
    created = chosen.run_command(imp, command, options)
    return Outcome(imp, created)


def state(imp: ImagePlus) -> dict[str, Any]:
    """What a user sees of an image, pixels as bytes (so NaNs and -0.0 compare too)."""
    cal = imp.getCalibration()
    return {"title": imp.getTitle(), "type": imp.getType(), "dimensions": imp.getDimensions(),
            "pixels": np.ascontiguousarray(imp.data).tobytes(), "dtype": str(imp.data.dtype),
            "pixel size": (cal.pixelWidth, cal.pixelHeight, cal.pixelDepth, cal.getUnit()),
            "function": (cal.getFunction(), cal.getCoefficients(), cal.getValueUnit()),
            "display range": tuple(imp.display_range),    # also of a 0-pixel-wide image (Scale... can make one)
            "inverted LUT": imp.isInvertedLut(), "slice": imp.getCurrentSlice(),
            "selection": _selection(imp),
            "threshold": (imp.min_threshold, imp.max_threshold, imp.lut_update)}


def _selection(imp: ImagePlus) -> tuple[Any, ...] | None:
    """The selection's kind and bounds (integer and, for rectangles and ovals, sub-pixel)."""
    roi = imp.getRoi()
    if roi is None:
        return None
    b = roi.getBounds()
    return (roi.getType(), (b.x, b.y, b.width, b.height), getattr(roi, "_float_bounds", None))


def differences(ours: ImagePlus, theirs: ImagePlus) -> dict[str, tuple[Any, Any]]:
    """The fields where two images differ; for pixels, the count of differing values and the worst."""
    a, b = state(ours), state(theirs)
    found = {key: (a[key], b[key]) for key in a if key != "pixels" and a[key] != b[key]}
    if a["pixels"] != b["pixels"]:
        if ours.data.shape == theirs.data.shape:
            delta = np.abs(ours.data.astype(np.float64) - theirs.data.astype(np.float64))
            found["pixels"] = (int(np.count_nonzero(delta)), float(np.nanmax(delta)))
        else:
            found["pixels"] = (ours.data.shape, theirs.data.shape)
    return found


def compare_command(path: str, command: str, options: str = "",
                    setup: Callable[[ImagePlus], Any] | None = None) -> dict[str, tuple[Any, Any]]:
    """Differences between the pure backend and real ImageJ after the command ({} when they agree)."""
    return compare_outcomes(run_on("pydicom", path, command, options, setup),
                            run_on("jvm", path, command, options, setup))


def compare_outcomes(ours: Outcome, theirs: Outcome) -> dict[str, tuple[Any, Any]]:
    """Differences between two runs' images and the images they opened ({} when they agree)."""
    found = {f"image {k}": v for k, v in differences(ours.image, theirs.image).items()}
    if (ours.created is None) != (theirs.created is None):
        found["created"] = (ours.created, theirs.created)
    elif ours.created is not None and theirs.created is not None:
        found.update({f"created {k}": v for k, v in differences(ours.created, theirs.created).items()})
    return found
