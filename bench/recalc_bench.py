"""Batch recalculation against the peers, in one run, on the same generated workbooks.

For each size (20 and 1 000 rows) ``n`` workbooks (50) are generated without cached values
(:mod:`bench.workbooks`), then, in each of several **rounds**, every contender recalculates the whole batch
into a fresh folder once; a ratio is taken per round (both sides ran under the same load) and reported as
the median and range over the rounds:

* **LibreOffice** headless, one ``soffice --convert-to xlsx`` process for the batch, with a profile that
  always recalculates on load (``bench/peers/lo_profile_recalc.sh``, ``run_lo.sh``); whole process timed;
  outputs checked with ``bench/peers/verify.py``;
* the **formulas** library, in-process: ``ExcelModel().loads(f).finish()``, ``calculate()``, ``write()``
  per workbook; it is slow, so only a sample of the workbooks is run once (the table says how many) and the
  time is scaled to the batch; outputs checked with ``verify.py``;
* the **computing floor** (:mod:`bench.floor`), in-process: read the sheet XML, compute the same values,
  patch them in, write durably; standard library only, written for this one layout; outputs checked like ours;
* the **zip floor**, in-process: read the file, open the zip, read (decompress) every member, write them all
  to a new zip and the file; no parsing, no computation;
* **sakagare-xl recalc**, on our version of the workbooks (``TILLAGG`` in G): the in-process API
  (``sakagare_xl.recalc.batch.run_batch``) and the CLI (``python -m sakagare_xl recalc --out …``, whole
  process, interpreter start included, bytecode cached as for an installed program: :func:`cli_env`), each
  with ``--jobs 1`` and ``--jobs 2``; outputs checked against ``sakmodel.compute``;
* with ``recalc --alla`` (detected from ``recalc --help``; another change adds it): the CLI on the peers'
  own workbooks (ordinary formulas only), checked with ``verify.py``, against LibreOffice on the same files.

Whole processes (LibreOffice, the CLI) also report their peak resident memory (:func:`run_measured`); one
workbook of about 800 000 cells gives the memory per cell (:func:`big_sheet`).

The ratios compare like with like where possible: the CLI (whole process) with LibreOffice (whole
process); the in-process API with the floors and the formulas library (in-process).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from . import workbooks as W
from .timing import fmt_s, table

PEERS = W.PEERS


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_version() -> str:
    exe = soffice()
    if not exe:
        return "not installed"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return out or "unknown"


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


# ------------------------------------------------------------------------------------ contenders

class LibreOffice:
    def __init__(self, work: Path):
        self.profile = work / "lo-profile"
        subprocess.run(["sh", str(PEERS / "lo_profile_recalc.sh"), str(self.profile)], check=True)

    def run(self, src: Path, out: Path) -> int:
        """One LibreOffice process for the folder; returns its peak memory (kB), as :func:`ours_cli` does."""
        return run_measured(["sh", str(PEERS / "run_lo.sh"), str(self.profile), str(src), str(out)], timeout=1800)[0]


def formulas_one(path: Path, out: Path) -> None:
    import contextlib

    import formulas

    with contextlib.redirect_stderr(io.StringIO()):  # formulas draws tqdm progress bars on stderr
        xl = formulas.ExcelModel().loads(str(path)).finish()
        xl.calculate()
        xl.write(dirpath=str(out))


def floor_one(path: Path, dest: Path) -> None:
    data = path.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    dest.write_bytes(buf.getvalue())


def ours_api(src: Path, out: Path, jobs: int) -> None:
    from sakagare_xl.recalc.batch import Options, expand, run_batch

    tasks, missing = expand([str(src)], str(out))
    rows = run_batch(tasks, Options(), jobs=jobs, progress=False)
    bad = [r for r in rows if r.failed] + missing
    if bad:
        raise RuntimeError(f"recalc failed: {bad[:2]}")


def cli_env(work: Path) -> dict:
    """The environment for the CLI processes: with bytecode caching (in ``work``), as an installed program
    runs. An environment with PYTHONDONTWRITEBYTECODE=1 (this project's sandbox has it) would make every CLI
    start compile its 30-odd modules again (about 0.2 s) and time that instead of the program."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def has_alla() -> bool:
    """Whether this build's ``recalc`` has ``--alla`` (recompute every formula, so that the peers' own
    workbooks, which use none of our functions, can be recalculated and compared with LibreOffice's)."""
    r = subprocess.run([sys.executable, "-m", "sakagare_xl", "recalc", "--help"], capture_output=True, text=True,
                       cwd=Path(__file__).resolve().parent.parent)
    return "--alla" in r.stdout


#: a small launcher that runs a command and prints its peak resident memory (kB) as the last line. The
#: benchmark process itself is large (it holds generated workbooks); a child forked straight from it
#: would count the parent's pages in its ``ru_maxrss`` until it execs, so the measured process is forked
#: from this small interpreter instead.
_LAUNCHER = ("import os, subprocess, sys\n"
             "p = subprocess.Popen(sys.argv[1:])\n"
             "_, st, ru = os.wait4(p.pid, 0)\n"
             "sys.stdout.flush()\n"
             "print('\\nRSS-KB', ru.ru_maxrss)\n"
             "sys.exit(os.waitstatus_to_exitcode(st))\n")


def run_measured(cmd: list[str], env: dict | None = None, timeout: float = 3600) -> tuple[int, str]:
    """Run a whole process; (its peak resident memory in kB (Linux ``ru_maxrss`` of that process and its
    descendants), its output). Raises when it fails."""
    r = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True, env=env,
                       timeout=timeout)
    text = r.stdout + r.stderr
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {text[-1000:]}")
    last = r.stdout.rstrip().rsplit("\n", 1)[-1].split()
    return int(last[1]), text


