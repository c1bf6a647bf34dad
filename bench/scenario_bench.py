"""``python -m bench.scenario_bench [--quick] [--cases N] [--write-docs]``: price scenarios for a portfolio.

10 000 generated cases (:mod:`sakagare_xl.tabell.portfolj`, seed 1) × 10 prices (0 %, −5 % … −45 % of the
market value), i.e. 100 000 fördelningar. Measured, each once (a run takes tens of seconds; the machine is
shared, so the ratios within the run are what to read):

* peer (floor): a bare loop of ``berakna`` at each price, results thrown away — the engine's cost;
* ``scenarier`` on the in-memory cases, a row per claim, kronor as Decimal, 1 process and 2 processes;
* the same with öre as integers;
* ``scenarier`` over the JSON files (reading included), 2 processes;
* the same function over the files with dask.bag on a LocalCluster of 2 worker processes (when installed);
* the peer once more at the end: how much the shared machine drifted during the run; and, before every row,
  the peer on a tenth of the cases, so that each row is also read against the peer measured next to it
  (``vs peer next to it``: throughput of the row / throughput of the bare loop; 2 processes can reach 2×).

``--write-docs`` writes the tables into docs/performance.md between the ``scenario:`` markers.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from sakagare_xl.case_io import arende_fran_dict
from sakagare_xl.engine import Arende, berakna
from sakagare_xl.referensranta_data import las_tabell
from sakagare_xl.tabell import scenarier
from sakagare_xl.tabell.portfolj import generera, marknadsvarden, skriv_portfolj

from .__main__ import machine
from .timing import fmt_s, table

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- scenario:begin (written by python -m bench.scenario_bench --write-docs) -->"
END = "<!-- scenario:end -->"
ANDRINGAR = [f"-{5 * k} %" for k in range(10)]  # 0 %, −5 % … −45 %: ten prices per case


def _floor(arenden: dict[str, Arende], values: dict[str, int]) -> int:
    from decimal import Decimal

    from sakagare_xl.engine.format import ore
    from sakagare_xl.tabell import andring

    t = las_tabell()
    cuts = [andring(a) for a in ANDRINGAR]
    n = 0
    for name, a in arenden.items():
        v = Decimal(values[name])
        for c in cuts:
            sale = dataclasses.replace(a.forsaljning, kopeskilling=ore(v * (1 + c)))
            berakna(Arende(sale, a.inskrivningar, a.fordringar), t)
            n += 1
    return n


def _partition(files, andringar, varden):
    return [scenarier(list(files), andringar=andringar, varde=varden, progress=False)]


def _dask(files: list[str], varden: dict[str, int], workers: int):
    import dask.bag as db
    import pandas as pd
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster):
        t0 = time.perf_counter()
        bag = db.from_sequence(files, partition_size=250).map_partitions(_partition, ANDRINGAR, varden)
        df = pd.concat(bag.compute(), ignore_index=True)
        return time.perf_counter() - t0, df


def run(n: int, log) -> dict:
    cases = generera(n, seed=1)
    names = [f"arende-{k:05d}" for k in range(1, n + 1)]
    arenden = {name: arende_fran_dict(c) for name, c in zip(names, cases)}
    values = marknadsvarden(cases, names)
    work = Path(tempfile.mkdtemp(prefix="scenario-bench-"))
    files = [str(p) for p in skriv_portfolj(work, n, seed=1)]
    file_values = marknadsvarden(cases, files)
    las_tabell()
    scenarier(dict(list(arenden.items())[:5]), andringar=ANDRINGAR, varde=values, progress=False)  # imports pandas
    rows = []
    claims = sum(len(a.fordringar) for a in arenden.values())

    sample = dict(list(arenden.items())[: max(1, n // 10)])

    def peer_rate() -> float:
        """Fördelningar/s of the bare loop on a tenth of the cases, just before a row: the machine is shared,
        so each row is also compared with the peer measured next to it."""
        t0 = time.perf_counter()
        k = _floor(sample, values)
        return k / (time.perf_counter() - t0)

    def record(what: str, seconds: float, df=None, note: str = "", peer: float | None = None) -> None:
        per = n * len(ANDRINGAR)
        mem = f"{df.memory_usage(deep=True).sum() / len(df):.0f} B" if df is not None else "—"
        vs = f"{per / seconds / peer:.2f}×" if peer else "—"
        rows.append([what, fmt_s(seconds), f"{n / seconds:,.0f}".replace(",", " "),
                     f"{per / seconds:,.0f}".replace(",", " "), vs,
                     f"{len(df):,}".replace(",", " ") if df is not None else "—", mem, note])
        log(f"  {what}: {seconds:.1f} s")

    log(f"{n} cases × {len(ANDRINGAR)} prices, {claims} claims")
    t0 = time.perf_counter()
    _floor(arenden, values)
    floor = time.perf_counter() - t0
    record("peer: bare `berakna` loop, no table (1 process)", floor)
    results = {}
    for what, kw in (("`scenarier`, in memory, Decimal, 1 process", dict(jobs=1)),
                     ("`scenarier`, in memory, öre, 1 process", dict(jobs=1, belopp="ore")),
                     ("`scenarier`, in memory, Decimal, 2 processes", dict(jobs=2))):
        peer = peer_rate()
        t0 = time.perf_counter()
        df = scenarier(arenden, andringar=ANDRINGAR, varde=values, progress=False, **kw)
        s = time.perf_counter() - t0
        results[what] = s
        record(what, s, df, peer=peer)
    peer = peer_rate()
    t0 = time.perf_counter()
    df = scenarier(files, andringar=ANDRINGAR, varde=file_values, jobs=2, progress=False)
    record("`scenarier` over the JSON files (reading included), 2 processes", time.perf_counter() - t0, df,
           peer=peer)
    assert df["Fel"].isna().all()
    try:
        import distributed  # noqa: F401
    except ImportError:
        rows.append(["dask LocalCluster", "—", "—", "—", "—", "—", "—", "skipped: dask not installed ([dask])"])
    else:
        peer = peer_rate()
        s, ddf = _dask(files, file_values, 2)
        same = ddf.equals(df)
        record("dask.bag over the files, LocalCluster 2 worker processes", s, ddf,
               "cluster start not timed; table equal to the one above" if same else "TABLE DIFFERS", peer=peer)
    t0 = time.perf_counter()
    _floor(arenden, values)
    record("peer again at the end (drift of a shared machine)", time.perf_counter() - t0)
    # the cost of the table, robust to a shared machine: the peer and scenarier alternated, best of 3
    best = {"peer": [], "Decimal": [], "öre": []}
    for _ in range(3):
        for key, fn in (("peer", lambda: _floor(sample, values)),
                        ("Decimal", lambda: scenarier(sample, andringar=ANDRINGAR, varde=values, progress=False)),
                        ("öre", lambda: scenarier(sample, andringar=ANDRINGAR, varde=values, belopp="ore",
                                                  progress=False))):
            t0 = time.perf_counter()
            fn()
            best[key].append(time.perf_counter() - t0)
    b = {k: min(v) for k, v in best.items()}
    m = len(sample) * len(ANDRINGAR)
    one = results["`scenarier`, in memory, Decimal, 1 process"]
    ratios = [
        [f"bare loop, {len(sample)} cases, best of 3 alternated runs", f"{m / b['peer']:,.0f} fördelningar/s".replace(",", " ")],
        ["`scenarier` Decimal / bare loop (time), same runs", f"{b['Decimal'] / b['peer']:.2f}×"],
        ["`scenarier` öre / bare loop (time), same runs", f"{b['öre'] / b['peer']:.2f}×"],
        ["`scenarier` 1 process / bare loop (time), whole portfolio", f"{one / floor:.2f}×"],
        ["öre / Decimal, 1 process (time)", f"{results['`scenarier`, in memory, öre, 1 process'] / one:.2f}×"],
        ["2 processes / 1 process (throughput)", f"{one / results['`scenarier`, in memory, Decimal, 2 processes']:.2f}×"],
    ]
    return {"n": n, "claims": claims, "rows": rows, "ratios": ratios}


def render(d: dict) -> str:
    head = ["what", "time", "cases/s", "fördelningar/s", "vs peer next to it", "table rows", "memory per row",
            "note"]
    return (f"{d['n']:,} cases × {len(ANDRINGAR)} prices ({d['claims']:,} claims; a row per claim and price)\n\n"
            .replace(",", " ") + table(head, d["rows"]) + "\n\n" + table(["ratio", "value"], d["ratios"]))


def write_docs(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{DOC} has no {BEGIN} … {END} section")
    before, rest = doc.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(f"{before}{BEGIN}\n{text}\n{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scenario_bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 000 cases instead of 10 000")
    ap.add_argument("--cases", type=int, default=None, help="number of cases (default 10 000)")
    ap.add_argument("--write-docs", action="store_true", help=f"write the results into {DOC.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    n = args.cases or (1000 if args.quick else 10_000)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    t0 = time.perf_counter()
    d = run(n, log)
    command = "python -m bench.scenario_bench" + (" --quick" if args.quick else "") + (
        f" --cases {args.cases}" if args.cases else "")
    text = (f"Command: `{command}` ({time.perf_counter() - t0:.0f} s)  \n"
            f"Machine: {info['nproc']} cores, {info['cpu']}; Python {info['python']}; load average at start "
            f"{info['load']}; {dt.datetime.now():%Y-%m-%d %H:%M}\n\n" + render(d))
    print(text)
    if args.write_docs:
        write_docs(text)
        log(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
