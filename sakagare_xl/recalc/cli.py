"""``sakagare-xl recalc PATH...``: recalculate saved workbooks without Excel.

Exit status: 0 when every workbook was recalculated (or needed no change), 1 when anything failed
(a bad file, an unknown function, a formula error, a write error), 2 for bad command-line options.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import sys

HELP = "Räkna om sparade arbetsböcker (.xlsx/.xlsm) utan Excel och skriv in de nya värdena."


def _date(text: str) -> float:
    try:
        d = _dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"ogiltigt datum '{text}' (skriv ÅÅÅÅ-MM-DD)") from None
    from ..engine.model import dag_utanfor
    from .formula import date_to_serial

    if dag_utanfor(d):
        raise argparse.ArgumentTypeError(dag_utanfor(d))
    return float(date_to_serial(d))


def _number(text: str) -> float:
    t = re.sub(r"[\s\u00a0_]", "", text).replace(",", ".")
    if t.lower().endswith("kr"):
        t = t[:-2]
    from decimal import Decimal, InvalidOperation

    from ..engine.model import MAX_BELOPP, tusental

    try:
        d = Decimal(t)
    except (InvalidOperation, ValueError):
        raise argparse.ArgumentTypeError(f"ogiltigt belopp '{text}'") from None
    if not d.is_finite():
        raise argparse.ArgumentTypeError(f"ogiltigt belopp '{text}' (ett ändligt tal väntades)")
    if d < 0:
        raise argparse.ArgumentTypeError(f"beloppet får inte vara negativt ('{text}')")
    if d > MAX_BELOPP:
        raise argparse.ArgumentTypeError(f"beloppet '{text}' är orimligt stort (högst {tusental(MAX_BELOPP)} kr)")
    return float(d)


def _rate(text: str) -> float:
    """``--referensranta``: ``2%`` / ``2,5 %`` (percent) or ``0,02`` (a fraction, as the cell stores it);
    a bare ``2`` is refused with both readings, and the range is the one of every other place a rate is
    typed (:mod:`sakagare_xl.engine.rantesats`). Returns the fraction written into the cell."""
    from ..engine.errors import SakagareError
    from ..engine.rantesats import fran_andel

    try:
        return float(fran_andel(text) / 100)
    except SakagareError as exc:
        raise argparse.ArgumentTypeError(exc.detail) from None


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "recalc",
        help=HELP,
        description=HELP + " Bara formler som använder sakägarfunktionerna, formler som beror på dem och "
        "formler utan sparat värde räknas om (med --alla: alla formler); allt annat i filen lämnas byte för "
        "byte. En arbetsbok utan sakägarfunktioner hoppas över (inget att räkna om). Se docs/recalc.md.",
    )
    p.add_argument("paths", nargs="+", metavar="SÖKVÄG", help="filer, mappar eller mönster (t.ex. 'mapp/**/*.xlsx')")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="antal processer (0 = alla kärnor; standard 1)")
    p.add_argument("--dry-run", action="store_true", help="räkna och rapportera, men skriv inga filer")
    p.add_argument("--out", metavar="MAPP", help="skriv de omräknade filerna hit i stället för över originalen")
    p.add_argument("--report", metavar="PREFIX", help="skriv rapporten till PREFIX.csv och PREFIX.json")
    p.add_argument("--fordelningsdag", type=_date, metavar="ÅÅÅÅ-MM-DD",
                   help="sätt fördelningsdagen (namnet Fordelningsdag) i varje arbetsbok")
    p.add_argument("--sakagarforteckningsdag", type=_date, metavar="ÅÅÅÅ-MM-DD",
                   help="sätt sakägarförteckningsdagen (namnet Sakagarforteckningsdag)")
    p.add_argument("--referensranta", type=_rate, metavar="RÄNTA",
                   help="sätt referensräntan (namnet Referensranta): 2%% eller 0,02 (en andel); en ensam 2 vägras")
    p.add_argument("--kopeskilling", type=_number, metavar="KRONOR",
                   help="sätt köpeskillingen (namnet Kopeskilling)")
    p.add_argument("--skriv-fel", action="store_true", dest="write_errors",
                   help="skriv filen även när en sakägarfunktion ger fel (cellen får felmeddelandet, "
                   "som i Excel); annars lämnas sådana filer orörda")
    p.add_argument("--alla", action="store_true", dest="full",
                   help="räkna om alla formler som går att räkna ut, också de som inte beror på "
                   "sakägarfunktionerna (en full omräkning, som LibreOffices); då räknas även arbetsböcker "
                   "utan sakägarfunktioner om")
    p.add_argument("--excel", action="store_true",
                   help="låt Microsoft Excel räkna om och spara (via xlwings; bara Windows/macOS)")
    p.add_argument("--no-progress", action="store_true", help="ingen förloppsindikator")
    p.add_argument("--quiet", "-q", action="store_true", help="skriv bara fel och sammanfattning")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, functions: dict | None = None) -> int:
    from ..cli import imports_without_gc

    with imports_without_gc():
        from .batch import Options, check_report, expand, run_batch, write_reports

    if args.report:  # before any workbook is touched (issue 10)
        problem = check_report(args.report)
        if problem:
            print(f"fel: {problem}; inga arbetsböcker har rörts", file=sys.stderr)
            return 2
    tasks, rows_missing = expand(args.paths, args.out)
    overrides = {
        k: getattr(args, k)
        for k in ("fordelningsdag", "referensranta", "kopeskilling", "sakagarforteckningsdag")
        if getattr(args, k, None) is not None
    }
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    if args.excel:
        from .excel import ExcelUnavailable, run_excel

        if overrides:
            print("fel: --excel går inte att kombinera med --fordelningsdag/--referensranta/--kopeskilling/"
                  "--sakagarforteckningsdag", file=sys.stderr)
            return 2
        try:
            rows = run_excel(tasks, args.dry_run)
        except ExcelUnavailable as exc:
            print(f"fel: {exc}", file=sys.stderr)
            return 1
    else:
        if functions is None:
            try:
                with imports_without_gc():
                    from .core import default_functions

                    functions = default_functions()
            except ImportError as exc:
                print(f"fel: sakägarfunktionerna går inte att läsa in ({exc})", file=sys.stderr)
                return 1
        options = Options(functions, overrides, args.dry_run, args.write_errors, getattr(args, "full", False))
        try:
            rows = run_batch(tasks, options, jobs, progress=not args.no_progress)
        except KeyboardInterrupt:
            print("avbrutet: filer som redan skrivits är klara, övriga är orörda", file=sys.stderr)
            return 1
    rows = rows_missing + rows
    ok = changed = unchanged = failed = skipped = 0
    for r in rows:
        if r.failed:
            failed += 1
            print(f"FEL  {r.path}: {r.status}")
            for e in r.errors:
                print(f"     {e}")
        else:
            ok += 1
            if r.status == "oförändrad":
                unchanged += 1
            elif r.status == "inget att räkna om":
                skipped += 1
            else:
                changed += 1
            if not args.quiet:
                extra = f", {r.cells_changed} celler ändrade" if r.cells_changed else ""
                note = " (inte skriven: --dry-run)" if args.dry_run and r.cells_changed else ""
                print(f"{'OK  ' if r.status != 'inget att räkna om' else '--  '} {r.path}: {r.status}{extra}{note}")
                for n in getattr(r, "notes", ()):
                    print(f"     {n}")
    if args.report:
        try:
            paths = write_reports(rows, args.report)
        except OSError as exc:
            print(f"fel: rapporten kunde inte skrivas ({exc.strerror or exc}); arbetsböckerna ovan är ändå "
                  "behandlade", file=sys.stderr)
            failed += 1
        else:
            if not args.quiet:
                print("rapport: " + ", ".join(paths))
    print(f"{len(rows)} arbetsböcker: {changed} omräknade, {unchanged} oförändrade, "
          + (f"{skipped} utan något att räkna om, " if skipped else "") + f"{failed} med fel"
          + (" (torrkörning, inget skrevs)" if args.dry_run else ""))
    return 1 if failed else 0
