"""Backend registry: pick one by name, or the best usable one.

Backends are imported lazily so that ``import bridge`` costs neither a JVM
nor numpy-heavy imports the call does not need.
"""

from __future__ import annotations

import importlib

from .. import config
from ..errors import BackendUnavailableError, ConfigError
from .base import Backend

#: user-facing name (``config.BACKENDS``) -> module that defines ``BACKEND``
_MODULES = {"jvm": "bridge.backends.jvm", "pydicom": "bridge.backends.pure"}
NAMES = config.BACKENDS

_chosen: str | None = None


def load(name: str) -> Backend:
    """The backend object for ``name`` (imports its module, starts nothing).

    An unknown name is a :class:`~bridge.errors.ConfigError` listing the known ones.
    """
    if name not in _MODULES:
        raise ConfigError("backend", name, "one of " + ", ".join(repr(n) for n in NAMES))
    backend: Backend = importlib.import_module(_MODULES[name]).BACKEND
    return backend


def get(name: str) -> Backend:
    """The backend ``name``, raising :class:`BackendUnavailableError` if it cannot run here."""
    backend = load(name)
    missing = backend.missing()
    if missing:
        raise BackendUnavailableError(name, missing)
    return backend


def set_backend(name: str | None) -> None:
    """Choose the backend for this process (``None``: back to the default rule)."""
    global _chosen
    if name is not None:
        load(name)
    _chosen = name


def get_backend() -> str:
    """The name of the backend calls go to now.

    An explicit :func:`set_backend`, else ``BRIDGE_BACKEND``, else "jvm" when
    it is usable here, else "pydicom".
    """
    name = _chosen or config.settings().backend
    if name:
        load(name)
        return name
    return "jvm" if not load("jvm").missing() else "pydicom"


def current_backend() -> Backend:
    return get(get_backend())

