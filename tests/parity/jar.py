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
