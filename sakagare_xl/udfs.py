"""Excel-funktioner för sakägarförteckning, tillägg (JB 6 kap. 3 §), skyddsbelopp och fördelning.

The only module that imports xlwings. Each function is a thin wrapper over
:mod:`sakagare_xl.adapters.functions` with the docstring and argument docs Excel's function
wizard shows (Swedish, naming the statute; at most 255 characters each, the limit of the
classic add-in's ``MacroOptions``).

Errors never reach a cell as a traceback or NaN:

* classic xlwings add-in (Windows, ``UDF Modules = sakagare_xl.udfs``): the cell shows the
  Swedish message, ``Fel i argumentet inteckning: beloppet är negativt (-100).``;
* xlwings Lite / xlwings Server (Office.js): a real Excel error: ``#VALUE!`` with the message
  as the error's tooltip for bad input, ``#N/A`` when a value is not available (no köpeskilling,
  a day outside the referensränta table); the message is also printed to the log/console.

This file is also the body of the xlwings Lite ``main.py`` (``python -m sakagare_xl.lite``),
so it uses absolute imports only.
"""

from __future__ import annotations

import sys

import xlwings as xw

from sakagare_xl.adapters import functions as F
from sakagare_xl.engine.errors import ReferensrantaSaknas, SakagareError, SaknatVarde

#: True where the runtime turns errors into real Excel errors (xlwings Lite runs in Pyodide,
#: "emscripten"; xlwings Server sets XLWINGS_ON_SERVER=true, which ``xw.on_server`` reflects).
REAL_ERRORS = bool(getattr(xw, "on_server", False)) or sys.platform == "emscripten"


def _not_available(exc: SakagareError) -> bool:
    """Errors that mean 'this value does not exist yet' (→ #N/A) rather than 'bad input' (→ #VALUE!)."""
    return isinstance(exc, ReferensrantaSaknas) or (
        isinstance(exc, SaknatVarde) and (exc.where or "") == "argumentet pris"
    )


def _error(message: str, not_available: bool = False):
    if REAL_ERRORS:
        print(message)  # xlwings Lite shows printed output in its output pane
        if not_available:
            return "#N/A"  # xlwings' Office.js converter writes this as a real #N/A error
        raise xw.XlwingsError(message)  # → #VALUE!, the message shown on the error flag
    return message


def _call(name: str, *args):
    """Run the pure function; turn any error into what the cell may show."""
    try:
        return F.FUNCTIONS[name](*args)
    except SakagareError as exc:
        return _error(str(exc), _not_available(exc))
    except Exception as exc:  # noqa: BLE001 - a cell must never show a traceback
        return _error(f"Fel: oväntat fel i {name} ({type(exc).__name__}: {exc}). Rapportera gärna detta.")


def _arg(name: str, **options):
    """``xw.arg`` with ``err_to_str``: an error cell (``#DIV/0!``, ``#N/A`` …) reaches the function as its
    text and is refused with a message naming the argument or cell; without it xlwings hands it over
    as an empty cell, which could silently turn a broken amount into no amount."""
    return xw.arg(name, err_to_str=True, **options)


_OMRADE = "Området Sak: huvud (etikett | värde) och tabell under raden 'Ordning' (se docs/layout.md)."
_PRIS = "Köpeskillingen i kronor (valfri; annars raden Köpeskilling i området)."


@xw.func
@_arg("inteckning", doc="Pantbrevets (eller blockets) belopp i kronor.")
@_arg("ref_rate", doc="Referensräntan som andel, så som Excel lagrar procent: 2 % = 0,02.")
@_arg("months", doc="Antal månader från utmätningen (konkursansökan) till fördelningen.")
@_arg("fordran", doc="Valfri: hela fordran (kapital + ränta + kostnader); då ges det tillägg som används.")
def TILLAGG(inteckning, ref_rate, months, fordran=None):
    """Tillägg enligt JB 6 kap. 3 §: taket inteckning × (15 % + (referensränta + 4 %) × månader/12); med fordran det tillägg som används, min(fordran − inteckning, tak), aldrig under 0."""
    return _call("TILLAGG", inteckning, ref_rate, months, fordran)


@xw.func
@_arg("inteckning", doc="Pantbrevets (eller blockets) belopp i kronor.")
@_arg("fran", doc="Utmätningsdagen (i konkurs dagen för konkursansökan), datum.")
@_arg("till", doc="Fördelningsdagen, datum.")
@_arg("fordran", doc="Valfri: hela fordran; då ges det tillägg som används i stället för taket.")
@_arg("sakagarforteckningsdag", doc="Valfri: dagen sakägarförteckningen upprättades; senare ändringar av referensräntan bortses från.")
@_arg("tidsberakning", doc="Valfri: manader (standard, hela månader) eller dagar (dagar/365).")
def TILLAGG_DATUM(inteckning, fran, till, fordran=None, sakagarforteckningsdag=None, tidsberakning=None):
    """Tillägg enligt JB 6 kap. 3 § mellan två datum med referensräntan som gällde varje halvår (medföljande tabell); med fordran det tillägg som används."""
    return _call("TILLAGG_DATUM", inteckning, fran, till, fordran, sakagarforteckningsdag, tidsberakning)


