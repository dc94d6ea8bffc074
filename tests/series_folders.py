"""Synthetic DICOM series folders for the series tests, written with pydicom from CT_small.dcm.

Each case is a list of :class:`Slice` specs; :func:`write_folder` turns one
into files.  The cases cover what ``FolderOpener``/``DicomTools.sort`` treat
specially: name order, Instance Number ties and overflow, mixed series,
missing tags, unreadable or odd-sized files, windows, mixed bit depths.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pydicom
from pydicom.data import get_testdata_file

KEEP = object()   # leave the tag as CT_small has it


@dataclass
class Slice:
    name: str
    instance: object = KEEP            # Instance Number value, None to delete the tag
    z: float | str | None = 0.0        # Image Position z (None: delete the tag; text: the whole value)
    series: object = KEEP              # Series Number, None to delete
    offset: int = 0                    # added to every pixel, so slices differ
    window: tuple[str, str] | None = None   # (center, width) text
    spacing: str | None = None         # Pixel Spacing text
    size: int | None = None            # square size other than 128 (a "wrong size" file)
    bits: int = 16                     # 8, 16 (signed, as CT_small) or 32 (unsigned)
    orientation: str | None = None     # Image Orientation (Patient) text
    raw: bytes | None = None           # write these bytes instead of a DICOM file
    keep: float | None = None          # keep only this fraction of the pixel data (a truncated file)


@lru_cache(maxsize=1)
def _base() -> pydicom.Dataset:
    return pydicom.dcmread(get_testdata_file("CT_small.dcm"))


def write_slice(spec: Slice, path: Path) -> None:
    """Write one slice described by ``spec`` to ``path``."""
    if spec.raw is not None:
        path.write_bytes(spec.raw)
        return
    ds = copy.deepcopy(_base())
    _set(ds, "InstanceNumber", spec.instance)
    _set(ds, "SeriesNumber", spec.series)
    if spec.z is None:
        del ds.ImagePositionPatient
    elif isinstance(spec.z, str):
        ds.ImagePositionPatient = spec.z.split("\\")
    else:
        ds.ImagePositionPatient = [-158.135803, -179.035797, spec.z]
    if spec.orientation is not None:
        ds.ImageOrientationPatient = spec.orientation.split("\\")
    if spec.window is not None:
        ds.WindowCenter, ds.WindowWidth = spec.window
    if spec.spacing is not None:
        ds.PixelSpacing = spec.spacing.split("\\")
    pixels = ds.pixel_array.astype(np.int64) + spec.offset
    if spec.size is not None:
        pixels = pixels[:spec.size, :spec.size]
    ds.Rows, ds.Columns = pixels.shape
    if spec.bits == 8:
        ds.BitsAllocated = ds.BitsStored = 8
        ds.HighBit, ds.PixelRepresentation = 7, 0
        ds.PixelData = (pixels % 256).astype(np.uint8).tobytes()
    elif spec.bits == 32:
        ds.BitsAllocated = ds.BitsStored = 32
        ds.HighBit, ds.PixelRepresentation = 31, 0
        ds.PixelData = (pixels * 3 + 40000).astype("<u4").tobytes()
    else:
        ds.PixelData = pixels.astype("<i2").tobytes()
    ds.save_as(path)
    if spec.keep is not None:
        data = path.read_bytes()
        path.write_bytes(data[:len(data) - int(len(ds.PixelData) * (1 - spec.keep))])


def _set(ds: pydicom.Dataset, keyword: str, value: object) -> None:
    if value is KEEP:
        return
    if value is None:
        delattr(ds, keyword)
    else:
        setattr(ds, keyword, value)


def write_folder(root: Path, name: str, slices: list[Slice]) -> str:
    folder = root / name
    folder.mkdir(parents=True)
    for spec in slices:
        write_slice(spec, folder / spec.name)
    return os.fspath(folder)


def _stack(names: list[str], instances: list[object], **kw: object) -> list[Slice]:
    return [Slice(n, instance=i, z=-75.7 + 2.5 * k, offset=7 * k, **kw)  # type: ignore[arg-type]
            for k, (n, i) in enumerate(zip(names, instances))]


def _cases() -> dict[str, list[Slice]]:
    compressed = Path(get_testdata_file("JPEG2000.dcm")).read_bytes()
    multiframe = Path(get_testdata_file("rtdose.dcm")).read_bytes()
    return {
        "out_of_order": [Slice("s3.dcm", 1, z=10.0, offset=30, window=("40", "400")),
                         Slice("s1.dcm", 3, z=2.5, offset=10, window=("1050", "300")),
                         Slice("s2.dcm", 2, z=5.0, offset=20, window=("-600\\40", "1500\\400"))],
        "numeric_names": _stack(["b10", "b9", "b1", "b2", "b100"], [1, 2, 3, 4, 5]),
        "ties": _stack(["a1", "a2", "a3", "a4", "a5"], [2, 1, 2, 1, 1]),
        "negative_and_large": _stack(["n1", "n2", "n3", "n4", "n5"], [-1, 10, 2, 100000, -20]),
        "mixed_series": [Slice(f"m{k}", instance=3 - k, series=1 + k % 2, z=k * 1.0) for k in range(3)],
        "missing_instance": [Slice("x1", 2, z=0.0), Slice("x2", None, z=3.0), Slice("x3", 1, z=6.0)],
        "odd_files": [Slice("c1.dcm", 2, z=0.0), Slice("c2.dcm", 1, z=4.0),
                      Slice("c3.dcm", 3, size=64), Slice("notes", raw=b"plain text, not an image\n"),
                      Slice("c4.dcm", raw=compressed), Slice("c5.txt", raw=b"left out by name\n")],
        "single": [Slice("only.dcm", 5, z=12.0)],
        "spacing_differs": [Slice("p1", 1, z=0.0, spacing="0.5\\0.5"), Slice("p2", 2, z=3.0, spacing="0.7\\0.7")],
        "spacing_differs_flat": [Slice("q1", 1, z=0.0, spacing="0.5\\0.5"),
                                 Slice("q2", 2, z=0.0, spacing="0.7\\0.7")],
        "no_position": [Slice("r1", 1, z=None), Slice("r2", 2, z=None)],
        "position_not_three": [Slice("t1", 1, z="1\\2"), Slice("t2", 2, z="1\\5")],
        "mixed_depth_16_32": [Slice("d1", 1, z=0.0), Slice("d2", 2, z=1.0, bits=32), Slice("d3", 3, z=2.0)],
        "mixed_depth_16_8": [Slice("e1", 1, z=0.0), Slice("e2", 2, z=1.0, bits=8)],
        "multiframe": [Slice("dose2", raw=multiframe), Slice("dose1", raw=multiframe)],
        "in_name_order": _stack(["i1", "i2", "i3", "i4"], [1, 2, 3, 4]),
        # Enough pixels to open: the rest zero-filled, ImageJ's end-of-file buffer converted.
        "truncated_kept": [Slice("k1", 3, z=0.0), Slice("k2", 2, z=1.0, offset=7, keep=0.6),
                           Slice("k3", 1, z=2.0, offset=14)],
        "wrong_size_between": [Slice("w1", 4, z=0.0), Slice("w2", 3, z=1.0, size=64),
                               Slice("w3", 2, z=2.0, offset=7), Slice("w4", 1, z=3.0, offset=14)],
        "tilted": [Slice(f"g{k}", instance=k + 1, z=float(4 - k), orientation="1\\0\\0\\0\\0.8\\0.6")
                   for k in range(4)],
    }


CASES = _cases()

#: Folders FolderOpener fails on: a header decodes but too few pixels follow (ImageJ wants a
#: quarter), and DICOM.open's NullPointerException escapes FolderOpener.
FAILING_CASES = {
    "truncated_fails": [Slice("u1", 4, z=0.0), Slice("u2", 3, z=1.0, keep=0.1),
                          Slice("u3", 2, z=2.0, offset=7), Slice("u4", 1, z=3.0, offset=14)],
}


def pydicom_series_folders() -> list[str]:
    """The dicomdirtests series folders of the installed pydicom (uncompressed, one file per slice)."""
    root = Path(get_testdata_file("CT_small.dcm")).parent / "dicomdirtests" / "98892003"
    return sorted(os.fspath(p) for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
