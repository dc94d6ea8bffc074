"""Backend choice and limits, from keywords and ``BRIDGE_*`` environment settings.

Settings are read when first needed, so a script can set ``os.environ``
before its first call, or call :func:`configure` explicitly.  Limits exist
so that a hostile file cannot make an open allocate or wait without bound;
raising one is always an explicit act.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from .core import versions

GiB = 1 << 30


@dataclass(frozen=True)
class Settings:
    backend: str | None = None           # "jvm", "pydicom" or None for auto
    ij_jar: str | None = None            # explicit ij.jar (else BRIDGE_IJ_JAR, Fiji, Debian)
    imagej: str | None = None            # the ImageJ version both backends emulate (None: the jar's, else newest)
    max_image_bytes: int = GiB           # refuse larger declared images before allocating
    max_download_bytes: int = GiB
    url_timeout: float = 60.0
    max_depth: int = 64                  # sequence nesting
    jvm_heap: str = "2g"                 # -Xmx of the one JVM
    decode: str = "imagej"               # "imagej": refuse compressed data as ImageJ; "all": decode it
    isolate: bool = False                # decode compressed data in a subprocess (a crash is a typed error)
    decode_timeout: float = 600.0        # seconds an isolated decode may take


def _flag(raw: str) -> bool:
    """An on/off environment setting: 1/true/yes/on or 0/false/no/off."""
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


#: setting -> (its environment variable, the conversion of the variable's text)
_ENV: dict[str, tuple[str, Callable[[str], Any]]] = {
    "backend": ("BRIDGE_BACKEND", str),
    "ij_jar": ("BRIDGE_IJ_JAR", str),
    "imagej": ("BRIDGE_IMAGEJ", str),
    "max_image_bytes": ("BRIDGE_MAX_IMAGE_BYTES", int),
    "max_download_bytes": ("BRIDGE_MAX_DOWNLOAD_BYTES", int),
    "url_timeout": ("BRIDGE_URL_TIMEOUT", float),
    "max_depth": ("BRIDGE_MAX_DEPTH", int),
    "jvm_heap": ("BRIDGE_JVM_HEAP", str),
    "decode": ("BRIDGE_DECODE", str),
    "isolate": ("BRIDGE_ISOLATE", _flag),
    "decode_timeout": ("BRIDGE_DECODE_TIMEOUT", float),
}
_DECODE_MODES = ("imagej", "all")


_overrides: dict[str, object] = {}
#: the last result and the inputs it came from: (overrides version, raw environment values, settings)
_cache: tuple[int, tuple[object, ...], Settings] | None = None
_version = 0


def _environment() -> tuple[object, ...]:
    """The raw values of the ``BRIDGE_*`` variables, as cheaply as they can be read.

    Every file a batch opens asks for the settings (a limit, the nesting
    depth), so this runs thousands of times a second.  ``os.environ.get``
    costs a Python-level mapping call and an encode per variable; CPython's
    ``os.environ`` keeps its encoded data in ``_data``, which ``os.environ``
    updates on every change, so reading that dict is both exact and ~20x
    cheaper.  Other Pythons fall back to the public mapping.
    """
    data = getattr(os.environ, "_data", None)
    if isinstance(data, dict) and _ENCODED_NAMES is not None:
        return tuple(map(data.get, _ENCODED_NAMES))
    return tuple(map(os.environ.get, _ENV_NAMES))


#: variables that are no settings but move the ij.jar found (``bridge.locate``), hence the ImageJ
#: version emulated: watched too, so that a change gives a new settings object
_JAR_SEARCH_NAMES = ("IJ_JAR", "FIJI_IJ_JAR", "FIJI_HOME")
_ENV_NAMES = tuple(name for name, _ in _ENV.values()) + _JAR_SEARCH_NAMES
try:
    _ENCODED_NAMES: tuple[object, ...] | None = tuple(
        os.environ.encodekey(name) for name in _ENV_NAMES)
except AttributeError:
    _ENCODED_NAMES = None


def settings() -> Settings:
    """The settings in force: keywords given to :func:`configure`, then the environment.

    Read anew whenever a ``BRIDGE_*`` variable or a keyword changed, so a
    script may set ``os.environ`` at any time; otherwise the last result.
    """
    global _cache
    raw = _environment()
    cached = _cache
    if cached is not None and cached[0] == _version and cached[1] == raw:
        return cached[2]
    result = _read()
    _cache = (_version, raw, result)
    return result


def _read() -> Settings:
    values: dict[str, Any] = {}
    for f in fields(Settings):
        env_name, convert = _ENV[f.name]
        raw = os.environ.get(env_name)
        if raw:
            try:
                values[f.name] = convert(raw)
            except ValueError as exc:
                kind = "flag (1/0, true/false)" if convert is _flag else convert.__name__
                raise ValueError(f"environment setting {env_name}={raw!r} is not a {kind}") from exc
    values.update(_overrides)
    result = replace(Settings(), **values)
    if result.imagej is not None:
        try:
            versions.rules(result.imagej)
        except versions.UnsupportedVersionError as exc:
            raise ValueError(f"imagej={result.imagej!r} (keyword imagej= or BRIDGE_IMAGEJ): {exc}") from exc
    if result.decode not in _DECODE_MODES:
        raise ValueError(f"decode={result.decode!r}: expected one of {', '.join(_DECODE_MODES)} "
                         "(keyword decode= or BRIDGE_DECODE)")
    return result


def given_by(name: str) -> str | None:
    """Where setting ``name`` comes from: ``"configure"``, its environment variable's name, or None (default)."""
    if name in _overrides:
        return "configure"
    env_name = _ENV[name][0]
    return env_name if os.environ.get(env_name) else None


def configure(**kwargs: object) -> Settings:
    """Set options for this process, e.g. ``configure(backend="pydicom", max_image_bytes=2**31)``.

    ``imagej="1.54p"`` chooses the ImageJ release both backends emulate
    (see :mod:`bridge.emulation`).  ``decode="all"`` opens compressed transfer syntaxes too (beyond ImageJ;
    see :mod:`bridge.decompress`), ``isolate=True`` decodes them in a subprocess.
    """
    known = {f.name for f in fields(Settings)}
    unknown = set(kwargs) - known
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    global _version
    saved = dict(_overrides)
    _version += 1
    _overrides.update({k: v for k, v in kwargs.items() if v is not None})
    for k, v in kwargs.items():
        if v is None:
            _overrides.pop(k, None)
    try:
        return settings()
    except ValueError:
        _overrides.clear()
        _overrides.update(saved)    # a rejected value leaves the settings as they were
        _version += 1
        raise
