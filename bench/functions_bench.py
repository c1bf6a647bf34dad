"""Excel-function benchmark: one ``COVERAGE`` over a 1 000-row ``Sak`` range vs one call per row.

Three ways to get the 1 000 ``utfaller`` values:

* one ``COVERAGE(Sak, pris)`` call (a spilled column);
* 1 000 ``SAK_RAD(Sak, k, "utfaller", pris)`` calls as Excel would make them, the adapters' memo cache
  warm after the first (each call still hashes the whole range to find its entry);
* ``SAK_RAD`` with the cache cleared before every call (what 1 000 cells cost without the memo); measured
  on a sample of calls and multiplied up, since a full run takes minutes.

The memo cache is cleared before every timed run so each run does the real work.
"""

from __future__ import annotations

import statistics

from sakagare_xl.adapters import functions as F

from . import cases
from .timing import fmt_s, median_time, table


def run(quick: bool = False, rows: int = 1_000, log=print) -> dict:
    sak, price = cases.sak_range(rows)
    clear = F.CACHE.clear if hasattr(F, "CACHE") else (lambda: None)
    repeat = 3 if quick else 5

    coverage = F.FUNCTIONS["COVERAGE"]
    sak_rad = F.FUNCTIONS["SAK_RAD"]
    expected = [row[0] for row in coverage(sak, price)]
    assert len(expected) == rows

    cov_cpu: list[float] = []
    t_cov, cov_times = median_time(lambda: coverage(sak, price), max(repeat, 7), setup=clear, cpu=cov_cpu)
    log(f"  COVERAGE over {rows} rows: {fmt_s(t_cov)}")

    def per_row():
        got = [sak_rad(sak, k, "utfaller", price) for k in range(1, rows + 1)]
        assert got == expected, "SAK_RAD and COVERAGE disagree"

    t_rows, _ = median_time(per_row, max(1, repeat - 2), setup=clear)
    log(f"  {rows} × SAK_RAD (memo warm): {fmt_s(t_rows)}")

    sample = 3 if quick else 5

    def cold_sample():
        for k in range(1, sample + 1):
            clear()
            sak_rad(sak, k * (rows // sample), "utfaller", price)

    t_cold, _ = median_time(cold_sample, 3 if quick else 3, setup=clear)
    t_cold_total = t_cold / sample * rows
    log(f"  {rows} × SAK_RAD (no memo, from {sample} calls): {fmt_s(t_cold_total)}")
    clear()
    return {"rows": rows, "coverage": t_cov, "coverage_times": cov_times, "coverage_cpu": cov_cpu,
            "sak_rad_memo": t_rows,
            "sak_rad_cold": t_cold_total, "sample": sample, "split": split(sak, price)}


def split(sak, price, repeat: int = 7) -> dict:
    """Where one COVERAGE's time goes (medians, memo cold): reading the range (``las_omrade``), the engine
    (``berakna`` on the parsed case), and the rest (the adapter's per-row values, the result column)."""
    from sakagare_xl.adapters.omrade import las_omrade
    from sakagare_xl.engine import berakna

    o = las_omrade(sak)
    arende = o.med_pris(F._pris(price))
    tabell = F._tabell()
    cpu_read: list[float] = []
    cpu_engine: list[float] = []
    for _ in range(3):  # warm-up: the first runs in a process are slower (caches, lazily imported modules)
        las_omrade(sak)
        berakna(arende, tabell)
    t_read, _ = median_time(lambda: las_omrade(sak), repeat, cpu=cpu_read)
    t_engine, _ = median_time(lambda: berakna(arende, tabell), repeat, cpu=cpu_engine)
    return {"read": t_read, "engine": t_engine, "cpu_read": statistics.median(cpu_read),
            "cpu_engine": statistics.median(cpu_engine)}


def render(d: dict) -> str:
    n = d["rows"]
    ct = d.get("coverage_times", [d["coverage"]])
    rows = [
        [f"one COVERAGE over {n} rows (min–max {fmt_s(min(ct))}–{fmt_s(max(ct))}, {len(ct)} runs)", fmt_s(d["coverage"]),
         "1.0×"],
        [f"{n} × SAK_RAD(…, \"utfaller\"), memo warm", fmt_s(d["sak_rad_memo"]), f"{d['sak_rad_memo'] / d['coverage']:.1f}×"],
        [f"{n} × SAK_RAD, memo cleared before each call (from {d['sample']} calls)", fmt_s(d["sak_rad_cold"]),
         f"{d['sak_rad_cold'] / d['coverage']:.0f}×"],
    ]
    out = table(["what", "median time", "vs COVERAGE"], rows)
    sp = d.get("split")
    if sp:
        total = statistics.median(d["coverage_cpu"]) if d.get("coverage_cpu") else d["coverage"]
        read, engine = sp.get("cpu_read", sp["read"]), sp.get("cpu_engine", sp["engine"])
        rest = total - read - engine
        out += "\n\n" + table(["one COVERAGE, where the CPU time goes (medians, measured separately)", "CPU time",
                                "share"], [
            ["the whole COVERAGE", fmt_s(total), "100%"],
            ["reading the range (las_omrade)", fmt_s(read), f"{read / total:.0%}"],
            ["the engine (berakna)", fmt_s(engine), f"{engine / total:.0%}"],
            ["the rest (per-row values, result column, memo key)", fmt_s(rest) if rest > 0 else
             "— (the parts, timed on their own, add up to more than the whole: noise)",
             f"{rest / total:.0%}" if rest > 0 else "—"],
        ])
    return out
