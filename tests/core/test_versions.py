"""The rule table of ImageJ releases: which behaviour each version has, and which are refused."""

from __future__ import annotations

import pytest

from bridge.core import versions


@pytest.mark.parametrize("version, family, newer", [
    ("1.53t", "1.53t", 0), ("1.54e", "1.54f", 2), ("1.54f", "1.54f", 2),
    ("1.54j", "1.54p", 3), ("1.54p", "1.54p", 3), ("1.54t", "1.54p", 3),
])
def test_rules_per_release(version, family, newer):
    """``newer``: how many of 1.54d's display range, 1.54e's Show Info and 1.54i's getMetadata apply."""
    rules = versions.rules(version)
    assert (rules.family, rules.dictionary) == (family, family)
    assert rules.display_range_rounds is (newer >= 1)
    assert rules.show_info_value_range is (newer >= 2)
    assert rules.info_falls_back_to_label is (newer < 3)
    assert rules.full_version == version + "99"


@pytest.mark.parametrize("version, since_154a, since_154g, since_154m", [
    ("1.53t", False, False, False), ("1.54f", True, False, False), ("1.54j", True, True, False),
    ("1.54m", True, True, True), ("1.54p", True, True, True), ("1.54t", True, True, True),
])
def test_command_rules_per_release(version, since_154a, since_154g, since_154m):
    """1.54a's and 1.54g's bilevel thresholds, 1.54g's Otsu and Intermodes, 1.54m's 16-bit histogram bins
    (measured: tests/golden/test_commands.py, scripts/fuzz_threshold.py with BRIDGE_IJ_JAR)."""
    rules = versions.rules(version)
    assert rules.bilevel_two_levels is since_154a
    assert rules.bilevel_one_level is since_154g
    assert rules.otsu_celebi is since_154g
    assert rules.intermodes_trims is not since_154g
    assert rules.short_bins_count_both_ends is since_154m


@pytest.mark.parametrize("version", ["1.53s", "1.54a", "1.54c", "1.54d", "1.54g", "1.54i", "1.54u", "1.55a",
                                     "2.0", "", " 1.54p", "1.54P"])
def test_releases_without_known_rules_are_refused(version):
    with pytest.raises(versions.UnsupportedVersionError):
        versions.rules(version)


def test_the_newest_supported_is_the_last():
    assert versions.NEWEST == versions.SUPPORTED[-1] == "1.54p"
    assert [versions.rules(v).family for v in versions.SUPPORTED] == list(versions.SUPPORTED)
