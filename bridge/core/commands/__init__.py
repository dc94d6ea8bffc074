"""ImageJ's menu commands in Python: ``run(imp, "Median...", "radius=2")`` as ImageJ runs it.

The registry (:mod:`.registry`) maps ImageJ's menu names to functions; each
module here holds one family of commands and registers them on import.  The
pure backend's ``IJ.run`` and ``bridge.macro.run`` both come here, so there is
one implementation behind the macro function and the object API.
"""

from __future__ import annotations

from . import background, binary, bioformats, contrast, conversions, filters, geometry, lines, measuring, pixel_math  # noqa: F401 - each registers its commands
from .options import Options
from .registry import names, run
from .session import Session, current, reset

__all__ = ["Options", "Session", "background", "binary", "bioformats", "contrast", "conversions", "current", "filters", "geometry", "lines", "measuring", "names", "pixel_math", "reset", "run"]
