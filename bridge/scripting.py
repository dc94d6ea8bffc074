"""Run original ImageJ scripts: macros (``.ijm``), JavaScript (``.js``) and Fiji-style Python (``.py``).

All three run on the jvm backend's real ImageJ, with its full command table when
bridge has a display for it (see :mod:`bridge.backends.jvm.display`): a script that
works in ImageJ works here unchanged.

* :func:`run_macro` / :func:`run_script`: what the script prints (``print``, ``IJ.log``)
  goes to ``sys.stdout``; Java stack traces ImageJ logs go to ``sys.stderr``; an error
  raises :class:`bridge.errors.ScriptError` with ImageJ's message and line.
* :func:`run_python`: a Fiji (Jython) script run in this CPython with JPype's import
  hooks, so ``from ij import IJ`` reaches the real class; its ``#@`` script parameters
  are filled from ``name=value`` arguments (:func:`script_parameters`).
* :func:`run_file`: the one :command:`bridge run` uses, chosen by the file's extension.

    >>> from bridge.scripting import run_script, run_macro
    >>> run_script("dicom_tags.js")                      # doctest: +SKIP
    >>> run_macro('open("/data/ct.dcm"); print(getInfo("0008,1030"));')  # doctest: +SKIP
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .backends.jvm import companion, display
from .errors import BackendUnavailableError, DisplayUnavailableError, ScriptError
from .script_params import fill_parameters

__all__ = ["run_script", "run_macro", "run_python", "run_file", "install_bioformats", "ScriptUsageError"]

ScriptSource = str | os.PathLike[str]
UNRECOGNIZED = "Unrecognized command:"
"""How ImageJ's message for a command it does not have begins."""


class ScriptUsageError(ScriptError):
    """The script could not be started as asked: a missing file, a missing ``#@`` parameter, ..."""


def run_file(path: str, args: Sequence[str] = ()) -> str | None:
    """Run a script file the way ImageJ picks its language: ``.js``, ``.py``, else the macro language.

    A macro gets ``args`` joined by spaces as its one argument (``getArgument()``), as
    ImageJ passes it; each run starts from a fresh ImageJ (no images, empty Results).
    """
    if not os.path.isfile(path):
        raise ScriptUsageError(path, None, "no such script file" if not os.path.exists(path) else "not a file")
    if path.endswith(".js"):
        return run_script(Path(path), args, fresh=True)
    if path.endswith(".py"):
        run_python(Path(path), args)
        return None
    return run_macro(Path(path), " ".join(args), fresh=True)


def run_script(path_or_text: ScriptSource, args: Sequence[str] = (), *, fresh: bool = False) -> str | None:
    """Run ImageJ JavaScript; print its output and return its last value as text (or None).

    ``args`` are joined with spaces into what the script's ``getArgument()`` returns,
    as ImageJ passes one argument string.  ``fresh`` closes every image and empties the
    Results table first.
    """
    source, name = _load(path_or_text, default_name="<script>")
    _require_companion()
    return _finish(companion.run_javascript(source, name, [str(a) for a in args], fresh))


def run_macro(path_or_text: ScriptSource, arg: str = "", *, fresh: bool = False) -> str | None:
    """Run an ImageJ macro in batch mode; print its output and return its return value (or None).

    Images the macro leaves open are closed afterwards.  ``fresh`` closes every image
    and empties the Results table first; settings such as Set Measurements stay, as in
    one ImageJ session.
    """
    source, name = _load(path_or_text, default_name="<macro>")
    _require_companion()
    return _finish(companion.run_macro(source, name, arg, fresh))


