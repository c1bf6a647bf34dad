"""Every formula of the template, each with the value it evaluates to.

A :class:`Formel` is the formula text (A1 references and defined names only:
no structured references, no spilling) and its value, computed by calling the
pure Excel functions (:mod:`sakagare_xl.adapters.functions`) on the very
values the ``Sak`` range holds. The ordinary Excel parts around them (``IF``,
``COUNTA``, ``ISBLANK``, ``SUM``, ``ROUND``) are evaluated here the way Excel
evaluates them, so the cached value of each cell is what Excel (with the
add-in) or ``sakagare-xl recalc`` computes.

Guards keep the empty template clean: a blank table row gives ``""`` without
calling the engine, and the priced columns stay empty until a köpeskilling is
given.

>>> f = Formler(__import__("sakagare_xl.template.fall", fromlist=["Ifyllnad"]).Ifyllnad().sak_values())
>>> f.rad(1, "tillagg")
Formel(text='=IF(COUNTA($A$24:$N$24)=0,"",SAK_RAD(Sak,1,"tillagg"))', value='')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..adapters import functions as F
from . import layout as L


@dataclass(frozen=True)
class Formel:
    """A formula (starting with ``=``) and its cached value (number, text, bool or ``""``)."""

    text: str
    value: Any


@dataclass(frozen=True)
class Diagramdata:
    """The chart's data block: the price covering everyone, column headings, and per price step
    the price formula and one formula per column."""

    total: Formel
    headings: list[str | Formel]
    rows: list[tuple[Formel, list[Formel]]]


#: what a computed cell shows where the engine's answer is empty although the row is filled (a row that is
#: no right has no status, a row without a claim no brist; a case without warnings): LibreOffice recalculates
#: every formula whose cached result is empty (its xlsx import keeps only non-empty results), and without our
#: functions that shows #NAME?, so these cells never cache an empty result (docs/template.md)
INGET = "–"
INGA_VARNINGAR = "inga"
#: SAK_RAD columns that may be empty on a filled row, and SAK_SUMMA ones that may be empty
_KAN_VARA_TOM = {"status": INGET, "brist": INGET, "block_formansratt": INGET, "formansratt_utmatning": INGET}


def _q(text: str) -> str:
    """An Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


def _dec(value: Any) -> Decimal:
    """A cached number as Decimal (floats by their shortest repr); text and blanks count as 0, as in SUM."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return Decimal(0)
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _num(d: Decimal) -> float | int:
    return int(d) if d == d.to_integral_value() else float(d)


def _round(d: Decimal, places: int) -> Decimal:
    """Excel's ROUND: half away from zero."""
    q = Decimal(1).scaleb(-places)
    return d.quantize(q, rounding=ROUND_HALF_UP)


