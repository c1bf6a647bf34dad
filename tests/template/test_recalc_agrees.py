"""An independent evaluation of the template's formulas agrees with the cached values the builder wrote:
`sakagare-xl recalc` (its own formula evaluator over the same pure functions) changes nothing."""

from __future__ import annotations

import re

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from sakagare_xl.template import layout as L
from sakagare_xl.template.exempel import EXEMPEL, MALL

recalc_core = pytest.importorskip("sakagare_xl.recalc.core")

ALL = [MALL, *(ex.fil for ex in EXEMPEL)]


@pytest.mark.parametrize("name", ALL)
def test_recalc_finds_nothing_to_change(built, name):
    out = recalc_core.recalc_bytes(built[name].read_bytes())
    assert out.errors == []
    assert out.status == recalc_core.STATUS_UNCHANGED
    assert out.changed == 0
    assert out.ours > L.TABLE_ROWS * len(L.RESULT_COLUMNS)


_REF = re.compile(r"(?<![A-Za-z_!'])(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![A-Za-z_(])")


@pytest.mark.parametrize("name", ALL)
def test_no_formula_refers_to_a_range_holding_itself(built, name):
    """Unqualified references on a sheet mean that sheet: none may cover the formula's own cell
    (the Förklaring sheet once counted its own column through COUNTA($A$22:$N$41))."""
    wb = openpyxl.load_workbook(built[name])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                f = cell.value
                if not (isinstance(f, str) and f.startswith("=")):
                    continue
                body = re.sub(r'"[^"]*"', '""', f)
                body = re.sub(r"'[^']*'!\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?", "", body)  # other sheets
                for ref in _REF.findall(body):
                    c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
                    assert not (c1 <= cell.column <= c2 and r1 <= cell.row <= r2), (ws.title, cell.coordinate, f)
