"""``bridge.dataset(imp)``: the pydicom Dataset behind an opened image.

ImageJ keeps a DICOM header only as text (the ``Info`` property), flat and
with sequences spelt out line by line.  Scripts that need the structure --
nested sequences, typed values, the original transfer syntax -- get it here,
from pydicom, read from the image's source file at the moment they ask (the
open itself never pays for it) and without the pixel data.

The source is what ``getOriginalFileInfo()`` names: the file, the first
entry of a zip (read through :mod:`bridge.archive`, as the open did), or for
a folder stack the file of the current slice.  Images that were computed
rather than opened have no source: the answer is ``None``.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING

from . import archive, safety
from .errors import CorruptHeaderError, DicomReadError
from .model import ImagePlus

if TYPE_CHECKING:
    import pydicom

FORMAT_ZIP_ARCHIVE = 7


def dataset(imp: ImagePlus) -> pydicom.Dataset | None:
    """The header of the file ``imp`` was opened from, as a pydicom Dataset (no Pixel Data).

    Sequences are nested Datasets (``ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID``),
    ``ds.file_meta`` holds the meta header with the file's own transfer syntax.
    Raises a :class:`DicomReadError` naming the file if it is gone or unreadable.
    """
    path = source_path(imp)
    if path is None:
        return None
    if imp.file_info.get("fileFormat") == FORMAT_ZIP_ARCHIVE:
        with archive.first_dicom_entry(path) as (entry_file, entry_name):
            try:
                return read_header(entry_file)
            except DicomReadError as err:
                raise CorruptHeaderError(err.reason, path, entry=entry_name) from err
    return read_header(path)


def source_path(imp: ImagePlus) -> str | None:
    """The file behind ``imp`` (a zip for zip entries), or None for a computed image."""
    info = imp.file_info
    directory, name = info.get("directory") or "", info.get("fileName") or ""
    if not name and imp.labels:
        name = _slice_file(imp)          # a folder stack: the current slice's file
    if not name:
        return None
    return name if os.path.isabs(name) else os.path.join(directory, name)


def _slice_file(imp: ImagePlus) -> str:
    """FolderOpener labels each slice with its file name on the label's first line."""
    label = imp.labels[imp.current_slice - 1] if len(imp.labels) >= imp.current_slice else None
    return label.split("\n", 1)[0] if label else ""


def read_header(path: str) -> pydicom.Dataset:
    """pydicom's reading of ``path`` up to the pixel data; files without a preamble too (as ImageJ)."""
    import pydicom
    with safety.open_regular(path) as f, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pydicom.dcmread(f, stop_before_pixels=True, force=True)
        except Exception as exc:   # pydicom raises many kinds on damaged input
            raise CorruptHeaderError(f"pydicom cannot read the header: {exc}", path) from exc
