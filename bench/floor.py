"""The computing floor: the least a program must do to recalculate one of our benchmark workbooks.

Standard library only, written for exactly this layout (``bench/workbooks.py``: inputs in B2..B5, one row
per pantbrev from row 8 with D, E, F given and G..K formulas, totals below), so it knows in advance
which cells hold which formula and needs no formula parser, no dependency graph, no general cell model:

1. read the file and the zip's directory; read (decompress) the one sheet member, nothing else;
2. scan the sheet XML once with one regular expression for the cells with a value (B2..B5 and D, E, F
   of every row);
3. compute the same values recalc computes: ``G = TILLAGG(D, B3, F)`` as the engine does it (Decimal,
   JB 6 kap. 3 §: D × (15 % + (B3 + 4 %) × F/12), rounded to öre half up), then H..K and the totals of
   G..K as floats, like the spreadsheet formulas;
4. patch the new values into the ``<v>`` of every formula cell (one pass over the XML);
5. write the new zip as recalc writes it: the sheet deflated at the level its header records (openpyxl
   writes zlib's default, 6), every other member copied as the raw bytes it has in the file (no
   decompressing and compressing again: recalc does not, and a floor that did would be slower than it
   needs to be), the central directory's offsets, CRC and sizes updated; to a temporary file in the output
   folder, fsync, the source's permission bits, rename over the target: the same durable write as recalc's.

The totals of D and E depend on none of our functions, so, like recalc, the floor leaves them alone
(docs/performance.md). The output is checked with the same check as recalc's (``check_ours``).
"""

from __future__ import annotations

import io
import os
import re
import struct
import tempfile
import zipfile
import zlib
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
FIRST = 8
#: a cell with a value: <c r="D8" ...><v>123</v></c> (openpyxl writes no <f> before such a <v>)
_VALUE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*><v>([^<]*)</v></c>')
#: the empty value of a formula cell as openpyxl writes it: <c r="G8" ...><f>...</f><v></v></c>
_FORMULA = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*)><f>([^<]*)</f><v>[^<]*</v></c>')
_ORE = Decimal("0.01")


def _num(x: float) -> bytes:
    if x == int(x) and abs(x) < 1e15:
        return b"%d" % x
    return repr(x).encode("ascii")


def compute(xml: bytes) -> dict[bytes, float]:
    """cell reference (b"G8") → new value, for every formula cell recalc recomputes."""
    d: dict[int, float] = {}
    e: dict[int, float] = {}
    f: dict[int, float] = {}
    inputs: dict[int, float] = {}
    for m in _VALUE.finditer(xml):
        col, row, v = m.group(1), int(m.group(2)), m.group(3)
        if col == b"D":
            d[row] = float(v)
        elif col == b"E":
            e[row] = float(v)
        elif col == b"F":
            f[row] = float(v)
        elif col == b"B" and 2 <= row <= 5:
            inputs[row] = float(v)
    price, ref = inputs[2], inputs[3]
    rows = sorted(r for r in d if r >= FIRST)
    pct = Fraction(Decimal(repr(ref)) * 100 + 4) / 100  # (referensränta + 4 %) a year
    factors: dict[float, Decimal] = {}
    out: dict[bytes, float] = {}
    remaining = price
    sums = [0.0, 0.0, 0.0, 0.0]
    for r in rows:
        belopp = Decimal(repr(d[r]))
        months = f[r]
        faktor = factors.get(months)
        if faktor is None:
            fr = pct * Fraction(Decimal(repr(months))) / 12
            faktor = factors[months] = Decimal(fr.numerator) / Decimal(fr.denominator)
        g = float((belopp * 15 / 100 + belopp * faktor).quantize(_ORE, ROUND_HALF_UP))
        h = min(e[r], d[r] + g)
        i = max(0.0, min(h, remaining))
        remaining = remaining - i
        k = e[r] - i
        n = b"%d" % r
        out[b"G" + n] = g
        out[b"H" + n] = h
        out[b"I" + n] = i
        out[b"J" + n] = remaining
        out[b"K" + n] = k
        sums[0] += g
        sums[1] += h
        sums[2] += i
        sums[3] += k
    t = b"%d" % (rows[-1] + 2 if rows else FIRST + 1)  # one empty row, then the totals (sakmodel.totals_row)
    out[b"G" + t], out[b"H" + t], out[b"I" + t], out[b"K" + t] = sums
    out[b"J" + t] = price - sums[2]
    return out


def patch(xml: bytes, new: dict[bytes, float]) -> bytes:
    """The sheet XML with ``new`` written into the formula cells' <v> (one pass, pieces joined once)."""
    parts = []
    last = 0
    for m in _FORMULA.finditer(xml):
        v = new.get(m.group(1) + m.group(2))
        if v is None:
            continue
        parts.append(xml[last:m.start()])
        parts.append(b'<c r="' + m.group(1) + m.group(2) + b'"' + m.group(3) + b"><f>" + m.group(4) + b"</f><v>"
                     + _num(v) + b"</v></c>")
        last = m.end()
    parts.append(xml[last:])
    return b"".join(parts)


def rezip(data: bytes, zf: zipfile.ZipFile, name: str, body: bytes) -> bytes:
    """``data`` (the zip ``zf`` was opened on) with member ``name`` replaced by ``body`` deflated at level 6;
    every other member's bytes copied as they are. For the bench's files only (written by openpyxl: no data
    descriptors, no zip64, members in directory order)."""
    info = zf.getinfo(name)
    infos = zf.infolist()
    if info.flag_bits & 0x8 or info.compress_type != zipfile.ZIP_DEFLATED:
        raise ValueError(f"{name}: not the layout this floor is written for")
    after = [i.header_offset for i in infos if i.header_offset > info.header_offset]
    start_dir = zf.start_dir
    stop = min(after) if after else start_dir
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = comp.compress(body) + comp.flush()
    crc = zlib.crc32(body)
    off = info.header_offset
    n, m = struct.unpack_from("<HH", data, off + 26)
    header = bytearray(data[off:off + 30 + n + m])
    struct.pack_into("<III", header, 14, crc, len(packed), len(body))
    delta = len(header) + len(packed) - (stop - off)
    cd = bytearray(data[start_dir:])
    pos = 0
    for i in infos:  # central directory records, in directory order
        n, m, k = struct.unpack_from("<HHH", cd, pos + 28)
        if i.header_offset == off:
            struct.pack_into("<III", cd, pos + 16, crc, len(packed), len(body))
        elif i.header_offset > off:
            struct.pack_into("<I", cd, pos + 42, i.header_offset + delta)
        pos += 46 + n + m + k
    struct.pack_into("<I", cd, pos + 16, start_dir + delta)  # the end record: where the directory starts
    return b"".join((data[:off], header, packed, data[stop:start_dir], cd))


def floor_compute_one(path: Path, dest: Path) -> None:
    """Recalculate one benchmark workbook the cheapest way (see the module doc) and write it durably."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        data = fh.read()
    zf = zipfile.ZipFile(io.BytesIO(data))
    xml = zf.read(SHEET)
    out = rezip(data, zf, SHEET, patch(xml, compute(xml)))
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".~floor.")
    with os.fdopen(fd, "wb") as fh:
        fh.write(out)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, st.st_mode & 0o7777)
    os.replace(tmp, dest)
