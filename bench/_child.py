"""Time one in-process contender in a fresh interpreter, so that what the benchmark process itself keeps in
memory (generated workbooks, the formulas library's state, the engine benchmark's objects) does not slow the
garbage collector of the run being measured.

    python -m bench._child floor|floorc|api SRC OUT JOBS REPS  → JSON {"wall": [...], "cpu": [...]}: batch times (s),
                                                             one per run, wall and this process's CPU time
    python -m bench._child formulas WARM OUT FILE...        → JSON list of per-file times (s)
    python -m bench._child functions QUICK                  → JSON of bench.functions_bench.run (QUICK: 0 or 1)
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .floor import floor_compute_one
from .recalc_bench import _fresh, floor_one, formulas_one, ours_api


def main(argv: list[str]) -> list[float] | dict:  # noqa: C901
    kind = argv[0]
    if kind == "functions":
        from . import functions_bench

        return functions_bench.run(argv[1] == "1", log=lambda msg: print(msg, file=sys.stderr, flush=True))
    if kind == "formulas":
        warm, out, files = Path(argv[1]), Path(argv[2]), [Path(f) for f in argv[3:]]
        with tempfile.TemporaryDirectory() as tmp:
            formulas_one(warm, Path(tmp))  # imports, first-call set-up
        times = []
        for p in files:
            t0 = time.perf_counter()
            formulas_one(p, out)
            times.append(time.perf_counter() - t0)
        return times
    src, out, jobs, reps = Path(argv[1]), Path(argv[2]), int(argv[3]), int(argv[4])
    files = sorted(src.glob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:  # warm-up: imports and first calls, not timed
        one = Path(tmp) / "src"
        one.mkdir()
        shutil.copy(files[0], one)
        if kind == "api":
            ours_api(one, Path(tmp) / "out", jobs)
        elif kind == "floorc":
            floor_compute_one(files[0], Path(tmp) / "warm.xlsx")
        else:
            floor_one(files[0], Path(tmp) / "warm.xlsx")
    times = []
    cpu = []
    for _ in range(reps):
        _fresh(out)
        c0 = time.process_time()
        t0 = time.perf_counter()
        if kind == "api":
            ours_api(src, out, jobs)
        else:
            one_file = floor_compute_one if kind == "floorc" else floor_one
            for p in files:
                one_file(p, out / p.name)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)  # --jobs 2: the workers' time is not in it (not reported)
    return {"wall": times, "cpu": cpu}


if __name__ == "__main__":
    json.dump(main(sys.argv[1:]), sys.stdout)
