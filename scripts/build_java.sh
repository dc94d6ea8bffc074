#!/usr/bin/env bash
# Build bridge/_jars/bridge-companion.jar from java/src/**/*.java, for a checkout.
#
# The compile itself is bridge/backends/jvm/jdk.py (standard library only), the same
# code that builds the jar into a wheel (setup.py) and into the user's cache at first
# use: `javac --release 11` against the ij.jar the jvm backend uses and Debian's Rhino.
# Does nothing when the jar is newer than every source, so it is cheap to call before
# every test run.  Never downloads anything.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/java/src"
out_jar="$root/bridge/_jars/bridge-companion.jar"

[[ -d "$src" ]] || { echo "build_java.sh: no Java sources at $src" >&2; exit 1; }
if [[ -f "$out_jar" && -z "$(find "$src" -name '*.java' -newer "$out_jar" -print -quit)" ]]; then
    echo "bridge-companion.jar is up to date"
    exit 0
fi
exec "${PYTHON:-python3}" "$root/bridge/backends/jvm/jdk.py" "$src" "$out_jar"
