"""The pure rules engine: stdlib and Decimal only, no Excel library, no files, no clock.

Entry point: :func:`berakna` (the sakägarförteckning and fördelning of an :class:`Arende`).
"""

from .errors import (
    DubbletteId,
    MotstridigaUppgifter,
    OgiltigtBelopp,
    OgiltigtDatum,
    OgiltigtVarde,
    OkandReferens,
    ReferensrantaSaknas,
    SakagareError,
    SaknatVarde,
)
from .fordelning import coverage, prorata
from .forteckning import avgor_dubbelutrop, berakna, dubbelutrop_beslut
from .model import Arende, Fordran, Forsaljning, Inskrivning
from .referensranta import Rantesats, Referensrantetabell
from .resultat import FordranResultat, Rad, Resultat
from .tillagg import Tak, tillagg_anvant, tillagg_tak, tillagg_tak_datum

__all__ = [
    "Arende", "Forsaljning", "Inskrivning", "Fordran", "berakna", "dubbelutrop_beslut", "avgor_dubbelutrop", "coverage", "prorata",
    "Resultat", "Rad", "FordranResultat", "Referensrantetabell", "Rantesats", "Tak",
    "tillagg_tak", "tillagg_anvant", "tillagg_tak_datum",
    "SakagareError", "OgiltigtVarde", "OgiltigtBelopp", "OgiltigtDatum", "SaknatVarde", "OkandReferens",
    "DubbletteId", "MotstridigaUppgifter", "ReferensrantaSaknas",
]
