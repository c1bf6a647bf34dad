"""Shared helpers for the recalc tests: a small fake function registry (picklable, so --jobs works)
and workbook builders with XlsxWriter."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import xlsxwriter

from sakagare_xl.engine.errors import OgiltigtBelopp


def DUBBEL(x, y=None):
    """x × 2 (+ y); a negative x is a Swedish error, like the real functions."""
    if x is None or isinstance(x, str):
        raise OgiltigtBelopp("x", x, "argumentet x", "värdet saknas eller är text")
    if x < 0:
        raise OgiltigtBelopp("x", x, "argumentet x")
    return x * 2 + (y or 0)


def SUMMA(rng):
    """Sum of the numbers of a range (2-D list)."""
    return float(sum(v for row in rng for v in row if isinstance(v, (int, float)) and not isinstance(v, bool)))


def KOLUMN(rng):
    """Each first-column value × 10, as a column."""
    return [[(row[0] or 0) * 10] for row in rng]


FAKE = {"DUBBEL": DUBBEL, "SUMMA": SUMMA, "KOLUMN": KOLUMN}


def build(path: Path, rows: int = 5, stale: float = 0, spelling: str = "DUBBEL", extra=None) -> Path:
    """A workbook: A = inputs 1..rows, B = DUBBEL(A), C = MIN(B, A+3) (ordinary, depends on B),
    D = plain arithmetic not depending on our functions, B(rows+2) = SUMMA(B1:Bn), B(rows+3) = SUM(C).
    Every formula gets the cached value ``stale`` (wrong on purpose)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Blad 1")
    for i in range(rows):
        r = i + 1
        ws.write_number(i, 0, r)
        ws.write_formula(i, 1, f"={spelling}(A{r})", None, stale)
        ws.write_formula(i, 2, f"=MIN(B{r},A{r}+3)", None, stale)
        ws.write_formula(i, 3, f"=A{r}*100", None, r * 100)
    ws.write_formula(rows + 1, 1, f"=SUMMA(B1:B{rows})", None, stale)
    ws.write_formula(rows + 2, 1, f"=SUM(C1:C{rows})", None, stale)
    ws.write_string(rows + 3, 0, "text")
    if extra:
        extra(wb, ws)
    wb.close()
    return path


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def raw_entries(data: bytes) -> dict[str, tuple]:
    """name → (compress_type, compress_size, CRC, date_time, external_attr) from the zip directory."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: (i.compress_type, i.compress_size, i.CRC, i.date_time, i.external_attr)
                for i in zf.infolist()}


_V = re.compile(rb"<v>[^<]*</v>|<v/>")
_T = re.compile(rb'\s+t="[^"]*"')


def strip_values(xml: bytes) -> bytes:
    """The sheet XML with every <v> element and t attribute removed (what recalc may change)."""
    return _T.sub(b"", _V.sub(b"", xml))


def cached(data: bytes, sheet: str = "Blad 1") -> dict[str, object]:
    """Cached values as openpyxl reads them (data_only)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return {c.coordinate: c.value for row in wb[sheet].iter_rows() for c in row if c.value is not None}


def formulas(data: bytes, sheet: str = "Blad 1") -> dict[str, object]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {c.coordinate: c.value for row in wb[sheet].iter_rows() for c in row if c.value is not None}


def formula_values(data: bytes) -> dict[tuple[str, str], object]:
    """(sheet, A1) → the cached value recalc's own reader finds for each formula cell (``None``: no value,
    e.g. openpyxl's empty ``<v>`` without a type)."""
    from sakagare_xl.recalc.cells import a1, read_workbook
    from sakagare_xl.recalc.ooxml import open_package

    out = {}
    for sh in read_workbook(open_package(data)).sheets:
        if sh is None:
            continue
        for (r, c), cell in sh.cells.items():
            if cell.formula is not None:
                out[(sh.name, a1(r, c))] = cell.value if cell.has_v else None
    return out


def rewrite_sheets(data: bytes, edit) -> bytes:
    """The workbook with ``edit(xml)`` applied to every worksheet part (other members copied as they are)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = edit(body)
            zout.writestr(info, body)
    return buf.getvalue()
