"""Coercion of single Excel values (sakagare_xl.adapters.values)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from sakagare_xl.adapters import values as v
from sakagare_xl.engine.errors import OgiltigtBelopp, OgiltigtDatum, OgiltigtVarde, SakagareError, SaknatVarde


@pytest.mark.parametrize(
    "raw, expected",
    [
        (0.1, Decimal("0.1")),  # repr, not the binary float 0.1000000000000000055…
        (1300000.0, Decimal("1300000")),
        (5, Decimal(5)),
        (Decimal("12.50"), Decimal("12.50")),
        ("1 300 000,50", Decimal("1300000.50")),  # Swedish text in a number cell
        ("1\u00a0300\u00a0000", Decimal("1300000")),  # non-breaking spaces, as Excel formats thousands
        ("85000", Decimal("85000")),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_to_decimal_accepts_what_excel_sends(raw, expected):
    assert v.to_decimal(raw, "argumentet x", allow_blank=True) == expected


@pytest.mark.parametrize(
    "raw, error, text",
    [
        ("tio", OgiltigtBelopp, "ett tal väntades, inte texten 'tio'"),
        (True, OgiltigtBelopp, "inte SANT"),
        (-100.0, OgiltigtBelopp, "beloppet är negativt (-100)"),
        (math.inf, OgiltigtBelopp, "ändligt"),
        (None, SaknatVarde, "saknas"),
    ],
)
def test_to_decimal_errors_name_the_place(raw, error, text):
    with pytest.raises(error) as exc:
        v.to_decimal(raw, "argumentet inteckning")
    assert str(exc.value).startswith("Fel i argumentet inteckning: ")
    assert text in str(exc.value)


@pytest.mark.parametrize(
    "raw, percent",
    [
        (0.02, Decimal("2")),  # Excel stores 2 % as 0.02
        (0.015, Decimal("1.5")),  # E2
        (-0.005, Decimal("-0.5")),  # 2018: −0.50 %, no floor
        ("2 %", Decimal("2")),
        ("2%", Decimal("2")),
        ("0,02", Decimal("2")),
        (0.0, Decimal("0")),
    ],
)
def test_to_percent_reads_fractions(raw, percent):
    assert v.to_percent(raw, "argumentet ref_rate") == percent


def test_to_percent_refuses_to_guess_a_whole_number():
    # 2 typed for 2 % would be 200 %: an error that says how to write it, never a guess
    with pytest.raises(OgiltigtVarde, match="200 %"):
        v.to_percent(2, "argumentet ref_rate")
    with pytest.raises(OgiltigtVarde, match="procentsats"):
        v.to_percent("två", "argumentet ref_rate")


# RULES.md §8: the functions and cells take a fraction; a value that reads as percent is refused with both
# readings, and the range is the one of engine/rantesats.py (−5 % … 25 %), the same as for case files.
@pytest.mark.parametrize(
    "raw, message",
    [
        (2, 'Fel i argumentet ref_rate: 2 kan läsas som 200 % eller 2 %; räntan anges här som andel (0,02 = 2 %): '
            'skriv 0,02 eller "2 %" för 2 %.'),
        (2.5, 'Fel i argumentet ref_rate: 2,5 kan läsas som 250 % eller 2,5 %; räntan anges här som andel '
              '(0,02 = 2 %): skriv 0,025 eller "2,5 %" för 2,5 %.'),
        ("3,5", 'Fel i argumentet ref_rate: 3,5 kan läsas som 350 % eller 3,5 %; räntan anges här som andel '
                '(0,02 = 2 %): skriv 0,035 eller "3,5 %" för 3,5 %.'),
        (0.26, 'Fel i argumentet ref_rate: 0,26 kan läsas som 26 % eller 0,26 %; räntan anges här som andel '
               '(0,02 = 2 %): skriv 0,0026 eller "0,26 %" för 0,26 %.'),
        (-0.06, 'Fel i argumentet ref_rate: -0,06 kan läsas som -6 % eller -0,06 %; räntan anges här som andel '
                '(0,02 = 2 %): skriv -0,0006 eller "-0,06 %" för -0,06 %.'),
        (100, "Fel i argumentet ref_rate: 100 betyder 10000 %, som ligger utanför det godtagna intervallet -5 % till "
              "25 % för en referensränta."),
        ("-6 %", "Fel i argumentet ref_rate: -6 % ligger utanför det godtagna intervallet -5 % till 25 % för en "
                 "referensränta."),
        ("två", "Fel i argumentet ref_rate: en procentsats (t.ex. 2 %) väntades, inte texten 'två'."),
        ("två %", "Fel i argumentet ref_rate: en procentsats (t.ex. 2 %) väntades, inte texten 'två %'."),
    ],
)
def test_to_percent_messages(raw, message):
    with pytest.raises(OgiltigtVarde) as exc:
        v.to_percent(raw, "argumentet ref_rate")
    assert str(exc.value) == message


@pytest.mark.parametrize("raw, percent", [(0.25, Decimal(25)), (-0.05, Decimal(-5)), ("25 %", Decimal(25))])
def test_to_percent_range_ends(raw, percent):
    assert v.to_percent(raw, "argumentet ref_rate") == percent


@pytest.mark.parametrize(
    "serial, day",
    [
        # Excel's 1900 date system: serial 1 = 1900-01-01; serial 60 is the fictitious 1900-02-29
        # (kept from Lotus 1-2-3), so serials 1–59 are one day off the 1899-12-30 epoch.
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (43101, dt.date(2018, 1, 1)),
        (43101.75, dt.date(2018, 1, 1)),  # a time of day is dropped
        (43497.0, dt.date(2019, 2, 1)),
        (44835.0, dt.date(2022, 10, 1)),
        (2958465, dt.date(9999, 12, 31)),
    ],
)
def test_serial_dates(serial, day):
    assert v.serial_to_date(serial, "x") == day
    if day.year > 2200:  # a day Excel knows, but no day of a sale: to_date refuses it (engine/model.py SISTA_DAG)
        with pytest.raises(OgiltigtDatum, match="datumet 9999-12-31 är orimligt"):
            v.to_date(serial, "x")
    else:
        assert v.to_date(serial, "x") == day
    assert v.date_to_serial(day) == int(serial)


@pytest.mark.parametrize("serial", [60, 0, -1, 2958466])
def test_impossible_serials(serial):
    with pytest.raises(OgiltigtDatum):
        v.serial_to_date(serial, "argumentet fran")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (dt.datetime(2018, 7, 1, 0, 0), dt.date(2018, 7, 1)),  # classic xlwings sends datetimes
        (dt.date(2018, 7, 1), dt.date(2018, 7, 1)),
        ("2018-07-01", dt.date(2018, 7, 1)),
        ("2018-07-01 00:00:00", dt.date(2018, 7, 1)),
        ("2018-7-1", dt.date(2018, 7, 1)),
        (None, None),
        ("", None),
    ],
)
def test_to_date(raw, expected):
    assert v.to_date(raw, "x") == expected


def test_years_for_old_inskrivningar():
    assert v.to_date(1980.0, "x", allow_year=True) == 1980
    assert v.to_date("1980", "x", allow_year=True) == 1980
    # without allow_year a number is a serial: 1980 is 1905-06-02
    assert v.to_date(1980.0, "x") == dt.date(1905, 6, 2)


@pytest.mark.parametrize("raw", ["2018-13-01", "1 juli 2018", "igår", True])
def test_bad_dates(raw):
    with pytest.raises(OgiltigtDatum, match="Fel i argumentet fran"):
        v.to_date(raw, "argumentet fran")


@pytest.mark.parametrize(
    "raw, expected",
    [("Ja", True), ("nej", False), ("JA", True), (True, True), (False, False), (1.0, True), (0.0, False),
     ("SANT", True), ("falskt", False), (None, "default"), ("", "default")],
)
def test_to_bool(raw, expected):
    assert v.to_bool(raw, "x", default="default") == expected


def test_to_bool_rejects_other_text():
    with pytest.raises(OgiltigtVarde, match="Ja eller Nej"):
        v.to_bool("kanske", "x", default=False)


@pytest.mark.parametrize(
    "label, key",
    [("Utmätningsdag", "utmatningsdag"), ("utmatningsdag", "utmatningsdag"),
     ("Utmätningsdag (ÅÅÅÅ-MM-DD)", "utmatningsdag"), ("UTMÄTNINGS-DAG", "utmatningsdag"),
     ("Ränta på köpeskillingen", "rantapakopeskillingen"), ("  Köpeskilling: ", "kopeskilling")],
)
def test_normalise(label, key):
    assert v.normalise(label) == key


def test_as_2d_shapes():
    assert v.as_2d(5.0) == [[5.0]]
    assert v.as_2d([1.0, 2.0]) == [[1.0, 2.0]]
    assert v.as_2d([[1.0], [2.0, 3.0]]) == [[1.0, None], [2.0, 3.0]]
    assert v.as_2d(((1, 2), (3, 4))) == [[1, 2], [3, 4]]
    assert v.as_2d([]) == [[None]]


def test_as_2d_dataframe_and_numpy():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    df = pd.DataFrame({"Ordning": [1, 2], "Förmånsrätt": [100.0, np.nan]})
    assert v.as_2d(df) == [["Ordning", "Förmånsrätt"], [1, 100.0], [2, None]]
    plain = pd.DataFrame([["Månader", 6.0], ["Ordning", None]])  # read with header=False
    assert v.as_2d(plain) == [["Månader", 6.0], ["Ordning", None]]
    assert v.as_2d(np.array([[1.0, 2.0]])) == [[1.0, 2.0]]
    ts = pd.DataFrame([[pd.Timestamp("2018-01-01"), pd.NaT]])
    rows = v.as_2d(ts)
    assert v.to_date(rows[0][0], "x") == dt.date(2018, 1, 1) and rows[0][1] is None


def test_money_rounds_half_up_to_ore():
    assert v.money(Decimal("16002.7397")) == 16002.74
    assert v.money(Decimal("0.005")) == 0.01
    assert v.money(None) == ""


def test_addresses():
    assert v.cell_address(0, 0) == "A1"
    assert v.cell_address(11, 27) == "AB12"
    assert v.parse_address("B3") == (2, 1)
    assert v.parse_address("Blad1!$B$3:$P$40") == (2, 1)
    with pytest.raises(SakagareError):
        v.parse_address("hit")
