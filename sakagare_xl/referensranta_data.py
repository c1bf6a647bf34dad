"""The one loader of the shipped referensränta table (``sakagare_xl/data/referensranta.csv``).

The file holds Riksbanken's half-yearly referensränta with each value's source and status
(``verified`` / ``unverified``), OpenFisca-style: values over time live in a dated data file,
the rule functions in :mod:`sakagare_xl.engine` never read it themselves.

>>> t = las_tabell()
>>> t.ranta(__import__("datetime").date(2013, 3, 1))
Decimal('1.00')
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from decimal import Decimal
from importlib import resources

from .engine.referensranta import Rantesats, Referensrantetabell

FILNAMN = "referensranta.csv"


def parse(text: str, source: str = FILNAMN) -> Referensrantetabell:
    """Parse the CSV text (columns valid_from, percent, status, source) into a table."""
    rows = []
    for n, rec in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            rows.append(Rantesats(
                dt.date.fromisoformat(rec["valid_from"].strip()),
                Decimal(rec["percent"].strip()),
                rec.get("status", "").strip() or "unverified",
                rec.get("source", "").strip(),
            ))
        except (KeyError, ValueError, ArithmeticError, AttributeError) as exc:
            raise ValueError(f"{source}, rad {n}: ogiltig rad i referensräntetabellen ({exc})") from None
    return Referensrantetabell(tuple(rows))


@functools.lru_cache(maxsize=1)
def las_tabell() -> Referensrantetabell:
    """The shipped table (read once per process)."""
    text = resources.files("sakagare_xl.data").joinpath(FILNAMN).read_text(encoding="utf-8")
    return parse(text)