def ours_cli(src: Path, out: Path, jobs: int, env: dict | None = None, extra: tuple[str, ...] = ()) -> int:
    """Run the CLI as a whole process; returns its peak resident memory (kB)."""
    cmd = [sys.executable, "-m", "sakagare_xl", "recalc", "--jobs", str(jobs), "--out", str(out), "--no-progress",
           "--quiet", *extra, str(src)]
    return run_measured(cmd, env)[0]


def in_child(*args: object) -> list[float]:
    """Run ``python -m bench._child ARGS`` (a fresh interpreter) and return its list of times."""
    import json

    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, "-m", "bench._child", *map(str, args)], cwd=root, capture_output=True,
                       text=True, timeout=3600)
    if r.returncode != 0:
        raise RuntimeError(f"bench._child {args[0]} failed: {r.stderr[-2000:]}")
    return json.loads(r.stdout)


def _median(times: list[float]) -> float:
    import statistics

    return statistics.median(times)


# ------------------------------------------------------------------------------------ the run

def _entry(times: list[float], files: int, verified: str, problems: list[str] | None = None, **extra) -> dict:
    return {"time": _median(times), "times": times, "files": files, "runs": len(times), "verified": verified,
            "problems": (problems or [])[:3], **extra}


#: the contenders that issue 12's targets are measured on (``--recalc-targets``): LibreOffice, the CLI with
#: --jobs 1 (with and without --alla), the in-process API with --jobs 1 and the computing floor
TARGET_KEYS = ("lo", "alla1", "floorc", "api1", "cli1")


