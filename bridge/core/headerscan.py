"""Header rows for a batch of paths, with ImageJ's routing: the part of a scan both backends share.

A backend supplies only a reader of ``getTag`` values (or of whole header texts,
:func:`tags_from_headers`); :func:`header_rows` decides what each path is as
``IJ.openImage`` would (a zip gives its first entry, anything not a regular file
is refused before a reader sees it) and turns each result into a row
``{"path", <each tag>, "error"}``.  :mod:`bridge.scan` spreads the chunks over
processes or a cluster.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from typing import Any

from .. import archive
from ..errors import DicomReadError
from .decoder import decode
from .opener import base_name, file_type, refusal
from .tags import get_tag

Row = dict[str, Any]

#: what a backend's tag reader gives for one file: ``(values by tag id, whether the header text
#: is non-empty)``, or the exception its header raised
TagResult = tuple[dict[str, str | None], bool] | BaseException


def header_rows(paths: Sequence[str], tags: Sequence[str],
                read_tags: Callable[[list[str], list[str]], list[TagResult]]) -> list[Row]:
    """Scan rows for ``paths`` on a backend whose ``read_tags`` gives ``getTag`` values of files' headers.

    ImageJ's routing decides what each path is: a zip contributes its first
    entry's header (inflated safely), anything not a regular file is refused
    before a reader sees it.  A file with no header text gets the reason
    from our own decoder, so both backends name the same cause.
    """
    rows: dict[int, Row] = {}
    plain: list[tuple[int, str]] = []
    for index, path in enumerate(paths):
        try:
            kind = _route(path)
            if kind in ("missing", "not-regular"):
                raise refusal(path, kind)
            if kind == "zip":
                with archive.first_dicom_entry(path) as (entry_file, entry):
                    row = _row(path, entry_file, read_tags([entry_file], list(tags))[0], tags)
                    if row["error"]:    # name the zip and its entry, not our temporary file
                        row["error"] = row["error"].replace(entry_file, f"{path} (entry {entry!r})")
                    rows[index] = row
            else:
                plain.append((index, path))
        except DicomReadError as err:
            rows[index] = _row(path, path, err, tags)
    results = read_tags([path for _, path in plain], list(tags)) if plain else []
    for (index, path), result in zip(plain, results):
        rows[index] = _row(path, path, result, tags)
    return [rows[i] for i in range(len(paths))]


def _route(path: str) -> str:
    """``opener.file_type`` where it matters to a scan: only a name ending in ``.zip`` needs the sniff.

    Every other regular file goes to the header reader whatever its first
    bytes say, so a scan does not open each file twice.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "missing"
    if not stat.S_ISREG(mode):
        return "not-regular"
    return file_type(path) if base_name(path).lower().endswith(".zip") else "plain"


def tags_from_headers(read_headers: Callable[[list[str]], list[str | BaseException]]
                      ) -> Callable[[list[str], list[str]], list[TagResult]]:
    """A tag reader from a reader of whole header texts (``getInfo``), with ImageJ's ``getTag``."""

    def read_tags(paths: list[str], tags: list[str]) -> list[TagResult]:
        return [h if isinstance(h, BaseException) else ({t: get_tag(h, t) for t in tags}, bool(h))
                for h in read_headers(paths)]
    return read_tags


def _row(path: str, local: str, result: TagResult, tags: Sequence[str]) -> Row:
    row: Row = {"path": path}
    if isinstance(result, BaseException):
        row.update(dict.fromkeys(tags))
        row["error"] = error_text(result)
        return row
    values, has_text = result
    for tag in tags:
        row[tag] = values[tag]
    row["error"] = None if has_text else why_unreadable(local)
    return row


def why_unreadable(path: str) -> str:
    """``Class: message`` for a file whose header gave no text, from our own decoder."""
    try:
        decoded = decode(path)
    except DicomReadError as err:
        return error_text(err)
    if decoded.error is not None:
        return error_text(decoded.error)
    return "NotDicomError: no DICOM header could be read"


def error_text(err: BaseException) -> str:
    """``Class: message`` as a row shows an error."""
    return f"{type(err).__name__}: {err}"
