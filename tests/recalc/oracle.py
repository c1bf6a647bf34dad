"""An independent oracle for recalc: formualizer (a Rust spreadsheet engine on PyPI, pinned in
constraints.txt) evaluates a workbook's every formula, with our functions registered from
``adapters.functions``; :func:`compare` lists the cells where its values and the values recalc wrote
differ. Only the interface is shared with recalc (the values our functions receive and return); the
parsing, references, names, ordinary functions and evaluation order are formualizer's own."""

from __future__ import annotations

import datetime as _dt
import math
from decimal import Decimal

from sakagare_xl.recalc.cells import XLError, a1, read_workbook
from sakagare_xl.recalc.ooxml import open_package

from .helpers import formula_values

try:
    import formualizer as fz
except ImportError as exc:  # pragma: no cover - the test extra pins it; a platform without a wheel skips
    fz = None
    WHY_NOT = f"formualizer cannot be imported ({exc}); the oracle tests are skipped"
else:
    WHY_NOT = ""

_EPOCH = _dt.date(1899, 12, 30)


def _serial(d: _dt.date | _dt.datetime) -> float:
    if isinstance(d, _dt.datetime):
        return (d - _dt.datetime(1899, 12, 30)).total_seconds() / 86400
    return float((d - _EPOCH).days)


def _arg(x):
    """formualizer's callback value → what recalc hands our functions (floats, text, bools, None)."""
    if isinstance(x, list):
        return [[_arg(v) for v in row] for row in x]
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    if isinstance(x, (_dt.date, _dt.datetime)):
        return _serial(x)
    if isinstance(x, (int, float)):
        return float(x)
    return x


def _out(v):
    """Our function's value → a plain Python value formualizer accepts."""
    if isinstance(v, (list, tuple)):
        if v and not isinstance(v[0], (list, tuple)):
            v = [[x] for x in v]  # a 1-D list is a column, as xlwings returns it
        return [[_out(x) for x in row] for row in v]
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


def _registered(name, fn):
    from sakagare_xl.engine.errors import SakagareError
    from sakagare_xl.recalc.evaluate import error_text

    def call(*args):
        try:
            return _out(fn(*[_arg(a) for a in args]))
        except SakagareError as exc:  # what the classic add-in shows in the cell
            return error_text(exc)

    call.__name__ = name
    return call


def oracle_values(data: bytes, functions: dict | None = None) -> dict[tuple[str, str], object]:
    """(sheet, A1) → formualizer's value for every formula cell of the workbook in ``data``."""
    if functions is None:
        from sakagare_xl.adapters.functions import FUNCTIONS as functions
    wb = fz.Workbook.from_bytes(data)
    for name, fn in functions.items():
        wb.register_function(name, _registered(name, fn), allow_override_builtin=True)
    wb.evaluate_all()
    out = {}
    ours = read_workbook(open_package(data))
    for sh in ours.sheets:
        if sh is None:
            continue
        for (r, c), cell in sh.cells.items():
            if cell.formula is not None:
                out[(sh.name, a1(r, c))] = wb.get_value(sh.name, r, c)
    return out


#: (sheet, A1) → the cached value in the file (what recalc wrote), ``None`` for no value
recalc_values = formula_values


def _norm(v):
    if isinstance(v, list):  # an array result: its top-left value, as Excel without spilling shows it
        while isinstance(v, list):
            v = v[0][0] if v and v[0] else None
    if v is None:
        return ""
    if isinstance(v, XLError):
        return ("#err", v.code)
    if isinstance(v, dict) and v.get("type") == "Error":  # formualizer's error value
        return ("#err", _KINDS.get(v.get("kind"), str(v.get("kind"))))
    if isinstance(v, (_dt.date, _dt.datetime)):
        return _serial(v)
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return v


#: formualizer's error kinds → Excel's error codes
_KINDS = {"Div": "#DIV/0!", "Value": "#VALUE!", "Ref": "#REF!", "Name": "#NAME?", "Na": "#N/A", "NA": "#N/A",
          "Num": "#NUM!", "Null": "#NULL!"}


def same(a, b) -> bool:
    a, b = _norm(a), _norm(b)
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and a[1] == b[1]
    if isinstance(a, float) and isinstance(b, float):
        # abs_tol: recalc sums exactly (math.fsum), Excel and formualizer add left to right; on sums of
        # 10^9 kronor near 0 that differs by ~1e-6 (docs/recalc.md, "The oracle")
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-5)
    return type(a) is type(b) and a == b


def compare(recalc_out: bytes, functions: dict | None = None, source: bytes | None = None) -> dict:
    """Cells where recalc's cached values in ``recalc_out`` and the oracle's values for ``source``
    (default: ``recalc_out`` itself, whose inputs recalc may have overridden) differ:
    (sheet, A1) → (recalc, oracle)."""
    mine = recalc_values(recalc_out)
    theirs = oracle_values(source if source is not None else recalc_out, functions)
    return {k: (mine[k], theirs.get(k)) for k in mine if not same(mine[k], theirs.get(k))}
