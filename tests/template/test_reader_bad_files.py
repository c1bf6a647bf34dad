"""A damaged or hostile workbook given to `sakagare-xl berakna BOOK.xlsx` gives one Swedish line naming the file and
the broken part (exit 2), never a traceback or a Python exception's name, and is refused with the same checks as
`sakagare-xl recalc` before openpyxl reads it (zip bombs are never decompressed by openpyxl).

Each bad file is made from the shipped example workbook/exempel-e2.xlsx the way a broken copy, a disk error or a
hand edit would leave it (cases from tests/reliability/bad_workbooks.py and its fuzz test; bugs reported by the
bench helper in /work/notes/requests.md).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from template_helpers import REPO

from sakagare_xl.cli import main as cli_main
from sakagare_xl.engine.errors import SakagareError
from sakagare_xl.template.reader import read_arende

EXAMPLE = REPO / "workbook" / "exempel-e2.xlsx"
SHEET = "xl/worksheets/sheet1.xml"  # "Sakägarförteckning", where Sak = A5:N43 lives


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i, zf.read(i)) for i in zf.infolist()]


def _replace(name: str, edit) -> bytes:
    """The example with member ``name`` replaced by ``edit(old body)``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, body in _members(EXAMPLE.read_bytes()):
            zf.writestr(info, edit(body) if info.filename == name else body, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _encrypted_flag(name: str) -> bytes:
    """The example with the ZipCrypto flag set on one member (a zip tool with a password leaves it so)."""
    data = bytearray(EXAMPLE.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        local = zf.getinfo(name).header_offset
    struct.pack_into("<H", data, local + 6, struct.unpack_from("<H", data, local + 6)[0] | 1)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + n] == name.encode():
            struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 1)
        pos = data.find(b"PK\x01\x02", pos + 46)
    return bytes(data)


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        zf.writestr("_rels/.rels", b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        zf.writestr("word/document.xml", b'<?xml version="1.0"?><document/>')
    return buf.getvalue()


def _corrupt_deflate(name: str) -> bytes:
    """A few bytes in the middle of one member's compressed data overwritten (a disk error)."""
    data = bytearray(EXAMPLE.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(name)
    n, m = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + n + m
    mid = start + info.compress_size // 2
    data[mid:mid + 8] = b"\xff" * 8
    return bytes(data)


XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
       b"<si><t>&xxe;</t></si></sst>")
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10)
                     for k in range(1, 10))
          + b']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>')

