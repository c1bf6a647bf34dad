"""Old and new engine timed in turns in one process: ``python -m bench.ab_engine [--old COMMIT] [SIZES...]``.

The engine of ``COMMIT`` (default f59bce1, before the engine round of issue 12) is unpacked with ``git archive``
into a temporary folder and imported beside the working tree's; both compute ``bench.cases.arende(n)`` in
turns (CPU time, ``time.process_time``), and the median and range of the per-round speed-ups are printed.
Measuring in rounds keeps the ratio fair on a shared machine whose load changes from minute to minute.
With ``--coverage`` the same is done for one ``COVERAGE`` over a ``bench.cases.sak_range(n)`` range (the
adapters' memo cleared before each call, as in ``bench/functions_bench.py``), for reading that range
alone (``las_omrade``), for the adapters' part of a COVERAGE (its time minus the time inside its ``berakna`` call), for a COVERAGE with
the collector's work counted wherever it falls (10 calls and a full collection) and for ``n`` SAK_RAD calls memo warm, each on a new list.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import old as old_package

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="f59bce1", help="the commit to compare with")
    ap.add_argument("--coverage", action="store_true", help="time COVERAGE and las_omrade instead of berakna")
    ap.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000])
    args = ap.parse_args(argv)
    from sakagare_xl.engine import berakna as new
    from sakagare_xl.adapters import functions as functions_new
    from sakagare_xl.adapters.omrade import las_omrade as las_new
    from sakagare_xl.referensranta_data import las_tabell

    from . import cases
    tab_new = las_tabell()
    with tempfile.TemporaryDirectory() as tmp:
        old_package.import_old(args.old, tmp)
        old = importlib.import_module("sakagare_xl.engine").berakna
        tab_old = importlib.import_module("sakagare_xl.referensranta_data").las_tabell()
        if args.coverage:
            functions_old = importlib.import_module("sakagare_xl.adapters.functions")
            las_old = importlib.import_module("sakagare_xl.adapters.omrade").las_omrade
            # the adapters import the engine inside their functions: each side runs with its own package's
            # modules under the package's names (else the new adapters would call the old engine)
            mods_old = {k: m for k, m in sys.modules.items() if k == "sakagare_xl" or k.startswith("sakagare_xl.")}
            mods_new = {k[len("_new_"):]: m for k, m in sys.modules.items() if k.startswith("_new_sakagare_xl")}

            def _in(mods, fn):
                def run():
                    sys.modules.update(mods)
                    return fn()
                return run
            for n in args.sizes:
                sak, pris = cases.sak_range(n)
                for what, old_fn, new_fn in (
                    ("COVERAGE", _coverage(functions_old, sak, pris), _coverage(functions_new, sak, pris)),
                    ("las_omrade", lambda: las_old(sak), lambda: las_new(sak)),
                ):
                    _turns(f"{what}, {n} rows", _in(mods_old, old_fn), _in(mods_new, new_fn), 21, n)
                # the adapters' part: one COVERAGE minus the time inside its engine call, per round
                _turns(f"COVERAGE − berakna, {n} rows",
                       _in(mods_old, _minus(_coverage(functions_old, sak, pris), mods_old["sakagare_xl.engine"])),
                       _in(mods_new, _minus(_coverage(functions_new, sak, pris), mods_new["sakagare_xl.engine"])),
                       21, n)
                _turns(f"COVERAGE with every collection counted (10 calls and a full collection, per call), {n} rows",
                       _in(mods_old, _with_gc(functions_old, sak, pris)), _in(mods_new, _with_gc(functions_new, sak, pris)),
                       7, n)
                _turns(f"{n} × SAK_RAD memo warm (a fresh list a call), {n} rows",
                       _in(mods_old, _sak_rad(functions_old, sak, pris, n)),
                       _in(mods_new, _sak_rad(functions_new, sak, pris, n)), 5, n)
            return 0
        for n in args.sizes:
            a = cases.arende(n)
            rounds = 9 if n <= 1_000 else (5 if n <= 10_000 else 3)
            ro: list[float] = []
            rn: list[float] = []
            for _ in range(rounds):
                for fn, tab, out in ((old, tab_old, ro), (new, tab_new, rn)):
                    c = time.process_time()
                    fn(a, tab)
                    out.append(time.process_time() - c)
            mo, mn = statistics.median(ro), statistics.median(rn)
            ratios = sorted(o / x for o, x in zip(ro, rn))
            print(f"{n:>7} rows: old {mo * 1e3:8.1f} ms ({mo / n * 1e6:5.1f} µs a row), new {mn * 1e3:8.1f} ms "
                  f"({mn / n * 1e6:5.1f} µs a row); speed-up {statistics.median(ratios):.2f}× "
                  f"({ratios[0]:.2f}–{ratios[-1]:.2f}×, {rounds} rounds)")
    return 0


def _coverage(functions, sak, pris):
    def run():
        functions.CACHE.clear()
        functions.FUNCTIONS["COVERAGE"](sak, pris)
    return run


def _minus(coverage, engine_module):
    """A function giving (not timing) one COVERAGE's CPU time minus the time spent inside its engine call:
    ``engine_module.berakna`` (which the adapters look up at each call) is wrapped to time itself meanwhile."""
    def run():
        inner = engine_module.berakna
        spent = [0.0]

        def timed(*args, **kw):
            c = time.process_time()
            try:
                return inner(*args, **kw)
            finally:
                spent[0] += time.process_time() - c

        engine_module.berakna = timed
        try:
            c = time.process_time()
            coverage()
            return time.process_time() - c - spent[0]
        finally:
            engine_module.berakna = inner
    return run


def _with_gc(functions, sak, pris):
    """A function giving (not timing) the CPU time a cold COVERAGE costs with the collector's work counted wherever
    it falls: 10 calls, the memo cleared before each and after the last, then a full collection; a tenth of it."""
    def run():
        gc.collect()
        c = time.process_time()
        for _ in range(10):
            functions.CACHE.clear()
            functions.FUNCTIONS["COVERAGE"](sak, pris)
        functions.CACHE.clear()
        gc.collect()
        return (time.process_time() - c) / 10
    return run


def _sak_rad(functions, sak, pris, n):
    """``n`` SAK_RAD calls over one range, memo warm, each given a new list of new rows as xlwings sends."""
    fresh = [[list(r) for r in sak] for _ in range(n)]

    def run():
        functions.CACHE.clear()
        functions.FUNCTIONS["SAK_RAD"](sak, 1, "utfaller", pris)
        for k in range(1, n + 1):
            functions.FUNCTIONS["SAK_RAD"](fresh[k - 1], k, "utfaller", pris)
    return run


def _turns(what: str, old, new, rounds: int, n: int) -> None:
    """``old`` and ``new`` (no arguments) in turns, ``rounds`` times each; the CPU times' medians and ratios.
    A function that returns a number gives its own time (see :func:`_minus`)."""
    ro: list[float] = []
    rn: list[float] = []
    old(), new()  # warm-up
    for _ in range(rounds):
        for fn, out in ((old, ro), (new, rn)):
            c = time.process_time()
            got = fn()
            out.append(got if isinstance(got, float) else time.process_time() - c)
    mo, mn = statistics.median(ro), statistics.median(rn)
    ratios = sorted(o / x for o, x in zip(ro, rn))
    print(f"{what}: old {mo * 1e3:6.1f} ms, new {mn * 1e3:6.1f} ms; speed-up {statistics.median(ratios):.2f}× "
          f"({ratios[0]:.2f}–{ratios[-1]:.2f}×, {rounds} rounds)")


if __name__ == "__main__":
    sys.exit(main())
