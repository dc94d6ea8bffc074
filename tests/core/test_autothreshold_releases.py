"""``AutoThresholder.getThreshold`` as each release has it (the rules of 1.54a and 1.54g).

Measured on the real jars by ``tests/golden/test_commands.py`` and by
``scripts/fuzz_threshold.py`` run with ``BRIDGE_IJ_JAR`` set to a 1.54f or 1.54p jar.
"""

from __future__ import annotations

import random

import pytest

from bridge.core import autothreshold


def _histogram(**counts: int) -> list[int]:
    data = [0] * 256
    for level, count in counts.items():
        data[int(level[1:])] = count
    return data


@pytest.mark.parametrize("method", ["Huang", "Default", "Triangle"])
def test_a_two_level_histogram_thresholds_below_its_upper_level_from_154a(method, emulate):
    two_levels = _histogram(l50=10, l200=5)
    emulate("1.53t")
    by_method = autothreshold.get_threshold(method, two_levels)
    emulate("1.54f")
    assert autothreshold.get_threshold(method, two_levels) == 199
    emulate("1.54p")
    assert autothreshold.get_threshold(method, two_levels) == 199
    assert by_method != 199     # 1.53t: the method's own answer


def test_a_one_level_histogram_thresholds_below_it_from_154g(emulate):
    one_level = _histogram(l100=7)
    emulate("1.54f")
    by_method = autothreshold.get_threshold("Huang", one_level)
    emulate("1.54p")
    assert autothreshold.get_threshold("Huang", one_level) == 99 != by_method


def test_otsu_and_intermodes_changed_in_154g(emulate):
    """Two seeded normal modes: the 1.54g Otsu (Celebi's) answers another level than 1.54f's."""
    rng, data = random.Random(3), [0] * 256
    for _ in range(3000):
        level = int(rng.gauss(40, 8)) if rng.random() < 0.7 else int(rng.gauss(170, 25))
        if 0 <= level < 256:
            data[level] += 1
    emulate("1.54f")
    before = [autothreshold.get_threshold(m, data) for m in ("Otsu", "Intermodes", "Huang")]
    emulate("1.54p")
    after = [autothreshold.get_threshold(m, data) for m in ("Otsu", "Intermodes", "Huang")]
    assert before[0] != after[0] and before[2] == after[2]
    assert after[0] == autothreshold.otsu_celebi(data) and before[0] == autothreshold.otsu(data)
    assert after[1] == autothreshold.intermodes_whole(data) and before[1] == autothreshold.intermodes(data)
