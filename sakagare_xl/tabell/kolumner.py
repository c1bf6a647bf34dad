"""Rows collected column by column and turned into one DataFrame with the right dtypes.

Amounts are kept exact. ``belopp="decimal"`` (the default) gives object columns of
:class:`~decimal.Decimal` rounded to öre (``Decimal('826000.00')``): exact, and summed exactly by
``Series.sum()`` and ``groupby().sum()``. ``belopp="ore"`` gives nullable integer columns (``Int64``)
of öre, named with the suffix `` (öre)`` so that nobody reads them as kronor: exact too, and fast
for large tables. Never float. Dates are ``datetime64`` (``NaT`` when missing), flags are the
nullable ``boolean``, counts ``Int64``.

This module builds plain lists; pandas is imported only in :meth:`Kolumner.frame`.

>>> k = Kolumner({"Fordran": TEXT, "Utfaller": BELOPP})
>>> k.add({"Fordran": "A", "Utfaller": Decimal("10000")})
>>> k.add({"Fordran": "B", "Utfaller": None})
>>> k.frame()["Utfaller"].tolist()
[Decimal('10000.00'), None]
>>> k.frame(belopp="ore")["Utfaller (öre)"].tolist()
[1000000, <NA>]
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..engine.format import ORE
from ._pd import pandas

BELOPP = "belopp"
TEXT = "text"
DATUM = "datum"
FLAGGA = "flagga"
HELTAL = "heltal"
PROCENT = "procent"  # a Decimal fraction (-0.10 for −10 %), exact, not rounded
KINDS = (BELOPP, TEXT, DATUM, FLAGGA, HELTAL, PROCENT)

BELOPP_SATT = ("decimal", "ore")
ATTR = "sakagare_xl.kolumner"
ORE_SUFFIX = " (öre)"


def kolumnnamn(name: str, kind: str, belopp: str) -> str:
    """The column's name in a table: amounts in öre carry the suffix `` (öre)``."""
    return name + ORE_SUFFIX if kind == BELOPP and belopp == "ore" else name


def check_belopp(belopp: str) -> None:
    if belopp not in BELOPP_SATT:
        from ..engine.errors import OgiltigtVarde

        raise OgiltigtVarde(f"'decimal' eller 'ore' väntades, inte '{belopp}'.", "belopp")


class Kolumner:
    """An ordered set of named, typed columns, filled a row at a time (a list per column).

    A list per column rather than a dict per row: a stress test of 10 000 cases × 10 prices has
    several hundred thousand rows, and a dict per row would cost ten times the memory.
    """

    def __init__(self, spec: dict[str, str]):
        self.spec = dict(spec)
        self.data: dict[str, list[Any]] = {name: [] for name in self.spec}
        self.n = 0

    def add(self, row: dict[str, Any]) -> None:
        for name, values in self.data.items():
            values.append(row.get(name))
        self.n += 1

    def extend(self, other: Kolumner) -> None:
        for name, kind in other.spec.items():
            if name not in self.spec:
                self.spec[name] = kind
                self.data[name] = [None] * self.n
        for name, values in self.data.items():
            values.extend(other.data[name] if name in other.data else [None] * other.n)
        self.n += other.n

    def frame(self, belopp: str = "decimal"):
        """A DataFrame of the columns, in order, with the dtypes of the module docstring."""
        check_belopp(belopp)
        pd = pandas()
        cols, kinds = {}, {}
        for name, kind in self.spec.items():
            shown = kolumnnamn(name, kind, belopp)
            cols[shown] = _series(pd, self.data[name], kind, belopp)
            kinds[shown] = kind
        df = pd.DataFrame(cols, index=pd.RangeIndex(self.n))
        df.attrs[ATTR] = kinds  # read by the writers (an all-empty amount column is still an amount)
        return df


def _series(pd, values: list[Any], kind: str, belopp: str):
    if kind == BELOPP:  # ore() inlined: a scenario table has millions of amounts
        q = Decimal.quantize
        if belopp == "ore":
            return pd.array([None if v is None else int(q(v, ORE, ROUND_HALF_UP).scaleb(2)) for v in values],
                            dtype="Int64")
        return pd.Series([None if v is None else q(v, ORE, ROUND_HALF_UP) for v in values], dtype=object)
    if kind == PROCENT:
        return pd.Series(values, dtype=object)
    if kind == DATUM:
        return pd.to_datetime(pd.Series(values, dtype=object))
    if kind == FLAGGA:
        return pd.array(values, dtype="boolean")
    if kind == HELTAL:
        return pd.array(values, dtype="Int64")
    return pd.Series(values, dtype=object if all(v is None for v in values) else None)
