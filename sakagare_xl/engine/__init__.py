"""The pure rules engine: stdlib and Decimal only, no Excel library, no files, no clock.

Entry point: :func:`berakna` (the sakägarförteckning and fördelning of an :class:`Arende`).

The public names below are imported from their modules on first use (``from sakagare_xl.engine import
berakna`` works as before): a program that needs one module, such as ``recalc`` with
:mod:`~sakagare_xl.engine.tillagg`, does not pay for importing every other one (their dataclasses take
tens of milliseconds to build at start-up).
"""

from __future__ import annotations

#: public name → the module of this package that defines it
_WHERE = {
    **dict.fromkeys(("DubbletteId", "MotstridigaUppgifter", "OgiltigtBelopp", "OgiltigtDatum", "OgiltigtVarde",
                     "OkandReferens", "ReferensrantaSaknas", "SakagareError", "SaknatVarde"), "errors"),
    **dict.fromkeys(("coverage", "prorata"), "fordelning"),
    **dict.fromkeys(("avgor_dubbelutrop", "berakna", "dubbelutrop_beslut"), "forteckning"),
    **dict.fromkeys(("Arende", "Fordran", "Forsaljning", "Inskrivning"), "model"),
    **dict.fromkeys(("Rantesats", "Referensrantetabell"), "referensranta"),
    **dict.fromkeys(("FordranResultat", "Rad", "Resultat"), "resultat"),
    **dict.fromkeys(("Tak", "tillagg_anvant", "tillagg_tak", "tillagg_tak_datum"), "tillagg"),
}

#: the modules of this package (``sakagare_xl.engine.model`` etc. as attributes, as when all were imported)
_MODULES = frozenset(("errors", "fordelning", "format", "forteckning", "model", "rantesats", "referensranta",
                      "resultat", "tid", "tillagg", "validering"))

__all__ = [
    "Arende", "Forsaljning", "Inskrivning", "Fordran", "berakna", "dubbelutrop_beslut", "avgor_dubbelutrop", "coverage", "prorata",
    "Resultat", "Rad", "FordranResultat", "Referensrantetabell", "Rantesats", "Tak",
    "tillagg_tak", "tillagg_anvant", "tillagg_tak_datum",
    "SakagareError", "OgiltigtVarde", "OgiltigtBelopp", "OgiltigtDatum", "SaknatVarde", "OkandReferens",
    "DubbletteId", "MotstridigaUppgifter", "ReferensrantaSaknas",
]


def _submodule(name: str):
    return __import__(f"{__name__}.{name}", fromlist=("_",))  # the built-in: the engine imports no importlib


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is not None:
        value = getattr(_submodule(module), name)
        globals()[name] = value  # the next access is an ordinary attribute
        return value
    if name in _MODULES:
        return _submodule(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | _MODULES)
