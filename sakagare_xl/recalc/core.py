"""Recalculate one workbook held in memory: read → plan → evaluate → patch → new zip bytes.

:func:`recalc_bytes` never raises for a bad file; it returns an :class:`Outcome` whose ``status`` and
``errors`` say what happened (Swedish), and ``data`` (the new file) only when the file may be written.
"""

from __future__ import annotations

import datetime as _dt
import gc
from dataclasses import dataclass, field

from .cells import XLError, a1, read_workbook
from .evaluate import Evaluator, Problem, build_plan, evaluate_plan
from .formula import Area, Err, Unsupported
from .ooxml import PackageError, open_package, rewrite_zip
from .patch import patch_sheet, same_value

#: batch overrides: option key → (defined name in the template, Swedish label)
OVERRIDE_NAMES = {
    "fordelningsdag": ("Fordelningsdag", "fördelningsdag"),
    "referensranta": ("Referensranta", "referensränta"),
    "kopeskilling": ("Kopeskilling", "köpeskilling"),
    "sakagarforteckningsdag": ("Sakagarforteckningsdag", "sakägarförteckningsdag"),
}

_NOTSET = object()
STATUS_OK = "ok"
STATUS_UNCHANGED = "oförändrad"
STATUS_FORMULA_ERROR = "fel i formel"
STATUS_NO_FUNCTIONS = "inga sakägarfunktioner"


@dataclass
class Outcome:
    status: str
    data: bytes | None = None  # new file bytes, when something changed and the file may be written
    changed: int = 0
    errors: list[str] = field(default_factory=list)
    skyddsbelopp: object = None
    distributed: object = None
    overskott: object = None
    ours: int = 0
    evaluated: int = 0

    @property
    def failed(self) -> bool:
        return self.status not in (STATUS_OK, STATUS_UNCHANGED)


def default_functions() -> dict:
    from ..adapters.functions import FUNCTIONS

    return FUNCTIONS


