"""Builders for bad workbooks, made from the shipped example ``workbook/exempel-e2.xlsx`` (or from scratch).

Each builder returns the bytes of one bad file. Cell edits are made on the raw sheet XML, the way a broken
save or a hand edit would leave them, so the rest of the package stays exactly as the template wrote it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "workbook" / "exempel-e2.xlsx"
SHEET = "xl/worksheets/sheet1.xml"  # the sheet "Sakägarförteckning" (Sak = A5:N43)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def example() -> bytes:
    return EXAMPLE.read_bytes()


def members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i, zf.read(i)) for i in zf.infolist()]


def rezip(items: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def replace_member(data: bytes, name: str, new: bytes | None) -> bytes:
    """The package with member ``name`` replaced (``None``: removed)."""
    out = []
    for info, body in members(data):
        if info.filename == name:
            if new is None:
                continue
            body = new
        out.append((info, body))
    return rezip(out)


def edit_member(data: bytes, name: str, edit) -> bytes:
    body = dict((i.filename, b) for i, b in members(data))[name]
    return replace_member(data, name, edit(body))


def set_cell(data: bytes, ref: str, inner: str, attrs: str = "") -> bytes:
    """Replace cell ``ref`` of the main sheet by ``<c r="ref"{attrs}>{inner}</c>``."""
    pat = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(/>|>.*?</c>)', re.S)

    def edit(xml: bytes) -> bytes:
        new, n = pat.subn(f'<c r="{ref}"{attrs}>{inner}</c>'.encode(), xml, count=1)
        assert n == 1, f"cell {ref} not found"
        return new

    return edit_member(data, SHEET, edit)


# ------------------------------------------------------------------------------------------- builders

def empty() -> bytes:
    return b""


def text_file() -> bytes:
    return "Fastighet;Berga 1:2\nKöpeskilling;220000\n".encode("utf-8")


def truncated() -> bytes:
    d = example()
    return d[: len(d) // 2]


def ole_encrypted() -> bytes:
    # an Excel file saved with a password is an OLE compound file (MS-OFFCRYPTO), as is a legacy .xls
    return OLE_MAGIC + b"\x00" * 504


def docx_zip() -> bytes:
    return rezip([("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
                  ("word/document.xml", b'<?xml version="1.0"?><document/>')])


def zip_bomb() -> bytes:
    # 20 MB of spaces deflate to ~20 kB: a ratio of ~1000 in the sheet member
    return replace_member(example(), SHEET, b" " * (20 * 1024 * 1024))


def xml_bomb() -> bytes:
    lol = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10)
                      for k in range(1, 10))
           + b']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>')
    return replace_member(example(), "xl/workbook.xml", lol)


def xxe() -> bytes:
    body = (b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            b"<si><t>&xxe;</t></si></sst>")
    return replace_member(example(), "xl/sharedStrings.xml", body)


def encrypted_member() -> bytes:
    """The example with the "encrypted" flag (bit 0, ZipCrypto) set on xl/workbook.xml, in the local header
    and in the central directory, as a zip tool with a password would leave it (zipfile cannot write one)."""
    import struct

    data = bytearray(example())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/workbook.xml")
        local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    flags = struct.unpack_from("<H", data, local + 6)[0]
    struct.pack_into("<H", data, local + 6, flags | 1)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len] == b"xl/workbook.xml":
            flags = struct.unpack_from("<H", data, pos + 8)[0]
            struct.pack_into("<H", data, pos + 8, flags | 1)
        pos = data.find(b"PK\x01\x02", pos + 46)
    return bytes(data)


def no_functions() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 1, 2, "=SUM(A1:A2)"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def negative_kapital() -> bytes:
    return set_cell(example(), "G24", "<v>-85000</v>", ' s="13"')


def text_kapital() -> bytes:
    return set_cell(example(), "G24", "<is><t>mycket</t></is>", ' s="13" t="inlineStr"')


def unknown_label() -> bytes:
    return set_cell(example(), "A6", "<is><t>Utmätningsdagen</t></is>", ' s="7" t="inlineStr"')


def unknown_function() -> bytes:
    # an unknown function around one of ours: recalc must evaluate the cell and cannot
    return set_cell(example(), "P24", '<f>FOOBAR(SAK_RAD(Sak,1,"tillagg"))</f><v>0</v>', ' s="17"')


def circular() -> bytes:
    # Inteckningsbelopp of row 1 (inside Sak) computed from a cell that is computed from Sak
    return set_cell(example(), "E24", "<f>Q24</f><v>90000</v>", ' s="13"')


def malformed_sheet() -> bytes:
    return edit_member(example(), SHEET, lambda xml: xml[: len(xml) // 2])


def missing_sheet() -> bytes:
    return replace_member(example(), SHEET, None)


def no_sak_name() -> bytes:
    return edit_member(example(), "xl/workbook.xml", lambda xml: xml.replace(b'<definedName name="Sak">',
                                                                                b'<definedName name="Sakx">'))


def negative_price() -> bytes:
    # Köpeskilling (B16, the name Kopeskilling) negative
    return set_cell(example(), "B16", "<v>-220000</v>", ' s="13"')


def invalid_utf8_formula() -> bytes:
    # one byte of a formula replaced by 0x89 (not UTF-8), as a disk or transfer error would leave it
    old = b'<f>IF(COUNTA($A$24:$N$24)=0,"",SAK_RAD(Sak,1,"tillagg"))'
    new = b'<f>IF(COUNTA($A$24:$N$24)=0,"",SAK_RAD(Sak,1,"till\x89gg"))'
    return edit_member(example(), SHEET, lambda xml: xml.replace(old, new, 1))


def invalid_utf8_sheet() -> bytes:
    # a broken byte in a text the whole sheet must decode: berakna reads the same sheet with openpyxl
    return edit_member(example(), SHEET, lambda xml: xml.replace(b"<v>Ja</v>", b"<v>J\x89</v>", 1))
