"""COVERAGE over 1 000 rows in real Pyodide (xlwings Lite's runtime) against CPython, in the same run.

``python -m bench.pyodide_bench [--rows N] [--repeat K] [--gc-rounds R] [--main PATH]``: one Pyodide start (tests/excel/pyodide_runtime.py,
the pinned xlwings), ``sakagare_xl/lite/main.py`` loaded as Lite loads it, then K calls of
``COVERAGE(Sak; pris)`` through ``xlwings.server.custom_functions_call`` with the memo cleared before each
(cold) and K with it warm; the same K cold calls of the adapter in this CPython. Medians and the ratio.
Timed inside each interpreter (``time.perf_counter``), so Node's start and the JSON transfer are not counted.

Under load the K-call medians move a lot (a collector pass falls in one call or the next), so the bench also gives
one COVERAGE **with every collection counted** (as ``bench.ab_engine``'s row of that name): R rounds of ten cold
calls of the adapter (``FUNCTIONS["COVERAGE"]`` on the same rows, the memo cleared before each and after the last)
and a full collection, timed together inside Pyodide; a tenth of each round, median and range. To compare two
``main.py`` (``--main`` with an older commit's, from ``git show``), run the bench on each in turns.
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


#: the "with every collection counted" rounds, run inside Pyodide (the glue's ``run`` returns ``out``)
_GC_ROUNDS = """
import gc, time
F = sys.modules["sakagare_xl.adapters.functions"]
rows, price = ROWS, PRICE
F.CACHE.clear(); F.FUNCTIONS["COVERAGE"](rows, price); F.CACHE.clear()  # warm-up
out = []
for _ in range(ROUNDS):
    gc.collect()
    t0 = time.perf_counter()
    for _ in range(10):
        F.CACHE.clear()
        F.FUNCTIONS["COVERAGE"](rows, price)
    F.CACHE.clear()
    gc.collect()
    out.append((time.perf_counter() - t0) * 100)  # ms a call
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pyodide_bench", description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--gc-rounds", type=int, default=7,
                    help="rounds of ten cold calls and a full collection (0: none)")
    ap.add_argument("--main", type=Path, default=ROOT / "sakagare_xl" / "lite" / "main.py",
                    help="the Lite main.py to load (e.g. an older commit's, from git show)")
    args = ap.parse_args(argv)
    rows, price = _rows(args.rows)
    body = {"func_name": "COVERAGE", "args": [rows, [[price]]], "caller_address": "[b.xlsx]Blad1!J6",
            "version": pyodide_runtime.pinned_xlwings(), "client": "Office.js", "runtime": "1.4"}
    steps = [{"op": "load", "path": str(args.main.resolve())}]
    steps += [{"op": "timed_call", "data": body, "clear_cache": True} for _ in range(args.repeat)]
    steps += [{"op": "timed_call", "data": body, "clear_cache": False} for _ in range(args.repeat)]
    if args.gc_rounds:
        code = _GC_ROUNDS.replace("ROWS", repr(rows)).replace("PRICE", repr(price)).replace("ROUNDS", str(args.gc_rounds))
        steps.append({"op": "run", "code": code})
    runtime = pyodide_runtime.ensure()
    with tempfile.TemporaryDirectory() as tmp:
        out = pyodide_runtime.run_plan(runtime, steps, Path(tmp))
    timed = out["results"][1:1 + 2 * args.repeat]
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
    got = out["results"][-1] if args.gc_rounds else None
    if got is not None and not isinstance(got, list):
        print(got)
        return 1
    print(f"Pyodide {out['pyodide']} ({runtime.xlwings_wheel.name}), COVERAGE over {args.rows} rows, "
          f"median of {args.repeat}:")
    print(f"  Pyodide, memo cold: {cold:.0f} ms   warm: {warm:.1f} ms")
    print(f"  CPython {sys.version.split()[0]}, memo cold: {cp:.0f} ms   Pyodide/CPython: {cold / cp:.2f}×")
    if got:
        print(f"  Pyodide, one COVERAGE with every collection counted (10 cold calls and a full collection): "
              f"{statistics.median(got):.1f} ms ({min(got):.1f}–{max(got):.1f}, {len(got)} rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
