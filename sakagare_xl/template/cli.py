"""``sakagare-xl mall``: build the template workbook (empty, from a case file, or all shipped workbooks).

A workbook that already holds a case is never overwritten without ``--skriv-over``: the file is read
first (its ``Sak`` range, as ``berakna`` reads it) and written over only when it is the empty template or
holds the very case about to be written (a rebuild in a newer layout loses nothing). Every error is one
Swedish line naming the file, with exit status 2, as ``sakagare-xl berakna``; 0 when all went well.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
from pathlib import Path
from typing import Any

#: the file kinds the command writes and reads
WORKBOOKS = (".xlsx", ".xlsm")
CASE_FILES = (".toml", ".json")


class MallFel(Exception):
    """A user error of ``mall`` (the message is the Swedish line shown)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "mall",
        help="skapa mallen för sakägarförteckning (.xlsx), tom eller ifylld från en ärendefil",
        description=(
            "Skapar arbetsboken för sakägarförteckning med XlsxWriter: huvud och tabell (området Sak), beräknade "
            "kolumner med Excel-funktionerna och deras värden, sammanställning, utskriftsblad, förklaringar och "
            "diagram. Samma indata ger samma bytes. En arbetsbok som redan innehåller ett annat ärende skrivs "
            "inte över utan --skriv-over."
        ),
    )
    p.add_argument(
        "utfil",
        nargs="?",
        metavar="UTFIL",
        help="arbetsboken som skrivs (standard: sakagarforteckning.xlsx); .xlsm ger en makroaktiverad bok för "
        "xlwings-tillägget (UDF Modules = sakagare_xl.udfs)",
    )
    p.add_argument(
        "--arende",
        metavar="FIL",
        help="fyll i mallen från en ärendefil (.toml, .json) eller från en ifylld arbetsbok (.xlsx, .xlsm: "
        "ärendet flyttas till mallens nuvarande utseende)",
    )
    p.add_argument(
        "--alla",
        metavar="KATALOG",
        help="skriv den tomma mallen och alla exempel (E2, E3, övningen 2018) till KATALOG",
    )
    p.add_argument(
        "--skriv-over",
        action="store_true",
        help="skriv över en befintlig arbetsbok även om den innehåller ett annat ifyllt ärende",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..engine.errors import SakagareError

    try:
        for path, fall, what in _jobs(args):
            print(_write(path, fall, what, overwrite=args.skriv_over))
    except MallFel as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    except SakagareError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def _jobs(args: argparse.Namespace) -> list[tuple[Path, Any, str]]:
    """(target, filling or None, what it is) for every workbook to write; the arguments checked first."""
    from .exempel import EXEMPEL, MALL, ifyllnad

    if args.alla:
        if args.utfil or args.arende:
            raise MallFel("--alla skriver hela katalogen; ange inte UTFIL eller --arende samtidigt.")
        katalog = Path(args.alla)
        if katalog.exists() and not katalog.is_dir():
            raise MallFel(f"{katalog} finns redan och är ingen katalog (--alla KATALOG).")
        if not katalog.parent.is_dir():
            raise MallFel(f"katalogen {katalog.parent} finns inte; skapa den först (--alla {katalog}).")
        try:
            katalog.mkdir(exist_ok=True)
        except OSError as exc:
            raise MallFel(f"katalogen {katalog} kan inte skapas ({_why(exc)}).") from None
        jobs = [(katalog / MALL, None, "tom mall")]
        for ex in EXEMPEL:
            jobs.append((katalog / ex.fil, ifyllnad(ex), f"exempel från {ex.arende}"))
        return jobs
    target = _target(args.utfil or MALL)
    if not args.arende:
        return [(target, None, "tom mall")]
    return [(target, _from_case(args.arende), f"ifylld från {Path(args.arende).name}")]


def _target(utfil: str) -> Path:
    """The workbook to write, checked: a file name ending in .xlsx/.xlsm in a folder that exists."""
    p = Path(utfil)
    if utfil.endswith(("/", os.sep)) or p.is_dir():
        raise MallFel(
            f"{utfil} är en katalog; ange ett filnamn som slutar på .xlsx eller .xlsm "
            f"(t.ex. {p / 'sakagarforteckning.xlsx'}), eller --alla {utfil} för alla arbetsböcker."
        )
    if p.suffix.lower() not in WORKBOOKS:
        kind = f"slutar på {p.suffix}" if p.suffix else "har ingen filändelse"
        raise MallFel(f"UTFIL {utfil} {kind}; mallen skrivs som .xlsx (eller .xlsm för xlwings-tillägget).")
    parent = p.parent
    if not parent.is_dir():
        raise MallFel(f"katalogen {parent} finns inte (för UTFIL {utfil}); skapa den först.")
    return p


def _from_case(arende: str) -> Any:
    """The filling from a case file, or from a filled workbook (its case, in the current layout)."""
    from ..case_io import arende_fran_dict, dubbelutrop_fran_dict, las_fil
    from .fall import from_arende

    p = Path(arende)
    suffix = p.suffix.lower()
    titel = f"Ifylld från {p.name}."
    if suffix in WORKBOOKS:
        from .reader import read_case

        fall, bud = read_case(p)
        return from_arende(fall, titel=titel, dubbelutrop=bud)
    if suffix not in CASE_FILES:
        raise MallFel(
            f"--arende {arende}: en ärendefil (.toml, .json) eller en ifylld arbetsbok (.xlsx, .xlsm) väntades."
        )
    data = las_fil(p)
    return from_arende(arende_fran_dict(data), titel=titel, dubbelutrop=dubbelutrop_fran_dict(data))


def _write(path: Path, fall: Any, what: str, *, overwrite: bool) -> str:
    """Write one workbook unless that would destroy a case; the line saying what happened."""
    from .builder import build_bytes

    data = build_bytes(fall, xlsm=path.suffix.lower() == ".xlsm")
    old = None
    if path.exists():
        try:
            old = path.read_bytes()
        except OSError as exc:
            raise MallFel(f"{path} finns redan och kan inte läsas ({_why(exc)}).") from None
        if old == data:
            return f"{path}: oförändrad ({what})"
        if not overwrite:
            _refuse_if_case(path, fall)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise MallFel(f"{path} kan inte skrivas ({_why(exc)}).") from None
    rows = 0 if fall is None else len(fall.rows)
    detail = what + (f", {rows} rader i tabellen" if rows else "")
    if old is None:
        return f"{path}: skriven ({detail})"
    return f"{path}: överskriven ({detail})"


def _refuse_if_case(path: Path, fall: Any) -> None:
    """Refuse to write over ``path`` when it holds a case other than the one about to be written."""
    from ..engine.errors import SakagareError
    from .fall import Ifyllnad
    from .reader import read_values

    try:
        values, _topleft = read_values(path)
    except SakagareError as exc:
        raise MallFel(
            f"{path} finns redan och är ingen arbetsbok från mallen ({exc.detail.rstrip('.')}); den skrivs inte över "
            "utan --skriv-over."
        ) from None
    old = inputs(values)
    if not (old[0] or old[1]):
        return  # the empty template
    if old == inputs((fall or Ifyllnad()).sak_values()):
        return  # the same case, rebuilt
    raise MallFel(
        f"{path} innehåller redan ett ifyllt ärende ({_describe(old)}); det skrivs inte över. Välj ett annat "
        "filnamn eller ange --skriv-over."
    )


def inputs(values: list[list[Any]]) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """What a ``Sak`` range holds, independent of its layout: the header values by (normalised) label, and
    the filled table rows as (normalised heading, value) pairs. Labels and headings alone are no case.

    >>> inputs([["Fastighet", None], [None, None], ["Ordning", "Id"], [None, None]])
    ({}, [])
    >>> inputs([["Köpeskilling", 1000], ["Ordning", "Id"], [None, "P1"]])
    ({'kopeskilling': 1000.0}, [(('id', 'P1'),)])
    """
    from ..adapters.values import normalise

    header: dict[str, Any] = {}
    table: list[tuple[Any, ...]] = []
    headings: list[str] | None = None
    for row in values:
        if headings is None:
            if row and normalise(row[0] if row[0] is not None else "") == "ordning":
                headings = [normalise(h if h is not None else "") for h in row]
                continue
            if len(row) > 1 and row[0] is not None and row[1] is not None:
                header[normalise(row[0])] = _same(row[1])
        else:
            cells = tuple((h, _same(v)) for h, v in zip(headings, row) if v is not None)
            if cells:
                table.append(cells)
    return header, table


def _same(v: Any) -> Any:
    """A cell value as openpyxl and Excel both give it (numbers as float, dates as datetime)."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime):
        return _dt.datetime(v.year, v.month, v.day)
    return v


def _describe(case: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> str:
    header, table = case
    parts = []
    if "fastighet" in header:
        parts.append(f"fastighet {header['fastighet']}")
    parts.append(f"{len(table)} rader i tabellen")
    return ", ".join(parts)


def _why(exc: OSError) -> str:
    """An OS error in Swedish (the common ones), never errno text."""
    import errno

    return {
        errno.EACCES: "åtkomst nekas",
        errno.EPERM: "åtkomst nekas",
        errno.ENOENT: "katalogen finns inte",
        errno.EISDIR: "det är en katalog",
        errno.ENOTDIR: "en del av sökvägen är ingen katalog",
        errno.ENOSPC: "disken är full",
        errno.EROFS: "filsystemet är skrivskyddat",
        errno.ENAMETOOLONG: "namnet är för långt",
    }.get(exc.errno or 0, "fel från operativsystemet")


def main(argv: list[str] | None = None) -> int:
    """``python -m sakagare_xl.template``: the same as ``sakagare-xl mall``."""
    parser = argparse.ArgumentParser(prog="python -m sakagare_xl.template")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["mall", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)
