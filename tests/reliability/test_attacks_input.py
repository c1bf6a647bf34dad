"""Issue 10, second round of attacks on the inputs: amounts and dates beyond every bound, hostile JSON, values of
the wrong kind, ordinary formulas at Excel's edges, and stdout closed early. Each attack gives exactly the Swedish
message (naming the field or cell), never a traceback, and leaves the file as it was."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sakagare_xl.adapters.functions import FUNCTIONS
from sakagare_xl.engine.errors import SakagareError

from . import bad_workbooks
from .test_corpus import assert_untouched, freeze, run_cli

ROOT = Path(__file__).resolve().parents[2]
E1 = ROOT / "examples" / "e1-lawline-tillagg.toml"  # a small valid case (Lawline): every attack changes one thing
MAX = "högst 1 000 000 000 000 000 kr"  # engine.model.MAX_BELOPP, the one bound for money
DAG = "(ett datum mellan 1800-01-01 och 2200-12-31 väntades)"  # engine.model.FORSTA_DAG / SISTA_DAG


def _e1_json(**changes) -> str:
    import tomllib

    data = tomllib.loads(E1.read_text(encoding="utf-8"))
    for key, value in changes.items():
        data[key] = value
    return json.dumps(data, default=str)


def _with_price(text: str) -> str:
    """The E1 case as JSON with ``"kopeskilling": <text>`` written literally (for numbers json cannot dump)."""
    return _e1_json(kopeskilling="@@").replace('"@@"', text)


def _e1_edit(path: tuple, value) -> str:
    import tomllib

    data = tomllib.loads(E1.read_text(encoding="utf-8"))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(data, default=str)


# (file name, content, exact stderr line; {path} is the file, why)
CASE_ATTACKS = [
    ("pris-1e30.json", _with_price("1e30"),
     f"Fel i försäljningen, fältet 'kopeskilling': beloppet 1e+30 är orimligt stort ({MAX}).",
     "a price of 1e30 kr (Decimal InvalidOperation when shown to the öre)"),
    ("pris-10-30.json", _with_price("1" + "0" * 30),
     f"Fel i försäljningen, fältet 'kopeskilling': beloppet {10 ** 30} är orimligt stort ({MAX}).",
     "10**30 written out as a JSON integer"),
    ("kapital-1e30.json", _e1_edit(("fordringar", 0, "kapital"), 1e30),
     f"Fel i fordran A, fältet 'kapital': beloppet 1e+30 är orimligt stort ({MAX}).", "a claim of 1e30 kr"),
    ("pantbrev-1e30.json", _e1_edit(("inskrivningar", 0, "belopp"), 1e30),
     f"Fel i inskrivning P1, fältet 'belopp': beloppet 1e+30 är orimligt stort ({MAX}).", "a pantbrev of 1e30 kr"),
    ("pris-1e30.toml", E1.read_text(encoding="utf-8").replace("kopeskilling = 120000", "kopeskilling = 1e30"),
     f"Fel i försäljningen, fältet 'kopeskilling': beloppet 1e+30 är orimligt stort ({MAX}).", "the same in TOML"),
    ("manader.toml", "manader = 100000\nreferensranta = 2\n",
     "Fel i försäljningen, fältet 'manader': antalet månader 100000 är orimligt (högst 4 800).",
     "months beyond 400 years (the tillägg would exceed every bound)"),
    ("fordelningsdag-9999.json", _e1_json(fordelningsdag="9999-12-31"),
     f"Fel i försäljningen, fältet 'fordelningsdag': datumet 9999-12-31 är orimligt {DAG}.",
     "a placeholder date: counting months to it overflowed into year 10000"),
    ("fordelningsdag-9999.toml",
     E1.read_text(encoding="utf-8").replace("fordelningsdag = 2013-12-01", "fordelningsdag = 9999-12-31"),
     f"Fel i försäljningen, fältet 'fordelningsdag': datumet 9999-12-31 är orimligt {DAG}.", "the same in TOML"),
    ("djup.json", "[" * 1000 + "]" * 1000,
     "Fel i fältet 'fil': {path} är för djupt nästlad för att vara ett ärende.", "JSON nested 1000 deep (RecursionError)"),
    ("djup-falt.json", '{"fastighet": ' + "[" * 1000 + "]" * 1000 + "}",
     "Fel i fältet 'fil': {path} är för djupt nästlad för att vara ett ärende.", "the same inside a field"),
    ("djup.toml", "fastighet = " + "[" * 1000 + "]" * 1000 + "\n",
     "Fel i fältet 'fil': {path} är för djupt nästlad för att vara ett ärende.", "the same in TOML"),
    ("siffror.json", _with_price("1" * 4301),
     "Fel i fältet 'fil': {path} innehåller ett heltal med mer än 4 300 siffror.",
     "an integer beyond Python's int/str conversion limit (ValueError)"),
    ("siffror.toml", "kopeskilling = " + "1" * 4301 + "\n",
     "Fel i fältet 'fil': {path} innehåller ett heltal med mer än 4 300 siffror.", "the same in TOML"),
    ("fastighet-tal.json", _e1_json(fastighet=5),
     "Fel i försäljningen, fältet 'fastighet': en text inom citattecken väntades, inte 5.",
     "a number where the property's name belongs (TypeError when printed)"),
    ("fastighet-tabell.json", _e1_json(fastighet={"namn": "x"}),
     "Fel i försäljningen, fältet 'fastighet': en text inom citattecken väntades, inte en tabell.",
     "a table where the property's name belongs"),
    ("beskrivning-lista.json", _e1_edit(("inskrivningar", 0, "beskrivning"), [1]),
     "Fel i inskrivning nr 1 (P1), fältet 'beskrivning': en text inom citattecken väntades, inte en lista (1).",
     "a list where a description belongs"),
    ("beskrivning-tal.json", _e1_json(beskrivning=7),
     "Fel i fältet 'beskrivning': en text inom citattecken väntades, inte 7.", "a number as the case's description"),
    ("surrogat.json", _e1_json(fastighet="X\ud800Y"),
     "Fel i fältet 'fastighet': texten innehåller ett ogiltigt tecken (U+D800, ett ensamt surrogattecken).",
     "a lone surrogate escape (UnicodeEncodeError on output)"),
    ("surrogat-djupt.json", _e1_edit(("fordringar", 0, "borgenar"), "B\udfffank"),
     "Fel i fordran nr 1, fältet 'borgenar': texten innehåller ett ogiltigt tecken (U+DFFF, ett ensamt "
     "surrogattecken).", "the same inside a claim"),
    ("dubblett.json", _e1_json().replace('"kopeskilling": 120000', '"kopeskilling": 200000, "kopeskilling": 1'),
     "Fel i fältet 'kopeskilling': nyckeln står två gånger i {path}; bara en får finnas (annars gäller tyst den "
     "sista).", "a duplicate key: json keeps the last (200 000 became 1) without a word"),
    ("dubblett-nere.json",
     _e1_json().replace('"borgenar": "Banken"', '"borgenar": "Banken", "borgenar": "Annan"'),
     "Fel i fältet 'borgenar': nyckeln står två gånger i {path}; bara en får finnas (annars gäller tyst den "
     "sista).", "the same inside a claim"),
    ("dubblett.toml", E1.read_text(encoding="utf-8").replace("kopeskilling = 120000", "kopeskilling = 200000\nkopeskilling = 1"),
     "Fel i fältet 'fil': {path} är inte giltig TOML (Cannot overwrite a value (at line 12, column 17)).",
     "TOML refuses a duplicate key itself"),
    ("konkurs-null.json", _e1_json(konkurs=None),
     "Fel i försäljningen, fältet 'konkurs': true eller false väntades, inte ett tomt värde (null).",
     "null printed as Python's 'None'"),
    ("dag-lista.json", _e1_edit(("inskrivningar", 0, "dag"), [2004]),
     "Fel i inskrivning nr 1 (P1), fältet 'dag': ett datum ÅÅÅÅ-MM-DD väntades, inte en lista (2004).",
     "a list printed as Python's '[2004]'"),
    ("pantbrev-lista.json", _e1_edit(("fordringar", 0, "pantbrev"), [["P1"]]),
     "Fel i fordran nr 1 (A), fältet 'pantbrev': varje pantbrevs-id ska vara en text, inte en lista ('P1').",
     "a nested list printed as Python's \"[['P1']]\""),
    ("ratt-lista.json", _e1_json(dubbelutrop=[{"ratt": ["S1981"], "bud_med": 1, "bud_utan": 2}]),
     "Fel i dubbelutrop nr 1, fältet 'ratt': en text inom citattecken väntades, inte en lista ('S1981').",
     "a list printed as \"id ['S1981']\""),
]


@pytest.mark.parametrize("name, content, expected, why", CASE_ATTACKS, ids=[a[0] for a in CASE_ATTACKS])
def test_case_file_attack(tmp_path, name, content, expected, why):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    before = freeze(path)
    rc, out, err = run_cli(["berakna", str(path)])
    assert (rc, out) == (2, ""), why
    assert err == expected.format(path=path) + "\n", why
    assert_untouched(path, before)


def test_huge_case_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "stor.json"
    with open(path, "wb") as fh:  # sparse: 3 GB that take no disk space
        fh.truncate(3 * 1024 ** 3)
    rc, out, err = run_cli(["berakna", str(path)])
    assert (rc, out) == (2, "")
    assert err == f"Fel i fältet 'fil': filen {path} är {3 * 1024 ** 3} byte; ett ärende är högst 67108864 byte.\n"


# (function, args, exact message, why)
FUNCTION_ATTACKS = [
    ("TILLAGG", (1e30, 0.02, 6),
     f"Fel i argumentet inteckning: inteckningsbeloppet är orimligt stort (1e+30; {MAX}).", "TILLAGG(1e30; 0,02; 6)"),
    ("TILLAGG", (10 ** 30, 0.02, 6),
     f"Fel i argumentet inteckning: inteckningsbeloppet är orimligt stort ({10 ** 30}; {MAX}).", "10**30 from Python"),
    ("TILLAGG", (100000, 0.02, 1e30),
     "Fel i argumentet months: antalet månader är orimligt stort (1e+30; högst 4 800).", "absurd months"),
    ("TILLAGG", (100000, 0.02, 6, 1e30),
     f"Fel i argumentet fordran: fordran är orimligt stor (1e+30; {MAX}).", "an absurd claim"),
    ("TILLAGG_DATUM", (100000, 43101, 2958465),
     f"Fel i argumentet till: datumet 9999-12-31 är orimligt {DAG}.", "serial 2958465 = 9999-12-31"),
    ("REFERENSRANTA", (2958465,), f"Fel i argumentet datum: datumet 9999-12-31 är orimligt {DAG}.", "the same"),
]


@pytest.mark.parametrize("name, args, expected, why", FUNCTION_ATTACKS, ids=[f"{a[0]}-{n}" for n, a in enumerate(FUNCTION_ATTACKS)])
def test_function_attack(name, args, expected, why):
    with pytest.raises(SakagareError) as info:
        FUNCTIONS[name](*args)
    assert str(info.value) == expected, why


def test_the_bound_itself_is_accepted():
    # 10^15 kr exactly is allowed (the bound is inclusive) and computed to the öre: the tillägg is linear in the
    # amount, so it is 10^10 times the tillägg of 100 000 kr
    assert FUNCTIONS["TILLAGG"](10 ** 15, 0.02, 6) == FUNCTIONS["TILLAGG"](10 ** 5, 0.02, 6) * 10 ** 10


# ------------------------------------------------------------------------------- workbook cells, both commands

# (cell of the example's Sak range, its new XML, label of the message, message after the label, why)
CELL_ATTACKS = [
    ("B16", "<v>1E+30</v>", ' s="13"', "Köpeskilling", f"köpeskillingen är orimligt stor (1e+30; {MAX})",
     "a price of 1e30 in the Köpeskilling cell"),
    ("G24", "<v>1E+30</v>", ' s="13"', "rad 1 i tabellen, kolumn Kapital",
     f"kapitalet är orimligt stort (1e+30; {MAX})", "a claim of 1e30 in the table"),
    ("B11", "<v>2958465</v>", ' s="10"', "Fördelningsdag", f"datumet 9999-12-31 är orimligt {DAG}",
     "serial 2958465 (9999-12-31) as the fördelningsdag"),
]


@pytest.mark.parametrize("ref, inner, attrs, label, message, why", CELL_ATTACKS, ids=[a[0] for a in CELL_ATTACKS])
def test_workbook_cell_attack(tmp_path, ref, inner, attrs, label, message, why):
    path = tmp_path / "bok.xlsx"
    path.write_bytes(bad_workbooks.set_cell(bad_workbooks.example(), ref, inner, attrs))
    before = freeze(path)
    rc, out, err = run_cli(["berakna", str(path)])
    assert (rc, out) == (2, ""), why
    assert err == f"Fel i {label} ({ref}): {message}.\n", why
    rc, out, err = run_cli(["recalc", "--no-progress", str(path)])
    assert rc == 1 and f"FEL  {path}: fel i formel\n" in out, why
    # recalc names the cell as berakna does, once for the cause (issue 11: one message per cause)
    assert f": Fel i {label} ({ref}): {message}. (påverkar " in out, why
    assert "internt fel" not in out and "Traceback" not in out + err
    assert_untouched(path, before)


# ------------------------------------------------------------------------------------------ recalc options

@pytest.mark.parametrize("option, value, expected", [
    ("--kopeskilling", "1e400", f"beloppet '1e400' är orimligt stort ({MAX})"),
    ("--kopeskilling", "1e30", f"beloppet '1e30' är orimligt stort ({MAX})"),
    ("--kopeskilling", "nan", "ogiltigt belopp 'nan' (ett ändligt tal väntades)"),
    ("--kopeskilling", "-5", "beloppet får inte vara negativt ('-5')"),
    ("--fordelningsdag", "9999-12-31", f"datumet 9999-12-31 är orimligt {DAG}"),
], ids=["1e400", "1e30", "nan", "negative", "9999-12-31"])
def test_recalc_option_attack(tmp_path, capsys, option, value, expected):
    path = tmp_path / "bok.xlsx"
    path.write_bytes(bad_workbooks.example())
    before = freeze(path)
    from sakagare_xl.cli import main

    with pytest.raises(SystemExit) as info:
        main(["recalc", "--no-progress", option, value, str(path)])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"sakagare-xl recalc: error: argument {option}: {expected}"
    assert_untouched(path, before)


# ------------------------------------------------------------------------- ordinary formulas at Excel's edges

def _book(formulas: list[str]) -> bytes:
    """A workbook whose B1 (1,5) and B2 (1E+200) depend on one of our functions, so recalc must evaluate every
    formula below them (A3, A4, …)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=TILLAGG(100000,0.02,6)"
    ws["B1"], ws["B2"] = "=A1/12000", "=A1/18000*1E+200"
    for row, f in enumerate(formulas, start=3):
        ws[f"A{row}"] = f
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# (formula, cached value written (t attribute, <v> text), what Excel gives and why)
FORMULA_ATTACKS = [
    ("=ROUND(B1,400)", (None, "1.5"), "digits beyond any precision change nothing (was: internt fel, no cell)"),
    ("=ROUND(B1,-400)", (None, "0"), "rounding to 10^400 gives 0"),
    ("=INT(B2*B2)", ("e", "#NUM!"), "INT of an overflow (was: internt fel)"),
    ('=TEXT(B2*B2,"0")', ("e", "#NUM!"), "TEXT of an overflow (was: internt fel)"),
    ('=LEFT("abc"&B1,-1)', ("e", "#VALUE!"), 'a negative count is #VALUE! (was: "")'),
    ('=RIGHT("abc"&B1,-1)', ("e", "#VALUE!"), "the same for RIGHT"),
    ('=MID("abc"&B1,0,1)', ("e", "#VALUE!"), "MID from position 0"),
    ("=B2*B2>0", ("e", "#NUM!"), "an overflowing product is #NUM!, not TRUE"),
    ("=PRODUCT(B2,B2)>0", ("e", "#NUM!"), "the same through PRODUCT"),
    ("=PRODUCT(B2,B2)", ("e", "#NUM!"), "never an infinite number in a cell"),
    ("=IFERROR(INT(B2*B2),7)", (None, "7"), "the #NUM! is an Excel error that IFERROR catches"),
]


