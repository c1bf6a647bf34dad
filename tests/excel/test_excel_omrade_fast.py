"""The range parser's fast conversions (adapters/omrade.py, "fast conversions") give exactly what the
general ones in adapters/values.py give: the same value, or the same error with the same message.

The fast paths exist only for speed (docs/performance-rounds.md, "Excel functions"); these tests are what
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
from sakagare_xl.engine.model import Fordran, Inskrivning

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


# The reader builds Inskrivning/Fordran through the engine's trusted constructors (``betrodd``), which skip the
# checks the reader has already made. Read with the ordinary constructors instead, every range must give the
# same Arende (fields and types) or the same error with the same message.
_EXTRA = ["Ränta", "Kostnader", "Pantbrev", "Personligt ansvar"]
#: per column of the table row (HEAD + _EXTRA), values a filled-in list has, edge values among them (0 kr,
#: a blank, a day outside 1800–2200 as a datetime cell, a bare year, a kind without an inskrivning)
_COLUMN_VALUES = [
    [None, 1.0, 0.0],
    ["P1984", " P9 ", None],
    [1984.0, dt.datetime(1984, 5, 2), dt.datetime(1700, 1, 1), dt.datetime(2300, 1, 1), dt.date(1999, 1, 1), None],
    ["inteckning", "servitut", "fordran", "frl6", None],
    [70000.0, 0.0, None, 70000.5],
    ["B", " B ", None],
    [75000.0, 0.0, None],
    [None, "Ja", "Nej"],
    [None, 0.0, 1234.5],
    [None, 0.0, 99.0],
    [None, "P1980", "P1980; P1991"],
    [None, "Ja", "Nej"],
]


@st.composite
def table_row(draw):
    """A row of mostly listed values, and one column (sometimes) any cell value at all."""
    row = [draw(st.sampled_from(values)) for values in _COLUMN_VALUES]
    k = draw(st.integers(0, len(row)))
    if k < len(row):
        row[k] = draw(CELL)
    return row


def _ordinary_inskrivning(cls, id, dag, slag, belopp, ordning, innehavare):
    return cls(id=id, dag=dag, slag=slag, belopp=belopp, ordning=ordning, innehavare=innehavare)


def _ordinary_fordran(cls, id, borgenar, kapital, ranta, kostnader, pantbrev, overhypotek, utmatta_pantbrev,
                      exekutionsfordran, frl6_1, personligt_ansvar, rangdag):
    return cls(id=id, borgenar=borgenar, kapital=kapital, ranta=ranta, kostnader=kostnader, pantbrev=pantbrev,
               overhypotek=overhypotek, utmatta_pantbrev=utmatta_pantbrev, exekutionsfordran=exekutionsfordran,
               frl6_1=frl6_1, personligt_ansvar=personligt_ansvar, rangdag=rangdag)


def _arende_outcome(rows):
    try:
        a = O.las_omrade(rows).arende
    except SakagareError as exc:
        return None, type(exc), str(exc)
    objs = (*a.inskrivningar, *a.fordringar)
    return [(type(o), [(k, type(v), repr(v)) for k, v in vars(o).items()]) for o in objs], None, None


@settings(max_examples=300, deadline=None)
@given(table_row())
def test_trusted_constructors_are_the_ordinary_ones(cells):
    # E2's header and first row (tests/excel/conftest.py, e2_range: Lawline 15971), the second row drawn
    rows = [
        ["Fastighet", "Lawline 15971"], ["Månader", 0.0], ["Referensränta", 0.015], ["Förrättningskostnader", 5000.0],
        ["Köpeskilling", 220000.0],
        ["Ordning", "Id", "Inskrivningsdag", "Slag", "Inteckningsbelopp", "Sakägare", "Kapital", "Exekutionsfordran",
         *_EXTRA],
        [None, "P1980", 1980.0, "inteckning", 90000.0, "A", 85000.0, None, None, None, None, None],
        cells,
    ]
    fast = _arende_outcome(rows)
    trusted = Inskrivning.__dict__["betrodd"], Fordran.__dict__["betrodd"]
    try:
        Inskrivning.betrodd = classmethod(_ordinary_inskrivning)
        Fordran.betrodd = classmethod(_ordinary_fordran)
        ordinary = _arende_outcome(rows)
    finally:
        Inskrivning.betrodd, Fordran.betrodd = trusted
    assert fast == ordinary


# The reader takes the common table row (an inteckning of plain cells) inline and every other row through the
# general reading (adapters/omrade.py, ``allman``). Read both ways, every range must give the same rows, the
# same Arende (fields, types, digits) and the same Omrade indexes, or the same error with the same message.
#: per column of the table row (_INLINE_HEAD), the values of filled-in lists (xlwings classic and Lite: a day as a
#: datetime or a serial number) and edge values (0 kr, 1e9 kr, a day outside 1800–2200, a bare year, a serial
#: with a time, texts the inline reading leaves to the general one, an error text)
_INLINE_HEAD = ["Ordning", "Id", "Inskrivningsdag", "Slag", "Inteckningsbelopp", "Sakägare", "Kapital", "Ränta",
                "Kostnader", "Pantbrev", "Exekutionsfordran", "Personligt ansvar", "Överhypotek"]
#: per column: (values the inline reading takes, edge values it may leave to the general reading)
_INLINE_VALUES = [
    ([None], [1.0, 0.0, 2.5]),
    (["P{}", " Q{} ", ""], ["#N/A", "P0", None, 7.0]),  # {}: the row's number (ids unique unless changed)
    ([dt.datetime(1984, 5, 2), 43101.0, 1984.0, 2200.0, 2201.0, float(O._SISTA_SERIAL)],
     [float(O._SISTA_SERIAL + 1), 43101.5, 1799.0, 60.0, dt.datetime(1700, 1, 1), dt.date(1999, 1, 1), "2019-02-01", None]),
    (["inteckning", None, " Inteckning ", "pantbrev", ""], ["servitut", "fordran", "frl6", "okänt", 3.0]),
    ([70000.0, 70000.5, 1e9], [0.0, 1.5e9, -5.0, None, "tio", 70000, float("nan")]),
    (["B", " B ", None], ["", "#REF!", 5.0]),
    ([75000.0, 0.0], [None, -1.0, 2e9, "75 000", True]),
    ([None, 1234.5, 0.0], [-1.0, "x", float("inf")]),
    ([None, 99.0], [-1.0, "tio"]),
    ([None, "P1", "P1; P2", " "], [7.0, ";"]),
    ([None, "Ja", "Nej", "ja"], [" Ja ", "x", 1.0, True, "kanske"]),
    ([None, "Ja", "Nej"], ["kanske", 0.0]),
    ([None], ["P1"]),
]


@st.composite
def inline_rows(draw):
    """Three table rows of values the inline reading takes, with up to two cells changed to an edge value or to
    any cell value at all."""
    rows = [[draw(st.sampled_from(good)) for good, _edge in _INLINE_VALUES] for _ in range(3)]
    for r, row in enumerate(rows):
        row[1] = row[1].format(r)
    for _ in range(draw(st.integers(0, 2))):
        r, c = draw(st.integers(0, 2)), draw(st.integers(0, len(_INLINE_VALUES) - 1))
        rows[r][c] = draw(st.one_of(st.sampled_from(_INLINE_VALUES[c][1]), CELL))
    return rows


def _omrade_outcome(rows):
    try:
        o = O.las_omrade(rows, "B3")
    except SakagareError as exc:
        return None, type(exc), str(exc)
    a = o.arende
    objs = (*a.inskrivningar, *a.fordringar)
    return ([repr(r) for r in o.rader], o._platser, o._insk, o._ford,
            [(type(x), [(k, type(v), repr(v)) for k, v in vars(x).items()]) for x in objs]), None, None


@settings(max_examples=300, deadline=None)
@given(inline_rows())
def test_inline_rows_are_the_general_reading(table):
    rows = [["Utmätningsdag", dt.datetime(2018, 1, 1)], ["Fördelningsdag", 43282.0], ["Referensränta", 0.02],
            _INLINE_HEAD, *table]
    width = len(_INLINE_HEAD)
    rows = [r + [None] * (width - len(r)) for r in rows]
    inline = _omrade_outcome(rows)
    try:
        O._INLINE = False
        general = _omrade_outcome(rows)
    finally:
        O._INLINE = True
    assert inline == general
