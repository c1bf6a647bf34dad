"""Price scenarios on the shipped examples and generated portfolios: each scenario is the engine's fördelning
at that price; what a claim receives and its brist make up the claim; a lower price never lowers a brist."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sakagare_xl import cli
from sakagare_xl.case_io import arende_fran_dict
from sakagare_xl.engine import Arende, berakna
from sakagare_xl.engine.errors import OgiltigtVarde
from sakagare_xl.engine.format import ore
from sakagare_xl.referensranta_data import las_tabell
from sakagare_xl.tabell import andring, brist_per_borgenar, sammanstall, scenarier
from sakagare_xl.tabell.filer import las_arende
from sakagare_xl.tabell.portfolj import generera, marknadsvarden

from .conftest import EXAMPLES

PRISER = [Decimal(p) for p in (0, 150_000, 900_000, 2_500_000, 6_000_000)]


def _at(arende, price):
    sale = dataclasses.replace(arende.forsaljning, kopeskilling=price)
    return berakna(Arende(sale, arende.inskrivningar, arende.fordringar), las_tabell())


def test_each_scenario_is_the_engines_fordelning_at_that_price(portfolio):
    df = scenarier(portfolio, priser=PRISER)
    assert df["Fel"].isna().all()
    for path in portfolio[:10]:
        a = las_arende(str(path))
        for price in PRISER:
            res = _at(a, price)
            part = df[(df["Fil"] == str(path)) & (df["Pris"] == price)]
            assert part["Utfaller"].tolist() == [ore(f.utfaller) for f in res.fordringar]
            assert part["Lägsta bud"].tolist() == [ore(res.lagsta_bud)] * len(res.fordringar)


def test_a_claim_is_its_utfall_plus_its_brist_and_lower_prices_never_lower_a_brist(portfolio):
    df = scenarier(portfolio, priser=PRISER)
    assert (df["Utfaller"] + df["Brist"] == df["Belopp"]).all()  # RULES §7 p. 5
    assert (df["Brist personlig"] + df["Förlust"] == df["Brist"]).all()
    assert (df["Under lägsta bud"] == (df["Pris"] < df["Lägsta bud"])).all()
    for (_, _), g in df.groupby(["Fil", "Fordran"], sort=False):
        brist = g.sort_values("Pris", key=lambda s: s.map(float))["Brist"].tolist()
        assert brist == sorted(brist, reverse=True)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6), cut=st.sampled_from(["-5 %", "-10 %", "-25 %", "-60 %"]))
def test_stress_from_the_value_column(seed, cut):
    cases = generera(4, seed)
    named = {f"ärende {k}": arende_fran_dict(c) for k, c in enumerate(cases, start=1)}
    values = marknadsvarden(cases, list(named))
    df = scenarier(named, andringar=["0 %", cut], varde=values, per="arende")
    assert df["Fel"].isna().all()
    for rec in df.to_dict("records"):
        assert rec["Pris"] == ore(Decimal(values[rec["Fil"]]) * (1 + rec["Ändring"]))
        assert rec["Brist personlig"] + rec["Förlust"] == rec["Brist"]
    base, cut_ = df[df["Scenario"] == "0 %"], df[df["Scenario"] != "0 %"]
    assert all(b <= c for b, c in zip(base["Brist"], cut_["Brist"]))


def test_per_arende_is_the_sum_of_per_fordran(portfolio):
    per_f = scenarier(portfolio[:15], andringar=["-10 %", "-30 %"])
    per_a = scenarier(portfolio[:15], andringar=["-10 %", "-30 %"], per="arende")
    sums = {k: sum(g["Brist"]) for k, g in per_f.groupby(["Fil", "Scenario"], sort=False)}
    assert {(f, s): b for f, s, b in zip(per_a["Fil"], per_a["Scenario"], per_a["Brist"])} == sums


def test_brist_per_borgenar_adds_up(portfolio):
    df = scenarier(portfolio, andringar=["-10 %", "-20 %", "-30 %"])
    t = brist_per_borgenar(df)
    assert list(t.columns) == ["−10 %", "−20 %", "−30 %"]
    for s in t.columns:
        assert t.loc["Totalt", s] == sum(df.loc[df["Scenario"] == s, "Brist"]) == sum(t[s].drop("Totalt"))
    t_ore = brist_per_borgenar(scenarier(portfolio, andringar=["-10 %", "-20 %", "-30 %"], belopp="ore"))
    assert (t_ore == t.map(lambda v: int(v * 100))).all().all()
    loss = brist_per_borgenar(df, "Förlust")
    assert all(loss.loc[b, s] <= t.loc[b, s] for b in t.index for s in t.columns)


def test_processes_give_the_same_table(portfolio):
    one = scenarier(portfolio, priser=PRISER[:3], jobs=1)
    two = scenarier(portfolio, priser=PRISER[:3], jobs=2)
    assert one.equals(two)


def test_a_bad_case_gets_one_row_and_the_rest_go_on(tmp_path):
    (tmp_path / "trasig.toml").write_text("kopeskilling = 'x'\n", encoding="utf-8")
    paths = [EXAMPLES[1], EXAMPLES[2], tmp_path / "trasig.toml"]  # e3 has no köpeskilling: no value to cut
    df = scenarier(paths, andringar=["-10 %"])
    fel = df[df["Fel"].notna()]
    assert list(fel["Fil"]) == [str(EXAMPLES[2]), str(tmp_path / "trasig.toml")]
    assert "värdet saknas" in fel["Fel"].iloc[0] and "kopeskilling" in fel["Fel"].iloc[1]
    assert (df["Fil"] == str(EXAMPLES[1])).sum() == 4  # e2's four claims
    # with prices instead, e3 is computed too
    assert scenarier(EXAMPLES[2], priser=[400_000])["Fel"].isna().all()


def test_a_value_column_of_the_sammanstall_table():
    tab = sammanstall(EXAMPLES)
    tab["Marknadsvärde"] = [Decimal(1_000_000)] * len(tab)
    df = scenarier(tab, andringar=["-20 %"], varde="Marknadsvärde", per="arende")
    assert set(df["Pris"]) == {Decimal("800000.00")} and len(df) == len(EXAMPLES)
    with pytest.raises(OgiltigtVarde):
        scenarier(EXAMPLES, andringar=["-20 %"], varde="Marknadsvärde")


@pytest.mark.parametrize("text, fraction", [
    ("-10 %", "-0.1"), ("−20%", "-0.2"), ("-0,3", "-0.3"), (-0.25, "-0.25"), ("5 %", "0.05"), ("0 %", "0"),
])
def test_andring_reads_percent_and_fractions(text, fraction):
    assert andring(text) == Decimal(fraction)


@pytest.mark.parametrize("text", ["-10", "tio", "-100 %", True])
def test_andring_refuses_ambiguous_or_impossible(text):
    with pytest.raises(OgiltigtVarde):
        andring(text)


def test_prices_or_changes_not_both():
    with pytest.raises(OgiltigtVarde):
        scenarier(EXAMPLES, priser=[1], andringar=["-10 %"])
    with pytest.raises(OgiltigtVarde):
        scenarier(EXAMPLES)
    with pytest.raises(OgiltigtVarde, match="bara med ändringar"):
        scenarier(EXAMPLES, priser=[1], varde={})


def test_cli_stress_test(tmp_path, capsys):
    values = tmp_path / "varden.csv"
    values.write_text("Fil,Värde\n" + "".join(f"{p},2000000\n" for p in EXAMPLES), encoding="utf-8")
    out = tmp_path / "brist.csv"
    rc = cli.main(["sammanstall", *map(str, EXAMPLES), "--andringar=-10%,-20%,-30%", "--varden", str(values),
                   "--per-borgenar", "--ut", str(out), "--no-progress"])
    assert rc == 0, capsys.readouterr().err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Borgenär,−10 %,−20 %,−30 %" and lines[-1].startswith("Totalt,")
    assert cli.main(["sammanstall", str(EXAMPLES[0]), "--varden", str(values)]) == 2


def test_the_progress_bar_shows_on_request_only(monkeypatch):
    import io

    from sakagare_xl.tabell.filer import stapel

    assert stapel(10, "scenarier", True).disable is False
    assert stapel(10, "scenarier", False).disable is True
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal: no bar unless asked for
    assert stapel(10, "scenarier", None).disable is True
