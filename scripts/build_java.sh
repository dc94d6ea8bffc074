#!/usr/bin/env bash
# Build bridge/_jars/bridge-companion.jar from java/src/**/*.java.
#
# Compiles with `javac --release 11` against the ij.jar that the jvm backend
# uses (same lookup order as bridge/locate.py) and Debian's Rhino.
# Does nothing when the jar is newer than every source, so it is cheap to call
# before every test run.  Never downloads anything.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/java/src"
out_jar="$root/bridge/_jars/bridge-companion.jar"
java_dir="/usr/share/java"

die() { echo "build_java.sh: $*" >&2; exit 1; }

find_ij_jar() {
    local var
    for var in BRIDGE_IJ_JAR IJ_JAR FIJI_IJ_JAR; do
        if [[ -n "${!var:-}" ]]; then
            [[ -f "${!var}" ]] || die "\$$var=${!var} is not a file"
            echo "${!var}"; return
        fi
    done
    if [[ -n "${FIJI_HOME:-}" ]]; then
        local found
        found="$(ls "$FIJI_HOME"/jars/ij-1.*.jar 2>/dev/null | sort | tail -n 1)"
        [[ -n "$found" ]] || die "no jars/ij-1.*.jar under \$FIJI_HOME=$FIJI_HOME"
        echo "$found"; return
    fi
    [[ -f "$java_dir/ij.jar" ]] || die "ij.jar not found; fix: apt-get install -y libij-java (or set BRIDGE_IJ_JAR)"
    echo "$java_dir/ij.jar"
}

find_rhino_jar() {
    local name
    for name in rhino.jar js.jar; do
        if [[ -f "$java_dir/$name" ]]; then echo "$java_dir/$name"; return; fi
    done
    die "Rhino not found in $java_dir; fix: apt-get install -y librhino-java"
}

up_to_date() {
    [[ -f "$out_jar" ]] || return 1
    [[ -z "$(find "$src" -name '*.java' -newer "$out_jar" -print -quit)" ]]
}

main() {
    [[ -d "$src" ]] || die "no Java sources at $src"
    if up_to_date; then
        echo "bridge-companion.jar is up to date"
        return
    fi
    command -v javac >/dev/null || die "javac not found; fix: apt-get install -y default-jdk-headless"
    command -v jar >/dev/null || die "jar not found; fix: apt-get install -y default-jdk-headless"
    local ij rhino
    ij="$(find_ij_jar)"
    rhino="$(find_rhino_jar)"
    classes="$(mktemp -d)"   # global: the EXIT trap runs after main returns
    trap 'rm -rf "$classes"' EXIT
    mapfile -t sources < <(find "$src" -name '*.java' | sort)
    # StackExport uses sun.misc.Unsafe, which javac always warns about: show javac's
    # output only when the compile fails.
    if ! javac --release 11 -nowarn -encoding UTF-8 -cp "$ij:$rhino" -d "$classes" "${sources[@]}" \
            >"$classes/javac.log" 2>&1; then
        cat "$classes/javac.log" >&2
        die "javac failed"
    fi
    rm "$classes/javac.log"
    mkdir -p "$(dirname "$out_jar")"
    jar --create --file "$out_jar.tmp" -C "$classes" .
    mv "$out_jar.tmp" "$out_jar"
    echo "built $out_jar (${#sources[@]} sources, against $ij)"
}

main "$@"
