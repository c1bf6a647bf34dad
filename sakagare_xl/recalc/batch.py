"""Batches: expand paths (files, folders, globs), recalculate each workbook (in parallel with
``jobs > 1``), write atomically, and collect one report row per workbook.

A write goes to a temporary file in the target's folder, is flushed and fsync'ed, gets the original
file's permission bits and replaces the target with :func:`os.replace`; a crash or a kill leaves the
target either old or new (at worst an orphaned ``.~*.recalc-tmp`` file next to it after a hard kill).
"""

from __future__ import annotations

import csv
import glob
import json
import os
import stat
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .core import Outcome, recalc_bytes

EXTENSIONS = (".xlsx", ".xlsm")
TEMP_SUFFIX = ".recalc-tmp"
REPORT_COLUMNS = ("path", "status", "skyddsbelopp", "distributed", "overskott", "cells_changed", "written", "errors")


@dataclass
class Task:
    src: str
    dest: str  # == src unless --out


@dataclass
class Options:
    functions: dict | None = None  # None = the real registry (imported in the worker)
    overrides: dict = field(default_factory=dict)
    dry_run: bool = False
    write_errors: bool = False


@dataclass
class Row:
    path: str
    status: str
    skyddsbelopp: object = None
    distributed: object = None
    overskott: object = None
    cells_changed: int = 0
    written: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status not in ("ok", "oförändrad")


# ---------------------------------------------------------------- paths

def _is_candidate(p: Path) -> bool:
    return p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", ".~"))


def expand(paths: list[str], out_dir: str | None = None) -> tuple[list[Task], list[Row]]:
    """Tasks for the given files/folders/globs, and report rows for paths that match nothing."""
    tasks: list[Task] = []
    missing: list[Row] = []
    seen: set[str] = set()

    def add(src: Path, rel: str) -> None:
        key = os.path.realpath(src)
        if key in seen:
            return
        seen.add(key)
        dest = os.path.join(out_dir, rel) if out_dir else str(src)
        tasks.append(Task(str(src), dest))

    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and _is_candidate(q))
            if not found:
                missing.append(Row(arg, "inga arbetsböcker", errors=[f"mappen {arg} innehåller inga .xlsx/.xlsm-filer"]))
            for q in found:
                add(q, str(q.relative_to(p)))
        elif p.is_file():
            add(p, p.name)
        elif glob.has_magic(arg):
            found = sorted(Path(q) for q in glob.glob(arg, recursive=True))
            found = [q for q in found if q.is_file() and _is_candidate(q)]
            if not found:
                missing.append(Row(arg, "saknas", errors=[f"mönstret {arg} matchar inga .xlsx/.xlsm-filer"]))
            for q in found:
                add(q, q.name)
        else:
            missing.append(Row(arg, "saknas", errors=[f"filen {arg} finns inte"]))
    if out_dir:
        dests: dict[str, str] = {}
        kept = []
        for t in tasks:
            other = dests.get(os.path.normcase(t.dest))
            if other is not None:
                missing.append(Row(t.src, "namnkrock", errors=[f"{t.src} och {other} skulle båda skrivas till {t.dest}"]))
                continue
            dests[os.path.normcase(t.dest)] = t.src
            kept.append(t)
        tasks = kept
    return tasks, missing


# ---------------------------------------------------------------- writing

def _replace(tmp: str, dest: str) -> None:
    os.replace(tmp, dest)


def atomic_write(dest: str, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``dest`` so that ``dest`` is always either the old or the new file."""
    folder = os.path.dirname(os.path.abspath(dest))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~" + os.path.basename(dest) + ".", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode))
        _replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------- one file

def process(task: Task, options: Options) -> Row:
    """Recalculate one file; never raises (a report row says what happened)."""
    src = task.src
    try:
        st = os.stat(src)
        with open(src, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Row(src, "kan inte läsas", errors=[f"{src}: kan inte läsas ({exc.strerror or exc})"])
    try:
        outcome: Outcome = recalc_bytes(
            data, options.functions, options.overrides, write_errors=options.write_errors
        )
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch nor show a traceback
        return Row(src, "internt fel", errors=[f"{src}: internt fel ({type(exc).__name__}: {exc}); filen lämnas orörd"])
    row = Row(
        src, outcome.status, _money(outcome.skyddsbelopp), _money(outcome.distributed), _money(outcome.overskott),
        outcome.changed, False, [f"{src}: {e}" for e in outcome.errors],
    )
    if options.dry_run:
        return row
    to_write = outcome.data
    if to_write is None and task.dest != src and not outcome.failed:
        to_write = data  # --out: the folder gets every good workbook, changed or not
    if to_write is None:
        return row
    try:
        atomic_write(task.dest, to_write, st.st_mode)
        row.written = True
    except OSError as exc:
        row.status = "kan inte skrivas"
        row.errors.append(f"{task.dest}: kan inte skrivas ({exc.strerror or exc}); filen lämnas orörd")
    return row


def _money(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _work(args: tuple[Task, Options]) -> Row:
    return process(*args)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def run_batch(tasks: list[Task], options: Options, jobs: int = 1, progress: bool = True) -> list[Row]:
    """Process the tasks (in ``jobs`` processes) and return the rows in task order."""
    if progress and getattr(sys.stderr, "isatty", lambda: False)():
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), unit="fil", desc="recalc", file=sys.stderr, leave=False)
    else:  # no bar (tqdm would disable itself off a terminal); not even imported
        bar = _NoBar()
    rows: list[Row] = []
    try:
        if jobs <= 1 or len(tasks) <= 1:
            for t in tasks:
                rows.append(process(t, options))
                bar.update(1)
        else:
            # imported here: concurrent.futures.process brings multiprocessing, logging and sockets
            # (10–30 ms of start-up) that a --jobs 1 run never uses
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=jobs) as pool:
                chunk = max(1, min(16, len(tasks) // (jobs * 4)))
                for row in pool.map(_work, [(t, options) for t in tasks], chunksize=chunk):
                    rows.append(row)
                    bar.update(1)
    finally:
        bar.close()
    return rows


# ---------------------------------------------------------------- reports

def write_reports(rows: list[Row], prefix: str) -> list[str]:
    """``prefix.csv`` and ``prefix.json``, one row per workbook; returns the paths written."""
    base = prefix
    for ext in (".csv", ".json"):
        if base.lower().endswith(ext):
            base = base[: -len(ext)]
    csv_path, json_path = base + ".csv", base + ".json"
    os.makedirs(os.path.dirname(os.path.abspath(csv_path)), exist_ok=True)
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(REPORT_COLUMNS)
        for r in rows:
            w.writerow([r.path, r.status, _cell(r.skyddsbelopp), _cell(r.distributed), _cell(r.overskott),
                        r.cells_changed, "ja" if r.written else "nej", " | ".join(r.errors)])
    with open(json_path, "w", encoding="utf-8") as fh:
        json.dump([asdict(r) for r in rows], fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return [csv_path, json_path]


def _cell(v) -> str:
    return "" if v is None else str(v)
