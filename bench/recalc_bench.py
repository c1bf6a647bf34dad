"""Batch recalculation against the peers, in one run, on the same generated workbooks.

For each size (20 and 1 000 rows) ``n`` workbooks (50) are generated without cached values
(:mod:`bench.workbooks`), then every contender recalculates the whole batch into a fresh folder:

* **LibreOffice** headless, one ``soffice --convert-to xlsx`` process for the batch, with a profile that
  always recalculates on load (``bench/peers/lo_profile_recalc.sh``, ``run_lo.sh``); whole process timed;
  outputs checked with ``bench/peers/verify.py``;
* the **formulas** library, in-process: ``ExcelModel().loads(f).finish()``, ``calculate()``, ``write()``
  per workbook; it is slow, so only a sample of the workbooks is run (the table says how many) and the
  time is scaled to the batch; outputs checked with ``verify.py``;
* the **floor**, in-process: read the file, open the zip, read (decompress) every member including the
  sheet XML, write them all to a new zip and the file; no parsing, no computation;
* **sakagare-xl recalc**, on our version of the workbooks (``TILLAGG`` in G): the in-process API
  (``sakagare_xl.recalc.batch.run_batch``) and the CLI (``python -m sakagare_xl recalc --out …``, whole
  process, interpreter start included), each with ``--jobs 1`` and ``--jobs 2``; outputs checked against
  ``sakmodel.compute``.

The ratios compare like with like where possible: the CLI (whole process) with LibreOffice (whole
process); the in-process API with the floor and the formulas library (in-process).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from . import workbooks as W
from .timing import fmt_s, median_time, table

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

    def run(self, src: Path, out: Path) -> None:
        subprocess.run(["sh", str(PEERS / "run_lo.sh"), str(self.profile), str(src), str(out)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)


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


def ours_cli(src: Path, out: Path, jobs: int) -> None:
    cmd = [sys.executable, "-m", "sakagare_xl", "recalc", "--jobs", str(jobs), "--out", str(out), "--no-progress",
           "--quiet", str(src)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stdout[-500:]} {r.stderr[-500:]}")


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

def run(quick: bool = False, sizes=(20, 1000), n_files: int | None = None, work: Path | None = None,
        skip_lo: bool = False, log=print) -> dict:
    n = n_files or (10 if quick else 50)
    lo_reps = 1 if quick else 3
    own_tmp = work is None
    work = Path(tempfile.mkdtemp(prefix="sakagare-bench-")) if work is None else work
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"n": n, "sizes": {}, "lo_version": None}
    lo = None
    if not skip_lo and soffice():
        lo = LibreOffice(work)
        results["lo_version"] = lo_version()
    try:
        for rows in sizes:
            log(f"  generating {n} + {n} workbooks of {rows} rows …")
            peer_src = W.make_peer(_fresh(work / f"peer{rows}"), n, rows)[0].parent
            our_src = W.make_ours(_fresh(work / f"ours{rows}"), n, rows)[0].parent
            res: dict = {}
            reps = 2 if quick else (5 if rows <= 100 else 3)

            # floor (in a fresh interpreter, see bench/_child.py)
            out = work / f"floor{rows}"
            t = _median(in_child("floor", peer_src, out, 1, reps))
            res["floor"] = {"time": t, "files": n, "runs": reps, "verified": "no computation"}
            log(f"  {rows} rows, floor: {fmt_s(t / n)} per file")

            # ours
            for kind, fn in (("api", ours_api), ("cli", ours_cli)):
                for jobs in (1, 2):
                    out = work / f"ours-{kind}{jobs}-{rows}"
                    if kind == "api":
                        t = _median(in_child("api", our_src, out, jobs, reps))
                    else:
                        t, _ = median_time(lambda: fn(our_src, out, jobs), reps, setup=lambda: _fresh(out))
                    checked, ok, bad = W.check_ours_dir(our_src, out)
                    res[f"{kind}{jobs}"] = {"time": t, "files": n, "runs": reps, "verified": f"{ok}/{checked}",
                                            "problems": bad[:3]}
                    log(f"  {rows} rows, recalc {kind} --jobs {jobs}: {fmt_s(t / n)} per file, correct {ok}/{checked}")

            # LibreOffice
            if lo is not None:
                out = work / f"lo{rows}"
                lo.run(peer_src, _fresh(work / "lo-warm"))  # first start initialises the profile
                t, _ = median_time(lambda: lo.run(peer_src, out), lo_reps, setup=lambda: _fresh(out))
                checked, ok, bad = W.check_peer_dir(peer_src, out)
                res["lo"] = {"time": t, "files": n, "runs": lo_reps, "verified": f"{ok}/{checked}", "problems": bad[:3]}
                log(f"  {rows} rows, LibreOffice: {fmt_s(t / n)} per file, correct {ok}/{checked}")

            # formulas (a sample: it is slow)
            sample = (3 if rows <= 100 else 1) if quick else (10 if rows <= 100 else 2)
            sample = min(sample, n)
            files = sorted(peer_src.glob("*.xlsx"))[:sample]
            try:
                import formulas  # noqa: F401
            except ImportError:
                log("  formulas not installed (pip install -e '.[bench]'); skipped")
            else:
                out = _fresh(work / f"formulas{rows}")
                small = W.make_peer(_fresh(work / "warm-formulas"), 1, 5)[0]
                per = sorted(in_child("formulas", small, out, *files))
                med = per[len(per) // 2]
                checked, ok, bad = W.check_peer_dir(peer_src, out, limit=sample)
                res["formulas"] = {"time": med * n, "files": sample, "runs": 1, "verified": f"{ok}/{checked}",
                                   "problems": bad[:3]}
                log(f"  {rows} rows, formulas: {fmt_s(med)} per file ({sample} files), correct {ok}/{checked}")
            results["sizes"][rows] = res
    finally:
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)
    return results


NAMES = {
    "lo": "LibreOffice headless (one process, always recalc)",
    "formulas": "formulas library (load, calculate, write)",
    "floor": "floor: read zip + all members, rewrite, no computation",
    "api1": "sakagare-xl recalc, in-process API, --jobs 1",
    "api2": "sakagare-xl recalc, in-process API, --jobs 2",
    "cli1": "sakagare-xl recalc, CLI (whole process), --jobs 1",
    "cli2": "sakagare-xl recalc, CLI (whole process), --jobs 2",
}


def render(data: dict) -> str:
    out = []
    n = data["n"]
    for rows, res in data["sizes"].items():
        lines = []
        for key in ("lo", "formulas", "floor", "api1", "api2", "cli1", "cli2"):
            if key not in res:
                continue
            r = res[key]
            per = r["time"] / n
            files = f"{r['files']} (scaled to {n})" if r["files"] != n else str(r["files"])
            wps = n / r["time"]
            lines.append([NAMES[key], f"{wps:.1f}" if wps >= 10 else f"{wps:.2f}", fmt_s(per), files, str(r["runs"]), r["verified"]])
        out.append(f"**{rows} rows per workbook, {n} workbooks**\n\n" +
                   table(["", "workbooks/s", "per workbook", "files", "runs (median)", "correct"], lines))

        def ratio(a: str, b: str) -> str | None:
            if a in res and b in res:
                return f"{res[b]['time'] / res[a]['time']:.1f}×"
            return None

        ratios = []
        for a, b, what in (("cli1", "lo", "throughput, us (CLI --jobs 1) / LibreOffice"),
                           ("cli2", "lo", "throughput, us (CLI --jobs 2) / LibreOffice"),
                           ("api1", "formulas", "throughput, us (API --jobs 1) / formulas"),
                           ("api1", "floor", "time, us (API --jobs 1) / floor  [read as: slower than the floor by]")):
            x = ratio(a, b)
            if x is None:
                continue
            if a == "api1" and b == "floor":
                x = f"{res['api1']['time'] / res['floor']['time']:.1f}×"
            ratios.append([what, x])
        if ratios:
            out.append(table(["ratio", str(rows) + " rows"], ratios))
        probs = [f"{k}: {p}" for k, r in res.items() for p in r.get("problems", [])]
        if probs:
            out.append("Problems found:\n" + "\n".join("- " + p for p in probs))
    return "\n\n".join(out)
