"""The one exception hierarchy of ``bridge``.

Every error the facade raises is a :class:`BridgeError`.  Errors about an
input carry the thing they are about (``path``, and ``entry`` for a zip
member, ``url`` for a download) and put it in the message, because a batch
job over thousands of files is useless if the traceback does not say which
file was bad.

``imagej_message`` holds the text ImageJ itself would have shown for the
same failure (``None`` where ImageJ stays silent).  ``IJ.openImage`` returns
``None`` like ImageJ and makes that text readable through
``IJ.getErrorMessage()``; ``bridge.open`` raises the error instead.  Where
ImageJ's ``IJ.openImage`` itself throws (``thrown`` is set: the Java
exception's class and text), ``IJ.openImage`` raises the error too.
"""

from __future__ import annotations

__all__ = [
    "BridgeError",
    "BackendUnavailableError",
    "DicomReadError",
    "MissingFileError",
    "NotARegularFileError",
    "NotDicomError",
    "TruncatedError",
    "CorruptHeaderError",
    "UnsupportedTransferSyntaxError",
    "PixelDecodeError",
    "LimitExceededError",
    "ArchiveError",
    "FetchError",
    "JavaError",
    "ScriptError",
    "SaveError",
    "OverwriteError",
    "ConfigError",
    "UnknownSettingError",
]


class BridgeError(Exception):
    """Root of every exception the ``bridge`` facade raises."""


class BackendUnavailableError(BridgeError, RuntimeError):
    """A backend was asked for but cannot run here; ``missing`` says why."""

    def __init__(self, backend: str, missing: list[str]) -> None:
        self.backend = backend
        self.missing = list(missing)
        lines = "\n".join(f"  - {m}" for m in self.missing)
        super().__init__(f"the {backend!r} backend is not available:\n{lines}\n"
                         "Run `bridge doctor` for the full picture.")


class DicomReadError(BridgeError, ValueError):
    """An input could not be read as an image.

    ``path`` names the file (or the URL), ``entry`` the zip member if any,
    ``imagej_message`` the message ImageJ gives for the same input, and
    ``thrown`` the Java exception (``"class: text"``) that escapes ImageJ's
    ``IJ.openImage`` for it: ``IJ.openImage`` then raises instead of
    returning None, with ``IJ.getErrorMessage()`` holding what ImageJ holds.
    """

    def __init__(self, reason: str, path: str | None = None, *, entry: str | None = None,
                 url: str | None = None, imagej_message: str | None = None,
                 thrown: str | None = None) -> None:
        self.reason = reason
        self.path = path
        self.entry = entry
        self.url = url
        self.imagej_message = imagej_message
        self.thrown = thrown
        where = url or path or "<input>"
        if entry:
            where = f"{where} (entry {entry!r})"
        super().__init__(f"{where}: {reason}")

    @property
    def java_class(self) -> str | None:
        """The class of the Java exception ImageJ throws for this input (None: it does not throw)."""
        return None if self.thrown is None else self.thrown.partition(": ")[0]

    @property
    def java_message(self) -> str | None:
        """That exception's text (None where it has none, or where ImageJ does not throw)."""
        if self.thrown is None or ": " not in self.thrown:
            return None
        return self.thrown.partition(": ")[2]


class MissingFileError(DicomReadError, FileNotFoundError):
    """The path does not exist (ImageJ returns null without a message)."""


class NotARegularFileError(DicomReadError):
    """A directory, FIFO, device or socket was given where a file is needed."""


class NotDicomError(DicomReadError):
    """The bytes are not DICOM (or not any format the opener routes)."""


class TruncatedError(DicomReadError):
    """The file ends before the header or the pixel data it declares."""


class CorruptHeaderError(DicomReadError):
    """The header parses but does not describe an image ImageJ can build."""


class UnsupportedTransferSyntaxError(DicomReadError):
    """Compressed (or otherwise undecodable) pixel data; ``uid`` names it."""

    def __init__(self, reason: str, path: str | None = None, *, uid: str = "", **kw: str | None) -> None:
        self.uid = uid
        super().__init__(reason, path, **kw)


