"""A door to the live Java objects of the jvm backend, for what the facade does not cover.

    >>> from bridge.jvm import jimport
    >>> IJ = jimport("ij.IJ")                            # doctest: +SKIP
    >>> IJ.run(imp.java, "Median...", "radius=2")        # doctest: +SKIP

:func:`jimport` is scyjava's name for the same thing (``jimport("ij.IJ")``), so a
pyimagej user finds it where they expect.  :func:`install_import_hooks` lets
``from ij import IJ`` and ``from java.io import File`` work, as in a Fiji Jython
script.  Both start the JVM (with bridge's display, see
:mod:`bridge.backends.jvm.display`) on first use.
"""

from __future__ import annotations

import functools
import importlib
import sys
from typing import Any

from .backends.jvm import runtime

__all__ = ["jimport", "install_import_hooks", "JAVA_PACKAGES"]

JAVA_PACKAGES = ("java", "javax", "ij")
"""Top-level Java packages importable by name once the hooks are in (``ij`` is ImageJ 1.x)."""


def jimport(name: str) -> Any:
    """The Java class ``name`` (e.g. ``"ij.plugin.FolderOpener"``); raises ``TypeError`` if none."""
    return runtime.jclass(name)


@functools.cache
def _python_string_concatenation() -> None:
    """Let ``"text" + java_string`` work, as it does in Jython.

    The JVM hands Java strings back unconverted (``convertStrings=False``: faster, and
    ImageJ's ``null`` stays distinct from ``""``).  ``java_string + "text"`` already
    works; this adds the reflected ``+`` that ported scripts use everywhere.
    """
    from jpype import JImplementationFor

    @JImplementationFor("java.lang.String")
    class _ConcatenatesWithPythonStrings:
        def __radd__(self, other: str) -> str:
            return other + str(self)


def install_import_hooks() -> None:
    """Make ``import java.*``, ``javax.*`` and ``ij.*`` import Java packages (JPype's import hooks).

    JPype's finder comes after Python's own, so a folder named ``java`` on ``sys.path``
    (this repository has one; so do many Java projects) would shadow the Java package.
    The top-level packages are therefore bound to JPype's while nothing else is on the
    path; the submodules then come from JPype.
    """
    runtime.start()
    import jpype.imports
    _python_string_concatenation()
    for package in JAVA_PACKAGES:
        if package != "java" and package != "javax":
            jpype.imports.registerDomain(package)
        module = sys.modules.get(package)
        if module is not None and isinstance(module, jpype.JPackage):
            continue
        sys.modules.pop(package, None)
        saved = list(sys.path)
        sys.path[:] = []
        try:
            importlib.import_module(package)
        finally:
            sys.path[:] = saved
