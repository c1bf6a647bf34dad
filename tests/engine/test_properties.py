"""The invariants of RULES.md §7 over random cases (hypothesis).

The default run checks 1 000 random cases per property; ``pytest -m slow`` runs a larger budget.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sakagare_xl.engine import Arende, Fordran, Forsaljning, Inskrivning, berakna

CREDITORS = ["A", "B", "C", "D"]


@st.composite
def cases(draw):
    n = draw(st.integers(1, 7))
    insk = []
    for k in range(n):
        year = draw(st.sampled_from([1980, 1985, 1990, 1990, 1995, 2000]))
        if draw(st.integers(0, 5)) == 0:
            insk.append(Inskrivning(f"R{k}", year, slag=draw(st.sampled_from(["servitut", "hyresavtal"]))))
        else:
            insk.append(Inskrivning(f"P{k}", year, belopp=D(draw(st.integers(1, 500)) * 1000)))
    pant = [i.id for i in insk if i.ar_inteckning]
    holders = {p: draw(st.sampled_from(CREDITORS + [None])) for p in pant}
    claims = []
    for c in CREDITORS:
        mine = [p for p in pant if holders[p] == c]
        second = [p for p in pant if holders[p] != c and draw(st.integers(0, 6)) == 0]
        if not mine and not second:
            continue
        kapital = D(draw(st.integers(0, 900_000_00))) / 100
        claims.append(Fordran(c, c, kapital, ranta=D(draw(st.integers(0, 50_000))), kostnader=D(draw(st.integers(0, 5000))),
                              pantbrev=tuple(mine), overhypotek=tuple(second),
                              personligt_ansvar=draw(st.booleans())))
    konkurs = draw(st.booleans()) or not claims
    if not konkurs:
        k = draw(st.integers(0, len(claims) - 1))
        c = claims[k]
        claims[k] = Fordran(c.id, c.borgenar, c.kapital, c.ranta, c.kostnader, c.pantbrev, c.overhypotek,
                            exekutionsfordran=True, personligt_ansvar=c.personligt_ansvar)
    sale = Forsaljning(manader=D(draw(st.integers(0, 24))), referensranta=D(draw(st.integers(-5, 40))) / 10,
                       forrattningskostnader=D(draw(st.integers(0, 50_000))), konkurs=konkurs,
                       rattighet_bryter_block=draw(st.booleans()),
                       kopeskilling=D(draw(st.integers(0, 3_000_000_00))) / 100)
    return Arende(sale, tuple(insk), tuple(claims))


def with_price(arende, price):
    f = arende.forsaljning
    return Arende(Forsaljning(manader=f.manader, referensranta=f.referensranta,
                              forrattningskostnader=f.forrattningskostnader, konkurs=f.konkurs,
                              rattighet_bryter_block=f.rattighet_bryter_block, kopeskilling=price),
                  arende.inskrivningar, arende.fordringar)


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
