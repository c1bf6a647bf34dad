"""recalc for every saved workbook a user has (issue 11): workbooks saved by openpyxl (no cached values),
``fullCalcOnLoad``, ``--alla`` (a full recalculation, also of a workbook without our functions, checked
on the peers' benchmark workbooks with their own ``verify.py``), folders mixed with ordinary workbooks,
and one message per cause."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sakagare_xl.cli import build_parser
from sakagare_xl.recalc.core import recalc_bytes

from .helpers import FAKE, build, members
from .helpers import formula_values as formula_cells

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = sorted((ROOT / "workbook").glob("*.xlsx"))
PEERS = ROOT / "bench" / "peers"  # the vendored copy of shared/bench-peers (gen.py, verify.py)
_CALC_PR = re.compile(rb"<calcPr[^>]*>")


def recalc(argv, functions=None):
    args = build_parser().parse_args(["recalc", "--no-progress", *map(str, argv)])
    return args.func(args, functions=functions)




def openpyxl_edit(src: Path, dest: Path, name: str, value) -> None:
    """What a user does in a script: open with openpyxl, change the cell of a defined name, save."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    wb[sheet][ref.replace("$", "")].value = value
    wb.save(dest)


def calc_pr(data: bytes) -> bytes:
    return _CALC_PR.search(members(data)["xl/workbook.xml"]).group(0)


# ------------------------------------------------------------------------------------ openpyxl's empty values

