"""The JVM's options: the JIT tier follows the first call (quick start vs batch throughput)."""

from bridge.backends.jvm import runtime


def test_quick_start_by_default_full_jit_for_batches(monkeypatch):
    monkeypatch.delenv("BRIDGE_JVM_JIT", raising=False)
    assert "-XX:TieredStopAtLevel=1" in runtime.jvm_options()
    assert "-XX:TieredStopAtLevel=1" not in runtime.jvm_options(throughput=True)
    monkeypatch.setenv("BRIDGE_DISPLAY", "none")
    assert "-Djava.awt.headless=true" in runtime.jvm_options(throughput=True)


def test_environment_forces_the_tier(monkeypatch):
    monkeypatch.setenv("BRIDGE_JVM_JIT", "quick")
    assert "-XX:TieredStopAtLevel=1" in runtime.jvm_options(throughput=True)
    monkeypatch.setenv("BRIDGE_JVM_JIT", "full")
    assert "-XX:TieredStopAtLevel=1" not in runtime.jvm_options()


def test_python_keeps_the_signals_and_the_temp_folder(tmp_path, monkeypatch):
    """``-Xrs``: SIGINT/SIGTERM stay Python's; no perf-data file; Java's temp folder is TMPDIR."""
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    options = runtime.jvm_options()
    assert "-Xrs" in options and "-XX:-UsePerfData" in options
    assert f"-Djava.io.tmpdir={tmp_path}" in options
