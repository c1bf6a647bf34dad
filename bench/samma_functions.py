"""The Excel functions of an older commit and of this tree give the same results: ``python -m bench.samma_functions
[--old COMMIT] [--seeds N]``.

The package of ``COMMIT`` (default 4f8b984, before the third Excel-function round of issue 12) is unpacked with
``git archive`` into a temporary folder and imported beside the working tree's (as ``bench/ab_engine.py`` does).
Both run the same sequence of calls of every function in ``adapters.functions.FUNCTIONS`` and each result is
compared by ``repr`` (a value) or by class and message (a Swedish error):

* the generated ``Sak`` ranges of 10 … 1 000 rows (``bench.cases.sak_range``, several seeds), priced and
  unpriced, and the ``Sak`` range of every workbook in ``workbook/`` (``template.reader.read_values``);
* table rows (all of a small range; of a large one the first, the last and every 37th) × every ``SAK_RAD``
  column and ``FORKLARING``, every ``SAK_SUMMA`` column,
  ``COVERAGE``, ``BRIST``, ``OVERSKOTT``, ``FORDELNING``, ``SKYDDSBELOPP``, and a few ``TILLAGG``,
  ``TILLAGG_DATUM``, ``REFERENSRANTA``;
* in two orders (numbers first, then explanations; explanations first), with the memo cleared between
  ranges and kept within one, on a fresh list per call (as xlwings sends), on the same list, on a tuple of
  tuples (as recalc sends), and on the same list changed in place between calls;
* ranges with cells changed at random to values Excel can hand over (blanks, texts, negative amounts, TRUE
  and 1, serial days, error texts), so that errors and their messages are compared too.

Exits 1 at the first difference (printed), else prints how many results were compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import random
import sys
import tempfile
from pathlib import Path

from bench import old as old_package
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: what a cell may be changed to (the random variants)
_POOL: list[Any] = [
    None, "", " ", "tio", -100.0, 0.0, 1.0, True, False, 1, 0, 2.5, 1e12, float("nan"), "#N/A", "Ja", "Nej",
    "servitut", "fordran", "frl6", "okänt", "P1", "P1; P2", 43101.0, 1984.0, dt.datetime(1700, 1, 1),
    dt.datetime(2019, 2, 1), dt.date(2019, 2, 1), "2019-02-01", "1 300 000,50", 70000.0, 123456.78,
]


def _outcome(fn, *args) -> str:
    try:
        return "= " + repr(fn(*args))
    except Exception as exc:  # noqa: BLE001 - the class and message are what is compared
        return f"! {type(exc).__name__}: {exc}"


def _ranges(seeds: int) -> list[tuple[str, list[list[Any]], Any]]:
    from sakagare_xl.template.reader import read_values

    from . import cases

    out: list[tuple[str, list[list[Any]], Any]] = []
    for n in (10, 30, 100, 300, 1000):
        for seed in range(1, seeds + 1):
            rows, price = cases.sak_range(n, seed)
            out.append((f"sak_range({n}, {seed})", rows, price))
    for path in sorted((ROOT / "workbook").glob("*.xlsx")):
        rows, _topleft = read_values(path)
        out.append((path.name, [list(r) for r in rows], None))
    rnd = random.Random(12)
    for name, rows, price in list(out[: 3 * seeds]) + [o for o in out if o[0].endswith(".xlsx")]:
        for variant in range(6):
            changed = [list(r) for r in rows]
            for _ in range(1 + variant % 3):
                r = rnd.randrange(len(changed))
                c = rnd.randrange(len(changed[r]))
                changed[r][c] = rnd.choice(_POOL)
            out.append((f"{name}, variant {variant}", changed, price))
    return out


def _calls(F, rows: list[list[Any]], price: Any, order: str, shape: str):
    """(label, result) of the sequence of calls for one range."""
    n_table = max(len(rows) - 1 - next((i for i, r in enumerate(rows) if r and str(r[0]).strip() == "Ordning"),
                                        len(rows) - 1), 1)
    fresh = {"fresh": lambda: [list(r) for r in rows], "same": lambda: rows,
             "tuple": lambda: tuple(map(tuple, rows))}[shape]
    same_tuple = tuple(map(tuple, rows))
    arg = (lambda: same_tuple) if shape == "tuple" else fresh
    prices = [price, None] if price is not None else [None, 1e6]
    # every row of a small range; of a large one the first 12, the last 6 and every 37th (COVERAGE and BRIST
    # cover every row anyway)
    ks = list(range(1, n_table + 2)) if n_table <= 40 else sorted(
        {*range(1, 13), *range(n_table - 4, n_table + 2), *range(13, n_table, 37)})
    numbers = []
    for p in prices:
        numbers += [("COVERAGE", (p,)), ("BRIST", (p,)), ("OVERSKOTT", (p,)), ("SKYDDSBELOPP", ())]
        numbers += [("SAK_SUMMA", (k, p)) for k in F.SUMMOR]
        numbers += [("SAK_RAD", (k, kol, p)) for k in ks for kol in F.RADKOLUMNER
                    if kol != "forklaring"]
    texts = []
    for p in prices:
        texts += [("FORDELNING", (p,))]
        texts += [("FORKLARING", (k, p)) for k in ks]
        texts += [("SAK_RAD", (k, "forklaring", p)) for k in ks]
    seq = numbers + texts if order == "numbers" else texts + numbers
    for name, args in seq:
        yield f"{name}{args}", _outcome(F.FUNCTIONS[name], arg(), *args)


def _scalars(F):
    for args in ((700000, 0.02, 6), (100000, 0.02, 2, 116000), (-1, 0.02, 6), ("tio", 0.02, 6), (1e6, 2, 6)):
        yield f"TILLAGG{args}", _outcome(F.FUNCTIONS["TILLAGG"], *args)
    for args in ((700000, 43101, 43282), (700000, dt.date(2018, 1, 1), dt.date(2019, 3, 1), 900000),
                 (1, 43282, 43101), (1, 43101, 43282, None, None, "dagar")):
        yield f"TILLAGG_DATUM{args}", _outcome(F.FUNCTIONS["TILLAGG_DATUM"], *args)
    for day in (43101, dt.date(2020, 7, 1), "1800-01-01", None):
        yield f"REFERENSRANTA({day!r})", _outcome(F.FUNCTIONS["REFERENSRANTA"], day)


def _in_place(F, rows: list[list[Any]], price: Any):
    """The same list object, changed in place between calls (a memo keyed on identity would be wrong)."""
    same = [list(r) for r in rows]
    yield "in place 0", _outcome(F.FUNCTIONS["COVERAGE"], same, price)
    last = len(same) - 1
    for col in range(len(same[last])):
        for value in (70000.0, "tio", True, 1.0, None):
            same[last][col] = value
            yield f"in place [{last}][{col}] = {value!r}", _outcome(F.FUNCTIONS["COVERAGE"], same, price)
            yield f"in place [{last}][{col}] = {value!r}, SAK_RAD", _outcome(
                F.FUNCTIONS["SAK_RAD"], same, last, "formansratt", price)


def _sequence(F, ranges, full: bool):
    F.CACHE.clear()
    yield from _scalars(F)
    for i, (name, rows, price) in enumerate(ranges):
        shapes = ("fresh", "same", "tuple") if full or i % 3 == 0 else ("fresh",)
        for shape in shapes:
            for order in ("numbers", "texts"):
                F.CACHE.clear()
                for label, result in _calls(F, rows, price, order, shape):
                    yield f"{name} [{shape}, {order} first] {label}", result
        if i % 4 == 0:
            F.CACHE.clear()
            for label, result in _in_place(F, rows, price):
                yield f"{name} {label}", result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.samma_functions", description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="4f8b984", help="the commit to compare with")
    ap.add_argument("--seeds", type=int, default=2, help="generated ranges per size")
    ap.add_argument("--full", action="store_true", help="every range in every shape (slower)")
    args = ap.parse_args(argv)
    from sakagare_xl.adapters import functions as new

    ranges = _ranges(args.seeds)
    got_new = list(_sequence(new, ranges, args.full))
    with tempfile.TemporaryDirectory() as tmp:
        old_package.import_old(args.old, tmp)
        old = importlib.import_module("sakagare_xl.adapters.functions")
        assert Path(old.__file__).is_relative_to(tmp), old.__file__
        got_old = list(_sequence(old, ranges, args.full))
    if len(got_old) != len(got_new):
        print(f"different numbers of calls: old {len(got_old)}, new {len(got_new)}")
        return 1
    errors = sum(r.startswith("!") for _, r in got_new)
    for (label, a), (label_b, b) in zip(got_old, got_new):
        assert label == label_b
        if a != b:
            print(f"DIFFERENT: {label}\n  old {a[:400]}\n  new {b[:400]}")
            return 1
    print(f"same: {len(got_new)} results ({errors} of them errors) over {len(ranges)} ranges, old {args.old} "
          f"vs this tree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