# (id, bytes, the text inside "kan inte läsas som arbetsbok (…)" as a regex, provenance)
BAD = [
    ("truncated_sheet", lambda: _replace(SHEET, lambda x: x[: len(x) // 2]),
     r"bladet Sakägarförteckning är avkortat \(</sheetData> saknas\)",
     "the sheet XML cut at half its length: openpyxl's ParseError escaped from iter_rows (bench, requests.md)"),
    ("not_utf8_formula", lambda: _replace(SHEET, lambda x: x.replace(b'"tillagg"', b'"till\x89gg"', 1)),
     r"bladet Sakägarförteckning är inte giltig UTF-8 \(byte 0x89 på rad \d+, kolumn \d+\)",
     "one byte of a formula replaced by 0x89 (fuzz test)"),
    ("not_utf8_text", lambda: _replace(SHEET, lambda x: x.replace(b"<v>Ja</v>", b"<v>J\x89</v>", 1)),
     r"bladet Sakägarförteckning är inte giltig UTF-8 \(byte 0x89 på rad \d+, kolumn \d+\)",
     "a broken byte in a cached text value (fuzz test)"),
    ("bad_xml_in_sak", lambda: _replace(SHEET, lambda x: x.replace(b'<c r="G24"', b'<c r="G24" <', 1)),
     r"bladet Sakägarförteckning är inte giltig XML \(.+\)",
     "a '<' inside a cell's attributes in the Sak range"),
    ("shared_text_index_not_a_number", lambda: _replace(SHEET, lambda x: re.sub(
        rb'(<c r="A6"[^>]*t="s"[^>]*>)<v>\d+</v>', rb"\1<v>abc</v>", x, count=1)),
     r"bladet Sakägarförteckning är skadat \(en cell i området Sak kan inte läsas\)",
     "a shared-text index 'abc': openpyxl's ValueError escaped (fuzz test)"),
    ("zip_bomb", lambda: _replace(SHEET, lambda x: b" " * (20 * 1024 * 1024)),
     r"delen xl/worksheets/sheet1\.xml packas upp \d+ gånger \(gräns 200\); möjlig zip-bomb",
     "20 MB of spaces in the sheet: openpyxl used to inflate it all"),
    ("billion_laughs", lambda: _replace("xl/workbook.xml", lambda x: LAUGHS),
     r"delen xl/workbook\.xml innehåller en DOCTYPE/ENTITY-deklaration \(möjlig XML-bomb\); filen läses inte",
     "entity expansion in workbook.xml"),
    ("xxe", lambda: _replace("xl/sharedStrings.xml", lambda x: XXE),
     r"delen xl/sharedStrings\.xml innehåller en DOCTYPE/ENTITY-deklaration \(möjlig XML-bomb\); filen läses inte",
     "an external entity reading /etc/passwd into a shared string"),
    ("encrypted_member", lambda: _encrypted_flag("xl/workbook.xml"),
     r"filen är krypterad \(lösenordsskyddad zip\)",
     "a zip member with the ZipCrypto flag: openpyxl's RuntimeError used to be shown"),
    ("ole", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
     r"filen är krypterad/lösenordsskyddad eller en gammal \.xls \(OLE-format\); spara den utan lösenord som "
     r"\.xlsx eller \.xlsm",
     "a workbook saved with a password (MS-OFFCRYPTO) is an OLE compound file"),
    ("docx", _docx, r"zip-filen är ingen Excel-arbetsbok \(workbook\.xml saknas\)",
     "a Word document renamed to .xlsx"),
    ("corrupt_deflate", lambda: _corrupt_deflate(SHEET),
     r"delen xl/worksheets/sheet1\.xml går inte att packa upp \(.+\); filen är skadad",
     "a corrupt deflate stream: zlib.error escaped (fuzz test)"),
]


@pytest.mark.parametrize("make,detail", [b[1:3] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_workbook_is_one_swedish_error(tmp_path, make, detail):
    path = tmp_path / "bok.xlsx"
    data = make()
    path.write_bytes(data)
    with pytest.raises(SakagareError) as info:
        read_arende(path)
    assert re.fullmatch(rf"Fel i fältet 'fil': {re.escape(str(path))} kan inte läsas som arbetsbok \({detail}\)\.",
                        str(info.value)), str(info.value)
    assert path.read_bytes() == data


@pytest.mark.parametrize("name", ["zip_bomb", "billion_laughs", "xxe", "encrypted_member", "ole"])
def test_hostile_files_never_reach_openpyxl(tmp_path, monkeypatch, name):
    import openpyxl

    calls = []

    def spy(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("openpyxl was given a hostile file")

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    path = tmp_path / "bok.xlsx"
    path.write_bytes(dict((b[0], b[1]) for b in BAD)[name]())
    with pytest.raises(SakagareError, match="kan inte läsas som arbetsbok"):
        read_arende(path)
    assert calls == []


def test_berakna_command_prints_one_line_and_exits_2(tmp_path, capsys):
    path = tmp_path / "bok.xlsx"
    path.write_bytes(_replace(SHEET, lambda x: x[: len(x) // 2]))
    assert cli_main(["berakna", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"Fel i fältet 'fil': {path} kan inte läsas som arbetsbok "
                   "(bladet Sakägarförteckning är avkortat (</sheetData> saknas)).\n")


def test_the_intact_example_still_reads(tmp_path):
    path = tmp_path / "bok.xlsx"
    path.write_bytes(_replace(SHEET, lambda x: x))  # re-zipped, content unchanged
    assert read_arende(path).forsaljning == read_arende(EXAMPLE).forsaljning
