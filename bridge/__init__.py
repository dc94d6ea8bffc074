"""bridge: ImageJ's DICOM scripting, in Python.

The names are ImageJ's, so a ported script reads the same::

    from bridge import IJ, DicomTools
    imp = IJ.openImage("ct.dcm")
    print("Study Description: " + DicomTools.getTag(imp, "0008,1030"))

Two backends give the same answers: "jvm" runs the real ImageJ 1.x in an
in-process JVM; "pydicom" reproduces it in pure Python.
"""

from __future__ import annotations

from .backends import get_backend, set_backend
from .bioformats import BF, ImporterOptions
from .config import configure
from .errors import *  # noqa: F401,F403  (the hierarchy is public)
from .errors import __all__ as _error_names
from .facade import DICOM, IJ, DicomTools, array, calibrated_array, open
from .core.results import ResultsTable
from .core.roi import Line, OvalRoi, PointRoi, PolygonRoi, Roi
from .core.roimanager import RoiManager
from .core.profile import ProfilePlot
from .core.statistics import ImageStatistics
from .model import Calibration, ImagePlus, ImageProcessor, ImageStack
from .series import FolderOpener, open_series
# Each of these names is also its module's name: importing the function here keeps
# ``bridge.scan`` the function even after ``import bridge.scan``.
from .dataset import dataset
from .save import save_dicom
from .scan import scan
from .scripting import run_macro, run_script

__version__ = "0.1.0"

__all__ = [
    "IJ", "BF", "ImporterOptions", "DicomTools", "DICOM", "FolderOpener", "open", "open_series", "array", "calibrated_array",
    "set_backend", "get_backend", "configure", "scan", "run_script", "run_macro", "dataset", "save_dicom",
    "ImagePlus", "ImageStack", "ImageProcessor", "Calibration",
    "Roi", "OvalRoi", "PolygonRoi", "Line", "PointRoi", "ImageStatistics", "ResultsTable", "RoiManager", "ProfilePlot",
    *_error_names,
]