def test_openpyxl_writes_formulas_without_values():
    """The premise (openpyxl 3.1): every formula is written as <f>…</f><v></v> without t, and calcPr gets
    fullCalcOnLoad="1"."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.active["A2"] = "=A1*2"
    buf = io.BytesIO()
    wb.save(buf)
    sheet = members(buf.getvalue())["xl/worksheets/sheet1.xml"]
    assert b'<c r="A2"><f>A1*2</f><v></v></c>' in sheet
    assert b'fullCalcOnLoad="1"' in calc_pr(buf.getvalue())
    assert formula_cells(buf.getvalue()) == {("Sheet", "A2"): None}  # no value, not a cached ""


def test_empty_v_with_t_str_is_a_cached_empty_string(tmp_path):
    """XlsxWriter/Excel write a formula's empty-text result as t="str" with an empty <v>: that is a value."""
    import xlsxwriter

    p = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    ws.write_formula("A1", '=""', None, "")  # XlsxWriter 3.3: <f>""</f><v></v> without t
    wb.close()
    zin = zipfile.ZipFile(io.BytesIO(p.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<c r="A1"><f>""</f>', b'<c r="A1" t="str"><f>""</f>')
            zout.writestr(info, body)
    data = buf.getvalue()
    assert formula_cells(data) == {("Sheet1", "A1"): ""}
    assert formula_cells(p.read_bytes()) == {("Sheet1", "A1"): None}


@pytest.mark.skipif(not WORKBOOKS, reason="workbook/*.xlsx not built")
@pytest.mark.parametrize("path", WORKBOOKS, ids=[p.name for p in WORKBOOKS])
def test_workbook_edited_by_openpyxl_gets_every_value(tmp_path, path):
    """Köpeskilling changed with openpyxl (which drops every cached value): after recalc every formula
    has a value again — also the template's "Referensränta som används", the Förklaring's Id/Sakägare and
    the Diagram's series names, which depend on none of our functions — openpyxl data_only and pandas see
    them, the numbers are the engine's for the new price, and fullCalcOnLoad is gone."""
    import openpyxl
    import pandas as pd

    from sakagare_xl.engine import berakna
    from sakagare_xl.referensranta_data import las_tabell
    from sakagare_xl.template.reader import read_arende

    edited = tmp_path / path.name
    openpyxl_edit(path, edited, "Kopeskilling", 2_100_000)
    before = edited.read_bytes()
    assert all(v is None for v in formula_cells(before).values())
    assert recalc([edited]) == 0
    after = edited.read_bytes()
    values = formula_cells(after)
    assert values and [k for k, v in values.items() if v is None] == []
    assert b"fullCalcOnLoad" not in calc_pr(after)
    # openpyxl data_only: every formula cell has its value (None only where the value is the empty text)
    wb_f = openpyxl.load_workbook(edited)
    wb_v = openpyxl.load_workbook(edited, data_only=True)
    for ws in wb_f:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    got = wb_v[ws.title][c.coordinate].value
                    assert got is not None or values[(ws.title, c.coordinate)] == "", (ws.title, c.coordinate)
    if path.name == "sakagarforteckning.xlsx":
        return  # the blank template: no case to compare with
    # pandas (openpyxl underneath): the Förklaring's Id column has the table's ids
    arende = read_arende(edited)
    ids = pd.read_excel(edited, sheet_name="Förklaring", header=None).iloc[:, 1].dropna().astype(str).tolist()
    for rad_id in [i.id for i in arende.inskrivningar][:3]:
        assert rad_id in ids
    # the numbers are the engine's for the new price
    out = recalc_bytes(after)
    res = berakna(arende, las_tabell())
    assert out.status == "oförändrad"
    assert res.utdelat is None or abs(out.distributed - float(res.utdelat)) < 0.005


def test_plain_openpyxl_workbook_with_alla(tmp_path):
    """A workbook made with openpyxl, no function of ours: skipped without --alla, every value with it."""
    import openpyxl

    inputs = [12.5, 7, 30.25]  # arbitrary test inputs; the expected values are Excel's definitions
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws["A1"] = "Belopp"
    for i, x in enumerate(inputs):
        ws.cell(row=2 + i, column=1, value=x)
    ws["A5"] = "=SUM(A2:A4)"
    ws["A6"] = "=AVERAGE(A2:A4)"
    ws["A7"] = "=A6*2"
    ws["B5"] = '=IF(A5>40,"stor","liten")'
    p = tmp_path / "vanlig.xlsx"
    wb.save(p)
    original = p.read_bytes()
    # "inget att räkna om", exit 0, untouched, and the note says what --alla would do
    assert recalc_bytes(original).notes == ["arbetsboken använder inga av sakägarfunktionerna; filen lämnas orörd; "
                                            "4 formler saknar sparat värde (--alla räknar ut dem)"]
    assert recalc([p]) == 0 and p.read_bytes() == original
    assert recalc([p, "--alla"]) == 0
    got = openpyxl.load_workbook(p, data_only=True)["Blad1"]
    assert got["A5"].value == sum(inputs)
    assert got["A6"].value == sum(inputs) / 3
    assert got["A7"].value == sum(inputs) / 3 * 2
    assert got["B5"].value == ("stor" if sum(inputs) > 40 else "liten")
    assert b"fullCalcOnLoad" not in calc_pr(p.read_bytes())


def test_plain_formulas_beside_ours_are_filled_without_alla(tmp_path):
    """openpyxl workbook with one function of ours and ordinary formulas that do not depend on it: every
    formula gets its value (docs/recalc.md, point 4), without --alla."""
    import openpyxl

    inputs = [3, 4.5, -1]  # arbitrary inputs; expected values from Excel's definitions of SUM/AVERAGE
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, x in enumerate(inputs):
        ws.cell(row=2 + i, column=1, value=x)
    ws["A5"] = "=SUM(A2:A4)"
    ws["A6"] = "=AVERAGE(A2:A4)"
    ws["A7"] = "=A6*2"
    ws["B1"] = "=DUBBEL(A2)"
    buf = io.BytesIO()
    wb.save(buf)
    out = recalc_bytes(buf.getvalue(), FAKE)
    assert out.status == "ok" and not out.notes
    got = openpyxl.load_workbook(io.BytesIO(out.data), data_only=True).active
    assert [got[r].value for r in ("A5", "A6", "A7", "B1")] == [
        sum(inputs), sum(inputs) / 3, sum(inputs) / 3 * 2, inputs[0] * 2]


# ------------------------------------------------------------------------------------------- fullCalcOnLoad

def test_full_calc_on_load_removed_byte_minimally(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = 4
    wb.active["A2"] = "=DUBBEL(A1)"
    wb.active["A3"] = "=A2+1"
    p = tmp_path / "o.xlsx"
    wb.save(p)
    before = members(p.read_bytes())
    out = recalc_bytes(p.read_bytes(), FAKE)
    assert out.status == "ok" and not out.notes
    after = members(out.data)
    old = before["xl/workbook.xml"]
    assert after["xl/workbook.xml"] == old.replace(b' fullCalcOnLoad="1"', b"") != old


def test_full_calc_on_load_kept_when_a_formula_has_no_value(tmp_path):
    """A formula recalc cannot evaluate (OFFSET) keeps no value: Excel must still recalculate, so the
    flag stays and recalc says why."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = 4
    wb.active["A2"] = "=DUBBEL(A1)"
    wb.active["B1"] = "=OFFSET(A1,1,0)"
    p = tmp_path / "o.xlsx"
    wb.save(p)
    out = recalc_bytes(p.read_bytes(), FAKE)
    assert out.status == "ok"
    assert b'fullCalcOnLoad="1"' in calc_pr(out.data)
    assert out.notes == ["fullCalcOnLoad behålls (Excel räknar om vid öppning): 1 formler kunde inte räknas ut, "
                         "t.ex. Sheet!B1"]


def test_full_calc_on_load_kept_when_a_cached_value_was_not_recomputed(tmp_path):
    """Without --alla a formula that does not depend on ours keeps its cached value, which may be stale:
    the flag stays (with a note); with --alla it goes."""
    data = build(tmp_path / "b.xlsx").read_bytes()  # XlsxWriter sets fullCalcOnLoad="1" too
    out = recalc_bytes(data, FAKE)
    assert b'fullCalcOnLoad="1"' in calc_pr(out.data)
    assert "räknades inte om, t.ex. 'Blad 1'!D1 (--alla räknar om alla)" in out.notes[0]
    full = recalc_bytes(data, FAKE, full=True)
    assert b"fullCalcOnLoad" not in calc_pr(full.data) and not full.notes


# --------------------------------------------------------------------------------------------------- --alla

def test_alla_refreshes_stale_native_values(tmp_path):
    """D = A*100 does not depend on our functions: its stale cached value stays without --alla and is
    recomputed with it."""
    import openpyxl

    p = build(tmp_path / "b.xlsx", extra=lambda wb, ws: ws.write_formula("E1", "=A1*7", None, 999))
    plain = recalc_bytes(p.read_bytes(), FAKE)
    full = recalc_bytes(p.read_bytes(), FAKE, full=True)
    a1 = openpyxl.load_workbook(p)["Blad 1"]["A1"].value
    v_plain = openpyxl.load_workbook(io.BytesIO(plain.data), data_only=True)["Blad 1"]
    v_full = openpyxl.load_workbook(io.BytesIO(full.data), data_only=True)["Blad 1"]
    assert v_plain["E1"].value == 999
    assert v_full["E1"].value == a1 * 7
    assert v_full["B1"].value == v_plain["B1"].value  # what depends on ours: the same either way


def test_alla_leaves_what_it_cannot_evaluate(tmp_path):
    """--alla recomputes what it can; an unsupported formula nothing of ours needs keeps its cached
    value, and the workbook is not refused for it."""
    p = build(tmp_path / "b.xlsx", extra=lambda wb, ws: ws.write_formula("E1", "=OFFSET(A1,1,0)", None, 5))
    full = recalc_bytes(p.read_bytes(), FAKE, full=True)
    assert full.status == "ok", full.errors
    assert formula_cells(full.data)[("Blad 1", "E1")] == 5
    assert "räknades inte om, t.ex. 'Blad 1'!E1" in full.notes[0]


@pytest.mark.parametrize("rows", [1, 20, 200])
def test_alla_on_the_peers_benchmark_workbooks_matches_verify(tmp_path, rows):
    """The peers' benchmark (bench/peers: gen.py writes them with openpyxl, no cached values, none of our
    functions; verify.py recomputes them in plain Python): skipped without --alla, correct with it."""
    src, out = tmp_path / "in", tmp_path / "out"
    subprocess.run([sys.executable, str(PEERS / "gen.py"), str(src), "3", str(rows), "7"], check=True, cwd=PEERS)
    assert recalc([src, "--out", out]) == 0
    for f in src.iterdir():  # nothing to recompute: --out gets the file as it was
        assert (out / f.name).read_bytes() == f.read_bytes()
    assert recalc([src, "--out", out, "--alla"]) == 0
    res = subprocess.run([sys.executable, str(PEERS / "verify.py"), str(src), str(out)], check=True, cwd=PEERS,
                         capture_output=True, text=True)
    assert res.stdout.strip() == "checked=3 correct=3 ALL OK", res.stdout
    for f in out.iterdir():
        assert b"fullCalcOnLoad" not in calc_pr(f.read_bytes())


# -------------------------------------------------------------------------------------------- mixed folders

def test_mixed_folder_exits_0(tmp_path, capsys):
    import openpyxl

    folder = tmp_path / "arkiv"
    folder.mkdir()
    build(folder / "sak.xlsx")
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.active["A2"] = "=A1+1"
    wb.save(folder / "budget.xlsx")
    assert recalc([folder], functions=FAKE) == 0
    out = capsys.readouterr().out
    assert f"--   {folder / 'budget.xlsx'}: inget att räkna om\n" in out
    assert "2 arbetsböcker: 1 omräknade, 0 oförändrade, 1 utan något att räkna om, 0 med fel" in out


# ------------------------------------------------------------------------------------ one message per cause

@pytest.mark.skipif(not (ROOT / "workbook" / "ovning-2018.xlsx").exists(), reason="workbook/*.xlsx not built")
def test_bad_header_value_prints_one_line(tmp_path, capsys):
    """--fordelningsdag before the utmätningsdag (2018-01-01 in ovning-2018.xlsx) reaches every cell that
    reads the range: one line, with the header field by its cell and the count of cells."""
    p = tmp_path / "ovning-2018.xlsx"
    p.write_bytes((ROOT / "workbook" / "ovning-2018.xlsx").read_bytes())
    assert recalc([p, "--fordelningsdag", "2017-01-01"]) == 1
    lines = capsys.readouterr().out.splitlines()
    hits = [ln for ln in lines if "fördelningsdagen (2017-01-01)" in ln]
    assert len(hits) == 1, lines
    assert re.fullmatch(
        rf"     {re.escape(str(p))}: Fel i Fördelningsdag \(B11\): fördelningsdagen \(2017-01-01\) ligger före "
        r"utmätningsdag \(2018-01-01\)\. \(påverkar \d{3} celler, t\.ex\. Sakägarförteckning!U6\)", hits[0])
    assert not [ln for ln in lines if "i området" in ln]
    assert len(lines) == 4  # FEL line, the cause, "filen lämnas orörd …", the summary


def test_bad_kapital_cell_is_named_as_excel_does(tmp_path):
    """A bad amount in the table: the cell named G24 (not "rad 20, kolumn 7 i området"), once."""
    from tests.reliability import bad_workbooks

    out = recalc_bytes(bad_workbooks.negative_kapital())
    assert out.status == "fel i formel"
    assert len(out.errors) == 2 and out.errors[1].startswith("filen lämnas orörd")
    assert re.fullmatch(r"Fel i rad 1 i tabellen, kolumn Kapital \(G24\): kapitalet är negativt \(-85000\)\. "
                        r"\(påverkar \d+ celler, t\.ex\. Sakägarförteckning!U6\)", out.errors[0])


def test_one_cell_keeps_the_cell_form(tmp_path):
    p = build(tmp_path / "e.xlsx", rows=2, extra=lambda wb, ws: (ws.write_number("A20", -1),
                                                                 ws.write_formula("B20", "=DUBBEL(A20)")))
    out = recalc_bytes(p.read_bytes(), FAKE)
    assert out.errors[0].startswith("cell 'Blad 1'!B20: ")


@pytest.mark.skipif(not WORKBOOKS, reason="workbook/*.xlsx not built")
@pytest.mark.parametrize("path", WORKBOOKS, ids=[p.name for p in WORKBOOKS])
def test_alla_on_a_stale_shipped_workbook_gives_back_every_value(path):
    """Every formula's cached value set to 0: --alla recomputes all of them — also those that depend on
    none of our functions — back to the values the template wrote from the engine."""
    from .test_template import formula_values, stale

    original = path.read_bytes()
    out = recalc_bytes(stale(original), full=True)
    assert out.status == "ok" and not out.notes, (out.errors, out.notes)
    assert formula_values(out.data) == formula_values(original)
