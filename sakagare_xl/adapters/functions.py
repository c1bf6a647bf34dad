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

import gc
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from decimal import Decimal
from typing import Any

from ..engine.errors import OgiltigtDatum, OgiltigtVarde, SakagareError, SaknatVarde
from ..engine.model import MAX_MANADER
from .omrade import DISPLAY, HEADER_LABELS, Omrade, Tabellrad, las_omrade
from .values import (
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


def _radnr(value: Any, omrade: Omrade) -> Tabellrad:
    n = to_int(scalar(value), "argumentet rad", allow_blank=False, minimum=1)
    if n > len(omrade.rader):
        raise OgiltigtVarde(
            f"tabellen har {len(omrade.rader)} rader under rubrikraden; rad {n} finns inte.", None, "argumentet rad"
        )
    return omrade.rader[n - 1]


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


@dataclass(slots=True)
class Radvarde:
    """What the engine reports for one table row (blank rows have none).

    The explanation is kept as its sources (``kallor``: the engine's rows and claim results, whose
    ``forklaring`` renders on first read, or a function giving the text) and put into words only when
    ``FORKLARING`` / ``SAK_RAD(…; "forklaring")`` asks: building every row's Swedish sentence was a
    quarter of a ``COVERAGE`` over 1 000 rows, which never shows it (docs/performance.md)."""

    formansratt: Decimal = NOLL
    tillagg: Decimal = NOLL
    agarhypotek: Decimal = NOLL
    skyddad: bool = False
    status: str | None = None
    utfaller: Decimal | None = None
    brist: Decimal | None = None
    kallor: list[Any] = field(default_factory=list)
    har_fordran: bool = False
    block_formansratt: Decimal | None = None  # on the row of a block's last pantbrev: the block's one post
    formansratt_utmatning: Decimal | None = None  # the claim's part ranked by the utmätning (FRL 8 §), apart
    nr: int = 0  # the row's place in the sakägarförteckning (1 = best right), counting filled table rows

    @property
    def forklaring(self) -> list[str]:
        """The explanation's sentences, in order."""
        return [k() if callable(k) else k.forklaring for k in self.kallor]


def _numrera(vals: list[Radvarde | None], rang: dict[int, int]) -> None:
    """Number the filled table rows 1, 2, … in priority order: by ``rang`` (the first engine row that
    reports the table row), ties and rows without an engine row of their own in table order."""
    filled = [k for k, v in enumerate(vals) if v is not None]
    for place, k in enumerate(sorted(filled, key=lambda k: (rang.get(k, _SIST), k)), start=1):
        vals[k].nr = place  # type: ignore[union-attr]


_SIST = 10**9


class Berakning:
    """A parsed range with its engine result and the per-row values. The FORDELNING table is built
    when first read (``tabell`` is the function that builds it): COVERAGE and BRIST never need it."""

    __slots__ = ("omrade", "prissatt", "rader", "summor", "_tabell")

    def __init__(self, omrade: Omrade, prissatt: bool, rader: list[Radvarde | None], summor: dict[str, Any],
                 tabell: Callable[[], list[list[Any]]]):
        self.omrade = omrade
        self.prissatt = prissatt
        self.rader = rader
        self.summor = summor
        self._tabell: Any = tabell

    @property
    def fordelning(self) -> list[list[Any]]:
        if callable(self._tabell):
            self._tabell = self._tabell()
        return self._tabell


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


def _berakna_a(omrade: Omrade, pris: Decimal | None) -> Berakning:
    from ..engine import avgor_dubbelutrop, berakna

    arende = omrade.med_pris(pris)
    try:
        res = berakna(arende, _tabell())
    except SakagareError as exc:
        raise _relocate_engine_error(exc, omrade, pris) from None
    if omrade.dubbelutrop:  # the header's bids decide every dubbelutrop: status förbehåll or upphör
        res = avgor_dubbelutrop(res, omrade.dubbelutrop)
    prissatt = res.medel is not None
    index = {r.inskrivning: k for k, r in enumerate(omrade.rader) if r.inskrivning}
    claim_row = {r.fordran: k for k, r in enumerate(omrade.rader) if r.fordran}
    vals: list[Radvarde | None] = [None if r.tom else Radvarde() for r in omrade.rader]
    fordringar = {f.id: f for f in res.fordringar}
    rang: dict[int, int] = {}  # table row -> the first engine row (nr) that names its inskrivning or claim
    for rad in res.rader:
        for ref in (*(index.get(i) for i in rad.ids), *(claim_row.get(c) for c in rad.fordran_ids)):
            if ref is not None:
                rang.setdefault(ref, rad.nr)

    for rad in res.rader:
        k = None
        separate = False  # a post of the row's claim ranked apart from the row's pantbrev: the utmätning's
        if rad.ids:
            k = index.get(rad.ids[0])
        elif rad.fordran_ids:
            k = claim_row.get(rad.fordran_ids[0])
            separate = k is not None and bool(omrade.rader[k].inskrivning)
        if k is None:
            continue  # costs: not a table row
        v = vals[k]
        assert v is not None
        first = not v.kallor
        if separate:
            # FRL 8 §: the Förmånsrätt column shows the pantbrev's rank, as the CLI's row does; the part of the
            # claim ranked by the utmätning has its own column (its Utfaller is in the row's Utfaller)
            v.formansratt_utmatning = (v.formansratt_utmatning or NOLL) + rad.formansratt
        else:
            v.formansratt += rad.formansratt
        if rad.block:  # the row of the block's last pantbrev: the block's post
            v.block_formansratt = rad.block_formansratt
        v.tillagg += rad.tillagg
        if rad.typ in ("agarhypotek", "overhypotek", "utmatt"):
            v.agarhypotek += rad.formansratt
        if first:
            v.skyddad = rad.skyddad
        if rad.status:
            v.status = rad.status
        if prissatt:
            v.utfaller = (v.utfaller or NOLL) + (rad.utfaller or NOLL)
        v.kallor.append(rad)

    for k, r in enumerate(omrade.rader):
        v = vals[k]
        if v is None:
            continue
        ids = [r.fordran] if r.fordran else []
        if r.inskrivning and f"{r.inskrivning} (innehav)" in fordringar:
            ids.append(f"{r.inskrivning} (innehav)")
        for cid in ids:
            f = fordringar[cid]
            v.har_fordran = True
            if prissatt:
                v.brist = (v.brist or NOLL) + (f.brist or NOLL)
            v.kallor.append(f)
        if prissatt and v.utfaller is None:
            v.utfaller = NOLL
    _numrera(vals, rang)

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

    return Berakning(omrade, prissatt, vals, summor, tabell)


def _text_lista(x: Any, v: Radvarde, prissatt: bool) -> str:
    """The explanation of a row of a precomputed list (built when read, see :class:`Radvarde`)."""
    text = f"{x.borgenar or x.id}: förmånsrätt {money(x.formansratt):.2f} kr på plats {x.ordning}".replace(".", ",")
    if prissatt:
        text += f"; utfaller {money(v.utfaller):.2f} kr, brist {money(v.brist):.2f} kr".replace(".", ",")
    return text + "."


def _berakna_b(omrade: Omrade, pris: Decimal | None) -> Berakning:
    from ..engine.fordelning import coverage

    lista = omrade.lista
    exek = next((x for x in lista if x.exekutionsfordran), None)
    prissatt = pris is not None
    utfall = coverage([(x.ordning, x.formansratt) for x in lista], pris) if prissatt else [None] * len(lista)
    by_nr = {x.nr: (x, u) for x, u in zip(lista, utfall)}
    vals: list[Radvarde | None] = []
    for r in omrade.rader:
        if r.tom:
            vals.append(None)
            continue
        x, u = by_nr[r.nr]
        v = Radvarde(formansratt=ore(x.formansratt), har_fordran=True)
        v.skyddad = exek is not None and x.ordning < exek.ordning
        if prissatt:
            v.utfaller = u
            grund = x.fordran if x.fordran is not None else x.formansratt
            v.brist = max(ore(grund) - u, NOLL)
        v.kallor.append(partial(_text_lista, x, v, prissatt))
        vals.append(v)
    _numrera(vals, {k: by_nr[r.nr][0].ordning for k, r in enumerate(omrade.rader) if not r.tom})
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
            brist=sum((v.brist for v in vals if v is not None), NOLL),
        )

    def tabell() -> list[list[Any]]:
        out: list[list[Any]] = [list(FORDELNING_RUBRIK)]
        for k, (x, u) in enumerate(zip(lista, utfall), start=1):
            v = vals[x.nr - 1]  # Listrad.nr is the 1-based table row
            out.append([k, x.borgenar or x.id, money(x.formansratt), money(u) if prissatt else "",
                        money(v.brist) if prissatt else ""])
        if prissatt:
            out.append(["", "Överskott", "", money(summor["overskott"]), ""])
        return out

    return Berakning(omrade, prissatt, vals, summor, tabell)


