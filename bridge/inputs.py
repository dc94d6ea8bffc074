"""Which files a batch command visits: the files named, and every file below the folders named.

Zip archives are visited as files, because ImageJ opens a ``.zip`` itself
(its first entry).  Hidden files and folders are skipped; the order is
stable (sorted) so reports and CSV rows line up between runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    for path in (os.fspath(p) for p in paths):
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(folder, name)
        else:
            yield path  # missing or special files too: the opener reports them
