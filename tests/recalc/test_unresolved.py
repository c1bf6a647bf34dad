"""References recalc cannot resolve are faults of the workbook, never values: an undefined name, a
sheet that does not exist (in a formula or in a name's definition), a worksheet whose part or
relationship is missing. Each is reported with the cell and the name/sheet, nothing is written.
(Regression: tests/reliability corpus `missing_sheet` and `no_sak_name` were written with #REF!/#NAME?
and status "ok".) A #REF! written literally in the formula stays an Excel error value."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from sakagare_xl.recalc.core import recalc_bytes

from .helpers import FAKE, build, cached, members


def _edit(data: bytes, name: str, fn) -> bytes:
    """The zip with member ``name`` changed by ``fn`` (``fn`` returning None drops the member)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == name:
                body = fn(body)
                if body is None:
                    continue
            zout.writestr(info, body)
    return buf.getvalue()


def _formulas(*cells, names=(), sheet2=False):
    def extra(wb, ws):
        if sheet2:
            wb.add_worksheet("Två").write_number("A1", 7)
        for ref, text in cells:
            ws.write_formula(ref, text, None, 0)
        for name, text in names:
            wb.define_name(name, text)
    return extra


# (why, formulas, names, status, errors)
CASES = [
    ("an undefined name next to one of ours",
     [("E1", "=DUBBEL(A1)+Okand")], [],
     "fel i arbetsboken", ["cell 'Blad 1'!E1: namnet Okand finns inte i arbetsboken; filen lämnas orörd"]),
    ("the same undefined name in three cells: one line, the first cell and the count",
     [("E3", "=DUBBEL(Sak)"), ("E1", "=DUBBEL(Sak)"), ("E2", "=DUBBEL(SAK)")], [],
     "fel i arbetsboken",
     ["cell 'Blad 1'!E1: namnet Sak finns inte i arbetsboken (också i 2 andra celler); filen lämnas orörd"]),
    ("a sheet that does not exist",
     [("E1", "=DUBBEL('Saknas'!A1)")], [],
     "fel i arbetsboken", ["cell 'Blad 1'!E1: bladet Saknas finns inte i arbetsboken; filen lämnas orörd"]),
    ("a name whose definition points at a sheet that does not exist",
     [("E1", "=DUBBEL(Tal)")], [("Tal", "='Borta'!$A$1")],
     "fel i arbetsboken",
     ["cell 'Blad 1'!E1: namnet Tal pekar på bladet Borta, som inte finns i arbetsboken; filen lämnas orörd"]),
    ("a name defined through a name that does not exist",
     [("E1", "=DUBBEL(Tal)")], [("Tal", "=Okand*2")],
     "fel i arbetsboken",
     ["cell 'Blad 1'!E1: namnet Tal använder namnet Okand, som inte finns i arbetsboken; filen lämnas orörd"]),
    ("two faults: both reported, in cell order",
     [("E2", "=DUBBEL(A1)+Okand"), ("E1", "=DUBBEL('Saknas'!A1)")], [],
     "fel i arbetsboken",
     ["cell 'Blad 1'!E1: bladet Saknas finns inte i arbetsboken; filen lämnas orörd",
      "cell 'Blad 1'!E2: namnet Okand finns inte i arbetsboken; filen lämnas orörd"]),
    ("an undefined name in a formula that nothing of ours needs (it keeps its cached value): fine",
     [("E1", "=Okand+1")], [],
     "ok", []),
    ("a sheet-scoped name resolves on its sheet",
     [("E1", "=DUBBEL(Lokal)")], [("'Blad 1'!Lokal", "='Blad 1'!$A$2")],
     "ok", []),
]


@pytest.mark.parametrize("why, cells, names, status, errors", CASES, ids=[c[0][:40] for c in CASES])
def test_unresolved_reference(tmp_path, why, cells, names, status, errors):
    data = build(tmp_path / "b.xlsx", extra=_formulas(*cells, names=names)).read_bytes()
    out = recalc_bytes(data, FAKE)
    assert (out.status, out.errors) == (status, errors), why
    if errors:
        assert out.data is None
    else:
        assert "#NAME?" not in cached(out.data).values() and "#REF!" not in cached(out.data).values()


