"""Batches: expand paths (files, folders, globs), recalculate each workbook (in parallel with
``jobs > 1``), write atomically, and collect one report row per workbook.

A write goes to a temporary file in the target's folder, is flushed and fsync'ed, gets the original
file's permission bits, owner and group and replaces the target with :func:`os.replace`; a crash or a kill
leaves the target either old or new (at worst an orphaned ``.~*.recalc-tmp`` file next to it after a hard
kill). A symbolic link is written through (its target is replaced, the link stays); a file with more than
one hard link, a read-only file and a file changed by someone else while it was being recalculated are
left alone and reported (docs/recalc.md, "Files on disk").
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .core import OK_STATUSES, Outcome, recalc_bytes
from .ooxml import MAX_FILE_SIZE

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
    full: bool = False  # --alla


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
    notes: list[str] = field(default_factory=list)  # no failure: why a workbook was skipped, a kept flag

    @property
    def failed(self) -> bool:
        return self.status not in OK_STATUSES


# ---------------------------------------------------------------- paths

def _has_magic(arg: str) -> bool:
    """``glob.has_magic`` without importing :mod:`glob` for a batch of plain paths."""
    return any(ch in arg for ch in "*?[")


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

    out_real = os.path.realpath(out_dir) if out_dir else None

    def outside_out(q: Path) -> bool:  # --out inside an input folder: never recalculate out/ into out/out/
        if out_real is None:
            return True
        try:
            return os.path.commonpath([out_real, os.path.realpath(q)]) != out_real
        except ValueError:  # another drive (Windows)
            return True

    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and _is_candidate(q) and outside_out(q))
            if not found:
                missing.append(Row(arg, "inga arbetsböcker", errors=[f"mappen {arg} innehåller inga .xlsx/.xlsm-filer"]))
            for q in found:
                add(q, str(q.relative_to(p)))
        elif p.is_file():
            add(p, p.name)
        elif _has_magic(arg):
            import glob

            found = sorted(Path(q) for q in glob.glob(arg, recursive=True))
            found = [q for q in found if q.is_file() and _is_candidate(q) and outside_out(q)]
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


class FileChanged(OSError):
    """The file on disk is no longer the one that was read (another program saved it meanwhile)."""


class OwnerNotKept(OSError):
    """The new file could not be given the old file's owner and group (recalc runs as another user)."""


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


#: :func:`tempfile.mkstemp`'s flags: a new file (never an existing one, never through a link), closed on exec
_TEMP_FLAGS = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_BINARY", 0))


def temp_file(folder: str, prefix: str) -> tuple[int, str]:
    """(fd, path) of a new file ``prefix`` + 8 random characters + :data:`TEMP_SUFFIX` in ``folder``, mode
    0600, opened for writing: what :func:`tempfile.mkstemp` does, without importing :mod:`tempfile` (with
    :mod:`shutil` and :mod:`random`, ~2 ms of every start)."""
    for _ in range(1000):
        path = os.path.join(folder, prefix + os.urandom(4).hex() + TEMP_SUFFIX)
        try:
            return os.open(path, _TEMP_FLAGS, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "inget ledigt namn för en tillfällig fil", folder)  # pragma: no cover


def temp_prefix(dest: str) -> str:
    """``.~`` and at most 40 characters of the file's name: the temporary name stays far below the 255-byte
    name limit even for a 245-character file name."""
    return ".~" + os.path.basename(dest)[:40] + "."


def atomic_write(dest: str, data: bytes, mode: int | None = None, *, owner: tuple[int, int] | None = None,
                 expect: os.stat_result | None = None) -> None:
    """Write ``data`` to ``dest`` so that ``dest`` is always either the old or the new file.

    ``owner`` (uid, gid) is given to the new file (the old file's; :class:`OwnerNotKept` when that is not
    allowed, and nothing is written). With ``expect`` (the old file's stat when it was read), a file that has
    changed since (another size, modification time or inode) is not replaced: :class:`FileChanged`."""
    folder = os.path.dirname(os.path.abspath(dest))
    try:
        fd, tmp = temp_file(folder, temp_prefix(dest))
    except OSError:  # no such folder yet (--out): made here, not checked before every file; any other
        os.makedirs(folder, exist_ok=True)  # problem raises as it did when the folder was made first
        fd, tmp = temp_file(folder, temp_prefix(dest))
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode))
        if owner is not None:
            mine = os.stat(tmp)
            if (mine.st_uid, mine.st_gid) != owner:
                try:
                    os.chown(tmp, *owner)
                except PermissionError:
                    raise OwnerNotKept(f"ägaren {owner[0]} och gruppen {owner[1]} kan inte behållas") from None
                if mode is not None:  # chown clears set-user/group-id bits: give the bits again
                    os.chmod(tmp, stat.S_IMODE(mode))
        if expect is not None and _identity(os.stat(dest)) != _identity(expect):
            raise FileChanged(f"{dest} ändrades under omräkningen")
        _replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------- one file

