"""formualizer as recalc's evaluator? Measured against recalc in the same run (issue 11).

    python bench/formualizer_eval.py [--n 10] [--reps 3]

Per workbook, in memory, medians over ``--reps`` rounds (the first round of each side warms up caches):

* ``recalc``: ``recalc_bytes(data, full=True)`` — read, plan, evaluate every formula, patch, new zip;
* ``fz eval``: formualizer ``Workbook.from_bytes`` + our functions registered + ``evaluate_all`` + every
  formula value read back — evaluation only; writing would still need recalc's byte-exact patch (+ the
  ``patch`` column: recalc's own patch and zip of the same values);
* ``fz file``: ``formualizer.recalculate_xlsx_bytes`` (its own load → evaluate → write of the caches),
  for workbooks without our functions only (it takes no Python functions).

Workbooks: the peers' (``bench/peers/gen.py``, 20 and 1 000 rows, no cached values, no function of ours),
ours (the same with ``G = TILLAGG(…)``) and the shipped examples (``workbook/exempel-*.xlsx``, ovning) with
every formula's value removed. Agreement of the values is checked on the way (cells that differ).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import formualizer as fz  # noqa: E402

from bench.workbooks import make_ours, make_peer  # noqa: E402
from sakagare_xl.adapters.functions import FUNCTIONS  # noqa: E402
from sakagare_xl.recalc.core import recalc_bytes  # noqa: E402
from tests.recalc import oracle  # noqa: E402
from tests.recalc.helpers import rewrite_sheets  # noqa: E402

_FV = re.compile(rb"(<f>[^<]*</f>|<f [^>]*/>|<f [^>]*>[^<]*</f>)<v>[^<]*</v>")


def without_values(data: bytes) -> bytes:
    return rewrite_sheets(data, lambda xml: _FV.sub(rb"\1", xml))


def fz_eval(data: bytes) -> dict:
    return oracle.oracle_values(data, FUNCTIONS)


def fz_file(data: bytes) -> bytes:
    return fz.recalculate_xlsx_bytes(data)["bytes"]


def _median_ms(fn, items, reps):
    times = []
    for _ in range(reps + 1):
        t = time.perf_counter()
        for d in items:
            fn(d)
        times.append((time.perf_counter() - t) / len(items) * 1000)
    return statistics.median(times[1:])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="fzbench-"))
    sets = {}
    for rows in (20, 1000):
        sets[f"peers {rows}"] = [p.read_bytes() for p in make_peer(tmp / f"p{rows}", a.n, rows)]
        sets[f"ours {rows}"] = [p.read_bytes() for p in make_ours(tmp / f"o{rows}", a.n, rows)]
    sets["examples"] = [without_values(p.read_bytes()) for p in sorted((ROOT / "workbook").glob("*.xlsx"))
                        if p.name != "sakagarforteckning.xlsx"]
    from importlib.metadata import version

    print(f"formualizer {version('formualizer')}, {a.n} workbooks per set, median of {a.reps} rounds, "
          "ms per workbook")
    print(f"{'set':<12} {'recalc':>9} {'fz eval':>9} {'ratio':>7} {'fz file':>9} {'ratio':>7}  disagreeing cells")
    for name, items in sets.items():
        t_rc = _median_ms(lambda d: recalc_bytes(d, full=True), items, a.reps)
        t_fe = _median_ms(fz_eval, items, a.reps)
        plain = name.startswith("peers")
        t_ff = _median_ms(fz_file, items, a.reps) if plain else None
        bad = 0
        for d in items:
            out = recalc_bytes(d, full=True)
            bad += len(oracle.compare(out.data, FUNCTIONS, source=d))
        ff = f"{t_ff:9.1f} {t_ff / t_rc:6.1f}×" if t_ff is not None else f"{'—':>9} {'':>7}"
        print(f"{name:<12} {t_rc:9.1f} {t_fe:9.1f} {t_fe / t_rc:6.1f}× {ff}  {bad}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
