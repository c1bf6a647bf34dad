"""``sakagare-xl sammanstall PATH… [--ut tabell.xlsx|.csv|.parquet]``: many cases in one table, and price
scenarios for a portfolio. See docs/pandas.md.

Exit status: 0 when every file was computed, 1 when some file failed (its row has the Swedish error in
``Fel``, it is listed on stderr, and the rest of the table is still written), 2 for bad options or a
missing package (pandas, pyarrow).
"""

from __future__ import annotations

import argparse
import csv
import sys

HELP = "sammanställ många ärenden (TOML, JSON, ifyllda mallar) i en tabell, med prisscenarier om så önskas"


def _priser(text: str) -> list[str]:
    """``1000000,2000000`` or ``1 000 000; 2 000 000`` (a decimal comma needs ``;`` between prices)."""
    parts = text.split(";") if ";" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def _andringar(text: str) -> list[str]:
    """``-10%,-20%,-30%`` or ``-0.1,-0.2`` (``;`` also separates)."""
    parts = text.split(";") if ";" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sammanstall",
        help=HELP,
        description="Läser ärendefiler (.toml, .json) och ifyllda mallar (.xlsx, .xlsm) – filer, mappar eller "
        "mönster – och ger en rad per ärende (eller per fordran) med skyddsbelopp, lägsta bud, köpeskilling, "
        "utdelat, överskott och brist. Filer med fel får felet i kolumnen Fel; resten räknas ändå. "
        "Med --priser eller --andringar: fördelningen vid varje pris (stresstest). Kräver pandas "
        "(pip install 'sakagare_xl[pandas]'); .parquet kräver dessutom pyarrow ('sakagare_xl[parquet]').",
    )
    p.add_argument("paths", nargs="+", metavar="SÖKVÄG", help="filer, mappar eller mönster (t.ex. 'arkiv/**/*.toml')")
    p.add_argument("--ut", metavar="FIL", help="skriv tabellen till FIL (.xlsx, .csv eller .parquet); "
                   "annars skrivs den som text")
    p.add_argument("--per-fordran", action="store_true", help="en rad per fordran i stället för per ärende")
    p.add_argument("--ore", action="store_true", help="belopp som heltal i öre (kolumner '… (öre)') i stället för "
                   "kronor med två decimaler")
    p.add_argument("--forklaring", action="store_true", help="med --per-fordran: ta med varje fordrans förklaring")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--priser", type=_priser, metavar="PRISER",
                   help="fördelningen vid dessa priser, t.ex. 3000000,3500000 (eller '3 000 000; 3 500 000')")
    g.add_argument("--andringar", type=_andringar, metavar="ÄNDRINGAR",
                   help="fördelningen vid dessa ändringar av värdet, skrivet --andringar=-10%%,-20%%,-30%% (med =, "
                   "eftersom värdet börjar med ett minus); värdet är ärendets "
                   "köpeskilling eller det som --varden anger")
    p.add_argument("--varden", metavar="CSV", help="med --andringar: en CSV-fil med kolumnerna Fil och Värde "
                   "(t.ex. bankens marknadsvärde per ärende)")
    p.add_argument("--per-borgenar", action="store_true",
                   help="med --priser/--andringar: summera bristen per borgenär och scenario (och totalt)")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="antal processer (0 = alla kärnor; standard 1)")
    p.add_argument("--no-progress", action="store_true", help="ingen förloppsindikator")
    p.add_argument("--quiet", "-q", action="store_true", help="skriv bara fel och sammanfattning")
    p.set_defaults(func=run)


def _varden(path: str) -> dict[str, str]:
    from ..engine.errors import SakagareError

    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise SakagareError(f"filen {path} kan inte läsas ({exc.strerror or exc}).", "--varden") from None
    if not rows or len(rows[0]) < 2:
        raise SakagareError(f"{path} ska ha två kolumner: Fil och Värde.", "--varden")
    return {r[0].strip(): r[1].strip() for r in rows[1:] if len(r) >= 2 and r[0].strip()}


def run(args: argparse.Namespace) -> int:
    from ..engine.errors import SakagareError
    from ._pd import PaketSaknas

    if (args.varden or args.per_borgenar) and not (args.priser or args.andringar):
        print("fel: --varden och --per-borgenar hör till --priser/--andringar", file=sys.stderr)
        return 2
    if args.varden and not args.andringar:
        print("fel: --varden går bara med --andringar", file=sys.stderr)
        return 2
    belopp = "ore" if args.ore else "decimal"
    progress = False if args.no_progress else None
    try:
        if args.ut:
            from .skriv import _suffix, krav_pyarrow

            if _suffix(args.ut) == ".parquet":
                krav_pyarrow()  # before the work, not after it
        if args.priser or args.andringar:
            from .scenario import brist_per_borgenar, scenarier

            per = "fordran" if (args.per_fordran or args.per_borgenar) else "arende"
            df = scenarier(args.paths, priser=args.priser, andringar=args.andringar,
                           varde=_varden(args.varden) if args.varden else None, per=per, belopp=belopp,
                           jobs=args.jobs, progress=progress)
        else:
            from .sammanstallning import sammanstall

            df = sammanstall(args.paths, per_fordran=args.per_fordran, belopp=belopp,
                             forklaring=args.forklaring, progress=progress, jobs=args.jobs)
    except PaketSaknas as exc:
        print(f"fel: {exc.detail}", file=sys.stderr)
        return 2
    except SakagareError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    bad = df[df["Fel"].notna()].drop_duplicates("Fil")
    for fil, msg in zip(bad["Fil"], bad["Fel"]):
        print(f"FEL  {fil}: {msg}", file=sys.stderr)
    table = brist_per_borgenar(df) if args.per_borgenar else df
    if args.ut:
        from .skriv import skriv

        try:
            skriv(table.reset_index() if args.per_borgenar else table, args.ut)
        except OSError as exc:
            print(f"fel: {args.ut} kan inte skrivas ({exc.strerror or exc})", file=sys.stderr)
            return 1
        if not args.quiet:
            print(f"skrev {args.ut}")
    elif not args.quiet:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            print(table.to_string(index=args.per_borgenar))
    n = df["Fil"].nunique()
    print(f"{n} {'ärende' if n == 1 else 'ärenden'}: {n - len(bad)} beräknade, {len(bad)} med fel", file=sys.stderr)
    return 1 if len(bad) else 0
