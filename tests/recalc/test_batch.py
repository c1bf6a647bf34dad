"""The recalc command: bad files, atomic writes, parallel batches, --dry-run, --out, reports, overrides."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
import xlsxwriter

from sakagare_xl.cli import build_parser
from sakagare_xl.recalc import batch

from .helpers import DUBBEL, FAKE, build, cached


def recalc(argv, functions=FAKE):
    args = build_parser().parse_args(["recalc", "--no-progress", *map(str, argv)])
    return args.func(args, functions=functions)


def snapshot(path):
    st = os.stat(path)
    return path.read_bytes(), st.st_mtime_ns, st.st_mode


def _zip(members: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return buf.getvalue()


def _with_member(data: bytes, name: str, body: bytes) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = {i.filename: zin.read(i) for i in zin.infolist()}
    out[name] = body
    return _zip(out)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol3;</t></si></sst>'
)


def bad_files(tmp_path):
    """(file name, bytes, expected status) for every kind of bad file."""
    good = build(tmp_path / "src.xlsx").read_bytes()
    plain = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(plain))
    wb.add_worksheet().write_formula("A1", "=1+1", None, 2)
    wb.close()
    err = build(tmp_path / "err.xlsx", extra=lambda wb, ws: (ws.write_number("A20", -1),
                                                               ws.write_formula("B20", "=DUBBEL(A20)"))).read_bytes()
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b" " * (120 * 1024 * 1024)})
    return [
        ("korrupt.xlsx", good[: len(good) // 2], "felaktig fil"),  # truncated zip
        ("text.xlsx", b"detta ar ingen arbetsbok\n" * 10, "inte en arbetsbok"),
        ("slump.xlsx", os.urandom(4096).replace(b"PK", b"pk"), "inte en arbetsbok"),
        ("tom.xlsx", b"", "inte en arbetsbok"),
        ("krypterad.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4000, "krypterad"),
        ("zip.xlsx", _zip({"a.txt": b"hej"}), "inte en arbetsbok"),
        ("bomb.xlsx", bomb, "osäker fil"),
        ("xmlbomb.xlsx", _with_member(good, "xl/sharedStrings.xml", BILLION_LAUGHS), "osäker fil"),
        ("formelfel.xlsx", err, "fel i formel"),
    ]


def test_bad_files_are_reported_untouched_and_the_batch_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    cases = bad_files(tmp_path)
    for name, data, _ in cases:
        (folder / name).write_bytes(data)
    build(folder / "bra.xlsx")
    plain = tmp_path / "plain.xlsx"  # (bad_files made it) a workbook without our functions: skipped, no failure
    (folder / "vanlig.xlsx").write_bytes(plain.read_bytes())
    cases.append(("vanlig.xlsx", plain.read_bytes(), "inget att räkna om"))
    before = {name: snapshot(folder / name) for name, _, _ in cases}
    rc = recalc([folder, "--report", tmp_path / "rapport"])
    assert rc == 1
    for name, _, _ in cases:
        assert snapshot(folder / name) == before[name], name  # bytes, mtime and mode untouched
    rows = {os.path.basename(r["path"]): r for r in json.loads((tmp_path / "rapport.json").read_text("utf-8"))}
    for name, _, status in cases:
        assert rows[name]["status"] == status, (name, rows[name])
        assert rows[name]["written"] is False
        if status == "inget att räkna om":
            assert rows[name]["notes"] and not rows[name]["errors"]
            continue
        assert rows[name]["errors"]
        assert all(name in e for e in rows[name]["errors"])  # every message names the file
    assert rows["bra.xlsx"]["status"] == "ok" and rows["bra.xlsx"]["written"] is True
    assert cached((folder / "bra.xlsx").read_bytes())["B2"] == DUBBEL(2)  # the batch went on
    out = capsys.readouterr().out
    assert "Traceback" not in out and "krypterad" in out
    assert not [p for p in folder.iterdir() if p.name.endswith(batch.TEMP_SUFFIX)]


def test_formula_error_message_names_the_cell(tmp_path, capsys):
    p = build(tmp_path / "e.xlsx", extra=lambda wb, ws: (ws.write_number("A20", -1),
                                                         ws.write_formula("B20", "=DUBBEL(A20)")))
    assert recalc([p]) == 1
    out = capsys.readouterr().out
    assert "'Blad 1'!B20" in out and "negativt" in out


def test_write_errors_option_writes_the_message_into_the_cell(tmp_path):
    p = build(tmp_path / "e.xlsx", extra=lambda wb, ws: (ws.write_number("A20", -1),
                                                         ws.write_formula("B20", "=DUBBEL(A20)")))
    assert recalc([p, "--skriv-fel"]) == 1  # still reported as a failure
    assert cached(p.read_bytes())["B20"].startswith("Fel i argumentet x")


def test_interrupted_replace_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    p = build(tmp_path / "a.xlsx")
    before = snapshot(p)

    def boom(tmp, dest):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch, "_replace", boom)
    assert recalc([p]) == 1
    assert snapshot(p) == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.xlsx"]


def test_keyboard_interrupt_during_write_leaves_no_temp(tmp_path, monkeypatch):
    p = build(tmp_path / "a.xlsx")
    before = snapshot(p)

    def interrupted(tmp, dest):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "_replace", interrupted)
    assert recalc([p]) == 1
    assert snapshot(p) == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.xlsx"]


def _tillagg_book(path):
    """A workbook with the real TILLAGG (for runs through the real registry)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Blad 1")
    for i in range(3):
        ws.write_number(i, 0, 100000 * (i + 1))
        ws.write_formula(i, 1, f"=TILLAGG(A{i + 1},0.02,6)", None, 0)
        ws.write_formula(i, 2, f"=A{i + 1}+B{i + 1}", None, 0)
    wb.close()
    return path


