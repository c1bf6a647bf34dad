"""The range parser's fast conversions (adapters/omrade.py, "fast conversions") give exactly what the
general ones in adapters/values.py give: the same value, or the same error with the same message.

The fast paths exist only for speed (docs/performance.md, "Excel functions"); these tests are what
allows them. Values are drawn from what Excel, xlwings and pandas hand over for a cell.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sakagare_xl.adapters import omrade as O
from sakagare_xl.adapters.values import to_bool, to_date, to_decimal, to_text
from sakagare_xl.engine.errors import SakagareError

CELL = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=2e9),
    st.integers(min_value=-10, max_value=3 * 10**9),
    st.booleans(),
    st.text(max_size=6),
    st.sampled_from(["", "  ", " Ja ", "nej", "1 300 000,50", "tio", "P1", "x"]),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-5, max_value=5),
)
PLATS = "rad 3 i tabellen, kolumn Kapital (E9)"


def _p(key: str) -> str:
    return PLATS


def outcome(fn, *args, **kw):
    """(value or None, error class, message) of a call."""
    try:
        return fn(*args, **kw), None, None
    except SakagareError as exc:
        return None, type(exc), str(exc)


def same(a, b):
    (va, ea, ma), (vb, eb, mb) = a, b
    assert (ea, ma) == (eb, mb)
    assert type(va) is type(vb) and (va == vb or va != va and vb != vb)
    if isinstance(va, Decimal):
        assert str(va) == str(vb)  # same digits and exponent, not only the same number


@settings(max_examples=400, deadline=None)
@given(CELL)
def test_belopp_is_to_decimal(value):
    same(outcome(O._belopp, value, _p, "kapital", "kapitalet"),
         outcome(to_decimal, value, PLATS, allow_blank=True, what="kapitalet"))


@settings(max_examples=300, deadline=None)
@given(CELL)
def test_text_is_to_text(value):
    assert O._text(value) == to_text(value)


@settings(max_examples=300, deadline=None)
@given(CELL, st.booleans())
def test_flagga_is_to_bool(value, default):
    same(outcome(O._flagga, value, _p, "exekutionsfordran", default), outcome(to_bool, value, PLATS, default=default))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=4), st.floats(), st.sampled_from(["P1; P2", "P1,P2\nP3", " "])))
def test_split_ids_of_blank(value):
    expected = tuple(p.strip() for p in __import__("re").split(r"[;,\n]", to_text(value)) if p.strip())
    assert O._split_ids(value) == expected


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2200, 1, 1)))
def test_datetime_day_is_to_date(value):
    # the table reader takes value.date() for a datetime, as to_date does
    assert value.date() == to_date(value, PLATS, allow_blank=False, allow_year=True)
