"""The wording of generated messages: Swedish agreement, no Python reprs, and the cell named for every error.

Found by the bench helper's corpus (tests/reliability/corpus.py, requests.md "[bench → excel-functions] minor"):
"köpeskillingen är negativt", "ett tal väntades, inte [[1, 2], [3, 4]]", and FORDELNING naming
"försäljningen, fältet 'fordelningsdag'" instead of the header cell.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import e2_range, e3_range

from sakagare_xl.adapters import values as v
from sakagare_xl.adapters.functions import COVERAGE, FORDELNING, SAK_RAD, SAK_SUMMA, TILLAGG, TILLAGG_DATUM
from sakagare_xl.engine.errors import SakagareError

# ------------------------------------------------------------------------------------ "negativ" agrees

# every `what` the adapters pass to to_decimal, with the form Swedish grammar wants (SAOL: en köpeskilling,
# en ränta, en fordran, en förmånsrätt; ett belopp, ett pris, ett kapital, ett antal; kostnader plural)
AGREEMENT = [
    ("köpeskillingen", "köpeskillingen är negativ (-220000)"),
    ("räntan", "räntan är negativ (-1)"),
    ("fordran", "fordran är negativ (-1)"),
    ("förmånsrätten", "förmånsrätten är negativ (-1)"),
    ("kostnaderna", "kostnaderna är negativa (-1)"),
    ("beloppet", "beloppet är negativt (-1)"),
    ("inteckningsbeloppet", "inteckningsbeloppet är negativt (-1)"),
    ("priset", "priset är negativt (-1)"),
    ("kapitalet", "kapitalet är negativt (-1)"),
    ("antalet månader", "antalet månader är negativt (-1)"),
]


@pytest.mark.parametrize("what, text", AGREEMENT, ids=[a[0] for a in AGREEMENT])
def test_negative_agrees_with_the_noun(what, text):
    value = -220000.0 if what == "köpeskillingen" else -1.0
    with pytest.raises(SakagareError) as exc:
        v.to_decimal(value, "argumentet x", what=what)
    assert str(exc.value) == f"Fel i argumentet x: {text}."


def _with_header(rows: list[list], label: str, value) -> list[list]:
    return [[label, value] if r[0] == label else r for r in rows]


def test_negative_kopeskilling_in_the_range_is_common_gender():
    # the corpus's negative_price workbook: Köpeskilling −220 000 in E2 (Lawline 15971)
    with pytest.raises(SakagareError) as exc:
        SAK_SUMMA(_with_header(e2_range(), "Köpeskilling", -220000.0), "medel")
    assert str(exc.value) == "Fel i Köpeskilling (rad 5, kolumn 2 i området): köpeskillingen är negativ (-220000)."


@pytest.mark.parametrize("col, text", [(7, "räntan är negativ (-5)"), (8, "kostnaderna är negativa (-5)")])
def test_negative_table_amounts_agree(col, text):
    heading = ["Ordning", "Id", "Inskrivningsdag", "Slag", "Inteckningsbelopp", "Sakägare", "Kapital", "Ränta",
               "Kostnader"]
    rows = [r[:5] for r in e2_range()[:5]]
    rows = [r + [None] * (len(heading) - len(r)) for r in rows]
    row = [None, "P1980", 1980.0, "inteckning", 90000.0, "A", 85000.0, None, None]
    row[col] = -5.0
    with pytest.raises(SakagareError) as exc:
        COVERAGE(rows + [heading, row])
    assert str(exc.value).endswith(f": {text}.")


# ------------------------------------------------------------------------------------ no Python reprs

RANGES = [
    # (call, exact message)
    (lambda: TILLAGG([[1, 2], [3, 4]], 0.02, 6),
     "Fel i argumentet inteckning: ett enda värde väntades, inte ett område (2×2 celler)."),
    (lambda: TILLAGG(100000, [[0.02, 0.03]], 6),
     "Fel i argumentet ref_rate: ett enda värde väntades, inte ett område (1×2 celler)."),
    (lambda: TILLAGG(100000, 0.02, [[6], [7]]),
     "Fel i argumentet months: ett enda värde väntades, inte ett område (2×1 celler)."),
    (lambda: TILLAGG_DATUM(100000, [[43101], [43102]], 43282),
     "Fel i argumentet fran: ett enda värde väntades, inte ett område (2×1 celler)."),
    (lambda: TILLAGG_DATUM(100000, 43101, 43282, None, None, [["manader", "dagar"]]),
     "Fel i argumentet tidsberakning: ett enda värde väntades, inte ett område (1×2 celler)."),
    (lambda: SAK_RAD(e2_range(), [[1, 2]], "utfaller"),
     "Fel i argumentet rad: ett enda värde väntades, inte ett område (1×2 celler)."),
    (lambda: SAK_RAD(e2_range(), 1, [["utfaller", "brist"]]),
     "Fel i argumentet kolumn: ett enda värde väntades, inte ett område (1×2 celler)."),
    (lambda: COVERAGE(e2_range(), [[100000, 200000]]),
     "Fel i argumentet pris: ett enda värde väntades, inte ett område (1×2 celler)."),
    # a date cell where an amount belongs (classic xlwings hands a datetime)
    (lambda: TILLAGG(dt.datetime(2020, 1, 1), 0.02, 6),
     "Fel i argumentet inteckning: ett tal väntades, inte datumet 2020-01-01."),
    (lambda: TILLAGG(dt.datetime(2020, 1, 1, 10, 30), 0.02, 6),
     "Fel i argumentet inteckning: ett tal väntades, inte datumet 2020-01-01 10:30."),
]


@pytest.mark.parametrize("call, text", RANGES)
def test_no_python_repr_in_messages(call, text):
    with pytest.raises(SakagareError) as exc:
        call()
    assert str(exc.value) == text


# ------------------------------------------------------------------------------------ sale errors name the cell

def _e3_fordelning_before_utmatning() -> list[list]:
    # E3 (Lawline, utmätning 2019-02-01) with the Fördelningsdag typed a year early
    return _with_header(e3_range(), "Fördelningsdag", dt.datetime(2018, 5, 1))


@pytest.mark.parametrize("fn", [FORDELNING, COVERAGE, lambda r, **kw: SAK_RAD(r, 1, "tillagg", **kw)],
                         ids=["FORDELNING", "COVERAGE", "SAK_RAD"])
def test_sale_errors_name_the_header_cell(fn):
    text = "fördelningsdagen (2018-05-01) ligger före utmätningsdag (2019-02-01)."
    with pytest.raises(SakagareError) as exc:
        fn(_e3_fordelning_before_utmatning())
    assert str(exc.value) == f"Fel i Fördelningsdag (rad 2, kolumn 2 i området): {text}"
    with pytest.raises(SakagareError) as exc:
        fn(_e3_fordelning_before_utmatning(), adress="B3")  # the range's top-left cell, as recalc passes it
    assert str(exc.value) == f"Fel i Fördelningsdag (C4): {text}"


def test_a_missing_header_row_is_named_in_swedish():
    rows = [r for r in e3_range() if r[0] != "Utmätningsdag"]
    with pytest.raises(SakagareError) as exc:
        FORDELNING(rows, 500000)
    assert str(exc.value) == ("Fel i huvudet (ingen rad Utmätningsdag): dagen då räntan börjar löpa saknas "
                              "(ange den, eller 'månader').")
