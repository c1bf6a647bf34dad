"""recalc on small XlsxWriter workbooks with a fake function registry: values, what changes in the
file and what never does, spellings, array and shared formulas, names, errors."""

from __future__ import annotations

import io
import zipfile

import pytest

from sakagare_xl.recalc.core import recalc_bytes

from .helpers import DUBBEL, FAKE, KOLUMN, SUMMA, build, cached, formulas, members, raw_entries, strip_values

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def book(tmp_path):
    return build(tmp_path / "bok.xlsx").read_bytes()


def test_values_equal_direct_calls(book):
    out = recalc_bytes(book, FAKE)
    assert out.status == "ok"
    vals = cached(out.data)
    for r in range(1, 6):
        assert vals[f"B{r}"] == DUBBEL(r)
        assert vals[f"C{r}"] == min(DUBBEL(r), r + 3)  # ordinary formula depending on ours
        assert vals[f"D{r}"] == r * 100  # independent formula keeps its cached value
    assert vals["B7"] == SUMMA([[DUBBEL(r)] for r in range(1, 6)])
    assert vals["B8"] == sum(min(DUBBEL(r), r + 3) for r in range(1, 6))
    # 5 DUBBEL + 5 MIN + SUMMA + SUM: every one was stale (0)
    assert out.changed == 12


def test_only_cached_values_change(book):
    out = recalc_bytes(book, FAKE)
    before, after = members(book), members(out.data)
    assert list(before) == list(after)  # same members, same order
    for name in before:
        if name != SHEET:
            assert before[name] == after[name], name
    assert before[SHEET] != after[SHEET]
    assert strip_values(before[SHEET]) == strip_values(after[SHEET])
    assert formulas(out.data) == formulas(book)


def test_unchanged_members_keep_their_zip_entries(book):
    out = recalc_bytes(book, FAKE)
    before, after = raw_entries(book), raw_entries(out.data)
    for name in before:
        if name != SHEET:
            assert before[name] == after[name], name
    assert before[SHEET][0] == after[SHEET][0]  # same compression method


def test_recalc_twice_changes_nothing(book):
    once = recalc_bytes(book, FAKE)
    twice = recalc_bytes(once.data, FAKE)
    assert twice.status == "oförändrad" and twice.changed == 0 and twice.data is None


def test_missing_cached_values_are_computed(tmp_path):
    # XlsxWriter writes <v>0</v>; a file without any <v> (e.g. from another writer) must work too
    def extra(wb, ws):
        ws.write_formula("E1", "=DUBBEL(D1)", None, 0)

    data = build(tmp_path / "b.xlsx", extra=extra).read_bytes()
    import io
    import re
    import zipfile

    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == SHEET:
                body = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", body)
            zout.writestr(info, body)
    out = recalc_bytes(buf.getvalue(), FAKE)
    vals = cached(out.data)
    assert vals["B2"] == 4 and vals["C2"] == 4
    assert vals["D1"] == 100 and vals["E1"] == 200  # D1 lacked a value and E1 needs it: computed
    # no value and nothing of ours needs it: computed too, so a viewer that does not recalculate sees it
    assert vals["D3"] == 300


@pytest.mark.parametrize(
    "spelling",
    [
        "DUBBEL",  # plain (classic xlwings add-in, VBA wrapper name)
        "_xludf.DUBBEL",  # Excel's prefix for a function it does not know
        "_xldudf_DUBBEL",  # Office.js custom functions (xlwings Lite), see OfficeDev/office-js#5611
        "_xldudf_SAKAGARE_DUBBEL",  # Office.js with a namespace (the dot becomes "_")
        "SAKAGARE.DUBBEL",  # namespaced
        "XLWINGS.DUBBEL",
        "dubbel",  # lower-cased (LibreOffice)
        "_xludf.dubbel",
    ],
)
def test_spellings(tmp_path, spelling):
    data = build(tmp_path / "s.xlsx", spelling=spelling).read_bytes()
    out = recalc_bytes(data, FAKE)
    assert out.status == "ok", out.errors
    assert cached(out.data)["B3"] == 6


def test_unknown_function_is_reported_and_nothing_written(tmp_path):
    def extra(wb, ws):
        ws.write_formula("E1", "=DUBBEL(A1)+OKAND(A2)", None, 0)

    data = build(tmp_path / "u.xlsx", extra=extra).read_bytes()
    out = recalc_bytes(data, FAKE)
    assert out.status == "okänd funktion" and out.data is None
    assert any("'Blad 1'!E1" in e and "OKAND" in e for e in out.errors)


