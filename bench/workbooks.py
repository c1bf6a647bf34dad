"""The batch-recalculation workbooks: the peers' (ordinary formulas) and ours (our functions).

The peers' workbooks come from ``bench/peers/gen.py`` (the generator of the published baseline, copied
unchanged from ``shared/bench-peers``). Ours are the same workbooks, cell for cell and number for number
(same random draws), except that the tillägg column uses our function::

    G8 = TILLAGG(D8,$B$3,F8)          instead of  =D8*($B$4+($B$3+$B$5)*F8/12)

``TILLAGG`` is the JB 6 kap. 3 § ceiling, inteckning × (15 % + (referensränta + 4 %) × månader/12), which
is what the peers' formula computes with B4 = 15 % and B5 = 4 %; H..K and the totals stay ordinary Excel
formulas that depend on it (MIN, MAX, SUM). Both are written with openpyxl, so there are no cached values
in the files: a consumer has to compute every formula to show a number.

:func:`check_ours` verifies a recalculated copy against ``sakmodel.compute`` (the pure-Python reference
of the peers' numbers). ``TILLAGG`` returns kronor rounded to öre, so G is compared with a tolerance of
half an öre and the chain H..K is checked against the reference recomputed with G rounded to öre.
"""

from __future__ import annotations

import os
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

PEERS = Path(__file__).resolve().parent / "peers"
if str(PEERS) not in sys.path:
    sys.path.insert(0, str(PEERS))

import gen as peer_gen  # noqa: E402  (bench/peers/gen.py)
import sakmodel  # noqa: E402
import verify as peer_verify  # noqa: E402

OUR_G = "=TILLAGG(D{x},$B$3,F{x})"


def make_peer(folder: Path, n: int, rows: int, seed: int = 1) -> list[Path]:
    """``n`` peer workbooks of ``rows`` rows, exactly as ``gen.py OUTDIR n rows seed`` writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(n):
        p = folder / f"sak_r{rows}_{k:03d}.xlsx"
        peer_gen.make(str(p), rows, seed * 100003 + rows * 1009 + k)
        out.append(p)
    return out


def _make_ours(path: str, r: int, seed: int) -> None:
    """``gen.make`` with the tillägg formula replaced by ours (same draws, same numbers, same layout)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    SHEET, FIRST, totals_row = sakmodel.SHEET, sakmodel.FIRST, sakmodel.totals_row
    rnd = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "Sakägarförteckning"
    ws["A1"].font = Font(bold=True, size=14)
    rows = []
    for _ in range(r):
        d = rnd.randrange(50, 5000) * 1000
        e = round(d * rnd.uniform(0.4, 1.4), 2)
        m = rnd.randrange(0, 25)
        rows.append((d, e, m))
    ref = rnd.choice([0.0, 0.005, 0.01, 0.02, 0.025, 0.035, 0.04])
    secured_sum = sum(min(e, d * (1 + 0.15 + (ref + 0.04) * m / 12)) for d, e, m in rows)
    price = round(secured_sum * rnd.uniform(0.5, 0.8), -3)
    ws["A2"] = "Köpeskilling"
    ws["B2"] = price
    ws["A3"] = "Referensränta"
    ws["B3"] = ref
    ws["A4"] = "Tilläggsprocent"
    ws["B4"] = 0.15
    ws["A5"] = "Räntepåslag"
    ws["B5"] = 0.04
    ws["B2"].number_format = "#,##0"
    for c in ("B3", "B4", "B5"):
        ws[c].number_format = "0.00%"
    hdr = ["Nr", "Sakägare", "Rättighet", "Inteckningsbelopp", "Fordran", "Månader",
           "Tillägg", "Säkerställt", "Täckt belopp", "Återstår", "Ej täckt"]
    for j, h in enumerate(hdr, start=1):
        ws.cell(row=7, column=j, value=h).font = Font(bold=True)
    for n, (d, e, m) in enumerate(rows):
        x = FIRST + n
        ws.cell(row=x, column=1, value=n + 1)
        ws.cell(row=x, column=2, value=rnd.choice(peer_gen.NAMES))
        ws.cell(row=x, column=3, value="Panträtt (pantbrev)")
        ws.cell(row=x, column=4, value=d)
        ws.cell(row=x, column=5, value=e)
        ws.cell(row=x, column=6, value=m)
        ws.cell(row=x, column=7, value=OUR_G.format(x=x))
        ws.cell(row=x, column=8, value=f"=MIN(E{x},D{x}+G{x})")
        if n == 0:
            ws.cell(row=x, column=9, value=f"=MAX(0,MIN(H{x},$B$2))")
            ws.cell(row=x, column=10, value=f"=$B$2-I{x}")
        else:
            ws.cell(row=x, column=9, value=f"=MAX(0,MIN(H{x},J{x-1}))")
            ws.cell(row=x, column=10, value=f"=J{x-1}-I{x}")
        ws.cell(row=x, column=11, value=f"=E{x}-I{x}")
        for col in (4, 5, 7, 8, 9, 10, 11):
            ws.cell(row=x, column=col).number_format = "#,##0.00"
    t = totals_row(r)
    last = FIRST + r - 1
    ws.cell(row=t, column=2, value="Summa").font = Font(bold=True)
    for col in "DEGHIK":
        ws[f"{col}{t}"] = f"=SUM({col}{FIRST}:{col}{last})"
        ws[f"{col}{t}"].number_format = "#,##0.00"
    ws[f"J{t}"] = f"=$B$2-SUM(I{FIRST}:I{last})"
    for col, w in zip("ABCDEFGHIJK", (5, 24, 20, 18, 16, 9, 16, 16, 16, 16, 16)):
        ws.column_dimensions[col].width = w
    wb.save(path)