class _ReasonShown(DicomReadError):
    """A failure ImageJ has no message for (it would crash, hang or not get this far).

    ``IJ.getErrorMessage()`` shows our own reason then, so a ``None`` from
    ``IJ.openImage`` is never left unexplained.
    """

    def __init__(self, reason: str, path: str | None = None, **kw: str | None) -> None:
        super().__init__(reason, path, **kw)
        if self.imagej_message is None:
            self.imagej_message = str(self)     # the reason, naming the file


class PixelDecodeError(_ReasonShown):
    """Compressed pixel data the decoder failed on (a damaged stream, or a crashed isolated decoder)."""


class LimitExceededError(_ReasonShown):
    """A declared size or depth is beyond a configured limit (see ``bridge.config``)."""


class ArchiveError(DicomReadError):
    """A zip archive is unusable: no DICOM first entry, encrypted, a bomb, ..."""


class FetchError(_ReasonShown):
    """A URL could not be fetched within the limits, or is refused (a ``file:`` URL, a redirect elsewhere).

    ``url`` names it without any ``user:password@``.  Where ImageJ has no
    message of its own, ``IJ.getErrorMessage()`` shows this reason.
    """


class JavaError(BridgeError):
    """A Java exception escaped ImageJ; ``java_class`` and ``java_message`` keep it readable."""

    def __init__(self, java_class: str, java_message: str | None, context: str = "") -> None:
        self.java_class = java_class
        self.java_message = java_message
        prefix = f"{context}: " if context else ""
        super().__init__(f"{prefix}{java_class}: {java_message}")


class ScriptError(BridgeError):
    """An ImageJ JavaScript or macro failed; names the script, line and message."""

    def __init__(self, script: str, line: int | None, message: str) -> None:
        self.script = script
        self.line = line
        self.message = message
        at = f"{script}:{line}" if line is not None else script
        super().__init__(f"{at}: {message}")


class SaveError(BridgeError, OSError):
    """An image could not be saved; ``path`` names the file that was to be written."""

    def __init__(self, reason: str, path: str) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class OverwriteError(SaveError, FileExistsError):
    """Saving would replace an existing file (the image's own source needs ``overwrite=True``)."""


def renamed(error: DicomReadError, name: str, entry: str | None) -> DicomReadError:
    """``error`` about ``name`` (and zip ``entry``) instead of the file that was walked.

    A zip entry is walked in a temporary file; the error must name the zip.  A limit's
    ImageJ-facing message is its own text, so it is made anew; other errors keep ImageJ's.
    Meant for the plain error classes the walk and the size check raise.
    """
    if error.path == name and error.entry == entry:
        return error
    message = None if isinstance(error, LimitExceededError) else error.imagej_message
    return type(error)(error.reason, name, entry=entry, imagej_message=message, thrown=error.thrown)


class ConfigError(BridgeError, ValueError):
    """A setting (keyword, environment variable or backend name) was given a value it cannot take.

    ``setting`` names it, ``value`` is what was given, ``accepted`` says what
    would do, and ``variable`` is the environment variable it came from
    (``None`` for a keyword).
    """

    def __init__(self, setting: str, value: object, accepted: str, *, variable: str | None = None) -> None:
        self.setting = setting
        self.value = value
        self.accepted = accepted
        self.variable = variable
        given = f"environment setting {variable}={value!r}" if variable else f"{setting}={value!r}"
        super().__init__(f"{given} is not accepted: expected {accepted}")


class UnknownSettingError(ConfigError, TypeError):
    """``configure`` was given a keyword that is no setting (a ``TypeError`` too, as for any bad keyword)."""

    def __init__(self, names: list[str], known: list[str]) -> None:
        self.names = list(names)
        ConfigError.__init__(self, ", ".join(names), None, "one of " + ", ".join(known))
        self.args = (f"unknown setting(s): {', '.join(names)}; known: {', '.join(known)}",)
