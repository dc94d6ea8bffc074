"""Which ImageJ release both backends emulate, and where that choice came from.

In order: the ``imagej`` setting (``bridge.configure(imagej="1.54p")``,
``BRIDGE_IMAGEJ``, ``--imagej`` on the command line); else the version of
the ``ij.jar`` the jvm backend would run (``bridge doctor`` shows which jar
that is); else the newest release supported.  The pure backend follows the
rules of that release (:mod:`bridge.core.versions`); the jvm backend refuses
to run a jar of another release, so one process never speaks two dialects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from . import config, locate
from .core import ijjar, versions
from .errors import VersionError

@dataclass(frozen=True)
class Emulated:
    version: str      # e.g. "1.54p"
    how: str          # where it came from, for `bridge doctor` and `bridge compare`
    chosen: bool      # asked for explicitly (setting), rather than taken from a jar or the default


def emulated() -> Emulated:
    """The release emulated now; recomputed only when the settings object changes.

    ``config.settings()`` returns a new object whenever a keyword or any watched
    environment variable changed, the jar search variables included.
    Every file asks (dictionary, display range), so the common case is one identity test.
    """
    global _last
    settings = config.settings()
    last = _last
    if last is not None and last[0] is settings:
        return last[1]
    source = config.given_by("imagej") if settings.imagej is not None else None
    found = _resolve(settings, source)
    _last = (settings, found)
    return found


#: the last answer of :func:`emulated` and the settings object it was computed for
_last: tuple[config.Settings, Emulated] | None = None


def rules() -> versions.Rules:
    """The rules of the emulated release; a :class:`VersionError` if it has none here."""
    return _rules(emulated().version)


def full_version() -> str:
    """``IJ.getFullVersion()`` of the emulated release."""
    return rules().full_version


@lru_cache(maxsize=16)
def _rules(version: str) -> versions.Rules:
    try:
        return versions.rules(version)
    except versions.UnsupportedVersionError as exc:
        raise VersionError(f"{exc}; choose one with bridge.configure(imagej=...) or BRIDGE_IMAGEJ") from exc


def _resolve(settings: config.Settings, source: str | None) -> Emulated:
    if settings.imagej is not None:
        how = (f"imagej={settings.imagej} set by bridge.configure() or --imagej" if source == "configure"
               else f"${source}={settings.imagej}")
        return Emulated(settings.imagej, how, chosen=True)
    jar = locate.ij_jar()
    if jar.path is not None:
        version = jar_version(jar.path)
        if version is not None:
            return Emulated(version, f"the version of the jvm backend's ij.jar, {jar.path}, from {jar.how}",
                            chosen=False)
    return Emulated(versions.NEWEST, "the newest release supported (no readable ij.jar)", chosen=False)


def jar_version(path: str) -> str | None:
    """The release of an ``ij.jar``, or None when the file holds none."""
    stat = os.stat(path)
    return _jar_version(os.path.realpath(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _jar_version(path: str, mtime_ns: int, size: int) -> str | None:
    try:
        return ijjar.jar_version(path)
    except ijjar.JarError:
        return None
