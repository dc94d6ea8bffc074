"""`bridge run` against ImageJ's own `ij.ImageJ -batch`, whole processes, same macro.

Rows (median of repeats, interleaved; wall time and the process's CPU time, user + system):
* ImageJ -batch under a virtual display (the reference; an Xvfb this benchmark starts and
  keeps running, so ImageJ's rows do not pay for a display),
* ImageJ -batch headless (java.awt.headless=true: what ImageJ does without any display),
* `bridge run` (its own Xvfb, started when the macro first draws: never for a `print`),
* `bridge run` with BRIDGE_DISPLAY=none (headless: no Xvfb, no ImageJ command table),
* Xvfb alone: from launch to accepting connections (what a display costs by itself).

Macros: a one-line `print` (target: bridge <= 1.5x ImageJ), and the project's 100-line CT
QA macro (tests/data/scripts/ct_qa.ijm: ROIs, Measure, Duplicate, Median, a selection from
a threshold, a profile, a histogram, Results saved) on a 512x512 16-bit CT phantom (target
<= 1.2x).  ``--breakdown`` adds where `bridge run`'s time goes, phase by phase, measured
in a child that takes `bridge run`'s steps with clock marks between them (_run_phases.py).

``--floors`` adds what each layer costs on its own, whole processes too: the JVM alone
(``java -version``), Python alone, JPype imported, and a JVM started through JPype with
nothing else (``jpype.startJVM()``, its class-data archive the JDK's): the least any
`bridge run` built on an in-process JVM can take, beside ImageJ's own.

Python runs with its bytecode cache (in a temporary PYTHONPYCACHEPREFIX), as an installed
bridge does, even when the environment sets PYTHONDONTWRITEBYTECODE.
Usage: python benchmarks/bench_run.py [--repeats N] [--no-qa] [--breakdown] [--floors] [--before TREE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _timing import report  # noqa: E402

from bridge import locate  # noqa: E402
from bridge.backends.jvm import display  # noqa: E402

QA_MACRO = ROOT / "tests" / "data" / "scripts" / "ct_qa.ijm"
PHASES_CHILD = Path(__file__).resolve().with_name("_run_phases.py")
PHASES = ("python start", "imports", "JVM start (JPype)", "ImageJ init (classes)", "macro", "exit")


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True, timeout=300)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _xvfb_start() -> float:
    started = time.perf_counter()
    server = display.VirtualDisplay()
    server.number()
    elapsed = time.perf_counter() - started
    server.stop()
    return elapsed


def _python_env(pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "PYTHONDONTWRITEBYTECODE")}
    return {**env, "PYTHONPYCACHEPREFIX": str(pycache)}


def _runs(macro: Path, arg: list[str], work: Path, screen: str, pycache: Path, headless: bool,
          before: Path | None = None) -> dict[str, Callable[[], tuple[float, float]]]:
    ij = ["java", "-cp", str(locate.ij_jar().path), "ij.ImageJ", "-batch", str(macro), " ".join(arg)]
    plain = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    bridge = [sys.executable, "-m", "bridge", "run", str(macro), *arg]
    env = _python_env(pycache)
    runs: dict[str, Callable[[], tuple[float, float]]] = {
        "ImageJ -batch, Xvfb": lambda: _timed(ij, {**plain, "DISPLAY": screen}, work),
        "ImageJ -batch, headless": lambda: _timed(ij[:1] + ["-Djava.awt.headless=true"] + ij[1:], plain, work),
        "bridge run": lambda: _timed(bridge, env, work),
        "bridge run, BRIDGE_DISPLAY=none": lambda: _timed(bridge, {**env, "BRIDGE_DISPLAY": "none"}, work),
    }
    if before is not None:   # another checkout of bridge (its jars built), e.g. `git archive main`
        older = {**env, "PYTHONPATH": str(before), "PYTHONPYCACHEPREFIX": str(pycache / "before")}
        runs["bridge run, --before tree"] = lambda: _timed(bridge, older, work)
    if not headless:   # the macro needs ImageJ's commands: no display, no run
        runs = {name: run for name, run in runs.items() if "headless" not in name and "none" not in name}
    return runs


def _floors(macro: Path, work: Path, pycache: Path) -> dict[str, Callable[[], tuple[float, float]]]:
    """Each layer under `bridge run` alone (see the module docstring), and ImageJ for the baseline."""
    ij = ["java", "-cp", str(locate.ij_jar().path), "ij.ImageJ", "-batch", str(macro)]
    env = _python_env(pycache)
    jpype_bare = "import sys; sys.modules['numpy'] = None; import jpype"      # as bridge run imports it
    python = [sys.executable, "-c"]
    return {
        "ImageJ -batch, headless": lambda: _timed(ij[:1] + ["-Djava.awt.headless=true"] + ij[1:], env, work),
        "java -version": lambda: _timed(["java", "-Xshare:auto", "-version"], env, work),
        "python -c pass": lambda: _timed(python + ["pass"], env, work),
        "python: import jpype (no numpy)": lambda: _timed(python + [jpype_bare], env, work),
        "python: jpype.startJVM()": lambda: _timed(
            python + [jpype_bare + "; jpype.startJVM('-XX:TieredStopAtLevel=1', '-XX:-UsePerfData')"], env, work),
        "bridge run": lambda: _timed([sys.executable, "-m", "bridge", "run", str(macro)], env, work),
    }


def _measure(runs: dict[str, Callable[[], tuple[float, float]]], repeats: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU of each run, the runs interleaved (one of each per round)."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for run in runs.values():   # warm-up: page cache, bytecode cache, class-data archive
        run()
    for _ in range(repeats):
        for name, run in runs.items():
            samples[name].append(run())
    return {name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
            for name, s in samples.items()}


def _report(title: str, medians: dict[str, tuple[float, float]], extra: list[tuple[str, float]] = []) -> None:
    baseline = "ImageJ -batch, Xvfb"
    report(f"{title}, wall time", [(name, wall) for name, (wall, _) in medians.items()] + extra, baseline)
    report(f"{title}, CPU time of the process", [(name, cpu) for name, (_, cpu) in medians.items()], baseline)


def _breakdown(macro: Path, arg: list[str], work: Path, pycache: Path, repeats: int) -> list[tuple[str, float]]:
    samples: dict[str, list[float]] = {name: [] for name in PHASES}
    for round_ in range(repeats + 1):
        launched = time.time()
        done = subprocess.run([sys.executable, str(PHASES_CHILD), str(launched), str(macro), *arg],
                              env=_python_env(pycache), cwd=work, capture_output=True, text=True, timeout=300,
                              check=True)
        exited = time.time()
        marks = json.loads(done.stderr.strip().splitlines()[-1])
        marks["exit"] = exited - marks.pop("ended")
        if round_:       # the first is the warm-up
            for name in PHASES:
                samples[name].append(marks[name])
    rows = [(name, statistics.median(values)) for name, values in samples.items()]
    return rows + [("total (sum of medians)", sum(seconds for _, seconds in rows))]


def _print_breakdown(title: str, rows: list[tuple[str, float]]) -> None:
    print(f"\n{title}: where `bridge run`'s time goes (median per phase)")
    for name, seconds in rows:
        print(f"  {name:<44} {seconds * 1e3:10.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-qa", action="store_true", help="only the one-line macro")
    parser.add_argument("--breakdown", action="store_true", help="also time `bridge run` phase by phase")
    parser.add_argument("--floors", action="store_true", help="also time each layer under bridge run alone")
    parser.add_argument("--before", type=Path, metavar="TREE",
                        help="also time `bridge run` from another source tree of bridge (its jars built)")
    args = parser.parse_args()
    from tests.phantom import ct_phantom
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        pycache = work / "pycache"
        one_line = work / "one_line.ijm"
        one_line.write_text('print("hello");\n')
        screen = display.VirtualDisplay()
        try:
            name = f":{screen.number()}"
            medians = _measure(_runs(one_line, [], work, name, pycache, True, args.before), args.repeats)
            xvfb = statistics.median(_xvfb_start() for _ in range(args.repeats))
            _report("one-line macro, whole process", medians, [("Xvfb alone, to ready", xvfb)])
            if args.breakdown:
                _print_breakdown("one-line macro", _breakdown(one_line, [], work, pycache, args.repeats))
            if args.floors:
                floors = _measure(_floors(one_line, work, pycache), args.repeats)
                for what, index in (("wall time", 0), ("CPU time of the process", 1)):
                    report(f"one-line macro, each layer alone, {what}",
                           [(name, times[index]) for name, times in floors.items()], "ImageJ -batch, headless")
            if not args.no_qa:
                ct = ct_phantom(work / "ct.dcm")
                qa_args = [str(ct), str(work / "r.csv")]
                medians = _measure(_runs(QA_MACRO, qa_args, work, name, pycache, False, args.before), args.repeats)
                _report("100-line CT QA macro on a 512x512 CT, whole process", medians)
                if args.breakdown:
                    _print_breakdown("CT QA macro", _breakdown(QA_MACRO, qa_args, work, pycache, args.repeats))
        finally:
            screen.stop()


if __name__ == "__main__":
    main()
