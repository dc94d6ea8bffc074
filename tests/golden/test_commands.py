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
#: (release, case) -> why bridge does not give that release's answer yet, with the measured difference
EXPECTED_DIFFERENCES: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return commands.write_files(tmp_path_factory.mktemp("command-files"))


def _mismatches(version: str, files: dict[str, str], folder: Path) -> list[str]:
    recorded = commands.load(version)
    assert set(recorded) == set(CASES), "the cases changed since they were recorded: run scripts/record_commands.py"
    found = []
    for name, (file, calls) in CASES.items():
        if (version, name) in EXPECTED_DIFFERENCES:
            continue
        out = folder / str(len(found)) / name.replace(":", "").replace(" ", "_")
        out.mkdir(parents=True)
        fields = commands.differing_fields(recorded[name], commands.replay(files[file], calls, out))
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


@pytest.mark.parametrize("version", [v for v in VERSIONS if v != "1.53t"])
def test_expected_differences_are_still_different(version, files, emulate, tmp_path):
    """An expected difference that went away is to be taken off the list."""
    emulate(version)
    backends.set_backend("pydicom")
    recorded = commands.load(version)
    for (release, name), reason in EXPECTED_DIFFERENCES.items():
        if release == version:
            file, calls = CASES[name]
            assert commands.differing_fields(recorded[name], commands.replay(files[file], calls, tmp_path)), reason


@pytest.mark.jvm
def test_jvm_backend_reproduces_the_recording_of_its_jar(files, tmp_path):
    version = emulation.emulated().version
    if version not in VERSIONS:
        pytest.skip(f"no recording of ImageJ {version}, the jar this machine has")
    backends.set_backend("jvm")
    found = _mismatches(version, files, tmp_path)
    assert not found, f"ImageJ {version} (jvm): {len(found)} of {len(CASES)} cases differ:\n" + "\n".join(found[:30])
