"""Safe reading of an .xlsx/.xlsm package and byte-faithful rewriting of its zip.

Reading: the file is checked before anything is parsed — an OLE compound file (``D0 CF 11 E0``) is an
encrypted/password-protected workbook or a legacy .xls; anything that is not a zip, a corrupt zip, an
encrypted zip member, a member whose uncompressed size or compression ratio is out of bounds (zip bomb),
and XML with a DOCTYPE (entity expansion, "billion laughs", external entities) are all refused with a
Swedish message. XML parts are parsed with lxml with entity resolution and network access off.

Writing (:func:`rewrite_zip`): members that did not change are copied as raw bytes (local header,
compressed data, data descriptor) in their original order; the central directory records are copied and
only their offsets — and for changed members CRC and sizes — are updated. A changed member is deflated at
the level its header says it was written with.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

#: caps (bytes). A sakägarförteckning is a few hundred kB; a genuine sheet of 1 000 000 cells is 50–150 MB of
#: XML deflated 7–10:1 and passes. A zip bomb is told by its ratio (text deflates at most ~1 000:1; real
#: sheets stay well below 50:1), the absolute caps bound the memory one file may take (docs/recalc.md).
MAX_FILE_SIZE = 512 * 1024 * 1024
MAX_MEMBER_SIZE = 512 * 1024 * 1024
MAX_TOTAL_SIZE = 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, checked for members above RATIO_MIN_SIZE
RATIO_MIN_SIZE = 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_OFFICE_DOC = "/officeDocument"
REL_WORKSHEET = "/worksheet"
REL_SHARED_STRINGS = "/sharedStrings"

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
)
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class PackageError(Exception):
    """A file that cannot be read as a workbook; ``str()`` is the Swedish message (without the file name)."""

    def __init__(self, message: str, status: str = "felaktig fil"):
        super().__init__(message)
        self.status = status


def _decoded(data: bytes) -> bytes | None:
    """A UTF-16/UTF-32 part (by its byte order mark or its first ``<``) as UTF-8, so the DOCTYPE check sees its
    text whatever the encoding; ``None`` for the usual UTF-8 (or single-byte) part."""
    head = data[:4]
    for bom, enc in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
                     (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be")):
        if head.startswith(bom):
            return data.decode(enc, errors="replace").encode("utf-8")
    m = _DECLARED.match(data)
    if m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        try:  # an ASCII-compatible declaration of another encoding (UTF-7 hides "<!" as "+ADw-!")
            return data.decode(m.group(1).decode("ascii"), errors="replace").encode("utf-8")
        except (LookupError, ValueError):
            return None  # an encoding Python does not know: lxml refuses it too, or parse_xml's check sees it
    return None


_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def check_xml(data: bytes, member: str) -> None:
    """Refuse XML with a DOCTYPE or entity declarations; OOXML parts never have one. The check is made on the
    decoded text, so a DOCTYPE in a UTF-16 part is seen too."""
    text = _decoded(data)
    if text is not None:
        data = text
    if _DOCTYPE.search(data, 0, 4096) or (b"<!" in data and _DOCTYPE.search(data)):
        raise PackageError(
            f"delen {member} innehåller en DOCTYPE/ENTITY-deklaration (möjlig XML-bomb); filen läses inte",
            "osäker fil",
        )


def parse_xml(data: bytes, member: str) -> etree._Element:
    check_xml(data, member)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"delen {member} är inte giltig XML ({exc.msg})") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:  # whatever encoding hid it from check_xml
        raise PackageError(
            f"delen {member} innehåller en DOCTYPE/ENTITY-deklaration (möjlig XML-bomb); filen läses inte",
            "osäker fil",
        )
    return root


@dataclass
class Package:
    """An opened workbook package: the raw file bytes and its zip directory."""

    data: bytes
    zf: zipfile.ZipFile
    infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    _read: dict[str, bytes] = field(default_factory=dict)
    total_read: int = 0

    def has(self, name: str) -> bool:
        return name in self.infos

    def read(self, name: str) -> bytes:
        """Read a member with the size caps enforced on the real (not the declared) size."""
        if name in self._read:
            return self._read[name]
        info = self.infos.get(name)
        if info is None:
            raise PackageError(f"delen {name} saknas i filen", "inte en arbetsbok")
        check_member(info)
        try:
            with self.zf.open(info) as fh:
                out = fh.read(MAX_MEMBER_SIZE + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise PackageError(f"delen {name} går inte att packa upp ({exc}); filen är skadad") from None
        except ValueError:  # a local header offset that points before the start of the file
            raise PackageError(f"delen {name} går inte att packa upp (fel position i zip-filen); filen är skadad") from None
        if len(out) > MAX_MEMBER_SIZE:
            raise PackageError(f"delen {name} är större än {MAX_MEMBER_SIZE} byte; möjlig zip-bomb", "osäker fil")
        self.total_read += len(out)
        if self.total_read > MAX_TOTAL_SIZE:
            raise PackageError(f"filen packas upp till mer än {MAX_TOTAL_SIZE} byte; möjlig zip-bomb", "osäker fil")
        self._read[name] = out
        return out


def check_member(info: zipfile.ZipInfo) -> None:
    """Refuse an encrypted member, and one whose declared size or ratio is a zip bomb's (checked again on the
    real size while reading)."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise PackageError("filen är krypterad (lösenordsskyddad zip)", "krypterad")
    if info.file_size > MAX_MEMBER_SIZE:
        raise PackageError(
            f"delen {name} är {info.file_size} byte okomprimerad (gräns {MAX_MEMBER_SIZE}); möjlig zip-bomb",
            "osäker fil",
        )
    if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise PackageError(
            f"delen {name} packas upp {info.file_size // max(info.compress_size, 1)} gånger "
            f"(gräns {MAX_RATIO}); möjlig zip-bomb",
            "osäker fil",
        )


