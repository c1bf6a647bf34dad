"""Many cases in one table: ``sakagare_xl.sammanstall(paths)`` and ``sakagare-xl sammanstall``.

A row per case (``Fil``, ``Fastighet``, ``Skyddsbelopp``, ``Lägsta bud``, ``Köpeskilling``, ``Utdelat``,
``Överskott``, ``Brist personlig``, ``Förlust`` …) or, with ``per_fordran=True``, a row per claim.
A file that cannot be read or computed gets a row with its Swedish error in ``Fel`` (and empty
amounts); the batch goes on.

>>> from decimal import Decimal
>>> df = sammanstall(["examples/e2-lawline-15971.toml", "examples/e4-lillbacken.toml", "saknas.toml"])
>>> df[["Fil", "Skyddsbelopp", "Överskott"]].values.tolist()
[['examples/e2-lawline-15971.toml', Decimal('210000.00'), Decimal('0.00')], ['examples/e4-lillbacken.toml', Decimal('30000.00'), Decimal('0.00')], ['saknas.toml', None, None]]
>>> df.loc[df["Fel"].notna(), "Fel"].tolist()
['filen saknas.toml finns inte.']
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from .filer import berakna_fil, felmeddelande, hitta_filer, i_processer, med_fel, stapel
from .kolumner import TEXT, Kolumner, check_belopp
from .resultat import ARENDE_KOLUMNER, FORDRAN_KOLUMNER, arende_rad, fordringar_kolumner

Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def _spec(per_fordran: bool, forklaring: bool) -> dict[str, str]:
    if per_fordran:
        cols = {"Fil": TEXT, "Fastighet": TEXT} | FORDRAN_KOLUMNER
        if forklaring:
            cols["Förklaring"] = TEXT
    else:
        cols = {"Fil": TEXT} | ARENDE_KOLUMNER
    cols["Fel"] = TEXT
    return cols


def _files(args: tuple[list[str], bool, bool]) -> Kolumner:
    """The rows of some files (in a worker process with ``jobs > 1``); never raises for a bad file."""
    filer, per_fordran, forklaring = args
    out = Kolumner(_spec(per_fordran, forklaring))
    for fil in filer:
        try:
            arende, res = berakna_fil(fil)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            out.add({"Fil": fil, "Fel": felmeddelande(exc)})
        else:
            if per_fordran:
                out.extend(fordringar_kolumner(res, forklaring, Fil=fil, Fastighet=res.fastighet or None))
            else:
                out.add({"Fil": fil} | arende_rad(res, arende))
    return out


def sammanstall_kolumner(paths: Paths, *, per_fordran: bool = False, forklaring: bool = False,
                         progress: bool | None = None, jobs: int = 1) -> Kolumner:
    """The columns of :func:`sammanstall`, without pandas."""
    filer, fel = hitta_filer(paths)
    out = Kolumner(_spec(per_fordran, forklaring))
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    bar = stapel(len(filer), "sammanställer", progress, unit="fil")
    try:
        if jobs == 1 or len(filer) < 2:
            for fil in filer:
                out.extend(_files(([fil], per_fordran, forklaring)))
                bar.update(1)
        else:
            i_processer(out, filer, _files, (per_fordran, forklaring), jobs, bar, most=100)
    finally:
        bar.close()
    return med_fel(out, fel)


def sammanstall(paths: Paths, *, per_fordran: bool = False, belopp: str = "decimal", forklaring: bool = False,
                progress: bool | None = None, jobs: int = 1):
    """Case files (TOML/JSON) and filled workbooks, given as files, folders or glob patterns, in one DataFrame.

    ``per_fordran`` gives a row per claim instead of a row per case; ``forklaring`` adds each claim's
    explanation (per claim only). ``belopp`` is ``"decimal"`` (exact Decimal kronor) or ``"ore"`` (integer
    öre, columns named ``… (öre)``), see :mod:`sakagare_xl.tabell.kolumner`. Rows come in the order the
    files were found, a file that fails in its place with its message in ``Fel``; paths that match
    nothing come last. ``jobs`` processes read and compute the files (``0`` = all cores); the table is
    the same. A progress bar (tqdm) shows on stderr as for :func:`sakagare_xl.tabell.scenarier`.
    """
    check_belopp(belopp)
    return sammanstall_kolumner(paths, per_fordran=per_fordran, forklaring=forklaring, progress=progress,
                                jobs=jobs).frame(belopp)
