"""A typed referensränta: one reading per unit, one accepted range, one grid (RULES.md §8, JB 6 kap. 3 §).

Two units are in use, and a rate must never be silently read in the wrong one:

* **percent** — the case files (TOML/JSON): ``2`` is 2 %, ``-0.5`` is −0,5 %;
* **fraction** — the workbook, the Excel functions and the command-line flag ``--referensranta``
  (as Excel stores a percentage): ``0.02`` is 2 %.

Text with a percent sign (``"2 %"``, ``"2,5 %"``, ``"-0,5 %"``) is percent in both. A value whose reading
in its unit is implausible while the other reading is plausible is **refused with both readings**; the
engine never guesses. In percent, ``0 < |x| < 0,25`` reads like a fraction (``0.02`` meant as 2 %); in
a fraction, a value outside the range whose percent reading is inside (``2`` meant as 2 %) is refused.

The accepted range is :data:`LAGSTA` … :data:`HOGSTA` (−5 % … 25 %) everywhere. RULES.md §3: the
referensränta has no floor, and it was −0,50 % in 2016–2019; −5 % leaves ten times that room. The
highest value since 2002 is 4,50 %; 25 % leaves room for exercises with the old diskonto (over 10 % in the
early 1990s) without accepting 200 % typed for 2 %.

Since the referensränta replaced the diskonto (2002-07-01) Riksbanken rounds it up to a whole or half
percentage point (Räntelagen 9 §), so a fixed rate off the 0,50 % grid for a period in that era gets a
warning (:func:`rutnatsvarning`), not an error: a teacher may choose 2,25 % on purpose.

>>> fran_procent(2, "referensranta"), fran_procent("2,5 %", "referensranta"), fran_andel(0.02, None, "B14")
(Decimal('2'), Decimal('2.5'), Decimal('2.00'))
>>> fran_procent(0.02, "referensranta", "försäljningen")
Traceback (most recent call last):
...
sakagare_xl.engine.errors.OgiltigtVarde: Fel i försäljningen, fältet 'referensranta': 0,02 kan läsas som 0,02 % eller 2 %; skriv 2 eller "2 %" för 2 % (eller "0,02 %" för 0,02 %).
>>> fran_andel(2, None, "argumentet ref_rate")
Traceback (most recent call last):
...
sakagare_xl.engine.errors.OgiltigtVarde: Fel i argumentet ref_rate: 2 kan läsas som 200 % eller 2 %; räntan anges här som andel (0,02 = 2 %): skriv 0,02 eller "2 %" för 2 %.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation

from .errors import OgiltigtVarde, visa

#: the accepted range of a referensränta, in percent, for every place a rate is typed
LAGSTA = Decimal(-5)
HOGSTA = Decimal(25)
#: since this day Riksbanken fixes the referensränta in whole or half percentage points (Räntelagen 9 §)
RUTNAT_FRAN = _dt.date(2002, 7, 1)
RUTNAT = Decimal("0.5")
#: in percent, a value with 0 < |x| < this reads like a fraction (RULES.md §8)
SOM_ANDEL_UNDER = Decimal("0.25")

INTERVALL_TEXT = "-5 % till 25 %"


def tal(d: Decimal) -> str:
    """A number the Swedish way, without exponent or trailing zeros: ``0,02``, ``2``, ``-0,005``.

    >>> tal(Decimal("0.0200")), tal(Decimal("2E+2")), tal(Decimal("-0.005"))
    ('0,02', '200', '-0,005')
    """
    if d == 0:
        return "0"
    return format(d.normalize(), "f").replace(".", ",")


def procenttext(percent: Decimal, decimals: int | None = None) -> str:
    """A percentage for a message: ``2,5 %`` (or with fixed ``decimals``: ``3,00 %``).

    >>> procenttext(Decimal("2.50")), procenttext(Decimal("3"), 2), procenttext(Decimal("-0.5"), 2)
    ('2,5 %', '3,00 %', '-0,50 %')
    """
    if decimals is None:
        return f"{tal(percent)} %"
    return f"{percent:.{decimals}f} %".replace(".", ",")


def inom_intervallet(percent: Decimal) -> bool:
    """Whether ``percent`` is inside the one accepted range (:data:`LAGSTA` … :data:`HOGSTA`)."""
    return percent.is_finite() and LAGSTA <= percent <= HOGSTA


def _text(value: str) -> tuple[Decimal | None, bool]:
    """A typed text → (number, had a percent sign); ``None`` for text that is no number."""
    t = value.strip().replace("\u2212", "-").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    pct = t.endswith("%")
    if pct:
        t = t[:-1]
    try:
        d = Decimal(t.replace(",", "."))
    except InvalidOperation:
        return None, pct
    return (d if d.is_finite() else None), pct


def _number(value: object, field: str | None, where: str | None) -> tuple[Decimal, bool]:
    if isinstance(value, bool) or value is None:
        raise OgiltigtVarde(f"en procentsats (t.ex. 2 %) väntades, inte {visa(value)}.", field, where)
    d: Decimal | None
    pct = False
    try:
        if isinstance(value, str):
            d, pct = _text(value)
        elif isinstance(value, float):
            d = Decimal(repr(value))
        elif isinstance(value, (int, Decimal)):
            d = Decimal(value)
        else:
            d = None
    except (InvalidOperation, ValueError):
        d = None
    if d is None or not d.is_finite():
        raise OgiltigtVarde(f"en procentsats (t.ex. 2 %) väntades, inte {visa(value)}.", field, where)
    return d, pct


def utanfor_intervallet(percent: Decimal, field: str | None, where: str | None, shown: str | None = None) -> None:
    """Raise :class:`OgiltigtVarde` when ``percent`` is outside the accepted range; ``shown`` is how the
    user wrote it when that differs from the percentage (a fraction)."""
    if not inom_intervallet(percent):
        head = f"{shown} betyder {procenttext(percent)}, som" if shown else f"{procenttext(percent)}"
        raise OgiltigtVarde(f"{head} ligger utanför det godtagna intervallet {INTERVALL_TEXT} för en referensränta.",
                            field, where)


def kontrollera_procent(percent: Decimal, field: str | None, where: str | None) -> Decimal:
    """A percentage already in the engine's unit (from the Python API or another reader): only the range.

    >>> kontrollera_procent(Decimal(30), "referensranta", "försäljningen")
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtVarde: Fel i försäljningen, fältet 'referensranta': 30 % ligger utanför det godtagna intervallet -5 % till 25 % för en referensränta.
    """
    d, _ = _number(percent, field, where)
    utanfor_intervallet(d, field, where)
    return d


def fran_procent(value: object, field: str | None = "referensranta", where: str | None = None) -> Decimal:
    """A rate typed in **percent** (case files): ``2`` or ``"2 %"`` → ``Decimal(2)``.

    A bare number with ``0 < |x| < 0,25`` is refused with both readings (RULES.md §8); text with a
    percent sign is taken as written (``"0,02 %"`` is 0,02 %).
    """
    d, pct = _number(value, field, where)
    return tolka_procent(d, pct, field, where)


def tolka_procent(d: Decimal, pct: bool, field: str | None, where: str | None) -> Decimal:
    """:func:`fran_procent` for a number already parsed (``pct``: it was written with a percent sign)."""
    if not pct and 0 < abs(d) < SOM_ANDEL_UNDER:
        x, p = tal(d), tal(d * 100)
        raise OgiltigtVarde(f'{x} kan läsas som {x} % eller {p} %; skriv {p} eller "{p} %" för {p} % '
                            f'(eller "{x} %" för {x} %).', field, where)
    utanfor_intervallet(d, field, where)
    return d


def fran_andel(value: object, field: str | None = None, where: str | None = None) -> Decimal:
    """A rate typed as a **fraction** (workbook, Excel functions, ``--referensranta``): ``0.02`` or
    ``"2 %"`` → percent ``Decimal('2.00')``.

    A bare number whose percent reading is outside the range but which, read as percent, is inside
    (``2`` for 2 %) is refused with both readings.
    """
    d, pct = _number(value, field, where)
    return tolka_andel(d, pct, field, where)


def tolka_andel(d: Decimal, pct: bool, field: str | None, where: str | None) -> Decimal:
    """:func:`fran_andel` for a number already parsed (``pct``: it was written with a percent sign)."""
    if pct:
        utanfor_intervallet(d, field, where)
        return d
    percent = d * 100
    if not inom_intervallet(percent) and inom_intervallet(d):
        x = tal(d)
        raise OgiltigtVarde(f'{x} kan läsas som {tal(percent)} % eller {x} %; räntan anges här som andel '
                            f'(0,02 = 2 %): skriv {tal(d / 100)} eller "{x} %" för {x} %.', field, where)
    utanfor_intervallet(percent, field, where, shown=tal(d))
    return percent


def pa_rutnatet(percent: Decimal) -> bool:
    """Whether ``percent`` is a whole or half percentage point, as every referensränta since 2002-07-01."""
    return percent % RUTNAT == 0


def rutnatsvarning(percent: Decimal) -> str:
    """The warning for a fixed rate off the 0,50 % grid in the table's era (Räntelagen 9 §).

    >>> rutnatsvarning(Decimal("2.25"))
    'Referensräntan 2,25 % är ingen hel eller halv procentenhet; sedan 2002-07-01 fastställer Riksbanken den alltid i hela halva procentenheter (räntelagen 9 §). Kontrollera värdet (skrev du en andel där procent väntades, eller tvärtom?).'
    """
    return (f"Referensräntan {procenttext(percent)} är ingen hel eller halv procentenhet; sedan "
            f"{RUTNAT_FRAN.isoformat()} fastställer Riksbanken den alltid i hela halva procentenheter "
            "(räntelagen 9 §). Kontrollera värdet (skrev du en andel där procent väntades, eller tvärtom?).")


def halvar(dag: _dt.date) -> str:
    """The half-year of ``dag`` in words: ``första halvåret 2025``, ``andra halvåret 2027``.

    >>> halvar(_dt.date(2027, 7, 1)), halvar(_dt.date(2025, 6, 30))
    ('andra halvåret 2027', 'första halvåret 2025')
    """
    return f"{'första' if dag.month <= 6 else 'andra'} halvåret {dag.year}"


#: how to give the rate by hand, for the message when the table has no value (RULES.md §8, §9)
ANGE_FOR_HAND = (
    "Ange referensräntan för hand (en fast ränta gäller då hela räntetiden): i ärendefilen "
    "referensranta = 2 (procent) eller \"2 %\", i mallen cellen Referensränta (t.ex. 2,00 %), "
    "på kommandoraden --referensranta 2% (sakagare-xl berakna och recalc), "
    "eller i en formel TILLAGG(inteckning; 0,02; månader)."
)


def obekraftad_varning(fran: _dt.date, percent: Decimal) -> str:
    """The warning for a table value not yet checked against Riksbanken's decision.

    >>> obekraftad_varning(_dt.date(2025, 1, 1), Decimal("3.00"))
    'Referensräntan 3,00 % för första halvåret 2025 är inte bekräftad mot Riksbankens beslut; kontrollera den.'
    """
    return (f"Referensräntan {procenttext(percent, 2)} för {halvar(fran)} är inte bekräftad mot "
            "Riksbankens beslut; kontrollera den.")


def varningar(f, tabell) -> list[str]:
    """The rate warnings for the sale ``f`` (a :class:`~sakagare_xl.engine.model.Forsaljning`):

    * a fixed rate off the 0,50 % grid for a period in the table's era (or without dates, ``manader``);
    * every half-year the table gives that is marked ``unverified`` (from the start day up to the
      fördelningsdag, or the sakägarförteckningsdag, whose rate is kept after it; JB 6 kap. 3 §).
    """
    from .referensranta import nasta_halvar

    out: list[str] = []
    if f.referensranta is not None:
        era = f.manader is not None or (f.fordelningsdag is not None and f.fordelningsdag >= RUTNAT_FRAN)
        if era and not pa_rutnatet(f.referensranta):
            out.append(rutnatsvarning(f.referensranta))
        return out
    if f.manader is not None or tabell is None or f.startdag is None or f.fordelningsdag is None:
        return out
    if not f.fordelningsdag > f.startdag:
        return out
    end = f.fordelningsdag if f.sakagarforteckningsdag is None else min(f.fordelningsdag, f.sakagarforteckningsdag)
    day, seen = f.startdag, set()
    while True:
        s = tabell.sats(day)
        if s.status != "verified" and s.fran not in seen:
            seen.add(s.fran)
            out.append(obekraftad_varning(s.fran, s.procent))
        day = nasta_halvar(day)
        if day >= end:
            break
    return out