class Formler:
    """The formulas of one workbook, given the values of its ``Sak`` range."""

    def __init__(self, values: list[list[Any]]):
        self.values = values
        first = L.TABLE_FIRST_ROW - L.SAK_FIRST_ROW  # header block (and any empty row), heading row
        self.table = values[first:]
        header = {f.key: values[i][1] for i, f in enumerate(L.HEADER)}
        self.header = header
        self.price = header["kopeskilling"]
        self.table_empty = all(all(c is None for c in row) for row in self.table)

    # ------------------------------------------------------------------ references

    @staticmethod
    def ref(row: int, col: int, other_sheet: bool = False) -> str:
        a = L.a1(row, col)
        return L.sheet_ref(L.SHEET, a) if other_sheet else a

    def row_range(self, n: int, other_sheet: bool = False) -> str:
        row = L.TABLE_FIRST_ROW + n - 1
        r = f"{L.a1(row, 0)}:{L.a1(row, L.SAK_LAST_COL)}"
        return L.sheet_ref(L.SHEET, r) if other_sheet else r

    def table_range(self, other_sheet: bool = False) -> str:
        r = f"{L.a1(L.TABLE_FIRST_ROW, 0)}:{L.a1(L.TABLE_LAST_ROW, L.SAK_LAST_COL)}"
        return L.sheet_ref(L.SHEET, r) if other_sheet else r

    def result_range(self, field: str, other_sheet: bool = False) -> str:
        r = L.col_range(L.RESULT_COL[field], L.TABLE_FIRST_ROW, L.TABLE_LAST_ROW)
        return L.sheet_ref(L.SHEET, r) if other_sheet else r

    def row_blank(self, n: int) -> bool:
        return all(c is None for c in self.table[n - 1])

    # ------------------------------------------------------------------ per table row

    def rad(self, n: int, field: str, other_sheet: bool = False) -> Formel:
        """``SAK_RAD(Sak, n, field)`` for table row ``n`` (1-based), guarded for blank rows;
        the priced columns pass ``Kopeskilling`` and stay empty without it."""
        guard = f"COUNTA({self.row_range(n, other_sheet)})=0"
        priced = field in ("utfaller", "brist")
        call = f'SAK_RAD(Sak,{n},{_q(field)}{",Kopeskilling" if priced else ""})'
        if field in _KAN_VARA_TOM:  # never an empty cached result on a filled row (see INGET)
            call = f'IF({call}="",{_q(_KAN_VARA_TOM[field])},{call})'
        if priced:
            text = f'=IF(OR({guard},ISBLANK(Kopeskilling)),"",{call})'
            if self.row_blank(n) or self.price is None:
                return Formel(text, "")
            return Formel(text, self._ej_tom(field, F.SAK_RAD(self.values, n, field, self.price)))
        if field == "skyddad":
            # Ja/Nej as text, like the input columns; a viewer that recalculates boolean results it cannot
            # evaluate (LibreOffice) still shows the cached text
            text = f'=IF({guard},"",IF(SAK_RAD(Sak,{n},"skyddad"),"Ja","Nej"))'
            if self.row_blank(n):
                return Formel(text, "")
            return Formel(text, "Ja" if F.SAK_RAD(self.values, n, field) else "Nej")
        text = f'=IF({guard},"",{call})'
        if self.row_blank(n):
            return Formel(text, "")
        return Formel(text, self._ej_tom(field, F.SAK_RAD(self.values, n, field)))

    @staticmethod
    def _ej_tom(field: str, value: Any) -> Any:
        return _KAN_VARA_TOM[field] if field in _KAN_VARA_TOM and value == "" else value

    def cell_text(self, n: int, col_key: str) -> Formel:
        """A copy of an input cell of table row ``n`` (for the Förklaring sheet)."""
        row = L.TABLE_FIRST_ROW + n - 1
        ref = self.ref(row, L.COLUMN_INDEX[col_key], other_sheet=True)
        v = self.table[n - 1][L.COLUMN_INDEX[col_key]]
        value: Any = "" if v is None else (_num(_dec(v)) if isinstance(v, (int, float)) else str(v))
        return Formel(f'=IF(ISBLANK({ref}),"",{ref})', value)

    # ------------------------------------------------------------------ summary

    def _summa(self, key: str, priced: bool, other_sheet: bool = False) -> Formel:
        guard = f"COUNTA({self.table_range(other_sheet)})=0"
        if priced:
            text = f'=IF(OR({guard},ISBLANK(Kopeskilling)),"",SAK_SUMMA(Sak,{_q(key)},Kopeskilling))'
            if self.table_empty or self.price is None:
                return Formel(text, "")
            return Formel(text, F.SAK_SUMMA(self.values, key, self.price))
        call = f"SAK_SUMMA(Sak,{_q(key)})"
        if key == "varningar":  # never an empty cached result when the table is filled (see INGET)
            call = f'IF({call}="",{_q(INGA_VARNINGAR)},{call})'
        text = f'=IF({guard},"",{call})'
        if self.table_empty:
            return Formel(text, "")
        value = F.SAK_SUMMA(self.values, key)
        return Formel(text, INGA_VARNINGAR if key == "varningar" and value == "" else value)

    def _column_sum(self, field: str) -> Formel:
        text = f'=IF(ISBLANK(Kopeskilling),"",SUM({self.result_range(field)}))'
        if self.price is None:
            return Formel(text, "")
        total = sum(
            (_dec(self.rad(n, field).value) for n in range(1, L.TABLE_ROWS + 1)),
            Decimal(0),
        )
        return Formel(text, _num(total))

    def summary(self) -> list[tuple[str, str, Formel, str]]:
        """The summary block: (key, label, formula, kind) in display order."""
        rr = self.header["referensranta"]
        items: list[tuple[str, str, Formel, str]] = [
            (
                "referensranta",
                "Referensränta som används",
                Formel(
                    '=IF(ISBLANK(Referensranta),"enligt tabell",Referensranta)',
                    "enligt tabell" if rr is None else rr,
                ),
                "percent",
            ),
            ("skyddsbelopp", "Skyddsbelopp (UB 12 kap. 29 §)", self._summa("skyddsbelopp", False), "amount"),
            ("lagsta_bud", "Lägsta godtagbara bud", self._summa("lagsta_bud", False), "amount"),
            ("medel", "Medel att fördela (köpeskilling + ränta)", self._summa("medel", True), "amount"),
            ("kostnader_utfaller", "Förrättningskostnader utfaller", self._summa("kostnader_utfaller", True), "amount"),
            ("summa_utfaller", "Utfaller på tabellens rader (summa)", self._column_sum("utfaller"), "amount"),
            ("agarhypotek", "  varav ägarhypotek till ägaren", self._summa("agarhypotek", True), "amount"),
            ("overskott", "Överskott till ägaren", self._summa("overskott", True), "amount"),
            ("summa_brist", "Brist (summa för fordringarna)", self._column_sum("brist"), "amount"),
        ]
        cell = lambda key: L.a1(  # noqa: E731
            L.SUMMARY_FIRST_ROW + [k for k, *_r in items].index(key), L.SUMMARY_VALUE_COL
        )
        guard = f"OR(COUNTA({self.table_range()})=0,ISBLANK(Kopeskilling))"
        priced = not (self.table_empty or self.price is None)
        values = {key: f.value for key, _l, f, _k in items}
        utdelat = _dec(values["kostnader_utfaller"]) + _dec(values["summa_utfaller"])
        items.insert(
            [k for k, *_r in items].index("overskott"),
            (
                "utdelat",
                "Utdelat (kostnader + tabellens rader)",
                Formel(
                    f'=IF({guard},"",{cell("kostnader_utfaller")}+{cell("summa_utfaller")})',
                    _num(utdelat) if priced else "",
                ),
                "amount",
            ),
        )
        values["utdelat"] = items[[k for k, *_r in items].index("utdelat")][2].value
        fel = "FEL: utdelat + överskott ≠ medel"
        text = (
            f'=IF({guard},"",IF(ROUND({cell("utdelat")}+{cell("overskott")}-{cell("medel")},2)=0,"OK",{_q(fel)}))'
        )
        if priced:
            diff = _dec(values["utdelat"]) + _dec(values["overskott"]) - _dec(values["medel"])
            value: Any = "OK" if _round(diff, 2) == 0 else fel
        else:
            value = ""
        items.append(("kontroll", "Kontroll: utdelat + överskott = medel", Formel(text, value), "control"))
        items.append(("varningar", "Varningar", self._summa("varningar", False), "text"))
        return items

    def forklaring_summa(self) -> Formel:
        """The warnings of the whole case (for the Förklaring sheet, so its references name the main sheet)."""
        return self._summa("varningar", False, other_sheet=True)

    # ------------------------------------------------------------------ chart data

    def claim_rows(self) -> list[int]:
        """Table rows (1-based) that carry a claim (Kapital filled)."""
        k = L.COLUMN_INDEX["kapital"]
        return [n for n in range(1, L.TABLE_ROWS + 1) if self.table[n - 1][k] is not None]

    def diagram(self, steps: int, slots: list[int], first_row: int, total_cell: str) -> Diagramdata:
        """The chart block: for ``steps + 1`` prices from 0 to the price covering everyone,
        what the costs, each claim (table rows ``slots``), the owner and anything else receive.

        A claim receives its amount (Kapital + Ränta + Kostnader) minus its brist at that price,
        ``SAK_RAD(Sak, n, "brist", pris)``; the owner the ägarhypotek plus the överskott.
        """
        tbl = self.table_range(other_sheet=True)
        form = self.result_range("formansratt", other_sheet=True)
        total_text = f"=IF(COUNTA({tbl})=0,0,SUM({form})+Forrattningskostnader)"
        if self.table_empty:
            total = Decimal(0)
        else:
            total = sum((_dec(self.rad(n, "formansratt").value) for n in range(1, L.TABLE_ROWS + 1)), Decimal(0))
            total += _dec(self.header["forrattningskostnader"])
        total_f = Formel(total_text, _num(total))

        kap, rnt, kst, bor = (L.COLUMN_INDEX[k] for k in ("kapital", "ranta", "kostnader", "borgenar"))
        headings: list[str | Formel] = ["Förrättningskostnader"]
        for n in slots:
            row = L.TABLE_FIRST_ROW + n - 1
            kref, bref = self.ref(row, kap, True), self.ref(row, bor, True)
            name = self.table[n - 1][bor]
            has = self.table[n - 1][kap] is not None
            headings.append(
                Formel(f'=IF(ISBLANK({kref}),"",{bref}&" (rad {n})")', f"{name} (rad {n})" if has else "")
            )
        headings += ["Ägaren (ägarhypotek och överskott)", "Övrigt"]

        rows: list[tuple[Formel, list[Formel]]] = []
        for k in range(steps + 1):
            row = first_row + k
            pref = L.a1(row, 0)
            price = _round(total * k / steps, 0)
            price_f = Formel(f"=ROUND({total_cell}*{k}/{steps},0)", _num(price))
            pval = _num(price)
            cells: list[Formel] = []
            guard = f"COUNTA({tbl})=0"

            def summa(key: str) -> Formel:
                text = f'=IF({guard},0,SAK_SUMMA(Sak,{_q(key)},{pref}))'
                return Formel(text, 0 if self.table_empty else F.SAK_SUMMA(self.values, key, pval))

            costs = summa("kostnader_utfaller")
            cells.append(costs)
            claim_sum = Decimal(0)
            for n in slots:
                r = L.TABLE_FIRST_ROW + n - 1
                kref = self.ref(r, kap, True)
                amount = f"{kref}:{self.ref(r, kst, True).split('!')[1]}"
                text = f'=IF(ISBLANK({kref}),0,SUM({amount})-SAK_RAD(Sak,{n},"brist",{pref}))'
                row_vals = self.table[n - 1]
                if row_vals[kap] is None:
                    value: Any = 0
                else:
                    claim = _dec(row_vals[kap]) + _dec(row_vals[rnt]) + _dec(row_vals[kst])
                    value = _num(claim - _dec(F.SAK_RAD(self.values, n, "brist", pval)))
                claim_sum += _dec(value)
                cells.append(Formel(text, value))
            agh, ovs, medel = summa("agarhypotek"), summa("overskott"), summa("medel")
            owner_text = (
                f'=IF({guard},0,SAK_SUMMA(Sak,"agarhypotek",{pref})+SAK_SUMMA(Sak,"overskott",{pref}))'
            )
            owner = _dec(agh.value) + _dec(ovs.value)
            cells.append(Formel(owner_text, _num(owner)))
            first_col, last_col = L.a1(row, 1), L.a1(row, len(cells))
            rest_text = f'=IF({guard},0,SAK_SUMMA(Sak,"medel",{pref})-SUM({first_col}:{last_col}))'
            rest = _dec(medel.value) - _dec(costs.value) - claim_sum - owner
            cells.append(Formel(rest_text, 0 if self.table_empty else _num(_round(rest, 2))))
            rows.append((price_f, cells))
        return Diagramdata(total_f, headings, rows)

    # ------------------------------------------------------------------ print sheet

    def utskrift(self, summary_cells: dict[str, str]) -> Utskriftdata:
        """The print sheet's formulas (``layout.PRINT_COLUMNS``), each with its value.

        Hidden helper columns: per table row its place in the list (``SAK_RAD(Sak, n, "nr")``), per
        printed line the table row it shows (``MATCH``); the printed cells only copy from the main sheet
        with INDEX, so they call none of our functions and a viewer that recalculates them (LibreOffice
        recalculates formulas whose cached result is empty) computes the same blank.
        ``summary_cells``: summary key → its A1 cell on the main sheet.
        """
        tabell = L.TABLE_FIRST_ROW
        rank_first, rank_last = L.a1(L.PRINT_FIRST_ROW, L.PRINT_RANK_COL), L.a1(L.PRINT_LAST_ROW, L.PRINT_RANK_COL)
        ranks = f"{rank_first}:{rank_last}"
        rank_cells: list[Formel] = []
        place: dict[int, int] = {}  # place in the list → table row (1-based)
        for n in range(1, L.TABLE_ROWS + 1):
            text = f'=IF(COUNTA({self.row_range(n, True)})=0,"",SAK_RAD(Sak,{n},"nr"))'
            value: Any = "" if self.row_blank(n) else F.SAK_RAD(self.values, n, "nr")
            if value != "":
                place[int(value)] = n
            rank_cells.append(Formel(text, value))

        def col(ref_col: int) -> str:
            return L.sheet_ref(L.SHEET, L.col_range(ref_col, tabell, L.TABLE_LAST_ROW))

        def get(ref_col: int, m: str) -> str:
            return f"INDEX({col(ref_col)},{m})"

        def input_value(n: int, key: str) -> Any:
            return self.table[n - 1][L.COLUMN_INDEX[key]]

        map_first = L.a1(L.PRINT_FIRST_ROW, L.PRINT_MAP_COL)
        map_last = L.a1(L.PRINT_FIRST_ROW + len(L.SLAG_ORD) - 1, L.PRINT_MAP_COL + 1)
        slag_ord = {k: w for k, w in L.SLAG_ORD}
        rowref_cells: list[Formel] = []
        lines: list[list[Formel]] = []
        for k in range(1, L.TABLE_ROWS + 1):
            row = L.PRINT_FIRST_ROW + k - 1
            n = place.get(k)
            rowref_cells.append(Formel(f'=IF(COUNT({ranks})<{k},"",MATCH({k},{ranks},0))', n if n else ""))
            m = L.a1(row, L.PRINT_ROWREF_COL)
            cells: list[Formel] = []
            for pc in L.PRINT_COLUMNS:
                text, value = self._print_cell(pc, k, n, m, get, input_value, f"{map_first}:{map_last}", slag_ord)
                cells.append(Formel(f'=IF({m}="","",{text})', "" if n is None else value))
            lines.append(cells)

        facts = self._print_facts(summary_cells)
        title_text = '="Sakägarförteckning"&IF(ISBLANK(Fastighet),""," – "&Fastighet)'
        fast = self.header["fastighet"]
        title = Formel(title_text, "Sakägarförteckning" + (f" – {fast}" if fast not in (None, "") else ""))
        ref = L.sheet_ref(L.SHEET, summary_cells["varningar"])
        warn = Formel(f'=IF({ref}="","",{ref})', self._summa("varningar", False).value)
        return Utskriftdata(title, facts, warn, rank_cells, rowref_cells, lines)

    def _print_cell(
        self, pc: L.PrintColumn, k: int, n: int | None, m: str, get: Callable[[int, str], str],
        input_value: Callable[[int, str], Any], lookup: str, slag_ord: dict[str, str],
    ) -> tuple[str, Any]:
        """The formula (without the blank-line guard) and value of one printed cell: line ``k`` shows table
        row ``n`` (None: no row), ``m`` is the cell holding ``n``, ``get(col, m)`` an INDEX into a main-sheet
        column, ``input_value(n, key)`` an input cell's value, ``lookup`` the Slag → word table."""
        ci = L.COLUMN_INDEX
        src = pc.source
        if src == "nr":
            return str(k), k
        if src.startswith("in:"):
            key = src[3:]
            g = get(ci[key], m)
            v = None if n is None else input_value(n, key)
            return f'IF({g}="","",{g})', "" if v is None else (_num(_dec(v)) if isinstance(v, (int, float)) else v)
        if src.startswith("ut:"):
            field = src[3:]
            g = get(L.RESULT_COL[field], m)
            v = "" if n is None else self.rad(n, field).value
            return f'IF(ISNUMBER({g}),{g},"")', v if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
        if src == "post":
            slag, ident, exek, belopp = (get(ci[c], m) for c in ("slag", "id", "exekutionsfordran", "belopp"))
            eff = f'IF({slag}="","inteckning",{slag})'
            text = (f'IFERROR(VLOOKUP({eff},{lookup},2,FALSE),{eff})&IF({ident}="",""," "&{ident})'
                    f'&IF({exek}="Ja"," (sökande)","")')
            if n is None:
                return text, ""
            s = input_value(n, "slag")
            s_eff = "inteckning" if s in (None, "") else str(s)
            word = next((w for key, w in slag_ord.items() if key.lower() == s_eff.lower()), s_eff)
            ident_v = input_value(n, "id")
            ex = input_value(n, "exekutionsfordran")
            value = word + ("" if ident_v in (None, "") else f" {_text(ident_v)}")
            value += " (sökande)" if isinstance(ex, str) and ex.lower() == "ja" else ""
            return text, value
        if src == "dag":
            g = get(ci["dag"], m)
            text = (f'IF({g}="","",IF(ISNUMBER({g}),IF({g}<3000,{g},YEAR({g})&"-"&RIGHT("0"&MONTH({g}),2)&"-"'
                    f'&RIGHT("0"&DAY({g}),2)),{g}))')
            v = None if n is None else input_value(n, "dag")
            if v is None:
                return text, ""
            if hasattr(v, "year"):
                return text, f"{v.year}-{v.month:02d}-{v.day:02d}"
            if isinstance(v, (int, float)):
                return text, _num(_dec(v))  # a bare year
            return text, v
        if src == "belopp":
            # the pantbrev's amount; for a claim without pantbrev (fordran, frl6) the claim: Kapital+Ränta+Kostnader
            e, kap = get(ci["belopp"], m), get(ci["kapital"], m)
            claim = ",".join(get(ci[c], m) for c in ("kapital", "ranta", "kostnader"))
            text = f'IF(ISNUMBER({e}),{e},IF({kap}="","",SUM({claim})))'
            if n is None:
                return text, ""
            b = input_value(n, "belopp")
            if isinstance(b, (int, float)):
                return text, _num(_dec(b))
            if input_value(n, "kapital") is None:
                return text, ""
            total = sum((_dec(input_value(n, c)) for c in ("kapital", "ranta", "kostnader")), Decimal(0))
            return text, _num(total)
        if src == "skydd":
            st, sk = get(L.RESULT_COL["status"], m), get(L.RESULT_COL["skyddad"], m)
            text = f'IF(OR({st}="",{st}={_q(INGET)}),{sk},{st})'
            if n is None:
                return text, ""
            stv = self.rad(n, "status").value
            return text, self.rad(n, "skyddad").value if stv in ("", INGET) else stv
        raise ValueError(f"okänd källa för utskriftskolumnen {pc.heading}: {src}")

    def _print_facts(self, summary_cells: dict[str, str]) -> list[tuple[str, Formel, str]]:
        """The facts above the printed table: (label, formula, kind), filled column by column."""
        def name(nm: str, kind: str) -> Formel:
            key = L.HEADER_NAMES[nm].key
            v = self.header[key]
            if isinstance(v, _dt.datetime):
                v = (v - _dt.datetime(1899, 12, 30)).days  # the date's serial number, as Excel caches it
            return Formel(f'=IF(ISBLANK({nm}),"",{nm})', "" if v is None else v)

        def summa(key: str) -> Formel:
            ref = L.sheet_ref(L.SHEET, summary_cells[key])
            value = self._summary_values[key]
            return Formel(f'=IF({ref}="","",{ref})', value)

        return [
            ("Fastighet", name("Fastighet", "text"), "text"),
            ("Utmätningsdag", name("Utmatningsdag", "date"), "date"),
            ("Fördelningsdag", name("Fordelningsdag", "date"), "date"),
            ("Sökande", name("Sokande", "text"), "text"),
            ("Köpeskilling", name("Kopeskilling", "amount"), "amount"),
            ("Förrättningskostnader", name("Forrattningskostnader", "amount"), "amount"),
            ("Skyddsbelopp (UB 12 kap. 29 §)", summa("skyddsbelopp"), "amount"),
            ("Överskott till ägaren", summa("overskott"), "amount"),
        ]

    @property
    def _summary_values(self) -> dict[str, Any]:
        return {key: f.value for key, _l, f, _k in self.summary()}


def _text(v: Any) -> str:
    """A cell value as Excel's & joins it (whole numbers without a decimal point)."""
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


@dataclass(frozen=True)
class Utskriftdata:
    """The print sheet: title, the facts above the table, the warnings, the hidden helper columns
    (per table row its place; per printed line its table row) and per printed line one formula per column."""

    title: Formel
    facts: list[tuple[str, Formel, str]]
    warn: Formel
    ranks: list[Formel]
    rowrefs: list[Formel]
    lines: list[list[Formel]]
