"""scripts/build_java.sh: the companion jar exists and a second run does nothing."""

from __future__ import annotations

import subprocess
import zipfile

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "build_java.sh"
JAR = ROOT / "bridge" / "_jars" / "bridge-companion.jar"


def test_jar_holds_every_companion_class():
    sources = {p.stem for p in (ROOT / "java" / "src" / "bridge" / "companion").glob("*.java")}
    with zipfile.ZipFile(JAR) as jar:
        classes = {n.rsplit("/", 1)[-1].removesuffix(".class") for n in jar.namelist()
                   if n.startswith("bridge/companion/") and n.endswith(".class") and "$" not in n}
    assert sources and classes == sources


def test_up_to_date_jar_is_not_rebuilt():
    before = JAR.stat().st_mtime_ns
    run = subprocess.run([str(SCRIPT)], check=True, capture_output=True, text=True, timeout=60)
    assert "up to date" in run.stdout
    assert JAR.stat().st_mtime_ns == before
