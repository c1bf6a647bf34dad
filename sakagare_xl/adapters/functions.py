"""The Excel functions, pure: Excel-shaped arguments in, Excel-shaped results out.

One Python function per Excel function; :data:`FUNCTIONS` maps the Excel name (upper-case
ASCII) to it. :mod:`sakagare_xl.udfs` wraps each in xlwings decorators and turns a
:class:`~sakagare_xl.engine.errors.SakagareError` into what the cell shows; ``recalc`` calls
them directly. Money comes back as floats rounded to öre, blank table rows as ``""``,
column results as a list of one-element rows (one per table row, spilling down).

The seed example (JB 6 kap. 3 §: 700 000 × (15 % + 6 % × 6/12)):

>>> TILLAGG(700000, 0.02, 6)
126000.0
>>> TILLAGG(700000, 0.02, 6) + 700000
826000.0
>>> TILLAGG(100000, 0.02, 2, 116000), TILLAGG(100000, 0.02, 2, 90000)   # E1; a claim below the pantbrev
(16000.0, 0.0)
"""

from __future__ import annotations

import datetime as _dt
import gc
import re
from itertools import chain
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..engine.errors import OgiltigtDatum, OgiltigtVarde, SakagareError, SaknatVarde
from ..engine.model import MAX_MANADER
from .omrade import DISPLAY, HEADER_LABELS, Omrade
from .omrade import las_rader as _las
from .values import (
    ORE,
    as_2d,
    is_blank,
    money,
    normalise,
    ore,
    scalar,
    single,
    to_date,
    to_decimal,
    to_int,
    to_percent,
    to_text,
)

NOLL = Decimal("0.00")

#: values SAK_RAD returns per table row (``kolumn``)
RADKOLUMNER = ("tillagg", "formansratt", "agarhypotek", "skyddad", "status", "utfaller", "brist", "forklaring",
               "block_formansratt", "formansratt_utmatning", "nr")
#: values SAK_SUMMA returns (``kolumn``)
SUMMOR = (
    "skyddsbelopp", "lagsta_bud", "medel", "utdelat", "overskott", "agarhypotek", "kostnader_utfaller", "brist",
    "varningar",
)
#: the heading row FORDELNING writes above its table
FORDELNING_RUBRIK = ["Rad", "Borgenär", "Förmånsrätt", "Utfaller", "Brist"]
#: how a right's status is shown in a cell
STATUSTEXT = {"forbehall": "förbehåll", "upphor": "upphör", "dubbelutrop": "dubbelutrop"}

_PRISKRAV = "kolumnen kräver en köpeskilling"


# --------------------------------------------------------------------------- argument helpers


def _pris(value: Any) -> Decimal | None:
    return to_decimal(scalar(value), "argumentet pris", allow_blank=True, what="priset")


def _ingen_pris() -> SaknatVarde:
    return SaknatVarde(
        "köpeskillingen saknas: ge den som argumentet pris eller på raden Köpeskilling i området.",
        None,
        "argumentet pris",
    )


def _radnr(value: Any, b: "Berakning") -> int:
    """The table row ``rad`` names (1 = the first row under the heading), 0-based."""
    n = to_int(scalar(value), "argumentet rad", allow_blank=False, minimum=1)
    if n > b.antal:
        raise OgiltigtVarde(f"tabellen har {b.antal} rader under rubrikraden; rad {n} finns inte.", None, "argumentet rad")
    return n - 1


_VAL: dict[tuple[str, ...], dict[str, str]] = {}  # choices → {normalised choice: choice}


def _kolumn(value: Any, choices: tuple[str, ...]) -> str:
    value = single(value, "argumentet kolumn")
    table = _VAL.get(choices)
    if table is None:
        table = _VAL[choices] = {normalise(c): c for c in choices}
    if value.__class__ is str and value in table:  # the usual call: SAK_RAD(Sak; 3; "utfaller")
        return table[value]
    hit = table.get(normalise(value))
    if hit is not None:
        return hit
    raise OgiltigtVarde(
        f"okänd kolumn '{to_text(scalar(value))}'; en av {', '.join(choices)} väntades.", None, "argumentet kolumn"
    )


# --------------------------------------------------------------------------- the computation behind a range
#
# What a memo entry keeps is chosen for the garbage collector as much as for speed: it is paused for the one
# computation, and its first young-generation pass afterwards walks every tracked object the computation left
# alive. An entry therefore keeps the per-row values as columns — one list per value, of Decimals, bools, texts
# and ints, none of them tracked — and not the parsed range or the engine's rows (tens of thousands of tracked
# objects for 1 000 rows, docs/performance.md). What only the explanations and the FORDELNING table need is
# recomputed from the entry's copy of the range when one of them is first asked for (the same pure functions
# on the same values give the same result), or kept from the start when the first call asks for it.


#: the per-row columns of a :class:`Berakning` (lists with one value per table row)
KOLUMNER = ("formansratt", "tillagg", "agarhypotek", "skyddad", "status", "utfaller", "brist", "har_fordran",
            "block_formansratt", "formansratt_utmatning", "nr")
