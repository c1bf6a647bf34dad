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
