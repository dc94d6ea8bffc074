"""The Python side of the Java companion (``bridge/_jars/bridge-companion.jar``).

The companion is a few small Java classes (``java/src/bridge/companion``) that do in
one JNI call what would otherwise take many, or what headless ImageJ cannot do alone:

* :func:`open_image` -- ``IJ.openImage`` with the ImageJ GUI's result for Rescale
  Slope != 1 (headless ImageJ fails on those), System.out kept quiet;
* :func:`export_pixels` -- a whole stack copied into a numpy array in one call;
* :func:`get_info_batch` / :func:`get_tags_batch` -- headers and tags of many files;
* :func:`run_javascript` / :func:`run_macro` / :func:`run_command` -- original ImageJ
  scripts and commands (on bridge's virtual display, see :mod:`.display`).

The jar is built by ``scripts/build_java.sh`` and put on the class path when the JVM
starts; :func:`available` says whether this JVM has it.

The calls that swap ``System.out`` or read ImageJ's error message hold
``runtime.imagej_state()``, so concurrent threads each get their own outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ...errors import JavaError
from . import runtime

if TYPE_CHECKING:   # numpy is not imported for scripts: `bridge run` of a macro never needs it
    import numpy as np

COMPANION_CLASS = "bridge.companion.Companion"
ERROR_MARK = "\0error\0"
"""How the batch calls mark a file whose header raised a Java exception."""


@lru_cache(maxsize=None)
def available() -> bool:
    """True when the running JVM has the companion jar (starts the JVM)."""
    runtime.start()
    import jpype
    try:
        jpype.JClass(COMPANION_CLASS)
    except TypeError:  # JPype: "Class bridge.companion.Companion is not found"
        return False
    return True


def _companion() -> Any:
    return runtime.jclass(COMPANION_CLASS)


def open_image(path: str) -> Any:
    """The Java ImagePlus ``IJ.openImage(path)`` gives in the ImageJ GUI, or None."""
    with runtime.imagej_state():
        return _companion().openImage(path)


def open_zip_entry(entry_file: str, entry_name: str, zip_path: str) -> Any:
    """``Opener.openZip``'s DICOM branch on an entry already inflated to ``entry_file``."""
    with runtime.imagej_state():
        return _companion().openZipEntry(entry_file, entry_name, zip_path)


def export_pixels(jimp: Any, out: np.ndarray) -> None:
    """Copy every slice of ``jimp`` into ``out``, a C-contiguous array of ImageJ's storage type.

    Java writes straight into the array's memory; ``out`` must have exactly the image's
    byte count (Java checks it does not write past ``out.nbytes``).
    """
    if not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError("export_pixels needs a writeable C-contiguous array")
    import jpype
    _companion().exportStack(jimp, jpype.JLong(out.ctypes.data), jpype.JLong(out.nbytes))


def get_info_batch(paths: list[str]) -> list[str | JavaError]:
    """``new DICOM().getInfo(p)`` for each path; a Java failure is a JavaError naming the file."""
    with runtime.imagej_state():
        headers = _companion().getInfoBatch(_java_strings(paths))
    return [_header_or_error(str(h), p) for h, p in zip(headers, paths)]


def get_tags_batch(paths: list[str], tags: list[str]) -> list[dict[str, str | None] | JavaError]:
    """``DicomTools.getTag`` semantics for each tag of each file's header (None where absent)."""
    return [r if isinstance(r, JavaError) else r[0] for r in tag_rows(paths, tags)]


def tag_rows(paths: list[str], tags: list[str]) -> list[tuple[dict[str, str | None], bool] | JavaError]:
    """Like :func:`get_tags_batch`, each with whether the file's header text was non-empty.

    One Java call for all paths; only the tag values cross into Python.
    """
    with runtime.imagej_state():
        rows = _companion().getTagsBatch(_java_strings(paths), _java_strings(tags))
    result: list[tuple[dict[str, str | None], bool] | JavaError] = []
    for row, path in zip(rows, paths):
        values = [None if v is None else str(v) for v in row]
        first = values[0] if values else None
        if first is not None and first.startswith(ERROR_MARK):
            result.append(_marked_error(first, path))
        else:
            result.append((dict(zip(tags, values or [None] * len(tags))), bool(values)))
    return result