def _freeze(rows: list[list[Any]]) -> tuple:
    """A hashable cache key for the range. TRUE == 1 in Python, so booleans are tagged (1 and 1.0
    mean the same to every coercion here, but TRUE and 1 do not: 'Ja' vs '1' as text)."""
    out = []
    for row in rows:
        if bool in set(map(type, row)):
            out.append(tuple(("bool", c) if c.__class__ is bool else c for c in row))
        else:
            out.append(tuple(row))
    return tuple(out)


def _is_bool(value: Any) -> bool:
    return value.__class__ is bool or value.__class__.__name__ == "bool_"  # numpy.bool_ too


def _bool_spots(key: tuple) -> tuple[tuple[tuple[int, int], ...], tuple[bool, ...]]:
    """Where a key could equal another that differs in TRUE/FALSE vs 1/0: the cells whose value is 0 or 1,
    and which of them are booleans. Built once per cache entry (on a miss)."""
    spots = []
    for r, row in enumerate(key):
        for c, v in enumerate(row):
            if v is not None and v.__class__ is not str and not isinstance(v, tuple):
                try:
                    if v == 0 or v == 1:
                        spots.append((r, c))
                except (TypeError, ValueError):
                    pass
    return tuple(spots), tuple(_is_bool(key[r][c]) for r, c in spots)