def _refusal(src: str, st: os.stat_result) -> tuple[str, str] | None:
    """(status, message) when a file must not be replaced in place, else ``None``."""
    if st.st_nlink > 1:
        return ("hård länk", f"{src}: filen har {st.st_nlink} hårda länkar; recalc ersätter den inte (de andra "
                "namnen skulle behålla den gamla filen) – skriv med --out, eller kopiera filen först; filen lämnas orörd")
    if not st.st_mode & 0o222:
        return ("skrivskyddad", f"{src}: filen är skrivskyddad; filen lämnas orörd")
    return None


def process(task: Task, options: Options) -> Row:
    """Recalculate one file; never raises (a report row says what happened)."""
    src = task.src
    try:
        st = os.stat(src)  # of the target, for a symbolic link
        if st.st_size > MAX_FILE_SIZE:  # before reading: a 3 GB file is never loaded
            return Row(src, "för stor", errors=[f"{src}: filen är {st.st_size} byte (gräns {MAX_FILE_SIZE}); "
                                                  "filen lämnas orörd"])
        with open(src, "rb") as fh:
            st = os.fstat(fh.fileno())  # the file actually read (compared again before the replace)
            data = fh.read(MAX_FILE_SIZE + 1)
    except OSError as exc:
        return Row(src, "kan inte läsas", errors=[f"{src}: kan inte läsas ({exc.strerror or exc})"])
    except MemoryError:
        return Row(src, "kan inte läsas", errors=[f"{src}: kan inte läsas (minnet räcker inte); filen lämnas orörd"])
    try:
        outcome: Outcome = recalc_bytes(
            data, options.functions, options.overrides, write_errors=options.write_errors, full=options.full
        )
    except MemoryError:  # one file too large for this machine's memory: the batch goes on
        return Row(src, "för stor", errors=[f"{src}: minnet räcker inte till att räkna om filen; filen lämnas orörd"])
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch nor show a traceback
        return Row(src, "internt fel", errors=[f"{src}: internt fel ({type(exc).__name__}: {exc}); filen lämnas orörd"])
    row = Row(
        src, outcome.status, _money(outcome.skyddsbelopp), _money(outcome.distributed), _money(outcome.overskott),
        outcome.changed, False, [f"{src}: {e}" for e in outcome.errors], list(outcome.notes),
    )
    if options.dry_run:
        return row
    to_write = outcome.data
    if to_write is None and task.dest != src and not outcome.failed:
        to_write = data  # --out: the folder gets every good workbook, changed or not
    if to_write is None:
        return row
    in_place = os.path.abspath(task.dest) == os.path.abspath(src)
    dest = os.path.realpath(src) if in_place else task.dest  # a symbolic link: write through to its target
    refusal = _refusal(src, st) if in_place else None
    if refusal is not None:
        row.status = refusal[0]
        row.errors.append(refusal[1])
        return row
    try:
        atomic_write(dest, to_write, st.st_mode, owner=(st.st_uid, st.st_gid) if in_place else None,
                     expect=st if in_place else None)
        row.written = True
    except FileChanged:
        row.status = "ändrad under omräkningen"
        row.errors.append(f"{src}: filen ändrades (sparades av något annat program) medan recalc räknade; den "
                          "lämnas som den nu är – kör recalc igen")
    except OwnerNotKept as exc:
        row.status = "kan inte skrivas"
        row.errors.append(f"{src}: kan inte skrivas ({exc}: kör recalc som filens ägare); filen lämnas orörd")
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


def _watch_parent(parent: int) -> None:
    """Pool initializer: a worker ends as soon as the recalc process that started it dies (``kill -9`` of the
    parent must not leave workers rewriting files). On Linux the kernel sends the worker SIGKILL
    (``prctl(PR_SET_PDEATHSIG)``); everywhere a daemon thread also checks the parent's pid twice a second."""
    import signal
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the thread below suffices
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="recalc-parent-watch", daemon=True).start()


