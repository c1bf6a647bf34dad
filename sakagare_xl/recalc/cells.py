"""Read a workbook's cells without a spreadsheet library: sheet names, defined names, shared strings,
and for every cell its value, its formula (plain, shared, array) and where it sits in the sheet XML.

The sheet XML is scanned with one regular expression (no tree is built): a 20-row sheet is read in
well under a millisecond. Values keep Excel's shapes: numbers as float, text as str, booleans as bool,
an empty cell as ``None`` and an error as :class:`XLError`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from .ooxml import (
    NS_MAIN,
    NS_REL,
    REL_SHARED_STRINGS,
    REL_WORKSHEET,
    Package,
    PackageError,
    check_xml,
    parse_xml,
    read_rels,
    rels_path,
    workbook_part,
)

MAX_ROW = 1048576
MAX_COL = 16384


class XLError:
    """An Excel error value (``#DIV/0!``, ``#VALUE!``, ``#REF!``, ``#NAME?``, ``#N/A``, ``#NUM!``, ``#NULL!``)."""

    __slots__ = ("code",)
    _all: dict[str, "XLError"] = {}

    def __new__(cls, code: str):
        obj = cls._all.get(code)
        if obj is None:
            obj = super().__new__(cls)
            obj.code = code
            cls._all[code] = obj
        return obj

    def __repr__(self) -> str:
        return self.code

    __str__ = __repr__

    def __reduce__(self):
        return (XLError, (self.code,))


DIV0 = XLError("#DIV/0!")
VALUE = XLError("#VALUE!")
REF = XLError("#REF!")
NAME = XLError("#NAME?")
NA = XLError("#N/A")
NUM = XLError("#NUM!")
NULL = XLError("#NULL!")


# ---------------------------------------------------------------- A1 helpers

def col_letters(col: int) -> str:
    s = ""
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def a1(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


_A1 = re.compile(r"([A-Za-z]{1,3})(\d+)$")


def parse_a1(ref: str) -> tuple[int, int]:
    m = _A1.match(ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), col_number(m.group(1))


# ---------------------------------------------------------------- XML text

_ENT = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|lt|gt|amp|quot|apos);")
_ENT_MAP = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_XSTR = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _ent(m: re.Match) -> str:
    e = m.group(1)
    if e[0] == "#":
        return chr(int(e[2:], 16) if e[1] in "xX" else int(e[1:]))
    return _ENT_MAP[e]


def xml_text(raw: bytes) -> str:
    """Decode element text: UTF-8 and the XML entities (a DOCTYPE was refused, so no others exist)."""
    s = raw.decode("utf-8")
    return _ENT.sub(_ent, s) if "&" in s else s


def ooxml_unescape(s: str) -> str:
    """OOXML's ``_xHHHH_`` escapes for control characters in strings."""
    return _XSTR.sub(lambda m: chr(int(m.group(1), 16)), s) if "_x" in s else s


# ---------------------------------------------------------------- cells

class Cell:
    """One ``<c>`` element (or a cell to be created)."""

    # the common attributes in slots; the rare ones are class-level defaults that an instance
    # overrides in its __dict__ when it has them (thousands of cells are made per sheet)
    __slots__ = ("row", "col", "start", "end", "t", "value", "has_v", "formula", "vspan", "__dict__")
    ftype: str | None = None  # None (normal), "shared", "array", "dataTable"
    fref: tuple[int, int, int, int] | None = None  # array: (r1, c1, r2, c2)
    si: str | None = None
    master: "Cell | None" = None  # shared child: the master cell
    array_master: "Cell | None" = None  # a cell inside an array formula's range (not its master)

    def __init__(self, row: int, col: int, start: int = -1, end: int = -1, t: str | None = None,
                 value: object = None, has_v: bool = False, formula: str | None = None,
                 vspan: tuple[int, int] | None = None):
        self.row = row
        self.col = col
        self.start = start  # byte span of the element in the sheet XML; -1 = not present
        self.end = end
        self.t = t  # the t attribute as written
        self.value = value
        self.has_v = has_v
        self.formula = formula  # formula text (without '='), for shared children the master's
        #: byte span of the text of ``<v>`` when the element is exactly ``<c ..>[<f>..</f>]<v>..</v></c>``
        #: and its attributes have no letter t (so surely no t attribute): a number is then patched in
        #: by replacing only those bytes
        self.vspan = vspan

    def __repr__(self) -> str:
        return f"Cell({a1(self.row, self.col)}, value={self.value!r}, formula={self.formula!r})"


@dataclass(eq=False)
class Sheet:
    index: int
    name: str
    part: str
    xml: bytes
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    #: (row, col) → cached value, for every cell that has one (what formulas read)
    values: dict[tuple[int, int], object] = field(default_factory=dict)
    #: (row, col) → byte offset of a plain value cell's element (no Cell kept for it, see :meth:`cell`;
    #: its end is found again by matching the scan's expression there)
    spans: dict[tuple[int, int], int] = field(default_factory=dict)
    rows: dict[int, tuple[int, int, bool]] = field(default_factory=dict)  # row -> (tag start, tag end, self-closed)
    sheetdata_end: int = -1  # offset of </sheetData> (or of <sheetData/>)
    sheetdata_selfclosed: bool = False
    max_row: int = 0
    max_col: int = 0

    def cell(self, row: int, col: int) -> Cell | None:
        """The cell at (row, col), or ``None`` when the sheet has no element there."""
        cell = self.cells.get((row, col))
        if cell is not None:
            return cell
        start = self.spans.get((row, col))
        if start is None:
            return None
        cell = _element_cell(self, row, col, start)
        self.cells[(row, col)] = cell
        return cell

    def row_cells(self, row: int) -> list[Cell]:
        """The cells of one row that have an element in the XML, in column order."""
        cols = {c for (r, c) in self.cells if r == row} | {c for (r, c) in self.spans if r == row}
        out = [self.cell(row, c) for c in sorted(cols)]
        return [c for c in out if c is not None and c.start >= 0]


@dataclass(eq=False)
class DefinedName:
    name: str
    scope: int | None  # sheet index for a sheet-scoped name
    text: str  # definition (formula text without '=')


@dataclass(eq=False)
class Workbook:
    part: str
    sheets: list[Sheet]
    by_name: dict[str, Sheet]
    names: dict[tuple[int | None, str], DefinedName]
    shared_strings: list[str]
    other_sheets: set[str]  # chartsheets and other non-worksheet sheets (upper-case)

    def sheet(self, name: str) -> Sheet | None:
        return self.by_name.get(name.upper())

    def defined_name(self, name: str, scope: int | None) -> DefinedName | None:
        key = name.upper()
        if scope is not None:
            dn = self.names.get((scope, key))
            if dn is not None:
                return dn
        return self.names.get((None, key))


# <row ...> / <row .../> / </sheetData> / <c ...>...</c> / <c .../>, any namespace prefix
# groups: c attributes, [fast shapes: formula text, its value | plain value], other content; row tag,
# row attributes, row self-closed. The two fast shapes are what Excel, openpyxl and XlsxWriter write
# for most cells; anything else (namespaces, inline strings, <f t="shared">, extLst) is the last branch.
_SCAN = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:"
    rb"c(?=[\s/>])([^>/]*(?:/(?!>)[^>/]*)*)(?:/>"
    rb"|><f>([^<]*)</f><v>([^<]*)</v></c>"
    rb"|><v>([^<]*)</v></c>"
    rb"|><is><t>([^<]*)</t></is></c>"
    rb"|>([^<]*(?:<(?!/(?:[A-Za-z_][\w.-]*:)?c>)[^<]*)*)</(?:[A-Za-z_][\w.-]*:)?c>)"
    rb"|(row)(?=[\s/>])([^>]*?)(/?)>"
    rb")",
    re.S,
)
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_F = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f(?=[\s/>])([^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?f>)", re.S)
_V = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v(?=[\s/>])[^>]*?(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?v>)", re.S)
_IS_T = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?t(?=[\s/>])[^>]*?(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?t>)", re.S)
_RPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?rPh\b.*?</(?:[A-Za-z_][\w.-]*:)?rPh>", re.S)
_SHEETDATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData(?=[\s/>])[^>]*?(/?)>")
_SHEETDATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData>")
_C_R = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")
#: <c> attributes → (row, col, t, no letter t in them: see Cell.vspan, the key (row, col) made once)
_ATTR_CACHE: dict[bytes, tuple[int, int, str | None, bool, tuple[int, int]]] = {}
_ROW_CACHE: dict[bytes, int | None] = {}  # <row> attributes → its r (None: none given)
#: at most this many entries in each cache: enough for a batch of workbooks of one template up to a few
#: thousand rows (a 1 000-row bench workbook has ~11 000 cells); past it a cell is read as on a miss. Each
#: entry costs ~176 B that stay for the process; on one large sheet every cell's attributes differ (its r),
#: so a larger cache only held memory (200 000 entries: 38 MB on a 220 000-cell sheet).
_CACHE_CAP = 50_000
# the common shapes of a cell's content: <f>text</f><v>x</v>, <v>x</v>, <is><t>text</t></is>
_FAST = re.compile(rb"(?:<f>([^<]*)</f>)?<v>([^<]*)</v>")
_FAST_IS = re.compile(rb"<is><t>([^<]*)</t></is>")
_C_R_ANY = re.compile(rb"(?:^|\s)r\s*=")
_C_T = re.compile(rb"""(?:^|\s)t\s*=\s*["']([\w]+)["']""")
_REF_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1): (m.group(2) if m.group(2) is not None else m.group(3)) for m in _ATTR.finditer(raw)}


