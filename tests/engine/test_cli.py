"""``sakagare-xl berakna``: the table, --json, and errors without tracebacks."""

import json

import pytest

from sakagare_xl.cli import main

from .conftest import EXAMPLES


def test_table_output(capsys):
    assert main(["berakna", str(EXAMPLES / "e4-lillbacken.toml")]) == 0
    out = capsys.readouterr().out
    assert "Sakägarförteckning och fördelning: Lillbäcken 1:1" in out
    assert "Skyddsbelopp (lägsta godtagbara bud): 30 000 kr" in out
    assert "3 000 000 × (15 % + (2,00 % + 4 %) × 6/12) = 540 000" in out
    assert "Inställningar: tidsberäkning manader" in out


def test_json_output(capsys):
    assert main(["berakna", "--json", str(EXAMPLES / "e2-lawline-15971.toml")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["skyddsbelopp"] == 210000 and data["overskott"] == 0 and data["lagsta_bud"] == 210000
    assert [f["brist"] for f in data["fordringar"]] == [0, 0, 0, 15000]
    assert data["rader"][0]["ordning"] == 1 and data["rader"][0]["formansratt"] == 85000
    assert data["installningar"]["tidsberakning"] == "manader"


def test_json_case_file(tmp_path, capsys):
    case = {"manader": 6, "referensranta": 2, "forrattningskostnader": 0,
            "inskrivningar": [{"id": "P1990", "dag": 1990, "belopp": 400000}, {"id": "P1992", "dag": 1992, "belopp": 300000}],
            "fordringar": [{"id": "A", "borgenar": "A-bank", "kapital": 1300000, "pantbrev": ["P1990", "P1992"],
                            "exekutionsfordran": True}]}
    p = tmp_path / "e5.json"
    p.write_text(json.dumps(case), encoding="utf-8")
    assert main(["berakna", "--json", str(p)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sum(r["formansratt"] for r in data["rader"] if r["typ"] == "fordran") == 826000


@pytest.mark.parametrize("content, suffix, words", [
    ("kapital = ", ".toml", "inte giltig TOML"),
    ("{", ".json", "inte giltig JSON"),
    ("[1, 2]", ".json", "ska innehålla ett ärende"),
    ('manader = 6\nreferensranta = 2\n[[fordringar]]\nid = "A"\nborgenar = "A"\nkapital = -5\n', ".toml", "negativt (-5)"),
])
def test_errors_are_swedish_and_have_no_traceback(tmp_path, capsys, content, suffix, words):
    p = tmp_path / f"case{suffix}"
    p.write_text(content, encoding="utf-8")
    assert main(["berakna", str(p)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_missing_file(capsys):
    assert main(["berakna", "finns-inte.toml"]) == 2
    assert "finns inte" in capsys.readouterr().err


@pytest.mark.parametrize("content, words", [
    ('inskrivningar = "P1"\n', "Fel i fältet 'inskrivningar': en lista med inskrivningar väntades"),
    ('[inskrivningar]\nid = "P1"\n', "inte en tabell"),
    ('fordringar = 5\n', "Fel i fältet 'fordringar'"),
    ('utmatningsdag = 2023-01-01T10:00:00\n', "inte 2023-01-01 10:00"),
])
def test_case_structure_errors_show_user_values(tmp_path, capsys, content, words):
    p = tmp_path / "case.toml"
    p.write_text(content, encoding="utf-8")
    assert main(["berakna", str(p)]) == 2
    err = capsys.readouterr().err
    assert words in err and "datetime.datetime" not in err


# --referensranta on `berakna` replaces the case's rate (and the table); it reads like recalc's flag: a fraction
# or text with %, never a bare 2 (RULES.md §8). e4: 3 000 000 × (15 % + (r + 4 %) × 6/12), hand-derived.
@pytest.mark.parametrize("flag, tillagg", [("2%", "540 000"), ("0,02", "540 000"), ("3,5 %", "562 500")])
def test_berakna_referensranta_flag(capsys, flag, tillagg):
    assert main(["berakna", str(EXAMPLES / "e4-lillbacken.toml"), "--referensranta", flag]) == 0
    out = capsys.readouterr().out
    assert f"= {tillagg}" in out


def test_berakna_referensranta_flag_refuses_a_bare_two(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["berakna", str(EXAMPLES / "e4-lillbacken.toml"), "--referensranta", "2"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        'sakagare-xl berakna: error: argument --referensranta: 2 kan läsas som 200 % eller 2 %; räntan anges här '
        'som andel (0,02 = 2 %): skriv 0,02 eller "2 %" för 2 %.')


def test_berakna_referensranta_flag_past_the_table(tmp_path, capsys):
    # a case past the table's end (andra halvåret 2027) is computed with the rate given on the command line
    import re

    case = (EXAMPLES / "e4-lillbacken.toml").read_text(encoding="utf-8")
    p = tmp_path / "sen.toml"
    text = re.sub(r"(?m)^referensranta = .*\n", "", case)
    text = re.sub(r"(?m)^utmatningsdag = .*$", "utmatningsdag = 2027-08-01", text)
    text = re.sub(r"(?m)^fordelningsdag = .*$", "fordelningsdag = 2028-02-01", text)
    p.write_text(text, encoding="utf-8")
    assert main(["berakna", str(p)]) == 2
    assert "tabellen saknar referensräntan för andra halvåret 2027 (2027-08-01)" in capsys.readouterr().err
    assert main(["berakna", str(p), "--referensranta", "2%"]) == 0
    assert "(2,00 % + 4 %) × 6/12" in capsys.readouterr().out
def test_block_total_in_table_and_json(capsys):
    # issue 9: a block is one post; E5's block 400 000 + 300 000 shows 826 000 (700 000 × 1,18) on its last row
    assert main(["berakna", "--utan-forklaring", str(EXAMPLES / "e5-2018-block.toml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Block tillhopa" in lines[2]
    p1992 = next(line for line in lines if " P1992 " in line)
    assert "126 000         826 000" in p1992
    assert main(["berakna", "--json", str(EXAMPLES / "e5-2018-block.toml")]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out)["rader"] if "block_nr" in r]
    # every row of the block points at the post (row 3, P1992), which lists the block's pantbrev once
    assert [(r["ids"], r.get("block"), r["block_nr"], r["block_formansratt"]) for r in rows] == [
        (["P1990"], None, 3, 826000), (["P1992"], ["P1990", "P1992"], 3, 826000)]


def test_utmatning_dates_in_a_case_file(tmp_path, capsys):
    # the two new input fields: utmatning_inskrivningsdag (the sale) and utmatningsdag (a claim); T attached the
    # property on the sale's utmätningsdag: equal rank with the sökande, 200 000 shared 100:300 (FRL 9 § 4 st.)
    case = {"utmatningsdag": "2013-03-01", "utmatning_inskrivningsdag": "2013-03-04", "fordelningsdag": "2013-09-01",
            "referensranta": 2, "kopeskilling": 200000,
            "fordringar": [{"id": "S", "borgenar": "S", "kapital": 100000, "exekutionsfordran": True},
                           {"id": "T", "borgenar": "T", "kapital": 300000, "utmatningsdag": "2013-03-01"}]}
    p = tmp_path / "c.json"
    p.write_text(json.dumps(case), encoding="utf-8")
    assert main(["berakna", "--json", str(p)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["utfaller"] for f in data["fordringar"]] == [50000, 150000]
    assert data["installningar"]["utmatning_inskrivningsdag"] == "2013-03-04"
    assert "antecknad på inskrivningsdagen 2013-03-04" in data["rader"][1]["forklaring"]


@pytest.mark.parametrize("extra, fordran, words", [
    ({"utmatning_inskrivningsdag": "2013-02-01"}, {}, "Fel i försäljningen, fältet 'utmatning_inskrivningsdag': "
     "utmätningens inskrivningsdag (2013-02-01) ligger före utmätningsdagen (2013-03-01)"),
    ({}, {"utmatningsdag": "2013-03-02"}, "exekutionsfordrans utmätningsdag (2013-03-02) är inte försäljningens"),
])
def test_utmatning_date_errors(tmp_path, capsys, extra, fordran, words):
    case = {"utmatningsdag": "2013-03-01", "fordelningsdag": "2013-09-01", "referensranta": 2, **extra,
            "fordringar": [{"id": "S", "borgenar": "S", "kapital": 1, "exekutionsfordran": True, **fordran}]}
    p = tmp_path / "c.json"
    p.write_text(json.dumps(case), encoding="utf-8")
    assert main(["berakna", str(p)]) == 2
    assert words in capsys.readouterr().err
