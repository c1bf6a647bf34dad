"""Old and new engine timed in turns in one process: ``python -m bench.ab_engine [--old COMMIT] [SIZES...]``.

The engine of ``COMMIT`` (default f59bce1, before the engine round of issue 12) is unpacked with ``git archive``
into a temporary folder and imported beside the working tree's; both compute ``bench.cases.arende(n)`` in
turns (CPU time, ``time.process_time``), and the median and range of the per-round speed-ups are printed.
Measuring in rounds keeps the ratio fair on a shared machine whose load changes from minute to minute.
With ``--coverage`` the same is done for one ``COVERAGE`` over a ``bench.cases.sak_range(n)`` range (the
adapters' memo cleared before each call, as in ``bench/functions_bench.py``) and for reading that range
alone (``las_omrade``).
"""

from __future__ import annotations

import argparse
import importlib
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

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
        data = subprocess.run(["git", "-C", str(ROOT), "archive", args.old, "sakagare_xl"], check=True,
                              capture_output=True).stdout
        tarfile.open(fileobj=io.BytesIO(data)).extractall(tmp)
        for name in [k for k in sys.modules if k == "sakagare_xl" or k.startswith("sakagare_xl.")]:
            sys.modules["_new_" + name] = sys.modules.pop(name)  # keep the new modules alive, out of the way
        sys.path.insert(0, tmp)
        old = importlib.import_module("sakagare_xl.engine").berakna
        tab_old = importlib.import_module("sakagare_xl.referensranta_data").las_tabell()
        if args.coverage:
            functions_old = importlib.import_module("sakagare_xl.adapters.functions")
            las_old = importlib.import_module("sakagare_xl.adapters.omrade").las_omrade
            for n in args.sizes:
                sak, pris = cases.sak_range(n)
                for what, old_fn, new_fn in (
                    ("COVERAGE", _coverage(functions_old, sak, pris), _coverage(functions_new, sak, pris)),
                    ("las_omrade", lambda: las_old(sak), lambda: las_new(sak)),
                ):
                    _turns(f"{what}, {n} rows", old_fn, new_fn, 21, n)
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


def _turns(what: str, old, new, rounds: int, n: int) -> None:
    """``old`` and ``new`` (no arguments) in turns, ``rounds`` times each; the CPU times' medians and ratios."""
    ro: list[float] = []
    rn: list[float] = []
    old(), new()  # warm-up
    for _ in range(rounds):
        for fn, out in ((old, ro), (new, rn)):
            c = time.process_time()
            fn()
            out.append(time.process_time() - c)
    mo, mn = statistics.median(ro), statistics.median(rn)
    ratios = sorted(o / x for o, x in zip(ro, rn))
    print(f"{what}: old {mo * 1e3:6.1f} ms, new {mn * 1e3:6.1f} ms; speed-up {statistics.median(ratios):.2f}× "
          f"({ratios[0]:.2f}–{ratios[-1]:.2f}×, {rounds} rounds)")


if __name__ == "__main__":
    sys.exit(main())