def _local(key: bytes) -> bytes:
    return key.rpartition(b":")[2]


def iso_to_serial(text: str) -> float:
    d = _dt.datetime.fromisoformat(text.rstrip("Z"))
    delta = d - _dt.datetime(1899, 12, 30)
    serial = delta.days + delta.seconds / 86400
    return float(serial if serial >= 61 else serial - 1)


def decode_value(t: str | None, raw: bytes | None, shared: list[str], where: str) -> object:
    if raw is None:
        return None
    if t is None or t == "n":
        if not raw.strip():
            return ""  # XlsxWriter writes a formula's empty-text result as <v></v> without t="str"
        try:
            return float(raw)
        except ValueError:
            raise PackageError(f"cell {where} har ett ogiltigt tal ({raw[:40]!r})") from None
    if t == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            raise PackageError(f"cell {where} pekar på en delad text som saknas") from None
    if t == "str":
        return ooxml_unescape(xml_text(raw))
    if t == "b":
        return raw.strip() in (b"1", b"true")
    if t == "e":
        return XLError(raw.decode("ascii", "replace").strip())
    if t == "d":
        return iso_to_serial(raw.decode("ascii"))
    raise PackageError(f"cell {where} har en okänd typ t=\"{t}\"")


def _no_value(t: str | None, raw: bytes | None) -> bool:
    """A formula's ``<v>`` that holds no value: empty (``<v></v>``, ``<v/>``) and typed as a number (no
    ``t``, or ``t="n"``). openpyxl writes every formula so, since it computes nothing; an empty ``<v>`` with
    ``t="str"`` is a cached empty string (what Excel and the template write for ``=""``)."""
    return (t is None or t == "n") and not (raw or b"").strip()


