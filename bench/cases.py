"""Generated cases for the engine and function benchmarks.

A case of ``n`` rows has ``n`` pantbrev (every seventh registered on the same day as the one before,
so equal-rank blocks occur), a claim on most of them (every eleventh pantbrev is the owner's:
ägarhypotek), the exekutionsfordran in the middle, one servitut before it and one nyttjanderätt
after it, dates (the shipped referensränta table is used) and a price covering about 60 % of the
pantbrev. Deterministic for a given ``n`` and ``seed``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from sakagare_xl.engine import Arende, Fordran, Forsaljning, Inskrivning

UTMATNINGSDAG = dt.date(2022, 3, 1)
FORDELNINGSDAG = dt.date(2023, 5, 15)
KOSTNADER = 25_000


def _rows(n: int, seed: int):
    """(id, day, belopp, borgenar or None, kapital or None, ränta, exekutionsfordran) per pantbrev."""
    rnd = random.Random(seed * 7919 + n)
    # a large case starts earlier and steps one day at a time: 1–2 days a pantbrev from 1970 would pass the
    # model's last accepted day (2200-12-31) at about 90 000 pantbrev; the random draws stay the same
    big = n > 40_000
    day = dt.date(1800, 1, 1) if big else dt.date(1970, 1, 1)
    out = []
    for k in range(n):
        if k % 7 != 3:  # every seventh: same day as the previous one → equal rank (JB 17 kap.)
            step = rnd.randrange(1, 3)
            day = day + dt.timedelta(days=1 if big else step)
        belopp = rnd.randrange(10, 5000) * 1000
        claim = k % 11 != 5 or k == n // 2
        kapital = rnd.randrange(5, 6000) * 1000 if claim else None
        ranta = rnd.randrange(0, 50_000) if claim else 0
        out.append((f"P{k}", day, belopp, f"Bank {k % 17}" if claim else None, kapital, ranta, k == n // 2))
    return out, day


def arende(n: int, seed: int = 1) -> Arende:
    """The engine input for ``n`` pantbrev rows (plus two rights)."""
    rows, last_day = _rows(n, seed)
    insk = [Inskrivning(pid, day, belopp=Decimal(belopp)) for pid, day, belopp, *_ in rows]
    ford = [
        Fordran(f"F{pid}", borgenar, Decimal(kapital), ranta=Decimal(ranta), pantbrev=(pid,), exekutionsfordran=exek)
        for pid, _day, _belopp, borgenar, kapital, ranta, exek in rows
        if kapital is not None
    ]
    insk.append(Inskrivning("R1", dt.date(1970, 1, 2), slag="servitut"))
    insk.append(Inskrivning("R2", last_day + dt.timedelta(days=1), slag="nyttjanderatt"))
    total = sum(b for _, _, b, *_ in rows)
    sale = Forsaljning(
        utmatningsdag=UTMATNINGSDAG,
        fordelningsdag=FORDELNINGSDAG,
        forrattningskostnader=Decimal(KOSTNADER),
        kopeskilling=(Decimal(total) * Decimal("0.6")).quantize(Decimal(1)),
    )
    return Arende(sale, tuple(insk), tuple(ford))


def sak_range(n: int, seed: int = 1) -> tuple[list[list[Any]], float]:
    """The same case as a ``Sak`` range (2-D list as xlwings hands it over, docs/layout.md) and its price."""
    rows, _ = _rows(n, seed)
    width = 8
    out: list[list[Any]] = [
        ["Fastighet", "Bench 1:1"],
        ["Utmätningsdag", dt.datetime.combine(UTMATNINGSDAG, dt.time())],
        ["Fördelningsdag", dt.datetime.combine(FORDELNINGSDAG, dt.time())],
        ["Förrättningskostnader", float(KOSTNADER)],
        [None, None],
        ["Ordning", "Id", "Inskrivningsdag", "Slag", "Inteckningsbelopp", "Sakägare", "Kapital", "Exekutionsfordran"],
    ]
    out = [r + [None] * (width - len(r)) for r in out]
    for pid, day, belopp, borgenar, kapital, _ranta, exek in rows:
        out.append([None, pid, dt.datetime.combine(day, dt.time()), "inteckning", float(belopp), borgenar,
                    float(kapital) if kapital is not None else None, "Ja" if exek else None])
    price = float(round(sum(r[2] for r in rows) * 0.6))
    return out, price
