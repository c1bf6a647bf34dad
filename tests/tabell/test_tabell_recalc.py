"""The recalc report as a DataFrame: the same table from the report rows, the CSV and the JSON."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from sakagare_xl.recalc.batch import Options, expand, run_batch, write_reports
from sakagare_xl.recalc.core import default_functions
from sakagare_xl.tabell import recalc_tabell
from sakagare_xl.tabell.kolumner import ORE_SUFFIX
from sakagare_xl.engine.errors import SakagareError

from .conftest import WORKBOOKS


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recalc")
    for p in WORKBOOKS:
        shutil.copy(p, folder / p.name)
    (folder / "trasig.xlsx").write_bytes(b"PK\x03\x04 inte en zip")
    tasks, missing = expand([str(folder), str(folder / "saknas.xlsx")])
    rows = missing + run_batch(tasks, Options(default_functions(), {"kopeskilling": 250000.0}, dry_run=True),
                               progress=False)
    return rows, write_reports(rows, str(folder / "rapport"))


def test_rows_csv_and_json_give_one_table(report):
    rows, (csv_path, json_path) = report
    df = recalc_tabell(rows)
    assert df.equals(recalc_tabell(csv_path)) and df.equals(recalc_tabell(json_path))
    for r, rec in zip(rows, df.to_dict("records")):
        assert rec["Fil"] == r.path and rec["Status"] == r.status and bool(rec["OK"]) is (not r.failed)
        for col, value in (("Skyddsbelopp", r.skyddsbelopp), ("Utdelat", r.distributed), ("Överskott", r.overskott)):
            assert rec[col] == (None if value is None else Decimal(str(value)).quantize(Decimal("0.01")))
        assert rec["Ändrade celler"] == r.cells_changed
        assert (rec["Fel"] if isinstance(rec["Fel"], str) else "") == " | ".join(r.errors)
    assert not df["OK"].all() and df["OK"].any()  # the broken file and the missing path failed, the rest not


def test_ore_and_bad_reports(report, tmp_path):
    rows, _ = report
    df = recalc_tabell(rows, belopp="ore")
    assert "Utdelat" + ORE_SUFFIX in df.columns
    (tmp_path / "x.json").write_text('{"path": 1}', encoding="utf-8")
    with pytest.raises(SakagareError, match="en lista"):
        recalc_tabell(tmp_path / "x.json")
    with pytest.raises(SakagareError, match="finns inte"):
        recalc_tabell(tmp_path / "saknas.csv")
