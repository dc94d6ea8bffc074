"""Shared timing helpers for the benchmarks: medians of repeats, ratios, one format."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeats: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
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