def test_formula_error_reported_with_cell(tmp_path):
    def extra(wb, ws):
        ws.write_number("A20", -5)
        ws.write_formula("B20", "=DUBBEL(A20)", None, 0)
        ws.write_formula("C20", "=B20&\"!\"", None, 0)

    data = build(tmp_path / "e.xlsx", extra=extra).read_bytes()
    out = recalc_bytes(data, FAKE)
    assert out.status == "fel i formel" and out.data is None  # default: the file is left alone
    assert any("'Blad 1'!B20" in e and "negativt" in e for e in out.errors)
    written = recalc_bytes(data, FAKE, write_errors=True)
    vals = cached(written.data)
    assert vals["B20"].startswith("Fel i argumentet x")  # what the classic add-in shows
    assert vals["C20"] == vals["B20"] + "!"
    assert vals["B2"] == 4  # the rest is computed


def test_excel_errors_propagate(tmp_path):
    def extra(wb, ws):
        ws.write_formula("E1", "=B1/0", None, 0)
        ws.write_formula("E2", "=IFERROR(E1,-1)", None, 0)
        ws.write_formula("E3", "=B1+\"x\"", None, 0)
        ws.write_formula("E4", "=ISERROR(E1)", None, 0)

    out = recalc_bytes(build(tmp_path / "x.xlsx", extra=extra).read_bytes(), FAKE)
    vals = cached(out.data)
    assert vals["E1"] == "#DIV/0!" and vals["E2"] == -1 and vals["E3"] == "#VALUE!" and vals["E4"] is True
    assert b't="e"><f>B1/0</f><v>#DIV/0!</v>' in members(out.data)[SHEET]


def test_array_formula_fills_its_range(tmp_path):
    def extra(wb, ws):
        ws.write_array_formula("F1:F5", "{=KOLUMN(A1:A5)}", None, 0)
        ws.write_formula("G1", "=KOLUMN(A1:A5)", None, 0)  # single cell: top-left value
        ws.write_formula("G2", "=SUM(F1:F5)", None, 0)

    out = recalc_bytes(build(tmp_path / "a.xlsx", extra=extra).read_bytes(), FAKE)
    vals = cached(out.data)
    assert [vals[f"F{r}"] for r in range(1, 6)] == [row[0] for row in KOLUMN([[r] for r in range(1, 6)])]
    assert vals["G1"] == 10 and vals["G2"] == 150


def test_cross_sheet_refs_and_names(tmp_path):
    def extra(wb, ws):
        ws2 = wb.add_worksheet("Två blad")
        ws2.write_formula("A1", "='Blad 1'!B2*10", None, 0)
        ws2.write_formula("A2", "=SUMMA(Tal)+ROWS(Tal)", None, 0)
        ws2.write_formula("A3", "=Pris*2", None, 0)
        wb.define_name("Tal", "='Blad 1'!$B$1:$B$5")
        wb.define_name("Pris", "='Blad 1'!$A$3")

    out = recalc_bytes(build(tmp_path / "n.xlsx", extra=extra).read_bytes(), FAKE)
    vals = cached(out.data, "Två blad")
    assert vals["A1"] == 40 and vals["A2"] == 30 + 5
    assert vals["A3"] == 0  # not dependent on our functions: cached value kept


def test_shared_formulas(tmp_path):
    """Excel writes copied formulas as shared formulas (t="shared", si); children follow the master."""
    import io
    import zipfile

    data = build(tmp_path / "sh.xlsx").read_bytes()
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == SHEET:
                body = body.replace(b"<f>MIN(B1,A1+3)</f>", b'<f t="shared" ref="C1:C5" si="0">MIN(B1,A1+3)</f>')
                for r in range(2, 6):
                    body = body.replace(f"<f>MIN(B{r},A{r}+3)</f>".encode(), b'<f t="shared" si="0"/>')
            zout.writestr(info, body)
    out = recalc_bytes(buf.getvalue(), FAKE)
    vals = cached(out.data)
    assert [vals[f"C{r}"] for r in range(1, 6)] == [min(2 * r, r + 3) for r in range(1, 6)]
    assert b'<f t="shared" si="0"/><v>7</v>' in members(out.data)[SHEET]