def make_ours(folder: Path, n: int, rows: int, seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(n):
        p = folder / f"sak_r{rows}_{k:03d}.xlsx"
        _make_ours(str(p), rows, seed * 100003 + rows * 1009 + k)
        out.append(p)
    return out


# ----------------------------------------------------------------------------------- verification

def check_peer_dir(src: Path, out: Path, limit: int | None = None) -> tuple[int, int, list[str]]:
    """``verify.py SRC OUT`` as a function: (checked, correct, first problems)."""
    outs = {f.lower(): f for f in os.listdir(out)}
    n = ok = 0
    bad: list[str] = []
    for f in sorted(os.listdir(src)):
        if not f.endswith(".xlsx"):
            continue
        if limit is not None and n >= limit:
            break
        n += 1
        if f.lower() not in outs:
            bad.append(f"{f}: missing output")
            continue
        problems = peer_verify.check(os.path.join(src, f), os.path.join(out, outs[f.lower()]))
        if problems:
            bad.append(f"{f}: {len(problems)} bad, e.g. {problems[:2]}")
        else:
            ok += 1
    return n, ok, bad


def _ore(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def check_ours(src: Path, out: Path) -> list[str]:
    """Problems in the recalculated copy ``out`` of our workbook ``src`` (empty list = correct)."""
    from openpyxl import load_workbook

    price, ref, pct, margin, data = peer_verify.read_inputs(str(src))
    exact, _ = sakmodel.compute(price, ref, pct, margin, data)
    # the reference chain with G in öre, as TILLAGG returns it
    rows = []
    remaining = price
    for (d, e, m), (g_exact, *_rest) in zip(data, exact):
        g = _ore(g_exact)
        h = min(e, d + g)
        i = max(0, min(h, remaining))
        remaining = remaining - i
        rows.append((g, h, i, remaining, e - i))
    sums = [sum(col) for col in zip(*rows)] if rows else [0.0] * 5
    totals = (sum(d for d, _, _ in data), sum(e for _, e, _ in data), sums[0], sums[1], sums[2], price - sums[2], sums[4])

    wb = load_workbook(str(out), read_only=True, data_only=True)
    ws = wb[sakmodel.SHEET]
    first, last_row = sakmodel.FIRST, sakmodel.totals_row(len(data))
    got = list(ws.iter_rows(min_row=first, max_row=last_row, min_col=4, max_col=11, values_only=True))
    wb.close()
    bad = []
    for n, (exp, ex) in enumerate(zip(rows, exact)):
        g = got[n]
        if g[3] is None or abs(float(g[3]) - ex[0]) > 0.005 + 1e-9:
            bad.append(f"G{first + n}: TILLAGG {g[3]!r} is not {ex[0]!r} rounded to öre")
        for name, ev, gv in zip("GHIJK", exp, g[3:8]):
            if not sakmodel.close(ev, gv):
                bad.append(f"{name}{first + n}: expected {ev!r} got {gv!r}")
    t = got[-1]
    for name, ev, gv in zip("DEGHIJK", totals, (t[0], t[1]) + tuple(t[3:8])):
        if name in "DE" and gv is None:
            # =SUM(D8:D..) and =SUM(E8:E..) depend on none of our functions: recalc leaves them as they are
            # (here: no cached value), by design (docs/recalc.md, "What is recomputed")
            continue
        if not sakmodel.close(ev, gv):
            bad.append(f"{name}{last_row}: expected {ev!r} got {gv!r}")
    return bad


def check_ours_dir(src: Path, out: Path) -> tuple[int, int, list[str]]:
    n = ok = 0
    bad: list[str] = []
    for f in sorted(os.listdir(src)):
        if not f.endswith(".xlsx"):
            continue
        n += 1
        if not (out / f).exists():
            bad.append(f"{f}: missing output")
            continue
        problems = check_ours(src / f, out / f)
        if problems:
            bad.append(f"{f}: {len(problems)} bad, e.g. {problems[:2]}")
        else:
            ok += 1
    return n, ok, bad
