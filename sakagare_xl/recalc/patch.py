"""Write new cached values into a sheet's XML by patching bytes.

Only the ``<v>`` element and the ``t`` attribute of the changed ``<c>`` elements are touched; every
other byte of the sheet (formulas, styles, attribute order, namespaces, whitespace, extLst) stays as
it was. The sheet XML is never parsed into a tree and never re-serialised. A cell that has no element
yet (a value inside an array formula's range that the file omitted) gets a minimal ``<c r=".."><v>``.
"""

from __future__ import annotations

import re
from operator import itemgetter

from .cells import Cell, Sheet, XLError, a1
from .ooxml import PackageError

_OPEN = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)c(?=[\s/>])([^>]*?)(/?)>")
_T_ATTR = re.compile(rb"""\s+t\s*=\s*(?:"[^"]*"|'[^']*')""")
_V_EL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v(?=[\s/>])[^>]*?(?:/>|>.*?</(?:[A-Za-z_][\w.-]*:)?v>)", re.S)
_IS_EL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?is(?=[\s/>])[^>]*?(?:/>|>.*?</(?:[A-Za-z_][\w.-]*:)?is>)", re.S)
_F_EL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f(?=[\s/>])[^>]*?(?:/>|>.*?</(?:[A-Za-z_][\w.-]*:)?f>)", re.S)
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def number_text(x: float) -> str:
    """A number as the shortest text that reads back to the same double (what Excel writes)."""
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    r = repr(float(x))
    return r.replace("e+", "E+").replace("e-", "E-")


