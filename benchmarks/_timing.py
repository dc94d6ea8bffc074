"""Shared timing helpers for the benchmarks: medians of repeats, ratios, one format.

Three clocks: ``wall`` (``time.perf_counter``, the default), ``cpu``
(``time.process_time``: this process's CPU time, every thread, user and
system) and ``thread`` (``time.thread_time``: the calling thread's CPU time).
On a machine shared with other jobs the wall clock also counts the time the
scheduler gives to them, which swings medians by several times from one
minute to the next; the CPU clocks count only this process's own work.
``cpu`` also charges whichever row is running with the JVM's background
threads (JIT compilers, GC), however idle that row leaves them; ``thread``
counts the calling thread only -- where ImageJ's ``getInfo`` runs too (JPype
calls Java on the caller's thread), but without the GC work its allocations
cause on other threads, so it flatters ImageJ, never bridge.  Work done in
other processes (a process pool) is invisible to both: those rows time the
wall clock whatever the choice.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time,
                                          "thread": time.thread_time}
#: the clock in use; a benchmark's ``--clock`` sets it
clock: Callable[[], float] = time.perf_counter


def use_clock(name: str) -> None:
    global clock
    clock = CLOCKS[name]


def median_seconds(fn: Callable[[], object], repeats: int = 7, warmup: int = 1, wall: bool = False) -> float:
    """The median time of ``fn`` over ``repeats`` runs after ``warmup`` runs (``wall``: always the wall clock)."""
    timer = time.perf_counter if wall else clock
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        started = timer()
        fn()
        samples.append(timer() - started)
    return statistics.median(samples)


def interleaved_samples(fns: dict[str, Callable[[], object]], repeats: int = 7,
                        warmup: int = 1) -> dict[str, list[float]]:
    """Each function's run times, the functions taking turns in every round.

    On a shared, loaded machine the load drifts within seconds; taking turns
    exposes every function to the same drift, so their ratio holds where
    back-to-back runs of one then the other can differ several-fold.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            started = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - started)
    return samples


def report(title: str, rows: list[tuple[str, float]], baseline: str, statistic: str = "median") -> None:
    """Print each row's time (its median of repeats, or the ``statistic`` named) and its ratio to the baseline row."""
    base = dict(rows)[baseline]
    print(f"\n{title} ({statistic}; ratio to {baseline})")
    for name, seconds in rows:
        print(f"  {name:<44} {seconds * 1e3:10.2f} ms   {seconds / base:6.2f}x")
