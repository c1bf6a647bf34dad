"""COVERAGE over 1 000 rows in real Pyodide (xlwings Lite's runtime) against CPython, in the same run.

``python -m bench.pyodide_bench [--rows N] [--repeat K] [--main PATH]``: one Pyodide start (tests/excel/pyodide_runtime.py,
the pinned xlwings), ``sakagare_xl/lite/main.py`` loaded as Lite loads it, then K calls of
``COVERAGE(Sak; pris)`` through ``xlwings.server.custom_functions_call`` with the memo cleared before each
(cold) and K with it warm; the same K cold calls of the adapter in this CPython. Medians and the ratio.
Timed inside each interpreter (``time.perf_counter``), so Node's start and the JSON transfer are not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "excel"))

import pyodide_runtime  # noqa: E402

from sakagare_xl.adapters import functions as F  # noqa: E402
from sakagare_xl.adapters.values import date_to_serial  # noqa: E402

from . import cases  # noqa: E402


def _rows(n: int):
    rows, price = cases.sak_range(n)
    return [[float(date_to_serial(c)) if isinstance(c, dt.date) else c for c in r] for r in rows], price


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pyodide_bench", description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--main", type=Path, default=ROOT / "sakagare_xl" / "lite" / "main.py",
                    help="the Lite main.py to load (e.g. an older commit's, from git show)")
    args = ap.parse_args(argv)
    rows, price = _rows(args.rows)
    body = {"func_name": "COVERAGE", "args": [rows, [[price]]], "caller_address": "[b.xlsx]Blad1!J6",
            "version": pyodide_runtime.pinned_xlwings(), "client": "Office.js", "runtime": "1.4"}
    steps = [{"op": "load", "path": str(args.main.resolve())}]
    steps += [{"op": "timed_call", "data": body, "clear_cache": True} for _ in range(args.repeat)]
    steps += [{"op": "timed_call", "data": body, "clear_cache": False} for _ in range(args.repeat)]
    runtime = pyodide_runtime.ensure()
    with tempfile.TemporaryDirectory() as tmp:
        out = pyodide_runtime.run_plan(runtime, steps, Path(tmp))
    timed = out["results"][1:]
    errors = [r for r in timed if "error" in r or "harness_error" in r]
    if errors:
        print(errors[0])
        return 1
    cold = statistics.median(r["ms"] for r in timed[: args.repeat])
    warm = statistics.median(r["ms"] for r in timed[args.repeat :])
    cpython = []
    for _ in range(args.repeat):
        F.CACHE.clear()
        t0 = time.perf_counter()
        F.FUNCTIONS["COVERAGE"](rows, price)
        cpython.append((time.perf_counter() - t0) * 1000)
    cp = statistics.median(cpython)
    print(f"Pyodide {out['pyodide']} ({runtime.xlwings_wheel.name}), COVERAGE over {args.rows} rows, "
          f"median of {args.repeat}:")
    print(f"  Pyodide, memo cold: {cold:.0f} ms   warm: {warm:.1f} ms")
    print(f"  CPython {sys.version.split()[0]}, memo cold: {cp:.0f} ms   Pyodide/CPython: {cold / cp:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
