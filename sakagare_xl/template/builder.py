"""Write the template workbook with XlsxWriter, deterministically.

The workbook has three sheets:

``Sakägarförteckning``
    the header block and the table (the input range ``Sak``, yellow cells),
    the computed sakägarförteckning to the right of it (grey cells, one row
    per result row in priority order) and a summary block with the control cell;
``Förklaring``
    the Swedish explanation of every result row;
``Diagram``
    what each creditor receives at 21 prices from 0 to the price covering
    everyone, and a stacked area chart of it.

Every formula is written with its cached value, computed by the same pure
functions the Excel add-in calls (:mod:`sakagare_xl.template.formler`), so a
reader without the add-in (a viewer, pandas, openpyxl) sees the numbers.
Same input, same bytes: the document's dates are fixed and nothing depends on
the clock.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import os
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ..engine.rantesats import HOGSTA, INTERVALL_TEXT, LAGSTA
from . import layout as L
from .fall import Ifyllnad, excel_value
from .formler import Formel, Formler

#: the document properties' fixed date (determinism: no clock in the file)
CREATED = _dt.datetime(2026, 1, 1, 0, 0, 0)
#: Excel 365's calculation engine id: Excel trusts the cached values on opening instead of
#: recalculating everything (which, without the add-in, would turn them into #NAME?).
CALC_ID = 191029

INPUT_FILL = "#FFF2CC"
COMPUTED_FILL = "#EDEDED"
HEADING_FILL = "#D9E1F2"
BORDER_COLOUR = "#A6A6A6"
MONEY = "#,##0.00"  # Excel shows it as "# ##0,00" under Swedish regional settings
WHOLE = "#,##0"  # a whole amount (conditional format over MONEY: öre only where there are öre)
MONEY_NO_ZERO = '#,##0.00;-#,##0.00;""'  # zero shown as nothing (the print sheet's Tillägg)
WHOLE_NO_ZERO = '#,##0;-#,##0;""'
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"


def build(target: str | os.PathLike[str] | io.BytesIO, fall: Ifyllnad | None = None, *, xlsm: bool = False) -> None:
    """Write the template (``fall`` None: empty) to a path or a binary buffer.

    ``xlsm``: a macro-enabled workbook for the classic xlwings add-in: it carries the VBA project of
    xlwings' own ``quickstart.xlsm`` (a reference to the xlwings add-in, as ``xlwings quickstart``
    creates it) and an ``xlwings.conf`` sheet with ``UDF Modules = sakagare_xl.udfs``, so that
    *xlwings → Import Functions* is the only step left in Excel (docs/template.md).
    """
    data = build_bytes(fall, xlsm=xlsm)
    if isinstance(target, io.BytesIO):
        target.write(data)
    else:
        with open(target, "wb") as fh:
            fh.write(data)


def build_bytes(fall: Ifyllnad | None = None, *, xlsm: bool = False) -> bytes:
    """The workbook as bytes (for tests and for writing only when changed)."""
    fall = fall or Ifyllnad()
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    try:
        _Writer(wb, fall, xlsm=xlsm).write()
    finally:
        wb.close()
    return typed_blanks(buf.getvalue())


#: a formula cell whose cached value is empty and untyped: ``<c r="P22" s="17"><f>…</f><v></v></c>``
_UNTYPED_BLANK = re.compile(rb'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?)(><f>[^<]*</f><v></v></c>)')


def typed_blanks(data: bytes) -> bytes:
    """Mark the empty cached results of formulas as text (``t="str"``), as Excel itself saves ``=IF(…,"",…)``.

    XlsxWriter leaves an empty result untyped on purpose ("to force recalc in some third party apps"):
    LibreOffice then recalculates the cell and, without our functions, shows ``#NAME?``. Typed, every
    viewer shows the blank the engine computed. Only the sheet XML changes; every other member is copied
    byte for byte (:func:`sakagare_xl.recalc.ooxml.rewrite_zip`).
    """
    from ..recalc.ooxml import open_package, rewrite_zip

    pkg = open_package(data)
    changed = {}
    for name in pkg.infos:
        if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
            xml = pkg.read(name)
            new = _UNTYPED_BLANK.sub(rb'\1 t="str"\2', xml)
            if new != xml:
                changed[name] = new
    return rewrite_zip(pkg, changed) if changed else data


def xlwings_vba_project() -> bytes:
    """The VBA project of the installed xlwings' ``quickstart.xlsm`` (BSD licence, part of xlwings):
    ThisWorkbook and a reference to the xlwings add-in, which the UDF wrappers that *Import Functions*
    writes call into."""
    import zipfile

    import xlwings

    path = os.path.join(os.path.dirname(xlwings.__file__), "quickstart.xlsm")
    try:
        with zipfile.ZipFile(path) as z:
            return z.read("xl/vbaProject.bin")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise FileNotFoundError(f"xlwings quickstart.xlsm saknas eller är trasig ({path}): {exc}") from None


class _Writer:
    def __init__(self, wb: xlsxwriter.Workbook, fall: Ifyllnad, xlsm: bool = False):
        self.wb = wb
        self.fall = fall
        self.xlsm = xlsm
        self.values = fall.sak_values()
        self.f = Formler(self.values)
        self.fmt = _formats(wb)

    # ------------------------------------------------------------------ workbook

    def write(self) -> None:
        wb = self.wb
        wb.set_properties(
            {
                "title": "Sakägarförteckning",
                "subject": "Sakägarförteckning, tillägg (JB 6 kap. 3 §), skyddsbelopp och fördelning",
                "author": "sakagare_xl",
                "company": "",
                "keywords": "sakägarförteckning, fördelning, tillägg, skyddsbelopp",
                "comments": "Byggd av sakagare_xl (python -m sakagare_xl.template). Gula celler fylls i.",
                "created": CREATED,
            }
        )
        wb.set_calc_mode("auto", calc_id=CALC_ID)
        wb.calc_on_load = False
        ws = wb.add_worksheet(L.SHEET)
        wu = wb.add_worksheet(L.SHEET_UTSKRIFT)
        wf = wb.add_worksheet(L.SHEET_FORKLARING)
        wd = wb.add_worksheet(L.SHEET_DIAGRAM)
        self._names()
        self._main(ws)
        self._utskrift(wu)
        self._forklaring(wf)
        self._diagram(wd)
        if self.xlsm:
            self._xlwings_conf()
        ws.activate()

    def _xlwings_conf(self) -> None:
        """The workbook's xlwings settings (read by the classic add-in; settings start in A1)."""
        self.wb.add_vba_project(io.BytesIO(xlwings_vba_project()), is_stream=True)
        ws = self.wb.add_worksheet("xlwings.conf")
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 40)
        ws.write_string(0, 0, "UDF Modules")
        ws.write_string(0, 1, "sakagare_xl.udfs")
        ws.write_string(
            3,
            0,
            "Inställningar för xlwings-tillägget (gäller före xlwings.conf i användarkatalogen). "
            "Efter ändringar i Python-koden: xlwings-fliken → Import Functions.",
            self.fmt["note"],
        )

    def _names(self) -> None:
        self.wb.define_name("Sak", L.SAK_REF)
        for f in L.HEADER:
            self.wb.define_name(f.name, "=" + L.sheet_ref(L.SHEET, L.a1(L.HEADER_ROW[f.key], L.VALUE_COL)))

    # ------------------------------------------------------------------ main sheet

    def _main(self, ws: Any) -> None:
        fmt = self.fmt
        for i, c in enumerate(L.COLUMNS):
            ws.set_column(i, i, c.width)
        ws.set_column(L.SAK_LAST_COL + 1, L.SAK_LAST_COL + 1, 2)
        for c in L.RESULT_COLUMNS:
            col = L.RESULT_COL[c.field]
            ws.set_column(col, col, c.width)
        ws.set_row(L.TABLE_HEADING_ROW, 45)  # three lines: no heading breaks mid-word or runs into row 1

        ws.write_string(L.TITLE_ROW, 0, "Sakägarförteckning", fmt["title"])
        subtitle = self.fall.titel or (
            "Mall: fyll i de gula cellerna. Tillägg enligt JB 6 kap. 3 §, skyddsbelopp enligt UB 12 kap. 29 §, "
            "fördelning enligt FRL och UB 13 kap."
        )
        ws.write_string(L.SUBTITLE_ROW, 0, subtitle, fmt["subtitle"])
        ws.write_string(L.LEGEND_ROW, 0, "Färger:", fmt["legend_label"])
        ws.write_string(L.LEGEND_ROW, 1, "Fylls i", fmt["legend_input"])
        ws.write_string(L.LEGEND_ROW, 2, "Beräknas", fmt["legend_computed"])
        ws.write_string(
            L.LEGEND_ROW,
            3,
            "Beräknade celler är låsta (bladskydd utan lösenord). Förklaringar per rad: bladet Förklaring.",
            fmt["subtitle"],
        )
        ws.write_string(L.SECTION_ROW, 0, "Uppgifter om försäljningen", fmt["section"])

        # header block (inside Sak)
        for f in L.HEADER:
            row = L.HEADER_ROW[f.key]
            ws.write_string(row, L.LABEL_COL, f.label, fmt["label"])
            self._input(ws, row, L.VALUE_COL, self.fall.header.get(f.key), f.kind)
            ws.data_validation(row, L.VALUE_COL, row, L.VALUE_COL, _validation(f.kind, _title(f.label), f.help))

        # table heading and input rows (inside Sak)
        for i, c in enumerate(L.COLUMNS):
            ws.write_string(L.TABLE_HEADING_ROW, i, c.heading, fmt["heading"])
        for r in range(L.TABLE_ROWS):
            row = L.TABLE_FIRST_ROW + r
            data = self.fall.rows[r] if r < len(self.fall.rows) else {}
            for i, c in enumerate(L.COLUMNS):
                self._input(ws, row, i, data.get(c.key), c.kind)
        first, last = L.TABLE_FIRST_ROW, L.TABLE_LAST_ROW
        for i, c in enumerate(L.COLUMNS):
            ws.data_validation(first, i, last, i, _validation(c.kind, _title(c.heading), c.help, first_row=first, col=i))

        self._results(ws)
        self._summary(ws)
        self._notes(ws)
        # öre only where there are öre (every amount cell: header, table, computed columns, summary)
        for f in L.HEADER:
            if f.kind == "amount":
                r = L.HEADER_ROW[f.key]
                self._whole_kronor(ws, r, L.VALUE_COL, r, L.VALUE_COL)
        for i, c in enumerate(L.COLUMNS):
            if c.kind == "amount":
                self._whole_kronor(ws, first, i, last, i)
        for c in L.RESULT_COLUMNS:
            if c.kind == "amount":
                col = L.RESULT_COL[c.field]
                self._whole_kronor(ws, first, col, last, col)
        for key, _label, _f, kind in self.f.summary():
            if kind == "amount":
                r, c = _rowcol(self.summary_cells[key])
                self._whole_kronor(ws, r, c, r, c)

        # sheet protection: only the yellow input cells are unlocked; no password
        ws.protect("", _PROTECT)
        ws.freeze_panes(L.SAK_FIRST_ROW, 1)
        # A4 landscape at 80 % (the wide input sheet; the paper document is the sheet Utskrift)
        _print_setup(
            ws, "Sakägarförteckning – indata och beräkning",
            sum(c.width for c in L.COLUMNS) + 2 + sum(c.width for c in L.RESULT_COLUMNS),
        )
        ws.repeat_rows(L.TABLE_HEADING_ROW)
        ws.set_v_pagebreaks([L.SAK_LAST_COL + 1])  # the computed block and summary start a page of their own
        ws.print_area(0, 0, L.NOTES_ROW + 1 + max(3, len(self.fall.anmarkningar)), L.RESULT_LAST_COL)

    def _input(self, ws: Any, row: int, col: int, value: Any, kind: str) -> None:
        fmt = self.fmt
        style = {
            "date": "in_date",
            "amount": "in_money",
            "percent": "in_percent",
            "number": "in_number",
            "ordning": "in_int",
            "dag": "in_general",
        }.get(kind, "in_text")
        v = excel_value(value)
        if v is None:
            ws.write_blank(row, col, None, fmt[style])
        elif isinstance(v, _dt.datetime):
            ws.write_datetime(row, col, v, fmt["in_date"])
        elif isinstance(v, (int, float)):
            if kind == "dag":  # a bare year
                style = "in_int"
            ws.write_number(row, col, v, fmt[style])
        else:
            ws.write_string(row, col, str(v), fmt[style])

    def _write_formula(self, ws: Any, row: int, col: int, formel: Formel, style: str) -> None:
        ws.write_formula(row, col, formel.text, self.fmt[style], _cached(formel.value))

    def _results(self, ws: Any) -> None:
        fmt = self.fmt
        ws.write_string(
            L.RESULT_TITLE_ROW, L.RESULT_FIRST_COL, "Beräknat per rad (sakagare_xl)", fmt["section"]
        )
        for c in L.RESULT_COLUMNS:
            ws.write_string(L.RESULT_HEADING_ROW, L.RESULT_COL[c.field], c.heading, fmt["heading"])
        style = {"amount": "out_money", "bool": "out_bool", "text": "out_text"}
        for n in range(1, L.TABLE_ROWS + 1):
            row = L.TABLE_FIRST_ROW + n - 1
            for c in L.RESULT_COLUMNS:
                self._write_formula(ws, row, L.RESULT_COL[c.field], self.f.rad(n, c.field), style[c.kind])

    def _summary(self, ws: Any) -> None:
        fmt = self.fmt
        ws.write_string(L.SUMMARY_TITLE_ROW, L.SUMMARY_LABEL_COL, "Sammanställning", fmt["section"])
        self.summary_cells: dict[str, str] = {}
        for i, (key, label, formel, kind) in enumerate(self.f.summary()):
            row = L.SUMMARY_FIRST_ROW + i
            ws.write_string(row, L.SUMMARY_LABEL_COL, label, fmt["sum_label"])
            style = {"amount": "sum_money", "text": "sum_text", "percent": "sum_percent", "control": "sum_control"}[kind]
            self._write_formula(ws, row, L.SUMMARY_VALUE_COL, formel, style)
            self.summary_cells[key] = L.a1(row, L.SUMMARY_VALUE_COL)
        r, c = _rowcol(self.summary_cells["kontroll"])
        ws.conditional_format(r, c, r, c, {"type": "cell", "criteria": "==", "value": '"OK"', "format": fmt["ok"]})
        ws.conditional_format(r, c, r, c, {"type": "text", "criteria": "begins with", "value": "FEL", "format": fmt["fel"]})

    def _notes(self, ws: Any) -> None:
        fmt = self.fmt
        lines = list(self.fall.anmarkningar) or [
            "Fyll i uppgifterna om försäljningen och en rad per inskrivning eller fordran. Tomma rader hoppas över.",
            "Lämna Referensränta tom för att använda Riksbankens referensränta enligt tabellen (halvår för halvår).",
            "Beräkningarna görs av sakagare_xl (xlwings-tillägget eller xlwings Lite, eller sakagare-xl recalc).",
        ]
        ws.write_string(L.NOTES_ROW, 0, "Anmärkningar", fmt["section"])
        for i, text in enumerate(lines):
            ws.write_string(L.NOTES_ROW + 1 + i, 0, text, fmt["note"])

    # ------------------------------------------------------------------ Utskrift

    def _utskrift(self, ws: Any) -> None:
        """The print sheet: the sakägarförteckning on A4 landscape at 100 % (body text 10 pt), one line per
        filled table row in priority order, the facts of the sale above it, the heading repeated on every page."""
        fmt = self.fmt
        u = self.f.utskrift(self.summary_cells)
        for j, pc in enumerate(L.PRINT_COLUMNS):
            ws.set_column(j, j, pc.width)
        ws.set_column(len(L.PRINT_COLUMNS), len(L.PRINT_COLUMNS), 2)
        # hidden helpers: each table row's place, the table row of each line, the Slag → word lookup
        ws.set_column(L.PRINT_RANK_COL, L.PRINT_MAP_COL + 1, 12, None, {"hidden": True})
        self._write_formula(ws, L.PRINT_TITLE_ROW, 0, u.title, "p_title")
        ws.write_string(
            L.PRINT_TITLE_ROW + 1, 0,
            "Förmånsrättsordning enligt FRL och JB 6 kap.; tillägg enligt JB 6 kap. 3 §, skyddsbelopp enligt "
            "UB 12 kap. 29 §, fördelning enligt UB 13 kap. Beräknad av sakagare_xl.",
            fmt["p_note"],
        )
        half = (len(u.facts) + 1) // 2
        for i, (label, formel, kind) in enumerate(u.facts):
            row = L.PRINT_FACTS_ROW + i % half
            label_col, value_col = (0, 2) if i < half else (5, 8)
            ws.write_string(row, label_col, label, fmt["p_label"])
            style = {"text": "p_fact", "date": "p_fact_date", "amount": "p_fact_money"}[kind]
            self._write_formula(ws, row, value_col, formel, style)
            if kind == "amount":
                self._whole_kronor(ws, row, value_col, row, value_col, "p_whole")
        ws.write_string(L.PRINT_WARN_ROW, 0, "Varningar", fmt["p_label"])
        last = len(L.PRINT_COLUMNS) - 1
        ws.merge_range(L.PRINT_WARN_ROW, 2, L.PRINT_WARN_ROW, last, "", fmt["p_wrap"])
        self._write_formula(ws, L.PRINT_WARN_ROW, 2, u.warn, "p_wrap")
        width = sum(pc.width for pc in L.PRINT_COLUMNS[2:])
        ws.set_row(L.PRINT_WARN_ROW, _wrapped_height(str(u.warn.value), width, 10))

        for j, pc in enumerate(L.PRINT_COLUMNS):
            heading = "p_heading_right" if pc.kind.startswith("amount") else (
                "p_heading_center" if pc.kind == "center" else "p_heading")
            ws.write_string(L.PRINT_HEADING_ROW, j, pc.heading, fmt[heading])
        ws.set_row(L.PRINT_HEADING_ROW, 27)
        style = {"int": "p_int", "text": "p_text", "dag": "p_dag", "amount": "p_money", "amount0": "p_money0",
                 "center": "p_center"}
        for k, cells in enumerate(u.lines):
            row = L.PRINT_FIRST_ROW + k
            for j, (pc, formel) in enumerate(zip(L.PRINT_COLUMNS, cells)):
                self._write_formula(ws, row, j, formel, style[pc.kind])
            self._write_formula(ws, row, L.PRINT_RANK_COL, u.ranks[k], "p_int")
            self._write_formula(ws, row, L.PRINT_ROWREF_COL, u.rowrefs[k], "p_int")
        for i, (key, word) in enumerate(L.SLAG_ORD):
            ws.write_string(L.PRINT_FIRST_ROW + i, L.PRINT_MAP_COL, key)
            ws.write_string(L.PRINT_FIRST_ROW + i, L.PRINT_MAP_COL + 1, word)
        for j, pc in enumerate(L.PRINT_COLUMNS):
            if pc.kind.startswith("amount"):
                # the rule under the line too: LibreOffice applies only the first matching conditional format
                whole = "p_whole0_rule" if pc.kind == "amount0" else "p_whole_rule"
                self._whole_kronor(ws, L.PRINT_FIRST_ROW, j, L.PRINT_LAST_ROW, j, whole)
        # a rule under each printed line, none under the empty ones (a blank line prints as nothing)
        ref = xl_rowcol_to_cell(L.PRINT_FIRST_ROW, L.PRINT_ROWREF_COL, row_abs=False, col_abs=True)
        ws.conditional_format(
            L.PRINT_FIRST_ROW, 0, L.PRINT_LAST_ROW, len(L.PRINT_COLUMNS) - 1,
            {"type": "formula", "criteria": f'={ref}<>""', "format": fmt["p_rule"]},
        )
        ws.write_string(
            L.PRINT_NOTE_ROW, 0,
            "Rader i förmånsrättsordning (Nr); tomma rader i tabellen skrivs inte ut. Förrättningskostnaderna "
            "placeras enligt sammanställningen på bladet Sakägarförteckning; varje rad förklaras på bladet Förklaring.",
            fmt["p_note"],
        )
        ws.protect("", _PROTECT)
        ws.freeze_panes(L.PRINT_FIRST_ROW, 0)
        ws.set_paper(9)
        ws.set_landscape()
        ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
        ws.fit_to_pages(1, 0)  # the columns fit at 100 % (layout.PRINT_WIDTH); never wider than the page
        ws.repeat_rows(L.PRINT_HEADING_ROW)
        ws.print_area(0, 0, L.PRINT_NOTE_ROW, len(L.PRINT_COLUMNS) - 1)
        h = self.fall.header
        dates = "  ".join(
            f"{label} {_iso(h.get(key))}" for key, label in (
                ("utmatningsdag", "Utmätningsdag"), ("fordelningsdag", "Fördelningsdag"),
                ("sakagarforteckningsdag", "Sakägarförteckningsdag"),
            ) if h.get(key)
        )
        fast = _header_text(str(h.get("fastighet") or ""))
        ws.set_header(f'&L&"-,Bold"&11Sakägarförteckning{" – " + fast if fast else ""}&R&10{_header_text(dates)}')
        ws.set_footer("&L&9sakagare_xl&C&9Utskriven &D&R&10Sida &P av &N")

    def _whole_kronor(self, ws: Any, r1: int, c1: int, r2: int, c2: int, whole: str = "whole") -> None:
        """Öre only where there are öre: the cells' format shows them (#,##0.00), a conditional format shows a
        whole amount without (a viewer without conditional formats shows ,00: never a rounded amount)."""
        cell = xl_rowcol_to_cell(r1, c1, row_abs=False, col_abs=False)
        ws.conditional_format(
            r1, c1, r2, c2,
            {"type": "formula", "criteria": f"=AND(ISNUMBER({cell}),MOD({cell},1)=0)", "format": self.fmt[whole]},
        )

    # ------------------------------------------------------------------ Förklaring

    def _forklaring(self, ws: Any) -> None:
        fmt = self.fmt
        for col, w in enumerate(FORKLARING_WIDTHS):
            ws.set_column(col, col, w)
        ws.write_string(0, 0, "Förklaring av varje rad i sakägarförteckningen", fmt["title"])
        ws.write_string(
            1, 0, "Hur beloppen på varje rad har räknats fram, med lagrum. Beräknas av sakagare_xl.", fmt["subtitle"]
        )
        heading = 3
        for col, text in enumerate(("Rad", "Id", "Sakägare", "Förklaring")):
            ws.write_string(heading, col, text, fmt["heading"])
        for n in range(1, L.TABLE_ROWS + 1):
            row = heading + n
            ws.write_number(row, 0, n, fmt["out_int_top"])
            self._write_formula(ws, row, 1, self.f.cell_text(n, "id"), "out_text_top")
            self._write_formula(ws, row, 2, self.f.cell_text(n, "borgenar"), "out_text_top")
            formel = self.f.rad(n, "forklaring", other_sheet=True)
            self._write_formula(ws, row, 3, formel, "out_wrap")
            if formel.value:  # the height the text needs (a viewer does not grow a row for a cached value)
                ws.set_row(row, _wrapped_height(str(formel.value), FORKLARING_WIDTHS[3]))
        row = heading + L.TABLE_ROWS + 2
        ws.write_string(row, 0, "Varningar", fmt["section"])
        varningar = self.f.forklaring_summa()
        self._write_formula(ws, row + 1, 3, varningar, "out_wrap")
        if varningar.value:
            ws.set_row(row + 1, _wrapped_height(str(varningar.value), FORKLARING_WIDTHS[3]))
        ws.write_string(
            row + 3,
            0,
            "Förrättningskostnaderna och skyddsbeloppet förklaras i sammanställningen på bladet Sakägarförteckning.",
            fmt["note"],
        )
        ws.protect("", _PROTECT)
        ws.freeze_panes(heading + 1, 0)
        _print_setup(ws, "Sakägarförteckning – förklaring", sum(FORKLARING_WIDTHS))
        ws.repeat_rows(heading)

    # ------------------------------------------------------------------ Diagram

    def _diagram(self, ws: Any) -> None:
        fmt = self.fmt
        heading_row, first = 4, 5
        total_cell = L.a1(2, 2)
        slots = self.f.claim_rows() if not self.f.table_empty else list(range(1, L.TABLE_ROWS + 1))
        table = self.f.diagram(L.CHART_STEPS, slots, first, total_cell)
        ws.write_string(0, 0, "Fördelningen vid olika priser", fmt["title"])
        ws.write_string(
            1,
            0,
            "Vad varje sakägare får om fastigheten säljs för ett visst pris, från 0 till det pris som täcker alla "
            "(summan av förmånsrätterna och förrättningskostnaderna).",
            fmt["subtitle"],
        )
        ws.write_string(2, 0, "Pris som täcker alla", fmt["sum_label"])
        self._write_formula(ws, 2, 2, table.total, "sum_money")
        ws.set_column(0, 0, 16)
        ws.set_column(1, len(table.headings), 16)
        ws.set_column(1, 1, 22)  # "Förrättningskostnader" unbroken
        ws.set_row(heading_row, 45)
        ws.write_string(heading_row, 0, "Köpeskilling", fmt["heading"])
        for j, head in enumerate(table.headings):
            if isinstance(head, Formel):
                self._write_formula(ws, heading_row, 1 + j, head, "heading")
            else:
                ws.write_string(heading_row, 1 + j, head, fmt["heading"])
        for k, (price, cells) in enumerate(table.rows):
            row = first + k
            self._write_formula(ws, row, 0, price, "out_money")
            for j, formel in enumerate(cells):
                self._write_formula(ws, row, 1 + j, formel, "out_money")
        last = first + len(table.rows) - 1
        self._whole_kronor(ws, first, 0, last, len(table.headings))
        self._whole_kronor(ws, 2, 2, 2, 2)
        if self.f.table_empty:
            # no chart of 20 nameless, empty series: the data block computes once the table is filled;
            # a workbook built from a case (sakagare-xl mall --arende) has the chart
            ws.write_string(
                last + 2, 0,
                "Diagrammet visas i en arbetsbok som byggs från ett ärende (sakagare-xl mall UTFIL --arende FIL).",
                fmt["note"],
            )
            ws.write_string(
                last + 3, 0,
                "Här: ta bort bladskyddet (Granska → Ta bort bladskydd), markera tabellen ovan och välj "
                "Infoga → Diagram → Ytdiagram (staplat).",
                fmt["note"],
            )
            ws.protect("", _PROTECT)
            ws.freeze_panes(first, 1)
            _print_setup(ws, "Sakägarförteckning – diagram", 16 + 22 + 16 * (len(table.headings) - 1))
            return
        chart = self.wb.add_chart({"type": "area", "subtype": "stacked"})
        for j in range(len(table.headings)):
            chart.add_series(
                {
                    "name": [L.SHEET_DIAGRAM, heading_row, 1 + j],
                    "categories": [L.SHEET_DIAGRAM, first, 0, last, 0],
                    "values": [L.SHEET_DIAGRAM, first, 1 + j, last, 1 + j],
                }
            )
        chart.set_title({"name": "Vem får vad vid vilket pris", "name_font": {"size": 12}})
        chart.set_x_axis({"name": "Köpeskilling (kr)", "num_format": "#,##0", "num_font": {"rotation": -45}})
        chart.set_y_axis({"name": "Utfaller (kr)", "num_format": "#,##0", "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "right"})
        chart.set_size({"width": 960, "height": 480})
        ws.insert_chart(last + 2, 0, chart)
        ws.protect("", _PROTECT)
        ws.freeze_panes(first, 1)
        _print_setup(ws, "Sakägarförteckning – diagram", 16 + 22 + 16 * (len(table.headings) - 1))
        ws.set_h_pagebreaks([last + 2])  # the chart on a page of its own, not cut across two


# ---------------------------------------------------------------------- helpers


#: sheet protection without password: cells stay selectable, columns and rows resizable
_PROTECT = {
    "select_locked_cells": True,
    "select_unlocked_cells": True,
    "format_columns": True,
    "format_rows": True,
}


#: the Förklaring sheet's columns: Rad, Id, Sakägare, Förklaring
FORKLARING_WIDTHS = (6, 12, 22, 110)
#: the smallest print scale: 10 pt text stays 8 pt on paper
MIN_SCALE = 80


def _print_setup(ws: Any, title: str, width: float) -> None:
    """A4 landscape, title in the header and "Sida x av y" in the footer; one page wide when that keeps
    the scale at ``MIN_SCALE`` % or more (text at least 8 pt on paper), else at ``MIN_SCALE`` % over several
    pages (first across, then down)."""
    ws.set_paper(9)
    ws.set_landscape()
    if width * MIN_SCALE / 100 <= L.PRINT_WIDTH:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(MIN_SCALE)
        ws.print_across()
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
    ws.set_header(f'&L&"-,Bold"{title}&R&A')
    ws.set_footer("&Lsakagare_xl&RSida &P av &N")


def _wrapped_height(text: str, width: float, font_size: float = 11, minimum: float = 15) -> float:
    """The height (points) a wrapped text needs in a column ``width`` Excel units wide: lines broken at
    spaces as Excel and LibreOffice break them, with room for proportional glyphs wider than a digit."""
    per_line = max(1, int(width * 11 / font_size * 1.05))
    lines = 0
    for para in (text or "").split("\n"):
        line = 0
        lines += 1
        for word in para.split():
            if line and line + 1 + len(word) > per_line:
                lines += 1
                line = len(word)
            else:
                line += (1 if line else 0) + len(word)
    return max(minimum, round(lines * font_size * 1.32 + 3, 1))


def _iso(v: Any) -> str:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return f"{v.year}-{v.month:02d}-{v.day:02d}"
    return "" if v is None else str(v)


def _header_text(text: str) -> str:
    """Text for a page header: & doubled (Excel's header codes start with &)."""
    return text.replace("&", "&&")


def _cached(value: Any) -> Any:
    """A cached value as XlsxWriter writes it: numbers, text, booleans; None → empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _rowcol(ref: str) -> tuple[int, int]:
    from xlsxwriter.utility import xl_cell_to_rowcol

    return xl_cell_to_rowcol(ref.replace("$", ""))


def _title(label: str) -> str:
    return label.split(" (")[0][:32]


def _validation(kind: str, title: str, help: str, first_row: int | None = None, col: int | None = None) -> dict:
    """The data validation of one input cell (or column) by kind, with its input message."""
    base: dict[str, Any] = {"input_title": title, "input_message": help[:255], "error_title": title}
    if kind == "date":
        base.update(
            validate="date",
            criteria="between",
            minimum=_dt.date(1900, 1, 1),
            maximum=_dt.date(2200, 12, 31),
            error_message="Skriv ett datum, ÅÅÅÅ-MM-DD.",
        )
    elif kind == "dag":
        base.update(
            validate="decimal",
            criteria=">=",
            value=1800,
            error_message="Skriv ett datum (ÅÅÅÅ-MM-DD) eller ett årtal (t.ex. 1980).",
        )
    elif kind == "janej":
        base.update(validate="list", source=["Ja", "Nej"], error_message="Välj Ja eller Nej.")
    elif kind == "tidsberakning":
        base.update(
            validate="list", source=["manader", "dagar"], error_message="Välj manader eller dagar (tom = manader)."
        )
    elif kind == "slag":
        base.update(
            validate="list",
            source=["inteckning", "servitut", "nyttjanderatt", "hyresavtal", "arrende", "rattighet", "fordran", "frl6"],
            error_message="Välj ett slag ur listan.",
        )
    elif kind == "percent":
        base.update(
            validate="decimal",
            criteria="between",
            minimum=float(LAGSTA / 100),
            maximum=float(HOGSTA / 100),
            error_message=f"Skriv referensräntan i procent, t.ex. 2,00 % (mellan {INTERVALL_TEXT.replace('till', 'och')}).",
        )
    elif kind in ("amount", "number"):
        base.update(validate="decimal", criteria=">=", value=0, error_message="Skriv ett belopp som inte är negativt.")
    elif kind == "ordning":
        base.update(validate="integer", criteria=">=", value=1, error_message="Skriv ett heltal från 1.")
    elif kind == "id" and first_row is not None and col is not None:
        cell = xl_rowcol_to_cell(first_row, col)
        rng = f"{L.a1(first_row, col)}:{L.a1(L.TABLE_LAST_ROW, col)}"
        base.update(
            validate="custom",
            value=f"=COUNTIF({rng},{cell})<=1",
            error_message="Id:t finns redan på en annan rad; varje id ska vara unikt.",
        )
    else:
        base.update(validate="any")
    return base


#: the print sheet's table heading
P_HEADING = {"bold": True, "font_size": 10, "text_wrap": True, "valign": "bottom", "bottom": 1, "top": 1,
             "bg_color": HEADING_FILL}


def _formats(wb: xlsxwriter.Workbook) -> dict[str, Any]:
    border = {"border": 1, "border_color": BORDER_COLOUR}
    inp = {**border, "bg_color": INPUT_FILL, "locked": False}
    out = {**border, "bg_color": COMPUTED_FILL, "locked": True}
    spec: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": 16},
        "subtitle": {"italic": True, "font_size": 10, "font_color": "#595959"},
        "section": {"bold": True, "font_size": 12, "font_color": "#1F3864"},
        "legend_label": {"bold": True},
        "legend_input": {**border, "bg_color": INPUT_FILL},
        "legend_computed": {**border, "bg_color": COMPUTED_FILL},
        "label": {**border, "bold": True},
        "heading": {**border, "bold": True, "bg_color": HEADING_FILL, "text_wrap": True, "valign": "top"},
        "in_text": inp,
        "in_general": inp,
        "in_date": {**inp, "num_format": DATE},
        "in_money": {**inp, "num_format": MONEY},
        "in_percent": {**inp, "num_format": PERCENT},
        "in_number": {**inp, "num_format": "General"},
        "in_int": {**inp, "num_format": "0"},
        "out_text": out,
        "out_wrap": {**out, "text_wrap": True, "valign": "top"},
        "out_text_top": {**out, "valign": "top"},
        "out_money": {**out, "num_format": MONEY},
        "out_int": {**out, "num_format": "0"},
        "out_int_top": {**out, "num_format": "0", "valign": "top"},
        "out_bool": {**out, "align": "center"},
        "sum_label": {"bold": True},
        "sum_text": {**out, "bold": True},
        "sum_money": {**out, "bold": True, "num_format": MONEY},
        "sum_percent": {**out, "bold": True, "num_format": PERCENT},
        "sum_control": {**out, "bold": True},
        "note": {"italic": True, "font_size": 10},
        # the print sheet (10 pt body text on A4 at 100 %)
        "p_title": {"bold": True, "font_size": 14},
        "p_note": {"italic": True, "font_size": 9, "font_color": "#404040"},
        "p_label": {"bold": True, "font_size": 10, "valign": "top"},
        "p_fact": {"font_size": 10},
        "p_wrap": {"font_size": 10, "text_wrap": True, "valign": "top"},
        "p_fact_date": {"font_size": 10, "num_format": DATE, "align": "left"},
        "p_fact_money": {"font_size": 10, "num_format": MONEY, "align": "left"},
        "p_heading": P_HEADING,
        "p_heading_right": {**P_HEADING, "align": "right"},
        "p_heading_center": {**P_HEADING, "align": "center"},
        "p_int": {"font_size": 10, "num_format": "0", "align": "left"},
        "p_text": {"font_size": 10},
        "p_dag": {"font_size": 10, "num_format": "0", "align": "left"},
        "p_money": {"font_size": 10, "num_format": MONEY},
        "p_money0": {"font_size": 10, "num_format": MONEY_NO_ZERO},
        "p_center": {"font_size": 10, "align": "center"},
        "p_rule": {"bottom": 4, "bottom_color": BORDER_COLOUR},
        "p_whole": {"num_format": WHOLE},
        "p_whole_rule": {"num_format": WHOLE, "bottom": 4, "bottom_color": BORDER_COLOUR},
        "p_whole0_rule": {"num_format": WHOLE_NO_ZERO, "bottom": 4, "bottom_color": BORDER_COLOUR},
        "whole": {"num_format": WHOLE},
        "ok": {"bg_color": "#C6EFCE", "font_color": "#006100"},
        "fel": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    }
    return {name: wb.add_format(props) for name, props in spec.items()}


def write_if_changed(path: str | os.PathLike[str], data: bytes) -> bool:
    """Write ``data`` to ``path`` unless the file already holds exactly these bytes."""
    try:
        with open(path, "rb") as fh:
            if fh.read() == data:
                return False
    except FileNotFoundError:
        pass
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return True


__all__: Sequence[str] = ["build", "build_bytes", "write_if_changed", "CREATED"]