def run(quick: bool = False, sizes=(20, 1000), n_files: int | None = None, work: Path | None = None,
        skip_lo: bool = False, big_cells: int | None = None, log=print, targets_only: bool = False) -> dict:
    """Every contender once per round, ``reps`` rounds (so each round's ratios compare runs made under the
    same load), then a sample of the formulas library; the ratios are per round, reported as median and
    range. With ``big_cells`` also the memory of one CLI process on one sheet of that many cells. With
    ``targets_only`` only the contenders of :data:`TARGET_KEYS` (no formulas, zip floor or --jobs 2)."""
    n = n_files or (10 if quick else 50)
    own_tmp = work is None
    work = Path(tempfile.mkdtemp(prefix="sakagare-bench-")) if work is None else work
    work.mkdir(parents=True, exist_ok=True)
    env = cli_env(work)
    alla = has_alla()
    results: dict = {"n": n, "sizes": {}, "lo_version": None, "alla": alla, "targets_only": targets_only}
    wanted = set(TARGET_KEYS) if targets_only else None
    lo = None
    if not skip_lo and soffice():
        lo = LibreOffice(work)
        results["lo_version"] = lo_version()
    try:
        for rows in sizes:
            log(f"  generating {n} + {n} workbooks of {rows} rows …")
            peer_src = W.make_peer(_fresh(work / f"peer{rows}"), n, rows)[0].parent
            our_src = W.make_ours(_fresh(work / f"ours{rows}"), n, rows)[0].parent
            reps = 2 if quick else (5 if rows <= 100 else 3)
            times: dict[str, list[float]] = {}
            cpu: dict[str, list[float]] = {}
            rss: dict[str, list[int]] = {}
            outs: dict[str, Path] = {}
            # warm-up: CLI bytecode written, LibreOffice's profile initialised
            ours_cli(our_src, _fresh(work / "cli-warm"), 1, env)
            if lo is not None:
                lo.run(peer_src, _fresh(work / "lo-warm"))

            def timed(key: str, fn) -> None:
                if wanted is not None and key not in wanted:
                    return
                out = outs[key] = _fresh(work / f"{key}-{rows}")
                t0 = time.perf_counter()
                mem = fn(out)
                times.setdefault(key, []).append(time.perf_counter() - t0)
                if isinstance(mem, int):
                    rss.setdefault(key, []).append(mem)

            for rep in range(reps):
                log(f"  {rows} rows, round {rep + 1}/{reps} …")
                # in-process contenders, each in a fresh interpreter (bench/_child.py), timed there
                for key, kind, src, jobs in (("floor", "floor", peer_src, 1), ("floorc", "floorc", our_src, 1),
                                             ("api1", "api", our_src, 1), ("api2", "api", our_src, 2)):
                    if wanted is not None and key not in wanted:
                        continue
                    out = outs[key] = work / f"{key}-{rows}"
                    got = in_child(kind, src, out, jobs, 1)
                    times.setdefault(key, []).extend(got["wall"])
                    cpu.setdefault(key, []).extend(got["cpu"])
                # whole processes
                for jobs in (1, 2):
                    timed(f"cli{jobs}", lambda out, j=jobs: ours_cli(our_src, out, j, env))
                if alla:
                    timed("alla1", lambda out: ours_cli(peer_src, out, 1, env, ("--alla",)))
                if lo is not None:
                    timed("lo", lambda out: lo.run(peer_src, out))

            res: dict = {}
            for key, ts in times.items():
                if key == "floor":
                    res[key] = _entry(ts, n, "no computation", cpu=cpu.get(key))
                    continue
                if key in ("lo", "alla1"):
                    checked, ok, bad = W.check_peer_dir(peer_src, outs[key])
                else:
                    checked, ok, bad = W.check_ours_dir(our_src, outs[key])
                res[key] = _entry(ts, n, f"{ok}/{checked}", bad, rss=rss.get(key), cpu=cpu.get(key))
                log(f"  {rows} rows, {key}: {fmt_s(res[key]['time'] / n)} per file, correct {ok}/{checked}")

            # formulas (a sample: it is slow)
            sample = (3 if rows <= 100 else 1) if quick else (10 if rows <= 100 else 2)
            sample = min(sample, n)
            files = sorted(peer_src.glob("*.xlsx"))[:sample]
            try:
                if targets_only:
                    raise ImportError("not a target")
                import formulas  # noqa: F401
            except ImportError:
                if targets_only:
                    results["sizes"][rows] = res
                    continue
                log("  formulas not installed (pip install -e '.[bench]'); skipped")
            else:
                out = _fresh(work / f"formulas{rows}")
                small = W.make_peer(_fresh(work / "warm-formulas"), 1, 5)[0]
                per = sorted(in_child("formulas", small, out, *files))
                med = per[len(per) // 2]
                checked, ok, bad = W.check_peer_dir(peer_src, out, limit=sample)
                res["formulas"] = {"time": med * n, "times": [med * n], "files": sample, "runs": 1,
                                   "verified": f"{ok}/{checked}", "problems": bad[:3]}
                log(f"  {rows} rows, formulas: {fmt_s(med)} per file ({sample} files), correct {ok}/{checked}")
            results["sizes"][rows] = res
        if big_cells:
            results["big"] = big_sheet(work, big_cells, env, log)
    finally:
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)
    return results


