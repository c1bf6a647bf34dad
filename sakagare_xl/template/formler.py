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
Formel(text='=IF(COUNTA($A$22:$N$22)=0,"",SAK_RAD(Sak,1,"tillagg"))', value='')
"""

from __future__ import annotations

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
        if priced:
            text = f'=IF(OR({guard},ISBLANK(Kopeskilling)),"",SAK_RAD(Sak,{n},{_q(field)},Kopeskilling))'
            if self.row_blank(n) or self.price is None:
                return Formel(text, "")
            return Formel(text, F.SAK_RAD(self.values, n, field, self.price))
        if field == "skyddad":
            # Ja/Nej as text, like the input columns; a viewer that recalculates boolean results it cannot
            # evaluate (LibreOffice) still shows the cached text
            text = f'=IF({guard},"",IF(SAK_RAD(Sak,{n},"skyddad"),"Ja","Nej"))'
            if self.row_blank(n):
                return Formel(text, "")
            return Formel(text, "Ja" if F.SAK_RAD(self.values, n, field) else "Nej")
        text = f'=IF({guard},"",SAK_RAD(Sak,{n},{_q(field)}))'
        if self.row_blank(n):
            return Formel(text, "")
        return Formel(text, F.SAK_RAD(self.values, n, field))

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
        text = f'=IF({guard},"",SAK_SUMMA(Sak,{_q(key)}))'
        if self.table_empty:
            return Formel(text, "")
        return Formel(text, F.SAK_SUMMA(self.values, key))

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