@dataclass(frozen=True)
class ScriptOutcome:
    """What a script printed and returned, and where it failed (``error`` None on success)."""

    output: str
    value: str | None
    error: str | None = None
    error_file: str | None = None
    error_line: int | None = None
    stack_traces: str = ""
    """Java stack traces ImageJ logged during the run (never part of ``output``)."""
    opened: Any = None
    """The Java ``ImagePlus`` a command opened (it became ImageJ's current image), or None."""


def run_javascript(source: str, name: str, args: list[str], fresh: bool = False) -> ScriptOutcome:
    """Run ImageJ JavaScript through Rhino in the JVM (see ``JavaScriptRunner.java``)."""
    with runtime.imagej_state():
        return _outcome(_companion().runJavaScript(source, name, _java_strings(args), fresh))


def forget_running_macro() -> None:
    """Clear ImageJ's "a macro is running" record, which an aborted ``IJ.runMacro`` leaves behind."""
    if available():
        with runtime.imagej_state():
            _companion().forgetRunningMacro()


def run_macro(source: str, name: str, arg: str, fresh: bool = False) -> ScriptOutcome:
    """Run an ImageJ macro in batch mode (see ``MacroRunner.java``); ``fresh``: no images, empty Results."""
    with runtime.imagej_state():
        return _outcome(_companion().runMacro(source, name, arg, fresh))


def run_command(jimp: Any, command: str, options: str | None) -> ScriptOutcome:
    """``IJ.run(imp, command, options)`` (``IJ.run(command, options)`` when ``jimp`` is None)."""
    with runtime.imagej_state():
        return _outcome(_companion().runCommand(jimp, command, options))


def run_plugin(plugin: Any, arg: str, options: str | None) -> tuple[ScriptOutcome, list[Any]]:
    """A plugin object run as ``IJ.run`` runs a command's class (see ``MacroRunner.runPlugIn``), and the images it opened."""
    with runtime.imagej_state():
        jresult = _companion().runPlugIn(plugin, arg, options)
    return _outcome(jresult), list(jresult.images)


def prepare_commands() -> bool:
    """ImageJ's own command table (and the dialog guard); False when the JVM has no display."""
    with runtime.imagej_state():
        return bool(_companion().prepareCommands())


def keep_stack_traces_off_stdout() -> None:
    """From now on, Java stack traces ImageJ logs go to stderr (a Python script's stdout is its output)."""
    with runtime.imagej_state():
        _companion().keepStackTracesOffStdout()


def last_dialog_text() -> str | None:
    """What the last dialog bridge closed said (ImageJ's "Macro Error" text), or None."""
    with runtime.imagej_state():
        text = _companion().lastDialogText()
    return None if text is None else str(text)


def reset_session() -> None:
    """Close every image and empty the Results table, as in a newly started ImageJ."""
    with runtime.imagej_state():
        _companion().resetSession()


def _outcome(jresult: Any) -> ScriptOutcome:
    def text(value: Any) -> str | None:
        return None if value is None else str(value)
    line = int(jresult.errorLine)
    return ScriptOutcome(output=str(jresult.output), value=text(jresult.value),
                         error=text(jresult.errorMessage), error_file=text(jresult.errorFile),
                         error_line=line if line > 0 else None, stack_traces=str(jresult.stackTraces),
                         opened=jresult.opened)


def _header_or_error(header: str, path: str) -> str | JavaError:
    return _marked_error(header, path) if header.startswith(ERROR_MARK) else header


def _marked_error(marked: str, path: str) -> JavaError:
    java_class, _, message = marked[len(ERROR_MARK):].partition("\0")
    return JavaError(java_class, None if message == "null" else message, path)


def _java_strings(values: list[str]) -> Any:
    import jpype
    return jpype.JArray(jpype.JString)([str(v) for v in values])
