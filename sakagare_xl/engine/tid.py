"""Time between the start day and the fördelningsdag, as the tillägg counts it (JB 6 kap. 3 §).

Two methods (setting ``tidsberakning``, RULES §3):

* ``manader`` (default): whole calendar months count as months/12; a remaining part of a month
  counts as its days divided by the length of the month it lies in.
* ``dagar``: actual days / 365.

>>> import datetime as dt
>>> tid(dt.date(2018, 1, 1), dt.date(2018, 7, 1), "manader")
Tid(ar=Fraction(1, 2), text='6/12')
>>> tid(dt.date(2013, 10, 1), dt.date(2013, 12, 1), "dagar")
Tid(ar=Fraction(61, 365), text='61/365')
>>> tid(dt.date(2013, 1, 31), dt.date(2013, 3, 15), "manader").text
'(1 + 15/31)/12'
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass
from fractions import Fraction


def add_months(day: _dt.date, months: int) -> _dt.date:
    """``day`` moved ``months`` calendar months ahead; the 31st becomes the month's last day when needed."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return _dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Tid:
    """A length of time in years (exact) and how it is written in an explanation."""

    ar: Fraction
    text: str


def _manader(fran: _dt.date, till: _dt.date) -> tuple[int, int, int]:
    """(whole months, remaining days, days of the month the rest lies in)."""
    whole = (till.year - fran.year) * 12 + (till.month - fran.month)
    while whole > 0 and add_months(fran, whole) > till:
        whole -= 1
    anchor = add_months(fran, whole)
    rest = (till - anchor).days
    length = (add_months(fran, whole + 1) - anchor).days
    return whole, rest, length


def tid(fran: _dt.date, till: _dt.date, metod: str) -> Tid:
    """The time from ``fran`` to ``till`` (``till`` ≥ ``fran``) by ``metod``."""
    if till < fran:
        raise ValueError("till före fran")
    if metod == "dagar":
        d = (till - fran).days
        return Tid(Fraction(d, 365), f"{d}/365")
    whole, rest, length = _manader(fran, till)
    if rest == 0:
        return Tid(Fraction(whole, 12), f"{whole}/12")
    if whole == 0:
        return Tid(Fraction(rest, length) / 12, f"({rest}/{length})/12")
    return Tid((whole + Fraction(rest, length)) / 12, f"({whole} + {rest}/{length})/12")


def manader_som_tid(manader: Fraction) -> Tid:
    """A number of months given directly (exam exercises)."""
    text = f"{manader.numerator}/12" if manader.denominator == 1 else f"{float(manader):g}/12".replace(".", ",")
    return Tid(manader / 12, text)
