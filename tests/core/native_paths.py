"""One decode on the C accelerator and on the Python path, and how the two differ (tests and fuzzers)."""

from __future__ import annotations

from collections.abc import Callable

import bridge
from bridge.core import native
from bridge.core.decoder import Decoded

#: what one decode gives: the text's lines, the FileInfo's fields, the failure
Outcome = tuple[list[str], "dict[str, object] | None", "tuple[str, str, str, object] | None"]


def outcome(decode: Callable[[], Decoded]) -> Outcome:
    result = decode()
    error = result.error
    failure = None if error is None else (type(error).__name__, str(error), error.imagej_message,
                                          getattr(error, "thrown", None))
    return result.info.split("\n"), (None if result.fi is None else dict(vars(result.fi))), failure


def on_both_paths(decode: Callable[[], Decoded]) -> tuple[Outcome, Outcome]:
    """(accelerated, Python) outcomes of ``decode``; the setting is restored after."""
    try:
        bridge.configure(pure_python=False)
        assert native.active(), native.path_in_use()
        accelerated = outcome(decode)
        bridge.configure(pure_python=True)
        python = outcome(decode)
    finally:
        bridge.configure(pure_python=None)
    return accelerated, python


def paths_differ(decode: Callable[[], Decoded]) -> str | None:
    """How the two paths' outcomes of ``decode`` differ (the first difference), or None."""
    (lines_c, fi_c, error_c), (lines_py, fi_py, error_py) = on_both_paths(decode)
    for i, (c, py) in enumerate(zip(lines_c, lines_py)):
        if c != py:
            return f"line {i}: C {c!r}, Python {py!r}"
    if len(lines_c) != len(lines_py):
        return f"{len(lines_c)} lines in C, {len(lines_py)} in Python"
    if fi_c != fi_py:
        keys = [k for k in (fi_py or {}) if fi_c is None or fi_c.get(k) != fi_py.get(k)] if fi_py else ["(none)"]
        return f"FileInfo differs: {keys}"
    if error_c != error_py:
        return f"failure: C {error_c!r}, Python {error_py!r}"
    return None
