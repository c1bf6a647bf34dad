"""The cached values in the built workbooks equal the engine's result (read as a viewer would: openpyxl
data_only=True and pandas), for every example and the empty template."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from template_helpers import case

from sakagare_xl.engine import berakna
from sakagare_xl.referensranta_data import las_tabell
from sakagare_xl.template import layout as L
from sakagare_xl.template.exempel import EXEMPEL, MALL
from sakagare_xl.template.formler import INGET

BY_FILE = {ex.fil: ex for ex in EXEMPEL}


def _summary(ws) -> dict[str, object]:
    """The summary block: label → cached value."""
    out = {}
    for r in range(L.SUMMARY_FIRST_ROW, L.SUMMARY_FIRST_ROW + 15):
        label = ws.cell(r + 1, L.SUMMARY_LABEL_COL + 1).value
        if label:
            out[label.strip()] = ws.cell(r + 1, L.SUMMARY_VALUE_COL + 1).value
    return out


def _row_values(ws, field: str) -> list[object]:
    col = L.RESULT_COL[field] + 1
    return [ws.cell(L.TABLE_FIRST_ROW + 1 + i, col).value for i in range(L.TABLE_ROWS)]


def _d(x) -> Decimal:
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def _open(path):
    return openpyxl.load_workbook(path, data_only=True)


# E2 and E3: the numbers EXAMPLES.md states, read from the cached cells.
# E2 (Lawline 15971): costs 5 000; D receives 10 000, brist 15 000; owner 33 000 ägarhypotek; överskott 0;
# skyddsbelopp 210 000 (ägarhypotek included). E3 (Lawline A–E): skyddsbelopp 332 685 (manader, 3 months).
# Övning 2018 (E5): block 700 000 × 1,18 = 826 000 at the block's rank; skyddsbelopp = 25 000 costs + 826 000.
EXPECTED_SUMMARY = [
    ("exempel-e2.xlsx", "Skyddsbelopp (UB 12 kap. 29 §)", 210000),
    ("exempel-e2.xlsx", "Förrättningskostnader utfaller", 5000),
    ("exempel-e2.xlsx", "varav ägarhypotek till ägaren", 33000),
    ("exempel-e2.xlsx", "Överskott till ägaren", 0),
    ("exempel-e2.xlsx", "Brist (summa för fordringarna)", 15000),
    ("exempel-e2.xlsx", "Utdelat (kostnader + tabellens rader)", 220000),
    ("exempel-e2.xlsx", "Kontroll: utdelat + överskott = medel", "OK"),
    ("exempel-e3.xlsx", "Skyddsbelopp (UB 12 kap. 29 §)", 332685),
    ("exempel-e3.xlsx", "Lägsta godtagbara bud", 332685),
    ("ovning-2018.xlsx", "Skyddsbelopp (UB 12 kap. 29 §)", 851000),
    ("ovning-2018.xlsx", "Kontroll: utdelat + överskott = medel", "OK"),
]


@pytest.mark.parametrize("name,label,expected", EXPECTED_SUMMARY)
def test_summary_shows_the_documented_numbers(built, name, label, expected):
    assert _summary(_open(built[name])[L.SHEET])[label] == expected


def test_e2_rows_show_d_and_the_agarhypotek(built):
    """E2 (EXAMPLES.md): D (row 4) receives 10 000 with brist 15 000; ägarhypotek 5 000 (A) and 28 000 (C)."""
    ws = _open(built["exempel-e2.xlsx"])[L.SHEET]
    assert _row_values(ws, "utfaller")[:4] == [90000, 75000, 40000, 10000]  # row incl. its ägarhypotek
    assert _row_values(ws, "brist")[:4] == [0, 0, 0, 15000]
    assert _row_values(ws, "agarhypotek")[:4] == [5000, 0, 28000, 15000]
    assert _row_values(ws, "tillagg")[:4] == [0, 5000, 0, 0]  # B needs 5 000 of tillägg (below 15 %)


def test_2018_block_covers_826000(built):
    """E5: the block 400 000 (1990) + 300 000 (1992) covers 826 000 at its rank (RULES §3 worked example)."""
    ws = _open(built["ovning-2018.xlsx"])[L.SHEET]
    form = _row_values(ws, "formansratt")
    assert form[1] + form[2] == 826000
    assert _row_values(ws, "tillagg")[2] == 126000
    # the dubbelutrop of the hyresavtal is decided by the header's bids (800 000 with, 1 200 000 without
    # förbehåll; examples/e5-2018-block.toml [[dubbelutrop]]): it falls, as `sakagare-xl berakna` says
    assert _row_values(ws, "status")[:4] == ["förbehåll", INGET, INGET, "upphör"]  # INGET: not a right


@pytest.mark.parametrize("ex", EXEMPEL, ids=lambda e: e.fil)
def test_cached_values_equal_the_engine_on_the_case_file(built, ex):
    """Per table row: the sum of the engine's rows for that inskrivning (or claim); per claim: its brist."""
    arende = case(ex)
    res = berakna(arende, las_tabell())
    ws = _open(built[ex.fil])[L.SHEET]
    ids = [ws.cell(L.TABLE_FIRST_ROW + 1 + i, L.COLUMN_INDEX["id"] + 1).value for i in range(L.TABLE_ROWS)]
    # the claim written on a row: the first pantbrev's row (from_arende), or its own row
    home = {f.id: (f.pantbrev[0] if f.pantbrev else f.id) for f in arende.fordringar}
    priced = res.medel is not None
    for i, row_id in enumerate(ids):
        if row_id is None:
            assert all(_row_values(ws, c.field)[i] is None for c in L.RESULT_COLUMNS)
            continue
        rows = [r for r in res.rader if (r.ids and r.ids[0] == row_id)
                or (not r.ids and r.fordran_ids and home[r.fordran_ids[0]] == row_id)]
        assert rows, row_id
        assert _d(_row_values(ws, "formansratt")[i]) == sum(r.formansratt for r in rows)
        assert _d(_row_values(ws, "tillagg")[i]) == sum(r.tillagg for r in rows)
        assert _d(_row_values(ws, "agarhypotek")[i]) == sum(
            r.formansratt for r in rows if r.typ in ("agarhypotek", "overhypotek", "utmatt"))
        assert _row_values(ws, "skyddad")[i] == ("Ja" if rows[0].skyddad else "Nej")
        if priced:
            assert _d(_row_values(ws, "utfaller")[i]) == sum(r.utfaller for r in rows)
            claims = [f for f in res.fordringar if home[f.id] == row_id]
            brist = _row_values(ws, "brist")[i]
            if claims:
                assert _d(brist) == sum(f.brist for f in claims)
            else:
                assert brist == INGET  # a filled row without a claim: never an empty cached result
        else:
            assert _row_values(ws, "utfaller")[i] is None
    s = _summary(ws)
    assert _d(s["Skyddsbelopp (UB 12 kap. 29 §)"]) == res.skyddsbelopp
    assert _d(s["Lägsta godtagbara bud"]) == res.lagsta_bud
    if priced:
        assert _d(s["Medel att fördela (köpeskilling + ränta)"]) == res.medel
        assert _d(s["Överskott till ägaren"]) == res.overskott
        assert _d(s["varav ägarhypotek till ägaren"]) == res.agarhypotek_till_agaren
        costs = sum(r.utfaller for r in res.rader if r.typ == "kostnader")
        assert _d(s["Förrättningskostnader utfaller"]) == costs
        assert _d(s["Utfaller på tabellens rader (summa)"]) + costs == res.utdelat
        assert _d(s["Utdelat (kostnader + tabellens rader)"]) == res.utdelat
        assert _d(s["Brist (summa för fordringarna)"]) == sum(f.brist for f in res.fordringar)