def _decode(t, raw, shared, sheet, row, col):
    try:
        return decode_value(t, raw, shared, "")
    except PackageError:
        return decode_value(t, raw, shared, f"{sheet.name}!{a1(row, col)}")


def check_utf8(xml: bytes, what: str) -> None:
    """Refuse a part that is not UTF-8 (a disk or transfer error), naming the first bad byte's line and column.

    Checked once for the whole part, so every later ``decode("utf-8")`` of a slice of it (formulas, text
    values) is safe.
    """
    try:
        xml.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
        line = xml.count(b"\n", 0, pos) + 1
        col = pos - (xml.rfind(b"\n", 0, pos) + 1) + 1
        raise PackageError(
            f"{what} är inte giltig UTF-8 (byte 0x{xml[pos]:02X} på rad {line}, kolumn {col})", "skadad fil"
        ) from None


def read_sheet(sheet: Sheet, shared: list[str]) -> None:
    """Scan the sheet XML once. Every cell's value goes into ``sheet.values``; a :class:`Cell` is made for
    formula cells, array members and cells of unusual shape (``sheet.cells``), while a plain value cell only
    records its byte span (``sheet.spans``) and gets its :class:`Cell` when asked (:meth:`Sheet.cell`)."""
    xml = sheet.xml
    check_xml(xml, sheet.part)
    check_utf8(xml, f"bladet {sheet.name}")
    m = _SHEETDATA.search(xml)
    if not m:
        raise PackageError(f"bladet {sheet.name} saknar sheetData", "skadad fil")
    if m.group(1):
        sheet.sheetdata_selfclosed = True
        sheet.sheetdata_end = m.start()
        return
    end_m = _SHEETDATA_END.search(xml, m.end())
    if not end_m:
        raise PackageError(f"bladet {sheet.name} är avkortat (</sheetData> saknas)", "skadad fil")
    sheet.sheetdata_end = end_m.start()
    cells = sheet.cells
    values = sheet.values
    spans = sheet.spans
    attr_cache = _ATTR_CACHE
    cur_row = 0
    cur_col = 0
    max_row = max_col = 0
    masters: dict[str, Cell] = {}
    children: list[Cell] = []
    arrays: list[Cell] = []
    texts: dict[bytes, str] = {}
    for mt in _SCAN.finditer(xml, m.end(), end_m.start()):
        # which branch matched: its last group (1 ``<c/>``, 3 formula + value, 4 plain value, 5 inline
        # text, 6 any other content, 9 a row); only the groups of that branch are read
        branch = mt.lastindex
        if branch == 9:  # <row>
            rattrs = mt[8]
            rn = _ROW_CACHE.get(rattrs, _ROW_CACHE)
            if rn is _ROW_CACHE:
                r = _attrs(rattrs).get(b"r")
                rn = int(r) if r else None
                if len(_ROW_CACHE) < _CACHE_CAP:
                    _ROW_CACHE[rattrs] = rn
            cur_row = rn if rn else cur_row + 1
            cur_col = 0
            sheet.rows[cur_row] = (mt.start(), mt.end(), bool(mt[9]))
            continue
        attrs = mt[1]
        hit = attr_cache.get(attrs)
        if hit is not None:
            row, col, tstr, t_free, key = hit
        else:
            row = -1
            t_free = b"t" not in attrs
            rm = _C_R.search(attrs)
            if rm:
                row = int(rm.group(2))
                col = col_number(rm.group(1).decode("ascii"))
            tm = _C_T.search(attrs)
            tstr = tm.group(1).decode("ascii") if tm else None
            if row < 0:
                if _C_R_ANY.search(attrs):
                    raise PackageError(
                        f"bladet {sheet.name} har en ogiltig celladress ({attrs[:60]!r})", "skadad fil")
                row, col = cur_row, cur_col + 1
            key = (row, col)
            if rm and len(attr_cache) < _CACHE_CAP:
                attr_cache[attrs] = (row, col, tstr, t_free, key)
        cur_row, cur_col = row, col
        if row > max_row:
            max_row = row
        if col > max_col:
            max_col = col
        if branch == 4:  # <c ..><v>x</v></c>: a plain value
            pv = mt[4]
            if pv and (tstr is None or tstr == "n"):
                try:
                    v = float(pv)
                except ValueError:
                    v = _decode(tstr, pv, shared, sheet, row, col)
            else:
                v = _decode(tstr, pv, shared, sheet, row, col)
            values[key] = v
            spans[key] = mt.start()
            continue
        if branch == 3:  # <c ..><f>text</f><v>x</v></c>: a formula with its cached value
            ftext = mt[2]
            fv = mt[3]
            start, end = mt.span()
            if tstr is None and not fv:  # openpyxl's formula without a value (see _no_value)
                cells[key] = Cell(row, col, start, end, None, None, False,
                                  ftext.decode("utf-8") if b"&" not in ftext else xml_text(ftext),
                                  (end - 8, end - 8) if t_free else None)  # (the match ends with </v></c>)
                continue
            has_v = True
            if tstr is None or tstr == "n":
                if fv:
                    try:
                        v = float(fv)
                    except ValueError:
                        v = _decode(tstr, fv, shared, sheet, row, col)
                else:
                    v, has_v = None, False  # an empty <v></v> without t (openpyxl's): no value (see _no_value)
            else:
                v = _decode(tstr, fv, shared, sheet, row, col)
            if has_v:
                values[key] = v
            cells[key] = Cell(row, col, start, end, tstr, v, has_v,
                              xml_text(ftext) if b"&" in ftext else ftext.decode("utf-8"),
                              mt.span(3) if t_free else None)  # (see Cell.vspan)
            continue
        inner = None
        if branch == 5:
            istr = mt[5]
            if tstr == "inlineStr":  # <c .. t="inlineStr"><is><t>text</t></is></c>
                v = texts.get(istr)
                if v is None:  # (labels repeat down a column: each distinct text decoded once)
                    v = texts[istr] = ooxml_unescape(xml_text(istr))
                values[key] = v
                spans[key] = mt.start()
                continue
            inner = b"<is><t>" + istr + b"</t></is>"  # <is> in a cell that is not t="inlineStr": read as the general path does
        elif branch == 6:
            inner = mt[6]
        else:  # <c .../>: no value, no formula
            spans[key] = mt.start()
            continue
        cell = Cell(row, col, mt.start(), mt.end(), tstr)
        _read_content(cell, inner, shared, sheet)
        if cell.has_v:
            values[(row, col)] = cell.value
        if cell.formula is None and cell.ftype is None:
            spans[(row, col)] = mt.start()  # a value of unusual shape: no Cell kept
            continue
        if cell.ftype == "shared":
            if cell.formula:
                masters[cell.si] = cell
            else:
                children.append(cell)
        elif cell.ftype == "array":
            arrays.append(cell)
        cells[(row, col)] = cell
    for child in children:
        master = masters.get(child.si or "")
        if master is None:
            raise PackageError(
                f"cell {sheet.name}!{a1(child.row, child.col)} hänvisar till en delad formel som saknas", "skadad fil"
            )
        child.master = master
        child.formula = master.formula
    for arr in arrays:
        r1, c1, r2, c2 = arr.fref
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) == (arr.row, arr.col):
                    continue
                member = cells.get((r, c))
                if member is None:
                    member = sheet.cell(r, c) or Cell(r, c)
                    cells[(r, c)] = member
                member.array_master = arr
        max_row = max(max_row, r2)
        max_col = max(max_col, c2)
    sheet.max_row = max_row
    sheet.max_col = max_col


