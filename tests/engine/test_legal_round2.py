"""Issue 9, the legal rules of the second round: blocks per claim, the utmätning's rank, simultaneous
attachments, a block as one post, and explanations that grow linearly. Every number is derived by hand in
the comment beside it; the statute is quoted in docs/rules.md (choices 9–11, 18–21)."""

import json
from decimal import Decimal as D

import pytest

from sakagare_xl.engine import berakna

from .build import case, d, ford, pb, ratt, sale


def by_claim(res, cid):
    return [r for r in res.rader if cid in r.fordran_ids]


# ---------------------------------------------------------------------------------------------- 1. blockregeln
# JB 6 kap. 3 § 2 st.: "Har flera pantbrev överlämnats som pant för fordran och har pantbreven lika rätt eller
# följer de omedelbart efter varandra, skall de vid tillämpningen av första stycket anses som ett pantbrev."
# Every case: 2 %, 6 months, so a ceiling is P × (15 % + 6 % × 6/12) = P × 18 %.

def test_seed_two_claims_each_secured_by_every_pantbrev_form_one_block():
    # RULES §4 seed: A-banken, 1 300 000 as two claims (800 000 + 500 000), each pledged with P1990 + P1992.
    # Block 700 000, ceiling 126 000: 826 000 together. Capital in listed order: A1 takes 400 000 (P1990) and
    # 300 000 (P1992), 100 000 of the tillägg; A2 the remaining 26 000 of the tillägg.
    res = berakna(case(sale(kopeskilling=D(10**7)), [pb("P1990", 1990, 400000), pb("P1992", 1992, 300000)],
                       [ford("A1", 800000, "P1990", "P1992", borgenar="A-banken"),
                        ford("A2", 500000, "P1990", "P1992", borgenar="A-banken", exekutionsfordran=True)]))
    assert (res.fordran("A1").formansratt, res.fordran("A2").formansratt) == (D(800000), D(26000))
    rows = [r for r in res.rader if r.typ == "fordran" and r.ids]
    assert [(r.block, r.block_nr) for r in rows] == [((), rows[1].nr), (("P1990", "P1992"), rows[1].nr)]
    assert [r.block_formansratt for r in rows] == [D(826000)] * 2


@pytest.mark.parametrize("label, pantbrev_x, pantbrev_y, kapital_x, kapital_y, expect_x, expect_y, agarhyp", [
    # P1 only for X, P2 only for Y (one bank): no block. X: 400 000 + min(200 000, 72 000) = 472 000; Y: 100 000
    # of P2's capital, no tillägg needed; P2's unused 200 000 is ägarhypotek (the old per-creditor block gave X
    # a ceiling on 700 000 while P2's 200 000 was also ägarhypotek).
    ("separate claims", ("P1",), ("P2",), 600000, 100000, D(472000), D(100000), {"P2": D(200000)}),
    # P1 for X and Y, P2 only for X: the pantbrev do not secure the same claims, so no block. P1: X 400 000;
    # P1's tillägg for X's 50 000 and Y's 30 000, ceiling 72 000: X 50 000, Y 22 000 (listed order); P2 is not
    # needed by X (0 left): ägarhypotek 300 000. (A block P1+P2 for X would have put 50 000 on P2's capital.)
    ("overlapping claims", ("P1", "P2"), ("P1",), 450000, 30000, D(450000), D(22000), {"P2": D(300000)}),
])
def test_pantbrev_for_different_claims_form_no_block(label, pantbrev_x, pantbrev_y, kapital_x, kapital_y,
                                                      expect_x, expect_y, agarhyp):
    res = berakna(case(sale(kopeskilling=D(10**7)), [pb("P1", 1990, 400000), pb("P2", 1992, 300000)],
                       [ford("X", kapital_x, *pantbrev_x, borgenar="Banken"),
                        ford("Y", kapital_y, *pantbrev_y, borgenar="Banken"),
                        ford("S", 1, exekutionsfordran=True, rangdag=d(2019, 1, 1))]))
    assert (res.fordran("X").formansratt, res.fordran("Y").formansratt) == (expect_x, expect_y), label
    assert {r.ids[0]: r.formansratt for r in res.rader if r.typ == "agarhypotek"} == agarhyp
    assert not any(r.block or r.block_nr for r in res.rader)