def test_circular_reference_reported(tmp_path):
    def extra(wb, ws):
        ws.write_formula("E1", "=DUBBEL(E2)", None, 0)
        ws.write_formula("E2", "=E1+1", None, 0)

    out = recalc_bytes(build(tmp_path / "c.xlsx", extra=extra).read_bytes(), FAKE)
    assert out.status == "cirkelreferens" and out.data is None


def test_unsupported_excel_function_is_reported(tmp_path):
    def extra(wb, ws):
        ws.write_formula("E1", "=OFFSET(D1,1,0)+1", None, 0)

    out = recalc_bytes(build(tmp_path / "o.xlsx", extra=extra).read_bytes(), FAKE)
    assert out.status == "ok"  # E1 does not depend on our cells: left alone, no guessing needed
    assert cached(out.data)["E1"] == 0

    def extra2(wb, ws):
        ws.write_formula("E1", "=OFFSET(B1,1,0)+DUBBEL(1)", None, 0)

    out = recalc_bytes(build(tmp_path / "o2.xlsx", extra=extra2).read_bytes(), FAKE)
    assert out.status == "stöds inte" and any("OFFSET" in e for e in out.errors)


def test_no_functions_of_ours(tmp_path):
    import xlsxwriter

    p = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet().write_formula("A1", "=1+1", None, 2)
    wb.close()
    out = recalc_bytes(p.read_bytes(), FAKE)
    # issue 11: nothing to recompute is no failure (a mixed folder exits 0), unless --alla asks for it
    assert out.status == "inget att räkna om" and out.data is None and not out.failed and out.notes
    full = recalc_bytes(p.read_bytes(), FAKE, full=True)
    # the cached 2 was right; every formula was computed, so XlsxWriter's fullCalcOnLoad="1" goes
    assert full.status == "ok" and full.changed == 0 and full.evaluated == 1
    assert b"fullCalcOnLoad" not in zipfile.ZipFile(io.BytesIO(full.data)).read("xl/workbook.xml")


def test_text_and_bool_results_set_type(tmp_path):
    def extra(wb, ws):
        ws.write_formula("E1", '=IF(B1>1,"stor","liten")', None, 0)
        ws.write_formula("E2", "=B1>1", None, 0)

    out = recalc_bytes(build(tmp_path / "t.xlsx", extra=extra).read_bytes(), FAKE)
    xml = members(out.data)[SHEET]
    assert b'<c r="E1" t="str"><f>IF(B1&gt;1,"stor","liten")</f><v>stor</v></c>' in xml
    assert b'<c r="E2" t="b"><f>B1&gt;1</f><v>1</v></c>' in xml


def _without_cached_values(data: bytes) -> bytes:
    import io
    import re
    import zipfile

    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == SHEET:
                body = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", body)
            zout.writestr(info, body)
    return buf.getvalue()


def test_plan_reused_only_for_the_same_structure(tmp_path):
    # evaluate.build_plan keeps plans by workbook structure (formulas, names, sheets, which formulas
    # have cached values, overrides); every outcome must be what a fresh plan gives
    from sakagare_xl.recalc import evaluate

    def extra(wb, ws):
        ws.write_formula("E1", "=DUBBEL(D1)", None, 0)
        wb.define_name("Kopeskilling", "='Blad 1'!$A$1")

    books = [build(tmp_path / f"{k}.xlsx", stale=k, extra=extra).read_bytes() for k in range(3)]
    books.append(_without_cached_values(books[0]))  # same formulas, but D1 (needed by E1) has no value
    runs = [(b, {}) for b in books] + [(b, {"kopeskilling": 7.0}) for b in books]
    fresh = []
    for data, overrides in runs:
        evaluate._PLANS.clear()
        fresh.append(vars(recalc_bytes(data, FAKE, overrides)))
    evaluate._PLANS.clear()
    for _ in range(2):  # the second round finds every plan in the cache
        reused = [vars(recalc_bytes(data, FAKE, overrides)) for data, overrides in runs]
        assert reused == fresh
    assert len(evaluate._PLANS) == 4  # with/without D1's value × with/without the override
    assert cached(fresh[3]["data"])["D1"] == 100 and cached(fresh[0]["data"]).get("D1") == 100
