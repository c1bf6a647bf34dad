"""The public examples E1–E5 (../shared/domain/EXAMPLES.md) as whole cases, with their provenance."""

from decimal import Decimal as D

import pytest

from sakagare_xl.engine import avgor_dubbelutrop, dubbelutrop_beslut

from .conftest import run_example


def row(res, typ, pid=None):
    return next(r for r in res.rader if r.typ == typ and (pid is None or pid in r.ids))


def test_e1_manader():
    # Lawline, "Hur beräknas det löpande tillägget i 6:3 jordabalken?": 15 000 + 500 × 2 = 16 000; covered 116 000
    res = run_example("e1-lawline-tillagg.toml")
    r = row(res, "fordran", "P1")
    assert r.tillagg_tak == D("16000.00")
    assert r.tillagg == D("16000.00")
    assert r.formansratt == D("116000.00")
    assert res.fordran("A").brist == 0


def test_e1_dagar():
    # EXAMPLES.md E1: `dagar`, 61 days: ceiling 16 002,74; the tillägg used is still 16 000
    res = run_example("e1-lawline-tillagg.toml", tidsberakning="dagar")
    r = row(res, "fordran", "P1")
    assert r.tillagg_tak == D("16002.74")
    assert r.tillagg == D("16000.00")
    assert res.fordran("A").brist == 0


def test_e2_lawline_15971():
    # Lawline 15971: costs before D; A covered, 5 000 ägarhypotek; 130 000 left after A's pantbrev; B covered by
    # tillägg; 55 000 left; C covered, 28 000 ägarhypotek; D 10 000, brist 15 000; owner 33 000; överskott 0
    res = run_example("e2-lawline-15971.toml")
    assert [r.typ for r in res.rader] == [
        "fordran", "agarhypotek", "fordran", "fordran", "agarhypotek", "kostnader", "fordran", "agarhypotek"]
    left = res.medel - sum(r.utfaller for r in res.rader[:2])
    assert left == D(130000)
    left -= res.rader[2].utfaller
    assert left == D(55000)
    assert row(res, "fordran", "P1984").tillagg == D(5000)
    assert row(res, "agarhypotek", "P1980").utfaller == D(5000)
    assert row(res, "agarhypotek", "P1991").utfaller == D(28000)
    assert row(res, "kostnader").utfaller == D(5000)
    d = res.fordran("D")
    assert (d.utfaller, d.brist) == (D(10000), D(15000))
    assert res.agarhypotek_till_agaren == D(33000)
    assert res.overskott == 0
    assert res.skyddsbelopp == D(210000)


@pytest.mark.parametrize("metod, b_covered, skydd", [
    ("manader", D("103685.00"), D("332685.00")),   # EXAMPLES.md E3 (Lawline A–E), 3 months
    ("dagar", D("103652.08"), D("332652.08")),     # EXAMPLES.md E3, 89 days
])
def test_e3_skyddsbelopp(metod, b_covered, skydd):
    res = run_example("e3-lawline-skyddsbelopp.toml", tidsberakning=metod)
    assert row(res, "fordran", "P1990").formansratt == b_covered
    assert res.skyddsbelopp == skydd
    assert res.fordran("B").fordran - res.fordran("B").formansratt == (D(6315) if metod == "manader" else D("6347.92"))


def test_e4_lillbacken():
    # Pluggakuten "Beräkna skyddsbelopp": skyddsbelopp 30 000; servitut first, förbehåll; B's ägarhypotek unprotected
    res = run_example("e4-lillbacken.toml")
    assert res.skyddsbelopp == D(30000)
    s = row(res, "rattighet")
    assert (s.nr, s.status, s.formansratt) == (1, "forbehall", 0)
    a = row(res, "fordran", "P2004")
    assert a.tillagg_tak == D(540000) and a.formansratt == D(3540000)
    assert res.fordran("A").fordran - a.formansratt == D(260000)
    assert not row(res, "agarhypotek", "P2005").skyddad


def test_e5_block():
    # The seed example: block 400 000 + 300 000, 2 %, 6 months: 700 000 × 1,18 = 826 000 at that rank
    res = run_example("e5-2018-block.toml")
    p90, p92 = row(res, "fordran", "P1990"), row(res, "fordran", "P1992")
    assert p92.block == ("P1990", "P1992")
    assert p90.formansratt + p92.formansratt == D(826000)
    assert p92.tillagg == D(126000)
    assert "826 000" in p92.forklaring and "700 000 × (15 % + (2,00 % + 4 %) × 6/12)" in p92.forklaring
    assert row(res, "rattighet", "H1998").status == "dubbelutrop"
    # bid with förbehåll 800 000 does not cover A-bank's 826 000; the bid without covers it better: the right falls
    assert dubbelutrop_beslut(res, "H1998", D(800000), D(1200000)) == "upphor"
    assert dubbelutrop_beslut(res, "H1998", D(830000), D(1200000)) == "forbehall"
    assert dubbelutrop_beslut(res, "H1998", D(800000), D(790000)) == "forbehall"


@pytest.mark.parametrize(
    "ratt, med, utan, status",
    [
        # the case file's bids (examples/e5-2018-block.toml): 800 000 does not cover the 826 000 ranked before the
        # hyresavtal, 1 200 000 covers it: the right falls
        ("H1998", 800000, 1200000, "upphor"),
        (None, 800000, 1200000, "upphor"),  # None: every right needing dubbelutrop (the workbook's header)
        (None, 830000, 1200000, "forbehall"),  # 830 000 covers A-bank's 826 000 (RULES §6)
        (None, 800000, 790000, "forbehall"),  # the bid without covers them no better
    ],
)
def test_e5_dubbelutrop_decided(ratt, med, utan, status):
    """RULES §6 / UB 12 kap. 33 §: with both bids the right's status is decided; the distribution stays."""
    res = run_example("e5-2018-block.toml")
    out = avgor_dubbelutrop(res, [(ratt, D(med), D(utan))])
    h = row(out, "rattighet", "H1998")
    assert h.status == status
    assert "Dubbelutropet (bud med förbehåll" in h.forklaring
    assert out.extra["dubbelutrop"] == [{"ratt": "H1998", "bud_med": float(med), "bud_utan": float(utan),
                                         "beslut": status}]
    assert [r.utfaller for r in out.rader] == [r.utfaller for r in res.rader]
    assert row(res, "rattighet", "H1998").status == "dubbelutrop"  # the result it came from is untouched
    assert row(out, "rattighet", "S1985").status == "forbehall"


def test_e6_utmatning_same_day_and_simultaneous_attachments():
    # E6 (illustrative, hand-derived in the case file): FRL 9 § 3 st. puts A-banken's 128 000 by the utmätning
    # before P2013, sought the utmätning's inskrivningsdag; FRL 9 § 4 st. makes X and Y share P2011 40 000 : 60 000
    res = run_example("e6-utmatning-samma-dag.toml")
    assert [(r.typ, r.ids, r.formansratt) for r in res.rader] == [
        ("kostnader", (), D(20000)), ("fordran", ("P2010",), D(472000)),
        ("utmatt", ("P2011",), D(40000)), ("utmatt", ("P2011",), D(60000)),
        ("fordran", (), D(128000)), ("fordran", ("P2013",), D(250000)), ("agarhypotek", ("P2013",), D(50000))]
    assert [res.fordran(c).utfaller for c in "AXYB"] == [D(600000), D(40000), D(60000), D(250000)]
    assert (res.agarhypotek_till_agaren, res.overskott, res.skyddsbelopp) == (D(30000), D(0), D(20000))
