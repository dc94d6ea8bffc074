"""What changes with the ImageJ release being emulated: one table of rules, looked up by version.

ImageJ 1.54 changed what a DICOM file looks like from a script.  Every such
change is a field of :class:`Rules`; the reader, the display-range code and
the macro functions ask the rules in force (``bridge.emulation.rules()``)
instead of testing version numbers themselves.  Measured on real jars
(1.53t from Debian, 1.54f and 1.54p built from ImageJ's tagged source):

* the tag dictionary (``DICOM.java``'s ``DicomDictionary``) is the same from
  1.53t to 1.54f, gains ``X-Ray`` for ``X-ray`` in 1.54g and is replaced by a
  5,038-entry table in 1.54j.  The dictionary alone decides which tags get
  names, hence which empty elements get a header line (a nameless tag with
  an empty value gets none), and which implicit-VR elements are sequences
  that are walked rather than shown as raw bytes;
* ``ShortProcessor.setMinAndMax`` rounds and no longer clamps to 0..65535
  from 1.54d on;
* *Show Info* (``getImageInfo``) names the LUT of 16- and 32-bit images
  (1.54d) and adds the current slice's "Pixel value range" (1.54e);
* the macro ``getMetadata("info")`` stops falling back to the slice label
  when Info is null in 1.54i;
* ``AutoThresholder`` answers a histogram of two levels with the upper
  level - 1 whatever the method (1.54a; of one level, that level - 1: 1.54g),
  got a new
  Otsu (M. E. Celebi's between-class variance, 1.54g) and Intermodes smooths
  the whole 256-bin histogram instead of the part between its first and last
  used bins (1.54g);
* the 256-bin histogram of 16-bit statistics (``getStatistics``' histogram)
  has bins of (max-min+1)/256 levels instead of (max-min)/256 (1.54m).

``DicomDecoder`` and ``DicomTools`` are otherwise the same code from 1.53t to
1.54t.  Versions whose rules are not all known (1.53 before t, 1.54a-c,
1.54d, 1.54g-i, newer than 1.54t) are refused rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The releases whose rules ship, oldest first; the last is the default without an ij.jar.
SUPPORTED = ("1.53t", "1.54f", "1.54p")
NEWEST = SUPPORTED[-1]

_VERSION = re.compile(r"^1\.(\d\d)([a-z])$")


class UnsupportedVersionError(ValueError):
    """An ImageJ version this package has no complete set of rules for."""


@dataclass(frozen=True)
class Rules:
    """The behaviour of one ImageJ release, as far as DICOM scripting can see it."""

    version: str                 # the release emulated, e.g. "1.54t"
    family: str                  # the supported release it behaves as, e.g. "1.54p"
    display_range_rounds: bool   # 1.54d: ShortProcessor.setMinAndMax rounds, does not clamp to 0..65535
    info_falls_back_to_label: bool  # before 1.54i: getMetadata("info") gives the label when Info is null
    show_info_value_range: bool  # 1.54d/e: Show Info names every gray LUT and adds "Pixel value range"
    bilevel_two_levels: bool = False  # 1.54a: a two-level histogram's threshold is its upper level - 1
    bilevel_one_level: bool = False   # 1.54g: so is a one-level histogram's (its level - 1)
    otsu_celebi: bool = False    # 1.54g: AutoThresholder's Otsu is M. E. Celebi's
    intermodes_trims: bool = True  # before 1.54g: Intermodes smooths only the used part of the histogram
    short_bins_count_both_ends: bool = False  # 1.54m: 16-bit histogram bins are (max-min+1)/256 wide

    @property
    def dictionary(self) -> str:
        """The release whose recorded dictionary applies (``bridge/_data/imagej-<it>-dictionary.txt``)."""
        return self.family

    @property
    def full_version(self) -> str:
        """``IJ.getFullVersion()`` of a release build ("99" is the build ImageJ reports for releases)."""
        return self.version + "99"


def parse(version: str) -> tuple[int, str]:
    """``"1.54p"`` -> ``(54, "p")``; a :class:`UnsupportedVersionError` for anything else."""
    match = _VERSION.match(version)
    if match is None:
        raise UnsupportedVersionError(f"{version!r} is not an ImageJ 1.x version such as 1.54p")
    return int(match.group(1)), match.group(2)


def rules(version: str) -> Rules:
    """The rules of ``version``; a recorded release stands in for those where nothing DICOM changed.

    1.54e-1.54f behave as 1.54f; 1.54j-1.54t as 1.54p (the DICOM code is the
    same, and nothing differs between 1.54p and 1.54t on pydicom's test files
    nor on the fuzz corpus).  The command rules follow the release itself:
    1.54j-1.54l keep 1.53t's 16-bit histogram bins (ImageJ's history dates
    that change 1.54m; no 1.54j-l jar was recorded).
    """
    release = parse(version)
    if release == (53, "t"):
        family = "1.53t"
    elif (54, "e") <= release <= (54, "f"):
        family = "1.54f"
    elif (54, "j") <= release <= (54, "t"):
        family = "1.54p"
    else:
        raise UnsupportedVersionError(
            f"ImageJ {version} is not emulated: supported are 1.53t, 1.54e-1.54f (as 1.54f) "
            f"and 1.54j-1.54t (as 1.54p)")
    return Rules(version=version, family=family,
                 display_range_rounds=release >= (54, "d"),
                 info_falls_back_to_label=release < (54, "i"),
                 show_info_value_range=release >= (54, "e"),
                 bilevel_two_levels=release >= (54, "a"),
                 bilevel_one_level=release >= (54, "g"),
                 otsu_celebi=release >= (54, "g"),
                 intermodes_trims=release < (54, "g"),
                 short_bins_count_both_ends=release >= (54, "m"))