def _read_content(cell: Cell, inner: bytes, shared: list[str], sheet: Sheet) -> None:
    """Value and formula of a ``<c>`` element's content, any shape (namespaces, inline strings, attributes)."""
    row, col, tstr = cell.row, cell.col, cell.t
    fast = _FAST.fullmatch(inner)
    if fast is not None:
        ftext, raw = fast.group(1, 2)
        if ftext is not None:
            cell.formula = xml_text(ftext) if b"&" in ftext else ftext.decode("utf-8")
        if not (ftext is not None and _no_value(tstr, raw)):
            cell.has_v = True
            cell.value = _decode(tstr, raw, shared, sheet, row, col)
        return
    vm = _V.search(inner)
    fm = _F.search(inner)
    if vm and not (fm and _no_value(tstr, vm.group(1))):
        cell.has_v = True
        cell.value = _decode(tstr, vm.group(1) or b"", shared, sheet, row, col)
    elif tstr == "inlineStr":
        body = _RPH.sub(b"", inner)
        cell.value = ooxml_unescape("".join(xml_text(x.group(1) or b"") for x in _IS_T.finditer(body)))
        cell.has_v = True
    if fm:
        fat = _attrs(fm.group(1))
        ft = fat.get(b"t")
        cell.ftype = ft.decode("ascii") if ft and ft != b"normal" else None
        text = fm.group(2)
        cell.formula = xml_text(text) if text is not None else None
        if cell.ftype == "shared":
            cell.si = (fat.get(b"si") or b"").decode("ascii")
        elif cell.ftype == "array":
            rr = fat.get(b"ref")
            cell.fref = _parse_range(rr.decode("ascii")) if rr else (row, col, row, col)
        elif cell.formula is None:
            cell.formula = ""


