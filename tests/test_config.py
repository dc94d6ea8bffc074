import pytest

from bridge import config


def test_environment_settings_are_read(monkeypatch):
    monkeypatch.setenv("BRIDGE_MAX_IMAGE_BYTES", "1234")
    monkeypatch.setenv("BRIDGE_URL_TIMEOUT", "2.5")
    s = config.settings()
    assert s.max_image_bytes == 1234 and s.url_timeout == 2.5


def test_keywords_override_environment(monkeypatch):
    monkeypatch.setenv("BRIDGE_MAX_IMAGE_BYTES", "1234")
    try:
        assert config.configure(max_image_bytes=99).max_image_bytes == 99
    finally:
        config.configure(max_image_bytes=None)
    assert config.settings().max_image_bytes == 1234


def test_bad_values_are_named(monkeypatch):
    monkeypatch.setenv("BRIDGE_MAX_IMAGE_BYTES", "lots")
    with pytest.raises(ValueError, match="BRIDGE_MAX_IMAGE_BYTES"):
        config.settings()
    with pytest.raises(TypeError, match="unknown setting"):
        config.configure(max_bytes=1)


def test_a_cached_result_follows_every_change(monkeypatch):
    """settings() reuses its last answer only while neither the environment nor a keyword changed."""
    monkeypatch.delenv("BRIDGE_MAX_DEPTH", raising=False)
    assert config.settings().max_depth == 64
    assert config.settings() is config.settings()          # unchanged inputs: the same object
    monkeypatch.setenv("BRIDGE_MAX_DEPTH", "7")
    assert config.settings().max_depth == 7
    monkeypatch.setenv("BRIDGE_MAX_DEPTH", "8")             # same variables set, another value
    assert config.settings().max_depth == 8
    try:
        assert config.configure(max_depth=3).max_depth == 3
        assert config.settings().max_depth == 3
    finally:
        config.configure(max_depth=None)
    assert config.settings().max_depth == 8
    monkeypatch.delenv("BRIDGE_MAX_DEPTH")
    assert config.settings().max_depth == 64