@pytest.mark.parametrize("ex", EXEMPEL, ids=lambda e: e.fil)
def test_forklaring_sheet_holds_the_engine_explanations(built, ex):
    res = berakna(case(ex), las_tabell())
    ws = _open(built[ex.fil])[L.SHEET_FORKLARING]
    texts = [ws.cell(5 + i, 4).value for i in range(L.TABLE_ROWS)]
    filled = [t for t in texts if t]
    assert len(filled) == len([i for i in case(ex).inskrivningar]) + sum(
        1 for f in case(ex).fordringar if not f.pantbrev)
    joined = " ".join(filled)
    for r in res.rader:
        if r.typ != "kostnader":
            assert r.forklaring in joined


@pytest.mark.parametrize("ex", EXEMPEL, ids=lambda e: e.fil)
def test_diagram_columns_add_up_to_the_price(built, ex):
    """At every price step, costs + each claim + owner + rest = the money distributed; the first step is 0
    and the last covers everyone (every claim's entitlement is paid)."""
    wb = _open(built[ex.fil])
    ws = wb[L.SHEET_DIAGRAM]
    ranta = wb[L.SHEET].cell(L.HEADER_ROW["ranta_kopeskilling"] + 1, 2).value or 0
    rows = list(ws.iter_rows(min_row=6, max_row=6 + L.CHART_STEPS, values_only=True))
    assert rows[0][0] == 0
    assert rows[-1][0] == ws.cell(3, 3).value
    for row in rows:
        price, parts = row[0], [v for v in row[1:] if v is not None]
        assert sum(_d(v) for v in parts) == _d(price) + _d(ranta)
    res = berakna(case(ex), las_tabell())
    covered = sum(f.formansratt for f in res.fordringar)
    claims_at_top = sum(_d(v) for v in rows[-1][2:-2] if v is not None)
    assert claims_at_top == covered


def test_e3_diagram_total_is_the_sum_of_all_entitlements(built):
    """E3: 92 000 + 103 685 + 107 000 + 160 000 + 115 000 (claims inside their pantbrev with tillägg) + 30 000."""
    ws = _open(built["exempel-e3.xlsx"])[L.SHEET_DIAGRAM]
    assert ws.cell(3, 3).value == 92000 + 103685 + 107000 + 160000 + 115000 + 30000


