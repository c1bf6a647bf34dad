"""sammanstall: many case files and workbooks in one table; bad files listed, never stopping the batch;
the table written as .xlsx/.csv/.parquet; pandas and pyarrow optional."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

import sakagare_xl
from sakagare_xl import cli
from sakagare_xl.berakna_cli import compute
from sakagare_xl.engine.format import ore
from sakagare_xl.tabell import PaketSaknas, sammanstall, skriv

from .conftest import EXAMPLES, ROOT, WORKBOOKS

NOLL = Decimal(0)


def test_one_row_per_case_with_the_engines_numbers():
    df = sammanstall([ROOT / "examples", ROOT / "workbook"])
    assert len(df) == len(EXAMPLES) + len(WORKBOOKS)
    for rec in df.to_dict("records"):
        if isinstance(rec["Fel"], str):
            continue
        res = compute(rec["Fil"])
        assert rec["Skyddsbelopp"] == ore(res.skyddsbelopp) == rec["Lägsta bud"]
        assert rec["Antal fordringar"] == len(res.fordringar)
        if res.medel is None:
            assert rec["Utdelat"] is None and rec["Överskott"] is None and rec["Förlust"] is None
            continue
        assert rec["Utdelat"] == ore(res.utdelat) and rec["Överskott"] == ore(res.overskott)
        assert rec["Brist personlig"] == ore(sum((f.brist_personlig for f in res.fordringar), NOLL))
        assert rec["Förlust"] == ore(sum((f.brist_forlust for f in res.fordringar), NOLL))
        # the money is accounted for: paid at the rows plus the överskott is what there was to distribute
        assert rec["Utdelat"] + rec["Överskott"] == rec["Medel"]


def test_the_empty_template_is_listed_with_its_error():
    df = sammanstall(ROOT / "workbook")
    bad = df[df["Fel"].notna()]
    assert list(bad["Fil"]) == [str(ROOT / "workbook" / "sakagarforteckning.xlsx")]
    assert "utmatningsdag" in bad["Fel"].iloc[0]


def test_a_workbook_gives_the_row_of_its_case_file():
    # workbook/exempel-e2.xlsx is examples/e2 filled into the template (sakagare_xl.template.exempel)
    df = sammanstall([ROOT / "examples" / "e2-lawline-15971.toml", ROOT / "workbook" / "exempel-e2.xlsx"])
    money = ["Skyddsbelopp", "Köpeskilling", "Utdelat", "Ägarhypotek till ägaren", "Överskott", "Brist", "Förlust"]
    assert df.loc[0, money].tolist() == df.loc[1, money].tolist()


def test_bad_files_are_listed_and_the_batch_goes_on(tmp_path):
    shutil.copy(EXAMPLES[0], tmp_path / "a-bra.toml")
    (tmp_path / "b-trasig.toml").write_text("fastighet = \n", encoding="utf-8")
    (tmp_path / "c-stavfel.json").write_text('{"manadr": 6}', encoding="utf-8")
    (tmp_path / "d-inte-excel.xlsx").write_text("hej", encoding="utf-8")
    (tmp_path / "~$e-lasfil.xlsx").write_text("lock", encoding="utf-8")  # Excel's lock file: skipped
    shutil.copy(EXAMPLES[1], tmp_path / "f-bra.json.toml")
    df = sammanstall([tmp_path, tmp_path / "saknas.toml", str(tmp_path / "*.csv")])
    fel = dict(zip(df["Fil"], df["Fel"]))
    assert len(df) == 7
    assert all(not isinstance(fel[str(tmp_path / n)], str) for n in ("a-bra.toml", "f-bra.json.toml"))
    assert "inte giltig TOML" in fel[str(tmp_path / "b-trasig.toml")]
    assert "menade du 'manader'" in fel[str(tmp_path / "c-stavfel.json")]
    assert "ingen Excel-arbetsbok" in fel[str(tmp_path / "d-inte-excel.xlsx")]
    assert fel[str(tmp_path / "saknas.toml")].endswith("finns inte.")
    assert "matchar inga ärendefiler" in fel[str(tmp_path / "*.csv")]


def test_per_fordran_a_row_per_claim():
    df = sammanstall(EXAMPLES, per_fordran=True, forklaring=True)
    claims = [(str(p), f.id, f.forklaring) for p in EXAMPLES for f in compute(str(p)).fordringar]
    assert list(zip(df["Fil"], df["Fordran"], df["Förklaring"])) == claims


def test_processes_give_the_same_table():
    paths = [ROOT / "examples", ROOT / "workbook", ROOT / "saknas.toml"]
    assert sammanstall(paths, jobs=2).equals(sammanstall(paths))
    assert sammanstall(paths, per_fordran=True, jobs=2).equals(sammanstall(paths, per_fordran=True))


def test_top_level_names_are_the_table_functions():
    assert sakagare_xl.sammanstall is sammanstall
    with pytest.raises(AttributeError):
        sakagare_xl.finns_inte  # noqa: B018


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_written_tables_keep_amounts_and_dates(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="Parquet needs pyarrow (pip install 'sakagare_xl[parquet]')")
    df = sammanstall(EXAMPLES)
    path = skriv(df, tmp_path / f"tabell{suffix}")
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".~")]  # no temporary file left
    e4 = df.index[df["Fil"] == str(EXAMPLES[3])][0]
    if suffix == ".csv":
        import csv

        rows = list(csv.DictReader(open(path, encoding="utf-8")))
        assert rows[e4]["Köpeskilling"] == "4000000.00" and rows[e4]["Utmätningsdag"] == "2013-03-01"
    elif suffix == ".xlsx":
        import openpyxl

        ws = openpyxl.load_workbook(path, read_only=True).active
        head, *rows = [list(r) for r in ws.iter_rows(values_only=True)]
        rec = dict(zip(head, rows[e4]))
        assert rec["Köpeskilling"] == 4000000 and rec["Utmätningsdag"] == dt.datetime(2013, 3, 1)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        assert schema.field("Köpeskilling").type == pa.decimal128(18, 2)
        assert schema.field("Utmätningsdag").type == pa.date32()
        back = pq.read_table(path).to_pydict()
        assert back["Köpeskilling"] == df["Köpeskilling"].tolist()  # exact Decimals
        assert back["Utmätningsdag"][e4] == dt.date(2013, 3, 1)


def test_parquet_without_pyarrow_says_how_to_install(monkeypatch, tmp_path, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    with pytest.raises(PaketSaknas, match=r"pip install 'sakagare_xl\[parquet\]'"):
        skriv(sammanstall(EXAMPLES[0]), tmp_path / "t.parquet")
    assert cli.main(["sammanstall", str(EXAMPLES[0]), "--ut", str(tmp_path / "t.parquet")]) == 2
    assert "pyarrow" in capsys.readouterr().err


def test_cli_writes_the_table_and_lists_bad_files(tmp_path, capsys):
    out = tmp_path / "ut" / "tabell.xlsx"
    rc = cli.main(["sammanstall", str(ROOT / "examples"), str(ROOT / "workbook"), "--ut", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert rc == 1  # the empty template has no case in it
    assert f"FEL  {ROOT / 'workbook' / 'sakagarforteckning.xlsx'}" in err
    assert out.exists()
    assert cli.main(["sammanstall", str(EXAMPLES[0]), "--ore", "--per-fordran", "--no-progress"]) == 0
    assert "Utfaller (öre)" in capsys.readouterr().out


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_importing_the_package_and_the_cli_loads_no_pandas():
    out = _run("import sys, sakagare_xl, sakagare_xl.engine, sakagare_xl.tabell, sakagare_xl.case_io; "
               "from sakagare_xl import cli; cli.build_parser(); "
               "bad = [m for m in ('pandas', 'numpy', 'pyarrow', 'dask') if m in sys.modules]; "
               "print(bad); sys.exit(1 if bad else 0)")
    assert out.returncode == 0, out.stdout + out.stderr


def test_without_pandas_the_engine_works_and_the_tables_say_what_to_install():
    block = "import sys; sys.modules['pandas'] = None; from sakagare_xl import cli; "
    ok = _run(block + "sys.exit(cli.main(['berakna', 'examples/e4-lillbacken.toml', '--utan-forklaring']))")
    assert ok.returncode == 0 and "Lillbäcken 1:1" in ok.stdout, ok.stderr
    no = _run(block + "sys.exit(cli.main(['sammanstall', 'examples']))")
    assert no.returncode == 2
    assert "pip install 'sakagare_xl[pandas]'" in no.stderr
