"""``python -m bench [--quick] [--only engine,functions,recalc] [--write-docs]``: run the benchmarks, print tables.

Or ``bench/run.sh`` (creates a venv, installs what is needed, LibreOffice included when run as root).
``--write-docs`` rewrites the results section of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

from . import engine_bench, functions_bench, recalc_bench

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
    ap.add_argument("--write-docs", action="store_true", help=f"write the results into {DOC.relative_to(ROOT)}")
    ap.add_argument("--work", default=None, help="keep the generated workbooks in this folder")
    args = ap.parse_args(argv)
    which = {w.strip() for w in args.only.split(",") if w.strip()}
    unknown = which - {"engine", "functions", "recalc"}
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    command = "python -m bench" + (" --quick" if args.quick else "") + (
        f" --only {args.only}" if which != {"engine", "functions", "recalc"} else "")
    t_start = time.perf_counter()
    sections = []
    if "engine" in which:
        log("engine …")
        d = engine_bench.run(args.quick, log=log)
        sections.append(("Engine: `berakna` with fördelning", engine_bench.render(d)))
    if "functions" in which:
        log("Excel functions …")
        d = functions_bench.run(args.quick, log=log)
        sections.append(("Excel functions: one COVERAGE vs one call per row (1 000-row `Sak` range)",
                         functions_bench.render(d)))
    if "recalc" in which:
        log("batch recalculation …")
        d = recalc_bench.run(args.quick, n_files=args.files, skip_lo=args.no_lo,
                             work=Path(args.work) if args.work else None, log=log)
        sections.append(("Batch recalculation vs the peers", recalc_bench.render(d)))
    total = time.perf_counter() - t_start

    head = (f"Command: `{command}` ({total:.0f} s)  \n"
            f"Machine: {info['nproc']} cores, {info['cpu']}; Python {info['python']}; {info['platform']}  \n"
            f"LibreOffice: {info['libreoffice']}; load average at start {info['load']}; {info['date']}")
    text = head + "\n\n" + "\n\n".join(f"### {title}\n\n{body}" for title, body in sections)
    print(text)
    if args.profile:
        print("\n### cProfile of berakna, 10 000 rows (own time)\n\n```\n" + engine_bench.profile() + "```")
    if args.write_docs:
        write_docs(text)
        log(f"wrote {DOC}")
    return 0


def write_docs(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in doc or END not in doc:
        doc = doc.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    before, rest = doc.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(f"{before}{BEGIN}\n{text}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
