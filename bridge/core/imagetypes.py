"""ImageJ's image type and calibration function codes, shared by the model and the core.

They live here, below both, so that core modules which only need the codes
(statistics, measurements) do not import the model, and the model can offer
``imp.getStatistics()`` on top of them without an import circle.
"""

from __future__ import annotations

# ImagePlus.getType() values.
GRAY8, GRAY16, GRAY32, COLOR_256, COLOR_RGB = 0, 1, 2, 3, 4

# Calibration function codes (ij.measure.Calibration).
STRAIGHT_LINE, NONE = 0, 20
