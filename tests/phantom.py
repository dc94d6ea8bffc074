"""A synthetic CT slice of a water phantom, for the QA macro (tests/data/scripts/ct_qa.ijm).

512 x 512 16-bit signed, Rescale Intercept -1024: air around a water disc (0 HU)
with seeded noise, a low-contrast insert (+10 HU) and a bone insert; what a daily
CT QA scan looks like to a macro, made the same way every time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.dicomgen import image_dicom


def ct_phantom(path: Path, size: int = 512, seed: int = 14) -> Path:
    """Write the phantom slice to ``path`` and return it."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] - (size - 1) / 2
    hu = np.full((size, size), -1000.0)
    hu[np.hypot(x, y) < size * 0.4] = 0.0
    corner = size / 4 * 0.7
    hu[np.hypot(x - corner, y + corner) < size / 32] = 10.0            # the low-contrast insert
    hu[np.hypot(x + corner, y - corner) < size / 32] = 800.0           # bone
    stored = np.round(hu + rng.normal(0, 8, hu.shape) + 1024).astype("<i2")
    path.write_bytes(image_dicom(stored, signed=True, rescale=("-1024", "1"), spacing="0.7\\0.7",
                                 thickness="5", window=("40", "400")))
    return path
