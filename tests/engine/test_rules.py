"""One rule at a time (RULES.md §2–§7), table-driven where the rule has variants."""

from decimal import Decimal as D

import pytest

from sakagare_xl.engine import berakna

from .build import case, d, ford, pb, ratt, sale


def typs(res):
    return [(r.typ, r.ids, r.ordning) for r in res.rader]


def test_same_day_is_equal_rank_and_shares_pro_rata():
    # RULES §2: same inskrivningsdag = equal rank; §7 p. 3: shares in proportion to the entitlements
    res = berakna(case(sale(kopeskilling=D(100000)),
                       [pb("P1", d(2000, 5, 10), 100000), pb("P2", d(2000, 5, 10), 300000)],
                       [ford("A", 100000, "P1"), ford("B", 300000, "P2", exekutionsfordran=True)]))
    a, b = res.fordran("A"), res.fordran("B")
    assert res.rader[1].ordning == res.rader[2].ordning
    assert (a.utfaller, b.utfaller) == (D(25000), D(75000))


def test_explicit_order_on_the_same_day():
    res = berakna(case(sale(kopeskilling=D(100000)),
                       [pb("P1", d(2000, 5, 10), 100000, ordning=2), pb("P2", d(2000, 5, 10), 300000, ordning=1)],
                       [ford("A", 100000, "P1"), ford("B", 300000, "P2", exekutionsfordran=True)]))
    assert res.fordran("B").utfaller == D(100000) and res.fordran("A").utfaller == 0


def test_equal_rank_within_pantbrev_creditor_before_owner():
    # a pantbrev is one sharing unit: its creditor is paid before its ägarhypotek
    res = berakna(case(sale(kopeskilling=D(109)),
                       [pb("P1", d(2000, 1, 1), 100), pb("P2", d(2000, 1, 1), 100)],
                       [ford("X", 50, "P1"), ford("Y", 118, "P2", exekutionsfordran=True)]))
    # units: P1 = 50 + 50 ägarhypotek (100), P2 = 100 + 18 tillägg (118); 109 split 100:118
    assert res.fordran("X").utfaller == D(50) and res.agarhypotek_till_agaren == D(0)
    assert res.fordran("Y").utfaller == D(59)


@pytest.mark.parametrize("konkurs, expected_first", [(False, "fordran"), (True, "kostnader")])
def test_cost_placement(konkurs, expected_first):
    kw = dict(konkurs=True, konkursansokningsdag=d(2020, 1, 1), fordelningsdag=d(2020, 7, 1), manader=None) if konkurs else {}
    res = berakna(case(sale(forrattningskostnader=D(10000), **kw),
                       [pb("P1", 1990, 100000), pb("P2", 1995, 100000)],
                       [ford("A", 50000, "P1"), ford("B", 50000, "P2", exekutionsfordran=not konkurs)]))
    assert res.rader[0].typ == expected_first
    if not konkurs:
        i = [r.typ for r in res.rader].index("kostnader")
        assert res.rader[i + 1].fordran_ids == ("B",)
        assert res.skyddsbelopp == D(110000)   # costs + A 50 000 + A's ägarhypotek 50 000
    else:
        # konkurs without sökande: everything with priority is protected
        assert res.skyddsbelopp == D(210000) and res.exekutionsfordran is None


def test_costs_before_best_ranked_pantbrev_of_sokande():
    res = berakna(case(sale(forrattningskostnader=D(5000)),
                       [pb("P1", 1990, 100000), pb("P2", 1995, 100000), pb("P3", 2000, 100000)],
                       [ford("A", 300000, "P1", "P3", exekutionsfordran=True), ford("B", 90000, "P2")]))
    assert res.rader[0].typ == "kostnader" and res.skyddsbelopp == D(5000)


