"""A :class:`~sakagare_xl.engine.resultat.Resultat` as tables: the rows of the sakägarförteckning,
the claims, and one summary row per case.

The column names are the words users see in ``sakagare-xl berakna`` and in the template
(``Förmånsrätt``, ``Tillägg``, ``Utfaller``, ``Brist`` …); amounts are exact (see
:mod:`sakagare_xl.tabell.kolumner`). The ``*_kolumner`` functions build plain columns (no pandas),
the ``*_tabell`` functions DataFrames.

>>> from decimal import Decimal
>>> from sakagare_xl.berakna_cli import load
>>> from sakagare_xl.engine import berakna
>>> arende, _ = load("examples/e2-lawline-15971.toml")
>>> res = berakna(arende)
>>> f = fordringar_tabell(res)
>>> f[["Fordran", "Utfaller", "Brist"]].values.tolist()  # E2: D receives 10 000 of 25 000
[['A', Decimal('85000.00'), Decimal('0.00')], ['B', Decimal('75000.00'), Decimal('0.00')], ['C', Decimal('12000.00'), Decimal('0.00')], ['D', Decimal('10000.00'), Decimal('15000.00')]]
>>> r = rader_tabell(res, arende)
>>> r.loc[r["Typ"] == "Ägarhypotek", ["Pantbrev", "Inskrivningsår", "Förmånsrätt", "Utfaller"]].values.tolist()
[['P1980', 1980, Decimal('5000.00'), Decimal('5000.00')], ['P1991', 1991, Decimal('28000.00'), Decimal('28000.00')], ['P1996', 1996, Decimal('15000.00'), Decimal('0.00')]]
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from decimal import Decimal
from typing import Any

from ..berakna_cli import STATUSNAMN, TYPNAMN
from ..engine.model import Arende
from ..engine.resultat import FordranResultat, Rad, Resultat
from .kolumner import BELOPP, DATUM, FLAGGA, HELTAL, TEXT, Kolumner

NOLL = Decimal("0.00")

#: Rad field → (column, kind). Fields not named here (``text``, ``andelar``, ``enhet`` aside) still appear,
#: under their field name, so that a field the engine gains later is never dropped silently.
RAD_KOLUMNER: dict[str, tuple[str, str]] = {
    "nr": ("Nr", HELTAL),
    "ordning": ("Ordning", HELTAL),
    "typ": ("Typ", TEXT),
    "sakagare": ("Sakägare", TEXT),
    "ids": ("Pantbrev", TEXT),
    "fordran_ids": ("Fordringar", TEXT),
    "slag": ("Slag", TEXT),
    "formansratt": ("Förmånsrätt", BELOPP),
    "kapitaldel": ("Kapitaldel", BELOPP),
    "tillagg": ("Tillägg", BELOPP),
    "tillagg_tak": ("Tilläggstak", BELOPP),
    "skyddad": ("Skyddad", FLAGGA),
    "status": ("Förbehåll", TEXT),
    "block": ("Block", TEXT),
    "block_formansratt": ("Block tillhopa", BELOPP),  # the block as one post (JB 6:3 2 st.), the CLI's words
    "block_nr": ("Blockets post", HELTAL),
    "utfaller": ("Utfaller", BELOPP),
}
RAD_UTAN = {"text", "andelar", "enhet"}  # the explanation is its own column; shares are in the claims table

FORDRAN_KOLUMNER: dict[str, str] = {
    "Fordran": TEXT,
    "Borgenär": TEXT,
    "Exekutionsfordran": FLAGGA,
    "Personligt ansvar": FLAGGA,
    "Belopp": BELOPP,
    "Kapital": BELOPP,
    "Ränta": BELOPP,
    "Kostnader": BELOPP,
    "Förmånsrätt": BELOPP,
    "Utfaller": BELOPP,
    "Brist": BELOPP,
    "Brist kostnader": BELOPP,
    "Brist ränta": BELOPP,
    "Brist kapital": BELOPP,
    "Brist personlig": BELOPP,
    "Förlust": BELOPP,
}

ARENDE_KOLUMNER: dict[str, str] = {
    "Fastighet": TEXT,
    "Skyddsbelopp": BELOPP,
    "Lägsta bud": BELOPP,
    "Köpeskilling": BELOPP,
    "Medel": BELOPP,
    "Utdelat": BELOPP,
    "Ägarhypotek till ägaren": BELOPP,
    "Överskott": BELOPP,
    "Brist": BELOPP,
    "Brist personlig": BELOPP,
    "Förlust": BELOPP,
    "Utmätningsdag": DATUM,
    "Konkursansökningsdag": DATUM,
    "Fördelningsdag": DATUM,
    "Sakägarförteckningsdag": DATUM,
    "Exekutionsfordran": TEXT,
    "Antal fordringar": HELTAL,
    "Varningar": TEXT,
}


def _kind_of(annotation: str) -> str:
    a = str(annotation)
    if "Decimal" in a:
        return BELOPP
    if a == "bool":
        return FLAGGA
    if a == "int":
        return HELTAL
    return TEXT


def _rad_spec() -> dict[str, tuple[str, str]]:
    spec = dict(RAD_KOLUMNER)
    for f in dataclasses.fields(Rad):
        if f.name not in spec and f.name not in RAD_UTAN:
            spec[f.name] = (f.name, _kind_of(f.type))
    return spec


def _shown(field: str, value: Any) -> Any:
    if field == "typ":
        return TYPNAMN.get(value, value)
    if field == "status":
        return STATUSNAMN.get(value or "", value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) if value else None
    if field == "slag" and value == "":
        return None
    return value


def rader_kolumner(res: Resultat, arende: Arende | None = None, forklaring: bool = True) -> Kolumner:
    """The rows of the sakägarförteckning, a row each, in priority order.

    With ``arende``, the registration behind each row adds ``Inskrivningsdag`` (a date) and
    ``Inskrivningsår`` (also for a registration known only by its year, whose day stays empty).
    """
    spec = _rad_spec()
    cols = {name: kind for name, kind in spec.values()}
    if arende is not None:
        cols = _insert_after(cols, "Slag", {"Inskrivningsdag": DATUM, "Inskrivningsår": HELTAL})
        insk = {i.id: i for i in arende.inskrivningar}
    if forklaring:
        cols["Förklaring"] = TEXT
    k = Kolumner(cols)
    for r in res.rader:
        row = {name: _shown(field, getattr(r, field)) for field, (name, _) in spec.items()}
        if arende is not None and r.ids and r.ids[0] in insk:
            dag = insk[r.ids[0]].dag
            row["Inskrivningsdag"] = dag if isinstance(dag, _dt.date) else None
            row["Inskrivningsår"] = dag.year if isinstance(dag, _dt.date) else dag
        if forklaring:
            row["Förklaring"] = r.forklaring
        k.add(row)
    return k


def _insert_after(cols: dict[str, str], after: str, new: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, kind in cols.items():
        out[name] = kind
        if name == after:
            out.update(new)
    out.update({n: k for n, k in new.items() if n not in out})
    return out


def fordran_rad(f: FordranResultat) -> dict[str, Any]:
    """One claim's columns (plain values)."""
    return {
        "Fordran": f.id, "Borgenär": f.borgenar, "Exekutionsfordran": f.exekutionsfordran,
        "Personligt ansvar": f.personligt_ansvar, "Belopp": f.fordran, "Kapital": f.kapital, "Ränta": f.ranta,
        "Kostnader": f.kostnader, "Förmånsrätt": f.formansratt, "Utfaller": f.utfaller, "Brist": f.brist,
        "Brist kostnader": f.brist_kostnader, "Brist ränta": f.brist_ranta, "Brist kapital": f.brist_kapital,
        "Brist personlig": f.brist_personlig, "Förlust": f.brist_forlust,
    }