def open_package(data: bytes) -> Package:
    """Open the bytes of a file as a workbook package or raise :class:`PackageError`."""
    if len(data) > MAX_FILE_SIZE:
        raise PackageError(f"filen är större än {MAX_FILE_SIZE} byte", "för stor")
    if data[:8] == OLE_MAGIC:
        raise PackageError(
            "filen är krypterad/lösenordsskyddad eller en gammal .xls (OLE-format); "
            "spara den utan lösenord som .xlsx eller .xlsm",
            "krypterad",
        )
    if data[:4] != b"PK\x03\x04":
        if not data:
            raise PackageError("filen är tom", "inte en arbetsbok")
        raise PackageError("filen är ingen Excel-arbetsbok (.xlsx/.xlsm är zip-filer)", "inte en arbetsbok")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = {}
        for info in zf.infolist():
            if info.filename in infos:
                raise PackageError(f"delen {info.filename} finns två gånger i zip-filen; filen är skadad")
            infos[info.filename] = info
    except zipfile.BadZipFile as exc:
        raise PackageError(f"zip-filen är skadad ({exc})") from None
    except (ValueError, OSError, EOFError) as exc:
        raise PackageError(f"zip-filen är skadad ({exc})") from None
    total = sum(i.file_size for i in infos.values())
    if total > MAX_TOTAL_SIZE:
        raise PackageError(f"filen packas upp till {total} byte (gräns {MAX_TOTAL_SIZE}); möjlig zip-bomb", "osäker fil")
    for info in infos.values():  # every member, also one recalc never reads (it would be copied as it is)
        if info.flag_bits & 0x1:
            raise PackageError("filen är krypterad (lösenordsskyddad zip)", "krypterad")
    pkg = Package(data, zf, infos)
    if not (pkg.has("[Content_Types].xml") and (pkg.has("xl/workbook.xml") or pkg.has("_rels/.rels"))):
        raise PackageError("zip-filen är ingen Excel-arbetsbok (workbook.xml saknas)", "inte en arbetsbok")
    return pkg


def rels_path(part: str) -> str:
    d, _, base = part.rpartition("/")
    return f"{d}/_rels/{base}.rels" if d else f"_rels/{base}.rels"


