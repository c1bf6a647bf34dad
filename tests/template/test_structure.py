"""What the workbook is made of: defined names, validation, protection, formats, print setup, chart,
and formulas that headless recalculation can evaluate."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from sakagare_xl.template import layout as L
from sakagare_xl.template.exempel import EXEMPEL, MALL

ALL = [MALL, *(ex.fil for ex in EXEMPEL)]
NAMES = [
    "Fastighet", "Utmatningsdag", "Konkurs", "Konkursansokningsdag", "Sakagarforteckningsdag", "Fordelningsdag",
    "Manader", "Tidsberakning", "Referensranta", "Forrattningskostnader", "Kopeskilling", "Ranta_kopeskilling",
    "Sokande", "Rattighet_bryter_block", "Utmatning_inskrivningsdag", "Sak",
]
#: the functions the template's formulas may call: ours, and plain Excel functions every evaluator knows
ALLOWED_FUNCTIONS = {"SAK_RAD", "SAK_SUMMA", "IF", "OR", "COUNTA", "ISBLANK", "SUM", "ROUND"}
#: the print sheet copies with lookups and builds its dates as text (no TEXT(): its format codes are
#: locale-dependent in Excel); all in Excel 2007, LibreOffice and sakagare-xl recalc
ALLOWED_FUNCTIONS |= {"INDEX", "MATCH", "COUNT", "ISNUMBER", "VLOOKUP", "IFERROR", "YEAR", "MONTH", "DAY", "RIGHT",
                      "AND", "MOD"}


@pytest.fixture(scope="module")
def books(built):
    return {name: openpyxl.load_workbook(built[name]) for name in ALL}


def _formulas(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    yield ws.title, c.coordinate, c.value


@pytest.mark.parametrize("name", ALL)
def test_defined_names_point_at_the_header_values_and_sak(books, name):
    wb = books[name]
    for n in NAMES:
        assert n in wb.defined_names, n
    dests = {n: list(wb.defined_names[n].destinations) for n in NAMES}
    assert dests["Sak"] == [(L.SHEET, "$A$5:$N$43")]
    ws = wb[L.SHEET]
    for f in L.HEADER:
        ((sheet, ref),) = dests.get(f.name) or list(wb.defined_names[f.name].destinations)
        row = int(ref.split("$")[-1])
        assert sheet == L.SHEET and ref.startswith("$B$")
        assert ws.cell(row, 1).value == f.label  # the label sits left of the named value cell
    assert ws.cell(L.TABLE_HEADING_ROW + 1, 1).value == "Ordning"
    assert [ws.cell(L.TABLE_HEADING_ROW + 1, i + 1).value for i in range(len(L.COLUMNS))] == [
        c.heading for c in L.COLUMNS
    ]


@pytest.mark.parametrize("name", ALL)
def test_computed_cells_lie_outside_sak(books, name):
    """No circular reference: no formula inside the input range."""
    for sheet, coord, _f in _formulas(books[name]):
        if sheet == L.SHEET:
            cell = books[name][sheet][coord]
            assert not (L.SAK_FIRST_ROW < cell.row <= L.TABLE_LAST_ROW + 1 and cell.column <= len(L.COLUMNS)), coord


@pytest.mark.parametrize("name", ALL)
def test_formulas_are_portable(books, name):
    """A1 references and defined names only: no structured references ([...]), no spill (#), no _xlfn
    future functions, no implicit intersection (@), and only functions an evaluator knows."""
    formulas = list(_formulas(books[name]))
    assert len(formulas) > L.TABLE_ROWS * len(L.RESULT_COLUMNS)
    for sheet, coord, f in formulas:
        body = re.sub(r'"[^"]*"', '""', f)  # ignore string literals
        assert "[" not in body and "#" not in body and "@" not in body and "_xlfn" not in body, (coord, f)
        functions = set(re.findall(r"([A-Z][A-Z0-9_.]*)\(", body))
        assert functions <= ALLOWED_FUNCTIONS, (coord, functions - ALLOWED_FUNCTIONS)


@pytest.mark.parametrize("name", ALL)
def test_every_formula_has_a_cached_value_in_the_file(built, name):
    with zipfile.ZipFile(built[name]) as z:
        for member in z.namelist():
            if member.startswith("xl/worksheets/sheet"):
                xml = z.read(member).decode()
                cells = re.findall(r"<c [^>]*>(?:(?!</c>).)*<f>(?:(?!</c>).)*</c>", xml)
                assert cells
                assert all("<v>" in c or "<v></v>" in c for c in cells)
        wbxml = z.read("xl/workbook.xml").decode()
        assert "fullCalcOnLoad" not in wbxml  # Excel shows the cached values instead of recalculating on open


def test_data_validation(books):
    ws = books[MALL][L.SHEET]
    by_cell: dict[str, object] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_cell[rng.coord] = dv
    def at(row: int, col: int):
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(col + 1)
        for coord, dv in by_cell.items():
            first, _, last = coord.partition(":")
            last = last or first
            c1, r1 = re.match(r"([A-Z]+)(\d+)", first).groups()
            c2, r2 = re.match(r"([A-Z]+)(\d+)", last).groups()
            if c1 <= letter <= c2 and int(r1) <= row + 1 <= int(r2):
                return dv
        raise AssertionError((row, col))

    hv = lambda key: at(L.HEADER_ROW[key], 1)  # noqa: E731
    assert hv("utmatningsdag").type == "date"
    assert hv("fordelningsdag").type == "date"
    assert hv("konkurs").type == "list" and hv("konkurs").formula1 == '"Ja,Nej"'
    assert hv("tidsberakning").formula1 == '"manader,dagar"'
    assert hv("forrattningskostnader").type == "decimal" and hv("forrattningskostnader").operator == "greaterThanOrEqual"
    assert hv("referensranta").type == "decimal"
    row = L.TABLE_FIRST_ROW + 3
    col = lambda key: at(row, L.COLUMN_INDEX[key])  # noqa: E731
    assert col("slag").type == "list" and "hyresavtal" in col("slag").formula1 and "frl6" in col("slag").formula1
    for key in ("belopp", "kapital", "ranta", "kostnader"):
        assert col(key).type == "decimal" and col(key).formula1 == "0"
    assert col("exekutionsfordran").formula1 == '"Ja,Nej"'
    assert col("personligt_ansvar").formula1 == '"Ja,Nej"'
    assert col("ordning").type == "whole"
    assert col("id").type == "custom" and "COUNTIF" in col("id").formula1
    assert all(dv.showInputMessage and dv.prompt for dv in ws.data_validations.dataValidation)


@pytest.mark.parametrize("name", ALL)
def test_protection_leaves_only_inputs_unlocked(books, name):
    wb = books[name]
    for ws in wb.worksheets:
        assert ws.protection.sheet is True
        assert not ws.protection.password  # no password: Granska > Ta bort skydd
    ws = wb[L.SHEET]
    for f in L.HEADER:
        assert ws.cell(L.HEADER_ROW[f.key] + 1, 2).protection.locked is False
        assert ws.cell(L.HEADER_ROW[f.key] + 1, 1).protection.locked is True
    for r in range(L.TABLE_FIRST_ROW, L.TABLE_LAST_ROW + 1):
        for c in range(len(L.COLUMNS)):
            assert ws.cell(r + 1, c + 1).protection.locked is False
        for c in L.RESULT_COLUMNS:
            assert ws.cell(r + 1, L.RESULT_COL[c.field] + 1).protection.locked is True
    for _s, coord, _f in _formulas(wb):
        assert wb[_s][coord].protection.locked is True


def test_inputs_and_computed_cells_look_different_and_the_legend_says_so(books):
    ws = books[MALL][L.SHEET]
    inp = ws.cell(L.TABLE_FIRST_ROW + 1, 1).fill.fgColor.rgb
    out = ws.cell(L.TABLE_FIRST_ROW + 1, L.RESULT_FIRST_COL + 1).fill.fgColor.rgb
    assert inp != out
    assert ws.cell(L.LEGEND_ROW + 1, 2).fill.fgColor.rgb == inp and ws.cell(L.LEGEND_ROW + 1, 2).value == "Fylls i"
    assert ws.cell(L.LEGEND_ROW + 1, 3).fill.fgColor.rgb == out and ws.cell(L.LEGEND_ROW + 1, 3).value == "Beräknas"


def test_number_and_date_formats(books):
    ws = books["ovning-2018.xlsx"][L.SHEET]
    assert ws.cell(L.HEADER_ROW["utmatningsdag"] + 1, 2).number_format == "yyyy-mm-dd"
    assert ws.cell(L.HEADER_ROW["kopeskilling"] + 1, 2).number_format == "#,##0.00"
    assert ws.cell(L.HEADER_ROW["referensranta"] + 1, 2).number_format == "0.00%"
    assert ws.cell(L.TABLE_FIRST_ROW + 2, L.COLUMN_INDEX["belopp"] + 1).number_format == "#,##0.00"
    assert ws.cell(L.TABLE_FIRST_ROW + 2, L.RESULT_COL["utfaller"] + 1).number_format == "#,##0.00"
    # a registration known only by its year keeps showing the year, not a 1905 date
    year = ws.cell(L.TABLE_FIRST_ROW + 2, L.COLUMN_INDEX["dag"] + 1)
    assert year.value == 1990 and year.number_format == "0"


@pytest.mark.parametrize("name", ALL)
def test_print_setup_and_frozen_panes(books, name):
    wb = books[name]
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        if ws.sheet_properties.pageSetUpPr.fitToPage:  # one page wide, never below 80 % (10 pt → 8 pt)
            assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        else:  # too wide for one page at 80 %: at 80 % over several pages
            assert ws.page_setup.scale == 80
        assert "Sida &P av &N" in ws.oddFooter.right.text
        assert ws.oddHeader.left.text and "Sakägarförteckning" in ws.oddHeader.left.text
        assert ws.freeze_panes is not None
    ws = wb[L.SHEET]
    assert ws.print_title_rows == f"${L.TABLE_HEADING_ROW + 1}:${L.TABLE_HEADING_ROW + 1}"
    assert ws.freeze_panes == "B5"
    # the paper document: one page wide at 100 % (the columns fit), its heading on every page
    wu = wb[L.SHEET_UTSKRIFT]
    # fitted to the width: at most 125 % of what fits at 100 %, so the scale stays >= 80 % (10 pt → 8 pt)
    assert wu.sheet_properties.pageSetUpPr.fitToPage and sum(c.width for c in L.PRINT_COLUMNS) <= L.PRINT_WIDTH * 1.25
    assert wu.print_title_rows == f"${L.PRINT_HEADING_ROW + 1}:${L.PRINT_HEADING_ROW + 1}"
    assert [wu.cell(L.PRINT_HEADING_ROW + 1, j + 1).value for j in range(len(L.PRINT_COLUMNS))] == [
        "Nr", "Sakägare", "Rättighet/fordran", "Inskrivningsdag", "Belopp", "Förmånsrätt", "Tillägg",
        "Block tillhopa", "Skyddad/förbehåll", "Utfaller", "Brist",  # a block is one post (JB 6:3 2 st.)
    ]


@pytest.mark.parametrize("name", ALL)
def test_diagram_sheet_has_a_chart_of_the_fordelning(built, name):
    with zipfile.ZipFile(built[name]) as z:
        charts = [m for m in z.namelist() if m.startswith("xl/charts/chart")]
        if name == MALL:  # no chart of 20 nameless empty series in the empty template (docs/template.md)
            assert charts == []
            return
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
        assert "<c:areaChart>" in xml and '<c:grouping val="stacked"/>' in xml
        assert "Diagram!$A$6:$A$26" in xml  # 21 price steps from 0 to the price covering everyone


@pytest.mark.parametrize("name", ALL)
def test_sheets_and_labels_are_swedish(books, name):
    assert books[name].sheetnames == [L.SHEET, L.SHEET_UTSKRIFT, L.SHEET_FORKLARING, L.SHEET_DIAGRAM]
    ws = books[name][L.SHEET]
    assert ws["A1"].value == "Sakägarförteckning"