def fordringar_kolumner(res: Resultat, forklaring: bool = True, **fixed: Any) -> Kolumner:
    """The claims, a row each (with ``fixed`` columns, e.g. ``Fil``, in front)."""
    cols = {name: TEXT for name in fixed} | FORDRAN_KOLUMNER
    if forklaring:
        cols["Förklaring"] = TEXT
    k = Kolumner(cols)
    for f in res.fordringar:
        row = fixed | fordran_rad(f)
        if forklaring:
            row["Förklaring"] = f.forklaring
        k.add(row)
    return k


def arende_rad(res: Resultat, arende: Arende | None = None) -> dict[str, Any]:
    """The case in one row: skyddsbelopp, lägsta bud, köpeskilling, utdelat, överskott, brist (plain values).

    ``Brist`` is the sum of the claims' brist; ``Brist personlig`` the part that stays a personal claim
    against the debtor and ``Förlust`` the part without personal liability (tredjemanspant).
    """
    priced = res.medel is not None
    row: dict[str, Any] = {
        "Fastighet": res.fastighet or None,
        "Skyddsbelopp": res.skyddsbelopp,
        "Lägsta bud": res.lagsta_bud,
        "Medel": res.medel,
        "Utdelat": res.utdelat,
        "Ägarhypotek till ägaren": res.agarhypotek_till_agaren,
        "Överskott": res.overskott,
        "Brist": sum((f.brist for f in res.fordringar), NOLL) if priced else None,
        "Brist personlig": sum((f.brist_personlig for f in res.fordringar), NOLL) if priced else None,
        "Förlust": sum((f.brist_forlust for f in res.fordringar), NOLL) if priced else None,
        "Exekutionsfordran": res.exekutionsfordran,
        "Antal fordringar": len(res.fordringar),
        "Varningar": " | ".join(res.varningar) or None,
    }
    if arende is not None:
        s = arende.forsaljning
        row.update({
            "Köpeskilling": s.kopeskilling, "Utmätningsdag": s.utmatningsdag,
            "Konkursansökningsdag": s.konkursansokningsdag, "Fördelningsdag": s.fordelningsdag,
            "Sakägarförteckningsdag": s.sakagarforteckningsdag,
        })
    return row


def rader_tabell(res: Resultat, arende: Arende | None = None, *, belopp: str = "decimal", forklaring: bool = True):
    """The sakägarförteckning as a DataFrame, a row per row (``Nr`` 1, 2, …)."""
    return rader_kolumner(res, arende, forklaring).frame(belopp)


def fordringar_tabell(res: Resultat, *, belopp: str = "decimal", forklaring: bool = True):
    """The claims as a DataFrame: förmånsrätt, utfaller, brist (and how the brist splits)."""
    return fordringar_kolumner(res, forklaring).frame(belopp)


def arende_tabell(res: Resultat, arende: Arende | None = None, *, belopp: str = "decimal"):
    """The case as a one-row DataFrame (the columns of :func:`sakagare_xl.tabell.sammanstall`)."""
    k = Kolumner(ARENDE_KOLUMNER)
    k.add(arende_rad(res, arende))
    return k.frame(belopp)
