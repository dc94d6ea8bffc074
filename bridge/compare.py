"""Field-by-field comparison of what two backends make of one file.

This is the project's parity harness and the engine behind ``bridge
compare`` and ``bridge.testing``: :func:`snapshot` records every field the
facade exposes for one file on one backend; :func:`differences` lists the
fields where two snapshots disagree, with a readable account of how.
:func:`compare_path` adds what a report needs beyond agreement: two
backends that both fail to read a file agree, but the file is not fine.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from . import backends, emulation
from .core import versions
from .core.dictionary import releases_naming
from .errors import DicomReadError, JavaError

if TYPE_CHECKING:   # numpy only where pixels are compared: `bridge` commands import this module for FIELDS
    import numpy as np

#: Every field a snapshot holds, in the order reports show them.
FIELDS = ("outcome", "opened", "error", "thrown", "title", "dims", "type", "bit_depth", "calibration",
          "display_range", "stack_size", "lut", "labels", "pixels", "info", "tags", "get_info", "image_info")

_TAG_AT_LINE_START = re.compile(r"^([0-9A-F]{4},[0-9A-F]{4})", re.MULTILINE)
#: Show Info's "ID: -7" counts images per process, so it is not part of what is compared.
_IMAGE_ID = re.compile(r"^ID: -?\d+$", re.MULTILINE)


def snapshot(backend_name: str, path: str) -> dict[str, Any]:
    """Everything the facade says about ``path`` on one backend, as plain Python values."""
    backend = backends.get(backend_name)
    try:
        header = backend.get_info(path)
    except DicomReadError as err:  # ImageJ's getInfo throws for some inputs (deflate): compare what
        header = f"<throws {err.thrown or err.imagej_message}>"
    snap: dict[str, Any] = {"get_info": header}
    try:
        imp = backend.open_image(path)
    except DicomReadError as err:
        outcome = "null" if err.thrown is None else f"throws {err.java_class}"
        snap.update(outcome=outcome, opened=False, error=err.imagej_message, thrown=err.thrown,
                    reason=f"{type(err).__name__}: {err.reason}")  # for reports; not a compared field
        return snap
    cal = asdict(imp.calibration)
    snap.update(
        outcome="image", opened=True, error=None, thrown=None, title=imp.getTitle(),
        dims=(imp.getWidth(), imp.getHeight(), imp.getStackSize()),
        type=imp.getType(), bit_depth=imp.getBitDepth(), calibration=cal,
        display_range=_display_range(imp), stack_size=imp.getStack().getSize(),
        lut=_lut(imp), labels=list(imp.labels), pixels=imp.data, info=imp.info,
        tags={tag: backend.get_tag(imp, tag) for tag in tag_ids(imp.info)},
        image_info=image_info_text(backend, imp))
    return snap


#: The fields of a Bio-Formats snapshot (``compare --reader bioformats``): the first image's, and how many.
BIOFORMATS_FIELDS = ("opened", "count", "title", "dimensions", "type", "calibration", "display_range",
                     "labels", "pixels", "info")
#: The routes ``bridge compare`` can compare the backends on.
READERS = ("imagej", "bioformats")


def bioformats_snapshot(backend_name: str, path: str) -> dict[str, Any]:
    """What ``BF.openImagePlus(path)`` gives on one backend, as plain values (the first image's fields)."""
    try:
        images = backends.get(backend_name).open_bioformats(path, {})
    except DicomReadError as err:
        return {"opened": False, "reason": f"{type(err).__name__}: {err.reason}"}   # reason: for reports
    imp = images[0]
    return {"opened": True, "count": len(images), "title": imp.getTitle(),
            "dimensions": tuple(imp.getDimensions()), "type": imp.getType(), "calibration": asdict(imp.calibration),
            "display_range": imp.display_range, "labels": list(imp.labels), "pixels": imp.data, "info": imp.info}


def _display_range(imp: Any) -> tuple[float, float] | str:
    """The display range, or what it throws (ImageJ's empty image has no processor to ask)."""
    try:
        return imp.getDisplayRangeMin(), imp.getDisplayRangeMax()
    except JavaError as err:
        return f"<throws {err}>"


def _lut(imp: Any) -> dict[str, Any]:
    """The colour model as scripts see it: inverted or not, and a palette's 256 colours (hex)."""
    return {"inverted": imp.isInvertedLut(), "palette": None if imp.lut is None else imp.lut.tobytes().hex()}


def image_info_text(backend: Any, imp: Any) -> str:
    """Show Info's text, or what it throws (ImageJ throws on its processor-less empty image)."""
    try:
        return _IMAGE_ID.sub("ID: <per-process counter>", backend.get_image_info(imp))
    except JavaError as err:
        return f"<throws {err}>"


def tag_ids(info: str | None) -> list[str]:
    """The tag ids that start lines of a header text, each once, in order."""
    return list(dict.fromkeys(_TAG_AT_LINE_START.findall(info or "")))


def same(field: str, a: Any, b: Any) -> bool:
    """Whether two values of ``field`` agree (exactly; NaN equals NaN; arrays by dtype, shape and bytes)."""
    if field == "pixels":
        if a is None or b is None:
            return a is b
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.kind == "f":
            return _same_floats(a, b)
        return bool(a.tobytes() == b.tobytes())
    return _equal(a, b)


def _same_floats(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit-identical, except that any NaN equals any NaN.

    Java leaves the bits of a NaN from arithmetic unspecified, and they do
    change once HotSpot compiles ImageJ's loops (``x * NaN`` gave 0x7FC00000
    interpreted and 0xFFC35863 compiled), so only NaN-ness is ImageJ's result.
    """
    import numpy as np
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    return bool(np.array_equal(nan_a, nan_b)) and a[~nan_a].tobytes() == b[~nan_b].tobytes()


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def describe(field: str, a: Any, b: Any) -> str:
    """A readable account of how two values of ``field`` differ."""
    if field == "pixels":
        return _describe_pixels(a, b) if a is not None and b is not None else f"{_shape(a)} != {_shape(b)}"
    if field in ("info", "get_info", "image_info") and isinstance(a, str) and isinstance(b, str):
        diff = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
        return "\n".join(list(diff)[2:40])
    if field == "tags" and isinstance(a, dict) and isinstance(b, dict):
        keys = list(dict.fromkeys([*a, *b]))
        rows = [f"{k}: {a.get(k, '<absent>')!r} != {b.get(k, '<absent>')!r}"
                for k in keys if not _equal(a.get(k), b.get(k))]
        return "\n".join(rows[:20]) + (f"\n… {len(rows) - 20} more" if len(rows) > 20 else "")
    return f"{a!r} != {b!r}"


def _shape(pixels: np.ndarray | None) -> str:
    """An array as its type and shape: a report never prints the values of a whole image."""
    return "None" if pixels is None else f"{pixels.dtype}{pixels.shape}"


def _describe_pixels(a: np.ndarray, b: np.ndarray) -> str:
    if a.dtype != b.dtype or a.shape != b.shape:
        return f"{a.dtype}{a.shape} != {b.dtype}{b.shape}"
    import numpy as np
    diff = np.argwhere(a != b)
    first = ", ".join(str(tuple(int(i) for i in idx)) for idx in diff[:3])
    delta = np.abs(a.astype(np.float64) - b.astype(np.float64)).max()
    return f"{len(diff)} of {a.size} values differ (first at (slice, y, x) {first}); max |difference| {delta:g}"


def differences(a: dict[str, Any], b: dict[str, Any], fields: tuple[str, ...] = FIELDS) -> dict[str, str]:
    """field -> description, for every field where the snapshots disagree."""
    return {f: describe(f, a.get(f), b.get(f)) for f in fields if not same(f, a.get(f), b.get(f))}


@dataclass(frozen=True)
class FileComparison:
    """What ``bridge compare`` reports for one file."""

    path: str
    differences: dict[str, str]
    #: why neither backend could open the file ("Class: reason"), None when at least one did
    unreadable: str | None = None

    @property
    def identical(self) -> bool:
        """Both backends opened the file and agree on every field compared."""
        return not self.differences and self.unreadable is None


def compare_path(path: str, fields: tuple[str, ...] = FIELDS,
                 backends_: tuple[str, str] = ("jvm", "pydicom"), reader: str = "imagej") -> FileComparison:
    """Compare the two backends' views of one file, and say whether either could read it at all.

    ``reader`` is the route: ``"imagej"`` (``IJ.openImage`` and the header
    calls, :data:`FIELDS`) or ``"bioformats"`` (``BF.openImagePlus``,
    :data:`BIOFORMATS_FIELDS`).
    """
    take = {"imagej": snapshot, "bioformats": bioformats_snapshot}[reader]
    first, second = (_safe_snapshot(take, name, path) for name in backends_)
    crashes = [f"{name}: {snap['crash']}" for name, snap in zip(backends_, (first, second)) if "crash" in snap]
    # a crashed snapshot has no fields: listing them all as different would bury the crash
    found = {"crash": "\n".join(crashes)} if crashes else differences(first, second, fields)
    unreadable = None
    if not first.get("opened") and not second.get("opened"):
        unreadable = first.get("reason") or second.get("reason") or "; ".join(crashes)
    return FileComparison(path, found, unreadable)


def compare_file(path: str, fields: tuple[str, ...] = FIELDS,
                 backends_: tuple[str, str] = ("jvm", "pydicom")) -> dict[str, str]:
    """The differences between the two backends' views of one file (empty when they agree)."""
    return compare_path(path, fields, backends_).differences


def _safe_snapshot(take: Any, backend_name: str, path: str) -> dict[str, Any]:
    try:
        return dict(take(backend_name, path))
    except Exception as exc:  # report, do not abort a comparison run
        return {"crash": f"{type(exc).__name__}: {exc}"}


def compare_text(ours: str, theirs: str) -> str:
    """Our header text against one saved from ImageJ: a unified diff, empty when they are the same."""
    return "\n".join(difflib.unified_diff(theirs.splitlines(), ours.splitlines(), "ImageJ (saved)",
                                          "bridge (pydicom)", lineterm=""))


def release_of_text(text: str) -> tuple[str, str]:
    """The ImageJ release to compare a saved header text with, and why.

    The text's tag names give its dictionary away (:func:`releases_naming`);
    of the releases they fit, the one emulated now is kept, else the newest.
    """
    candidates = releases_naming(text)
    current = emulation.emulated()
    fits = " or ".join(candidates)
    if versions.rules(current.version).family in candidates:
        return current.version, f"its tag names fit ImageJ {fits}; ImageJ {current.version} is emulated ({current.how})"
    return candidates[-1], f"its tag names fit ImageJ {fits}, not ImageJ {current.version} ({current.how})"
