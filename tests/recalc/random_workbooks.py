"""Seeded random workbooks with the ordinary Excel functions recalc supports (docs/recalc.md, "Ordinary
Excel functions supported"), written by openpyxl (no cached values): inputs in A1:C8, formulas in E1:E40
that read the inputs and each other. Used with the oracle (tests/recalc/oracle.py)."""

from __future__ import annotations

import io
import random

ROWS = 8
N_FORMULAS = 40
# (no empty text: openpyxl writes "" as <c t="inlineStr"></c>, a cell Excel's own files never have)
TEXTS = ["x", "Bank", "  två  ord ", "abc", "ÅÄÖ"]
FORMATS = ["0", "0.00", "#,##0", "#,##0.00", "0%", "0.0%", "0.00%", "yyyy-mm-dd"]


def _inputs(rnd: random.Random) -> dict[str, object]:
    cells: dict[str, object] = {}
    for r in range(1, ROWS + 1):
        cells[f"A{r}"] = rnd.choice([rnd.randint(-50, 200), round(rnd.uniform(-100, 1000), rnd.randint(0, 3)), 0])
        cells[f"B{r}"] = rnd.choice([rnd.choice(TEXTS), None, True, False, rnd.randint(1, 9),
                                     round(rnd.uniform(0, 5), 2)])
        cells[f"C{r}"] = rnd.randint(36526, 47000)  # serial dates 2000-01-01 … 2028
    return cells


class _Gen:
    def __init__(self, rnd: random.Random, row: int):
        self.rnd = rnd
        self.row = row  # formulas may read the formulas above them (E1..E{row-1})

    def cell(self, col: str = "A") -> str:
        return f"{col}{self.rnd.randint(1, ROWS)}"

    def rng(self, col: str = "A") -> str:
        a = self.rnd.randint(1, ROWS)
        b = self.rnd.randint(a, ROWS)
        return f"{col}{a}:{col}{b}"

    def num(self, depth: int = 0) -> str:
        rnd = self.rnd
        leaf = depth >= 2 or rnd.random() < 0.3
        if leaf:
            choices = [self.cell("A"), str(rnd.randint(-5, 20)), str(round(rnd.uniform(-3, 3), 2)), self.cell("A")]
            if self.row > 1 and rnd.random() < 0.3:
                choices.append(f"IFERROR(N(E{rnd.randint(1, self.row - 1)}),0)")
            return rnd.choice(choices)
        d = depth + 1
        k = rnd.randrange(30)
        n = self.num
        return [
            lambda: f"{n(d)}+{n(d)}", lambda: f"{n(d)}-{n(d)}", lambda: f"{n(d)}*{n(d)}", lambda: f"({n(d)})/({n(d)})",
            lambda: f"-{n(d)}", lambda: f"SUM({self.rng()})", lambda: f"SUM({n(d)},{n(d)},{self.rng()})",
            lambda: f"MIN({self.rng()})", lambda: f"MAX({self.rng()},{n(d)})", lambda: f"AVERAGE({self.rng()})",
            lambda: f"COUNT({self.rng('B')})", lambda: f"COUNTA({self.rng('B')})",
            lambda: f"COUNTBLANK({self.rng('B')})", lambda: f'COUNTIF({self.rng()},">{rnd.randint(-5, 50)}")',
            lambda: f'SUMIF({self.rng()},"<={rnd.randint(-5, 50)}")', lambda: f"PRODUCT({self.rng()})",
            lambda: "SUMPRODUCT(A1:A4,A5:A8)", lambda: f"ABS({n(d)})", lambda: f"INT({n(d)})",
            lambda: f"MOD({n(d)},{rnd.choice([3, -3, 2.5, 7])})", lambda: f"SIGN({n(d)})",
            lambda: f"ROUND({n(d)},{rnd.randint(-2, 3)})", lambda: f"ROUNDUP({n(d)},{rnd.randint(-1, 2)})",
            lambda: f"ROUNDDOWN({n(d)},{rnd.randint(-1, 2)})", lambda: f"IF({self.cond(d)},{n(d)},{n(d)})",
            lambda: f"IFERROR(({n(d)})/({n(d)}),-1)",
            lambda: f"INDEX(A1:C{ROWS},{rnd.randint(1, ROWS)},{rnd.randint(1, 3)})",
            lambda: f"YEAR({self.cell('C')})+MONTH({self.cell('C')})+DAY({self.cell('C')})",
            lambda: f"EDATE({self.cell('C')},{rnd.randint(-14, 14)})",
            lambda: f"EOMONTH({self.cell('C')},{rnd.randint(-3, 3)})",
        ][k]()

    def cond(self, depth: int) -> str:
        rnd = self.rnd
        k = rnd.randrange(8)
        d = depth + 1
        return [
            lambda: f"{self.num(d)}>{self.num(d)}", lambda: f"{self.num(d)}<={self.num(d)}",
            lambda: f"AND({self.num(d)}>0,{self.num(d)}<>0)", lambda: f"OR({self.num(d)}<0,ISTEXT({self.cell('B')}))",
            lambda: f"NOT(ISBLANK({self.cell('B')}))", lambda: f"ISNUMBER({self.cell('B')})",
            lambda: f"ISLOGICAL({self.cell('B')})", lambda: f'{self.cell("B")}="x"',
        ][k]()

    def text(self) -> str:
        rnd = self.rnd
        k = rnd.randrange(10)
        return [
            lambda: f'CONCATENATE({self.cell("B")},"-",{self.num(1)})',
            lambda: f'{self.cell("B")}&"/"&{self.cell("A")}',
            lambda: f'TEXT({self.num(1)},"{rnd.choice(FORMATS)}")', lambda: f"UPPER({self.cell('B')})",
            lambda: f"LOWER({self.cell('B')})", lambda: f"TRIM({self.cell('B')})",
            lambda: f"LEFT({self.cell('B')},{rnd.randint(0, 4)})",
            lambda: f"RIGHT({self.cell('B')},{rnd.randint(0, 4)})",
            lambda: f"MID({self.cell('B')},{rnd.randint(1, 4)},{rnd.randint(0, 4)})",
            lambda: f'CONCAT({self.rng("B")},"!")',
        ][k]()

    def formula(self) -> str:
        rnd = self.rnd
        k = rnd.random()
        if k < 0.55:
            return "=" + self.num()
        if k < 0.75:
            return "=" + self.text()
        if k < 0.85:
            return "=" + self.cond(0)
        r = rnd.randrange(5)
        return "=" + [
            f"LEN({self.cell('B')})",
            f"MATCH({rnd.randint(1, 9)},{self.rng('B')},0)",
            f"IFNA(VLOOKUP({self.cell('A')},A1:C{ROWS},{rnd.randint(1, 3)},FALSE),\"saknas\")",
            f"ROW()+COLUMN()+ROWS({self.rng()})+COLUMNS(A1:C1)",
            f"ISERROR(1/{self.num(1)})",
        ][r]


def make(seed: int) -> bytes:
    """One workbook (openpyxl, no cached values) for ``seed``."""
    import openpyxl

    rnd = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    for ref, v in _inputs(rnd).items():
        ws[ref] = v
    for r in range(1, N_FORMULAS + 1):
        ws[f"E{r}"] = _Gen(rnd, r).formula()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def change_inputs(data: bytes, seed: int) -> bytes:
    """The same workbook with a few input cells changed at random (as a user's script would, openpyxl)."""
    import openpyxl

    rnd = random.Random(seed)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    fresh = _inputs(rnd)
    for ref in rnd.sample(sorted(fresh), 5):
        ws[ref] = fresh[ref]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
