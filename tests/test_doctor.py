"""``bridge doctor`` and the companion's look-up: what they say, for a checkout and for a pip install."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import pytest

from bridge import doctor
from bridge.backends.jvm import jdk, locate

from tests.conftest import ROOT


def requirement_name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()


def test_optional_packages_are_the_extras_of_pyproject():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    declared = {(requirement_name(r), extra) for extra, reqs in extras.items() if extra != "test" for r in reqs}
    listed = {(name, extra) for name, extra, _ in doctor.OPTIONAL_PACKAGES}
    # pylibjpeg is in both JPEG extras; the doctor names the first that brings it
    assert listed <= declared and {name for name, _ in declared} == {name for name, _ in listed}


def test_readme_shows_every_extra():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    readme = (ROOT / "README.md").read_text()
    assert all(f"| `[{extra}]` |" in readme for extra in extras)


def test_optional_packages_show_their_installed_version():
    lines = doctor.optional_packages()
    for (name, extra, _), line in zip(doctor.OPTIONAL_PACKAGES, lines):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        assert line.split()[:2] == [name, version.split()[0]] and f"[{extra}]" in line


def test_transfer_syntaxes_name_the_decoders_found_or_the_extra_to_install():
    lines = {line.split()[0]: line for line in doctor.transfer_syntaxes()}
    baseline = lines["1.2.840.10008.1.2.4.50"]
    assert ("pillow" in baseline) == _installed("pillow")
    lossless = lines["1.2.840.10008.1.2.4.70"]
    if not _installed("pylibjpeg-libjpeg"):
        assert "none installed" in lossless and "bridge[jpeg-gpl]" in lossless


def _installed(dist: str) -> bool:
    try:
        metadata.version(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


@pytest.fixture
def no_jar_no_javac(monkeypatch, tmp_path):
    """No companion jar in the package or the cache, and no javac anywhere on the search path."""
    monkeypatch.setattr(locate, "COMPANION_JAR", tmp_path / "absent" / jdk.COMPANION_JAR_NAME)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


def test_installed_package_without_jar_or_javac_names_the_jdk_and_the_cache(no_jar_no_javac, monkeypatch, tmp_path):
    monkeypatch.setattr(locate, "CHECKOUT", None)
    monkeypatch.setattr(locate, "PACKAGED_SOURCES", ROOT / "java" / "src")    # as a wheel has them
    problem = locate.companion_problem()
    assert problem is not None and f"fix: {jdk.JDK_FIX}" in problem
    assert str(tmp_path / "cache" / "bridge") in problem and "scripts/" not in problem
    assert locate.find_companion().path is None
    cds = "\n".join(doctor.jvm_pieces(None))
    assert "companion  MISSING" in cds and "setup.sh" not in cds


def test_checkout_without_jar_or_javac_names_build_java(no_jar_no_javac):
    assert locate.CHECKOUT == ROOT
    problem = locate.companion_problem()
    assert problem is not None and f"fix: {jdk.JDK_FIX}, then scripts/build_java.sh" in problem


def test_first_use_build_refusal_is_a_backend_error(no_jar_no_javac):
    from bridge.errors import BackendUnavailableError
    with pytest.raises(BackendUnavailableError, match="building it needs javac"):
        locate.companion_jar()


def test_user_cache_honours_an_absolute_xdg_cache_home_only(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert locate.user_cache() == tmp_path / "bridge"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert locate.user_cache() == tmp_path / "home" / ".cache" / "bridge"


def test_sources_digest_follows_the_sources(tmp_path):
    source = tmp_path / "bridge" / "companion" / "A.java"
    source.parent.mkdir(parents=True)
    source.write_text("class A {}")
    before = jdk.sources_digest(tmp_path)
    source.write_text("class A { }")
    assert jdk.sources_digest(tmp_path) != before
