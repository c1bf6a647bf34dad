"""Tillägg (JB 6 kap. 3 §): table-driven ceilings, time methods and the referensränta table."""

import datetime as dt
from decimal import Decimal as D

import pytest

from sakagare_xl.engine import ReferensrantaSaknas, tillagg_anvant, tillagg_tak, tillagg_tak_datum
from sakagare_xl.engine.errors import OgiltigtDatum
from sakagare_xl.engine.tid import tid

d = dt.date


@pytest.mark.parametrize("belopp, ranta, manader, expected, source", [
    (700000, 2, 6, D(126000), "seed example E5: 700 000 × 18 % − capital"),
    (100000, 2, 2, D(16000), "Lawline E1: 15 000 + 500 × 2"),
    (89000, 2, 3, D(14685), "Lawline E3: B's ceiling"),
    (3000000, 2, 6, D(540000), "Pluggakuten E4: A's ceiling"),
    (90000, D("1.5"), 0, D(13500), "Lawline 15971 E2: no time, 15 % only"),
    (100000, D("-0.5"), 12, D(18500), "RULES §3: no floor, −0,50 % gives 3,50 % a year"),
    (100000, 0, 12, D(19000), "0 % referensränta: 4 % a year"),
])
def test_tillagg_tak_fixed(belopp, ranta, manader, expected, source):
    assert tillagg_tak(D(belopp), D(ranta), D(manader)) == expected, source


@pytest.mark.parametrize("belopp, fordran, tak, expected", [
    (100000, 116000, 16000, 16000),   # E1: the claim uses the whole ceiling
    (70000, 75000, 10500, 5000),      # E2 B: only what the claim needs
    (100000, 90000, 16000, 0),        # claim below the pantbrev: no tillägg (never negative)
    (100000, 200000, 16000, 16000),   # claim far above: capped
])
def test_tillagg_anvant(belopp, fordran, tak, expected):
    assert tillagg_anvant(D(belopp), D(fordran), D(tak)) == D(expected)


@pytest.mark.parametrize("fran, till, metod, text, years", [
    (d(2018, 1, 1), d(2018, 7, 1), "manader", "6/12", D(1) / 2),     # RULES §3: 2018-01-01 → 2018-07-01 is 6 months
    (d(2013, 10, 1), d(2013, 12, 1), "manader", "2/12", D(2) / 12),
    (d(2013, 10, 1), d(2013, 12, 1), "dagar", "61/365", D(61) / 365),
    (d(2013, 2, 1), d(2013, 5, 1), "dagar", "89/365", D(89) / 365),  # E3, non-leap year
    (d(2013, 3, 15), d(2013, 4, 1), "manader", "(17/31)/12", D(17) / 31 / 12),
    (d(2013, 1, 31), d(2013, 2, 28), "manader", "1/12", D(1) / 12),  # month-end: Jan 31 + 1 month = Feb 28
    (d(2013, 1, 1), d(2013, 1, 1), "manader", "0/12", D(0)),
])
def test_tid(fran, till, metod, text, years):
    t = tid(fran, till, metod)
    assert t.text == text
    assert abs(D(t.ar.numerator) / D(t.ar.denominator) - years) < D("1e-20")


def test_piecewise_by_half_year(tabell):
    # 2022-07-01 0,50 %, 2023-01-01 2,50 % (referensranta.csv): 6 months at 4,5 % and 6 months at 6,5 %
    t = tillagg_tak_datum(D(100000), d(2022, 7, 1), d(2023, 7, 1), tabell)
    assert [(p.referensranta, p.tid.text) for p in t.perioder] == [(D("0.50"), "6/12"), (D("2.50"), "6/12")]
    assert t.tak == D(15000) + D(100000) * (D("0.045") / 2 + D("0.065") / 2)


def test_same_rate_half_years_merge(tabell):
    # 2015-01-01 … 2016-06-30 are all 0,00 %: one stretch of 18 months, not three
    t = tillagg_tak_datum(D(100000), d(2015, 1, 1), d(2016, 7, 1), tabell)
    assert [(p.referensranta, p.tid.text) for p in t.perioder] == [(D("0.00"), "18/12")]


def test_freeze_after_sakagarforteckning(tabell):
    # RULES §3: changes after the sakägarförteckning day are disregarded; 2022-09-01 has 0,50 %
    frozen = tillagg_tak_datum(D(100000), d(2022, 7, 1), d(2023, 7, 1), tabell, sakagarforteckningsdag=d(2022, 9, 1))
    assert [p.referensranta for p in frozen.perioder] == [D("0.50")]
    assert frozen.tak == D(15000) + D(100000) * D("0.045")


def test_negative_rate_from_table(tabell):
    # 2017: −0,50 % → 3,50 % a year (no floor)
    t = tillagg_tak_datum(D(100000), d(2017, 1, 1), d(2018, 1, 1), tabell)
    assert t.tak == D(15000) + D(3500)


def test_outside_table_is_an_error(tabell):
    with pytest.raises(ReferensrantaSaknas, match="Ange referensräntan för hand"):
        tillagg_tak_datum(D(100000), d(2026, 1, 1), d(2027, 3, 1), tabell)
    with pytest.raises(ReferensrantaSaknas, match="2001-"):
        tillagg_tak_datum(D(100000), d(2001, 1, 1), d(2003, 1, 1), tabell)


def test_reversed_dates():
    with pytest.raises(OgiltigtDatum, match="fordelningsdag"):
        tillagg_tak_datum(D(100000), d(2013, 3, 1), d(2013, 1, 1), None, referensranta=D(2))


def test_fixed_rate_with_dates_ignores_table():
    t = tillagg_tak_datum(D(3000000), d(2013, 3, 1), d(2013, 9, 1), None, referensranta=D(2))
    assert t.tak == D(540000)
