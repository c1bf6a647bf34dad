"""Read a filled template back: the ``Sak`` range's values → an :class:`~sakagare_xl.engine.model.Arende`.

``sakagare-xl berakna arbetsbok.xlsx`` calls :func:`read_arende`; the range is
parsed by the same parser the Excel functions use
(:func:`sakagare_xl.adapters.omrade.las_omrade`), so the workbook, the Excel
functions and the case file give the same result.

The workbook is opened read-only with openpyxl and only the cells of ``Sak``
are read; any workbook (or sheet) that defines ``Sak`` as one rectangle in the
layout of ``docs/layout.md`` works, not only ours. Cached formula values are not
used: ``Sak`` holds inputs only.
"""

from __future__ import annotations

import datetime as _dt
import os
import zipfile
from typing import Any

from ..engine.errors import SakagareError, SaknatVarde
from ..engine.model import Arende

NAME = "Sak"


def read_values(path: str | os.PathLike[str]) -> tuple[list[list[Any]], str]:
    """The values of the ``Sak`` range (2-D, row by row) and its top-left address (``'A5'``).

    Dates come back as ``datetime``, numbers as int/float, empty cells as ``None``,
    as Excel hands them to a function.
    """
    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    p = os.fspath(path)
    if not os.path.exists(p):
        raise SakagareError(f"filen {p} finns inte.", "fil")
    if not zipfile.is_zipfile(p):
        raise SakagareError(f"{p} är ingen Excel-arbetsbok (.xlsx/.xlsm).", "fil")
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SakagareError(f"{p} kan inte läsas som arbetsbok ({type(exc).__name__}: {exc}).", "fil") from None
    try:
        defn = wb.defined_names.get(NAME)
        if defn is None:
            for ws in wb.worksheets:  # a sheet-scoped name
                defn = getattr(ws, "defined_names", {}).get(NAME)
                if defn is not None:
                    break
        if defn is None:
            raise SaknatVarde(
                f"arbetsboken {os.path.basename(p)} har inget namngivet område 'Sak' (se docs/layout.md).", None, "fil"
            )
        dests = list(defn.destinations)
        if len(dests) != 1:
            raise SakagareError("namnet 'Sak' ska peka på ett enda rektangulärt område.", None, "namnet Sak")
        sheet, ref = dests[0]
        if sheet not in wb.sheetnames:
            raise SaknatVarde(f"bladet '{sheet}' som namnet 'Sak' pekar på finns inte.", None, "namnet Sak")
        ws = wb[sheet]
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        rows = [
            [_cell(v) for v in row]
            for row in ws.iter_rows(
                min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True
            )
        ]
        width = max_col - min_col + 1
        rows = [r + [None] * (width - len(r)) for r in rows]
        rows += [[None] * width for _ in range(max_row - min_row + 1 - len(rows))]
        from openpyxl.utils.cell import get_column_letter

        return rows, f"{get_column_letter(min_col)}{min_row}"
    finally:
        wb.close()


def _cell(value: Any) -> Any:
    if isinstance(value, _dt.time):  # a time-only cell is no date
        return value.isoformat()
    return value


def read_arende(path: str | os.PathLike[str]) -> Arende:
    """The case in a filled template (``.xlsx``/``.xlsm``), as the Excel functions see it.

    Errors are :class:`~sakagare_xl.engine.errors.SakagareError` naming the cell (e.g. ``B6``).
    """
    from ..adapters.omrade import las_omrade

    values, topleft = read_values(path)
    omrade = las_omrade(values, topleft)
    if omrade.arende is None:
        raise SakagareError(
            "området 'Sak' är en färdig lista (kolumnen Förmånsrätt), inte ett ärende.", None, "namnet Sak"
        )
    return omrade.arende