_AGARTYPER = frozenset({"agarhypotek", "overhypotek", "utmatt"})
_SIST = 10**9


class Berakning:
    """A computed range: per table row its values in columns (:data:`KOLUMNER`; ``nr`` is ``None`` on a blank
    row, else the row's place in the sakägarförteckning), the sums, and — built when first read — each row's
    explanation sources and the FORDELNING table (``detalj``)."""

    __slots__ = ("lage", "prissatt", "kolumner", "nr", "antal", "summor", "_ut", "_detalj")

    def __init__(self, lage: str, prissatt: bool, kolumner: dict[str, list[Any]], summor: dict[str, Any],
                 detalj: Any = None):
        self.lage = lage
        self.prissatt = prissatt
        self.kolumner = kolumner
        self.nr = kolumner["nr"]
        self.antal = len(self.nr)
        self.summor = summor
        self._ut: dict[str, list[Any]] = {}  # kolumn → what a cell shows, per table row (built when first asked)
        self._detalj = detalj  # (kallor per row, FORDELNING builder), or a function giving it

    def detalj(self) -> tuple[list[Any], Any]:
        d = self._detalj
        if callable(d):
            d = self._detalj = d()
        return d

    @property
    def fordelning(self) -> list[list[Any]]:
        kallor, tabell = self.detalj()
        if callable(tabell):
            tabell = tabell()
            self._detalj = (kallor, tabell)
        return tabell

    def forklaring(self, k: int) -> list[str]:
        """The explanation's sentences for table row ``k`` (0-based), in order: the engine's rows and claim
        results, whose ``forklaring`` renders on first read, or functions giving the text."""
        return [x() if callable(x) else x.forklaring for x in self.detalj()[0][k]]


def _tabell():
    from ..referensranta_data import las_tabell

    return las_tabell()


def _relocated(exc: SakagareError, detail: str, plats: str) -> SakagareError:
    new = type(exc).__new__(type(exc))
    SakagareError.__init__(new, detail, None, plats)
    return new


#: the sale's engine field names (ASCII) as the range's header labels say them, for messages
_HUVUDORD = {key: DISPLAY[key].lower() for key in HEADER_LABELS.values() if DISPLAY[key].lower() != key}
_HUVUDORD_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _HUVUDORD), key=len, reverse=True)) + r")\b")


def _relocate_engine_error(exc: SakagareError, omrade: Omrade, pris: Decimal | None = None) -> SakagareError:
    """Name the cell for an engine error: the table row for ``fordran X`` / ``inskrivning X``, the header
    label and cell (``Fördelningsdag (B11)``) for a field of ``försäljningen``, ``argumentet pris`` for the
    köpeskilling when the price came as an argument. Engine field names in the text of a sale error become
    the header's words (``utmatningsdag`` → ``utmätningsdag``)."""
    where = exc.where or ""
    for prefix in ("fordran ", "inskrivning "):
        if where.startswith(prefix):
            rad = omrade.rad_for_id(where[len(prefix):])
            if rad is not None:
                plats = f"rad {rad.nr} i tabellen (id {rad.id})"
                if exc.field:
                    plats += f", fältet '{exc.field}'"
                return _relocated(exc, exc.detail, plats)
    if where == "försäljningen" and exc.field:
        if exc.field == "kopeskilling" and pris is not None:
            plats = "argumentet pris"
        elif exc.field in DISPLAY:
            plats = omrade.plats_i_huvudet(exc.field) or f"huvudet (ingen rad {DISPLAY[exc.field]})"
        else:
            plats = None
        if plats is not None:
            detail = _HUVUDORD_RE.sub(lambda m: _HUVUDORD[m.group(1)], exc.detail)
            return _relocated(exc, detail, plats)
    return exc


def _motor_a(omrade: Omrade, pris: Decimal | None) -> Any:
    """The engine's result for a case range (mode A), its errors relocated to the range's cells."""
    from ..engine import avgor_dubbelutrop, berakna

    arende = omrade.med_pris(pris)
    try:
        res = berakna(arende, _tabell())
    except SakagareError as exc:
        raise _relocate_engine_error(exc, omrade, pris) from None
    if omrade.dubbelutrop:  # the header's bids decide every dubbelutrop: status förbehåll or upphör
        res = avgor_dubbelutrop(res, omrade.dubbelutrop)
    return res


def _radindex(omrade: Omrade) -> tuple[dict[str, int], dict[str, int]]:
    """inskrivning id → table row, claim id → table row (0-based)."""
    return omrade.inskrivning_rader(), omrade.fordran_rader()


def _rad_k(rad: Any, index: dict[str, int], claim_row: dict[str, int], omrade: Omrade) -> tuple[int | None, bool]:
    """The table row an engine row reports (``None``: the costs, not a table row), and whether it is a post of the
    row's claim ranked apart from the row's pantbrev (the utmätning's, FRL 8 §)."""
    if rad.ids:
        return index.get(rad.ids[0]), False
    if rad.fordran_ids:
        k = claim_row.get(rad.fordran_ids[0])
        return k, k is not None and bool(omrade.rader[k].inskrivning)
    return None, False


