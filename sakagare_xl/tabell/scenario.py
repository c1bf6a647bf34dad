"""Price scenarios: the fördelning of each case at a list of prices, or at −10 %, −20 %, −30 % … of a value
(a bank's stress test of its collateral), and the expected loss per creditor and in all.

For every case and every price the whole case is computed again by :func:`sakagare_xl.engine.berakna`
(the order of priority does not depend on the price, the fördelning does). A row per claim and
scenario (``per="fordran"``) or per case and scenario (``per="arende"``):

* ``Utfaller``, ``Brist`` (what the sale leaves uncovered), ``Brist personlig`` (of it, what stays a
  personal claim against the debtor) and ``Förlust`` (of it, what has no personal liability behind it:
  tredjemanspant, non-recourse). A stress test of the collateral reads ``Brist``: the exposure the
  property does not cover. Whether the personal claim is worth anything is outside the engine.
* ``Under lägsta bud`` is true when the price is below the skyddsbelopp: no bid that low can be
  accepted (UB 12 kap. 29 §); the fördelning shown is what the rules would give, for comparison.

E4 (Lillbäcken 1:1, köpeskilling 4 000 000) at −10 % and −20 %:

>>> df = scenarier("examples/e4-lillbacken.toml", andringar=["-10 %", "-20 %"])
>>> df[["Scenario", "Pris", "Fordran", "Utfaller", "Brist"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[['−10 %', Decimal('3600000.00'), 'A', Decimal('3540000.00'), Decimal('260000.00')],
 ['−10 %', Decimal('3600000.00'), 'B', Decimal('30000.00'), Decimal('1170000.00')],
 ['−20 %', Decimal('3200000.00'), 'A', Decimal('3170000.00'), Decimal('630000.00')],
 ['−20 %', Decimal('3200000.00'), 'B', Decimal('0.00'), Decimal('1200000.00')]]
>>> brist_per_borgenar(df).loc[["B-banken", "Totalt"]].values.tolist()
[[Decimal('1170000.00'), Decimal('1200000.00')], [Decimal('1430000.00'), Decimal('1830000.00')]]
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ..engine.errors import OgiltigtVarde, SaknatVarde
from ..engine.format import kr, ore, pct
from ..engine.model import Arende, belopp as _belopp
from .filer import felmeddelande, hitta_filer, i_processer, las_arende, med_fel, stapel
from .kolumner import BELOPP, FLAGGA, ORE_SUFFIX, PROCENT, TEXT, Kolumner, check_belopp

PER = ("fordran", "arende")
HUVUD = {"Fil": TEXT, "Fastighet": TEXT, "Scenario": TEXT, "Ändring": PROCENT, "Pris": BELOPP,
         "Lägsta bud": BELOPP, "Under lägsta bud": FLAGGA}
PER_FORDRAN = HUVUD | {"Fordran": TEXT, "Borgenär": TEXT, "Personligt ansvar": FLAGGA, "Belopp": BELOPP,
                       "Förmånsrätt": BELOPP, "Utfaller": BELOPP, "Brist": BELOPP, "Brist personlig": BELOPP,
                       "Förlust": BELOPP, "Fel": TEXT}
PER_ARENDE = HUVUD | {"Utdelat": BELOPP, "Överskott": BELOPP, "Brist": BELOPP, "Brist personlig": BELOPP,
                      "Förlust": BELOPP, "Fel": TEXT}
NOLL = Decimal("0.00")
STRESS = (Decimal("-0.10"), Decimal("-0.20"), Decimal("-0.30"))


def andring(value: Any) -> Decimal:
    """A change of the value as a fraction: ``"-10 %"``, ``"−10%"`` or ``-0.10``; a bare ``-10`` is ambiguous.

    >>> andring("-10 %"), andring(-0.2), andring("−30%")
    (Decimal('-0.1'), Decimal('-0.2'), Decimal('-0.3'))
    >>> andring(-10)
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtVarde: Fel i fältet 'andringar': -10 är tvetydigt: skriv −10 % eller −0,10.
    """
    shown = str(value).strip()
    text = shown.replace("−", "-").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    is_pct = text.endswith("%")
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(text[:-1] if is_pct else text)
    except (InvalidOperation, ValueError):
        raise OgiltigtVarde(f"en ändring i procent väntades (t.ex. −10 %), inte '{shown}'.", "andringar") from None
    if is_pct:
        d = d / 100
    elif abs(d) >= 1:
        raise OgiltigtVarde(f"{shown} är tvetydigt: skriv −10 % eller −0,10.", "andringar")
    if not d.is_finite() or d <= -1:
        raise OgiltigtVarde(f"ändringen {shown} ger inget pris (minst −100 %).", "andringar")
    return d


@dataclasses.dataclass(frozen=True)
class _Plan:
    priser: tuple[Decimal, ...] = ()
    andringar: tuple[Decimal, ...] = ()
    per: str = "fordran"


def _plan(priser, andringar, per) -> _Plan:
    if per not in PER:
        raise OgiltigtVarde(f"'fordran' eller 'arende' väntades, inte '{per}'.", "per")
    if (priser is None) == (andringar is None):
        raise OgiltigtVarde("ange antingen priser eller ändringar (t.ex. −10 %, −20 %, −30 %), inte båda.",
                            "priser")
    if priser is not None:
        p = tuple(_belopp(v, "priser") for v in priser)
        if not p:
            raise SaknatVarde("minst ett pris behövs.", "priser")
        return _Plan(priser=p, per=per)
    a = tuple(andring(v) for v in andringar)
    if not a:
        raise SaknatVarde("minst en ändring behövs.", "andringar")
    return _Plan(andringar=a, per=per)


def _scenarios(plan: _Plan, varde: Decimal | None) -> list[tuple[str, Decimal | None, Decimal]]:
    """(label, change, price) for one case."""
    if plan.priser:
        return [(kr(p) + " kr", None, p) for p in plan.priser]
    if varde is None:
        raise SaknatVarde("värdet saknas: ärendet har ingen köpeskilling och ingen värdekolumn anger det.",
                          "varde")
    return [(pct(a * 100, 0), a, ore(varde * (1 + a))) for a in plan.andringar]


def _ett(namn: str, source: str | Arende, varde: Any, plan: _Plan, tabell) -> Kolumner:
    """Every scenario of one case; an error becomes one row with ``Fel``."""
    from ..engine import berakna

    out = Kolumner(PER_FORDRAN if plan.per == "fordran" else PER_ARENDE)
    try:
        arende = las_arende(source) if isinstance(source, str) else source
        if varde is not None:
            varde = _belopp(varde, "varde", namn)
        elif plan.andringar:
            varde = arende.forsaljning.kopeskilling
        rows = []
        for label, change, price in _scenarios(plan, varde):
            sale = dataclasses.replace(arende.forsaljning, kopeskilling=price)
            res = berakna(Arende(sale, arende.inskrivningar, arende.fordringar), tabell)
            head = {"Fil": namn, "Fastighet": res.fastighet or None, "Scenario": label, "Ändring": change,
                    "Pris": price, "Lägsta bud": res.lagsta_bud, "Under lägsta bud": price < res.lagsta_bud}
            if plan.per == "fordran":
                for f in res.fordringar:
                    rows.append(head | {
                        "Fordran": f.id, "Borgenär": f.borgenar, "Personligt ansvar": f.personligt_ansvar,
                        "Belopp": f.fordran, "Förmånsrätt": f.formansratt, "Utfaller": f.utfaller,
                        "Brist": f.brist, "Brist personlig": f.brist_personlig, "Förlust": f.brist_forlust})
            else:
                rows.append(head | {
                    "Utdelat": res.utdelat, "Överskott": res.overskott,
                    "Brist": sum((f.brist for f in res.fordringar), NOLL),
                    "Brist personlig": sum((f.brist_personlig for f in res.fordringar), NOLL),
                    "Förlust": sum((f.brist_forlust for f in res.fordringar), NOLL)})
    except Exception as exc:  # noqa: BLE001 - one bad case must not stop the portfolio
        out.add({"Fil": namn, "Fel": felmeddelande(exc)})
        return out
    for row in rows:
        out.add(row)
    return out


def _chunk(args: tuple[list[tuple[str, Any, Any]], _Plan]) -> Kolumner:
    from ..referensranta_data import las_tabell

    items, plan = args
    tabell = las_tabell()
    out = Kolumner(PER_FORDRAN if plan.per == "fordran" else PER_ARENDE)
    for namn, source, varde in items:
        out.extend(_ett(namn, source, varde, plan, tabell))
    return out


def _items(kallor: Any, varde: Any) -> tuple[list[tuple[str, Any, Any]], list[tuple[str, str]]]:
    """(name, path or Arende, value or None) per case, and the paths that name no file."""
    values: Mapping | None = None
    column = None
    if isinstance(varde, str):
        column = varde
    elif varde is not None:
        values = varde  # a dict or a pandas Series: name -> value
    if hasattr(kallor, "columns") and hasattr(kallor, "itertuples"):  # a DataFrame, e.g. from sammanstall
        if "Fil" not in kallor.columns:
            raise SaknatVarde("tabellen behöver kolumnen Fil (som sammanstall ger).", "Fil")
        if column is not None and column not in kallor.columns:
            raise SaknatVarde(f"tabellen har ingen kolumn '{column}'.", "varde")
        ok = kallor["Fel"].isna() if "Fel" in kallor.columns else [True] * len(kallor)
        fils = [str(f) for f, good in zip(kallor["Fil"], ok) if good]
        vals = [v for v, good in zip(kallor[column], ok) if good] if column is not None else [None] * len(fils)
        return [(f, f, None if _missing(v) else v) for f, v in zip(fils, vals)], []
    if column is not None:
        raise OgiltigtVarde("en värdekolumn (text) går bara med en tabell som har kolumnen Fil; "
                            "ge annars värdena som en ordbok fil → värde.", "varde")
    if isinstance(kallor, Arende):
        kallor = [kallor]
    if isinstance(kallor, Mapping):
        pairs = [(str(k), v) for k, v in kallor.items()]
    elif isinstance(kallor, (str, os.PathLike)):
        pairs = None
        kallor = [kallor]
    else:
        kallor = list(kallor)
        pairs = None
    fel: list[tuple[str, str]] = []
    if pairs is None:
        if all(isinstance(k, Arende) for k in kallor):
            pairs = [(f"ärende {n}", a) for n, a in enumerate(kallor, start=1)]
        else:
            filer, fel = hitta_filer(kallor)
            pairs = [(f, f) for f in filer]
    items = [(name, src, None if values is None else values.get(name)) for name, src in pairs]
    return items, fel


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v) in ("<NA>", "NaT", "nan")


def scenarier_kolumner(kallor: Any, *, priser: Iterable[Any] | None = None, andringar: Iterable[Any] | None = None,
                       varde: Any = None, per: str = "fordran", jobs: int = 1,
                       progress: bool | None = None) -> Kolumner:
    """The columns of :func:`scenarier`, without pandas."""
    plan = _plan(priser, andringar, per)
    if plan.priser and varde is not None:
        raise OgiltigtVarde("ett värde att räkna ändringar från går bara med ändringar, inte med fasta priser.",
                            "varde")
    items, fel = _items(kallor, varde)
    out = Kolumner(PER_FORDRAN if plan.per == "fordran" else PER_ARENDE)
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    bar = stapel(len(items), "scenarier", progress)
    try:
        if jobs == 1 or len(items) < 2:
            from ..referensranta_data import las_tabell

            tabell = las_tabell()
            for namn, source, v in items:
                out.extend(_ett(namn, source, v, plan, tabell))
                bar.update(1)
        else:
            i_processer(out, items, _chunk, (plan,), jobs, bar, most=500)
    finally:
        bar.close()
    return med_fel(out, fel)


def scenarier(kallor: Any, *, priser: Iterable[Any] | None = None, andringar: Iterable[Any] | None = None,
              varde: Any = None, per: str = "fordran", belopp: str = "decimal", jobs: int = 1,
              progress: bool | None = None):
    """The fördelning of every case at every price, as a DataFrame (see the module docstring).

    ``kallor``: case files, folders or glob patterns; :class:`~sakagare_xl.engine.model.Arende` objects
    (a list, or a dict name → Arende); or a DataFrame with the column ``Fil`` (e.g. from
    :func:`sakagare_xl.sammanstall`, whose rows with ``Fel`` are skipped).

    Either ``priser`` (the same prices for every case) or ``andringar`` (``["-10 %", "-20 %", "-30 %"]``,
    or fractions ``-0.1``) of each case's value: by default its köpeskilling; ``varde`` names a column of
    the ``kallor`` DataFrame (e.g. a bank's ``Marknadsvärde``) or is a mapping (dict, Series) from ``Fil``
    to value. Prices are rounded to öre.

    ``jobs`` processes on this machine (``0`` = all cores). A case that fails gets one row with ``Fel``;
    the rest go on. A progress bar (tqdm) shows on stderr when a run lasts more than 2 s and stderr is
    a terminal (``progress=True`` always, ``False`` never).
    """
    check_belopp(belopp)
    return scenarier_kolumner(kallor, priser=priser, andringar=andringar, varde=varde, per=per, jobs=jobs,
                              progress=progress).frame(belopp)


def _amount_column(df, name: str) -> str:
    for col in (name, name + ORE_SUFFIX):
        if col in df.columns:
            return col
    raise SaknatVarde(f"tabellen har ingen kolumn '{name}'.", name)


def brist_per_borgenar(df, varde: str = "Brist"):
    """Expected loss per creditor and in all: the sum of ``varde`` (``Brist``, ``Brist personlig`` or
    ``Förlust``) per ``Borgenär`` (rows) and ``Scenario`` (columns, in the order of the table), with a
    last row ``Totalt``. Rows with ``Fel`` are left out (list them with ``df[df["Fel"].notna()]``)."""
    from ._pd import pandas

    pd = pandas()
    col = _amount_column(df, varde)
    if "Borgenär" not in df.columns:
        raise SaknatVarde("tabellen har ingen kolumn 'Borgenär' (räkna scenarierna med per='fordran').", "Borgenär")
    good = df[df["Fel"].isna()] if "Fel" in df.columns else df
    order = list(dict.fromkeys(good["Scenario"]))
    zero = 0 if col.endswith(ORE_SUFFIX) else NOLL
    sums: dict[str, dict[str, Any]] = {}
    for who, scen, v in zip(good["Borgenär"], good["Scenario"], good[col]):
        cell = sums.setdefault(who, {})
        cell[scen] = cell.get(scen, zero) + (zero if _missing(v) else v)
    table = pd.DataFrame.from_dict(sums, orient="index", columns=order).sort_index()
    table = table.fillna(zero) if len(table) else table
    total = {s: sum((table[s].tolist()), zero) for s in order}
    table.loc["Totalt"] = [total[s] for s in order]
    table.index.name = "Borgenär"
    table.columns.name = "Scenario"
    if not col.endswith(ORE_SUFFIX):
        table = table.astype(object)
    return table