def _element_cell(sheet: Sheet, row: int, col: int, start: int) -> Cell:
    """A :class:`Cell` for a plain value cell, read again from its element: the scan's expression at the
    element's offset, up to ``</sheetData>`` as in the scan, gives the very match the scan had."""
    mt = _SCAN.match(sheet.xml, start, sheet.sheetdata_end)
    end = mt.end()
    attrs, pv = mt.group(1, 4)
    tm = _C_T.search(attrs)
    cell = Cell(row, col, start, end, tm.group(1).decode("ascii") if tm else None)
    if (row, col) in sheet.values:
        cell.has_v = True
        cell.value = sheet.values[(row, col)]
    if pv is not None and b"t" not in attrs:
        cell.vspan = mt.span(4)
    return cell


def _parse_range(text: str) -> tuple[int, int, int, int]:
    m = _REF_RANGE.match(text)
    if not m:
        raise PackageError(f"ogiltigt område {text!r}", "skadad fil")
    c1, r1 = col_number(m.group(1)), int(m.group(2))
    if m.group(3):
        c2, r2 = col_number(m.group(3)), int(m.group(4))
    else:
        c2, r2 = c1, r1
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def read_shared_strings(pkg: Package, part: str) -> list[str]:
    root = parse_xml(pkg.read(part), part)
    t_tag = f"{{{NS_MAIN}}}t"
    r_tag = f"{{{NS_MAIN}}}r"
    out = []
    for si in root:
        first = si[0] if len(si) else None
        if first is not None and first.tag == t_tag and len(si) == 1:
            out.append(ooxml_unescape(first.text or ""))
            continue
        parts = []
        for child in si:
            if child.tag == t_tag:
                parts.append(child.text or "")
            elif child.tag == r_tag:
                for t in child.iter(t_tag):
                    parts.append(t.text or "")
        out.append(ooxml_unescape("".join(parts)))
    return out