def _kolumner_a(omrade: Omrade, res: Any) -> Berakning:
    """The per-row columns and the sums of a case range from the engine's result (one pass over its rows)."""
    prissatt = res.medel is not None
    rader = omrade.rader
    n = len(rader)
    index, claim_row = _radindex(omrade)
    index_get, claim_get = index.get, claim_row.get
    fr, ti, ah = [NOLL] * n, [NOLL] * n, [NOLL] * n
    sk, hf = [False] * n, [False] * n
    st: list[str | None] = [None] * n
    ut: list[Decimal | None] = [None] * n
    br: list[Decimal | None] = [None] * n
    bf: list[Decimal | None] = [None] * n
    fu: list[Decimal | None] = [None] * n
    sett = [False] * n  # an engine row reported on the table row already
    forst = [_SIST] * n  # the first engine row (nr) naming the table row's inskrivning or claim
    for rad in res.rader:
        ids, fids, rnr = rad.ids, rad.fordran_ids, rad.nr
        for i in ids:
            ref = index_get(i)
            if ref is not None and forst[ref] == _SIST:
                forst[ref] = rnr
        for c in fids:
            ref = claim_get(c)
            if ref is not None and forst[ref] == _SIST:
                forst[ref] = rnr
        if ids:  # (_rad_k written out for the usual row)
            k = index_get(ids[0])
            separate = False
        else:
            k, separate = _rad_k(rad, index, claim_row, omrade)
        if k is None:
            continue  # costs: not a table row
        fm = rad.formansratt
        if separate:
            # FRL 8 §: the Förmånsrätt column shows the pantbrev's rank, as the CLI's row does; the part of the
            # claim ranked by the utmätning has its own column (its Utfaller is in the row's Utfaller)
            fu[k] = (fu[k] or NOLL) + fm
        else:
            fr[k] += fm
        if rad.block:  # the row of the block's last pantbrev: the block's post
            bf[k] = rad.block_formansratt
        ti[k] += rad.tillagg
        if rad.typ in _AGARTYPER:
            ah[k] += fm
        if not sett[k]:
            sett[k] = True
            sk[k] = rad.skyddad
        if rad.status:
            st[k] = rad.status
        if prissatt:
            ut[k] = (ut[k] or NOLL) + (rad.utfaller or NOLL)

    fordringar = {f.id: f for f in res.fordringar}
    for cid, k in claim_row.items():  # the row's own claim
        f = fordringar[cid]
        hf[k] = True
        if prissatt:
            br[k] = (br[k] or NOLL) + (f.brist or NOLL)
    for cid, f in fordringar.items():  # the holder's claim on a pantbrev of the row, "P1 (innehav)"
        if cid.endswith(_INNEHAV):
            k = index_get(cid[: -len(_INNEHAV)])
            if k is not None:
                hf[k] = True
                if prissatt:
                    br[k] = (br[k] or NOLL) + (f.brist or NOLL)

    nr: list[int | None] = [None if r.tom else 0 for r in rader]
    if prissatt:
        for k in range(n):
            if ut[k] is None and nr[k] is not None:
                ut[k] = NOLL
    _numrera(nr, forst)

    summor: dict[str, Any] = {
        "skyddsbelopp": res.skyddsbelopp,
        "lagsta_bud": res.lagsta_bud,
        "varningar": " ".join(res.varningar),
    }
    if prissatt:
        kostnader = sum((r.utfaller or NOLL for r in res.rader if r.typ == "kostnader"), NOLL)
        summor.update(
            medel=res.medel,
            utdelat=res.utdelat,
            overskott=res.overskott,
            agarhypotek=res.agarhypotek_till_agaren,
            kostnader_utfaller=kostnader,
            brist=sum((f.brist or NOLL for f in res.fordringar), NOLL),
        )
    kolumner = dict(zip(KOLUMNER, (fr, ti, ah, sk, st, ut, br, hf, bf, fu, nr)))
    return Berakning("A", prissatt, kolumner, summor)


_INNEHAV = " (innehav)"


def _numrera(nr: list[int | None], rang: list[int]) -> None:
    """Number the filled table rows (``nr`` not ``None``) 1, 2, … in priority order: by ``rang`` (the first
    engine row that reports the table row, :data:`_SIST` for none), ties in table order."""
    n = len(nr)
    order = [r * n + k for k, r in enumerate(rang)]  # (rang, k) as one int: k < n
    for place, k in enumerate(sorted((k for k in range(n) if nr[k] is not None), key=order.__getitem__), start=1):
        nr[k] = place