def test_real_functions_through_the_command(tmp_path):
    from sakagare_xl.adapters.functions import FUNCTIONS

    p = _tillagg_book(tmp_path / "t.xlsx")
    assert recalc([p], functions=None) == 0
    vals = cached(p.read_bytes())
    assert vals["B1"] == FUNCTIONS["TILLAGG"](100000, 0.02, 6) == 18000  # 100 000 × (15 % + 6 % × 6/12)
    assert vals["C3"] == 300000 + FUNCTIONS["TILLAGG"](300000, 0.02, 6)


def test_killed_process_leaves_each_file_old_or_new(tmp_path):
    """Kill a real `sakagare-xl recalc` run part-way: every file is either the old or the new version."""
    import time

    folder = tmp_path / "k"
    folder.mkdir()
    old = {}
    for i in range(40):
        p = _tillagg_book(folder / f"b{i:02d}.xlsx")
        old[p.name] = p.read_bytes()
    code = (
        "import sys, time\n"
        "import sakagare_xl.recalc.batch as b\n"
        "orig = b._replace\n"
        "def slow(t, d):\n"
        "    time.sleep(0.05)\n"
        "    orig(t, d)\n"
        "b._replace = slow\n"
        "from sakagare_xl.cli import main\n"
        f"sys.exit(main(['recalc', '--no-progress', {str(folder)!r}]))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any((folder / n).read_bytes() != d for n, d in old.items()):
            break
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    new_seen = 0
    for name, data in old.items():
        now = (folder / name).read_bytes()
        if now != data:
            with zipfile.ZipFile(io.BytesIO(now)) as zf:
                assert zf.testzip() is None  # a complete, valid new file
            assert cached(now)["B1"] == 18000
            new_seen += 1
    assert 1 <= new_seen < 40  # killed part-way
    # only our own orphaned temp file (at most one, after a hard kill) may remain
    leftovers = [p.name for p in folder.iterdir() if p.name not in old]
    assert all(n.endswith(batch.TEMP_SUFFIX) for n in leftovers) and len(leftovers) <= 1


def test_hundred_workbooks_in_parallel(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(100):
        build(folder / f"bok{i:03d}.xlsx", rows=3 + i % 5)
    rc = recalc([folder, "--jobs", "2", "--report", tmp_path / "r.csv"])
    assert rc == 0
    for i in range(100):
        n = 3 + i % 5
        vals = cached((folder / f"bok{i:03d}.xlsx").read_bytes())
        assert [vals[f"B{r}"] for r in range(1, n + 1)] == [DUBBEL(r) for r in range(1, n + 1)]
        assert vals[f"B{n + 3}"] == sum(min(DUBBEL(r), r + 3) for r in range(1, n + 1))
    with open(tmp_path / "r.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 100 and all(r["status"] == "ok" for r in rows)


def test_dry_run_writes_nothing(tmp_path, capsys):
    p = build(tmp_path / "a.xlsx")
    before = snapshot(p)
    assert recalc([p, "--dry-run", "--out", tmp_path / "ut"]) == 0
    assert snapshot(p) == before
    assert not (tmp_path / "ut").exists()
    assert "torrkörning" in capsys.readouterr().out


def test_out_folder(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    a = build(src / "a.xlsx")
    b = build(src / "sub" / "b.xlsx")
    before = snapshot(a), snapshot(b)
    assert recalc([src, "--out", tmp_path / "ut"]) == 0
    assert (snapshot(a), snapshot(b)) == before
    assert cached((tmp_path / "ut" / "a.xlsx").read_bytes())["B1"] == 2
    assert cached((tmp_path / "ut" / "sub" / "b.xlsx").read_bytes())["B1"] == 2


def test_globs_and_missing_paths(tmp_path, capsys):
    build(tmp_path / "a1.xlsx")
    build(tmp_path / "a2.xlsm")
    (tmp_path / "notes.txt").write_text("x")
    rc = recalc([str(tmp_path / "a*.xls*"), tmp_path / "finns-inte.xlsx"])
    assert rc == 1
    out = capsys.readouterr().out
    assert "finns-inte.xlsx" in out and "2 omräknade" in out


def test_report_columns(tmp_path):
    build(tmp_path / "a.xlsx")
    recalc([tmp_path / "a.xlsx", "--report", tmp_path / "rap"])
    with open(tmp_path / "rap.csv", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["path", "status", "skyddsbelopp", "distributed", "overskott", "cells_changed", "written", "errors"]
    row = json.loads((tmp_path / "rap.json").read_text("utf-8"))[0]
    assert row["cells_changed"] == 12 and row["status"] == "ok"


def test_file_mode_is_kept(tmp_path):
    p = build(tmp_path / "a.xlsx")
    os.chmod(p, 0o640)
    assert recalc([p]) == 0
    assert os.stat(p).st_mode & 0o777 == 0o640


def _named_book(path, with_name=True):
    def extra(wb, ws):
        ws.write_number("H1", 1000)
        ws.write_formula("H2", "=DUBBEL(Pris)", None, 0)
        if with_name:
            wb.define_name("Kopeskilling", "='Blad 1'!$H$1")
            wb.define_name("Pris", "='Blad 1'!$H$1")
        else:
            wb.define_name("Pris", "='Blad 1'!$H$1")

    return build(path, extra=extra)


def test_override_writes_the_named_cell_and_recomputes(tmp_path):
    p = _named_book(tmp_path / "a.xlsx")
    assert recalc([p, "--kopeskilling", "1 500 000"]) == 0
    vals = cached(p.read_bytes())
    assert vals["H1"] == 1500000 and vals["H2"] == DUBBEL(1500000)


def test_override_without_the_name_is_reported(tmp_path, capsys):
    p = _named_book(tmp_path / "a.xlsx", with_name=False)
    before = snapshot(p)
    assert recalc([p, "--kopeskilling", "1000"]) == 1
    assert snapshot(p) == before
    assert "saknar namnet Kopeskilling" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--referensranta", "2"], ["--fordelningsdag", "2024-13-01"], ["--kopeskilling", "-5"]])
def test_bad_override_values_are_rejected(tmp_path, argv, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["recalc", str(tmp_path), *argv])
    assert exc.value.code == 2


# --referensranta takes what the cell stores: a fraction (0,02) or text with % (2%); the readings, the messages
# and the range are engine/rantesats.py's, the same as for the workbook cell and TILLAGG's ref_rate (RULES.md §8)
@pytest.mark.parametrize("text, fraction", [("2%", 0.02), ("2,5 %", 0.025), ("0,02", 0.02), ("-0,5%", -0.005),
                                            ("25%", 0.25), ("-0,05", -0.05), ("0", 0.0)])
def test_referensranta_override_values(tmp_path, text, fraction):
    args = build_parser().parse_args(["recalc", str(tmp_path), f"--referensranta={text}"])  # = for a leading minus
    assert args.referensranta == pytest.approx(fraction, abs=0)


@pytest.mark.parametrize("text, message", [
    ("2", '2 kan läsas som 200 % eller 2 %; räntan anges här som andel (0,02 = 2 %): skriv 0,02 eller "2 %" för 2 %.'),
    ("0,3", '0,3 kan läsas som 30 % eller 0,3 %; räntan anges här som andel (0,02 = 2 %): skriv 0,003 eller "0,3 %" '
            'för 0,3 %.'),
    ("30%", "30 % ligger utanför det godtagna intervallet -5 % till 25 % för en referensränta."),
    ("-0,06", '-0,06 kan läsas som -6 % eller -0,06 %; räntan anges här som andel (0,02 = 2 %): skriv -0,0006 eller '
              '"-0,06 %" för -0,06 %.'),
    ("hög", "en procentsats (t.ex. 2 %) väntades, inte 'hög'."),
])
def test_referensranta_override_messages(tmp_path, capsys, text, message):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["recalc", str(tmp_path), f"--referensranta={text}"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"sakagare-xl recalc: error: argument --referensranta: {message}"


def test_excel_option_on_linux_is_a_clear_error(tmp_path, capsys):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Excel may exist here")
    p = build(tmp_path / "a.xlsx")
    before = snapshot(p)
    assert recalc([p, "--excel"]) == 1
    assert "Windows och macOS" in capsys.readouterr().err
    assert snapshot(p) == before
