"""Measure recalc against the floor (not a test; run by hand, numbers go to docs/recalc.md).

    python tests/recalc/bench_recalc.py [N_FILES] [ROWS]

Generates N (default 50) workbooks of ROWS (default 20) rows: per row an inteckning, a claim,
``=TILLAGG(B,0.02,6)`` (ours) and ``=MIN(C,B+D)`` (ordinary, depends on ours), plus ``=SUM`` totals.
Every cached value is stale. Then, inside one process (interpreter start-up excluded):

* floor: read the file, read the sheet XML from the zip, call TILLAGG per row directly, compute the MIN
  and SUM in Python, patch the ``<v>`` values with one regex, write the zip (zipfile) and the file;
* recalc: ``batch.process`` per file (read, plan, evaluate, patch, raw zip copy, atomic write with fsync);
* recalc on the template examples (workbook/*.xlsx), made stale, for the real-world shape.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import xlsxwriter

from sakagare_xl.adapters.functions import FUNCTIONS
from sakagare_xl.recalc import batch, formula


def generate(folder: Path, n: int, rows: int) -> list[Path]:
    out = []
    for k in range(n):
        p = folder / f"bok{k:03d}.xlsx"
        wb = xlsxwriter.Workbook(str(p))
        ws = wb.add_worksheet("Sak")
        ws.write_row(0, 0, ["Id", "Inteckning", "Fordran", "Tillägg", "Förmånsrätt"])
        for i in range(rows):
            r = i + 2
            ws.write_string(r - 1, 0, f"P{k}-{i}")
            ws.write_number(r - 1, 1, 100000 * (1 + (i + k) % 7))
            ws.write_number(r - 1, 2, 90000 * (1 + (i * 3 + k) % 9))
            ws.write_formula(r - 1, 3, f"=TILLAGG(B{r},0.02,6)", None, 0)
            ws.write_formula(r - 1, 4, f"=MIN(C{r},B{r}+D{r})", None, 0)
        last = rows + 1
        ws.write_formula(rows + 1, 3, f"=SUM(D2:D{last})", None, 0)
        ws.write_formula(rows + 1, 4, f"=SUM(E2:E{last})", None, 0)
        wb.close()
        out.append(p)
    return out


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*)><f>[^<]*</f><v>[^<]*</v></c>')


def floor_one(path: Path, dest: Path, fsync: bool = False) -> None:
    data = path.read_bytes()
    zin = zipfile.ZipFile(io.BytesIO(data))
    xml = zin.read("xl/worksheets/sheet1.xml")
    # inputs: a regex over the number cells of columns B and C
    nums = {(m.group(1), int(m.group(2))): float(m.group(3))
            for m in re.finditer(rb'<c r="([BC])(\d+)"[^>]*><v>([^<]*)</v></c>', xml)}
    rows = sorted({r for _, r in nums})
    vals = {}
    for r in rows:
        d = FUNCTIONS["TILLAGG"](nums[(b"B", r)], 0.02, 6)
        vals[(b"D", r)] = d
        vals[(b"E", r)] = min(nums[(b"C", r)], nums[(b"B", r)] + d)
    total = rows[-1] + 1
    vals[(b"D", total)] = sum(vals[(b"D", r)] for r in rows)
    vals[(b"E", total)] = sum(vals[(b"E", r)] for r in rows)

    def sub(m):
        v = vals.get((m.group(1), int(m.group(2))))
        if v is None:
            return m.group(0)
        return m.group(0)[: m.group(0).rfind(b"<v>")] + b"<v>" + repr(v).encode() + b"</v></c>"

    xml = _CELL.sub(sub, xml)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info))
    if fsync:
        batch.atomic_write(str(dest), buf.getvalue())
    else:
        dest.write_bytes(buf.getvalue())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    tmp = Path(tempfile.mkdtemp(prefix="recalc-bench-"))
    try:
        files = generate(tmp / "src", n, rows) if (tmp / "src").mkdir() is None else []
        # floor
        (tmp / "floor").mkdir()
        t = time.perf_counter()
        for p in files:
            floor_one(p, tmp / "floor" / p.name)
        floor = (time.perf_counter() - t) / n * 1000
        t = time.perf_counter()
        for p in files:
            floor_one(p, tmp / "floor" / p.name, fsync=True)
        floor_fsync = (time.perf_counter() - t) / n * 1000
        # recalc, in place on a copy, one process
        shutil.copytree(tmp / "src", tmp / "rc")
        opts = batch.Options(FUNCTIONS)
        t = time.perf_counter()
        rows_out = [batch.process(batch.Task(str(p), str(p)), opts) for p in sorted((tmp / "rc").glob("*.xlsx"))]
        rc = (time.perf_counter() - t) / n * 1000
        assert all(r.status == "ok" for r in rows_out), rows_out[0]
        # warm (compiled-formula cache filled): run again on stale copies
        shutil.rmtree(tmp / "rc")
        shutil.copytree(tmp / "src", tmp / "rc")
        t = time.perf_counter()
        for p in sorted((tmp / "rc").glob("*.xlsx")):
            batch.process(batch.Task(str(p), str(p)), opts)
        rc_warm = (time.perf_counter() - t) / n * 1000
        from sakagare_xl.recalc.core import recalc_bytes

        datas = [p.read_bytes() for p in files]
        t = time.perf_counter()
        for d in datas:
            recalc_bytes(d, FUNCTIONS)
        mem = (time.perf_counter() - t) / n * 1000
        print(f"{n} workbooks × {rows} rows ({rows * 2 + 2} formulas each)")
        print(f"  floor  : {floor:6.2f} ms/file; with the same atomic write + fsync as recalc: {floor_fsync:6.2f}")
        print(f"  recalc : {rc:6.2f} ms/file (cold compile cache), {rc_warm:6.2f} ms/file (warm)"
              f" = {rc_warm / floor_fsync:.2f}× the fsync'ed floor; formula cache {formula.stats}")
        print(f"  recalc in memory (no file read/write/fsync): {mem:6.2f} ms/file = {mem / floor:.2f}× floor")
        # template examples
        from tests.recalc.test_template import stale  # noqa: E402 - shares the stale-making helper

        for wbp in sorted((Path(__file__).resolve().parents[2] / "workbook").glob("*.xlsx")):
            data = stale(wbp.read_bytes())
            q = tmp / wbp.name
            reps = 5
            t = time.perf_counter()
            for _ in range(reps):
                q.write_bytes(data)
                r = batch.process(batch.Task(str(q), str(q)), opts)
            ms = (time.perf_counter() - t) / reps * 1000
            print(f"  template {wbp.name:24s}: {ms:7.1f} ms/file ({r.status}, {r.cells_changed} cells changed)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main()
