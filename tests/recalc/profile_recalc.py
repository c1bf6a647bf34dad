"""Time and profile recalc on the bench's generated workbooks (not a test; run by hand).

    python tests/recalc/profile_recalc.py [--rows 20,1000] [--n 20] [--profile] [--cli] [--tree DIR]

Uses ``bench.workbooks.make_ours`` (the peers' workbooks with ``G = TILLAGG(D,$B$3,F)``, no cached
values), then per size, in one process (imports and the first file excluded):

* ``floor``: the bench's floor (read the file, decompress every member, write them all again, no fsync);
* ``recalc_bytes``: read package → plan → evaluate → patch → new zip bytes, in memory;
* ``process``: ``batch.process`` per file with ``--out`` (file read, the above, atomic write with fsync);
* with ``--cli``: ``python -m sakagare_xl recalc --out`` over the folder (whole process, interpreter start);
* with ``--profile``: a cProfile of ``recalc_bytes`` over the files, top entries by own time.

``--tree DIR`` measures the ``sakagare_xl`` of another checkout (e.g. a ``git worktree`` of an older
commit), for before/after numbers on the same machine in the same minute.

Medians of a few runs are printed in milliseconds per file. Outputs are checked with the bench's
``check_ours`` (against ``sakmodel.compute``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TREE = ROOT
if "--tree" in sys.argv:  # before anything imports sakagare_xl
    TREE = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
    sys.path.insert(0, str(TREE))

from bench import workbooks as W  # noqa: E402
from bench.recalc_bench import floor_one  # noqa: E402
from sakagare_xl.recalc import batch  # noqa: E402
from sakagare_xl.recalc.core import recalc_bytes  # noqa: E402


def _median(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="20,1000")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--cli", action="store_true")
    ap.add_argument("--tree", default=None, help="the checkout whose sakagare_xl is measured")
    a = ap.parse_args()
    import sakagare_xl

    print(f"sakagare_xl from {Path(sakagare_xl.__file__).parent}")
    tmp = Path(tempfile.mkdtemp(prefix="recalc-profile-"))
    try:
        for rows in [int(x) for x in a.rows.split(",")]:
            src = tmp / f"src{rows}"
            files = W.make_ours(src, a.n, rows)
            datas = [p.read_bytes() for p in files]
            recalc_bytes(datas[0])  # imports, compile cache
            out = tmp / f"out{rows}"
            out.mkdir()
            floor = _median(lambda: [floor_one(p, out / p.name) for p in files], a.reps) / a.n * 1000
            mem = _median(lambda: [recalc_bytes(d) for d in datas], a.reps) / a.n * 1000
            opts = batch.Options()
            proc = _median(lambda: [batch.process(batch.Task(str(p), str(out / p.name)), opts) for p in files],
                           a.reps) / a.n * 1000
            bad = W.check_ours_dir(src, out)
            line = (f"{rows:5d} rows: floor {floor:7.2f} ms | recalc_bytes {mem:7.2f} ms ({mem / floor:.1f}× floor)"
                    f" | process (fsync) {proc:7.2f} ms | correct {bad[1]}/{bad[0]}")
            if a.cli:
                def cli():
                    shutil.rmtree(out, ignore_errors=True)
                    subprocess.run([sys.executable, "-m", "sakagare_xl", "recalc", "--out", str(out), "--no-progress",
                                    "--quiet", str(src)], check=True, cwd=TREE, stdout=subprocess.DEVNULL)
                line += f" | CLI {_median(cli, a.reps) / a.n * 1000:7.2f} ms"
            print(line, flush=True)
            if bad[2]:
                print("  problems:", bad[2][:2])
            if a.profile:
                pr = cProfile.Profile()
                pr.enable()
                for d in datas:
                    recalc_bytes(d)
                pr.disable()
                s = io.StringIO()
                pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(25)
                print(s.getvalue())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