def run_python(path: ScriptSource, args: Sequence[str] = ()) -> None:
    """Run a Fiji-style Python (Jython) script in this interpreter, against the real ImageJ.

    ``from ij import IJ, ImagePlus`` and ``from java.io import File`` import the Java
    classes (JPype's import hooks).  ``#@`` parameters come from ``name=value`` items of
    ``args`` (a missing one raises :class:`ScriptUsageError` naming it); the script's
    ``getArgument()`` returns all of ``args`` joined by spaces.  The script runs as
    ``__main__`` with its own folder first on ``sys.path``, as ``python script.py`` would.
    """
    from .jvm import install_import_hooks
    script = Path(path)
    source, name = _load(script, default_name="<python>")
    _require_companion()
    install_import_hooks()
    companion.prepare_commands()
    companion.reset_session()
    companion.keep_stack_traces_off_stdout()
    namespace: dict[str, object] = {"__name__": "__main__", "__file__": name,
                                    "getArgument": lambda: " ".join(args)}
    try:
        namespace.update(fill_parameters(source, args))
    except ValueError as exc:
        raise ScriptUsageError(name, None, str(exc)) from None
    code = compile(source, name, "exec")
    saved_path, saved_argv = list(sys.path), sys.argv
    sys.path.insert(0, str(script.resolve().parent))
    sys.argv = [name, *args]   # as `python script.py args` (a `bridge port`ed script reads them there)
    try:
        exec(code, namespace)  # noqa: S102 - running the user's script is the point
    finally:
        sys.path[:] = saved_path
        sys.argv = saved_argv
        sys.stdout.flush()


def install_bioformats() -> bool:
    """Make Bio-Formats an installed ImageJ plugin in this process, when its jar is found (``bridge run``).

    As in Fiji (or ``java -Dplugins.dir=... -cp ij.jar:bioformats_package.jar
    ij.ImageJ``): ``importClass(Packages.loci.plugins.BF)`` and ``from
    loci.plugins import BF`` find the classes, ``run("Bio-Formats Importer",
    ...)`` finds the command, and ImageJ's own ``open``/``IJ.openImage`` hands the
    files it does not know to Bio-Formats.  Takes effect only before the JVM
    starts (the ``bridge run`` process); returns whether Bio-Formats is installed.
    When the JVM already runs (``cli.main(["run", ...])`` from a Python program
    that used the jvm backend), ImageJ stays as it is.
    """
    from . import locate
    from .backends.jvm import runtime
    jar = locate.bioformats_jar().path
    return jar is not None and runtime.install_plugin_jar(jar)


def _load(path_or_text: ScriptSource, default_name: str) -> tuple[str, str]:
    """The script's text and the name errors use: a file's path, or ``default_name`` for text."""
    if isinstance(path_or_text, os.PathLike) or _looks_like_file(path_or_text):
        path = Path(path_or_text)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ScriptUsageError(str(path), None, f"cannot read the script: {exc.strerror}") from exc
    return str(path_or_text), default_name


def _looks_like_file(text: str) -> bool:
    return "\n" not in text and len(text) < 4096 and os.path.isfile(text)


def _require_companion() -> None:
    if not companion.available():
        raise BackendUnavailableError("jvm", ["bridge-companion.jar (build it with scripts/build_java.sh)"])


def _finish(outcome: companion.ScriptOutcome) -> str | None:
    """Print what the script logged (stack traces to stderr), then raise its error or return its value."""
    if outcome.output:
        sys.stdout.write(outcome.output)
        sys.stdout.flush()
    headless = display.status().headless
    if outcome.stack_traces and not (headless and "HeadlessException" in outcome.stack_traces):
        sys.stderr.write(outcome.stack_traces)
        sys.stderr.flush()
    if outcome.error is None:
        return outcome.value
    where = f"{outcome.error_file or '<script>'}:{outcome.error_line or '?'}"
    if headless and outcome.error.startswith(UNRECOGNIZED):
        command = outcome.error[len(UNRECOGNIZED):].strip().strip('"')
        raise DisplayUnavailableError(f'{where}: run("{command}") needs ImageJ\'s command table, which '
                                      f"ImageJ builds only with a display ({display.status().problem})",
                                      command=command)
    raise ScriptError(outcome.error_file or "<script>", outcome.error_line, outcome.error,
                      companion.last_dialog_text() or None)
