"""Old and new ``sakagare-xl recalc`` as whole processes, in turns: ``python -m bench.ab_recalc_cli [--old COMMIT]
[--rounds N] [--rows 20,1000] [--files 50]``.

The package of ``COMMIT`` (default 4f8b984, before the start-up round of issue 12) is unpacked with ``git archive``
into a temporary folder; in each round the old and then the new tree run the same commands as separate
processes (``python -m sakagare_xl …`` with the tree first on ``sys.path``, bytecode cached as for an installed
program, see ``bench.recalc_bench.cli_env``), and the **CPU time of each child** (user + system, from
``os.wait4``) is recorded. Printed: median and range per command and tree, and the median and range of the
per-round ratios old / new (> 1: the new code is faster). CPU time, because the machine is shared and wall times
move with the other jobs.

Commands: ``recalc --help`` (the start-up alone: the parser and what it imports), and ``recalc --out DIR
--jobs 1`` over a batch of the bench's workbooks (``bench.workbooks.make_ours``) for each size. After the timed
rounds the outputs of the last round are compared byte for byte (the proof that the change is a pure speed
change for these files).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import old as old_package

ROOT = Path(__file__).resolve().parents[1]


def run_cpu(cmd: list[str], cwd: Path, env: dict) -> tuple[float, bytes]:
    """Run ``cmd``; (the CPU seconds of that process and its children, its stdout)."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {out[-800:]!r}")
    return ru.ru_utime + ru.ru_stime, out


def same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ (or exist on one side only) between two output folders."""
    bad = []
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    for n in names:
        pa, pb = a / n, b / n
        if not (pa.exists() and pb.exists() and filecmp.cmp(pa, pb, shallow=False)):
            bad.append(n)
    return bad


def _spread(xs: list[float], fmt: str = "{:.1f}") -> str:
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="4f8b984", help="the commit to compare with")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--rows", default="20,1000", help="workbook sizes (comma-separated)")
    ap.add_argument("--files", type=int, default=50)
    args = ap.parse_args(argv)
    from . import workbooks as W

    sizes = [int(x) for x in args.rows.split(",") if x]
    with tempfile.TemporaryDirectory(prefix="ab-recalc-") as tmp:
        work = Path(tmp)
        old_tree = work / "old"
        old_tree.mkdir()
        old_package.unpack(args.old, old_tree)
        trees = {"old": old_tree, "new": ROOT}
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        srcs = {rows: W.make_ours(work / f"src{rows}", args.files, rows)[0].parent for rows in sizes}
        commands: dict[str, callable] = {"recalc --help": lambda out: ["recalc", "--help"]}
        for rows in sizes:
            commands[f"recalc --out, {args.files} × {rows} rows"] = (
                lambda out, s=srcs[rows]: ["recalc", "--jobs", "1", "--no-progress", "--quiet", "--out", str(out),
                                           str(s)])
        cpu: dict[tuple[str, str], list[float]] = {}
        outputs: dict[tuple[str, str], bytes] = {}
        for rnd in range(args.rounds + 1):  # round 0 warms the bytecode caches, not counted
            for k, (what, cmd) in enumerate(commands.items()):
                for tree_name, tree in trees.items():
                    out = work / f"out-{tree_name}-{k}"
                    if out.exists():
                        shutil.rmtree(out)
                    t, text = run_cpu([sys.executable, "-m", "sakagare_xl", *cmd(out)], tree, env)
                    outputs[(what, tree_name)] = text
                    if rnd:
                        cpu.setdefault((what, tree_name), []).append(t)
            print(f"round {rnd}/{args.rounds} done", file=sys.stderr, flush=True)
        try:
            load = "%.2f %.2f %.2f" % os.getloadavg()
        except OSError:
            load = "n/a"
        print(f"old = {args.old}, new = the working tree; {args.rounds} rounds; load average at the end {load}")
        print("| command | old CPU ms: median (min–max) | new CPU ms | old / new per round |")
        print("|---|---|---|---|")
        for what in commands:
            o, n = cpu[(what, "old")], cpu[(what, "new")]
            ratios = [a / b for a, b in zip(o, n)]
            print(f"| {what} | {_spread([x * 1000 for x in o])} | {_spread([x * 1000 for x in n])} | "
                  f"{_spread(ratios, '{:.2f}')}× |")
        for what in commands:
            if outputs[(what, "old")] != outputs[(what, "new")]:
                print(f"DIFFERENT output of {what}:\n{outputs[(what, 'old')][-500:]!r}\n{outputs[(what, 'new')][-500:]!r}")
        for k, rows in enumerate(sizes, 1):
            bad = same_tree(work / f"out-old-{k}", work / f"out-new-{k}")
            print(f"{rows} rows: written files " + ("byte-identical" if not bad else f"DIFFERENT: {bad[:5]}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