@pytest.mark.parametrize("bryter, block", [(True, False), (False, True)])
def test_right_between_pantbrev_breaks_block_by_default(bryter, block):
    # RULES §4: a registered right between two pantbrev breaks the block unless rattighet_bryter_block = false
    res = berakna(case(sale(rattighet_bryter_block=bryter, kopeskilling=D(2000000)),
                       [pb("P1990", 1990, 400000), ratt("S1991", 1991), pb("P1992", 1992, 300000)],
                       [ford("A", 1300000, "P1990", "P1992"), ford("C", 10, exekutionsfordran=True, rangdag=d(2019, 1, 1))]))
    a = [r for r in res.rader if r.fordran_ids == ("A",)]
    total = sum(r.formansratt for r in a)
    if block:
        assert total == D(826000) and a[-1].block == ("P1990", "P1992")
    else:
        # each pantbrev separately: 400 000 + 72 000, then 300 000 + 54 000
        assert [r.formansratt for r in a] == [D(472000), D(354000)]
        assert total == D(826000)


def test_non_block_claim_capital_then_tillagg_then_next():
    # RULES §4: not a block (another creditor in between): capital of the first, its tillägg, then the next
    res = berakna(case(sale(kopeskilling=D(10**7)),
                       [pb("P1", 1990, 100000), pb("P2", 1991, 50000), pb("P3", 1992, 100000)],
                       [ford("A", 150000, "P1", "P3", exekutionsfordran=True), ford("B", 50000, "P2")]))
    a = [r for r in res.rader if r.fordran_ids == ("A",)]
    assert [(r.kapitaldel, r.tillagg) for r in a] == [(D(100000), D(18000)), (D(32000), D(0))]
    assert res.rader[-1].typ == "agarhypotek" and res.rader[-1].formansratt == D(68000)


def test_unused_ceiling_is_never_agarhypotek():
    res = berakna(case(sale(), [pb("P", 1990, 100000)], [ford("A", 105000, "P", exekutionsfordran=True)]))
    assert [r.typ for r in res.rader] == ["kostnader", "fordran"]
    assert res.rader[1].tillagg == D(5000) and res.rader[1].tillagg_tak == D(18000)


def test_overhypotek_and_attached_without_tillagg():
    # RULES §5 / JB 6:3 3 st.: paid from the ägarhypotek, no tillägg
    res = berakna(case(sale(kopeskilling=D(10**7)),
                       [pb("P1", 1990, 100000), pb("P2", 1991, 100000)],
                       [ford("A", 60000, "P1"),
                        ford("B", 80000, overhypotek=("P1",)),
                        ford("C", 500000, utmatta_pantbrev=("P2",), exekutionsfordran=True)]))
    rows = {(r.typ, r.ids): r for r in res.rader}
    assert rows[("overhypotek", ("P1",))].formansratt == D(40000)
    assert rows[("utmatt", ("P2",))].formansratt == D(100000)
    assert all(r.tillagg == 0 for r in res.rader if r.typ in ("overhypotek", "utmatt"))


def test_holder_without_claim_listed_for_pantbrev_amount():
    # RULES §5: a pantbrev held by someone else with no claim notified is listed as the holder's claim
    res = berakna(case(sale(utmatningsdag=d(2013, 3, 1), fordelningsdag=d(2013, 9, 1)),
                       [pb("P1", 1990, 100000, innehavare="Bank X")],
                       [ford("S", 1000, exekutionsfordran=True)]))
    f = res.fordran("P1 (innehav)")
    assert f.borgenar == "Bank X" and f.formansratt == D(100000)


def test_frl6_1_comes_first_and_unsecured_sokande_at_utmatning():
    res = berakna(case(sale(utmatningsdag=d(2013, 3, 1), fordelningsdag=d(2013, 9, 1), forrattningskostnader=D(1000)),
                       [pb("P1", 2010, 100000), pb("P2", 2014, 100000)],
                       [ford("S", 20000, frl6_1=True), ford("A", 100000, "P1"), ford("U", 50000, exekutionsfordran=True),
                        ford("B", 100000, "P2")]))
    assert [r.typ for r in res.rader][:5] == ["frl6", "fordran", "kostnader", "fordran", "fordran"]
    assert res.rader[3].fordran_ids == ("U",) and res.rader[4].ids == ("P2",)
    assert res.skyddsbelopp == D(121000)


