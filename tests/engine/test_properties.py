"""The invariants of RULES.md §7 over random cases (hypothesis).

The default run checks 1 000 random cases per property; ``pytest -m slow`` runs a larger budget.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sakagare_xl.engine import Arende, Fordran, Forsaljning, Inskrivning, berakna

CREDITORS = ["A", "B", "C", "D"]
UTMATNING = dt.date(2013, 3, 1)
#: registration days around the utmätning (FRL 9 §: the day it is entered and later rank after it)
DAYS = [1980, 1985, 1990, 1990, 1995, 2000, dt.date(2013, 2, 28), UTMATNING, dt.date(2013, 3, 5)]
#: attachment days: the same day = at one time (FRL 9 § 4 st.)
ATTACHED = [None, dt.date(2013, 2, 1), UTMATNING, UTMATNING]


@st.composite
def cases(draw):
    dated = draw(st.booleans())  # dates (the utmätning ranks among the registrations) or an exercise's months
    n = draw(st.integers(1, 7))
    insk = []
    for k in range(n):
        year = draw(st.sampled_from(DAYS if dated else DAYS[:6]))
        if draw(st.integers(0, 5)) == 0:
            insk.append(Inskrivning(f"R{k}", year, slag=draw(st.sampled_from(["servitut", "hyresavtal"]))))
        else:
            insk.append(Inskrivning(f"P{k}", year, belopp=D(draw(st.integers(1, 500)) * 1000)))
    pant = [i.id for i in insk if i.ar_inteckning]
    holders = {p: draw(st.sampled_from(CREDITORS + [None])) for p in pant}
    unpledged = [p for p in pant if holders[p] is None]
    claims = []
    for c in CREDITORS:
        mine = [p for p in pant if holders[p] == c]
        second = [p for p in pant if holders[p] != c and draw(st.integers(0, 6)) == 0]
        attached = [p for p in unpledged if draw(st.integers(0, 3)) == 0]
        if not mine and not second and not attached:
            continue
        # a creditor's claims: one, or two on all its pantbrev or on parts of them (blocks per claim, JB 6:3 2 st.)
        split = draw(st.sampled_from(["one", "one", "both", "parts"])) if len(mine) > 1 else "one"
        parts = {"one": [(c, mine)], "both": [(c + "1", mine), (c + "2", mine)],
                 "parts": [(c + "1", mine[: len(mine) // 2]), (c + "2", mine[len(mine) // 2:])]}[split]
        for k, (cid, pantbrev) in enumerate(parts):
            kapital = D(draw(st.integers(0, 900_000_00))) / 100
            claims.append(Fordran(cid, c, kapital, ranta=D(draw(st.integers(0, 50_000))),
                                  kostnader=D(draw(st.integers(0, 5000))), pantbrev=tuple(pantbrev),
                                  overhypotek=tuple(second) if k == 0 else (),
                                  utmatta_pantbrev=tuple(attached) if k == 0 else (),
                                  personligt_ansvar=draw(st.booleans()),
                                  utmatningsdag=draw(st.sampled_from(ATTACHED)) if k == 0 and attached else None))
    if dated and draw(st.booleans()):
        # a creditor who attached the property, with no pantbrev (at one time with the sökande, or not)
        claims.append(Fordran("U", "U", D(draw(st.integers(1, 500_000))), utmatningsdag=draw(st.sampled_from(
            [UTMATNING, dt.date(2013, 2, 1), dt.date(2013, 4, 1)]))))
    konkurs = draw(st.booleans()) or not claims
    if not konkurs:
        k = draw(st.integers(0, len(claims) - 1))
        c = claims[k]
        claims[k] = dataclasses.replace(c, exekutionsfordran=True,
                                        utmatningsdag=None if c.utmatningsdag != UTMATNING else c.utmatningsdag)
    when = (dict(utmatningsdag=UTMATNING, fordelningsdag=dt.date(2013, 9, 1),
                 utmatning_inskrivningsdag=draw(st.sampled_from([None, dt.date(2013, 3, 5)])))
            if dated else dict(manader=D(draw(st.integers(0, 24)))))
    if konkurs and dated:
        when["konkursansokningsdag"] = UTMATNING
    sale = Forsaljning(**when, referensranta=D(draw(st.integers(-5, 40))) / 10,
                       forrattningskostnader=D(draw(st.integers(0, 50_000))), konkurs=konkurs,
                       rattighet_bryter_block=draw(st.booleans()),
                       kopeskilling=D(draw(st.integers(0, 3_000_000_00))) / 100)
    return Arende(sale, tuple(insk), tuple(claims))


def with_price(arende, price):
    return Arende(dataclasses.replace(arende.forsaljning, kopeskilling=price), arende.inskrivningar, arende.fordringar)


def check_invariants(res):
    # conservation to the öre
    assert sum(r.utfaller for r in res.rader) + res.overskott == res.medel
    assert res.overskott >= 0
    # no row above its entitlement, none negative
    for r in res.rader:
        assert 0 <= r.utfaller <= r.formansratt
    # no creditor above its claim
    for f in res.fordringar:
        assert 0 <= f.utfaller <= f.fordran
        assert f.brist == f.fordran - f.utfaller
        assert f.brist_kostnader + f.brist_ranta + f.brist_kapital == f.brist
    # strict priority: nothing paid at a rank while a strictly better rank is short
    short_before = False
    by_rank = defaultdict(list)
    for r in res.rader:
        by_rank[r.ordning].append(r)
    for rank in sorted(by_rank):
        rows = by_rank[rank]
        if short_before:
            assert all(r.utfaller == 0 for r in rows)
        short_before = short_before or any(r.utfaller < r.formansratt for r in rows)
    # a block is one post of pantbrev securing the same claims (JB 6:3 2 st.); its total is the sum of its rows
    blocks = defaultdict(list)
    for r in res.rader:
        if r.block_nr is not None:
            blocks[r.block_nr].append(r)
    for nr, rows in blocks.items():
        assert [r.ids[0] for r in rows] == list(res.rad(nr).block) and rows[-1].nr == nr
        assert len({r.fordran_ids for r in rows}) == 1
        assert all(r.block_formansratt == sum(x.formansratt for x in rows) for r in rows)
    if res.overskott > 0:
        assert all(r.utfaller == r.formansratt for r in res.rader)
    # equal rank: units of a group that is not covered get shares proportional to their entitlements (±n öre)
    for rank, rows in by_rank.items():
        units = defaultdict(lambda: [D(0), D(0)])
        for r in rows:
            units[r.enhet][0] += r.formansratt
            units[r.enhet][1] += r.utfaller
        ent = sum(u[0] for u in units.values())
        got = sum(u[1] for u in units.values())
        if len(units) > 1 and 0 < got < ent:
            for e, g in units.values():
                assert abs(g - got * e / ent) <= D(len(units)) / 100


BUDGET = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BUDGET
@given(cases())
def test_invariants(arende):
    check_invariants(berakna(arende))


@BUDGET
@given(cases(), st.integers(0, 3_000_000_00), st.integers(0, 1_000_000_00))
def test_monotonic_in_price(arende, p1, extra):
    # a higher price never lowers what any row receives
    low = berakna(with_price(arende, D(p1) / 100))
    high = berakna(with_price(arende, D(p1 + extra) / 100))
    for a, b in zip(low.rader, high.rader):
        assert (a.typ, a.ids) == (b.typ, b.ids)
        assert b.utfaller >= a.utfaller
    assert high.overskott >= low.overskott


@BUDGET
@given(cases())
def test_skyddsbelopp_covers_protected_rows(arende):
    # a bid equal to the skyddsbelopp pays every protected row in full (UB 12:29)
    res = berakna(with_price(arende, None))
    priced = berakna(with_price(arende, res.skyddsbelopp))
    for r in priced.rader:
        if r.skyddad:
            assert r.utfaller == r.formansratt


@pytest.mark.slow
@settings(max_examples=10000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(0, 3_000_000_00), st.integers(0, 1_000_000_00))
def test_invariants_large_budget(arende, p1, extra):
    low = berakna(with_price(arende, D(p1) / 100))
    high = berakna(with_price(arende, D(p1 + extra) / 100))
    check_invariants(low)
    check_invariants(high)
    assert all(b.utfaller >= a.utfaller for a, b in zip(low.rader, high.rader))
