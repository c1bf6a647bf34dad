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
