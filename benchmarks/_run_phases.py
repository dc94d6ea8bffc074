"""`bridge run`'s steps (bridge/cli.py ``cmd_run``) with clock marks between them, for bench_run.py.

Usage: python _run_phases.py LAUNCH_TIME MACRO [ARG...]; prints the phases as JSON on stderr.
LAUNCH_TIME is the parent's ``time.time()`` just before it started this process, so the
first phase is the interpreter's own start; the parent measures the exit after the last mark.
"""

from __future__ import annotations

import time

_launched_mark = time.time()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def main(launched: float, macro: str, args: list[str]) -> None:
    marks = {"python start": _launched_mark - launched}
    start = time.perf_counter()
    from bridge import cli  # noqa: F401  (what `python -m bridge` imports)
    from bridge.backends.jvm import companion, runtime
    from bridge.scripting import install_bioformats, run_file
    runtime.import_jpype_without_numpy()
    install_bioformats()
    marks["imports"] = time.perf_counter() - start
    start = time.perf_counter()
    runtime.start()
    marks["JVM start (JPype)"] = time.perf_counter() - start
    start = time.perf_counter()
    runtime.jclass("ij.io.OpenDialog").setDefaultDirectory(os.getcwd() + os.sep)
    companion.available()
    companion.prepare_commands()
    marks["ImageJ init (classes)"] = time.perf_counter() - start
    start = time.perf_counter()
    with open(os.devnull, "w") as devnull:    # the macro's output is not the benchmark's
        sys.stdout = devnull
        run_file(macro, args)
        sys.stdout = sys.__stdout__
    marks["macro"] = time.perf_counter() - start
    print(json.dumps({**marks, "ended": time.time()}), file=sys.stderr, flush=True)
    runtime.exit_process(0)     # as bridge run ends


if __name__ == "__main__":
    main(float(sys.argv[1]), sys.argv[2], sys.argv[3:])