def test_formula_attacks():
    from sakagare_xl.recalc.core import recalc_bytes

    outcome = recalc_bytes(_book([f for f, _, _ in FORMULA_ATTACKS]))
    assert (outcome.status, outcome.errors) == ("ok", [])
    with zipfile.ZipFile(io.BytesIO(outcome.data)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    import re

    for row, (formula, (t, v), why) in enumerate(FORMULA_ATTACKS, start=3):
        m = re.search(rf'<c r="A{row}"([^>]*)><f>[^<]*</f><v>([^<]*)</v>', xml)
        assert m, formula
        assert (m.group(1), m.group(2)) == ((f' t="{t}"' if t else ""), v), f"{formula}: {why}"


# ------------------------------------------------------------------------------ whole process: stdout and pipes

def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "sakagare_xl", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=120, env=env)


def test_stdout_closed_early(tmp_path):
    """``sakagare-xl berakna CASE | head -1`` and ``sakagare-xl recalc … | head -1``: no BrokenPipeError; recalc
    finishes every file and its report although nobody reads what it prints."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"b{n}.xlsx").write_bytes(bad_workbooks.example())
    case = ROOT / "examples" / "e5-2018-block.toml"
    script = (f"{sys.executable} -m sakagare_xl berakna {case} | head -c 1 >/dev/null; "
              f"{sys.executable} -m sakagare_xl recalc --no-progress --report {tmp_path}/rapport "
              f"--kopeskilling 300000 {folder} | head -c 1 >/dev/null")
    r = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, timeout=120)
    err = r.stderr.decode()
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    rows = json.loads((tmp_path / "rapport.json").read_text(encoding="utf-8"))
    assert [(Path(row["path"]).name, row["status"], row["written"]) for row in rows] == [
        (f"b{n}.xlsx", "ok", True) for n in range(3)]


def test_unprintable_file_name(tmp_path):
    """A file name that is not UTF-8 (a byte 0xFF from an old archive) is printed escaped, not a crash."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsencode(folder) + b"/gammal-\xff.xlsx"
    with open(name, "wb") as fh:
        fh.write(bad_workbooks.truncated())
    r = _run(["recalc", "--no-progress", str(folder)], tmp_path, env={**os.environ, "LC_ALL": "C.UTF-8"})
    out = r.stdout.decode("utf-8")
    assert r.returncode == 1 and "Traceback" not in r.stderr.decode()
    assert "gammal-\\udcff.xlsx: felaktig fil" in out