def test_remainder_of_sokande_claim_has_priority_from_utmatning():
    # FRL 8 §: the part the pantbrev do not cover ranks at the utmätning (E4: 260 000 after B's pantbrev)
    res = berakna(case(sale(utmatningsdag=d(2013, 3, 1), fordelningsdag=d(2013, 9, 1)),
                       [pb("P1", 2004, 100000), pb("P2", 2005, 100000), pb("P3", 2014, 100000)],
                       [ford("A", 200000, "P1", exekutionsfordran=True), ford("B", 50000, "P2"), ford("C", 1, "P3")]))
    assert [(r.typ, r.ids, r.fordran_ids) for r in res.rader][-3:] == [
        ("fordran", (), ("A",)), ("fordran", ("P3",), ("C",)), ("agarhypotek", ("P3",), ())]


@pytest.mark.parametrize("days, status", [
    ([1981, 1990], ["forbehall", None]),                 # right first: förbehåll
    ([1995, 1990], [None, "dubbelutrop"]),               # right after a protected claim, before the sökande
    ([2005, 1990], [None, "upphor"]),                    # right after the sökande: falls
])
def test_rights(days, status):
    sdag, pdag = days
    res = berakna(case(sale(), [ratt("S", sdag), pb("P0", pdag, 100000), pb("P9", 2000, 100000)],
                       [ford("A", 100000, "P0"), ford("X", 100000, "P9", exekutionsfordran=True)]))
    assert [r.status for r in res.rader if r.typ == "rattighet"] == [s for s in status if s]


def test_right_after_sokande_kept_when_price_covers_everything_before():
    c = case(sale(kopeskilling=D(10**6)), [pb("P", 1990, 100000), ratt("S", 2005)],
             [ford("A", 100000, "P", exekutionsfordran=True)])
    assert berakna(c).rader[-1].status == "forbehall"


@pytest.mark.parametrize("ansvar", [True, False])
def test_brist_split_and_recourse(ansvar):
    # RULES §7 p. 5–6: costs, then interest, then capital; recourse decides personal claim vs loss
    res = berakna(case(sale(kopeskilling=D(50000)), [pb("P", 1990, 100000)],
                       [ford("A", 100000, "P", ranta=D(10000), kostnader=D(5000), exekutionsfordran=True,
                             personligt_ansvar=ansvar)]))
    a = res.fordran("A")
    assert (a.utfaller, a.brist, a.brist_kostnader, a.brist_ranta, a.brist_kapital) == (
        D(50000), D(65000), D(0), D(0), D(65000))
    assert (a.brist_personlig, a.brist_forlust) == ((D(65000), D(0)) if ansvar else (D(0), D(65000)))


def test_overskott_goes_to_owner_separately_from_agarhypotek():
    res = berakna(case(sale(kopeskilling=D(300000)), [pb("P", 1990, 200000)], [ford("A", 50000, "P", exekutionsfordran=True)]))
    assert (res.agarhypotek_till_agaren, res.overskott) == (D(150000), D(100000))


def test_json_shape():
    res = berakna(case(sale(kopeskilling=D(300000)), [pb("P", 1990, 200000)], [ford("A", 50000, "P", exekutionsfordran=True)]))
    j = res.to_dict()
    for key in ("skyddsbelopp", "lagsta_bud", "overskott", "rader", "fordringar", "installningar"):
        assert key in j
    for key in ("ordning", "typ", "ids", "formansratt", "tillagg", "skyddad", "utfaller", "forklaring"):
        assert key in j["rader"][0]
    for key in ("id", "borgenar", "fordran", "utfaller", "brist"):
        assert key in j["fordringar"][0]


def test_right_holder_is_shown_as_sakagare():
    res = berakna(case(sale(), [ratt("S", 1981, innehavare="Granne, Norrgården 1:2"), pb("P", 1990, 100)],
                       [ford("A", 100, "P", exekutionsfordran=True)]))
    assert res.rader[0].sakagare == "Granne, Norrgården 1:2" and res.rader[0].status == "forbehall"
