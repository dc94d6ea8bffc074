"""The optional C accelerators (the header walk, ``_walker.c``; the median filter, ``_rank.c``), and whether they are in use.

The pure-Python walk (:meth:`walker.Walk.records` consumed by
:meth:`header.HeaderText.consume`) is the reference.  Where ``pip install``
found a C compiler it also built ``bridge.core._walker``: the same loop in C,
reading the same :class:`~walker.Plan` objects and calling the same Python
functions for every decision, so both paths share one set of ImageJ's rules.
It is used unless it is missing or ``BRIDGE_PURE_PYTHON=1`` (or
``bridge.configure(pure_python=True)``) asks for the Python path;
``bridge doctor`` says which path runs.

The median filter's accelerator (``_rank.c``) is ImageJ's median loop in C;
:mod:`.rankfilters` is its reference, used where it is missing or switched
off the same way.
"""

from __future__ import annotations

from types import ModuleType

from .. import config
from ..errors import DicomReadError
from . import header, walker

__all__ = ["BUILT", "RANK_BUILT", "RANK_WHY_NOT", "WHY_NOT", "active", "median_path_in_use", "path_in_use",
           "rank_module", "walk_header"]


def _load() -> tuple[ModuleType | None, str]:
    try:
        from . import _walker               # type: ignore[attr-defined]
    except ImportError as exc:              # no compiler at install time, or a foreign build
        return None, f"not built ({exc})"
    try:
        _walker.bind(walker.Plan, walker.decide_long, header.plan_line, header._by_vr_line, header.special_line,
                     DicomReadError, walker.BIG_ENDIAN_UID)
    except (TypeError, AttributeError) as exc:      # a build older than these sources: rebuild it
        return None, f"built from other sources and unusable ({exc}); rebuild it: pip install -e ."
    return _walker, ""


_module, WHY_NOT = _load()
#: whether the C accelerator was built and loaded
BUILT = _module is not None


def _load_rank() -> tuple[ModuleType | None, str]:
    try:
        from . import _rank                 # type: ignore[attr-defined]
    except ImportError as exc:
        return None, f"not built ({exc})"
    return _rank, ""


_rank_module, RANK_WHY_NOT = _load_rank()
#: whether the median filter's C accelerator was built and loaded
RANK_BUILT = _rank_module is not None


def rank_module() -> ModuleType | None:
    """The median filter's C module when it is built and not switched off by ``pure_python``, else None."""
    return _rank_module if RANK_BUILT and not config.settings().pure_python else None


def median_path_in_use() -> str:
    """One line for ``bridge doctor``: which median filter runs, and why."""
    if not RANK_BUILT:
        return f"numpy (the C accelerator is {RANK_WHY_NOT})"
    if config.settings().pure_python:
        return "numpy (BRIDGE_PURE_PYTHON / pure_python=True; the C accelerator is built)"
    return "C accelerator (bridge.core._rank)"


def active() -> bool:
    """Whether header walks run in C now (built, and not switched off by ``pure_python``)."""
    return BUILT and not config.settings().pure_python


def path_in_use() -> str:
    """One line for ``bridge doctor``: which header walk runs, and why."""
    if not BUILT:
        return f"pure Python (the C accelerator is {WHY_NOT})"
    if config.settings().pure_python:
        return "pure Python (BRIDGE_PURE_PYTHON / pure_python=True; the C accelerator is built)"
    return "C accelerator (bridge.core._walker)"


def walk_header(walk: walker.Walk, picked: list[walker.Record] | None) -> tuple[bytes, DicomReadError | None]:
    """The whole walk in C: the header text, cleaned but not yet decoded, and ImageJ's failure if any.

    ``picked`` receives the records the decoder interprets, as with
    :meth:`header.HeaderText.consume`.  Only call when :func:`active`.
    """
    assert _module is not None
    text, error = _module.walk_header(walk, walker.plan_tables(walk.dictionary), picked, walker.generation)
    return text, error
