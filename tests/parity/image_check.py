"""The differential check shared by the image fuzz test and ``scripts/fuzz_image.py``.

For one file: a :func:`bridge.compare.snapshot` on each backend (opened?,
error message, title, dims, type, bit depth, calibration, display range,
labels, pixels, Info, tags, getInfo) and the fields where they differ.  Real
ImageJ (jvm) is the judge; the outcome names what ImageJ did, so a campaign
can show that its files reach every branch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bridge.compare import differences, snapshot

_TYPE_NAMES = {0: "8-bit", 1: "16-bit", 2: "32-bit", 3: "8-bit color", 4: "RGB"}


@dataclass
class ImageResult:
    """What ImageJ did with one file and where the pydicom backend disagrees (empty: parity)."""

    outcome: str
    differences: dict[str, str] = field(default_factory=dict)


def _snapshot(backend: str, path: str) -> dict[str, Any]:
    try:
        return snapshot(backend, path)
    except Exception as exc:  # a crash is a finding, not the end of a campaign
        return {"crash": f"{type(exc).__name__}: {exc}"}


def outcome(snap: dict[str, Any]) -> str:
    """A short class for what a backend made of the file, e.g. ``opened 16-bit stack``."""
    if "crash" in snap:
        return "crash"
    if not snap["opened"]:
        first_line = (snap["error"] or "no message").strip().splitlines()[0]
        return "refused: " + re.sub(r"-?\d+", "N", first_line)[:60]
    kind = _TYPE_NAMES.get(snap["type"], str(snap["type"]))
    if snap["dims"][0] == 0:
        return "opened empty (zip entry failed)"
    return f"opened {kind}" + (" stack" if snap["dims"][2] > 1 else "")


def image_result(path: str) -> ImageResult:
    """Compare both backends on ``path``."""
    imagej, ours = _snapshot("jvm", path), _snapshot("pydicom", path)
    found = differences(imagej, ours)
    for name, snap in (("jvm", imagej), ("pydicom", ours)):
        if "crash" in snap:
            found[f"crash ({name})"] = snap["crash"]
    return ImageResult(outcome(imagej), found)
