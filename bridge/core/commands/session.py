"""ImageJ's per-process state that commands read and change, kept per thread here.

ImageJ has one Results table, one set of *Set Measurements...* choices and one
*Conversions...* setting per JVM; a Python process runs parallel batch jobs in
threads, so bridge keeps one of each per thread (as ``bridge.macro`` keeps the
current image).  Commands get the session explicitly; only ``current()`` knows
where it lives.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from ..measure import Settings
from ..results import ResultsTable

_local = threading.local()


@dataclass
class BinaryOptions:
    """*Process>Binary>Options...*: what Erode, Dilate, Open, Close-, Outline... and Convert to Mask read."""

    iterations: int = 1
    count: int = 1
    #: ``Prefs.blackBackground``: on in a fresh ImageJ 1.53t (its default options include it)
    black_background: bool = True
    pad_edges: bool = False
    edm_output: str = "Overwrite"


@dataclass
class Session:
    """What one ImageJ keeps between commands."""

    results: ResultsTable = field(default_factory=ResultsTable)
    measurements: Settings = field(default_factory=Settings)
    #: *Edit>Options>Conversions...* "Scale when converting" (ImageJ's default: on)
    scale_conversions: bool = True
    #: *Conversions...* "Weighted RGB conversions": ``ColorProcessor``'s red, green, blue factors
    rgb_weights: tuple[float, float, float] = (1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0)
    #: *Process>Binary>Options...*: ImageJ's defaults
    binary: BinaryOptions = field(default_factory=BinaryOptions)
    #: *Unsharp Mask...*'s sigma and mask weight, kept from one run to the next as ImageJ's static fields
    unsharp_sigma: float = 1.0
    unsharp_weight: float = 0.6
    #: *Edit>Options>Line Width...* (``Line.getWidth()``): new line selections wider than 1 are wide lines
    line_width: int = 1


def current() -> Session:
    """This thread's session, made fresh on first use."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = Session()
    return session


def reset() -> Session:
    """A fresh session for this thread (what a new ImageJ has), returned."""
    session = _local.session = Session()
    return session
