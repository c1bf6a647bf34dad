"""Building the template: determinism, the shipped files are current, the CLI."""

from __future__ import annotations

import zipfile

import pytest

from sakagare_xl.cli import main as cli_main
from sakagare_xl.template.builder import build_bytes
from sakagare_xl.template.exempel import EXEMPEL, MALL, ifyllnad
from sakagare_xl.template.reader import read_arende

from template_helpers import REPO, case


@pytest.mark.parametrize("ex", [None, *EXEMPEL], ids=lambda e: e.fil if e else MALL)
def test_building_twice_gives_identical_bytes(ex):
    fall = ifyllnad(ex) if ex else None
    first, second = build_bytes(fall), build_bytes(fall)
    assert first == second
    # no member carries the clock: XlsxWriter's zip entries are dated 1980-01-01
    with zipfile.ZipFile(__import__("io").BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        assert "2026-01-01T00:00:00Z" in core


@pytest.mark.parametrize("name", [MALL, *(ex.fil for ex in EXEMPEL)])
def test_committed_workbooks_are_current(built, name):
    """workbook/*.xlsx are what `python workbook/build.py` writes now (rebuild and commit if this fails)."""
    assert (REPO / "workbook" / name).read_bytes() == built[name].read_bytes()


def test_mall_command_writes_the_empty_template(tmp_path, capsys):
    out = tmp_path / "mall.xlsx"
    assert cli_main(["mall", str(out)]) == 0
    assert out.read_bytes() == build_bytes(None)
    assert "skriven" in capsys.readouterr().out
    assert cli_main(["mall", str(out)]) == 0
    assert "oförändrad" in capsys.readouterr().out


def test_mall_command_fills_a_case_file(tmp_path):
    ex = EXEMPEL[0]
    out = tmp_path / "e2.xlsx"
    assert cli_main(["mall", str(out), "--arende", str(REPO / "examples" / ex.arende)]) == 0
    arende = read_arende(out)
    assert arende.forsaljning == case(ex).forsaljning


def test_mall_command_reports_a_bad_case_file_in_swedish(tmp_path, capsys):
    bad = tmp_path / "fel.toml"
    bad.write_text('fastighet = "X"\nmanadr = 6\n', encoding="utf-8")
    assert cli_main(["mall", str(tmp_path / "x.xlsx"), "--arende", str(bad)]) == 2  # as berakna
    err = capsys.readouterr().err
    assert "manadr" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_python_dash_m_entry_point(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "m.xlsx"
    proc = subprocess.run([sys.executable, "-m", "sakagare_xl.template", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == build_bytes(None)


def test_xlsm_carries_the_xlwings_vba_project_and_udf_modules(tmp_path):
    """`sakagare-xl mall bok.xlsm`: macro-enabled, the VBA project of xlwings' quickstart.xlsm, and an
    xlwings.conf sheet naming our UDF module; deterministic and readable like the .xlsx."""
    import openpyxl

    from sakagare_xl.template.builder import xlwings_vba_project

    out = tmp_path / "bok.xlsm"
    assert cli_main(["mall", str(out), "--arende", str(REPO / "examples" / EXEMPEL[0].arende)]) == 0
    data = out.read_bytes()
    assert data == build_bytes(ifyllnad_from_case(EXEMPEL[0]), xlsm=True)
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/vbaProject.bin") == xlwings_vba_project()
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
    wb = openpyxl.load_workbook(out, keep_vba=True)
    conf = wb["xlwings.conf"]
    assert (conf["A1"].value, conf["B1"].value) == ("UDF Modules", "sakagare_xl.udfs")
    assert read_arende(out).forsaljning == case(EXEMPEL[0]).forsaljning


def ifyllnad_from_case(ex):
    from sakagare_xl.template.fall import from_arende

    return from_arende(case(ex), titel=f"Ifylld från {ex.arende}.")
