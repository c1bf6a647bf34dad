"""Which cells to recompute, in which order, and their new values.

The cells recomputed are: every formula that calls one of our functions, every formula that depends on
one of those (or on an overridden input cell), transitively, and every formula precedent of those that
has no cached value. Everything else keeps its cached value and is read as it is. The order is
topological over the cell references (ranges included); a cycle is reported, never iterated.

Our functions are called through a registry (``{"COVERAGE": callable, ...}``) with Excel-shaped
arguments; a call with the same arguments (same ranges, same scalars) is made once per workbook.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal

from .cells import NA, XLError, Workbook, a1
from .formula import (
    MISSING,
    Area,
    Compiled,
    Err,
    NameRef,
    RefTemplate,
    Unsupported,
    compile_formula,
    date_to_serial,
    scalar,
)


@dataclass
class Problem:
    """Something that stops the workbook from being written (or, for kind "fel i formel", a cell error)."""

    kind: str  # "okänd funktion" | "stöds inte" | "cirkelreferens" | "fel i formel" | "internt fel"
    sheet: str
    cell: str
    message: str

    def text(self) -> str:
        sheet = self.sheet if self.sheet.replace("_", "").isalnum() else "'" + self.sheet.replace("'", "''") + "'"
        return f"cell {sheet}!{self.cell}: {self.message}"


class UdfError(Exception):
    """Our function raised a SakagareError; ``text`` is what the cell shows."""

    def __init__(self, text: str):
        self.text = text


def error_text(exc: Exception) -> str:
    """The cell text the add-in shows for an error: the Swedish message, starting with "Fel"."""
    msg = str(exc).strip() or exc.__class__.__name__
    return msg if msg.startswith("Fel") else f"Fel: {msg}"


def _py_value(v):
    """A function's return value → an Excel value."""
    t = type(v)
    if t is float or t is str or t is bool or v is None or t is XLError:
        return v
    if t is int:
        return float(v)
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, _dt.datetime):
        return date_to_serial(v.date()) + (v - _dt.datetime.combine(v.date(), _dt.time())).total_seconds() / 86400
    if isinstance(v, _dt.date):
        return float(date_to_serial(v))
    if isinstance(v, (int, float)):
        return float(v)
    return str(v)


def _py_result(v):
    if isinstance(v, (list, tuple)):
        if not v:
            return [[None]]
        if isinstance(v[0], (list, tuple)):
            rows = [[_py_value(x) for x in line] for line in v]
            width = max(len(line) for line in rows) or 1
            return [line + [NA] * (width - len(line)) for line in rows]
        return [[_py_value(x)] for x in v]  # a 1-D list is a column, as xlwings returns it
    if hasattr(v, "tolist"):
        return _py_result(v.tolist())
    return _py_value(v)


_NOTSET = object()