def test_literal_ref_error_stays_an_excel_error(tmp_path):
    # Excel rewrites a reference to a deleted row as #REF! in the formula text: that is the workbook's
    # own value, computed as Excel does
    data = build(tmp_path / "r.xlsx", extra=_formulas(("E1", "=DUBBEL(A1)+#REF!"), ("E2", "=IFERROR(E1,-1)"))).read_bytes()
    out = recalc_bytes(data, FAKE)
    assert out.status == "ok", out.errors
    vals = cached(out.data)
    assert vals["E1"] == "#REF!" and vals["E2"] == -1


def test_missing_worksheet_part(tmp_path):
    data = build(tmp_path / "m.xlsx", extra=_formulas(("E1", "=DUBBEL('Två'!A1)"), sheet2=True)).read_bytes()
    assert recalc_bytes(data, FAKE).status == "ok"
    broken = _edit(data, "xl/worksheets/sheet2.xml", lambda body: None)
    out = recalc_bytes(broken, FAKE)
    assert (out.status, out.errors, out.data) == (
        "skadad fil", ["delen xl/worksheets/sheet2.xml saknas (bladet Två); filen är skadad"], None)


def test_missing_sheet_relationship(tmp_path):
    data = build(tmp_path / "m.xlsx", extra=_formulas(("E1", "=DUBBEL('Två'!A1)"), sheet2=True)).read_bytes()
    rels = members(data)["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(r'Id="(rId\d+)"[^>]*Target="worksheets/sheet2.xml"', rels).group(1)
    broken = _edit(data, "xl/_rels/workbook.xml.rels",
                   lambda body: re.sub(rb'<Relationship Id="' + rid.encode() + rb'"[^>]*/>', b"", body))
    out = recalc_bytes(broken, FAKE)
    assert (out.status, out.errors, out.data) == (
        "skadad fil", [f"bladet Två saknar sin relation ({rid}) i xl/_rels/workbook.xml.rels; filen är skadad"],
        None)


# ------------------------------------------------------------ formulas without any cached value

def _without_values(data: bytes, cells: tuple[str, ...]) -> bytes:
    """The sheet with the cached value of ``cells`` removed (as a writer that stores no values leaves it)."""
    def strip(body):
        for ref in cells:
            body = re.sub(rb'(<c r="' + ref.encode() + rb'"[^>]*>.*?</f>)<v>[^<]*</v>', rb"\1", body, count=1)
        return body
    return _edit(data, "xl/worksheets/sheet1.xml", strip)


def test_formulas_without_values_are_computed_when_possible(tmp_path):
    def extra(wb, ws):
        for r in range(1, 6):
            ws.write_number(f"H{r}", r)
        ws.write_formula("H7", "=SUM(H1:H5)", None, 0)  # computable
        ws.write_formula("H8", "=H7*2", None, 0)  # reads a computed one
        ws.write_formula("H9", "=OFFSET(H1,1,0)", None, 0)  # not supported: skipped, not an error
        ws.write_formula("H10", "=H9+1", None, 0)  # reads a skipped one: skipped
        ws.write_formula("H11", "=Okand+1", None, 0)  # unresolved name: skipped, never #NAME?
        ws.write_formula("H12", "=H13", None, 0)  # a cycle: skipped
        ws.write_formula("H13", "=H12", None, 0)
        ws.write_formula("H14", "=H5/0", None, 0)  # an Excel error of the workbook's own: written
        ws.write_formula("H15", "=H1*5", None, 5)  # has a cached value: kept

    cells = ("H7", "H8", "H9", "H10", "H11", "H12", "H13", "H14")
    data = _without_values(build(tmp_path / "v.xlsx", extra=extra).read_bytes(), cells)
    assert all(ref not in cached(data) for ref in cells)
    out = recalc_bytes(data, FAKE)
    assert out.status == "ok", out.errors
    vals = cached(out.data)
    assert vals["H7"] == 15 and vals["H8"] == 30 and vals["H14"] == "#DIV/0!" and vals["H15"] == 5
    for ref in ("H9", "H10", "H11", "H12", "H13"):
        assert ref not in vals, ref
    # only values were added: the skipped cells' XML is as it was
    sheet = members(out.data)["xl/worksheets/sheet1.xml"]
    for ref in ("H9", "H10", "H11", "H12", "H13"):
        old = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>', members(data)["xl/worksheets/sheet1.xml"])
        assert old.group(0) in sheet, ref
    assert recalc_bytes(out.data, FAKE).status == "oförändrad"
