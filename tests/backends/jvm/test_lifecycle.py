"""The one JVM: lazy, headless, never broken by a failure, Java errors become ours."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from bridge.backends.jvm import runtime
from bridge.errors import JavaError

ROOT = Path(__file__).resolve().parents[3]
CT = get_testdata_file("CT_small.dcm")


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env})


@pytest.mark.jvm
def test_import_does_not_start_the_jvm_and_first_use_does():
    done = _run("""
        import jpype, bridge
        from bridge import IJ
        bridge.set_backend("jvm")
        assert not jpype.isJVMStarted()
        IJ.openImage(%r)
        assert jpype.isJVMStarted()
        System = jpype.JClass("java.lang.System")
        from bridge.backends.jvm import display
        print(System.getProperty("java.awt.headless"), display.status().mode)
    """ % CT)
    # headless exactly when bridge has no display for ImageJ's commands (see display.py)
    assert done.stdout.split() in (["false", "xvfb"], ["true", "headless"]), done.stderr


@pytest.mark.jvm
def test_start_is_idempotent_and_java_errors_are_translated():
    runtime.start()
    runtime.start()
    Integer = runtime.jclass("java.lang.Integer")
    try:
        Integer.parseInt("nope")
    except Exception as exc:
        err = runtime.java_error(exc, "parsing")
    assert isinstance(err, JavaError)
    assert err.java_class == "java.lang.NumberFormatException" and "nope" in str(err)


@pytest.mark.jvm
def test_jvm_stays_usable_after_failures(tmp_path):
    import bridge
    bridge.set_backend("jvm")
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(b"\0" * 128 + b"DICM" + b"\xff" * 64)
    for _ in range(3):
        bridge.IJ.openImage(bad)
    assert bridge.DicomTools.getTag(bridge.IJ.openImage(CT), "0008,0060") == " CT"


def test_ci_turns_a_missing_jvm_into_a_failure(tmp_path):
    """With CI=true a jvm test fails (never skips) when ij.jar cannot be found."""
    test = tmp_path / "test_needs_jvm.py"
    test.write_text("import pytest\n@pytest.mark.jvm\ndef test_x():\n    pass\n")
    conftest = (ROOT / "tests" / "conftest.py").read_text()
    (tmp_path / "conftest.py").write_text(conftest)
    env = {**os.environ, "BRIDGE_IJ_JAR": str(tmp_path / "absent.jar"), "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o",
            "markers=jvm: x", str(test)]
    ci = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**env, "CI": "true"})
    assert ci.returncode == 1 and "CI=true" in ci.stdout, ci.stdout
    local = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                           env={**env, "CI": ""})
    assert local.returncode == 0 and "1 skipped" in local.stdout, local.stdout
