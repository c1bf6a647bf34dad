"""Finding and computing case files: files, folders (recursively) and glob patterns; TOML, JSON and
filled workbooks. A file that cannot be read or computed becomes a Swedish message, never an exception,
so that one bad file never stops a batch.

>>> filer, fel = hitta_filer(["examples/e4-lillbacken.toml", "examples/finns-inte.toml"])
>>> filer, fel
(['examples/e4-lillbacken.toml'], [('examples/finns-inte.toml', 'filen examples/finns-inte.toml finns inte.')])
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from ..engine.errors import SakagareError
from ..engine.model import Arende
from ..engine.resultat import Resultat

SUFFIX = (".toml", ".json", ".xlsx", ".xlsm")
ARBETSBOK = (".xlsx", ".xlsm")


def _kandidat(p: Path) -> bool:
    return p.suffix.lower() in SUFFIX and not p.name.startswith(("~$", ".~"))


def hitta_filer(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """The case files named by ``paths`` (each once, in the order given; a folder's files sorted) and,
    for every path that names none, ``(path, Swedish message)``.

    A folder is searched recursively for ``.toml``, ``.json``, ``.xlsx`` and ``.xlsm`` (Excel's ``~$``
    lock files skipped); a pattern may use ``**``. A file named explicitly is read whatever its suffix.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: list[str] = []
    fel: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            found.append(str(p))

    for arg in paths:
        arg = os.fspath(arg)
        p = Path(arg)
        if p.is_dir():
            hits = sorted(q for q in p.rglob("*") if q.is_file() and _kandidat(q))
            if not hits:
                fel.append((arg, f"mappen {arg} innehåller inga ärendefiler (.toml, .json, .xlsx, .xlsm)."))
            for q in hits:
                add(q)
        elif p.is_file():
            add(p)
        elif glob.has_magic(arg):
            hits = [Path(q) for q in sorted(glob.glob(arg, recursive=True))]
            hits = [q for q in hits if q.is_file() and _kandidat(q)]
            if not hits:
                fel.append((arg, f"mönstret {arg} matchar inga ärendefiler (.toml, .json, .xlsx, .xlsm)."))
            for q in hits:
                add(q)
        else:
            fel.append((arg, f"filen {arg} finns inte."))
    return found, fel


def las_arende(path: str) -> Arende:
    """The case in a case file (TOML/JSON) or a filled workbook (the ``Sak`` range)."""
    from ..berakna_cli import load

    return load(path)[0]


def berakna_fil(path: str) -> tuple[Arende, Resultat]:
    """The case in ``path`` and its result with the shipped referensränta table (as ``sakagare-xl berakna``)."""
    from ..engine import berakna
    from ..referensranta_data import las_tabell

    arende = las_arende(path)
    return arende, berakna(arende, las_tabell())


def felmeddelande(exc: BaseException) -> str:
    """The message a user sees for an exception while reading or computing a file."""
    if isinstance(exc, SakagareError):
        return str(exc)
    return f"internt fel ({type(exc).__name__}: {exc}); rapportera gärna filen"


def stapel(total: int, desc: str, progress: bool | None, unit: str = "ärende"):
    """A tqdm progress bar on stderr, shown only on long runs (after 2 s) and, with ``progress=None``,
    only when stderr is a terminal; ``progress=False`` never shows one."""
    from tqdm import tqdm

    if progress is None:
        progress = bool(getattr(sys.stderr, "isatty", lambda: False)())
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False, delay=2, disable=not progress)


def i_processer(out, items: list, work, extra: tuple, jobs: int, bar, most: int) -> None:
    """Run ``work((chunk, *extra))`` over chunks of ``items`` (at most ``most`` each) in ``jobs`` processes
    and extend ``out`` (a :class:`~.kolumner.Kolumner`) with each part in the items' order, moving ``bar``."""
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(most, len(items) // (jobs * 4)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk, part in zip(chunks, pool.map(work, [(c, *extra) for c in chunks])):
            out.extend(part)
            bar.update(len(chunk))


def med_fel(out, fel: list[tuple[str, str]]):
    """``out`` with a row for each file that could not be read (``Fil``, ``Fel``), after the computed ones."""
    for path, msg in fel:
        out.add({"Fil": path, "Fel": msg})
    return out
