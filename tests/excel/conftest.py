"""Sak ranges as Excel hands them to a function: lists of rows, floats for numbers, None for empty
cells, dates as datetimes (classic xlwings) or serial numbers (xlwings Lite).

Each builder cites the example it comes from (/work/shared/domain/EXAMPLES.md → tests name them E1–E5).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sakagare_xl.adapters.functions import CACHE

# runs inside Pyodide (handed to it by pyodide/lite_harness.mjs), not under pytest's doctest collection
collect_ignore = ["pyodide/lite_glue.py"]

HEAD = ["Ordning", "Id", "Inskrivningsdag", "Slag", "Inteckningsbelopp", "Sakägare", "Kapital", "Exekutionsfordran"]
EMPTY = [None] * len(HEAD)


def e2_range(*, trailing_empty: bool = True) -> list[list]:
    """E2, Lawline 15971 "Sakägarförteckning": costs 5 000, price 220 000, referensränta 1.5 %, no dates
    (Månader 0 stands in for "no time": B needs only 5 000 of tillägg, below the 15 % part)."""
    rows = [
        ["Fastighet", "Lawline 15971"],
        ["Månader", 0.0],
        ["Referensränta", 0.015],
        ["Förrättningskostnader", 5000.0],
        ["Köpeskilling", 220000.0],
        list(HEAD),
        [None, "P1980", 1980.0, "inteckning", 90000.0, "A", 85000.0, None],
        [None, "P1984", 1984.0, "inteckning", 70000.0, "B", 75000.0, None],
        [None, "P1991", 1991.0, "inteckning", 40000.0, "C", 12000.0, None],
        [None, "P1996", 1996.0, "inteckning", 40000.0, "D", 25000.0, "Ja"],
    ]
    if trailing_empty:
        rows.append(list(EMPTY))
    return rows


def e3_range(tidsberakning: str = "manader", *, serial: bool = False) -> list[list]:
    """E3, Lawline "Hur upprättas en sakägarförteckning …" (A–E): costs 30 000, referensränta 2 %,
    utmätning 1 February, distribution 1 May of a non-leap year (2019), D is the sökande."""
    utm, fd = dt.datetime(2019, 2, 1), dt.datetime(2019, 5, 1)
    if serial:
        utm, fd = 43497.0, 43586.0  # the same days as Excel serial numbers (1900 system)
    return [
        ["Utmätningsdag", utm],
        ["Fördelningsdag", fd],
        ["Referensränta", 0.02],
        ["Tidsberäkning", tidsberakning],
        ["Förrättningskostnader", 30000.0],
        [None, None],
        list(HEAD),
        [None, "P1971", 1971.0, "inteckning", 80000.0, "A", 92000.0, None],
        [None, "P1990", 1990.0, "inteckning", 89000.0, "B", 110000.0, None],
        [None, "P1996", 1996.0, "inteckning", 100000.0, "C", 107000.0, None],
        [None, "P2000", 2000.0, "inteckning", 140000.0, "D", 160000.0, "Ja"],
        [None, "P2002", 2002.0, "inteckning", 100000.0, "E", 115000.0, None],
    ]


def e4_range() -> list[list]:
    """E4, Pluggakuten "Beräkna skyddsbelopp" (Lillbäcken 1:1): servitut 1981, A-banken's inteckning 2004
    (3 000 000, loan 3 800 000, sökande), B-banken's 2005 (1 500 000, loan 1 200 000); utmätt 2013-03-01,
    distribution 2013-09-01, referensränta 2 %, costs 30 000."""
    return [
        ["Fastighet", "Lillbäcken 1:1"],
        ["Utmätningsdag", dt.datetime(2013, 3, 1)],
        ["Fördelningsdag", dt.datetime(2013, 9, 1)],
        ["Referensränta", 0.02],
        ["Förrättningskostnader", 30000.0],
        list(HEAD),
        [None, "S1981", 1981.0, "servitut", None, "Grannen", None, None],
        [None, "P2004", 2004.0, "inteckning", 3000000.0, "A-banken", 3800000.0, "Ja"],
        [None, "P2005", 2005.0, "inteckning", 1500000.0, "B-banken", 1200000.0, None],
    ]


def e5_range(kopeskilling: float | None = None) -> list[list]:
    """E5, the example the project started from: A-bank holds 400 000 (1990) and 300 000 (1992) directly
    after each other for one claim of 1 300 000; referensränta 2 %, 6 months. (The source names no
    sökande; A-bank's claim is marked as the exekutionsfordran so the case is complete.)"""
    head = list(HEAD) + ["Pantbrev"]
    rows = [
        ["Månader", 6.0],
        ["Referensränta", 0.02],
    ]
    if kopeskilling is not None:
        rows.append(["Köpeskilling", kopeskilling])
    rows += [
        head,
        [None, "P1990", 1990.0, "inteckning", 400000.0, "A-bank", 1300000.0, "Ja", "P1990; P1992"],
        [None, "P1992", 1992.0, "inteckning", 300000.0, "A-bank", None, None, None],
    ]
    return rows


@pytest.fixture(autouse=True)
def _fresh_cache():
    CACHE.clear()
    yield
    CACHE.clear()
