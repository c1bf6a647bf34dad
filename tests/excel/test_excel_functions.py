"""Every Excel function called as Excel would call it, checked against the examples and the engine."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from conftest import HEAD, e2_range, e3_range, e4_range, e5_range

from sakagare_xl.adapters import functions as F
from sakagare_xl.adapters.functions import (
    BRIST,
    CACHE,
    COVERAGE,
    FORDELNING,
    FORDELNING_RUBRIK,
    FORKLARING,
    FUNCTIONS,
    OVERSKOTT,
    RADKOLUMNER,
    REFERENSRANTA,
    SAK_RAD,
    SAK_SUMMA,
    SKYDDSBELOPP,
    SUMMOR,
    TILLAGG,
    TILLAGG_DATUM,
)
from sakagare_xl.adapters.omrade import las_omrade
from sakagare_xl.engine import berakna
from sakagare_xl.engine.errors import OgiltigtDatum, ReferensrantaSaknas, SakagareError, SaknatVarde
from sakagare_xl.engine.tillagg import tillagg_tak_datum
from sakagare_xl.referensranta_data import las_tabell


def test_registry_names_are_upper_case_ascii():
    assert list(FUNCTIONS) == [
        "TILLAGG", "TILLAGG_DATUM", "REFERENSRANTA", "COVERAGE", "SKYDDSBELOPP", "BRIST", "OVERSKOTT",
        "FORDELNING", "FORKLARING", "SAK_RAD", "SAK_SUMMA",
    ]
    for name, fn in FUNCTIONS.items():
        assert name.isascii() and name == name.upper() and fn.__name__ == name


# ---------------------------------------------------------------------------------------------- TILLAGG


@pytest.mark.parametrize(
    "args, expected",
    [
        # E5, the seed example: 700 000 × (15 % + 6 % × 6/12) = 126 000, so 826 000 is covered at that rank
        ((700000.0, 0.02, 6.0), 126000.0),
        ((700000, 0.02, 6), 126000.0),  # ints, as a Python caller would pass them
        (([[700000.0]], [[0.02]], [[6.0]]), 126000.0),  # single cells as 1×1 ranges
        (("700 000", "2 %", "6"), 126000.0),  # text in number cells
        # E1, Lawline "Hur beräknas det löpande tillägget": 100 000, 2 %, 2 months → ceiling 16 000,
        # claim 116 000 needs all of it
        ((100000.0, 0.02, 2.0), 16000.0),
        ((100000.0, 0.02, 2.0, 116000.0), 16000.0),
        ((100000.0, 0.02, 2.0, 90000.0), 0.0),  # a claim below the pantbrev needs no tillägg
        ((100000.0, 0.02, 2.0, 105000.0), 5000.0),  # min(claim − pantbrev, ceiling)
        ((100000.0, 0.02, 2.0, None), 16000.0),  # an empty optional cell
        ((100000.0, 0.02, 2.0, ""), 16000.0),
        # E3: B's ceiling 89 000 × (15 % + 6 % × 3/12) = 14 685
        ((89000.0, 0.02, 3.0), 14685.0),
        # E2: B needs 5 000 of tillägg at 1.5 %, no time (below the 15 % part)
        ((70000.0, 0.015, 0.0, 75000.0), 5000.0),
        # no floor on the referensränta: −0.5 % gives 3.5 % a year (RULES §3)
        ((100000.0, -0.005, 12.0), 18500.0),
    ],
)
def test_tillagg(args, expected):
    assert TILLAGG(*args) == expected


def test_seed_example_with_the_block():
    assert TILLAGG(700000, 0.02, 6) + 700000 == 826000.0


@pytest.mark.parametrize(
    "args, text",
    [
        ((-100.0, 0.02, 6.0), "Fel i argumentet inteckning: inteckningsbeloppet är negativt (-100)"),
        (("sjuhundratusen", 0.02, 6.0), "inte texten 'sjuhundratusen'"),
        ((700000.0, 2.0, 6.0), "2 kan läsas som 200 % eller 2 %"),
        ((700000.0, 0.02, -1.0), "argumentet months"),
        ((700000.0, None, 6.0), "räntesatsen saknas"),
        ((700000.0, 0.02, 6.0, "mycket"), "argumentet fordran"),
    ],
)
def test_tillagg_errors(args, text):
    with pytest.raises(SakagareError) as exc:
        TILLAGG(*args)
    assert text in str(exc.value)


# ---------------------------------------------------------------------------------------------- TILLAGG_DATUM


def test_tillagg_datum_piecewise_by_half_year():
    # 2022-10-01 → 2023-04-01 crosses 1 January: 3 months at 0.50 % (2022 H2) and 3 at 2.50 % (2023 H1),
    # riksbank.se referensränta: 100 000 × (15 % + 4.5 % × 3/12 + 6.5 % × 3/12) = 17 750
    for fran, till in [
        (44835.0, 45017.0),  # Excel serial numbers (xlwings Lite)
        (dt.datetime(2022, 10, 1), dt.datetime(2023, 4, 1)),  # datetimes (classic xlwings)
        ("2022-10-01", "2023-04-01"),  # ISO text
    ]:
        assert TILLAGG_DATUM(100000.0, fran, till) == 17750.0


def test_tillagg_datum_against_the_engine():
    tabell = las_tabell()
    for fran, till, metod in [
        (dt.date(2018, 1, 1), dt.date(2018, 7, 1), "manader"),
        (dt.date(2013, 10, 1), dt.date(2013, 12, 1), "dagar"),
        (dt.date(2019, 2, 1), dt.date(2024, 3, 15), "manader"),
    ]:
        expected = tillagg_tak_datum(Decimal(250000), fran, till, tabell, tidsberakning=metod).tak
        got = TILLAGG_DATUM(250000.0, fran.isoformat(), till.isoformat(), None, None, metod)
        assert got == float(expected.quantize(Decimal("0.01")))


def test_tillagg_datum_sakagarforteckningsdag_freezes_the_rate():
    # after 2022-12-31 the 0.50 % of that day is kept: 100 000 × (15 % + 4.5 % × 6/12) = 17 250
    assert TILLAGG_DATUM(100000.0, "2022-10-01", "2023-04-01", None, "2022-12-31") == 17250.0


def test_tillagg_datum_with_claim():
    assert TILLAGG_DATUM(100000.0, "2022-10-01", "2023-04-01", 110000.0) == 10000.0
    assert TILLAGG_DATUM(100000.0, "2022-10-01", "2023-04-01", 200000.0) == 17750.0


def test_tillagg_datum_reversed_dates_name_the_arguments():
    with pytest.raises(OgiltigtDatum) as exc:
        TILLAGG_DATUM(100000.0, 45017.0, 44835.0)
    assert str(exc.value) == (
        "Fel i argumenten fran och till: till (2022-10-01) ligger före fran (2023-04-01); byt plats på datumen."
    )


def test_tillagg_datum_outside_the_table():
    with pytest.raises(ReferensrantaSaknas, match="Ange referensräntan för hand"):
        TILLAGG_DATUM(100000.0, "1990-01-01", "1990-07-01")


def test_tillagg_datum_bad_tidsberakning():
    with pytest.raises(SakagareError, match="argumentet tidsberakning"):
        TILLAGG_DATUM(100000.0, "2022-10-01", "2023-04-01", None, None, "veckor")


# ---------------------------------------------------------------------------------------------- REFERENSRANTA


@pytest.mark.parametrize(
    "datum, expected",
    [
        # riksbank.se statistics table (sakagare_xl/data/referensranta.csv)
        (dt.datetime(2018, 3, 15), -0.005),
        (43101.0, -0.005),  # 2018-01-01 as a serial number
        ("2023-01-01", 0.025),
        ("2023-07-01", 0.035),
    ],
)
def test_referensranta(datum, expected):
    assert REFERENSRANTA(datum) == expected


def test_referensranta_outside_and_blank():
    with pytest.raises(ReferensrantaSaknas):
        REFERENSRANTA("1999-01-01")
    with pytest.raises(SaknatVarde, match="argumentet datum"):
        REFERENSRANTA(None)


# ---------------------------------------------------------------------------------------------- the range functions


def test_e2_lawline_15971():
    # E2 (Lawline 15971): D receives 10 000 and has a brist of 15 000; the owner receives 33 000 of
    # ägarhypotek; överskott 0; skyddsbelopp with D as sökande 210 000 (ägarhypotek included)
    r = e2_range()
    assert COVERAGE(r) == [[90000.0], [75000.0], [40000.0], [10000.0], [""]]  # trailing empty row → ""
    assert BRIST(r) == [[0.0], [0.0], [0.0], [15000.0], [""]]
    assert SKYDDSBELOPP(r) == 210000.0
    assert OVERSKOTT(r) == 0.0
    assert SAK_SUMMA(r, "agarhypotek") == 33000.0
    assert [SAK_RAD(r, n, "agarhypotek") for n in (1, 2, 3, 4)] == [5000.0, 0.0, 28000.0, 15000.0]
    # B is fully covered by tillägg; the unused room is not ägarhypotek
    assert SAK_RAD(r, 2, "tillagg") == 5000.0 and SAK_RAD(r, 2, "formansratt") == 75000.0
    assert SAK_SUMMA(r, "kostnader_utfaller") == 5000.0


def test_e3_skyddsbelopp():
    # E3 (Lawline, A–E): skyddsbelopp = 92 000 + 103 685 + 107 000 + 30 000 = 332 685 (manader);
    # with dagar (89 days) B is covered 103 652.08 and the skyddsbelopp is 332 652.08
    assert SKYDDSBELOPP(e3_range()) == 332685.0
    assert SKYDDSBELOPP(e3_range(serial=True)) == 332685.0  # dates as serial numbers
    assert SKYDDSBELOPP(e3_range("dagar")) == 332652.08
    assert SAK_RAD(e3_range(), 2, "formansratt") == 103685.0
    assert SAK_RAD(e3_range("dagar"), 2, "formansratt") == 103652.08
    assert SAK_SUMMA(e3_range(), "lagsta_bud") == 332685.0
    assert [SAK_RAD(e3_range(), n, "skyddad") for n in range(1, 6)] == [True, True, True, False, False]


def test_e4_right_kept_by_forbehall():
    # E4 (Pluggakuten, Lillbäcken 1:1): skyddsbelopp 30 000; the 1981 servitut ranks first and is kept by
    # förbehåll but adds no money
    r = e4_range()
    assert SKYDDSBELOPP(r) == 30000.0
    assert SAK_RAD(r, 1, "status") == "förbehåll"
    assert SAK_RAD(r, 1, "formansratt") == 0.0
    assert COVERAGE(r, 4000000.0)[0] == [0.0]  # rights 0
    # A's ceiling 3 000 000 × 18 % = 540 000, covered 3 540 000
    assert SAK_RAD(r, 2, "tillagg") == 540000.0


def test_e5_block_covers_826000():
    # E5: the block 400 000 + 300 000 with its tillägg placed after the last pantbrev: 826 000 at that rank
    r = e5_range(1000000.0)
    assert COVERAGE(r) == [[400000.0], [426000.0]]
    assert sum(c[0] for c in COVERAGE(r)) == 826000.0
    assert SAK_RAD(r, 2, "tillagg") == 126000.0
    assert OVERSKOTT(r) == 174000.0
    assert BRIST(r) == [[474000.0], [""]]  # the claim sits on row 1; row 2 carries none


def test_e4_formansratt_column_agrees_with_the_cli():
    # issue 9: A-banken's 3 800 000 on P2004 is 3 540 000 at the pantbrev's rank (3 000 000 + 540 000 tillägg) and
    # 260 000 later by the utmätning (FRL 8 §), as the CLI shows it; the Förmånsrätt column showed 3 800 000
    r = e4_range()
    res = berakna(las_omrade(r).arende, las_tabell())
    cli_p2004 = next(x.formansratt for x in res.rader if x.ids == ("P2004",) and x.typ == "fordran")
    assert SAK_RAD(r, 2, "formansratt") == float(cli_p2004) == 3540000.0
    assert SAK_RAD(r, 2, "formansratt_utmatning") == 260000.0
    assert SAK_RAD(r, 3, "formansratt_utmatning") == ""     # B-banken has no utmätning part
    # the row's Utfaller still holds all it receives, so the summary's control adds up
    # price 6 000 000 covers costs 30 000, 3 540 000, P2005 1 500 000 and then the 260 000
    assert SAK_RAD(r, 2, "utfaller", 6000000.0) == 3800000.0


def test_block_total_is_one_post_in_sak_rad():
    # E5: the block's förmånsrätt 700 000 × 1,18 = 826 000 on the row of its last pantbrev (where its tillägg is)
    r = e5_range(1000000.0)
    assert [SAK_RAD(r, n, "block_formansratt") for n in (1, 2)] == ["", 826000.0]
    assert SAK_RAD(e2_range(), 1, "block_formansratt") == ""


def test_price_argument_overrides_the_header():
    r = e2_range()
    assert COVERAGE(r, 220000.0) == COVERAGE(r)
    # 200 000 − 90 000 − 75 000 = 35 000 reach C's pantbrev (C 12 000, ägarhypotek 23 000); costs and D get 0
    assert COVERAGE(r, 200000.0) == [[90000.0], [75000.0], [35000.0], [0.0], [""]]
    assert COVERAGE(r, [[200000.0]]) == COVERAGE(r, 200000.0)
    # 300 000 − (90 000 + 75 000 + 40 000 + costs 5 000 + D's pantbrev 40 000) = 50 000
    assert OVERSKOTT(r, 300000.0) == 50000.0


def test_missing_price():
    r = e3_range()  # no Köpeskilling row
    for fn in (COVERAGE, BRIST, OVERSKOTT, FORDELNING):
        with pytest.raises(SaknatVarde, match="köpeskillingen saknas"):
            fn(r)
    with pytest.raises(SaknatVarde):
        SAK_RAD(r, 1, "utfaller")
    assert SAK_RAD(r, 1, "formansratt") == 92000.0  # the förteckning itself needs no price


def test_values_agree_with_the_engine():
    r = e4_range()
    o = las_omrade(r)
    res = berakna(o.med_pris(Decimal(4000000)), las_tabell())
    coverage = [c[0] for c in COVERAGE(r, 4000000.0)]
    # every engine row except the costs belongs to a table row
    assert sum(coverage) == pytest.approx(float(sum(x.utfaller for x in res.rader if x.typ != "kostnader")))
    table = FORDELNING(r, 4000000.0)
    assert table[0] == FORDELNING_RUBRIK
    body = table[1:-1]
    assert [row[0] for row in body] == [x.nr for x in res.rader]
    assert [row[2] for row in body] == [float(x.formansratt) for x in res.rader]
    assert [row[3] for row in body] == [float(x.utfaller) for x in res.rader]
    # everything paid + överskott = the money (RULES §7 invariant)
    assert sum(row[3] for row in table[1:]) == 4000000.0
    brist = sum(row[4] for row in body if row[4] != "")
    assert brist == float(sum(f.brist for f in res.fordringar)) == SAK_SUMMA(r, "brist", 4000000.0)


def test_fordelning_e2():
    table = FORDELNING(e2_range())
    assert table[0] == ["Rad", "Borgenär", "Förmånsrätt", "Utfaller", "Brist"]
    assert ["Förrättningskostnader", 5000.0, 5000.0, ""] == table[6][1:]
    assert table[7][1:] == ["D (P1996)", 25000.0, 10000.0, 15000.0]
    assert table[-1] == ["", "Överskott till ägaren", "", 0.0, ""]
    assert sum(row[3] for row in table[1:]) == 220000.0


def test_forklaring():
    r = e2_range()
    text = FORKLARING(r, 4)
    assert "Utfaller 10 000 av 25 000" in text and "brist 15 000" in text
    assert FORKLARING(r, 5.0) == ""  # the trailing empty row
    assert SAK_RAD(r, 4, "forklaring") == text
    with pytest.raises(SakagareError, match="rad 6 finns inte"):
        FORKLARING(r, 6)
    with pytest.raises(SakagareError, match="argumentet rad"):
        FORKLARING(r, 1.5)


def test_sak_rad_matches_the_column_functions():
    r = e2_range()
    n = len(COVERAGE(r))
    assert [[SAK_RAD(r, k, "utfaller")] for k in range(1, n + 1)] == COVERAGE(r)
    assert [[SAK_RAD(r, k, "brist")] for k in range(1, n + 1)] == BRIST(r)
    for kolumn in RADKOLUMNER:
        assert SAK_RAD(r, 5, kolumn) == ""  # blank rows are blank in every column


def test_sak_rad_kolumn_names_are_forgiving_but_not_guessed():
    r = e2_range()
    assert SAK_RAD(r, 2, "Tillägg") == SAK_RAD(r, 2, "tillagg") == 5000.0
    assert SAK_RAD(r, 1, "FÖRMÅNSRÄTT") == 85000.0 + 5000.0
    with pytest.raises(SakagareError, match="okänd kolumn 'summa'"):
        SAK_RAD(r, 1, "summa")


def test_sak_summa_e2():
    r = e2_range()
    got = {k: SAK_SUMMA(r, k) for k in SUMMOR}
    assert got == {
        "skyddsbelopp": 210000.0, "lagsta_bud": 210000.0, "medel": 220000.0, "utdelat": 220000.0,
        "overskott": 0.0, "agarhypotek": 33000.0, "kostnader_utfaller": 5000.0, "brist": 15000.0, "varningar": "",
    }


def test_warnings_reach_the_sheet():
    # 2025 H1 is marked unverified in the shipped table: the engine's warning is available as text
    r = [["Utmätningsdag", "2025-02-01"], ["Fördelningsdag", "2025-05-01"], list(HEAD),
         [None, "P1", 2000, "inteckning", 100000.0, "A", 120000.0, "Ja"]]
    assert "inte bekräftad" in SAK_SUMMA(r, "varningar")


def test_text_in_a_number_cell_of_the_range():
    r = e2_range()
    r[7][6] = "sjuttiofemtusen"
    with pytest.raises(SakagareError) as exc:
        COVERAGE(r)
    assert "rad 2 i tabellen, kolumn Kapital" in str(exc.value)
    with pytest.raises(SakagareError) as exc:
        COVERAGE(r, adress="C5")  # the recalc helper passes the range's top-left cell
    assert "(I12)" in str(exc.value)


def test_engine_errors_are_placed_on_the_row():
    r = e5_range(1000000.0)
    r[-2][-1] = "P1990; P9"  # a pantbrev that does not exist
    with pytest.raises(SakagareError) as exc:
        COVERAGE(r)
    assert "P9" in str(exc.value)


def test_precomputed_list():
    # equal ranks share pro rata (RULES §7 p. 3); the engine's own example
    r = [["Ordning", "Förmånsrätt", "Sakägare", "Exekutionsfordran"], [1, 100.0, "A", None], [2, 50.0, "B", "Ja"],
         [2, 150.0, "C", None], [None, None, None, None]]
    assert COVERAGE(r, 120.0) == [[100.0], [5.0], [15.0], [""]]
    assert BRIST(r, 120.0) == [[0.0], [45.0], [135.0], [""]]
    assert SKYDDSBELOPP(r) == 100.0
    assert OVERSKOTT(r, 400.0) == 100.0
    assert FORDELNING(r, 120.0)[1:4] == [[1, "A", 100.0, 100.0, 0.0], [2, "B", 50.0, 5.0, 45.0], [3, "C", 150.0, 15.0, 135.0]]
    with pytest.raises(SaknatVarde):
        COVERAGE(r)  # a list has no header: the price is required


def test_dataframe_range():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"Ordning": [1, 2, 2], "Förmånsrätt": [100.0, 50.0, 150.0]})
    assert COVERAGE(df, 120.0) == [[100.0], [5.0], [15.0]]


def test_one_call_covers_1000_rows():
    rows = [["Ordning", "Förmånsrätt"]] + [[k, 1000.0] for k in range(1, 1001)]
    out = COVERAGE(rows, 500000.0)
    assert len(out) == 1000
    assert out[499] == [1000.0] and out[500] == [0.0]


def test_per_cell_calls_over_one_range_compute_once():
    r = e2_range()
    CACHE.clear()
    for n in range(1, 6):
        for kolumn in RADKOLUMNER:
            for _ in range(8):
                SAK_RAD(r, n, kolumn)
    assert CACHE.misses == 1 and CACHE.hits == 5 * len(RADKOLUMNER) * 8 - 1


def test_cache_tells_true_from_one():
    # TRUE and 1 hash alike in Python; the cache key keeps the type so each is read on its own
    r = e2_range()
    r[-2][-1] = True
    a = COVERAGE(r)
    r[-2][-1] = 1.0
    assert COVERAGE(r) == a  # both mean Ja
    assert CACHE.misses == 2


def test_results_are_excel_shaped():
    r = e2_range()
    for value in [TILLAGG(700000, 0.02, 6), SKYDDSBELOPP(r), OVERSKOTT(r), SAK_SUMMA(r, "medel")]:
        assert isinstance(value, float) and math.isfinite(value)
    for col in (COVERAGE(r), BRIST(r)):
        assert all(isinstance(row, list) and len(row) == 1 for row in col)
        assert all(c == "" or isinstance(c, float) for row in col for c in row)
    assert all(len(row) == 5 for row in FORDELNING(r))
    assert isinstance(SAK_RAD(r, 1, "skyddad"), bool)


def test_errors_are_not_cached():
    r = e2_range()
    r[6][6] = "fel"
    for _ in range(2):
        with pytest.raises(SakagareError):
            COVERAGE(r)
    assert F.CACHE.misses == 2


def test_an_immutable_range_is_read_once():
    # recalc hands the same tuple of tuples to every call in a workbook; lists are always re-read
    r = tuple(map(tuple, e2_range()))
    assert COVERAGE(r) == COVERAGE(e2_range())
    assert id(r) in F._FROZEN
    changed = [list(row) for row in r]
    changed[9][6] = 30000.0  # D's claim
    assert COVERAGE(tuple(map(tuple, changed)))[3] == [10000.0]
    assert BRIST(tuple(map(tuple, changed)))[3] == [20000.0]
    assert BRIST(r)[3] == [15000.0]


@pytest.mark.parametrize(
    "order",
    [
        (0, 1, 2, 3),  # E2 as the source lists it (by date)
        (3, 1, 0, 2),  # the same registrations typed in another order
        (2, 3, 1, 0),
    ],
)
def test_sak_rad_nr_is_the_place_in_priority_order_whatever_the_table_order(order):
    """SAK_RAD(…, "nr") numbers the filled rows by priority (E2: P1980, P1984, P1991, P1996 by date,
    JB 6 kap. 7 § / FRL); the template's print sheet sorts by it. A blank row has no place."""
    base = e2_range()
    head, table, blank = base[:6], base[6:10], base[10]
    rows = head + [table[i] for i in order] + [blank]
    places = [SAK_RAD(rows, n, "nr") for n in range(1, 6)]
    by_id = {rows[6 + n][1]: places[n] for n in range(4)}
    assert by_id == {"P1980": 1, "P1984": 2, "P1991": 3, "P1996": 4}
    assert places[4] == ""
