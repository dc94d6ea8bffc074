"""bridge: ImageJ's DICOM scripting, in Python.

The names are ImageJ's, so a ported script reads the same::

    from bridge import IJ, DicomTools
    imp = IJ.openImage("ct.dcm")
    print("Study Description: " + DicomTools.getTag(imp, "0008,1030"))

Two backends give the same answers: "jvm" runs the real ImageJ 1.x in an
in-process JVM; "pydicom" reproduces it in pure Python.

The public names are imported on first use (PEP 562), not with the package:
``bridge run macro.ijm`` needs only the JVM, and numpy with the image model
would double the start-up of a one-line macro (``benchmarks/bench_run.py``).
``from bridge import IJ`` and ``bridge.IJ`` work as ever.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from .errors import *  # noqa: F401,F403  (the hierarchy is public; it imports nothing)
from .errors import __all__ as _error_names

__version__ = "0.1.0"

#: Public name -> the module (under ``bridge``) that defines it.
_HOMES = {
    "get_backend": "backends", "set_backend": "backends",
    "BF": "bioformats", "ImporterOptions": "bioformats",
    "configure": "config",
    "DICOM": "facade", "IJ": "facade", "DicomTools": "facade", "array": "facade",
    "calibrated_array": "facade", "open": "facade",
    "ResultsTable": "core.results",
    "Line": "core.roi", "OvalRoi": "core.roi", "PointRoi": "core.roi", "PolygonRoi": "core.roi", "Roi": "core.roi",
    "ImageStatistics": "core.statistics", "RoiManager": "core.roimanager", "ProfilePlot": "core.profile",
    "Calibration": "model", "ImagePlus": "model", "ImageProcessor": "model", "ImageStack": "model",
    "FolderOpener": "series", "open_series": "series",
    "dataset": "dataset", "save_dicom": "save", "scan": "scan",
    "run_macro": "scripting", "run_script": "scripting",
}

#: Functions named like their own module: ``bridge.scan`` is the function, even after ``import bridge.scan``.
_SAME_NAME = frozenset(name for name, home in _HOMES.items() if name == home)

__all__ = [
    "IJ", "BF", "ImporterOptions", "DicomTools", "DICOM", "FolderOpener", "open", "open_series", "array", "calibrated_array",
    "set_backend", "get_backend", "configure", "scan", "run_script", "run_macro", "dataset", "save_dicom",
    "ImagePlus", "ImageStack", "ImageProcessor", "Calibration",
    "Roi", "OvalRoi", "PolygonRoi", "Line", "PointRoi", "ImageStatistics", "ResultsTable", "RoiManager", "ProfilePlot",
    *_error_names,
]


def __getattr__(name: str) -> Any:
    """Import the module a public name lives in, the first time the name is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'bridge' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    setattr(sys.modules[__name__], name, value)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


class _Package(types.ModuleType):
    """The package module; importing ``bridge.scan`` (the module) leaves ``bridge.scan`` the function.

    Python binds a submodule to its package's attribute after importing it; for the
    modules in :data:`_SAME_NAME` the attribute keeps the function the module defines.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SAME_NAME and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
