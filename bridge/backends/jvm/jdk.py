"""The Java pieces, found and used without importing bridge: ij.jar, Rhino, javac, the companion's compile.

Standard library only, because three places need the very same lookup and the
very same compile: ``setup.py`` loads this file by path while a wheel is built
(the companion jar then ships in the wheel), ``scripts/build_java.sh`` runs it
for a checkout, and the running package calls it to build the jar into the
user's cache at first use when the wheel was built without a JDK.  Nothing is
ever downloaded: what is missing is named, with the Debian package that has it.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

DEBIAN_JAVA_DIR = Path("/usr/share/java")
COMPANION_JAR_NAME = "bridge-companion.jar"
#: the oldest Java the companion runs on (Debian's ImageJ runs on 11 and later)
JAVA_RELEASE = "11"
JDK_FIX = "apt-get install -y default-jdk-headless"
#: a fixed time stamp for the jar's entries, so that the same sources give the same bytes
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Found:
    """A piece's path (None when missing) and where it was found, or what was searched."""

    path: str | None
    how: str


class CompanionBuildError(Exception):
    """The companion jar could not be compiled; the message says what is missing or what javac said."""


def ij_jar(explicit: str | None = None) -> Found:
    """ImageJ's jar: ``explicit`` (the ``ij_jar`` setting), ``$IJ_JAR``/``$FIJI_IJ_JAR``, ``$FIJI_HOME``, Debian."""
    if explicit:
        return Found(explicit if os.path.isfile(explicit) else None, f"ij_jar={explicit} (setting or $BRIDGE_IJ_JAR)")
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


def rhino_jar() -> Found:
    """Mozilla Rhino, which runs ImageJ JavaScript (``bridge run script.js``) and which the companion compiles against."""
    for name in ("rhino.jar", "js.jar"):
        candidate = DEBIAN_JAVA_DIR / name
        if candidate.is_file():
            return Found(str(candidate), f"Debian librhino-java ({candidate})")
    return Found(None, f"Debian librhino-java ({DEBIAN_JAVA_DIR}/rhino.jar)")


def javac() -> Found:
    """The Java compiler: ``$JAVA_HOME/bin/javac``, else the one on ``PATH`` (a JRE alone has none)."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = os.path.join(home, "bin", "javac")
        if os.access(candidate, os.X_OK):
            return Found(candidate, "$JAVA_HOME/bin")
    on_path = shutil.which("javac")
    if on_path:
        return Found(on_path, "PATH")
    return Found(None, "javac on $JAVA_HOME/bin or PATH")


def companion_sources(source_root: Path) -> list[Path]:
    """The companion's ``.java`` files under ``source_root`` (``java/src`` in a checkout), in a fixed order."""
    return sorted(source_root.rglob("*.java"))


def sources_digest(source_root: Path) -> str:
    """A short hash of the sources and the target release: the name of a jar built from exactly these."""
    digest = hashlib.sha256(JAVA_RELEASE.encode())
    for source in companion_sources(source_root):
        digest.update(source.relative_to(source_root).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build_companion(source_root: Path, out_jar: Path, *, ij: Found | None = None,
                    rhino: Found | None = None) -> int:
    """Compile the sources under ``source_root`` into ``out_jar``; the number of sources compiled.

    ``ij`` and ``rhino`` default to what :func:`ij_jar` (with ``$BRIDGE_IJ_JAR``) and
    :func:`rhino_jar` find.  The jar appears whole or not at all (written beside
    ``out_jar``, then renamed over it), with the mode the user's umask gives a new
    file.  Raises :class:`CompanionBuildError` naming what is missing and how to get it.
    """
    sources = companion_sources(source_root)
    if not sources:
        raise CompanionBuildError(f"no Java sources under {source_root}")
    compiler = javac()
    if compiler.path is None:
        raise CompanionBuildError(f"javac not found ({compiler.how}); fix: {JDK_FIX}")
    class_path = [_required("ij.jar", ij or ij_jar(os.environ.get("BRIDGE_IJ_JAR")), "libij-java"),
                  _required("Rhino", rhino or rhino_jar(), "librhino-java")]
    with tempfile.TemporaryDirectory(prefix="bridge-javac-") as classes:
        # -nowarn: StackExport's use of sun.misc.Unsafe always draws a warning; javac's
        # output is shown only when the compile fails.
        command = [compiler.path, "--release", JAVA_RELEASE, "-nowarn", "-encoding", "UTF-8",
                   "-cp", os.pathsep.join(class_path), "-d", classes, *map(str, sources)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CompanionBuildError(f"javac could not run ({compiler.path}): {exc}") from exc
        if run.returncode != 0:
            raise CompanionBuildError(f"javac failed ({compiler.path}):\n{(run.stdout + run.stderr)[-4000:]}")
        _write_jar(Path(classes), out_jar)
    return len(sources)


def _required(label: str, found: Found, debian_package: str) -> str:
    if found.path is None:
        raise CompanionBuildError(f"{label} not found ({found.how}); fix: apt-get install -y {debian_package}")
    return found.path


def _write_jar(classes: Path, out_jar: Path) -> None:
    """Zip ``classes`` into ``out_jar`` atomically: a reader (another process) never sees half a jar."""
    out_jar.parent.mkdir(parents=True, exist_ok=True)
    partial = out_jar.with_name(f".{out_jar.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as jar:
            jar.writestr(zipfile.ZipInfo("META-INF/MANIFEST.MF", _ZIP_TIME),
                         "Manifest-Version: 1.0\r\nCreated-By: bridge\r\n\r\n")
            for path in sorted(classes.rglob("*")):
                name = path.relative_to(classes).as_posix() + ("/" if path.is_dir() else "")
                info = zipfile.ZipInfo(name, _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                jar.writestr(info, b"" if path.is_dir() else path.read_bytes())
            jar.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out_jar)
    finally:
        if partial.exists():
            partial.unlink()


def main(argv: list[str]) -> int:
    """``python jdk.py SOURCE_ROOT OUT_JAR``: the compile ``scripts/build_java.sh`` runs."""
    if len(argv) != 2:
        print("usage: jdk.py SOURCE_ROOT OUT_JAR", file=sys.stderr)
        return 2
    source_root, out_jar = Path(argv[0]), Path(argv[1])
    try:
        count = build_companion(source_root, out_jar)
    except CompanionBuildError as exc:
        print(f"cannot build {out_jar.name}: {exc}", file=sys.stderr)
        return 1
    print(f"built {out_jar} ({count} sources)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
