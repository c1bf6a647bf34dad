"""`sakagare-xl kontrollera`: what it finds and what it says it cannot check."""

from __future__ import annotations

import datetime as dt

import pytest

from sakagare_xl import doctor
from sakagare_xl.cli import main


class _FakeXlwings:
    def __init__(self, conf):
        self.USER_CONFIG_FILE = str(conf)


def _status(checks, name):
    return [k.status for k in checks if k.namn == name]


def test_udf_modules_in_the_user_config(tmp_path):
    conf = tmp_path / "xlwings.conf"
    conf.write_text('"INTERPRETER_WIN","C:\\\\Python311\\\\pythonw.exe"\n"UDF MODULES","mina_udfs;sakagare_xl.udfs"\n')
    checks = doctor.check_config(_FakeXlwings(conf), None)
    assert _status(checks, "UDF Modules") == [doctor.OK]
    conf.write_text('"UDF MODULES","mina_udfs"\n')
    checks = doctor.check_config(_FakeXlwings(conf), None)
    assert _status(checks, "UDF Modules") == [doctor.SAKNAS]
    assert "saknar sakagare_xl.udfs" in checks[0].text


def test_missing_config_is_reported(tmp_path):
    checks = doctor.check_config(_FakeXlwings(tmp_path / "none.conf"), None)
    assert _status(checks, "UDF Modules") in ([doctor.INFO], [doctor.SAKNAS])
    assert "Import Functions" in checks[0].text


def test_workbook_sheet_wins_over_the_user_file(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.create_sheet("xlwings.conf")
    ws.append(["UDF Modules", "sakagare_xl.udfs"])
    path = tmp_path / "sak.xlsm"
    wb.save(path)
    user = tmp_path / "user.conf"
    user.write_text('"UDF MODULES","annat"\n')
    checks = doctor.check_config(_FakeXlwings(user), path)
    ok = [k for k in checks if k.namn == "UDF Modules"]
    assert ok[0].status == doctor.OK and "bladet xlwings.conf i sak.xlsm" in ok[0].text
    # an .xlsx cannot hold the imported VBA functions
    xlsx = tmp_path / "sak.xlsx"
    wb.save(xlsx)
    assert any(k.status == doctor.VARNING and ".xlsm" in k.text for k in doctor.check_config(_FakeXlwings(user), xlsx))


def test_config_file_beside_the_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "sak.xlsm"
    openpyxl.Workbook().save(path)
    (tmp_path / "xlwings.conf").write_text('"UDF MODULES","sakagare_xl.udfs"\n')
    checks = doctor.check_config(_FakeXlwings(tmp_path / "none.conf"), path)
    assert _status(checks, "UDF Modules") == [doctor.OK]


def test_udfs_and_sample_calculation():
    checks = doctor.check_udfs()
    assert [k.status for k in checks] == [doctor.OK, doctor.OK]
    assert "826 000" in checks[1].text


def test_referensranta_reach_and_unverified_rows():
    checks = doctor.check_referensranta(today=dt.date(2040, 1, 1))
    # shared/domain/referensranta.csv: 49 half-years from 2002-07-01, the four of 2025–2026 unverified
    assert (checks[0].status, checks[0].text) == (doctor.OK, (
        "tabellen räcker från andra halvåret 2002 till andra halvåret 2026 (2002-07-01 – 2026-12-31), 49 halvår; "
        "4 av 49 värden är inte bekräftade."))
    past = [k.text for k in checks if k.status == doctor.VARNING and "slutar" in k.text]
    assert len(past) == 1 and past[0].startswith(
        "tabellen slutar 2026-12-31 och saknar första halvåret 2027 och senare (i dag är 2040-01-01)")
    assert "--referensranta 2%" in past[0] and "cellen Referensränta" in past[0]
    unverified = [k.text for k in checks if k.status == doctor.VARNING and "bekräftade" in k.text]
    assert unverified == ["4 värden är inte bekräftade mot Riksbankens beslut (första halvåret 2025 (3,00 %), andra "
                          "halvåret 2025 (2,00 %), första halvåret 2026 (2,00 %), andra halvåret 2026 (2,00 %)); "
                          "kontrollera dem före användning. Beräkningar som använder dem får en varning."]


def test_referensranta_inside_the_table_has_no_end_warning():
    checks = doctor.check_referensranta(today=dt.date(2026, 12, 2))
    assert not any("slutar" in k.text for k in checks)


def test_command_prints_what_cannot_be_checked(capsys):
    code = main(["kontrollera"])
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "Kan inte kontrolleras utan Excel" in out
    assert "Import Functions" in out
    assert "[OK]" in out and "sakagare_xl.udfs" in out
    if code == 1:
        assert "saknas" in out


@pytest.mark.parametrize(
    "version,status",
    [
        ("0.33.19", doctor.SAKNAS),  # below the floor: Lite/Server decorators or JsNull handling not proved
        ("0.33.20", doctor.OK),  # the floor, proved in Pyodide (tests/excel/test_excel_pyodide.py, slow)
        ("0.37.8", doctor.OK),  # constraints.txt
        ("0.38.0", doctor.VARNING),  # newer than anything tried
    ],
)
def test_xlwings_version_against_the_floor(version, status):
    k, _ = doctor.check_xlwings(version)
    assert k.status == status and version in k.text
    assert "0.33.20" in k.text


def test_the_floor_is_the_same_everywhere():
    import re
    from pathlib import Path

    from sakagare_xl import lite

    root = Path(doctor.__file__).resolve().parents[1]
    pyproject = re.search(r'"xlwings(>=[^"]+)"', (root / "pyproject.toml").read_text())[1]
    assert pyproject == doctor.xlwings_requirement()
    floor = ".".join(map(str, doctor.XLWINGS_FLOOR))
    assert lite.REQUIREMENTS.startswith(f"xlwings>={floor},")
    assert (lite.HERE / "requirements.txt").read_text() == lite.REQUIREMENTS