class _Key:
    """A cache key that hashes its (large) value once: a range's key is thousands of cells, and a dict
    lookup would otherwise hash it again for every operation."""

    __slots__ = ("value", "hash")

    def __init__(self, value: Any):
        self.value = value
        self.hash = hash(value)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return self is other or (
            other.__class__ is _Key and self.hash == other.hash and self.value == other.value  # type: ignore[attr-defined]
        )


class _LRU:
    """A small least-recently-used cache: 300 per-cell calls over one range compute once.

    ``valid(entry)`` (optional) may reject a stored entry whose key merely compares equal; it is then
    computed again, counted as a miss, and replaced. One hash and one comparison of the key per call.
    """

    def __init__(self, size: int = 32):
        self.size = size
        self.data: OrderedDict = OrderedDict()  # _Key → (the same _Key, value)
        self.hits = self.misses = 0

    def get(self, key: Any, compute: Callable[[], Any], valid: Callable[[Any], bool] | None = None) -> Any:
        try:
            k = _Key(key)
        except TypeError:
            return compute()
        stored = self.data.get(k)
        if stored is not None and (valid is None or valid(stored[1])):
            self.data.move_to_end(stored[0])  # the stored key object itself: found by identity
            self.hits += 1
            return stored[1]
        self.misses += 1
        value = compute()
        if stored is not None:
            del self.data[stored[0]]
        self.data[k] = (k, value)
        if len(self.data) > self.size:
            self.data.popitem(last=False)
        return value

    def clear(self) -> None:
        self.data.clear()
        self.hits = self.misses = 0


CACHE = _LRU()


#: immutable ranges seen recently: id → (the range, its rows, its cache key)
_FROZEN: OrderedDict = OrderedDict()
_ROW_TYPES = frozenset({list, tuple})


def _rows_and_key(omrade: Any) -> tuple[list[list[Any]] | None, _Key | None]:
    """The range's cache key (hashed once; ``None`` if a cell is unhashable), and its rows when they had
    to be read to build it (else ``None``: they are read on a cache miss only).

    * A tuple of tuples cannot change, so when the very same tuple comes again (recalc passes one object
      to every call in a workbook) its key is reused, hash and all.
    * A list of rows (what Excel and xlwings send, a new list on every call) is keyed on its raw values,
      ``tuple(map(tuple, rows))``: one pass in C, no per-cell normalising. Such a key treats TRUE as 1
      (they compare equal); :func:`berakning` checks the few cells where that matters.
    * Anything else (a DataFrame, a numpy array, a flat list) is read with :func:`as_2d` and frozen.
    """
    if type(omrade) is tuple:
        hit = _FROZEN.get(id(omrade))
        if hit is not None and hit[0] is omrade:
            _FROZEN.move_to_end(id(omrade))
            return hit[1], hit[2]
    if type(omrade) is list and omrade and _ROW_TYPES.issuperset(map(type, omrade)):
        return None, _key_or_none(tuple(map(tuple, omrade)))
    rows = as_2d(omrade)
    key = _key_or_none(_freeze(rows))
    if key is not None and type(omrade) is tuple and all(type(r) is tuple for r in omrade):
        _FROZEN[id(omrade)] = (omrade, rows, key)
        if len(_FROZEN) > 8:
            _FROZEN.popitem(last=False)
    return rows, key


def _key_or_none(value: tuple) -> _Key | None:
    try:
        return _Key(value)
    except TypeError:  # a cell holding something unhashable: no caching
        return None


