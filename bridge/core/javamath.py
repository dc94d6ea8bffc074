"""Java's double arithmetic where Python's differs.

ImageJ's statistics, profiles and geometry divide by values that can be zero (an empty
selection, a zero-length line); Java then gives an infinity or NaN and carries on, where
Python raises.  One function, so every port divides the same way.
"""

from __future__ import annotations

import math

__all__ = ["java_div"]


def java_div(a: float, b: float) -> float:
    """``a / b`` on Java doubles: x/±0 is ±Infinity (signs multiplied), 0/0 and NaN/0 are NaN."""
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b
