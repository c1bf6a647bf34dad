"""A Resultat as DataFrames: every number is the engine's, exact; the column names are the CLI's words."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest

from sakagare_xl.berakna_cli import STATUSNAMN, TYPNAMN, render
from sakagare_xl.engine.format import ore
from sakagare_xl.engine.resultat import Rad
from sakagare_xl.tabell import arende_tabell, fordringar_tabell, rader_tabell
from sakagare_xl.tabell.filer import berakna_fil
from sakagare_xl.tabell.resultat import RAD_UTAN, _rad_spec
from sakagare_xl.template.layout import RESULT_COLUMNS

from .conftest import EXAMPLES, WORKBOOKS

CASES = [str(p) for p in EXAMPLES] + [str(p) for p in WORKBOOKS if p.name != "sakagarforteckning.xlsx"]
IDS = [p.rsplit("/", 1)[-1] for p in CASES]


def _na(v):
    import pandas as pd

    return v is None or bool(pd.isna(v))


def _same(cell, value):
    return _na(cell) if value is None else cell == value


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_rows_table_is_the_engines_rows(path):
    arende, res = berakna_fil(path)
    df = rader_tabell(res, arende)
    assert len(df) == len(res.rader)
    insk = {i.id: i for i in arende.inskrivningar}
    for r, rec in zip(res.rader, df.to_dict("records")):
        assert rec["Nr"] == r.nr and rec["Ordning"] == r.ordning
        assert rec["Typ"] == TYPNAMN[r.typ] and rec["Sakägare"] == r.sakagare
        assert _same(rec["Pantbrev"], ", ".join(r.ids) or None)
        assert _same(rec["Förbehåll"], STATUSNAMN.get(r.status) if r.status else None)
        for col, value in (("Förmånsrätt", r.formansratt), ("Kapitaldel", r.kapitaldel), ("Tillägg", r.tillagg),
                           ("Tilläggstak", r.tillagg_tak), ("Utfaller", r.utfaller)):
            assert _same(rec[col], None if value is None else ore(value)), col
        assert bool(rec["Skyddad"]) is r.skyddad
        assert rec["Förklaring"] == r.forklaring
        dag = insk[r.ids[0]].dag if r.ids and r.ids[0] in insk else None
        assert _same(rec["Inskrivningsår"], dag if isinstance(dag, int) else getattr(dag, "year", None))
        if isinstance(dag, dt.date):
            assert rec["Inskrivningsdag"].date() == dag
        else:
            assert _na(rec["Inskrivningsdag"])


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_claims_table_is_the_engines_claims(path):
    _, res = berakna_fil(path)
    df = fordringar_tabell(res)
    assert list(df["Fordran"]) == [f.id for f in res.fordringar]
    for f, rec in zip(res.fordringar, df.to_dict("records")):
        for col, value in (("Belopp", f.fordran), ("Förmånsrätt", f.formansratt), ("Utfaller", f.utfaller),
                           ("Brist", f.brist), ("Brist kapital", f.brist_kapital),
                           ("Brist personlig", f.brist_personlig), ("Förlust", f.brist_forlust)):
            assert _same(rec[col], None if value is None else ore(value)), col
        assert rec["Borgenär"] == f.borgenar and bool(rec["Personligt ansvar"]) is f.personligt_ansvar
        if res.medel is not None:  # RULES §7: what a claim receives and its brist make up the claim
            assert rec["Utfaller"] + rec["Brist"] == rec["Belopp"]
            assert rec["Brist personlig"] + rec["Förlust"] == rec["Brist"]


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_ore_columns_are_the_kronor_columns_in_ore(path):
    arende, res = berakna_fil(path)
    for build in (lambda **k: rader_tabell(res, arende, **k), lambda **k: fordringar_tabell(res, **k),
                  lambda **k: arende_tabell(res, arende, **k)):
        kr, ore_df = build(), build(belopp="ore")
        money = [c for c in kr.columns if kr[c].dtype == object and any(isinstance(v, Decimal) for v in kr[c])]
        assert money
        for c in money:
            assert str(ore_df[c + " (öre)"].dtype) == "Int64"
            for a, b in zip(kr[c], ore_df[c + " (öre)"]):
                assert _na(b) if a is None else b == int(a * 100)
            assert all(v is None or v.as_tuple().exponent == -2 for v in kr[c])  # öre, never float


def test_column_names_are_the_words_users_see():
    arende, res = berakna_fil(str(EXAMPLES[3]))  # e4: a right, costs, ägarhypotek
    text = render(res, explain=False).splitlines()
    headings = [h for line in text if line.startswith(("Nr ", "Fordran ")) for h in re.split(r"\s{2,}", line.strip())]
    names = set(rader_tabell(res, arende).columns) | set(fordringar_tabell(res).columns)
    shown = {"Ordn.": "Ordning", "varav kapital": "Brist kapital"}  # the CLI abbreviates these two
    assert {shown.get(h, h) for h in headings} <= names
    # the workbook's status heading is "Förbehåll" here; "Genom utmätning (FRL 8 §)" is the workbook's split of
    # one table row, which the engine reports as a row of its own (Typ Fordran, FRL 8 §)
    assert {c.heading for c in RESULT_COLUMNS} - {"Förbehåll / upphör / dubbelutrop", "Ägarhypotek",
                                                  "Genom utmätning (FRL 8 §)"} <= names


def test_every_field_of_a_row_has_a_column():
    # a field the engine adds to Rad later (e.g. from another issue) appears under its own name
    spec = _rad_spec()
    assert {f.name for f in dataclasses.fields(Rad)} - RAD_UTAN <= set(spec)


def test_dates_are_dates():
    arende, res = berakna_fil(str(EXAMPLES[3]))
    df = arende_tabell(res, arende)
    assert str(df["Utmätningsdag"].dtype).startswith("datetime64")
    assert df["Utmätningsdag"][0].date() == arende.forsaljning.utmatningsdag
    assert df["Köpeskilling"][0] == ore(arende.forsaljning.kopeskilling)