def berakning(omrade: Any, pris: Any = None, *, adress: str | None = None) -> Berakning:
    """Parse the range and compute it (memoized on the range's values, the price and the address).

    ``adress`` is the range's top-left cell (``"B3"``), used only in error messages.
    Errors are not cached: they are raised again on every call. Pass a tuple of tuples to skip
    re-reading an unchanged range on every call (see :func:`_rows_and_key`).
    """
    rows, key = _rows_and_key(omrade)
    p = _pris(pris)

    def compute() -> tuple[Berakning, tuple, tuple]:
        # Python's cyclic garbage collector is paused for the one computation (as recalc does per workbook):
        # a 1 000-row case makes tens of thousands of small objects, whose collections walked every live
        # object again (a quarter of the engine's time at 1 000 rows). Nothing here makes reference
        # cycles that must be collected; the collector is switched back on (when it was on) at the end.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            o = las_omrade(rows if rows is not None else omrade, adress)  # (las_omrade reads it with as_2d)
            b = _berakna_b(o, p) if o.lage == "B" else _berakna_a(o, p)
            return (b, *_bool_spots(key.value)) if key is not None else (b, (), ())
        finally:
            if was_enabled:
                gc.enable()

    if key is None:
        return compute()[0]
    frozen = key.value

    def valid(entry: tuple[Berakning, tuple, tuple]) -> bool:
        # the stored key equals this one; they can still differ where one has TRUE and the other 1
        _, spots, flags = entry
        return not spots or tuple(_is_bool(frozen[r][c]) for r, c in spots) == flags

    return CACHE.get((key, p, adress), compute, valid)[0]


def _kraver_pris(b: Berakning) -> None:
    if not b.prissatt:
        raise _ingen_pris()


def _kolumnvarde(v: Radvarde | None, kolumn: str, b: Berakning) -> Any:
    if v is None:
        return ""
    if kolumn in ("utfaller", "brist"):
        _kraver_pris(b)
    if kolumn == "formansratt":
        return money(v.formansratt)
    if kolumn == "tillagg":
        return money(v.tillagg) if b.omrade.lage == "A" else ""
    if kolumn == "agarhypotek":
        return money(v.agarhypotek) if b.omrade.lage == "A" else ""
    if kolumn == "skyddad":
        return v.skyddad
    if kolumn == "status":
        return STATUSTEXT.get(v.status or "", "")
    if kolumn == "utfaller":
        return money(v.utfaller if v.utfaller is not None else NOLL)
    if kolumn == "brist":
        return money(v.brist) if v.har_fordran else ""
    if kolumn == "forklaring":
        return " ".join(v.forklaring)
    if kolumn == "nr":
        return v.nr
    if kolumn == "block_formansratt":
        return "" if v.block_formansratt is None else money(v.block_formansratt)
    if kolumn == "formansratt_utmatning":
        return "" if v.formansratt_utmatning is None else money(v.formansratt_utmatning)
    raise AssertionError(kolumn)


def _kolumn_ut(b: Berakning, kolumn: str) -> list[list[Any]]:
    out = [[_kolumnvarde(v, kolumn, b)] for v in b.rader]
    return out or [[""]]


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
    b = berakning(omrade, pris, adress=adress)
    _kraver_pris(b)
    return [list(r) for r in b.fordelning]


def FORKLARING(omrade: Any, rad: Any, pris: Any = None, *, adress: str | None = None) -> str:
    """Förklaringen på svenska av siffrorna för en tabellrad (rad 1 = första raden under rubrikraden)."""
    b = berakning(omrade, pris, adress=adress)
    r = _radnr(rad, b.omrade)
    return _kolumnvarde(b.rader[r.nr - 1], "forklaring", b)


def SAK_RAD(omrade: Any, rad: Any, kolumn: Any, pris: Any = None, *, adress: str | None = None) -> Any:
    """Ett värde för en tabellrad: kolumn är tillagg, formansratt, agarhypotek, skyddad, status,
    utfaller, brist, forklaring, block_formansratt (blockets förmånsrätt tillhopa, på raden för blockets sista
    pantbrev) eller formansratt_utmatning (den del av radens fordran som har förmånsrätt genom utmätningen,
    FRL 8 §) eller nr (radens plats i sakägarförteckningen, 1 = bäst rätt, bland de ifyllda raderna); rad 1 =
    första raden under rubrikraden (tomma rader räknas)."""
    k = _kolumn(kolumn, RADKOLUMNER)
    b = berakning(omrade, pris, adress=adress)
    r = _radnr(rad, b.omrade)
    return _kolumnvarde(b.rader[r.nr - 1], k, b)


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