class Evaluator:
    """Evaluation context for one workbook (the ``ctx`` compiled formulas are called with)."""

    def __init__(self, wb: Workbook, functions: dict, today: _dt.date | None = None):
        self.wb = wb
        self.functions = functions
        self._today = today
        self.sheets = wb.sheets
        self._sidx = {s.name.upper(): s.index for s in wb.sheets if s is not None}
        self.values: dict[tuple[int, int, int], object] = {}
        self.range_cache: dict[tuple, list] = {}
        self.arg_cache: dict[tuple, object] = {}
        self.udf_memo: dict[tuple, object] = {}
        self.resolved: dict[str, str | None] = {}
        self.name_cache: dict[tuple, object] = {}
        self.udf_errors: list[Problem] = []
        self.cur: tuple[int, int, int] = (0, 0, 0)

    # ---------------------------------------------------------- ctx interface
    def today(self) -> _dt.date:
        return self._today or _dt.date.today()

    def sheet_index(self, name: str) -> int:
        idx = self._sidx.get(name.upper())
        if idx is None:
            raise Err(XLError("#REF!"))
        return idx

    def cell_value(self, s: int, r: int, c: int):
        v = self.values.get((s, r, c), _NOTSET)
        if v is not _NOTSET:
            return v
        cell = self.sheets[s].cells.get((r, c))
        return None if cell is None else cell.value

    def area_values(self, area: Area) -> list:
        sheet = self.sheets[area.s]
        r2 = min(area.r2, max(sheet.max_row, area.r1))
        c2 = min(area.c2, max(sheet.max_col, area.c1))
        key = (area.s, area.r1, area.c1, r2, c2)
        out = self.range_cache.get(key)
        if out is None:
            cv = self.cell_value
            s = area.s
            out = [[cv(s, r, c) for c in range(area.c1, c2 + 1)] for r in range(area.r1, r2 + 1)]
            self.range_cache[key] = out
        return out

    def name_value(self, name: str, sheet: str | None, s: int):
        scope = s if sheet is None else self.sheet_index(sheet)
        key = (name, scope)
        hit = self.name_cache.get(key, _NOTSET)
        if hit is _NOTSET:
            dn = self.wb.defined_name(name, scope)
            if dn is None:
                hit = XLError("#NAME?")
            else:
                hit = self._compile_name(dn)
            self.name_cache[key] = hit
        if type(hit) is XLError:
            raise Err(hit)
        comp, home = hit
        return comp.fn(self, home, 1, 1)

    def _compile_name(self, dn):
        comp = compile_formula(dn.text, 1, 1)
        for ref in comp.refs:
            if type(ref) is RefTemplate and not (ref.r1abs and ref.r2abs and ref.c1abs and ref.c2abs):
                raise Unsupported(f"namnet {dn.name} har relativa referenser ({dn.text}); det stöds inte")
        if comp.problems:
            raise Unsupported(f"namnet {dn.name}: {comp.problems[0]}")
        home = dn.scope if dn.scope is not None else 0
        return comp, home

    def resolve_udf(self, raw: str, cands: tuple) -> str | None:
        hit = self.resolved.get(raw, _NOTSET)
        if hit is _NOTSET:
            hit = next((c for c in cands if c in self.functions), None)
            self.resolved[raw] = hit
        return hit

    def _udf_arg(self, x):
        """Argument conversion for our functions: one cell → scalar, a range → 2-D list (once per range)."""
        if type(x) is Area:
            if x.r1 == x.r2 and x.c1 == x.c2:
                v = self.cell_value(x.s, x.r1, x.c1)
                if type(v) is XLError:
                    raise Err(v)
                return v, ("c", x.s, x.r1, x.c1)
            key = x.key()
            hit = self.arg_cache.get(key)
            if hit is None:
                vals = self.area_values(x)
                for line in vals:
                    for v in line:
                        if type(v) is XLError:
                            raise Err(v)
                # one immutable object per range per workbook: the adapters reuse their cache key
                # for the very same tuple of tuples (adapters.functions._rows_and_key)
                hit = self.arg_cache[key] = tuple(tuple(line) for line in vals)
            return hit, ("a",) + key
        if x is MISSING:
            return None, ("m",)
        if type(x) is list:
            for line in x:
                for v in line:
                    if type(v) is XLError:
                        raise Err(v)
            return x, ("l", tuple(tuple(line) for line in x))
        if type(x) is XLError:
            raise Err(x)
        return x, ("v", type(x).__name__, x)

    def call_udf(self, raw: str, cands: tuple, args: list, s: int, r: int, c: int):
        name = self.resolve_udf(raw, cands)
        if name is None:
            raise Unsupported(f"okänd funktion {raw}")
        conv = []
        keys = [name]
        for a in args:
            v, k = self._udf_arg(a)
            conv.append(v)
            keys.append(k)
        key = tuple(keys)
        hit = self.udf_memo.get(key, _NOTSET)
        if hit is not _NOTSET:
            if type(hit) is UdfError:
                raise hit
            return hit
        from ..engine.errors import SakagareError

        try:
            out = _py_result(self.functions[name](*conv))
        except SakagareError as exc:
            err = UdfError(error_text(exc))
            self.udf_memo[key] = err
            raise err from None
        except (Err, Unsupported, UdfError):
            raise
        except Exception as exc:  # a bug in a function: report it, never a traceback to the user
            raise Unsupported(f"internt fel i {name}: {exc.__class__.__name__}: {exc}") from None
        self.udf_memo[key] = out
        return out


# ---------------------------------------------------------------- planning


@dataclass
class FormulaCell:
    s: int
    r: int
    c: int
    cell: object  # cells.Cell
    comp: Compiled
    areas: list = field(default_factory=list)  # (s, r1, c1, r2, c2) precedents
    ours: bool = False
    outputs: tuple = ()  # cells whose value the formula sets (array formulas: its whole ref)


@dataclass
class Plan:
    order: list  # FormulaCell in evaluation order
    problems: list  # Problem
    ours: int  # number of formula cells calling our functions


def _sheet_name(wb: Workbook, s: int) -> str:
    return wb.sheets[s].name


