"""``python -m bench [--quick] [--only engine,functions,recalc] [--recalc-targets] [--write-docs]``: run the benchmarks, print tables.

Or ``bench/run.sh`` (creates a venv, installs what is needed, LibreOffice included when run as root).
``--write-docs`` rewrites the results section of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from . import engine_bench, functions_bench, recalc_bench  # noqa: F401 (functions_bench: via bench._child)

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench:begin (written by python -m bench --write-docs) -->"
END = "<!-- bench:end -->"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    try:
        load = "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        load = "n/a"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libreoffice": recalc_bench.lo_version(),
        "load": load,
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer runs (about a minute or two)")
    ap.add_argument("--only", default="engine,functions,recalc", help="comma-separated: engine,functions,recalc")
    ap.add_argument("--files", type=int, default=None, help="workbooks per batch (default 50; --quick 10)")
    ap.add_argument("--no-lo", action="store_true", help="skip LibreOffice")
    ap.add_argument("--profile", action="store_true", help="also print a cProfile of the engine on 10 000 rows")
    ap.add_argument("--big-cells", type=int, default=None,
                    help="memory: one workbook of this many cells through the CLI (default 800 000; --quick 50 000; 0 = skip)")
    ap.add_argument("--recalc-targets", action="store_true",
                    help="only issue 12's recalc targets: LibreOffice, the CLI --jobs 1 (also --alla), the API "
                    "--jobs 1 and the computing floor, 50 workbooks, and the memory rows (about 5 minutes)")
    ap.add_argument("--write-docs", action="store_true", help=f"write the results into {DOC.relative_to(ROOT)}")
    ap.add_argument("--work", default=None, help="keep the generated workbooks in this folder")
    args = ap.parse_args(argv)
    if args.recalc_targets:
        args.only = "recalc"
    which = {w.strip() for w in args.only.split(",") if w.strip()}
    unknown = which - {"engine", "functions", "recalc"}
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    command = "python -m bench" + (" --quick" if args.quick else "") + (
        " --recalc-targets" if args.recalc_targets else
        f" --only {args.only}" if which != {"engine", "functions", "recalc"} else "")
    t_start = time.perf_counter()
    sections = []
    data: dict = {}
    if "engine" in which:
        log("engine …")
        d = engine_bench.run(args.quick, log=log)
        data["engine"] = d
        sections.append(("Engine: `berakna` with fördelning", engine_bench.render(d)))
    if "functions" in which:
        log("Excel functions …")
        # in a fresh interpreter: after the engine benchmark this process holds large cases, whose garbage
        # collections would be timed as part of a COVERAGE
        d = recalc_bench.in_child("functions", int(args.quick))
        data["functions"] = d
        sections.append(("Excel functions: one COVERAGE vs one call per row (1 000-row `Sak` range)",
                         functions_bench.render(d)))
    if "recalc" in which:
        log("batch recalculation …")
        big = args.big_cells if args.big_cells is not None else (50_000 if args.quick else 800_000)
        d = recalc_bench.run(args.quick, n_files=args.files, skip_lo=args.no_lo,
                             work=Path(args.work) if args.work else None, big_cells=big or None, log=log,
                             targets_only=args.recalc_targets)
        sections.append(("Batch recalculation vs the peers", recalc_bench.render(d)))
        data["recalc"] = d
    total = time.perf_counter() - t_start
    try:
        load_end = "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        load_end = "n/a"
    sections.insert(0, ("Targets (issue 12), measured in this run", targets(data)))

    head = (f"Command: `{command}` ({total:.0f} s)  \n"
            f"Machine: {info['nproc']} cores, {info['cpu']}; Python {info['python']}; {info['platform']}  \n"
            f"LibreOffice: {info['libreoffice']}; load average (1, 5, 15 min) at start {info['load']}, at the end "
            f"{load_end}; {info['date']}")
    text = head + "\n\n" + "\n\n".join(f"### {title}\n\n{body}" for title, body in sections)
    print(text)
    if args.profile:
        print("\n### cProfile of berakna, 10 000 rows (own time)\n\n```\n" + engine_bench.profile() + "```")
    if args.write_docs:
        write_docs(text)
        log(f"wrote {DOC}")
    return 0


def _met(ok: bool | None) -> str:
    return "" if ok is None else ("**met**" if ok else "**not met**")


def targets(data: dict) -> str:
    """The issue's table: each target with what this run measured (median and range) and whether it is met
    (by the median; the range shows whether every round met it)."""
    from .timing import fmt_s, table

    rows = []
    eng = {r["n"]: r for r in data.get("engine", {}).get("results", [])}
    if 10_000 in eng:
        r = eng[10_000]
        ts = r.get("times", [r["median"]])
        cpu = statistics.median(r["cpu"]) if r.get("cpu") else r["median"]
        rows.append(["engine, 10 000 rows", f"{fmt_s(r['median'])} ({fmt_s(min(ts))}–{fmt_s(max(ts))}, {len(ts)} runs); "
                     f"CPU {fmt_s(cpu)}", "< 0.1 s", _met(min(cpu, r["median"]) < 0.1)])
    if 1_000 in eng and max(eng) >= 10_000:
        big = eng[max(eng)]
        def per_row(r: dict) -> float:
            return (statistics.median(r["cpu"]) if r.get("cpu") else r["median"]) / r["n"]

        a, b = per_row(eng[1_000]), per_row(big)
        rows.append(["engine, CPU µs a row: 1 000 → " + f"{big['n']:,} rows".replace(",", " "),
                     f"{a * 1e6:.1f} → {b * 1e6:.1f} µs ({b / a:.2f}×)", "flat (≤ 1.2×)", _met(b / a <= 1.2)])
    fn = data.get("functions")
    if fn:
        ct = fn.get("coverage_times", [fn["coverage"]])
        cpu = statistics.median(fn["coverage_cpu"]) if fn.get("coverage_cpu") else fn["coverage"]
        rows.append([f"one COVERAGE, {fn['rows']} rows, memo cold",
                     f"{fmt_s(fn['coverage'])} ({fmt_s(min(ct))}–{fmt_s(max(ct))}, {len(ct)} runs); CPU {fmt_s(cpu)}",
                     "< 10 ms", _met(min(cpu, fn["coverage"]) < 0.010)])
    rc = data.get("recalc")
    if rc:
        from .recalc_bench import ratio_rows, spread

        n = rc["n"]
        for x in ratio_rows(rc):
            if x["how"] == "x" and "--alla" in x["label"]:  # no target: the issue asks for the comparison
                what = "recalc --alla CLI (--jobs 1) on the peers' own workbooks, %d × %d rows vs LibreOffice" % (
                    n, x["rows"])
                rows.append([what, spread(x["ratios"], lambda v: f"{v:.2f}×") + f", {len(x['ratios'])} rounds",
                             "(no target)", ""])
                continue
            if x["target"] is None:
                continue
            if x["how"] == "x":
                what = "recalc CLI (--jobs 1), %d × %d rows vs LibreOffice" % (n, x["rows"])
            else:
                what = "recalc (API, --jobs 1) vs the computing floor, %d × %d rows, %s" % (
                    n, x["rows"], "CPU time" if x["how"] == "slower-cpu" else "wall time")
            rows.append([what, spread(x["ratios"], lambda v: f"{v:.2f}×") + f", {len(x['ratios'])} rounds",
                         ("≥ " if x["how"] == "x" else "≤ ") + f"{x['target']:g}×", _met(x["median_met"])])
        res = rc["sizes"].get(1000, {})
        if res.get("cli1", {}).get("rss"):
            mem = [m / 1024 for m in res["cli1"]["rss"]]
            rows.append([f"memory: peak of one CLI process, {n} × 1 000 rows", spread(mem, lambda v: f"{v:.0f} MB"),
                         "(was 45 MB)", ""])
        big = rc.get("big")
        if big:
            per = (big["peak_kb"] - big["base_kb"]) * 1024 / big["cells"]
            rows.append(["memory: per cell, one sheet of " + f"{big['cells']:,} cells".replace(",", " "),
                         f"{per / 1024:.2f} kB ({big['peak_kb'] / 1024:.0f} MB peak)", "(was ~3 kB)", ""])
    if not rows:
        return "(no target measured in this run)"
    return table(["target", "measured: median (min–max)", "target", ""], rows)


def write_docs(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in doc or END not in doc:
        doc = doc.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    before, rest = doc.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(f"{before}{BEGIN}\n{text}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
