"""`sakagare-xl mall`: never overwrites a workbook holding a case without --skriv-over, says what it
wrote, and answers wrong arguments with one Swedish line and exit status 2 (as `sakagare-xl berakna`)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sakagare_xl.cli import main as cli_main
from sakagare_xl.template.builder import build_bytes
from sakagare_xl.template.exempel import EXEMPEL, ifyllnad

REPO = Path(__file__).resolve().parents[2]
E2 = str(REPO / "examples" / EXEMPEL[0].arende)
E3 = str(REPO / "examples" / EXEMPEL[1].arende)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = cli_main(["mall", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_a_filled_workbook_is_not_overwritten_without_skriv_over(tmp_path, capsys, monkeypatch):
    book = tmp_path / "sakagarforteckning.xlsx"
    monkeypatch.chdir(tmp_path)  # restored after the test: later doctests use paths relative to the checkout
    assert _run(capsys, "--arende", E2)[0] == 0
    filled = book.read_bytes()
    # the default name again, empty: refused, the case kept
    rc, out, err = _run(capsys)
    assert rc == 2 and out == ""
    assert err.startswith("Fel: sakagarforteckning.xlsx innehåller redan ett ifyllt ärende") and "--skriv-over" in err
    assert book.read_bytes() == filled
    # another case: refused too
    assert _run(capsys, "--arende", E3)[0] == 2 and book.read_bytes() == filled
    # with --skriv-over: written, and said so
    rc, out, _err = _run(capsys, "--skriv-over")
    assert rc == 0 and out == "sakagarforteckning.xlsx: överskriven (tom mall)\n"
    assert book.read_bytes() == build_bytes(None)


def test_the_same_case_is_rebuilt_and_the_empty_template_replaced(tmp_path, capsys):
    book = tmp_path / "sak.xlsx"
    assert _run(capsys, str(book))[1] == f"{book}: skriven (tom mall)\n"
    # the empty template may be filled: nothing is lost
    rc, out, _ = _run(capsys, str(book), "--arende", E2)
    assert rc == 0 and out == f"{book}: överskriven (ifylld från {Path(E2).name}, 4 rader i tabellen)\n"
    # a workbook of an older layout holding the same case (here: another title cell) is rebuilt
    wb = openpyxl.load_workbook(book)
    wb.worksheets[0]["A1"] = "Gammal rubrik"
    wb.save(book)
    rc, out, _ = _run(capsys, str(book), "--arende", E2)
    assert rc == 0 and "överskriven" in out
    assert _run(capsys, str(book), "--arende", E2)[1].endswith("oförändrad (ifylld från e2-lawline-15971.toml)\n")


def test_a_file_that_is_no_workbook_is_not_overwritten(tmp_path, capsys):
    bad = tmp_path / "anteckningar.xlsx"
    bad.write_text("mina anteckningar", encoding="utf-8")
    rc, _out, err = _run(capsys, str(bad))
    assert rc == 2 and "finns redan och är ingen arbetsbok från mallen" in err
    assert bad.read_text(encoding="utf-8") == "mina anteckningar"


def test_a_filled_workbook_can_be_the_case_source(tmp_path, capsys):
    """`--arende bok.xlsx`: the case of a filled workbook, laid out in the current template."""
    src = tmp_path / "gammal.xlsx"
    src.write_bytes(build_bytes(ifyllnad(EXEMPEL[2])))
    new = tmp_path / "ny.xlsx"
    rc, out, _ = _run(capsys, str(new), "--arende", str(src))
    assert rc == 0 and out == f"{new}: skriven (ifylld från gammal.xlsx, 5 rader i tabellen)\n"
    from sakagare_xl.template import read_arende

    assert read_arende(new) == read_arende(src)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["/no/such/dir/x.xlsx"], "Fel: katalogen /no/such/dir finns inte (för UTFIL /no/such/dir/x.xlsx); skapa den först."),
        (["{tmp}/"], "Fel: {tmp}/ är en katalog; ange ett filnamn som slutar på .xlsx eller .xlsm"),
        (["{tmp}"], "Fel: {tmp} är en katalog;"),
        (["{tmp}/x.csv"], "Fel: UTFIL {tmp}/x.csv slutar på .csv; mallen skrivs som .xlsx"),
        (["{tmp}/x"], "Fel: UTFIL {tmp}/x har ingen filändelse;"),
        (["{tmp}/y.xlsx", "--arende", "{tmp}/x.xlsx"], "Fel i fältet 'fil': filen {tmp}/x.xlsx finns inte."),
        (["{tmp}/y.xlsx", "--arende", "{tmp}/x.toml"], "Fel i fältet 'fil': filen {tmp}/x.toml finns inte."),
        (["{tmp}/y.xlsx", "--arende", "{tmp}/x.csv"], "Fel: --arende {tmp}/x.csv: en ärendefil (.toml, .json) eller"),
        (["--alla", "/no/such/dir/ut"], "Fel: katalogen /no/such/dir finns inte; skapa den först (--alla /no/such/dir/ut)."),
        (["--alla", "{tmp}/ut", "{tmp}/x.xlsx"], "Fel: --alla skriver hela katalogen"),
    ],
)
def test_wrong_arguments_get_one_swedish_line_and_status_2(tmp_path, capsys, argv, message):
    rc, out, err = _run(capsys, *(a.format(tmp=tmp_path) for a in argv))
    assert rc == 2 and out == ""
    assert err.startswith(message.format(tmp=tmp_path)), err
    assert err.count("\n") == 1 and "Errno" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_write_the_system_refuses_is_named_in_swedish(tmp_path, capsys, monkeypatch):
    """A folder without write permission (simulated: the tests may run as root, who may write anyway)."""
    import errno

    def refuse(self, data):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    rc, out, err = _run(capsys, str(tmp_path / "x.xlsx"))
    assert rc == 2 and out == ""
    assert err == f"Fel: {tmp_path / 'x.xlsx'} kan inte skrivas (åtkomst nekas).\n"
    assert list(tmp_path.iterdir()) == []
