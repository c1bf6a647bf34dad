"""The shipped referensränta table and its loader (RULES §9)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from sakagare_xl.engine import ReferensrantaSaknas
from sakagare_xl.referensranta_data import parse

d = dt.date


@pytest.mark.parametrize("day, expected", [
    (d(2002, 7, 1), D("4.50")),    # first row
    (d(2012, 9, 1), D("1.50")),    # Riksbanken corrective decision 2012-07-02
    (d(2016, 12, 31), D("-0.50")),
    (d(2023, 7, 1), D("3.50")),
    (d(2025, 1, 1), D("3.00")),    # shared/domain table: re-derived 3,00 % (effective policy rate 2,75 % on 2024-12-31)
    (d(2026, 12, 31), D("2.00")),  # last day of the last half-year
])
def test_lookup(tabell, day, expected):
    assert tabell.ranta(day) == expected


def test_after_last_row_is_an_error_not_a_reuse(tabell):
    with pytest.raises(ReferensrantaSaknas, match="2027-01-01.*Ange referensräntan för hand"):
        tabell.ranta(d(2027, 1, 1))


def test_every_row_has_source_and_status(tabell):
    assert all(s.kalla and s.status in ("verified", "unverified") for s in tabell.satser)
    assert [s.fran for s in tabell.satser if s.status == "unverified"] == [d(2025, 1, 1), d(2025, 7, 1), d(2026, 1, 1), d(2026, 7, 1)]


def test_package_copy_equals_shared_domain_table():
    from pathlib import Path
    shared = Path(__file__).resolve().parents[3] / "shared" / "domain" / "referensranta.csv"
    if not shared.exists():
        pytest.skip("../shared not beside the project")
    from importlib import resources
    assert resources.files("sakagare_xl.data").joinpath("referensranta.csv").read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("text, message", [
    ("valid_from,percent,status,source\n2002-07-01,abc,verified,x\n", "rad 2"),
    ("valid_from,percent,status,source\n2002-07-02,1,verified,x\n", "1 januari eller 1 juli"),
    ("valid_from,percent,status,source\n2002-07-01,1,verified,x\n2003-07-01,1,verified,x\n", "lucka"),
])
def test_bad_table_rows(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_unverified_rate_gives_warning(tabell):
    from sakagare_xl.engine import berakna
    from .build import case, ford, pb, sale
    res = berakna(case(sale(manader=None, referensranta=None, utmatningsdag=d(2025, 3, 1), fordelningsdag=d(2025, 9, 1)),
                       [pb("P", 2000, 100000)], [ford("A", 150000, "P", exekutionsfordran=True)]), tabell)
    assert len(res.varningar) == 2 and all("inte bekräftad" in w for w in res.varningar)
