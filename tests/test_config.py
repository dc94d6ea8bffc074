import pytest

import bridge
from bridge import backends, config
from bridge.errors import BridgeError, ConfigError


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
    with pytest.raises(ConfigError, match="BRIDGE_MAX_IMAGE_BYTES='lots'.*1GB") as caught:
        config.settings()
    assert (caught.value.setting, caught.value.variable) == ("max_image_bytes", "BRIDGE_MAX_IMAGE_BYTES")
    with pytest.raises(TypeError, match="unknown setting") as unknown:
        config.configure(max_bytes=1)
    assert isinstance(unknown.value, BridgeError)


@pytest.mark.parametrize(("given", "expected"), [
    ("1GB", 10**9), ("512MiB", 512 << 20), ("2g", 2 << 30), (" 1.5 KiB ", 1536), ("1000", 1000),
    (4096, 4096), (2.0**31, 2**31), ("0", 0),
])
def test_sizes_are_read_as_people_write_them(given, expected):
    try:
        assert config.configure(max_image_bytes=given).max_image_bytes == expected
    finally:
        config.configure(max_image_bytes=None)


@pytest.mark.parametrize(("setting", "value"), [
    ("max_image_bytes", "lots"), ("max_image_bytes", -1), ("max_image_bytes", True), ("max_image_bytes", [1]),
    ("max_image_bytes", "1.5B"), ("max_image_bytes", "3 parsecs"), ("max_download_bytes", 2.5),
    ("jvm_heap", "lots"), ("jvm_heap", "1m"), ("jvm_heap", "1.5q"), ("jvm_heap", 0),
    ("url_timeout", 0), ("url_timeout", "soon"), ("url_timeout", float("nan")), ("decode_timeout", -1),
    ("max_depth", -1), ("max_depth", "deep"), ("backend", "jvmm"), ("backend", 1), ("decode", "yes"),
    ("isolate", "maybe"), ("ij_jar", 42), ("redirects", "anywhere"), ("bioformats_jar", ""),
])
def test_a_bad_keyword_is_refused_when_set(setting, value):
    """Refused at configure(), naming the setting and the value; the settings stay as they were."""
    before = config.settings()
    with pytest.raises(ConfigError) as caught:
        config.configure(**{setting: value})
    error = caught.value
    assert isinstance(error, BridgeError) and isinstance(error, ValueError)
    assert error.setting == setting and error.value == value or value != value
    assert str(error).startswith(f"{setting}={value!r} is not accepted: expected ")
    assert config.settings() == before


@pytest.mark.parametrize(("variable", "value"), [
    ("BRIDGE_BACKEND", "jvmm"), ("BRIDGE_MAX_IMAGE_BYTES", "1.5"), ("BRIDGE_JVM_HEAP", "lots"),
    ("BRIDGE_URL_TIMEOUT", "-3"), ("BRIDGE_MAX_DEPTH", "x"), ("BRIDGE_REDIRECTS", "all"),
])
def test_a_bad_environment_value_is_refused_when_read(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=f"environment setting {variable}={value!r} is not accepted"):
        config.settings()


def test_a_bad_backend_variable_is_a_config_error_for_every_call(monkeypatch):
    monkeypatch.setenv("BRIDGE_BACKEND", "jvmm")
    with pytest.raises(ConfigError, match="'jvm', 'pydicom'"):
        bridge.get_backend()
    with pytest.raises(ConfigError):
        bridge.IJ.openImage("x.dcm")


@pytest.mark.parametrize("call", [backends.load, bridge.set_backend])
def test_an_unknown_backend_name_is_a_config_error(call):
    with pytest.raises(ConfigError, match="backend='jvmm'.*'jvm', 'pydicom'"):
        call("jvmm")


@pytest.mark.parametrize(("given", "java"), [("2g", "2g"), ("512m", "512m"), ("4GiB", "4g"), ("1GB", "1000000000"),
                                             ("2048M", "2g"), (64 << 20, "64m"), (" 3G ", "3g")])
def test_the_heap_is_written_as_java_reads_it(given, java):
    try:
        assert config.configure(jvm_heap=given).jvm_heap == java
    finally:
        config.configure(jvm_heap=None)


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


def test_every_setting_has_a_variable_and_a_check():
    from dataclasses import fields
    assert [f.name for f in fields(config.Settings)] == list(config._RULES)
    assert all(rule.variable.startswith("BRIDGE_") for rule in config._RULES.values())
