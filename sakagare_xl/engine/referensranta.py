"""The referensränta in force on a day (JB 6 kap. 3 §, Räntelagen 9 §).

Riksbanken fixes the referensränta for each half-year from 1 January and 1 July.
The table itself is data (``sakagare_xl/data/referensranta.csv``, loaded by
:func:`sakagare_xl.referensranta_data.las_tabell`); this module only looks values up.
A day outside the table is an error, never a silent zero or a reuse of the last value.

>>> import datetime as dt
>>> from decimal import Decimal
>>> t = Referensrantetabell((Rantesats(dt.date(2018, 1, 1), Decimal("-0.50")),
...                         Rantesats(dt.date(2018, 7, 1), Decimal("-0.50"))))
>>> t.ranta(dt.date(2018, 3, 15))
Decimal('-0.50')
>>> t.ranta(dt.date(2019, 1, 1))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sakagare_xl.engine.errors.ReferensrantaSaknas: Fel i fältet 'referensranta': tabellen saknar referensräntan för första halvåret 2019 (2019-01-01); den räcker från första halvåret 2018 till andra halvåret 2018 (2018-01-01 – 2018-12-31). Ange referensräntan för hand ...
"""

from __future__ import annotations

import bisect
import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from .errors import ReferensrantaSaknas
from .rantesats import ANGE_FOR_HAND, halvar


def halvarsstart(dag: _dt.date) -> _dt.date:
    """The first day of the half-year (1 January or 1 July) that ``dag`` falls in."""
    return _dt.date(dag.year, 1 if dag.month <= 6 else 7, 1)


def nasta_halvar(dag: _dt.date) -> _dt.date:
    """The first day of the half-year after the one ``dag`` falls in."""
    return _dt.date(dag.year, 7, 1) if dag.month <= 6 else _dt.date(dag.year + 1, 1, 1)


def saknas_text(dag: _dt.date, forsta: _dt.date, sista: _dt.date) -> str:
    """The message for a day outside the table: which half-year is missing, how far the table reaches,
    and how to give the rate by hand (RULES.md §8, §9)."""
    return (f"tabellen saknar referensräntan för {halvar(dag)} ({dag.isoformat()}); den räcker från "
            f"{halvar(forsta)} till {halvar(sista)} ({forsta.isoformat()} – {sista.isoformat()}). {ANGE_FOR_HAND}")


@dataclass(frozen=True)
class Rantesats:
    """One row of the table: the rate (percent) in force from ``fran`` for the half-year."""

    fran: _dt.date
    procent: Decimal
    status: str = "verified"
    kalla: str = ""


@dataclass(frozen=True)
class Referensrantetabell:
    """Half-yearly referensränta values, sorted, without gaps.

    ``ranta(dag)`` gives the rate in force on ``dag``; the last row is in force
    only until the end of its half-year.
    """

    satser: tuple[Rantesats, ...]

    def __post_init__(self) -> None:
        satser = tuple(sorted(self.satser, key=lambda s: s.fran))
        if not satser:
            raise ValueError("referensräntetabellen är tom")
        for s in satser:
            if s.fran != halvarsstart(s.fran):
                raise ValueError(f"referensräntan gäller från 1 januari eller 1 juli, inte {s.fran}")
        for a, b in zip(satser, satser[1:]):
            if nasta_halvar(a.fran) != b.fran:
                raise ValueError(f"referensräntetabellen har en lucka eller dubblett mellan {a.fran} och {b.fran}")
        object.__setattr__(self, "satser", satser)
        object.__setattr__(self, "_dagar", [s.fran for s in satser])

    @property
    def forsta_dag(self) -> _dt.date:
        return self.satser[0].fran

    @property
    def sista_dag(self) -> _dt.date:
        return nasta_halvar(self.satser[-1].fran) - _dt.timedelta(days=1)

    def sats(self, dag: _dt.date) -> Rantesats:
        """The table row in force on ``dag``; :class:`ReferensrantaSaknas` outside the table."""
        if not self.forsta_dag <= dag <= self.sista_dag:
            raise ReferensrantaSaknas(saknas_text(dag, self.forsta_dag, self.sista_dag), "referensranta")
        return self.satser[bisect.bisect_right(self._dagar, dag) - 1]

    def ranta(self, dag: _dt.date) -> Decimal:
        """The referensränta (percent) in force on ``dag``."""
        return self.sats(dag).procent