def resolve_target(source_part: str, target: str) -> str:
    """Resolve a relationship target relative to the part that owns the relationship."""
    if target.startswith("/"):
        return target[1:]
    parts = source_part.split("/")[:-1]
    for seg in target.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def read_rels(pkg: Package, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type suffix, target part) for ``part``; empty when it has none."""
    path = rels_path(part)
    if not pkg.has(path):
        return {}
    root = parse_xml(pkg.read(path), path)
    out = {}
    for rel in root.iter(f"{{{NS_PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        typ = rel.get("Type", "")
        out[rel.get("Id", "")] = (typ[typ.rfind("/"):], resolve_target(part, rel.get("Target", "")))
    return out


def workbook_part(pkg: Package) -> str:
    if pkg.has("_rels/.rels"):
        for typ, target in read_rels(pkg, "").values():
            if typ == REL_OFFICE_DOC and pkg.has(target):
                return target
    if pkg.has("xl/workbook.xml"):
        return "xl/workbook.xml"
    raise PackageError("zip-filen är ingen Excel-arbetsbok (workbook.xml saknas)", "inte en arbetsbok")


# ---------------------------------------------------------------- writing

_DEFLATE_LEVEL = {0: 6, 1: 9, 2: 1, 3: 1}  # general-purpose flag bits 1-2 (APPNOTE 4.4.4)


def _compress(data: bytes, info: zipfile.ZipInfo) -> bytes:
    if info.compress_type == zipfile.ZIP_STORED:
        return data
    level = _DEFLATE_LEVEL[(info.flag_bits >> 1) & 3]
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush()


def rewrite_zip(pkg: Package, changed: dict[str, bytes]) -> bytes:
    """The package's bytes with the members in ``changed`` replaced and everything else byte for byte."""
    try:
        return _rewrite_raw(pkg, changed)
    except _Unsupported:
        return _rewrite_zipfile(pkg, changed)


class _Unsupported(Exception):
    pass


def _rewrite_raw(pkg: Package, changed: dict[str, bytes]) -> bytes:
    data = pkg.data
    zf = pkg.zf
    infos = zf.infolist()
    start_dir = getattr(zf, "start_dir", None)
    if start_dir is None or any(i.compress_type not in (0, 8) for i in infos if i.filename in changed):
        raise _Unsupported
    eocd = data.rfind(b"PK\x05\x06")
    if eocd < 0 or data.rfind(b"PK\x06\x06") >= 0 or data.rfind(b"PK\x06\x07") >= 0:
        raise _Unsupported  # zip64: let zipfile do it
    # central directory records, in directory order
    records = []
    pos = start_dir
    for info in infos:
        if data[pos:pos + 4] != b"PK\x01\x02":
            raise _Unsupported
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        end = pos + 46 + n + m + k
        records.append((info, bytearray(data[pos:end])))
        pos = end
    if pos != eocd:
        raise _Unsupported
    by_offset = sorted(infos, key=lambda i: i.header_offset)
    if by_offset and by_offset[0].header_offset != 0:
        raise _Unsupported
    bounds = [i.header_offset for i in by_offset[1:]] + [start_dir]
    out = bytearray()
    new_offset: dict[str, int] = {}
    new_meta: dict[str, tuple[int, int, int, int]] = {}
    for info, stop in zip(by_offset, bounds):
        off = info.header_offset
        if data[off:off + 4] != b"PK\x03\x04":
            raise _Unsupported
        new_offset[info.filename] = len(out)
        if info.filename not in changed:
            out += data[off:stop]
            continue
        n, m = struct.unpack_from("<HH", data, off + 26)
        header = bytearray(data[off:off + 30 + n + m])
        raw = changed[info.filename]
        comp = _compress(raw, info)
        crc = zlib.crc32(raw) & 0xFFFFFFFF
        flags = struct.unpack_from("<H", header, 6)[0] & ~0x8
        struct.pack_into("<H", header, 6, flags)
        struct.pack_into("<III", header, 14, crc, len(comp), len(raw))
        new_meta[info.filename] = (flags, crc, len(comp), len(raw))
        out += header
        out += comp
    cd_start = len(out)
    for info, rec in records:
        if info.filename in new_meta:
            flags, crc, csize, usize = new_meta[info.filename]
            struct.pack_into("<H", rec, 8, flags)
            struct.pack_into("<III", rec, 16, crc, csize, usize)
        struct.pack_into("<I", rec, 42, new_offset[info.filename])
        out += rec
    end = bytearray(data[eocd:])
    struct.pack_into("<II", end, 12, len(out) - cd_start, cd_start)
    out += end
    return bytes(out)


def _rewrite_zipfile(pkg: Package, changed: dict[str, bytes]) -> bytes:  # pragma: no cover - rare layouts
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in pkg.zf.infolist():
            body = changed.get(info.filename)
            if body is None:
                body = pkg.read(info.filename)
            out.writestr(info, body, compress_type=info.compress_type)
        out.comment = pkg.zf.comment
    return buf.getvalue()
