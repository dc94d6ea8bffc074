"""ImageJ's zip rule, made safe: the first entry of an archive, inflated to a private file.

``Opener.openZip`` looks only at the first entry and decodes it straight
from the zip stream.  Both backends follow that rule, but neither hands a
zip stream to a decoder: ImageJ's skip loop spins forever on a zip stream
that ends early, and a declared size is never to be trusted.  The entry is
inflated into a private temporary file (0600) under the image rule's byte
budget (:func:`bridge.core.limits.inflation_budget`: at most 64 times the
compressed bytes beyond 16 MiB, never past ``max_image_bytes``), and the
decoders read that file; it is deleted after.  An entry whose declared size
is past the budget is refused before anything is inflated.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from .core.limits import inflation_budget
from .errors import ArchiveError, LimitExceededError, NotDicomError

NOT_IN_ZIP = "This ZIP archive does not contain a TIFF or DICOM file, or ROIs:\n   {path}"
_CHUNK = 1 << 20
_NESTED = (".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar")


def first_entry_name(path: str) -> str:
    """The name of the entry ImageJ looks at (the first in the file), refusing what it cannot open."""
    with _open(path) as archive:
        return _first_entry(archive, path).filename


@contextlib.contextmanager
def first_dicom_entry(path: str) -> Iterator[tuple[str, str]]:
    """Yield ``(temporary file, entry name)`` for the archive's first entry, a ``.dcm`` one.

    Raises :class:`ArchiveError` (with ImageJ's message where ImageJ shows one)
    for an empty, unreadable, encrypted, nested or non-DICOM first entry, and
    :class:`LimitExceededError` when the entry inflates past the budget.
    """
    with _open(path) as archive:
        entry = _first_entry(archive, path)
        fd, temp_path = tempfile.mkstemp(prefix="bridge-zip-", suffix=".dcm")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as out:
                _inflate(archive, entry, out, path)
            yield temp_path, entry.filename
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp_path)


def _open(path: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        # ImageJ's ZipInputStream finds no entry and returns null silently.
        raise ArchiveError(f"not a readable zip archive ({exc})", path) from exc


def _first_entry(archive: zipfile.ZipFile, path: str) -> zipfile.ZipInfo:
    entries = sorted(archive.infolist(), key=lambda e: e.header_offset)
    if not entries:
        raise ArchiveError("the zip archive is empty", path)
    if _overlapping(entries):
        raise ArchiveError("zip entries overlap (a zip bomb's trick)", path)
    entry = entries[0]
    name = entry.filename
    if entry.flag_bits & 0x1:
        raise ArchiveError("the first zip entry is encrypted", path, entry=name,
                           imagej_message="java.util.zip.ZipException: encrypted ZIP entry not supported")
    if name.endswith(".roi"):
        raise ArchiveError("the zip holds ImageJ ROIs, not an image", path, entry=name)
    if name.endswith(".tif"):
        raise NotDicomError("the zip holds a TIFF; only DICOM is read from zips", path, entry=name)
    if name.lower().endswith(_NESTED):
        raise ArchiveError("the first zip entry is itself an archive", path, entry=name,
                           imagej_message=NOT_IN_ZIP.format(path=path))
    if not name.endswith(".dcm"):
        raise ArchiveError("the first zip entry is not a .dcm file", path, entry=name,
                           imagej_message=NOT_IN_ZIP.format(path=path))
    return entry


def _overlapping(entries: list[zipfile.ZipInfo]) -> bool:
    """Whether an entry's data reaches into the next entry (entries sorted by offset).

    Overlapping entries let a small archive inflate one compressed kernel many
    times.  The local header's own size is not counted, so the test never
    accuses a sound archive.
    """
    return any(a.header_offset + a.compress_size > b.header_offset for a, b in zip(entries, entries[1:]))


def _inflate(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, out: BinaryIO, path: str) -> None:
    """Copy the inflated entry to ``out``, counting bytes; a declared size is believed only when it refuses."""
    budget = inflation_budget(entry.compress_size)
    if entry.file_size > budget:
        raise _over_budget(entry, budget, path)
    written = 0
    try:
        with archive.open(entry) as src:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > budget:
                    raise _over_budget(entry, budget, path)
                out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error,
            OSError, RuntimeError) as exc:
        raise ArchiveError(f"cannot inflate the zip entry ({exc})", path, entry=entry.filename) from exc


def _over_budget(entry: zipfile.ZipInfo, budget: int, path: str) -> LimitExceededError:
    return LimitExceededError(f"zip entry of {entry.compress_size} compressed bytes inflates past {budget} bytes "
                              "(64 x its compressed size beyond 16 MiB, at most max_image_bytes)",
                              path, entry=entry.filename)
