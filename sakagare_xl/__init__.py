"""sakagare_xl: the Swedish sakägarförteckning, tillägg (JB 6:3), skyddsbelopp and fördelning,
as a pure Python engine (:mod:`sakagare_xl.engine`), Excel functions through xlwings
(:mod:`sakagare_xl.udfs`), a template workbook and headless batch recalculation.

``sakagare_xl.sammanstall(paths)``, ``sakagare_xl.scenarier(…)`` and the other table functions of
:mod:`sakagare_xl.tabell` are reachable from here; they (and pandas) load on first use only.
"""

__version__ = "0.1.0"

#: names of :mod:`sakagare_xl.tabell` offered at the top level, imported on first access
_TABELL = ("sammanstall", "scenarier", "brist_per_borgenar", "rader_tabell", "fordringar_tabell", "arende_tabell",
           "recalc_tabell", "skriv")


def __getattr__(name: str):
    if name in _TABELL:
        from . import tabell

        return getattr(tabell, name)
    raise AttributeError(f"module 'sakagare_xl' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_TABELL))
