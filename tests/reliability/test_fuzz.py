"""Fuzzing the workbook reader and recalc with hypothesis: random bytes, and the shipped workbooks
(``workbook/*.xlsx``) with bytes flipped, cut or inserted in the zip, and with the XML inside their members
mutated. Whatever comes in:

* ``recalc`` never raises; a failure has a status and a non-empty Swedish message, and the file on disk is
  left exactly as it was (bytes and modification time); when it does write, the result is a readable zip;
* the template reader behind ``sakagare-xl berakna BOOK.xlsx`` raises only ``SakagareError``.

The default run is a few hundred examples, derandomized (the same ones every run, so CI is stable);
``pytest -m slow`` runs a larger random budget.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sakagare_xl.engine.errors import SakagareError
from sakagare_xl.recalc.batch import Options, Task, process
from sakagare_xl.recalc.core import recalc_bytes

from .bad_workbooks import members, rezip

ROOT = Path(__file__).resolve().parents[2]
BOOKS = {p.name: p.read_bytes() for p in sorted((ROOT / "workbook").glob("*.xlsx"))}
OLD = 978_307_200_000_000_000

FAST = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow],
                database=None)
SLOW = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

INSERTS = [b"<", b">", b"&", b"\x00", b"\xff\xfe", b"]]>", b'"', b"<!DOCTYPE x>", "å".encode(), b"PK\x03\x04",
           b"<c r=\"A1\" t=\"s\"><v>99999</v></c>", b"<f>SAK_RAD(Sak,1,\"x\")</f>", b"<v>1e999</v>", b"-"]


# ------------------------------------------------------------------------------------------- strategies

@st.composite
def zip_mutation(draw) -> bytes:
    """A shipped workbook with bytes flipped, cut, inserted or deleted anywhere in the zip."""
    data = bytearray(BOOKS[draw(st.sampled_from(sorted(BOOKS)))])
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        pos = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[pos:]
            if not data:
                break
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[pos:pos + draw(st.integers(1, 64))]
            if not data:
                break
    return bytes(data)


@st.composite
def xml_mutation(draw) -> bytes:
    """A shipped workbook, re-zipped cleanly, with the XML of one member mutated."""
    items = members(BOOKS[draw(st.sampled_from(sorted(BOOKS)))])
    xml = [k for k, (info, _) in enumerate(items) if info.filename.endswith((".xml", ".rels"))]
    k = draw(st.sampled_from(xml))
    body = bytearray(items[k][1])
    op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "retag", "renumber"]))
    pos = draw(st.integers(0, max(len(body) - 1, 0)))
    if op == "flip":
        body[pos] ^= draw(st.integers(1, 255))
    elif op == "truncate":
        del body[pos:]
    elif op == "insert":
        body[pos:pos] = draw(st.sampled_from(INSERTS))
    elif op == "delete":
        del body[pos:pos + draw(st.integers(1, 200))]
    elif op == "retag":  # rename one element: unbalanced XML or an unknown element
        at = body.find(b"<", pos)
        if at != -1 and at + 1 < len(body):
            body[at + 1:at + 2] = draw(st.sampled_from([b"x", b"/", b"!", b"?"]))
    else:  # a number in a value turned into text, negative or huge
        at = body.find(b"<v>", pos)
        if at != -1:
            end = body.find(b"</v>", at)
            body[at + 3:end] = draw(st.sampled_from([b"abc", b"-1", b"1e308", b"NaN", b"", b"0x10", b"99999999999"]))
    items[k] = (items[k][0], bytes(body))
    return rezip(items)


any_input = st.one_of(
    st.binary(max_size=2048),
    st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
    zip_mutation(),
    xml_mutation(),
)


# ------------------------------------------------------------------------------------------- the checks

def check_recalc(data: bytes) -> None:
    out = recalc_bytes(data)  # must not raise
    assert isinstance(out.status, str) and out.status
    if out.failed:
        assert out.data is None, "a failed recalculation must not produce a file"
        assert out.errors and all(isinstance(e, str) and e.strip() for e in out.errors)
        assert not any("Traceback" in e for e in out.errors)
    if out.data is not None:
        with zipfile.ZipFile(io.BytesIO(out.data)) as zf:
            assert zf.testzip() is None


def check_file(data: bytes) -> None:
    """The whole per-file path (read, recalc, atomic write) on a real file."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bok.xlsx"
        path.write_bytes(data)
        os.utime(path, ns=(OLD, OLD))
        row = process(Task(str(path), str(path)), Options())
        if row.failed or not row.written:
            assert path.read_bytes() == data and path.stat().st_mtime_ns == OLD, "input changed"
        if row.failed:
            assert row.errors and all(e.strip() for e in row.errors)
            assert row.status != "internt fel", row.errors
        assert sorted(os.listdir(d)) == ["bok.xlsx"], "temporary file left"


def check_reader(data: bytes) -> None:
    from sakagare_xl.template.reader import read_arende

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bok.xlsx"
        path.write_bytes(data)
        try:
            read_arende(path)
        except SakagareError as exc:
            assert str(exc).strip() and "Traceback" not in str(exc)
        assert path.read_bytes() == data


# ------------------------------------------------------------------------------------------- the tests

@FAST
@given(any_input)
def test_recalc_never_crashes(data):
    check_recalc(data)


@settings(FAST, max_examples=60)
@given(st.one_of(zip_mutation(), xml_mutation()))
def test_recalc_file_never_written_on_failure(data):
    check_file(data)


@settings(FAST, max_examples=60)
@given(st.one_of(zip_mutation(), xml_mutation()))
def test_reader_raises_only_sakagare_errors(data):
    check_reader(data)


@pytest.mark.slow
@SLOW
@given(any_input)
def test_recalc_and_reader_never_crash_large(data):
    check_recalc(data)
    check_file(data)
    check_reader(data)
