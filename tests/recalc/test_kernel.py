"""A formula shape's generated kernel (sakagare_xl/recalc/kernel.py) gives exactly the closures' value,
or steps aside (None).

The expected value is the compiled closure tree itself (formula.compile_formula, what recalc evaluated
before kernels existed), run by the real Evaluator over the same cells with the real registry (TILLAGG
through its direct path, recalc/fast.py). Cell values are drawn from what a sheet can hold: numbers of
every size, negative zero, infinities and NaN (a cached ``<v>inf</v>``), blanks, texts, booleans, errors.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sakagare_xl.adapters.functions import FUNCTIONS
from sakagare_xl.recalc.cells import MAX_ROW, XLError, Sheet, Workbook
from sakagare_xl.recalc.evaluate import Evaluator, UdfError, _kernel
from sakagare_xl.recalc.formula import Err, Unsupported, compile_formula
from sakagare_xl.recalc.kernel import kernel_factory

# (formula as written in cell (row, col)); the bench's shapes first (bench/workbooks.py), then others
SHAPES = [
    ("TILLAGG(D9,$B$3,F9)", 9, 7),
    ("TILLAGG(D9,$B$3,F9,E9)", 9, 7),
    ("MIN(E9,D9+G9)", 9, 8),
    ("MAX(0,MIN(H9,J8))", 9, 9),
    ("MAX(0,MIN(H8,$B$2))", 8, 9),
    ("J8-I9", 9, 10),
    ("$B$2-I8", 8, 10),
    ("E9-I9", 9, 11),
    ("(D2-E3)*F4+2.5", 5, 7),
    ("D2*E2-F2*G2", 5, 8),
    ("D2-E2-F2", 5, 8),
    ("MIN(D2*2,MAX(E2,F2-1))", 5, 8),
    ("A1-B1", 1, 3),
    ("D2+1E+300*E2", 5, 8),
]
NOT_KERNELS = ["D9", "SUM(D8:D20)", "D9/E9", "-D9", "D9%", "D9&E9", "Blad1!D9+1", "MIN(D9)", "MIN(D9,E9,F9)",
               "D9 E9", "IF(D9>0,1,2)", "NOSUCH(D9)+1", "D9^2", "TILLAGG(D9,,F9)"]

values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e7),
    st.sampled_from([0.0, -0.0, 0.02, 0.25, 0.3, 12.0, 1e300, -1e300, 1e15]),
    st.sampled_from([None, "", "x", "5", True, False, XLError("#N/A"), XLError("#DIV/0!")]),
)


def _evaluator(cells: dict) -> Evaluator:
    sheet = Sheet(0, "Blad1", "xl/worksheets/sheet1.xml", b"", values=dict(cells), max_row=20, max_col=12)
    wb = Workbook("xl/workbook.xml", [sheet], {"BLAD1": sheet}, {}, [], set())
    return Evaluator(wb, FUNCTIONS)


def _closure(comp, ev, r, c):
    try:
        out = comp.fn(ev, 0, r, c)
    except Err as e:
        return e.value
    except (ArithmeticError, ValueError):
        return "#NUM! (numeric fault)"
    except (UdfError, Unsupported) as e:
        return e
    return out


@pytest.mark.parametrize("formula,row,col", SHAPES)
def test_shapes_have_kernels(formula, row, col):
    assert kernel_factory(formula, row, col) is not None


@pytest.mark.parametrize("formula", NOT_KERNELS)
def test_other_shapes_have_none(formula):
    """Shapes the kernels do not do (or, NOSUCH, a function without a direct path): the closures alone."""
    assert _kernel(_evaluator({}), compile_formula(formula, 9, 7)) is None


numbers = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False)
GRID = [(r, c) for r in range(1, 11) for c in range(1, 13)]


@settings(max_examples=400, deadline=None)
@given(shape=st.sampled_from(SHAPES), grid=st.lists(st.one_of(numbers, numbers, numbers, values),
                                                    min_size=len(GRID), max_size=len(GRID)),
       holes=st.sets(st.sampled_from(GRID), max_size=4), shift=st.integers(-2, 3))
def test_kernel_is_the_closure(shape, grid, holes, shift):
    formula, row, col = shape
    cells = {k: v for k, v in zip(GRID, grid) if k not in holes}
    comp = compile_formula(formula, row, col)
    ev = _evaluator(cells)
    kern = _kernel(ev, comp)
    assert kern is not None
    r = max(1, row + shift)  # the same shape elsewhere in the column (and off the sheet's top)
    got = kern(ev.sv[0].get, r, col)
    want = _closure(comp, ev, r, col)
    if got is None:
        assert holes or not (type(want) is float and math.isfinite(want) and all(
            type(v) is float for v in cells.values())), "a kernel declined numbers only"
        return
    assert type(got) is float and math.isfinite(got)
    assert type(want) is float and repr(want) == repr(got)


def test_kernel_steps_aside_off_the_sheet():
    comp = compile_formula("J8-I9", 9, 10)
    kern = _kernel(_evaluator({(1, 10): 1.0, (1, 9): 1.0}), comp)
    assert kern({}.get, 1, 10) is None  # J0 does not exist: the closure gives #REF!
    assert kern({(MAX_ROW - 1, 10): 3.0, (MAX_ROW, 9): 1.0}.get, MAX_ROW, 10) == 2.0


def test_kernel_needs_the_direct_path():
    """A registry whose TILLAGG is not the real one has no direct path: no kernel for its shapes."""
    comp = compile_formula("TILLAGG(D9,$B$3,F9)", 9, 7)
    ev = _evaluator({})
    ev.fast = {}
    assert _kernel(ev, comp) is None
