"""*Subtract Background...* in the core, without Java: the ball, and answers a reader can check by hand.

Parity with ImageJ, bit for bit, is ``tests/parity/test_commands_background.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from bridge.core import background as bg
from bridge.core import commands
from bridge.errors import ScriptError
from bridge.model import GRAY8, GRAY32, ImagePlus


@pytest.mark.parametrize(("radius", "width", "shrink"), [(5, 9, 1), (10, 17, 1), (25, 21, 2), (50, 19, 4),
                                                         (200, 31, 8)])
def test_the_ball_is_imagejs_trimmed_patch(radius: float, width: int, shrink: int) -> None:
    ball = bg.RollingBall.of_radius(radius)
    assert ball.heights.shape == (width, width) and ball.shrink_factor == shrink
    centre = width // 2
    assert ball.heights[centre, centre] == np.float32(max(radius / shrink, 1.0))
    assert np.array_equal(ball.heights, ball.heights.T) and np.array_equal(ball.heights, ball.heights[::-1])


def test_a_flat_image_is_all_background() -> None:
    imp = ImagePlus("flat", np.full((1, 20, 24), 90, dtype=np.uint8), GRAY8)
    commands.run(imp, "Subtract Background...", "rolling=5")
    assert not imp.data.any()
    imp = ImagePlus("flat", np.full((1, 20, 24), 90, dtype=np.uint8), GRAY8)
    commands.run(imp, "Subtract Background...", "rolling=5 light")      # a light background becomes white
    assert (imp.data == 255).all()


def test_a_narrow_spot_stands_out_of_a_slope() -> None:
    yy, xx = np.mgrid[0:30, 0:40]
    plane = (10.0 + 2.0 * xx).astype(np.float32)
    plane[15, 20] += 100.0
    imp = ImagePlus("slope", plane[None].copy(), GRAY32)
    commands.run(imp, "Subtract Background...", "rolling=8 disable")
    result = imp.data[0]
    assert result[15, 20] > 95.0                      # the spot stays
    assert np.abs(np.delete(result.ravel(), 15 * 40 + 20)).max() < 1.0   # the slope goes
    commands.run(imp, "Subtract Background...", "rolling=8 create")
    assert imp.getDisplayRangeMax() == float(imp.data[0].max())


def test_what_is_refused() -> None:
    imp = ImagePlus("tiny", np.zeros((1, 4, 4), dtype=np.uint8), GRAY8)
    with pytest.raises(ScriptError, match="too small"):
        commands.run(imp, "Subtract Background...", "rolling=60")
    with pytest.raises(ScriptError, match='unrecognized option "radius"'):
        commands.run(imp, "Subtract Background...", "radius=5")


def test_the_sliding_paraboloid_also_flattens_a_slope() -> None:
    yy, xx = np.mgrid[0:24, 0:30]
    plane = (10.0 + 2.0 * xx + 1.0 * yy).astype(np.float32)
    plane[12, 15] += 100.0
    imp = ImagePlus("slope", plane[None].copy(), GRAY32)
    commands.run(imp, "Subtract Background...", "rolling=8 sliding disable")
    result = imp.data[0]
    assert result[12, 15] > 95.0 and np.abs(np.delete(result.ravel(), 12 * 30 + 15)).max() < 1.0