def _detalj_a(omrade: Omrade, res: Any, prissatt: bool) -> tuple[list[Any], Any]:
    """Each table row's explanation sources (the engine's rows reported on it, then its claims' results) and
    the FORDELNING table's builder."""
    index, claim_row = _radindex(omrade)
    kallor: list[list[Any] | None] = [None if r.tom else [] for r in omrade.rader]
    for rad in res.rader:
        k, _separate = _rad_k(rad, index, claim_row, omrade)
        if k is not None:
            kallor[k].append(rad)  # type: ignore[union-attr]
    fordringar = {f.id: f for f in res.fordringar}
    for k, r in enumerate(omrade.rader):
        if kallor[k] is None:
            continue
        ids = [r.fordran] if r.fordran else []
        if r.inskrivning and f"{r.inskrivning}{_INNEHAV}" in fordringar:
            ids.append(f"{r.inskrivning}{_INNEHAV}")
        kallor[k].extend(fordringar[cid] for cid in ids)  # type: ignore[union-attr]

    def tabell() -> list[list[Any]]:
        # FORDELNING: one row per engine row; a claim's brist on the last row that pays it
        last_row_of: dict[str, int] = {}
        for rad in res.rader:
            for cid in rad.fordran_ids:
                last_row_of[cid] = rad.nr
        out: list[list[Any]] = [list(FORDELNING_RUBRIK)]
        for rad in res.rader:
            brist: Decimal | None = None
            if prissatt:
                for cid in rad.fordran_ids:
                    if last_row_of[cid] == rad.nr and cid in fordringar:
                        brist = (brist or NOLL) + (fordringar[cid].brist or NOLL)
            namn = rad.sakagare + (f" ({', '.join(rad.ids)})" if rad.ids else "")
            out.append([rad.nr, namn, money(rad.formansratt), money(rad.utfaller) if prissatt else "", money(brist)])
        if prissatt:
            out.append(["", "Överskott till ägaren", "", money(res.overskott), ""])
        return out

    return kallor, tabell


def _text_lista(x: Any, utfaller: Decimal | None, brist: Decimal | None, prissatt: bool) -> str:
    """The explanation of a row of a precomputed list (built when read)."""
    text = f"{x.borgenar or x.id}: förmånsrätt {money(x.formansratt):.2f} kr på plats {x.ordning}".replace(".", ",")
    if prissatt:
        text += f"; utfaller {money(utfaller):.2f} kr, brist {money(brist):.2f} kr".replace(".", ",")
    return text + "."


def _berakna_b(omrade: Omrade, pris: Decimal | None) -> Berakning:
    from ..engine.fordelning import coverage

    lista = omrade.lista
    exek = next((x for x in lista if x.exekutionsfordran), None)
    prissatt = pris is not None
    utfall = coverage([(x.ordning, x.formansratt) for x in lista], pris) if prissatt else [None] * len(lista)
    by_nr = {x.nr: (x, u) for x, u in zip(lista, utfall)}
    n = len(omrade.rader)
    fr: list[Decimal] = [NOLL] * n
    sk, hf = [False] * n, [False] * n
    ut: list[Decimal | None] = [None] * n
    br: list[Decimal | None] = [None] * n
    nr: list[int | None] = [None] * n
    rang = [_SIST] * n
    kallor: list[list[Any] | None] = [None] * n
    for k, r in enumerate(omrade.rader):
        if r.tom:
            continue
        x, u = by_nr[r.nr]
        nr[k] = 0
        rang[k] = x.ordning
        fr[k] = ore(x.formansratt)
        hf[k] = True
        sk[k] = exek is not None and x.ordning < exek.ordning
        if prissatt:
            ut[k] = u
            grund = x.fordran if x.fordran is not None else x.formansratt
            br[k] = max(ore(grund) - u, NOLL)
        kallor[k] = [partial(_text_lista, x, ut[k], br[k], prissatt)]
    _numrera(nr, rang)
    summor: dict[str, Any] = {"varningar": ""}
    if exek is not None:
        summor["skyddsbelopp"] = summor["lagsta_bud"] = ore(
            sum((x.formansratt for x in lista if x.ordning < exek.ordning), NOLL)
        )
    if prissatt:
        utdelat = sum(utfall, NOLL)
        summor.update(
            medel=ore(pris),
            utdelat=utdelat,
            overskott=ore(pris) - utdelat,
            brist=sum((b for b in br if b is not None), NOLL),
        )

    def tabell() -> list[list[Any]]:
        out: list[list[Any]] = [list(FORDELNING_RUBRIK)]
        for k, (x, u) in enumerate(zip(lista, utfall), start=1):
            b = br[x.nr - 1]  # Listrad.nr is the 1-based table row
            out.append([k, x.borgenar or x.id, money(x.formansratt), money(u) if prissatt else "",
                        money(b) if prissatt else ""])
        if prissatt:
            out.append(["", "Överskott", "", money(summor["overskott"]), ""])
        return out

    none: list[None] = [None] * n
    kolumner = dict(zip(KOLUMNER, (fr, [NOLL] * n, [NOLL] * n, sk, none, ut, br, hf, none, none, nr)))
    return Berakning("B", prissatt, kolumner, summor, (kallor, tabell))


# --------------------------------------------------------------------------- the memo


def _is_bool(value: Any) -> bool:
    return value.__class__ is bool or value.__class__.__name__ == "bool_"  # numpy.bool_ too


_NOLL_ETT = frozenset({0, 1})


