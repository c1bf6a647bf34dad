"""Engine benchmark: ``berakna`` with fördelning for growing numbers of rows."""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time

from sakagare_xl.engine import berakna
from sakagare_xl.referensranta_data import las_tabell

from . import cases
from .timing import fmt_s, median_time, table

SIZES = (10, 100, 1_000, 10_000, 100_000)
QUICK_SIZES = (10, 100, 1_000, 10_000)
#: skip the next size when one run already took this long (a non-linear engine would blow the budget)
MAX_SINGLE_RUN = 30.0


def run(quick: bool = False, log=print) -> dict:
    tabell = las_tabell()
    results = []
    skipped = []
    sizes = QUICK_SIZES if quick else SIZES
    for k, n in enumerate(sizes):
        a = cases.arende(n)
        t0 = time.perf_counter()
        res = berakna(a, tabell)  # warm-up, and a check that the case is sane
        first = time.perf_counter() - t0
        assert res.medel is not None and sum(r.utfaller for r in res.rader) + res.overskott == res.medel
        repeat = 1 if first > 5 else max(3, min(15, int(1.5 / max(first, 1e-6))))
        if quick:
            repeat = min(repeat, 5)
        cpu: list[float] = []
        if first <= 5:
            med, times = median_time(lambda: berakna(a, tabell), repeat, cpu=cpu)
        else:
            c0 = time.process_time()
            t0 = time.perf_counter()
            berakna(a, tabell)
            med, times, cpu = time.perf_counter() - t0, [time.perf_counter() - t0], [time.process_time() - c0]
        results.append({"n": n, "rader": len(res.rader), "median": med, "repeat": len(times), "times": times,
                        "cpu": cpu})
        log(f"  engine {n:>7} rows: {fmt_s(med)} ({repeat} runs)")
        if first > MAX_SINGLE_RUN:
            skipped = list(sizes[k + 1:])
            break
    return {"results": results, "skipped": skipped}


def render(data: dict) -> str:
    rows = []
    base = None
    for r in data["results"]:
        per_row = r["median"] / r["n"]
        if r["n"] >= 1000 and base is None:
            base = per_row
        times = r.get("times", [r["median"]])
        cpu = r.get("cpu") or [float("nan")]
        rows.append([f"{r['n']:,}".replace(",", " "), str(r["rader"]), fmt_s(r["median"]),
                     f"{fmt_s(min(times))}–{fmt_s(max(times))}" if len(times) > 1 else "",
                     fmt_s(statistics.median(cpu)), f"{per_row * 1e6:.1f} µs",
                     f"{statistics.median(cpu) / r['n'] * 1e6:.1f} µs", str(r["repeat"])])
    out = table(["pantbrev rows", "rows in the list", "median time", "min–max", "median CPU time", "time per row",
                 "CPU per row", "runs"], rows)
    if data["skipped"]:
        out += f"\n\nSkipped (a single run took over {MAX_SINGLE_RUN:.0f} s): {data['skipped']}"
    return out


def profile(n: int = 10_000, top: int = 15) -> str:
    """cProfile of one ``berakna`` run on ``n`` rows: the hot spots, sorted by own time."""
    tabell = las_tabell()
    a = cases.arende(n)
    prof = cProfile.Profile()
    prof.enable()
    berakna(a, tabell)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()
