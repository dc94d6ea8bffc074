"""``bridge doctor``: what each backend needs, what was found, and how to fix what is missing."""

from __future__ import annotations

import platform
import sys
import time
from importlib import metadata

from . import backends
from .backends.jvm import locate


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def report() -> tuple[str, bool]:
    """The doctor's text and whether every backend is usable."""
    lines = [f"Python     {platform.python_version()} ({sys.executable})",
             f"numpy      {_version('numpy')}",
             f"pydicom    {_version('pydicom')}",
             f"JPype1     {_version('JPype1')}"]
    for label, found in (("JVM", locate.jvm_library()), ("ij.jar", locate.ij_jar()),
                         ("Rhino", locate.rhino_jar()), ("companion", locate.companion_jar()),
                         ("BioFormats", locate.bioformats_jar())):
        lines.append(f"{label:<10} {found.path or 'MISSING'}  [{found.how}]")
    if locate.bioformats_jar().path is None:
        lines[-1] += "  (optional: BF.openImagePlus on the jvm backend)"
    ok = True
    for name in backends.NAMES:
        problems = backends.load(name).missing()
        if problems:
            ok = False
            lines.append(f"backend {name}: NOT AVAILABLE")
            lines.extend(f"  - {p}" for p in problems)
            continue
        started = time.perf_counter()
        try:
            version = backends.load(name).full_version()
        except Exception as exc:  # doctor reports, it does not fail
            lines.append(f"backend {name}: broken ({exc})")
            ok = False
            continue
        elapsed = time.perf_counter() - started
        extra = f", JVM start {elapsed:.2f} s" if name == "jvm" else ""
        lines.append(f"backend {name}: ok, emulates ImageJ {version}{extra}")
    lines.append(f"default backend: {backends.get_backend()}")
    return "\n".join(lines), ok