def read_workbook(pkg: Package) -> Workbook:
    """Read the workbook part, its sheets and names, shared strings and every worksheet's cells."""
    part = workbook_part(pkg)
    root = parse_xml(pkg.read(part), part)
    rels = read_rels(pkg, part)
    shared: list[str] = []
    for typ, target in rels.values():
        if typ == REL_SHARED_STRINGS and pkg.has(target):
            shared = read_shared_strings(pkg, target)
    sheets: list[Sheet] = []
    others: set[str] = set()
    all_names: list[str] = []
    sheets_el = root.find(f"{{{NS_MAIN}}}sheets")
    for position, el in enumerate(sheets_el if sheets_el is not None else ()):
        name = el.get("name", "")
        all_names.append(name)
        rid = el.get(f"{{{NS_REL}}}id", "")
        if rid not in rels:
            raise PackageError(
                f"bladet {name} saknar sin relation ({rid or 'inget r:id'}) i {rels_path(part)}; filen är skadad",
                "skadad fil")
        typ, target = rels[rid]
        if typ == REL_WORKSHEET and not pkg.has(target):
            raise PackageError(f"delen {target} saknas (bladet {name}); filen är skadad", "skadad fil")
        if typ != REL_WORKSHEET:
            others.add(name.upper())
            sheets.append(None)  # keeps localSheetId positions
            continue
        sheets.append(Sheet(position, name, target, pkg.read(target)))
    for sh in sheets:
        if sh is not None:
            read_sheet(sh, shared)
    names: dict[tuple[int | None, str], DefinedName] = {}
    dn_el = root.find(f"{{{NS_MAIN}}}definedNames")
    for el in dn_el if dn_el is not None else ():
        nm = el.get("name", "")
        if nm.startswith("_xlnm."):
            continue
        lsi = el.get("localSheetId")
        scope = int(lsi) if lsi is not None and lsi.isdigit() else None
        names[(scope, nm.upper())] = DefinedName(nm, scope, (el.text or "").lstrip("="))
    real = [s for s in sheets if s is not None]
    wb = Workbook(part, sheets, {s.name.upper(): s for s in real}, names, shared, others)
    return wb
