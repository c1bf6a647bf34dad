"""Which cells to recompute, in which order, and their new values.

The cells recomputed are: every formula that calls one of our functions, every formula that depends on
one of those (or on an overridden input cell), transitively, and every formula precedent of those that
has no cached value; then, optionally, every other formula without a cached value that can be evaluated
(see :func:`_optional`). Everything else keeps its cached value and is read as it is. The order is
topological over the cell references (ranges included); a cycle is reported, never iterated.

Our functions are called through a registry (``{"COVERAGE": callable, ...}``) with Excel-shaped
arguments; a call with the same arguments (same ranges, same scalars) is made once per workbook.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product, repeat

from .cells import NA, NUM, XLError, Workbook, a1
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
    numbers_of,
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
        #: the values this run computed (or overrode): (sheet, row, col) → value
        self.values: dict[tuple[int, int, int], object] = {}
        #: per sheet, (row, col) → current value (cached values, then the computed ones): what formulas read
        self.sv: list[dict[tuple[int, int], object]] = [dict(sh.values) if sh is not None else {} for sh in wb.sheets]
        self.fast = _fast_functions(functions)
        self.addressed = _addressed(functions)
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
        return self.sv[s].get((r, c))

    def set_value(self, s: int, r: int, c: int, v) -> None:
        """A new value for a cell (computed or overridden): read by later formulas, written to the file."""
        self.values[(s, r, c)] = v
        self.sv[s][(r, c)] = v

    def area_values(self, area: Area) -> list:
        sheet = self.sheets[area.s]
        r2 = min(area.r2, max(sheet.max_row, area.r1))
        c2 = min(area.c2, max(sheet.max_col, area.c1))
        key = (area.s, area.r1, area.c1, r2, c2)
        out = self.range_cache.get(key)
        if out is None:
            get = self.sv[area.s].get  # (what cell_value reads)
            if area.c1 == c2:  # one column: the reads in one map (C), no loop of ours
                out = [[v] for v in map(get, zip(range(area.r1, r2 + 1), repeat(c2)))]
            else:
                cols = range(area.c1, c2 + 1)
                out = [list(map(get, zip(repeat(r), cols))) for r in range(area.r1, r2 + 1)]
            self.range_cache[key] = out
        return out

    def area_numbers(self, area: Area) -> list:
        """The numbers of a multi-cell range in row order, as SUM-like functions read them (texts,
        booleans and blanks skipped; the first error raised): what ``formula._numbers_in`` gives for
        :meth:`area_values`, read straight from the value dict (no 2-D list made, none cached)."""
        sheet = self.sheets[area.s]
        r2 = min(area.r2, max(sheet.max_row, area.r1))
        c2 = min(area.c2, max(sheet.max_col, area.c1))
        rows = self.range_cache.get((area.s, area.r1, area.c1, r2, c2))
        if rows is not None:
            vals = [v for line in rows for v in line]
        else:
            get = self.sv[area.s].get
            if area.c1 == c2:
                vals = list(map(get, zip(range(area.r1, r2 + 1), repeat(c2))))
            else:
                vals = list(map(get, product(range(area.r1, r2 + 1), range(area.c1, c2 + 1))))
        out = [v for v in vals if type(v) is float]
        if len(out) != len(vals):  # blanks, texts, ints, errors: the careful loop
            out = numbers_of(vals)
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
        fast = self.fast.get(name)
        if fast is not None:
            # plain numbers straight to the engine (recalc/fast.py); anything else (blank, text, an
            # error, a range) takes the general path below, which also words the error messages
            vals = []
            for a in args:
                t = type(a)
                if t is Area and a.r1 == a.r2 and a.c1 == a.c2:
                    a = self.sv[a.s].get((a.r1, a.c1))
                    t = type(a)
                if t is float:
                    vals.append(a)
                elif a is MISSING:
                    vals.append(None)
                else:
                    break
            else:
                out = fast(vals)
                if out is not None:
                    return out
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

        # the range's top-left cell, so that the adapters name cells as A1 (G23, Fördelningsdag (B11))
        kw = {"adress": a1(args[0].r1, args[0].c1)} if name in self.addressed and args and type(args[0]) is Area else {}
        try:
            out = _py_result(self.functions[name](*conv, **kw))
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


class FormulaCell:
    __slots__ = ("s", "r", "c", "key", "cell", "comp", "areas", "ours", "outputs", "is_array")

    def __init__(self, s: int, r: int, c: int, cell, comp: Compiled):
        self.s, self.r, self.c = s, r, c
        self.key = (s, r, c)
        self.cell = cell  # cells.Cell
        self.comp = comp
        self.areas: list = []  # (s, r1, c1, r2, c2) precedents
        self.ours = False
        self.is_array = cell.ftype == "array"
        self.outputs: tuple = ()  # cells whose value the formula sets (array formulas: its whole ref)


@dataclass
class Plan:
    order: list  # FormulaCell in evaluation order
    problems: list  # Problem
    ours: int  # number of formula cells calling our functions
    #: formulas without a cached value that nothing of ours needs (at the end of ``order``): key → the
    #: keys of such formulas it reads; one that cannot be evaluated is skipped (left without a value)
    optional: dict = field(default_factory=dict)
    #: every formula cell of the workbook (evaluated or not), and whether one is an array formula
    formulas: int = -1
    has_array: bool = True


def _sheet_name(wb: Workbook, s: int) -> str:
    return wb.sheets[s].name


_DATATABLE = Compiled(None, (), (), ("datatabeller (t=\"dataTable\") stöds inte",))


#: plans by workbook structure (see :func:`_structure_key`): a batch of workbooks made from one template
#: has the same formulas in the same cells, and then the same plan
_PLANS: dict[tuple, Plan] = {}
PLANS_LIMIT = 8


def build_plan(ev: Evaluator, overrides: set[tuple[int, int, int]], full: bool = False) -> Plan:
    """Which formula cells to evaluate, in which order, and what stops the workbook (see the module doc).
    ``full`` (``--alla``): every other formula too, with or without a cached value, as the optional ones
    are (see :func:`_optional`)."""
    key = _structure_key(ev, overrides)
    if key is not None and full:
        key = ("full",) + key
    if key is not None:
        hit = _PLANS.get(key)
        if hit is not None:
            return hit
    plan = _build_plan(ev, overrides, full)
    if key is not None:
        if len(_PLANS) >= PLANS_LIMIT:
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = plan
    return plan


def _structure_key(ev: Evaluator, overrides: set) -> tuple | None:
    """Everything :func:`_build_plan` reads, as one hashable value: the names of our functions, the
    overridden cells, the defined names, the sheets' names and order and every formula cell (position,
    text, kind, shared master, whether it has a cached value). Values of cells do not enter a plan.
    ``None`` (no reuse) for array formulas, whose plan also depends on which cells in their range hold
    values."""
    wb = ev.wb
    parts: list = [tuple(sorted(ev.functions)), tuple(sorted(overrides)),
                   tuple((k, dn.text) for k, dn in wb.names.items())]
    for sheet in wb.sheets:
        if sheet is None:
            parts.append(None)
            continue
        formulas = []
        for (r, c), cell in sheet.cells.items():
            f = cell.formula
            if f is None:
                continue
            ftype = cell.ftype
            if ftype is None:
                formulas.append((r, c, f, cell.has_v))
            elif ftype == "array":
                return None
            else:
                m = cell.master
                formulas.append((r, c, f, cell.has_v, ftype, None if m is None else (m.row, m.col)))
        parts.append((sheet.name, tuple(formulas)))
    return tuple(parts)


def _build_plan(ev: Evaluator, overrides: set[tuple[int, int, int]], full: bool = False) -> Plan:
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

    # every formula cell, in document order; ``in_order``: that order is (sheet, row, col) order
    specs: dict[int, tuple] = {}  # id(Compiled) → (ours, has a problem, references), see _spec
    in_order = True
    has_array = False
    any_bad = False
    n_ours = 0
    lacking: list[FormulaCell] = []  # formulas without a cached value
    forward: list[tuple] = []  # (formula, area) where the area does not lie wholly before the formula
    last = (-1, 0, 0)
    for sheet in wb.sheets:
        if sheet is None:
            continue
        s = sheet.index
        lst = by_sheet[s] = []
        for (r, c), cell in sheet.cells.items():
            if cell.formula is None:
                continue
            if cell.ftype == "dataTable":
                comp = _DATATABLE
            elif cell.master is not None:
                comp = compile_formula(cell.master.formula, cell.master.row, cell.master.col)
            else:
                comp = compile_formula(cell.formula, r, c)
            spec = specs.get(id(comp))
            if spec is None:
                spec = specs[id(comp)] = _spec(ev, comp)
            ours, bad, refs = spec
            fc = FormulaCell(s, r, c, cell, comp)
            key = fc.key
            areas = fc.areas
            for dr, dc, ref in refs:
                if ref is None:  # a relative cell on the same sheet
                    rr = r + dr
                    cc = c + dc
                    areas.append((s, rr, cc, rr, cc))
                    if dr > 0 or (dr == 0 and dc >= 0):
                        forward.append((fc, areas[-1]))
                    continue
                if type(ref) is RefTemplate:
                    if ref.sheet is None:
                        si = s
                    else:
                        try:
                            si = ev.sheet_index(ref.sheet)
                        except Err:
                            continue
                    more = ((si,) + ref.bounds(r, c),)
                else:
                    more = resolve_name(ref, s)
                for ar in more:
                    areas.append(ar)
                    si, _, _, r2, c2 = ar
                    if not (si < s or (si == s and (r2 < r or (r2 == r and c2 < c)))):
                        forward.append((fc, ar))
            if ours:
                fc.ours = True
                n_ours += 1
            if bad:
                any_bad = True
            if not cell.has_v:
                lacking.append(fc)
            if fc.is_array and cell.fref:
                has_array = True
                r1, c1, r2, c2 = cell.fref
                fc.outputs = tuple((s, rr, cc) for rr in range(r1, r2 + 1) for cc in range(c1, c2 + 1))
            else:
                fc.outputs = (key,)
            if key <= last:
                in_order = False
            last = key
            fcells[key] = fc
            lst.append(fc)

    # owner of each output cell (array members belong to their master)
    if has_array:
        owner: dict[tuple, FormulaCell] = {}
        for fc in fcells.values():
            for o in fc.outputs:
                owner[o] = fc
    else:
        owner = fcells

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

    # Row-major order is a valid evaluation order when every formula reads only formula cells before
    # it (sheet, row, column): then one forward pass finds what depends on ours, and no cycle exists.
    # Anything else (arrays, a reference forward or to itself) takes the general graph below.
    simple = in_order and not has_array and not any_bad  # (a workbook with problems: messages in the usual order)
    if simple:
        for fc, ar in forward:  # areas that do not lie wholly before their formula: any formula at or after it?
            key = fc.key
            if any(o >= key for o, _ in formula_cells_in(ar)):
                simple = False
                break

    if simple:
        order, dirty = _simple_dirty(fcells, overrides, formula_cells_in)
    else:
        order = None
        dirty = _graph_dirty(fcells, overrides, formula_cells_in)

    # precedents without a cached value
    needed: dict[tuple, FormulaCell] = dict(dirty)
    work = list(needed.values()) if has_array or any(fc.key not in dirty for fc in lacking) else []
    while work:
        fc = work.pop()
        for ar in fc.areas:
            si, r1, c1, r2, c2 = ar
            if r1 == r2 and c1 == c2:  # one cell: what formula_cells_in gives, without keeping a list for it
                pfc = owner.get((si, r1, c1))
                found = () if pfc is None else (((si, r1, c1), pfc),)
            else:
                found = formula_cells_in(ar)
            for o, pfc in found:
                k = pfc.key
                if k in needed:
                    continue
                if (o[1], o[2]) not in wb.sheets[o[0]].values:  # no cached value
                    needed[k] = pfc
                    work.append(pfc)
    if order is not None and len(needed) != len(order):
        order = [fc for fc in fcells.values() if fc.key in needed]

    # check before evaluating anything: unknown/unsupported functions, syntax
    for fc in needed.values() if any_bad else ():
        comp = fc.comp
        if not specs[id(comp)][1]:
            continue
        where = (_sheet_name(wb, fc.s), a1(fc.r, fc.c))
        for msg in comp.problems:
            problems.append(Problem("stöds inte", *where, msg))
        for raw, cands in comp.udfs:
            if ev.resolve_udf(raw, cands) is None:
                problems.append(Problem("okänd funktion", *where, f"okänd funktion {raw}; filen lämnas orörd"))

    problems.extend(_unresolved_problems(ev, needed))
    if order is None:
        order = _graph_order(wb, needed, formula_cells_in, problems)
    optional: dict = {}
    if full:  # --alla: every formula, cached value or not
        extra = {k: fc for k, fc in fcells.items() if k not in needed}
    else:
        extra = {fc.key: fc for fc in lacking if fc.key not in needed}
    if extra and not problems:
        more, optional = _optional(ev, extra, specs, formula_cells_in)
        if full and more and order:
            # a formula of ours may read one of the others, now recomputed too: one order over both
            keep = set(needed) | {fc.key for fc in more}
            if simple:  # row-major order is an evaluation order for the whole workbook
                order = [fc for k, fc in fcells.items() if k in keep]
            else:
                order = _graph_order(wb, {k: fcells[k] for k in keep}, formula_cells_in, problems)
        else:
            order = order + more
    # resolve_name refers to itself through its closure: unbind it, so that plain reference counting
    # frees the workbook at once (a cycle would keep tens of thousands of objects for the garbage collector)
    resolve_name = None  # noqa: F841
    return Plan(order, problems, n_ours, optional, len(fcells), has_array)


def _optional(ev: Evaluator, extra: dict, specs: dict, formula_cells_in) -> tuple[list, dict]:
    """Order and precedents of the formulas without a cached value that nothing of ours needs, so that
    a viewer that does not recalculate sees their values too. Those recalc cannot evaluate (an unknown
    or unsupported function, a reference it cannot resolve, a circular reference), and every one that
    reads such a formula, are left out: they stay as they are, and the workbook is not refused for them."""
    cycles: set = set()
    order = _graph_order(ev.wb, extra, formula_cells_in, [], cycles)
    prec: dict = {}
    readers: dict = {}
    skip = set(cycles)
    cache: dict = {}
    for key, fc in extra.items():
        ps = []
        for ar in fc.areas:
            for _, pfc in formula_cells_in(ar):
                k = pfc.key
                if k in extra and k != key and k not in ps:
                    ps.append(k)
                    readers.setdefault(k, []).append(key)
        prec[key] = tuple(ps)
        if specs[id(fc.comp)][1]:
            skip.add(key)
            continue
        ck = (id(fc.comp), fc.s)
        bad = cache.get(ck)
        if bad is None:
            bad = cache[ck] = bool(_unresolved_refs(ev, fc.comp.refs, fc.s, None, set()))
        if bad:
            skip.add(key)
    work = list(skip)
    while work:
        for k in readers.get(work.pop(), ()):
            if k not in skip:
                skip.add(k)
                work.append(k)
    return [fc for fc in order if fc.key not in skip], {k: v for k, v in prec.items() if k not in skip}


def _unresolved_problems(ev: Evaluator, cells) -> list[Problem]:
    """References of the cells to evaluate that cannot be resolved: a name that is not defined, a
    sheet that does not exist (also inside a name's definition). Those are faults of the workbook, not
    values: one problem per fault, at its first cell (sheet, row, column order), with the number of
    other cells that have it. A ``#REF!`` written literally in a formula (as Excel leaves it after a
    deleted row) is not one of these; it stays an Excel error value."""
    found: dict[str, list[tuple[tuple[int, int, int], str]]] = {}  # names are case-insensitive
    cache: dict[tuple[int, int], tuple[str, ...]] = {}
    for fc in cells.values():
        key = (id(fc.comp), fc.s)
        msgs = cache.get(key)
        if msgs is None:
            msgs = cache[key] = tuple(_unresolved_refs(ev, fc.comp.refs, fc.s, None, set()))
        for msg in msgs:
            found.setdefault(msg.upper(), []).append((fc.key, msg))
    out = []
    for hits in found.values():
        first, msg = min(hits)
        s, r, c = first
        n = len(hits) - 1
        more = "" if n == 0 else (" (också i 1 annan cell)" if n == 1 else f" (också i {n} andra celler)")
        out.append((first, Problem("fel i arbetsboken", _sheet_name(ev.wb, s), a1(r, c),
                                   f"{msg}{more}; filen lämnas orörd")))
    out.sort(key=lambda item: item[0])
    return [p for _, p in out]


def _unresolved_refs(ev: Evaluator, refs, s: int, owner: str | None, seen: set) -> list[str]:
    """Swedish messages for the references in ``refs`` (read on sheet ``s``; inside the definition of
    the name ``owner`` when given) that cannot be resolved."""
    wb = ev.wb
    out: list[str] = []

    def sheet_missing(sheet: str) -> str | None:
        if sheet.upper() in ev._sidx:
            return None
        chart = sheet.upper() in wb.other_sheets  # a chartsheet or the like: no cells
        if owner is None:
            return f"bladet {sheet} {'är inget kalkylblad' if chart else 'finns inte i arbetsboken'}"
        return f"namnet {owner} pekar på bladet {sheet}, som {'inte är något kalkylblad' if chart else 'inte finns i arbetsboken'}"

    for ref in refs:
        if ref.sheet is not None:
            msg = sheet_missing(ref.sheet)
            if msg is not None:
                if msg not in out:
                    out.append(msg)
                continue
        if type(ref) is not NameRef:
            continue
        scope = s if ref.sheet is None else ev._sidx[ref.sheet.upper()]
        dn = wb.defined_name(ref.name, scope)
        if dn is None:
            spelling = ref.spelling or ref.name
            msg = (f"namnet {spelling} finns inte i arbetsboken" if owner is None
                   else f"namnet {owner} använder namnet {spelling}, som inte finns i arbetsboken")
            if msg not in out:
                out.append(msg)
            continue
        if id(dn) in seen:
            continue
        seen.add(id(dn))
        try:
            comp, home = ev._compile_name(dn)
        except Unsupported:
            continue  # reported when the name is evaluated
        for msg in _unresolved_refs(ev, comp.refs, home, dn.name, seen):
            if msg not in out:
                out.append(msg)
    return out


def _spec(ev: Evaluator, comp: Compiled) -> tuple:
    """What the planner needs of a compiled formula, once per workbook: (calls ours, has a problem,
    its references in order as (drow, dcol, None) for a relative cell on the same sheet, else (0, 0, ref))."""
    ours = any(ev.resolve_udf(raw, cands) for raw, cands in comp.udfs)
    bad = bool(comp.problems) or any(ev.resolve_udf(raw, cands) is None for raw, cands in comp.udfs)
    refs = []
    for ref in comp.refs:
        if (type(ref) is RefTemplate and ref.sheet is None and ref.r1 == ref.r2 and ref.c1 == ref.c2
                and not (ref.r1abs or ref.r2abs or ref.c1abs or ref.c2abs)):
            refs.append((ref.r1, ref.c1, None))
        else:
            refs.append((0, 0, ref))
    return ours, bad, tuple(refs)


def _simple_dirty(fcells: dict, overrides: set, formula_cells_in) -> tuple[list, dict]:
    """What depends on our functions (or an override), in one pass in row-major order; every formula
    reads only formulas before it, so their state is known when it is reached."""
    dirty: dict[tuple, FormulaCell] = {}
    order: list[FormulaCell] = []
    area_dirty: dict[tuple, bool] = {}
    for key, fc in fcells.items():
        d = fc.ours
        if not d:
            for ar in fc.areas:
                si, r1, c1, r2, c2 = ar
                if r1 == r2 and c1 == c2:
                    p = (si, r1, c1)
                    if p in dirty or p in overrides:
                        d = True
                        break
                    continue
                hit = area_dirty.get(ar)
                if hit is None:
                    # every formula in the area lies before this cell, so its state is final
                    hit = any(o in dirty for o, _ in formula_cells_in(ar)) or any(
                        p[0] == si and r1 <= p[1] <= r2 and c1 <= p[2] <= c2 for p in overrides)
                    area_dirty[ar] = hit
                if hit:
                    d = True
                    break
        if d:
            dirty[key] = fc
            order.append(fc)
    return order, dirty


def _graph_dirty(fcells: dict, overrides: set, formula_cells_in) -> dict:
    """What depends on our functions (or an override), through reverse edges (any order of cells)."""
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
    dirty: dict[tuple, FormulaCell] = {}
    stack: list[tuple] = []
    for key, fc in fcells.items():
        if fc.ours:
            dirty[key] = fc
            stack.extend(fc.outputs)
    stack.extend(overrides)
    while stack:
        for fc in readers.get(stack.pop(), ()):
            k = fc.key
            if k not in dirty:
                dirty[k] = fc
                stack.extend(fc.outputs)
    return dirty


def _graph_order(wb: Workbook, needed: dict, formula_cells_in, problems: list, cycles: set | None = None) -> list:
    """Topological order (iterative DFS) over the needed cells; cycles are reported in ``problems``
    (or, when ``cycles`` is given, their cells' keys are added to it)."""
    order: list[FormulaCell] = []
    state: dict[tuple, int] = {}  # 1 visiting, 2 done
    prec_cache: dict[tuple, list] = {}

    def precedents(fc) -> list:
        out = []
        for ar in fc.areas:
            hit = prec_cache.get(ar)
            if hit is None:
                hit = [pfc.key for _, pfc in formula_cells_in(ar) if pfc.key in needed]
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
    if cycles is not None:
        cycles.update(cyclic)
        return order
    for k in sorted(cyclic):
        problems.append(Problem("cirkelreferens", _sheet_name(wb, k[0]), a1(k[1], k[2]),
                                "formeln ingår i en cirkelreferens; filen lämnas orörd"))
    return order


def evaluate_plan(ev: Evaluator, plan: Plan) -> list[Problem]:
    """Evaluate the planned cells in order; new values land in ``ev.values``. Returns problems that
    stop the write (unsupported at run time); errors of our functions are in ``ev.udf_errors``."""
    problems: list[Problem] = []
    values = ev.values
    sv = ev.sv
    optional = plan.optional
    skipped: set = set()
    last_s = -1
    here = hget = None  # sv[s] of the sheet of the last formula, and its get
    kernels: dict[int, object] = {}  # id(Compiled) → its kernel bound for this workbook, or None
    for fc in plan.order:
        key = fc.key
        s, r, c = key
        is_array = fc.is_array
        if optional and key in optional:  # no cached value, nothing of ours needs it: never an error
            if any(k in skipped for k in optional[key]) or _failed(ev, fc):
                skipped.add(key)
            continue
        if s != last_s:
            last_s, here = s, sv[s]
            hget = here.get
        comp = fc.comp
        if not is_array:
            kern = kernels.get(id(comp), _NOTSET)
            if kern is _NOTSET:
                kern = kernels[id(comp)] = _kernel(ev, comp)
            if kern is not None:
                out = kern(hget, r, c)  # numbers in, a finite number out (else None: the closures below)
                if out is not None:
                    out += 0.0  # (no negative zero, as below)
                    values[key] = out
                    here[(r, c)] = out
                    continue
        try:
            out = comp.fn(ev, s, r, c)
            if type(out) is float and not is_array and out - out == 0.0:  # the common case (finite)
                out += 0.0  # Excel has no negative zero: -0.0 + 0.0 is 0.0, every other value unchanged
                values[key] = out
                here[(r, c)] = out
                continue
            if type(out) is Area:
                if is_array:
                    out = ev.area_values(out) if not out.single else ev.cell_value(out.s, out.r1, out.c1)
                else:
                    out = scalar(ev, out, r, c)
            if out is MISSING:
                out = 0.0
            elif type(out) is float and out - out != 0.0:
                out = NUM  # SUM/PRODUCT overflowing to ±inf: Excel's #NUM!
        except Err as e:
            out = e.value
        except (ArithmeticError, ValueError):  # any other numeric fault of an Excel function: #NUM!, as Excel
            out = NUM
        except UdfError as e:
            out = e.text
            ev.udf_errors.append(Problem("fel i formel", _sheet_name(ev.wb, s), a1(r, c), e.text))
        except Unsupported as e:
            problems.append(Problem("stöds inte", _sheet_name(ev.wb, s), a1(r, c), str(e)))
            out = XLError("#VALUE!")
        except RecursionError:
            problems.append(Problem("stöds inte", _sheet_name(ev.wb, s), a1(r, c), "formeln är för djupt nästlad"))
            out = XLError("#VALUE!")
        cell = fc.cell
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
                    ev.set_value(s, r1 + i, c1 + j, 0.0 if v is None else v)
        else:
            if type(out) is list:
                out = out[0][0] if out and out[0] else None
            ev.set_value(s, r, c, 0.0 if out is None and fc.comp.udfs == () else ("" if out is None else out))
    return problems


def _kernel(ev: Evaluator, comp: Compiled):
    """The shape's kernel (:mod:`.kernel`) with our functions' direct paths bound for this workbook's
    registry, or ``None`` (no kernel, or one of its functions has no direct path here)."""
    fac = comp.kernel
    if fac is False:
        fac = None
        if comp.src and not comp.problems:
            from .kernel import kernel_factory

            fac = kernel_factory(*comp.src)
        comp.kernel = fac
    if fac is None:
        return None
    make, udfs = fac
    fns = []
    for raw, cands in udfs:
        name = ev.resolve_udf(raw, cands)
        fn = ev.fast.get(name) if name is not None else None
        if fn is None:
            return None
        fns.append(fn)
    return make(*fns)


def _failed(ev: Evaluator, fc: FormulaCell) -> bool:
    """Evaluate one optional formula (see :func:`_optional`); ``True`` when it cannot be (nothing set)."""
    try:
        failed = bool(evaluate_plan(ev, Plan([fc], [], 0)))
    except RecursionError:
        failed = True
    if failed:  # undo the #VALUE! evaluate_plan set for it
        for o in fc.outputs:
            ev.values.pop(o, None)
            old = ev.sheets[o[0]].values.get((o[1], o[2]), _NOTSET)
            if old is _NOTSET:
                ev.sv[o[0]].pop((o[1], o[2]), None)
            else:
                ev.sv[o[0]][(o[1], o[2])] = old
    return failed


def _addressed(functions: dict) -> frozenset:
    """Our functions that take the range's address (``adress=``) for their messages: the real adapter
    functions of :data:`~sakagare_xl.adapters.functions.RANGE_FUNCTIONS` (a test's registry may not)."""
    from .fast import REAL as real

    return frozenset(n for n in real.RANGE_FUNCTIONS if functions.get(n) is real.FUNCTIONS[n])


def _fast_functions(functions: dict) -> dict:
    """Our functions that have a direct path for plain numbers (see :mod:`.fast`), when the registry
    holds the real ones."""
    from . import fast

    return fast.fast_paths(functions)
