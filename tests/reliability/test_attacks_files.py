"""Issue 10, second round of attacks on the files recalc rewrites and on its processes: links, permissions,
owners, a save made meanwhile, members it never reads, encodings, sizes, long names, the output folder, the
report, worker processes. Each asserts the exact Swedish message and that the file is unchanged or correct
(docs/recalc.md, "Files on disk")."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from sakagare_xl.recalc import batch
from sakagare_xl.recalc.ooxml import MAX_FILE_SIZE, PackageError, check_member

from . import bad_workbooks
from .test_corpus import OLD, assert_untouched, freeze, run_cli

PRICE = ["--kopeskilling", "300000"]  # the example's price is 220 000: every run must rewrite the file


def _book(folder: Path, name: str = "bok.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(bad_workbooks.example())
    os.utime(path, ns=(OLD, OLD))
    return path


def _price_in(path: Path) -> float:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True, read_only=True)
    try:
        return wb["Sakägarförteckning"]["B16"].value
    finally:
        wb.close()


def _recalc(*args: str) -> tuple[int, str, str]:
    return run_cli(["recalc", "--no-progress", *args])


# ------------------------------------------------------------------------------------------------ links

def test_symlink_is_written_through(tmp_path):
    """The link stays a link; its target gets the new values (it was replaced by a regular file, the target
    staying old, and reported "ok")."""
    target = _book(tmp_path / "arkiv")
    link = tmp_path / "länk.xlsx"
    link.symlink_to(target)
    rc, out, err = _recalc(*PRICE, str(link))
    assert rc == 0 and f"OK   {link}: ok" in out, out + err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert _price_in(target) == 300000
    assert sorted(p.name for p in target.parent.iterdir()) == ["bok.xlsx"] and sorted(
        p.name for p in tmp_path.iterdir()) == ["arkiv", "länk.xlsx"], "a temporary file was left"


def test_hard_link_is_refused(tmp_path):
    """Replacing one name of a hard-linked file would leave the other name with the old workbook: refused."""
    path = _book(tmp_path / "a")
    other = tmp_path / "b" / "samma.xlsx"
    other.parent.mkdir()
    os.link(path, other)
    before = freeze(path)
    rc, out, err = _recalc(*PRICE, str(path))
    assert rc == 1 and f"FEL  {path}: hård länk\n" in out
    assert (f"{path}: filen har 2 hårda länkar; recalc ersätter den inte (de andra namnen skulle behålla den "
            "gamla filen) – skriv med --out, eller kopiera filen först; filen lämnas orörd") in out
    assert_untouched(path, before)
    assert os.stat(path).st_ino == os.stat(other).st_ino


def test_hard_link_with_out_is_fine(tmp_path):
    path = _book(tmp_path / "a")
    os.link(path, tmp_path / "a" / "kopia-länk.xlsm")
    before = freeze(path)
    rc, out, err = _recalc(*PRICE, "--out", str(tmp_path / "ut"), str(path))
    assert rc == 0, out
    assert _price_in(tmp_path / "ut" / "bok.xlsx") == 300000
    assert path.read_bytes() == before[0]


# ------------------------------------------------------------------------------------------ permissions

def test_read_only_file_is_refused(tmp_path):
    """0444 (also as root, who could replace it): refused like an immutable file."""
    path = _book(tmp_path / "in")
    path.chmod(0o444)
    before = freeze(path)
    rc, out, err = _recalc(*PRICE, str(path))
    assert rc == 1 and f"FEL  {path}: skrivskyddad\n     {path}: filen är skrivskyddad; filen lämnas orörd\n" in out
    assert_untouched(path, before)
    assert (path.stat().st_mode & 0o777) == 0o444


def test_read_only_file_with_dry_run_is_computed(tmp_path):
    path = _book(tmp_path / "in")
    path.chmod(0o444)
    before = freeze(path)
    rc, out, err = _recalc(*PRICE, "--dry-run", str(path))
    assert rc == 0 and "(inte skriven: --dry-run)" in out
    assert_untouched(path, before)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="keeping another user's owner needs root (chown); run the suite as root to test it")
def test_owner_and_group_are_kept(tmp_path):
    path = _book(tmp_path / "in")
    os.chown(path, 12345, 23456)
    path.chmod(0o640)
    rc, out, err = _recalc(*PRICE, str(path))
    assert rc == 0, out
    st = path.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (12345, 23456, 0o640)
    assert _price_in(path) == 300000


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to give the file another owner first")
def test_owner_that_cannot_be_kept_is_reported(tmp_path, monkeypatch):
    """Run as an ordinary user, recalc cannot give the new file another user's owner (chown is refused, here
    simulated): nothing is written."""
    path = _book(tmp_path / "in")
    os.chown(path, 12345, 23456)
    before = freeze(path)

    def chown(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(batch.os, "chown", chown)
    rc, out, err = _recalc(*PRICE, str(path))
    assert rc == 1 and f"FEL  {path}: kan inte skrivas\n" in out
    assert (f"{path}: kan inte skrivas (ägaren 12345 och gruppen 23456 kan inte behållas: kör recalc som filens "
            "ägare); filen lämnas orörd") in out
    assert_untouched(path, before)
    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 23456)


# ------------------------------------------------------------------------------------------ a save meanwhile

def test_lost_update_is_detected(tmp_path, monkeypatch):
    """Someone saves the workbook while recalc works on it: recalc must not overwrite that save."""
    path = _book(tmp_path / "in")
    theirs = bad_workbooks.set_cell(bad_workbooks.example(), "B16", "<v>250000</v>", ' s="13"')
    real = batch.recalc_bytes

    def recalc_while_saving(data, *args, **kwargs):
        out = real(data, *args, **kwargs)
        path.write_bytes(theirs)  # Excel saves meanwhile
        return out

    monkeypatch.setattr(batch, "recalc_bytes", recalc_while_saving)
    rc, out, err = _recalc(*PRICE, str(path))
    assert rc == 1 and f"FEL  {path}: ändrad under omräkningen\n" in out
    assert (f"{path}: filen ändrades (sparades av något annat program) medan recalc räknade; den lämnas som den "
            "nu är – kör recalc igen") in out
    assert path.read_bytes() == theirs
    assert sorted(p.name for p in path.parent.iterdir()) == ["bok.xlsx"]


# ------------------------------------------------------------------------------ members, encodings, sizes

def _flag_encrypted(data: bytes, member: str) -> bytes:
    import struct

    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        local = zf.getinfo(member).header_offset
    struct.pack_into("<H", data, local + 6, struct.unpack_from("<H", data, local + 6)[0] | 1)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + n] == member.encode():
            struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 1)
        pos = data.find(b"PK\x01\x02", pos + 46)
    return bytes(data)


def test_zipcrypto_flag_on_a_member_never_read(tmp_path):
    path = tmp_path / "in" / "krypt.xlsx"
    path.parent.mkdir()
    path.write_bytes(_flag_encrypted(bad_workbooks.example(), "docProps/app.xml"))
    before = freeze(path)
    rc, out, err = _recalc(*PRICE, str(path))
    assert rc == 1 and f"FEL  {path}: krypterad\n     {path}: filen är krypterad (lösenordsskyddad zip)\n" in out
    rc, out, err = run_cli(["berakna", str(path)])
    assert (rc, err) == (2, f"Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (filen är krypterad "
                            "(lösenordsskyddad zip)).\n")
    assert_untouched(path, before)


_XXE = ('<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&xxe;</t></si></sst>")


@pytest.mark.parametrize("body", [
    ('<?xml version="1.0" encoding="UTF-16"?>\n' + _XXE).encode("utf-16"),
    # UTF-7 in an ASCII declaration: "<!" written as "+ADw-!" (lxml decodes it and would take the DOCTYPE)
    b'<?xml version="1.0" encoding="UTF-7"?>\n+ADw-!DOCTYPE sst +AFs-+ADw-!ENTITY xxe SYSTEM '
    b'"file:///etc/passwd"+AD4-+AF0-+AD4-\n' + _XXE.split("\n", 1)[1].encode(),
], ids=["utf-16", "utf-7"])
def test_doctype_in_another_encoding(tmp_path, body):
    path = tmp_path / "in" / "utf16.xlsx"
    path.parent.mkdir()
    path.write_bytes(bad_workbooks.replace_member(bad_workbooks.example(), "xl/sharedStrings.xml", body))
    before = freeze(path)
    rc, out, err = _recalc(*PRICE, str(path))
    assert rc == 1 and f"FEL  {path}: osäker fil\n" in out
    assert (f"{path}: delen xl/sharedStrings.xml innehåller en DOCTYPE/ENTITY-deklaration (möjlig XML-bomb); "
            "filen läses inte") in out
    rc, out, err = run_cli(["berakna", str(path)])
    assert (rc, err) == (2, f"Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (delen xl/sharedStrings.xml "
                            "innehåller en DOCTYPE/ENTITY-deklaration (möjlig XML-bomb); filen läses inte).\n")
    assert_untouched(path, before)


def test_huge_file_is_refused_before_reading_and_the_batch_goes_on(tmp_path, monkeypatch):
    """A 3 GB file (sparse: no disk space, no time) is refused by its size, never read; the next file is done."""
    folder = tmp_path / "in"
    huge = folder / "a-stor.xlsx"
    _book(folder, "b-bra.xlsx")
    with open(huge, "wb") as fh:
        fh.truncate(3 * 1024 ** 3)
    os.utime(huge, ns=(OLD, OLD))
    real_open = open

    def guarded_open(p, *a, **k):
        assert str(p) != str(huge), "the huge file was opened"
        return real_open(p, *a, **k)

    monkeypatch.setattr("builtins.open", guarded_open)
    rc, out, err = _recalc(*PRICE, str(folder))
    assert rc == 1
    assert (f"FEL  {huge}: för stor\n     {huge}: filen är {3 * 1024 ** 3} byte (gräns {MAX_FILE_SIZE}); "
            "filen lämnas orörd\n") in out
    assert f"OK   {folder / 'b-bra.xlsx'}: ok" in out
    assert huge.stat().st_size == 3 * 1024 ** 3 and huge.stat().st_mtime_ns == OLD


_BOMB = "delen xl/worksheets/sheet1.xml "


@pytest.mark.parametrize("size, compressed, refusal", [
    (150_000_000, 150_000_000 // 8, None),  # a genuine 1 000 000-cell sheet (~150 bytes a cell) at 8:1
    (60_000_000, 60_000_000 // 12, None),   # the bench's sheets (~55 bytes a cell, 7–12:1)
    (20 * 1024 ** 2, 20 * 1024, _BOMB + "packas upp 1024 gånger (gräns 200); möjlig zip-bomb"),  # repeated bytes
    (600 * 1024 ** 2, 300 * 1024 ** 2,  # beyond the cap on one member, whatever its ratio
     _BOMB + "är 629145600 byte okomprimerad (gräns 536870912); möjlig zip-bomb"),
], ids=["1M-cells-8to1", "bench-12to1", "bomb-1000to1", "above-cap"])
def test_zip_bomb_limits(size, compressed, refusal):
    """The declared sizes of a member (the real bytes are checked again while unpacking, tests/recalc)."""
    info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
    info.file_size, info.compress_size = size, compressed
    if refusal:
        with pytest.raises(PackageError) as exc:
            check_member(info)
        assert (exc.value.status, str(exc.value)) == ("osäker fil", refusal)
    else:
        check_member(info)


def test_long_file_name(tmp_path):
    """A 245-character name: the temporary file next to it must still fit the 255-byte name limit."""
    path = _book(tmp_path / "in", "å" * 10 + "x" * 230 + ".xlsx")  # 245 characters, 255 bytes in UTF-8
    assert len(path.name) == 245
    rc, out, err = _recalc(*PRICE, str(path))
    assert rc == 0 and f"OK   {path}: ok" in out, out
    assert _price_in(path) == 300000


def test_out_inside_the_input_folder(tmp_path):
    """``recalc arkiv --out arkiv/ut`` twice: the second run must not recalculate ut/ into ut/ut/."""
    folder = tmp_path / "arkiv"
    _book(folder)
    for _ in range(2):
        rc, out, err = _recalc(*PRICE, "--out", str(folder / "ut"), str(folder))
        assert rc == 0 and "1 arbetsböcker: 1 omräknade" in out, out
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == ["bok.xlsx", "ut", "ut/bok.xlsx"]


# ------------------------------------------------------------------------------------------------ the report

@pytest.mark.parametrize("where, message", [
    ("{tmp}/mapp", "rapporten kan inte skrivas till {tmp}/mapp.csv: det är en mapp"),
    ("/dev/null/x", "rapporten kan inte skrivas till /dev/null/x.csv: /dev/null är ingen mapp"),
])
def test_unwritable_report_is_refused_first(tmp_path, capsys, where, message):
    path = _book(tmp_path / "in")
    (tmp_path / "mapp.csv").mkdir()
    before = freeze(path)
    where, message = where.format(tmp=tmp_path), message.format(tmp=tmp_path)
    rc, out, err = _recalc(*PRICE, "--report", where, str(path))
    assert (rc, out) == (2, "")
    assert err == f"fel: {message}; inga arbetsböcker har rörts\n"
    assert_untouched(path, before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "mapp.csv"]


def _tmpfs(mount: Path, size: str):
    mount.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"no tmpfs to fill (mount -t tmpfs failed: {r.stderr.decode().strip() or r.returncode}); "
                    "the full-disk case is not tested here")


def test_full_disk(tmp_path):
    """On a full disk the report is refused before any workbook is touched, and a workbook that cannot be
    written stays as it was (no half file, no temporary file)."""
    mount = tmp_path / "full"
    _tmpfs(mount, "64k")
    try:
        path = mount / "bok.xlsx"
        path.write_bytes(bad_workbooks.example())  # ~21 kB
        os.utime(path, ns=(OLD, OLD))
        before = (path.read_bytes(), OLD)
        with open(mount / "fyllnad", "wb", buffering=0) as fh:  # fill the rest
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError:
                pass
        rc, out, err = _recalc(*PRICE, "--report", str(mount / "rapport"), str(path))
        assert (rc, out) == (2, "")
        assert err == (f"fel: rapporten kan inte skrivas till {mount}/rapport.csv (No space left on device); "
                       "inga arbetsböcker har rörts\n")
        rc, out, err = _recalc(*PRICE, str(path))
        assert rc == 1 and f"FEL  {path}: kan inte skrivas\n" in out
        assert f"{path}: kan inte skrivas (No space left on device); filen lämnas orörd" in out
        assert path.read_bytes() == before[0] and path.stat().st_mtime_ns == OLD
        assert sorted(p.name for p in mount.iterdir()) == ["bok.xlsx", "fyllnad"]
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


# --------------------------------------------------------------------------------------------- processes

def test_jobs_capped(tmp_path, monkeypatch):
    """``--jobs 300`` for 3 files starts at most 3 workers (and no more than the cores)."""
    started = []

    class Pool:
        def __init__(self, max_workers, **kwargs):
            started.append(max_workers)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, fn, items, chunksize=1):
            return map(fn, items)

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)  # batch imports it only for --jobs >= 2
    monkeypatch.setattr(batch.os, "cpu_count", lambda: 64)
    folder = tmp_path / "in"
    for n in range(3):
        _book(folder, f"b{n}.xlsx")
    rc, out, err = _recalc("--jobs", "300", *PRICE, str(folder))
    assert rc == 0 and started == [3]
    assert batch.worker_count(300, 3) == 3 and batch.worker_count(0, 5) == 1


_DRIVER = """
import sys, time
from sakagare_xl.adapters import functions as real
from sakagare_xl.recalc.batch import Options, expand, run_batch

