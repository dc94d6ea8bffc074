import pytest

import bridge
from bridge import backends
from bridge.errors import BackendUnavailableError


def test_set_and_get_backend():
    bridge.set_backend("pydicom")
    assert bridge.get_backend() == "pydicom"
    with pytest.raises(bridge.ConfigError, match="backend='octave' is not accepted"):
        bridge.set_backend("octave")


def test_environment_chooses_backend(monkeypatch):
    monkeypatch.setenv("BRIDGE_BACKEND", "pydicom")
    assert bridge.get_backend() == "pydicom"


def test_unavailable_backend_says_why_and_how(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIDGE_IJ_JAR", str(tmp_path / "nope.jar"))
    with pytest.raises(BackendUnavailableError) as info:
        backends.get("jvm")
    assert "ij.jar" in str(info.value) and "apt-get install" in str(info.value)
    assert isinstance(info.value, bridge.BridgeError)


def test_default_prefers_jvm_only_when_usable(monkeypatch, tmp_path):
    monkeypatch.delenv("BRIDGE_BACKEND", raising=False)
    monkeypatch.setenv("BRIDGE_IJ_JAR", str(tmp_path / "nope.jar"))
    assert bridge.get_backend() == "pydicom"