def test_block_of_one_claim_capital_across_the_block():
    # the same claim on both: a block. X 450 000 on 400 000 + 300 000: capital 400 000 + 50 000, no tillägg
    # needed; P2's unused 250 000 is ägarhypotek; the block's förmånsrätt is 450 000.
    res = berakna(case(sale(kopeskilling=D(10**7)), [pb("P1", 1990, 400000), pb("P2", 1992, 300000)],
                       [ford("X", 450000, "P1", "P2", exekutionsfordran=True)]))
    assert [(r.typ, r.formansratt) for r in res.rader if r.ids] == [
        ("fordran", D(400000)), ("fordran", D(50000)), ("agarhypotek", D(250000))]
    assert {r.block_formansratt for r in res.rader if r.typ == "fordran" and r.ids} == {D(450000)}


# ------------------------------------------------------------------------------ 2. the utmätning's rank
# FRL 9 § 3 st.: "Förmånsrätt på grund av utmätning har företräde ... framför förmånsrätt på grund av annan
# inteckning, vilken har sökts samma inskrivningsdag som ett ärende angående anteckning om utmätningen har
# tagits upp eller senare." UB 4 kap. 30 § 4 st.: the same for a right sought on that inskrivningsdag.
# Case: S 150 000 on P1 (2010, 100 000): 100 000 + 18 000 at P1, 32 000 by the utmätning (FRL 8 §). B 100 000 on
# P2 (100 000). Price 200 000: 118 000 to S at P1, 82 000 left for the utmätning and P2 in their order.

@pytest.mark.parametrize("p2_dag, insk_dag, utmatning_first, s_gets, b_gets", [
    (d(2013, 2, 28), None, False, D(118000), D(82000)),          # sought the day before: P2 first
    (d(2013, 3, 1), None, True, D(150000), D(50000)),            # same day as the utmätning: the utmätning first
    (d(2013, 3, 5), None, True, D(150000), D(50000)),            # later
    (d(2013, 3, 5), d(2013, 3, 5), True, D(150000), D(50000)),   # utmätning entered 5 March, P2 sought that day
    (d(2013, 3, 5), d(2013, 3, 8), False, D(118000), D(82000)),  # utmätning entered 8 March, P2 sought before
])
def test_utmatning_outranks_inteckning_sought_on_its_inskrivningsdag_or_later(
        p2_dag, insk_dag, utmatning_first, s_gets, b_gets):
    res = berakna(case(sale(utmatningsdag=d(2013, 3, 1), utmatning_inskrivningsdag=insk_dag,
                            fordelningsdag=d(2013, 9, 1), kopeskilling=D(200000)),
                       [pb("P1", 2010, 100000), pb("P2", p2_dag, 100000)],
                       [ford("S", 150000, "P1", exekutionsfordran=True), ford("B", 100000, "P2")]))
    order = [("utm" if not r.ids and r.fordran_ids == ("S",) else r.ids[0]) for r in res.rader if r.typ == "fordran"]
    assert order == (["P1", "utm", "P2"] if utmatning_first else ["P1", "P2", "utm"])
    assert (res.fordran("S").utfaller, res.fordran("B").utfaller) == (s_gets, b_gets)


@pytest.mark.parametrize("dag, after", [(d(2013, 2, 28), False), (d(2013, 3, 1), True)])
def test_right_sought_on_the_utmatnings_inskrivningsdag_ranks_after_it(dag, after):
    # UB 4 kap. 30 § 4 st.: "Utmätning av fast egendom medför företräde framför rättighet i egendomen, om ärende
    # angående anteckning om utmätningen tas upp senast på den inskrivningsdag då inskrivning av rättigheten söks."
    res = berakna(case(sale(utmatningsdag=d(2013, 3, 1), fordelningsdag=d(2013, 9, 1)),
                       [ratt("R", dag)], [ford("S", 1000, exekutionsfordran=True)]))
    assert [r.typ for r in res.rader] == (["kostnader", "fordran", "rattighet"] if after
                                          else ["rattighet", "kostnader", "fordran"])
    assert res.rader[-1 if after else 0].status == ("upphor" if after else "forbehall")


# ------------------------------------------------------------------------------ 3. simultaneous attachments
# FRL 9 § 4 st.: "Utmätning ger företräde framför senare utmätning av samma egendom ... Utmätning för flera
# fordringar på en gång ger lika rätt." The input's time is a day: the same utmatningsdag = at one time.