def _bool_spots(rows: Any) -> tuple[tuple[tuple[int, int], ...], tuple[bool, ...]]:
    """Where a range could equal another that differs in TRUE/FALSE vs 1/0 (equal in Python): the cells whose
    value is 0 or 1, and which of them are booleans. Built once per memo entry (on a miss). A memoized range's
    cells are hashable, and a cell equal to 0 or 1 hashes as 0 or 1 does, so a row with none is passed over in C
    (a set lookup per cell, ``isdisjoint``)."""
    spots = []
    if not _NOLL_ETT.isdisjoint(chain.from_iterable(rows)):
        for r, row in enumerate(rows):
            if _NOLL_ETT.isdisjoint(row):
                continue
            for c, v in enumerate(row):
                if v is not None and v.__class__ is not str and not isinstance(v, tuple):
                    try:
                        if v == 0 or v == 1:
                            spots.append((r, c))
                    except (TypeError, ValueError):
                        pass
    return tuple(spots), tuple(_is_bool(rows[r][c]) for r, c in spots)


def _freeze(rows: list[list[Any]]) -> tuple:
    """A hashable copy of a range's cells (the test that every cell is hashable: a range holding an unhashable
    cell is not memoized, as its value could change in place)."""
    return tuple(map(tuple, rows))


