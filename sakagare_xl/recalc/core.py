"""Recalculate one workbook held in memory: read → plan → evaluate → patch → new zip bytes.

:func:`recalc_bytes` never raises for a bad file; it returns an :class:`Outcome` whose ``status`` and
``errors`` say what happened (Swedish), and ``data`` (the new file) only when the file may be written.
"""

from __future__ import annotations

import datetime as _dt
import gc
import re
from dataclasses import dataclass, field

from .cells import XLError, a1, parse_a1, read_workbook
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
STATUS_NO_FUNCTIONS = "inga sakägarfunktioner"  # no longer given: such a workbook is STATUS_SKIPPED
STATUS_SKIPPED = "inget att räkna om"
#: statuses that are no failure (exit status 0)
OK_STATUSES = (STATUS_OK, STATUS_UNCHANGED, STATUS_SKIPPED)


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
    notes: list[str] = field(default_factory=list)  # what the user should know, no failure

    @property
    def failed(self) -> bool:
        return self.status not in OK_STATUSES


def default_functions() -> dict:
    from .fast import FUNCTIONS

    return FUNCTIONS


def recalc_bytes(
    data: bytes,
    functions: dict | None = None,
    overrides: dict[str, object] | None = None,
    *,
    write_errors: bool = False,
    today: _dt.date | None = None,
    full: bool = False,
) -> Outcome:
    """Recompute the workbook in ``data``. ``overrides`` maps keys of :data:`OVERRIDE_NAMES` to the
    value to put into the named input cell (a number, serial date included). ``full`` (``--alla``):
    every formula recalc can evaluate is recomputed, and a workbook without our functions is too.

    Python's cyclic garbage collector is paused meanwhile: a large sheet makes tens of thousands of
    small objects (cells, references, tuples), which set off collections that walk every live object
    again and again (a third of the time on a 1 000-row sheet). Nothing here relies on it; it is
    switched back on (when it was on) before returning, and collects then as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _recalc_bytes(data, functions, overrides, write_errors, today, full)
    finally:
        if was_enabled:
            gc.enable()


def _recalc_bytes(data, functions, overrides, write_errors, today, full=False) -> Outcome:
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
        plan = build_plan(ev, set(override_cells), full)
    except PackageError as exc:
        return Outcome(exc.status, errors=[str(exc)])
    if plan.ours == 0 and not override_cells and not full:
        lacking = sum(1 for sh in wb.sheets if sh is not None
                      for cell in sh.cells.values() if cell.formula is not None and not cell.has_v)
        why = (f"; {lacking} formler saknar sparat värde (--alla räknar ut dem)" if lacking
               else " (--alla räknar om alla formler)")
        return Outcome(STATUS_SKIPPED,
                       notes=[f"arbetsboken använder inga av sakägarfunktionerna; filen lämnas orörd{why}"])
    if plan.problems:
        return _problems(plan.problems, plan.ours, _names(wb))
    problems = evaluate_plan(ev, plan)
    if problems:
        return _problems(problems, plan.ours, _names(wb))

    # what changed
    per_sheet: dict[int, dict[tuple[int, int], object]] = {}
    last_s = -1
    for (s, r, c), new in ev.values.items():
        if s != last_s:
            last_s, cached, changes = s, wb.sheets[s].values, per_sheet.setdefault(s, {})
        rc = (r, c)
        old = cached.get(rc, _NOTSET)  # the cached value in the file, when it has one
        if old is not _NOTSET:
            told = type(old)
            if told is float and type(new) is float:
                if old == new:
                    continue
            elif not (told is str and type(new) is float) and same_value(old, new):
                # (a text never equals a number: openpyxl's empty <v> before a computed number, the
                # common case in a file that was never calculated, needs no comparison)
                continue
        changes[rc] = new
    per_sheet = {s: vals for s, vals in per_sheet.items() if vals}
    changed = sum(len(v) for v in per_sheet.values())
    # every key of ev.values is a formula cell when no input was overridden and no array formula set
    # the cells of its range: then as many values as formulas is every formula computed
    all_computed = not override_cells and not plan.has_array and len(ev.values) == plan.formulas
    calc_pr, note = _full_calc_on_load(pkg, ev, all_computed)
    out = Outcome(STATUS_OK if changed or calc_pr else STATUS_UNCHANGED, changed=changed, ours=plan.ours,
                  evaluated=len(plan.order), notes=[note] if note else [])
    _summary(ev, out)
    if ev.udf_errors:
        out.status = STATUS_FORMULA_ERROR
        out.errors = grouped(ev.udf_errors, _names(wb))
        if not write_errors:
            out.errors.append("filen lämnas orörd (använd --skriv-fel för att ändå skriva felen i cellerna)")
            return out
    if changed or calc_pr:
        try:
            members = {wb.sheets[s].part: patch_sheet(wb.sheets[s], vals) for s, vals in per_sheet.items()}
            if calc_pr:
                members[wb.part] = calc_pr
            out.data = rewrite_zip(pkg, members)
        except (PackageError, ValueError) as exc:
            return Outcome("kan inte skriva", errors=[str(exc)])
    return out


def _problems(problems: list[Problem], ours: int, sheets: list[str]) -> Outcome:
    kinds = {p.kind for p in problems}
    status = next((k for k in ("fel i arbetsboken", "okänd funktion", "cirkelreferens") if k in kinds), "stöds inte")
    return Outcome(status, errors=grouped(problems, sheets), ours=ours)


def _names(wb) -> list[str]:
    return [sh.name if sh is not None else "" for sh in wb.sheets]


def _cell_name(p: Problem) -> str:
    """``Sakägarförteckning!V22``, ``'Blad 1'!B20``: the cell as Excel names it."""
    return p.text()[len("cell "):-len(": " + p.message)]


def grouped(problems: list[Problem], sheets: list[str] = ()) -> list[str]:
    """One line per cause, in order of first appearance: a message that several cells share (one bad
    header value reaches every cell that reads the range) is given once, with the number of cells and
    the first of them in sheet, row, column order: ``Fel i Fördelningsdag (B11): … (påverkar 180 celler,
    t.ex. Sakägarförteckning!V22)``. A message of one cell keeps the form ``cell X!A1: …``. ``sheets``: the
    sheet names in workbook order."""
    pos = {name: k for k, name in enumerate(sheets)}
    groups: dict[str, list[Problem]] = {}
    for p in problems:
        groups.setdefault(p.message, []).append(p)
    out = []
    for msg, ps in groups.items():
        if len(ps) == 1:
            out.append(ps[0].text())
            continue
        first = min(ps, key=lambda p: (pos.get(p.sheet, 0), parse_a1(p.cell)))
        tail = "; filen lämnas orörd" if msg.endswith("; filen lämnas orörd") else ""
        body = msg[: len(msg) - len(tail)]
        n = len({(p.sheet, p.cell) for p in ps})
        out.append(f"{body} (påverkar {n} celler, t.ex. {_cell_name(first)}){tail}")
    return out


_CALC_PR = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?calcPr(?=[\s/>])[^>]*>")
_FULL_CALC = re.compile(rb"""\s+fullCalcOnLoad\s*=\s*(?:"(?:1|true)"|'(?:1|true)')""")


def _full_calc_on_load(pkg, ev: Evaluator, all_computed: bool = False) -> tuple[bytes | None, str | None]:
    """``fullCalcOnLoad="1"`` in ``calcPr`` (openpyxl sets it) makes Excel recalculate on opening, which
    without the add-in shows ``#NAME?`` in every cell of ours. When this run computed every formula of
    the workbook, the cached values are complete and current: the new ``workbook.xml`` without that one
    attribute (every other byte kept). Otherwise ``None`` and a note saying why the flag stays.
    ``all_computed``: the caller knows that every formula was computed (no need to look at each)."""
    xml = pkg.read(ev.wb.part)
    m = _CALC_PR.search(xml)
    if m is None or not _FULL_CALC.search(m.group(0)):
        return None, None
    missing = stale = 0
    first_missing = first_stale = None
    for sheet in () if all_computed else ev.wb.sheets:
        if sheet is None:
            continue
        s = sheet.index
        for (r, c), cell in sheet.cells.items():
            if cell.formula is None or (s, r, c) in ev.values:
                continue
            if cell.has_v:
                stale += 1
                first_stale = first_stale or Problem("", sheet.name, a1(r, c), "")
            else:
                missing += 1
                first_missing = first_missing or Problem("", sheet.name, a1(r, c), "")
    if missing:
        return None, (f"fullCalcOnLoad behålls (Excel räknar om vid öppning): {missing} formler kunde inte räknas "
                      f"ut, t.ex. {_cell_name(first_missing)}")
    if stale:
        return None, (f"fullCalcOnLoad behålls (Excel räknar om vid öppning): {stale} formler räknades inte om, "
                      f"t.ex. {_cell_name(first_stale)} (--alla räknar om alla)")
    tag = m.group(0)
    new_tag = _FULL_CALC.sub(b"", tag, count=1)
    return xml[: m.start()] + new_tag + xml[m.end():], None


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