def _escape(text: str) -> bytes:
    text = _CTRL.sub(lambda m: "_x005F_" if m.group(0) == "_" else f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def encode_value(v) -> tuple[bytes | None, bytes]:
    """(t attribute or None, <v> text) for a value."""
    t = type(v)
    if t is float and v.is_integer() and abs(v) < 1e15:
        return None, b"%d" % v
    if t is float or t is int:
        if v != v or v in (float("inf"), float("-inf")):
            return b"e", b"#NUM!"
        return None, number_text(v).encode("ascii")
    if t is bool:
        return b"b", b"1" if v else b"0"
    if t is XLError:
        return b"e", v.code.encode("ascii")
    if v is None:
        return b"str", b""
    return b"str", _escape(str(v))


def same_value(old, new) -> bool:
    if type(old) is XLError or type(new) is XLError:
        return old is new
    if type(old) is bool or type(new) is bool:
        return type(old) is type(new) and old == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new or number_text(old) == number_text(new)
    return type(old) is type(new) and old == new


def _patched_element(xml: bytes, cell: Cell, tval: bytes | None, vtext: bytes) -> bytes:
    el = xml[cell.start:cell.end]
    m = _OPEN.match(el)
    if not m:
        raise PackageError(f"kan inte skriva cell {a1(cell.row, cell.col)}", "skadad fil")
    prefix, attrs, closed = m.group(1), m.group(2), m.group(3)
    attrs = _T_ATTR.sub(b"", attrs)
    if tval is not None:
        attrs = attrs.rstrip() + b' t="' + tval + b'"'
    v_el = b"<" + prefix + b"v>" + vtext + b"</" + prefix + b"v>"
    if closed:
        return b"<" + prefix + b"c" + attrs + b">" + v_el + b"</" + prefix + b"c>"
    inner_start = m.end()
    inner_end = el.rfind(b"</")
    inner = el[inner_start:inner_end]
    vm = _V_EL.search(inner)
    if vm:
        inner = inner[:vm.start()] + v_el + inner[vm.end():]
    else:
        im = _IS_EL.search(inner)
        if im:
            inner = inner[:im.start()] + v_el + inner[im.end():]
        else:
            fm = _F_EL.search(inner)
            pos = fm.end() if fm else 0
            inner = inner[:pos] + v_el + inner[pos:]
    return b"<" + prefix + b"c" + attrs + b">" + inner + el[inner_end:]


def _new_element(prefix: bytes, row: int, col: int, tval: bytes | None, vtext: bytes) -> bytes:
    t = b' t="' + tval + b'"' if tval is not None else b""
    return (b"<" + prefix + b'c r="' + a1(row, col).encode("ascii") + b'"' + t + b"><" + prefix + b"v>" + vtext
            + b"</" + prefix + b"v></" + prefix + b"c>")


def _numbers_only(sheet: Sheet, new_values: dict[tuple[int, int], object]) -> bytes | None:
    """The common case in one pass: every new value a finite number, into a cell whose ``<v>`` text may
    simply be replaced (``Cell.vspan``), in the order of the XML. The patched sheet, exactly what the
    general path below gives then; ``None`` (nothing done) at the first value that is not such a case.
    The values are taken in (row, column) order, which is the sheet's order in every file seen (the
    formulas without a cached value that nothing of ours needs were computed last); a sheet whose cells
    are in another order takes the general path."""
    out = _numbers_in_order(sheet, sorted(new_values.items()))  # (keys are unique: no value is compared)
    return None if out is _UNORDERED else out


_UNORDERED = object()


def _numbers_in_order(sheet: Sheet, items):
    xml = sheet.xml
    get = sheet.cells.get
    out: list[bytes] = []
    add = out.append
    last = 0
    for key, v in items:
        if type(v) is not float or v - v != 0.0:
            return None
        cell = get(key)
        if cell is None:
            return None
        vspan = cell.vspan
        if vspan is None:
            return None
        start = vspan[0]
        if start < last:
            return _UNORDERED
        if v.is_integer() and abs(v) < 1e15:
            vt = b"%d" % v
        else:
            vt = b"%r" % v  # repr, as number_text
            if b"e" in vt:
                vt = vt.replace(b"e+", b"E+").replace(b"e-", b"E-")
        add(xml[last:start])
        add(vt)
        last = vspan[1]
    add(xml[last:])
    return b"".join(out)


def patch_sheet(sheet: Sheet, new_values: dict[tuple[int, int], object]) -> bytes:
    """The sheet XML with the cached values of ``new_values`` ((row, col) → value) written in."""
    done = _numbers_only(sheet, new_values)
    if done is not None:
        return done
    xml = sheet.xml
    edits: list[tuple[int, int, bytes]] = []
    inserts: dict[int, list[tuple[int, bytes]]] = {}
    pm = re.search(rb"<((?:[A-Za-z_][\w.-]*:)?)sheetData(?=[\s/>])", xml)
    prefix = pm.group(1) if pm else b""
    get = sheet.cells.get
    add = edits.append
    ordered = True  # the edits so far are in the order of the XML, none overlapping (no sort needed)
    last = 0
    for key, v in new_values.items():
        if type(v) is float and v - v == 0.0:  # finite
            cell = get(key)
            if cell is not None:
                vspan = cell.vspan
                if vspan is not None:
                    # a number into a cell without a t attribute: only the text of <v> changes (what
                    # _patched_element would give, without rebuilding the element); text as number_text
                    if v.is_integer() and abs(v) < 1e15:
                        vt = b"%d" % v
                    else:
                        vt = repr(v).encode("ascii")
                        if b"e" in vt:
                            vt = vt.replace(b"e+", b"E+").replace(b"e-", b"E-")
                    start = vspan[0]
                    if start < last:
                        ordered = False
                    last = vspan[1]
                    add((start, last, vt))
                    continue
        ordered = False
        r, c = key
        tval, vtext = encode_value(v)
        cell = sheet.cell(r, c)
        if cell is not None and cell.start >= 0:
            vspan = cell.vspan
            if tval is None and vspan is not None:
                # a number into a cell without a t attribute: only the text of <v> changes
                edits.append((vspan[0], vspan[1], vtext))
            else:
                edits.append((cell.start, cell.end, _patched_element(xml, cell, tval, vtext)))
        else:
            inserts.setdefault(r, []).append((c, _new_element(prefix, r, c, tval, vtext)))
    for r, items in inserts.items():
        items.sort()
        row_info = sheet.rows.get(r)
        if row_info is not None and not row_info[2]:
            existing = [(cl.col, cl) for cl in sheet.row_cells(r)]
            for c, body in items:
                before = [cl for col, cl in existing if col < c]
                pos = before[-1].end if before else row_info[1]
                edits.append((pos, pos, body))
        elif row_info is not None:  # <row .../> → <row ...>cells</row>
            start, end, _ = row_info
            tag = xml[start:end]
            body = tag[:-2].rstrip() + b">" + b"".join(b for _, b in items) + b"</" + prefix + b"row>"
            edits.append((start, end, body))
        else:
            if sheet.sheetdata_selfclosed:
                raise PackageError(f"bladet {sheet.name} har inga rader att skriva cell {a1(r, items[0][0])} i")
            later = [info[0] for rr, info in sheet.rows.items() if rr > r]
            pos = min(later) if later else sheet.sheetdata_end
            body = b"<" + prefix + b'row r="' + str(r).encode() + b'">' + b"".join(b for _, b in items) + b"</" + prefix + b"row>"
            edits.append((pos, pos, body))
    if not ordered or inserts:
        edits.sort(key=itemgetter(0, 1))
    out = []
    last = 0
    for start, end, body in edits:
        if start < last:
            raise PackageError(f"överlappande ändringar i bladet {sheet.name}", "skadad fil")
        out.append(xml[last:start])
        out.append(body)
        last = end
    out.append(xml[last:])
    return b"".join(out)
