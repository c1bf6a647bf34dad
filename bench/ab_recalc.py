"""Old and new recalc timed in turns in one process: ``python -m bench.ab_recalc [--old COMMIT] [--rows 1000]``.

The ``sakagare_xl`` of ``COMMIT`` (default 4f8b984, before the third recalc round of issue 12) is unpacked
with ``git archive`` into a temporary folder and imported beside the working tree's. On the bench's own
workbooks (``bench.workbooks.make_ours``: ``G = TILLAGG(…)``, no cached values) both run in turns, CPU
time (``time.process_time``), the collector paused as recalc pauses it:

* ``recalc_bytes`` (read, plan, evaluate, patch, new zip; in memory), per workbook, after a first
  workbook that fills the caches (a reused plan, as in a batch);
* ``batch.process`` with ``--out`` (file read, the above, the fsync'ed atomic write) beside
  ``bench/floor.py``'s ``floor_compute_one`` on the same file, whose ratio is issue 12's target;
* with ``--fresh``: the first workbook of a process (a fresh plan, the compile caches emptied).

Printed: medians and ranges over the rounds (ms a workbook) and the per-round ratios.
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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _load_old(commit: str, tmp: str):
    old_package.unpack(commit, tmp)
    wanted = ("sakagare_xl.recalc.batch", "sakagare_xl.recalc.core", "sakagare_xl.recalc.fast",
              "sakagare_xl.adapters.functions")
    for m in wanted:  # (the new modules, imported before they are moved aside)
        importlib.import_module(m)
    new_mods = {k: sys.modules.pop(k) for k in [k for k in sys.modules if k == "sakagare_xl" or k.startswith("sakagare_xl.")]}
    sys.path.insert(0, tmp)
    old_core = importlib.import_module("sakagare_xl.recalc.core")
    old_batch = importlib.import_module("sakagare_xl.recalc.batch")
    for m in wanted:
        importlib.import_module(m)
    old_mods = {k: sys.modules.pop(k) for k in [k for k in sys.modules if k == "sakagare_xl" or k.startswith("sakagare_xl.")]}
    sys.path.remove(tmp)
    sys.modules.update(new_mods)
    _CURRENT[0] = new_mods
    return old_core, old_batch, old_mods, new_mods


_CURRENT: list = [None]


def _swap(mods):
    """Put one tree's modules under ``sakagare_xl`` (lazy imports inside the code find their own tree);
    what the other tree imported meanwhile is kept with it."""
    prev = _CURRENT[0]
    for k in [k for k in sys.modules if k == "sakagare_xl" or k.startswith("sakagare_xl.")]:
        m = sys.modules.pop(k)
        if prev is not None:
            prev.setdefault(k, m)
    sys.modules.update(mods)
    _CURRENT[0] = mods


def _cpu(fn) -> float:
    was = gc.isenabled()
    gc.disable()
    try:
        t = time.process_time()
        fn()
        return time.process_time() - t
    finally:
        if was:
            gc.enable()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="4f8b984")
    ap.add_argument("--rows", default="1000,20")
    ap.add_argument("--n", type=int, default=6, help="workbooks per size")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--fresh", action="store_true", help="also the first workbook of a process (fresh plan)")
    args = ap.parse_args(argv)
    from bench import workbooks as W
    from bench.floor import floor_compute_one

    with tempfile.TemporaryDirectory(prefix="ab-recalc-") as tmp:
        old_core, old_batch, old_mods, new_mods = _load_old(args.old, tmp + "/old")
        from sakagare_xl.recalc import batch as new_batch
        from sakagare_xl.recalc import core as new_core
        trees = {"old": (old_core, old_batch, old_mods), "new": (new_core, new_batch, new_mods)}
        for rows in [int(x) for x in args.rows.split(",")]:
            src = Path(tmp) / f"src{rows}"
            files = W.make_ours(src, args.n, rows)
            datas = [p.read_bytes() for p in files]
            out = Path(tmp) / f"out{rows}"
            out.mkdir()
            for name, (core, batch, mods) in trees.items():  # warm: imports, caches, a plan
                _swap(mods)
                core.recalc_bytes(datas[0])
                assert core.recalc_bytes(datas[0]).data is not None
            res: dict[str, list[float]] = {"old": [], "new": [], "old_p": [], "new_p": [], "floor": [],
                                           "old_f": [], "new_f": []}
            for _ in range(args.rounds):
                for name, (core, batch, mods) in trees.items():
                    _swap(mods)
                    res[name].append(_cpu(lambda: [core.recalc_bytes(d) for d in datas]) / len(datas))
                    opts = batch.Options()
                    res[name + "_p"].append(_cpu(lambda: [batch.process(batch.Task(str(p), str(out / p.name)), opts)
                                                          for p in files]) / len(files))
                    if args.fresh:
                        def fresh():
                            for m in ("sakagare_xl.recalc.evaluate", "sakagare_xl.recalc.formula"):
                                mod = sys.modules[m]
                                for cache in ("_PLANS", "_CACHE", "_AT"):
                                    if hasattr(mod, cache):
                                        getattr(mod, cache).clear()
                            core.recalc_bytes(datas[1])
                        res[name + "_f"].append(_cpu(fresh))
                res["floor"].append(_cpu(lambda: [floor_compute_one(p, out / p.name) for p in files]) / len(files))
            _swap(new_mods)

            def show(label, key):
                xs = res[key]
                print(f"  {label:34s} {statistics.median(xs) * 1e3:7.2f} ms ({min(xs) * 1e3:.2f}–{max(xs) * 1e3:.2f})")

            def ratio(label, a, b):
                rs = sorted(x / y for x, y in zip(res[a], res[b]))
                print(f"  {label:34s} {statistics.median(rs):6.2f}× ({rs[0]:.2f}–{rs[-1]:.2f}×)")

            print(f"{rows} rows, {len(files)} workbooks, {args.rounds} rounds (CPU ms a workbook):")
            show("recalc_bytes, old", "old")
            show("recalc_bytes, new", "new")
            ratio("recalc_bytes old ÷ new", "old", "new")
            show("batch.process, old", "old_p")
            show("batch.process, new", "new_p")
            show("floor_compute_one", "floor")
            ratio("batch.process ÷ floor, old", "old_p", "floor")
            ratio("batch.process ÷ floor, new", "new_p", "floor")
            if args.fresh:
                show("first workbook (fresh plan), old", "old_f")
                show("first workbook (fresh plan), new", "new_f")
    return 0


if __name__ == "__main__":
    sys.exit(main())
