"""The range parser (docs/layout.md) → engine input, and its errors naming cells."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from conftest import HEAD, e2_range, e3_range, e5_range

from sakagare_xl.adapters.omrade import HEADER_LABELS, TABLE_HEADINGS, las_omrade
from sakagare_xl.engine.errors import MotstridigaUppgifter, OgiltigtVarde, SakagareError, SaknatVarde


def test_e2_becomes_an_arende():
    o = las_omrade(e2_range())
    assert o.lage == "A"
    f = o.arende.forsaljning
    assert (f.manader, f.referensranta, f.forrattningskostnader, f.kopeskilling) == (
        Decimal(0), Decimal("1.500"), Decimal(5000), Decimal(220000))
    assert [i.id for i in o.arende.inskrivningar] == ["P1980", "P1984", "P1991", "P1996"]
    assert [i.dag for i in o.arende.inskrivningar] == [1980, 1984, 1991, 1996]  # years only
    d = o.arende.fordringar[-1]
    assert (d.id, d.borgenar, d.kapital, d.pantbrev, d.exekutionsfordran) == (
        "P1996", "D", Decimal(25000), ("P1996",), True)


def test_trailing_empty_row_is_a_blank_table_row():
    o = las_omrade(e2_range(trailing_empty=True))
    assert [r.tom for r in o.rader] == [False, False, False, False, True]
    assert [r.nr for r in o.rader] == [1, 2, 3, 4, 5]
    assert len(o.arende.inskrivningar) == 4


def test_block_pantbrev_column():
    o = las_omrade(e5_range())
    assert o.arende.fordringar[0].pantbrev == ("P1990", "P1992")
    assert o.arende.inskrivningar[1].innehavare == "A-bank"


def test_serial_dates_and_datetimes_give_the_same_case():
    assert las_omrade(e3_range(serial=True)).arende == las_omrade(e3_range()).arende
    assert las_omrade(e3_range()).arende.forsaljning.utmatningsdag == dt.date(2019, 2, 1)


def test_labels_and_headings_are_normalised_and_columns_may_move():
    rows = [
        ["UTMATNINGSDAG (ÅÅÅÅ-MM-DD)", "2019-02-01"],
        ["fördelnings dag", "2019-05-01"],
        ["Referensränta:", "2 %"],
        ["ordning", "Kapital", "sakagare", "INTECKNINGSBELOPP", "slag", "Inskrivningsdag", "id"],
        [None, 92000.0, "A", 80000.0, "Inteckning", 1971, "P1971"],
    ]
    o = las_omrade(rows)
    assert o.arende.forsaljning.referensranta == Decimal(2)
    assert o.arende.fordringar[0].kapital == Decimal(92000)
    assert o.arende.inskrivningar[0].belopp == Decimal(80000)


def test_every_documented_label_and_heading_is_known():
    rows = [[label, None] for label in HEADER_LABELS]
    heading = [h for h in TABLE_HEADINGS if h not in ("Förmånsrätt", "Fordran")]
    o = las_omrade(rows + [heading])
    assert o.lage == "A" and o.rader == ()


def test_text_in_number_cells():
    rows = e2_range()
    rows[6][6] = "85 000"  # numeric text is read as the number
    assert las_omrade(rows).arende.fordringar[0].kapital == Decimal(85000)
    rows[6][6] = "åttiofemtusen"
    with pytest.raises(SakagareError) as exc:
        las_omrade(rows)
    assert "rad 1 i tabellen, kolumn Kapital" in str(exc.value)
    assert "åttiofemtusen" in str(exc.value)
    assert "rad 7, kolumn 7 i området" in str(exc.value)
    with pytest.raises(SakagareError) as exc:
        las_omrade(rows, "B3")  # the range starts in B3: Kapital of the first row is H9
    assert "(H9)" in str(exc.value)


@pytest.mark.parametrize(
    "edit, error, text",
    [
        (lambda r: r.__setitem__(1, ["Månadsantal", 6.0]), OgiltigtVarde, "okänd etikett 'Månadsantal'"),
        (lambda r: r[5].__setitem__(6, "Kapitalbelopp"), OgiltigtVarde, "okänd kolumnrubrik 'Kapitalbelopp'"),
        (lambda r: r[5].__setitem__(0, "Nr"), SaknatVarde, "rubrikrad saknas"),
        (lambda r: r[7].__setitem__(1, "P1980"), MotstridigaUppgifter, "id 'P1980' finns redan på rad 1"),
        (lambda r: r[7].__setitem__(3, "pantbrevsrätt"), OgiltigtVarde, "okänt slag"),
        (lambda r: r[7].__setitem__(4, -70000.0), SakagareError, "negativt"),
        (lambda r: r.insert(2, ["Månader", 3.0]), MotstridigaUppgifter, "två gånger"),
        (lambda r: r[8].__setitem__(7, "kanske"), OgiltigtVarde, "Ja eller Nej"),
        (lambda r: r[8].__setitem__(2, "1991-02-30"), SakagareError, "inget giltigt datum"),
    ],
)
def test_errors_name_the_cell(edit, error, text):
    rows = e2_range()
    edit(rows)
    with pytest.raises(error) as exc:
        las_omrade(rows)
    assert text in str(exc.value)
    assert str(exc.value).startswith("Fel i ")


def test_right_rows_and_claims_without_inskrivning():
    rows = [
        ["Utmätningsdag", "2013-03-01"],
        ["Fördelningsdag", "2013-09-01"],
        ["Referensränta", 0.02],
        HEAD + ["Ränta", "Kostnader"],
        [None, "S1981", 1981, "servitut", None, "Grannen", None, None, None, None],
        [None, "K1", None, "fordran", None, "Kommunen", 5000.0, "Ja", 100.0, 50.0],
        [None, "F1", None, "frl6", None, "Samfälligheten", 2000.0, None, None, None],
    ]
    o = las_omrade(rows)
    assert [i.slag for i in o.arende.inskrivningar] == ["servitut"]
    k1, f1 = o.arende.fordringar
    assert (k1.pantbrev, k1.exekutionsfordran, k1.ranta, k1.kostnader) == ((), True, Decimal(100), Decimal(50))
    assert f1.frl6_1 is True
    rows[4][4] = 1000.0  # a right with an amount
    with pytest.raises(OgiltigtVarde, match="rättighet har inget inteckningsbelopp"):
        las_omrade(rows)


def test_interest_without_capital_is_an_error():
    rows = e2_range()
    rows[5] = HEAD + ["Ränta"]
    for r in rows[6:]:
        r.append(None)
    rows[7][6] = None
    rows[7][8] = 500.0
    with pytest.raises(SaknatVarde, match="kolumn Kapital"):
        las_omrade(rows)


def test_precomputed_list_mode_b():
    rows = [
        ["Ordning", "Förmånsrätt", "Sakägare", "Fordran", "Exekutionsfordran"],
        [1, 100.0, "A", None, None],
        [2, 50.0, "B", 80.0, "Ja"],
        [2, 150.0, "C", None, None],
        [None, None, None, None, None],
    ]
    o = las_omrade(rows)
    assert o.lage == "B"
    assert [(x.ordning, x.formansratt) for x in o.lista] == [(1, 100), (2, 50), (2, 150)]
    assert o.lista[1].fordran == Decimal(80) and o.lista[1].exekutionsfordran
    assert [r.tom for r in o.rader] == [False, False, False, True]


@pytest.mark.parametrize(
    "rows, text",
    [
        ([["Köpeskilling", 100.0], ["Ordning", "Förmånsrätt"], [1, 5.0]], "har inget huvud"),
        ([["Ordning", "Förmånsrätt", "Slag"], [1, 5.0, "inteckning"]], "inte båda"),
        ([["Ordning", "Förmånsrätt"], [2, 5.0], [1, 5.0]], "förmånsrättsordning"),
        ([["Ordning", "Förmånsrätt", "Kapital"], [1, 5.0, 3.0]], "hör inte till en färdig lista"),
        ([["Ordning", "Id", "Fordran"], [1, "x", 5.0]], "hör till en färdig lista"),
    ],
)
def test_mode_b_errors(rows, text):
    with pytest.raises(SakagareError, match=text):
        las_omrade(rows)


def test_dataframe_ranges():
    pd = pytest.importorskip("pandas")
    rows = e2_range()
    width = max(len(r) for r in rows)
    whole = pd.DataFrame([r + [None] * (width - len(r)) for r in rows])  # header=False: the column labels are 0..n-1
    assert las_omrade(whole).arende == las_omrade(e2_range()).arende
    table = pd.DataFrame({"Ordning": [1, 2], "Förmånsrätt": [100.0, 50.0]})  # headings as column labels
    assert [x.formansratt for x in las_omrade(table).lista] == [100, 50]


def test_parser_does_not_change_its_input():
    rows = e2_range()
    before = copy.deepcopy(rows)
    las_omrade(rows)
    assert rows == before


def _dubbelutrop_range(med, utan):
    """A hyresavtal (1998) after A's protected pantbrev (1990) and before the sökande C (2001): it needs
    dubbelutrop (RULES §6); the header's two bids (docs/layout.md) decide it."""
    rows = [["Utmätningsdag", "2018-01-01"], ["Fördelningsdag", "2018-07-01"], ["Referensränta", 0.02]]
    if med is not None:
        rows.append(["Bud med förbehåll", med])
    if utan is not None:
        rows.append(["Bud utan förbehåll", utan])
    rows += [
        ["Ordning", "Id", "Inskrivningsdag", "Slag", "Inteckningsbelopp", "Sakägare", "Kapital", "Exekutionsfordran"],
        [None, "P1990", 1990.0, "inteckning", 400000.0, "A", 400000.0, None],
        [None, "H1998", 1998.0, "hyresavtal", None, "Hyresgästen", None, None],
        [None, "P2001", 2001.0, "inteckning", 500000.0, "C", 450000.0, "Ja"],
    ]
    return rows


