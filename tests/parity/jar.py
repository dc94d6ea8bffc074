"""``--ij-jar`` for the differential scripts: which real ImageJ the pure backend is held against."""

from __future__ import annotations

import os

from bridge import backends, emulation


def use_ij_jar(jar: str | None) -> str:
    """Run the jvm backend on ``jar`` (None: the usual search); both backends then speak its version.

    Must be called before the JVM starts.  Returns what is compared, for the report.
    """
    if jar:
        os.environ["BRIDGE_IJ_JAR"] = jar
        os.environ.pop("BRIDGE_IMAGEJ", None)
    backends.get("jvm")             # a BackendUnavailableError says what is missing
    emulated = emulation.emulated()
    return f"ImageJ {emulated.version} ({emulated.how})"


def recording_jar(jar: str) -> tuple[str, dict[str, str]]:
    """Start the jvm backend on ``jar`` for a recording: its version (``1.54f``) and what identifies it.

    The recording scripts store the identity (file name, sha256, full version) beside the data, and refuse
    a jar whose version is not the one the pure backend then emulates.
    """
    import hashlib
    from pathlib import Path
    print(f"recording {use_ij_jar(jar)}")
    jvm = backends.get("jvm")
    version = jvm.full_version()[:5]
    if version != emulation.emulated().version:
        raise SystemExit(f"{jar}: runs as {version}, but {emulation.emulated()} is emulated")
    with open(jar, "rb") as f:
        identity = {"name": Path(jar).name, "sha256": hashlib.file_digest(f, "sha256").hexdigest(),
                    "full_version": jvm.full_version()}
    return version, identity