def build_plan(ev: Evaluator, overrides: set[tuple[int, int, int]]) -> Plan:
    wb = ev.wb
    problems: list[Problem] = []
    fcells: dict[tuple[int, int, int], FormulaCell] = {}
    by_sheet: dict[int, list[FormulaCell]] = {}
    name_areas: dict[tuple, list] = {}

    def resolve_name(ref: NameRef, s: int) -> list:
        try:
            scope = s if ref.sheet is None else ev.sheet_index(ref.sheet)
        except Err:
            return []
        key = (ref.name, scope)
        hit = name_areas.get(key)
        if hit is None:
            hit = []
            dn = wb.defined_name(ref.name, scope)
            if dn is not None:
                try:
                    comp, home = ev._compile_name(dn)
                except Unsupported:
                    comp, home = None, 0
                if comp is not None:
                    for sub in comp.refs:
                        if type(sub) is RefTemplate:
                            try:
                                si = home if sub.sheet is None else ev.sheet_index(sub.sheet)
                            except Err:
                                continue
                            hit.append((si,) + sub.bounds(1, 1))
                        elif type(sub) is NameRef and sub.name != ref.name:
                            hit.extend(resolve_name(sub, home))
            name_areas[key] = hit
        return hit

    for sheet in wb.sheets:
        if sheet is None:
            continue
        s = sheet.index
        lst = by_sheet[s] = []
        for (r, c), cell in sheet.cells.items():
            if cell.formula is None:
                continue
            if cell.ftype == "dataTable":
                comp = Compiled(None, (), (), ("datatabeller (t=\"dataTable\") stöds inte",))
            elif cell.master is not None:
                comp = compile_formula(cell.master.formula, cell.master.row, cell.master.col)
            else:
                comp = compile_formula(cell.formula, r, c)
            fc = FormulaCell(s, r, c, cell, comp)
            for ref in comp.refs:
                if type(ref) is RefTemplate:
                    try:
                        si = s if ref.sheet is None else ev.sheet_index(ref.sheet)
                    except Err:
                        continue
                    fc.areas.append((si,) + ref.bounds(r, c))
                else:
                    fc.areas.extend(resolve_name(ref, s))
            fc.ours = any(ev.resolve_udf(raw, cands) for raw, cands in comp.udfs)
            if cell.ftype == "array" and cell.fref:
                r1, c1, r2, c2 = cell.fref
                fc.outputs = tuple((s, rr, cc) for rr in range(r1, r2 + 1) for cc in range(c1, c2 + 1))
            else:
                fc.outputs = ((s, r, c),)
            fcells[(s, r, c)] = fc
            lst.append(fc)

    # owner of each output cell (array members belong to their master)
    owner: dict[tuple, FormulaCell] = {}
    for fc in fcells.values():
        for o in fc.outputs:
            owner[o] = fc

    # formula outputs inside each distinct precedent area (computed once per area)
    contents: dict[tuple, list] = {}

    def formula_cells_in(ar) -> list:
        hit = contents.get(ar)
        if hit is not None:
            return hit
        s, r1, c1, r2, c2 = ar
        hit = []
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(by_sheet.get(s, ())) + 8:
            for rr in range(r1, r2 + 1):
                for cc in range(c1, c2 + 1):
                    fc = owner.get((s, rr, cc))
                    if fc is not None:
                        hit.append(((s, rr, cc), fc))
        else:
            for fc in by_sheet.get(s, ()):
                for o in fc.outputs:
                    if r1 <= o[1] <= r2 and c1 <= o[2] <= c2:
                        hit.append((o, fc))
        contents[ar] = hit
        return hit

    # reverse edges: point → formulas reading it (directly or through an area)
    readers: dict[tuple, list] = {}
    for fc in fcells.values():
        for ar in fc.areas:
            if ar[1] == ar[3] and ar[2] == ar[4]:
                readers.setdefault((ar[0], ar[1], ar[2]), []).append(fc)
            else:
                for o, _ in formula_cells_in(ar):
                    readers.setdefault(o, []).append(fc)
    for pt in overrides:  # input cells: find the areas that contain them
        for fc in fcells.values():
            for ar in fc.areas:
                if ar[0] == pt[0] and ar[1] <= pt[1] <= ar[3] and ar[2] <= pt[2] <= ar[4]:
                    readers.setdefault(pt, []).append(fc)

    # dirty closure
    dirty: dict[tuple, FormulaCell] = {}
    stack: list[tuple] = []
    for key, fc in fcells.items():
        if fc.ours:
            dirty[key] = fc
            stack.extend(fc.outputs)
    stack.extend(overrides)
    while stack:
        for fc in readers.get(stack.pop(), ()):
            k = (fc.s, fc.r, fc.c)
            if k not in dirty:
                dirty[k] = fc
                stack.extend(fc.outputs)

    # precedents without a cached value
    needed: dict[tuple, FormulaCell] = dict(dirty)
    work = list(needed.values())
    while work:
        fc = work.pop()
        for ar in fc.areas:
            for o, pfc in formula_cells_in(ar):
                k = (pfc.s, pfc.r, pfc.c)
                if k in needed:
                    continue
                ocell = wb.sheets[o[0]].cells.get((o[1], o[2]))
                if ocell is None or not ocell.has_v:
                    needed[k] = pfc
                    work.append(pfc)

    # check before evaluating anything: unknown/unsupported functions, syntax
    for fc in needed.values():
        where = (_sheet_name(wb, fc.s), a1(fc.r, fc.c))
        for msg in fc.comp.problems:
            problems.append(Problem("stöds inte", *where, msg))
        for raw, cands in fc.comp.udfs:
            if ev.resolve_udf(raw, cands) is None:
                problems.append(Problem("okänd funktion", *where, f"okänd funktion {raw}; filen lämnas orörd"))

    # topological order (iterative DFS) over needed cells
    order: list[FormulaCell] = []
    state: dict[tuple, int] = {}  # 1 visiting, 2 done
    prec_cache: dict[tuple, list] = {}

    def precedents(fc) -> list:
        out = []
        for ar in fc.areas:
            hit = prec_cache.get(ar)
            if hit is None:
                hit = [(pfc.s, pfc.r, pfc.c) for _, pfc in formula_cells_in(ar)
                       if (pfc.s, pfc.r, pfc.c) in needed]
                prec_cache[ar] = hit
            out.extend(hit)
        return out

    cyclic: set = set()
    for key in needed:
        if key in state:
            continue
        stack2 = [(key, iter(precedents(needed[key])))]
        state[key] = 1
        while stack2:
            k, it = stack2[-1]
            nxt = next(it, None)
            if nxt is None:
                stack2.pop()
                state[k] = 2
                order.append(needed[k])
                continue
            if nxt == k and needed[k].cell.ftype == "array":
                continue
            st = state.get(nxt)
            if st is None:
                state[nxt] = 1
                stack2.append((nxt, iter(precedents(needed[nxt]))))
            elif st == 1:
                cyclic.add(nxt)
    for k in sorted(cyclic):
        problems.append(Problem("cirkelreferens", _sheet_name(wb, k[0]), a1(k[1], k[2]),
                                "formeln ingår i en cirkelreferens; filen lämnas orörd"))
    ours = sum(1 for fc in fcells.values() if fc.ours)
    return Plan(order, problems, ours)