def worker_count(jobs: int, tasks: int) -> int:
    """``--jobs`` capped at the number of files and of cores (``--jobs 300`` for 3 files starts 2 or 3).

    >>> worker_count(300, 3) <= 3, worker_count(4, 1)
    (True, 1)
    """
    return max(1, min(jobs, tasks, os.cpu_count() or 1))


def _worker_died(task: Task) -> Row:
    return Row(task.src, "avbruten", errors=[
        f"{task.src}: en arbetsprocess dog under körningen (t.ex. slut på minne eller dödad); filen är den gamla "
        "eller den nya, aldrig en halv – kör recalc igen för den"])


def _isolated(task: Task, options: Options) -> Row:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        try:
            return pool.submit(_work, (task, options)).result()
        except BrokenProcessPool:
            return _worker_died(task)


def run_batch(tasks: list[Task], options: Options, jobs: int = 1, progress: bool = True) -> list[Row]:
    """Process the tasks (in ``jobs`` processes, capped by :func:`worker_count`) and return the rows in task
    order."""
    jobs = worker_count(jobs, len(tasks))
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
            from concurrent.futures.process import BrokenProcessPool

            with ProcessPoolExecutor(max_workers=jobs, initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
                chunk = max(1, min(16, len(tasks) // (jobs * 4)))
                try:
                    for row in pool.map(_work, [(t, options) for t in tasks], chunksize=chunk):
                        rows.append(row)
                        bar.update(1)
                except BrokenProcessPool:  # a worker was killed (out of memory, a signal): never a traceback
                    broken = True
                else:
                    broken = False
            if broken:  # the rest one by one, each in a process of its own: only the file that kills one fails
                for t in tasks[len(rows):]:
                    rows.append(_isolated(t, options))
                    bar.update(1)
    finally:
        bar.close()
    return rows


# ---------------------------------------------------------------- reports

def report_paths(prefix: str) -> tuple[str, str]:
    base = prefix
    for ext in (".csv", ".json"):
        if base.lower().endswith(ext):
            base = base[: -len(ext)]
    return base + ".csv", base + ".json"


#: bytes written (and removed) by :func:`check_report` to see that the report's disk has room
REPORT_PROBE = 64 * 1024


def check_report(prefix: str) -> str | None:
    """Why the report ``prefix.csv``/``prefix.json`` cannot be written (Swedish), or ``None``. Made before any
    workbook is touched: a folder of that name, a folder that cannot be made or written (``/dev/null/x``),
    a full disk (a probe of 64 kB is written, fsync'ed and removed). Nothing is left behind."""
    for path in report_paths(prefix):
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(path):
            return f"rapporten kan inte skrivas till {path}: det är en mapp"
        parent = folder
        while not os.path.exists(parent) and os.path.dirname(parent) != parent:
            parent = os.path.dirname(parent)
        if not os.path.isdir(parent):
            return f"rapporten kan inte skrivas till {path}: {parent} är ingen mapp"
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = temp_file(folder, temp_prefix(path))
        except OSError as exc:
            return f"rapporten kan inte skrivas till {path} ({exc.strerror or exc})"
        try:
            try:
                os.write(fd, b"\0" * REPORT_PROBE)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            return f"rapporten kan inte skrivas till {path} ({exc.strerror or exc})"
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return None


def write_reports(rows: list[Row], prefix: str) -> list[str]:
    """``prefix.csv`` and ``prefix.json``, one row per workbook; returns the paths written. Each is written
    atomically (a failure leaves no empty or half report; :class:`OSError` says why)."""
    import csv
    import io
    import json

    csv_path, json_path = report_paths(prefix)
    os.makedirs(os.path.dirname(os.path.abspath(csv_path)), exist_ok=True)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(REPORT_COLUMNS)
    for r in rows:
        w.writerow([r.path, r.status, _cell(r.skyddsbelopp), _cell(r.distributed), _cell(r.overskott),
                    r.cells_changed, "ja" if r.written else "nej", " | ".join(r.errors)])
    text = json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
    atomic_write(csv_path, buf.getvalue().encode("utf-8", "backslashreplace"), 0o666 & ~_umask())
    atomic_write(json_path, text.encode("utf-8", "backslashreplace"), 0o666 & ~_umask())
    return [csv_path, json_path]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cell(v) -> str:
    return "" if v is None else str(v)
