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
import io
import os
import re
import warnings
import zipfile
from typing import Any

from lxml import etree

from ..engine.errors import SakagareError, SaknatVarde
from ..engine.model import Arende
from ..recalc.cells import check_utf8
from ..recalc.ooxml import (
    MAX_FILE_SIZE,
    OLE_MAGIC,
    Package,
    PackageError,
    check_xml,
    open_package,
    parse_xml,
    workbook_part,
)

NAME = "Sak"


def read_values(path: str | os.PathLike[str]) -> tuple[list[list[Any]], str]:
    """The values of the ``Sak`` range (2-D, row by row) and its top-left address (``'A5'``).

    Dates come back as ``datetime``, numbers as int/float, empty cells as ``None``,
    as Excel hands them to a function.

    Before openpyxl sees the file, it goes through the same checks as ``sakagare-xl recalc``
    (:func:`sakagare_xl.recalc.ooxml.open_package`): an encrypted workbook (OLE) is named as such,
    zip-bomb caps are enforced on the real sizes of every XML part openpyxl may parse, and XML with a
    DOCTYPE/ENTITY is refused. Anything openpyxl then fails on, while loading or while reading the rows
    (it parses a read-only sheet lazily), becomes a Swedish
    :class:`~sakagare_xl.engine.errors.SakagareError` naming the file and the broken part.
    """
    p = os.fspath(path)
    if not os.path.exists(p):
        raise SakagareError(f"filen {p} finns inte.", "fil")
    try:
        if os.path.getsize(p) > MAX_FILE_SIZE:
            raise PackageError(f"filen är större än {MAX_FILE_SIZE} byte", "för stor")
        with open(p, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise SakagareError(f"filen {p} kan inte läsas ({exc.strerror or exc}).", "fil") from None
    except PackageError as exc:
        raise _unreadable(p, exc) from None
    if data[:8] != OLE_MAGIC and (data[:4] != b"PK\x03\x04" or not zipfile.is_zipfile(io.BytesIO(data))):
        raise SakagareError(f"{p} är ingen Excel-arbetsbok (.xlsx/.xlsm).", "fil")
    try:
        pkg = _safe_package(data)
        with warnings.catch_warnings():  # openpyxl's warnings about parts it drops are no news to the user
            warnings.simplefilter("ignore")
            return _read_sak(p, pkg)
    except PackageError as exc:
        raise _unreadable(p, exc) from None
    except SakagareError:
        raise
    except Exception:  # anything else openpyxl may raise on a file it half understands: never a traceback
        raise _unreadable(p, PackageError("arbetsboken är skadad eller har ett format som inte stöds")) from None


def _unreadable(p: str, exc: PackageError) -> SakagareError:
    return SakagareError(f"{p} kan inte läsas som arbetsbok ({exc}).", "fil")


def _is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _safe_package(data: bytes) -> Package:
    """The package, checked as recalc checks it, before any of it reaches openpyxl.

    Every XML part (workbook, relationships, content types, sheets, shared strings, styles, properties …)
    is read once with the caps on its real uncompressed size and searched for a DOCTYPE/ENTITY; the
    workbook part must be a SpreadsheetML workbook (a Word document renamed to .xlsx is not).
    """
    pkg = open_package(data)  # OLE/encrypted, not a zip, corrupt zip, declared sizes
    for name in pkg.infos:
        if _is_xml_part(name):
            check_xml(pkg.read(name), name)  # real sizes (zip bomb), encrypted members, DOCTYPE
    part = workbook_part(pkg)
    root = parse_xml(pkg.read(part), part)
    if etree.QName(root).localname != "workbook":
        raise PackageError("zip-filen är ingen Excel-arbetsbok (workbook.xml saknas)", "inte en arbetsbok")
    return pkg


def _diagnose(pkg: Package, parts: list[str]) -> PackageError:
    """Why openpyxl failed, in Swedish: the first of ``parts`` that is not UTF-8 or not well-formed XML."""
    for name in parts:
        if not pkg.has(name):
            continue
        try:
            raw = pkg.read(name)
            check_utf8(raw, f"delen {name}")
            parse_xml(raw, name)
        except PackageError as exc:
            return exc
    return PackageError("arbetsboken är skadad eller har ett format som inte stöds")


def _read_sak(p: str, pkg: Package) -> tuple[list[list[Any]], str]:
    import openpyxl
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    try:
        wb = openpyxl.load_workbook(
            io.BytesIO(pkg.data), read_only=True, data_only=True, keep_vba=False, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds for a broken file; say which part is broken
        raise _diagnose(pkg, sorted(n for n in pkg.infos if _is_xml_part(n))) from None
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
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        except (ValueError, TypeError):
            raise SakagareError(
                f"namnet 'Sak' pekar inte på ett område ({ref}).", None, "namnet Sak"
            ) from None
        part = getattr(ws, "_worksheet_path", None)
        if part is not None and pkg.has(part):
            _check_sheet(pkg.read(part), sheet)
        try:
            rows = [
                [_cell(v) for v in row]
                for row in ws.iter_rows(
                    min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True
                )
            ]
        except Exception:  # a read-only sheet is parsed here, lazily
            raise _diagnose_sheet(pkg, part, sheet) from None
        width = max_col - min_col + 1
        rows = [r + [None] * (width - len(r)) for r in rows]
        rows += [[None] * width for _ in range(max_row - min_row + 1 - len(rows))]
        return rows, f"{get_column_letter(min_col)}{min_row}"
    finally:
        wb.close()


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_SHEETDATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData(?=[\s/>])[^>]*?(/?)>")
_SHEETDATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")


def _check_sheet(xml: bytes, sheet: str) -> None:
    """The cheap checks recalc makes on the sheet (:func:`sakagare_xl.recalc.cells.read_sheet`), so a damaged
    sheet is refused wherever the damage is: openpyxl stops parsing after the last row of ``Sak``."""
    check_utf8(xml, f"bladet {sheet}")
    start = _SHEETDATA.search(xml)
    if start is None or start.group(1):
        return  # no cells at all (openpyxl reports what it finds) or <sheetData/>
    last = xml.rfind(b"sheetData", start.end())  # the closing tag is near the end: no scan of the whole sheet
    if last < 0 or not _SHEETDATA_END.search(xml, max(start.end(), last - 80), last + 80):
        raise PackageError(f"bladet {sheet} är avkortat (</sheetData> saknas)", "skadad fil")


def _diagnose_sheet(pkg: Package, part: str | None, sheet: str) -> PackageError:
    """Why openpyxl failed on the sheet: not UTF-8, cut short, not well-formed XML, or else a cell it cannot read
    (e.g. a shared-text index that is no number)."""
    if part is not None and pkg.has(part):
        xml = pkg.read(part)
        try:
            _check_sheet(xml, sheet)
            etree.fromstring(xml, _PARSER)
        except PackageError as exc:
            return exc
        except etree.XMLSyntaxError as exc:
            return PackageError(f"bladet {sheet} är inte giltig XML ({exc.msg})", "skadad fil")
    return PackageError(f"bladet {sheet} är skadat (en cell i området Sak kan inte läsas)", "skadad fil")


def _cell(value: Any) -> Any:
    if isinstance(value, _dt.time):  # a time-only cell is no date
        return value.isoformat()
    return value


def read_case(path: str | os.PathLike[str]) -> tuple[Arende, list]:
    """The case in a filled template (``.xlsx``/``.xlsm``), as the Excel functions see it, and the
    dubbelutrop's bids of its header (``Bud med förbehåll``/``Bud utan förbehåll``: one entry
    ``(None, bid with, bid without)`` for every right that needs dubbelutrop, or none).

    Errors are :class:`~sakagare_xl.engine.errors.SakagareError` naming the cell (e.g. ``B6``).
    """
    from ..adapters.omrade import las_omrade

    values, topleft = read_values(path)
    omrade = las_omrade(values, topleft)
    if omrade.arende is None:
        raise SakagareError(
            "området 'Sak' är en färdig lista (kolumnen Förmånsrätt), inte ett ärende.", None, "namnet Sak"
        )
    return omrade.arende, list(omrade.dubbelutrop)


def read_arende(path: str | os.PathLike[str]) -> Arende:
    """The case in a filled template (``.xlsx``/``.xlsm``) without the bids (:func:`read_case`)."""
    return read_case(path)[0]
