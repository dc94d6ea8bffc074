"""A bounded smoke run of ``scripts/fuzz_walker.py`` (longer campaigns: run the script)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fuzz_walker.py"


def load_script():
    spec = importlib.util.spec_from_file_location("fuzz_walker", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_smoke_run_finds_nothing(capsys):
    assert load_script().main(["--examples", "150", "--seed", "0"]) == 0
    assert "150 examples from seed 0 (hypothesis): 0 broke a promise" in capsys.readouterr().out


def test_mutations_are_deterministic_and_wrap_around():
    fuzz = load_script()
    data = bytes(range(16))
    assert fuzz.mutate(data, [("flip", 16 + 1, 0, b"")]) == b"\x01" + data[1:]   # 17 wraps to 0
    assert fuzz.mutate(data, [("length", 4, 0, b"")])[4:8] == b"\xff\xff\xff\xff"
    assert fuzz.mutate(data, [("cut", 3, 0, b""), ("insert", 0, 0, b"AB")]) == b"AB" + data[:3]


def test_the_checker_reports_a_broken_promise(tmp_path, monkeypatch):
    fuzz = load_script()
    check = fuzz.Checker(str(tmp_path))
    assert check(bytes(200)) == (None, 0)            # not DICOM: a typed error, fine
    import bridge.core.decoder as decoder

    def broken(data, name):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(decoder, "decode_bytes", broken)
    problem, _ = check(bytes(200))
    assert problem.startswith("RecursionError")
