"""recalc's direct unpacking of a plain zip member (``ooxml._unpack_plain``) gives exactly what zipfile gives,
or hands the member to zipfile (``None``): on every member of the template workbooks, and on copies of one
with bytes changed anywhere (hypothesis), where zipfile may refuse what the direct path must then refuse too."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sakagare_xl.recalc import ooxml

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = sorted((ROOT / "workbook").glob("*.xlsx"))
EXAMPLE = (ROOT / "workbook" / "exempel-e2.xlsx").read_bytes()


def _zipfile_read(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    try:
        with zf.open(info) as fh:
            return fh.read()
    except Exception as exc:  # noqa: BLE001 - any refusal: the direct path must not return bytes then
        return exc


def test_every_member_of_the_template_workbooks_is_read_directly_and_the_same():
    assert WORKBOOKS
    for path in WORKBOOKS:
        data = path.read_bytes()
        zf = zipfile.ZipFile(io.BytesIO(data))
        for info in zf.infolist():
            out = ooxml._unpack_plain(data, info)
            assert out is not None, f"{path.name}: {info.filename} not read directly"
            assert out == _zipfile_read(zf, info), f"{path.name}: {info.filename}"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(EXAMPLE) - 1), st.integers(0, 255)), min_size=1, max_size=4))
def test_a_damaged_member_is_read_directly_only_when_zipfile_gives_the_same(changes):
    data = bytearray(EXAMPLE)
    for pos, value in changes:
        data[pos] = value
    data = bytes(data)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # noqa: BLE001 - the directory itself is broken: open_package words that
        return
    for info in infos:
        out = ooxml._unpack_plain(data, info)
        if out is not None:
            assert out == _zipfile_read(zf, info), info.filename
