"""``sakagare-xl mall``: build the template workbook (empty, from a case file, or all shipped workbooks)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "mall",
        help="skapa mallen för sakägarförteckning (.xlsx), tom eller ifylld från en ärendefil",
        description=(
            "Skapar arbetsboken för sakägarförteckning med XlsxWriter: huvud och tabell (området Sak), beräknade "
            "kolumner med Excel-funktionerna och deras värden, sammanställning, förklaringar och diagram. "
            "Samma indata ger samma bytes."
        ),
    )
    p.add_argument(
        "utfil",
        nargs="?",
        metavar="UTFIL",
        help="arbetsboken som skrivs (standard: sakagarforteckning.xlsx); .xlsm ger en makroaktiverad bok för "
        "xlwings-tillägget (UDF Modules = sakagare_xl.udfs)",
    )
    p.add_argument("--arende", metavar="FIL", help="fyll i mallen från en ärendefil (.toml eller .json)")
    p.add_argument(
        "--alla",
        metavar="KATALOG",
        help="skriv den tomma mallen och alla exempel (E2, E3, övningen 2018) till KATALOG",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..engine.errors import SakagareError
    from .builder import build_bytes, write_if_changed
    from .exempel import EXEMPEL, MALL, ifyllnad
    from .fall import from_arende

    try:
        if args.alla:
            if args.utfil or args.arende:
                print("Fel: --alla skriver hela katalogen; ange inte UTFIL eller --arende samtidigt.", file=sys.stderr)
                return 2
            katalog = Path(args.alla)
            katalog.mkdir(parents=True, exist_ok=True)
            jobs = [(katalog / MALL, None)] + [(katalog / ex.fil, ifyllnad(ex)) for ex in EXEMPEL]
        else:
            fall = None
            if args.arende:
                from ..case_io import arende_fran_dict, las_fil

                fall = from_arende(
                    arende_fran_dict(las_fil(args.arende)), titel=f"Ifylld från {Path(args.arende).name}."
                )
            jobs = [(Path(args.utfil or MALL), fall)]
        for path, fall in jobs:
            changed = write_if_changed(path, build_bytes(fall, xlsm=path.suffix.lower() == ".xlsm"))
            print(f"{path}: {'skriven' if changed else 'oförändrad'}")
    except SakagareError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (FileNotFoundError, ValueError, OSError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m sakagare_xl.template``: the same as ``sakagare-xl mall``."""
    parser = argparse.ArgumentParser(prog="python -m sakagare_xl.template")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["mall", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)