@xw.func
@_arg("datum", doc="Dagen att slå upp.")
def REFERENSRANTA(datum):
    """Referensräntan (Räntelagen 9 §, JB 6 kap. 3 §) som gällde en dag, som andel: 0,02 = 2 %. Fel om dagen ligger utanför den medföljande tabellen."""
    return _call("REFERENSRANTA", datum)


@xw.func
@_arg("omrade", ndim=2, doc=_OMRADE)
@_arg("pris", doc=_PRIS)
def COVERAGE(omrade, pris=None):
    """Vad varje tabellrad får ut vid priset (UB 13 kap., JB 6 kap. 3 §): kapital, tillägg och ägarhypotek på inskrivningen; rättigheter 0. En kolumn med en rad per tabellrad."""
    return _call("COVERAGE", omrade, pris)


@xw.func
@_arg("omrade", ndim=2, doc=_OMRADE)
def SKYDDSBELOPP(omrade):
    """Skyddsbeloppet och därmed lägsta godtagbara bud (UB 12 kap. 29 §): kostnaderna och allt med bättre rätt än exekutionsfordran."""
    return _call("SKYDDSBELOPP", omrade)


@xw.func
@_arg("omrade", ndim=2, doc=_OMRADE)
@_arg("pris", doc=_PRIS)
def BRIST(omrade, pris=None):
    """Bristen för fordran på varje tabellrad vid priset: fordran − utfall, aldrig under 0 (UB 13 kap.). En kolumn med en rad per tabellrad; tomt där raden saknar fordran."""
    return _call("BRIST", omrade, pris)


@xw.func
@_arg("omrade", ndim=2, doc=_OMRADE)
@_arg("pris", doc=_PRIS)
def OVERSKOTT(omrade, pris=None):
    """Överskottet till ägaren vid priset: det som blir kvar när alla rader fått sitt (UB 13 kap.)."""
    return _call("OVERSKOTT", omrade, pris)


@xw.func
@_arg("omrade", ndim=2, doc=_OMRADE)
@_arg("pris", doc=_PRIS)
def FORDELNING(omrade, pris=None):
    """Fördelningen (UB 13 kap.) som tabell: Rad, Borgenär, Förmånsrätt, Utfaller, Brist; en rad per rad i förteckningen inklusive kostnader och ägarhypotek, sist överskottet."""
    return _call("FORDELNING", omrade, pris)


@xw.func
@_arg("omrade", ndim=2, doc=_OMRADE)
@_arg("rad", doc="Tabellraden: 1 = första raden under rubrikraden 'Ordning' (tomma rader räknas).")
@_arg("pris", doc=_PRIS)
def FORKLARING(omrade, rad, pris=None):
    """Förklaringen på svenska av siffrorna för en tabellrad: förmånsrätt, tillägg (JB 6 kap. 3 §), ägarhypotek, utfall och brist."""
    return _call("FORKLARING", omrade, rad, pris)


@xw.func
@_arg("omrade", ndim=2, doc=_OMRADE)
@_arg("rad", doc="Tabellraden: 1 = första raden under rubrikraden 'Ordning' (tomma rader räknas).")
@_arg("kolumn", doc="tillagg, formansratt, agarhypotek, skyddad, status, utfaller, brist, forklaring eller nr.")
@_arg("pris", doc=_PRIS)
def SAK_RAD(omrade, rad, kolumn, pris=None):
    """Ett värde för en tabellrad (JB 6 kap. 3 §, UB 12 kap. 29 §, 13 kap.): tillägg, förmånsrätt, ägarhypotek, skyddad, status, utfall, brist eller förklaring. Ett tal per cell; inget spill."""
    return _call("SAK_RAD", omrade, rad, kolumn, pris)


@xw.func
@_arg("omrade", ndim=2, doc=_OMRADE)
@_arg("kolumn", doc="skyddsbelopp, lagsta_bud, medel, utdelat, overskott, agarhypotek, kostnader_utfaller, brist eller varningar.")
@_arg("pris", doc=_PRIS)
def SAK_SUMMA(omrade, kolumn, pris=None):
    """Ett summavärde för området (UB 12 kap. 29 §, 13 kap.): skyddsbelopp, lägsta bud, medel, utdelat, överskott, ägarhypotek till ägaren, kostnaders utfall, total brist eller varningar."""
    return _call("SAK_SUMMA", omrade, kolumn, pris)
