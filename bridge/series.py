"""A folder of DICOM slices as one stack: ImageJ's ``FolderOpener.open(dir)`` and a Pythonic twin.

``open_series(folder)`` gives what ImageJ 1.53t's *File > Import > Image
Sequence* gives (numeric name order, then ``DicomTools.sort`` by Instance
Number, voxel depth from Image Position, slice labels ``name\\nheader``);
``FolderOpener.open(folder)`` is the same under ImageJ's name, returning
None where ImageJ returns null.

Two opt-ins ImageJ does not have:

* ``virtual=True`` - a :class:`LazyStack` as ``data``: a slice is read (from
  the file, or from the JVM) only when indexed, so a long series never sits
  in Python memory at once.  Everything else about the image is the same.
* ``sort="geometric"`` - order the slices by their position along the slice
  normal (Image Position . (row x column direction), as ITK does) instead of
  by Instance Number, and take the voxel depth from that distance.  Not
  ImageJ's result; for pipelines that need a geometrically consistent volume.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .backends import current_backend
from .errors import ConfigError, CorruptHeaderError, DicomReadError
from .model import ImagePlus

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


class LazyStack:
    """A read-only (slices, rows, cols) array that reads a slice only when it is indexed.

    It stands in for the numpy array in ``ImagePlus.data``: ``data[n]``,
    ``shape``, ``dtype`` and ``len`` behave as on an array and touch one
    slice at most; anything else (``np.asarray(data)``, ``data.copy()``,
    slicing with ranges) reads the whole stack into a new array.  The last
    slice read is kept, so repeated pixel queries on one slice read it once.
    """

    ndim = 3

    def __init__(self, shape: tuple[int, int, int], dtype: Any, read_slice: Callable[[int], np.ndarray]) -> None:
        slices, height, width = shape
        self.shape = (int(slices), int(height), int(width))
        self.dtype: np.dtype[Any] = np.dtype(dtype)
        self._read = read_slice
        self._cached: tuple[int, np.ndarray] | None = None

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1] * self.shape[2]

    @property
    def nbytes(self) -> int:
        return self.size * self.dtype.itemsize

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: Any) -> Any:     # a slice's array; else what numpy gives (maybe a scalar)
        if isinstance(key, (int, np.integer)):
            return self._slice(int(key))
        return np.asarray(self)[key]

    def _slice(self, n: int) -> np.ndarray:
        if n < 0:
            n += self.shape[0]
        if not 0 <= n < self.shape[0]:
            raise IndexError(f"slice index {n} out of range for {self.shape[0]} slices")
        if self._cached is None or self._cached[0] != n:
            pixels = np.asarray(self._read(n), dtype=self.dtype).reshape(self.shape[1:])
            pixels.flags.writeable = False
            self._cached = (n, pixels)
        return self._cached[1]

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        out = np.empty(self.shape, dtype=self.dtype)
        for n in range(self.shape[0]):
            out[n] = self._read(n).reshape(self.shape[1:])
        return out if dtype is None else out.astype(dtype)

    def copy(self) -> np.ndarray:
        return np.asarray(self)

    def tobytes(self) -> bytes:
        return np.asarray(self).tobytes()

    def reordered(self, order: Sequence[int]) -> LazyStack:
        """The same slices in another order: slice n of the result is slice ``order[n]`` of this one."""
        order = list(order)
        return LazyStack(self.shape, self.dtype, lambda n: self._read(order[n]))

    def __repr__(self) -> str:
        return f"LazyStack(shape={self.shape}, dtype={self.dtype})"


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
    from .backends.pure.tags import get_tag
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
    from .backends.pure.series import permute_in_place
    order, spacing = geometric_order(imp.labels)
    if isinstance(imp.data, LazyStack):
        imp.data = imp.data.reordered(order)
    else:
        permute_in_place(imp.data, order)
    imp.labels = [imp.labels[i] for i in order]
    if spacing > 0:
        imp.calibration.pixelDepth = spacing
