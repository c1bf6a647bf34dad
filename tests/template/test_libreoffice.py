"""The shipped workbooks as a person sees them in a viewer without our functions: LibreOffice (default
settings) renders each to PDF, and the PDF is read back with poppler's pdftotext.

- no error value anywhere (LibreOffice recalculates every formula whose cached result is empty; one that
  calls our functions would show ``#NAME?``), and none stored when LibreOffice saves the workbook again;
- every number ``sakagare-xl berakna WORKBOOK`` prints for the case is on paper, and the print sheet
  (Utskrift) carries the per-row results and the skyddsbelopp;
- all text is at least 8 pt (a word's box height in ``pdftotext -bbox`` is its font size, within 2 %
  for the fonts LibreOffice uses here), and the print sheet is one page wide.

Skipped, with the reason printed, when ``soffice`` or ``pdftotext`` is not installed (CI installs both,
see ``.ci/run``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sakagare_xl.berakna_cli import compute
from sakagare_xl.template.cli import inputs
from sakagare_xl.template.reader import read_values

REPO = Path(__file__).resolve().parents[2]
WORKBOOKS = sorted((REPO / "workbook").glob("*.xlsx"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [
    # two LibreOffice runs take 15-25 s: with the larger budget (`python -m pytest -m slow`, as CI runs it)
    pytest.mark.slow,
    pytest.mark.skipif(
        not (SOFFICE and PDFTOTEXT),
        reason="LibreOffice (soffice) och/eller poppler-utils (pdftotext) saknas: "
        "apt-get install libreoffice-calc-nogui poppler-utils",
    ),
]

ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")
#: the smallest text on paper (points); a word box is its font size within 2 %
MIN_PT = 8.0 * 0.98


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> str:
    """A private LibreOffice profile for this module's runs (default settings, no lock on the user's)."""
    return (tmp_path_factory.mktemp("lo-profile")).as_uri()


def _soffice(args: list[str], tmp: Path, profile: str) -> None:
    """One headless LibreOffice run."""
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}  # en-US number formats: 1,200,000.50
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", *args],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, profile) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("libreoffice")
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp / "pdf"), *map(str, WORKBOOKS)], tmp, profile)
    return {p.name: tmp / "pdf" / (p.stem + ".pdf") for p in WORKBOOKS}


@pytest.fixture(scope="module")
def resaved(tmp_path_factory, profile) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("libreoffice-resave")
    _soffice(["--convert-to", "xlsx", "--outdir", str(tmp / "xlsx"), *map(str, WORKBOOKS)], tmp, profile)
    return {p.name: tmp / "xlsx" / p.name for p in WORKBOOKS}


def _text(pdf: Path, *args: str) -> str:
    proc = subprocess.run([PDFTOTEXT, *args, str(pdf), "-"], capture_output=True, text=True, check=True)
    return proc.stdout


def _pages(pdf: Path) -> list[str]:
    return _text(pdf, "-layout").split("\f")


_EN = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\d.,])\d+(?:\.\d+)?(?![\d,])")
_SV = re.compile(r"(?<![\d,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?![\d])")


def _numbers(text: str) -> set[Decimal]:
    """Every amount in the text, as LibreOffice formats cells here (1,200,000.50) and as the engine writes
    them in the explanations (1 200 000,50)."""
    found = {Decimal(m.replace(",", "")) for m in _EN.findall(text)}
    found |= {Decimal(re.sub(r"[ \u00a0\u202f]", "", m).replace(",", ".")) for m in _SV.findall(text)}
    return found


def _cli_numbers(path: Path) -> dict[str, Decimal]:
    """The amounts `sakagare-xl berakna WORKBOOK` prints (its tables and totals), named for the message."""
    res = compute(str(path))
    out: dict[str, Decimal] = {"skyddsbelopp": res.skyddsbelopp}
    for r in res.rader:
        out[f"rad {r.nr} förmånsrätt"] = r.formansratt
        if r.tillagg:
            out[f"rad {r.nr} tillägg"] = r.tillagg
        if res.medel is not None:
            out[f"rad {r.nr} utfaller"] = r.utfaller
    for f in res.fordringar:
        out[f"fordran {f.id}"] = f.fordran
        out[f"fordran {f.id} förmånsrätt"] = f.formansratt
        if res.medel is not None:
            out[f"fordran {f.id} utfaller"] = f.utfaller
            out[f"fordran {f.id} brist"] = f.brist
    if res.medel is not None:
        out.update(medel=res.medel, utdelat=res.utdelat, overskott=res.overskott,
                   agarhypotek=res.agarhypotek_till_agaren)
    return out


@pytest.mark.parametrize("name", [p.name for p in WORKBOOKS])
def test_no_error_value_on_paper(rendered, name):
    pages = _pages(rendered[name])
    bad = [(k + 1, e) for k, page in enumerate(pages) for e in ERRORS if e in page]
    assert bad == []


@pytest.mark.parametrize("name", [p.name for p in WORKBOOKS])
def test_a_libreoffice_resave_stores_no_error(resaved, name):
    wb = openpyxl.load_workbook(resaved[name], data_only=True)
    bad = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
           if isinstance(c.value, str) and c.value.startswith(ERRORS)]
    assert bad == []


@pytest.mark.parametrize("name", [p.name for p in WORKBOOKS if p.name != "sakagarforteckning.xlsx"])
def test_the_numbers_the_cli_prints_are_on_paper(rendered, name):
    pages = _pages(rendered[name])
    on_paper = _numbers("\n".join(pages))
    missing = {k: v for k, v in _cli_numbers(REPO / "workbook" / name).items() if v not in on_paper}
    assert missing == {}
    # the print sheet alone: the skyddsbelopp, every claim's brist (priced), every row's förmånsrätt
    res = compute(str(REPO / "workbook" / name))
    printed = [p for p in pages if "Rättighet/fordran" in p]
    assert printed, "the print sheet's table heading is not in the PDF"
    on_print = _numbers("\n".join(printed))
    want = {res.skyddsbelopp}
    if res.medel is not None:
        want |= {f.brist for f in res.fordringar if f.brist}
    assert want <= on_print


@pytest.mark.parametrize("name", [p.name for p in WORKBOOKS])
def test_all_text_is_at_least_8_pt(rendered, name):
    xml = _text(rendered[name], "-bbox")
    small = [
        (word, round(float(y1) - float(y0), 2))
        for y0, y1, word in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', xml)
        if float(y1) - float(y0) < MIN_PT
    ]
    assert len(re.findall("<word ", xml)) > 100
    assert small == []


@pytest.mark.parametrize("name", [p.name for p in WORKBOOKS])
def test_the_print_sheet_is_one_page_wide_in_priority_order(rendered, name):
    pages = [p for p in _pages(rendered[name]) if "Rättighet/fordran" in p]
    assert len(pages) == 1  # up to 20 rows: one A4 page
    lines = pages[0].splitlines()
    heading = next(i for i, line in enumerate(lines) if "Rättighet/fordran" in line)
    assert all(h in lines[heading] + lines[heading - 1] for h in ("Nr", "Sakägare", "Förmånsrätt", "Utfaller"))
    nrs = [int(line.split()[0]) for line in lines[heading + 1:] if re.match(r"\s*\d+\s+\S", line)]
    assert nrs == list(range(1, len(nrs) + 1))
    # one line per filled table row, none for the empty ones
    _header, table = inputs(read_values(REPO / "workbook" / name)[0])
    assert len(nrs) == len(table)
