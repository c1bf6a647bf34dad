"""Tillägg: the statutory addition to a pantbrev amount (JB 6 kap. 3 §).

The pantbrev gives priority for its amount plus a tillägg of at most 15 % of the amount plus
interest on the amount at the referensränta + 4 percentage points from the utmätningsdag (in konkurs
the day of the konkursansökan) to the fördelningsdag. The 15 % is part of a ceiling, not an automatic
addition: the tillägg used is what the claim still needs, up to the ceiling (RULES §3).

The seed example (a block of 400 000 + 300 000, referensränta 2 %, 6 months):

>>> from decimal import Decimal as D
>>> ore(tillagg_tak(D(700000), D(2), D(6)))
Decimal('126000.00')
>>> tillagg_anvant(D(700000), D(1300000), D(126000))
Decimal('126000')

Lawline (E1): pantbrev 100 000, claim 116 000, 2 %, 2 months: ceiling 16 000, all of it used.

>>> ore(tillagg_anvant(D(100000), D(116000), tillagg_tak(D(100000), D(2), D(2))))
Decimal('16000.00')
>>> tillagg_anvant(D(100000), D(90000), D(16000))
Decimal('0')
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import OgiltigtDatum, ReferensrantaSaknas
from .format import kr, ore, pct, tal  # noqa: F401 (ore: used by the doctests)
from .referensranta import Referensrantetabell, nasta_halvar
from .tid import Tid, manader_som_tid, tid

FAST_PROCENT = Decimal(15)
"""The fixed part of the ceiling: 15 % of the pantbrev amount (JB 6 kap. 3 § 1 st.)."""
PASLAG = Decimal(4)
"""Percentage points added to the referensränta (JB 6 kap. 3 § 1 st.)."""


def _dec(f: Fraction | Decimal) -> Decimal:
    if isinstance(f, Decimal):
        return f
    return Decimal(f.numerator) / Decimal(f.denominator)


@dataclass(frozen=True)
class Period:
    """One stretch of time with one referensränta (percent)."""

    referensranta: Decimal
    tid: Tid


@functools.lru_cache(maxsize=256)
def rantefaktor(perioder: tuple[Period, ...]) -> Decimal:
    """Σ (referensränta + 4) % × time in years over the stretches: the interest part per krona of the pantbrev."""
    total = Fraction(0)
    for p in perioder:
        total += Fraction(p.referensranta + PASLAG) / 100 * p.tid.ar
    return _dec(total)


@dataclass(frozen=True)
class Tak:
    """The tillägg ceiling for a pantbrev (or block) amount, with its parts and an explanation.

    ``faktor`` (the interest part per krona, :func:`rantefaktor`) is computed from ``perioder`` unless
    given; a case computes it once for all its pantbrev.
    """

    belopp: Decimal
    """the pantbrev amount the ceiling is computed on"""
    perioder: tuple[Period, ...]
    faktor: Decimal | None = None

    def __post_init__(self) -> None:
        if self.faktor is None:
            object.__setattr__(self, "faktor", rantefaktor(self.perioder))

    @property
    def fast_del(self) -> Decimal:
        """15 % of the amount."""
        return self.belopp * FAST_PROCENT / 100

    @property
    def lopande_del(self) -> Decimal:
        """The interest part: amount × Σ (referensränta + 4) % × time."""
        return self.belopp * self.faktor

    @property
    def tak(self) -> Decimal:
        """The ceiling: fixed part + interest part. With a referensränta below −4 % the interest part would be
        negative; the used tillägg is still never below 0 (:func:`tillagg_anvant`)."""
        return self.fast_del + self.lopande_del

    def formel(self) -> str:
        """The ceiling as a formula: '700 000 × (15 % + (2,00 % + 4 %) × 6/12)'."""
        termer = [pct(FAST_PROCENT, 0)]
        for p in self.perioder:
            termer.append(f"({pct(p.referensranta)} + {pct(PASLAG, 0)}) × {p.tid.text}")
        return f"{kr(self.belopp)} × ({' + '.join(termer)})"


def tillagg_tak(belopp: Decimal, referensranta: Decimal, manader: Decimal) -> Decimal:
    """The tillägg ceiling for ``belopp`` at a fixed ``referensranta`` (percent) for ``manader`` months.

    ``belopp × (15 % + (referensranta + 4 %) × manader/12)``. See JB 6 kap. 3 §.

    >>> ore(tillagg_tak(Decimal(89000), Decimal(2), Decimal(3)))   # Lawline, E3: B's ceiling
    Decimal('14685.00')
    >>> ore(tillagg_tak(Decimal(100000), Decimal("-0.5"), Decimal(12)))   # no floor: 3.5 % a year
    Decimal('18500.00')
    """
    return fast_tak(belopp, referensranta, Fraction(manader)).tak


def fast_tak(belopp: Decimal, referensranta: Decimal, manader: Fraction) -> Tak:
    """The ceiling as a :class:`Tak` for a fixed rate and a number of months."""
    perioder = (Period(referensranta, manader_som_tid(Fraction(manader))),) if manader else ()
    return Tak(belopp, perioder)


def tillagg_anvant(belopp: Decimal, fordran: Decimal, tak: Decimal) -> Decimal:
    """The tillägg actually used: what the claim needs beyond the amount, up to the ceiling, never below 0."""
    return min(max(fordran - belopp, Decimal(0)), max(tak, Decimal(0)))


def perioder(
    fran: _dt.date,
    till: _dt.date,
    tabell: Referensrantetabell | None,
    *,
    sakagarforteckningsdag: _dt.date | None = None,
    tidsberakning: str = "manader",
    referensranta: Decimal | None = None,
    fran_falt: str = "utmatningsdag",
) -> tuple[Period, ...]:
    """Split ``fran``–``till`` into stretches with one referensränta each (JB 6 kap. 3 §, RULES §3).

    The rate is the one in force in each half-year (1 January, 1 July); from the
    sakägarförteckning day on, the rate in force on that day is kept. Adjacent
    half-years with the same rate form one stretch. With a fixed ``referensranta``
    the whole time is one stretch.
    """
    if till < fran:
        raise OgiltigtDatum(
            f"fördelningsdagen ({till.isoformat()}) ligger före {fran_falt} ({fran.isoformat()}).",
            "fordelningsdag",
        )
    if referensranta is not None:
        return (Period(referensranta, tid(fran, till, tidsberakning)),) if till > fran else ()
    if tabell is None:
        raise ReferensrantaSaknas("ingen referensränta angiven och ingen tabell tillgänglig.", "referensranta")
    stretches: list[list] = []  # [start, end, rate]
    start = fran
    while start < till:
        end = min(nasta_halvar(start), till)
        on = start if sakagarforteckningsdag is None or start <= sakagarforteckningsdag else sakagarforteckningsdag
        rate = tabell.ranta(on)
        if stretches and stretches[-1][2] == rate:
            stretches[-1][1] = end
        else:
            stretches.append([start, end, rate])
        start = end
    return tuple(Period(rate, tid(a, b, tidsberakning)) for a, b, rate in stretches)


def tillagg_tak_datum(
    belopp: Decimal,
    fran: _dt.date,
    till: _dt.date,
    tabell: Referensrantetabell | None,
    sakagarforteckningsdag: _dt.date | None = None,
    tidsberakning: str = "manader",
    referensranta: Decimal | None = None,
) -> Tak:
    """The ceiling from dates, piecewise by half-year with the table (or a fixed rate). See JB 6 kap. 3 §.

    >>> import datetime as dt
    >>> from decimal import Decimal as D
    >>> t = tillagg_tak_datum(D(100000), dt.date(2013, 10, 1), dt.date(2013, 12, 1), None,
    ...                       tidsberakning="dagar", referensranta=D(2))
    >>> round(t.tak, 2), t.formel()
    (Decimal('16002.74'), '100 000 × (15 % + (2,00 % + 4 %) × 61/365)')
    """
    return Tak(
        belopp,
        perioder(
            fran, till, tabell,
            sakagarforteckningsdag=sakagarforteckningsdag,
            tidsberakning=tidsberakning,
            referensranta=referensranta,
        ),
    )


def forklara_tak(tak: Tak) -> str:
    """'700 000 × (15 % + (2,00 % + 4 %) × 6/12) = 126 000'."""
    return f"{tak.formel()} = {kr(tak.tak)}"


__all__ = [
    "FAST_PROCENT", "PASLAG", "Period", "Tak", "rantefaktor", "tillagg_tak", "fast_tak", "tillagg_anvant",
    "perioder", "tillagg_tak_datum", "forklara_tak", "tal",
]
