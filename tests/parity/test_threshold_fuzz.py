"""A bounded differential fuzz of thresholds and binary operations against ImageJ's classes.

``scripts/fuzz_threshold.py --examples N --seed S`` runs longer campaigns
(see ``threshold_fuzz.py`` for what one example draws and checks).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))   # imagej_live

from tests.parity.threshold_fuzz import check_binary, check_threshold  # noqa: E402

EXAMPLES = 150          # about 10 s each
FIRST_SEED = 15_000


@pytest.mark.jvm
def test_random_images_threshold_as_imagej() -> None:
    problems = [f"seed {seed}: {found}" for seed in range(FIRST_SEED, FIRST_SEED + EXAMPLES)
                if (found := check_threshold(seed))]
    assert not problems, "\n".join(problems[:5])


@pytest.mark.jvm
def test_random_binary_images_erode_dilate_outline_skeletonize_as_imagej() -> None:
    problems = [f"seed {seed}: {found}" for seed in range(FIRST_SEED, FIRST_SEED + EXAMPLES)
                if (found := check_binary(seed))]
    assert not problems, "\n".join(problems[:5])


@pytest.mark.jvm
def test_outline_of_a_one_pixel_wide_image_fails_as_in_imagej() -> None:
    import jpype
    import numpy as np
    import imagej_live as ij
    from bridge.core import binary
    from bridge.model import GRAY8
    plane = np.array([[255], [0], [255], [255]], dtype=np.uint8)
    with pytest.raises(ValueError, match="1x4"):
        binary.outline(plane, 255)
    with pytest.raises(jpype.JException, match="ArrayIndexOutOfBounds"):
        ij.java_processor(plane, GRAY8).outline()