def big_sheet(work: Path, cells: int, env: dict, log=print) -> dict:
    """Peak memory of one CLI process (``--jobs 1``) on one workbook whose sheet has about ``cells`` cells
    (our layout: 11 cells a row), and per cell above a 20-row workbook's process."""
    rows = max(20, cells // 11)
    src = _fresh(work / "big")
    log(f"  memory: generating one workbook of {rows} rows ({rows * 11} cells) …")
    W.make_ours(src, 1, rows)
    small = _fresh(work / "big-small")
    W.make_ours(small, 1, 20)
    base = ours_cli(small, _fresh(work / "big-small-out"), 1, env)
    t0 = time.perf_counter()
    peak = ours_cli(src, _fresh(work / "big-out"), 1, env)
    t = time.perf_counter() - t0
    checked, ok, bad = W.check_ours_dir(src, work / "big-out")
    n_cells = rows * 11 + 12  # the row cells and the header/inputs
    size = next(src.glob("*.xlsx")).stat().st_size
    log(f"  memory: {peak / 1024:.0f} MB peak for {n_cells} cells ({t:.1f} s), correct {ok}/{checked}")
    return {"rows": rows, "cells": n_cells, "peak_kb": peak, "base_kb": base, "time": t, "verified": f"{ok}/{checked}",
            "problems": bad[:3], "file_size": size}


NAMES = {
    "lo": "LibreOffice headless (one process, always recalc), peers' workbooks",
    "alla1": "sakagare-xl recalc --alla, CLI --jobs 1, peers' workbooks",
    "formulas": "formulas library (load, calculate, write)",
    "floor": "zip floor: read zip + all members, rewrite, no computation",
    "floorc": "computing floor: read sheet XML, compute, patch, write (bench/floor.py)",
    "api1": "sakagare-xl recalc, in-process API, --jobs 1",
    "api2": "sakagare-xl recalc, in-process API, --jobs 2",
    "cli1": "sakagare-xl recalc, CLI (whole process), --jobs 1",
    "cli2": "sakagare-xl recalc, CLI (whole process), --jobs 2",
}
ORDER = ("lo", "alla1", "formulas", "floor", "floorc", "api1", "api2", "cli1", "cli2")


def spread(values: list[float], fmt) -> str:
    """``median (min–max)``; just the value for one run."""
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(_median(values))} ({fmt(min(values))}–{fmt(max(values))})"


def paired(res: dict, num: str, den: str, what: str = "times") -> list[float] | None:
    """Per-round ratios ``num time / den time`` (rounds are paired: both ran in the same round); ``what`` =
    ``"cpu"``: of the CPU times (in-process contenders only)."""
    if num not in res or den not in res or not res[num].get(what) or not res[den].get(what):
        return None
    a, b = res[num][what], res[den][what]
    if len(a) != len(b):
        return [_median(a) / _median(b)]
    return [x / y for x, y in zip(a, b)]


