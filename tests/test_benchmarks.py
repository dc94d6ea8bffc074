"""Smoke runs of every benchmark at toy sizes, so the scripts keep working.

These assert that each benchmark runs and prints its ratios, never how fast
anything is: the figures come from full runs of ``benchmarks/*.py``.
"""

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
TOY = {
    "bench_coldstart.py": ["--repeats", "1"],
    "bench_filters.py": ["--repeats", "1", "--size", "64"],
    "bench_header.py": ["--repeats", "1", "--warmup", "1"],
    "bench_jvm_export.py": ["--repeats", "1"],
    "bench_measure.py": ["--repeats", "1", "--size", "64"],
    "bench_run.py": ["--repeats", "1", "--no-qa", "--breakdown"],
    "bench_open.py": ["--repeats", "1", "--frames", "3", "--files", "3", "--size", "64"],
    "bench_scan.py": ["--repeats", "1", "--files", "20"],
    "bench_series.py": ["--repeats", "1", "--slices", "3", "--size", "64"],
    "bench_threads.py": ["--repeats", "1", "--opens", "6"],
}


def test_every_benchmark_has_a_smoke_run():
    assert sorted(TOY) == sorted(p.name for p in BENCHMARKS.glob("bench_*.py"))


@pytest.mark.jvm
@pytest.mark.parametrize("script", sorted(TOY))
def test_benchmark_runs_and_reports_ratios(script):
    done = subprocess.run([sys.executable, script, *TOY[script]], cwd=BENCHMARKS, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "x" in done.stdout and any(ch.isdigit() for ch in done.stdout), done.stdout
