"""The package type-checks: ``python -m mypy bridge`` under ``[tool.mypy]`` (strict) exits 0.

mypy runs in a subprocess from the project root, so it reads the settings in
``pyproject.toml`` exactly as a developer's ``python -m mypy bridge`` does.
Locally the test skips when mypy is not installed; in CI (``CI=true``) it must run.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT


def test_mypy_is_clean(tmp_path: Path) -> None:
    if importlib.util.find_spec("mypy") is None and not IN_CI:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "bridge", "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"mypy found problems:\n{done.stdout}{done.stderr}"
