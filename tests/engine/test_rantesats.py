"""A typed referensränta is read in one unit, never guessed at (RULES.md §8), with one range everywhere.

Case files are in percent (2 = 2 %); the workbook, the functions and ``--referensranta`` take a fraction
(0,02 = 2 %). Text with a percent sign is percent in both. Expected messages are exact.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from sakagare_xl.engine import berakna
from sakagare_xl.engine.errors import OgiltigtVarde, ReferensrantaSaknas
from sakagare_xl.engine.rantesats import HOGSTA, LAGSTA, fran_andel, fran_procent, kontrollera_procent

from .build import case, ford, pb, sale
from .conftest import run_example

d = dt.date
_W = "Fel i försäljningen, fältet 'referensranta': "
_RANGE = "ligger utanför det godtagna intervallet -5 % till 25 % för en referensränta."


# ------------------------------------------------------------------------------ percent (case files)

@pytest.mark.parametrize("typed, percent", [
    (2, D(2)), (2.0, D("2.0")), (D("2.5"), D("2.5")),         # percent as a number
    ("2 %", D(2)), ("2,5 %", D("2.5")), ("2%", D(2)),          # text with a percent sign
    ("-0,5 %", D("-0.5")), ("\u22120,5 %", D("-0.5")),          # Unicode minus, as Word/Excel write it
    (-0.5, D("-0.5")), (0, D(0)),                              # the 2016–2019 value; 0 is unambiguous
    (0.25, D("0.25")),                                         # RULES.md §8: only 0 < |x| < 0.25 reads as a fraction
    ("0,02 %", D("0.02")),                                     # explicit percent: taken as written (a warning follows)
    (-5, D(-5)), (25, D(25)),                                  # the ends of the range are accepted
    ("2,5", D("2.5")),                                         # text without % is a number in the file's unit
])
def test_case_file_rates_accepted(typed, percent):
    assert fran_procent(typed, "referensranta", "försäljningen") == percent


@pytest.mark.parametrize("typed, message", [
    # issue 9: 0.02 read as 0,02 % gave 510 300 instead of 540 000 without a word
    (0.02, '0,02 kan läsas som 0,02 % eller 2 %; skriv 2 eller "2 %" för 2 % (eller "0,02 %" för 0,02 %).'),
    (0.035, '0,035 kan läsas som 0,035 % eller 3,5 %; skriv 3,5 eller "3,5 %" för 3,5 % (eller "0,035 %" för 0,035 %).'),
    (-0.005, '-0,005 kan läsas som -0,005 % eller -0,5 %; skriv -0,5 eller "-0,5 %" för -0,5 % '
             '(eller "-0,005 %" för -0,005 %).'),
    ("0,02", '0,02 kan läsas som 0,02 % eller 2 %; skriv 2 eller "2 %" för 2 % (eller "0,02 %" för 0,02 %).'),
    (500, f"500 % {_RANGE}"),                   # basis points?
    (-6, f"-6 % {_RANGE}"),
    ("26 %", f"26 % {_RANGE}"),
    ("hög", "en procentsats (t.ex. 2 %) väntades, inte 'hög'."),
    (True, "en procentsats (t.ex. 2 %) väntades, inte sant."),
    (float("nan"), "en procentsats (t.ex. 2 %) väntades, inte nan."),
])
def test_case_file_rates_refused(typed, message):
    with pytest.raises(OgiltigtVarde) as exc:
        fran_procent(typed, "referensranta", "försäljningen")
    assert str(exc.value) == _W + message


# ------------------------------------------------------------------------------ fraction (cells, functions, flags)

@pytest.mark.parametrize("typed, percent", [
    (0.02, D("2.00")), ("0,02", D("2.00")), (-0.005, D("-0.500")), (0.25, D("25.00")), (-0.05, D("-5.00")),
    ("2 %", D(2)), ("2,5 %", D("2.5")), (0, D(0)),
    (0.0002, D("0.0200")),                  # 0,02 %: inside the range as a fraction; the grid warning catches it
])
def test_fraction_rates_accepted(typed, percent):
    assert fran_andel(typed, None, "B14") == percent


@pytest.mark.parametrize("typed, message", [
    (2, '2 kan läsas som 200 % eller 2 %; räntan anges här som andel (0,02 = 2 %): skriv 0,02 eller "2 %" för 2 %.'),
    ("2", '2 kan läsas som 200 % eller 2 %; räntan anges här som andel (0,02 = 2 %): skriv 0,02 eller "2 %" för 2 %.'),
    (0.3, '0,3 kan läsas som 30 % eller 0,3 %; räntan anges här som andel (0,02 = 2 %): skriv 0,003 eller "0,3 %" '
          'för 0,3 %.'),
    (-0.5, '-0,5 kan läsas som -50 % eller -0,5 %; räntan anges här som andel (0,02 = 2 %): skriv -0,005 eller '
           '"-0,5 %" för -0,5 %.'),
    (30, f"30 betyder 3000 %, som {_RANGE}"),     # neither reading is plausible
    ("30 %", f"30 % {_RANGE}"),
])
def test_fraction_rates_refused(typed, message):
    with pytest.raises(OgiltigtVarde) as exc:
        fran_andel(typed, None, "cellen B14")
    assert str(exc.value) == "Fel i cellen B14: " + message


def test_one_range_for_every_unit():
    # the ends of the range are the same whether typed as percent, as a fraction or as text with %
    for p in (LAGSTA, HOGSTA):
        assert fran_procent(p) == fran_andel(p / 100) == fran_andel(f"{p} %") == kontrollera_procent(p, None, None)
    for p, shown in ((LAGSTA - D("0.01"), "-5,01 %"), (HOGSTA + D("0.01"), "25,01 %")):
        for read in (lambda: fran_procent(p), lambda: fran_andel(f"{p} %"), lambda: kontrollera_procent(p, None, None)):
            with pytest.raises(OgiltigtVarde, match=f": {shown} ligger utanför det godtagna intervallet"):
                read()
        with pytest.raises(OgiltigtVarde, match=f"kan läsas som {shown} eller"):  # as a fraction: both readings
            fran_andel(p / 100)


def test_the_engine_api_checks_the_range_too():
    with pytest.raises(OgiltigtVarde) as exc:
        sale(referensranta=D(100))
    assert str(exc.value) == _W + f"100 % {_RANGE}"


# ------------------------------------------------------------------------------ the trap of issue 9, end to end

def test_e4_with_two_percent_as_text_gives_540000():
    # e4-lillbacken: 3 000 000 × (15 % + (2 % + 4 %) × 6/12) = 540 000 (hand-derived; docs/rules.md)
    for typed in (2, 2.0, "2 %", "2,00 %"):
        res = run_example("e4-lillbacken.toml", referensranta=typed)
        assert sum(r.tillagg for r in res.rader) == 540000, typed
        assert not any("procentenhet" in w for w in res.varningar)


def test_e4_with_a_fraction_is_refused_not_510300():
    # read as 0,02 % it would be 3 000 000 × (15 % + 4,02 % × 6/12) = 510 300: never computed
    with pytest.raises(OgiltigtVarde, match="0,02 kan läsas som 0,02 % eller 2 %"):
        run_example("e4-lillbacken.toml", referensranta=0.02)


# ------------------------------------------------------------------------------ warnings (Swedish, Swedish numbers)

_GRID = ("Referensräntan {p} är ingen hel eller halv procentenhet; sedan 2002-07-01 fastställer Riksbanken den "
         "alltid i hela halva procentenheter (räntelagen 9 §). Kontrollera värdet (skrev du en andel där procent "
         "väntades, eller tvärtom?).")


def _res(**kw):
    return berakna(case(sale(**kw), [pb("P", 2000, 100000)], [ford("A", 150000, "P", exekutionsfordran=True)]))


@pytest.mark.parametrize("kw, expected", [
    (dict(referensranta=D("2.25"), manader=D(6)), [_GRID.format(p="2,25 %")]),        # no dates: assume today's era
    (dict(referensranta=D("0.02"), utmatningsdag=d(2018, 1, 1), fordelningsdag=d(2018, 7, 1)),
     [_GRID.format(p="0,02 %")]),                                                       # "0,02 %" typed on purpose
    (dict(referensranta=D("2.5"), utmatningsdag=d(2018, 1, 1), fordelningsdag=d(2018, 7, 1)), []),   # on the grid
    (dict(referensranta=D("-0.5"), manader=D(6)), []),
    (dict(referensranta=D("7.25"), utmatningsdag=d(1995, 1, 1), fordelningsdag=d(1996, 1, 1)), []),  # diskonto era
])
def test_grid_warning_for_a_fixed_rate(kw, expected):
    assert list(_res(**kw).varningar) == expected


def test_unverified_table_values_warn_in_swedish(tabell):
    res = berakna(case(sale(manader=None, referensranta=None, utmatningsdag=d(2025, 3, 1), fordelningsdag=d(2026, 2, 1)),
                       [pb("P", 2000, 100000)], [ford("A", 150000, "P", exekutionsfordran=True)]), tabell)
    # shared/domain/referensranta.csv marks 2025-01-01 (3.00), 2025-07-01 (2.00), 2026-01-01 (2.00) unverified
    assert list(res.varningar) == [
        "Referensräntan 3,00 % för första halvåret 2025 är inte bekräftad mot Riksbankens beslut; kontrollera den.",
        "Referensräntan 2,00 % för andra halvåret 2025 är inte bekräftad mot Riksbankens beslut; kontrollera den.",
        "Referensräntan 2,00 % för första halvåret 2026 är inte bekräftad mot Riksbankens beslut; kontrollera den.",
    ]
    assert not any(w.isascii() or "policy rate" in w for w in res.varningar)


def test_sakagarforteckningsdag_limits_the_warnings(tabell):
    # from the sakägarförteckning day on its rate is kept (JB 6 kap. 3 §): later half-years are not used
    res = berakna(case(sale(manader=None, referensranta=None, utmatningsdag=d(2024, 9, 1), fordelningsdag=d(2026, 2, 1),
                            sakagarforteckningsdag=d(2025, 3, 1)),
                       [pb("P", 2000, 100000)], [ford("A", 150000, "P", exekutionsfordran=True)]), tabell)
    assert [w.split(" för ")[1].split(" är ")[0] for w in res.varningar] == ["första halvåret 2025"]


# ------------------------------------------------------------------------------ a half-year outside the table

_HAND = ("Ange referensräntan för hand (en fast ränta gäller då hela räntetiden): i ärendefilen referensranta = 2 "
         "(procent) eller \"2 %\", i mallen cellen Referensränta (t.ex. 2,00 %), på kommandoraden --referensranta 2% "
         "(sakagare-xl berakna och recalc), eller i en formel TILLAGG(inteckning; 0,02; månader).")


@pytest.mark.parametrize("start, end, half", [
    (d(2026, 10, 1), d(2027, 8, 1), "första halvåret 2027 (2027-01-01)"),   # runs past the end: the first missing one
    (d(2027, 8, 1), d(2028, 2, 1), "andra halvåret 2027 (2027-08-01)"),
    (d(2002, 3, 1), d(2002, 9, 1), "första halvåret 2002 (2002-03-01)"),     # before the referensränta existed
])
def test_missing_half_year_is_named(tabell, start, end, half):
    with pytest.raises(ReferensrantaSaknas) as exc:
        berakna(case(sale(manader=None, referensranta=None, utmatningsdag=start, fordelningsdag=end),
                     [pb("P", 2000, 100000)], [ford("A", 150000, "P", exekutionsfordran=True)]), tabell)
    assert str(exc.value) == (
        f"Fel i fältet 'referensranta': tabellen saknar referensräntan för {half}; den räcker från andra halvåret "
        f"2002 till andra halvåret 2026 (2002-07-01 – 2026-12-31). {_HAND}")