@pytest.mark.parametrize("dag_x, dag_y, expect_x, expect_y", [
    (None, None, D(40000), D(60000)),                       # both at the sale's utmätning: 100 000 × 80/200, × 120/200
    (d(2013, 3, 1), d(2013, 3, 1), D(40000), D(60000)),     # the same day given
    (d(2013, 2, 1), d(2013, 3, 1), D(80000), D(20000)),     # X first: 80 000, Y the 20 000 left
    (d(2013, 3, 1), d(2013, 2, 1), D(0), D(100000)),        # Y first takes all 100 000
])
def test_attachments_of_one_pantbrev_rank_by_time_and_share_when_simultaneous(dag_x, dag_y, expect_x, expect_y):
    # the owner's pantbrev P (100 000) attached for X (80 000) and Y (120 000); the sökande S on P0
    res = berakna(case(sale(utmatningsdag=d(2013, 3, 1), fordelningsdag=d(2013, 9, 1), kopeskilling=D(10**6)),
                       [pb("P0", 1990, 10000), pb("P", 1995, 100000)],
                       [ford("S", 10000, "P0", exekutionsfordran=True),
                        ford("X", 80000, utmatta_pantbrev=("P",), utmatningsdag=dag_x),
                        ford("Y", 120000, utmatta_pantbrev=("P",), utmatningsdag=dag_y)]))
    assert (res.fordran("X").formansratt, res.fordran("Y").formansratt) == (expect_x, expect_y)
    assert (res.fordran("X").utfaller, res.fordran("Y").utfaller) == (expect_x, expect_y)


def test_simultaneous_attachments_share_a_short_price_pro_rata():
    # price 60 000: S 10 000 on P0; 50 000 left for P's rows X 40 000 and Y 60 000 of equal rank: 20 000 + 30 000
    # (not X first, as rows of one pantbrev otherwise are)
    res = berakna(case(sale(utmatningsdag=d(2013, 3, 1), fordelningsdag=d(2013, 9, 1), kopeskilling=D(60000)),
                       [pb("P0", 1990, 10000), pb("P", 1995, 100000)],
                       [ford("S", 10000, "P0", exekutionsfordran=True),
                        ford("X", 80000, utmatta_pantbrev=("P",)), ford("Y", 120000, utmatta_pantbrev=("P",))]))
    assert (res.fordran("X").utfaller, res.fordran("Y").utfaller) == (D(20000), D(30000))


@pytest.mark.parametrize("dag_t, expect_s, expect_t", [
    (d(2013, 3, 1), D(50000), D(150000)),    # at one time with the sökande: 200 000 × 100/400 and × 300/400
    (d(2013, 2, 1), D(0), D(200000)),        # T attached (and was entered) earlier: T first
    (d(2013, 4, 1), D(100000), D(100000)),   # T later: S in full, T the rest
])
def test_attachments_of_the_property_rank_by_time(dag_t, expect_s, expect_t):
    # S (sökande, 100 000) and T (300 000) attached the property, no pantbrev; price 200 000, no costs
    res = berakna(case(sale(utmatningsdag=d(2013, 3, 1), fordelningsdag=d(2013, 9, 1), kopeskilling=D(200000)),
                       [], [ford("S", 100000, exekutionsfordran=True), ford("T", 300000, utmatningsdag=dag_t)]))
    assert (res.fordran("S").utfaller, res.fordran("T").utfaller) == (expect_s, expect_t)


# ------------------------------------------------------------------------------ explanations stay linear

def _explained(n: int, one_claim: bool) -> tuple[int, int]:
    day = d(2020, 5, 4)
    insk = [pb(f"P{k}", day, 1000) for k in range(n)]
    if one_claim:   # one claim on all: one block of n pantbrev of equal rank
        claims = [ford("A", 10 * n * 1000, *[i.id for i in insk], exekutionsfordran=True)]
    else:           # n creditors of equal rank
        claims = [ford(f"C{k}", 1500, f"P{k}", exekutionsfordran=k == 0) for k in range(n)]
    res = berakna(case(sale(kopeskilling=D(n * 500)), insk, claims))
    lengths = [len(r.forklaring) for r in res.rader]
    # the whole JSON result: the explanations and every list in it (a block's pantbrev are listed once)
    return len(json.dumps(res.to_dict(), ensure_ascii=False)), max(lengths)


@pytest.mark.parametrize("one_claim", [True, False])
def test_explanations_grow_linearly_with_same_day_registrations(one_claim):
    # issue 10: 10 000 inskrivningar on one day gave explanations growing with the square; the group is named
    # once and referred to, so ten times the rows give about ten times the JSON and no longer a row's text
    total_100, longest_100 = _explained(100, one_claim)
    total_1000, longest_1000 = _explained(1000, one_claim)
    assert total_1000 < 11 * total_100
    assert longest_1000 < 1.2 * longest_100   # only the amounts have more digits
