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

from bridge import backends
from bridge.compare import differences, snapshot
from bridge.errors import LimitExceededError

_TYPE_NAMES = {0: "8-bit", 1: "16-bit", 2: "32-bit", 3: "8-bit color", 4: "RGB"}
#: ImageJ allocating a bogus length: whether it fails depends on the JVM's heap, not on ImageJ's rules
OUT_OF_MEMORY = "java.lang.OutOfMemoryError"
HEAP_DEPENDENT = "ImageJ ran out of memory (heap-dependent, not compared)"
#: the pydicom backend refuses a declared image far larger than its data before allocating it
#: (``pixels.check_size``); ImageJ zero-fills it.  A deliberate difference, counted apart.
SIZE_GUARD = "ImageJ zero-fills, the pydicom backend's size guard refuses (by design)"


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
    if snap.get("thrown"):
        return snap["outcome"]                    # "throws java.lang.NullPointerException"
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
    if OUT_OF_MEMORY in f"{imagej.get('error')} {imagej.get('get_info')}":
        return ImageResult(HEAP_DEPENDENT)
    if imagej.get("opened") and ours.get("opened") is False and _size_guard(path):
        return ImageResult(SIZE_GUARD)
    found = differences(imagej, ours)
    jar = jar_outcome(path, imagej)
    if jar is not None and jar != imagej.get("outcome"):
        found["outcome (live jar)"] = f"IJ.openImage: {jar}, jvm backend: {imagej.get('outcome')}"
    for name, snap in (("jvm", imagej), ("pydicom", ours)):
        if "crash" in snap:
            found[f"crash ({name})"] = snap["crash"]
    return ImageResult(outcome(imagej), found)


def jar_outcome(path: str, jvm_snapshot: dict[str, Any]) -> str | None:
    """What the live jar's ``IJ.openImage`` does with ``path``: "image", "null" or "throws <class>".

    Asked only where the jvm backend showed the file to ImageJ too (not refused by a
    limit, not a zip: the guards stand between ImageJ and those), so it costs what that did.
    """
    if "crash" in jvm_snapshot or path.lower().endswith(".zip") or \
            "max_image_bytes" in str(jvm_snapshot.get("error")) or "pixel bytes" in str(jvm_snapshot.get("error")):
        return None
    return real_imagej(path)[0]


def real_imagej(path: str) -> tuple[Any, ...]:
    """The live jar's ``IJ.openImage(path)`` through JPype (as the GUI runs it, System.out quiet):
    (outcome, the message ``IJ.getErrorMessage()`` holds, the image's fields or None)."""
    from bridge.backends.jvm import companion, runtime
    java_ij = runtime.jclass("ij.IJ")
    java_ij.getErrorMessage()
    try:
        imp = companion.open_image(path)
    except Exception as exc:  # noqa: BLE001 - a Java exception escaping ImageJ is the outcome
        outcome, imp = f"throws {exc.getClass().getName()}", None
    else:
        outcome = "null" if imp is None else "image"
    message = java_ij.getErrorMessage()
    return outcome, None if message is None else str(message), None if imp is None else describe(imp)


def describe(imp: Any) -> tuple[Any, ...]:
    """Title, width, height, stack size, type, bit depth, display range (or what it throws), stack slices."""
    try:
        shown: Any = float(imp.getDisplayRangeMin()), float(imp.getDisplayRangeMax())
    except Exception as err:  # noqa: BLE001 - JPype's exception, or our JavaError
        shown = f"throws {getattr(err, 'java_class', None) or err.getClass().getName()}"
    return (str(imp.getTitle()), int(imp.getWidth()), int(imp.getHeight()), int(imp.getStackSize()),
            int(imp.getType()), int(imp.getBitDepth()), shown, int(imp.getStack().getSize()))


def _size_guard(path: str) -> bool:
    try:
        backends.get("pydicom").open_image(path)
    except LimitExceededError:
        return True
    except Exception:
        return False
    return False