def slow(fn):
    def call(*args, **kwargs):
        time.sleep(0.05)
        return fn(*args, **kwargs)
    return call

# module-level (picklable by name in the forked workers)
FUNCTIONS = {name: slow(fn) for name, fn in real.FUNCTIONS.items()}
for name, fn in FUNCTIONS.items():
    fn.__qualname__ = fn.__name__ = "F_" + name
    globals()["F_" + name] = fn
tasks, _ = expand([sys.argv[1]])
print("start", flush=True)
run_batch(tasks, Options(FUNCTIONS, {"kopeskilling": 300000.0}), jobs=2, progress=False)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills a process group with SIGKILL (Linux)")
def test_kill_parent_stops_workers(tmp_path):
    """``kill -9`` of the recalc process: its workers stop at once instead of rewriting files on their own."""
    folder = tmp_path / "in"
    for n in range(12):
        _book(folder, f"b{n:02}.xlsx")
    driver = tmp_path / "driver.py"
    driver.write_text(_DRIVER, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(driver), str(folder)], stdout=subprocess.PIPE,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        assert parent.stdout.readline().strip() == b"start"
        workers: list[int] = []
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _children(parent.pid)
        assert len(workers) == 2, "the workers did not start"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers), "a worker outlived its parent"
        snapshot = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
        time.sleep(0.5)
        assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == snapshot, "files still being written"
        for p in folder.iterdir():  # every file is the old or the new workbook, never a broken one
            if p.suffix == ".xlsx":
                assert _price_in(p) in (220000, 300000)
    finally:
        if parent.poll() is None:
            parent.kill()


