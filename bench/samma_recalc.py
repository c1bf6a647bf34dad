"""Same output from the old and the new recalc: ``python -m bench.samma_recalc --old COMMIT [--quick]``.

The ``sakagare_xl`` of ``COMMIT`` is unpacked with ``git archive`` into a temporary folder; both it and
the working tree's run ``sakagare-xl recalc --out DIR --report PREFIX`` (a whole CLI process each) over
the same input sets with the same options, and every written file is compared byte for byte, and the
report (CSV and JSON), the standard output, the standard error and the exit status as text. A speed
change must leave all of them as they were (docs/performance.md).

Input sets (made once, in a temporary folder):

* the bench's workbooks (``bench/workbooks.py``), ours and the peers', 20 and 1 000 rows;
* the peers' generator itself (``bench/peers/gen.py``), 1 and 50 rows;
* ``workbook/*.xlsx`` as shipped (cached values), and with every cached value dropped by openpyxl;
* seeded random workbooks (``tests/recalc/random_workbooks.py``), and the same after random input changes;
* the old code's own outputs of the bench's 20-row workbooks fed in again (cached values now present).

Options: none, ``--alla``, the four overrides, the overrides with ``--alla``, and ``--skriv-fel``.
Exit status 0 when everything is identical, 1 on the first set with a difference (all are still run and
each difference is printed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import old as old_package

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OPTIONS = {
    "plain": [],
    "alla": ["--alla"],
    "overrides": ["--kopeskilling", "1 234 567", "--referensranta", "2,5 %", "--fordelningsdag", "2025-06-30",
                  "--sakagarforteckningsdag", "2025-05-02"],
    "overrides-alla": ["--alla", "--kopeskilling", "900000", "--referensranta", "0,01"],
    "skriv-fel": ["--skriv-fel", "--fordelningsdag", "1990-01-01"],  # errors of our functions, written
}


def _inputs(base: Path, quick: bool) -> dict[str, Path]:
    from bench import workbooks as W
    from tests.recalc import random_workbooks as R
    sys.path.insert(0, str(ROOT / "bench" / "peers"))
    import gen as peer_gen
    import openpyxl

    n_big = 2 if quick else 4
    sets = {}
    for rows, n in ((20, 6), (1000, n_big)):
        W.make_ours(base / f"ours{rows}", n, rows)
        sets[f"ours{rows}"] = base / f"ours{rows}"
        W.make_peer(base / f"peer{rows}", n, rows)
        sets[f"peer{rows}"] = base / f"peer{rows}"
    gdir = base / "gen"
    gdir.mkdir()
    for rows, seed in ((1, 7), (50, 8), (50, 9)):
        peer_gen.make(str(gdir / f"gen_r{rows}_{seed}.xlsx"), rows, seed)
    sets["gen"] = gdir
    shipped = base / "shipped"
    stale = base / "shipped-stale"
    shipped.mkdir()
    stale.mkdir()
    for p in sorted((ROOT / "workbook").glob("*.xlsx")):
        (shipped / p.name).write_bytes(p.read_bytes())
        wb = openpyxl.load_workbook(p)
        wb.save(stale / p.name)  # openpyxl drops every cached value
    sets["shipped"] = shipped
    sets["shipped-stale"] = stale
    rdir = base / "random"
    rdir.mkdir()
    for seed in range(8 if quick else 24):
        data = R.make(seed)
        (rdir / f"r{seed:03d}.xlsx").write_bytes(data)
        (rdir / f"r{seed:03d}c.xlsx").write_bytes(R.change_inputs(data, seed + 1000))
    sets["random"] = rdir
    return sets


def _run(tree: Path, src: Path, out: Path, opts: list[str]) -> tuple[str, dict[str, bytes]]:
    report = out.parent / (out.name + "-report")
    env = dict(os.environ, PYTHONPATH=str(tree))
    p = subprocess.run([sys.executable, "-m", "sakagare_xl", "recalc", "--out", str(out), "--report", str(report),
                        "--no-progress", *opts, str(src)], cwd=str(tree), env=env, capture_output=True)
    texts = {}
    for suffix in (".csv", ".json"):
        f = Path(str(report) + suffix)
        texts[suffix] = f.read_bytes().replace(str(out).encode(), b"OUT") if f.exists() else b"(none)"
    text = (f"exit {p.returncode}\n" + p.stdout.decode("utf-8", "replace").replace(str(out), "OUT")
            + "\n--stderr--\n" + p.stderr.decode("utf-8", "replace").replace(str(out), "OUT"))
    return text, texts


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True, help="the commit to compare with")
    ap.add_argument("--quick", action="store_true", help="fewer 1 000-row and random workbooks")
    args = ap.parse_args(argv)
    bad = 0
    rows = 0
    with tempfile.TemporaryDirectory(prefix="samma-recalc-") as tmp:
        tmp = Path(tmp)
        old_tree = tmp / "old"
        old_tree.mkdir()
        old_package.unpack(args.old, old_tree)
        sets = _inputs(tmp / "in", args.quick)
        # the old code's outputs fed in again: formulas with cached values
        again = tmp / "in" / "again"
        _run(old_tree, sets["ours20"], again, [])
        sets["again"] = again
        files = 0
        for name, src in sets.items():
            for oname, opts in OPTIONS.items():
                outs = {}
                for which, tree in (("old", old_tree), ("new", ROOT)):
                    out = tmp / "out" / which / name / oname
                    out.parent.mkdir(parents=True, exist_ok=True)
                    text, reports = _run(tree, src, out, opts)
                    outs[which] = (text, reports, _files(out) if out.exists() else {})
                (to, ro, fo), (tn, rn, fn) = outs["old"], outs["new"]
                diffs = []
                if to != tn:
                    diffs.append(f"output differs:\n--- old\n{to}\n--- new\n{tn}")
                for k in ro:
                    if ro[k] != rn[k]:
                        diffs.append(f"report {k} differs")
                if fo.keys() != fn.keys():
                    diffs.append(f"files written differ: old {sorted(fo)} new {sorted(fn)}")
                for k in fo.keys() & fn.keys():
                    if fo[k] != fn[k]:
                        diffs.append(f"file {k} differs")
                files += len(fo)
                rows += 1
                status = "same" if not diffs else "DIFFERENT"
                print(f"{name:14s} {oname:15s} {len(fo):3d} files written, {to.count(chr(10)):3d} lines: {status}",
                      flush=True)
                for d in diffs[:6]:
                    print("   ", d[:3000])
                bad += bool(diffs)
    print(f"{rows} runs × 2 trees, {files} written files compared: "
          + ("all identical" if not bad else f"{bad} runs differ"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
