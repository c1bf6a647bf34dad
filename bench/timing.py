"""Small timing helpers: medians of repeated runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None,
                cpu: list[float] | None = None) -> tuple[float, list[float]]:
    """Median wall time of ``fn()`` over ``repeat`` runs (``setup()`` before each, not timed). With ``cpu``
    (a list), the process CPU time of each run is appended to it: on a shared machine under load the wall
    time of a single-threaded computation grows with the other jobs, its CPU time much less."""
    times = []
    for _ in range(max(1, repeat)):
        if setup is not None:
            setup()
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
    return statistics.median(times), times


def fmt_s(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub-markdown table (also readable in a terminal)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows])
