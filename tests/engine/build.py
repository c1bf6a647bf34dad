"""Small builders for table-driven engine tests."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from sakagare_xl.engine import Arende, Fordran, Forsaljning, Inskrivning


def sale(**kw) -> Forsaljning:
    base = dict(manader=D(6), referensranta=D(2), forrattningskostnader=D(0))
    base.update(kw)
    if "utmatningsdag" in kw or "konkursansokningsdag" in kw:
        base.pop("manader", None) if "manader" not in kw else None
    return Forsaljning(**base)


def pb(id, dag, belopp, **kw) -> Inskrivning:
    return Inskrivning(id, dag, belopp=D(belopp), **kw)


def ratt(id, dag, slag="servitut", **kw) -> Inskrivning:
    return Inskrivning(id, dag, slag=slag, **kw)


def ford(id, kapital, *pantbrev, borgenar=None, **kw) -> Fordran:
    return Fordran(id, borgenar or id, D(kapital), pantbrev=tuple(pantbrev), **kw)


def case(forsaljning, inskrivningar, fordringar) -> Arende:
    return Arende(forsaljning, tuple(inskrivningar), tuple(fordringar))


d = dt.date