@pytest.mark.parametrize(
    "med, utan, status",
    [
        (None, None, "dubbelutrop"),  # no bids yet: the list before the auction
        (300000.0, 900000.0, "upphör"),  # 300 000 does not cover A's 400 000, 900 000 does: the right falls
        (500000.0, 900000.0, "förbehåll"),  # the bid with förbehåll covers A: sold with it (RULES §6)
        (300000.0, 250000.0, "förbehåll"),  # the bid without covers A no better
    ],
)
def test_the_headers_bids_decide_the_dubbelutrop(med, utan, status):
    from sakagare_xl.adapters.functions import SAK_RAD, SAK_SUMMA

    rows = _dubbelutrop_range(med, utan)
    o = las_omrade(rows)
    assert o.dubbelutrop == (() if med is None else ((None, Decimal(repr(med)), Decimal(repr(utan))),))
    assert SAK_RAD(rows, 2, "status") == status
    assert SAK_RAD(rows, 1, "formansratt") == 400000.0  # the numbers do not move
    assert SAK_SUMMA(rows, "skyddsbelopp") == 400000.0


@pytest.mark.parametrize("med, utan, cell", [(300000.0, None, "Bud utan förbehåll (huvudet"),
                                              (None, 900000.0, "Bud med förbehåll (huvudet")])
def test_a_dubbelutrop_needs_both_bids(med, utan, cell):
    with pytest.raises(SaknatVarde, match=r"ett dubbelutrop har två bud") as exc:
        las_omrade(_dubbelutrop_range(med, utan))
    assert str(exc.value).startswith("Fel i huvudet (ingen rad " + cell.split(" (")[0])


def test_a_blank_bid_cell_names_its_partner():
    rows = _dubbelutrop_range(300000.0, 900000.0)
    rows[4][1] = None  # Bud utan förbehåll left blank
    with pytest.raises(SaknatVarde, match=r"Bud utan förbehåll \(rad 5, kolumn 2 i området\)"):
        las_omrade(rows)