def evaluate_plan(ev: Evaluator, plan: Plan) -> list[Problem]:
    """Evaluate the planned cells in order; new values land in ``ev.values``. Returns problems that
    stop the write (unsupported at run time); errors of our functions are in ``ev.udf_errors``."""
    problems: list[Problem] = []
    values = ev.values
    for fc in plan.order:
        s, r, c = fc.s, fc.r, fc.c
        cell = fc.cell
        is_array = cell.ftype == "array"
        try:
            out = fc.comp.fn(ev, s, r, c)
            if type(out) is Area:
                if is_array:
                    out = ev.area_values(out) if not out.single else ev.cell_value(out.s, out.r1, out.c1)
                else:
                    out = scalar(ev, out, r, c)
            if out is MISSING:
                out = 0.0
        except Err as e:
            out = e.value
        except UdfError as e:
            out = e.text
            ev.udf_errors.append(Problem("fel i formel", _sheet_name(ev.wb, s), a1(r, c), e.text))
        except Unsupported as e:
            problems.append(Problem("stöds inte", _sheet_name(ev.wb, s), a1(r, c), str(e)))
            out = XLError("#VALUE!")
        except RecursionError:
            problems.append(Problem("stöds inte", _sheet_name(ev.wb, s), a1(r, c), "formeln är för djupt nästlad"))
            out = XLError("#VALUE!")
        if is_array and cell.fref:
            r1, c1, r2, c2 = cell.fref
            arr = out if type(out) is list else [[out]]
            nrows, ncols = len(arr), len(arr[0])
            for i in range(r2 - r1 + 1):
                for j in range(c2 - c1 + 1):
                    if nrows == 1 and ncols == 1:
                        v = arr[0][0]
                    elif nrows == 1:
                        v = arr[0][j] if j < ncols else NA
                    elif ncols == 1:
                        v = arr[i][0] if i < nrows else NA
                    else:
                        v = arr[i][j] if i < nrows and j < ncols else NA
                    values[(s, r1 + i, c1 + j)] = 0.0 if v is None else v
        else:
            if type(out) is list:
                out = out[0][0] if out and out[0] else None
            values[(s, r, c)] = 0.0 if out is None and fc.comp.udfs == () else ("" if out is None else out)
    return problems
