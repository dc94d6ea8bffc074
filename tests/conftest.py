"""Shared test set-up: jvm tests skip locally without Java, but fail in CI (CI=true)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest

import bridge
import bridge.macro
from bridge import backends
from bridge import locate

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parents[1]


#: The private temp folder ``scripts/test`` made for this run (None for a bare ``pytest``).
PRIVATE_TMP = os.environ.get("BRIDGE_TEST_TMPDIR")
#: The machine's shared temp folders: a test reaching into them outside PRIVATE_TMP depends on
#: what earlier runs left there, and passes only on the machine where it was written.
SHARED_TMP = ("/tmp/", "/var/tmp/")


def _refuse_shared_temp(event: str, args: tuple[object, ...]) -> None:
    """Audit hook: opening a file in the shared temp folders, outside this run's own, is a test bug."""
    if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    own = path == PRIVATE_TMP or path.startswith(f"{PRIVATE_TMP}{os.sep}")
    if path.startswith(SHARED_TMP) and not own:
        raise RuntimeError(f"a test opened {path}, outside the run's private TMPDIR {PRIVATE_TMP}: "
                           "tests may use only the checkout and temp folders they make")


if PRIVATE_TMP:
    sys.addaudithook(_refuse_shared_temp)


def jvm_missing() -> list[str]:
    return backends.load("jvm").missing()


def pytest_configure(config: pytest.Config) -> None:
    """Build the Java companion before any test can start the JVM (its class path is fixed then).

    ``scripts/test`` has built it already; this covers a bare ``pytest`` run and returns at once
    when the jar is up to date.
    """
    script = ROOT / "scripts" / "build_java.sh"
    if shutil.which("javac") and not jvm_missing():
        subprocess.run([str(script)], check=True, capture_output=True)


def pytest_report_header(config: pytest.Config) -> list[str]:
    versions = ", ".join(f"{d} {metadata.version(d)}" for d in ("pydicom", "numpy", "JPype1"))
    missing = jvm_missing()
    jvm = "jvm backend: " + ("MISSING: " + "; ".join(missing) if missing else "available")
    return [versions, jvm + (" (CI: jvm tests must run)" if IN_CI else "")]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("jvm") is None:
        return
    missing = jvm_missing()
    if item.get_closest_marker("bioformats") is not None and locate.bioformats_jar().path is None:
        missing.append(f"the Bio-Formats jar: {locate.bioformats_jar().how}")
    if missing:
        reason = "jvm backend unavailable (see `bridge doctor`): " + "; ".join(missing)
        if IN_CI:
            pytest.fail("CI=true: " + reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _restore_backend():
    """Tests that switch backends or the emulated ImageJ, or open images in ``bridge.macro``, leave the
    process as they found it."""
    yield
    backends.set_backend(None)
    bridge.configure(imagej=None)
    bridge.macro.close("*")


@pytest.fixture
def emulate() -> Callable[[str], object]:
    """``emulate("1.54p")``: both backends speak that ImageJ release for the rest of the test."""
    return lambda version: bridge.configure(imagej=version)


@pytest.fixture(params=[pytest.param("jvm", marks=pytest.mark.jvm), "pydicom"])
def each_backend(request: pytest.FixtureRequest) -> str:
    """Run a test once per backend, with that backend chosen for the facade."""
    backends.set_backend(request.param)
    return request.param
