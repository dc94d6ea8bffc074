"""Which ImageJ both backends emulate: the setting, else the jvm backend's jar, else the newest supported."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

import bridge
from bridge import IJ, backends, cli, emulation
from bridge.core import versions
from bridge.errors import BackendUnavailableError, ConfigError, VersionError

DEBIAN_JAR = Path("/usr/share/java/ij.jar")


def _versions_reported() -> dict[str, str]:
    """``IJ.getFullVersion()`` on each backend usable now."""
    reported = {}
    for name in backends.NAMES:
        if not backends.load(name).missing():
            bridge.set_backend(name)
            reported[name] = IJ.getFullVersion()
    bridge.set_backend(None)
    return reported


def _fake_jar(folder: Path, version: str) -> Path:
    """A jar whose ij/ImageJ.class holds ``version`` as its only version string (enough to be read)."""
    jar = folder / f"ij-{version}.jar"
    utf8 = version.encode()
    pool = b"\x01" + len(utf8).to_bytes(2, "big") + utf8 + b"\x08\x00\x01"     # Utf8 #1, String #2 -> #1
    class_bytes = b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + (3).to_bytes(2, "big") + pool
    with zipfile.ZipFile(jar, "w") as z:
        z.writestr("ij/ImageJ.class", class_bytes)
    return jar


def test_no_jar_means_the_newest_release(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIDGE_IJ_JAR", str(tmp_path / "absent.jar"))
    found = emulation.emulated()
    assert found.version == versions.NEWEST and "no readable ij.jar" in found.how
    assert backends.load("pydicom").full_version() == "1.54p99"
    assert backends.load("jvm").missing()


def test_the_jar_s_version_is_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIDGE_IJ_JAR", str(_fake_jar(tmp_path, "1.54f")))
    found = emulation.emulated()
    assert (found.version, found.chosen) == ("1.54f", False)
    assert "ij-1.54f.jar" in found.how
    assert backends.load("pydicom").full_version() == "1.54f99"


def test_a_jar_of_an_unsupported_release_stops_only_the_pure_backend(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIDGE_IJ_JAR", str(_fake_jar(tmp_path, "1.54b")))
    assert emulation.emulated().version == "1.54b"
    assert "1.54b is not emulated" in backends.load("pydicom").missing()[0]
    with pytest.raises(VersionError):
        emulation.rules()


@pytest.mark.parametrize("how", ["configure", "environment", "cli"])
def test_the_setting_wins_and_says_so(how, monkeypatch, capsys):
    if how == "configure":
        bridge.configure(imagej="1.54p")
    elif how == "environment":
        monkeypatch.setenv("BRIDGE_IMAGEJ", "1.54p")
    else:
        assert cli.main(["--imagej", "1.54p", "doctor"]) in (0, 1)
        assert "ImageJ     1.54p emulated  [imagej=1.54p set by" in capsys.readouterr().out
    found = emulation.emulated()
    assert (found.version, found.chosen) == ("1.54p", True)
    assert "1.54p" in found.how
    assert backends.load("pydicom").full_version() == "1.54p99"


def test_unknown_releases_are_refused_where_they_are_given(monkeypatch, capsys):
    with pytest.raises(ConfigError, match="imagej='1.54b' is not accepted: expected an ImageJ release"):
        bridge.configure(imagej="1.54b")
    assert cli.main(["--imagej", "2.0", "doctor"]) == 2
    assert "imagej='2.0' is not accepted" in capsys.readouterr().err
    monkeypatch.setenv("BRIDGE_IMAGEJ", "1.54h")
    with pytest.raises(ConfigError, match="BRIDGE_IMAGEJ"):
        emulation.emulated()


@pytest.mark.jvm
@pytest.mark.parametrize("how", ["default", "configure", "environment", "ij_jar", "IJ_JAR", "cli"])
def test_both_backends_report_the_same_version(how, monkeypatch, tmp_path, capsys):
    """Every way of choosing gives one version on both backends; a version the jar is not stops the jvm."""
    jar_version = emulation.jar_version(str(DEBIAN_JAR))
    copy = tmp_path / "ij.jar"
    shutil.copyfile(DEBIAN_JAR, copy)
    if how == "configure":
        bridge.configure(imagej=jar_version)
    elif how == "environment":
        monkeypatch.setenv("BRIDGE_IMAGEJ", jar_version)
    elif how == "ij_jar":
        bridge.configure(ij_jar=str(copy))
    elif how == "IJ_JAR":
        monkeypatch.setenv("IJ_JAR", str(copy))
    elif how == "cli":
        assert cli.main(["--imagej", jar_version, "doctor"]) == 0
        out = capsys.readouterr().out
        assert f"backend jvm: ok, emulates ImageJ {jar_version}99" in out
        assert f"backend pydicom: ok, emulates ImageJ {jar_version}99" in out
    try:
        assert _versions_reported() == {"jvm": f"{jar_version}99", "pydicom": f"{jar_version}99"}
    finally:
        bridge.configure(ij_jar=None)


@pytest.mark.jvm
def test_the_jvm_backend_refuses_another_release():
    other = "1.54p" if emulation.jar_version(str(DEBIAN_JAR)) != "1.54p" else "1.53t"
    bridge.configure(imagej=other)
    assert _versions_reported() == {"pydicom": f"{other}99"}      # the jvm backend is not usable
    with pytest.raises(BackendUnavailableError, match=f"ImageJ {other} is emulated"):
        backends.get("jvm")
    bridge.set_backend("jvm")
    with pytest.raises(BackendUnavailableError):
        IJ.getFullVersion()
    assert backends.get_backend() == "jvm"
    bridge.set_backend(None)
    assert backends.get_backend() == "pydicom"               # the default falls back to the backend that can