def recalc_bytes(
    data: bytes,
    functions: dict | None = None,
    overrides: dict[str, object] | None = None,
    *,
    write_errors: bool = False,
    today: _dt.date | None = None,
) -> Outcome:
    """Recompute the workbook in ``data``. ``overrides`` maps keys of :data:`OVERRIDE_NAMES` to the
    value to put into the named input cell (a number, serial date included).

    Python's cyclic garbage collector is paused meanwhile: a large sheet makes tens of thousands of
    small objects (cells, references, tuples), which set off collections that walk every live object
    again and again (a third of the time on a 1 000-row sheet). Nothing here relies on it; it is
    switched back on (when it was on) before returning, and collects then as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _recalc_bytes(data, functions, overrides, write_errors, today)
    finally:
        if was_enabled:
            gc.enable()


def _recalc_bytes(data, functions, overrides, write_errors, today) -> Outcome:
    if functions is None:
        functions = default_functions()
    try:
        pkg = open_package(data)
        wb = read_workbook(pkg)
    except PackageError as exc:
        return Outcome(exc.status, errors=[str(exc)])
    ev = Evaluator(wb, functions, today)

    # overrides into their named cells
    override_cells: dict[tuple[int, int, int], object] = {}
    errors: list[str] = []
    for key, value in (overrides or {}).items():
        name, label = OVERRIDE_NAMES[key]
        target = _named_cell(ev, name)
        if isinstance(target, str):
            errors.append(f"kan inte ändra {label}: {target}")
            continue
        s, r, c = target
        cell = wb.sheets[s].cell(r, c)
        if cell is not None and cell.formula is not None:
            errors.append(f"kan inte ändra {label}: cellen {wb.sheets[s].name}!{a1(r, c)} ({name}) har en formel")
            continue
        override_cells[target] = value
    if errors:
        return Outcome("saknar namn", errors=errors)
    for (s, r, c), value in override_cells.items():
        ev.set_value(s, r, c, value)

    try:
        plan = build_plan(ev, set(override_cells))
    except PackageError as exc:
        return Outcome(exc.status, errors=[str(exc)])
    if plan.ours == 0 and not override_cells:
        return Outcome(STATUS_NO_FUNCTIONS, errors=["arbetsboken använder inga av sakägarfunktionerna; filen lämnas orörd"])
    if plan.problems:
        return _problems(plan.problems, plan.ours)
    problems = evaluate_plan(ev, plan)
    if problems:
        return _problems(problems, plan.ours)

    # what changed
    per_sheet: dict[int, dict[tuple[int, int], object]] = {}
    last_s = -1
    for (s, r, c), new in ev.values.items():
        if s != last_s:
            last_s, cached, changes = s, wb.sheets[s].values, per_sheet.setdefault(s, {})
        old = cached.get((r, c), _NOTSET)  # the cached value in the file, when it has one
        if old is not _NOTSET:
            told = type(old)
            if told is float and type(new) is float:
                if old == new:
                    continue
            elif not (told is str and type(new) is float) and same_value(old, new):
                # (a text never equals a number: openpyxl's empty <v> before a computed number, the
                # common case in a file that was never calculated, needs no comparison)
                continue
        changes[(r, c)] = new
    per_sheet = {s: vals for s, vals in per_sheet.items() if vals}
    changed = sum(len(v) for v in per_sheet.values())
    out = Outcome(STATUS_OK if changed else STATUS_UNCHANGED, changed=changed, ours=plan.ours, evaluated=len(plan.order))
    _summary(ev, out)
    if ev.udf_errors:
        out.status = STATUS_FORMULA_ERROR
        out.errors = [p.text() for p in ev.udf_errors]
        if not write_errors:
            out.errors.append("filen lämnas orörd (använd --skriv-fel för att ändå skriva felen i cellerna)")
            return out
    if changed:
        try:
            members = {wb.sheets[s].part: patch_sheet(wb.sheets[s], vals) for s, vals in per_sheet.items()}
            out.data = rewrite_zip(pkg, members)
        except (PackageError, ValueError) as exc:
            return Outcome("kan inte skriva", errors=[str(exc)])
    return out


def _problems(problems: list[Problem], ours: int) -> Outcome:
    kinds = {p.kind for p in problems}
    status = next((k for k in ("fel i arbetsboken", "okänd funktion", "cirkelreferens") if k in kinds), "stöds inte")
    seen = []
    for p in problems:
        t = p.text()
        if t not in seen:
            seen.append(t)
    return Outcome(status, errors=seen, ours=ours)


def _named_cell(ev: Evaluator, name: str):
    """(sheet, row, col) of a workbook-level name that refers to one cell, or a Swedish reason."""
    dn = ev.wb.defined_name(name, None)
    if dn is None:
        return f"arbetsboken saknar namnet {name}"
    try:
        x = ev.name_value(name.upper(), None, dn.scope if dn.scope is not None else 0)
    except (Err, Unsupported):
        return f"namnet {name} pekar inte på en cell ({dn.text})"
    if type(x) is not Area or not x.single:
        return f"namnet {name} pekar inte på en enda cell ({dn.text})"
    return (x.s, x.r1, x.c1)


def _summary(ev: Evaluator, out: Outcome) -> None:
    """Skyddsbelopp, distributed and överskott for the report, through SAK_SUMMA over ``Sak``."""
    fn = ev.functions.get("SAK_SUMMA")
    if fn is None or ev.wb.defined_name("Sak", None) is None:
        return
    try:
        sak = ev.name_value("SAK", None, 0)
        if type(sak) is not Area:
            return
        rows = ev.area_values(sak)
        price = None
        if ev.wb.defined_name("Kopeskilling", None) is not None:
            p = ev.name_value("KOPESKILLING", None, 0)
            if type(p) is Area and p.single:
                price = ev.cell_value(p.s, p.r1, p.c1)
        out.skyddsbelopp = _quiet(fn, rows, "skyddsbelopp")
        if price not in (None, ""):
            out.distributed = _quiet(fn, rows, "utdelat", price)
            out.overskott = _quiet(fn, rows, "overskott", price)
    except (Err, Unsupported):
        return


def _quiet(fn, *args):
    try:
        v = fn(*args)
    except Exception:  # noqa: BLE001 - the cell errors are reported separately
        return None
    if type(v) is XLError or isinstance(v, (list, str)):
        return None
    return v
