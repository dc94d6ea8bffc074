"""Fixtures for the jvm backend tests: the companion jar is built before any JVM starts.

The JVM's class path is fixed when it starts, so the jar must exist before the first
test touches Java; building at collection time guarantees that (the build script
returns at once when the jar is up to date).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(Path(__file__).parent))  # for dicom_bytes


@pytest.fixture(scope="session")
def companion():
    """The Python side of the companion, failing clearly if this JVM lacks the jar."""
    from bridge.backends.jvm import companion as module
    assert module.available(), "bridge-companion.jar is not on the JVM class path; run scripts/build_java.sh"
    return module


@pytest.fixture(scope="session")
def jvm_backend():
    from bridge.backends.jvm import BACKEND
    return BACKEND