class _Key:
    """A memo key: a range's rows (a copy of its cells, or the caller's own rows for one lookup) and a hash of
    their size and a few of their rows, not of every cell. Equal keys have equal hashes (equal cells hash
    alike); two ranges that share the sampled rows share a hash and are told apart by comparing every cell,
    once, in C. So a lookup compares the range with an entry instead of hashing the whole range first."""

    __slots__ = ("rows", "hash")

    def __init__(self, rows: Any):
        self.rows = rows
        n = len(rows)
        self.hash = hash((n, tuple(rows[0]), tuple(rows[n // 2]), tuple(rows[-1])))

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if other.__class__ is not _Key or self.hash != other.hash:  # type: ignore[attr-defined]
            return False
        try:
            return bool(self.rows == other.rows)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a cell whose comparison fails (a numpy row) matches nothing
            return False


class _LRU:
    """A small least-recently-used cache: 300 per-cell calls over one range compute once.

    ``valid(entry)`` (optional) may reject a stored entry whose key merely compares equal; it is then
    computed again, counted as a miss, and replaced. ``probe`` (optional) is a key tried first that is never
    stored (one that wraps the caller's own rows); ``key()`` gives the key to look up and store on a miss.
    """

    def __init__(self, size: int = 32):
        self.size = size
        self.data: OrderedDict = OrderedDict()  # key → (the same key, value)
        self.hits = self.misses = 0

    def find(self, key: Any, valid: Callable[[Any], bool] | None = None) -> tuple[Any, Any]:
        """(the stored key, the value) for ``key``, or (``None``, ``None``)."""
        stored = self.data.get(key)
        if stored is not None and (valid is None or valid(stored[1])):
            self.data.move_to_end(stored[0])  # the stored key object itself: found by identity
            self.hits += 1
            return stored
        return None, None

    def put(self, key: Any, value: Any) -> None:
        """Store ``value`` (a miss counted before it was computed), replacing an entry whose key equals ``key``."""
        self.data.pop(key, None)
        self.data[key] = (key, value)
        if len(self.data) > self.size:
            self.data.popitem(last=False)

    def clear(self) -> None:
        self.data.clear()
        self.hits = self.misses = 0


CACHE = _LRU()


#: immutable ranges seen recently: id → (the range, its key, its rows as read)
_FROZEN: OrderedDict = OrderedDict()


def _paused(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` with Python's cyclic garbage collector paused (as recalc does per workbook): a 1 000-row case
    makes tens of thousands of small objects, whose collections walked every live object again (a quarter of
    the engine's time at 1 000 rows). Nothing here makes reference cycles that must be collected; the collector
    is switched back on (when it was on) at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return fn(*args)
    finally:
        if was_enabled:
            gc.enable()


def _compute(rows: list[list[Any]], p: Decimal | None, adress: str | None, detalj: bool) -> Berakning:
    o = _las(rows, adress)
    if o.lage == "B":
        return _berakna_b(o, p)
    res = _motor_a(o, p)
    b = _kolumner_a(o, res)
    # what only the texts need: kept now when this call needs it, else recomputed from the rows when first asked
    b._detalj = _detalj_a(o, res, b.prissatt) if detalj else partial(_paused, _recompute, rows, adress, p)
    return b


def _recompute(rows: list[list[Any]], adress: str | None, p: Decimal | None) -> tuple[list[Any], Any]:
    o = _las(rows, adress)
    res = _motor_a(o, p)
    return _detalj_a(o, res, res.medel is not None)


_ROW_TYPES = frozenset({list, tuple})
_PLAIN_TYPES = frozenset({type(None), str, float, int, bool, Decimal, _dt.date, _dt.datetime})


def _snapshot(omrade: Any) -> tuple[list[list[Any]], list[list[Any]]]:
    """(the memo entry's own copy of the range, which the caller's later changes do not reach; the rows to read,
    as :func:`as_2d` gives them).

    A list (or tuple) of rows is copied row by row with its cells as they are, so that the caller's next list
    of the same cells compares equal to the copy; when its rows are of one length and its cells plain values
    (what xlwings sends) the copy is what :func:`as_2d` would give and is read as it is. Anything else is read
    with :func:`as_2d`, and that is the copy."""
    if type(omrade) in _ROW_TYPES and omrade and _ROW_TYPES.issuperset(map(type, omrade)):
        copy = [list(r) for r in omrade]
        if len(set(map(len, copy))) == 1 and copy[0] and _PLAIN_TYPES.issuperset(
                map(type, chain.from_iterable(copy))):
            return copy, copy
        return copy, as_2d(copy)
    rows = as_2d(omrade)
    return rows, rows


def berakning(omrade: Any, pris: Any = None, *, adress: str | None = None, detalj: bool = False) -> Berakning:
    """Parse the range and compute it (memoized on the range's values, the price and the address).

    ``adress`` is the range's top-left cell (``"B3"``), used only in error messages; ``detalj`` says the caller
    needs the explanations or the FORDELNING table (they are then kept from the start).
    Errors are not cached: they are raised again on every call. Pass a tuple of tuples to skip
    re-reading an unchanged range on every call.

    * A list of rows (what Excel and xlwings send, a new list on every call) is looked up with its own rows
      in the key (no copy, no hash of every cell), compared with an entry's copy cell by cell; such a
      comparison treats TRUE as 1 (they compare equal), so the few cells where that matters are checked too.
    * A tuple of tuples cannot change, so when the very same tuple comes again (recalc passes one object
      to every call in a workbook) its key is reused.
    * Anything else (a DataFrame, a numpy array, a flat list) is read with :func:`as_2d` and looked up
      (and stored) with that copy.
    """
    p = _pris(pris)
    key = None
    if type(omrade) is tuple:
        hit = _FROZEN.get(id(omrade))
        if hit is not None and hit[0] is omrade:
            _FROZEN.move_to_end(id(omrade))
            key, rows = hit[1], hit[2]
    if key is None and type(omrade) in _ROW_TYPES and omrade:
        try:
            probe = _Key(omrade)
        except (TypeError, IndexError):
            probe = None
        if probe is not None:
            entry = _find(probe, p, adress)
            if entry is not None:
                return _mit_detalj(entry, detalj)
    if key is None:
        copy, rows = _snapshot(omrade)
        if rows is not copy:  # (plain cells are hashable: only other ones need the test)
            try:
                hash(_freeze(copy))
            except TypeError:  # an unhashable cell: no memo
                return _paused(_compute, rows, p, adress, detalj)
        try:
            key = _Key(copy)
        except TypeError:
            return _paused(_compute, rows, p, adress, detalj)
        if type(omrade) is tuple and all(type(r) is tuple for r in omrade):
            _FROZEN[id(omrade)] = (omrade, key, rows)
            if len(_FROZEN) > 8:
                _FROZEN.popitem(last=False)
    # (a copy may find what the range itself did not: a DataFrame, tuple rows; a list's own miss costs a dict
    # lookup, a comparison only where the sampled rows' hash matches)
    entry = _find(key, p, adress)
    if entry is not None:
        return _mit_detalj(entry, detalj)
    CACHE.misses += 1
    b = _paused(_compute, rows, p, adress, detalj)
    CACHE.put((key, p, adress), (b, *_bool_spots(key.rows)))
    return b


def _find(key: _Key, p: Decimal | None, adress: str | None) -> Berakning | None:
    rows = key.rows

    def valid(entry: tuple[Berakning, tuple, tuple]) -> bool:
        # the stored rows equal these; they can still differ where one has TRUE and the other 1
        _, spots, flags = entry
        return not spots or tuple(_is_bool(rows[r][c]) for r, c in spots) == flags

    _, entry = CACHE.find((key, p, adress), valid)
    return None if entry is None else entry[0]


def _mit_detalj(b: Berakning, detalj: bool) -> Berakning:
    if detalj and callable(b._detalj):
        b.detalj()
    return b


def _kraver_pris(b: Berakning) -> None:
    if not b.prissatt:
        raise _ingen_pris()


def _visa(b: Berakning, kolumn: str) -> list[Any]:
    """What every table row's cell shows for ``kolumn`` (not ``forklaring``): blank rows ``""``, money as floats
    rounded to öre."""
    c = b.kolumner
    nr = b.nr
    if kolumn == "formansratt":
        return ["" if n is None else money(v) for n, v in zip(nr, c["formansratt"])]
    if kolumn in ("tillagg", "agarhypotek"):
        if b.lage != "A":
            return [""] * b.antal
        return ["" if n is None else money(v) for n, v in zip(nr, c[kolumn])]
    if kolumn == "skyddad":
        return ["" if n is None else v for n, v in zip(nr, c["skyddad"])]
    if kolumn == "status":
        return ["" if n is None else STATUSTEXT.get(v or "", "") for n, v in zip(nr, c["status"])]
    if kolumn == "utfaller":  # money() written out: the column COVERAGE returns
        return ["" if n is None else float((v if v is not None else NOLL).quantize(ORE, ROUND_HALF_UP))
                for n, v in zip(nr, c["utfaller"])]
    if kolumn == "brist":
        return ["" if n is None else money(v) if h else "" for n, v, h in zip(nr, c["brist"], c["har_fordran"])]
    if kolumn == "nr":
        return ["" if n is None else n for n in nr]
    if kolumn in ("block_formansratt", "formansratt_utmatning"):
        return ["" if n is None or v is None else money(v) for n, v in zip(nr, c[kolumn])]
    raise AssertionError(kolumn)


def _kolumnvarde(b: Berakning, k: int, kolumn: str) -> Any:
    """The cell value of table row ``k`` (0-based) for ``kolumn``."""
    if b.nr[k] is None:
        return ""
    if kolumn in ("utfaller", "brist"):
        _kraver_pris(b)
    if kolumn == "forklaring":
        return " ".join(b.forklaring(k))
    ut = b._ut.get(kolumn)
    if ut is None:
        ut = b._ut[kolumn] = _visa(b, kolumn)
    return ut[k]


def _kolumn_ut(b: Berakning, kolumn: str) -> list[list[Any]]:
    ut = b._ut.get(kolumn)
    if ut is None:
        ut = b._ut[kolumn] = _visa(b, kolumn)
    return [[x] for x in ut] or [[""]]


# --------------------------------------------------------------------------- the Excel functions


def TILLAGG(inteckning: Any, ref_rate: Any, months: Any, fordran: Any = None) -> float:
    """Tilläggets tak för ett pantbrev vid en fast referensränta under ett antal månader (JB 6 kap. 3 §);
    med en fordran det tillägg som faktiskt används: min(fordran − inteckning, tak), aldrig under 0."""
    from ..engine.tillagg import tillagg_anvant, tillagg_tak

    belopp = to_decimal(scalar(inteckning), "argumentet inteckning", what="inteckningsbeloppet")
    ranta = to_percent(scalar(ref_rate), "argumentet ref_rate")
    manader = to_decimal(scalar(months), "argumentet months", what="antalet månader", maximum=MAX_MANADER)
    tak = tillagg_tak(belopp, ranta, manader)
    f = to_decimal(scalar(fordran), "argumentet fordran", allow_blank=True, what="fordran")
    if f is not None:
        return money(tillagg_anvant(belopp, f, tak))
    return money(tak)


def TILLAGG_DATUM(
    inteckning: Any,
    fran: Any,
    till: Any,
    fordran: Any = None,
    sakagarforteckningsdag: Any = None,
    tidsberakning: Any = None,
) -> float:
    """Tilläggets tak (eller, med fordran, det använda tillägget) från två datum med den medföljande
    referensräntetabellen, halvår för halvår (JB 6 kap. 3 §)."""
    from ..engine.tillagg import tillagg_anvant, tillagg_tak_datum

    belopp = to_decimal(scalar(inteckning), "argumentet inteckning", what="inteckningsbeloppet")
    d1 = to_date(scalar(fran), "argumentet fran", allow_blank=False)
    d2 = to_date(scalar(till), "argumentet till", allow_blank=False)
    if d2 < d1:
        raise OgiltigtDatum(
            f"till ({d2.isoformat()}) ligger före fran ({d1.isoformat()}); byt plats på datumen.",
            None,
            "argumenten fran och till",
        )
    sfd = to_date(scalar(sakagarforteckningsdag), "argumentet sakagarforteckningsdag")
    metod = "manader"
    if not is_blank(single(tidsberakning, "argumentet tidsberakning")):
        metod = {"manader": "manader", "dagar": "dagar"}.get(normalise(scalar(tidsberakning)), "")
        if not metod:
            raise OgiltigtVarde(
                f"'manader' eller 'dagar' väntades, inte '{to_text(scalar(tidsberakning))}'.",
                None,
                "argumentet tidsberakning",
            )
    tak = tillagg_tak_datum(belopp, d1, d2, _tabell(), sakagarforteckningsdag=sfd, tidsberakning=metod)
    f = to_decimal(scalar(fordran), "argumentet fordran", allow_blank=True, what="fordran")
    if f is not None:
        return money(tillagg_anvant(belopp, f, tak.tak))
    return money(tak.tak)


def REFERENSRANTA(datum: Any) -> float:
    """Referensräntan (som andel: 0,02 = 2 %) som gäller en viss dag enligt den medföljande tabellen
    (Räntelagen 9 §, JB 6 kap. 3 §)."""
    dag = to_date(scalar(datum), "argumentet datum", allow_blank=False)
    return float(_tabell().ranta(dag) / 100)


def COVERAGE(omrade: Any, pris: Any = None, *, adress: str | None = None) -> list[list[Any]]:
    """Vad varje tabellrad får ut vid ett pris: kapital + tillägg + ägarhypotek på den inskrivningen,
    rättigheter 0, tomma rader tomma (UB 13 kap., JB 6 kap. 3 §). En kolumn, en rad per tabellrad."""
    b = berakning(omrade, pris, adress=adress)
    _kraver_pris(b)
    return _kolumn_ut(b, "utfaller")


def SKYDDSBELOPP(omrade: Any, *, adress: str | None = None) -> float:
    """Skyddsbeloppet = lägsta godtagbara bud: kostnaderna och allt med bättre rätt än
    exekutionsfordran (UB 12 kap. 29 §)."""
    b = berakning(omrade, None, adress=adress)
    if "skyddsbelopp" not in b.summor:
        raise SaknatVarde("listan har ingen rad med Exekutionsfordran = Ja.", None, "argumentet omrade")
    return money(b.summor["skyddsbelopp"])


def BRIST(omrade: Any, pris: Any = None, *, adress: str | None = None) -> list[list[Any]]:
    """Bristen för fordran på varje tabellrad vid ett pris (fordran − utfall, aldrig under 0);
    tomt där raden inte bär någon fordran. En kolumn, en rad per tabellrad."""
    b = berakning(omrade, pris, adress=adress)
    _kraver_pris(b)
    return _kolumn_ut(b, "brist")


def OVERSKOTT(omrade: Any, pris: Any = None, *, adress: str | None = None) -> float:
    """Överskottet till ägaren: det som blir kvar när alla rader fått sitt (UB 13 kap.)."""
    b = berakning(omrade, pris, adress=adress)
    _kraver_pris(b)
    return money(b.summor["overskott"])


def FORDELNING(omrade: Any, pris: Any = None, *, adress: str | None = None) -> list[list[Any]]:
    """Fördelningen som tabell med rubrikrad: Rad, Borgenär, Förmånsrätt, Utfaller, Brist; en rad per
    rad i förteckningen (kostnader och ägarhypotek inräknade) och sist överskottet (UB 13 kap.)."""
    b = berakning(omrade, pris, adress=adress, detalj=True)
    _kraver_pris(b)
    return [list(r) for r in b.fordelning]


def FORKLARING(omrade: Any, rad: Any, pris: Any = None, *, adress: str | None = None) -> str:
    """Förklaringen på svenska av siffrorna för en tabellrad (rad 1 = första raden under rubrikraden)."""
    b = berakning(omrade, pris, adress=adress, detalj=True)
    return _kolumnvarde(b, _radnr(rad, b), "forklaring")


def SAK_RAD(omrade: Any, rad: Any, kolumn: Any, pris: Any = None, *, adress: str | None = None) -> Any:
    """Ett värde för en tabellrad: kolumn är tillagg, formansratt, agarhypotek, skyddad, status,
    utfaller, brist, forklaring, block_formansratt (blockets förmånsrätt tillhopa, på raden för blockets sista
    pantbrev) eller formansratt_utmatning (den del av radens fordran som har förmånsrätt genom utmätningen,
    FRL 8 §) eller nr (radens plats i sakägarförteckningen, 1 = bäst rätt, bland de ifyllda raderna); rad 1 =
    första raden under rubrikraden (tomma rader räknas)."""
    k = _kolumn(kolumn, RADKOLUMNER)
    b = berakning(omrade, pris, adress=adress, detalj=k == "forklaring")
    return _kolumnvarde(b, _radnr(rad, b), k)


def SAK_SUMMA(omrade: Any, kolumn: Any, pris: Any = None, *, adress: str | None = None) -> Any:
    """Ett summavärde för hela området: skyddsbelopp, lagsta_bud, medel, utdelat, overskott, agarhypotek
    (till ägaren), kostnader_utfaller, brist (summa) eller varningar (UB 12 kap. 29 §, 13 kap.)."""
    k = _kolumn(kolumn, SUMMOR)
    b = berakning(omrade, pris, adress=adress)
    if k in ("skyddsbelopp", "lagsta_bud") and k not in b.summor:
        raise SaknatVarde("listan har ingen rad med Exekutionsfordran = Ja.", None, "argumentet omrade")
    if k == "varningar":
        return b.summor["varningar"]
    if k not in b.summor:
        if b.prissatt:  # mode B has no separate ägarhypotek or costs
            raise OgiltigtVarde(f"'{k}' finns inte för en färdig lista.", None, "argumentet kolumn")
        raise _ingen_pris()
    return money(b.summor[k])


#: Excel name → pure implementation (the recalc helper and :mod:`sakagare_xl.udfs` use this)
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "TILLAGG": TILLAGG,
    "TILLAGG_DATUM": TILLAGG_DATUM,
    "REFERENSRANTA": REFERENSRANTA,
    "COVERAGE": COVERAGE,
    "SKYDDSBELOPP": SKYDDSBELOPP,
    "BRIST": BRIST,
    "OVERSKOTT": OVERSKOTT,
    "FORDELNING": FORDELNING,
    "FORKLARING": FORKLARING,
    "SAK_RAD": SAK_RAD,
    "SAK_SUMMA": SAK_SUMMA,
}

#: functions whose first argument is a Sak range (they accept ``adress=`` for error messages)
RANGE_FUNCTIONS = ("COVERAGE", "SKYDDSBELOPP", "BRIST", "OVERSKOTT", "FORDELNING", "FORKLARING", "SAK_RAD", "SAK_SUMMA")

