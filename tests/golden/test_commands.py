"""ImageJ's commands on the pure backend against what real jars recorded (every release), the jvm backend against its own.

The recordings (``tests/golden/data/imagej-<version>-commands.json.gz``) were
made by ``scripts/record_commands.py`` from ImageJ 1.53t (Debian), 1.54f and
1.54p running the cases of :mod:`tests.golden.commands` as macros; a case
passes when the current image (type, size, display range, calibration,
threshold, pixels), the Results CSV and every query's numbers are the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge import backends, emulation

from . import commands

VERSIONS = commands.recorded_versions()
CASES = commands.cases()
_RGB = "ImageJ measures RGB as luminance; bridge raises 'measuring RGB images is not supported yet'"
_RGB_PROFILE = "ImageJ profiles RGB as luminance; bridge raises 'profiles of RGB images are not supported yet'"
#: cases where bridge differs from every recorded release alike (not a 1.54 change), with the difference
KNOWN_GAPS: dict[str, str] = {
    **{f"rgb: {query} {where}": _RGB for query in ("Measure", "getStatistics")
       for where in ("all", "rect", "oval", "polygon")},
    "rgb: getProfile line": _RGB_PROFILE, "rgb: getProfile rect": _RGB_PROFILE,
    "rgb: Enhance Contrast normalize": "RGB has no Normalize box: ImageJ ignores the key, bridge refuses it "
                                       "by design (tests/parity/test_commands_conversions.py)",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return commands.write_files(tmp_path_factory.mktemp("command-files"))


def _replay(name: str, files: dict[str, str], folder: Path) -> dict[str, object]:
    file, calls = CASES[name]
    out = folder / name.replace(":", "").replace(" ", "_").replace(".", "")
    out.mkdir()
    return commands.replay(files[file], calls, out)


def _mismatches(version: str, files: dict[str, str], folder: Path) -> list[str]:
    recorded = commands.load(version)
    assert set(recorded) == set(CASES), "the cases changed since they were recorded: run scripts/record_commands.py"
    found = []
    for name in CASES:
        if name not in KNOWN_GAPS:
            fields = commands.differing_fields(recorded[name], _replay(name, files, folder))
            if fields:
                found.append(f"{name}: {', '.join(fields)}")
    return found


def test_every_supported_release_has_a_recording():
    assert VERSIONS == ["1.53t", "1.54f", "1.54p"]


@pytest.mark.parametrize("version", VERSIONS)
def test_pure_backend_reproduces_the_recording(version, files, emulate, tmp_path):
    emulate(version)
    backends.set_backend("pydicom")
    found = _mismatches(version, files, tmp_path)
    assert not found, f"ImageJ {version}: {len(found)} of {len(CASES)} cases differ:\n" + "\n".join(found[:30])


def test_known_gaps_still_differ(files, emulate, tmp_path):
    """A gap that closed is to be taken off the list (checked against the newest recording)."""
    emulate(VERSIONS[-1])
    backends.set_backend("pydicom")
    recorded = commands.load(VERSIONS[-1])
    closed = [name for name in KNOWN_GAPS
              if not commands.differing_fields(recorded[name], _replay(name, files, tmp_path))]
    assert not closed


def test_releases_differ_where_the_rules_say():
    """1.54f differs from 1.53t in the threshold of a two-level (binary) image only (1.54a); 1.54p from
    1.54f in Otsu and Intermodes thresholds (1.54g) and the 256-bin histogram of 16-bit statistics (1.54m)."""
    old, mid, new = (commands.load(v) for v in VERSIONS)
    changed = {name for name in old if commands.differing_fields(old[name], mid[name])}
    assert changed == {f"{file}: Make Binary, setAutoThreshold Huang" for file in commands.FILES}
    changed = {name for name in mid if commands.differing_fields(mid[name], new[name])}
    histograms = {name for name in changed if "getStatistics" in name}
    assert {name.split(": ")[0] for name in histograms} == {"u16", "s16", "u16 stack", "CT", "MR"}
    assert all(query[0] == "histogram" for name in histograms
               for query, before in zip(new[name]["queries"], mid[name]["queries"]) if query != before)
    thresholds = changed - histograms
    assert thresholds and all("Otsu" in name or "Intermodes" in name for name in thresholds)


@pytest.mark.jvm
def test_jvm_backend_reproduces_the_recording_of_its_jar(files, tmp_path):
    version = emulation.emulated().version
    if version not in VERSIONS:
        pytest.skip(f"no recording of ImageJ {version}, the jar this machine has")
    backends.set_backend("jvm")
    found = _mismatches(version, files, tmp_path)
    assert not found, f"ImageJ {version} (jvm): {len(found)} of {len(CASES)} cases differ:\n" + "\n".join(found[:30])