def _children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (from /proc/*/stat: field 4 is the parent's pid)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def _killer_sak_rad(omrade, *args):
    """SAK_RAD, except that the worker process dies (as the kernel's OOM killer would end it) on the workbook
    whose Fastighet is 'DÖD'."""
    from sakagare_xl.adapters.functions import FUNCTIONS

    if any(cell == "DÖD" for row in omrade for cell in row):
        os._exit(9)
    return FUNCTIONS["SAK_RAD"](omrade, *args)


def test_a_killed_worker_fails_only_its_file(tmp_path):
    """A worker killed on one workbook (out of memory) stops neither the batch nor any other file."""
    from sakagare_xl.adapters.functions import FUNCTIONS

    folder = tmp_path / "in"
    books = [_book(folder, f"b{n}.xlsx") for n in range(3)]
    books[2].write_bytes(bad_workbooks.set_cell(bad_workbooks.example(), "B5", "<is><t>DÖD</t></is>",
                                                ' s="8" t="inlineStr"'))
    before = freeze(books[2])
    tasks, _ = batch.expand([str(folder)])
    options = batch.Options({**FUNCTIONS, "SAK_RAD": _killer_sak_rad}, {"kopeskilling": 300000.0})
    rows = batch.run_batch(tasks, options, jobs=2, progress=False)
    assert [Path(r.path).name for r in rows] == [b.name for b in books]
    assert (rows[2].status, rows[2].errors) == ("avbruten", [
        f"{books[2]}: en arbetsprocess dog under körningen (t.ex. slut på minne eller dödad); filen är den gamla "
        "eller den nya, aldrig en halv – kör recalc igen för den"])
    assert books[2].read_bytes() == before[0] and books[2].stat().st_mtime_ns == before[1]
    for r, b in zip(rows, books):
        if b is not books[2]:
            assert r.status in ("ok", "oförändrad") and _price_in(b) == 300000, r
