"""A folder of DICOM slices as one stack: ImageJ's ``FolderOpener.open(dir)`` and a Pythonic twin.

``open_series(folder)`` gives what ImageJ 1.53t's *File > Import > Image
Sequence* gives (numeric name order, then ``DicomTools.sort`` by Instance
Number, voxel depth from Image Position, slice labels ``name\\nheader``);
``FolderOpener.open(folder)`` is the same under ImageJ's name, returning
None where ImageJ returns null.

Two opt-ins ImageJ does not have:

* ``virtual=True`` - a :class:`bridge.model.LazyStack` as ``data``: a slice is read (from
  the file, or from the JVM) only when indexed, so a long series never sits
  in Python memory at once.  Everything else about the image is the same.
* ``sort="geometric"`` - order the slices by their position along the slice
  normal (Image Position . (row x column direction), as ITK does) instead of
  by Instance Number, and take the voxel depth from that distance.  Not
  ImageJ's result; for pipelines that need a geometrically consistent volume.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from .backends import current_backend
from .errors import ConfigError, CorruptHeaderError, DicomReadError
from .core.series import permute_in_place
from .core.tags import get_tag
from .model import ImagePlus, LazyStack

SORTS = ("imagej", "geometric")


def open_series(folder: str | os.PathLike[str], *, virtual: bool = False, sort: str = "imagej") -> ImagePlus:
    """The folder's images as one stack, as ImageJ's ``FolderOpener.open`` builds it.

    Raises a :class:`~bridge.errors.DicomReadError` subclass naming the
    folder where ImageJ returns null (no such folder, no file that opens).
    """
    if sort not in SORTS:
        raise ConfigError("sort", sort, "one of " + ", ".join(repr(name) for name in SORTS))
    return current_backend().open_series(os.fspath(folder), virtual=virtual, sort=sort)


class FolderOpener:
    """``ij.plugin.FolderOpener``: ``FolderOpener.open(path)`` returns the stack or None."""

    @staticmethod
    def open(path: str | os.PathLike[str]) -> ImagePlus | None:  # noqa: A003 - ImageJ's name
        try:
            return open_series(path)
        except DicomReadError:
            return None


def geometric_order(labels: Sequence[str | None]) -> tuple[list[int], float]:
    """Slice order by distance along the slice normal, and the mean spacing of that distance.

    The normal is the cross product of the first slice's row and column
    directions (Image Orientation (Patient), 0020,0037); each slice's
    distance is its Image Position (Patient) (0020,0032) projected on it.
    Equal distances keep the given order.  Raises :class:`CorruptHeaderError`
    naming the slice when one lacks either tag.
    """
    first = _vector(labels[0], "0020,0037", 6) if labels else None
    if first is None:
        raise CorruptHeaderError("no Image Orientation (Patient) (0020,0037) to sort by",
                                 _slice_name(labels[0] if labels else None))
    normal = np.cross(first[:3], first[3:])
    distances = []
    for label in labels:
        position = _vector(label, "0020,0032", 3)
        if position is None:
            raise CorruptHeaderError("no Image Position (Patient) (0020,0032) to sort by", _slice_name(label))
        distances.append(float(np.dot(position, normal)))
    order = sorted(range(len(labels)), key=distances.__getitem__)
    spacing = (distances[order[-1]] - distances[order[0]]) / (len(labels) - 1) if len(labels) > 1 else float("nan")
    return order, spacing


def _vector(label: str | None, tag: str, size: int) -> np.ndarray | None:
    value = get_tag(label, tag)
    if value is None:
        return None
    try:
        numbers = [float(v) for v in value.strip().split("\\")]
    except ValueError:
        return None
    return np.array(numbers) if len(numbers) == size else None


def _slice_name(label: str | None) -> str | None:
    return None if label is None else label.split("\n", 1)[0]


def sort_geometrically(imp: ImagePlus) -> None:
    """Reorder a snapshot's slices in place by :func:`geometric_order` (pixels, labels, voxel depth)."""
    order, spacing = geometric_order(imp.labels)
    if isinstance(imp.data, LazyStack):
        imp.data = imp.data.reordered(order)
    else:
        permute_in_place(imp.data, order)
    imp.labels = [imp.labels[i] for i in order]
    if spacing > 0:
        imp.calibration.pixelDepth = spacing
