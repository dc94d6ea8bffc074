"""Run original ImageJ scripts: JavaScript (``.js``) and the ImageJ macro language (``.ijm``).

Both run inside the jvm backend's ImageJ, headless, unchanged: a script that works in
ImageJ's editor works here with only its paths changed.  What the script prints (its
``print`` goes to ImageJ's log) is printed to ``sys.stdout``; a script error raises
:class:`bridge.errors.ScriptError` naming the script and the line.

    >>> from bridge.scripting import run_script, run_macro
    >>> run_script("dicom_tags.js")                      # doctest: +SKIP
    >>> run_macro('open("/data/ct.dcm"); print(getInfo("0008,1030"));')  # doctest: +SKIP
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .backends.jvm import companion
from .errors import BackendUnavailableError, ScriptError

__all__ = ["run_script", "run_macro"]

ScriptSource = str | os.PathLike[str]


def run_script(path_or_text: ScriptSource, args: Sequence[str] = ()) -> str | None:
    """Run ImageJ JavaScript; print its output and return its last value as text (or None).

    ``args`` are joined with spaces into what the script's ``getArgument()`` returns,
    as ImageJ passes one argument string.
    """
    source, name = _load(path_or_text, default_name="<script>")
    _require_companion()
    return _finish(companion.run_javascript(source, name, [str(a) for a in args]))


def run_macro(path_or_text: ScriptSource, arg: str = "") -> str | None:
    """Run an ImageJ macro in batch mode; print its output and return its return value (or None).

    ``open(path)`` works headless; images the macro leaves open are closed afterwards.
    """
    source, name = _load(path_or_text, default_name="<macro>")
    _require_companion()
    return _finish(companion.run_macro(source, name, arg))


def _load(path_or_text: ScriptSource, default_name: str) -> tuple[str, str]:
    """The script's text and the name errors use: a file's path, or ``default_name`` for text."""
    if isinstance(path_or_text, os.PathLike) or _looks_like_file(path_or_text):
        path = Path(path_or_text)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ScriptError(str(path), None, f"cannot read the script: {exc.strerror}") from exc
    return str(path_or_text), default_name


def _looks_like_file(text: str) -> bool:
    return "\n" not in text and len(text) < 4096 and os.path.isfile(text)


def _require_companion() -> None:
    if not companion.available():
        raise BackendUnavailableError("jvm", ["bridge-companion.jar (build it with scripts/build_java.sh)"])


def _finish(outcome: companion.ScriptOutcome) -> str | None:
    """Print what the script logged, then raise its error or return its value."""
    if outcome.output:
        sys.stdout.write(outcome.output)
        sys.stdout.flush()
    if outcome.error is not None:
        raise ScriptError(outcome.error_file or "<script>", outcome.error_line, outcome.error)
    return outcome.value