def test_empty_template_has_no_numbers_and_no_errors(built):
    wb = _open(built[MALL])
    ws = wb[L.SHEET]
    for c in L.RESULT_COLUMNS:
        assert set(_row_values(ws, c.field)) == {None}
    s = _summary(ws)
    assert s["Referensränta som används"] == "enligt tabell"
    assert {v for k, v in s.items() if k != "Referensränta som används"} == {None}
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and (v.startswith("Fel") or v.startswith("#"))), v


@pytest.mark.parametrize("name", [MALL, *BY_FILE])
def test_pandas_sees_the_numbers(built, name):
    pd = pytest.importorskip("pandas")
    df = pd.read_excel(built[name], sheet_name=L.SHEET, header=None)
    value = df.iat[L.SUMMARY_FIRST_ROW + 1, L.SUMMARY_VALUE_COL]  # Skyddsbelopp
    if name == MALL:
        assert pd.isna(value)
    else:
        res = berakna(case(BY_FILE[name]), las_tabell())
        assert _d(float(value)) == res.skyddsbelopp


def test_a_hyresavtal_is_named_hyresavtal(built):
    """E5's H1998 (slag hyresavtal, no holder in the workbook): the explanation and the print sheet call it
    Hyresavtal, as its slag (docs/case-format.md), not Hyresrätt."""
    wb = _open(built["ovning-2018.xlsx"])
    texts = [c.value for ws in (wb[L.SHEET_FORKLARING], wb[L.SHEET_UTSKRIFT]) for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any(t.startswith("Hyresavtal H1998 har bättre rätt") for t in texts)
    assert "Hyresavtal H1998" in texts
    assert not any("Hyresrätt" in t for t in texts)


def _print_lines(ws):
    heads = [ws.cell(L.PRINT_HEADING_ROW + 1, j + 1).value for j in range(len(L.PRINT_COLUMNS))]
    lines = []
    for r in range(L.PRINT_FIRST_ROW + 1, L.PRINT_LAST_ROW + 2):
        vals = [ws.cell(r, j + 1).value for j in range(len(L.PRINT_COLUMNS))]
        if vals[0] is not None:
            lines.append(dict(zip(heads, vals)))
    return lines


def test_the_print_sheet_lists_e2_in_priority_order(built):
    """E2 (Lawline 15971, EXAMPLES.md): A, B, C, D by date; a row's förmånsrätt and utfaller include its
    ägarhypotek (A 85 000 + 5 000; C 12 000 + 28 000; D 25 000 + 15 000), D the sökande with brist 15 000."""
    lines = _print_lines(_open(built["exempel-e2.xlsx"])[L.SHEET_UTSKRIFT])
    assert [x["Nr"] for x in lines] == [1, 2, 3, 4]
    assert [x["Sakägare"] for x in lines] == ["A", "B", "C", "D"]
    assert [x["Rättighet/fordran"] for x in lines] == [
        "Pantbrev P1980", "Pantbrev P1984", "Pantbrev P1991", "Pantbrev P1996 (sökande)"]
    assert [x["Inskrivningsdag"] for x in lines] == [1980, 1984, 1991, 1996]
    assert [x["Belopp"] for x in lines] == [90000, 70000, 40000, 40000]
    assert [x["Förmånsrätt"] for x in lines] == [90000, 75000, 40000, 40000]
    assert [x["Tillägg"] for x in lines] == [0, 5000, 0, 0]
    assert [x["Skyddad/förbehåll"] for x in lines] == ["Ja", "Ja", "Ja", "Nej"]
    assert [x["Utfaller"] for x in lines] == [90000, 75000, 40000, 10000]
    assert [x["Brist"] for x in lines] == [0, 0, 0, 15000]


def test_the_print_sheet_sorts_a_table_typed_in_another_order():
    """The same E2 registrations typed last-first: the printed list is still in priority order, and its
    cached values are what the formulas give (sakagare-xl recalc finds nothing to change)."""
    import dataclasses

    from sakagare_xl.recalc.core import recalc_bytes
    from sakagare_xl.template.builder import build_bytes
    from sakagare_xl.template.exempel import ifyllnad

    fall = ifyllnad(EXEMPEL[0])
    fall = dataclasses.replace(fall, rows=tuple(reversed(fall.rows)))
    data = build_bytes(fall)
    import io

    lines = _print_lines(openpyxl.load_workbook(io.BytesIO(data), data_only=True)[L.SHEET_UTSKRIFT])
    assert [x["Sakägare"] for x in lines] == ["A", "B", "C", "D"]
    assert [x["Brist"] for x in lines] == [0, 0, 0, 15000]
    out = recalc_bytes(data)
    assert out.status == "oförändrad" and out.changed == 0 and not out.errors
