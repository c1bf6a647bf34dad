"""Proof that an engine change is a pure speed change: ``python -m bench.samma_engine [--old COMMIT] [--random N]``.

The engine of ``COMMIT`` (default 4f8b984, before the third engine round of issue 12) is unpacked with
``git archive`` into a temporary folder and imported beside the working tree's (as ``bench/ab_engine.py``
does). Both compute the same input objects, and a canonical dump of each result is compared: every field's
``repr`` of the ``Resultat``, of every ``Rad`` and every ``FordranResultat`` (so ``Decimal('0.00')`` and
``Decimal('0')`` differ), the class names, every explanation, the properties (``lagsta_bud``, ``utdelat``,
``brist_personlig``, ``brist_forlust``), the warnings and the ``to_dict()`` JSON; a case that fails must fail
with the same error class and message. The inputs:

- every ``examples/*.toml`` and every case file of ``tests/reliability/corpus/cases`` (with the dubbelutrop
  decided where the file gives bids, as ``sakagare-xl berakna`` does), and the shipped workbooks in
  ``workbook/`` read with the template reader;
- ``bench.cases.arende(n)`` for n from 10 to 10 000 (two seeds), with its price and without;
- ``N`` (default 1 500) random cases drawn from the property tests' strategy (``tests/engine/
  test_properties.cases``: konkurs, blocks, second-hand pledges, utmätningar of the property and of pantbrev,
  simultaneous attachments), each with its drawn price, without a price, and priced at its skyddsbelopp; every
  third also in two variants: the same amounts written with other exponents (``5E+3`` for 5 000, ``-0`` for 0:
  the results must not show them) and amounts with parts of an öre (+0,005 kr, +0,0049 kr); and every fifth
  made invalid in one or two ways (a claim id twice, an unknown or a right's id as pantbrev, two
  exekutionsfordringar, none, ``ordning`` on only one of a day's registrations), so validation must raise the
  same first error.

Prints what was compared (and how many random cases had each feature) and exits 1 on any difference,
showing the first lines that differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import sys
import tempfile
from pathlib import Path

from bench import old as old_package

ROOT = Path(__file__).resolve().parents[1]


def dump(res) -> str:
    """Every field of a result, of its rows and claims, as ``repr``; explanations rendered; the JSON."""
    out = [type(res).__name__]
    for f in dataclasses.fields(res):
        name = f.name
        if name in ("rader", "fordringar"):
            for x in getattr(res, name):
                out.append(_dump_obj(x))
        elif name == "text_skyddsbelopp":
            out.append("forklaring_skyddsbelopp=" + repr(res.forklaring_skyddsbelopp))
        else:
            out.append(f"{name}={getattr(res, name)!r}")
    out.append(f"lagsta_bud={res.lagsta_bud!r} utdelat={res.utdelat!r}")
    out.append(json.dumps(res.to_dict(), ensure_ascii=False))
    return "\n".join(out)


def _dump_obj(x) -> str:
    parts = [type(x).__name__]
    for f in dataclasses.fields(x):
        if f.name == "text":
            parts.append("forklaring=" + repr(x.forklaring))
        else:
            parts.append(f"{f.name}={getattr(x, f.name)!r}")
    if hasattr(x, "brist_personlig"):
        parts.append(f"brist_personlig={x.brist_personlig!r} brist_forlust={x.brist_forlust!r}")
    return " ".join(parts)


def run(engine: dict, arende, bids=None) -> str:
    """The dump of one computation, or the error it raised (class and message)."""
    try:
        res = engine["berakna"](arende, engine["tabell"])
        if bids:
            res = engine["avgor_dubbelutrop"](res, bids)
        return dump(res)
    except Exception as exc:  # noqa: BLE001 (the error itself is what is compared)
        return f"error {type(exc).__name__}: {exc}"


def _priced(arende, price):
    return dataclasses.replace(arende, forsaljning=dataclasses.replace(arende.forsaljning, kopeskilling=price))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="4f8b984", help="the commit to compare with")
    ap.add_argument("--random", type=int, default=1500, help="how many random cases (default 1 500)")
    args = ap.parse_args(argv)

    # the new package and everything that builds inputs, imported before the old package takes the name
    import sakagare_xl.engine as new_engine
    from sakagare_xl.berakna_cli import load
    from sakagare_xl.referensranta_data import las_tabell
    from sakagare_xl.template.reader import read_case

    from . import cases
    sys.path.insert(0, str(ROOT))
    from tests.engine import test_properties

    new = {"berakna": new_engine.berakna, "avgor_dubbelutrop": new_engine.avgor_dubbelutrop, "tabell": las_tabell()}

    inputs: list[tuple[str, object, list]] = []  # (label, arende or an error text, bids)
    files = sorted((ROOT / "examples").glob("*.toml")) + sorted((ROOT / "tests/reliability/corpus/cases").glob("*.toml"))
    for path in files + sorted((ROOT / "workbook").glob("*.xlsx")):
        try:
            arende, bids = load(str(path)) if path.suffix == ".toml" else read_case(str(path))
        except Exception:  # noqa: BLE001 (a corpus file the reader refuses never reaches the engine)
            inputs.append((path.name + " (refused by the reader)", None, []))
            continue
        inputs.append((path.name, arende, bids))
        if arende.forsaljning.kopeskilling is not None:
            inputs.append((path.name + " without price", _priced(arende, None), []))
    n_files = len(inputs)
    sizes = [10, 11, 30, 77, 100, 300, 1_000, 1_234, 3_000, 10_000]
    for n in sizes:
        for seed in (1, 2):
            a = cases.arende(n, seed)
            inputs.append((f"bench.cases.arende({n}, seed={seed})", a, []))
            inputs.append((f"bench.cases.arende({n}, seed={seed}) without price", _priced(a, None), []))
    n_bench = len(inputs) - n_files

    drawn = _draw(test_properties.cases(), args.random)

    with tempfile.TemporaryDirectory() as tmp:
        old_package.import_old(args.old, tmp)
        old_engine = importlib.import_module("sakagare_xl.engine")
        assert Path(old_engine.__file__).is_relative_to(tmp), old_engine.__file__
        old = {"berakna": old_engine.berakna, "avgor_dubbelutrop": old_engine.avgor_dubbelutrop,
               "tabell": importlib.import_module("sakagare_xl.referensranta_data").las_tabell()}

        diffs: list[tuple[str, str, str]] = []
        compared = 0
        errors = [0]  # computations that raised (the same error in both, or a difference)

        def compare(label, arende, bids=()):
            nonlocal compared
            a, b = run(old, arende, bids), run(new, arende, bids)
            compared += 1
            errors[0] += a.startswith("error ")
            if a != b:
                diffs.append((label, a, b))
            return a

        for label, arende, bids in inputs:
            if arende is not None:
                compare(label, arende, bids)
        features = dict.fromkeys(("with price", "without price", "at the skyddsbelopp", "konkurs", "a block",
                                  "second-hand pledge", "attached pantbrev", "simultaneous attachment",
                                  "utmätning of the property", "rights", "an error", "exponents",
                                  "parts of an öre", "invalid variants"), 0)
        for k, arende in enumerate(drawn):
            first = compare(f"random case {k}", arende)
            compare(f"random case {k} without price", _priced(arende, None))
            features["with price"] += 1
            features["without price"] += 1
            res = None
            try:
                res = new["berakna"](_priced(arende, None), new["tabell"])
            except Exception:  # noqa: BLE001
                features["an error"] += 1
            if res is not None:
                compare(f"random case {k} at its skyddsbelopp", _priced(arende, res.skyddsbelopp))
                features["at the skyddsbelopp"] += 1
                _count(features, arende, res)
            del first
            if k % 5 == 0:
                for what, bad in _invalid(arende):
                    compare(f"random case {k}, {what}", bad)
                    features["invalid variants"] += 1
            if k % 3 == 0:
                for what, variant in (("exponents", _exponents), ("parts of an öre", _sub_ore)):
                    try:
                        v = variant(arende)
                    except Exception:  # noqa: BLE001 (a variant the model refuses is not compared)
                        continue
                    compare(f"random case {k}, {what}", v)
                    compare(f"random case {k}, {what}, without price", _priced(v, None))
                    features[what] += 1

    print(f"samma_engine: old engine {args.old} vs the working tree, {compared} computations compared "
          f"({errors[0]} of them raised an error in the old engine)")
    refused = sum(arende is None for _, arende, _ in inputs)
    print(f"  {n_files - refused} from files (examples/*.toml, the reliability corpus, workbook/*.xlsx; with and without "
          f"price; {refused} corpus files the reader refuses, not compared)")
    print(f"  {n_bench} bench.cases.arende(n) for n in {sizes}, seeds 1 and 2, with and without price")
    print(f"  {len(drawn)} random cases from tests/engine/test_properties.cases, each: "
          + ", ".join(f"{k} {v}" for k, v in features.items()))
    if diffs:
        print(f"DIFFERENT: {len(diffs)} of {compared}")
        for label, a, b in diffs[:5]:
            print(f"--- {label}")
            la, lb = a.splitlines(), b.splitlines()
            for k in range(max(len(la), len(lb))):
                x = la[k] if k < len(la) else "<none>"
                y = lb[k] if k < len(lb) else "<none>"
                if x != y:
                    print(f"  old: {x[:600]}\n  new: {y[:600]}")
                    break
        return 1
    print("identical: every dump is the same")
    return 0


def _amounts(arende, fn):
    """``arende`` with ``fn`` applied to every amount (pantbrev, claims, costs, price)."""
    from decimal import Decimal

    def m(x):
        return fn(x) if isinstance(x, Decimal) else x

    f = arende.forsaljning
    sale = dataclasses.replace(f, forrattningskostnader=m(f.forrattningskostnader), kopeskilling=m(f.kopeskilling),
                               ranta_kopeskilling=m(f.ranta_kopeskilling))
    insk = [dataclasses.replace(i, belopp=m(i.belopp)) if i.belopp is not None else i for i in arende.inskrivningar]
    ford = [dataclasses.replace(c, kapital=m(c.kapital), ranta=m(c.ranta), kostnader=m(c.kostnader))
            for c in arende.fordringar]
    return dataclasses.replace(arende, forsaljning=sale, inskrivningar=tuple(insk), fordringar=tuple(ford))


def _exponents(arende):
    from decimal import Decimal

    return _amounts(arende, lambda x: x.normalize() if x else Decimal("-0"))


def _sub_ore(arende):
    from decimal import Decimal

    parts = [Decimal("0.005"), Decimal("0.0049"), Decimal("0")]
    count = iter(range(10 ** 9))
    return _amounts(arende, lambda x: x + parts[next(count) % 3])


def _invalid(arende):
    """(what, case) pairs: ``arende`` made invalid in one or two ways."""
    ins, ford = list(arende.inskrivningar), list(arende.fordringar)
    out = []

    def case(i=ins, f=ford):
        return dataclasses.replace(arende, inskrivningar=tuple(i), fordringar=tuple(f))

    if ford:
        out.append(("a claim id twice", case(f=ford + [ford[0]])))
        out.append(("an unknown pantbrev", case(f=[dataclasses.replace(ford[-1], pantbrev=("NOPE",))] + ford[:-1])))
        rights = [i.id for i in ins if i.slag != "inteckning"]
        if rights:
            out.append(("a right as pantbrev", case(f=ford[:-1] + [dataclasses.replace(ford[-1], pantbrev=(rights[0],),
                                                                                       overhypotek=(), utmatta_pantbrev=())])))
        out.append(("two exekutionsfordringar", case(f=[dataclasses.replace(c, exekutionsfordran=True) for c in ford])))
        out.append(("no exekutionsfordran", case(f=[dataclasses.replace(c, exekutionsfordran=False) for c in ford])))
        out.append(("an unknown pantbrev and two exekutionsfordringar",
                    case(f=[dataclasses.replace(c, exekutionsfordran=True) for c in ford]
                         + [dataclasses.replace(ford[0], id="X", pantbrev=("NOPE",))])))
    if ins:
        same_day = dataclasses.replace(ins[0], id=ins[0].id + "b", ordning=1)
        out.append(("ordning on one of a day's registrations", case(i=ins + [same_day])))
        out.append(("a registration id twice", case(i=ins + [ins[0]])))
    return out


def _draw(strategy, n: int) -> list:
    """``n`` examples of a hypothesis strategy, deterministic (derandomized, no shrinking, no database)."""
    from hypothesis import HealthCheck, Phase, given, settings

    out: list = []

    @settings(max_examples=n, database=None, derandomize=True, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(arende):
        out.append(arende)

    collect()
    return out


def _count(features: dict, arende, res) -> None:
    f = arende.forsaljning
    features["konkurs"] += f.konkurs
    features["a block"] += any(r.block for r in res.rader)
    features["second-hand pledge"] += any(r.typ == "overhypotek" for r in res.rader)
    features["attached pantbrev"] += any(r.typ == "utmatt" for r in res.rader)
    per_pantbrev: dict[tuple, int] = {}
    for c in arende.fordringar:
        for p in c.utmatta_pantbrev:
            key = (p, c.utmatningsdag or f.utmatningsdag)
            per_pantbrev[key] = per_pantbrev.get(key, 0) + 1
    features["simultaneous attachment"] += any(v > 1 for v in per_pantbrev.values())
    features["utmätning of the property"] += any(r.typ in ("fordran",) and not r.ids for r in res.rader)
    features["rights"] += any(r.typ == "rattighet" for r in res.rader)


if __name__ == "__main__":
    sys.exit(main())
