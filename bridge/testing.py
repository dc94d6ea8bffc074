"""Hold your own Python ports to ImageJ's results, in your own pytest suite.

Use it as a plugin (``pytest_plugins = ["bridge.testing"]`` in your
``conftest.py``) for the ``imagej_backend`` fixture, or call the assertion
directly::

    from bridge.testing import assert_same_as_imagej
    assert_same_as_imagej("ct.dcm", fields=("info", "tags", "pixels"))

A failure names each differing field and shows how it differs (a unified
diff of header lines, the first differing pixel coordinates, ...), not
just "not equal".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from . import backends
from .compare import FIELDS, compare_file, describe, same, snapshot


class NotSameAsImageJ(AssertionError):
    """The pydicom backend (or a value of yours) differs from what real ImageJ gives."""


def assert_same_as_imagej(path: str | os.PathLike[str], fields: tuple[str, ...] = FIELDS) -> None:
    """Assert that the pydicom backend matches real ImageJ (the jvm backend) on ``path``."""
    found = compare_file(os.fspath(path), fields)
    if found:
        lines = [f"{os.fspath(path)}: {len(found)} field(s) differ from ImageJ"]
        for field, how in found.items():
            lines.append(f"  {field}: " + how.replace("\n", "\n    "))
        raise NotSameAsImageJ("\n".join(lines))


def assert_value_same_as_imagej(path: str | os.PathLike[str], field: str, value: Any) -> None:
    """Assert that ``value`` (computed by your own code) equals ImageJ's ``field`` for ``path``."""
    expected = snapshot("jvm", os.fspath(path)).get(field)
    if not same(field, expected, value):
        raise NotSameAsImageJ(f"{os.fspath(path)} {field}: ImageJ vs yours\n{describe(field, expected, value)}")


@pytest.fixture
def imagej_backend() -> Iterator[str]:
    """Select the jvm backend (real ImageJ) for the test; skip when it cannot run here."""
    missing = backends.load("jvm").missing()
    if missing:
        pytest.skip("ImageJ (jvm backend) unavailable: " + "; ".join(missing))
    backends.set_backend("jvm")
    yield "jvm"
    backends.set_backend(None)