#: the issue's rows: (label, sizes, how: "x" = our speed as a multiple of the other's, "slower" = our
#: time / the floor's ("slower-cpu": of the CPU times), target as text, target test)
RATIOS = (
    ("recalc CLI --jobs 1 vs LibreOffice (throughput ×)", "lo", "cli1", "x", "≥ 15×", {20: 15.0, 1000: 3.0}),
    ("recalc CLI --jobs 2 vs LibreOffice (throughput ×)", "lo", "cli2", "x", "", {}),
    ("recalc --alla on the peers' own workbooks vs LibreOffice (throughput ×)", "lo", "alla1", "x", "", {}),
    ("recalc API --jobs 1 vs the computing floor (time ×, lower is better)", "api1", "floorc", "slower", "≤ 1.5×",
     {20: 1.5, 1000: 1.5}),
    ("recalc API --jobs 1 vs the computing floor, CPU time (×, lower is better)", "api1", "floorc", "slower-cpu",
     "≤ 1.5×", {20: 1.5, 1000: 1.5}),
    ("recalc API --jobs 1 vs the zip floor (time ×)", "api1", "floor", "slower", "", {}),
    ("recalc API --jobs 1 vs formulas (throughput ×)", "formulas", "api1", "x", "", {}),
)


def ratio_rows(data: dict) -> list[dict]:
    """The issue's recalc rows as data: label, size, per-round ratios, target."""
    out = []
    for rows, res in data["sizes"].items():
        for label, num, den, how, _t, targets in RATIOS:
            rs = paired(res, num, den, "cpu" if how == "slower-cpu" else "times")
            if rs is None:
                continue
            target = targets.get(rows)
            met = None if target is None else (min(rs) >= target if how == "x" else max(rs) <= target)
            med_met = None if target is None else (_median(rs) >= target if how == "x" else _median(rs) <= target)
            out.append({"label": label, "rows": rows, "ratios": rs, "target": target, "how": how, "met": met,
                        "median_met": med_met})
    return out


def render(data: dict) -> str:
    out = []
    n = data["n"]
    for rows, res in data["sizes"].items():
        lines = []
        for key in ORDER:
            if key not in res:
                continue
            r = res[key]
            files = f"{r['files']} (scaled to {n})" if r["files"] != n else str(r["files"])
            mem = ""
            if r.get("rss"):
                mem = spread([m / 1024 for m in r["rss"]], lambda x: f"{x:.0f} MB")
            lines.append([NAMES[key], spread([t / n for t in r["times"]], fmt_s),
                          f"{n / r['time']:.1f}" if n / r["time"] >= 10 else f"{n / r['time']:.2f}",
                          files, str(r["runs"]), mem, r["verified"]])
        out.append(f"**{rows} rows per workbook, {n} workbooks**\n\n" +
                   table(["", "per workbook: median (min–max)", "workbooks/s", "files", "runs", "peak memory",
                          "correct"], lines))
        rr = [x for x in ratio_rows(data) if x["rows"] == rows]
        if rr:
            out.append(table(["ratio, per round", f"{rows} rows: median (min–max)", "target"],
                             [[x["label"], spread(x["ratios"], lambda v: f"{v:.2f}×"),
                               "" if x["target"] is None else ("≥ " if x["how"] == "x" else "≤ ") + f"{x['target']:g}×"]
                              for x in rr]))
        probs = [f"{k}: {p}" for k, r in res.items() for p in r.get("problems", [])]
        if probs:
            out.append("Problems found:\n" + "\n".join("- " + p for p in probs))
    if not data.get("alla"):
        out.append("`recalc --alla` is not in this build (detected from `recalc --help`): the comparison on the "
                   "peers' own workbooks (ordinary formulas only) is skipped; it runs by itself once the flag exists.")
    big = data.get("big")
    if big:
        per = (big["peak_kb"] - big["base_kb"]) * 1024 / big["cells"]
        out.append(table(["memory, one CLI process (--jobs 1)", "value"], [
            ["one sheet of", f"{big['cells']:,} cells ({big['rows']:,} rows)".replace(",", " ")
             + f", file {big['file_size'] / 1e6:.1f} MB"],
            ["peak resident memory", f"{big['peak_kb'] / 1024:.0f} MB (time {big['time']:.1f} s, correct {big['verified']})"],
            ["the same process on a 20-row workbook", f"{big['base_kb'] / 1024:.0f} MB"],
            ["per cell (difference / cells)", f"{per / 1024:.2f} kB"],
        ]))
    return "\n\n".join(out)
