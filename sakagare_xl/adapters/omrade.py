"""The range parser: a 2-D list of cell values laid out as in ``docs/layout.md`` → engine input.

Two kinds of range:

* **mode A** (a case): a header block (label | value rows) and a table whose heading row starts
  with ``Ordning``; it becomes a :class:`~sakagare_xl.engine.model.Arende`;
* **mode B** (a precomputed list): only a table with ``Ordning`` and ``Förmånsrätt`` columns
  (and no ``Slag``); it becomes a tuple of :class:`Listrad` for
  :func:`sakagare_xl.engine.fordelning.coverage`.

Every table row below the heading is kept (:class:`Tabellrad`), blank ones too, so the Excel
functions can return one value per table row. Errors name the cell: the table row and column
heading, or the header label, plus the offset in the range and, when the caller gives the
range's top-left address, the real A1 address.

>>> sak = [
...     ["Utmätningsdag", "2018-01-01"],
...     ["Fördelningsdag", "2018-07-01"],
...     ["Referensränta", 0.02],
...     ["Ordning", "Id", "Inskrivningsdag", "Slag", "Inteckningsbelopp", "Sakägare", "Kapital"],
...     [None, "P1990", 1990, "inteckning", 400000, "A-bank", 1300000],
...     [None, "P1992", 1992, "inteckning", 300000, None, None],
...     [None, None, None, None, None, None, None],
... ]
>>> o = las_omrade(sak)
>>> o.lage, len(o.rader), o.rader[2].tom
('A', 3, True)
>>> o.arende.fordringar[0].pantbrev
('P1990',)
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ..engine.errors import (
    MotstridigaUppgifter,
    OgiltigtVarde,
    SakagareError,
    SaknatVarde,
)
from ..engine.model import MAX_MANADER, SISTA_DAG, SLAG_RATTIGHETER, Arende, Fordran, Forsaljning, Inskrivning
from .values import (
    EXCEL_EPOCH,
    EXCEL_ERRORS,
    as_2d,
    cell_address,
    date_to_serial,
    is_blank,
    normalise,
    parse_address,
    to_bool,
    to_date,
    to_decimal,
    to_int,
    to_percent,
    to_text,
)

# --------------------------------------------------------------------------- labels and headings

#: header label (as the template writes it) → key
HEADER_LABELS: dict[str, str] = {
    "Fastighet": "fastighet",
    "Utmätningsdag": "utmatningsdag",
    "Konkurs": "konkurs",
    "Konkursansökningsdag": "konkursansokningsdag",
    "Deponeringsdag": "deponeringsdag",
    "Sakägarförteckningsdag": "sakagarforteckningsdag",
    "Fördelningsdag": "fordelningsdag",
    "Månader": "manader",
    "Tidsberäkning": "tidsberakning",
    "Referensränta": "referensranta",
    "Förrättningskostnader": "forrattningskostnader",
    "Köpeskilling": "kopeskilling",
    "Ränta på köpeskillingen": "ranta_kopeskilling",
    "Sökande": "sokande",
    "Rättighet bryter block": "rattighet_bryter_block",
    "Utmätningens inskrivningsdag": "utmatning_inskrivningsdag",
    # the dubbelutrop's two best bids (UB 12 kap. 33 §), for every right that needs one
    "Bud med förbehåll": "bud_med",
    "Bud utan förbehåll": "bud_utan",
}

#: table heading (as the template writes it) → key
TABLE_HEADINGS: dict[str, str] = {
    "Ordning": "ordning",
    "Id": "id",
    "Inskrivningsdag": "dag",
    "Slag": "slag",
    "Inteckningsbelopp": "belopp",
    "Sakägare": "borgenar",
    "Kapital": "kapital",
    "Ränta": "ranta",
    "Kostnader": "kostnader",
    "Pantbrev": "pantbrev",
    "Exekutionsfordran": "exekutionsfordran",
    "Personligt ansvar": "personligt_ansvar",
    "Överhypotek": "overhypotek",
    "Utmätta pantbrev": "utmatta_pantbrev",
    # mode B (precomputed list)
    "Förmånsrätt": "formansratt",
    "Fordran": "fordran",
}

#: headings that may appear in a mode-B list
LIST_KEYS = ("ordning", "formansratt", "id", "borgenar", "fordran", "exekutionsfordran")

#: key → the heading/label shown in messages
DISPLAY: dict[str, str] = {v: k for k, v in {**HEADER_LABELS, **TABLE_HEADINGS}.items()}


def _lookup(names: dict[str, str]) -> dict[str, str]:
    table = {normalise(label): key for label, key in names.items()}
    for key in names.values():  # the keys themselves are accepted too (e.g. "ranta_kopeskilling")
        table.setdefault(normalise(key), key)
    return table


_HEADER_LOOKUP = _lookup(HEADER_LABELS)
_TABLE_LOOKUP = _lookup(TABLE_HEADINGS)
_TABLE_LOOKUP.setdefault("inskrivning", "dag")  # rare spellings seen in exercises
_SLAG = {
    "inteckning": "inteckning",
    "pantbrev": "inteckning",
    "servitut": "servitut",
    "nyttjanderatt": "nyttjanderatt",
    "hyresavtal": "hyresavtal",
    "hyresratt": "hyresavtal",
    "arrende": "arrende",
    "rattighet": "rattighet",
    "fordran": "fordran",
    "frl6": "frl6",
    "frl61": "frl6",
}
_SLAG_SEEN: dict[str, str | None] = {}  # texts in the Slag column → slag (or None): 1 000 rows, a few texts


def _slag(text: str) -> str | None:
    hit = _SLAG_SEEN.get(text, "")
    if hit == "":
        hit = _SLAG.get(normalise(text))
        if len(_SLAG_SEEN) < 1000:
            _SLAG_SEEN[text] = hit
    return hit


_TIDSBERAKNING = {"manader": "manader", "manad": "manader", "dagar": "dagar", "dag": "dagar"}


# --------------------------------------------------------------------------- result types


@dataclass(slots=True)
class Tabellrad:
    """One table row below the heading (blank rows too): what it holds and where it is.

    ``nr`` is 1-based among the table rows (the ``rad`` of ``SAK_RAD``); ``rad`` is the 0-based
    row in the range. ``inskrivning`` / ``fordran`` are the ids the row became (``None`` if none).
    """

    nr: int
    rad: int
    tom: bool
    slag: str = ""
    id: str = ""
    inskrivning: str | None = None
    fordran: str | None = None


@dataclass(frozen=True)
class Listrad:
    """A row of a precomputed list (mode B)."""

    nr: int
    ordning: int
    formansratt: Decimal
    id: str = ""
    borgenar: str = ""
    fordran: Decimal | None = None
    exekutionsfordran: bool = False


@dataclass(frozen=True)
class Omrade:
    """A parsed range. ``lage`` is ``"A"`` (a case → ``arende``) or ``"B"`` (a list → ``lista``)."""

    lage: str
    rader: tuple[Tabellrad, ...]
    rubrikrad: int
    kolumner: dict[str, int]
    arende: Arende | None = None
    lista: tuple[Listrad, ...] = ()
    sokande: str = ""
    topleft: tuple[int, int] | None = None
    dubbelutrop: tuple[tuple[str | None, Decimal, Decimal], ...] = ()
    """the header's bids (``Bud med förbehåll``, ``Bud utan förbehåll``) as one entry for every right that
    needs dubbelutrop, (``None``, bid with, bid without); empty without bids (docs/layout.md)"""
    _platser: dict[str, int] = field(default_factory=dict, repr=False)
    _huvud: dict[str, str] = field(default_factory=dict, repr=False)
    _insk: dict[str, int] = field(default_factory=dict, repr=False)
    _ford: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def kopeskilling(self) -> Decimal | None:
        return self.arende.forsaljning.kopeskilling if self.arende else None

    def rad_for_id(self, id_: str) -> Tabellrad | None:
        """The table row an inskrivning or fordran id came from."""
        i = self._platser.get(id_)
        return None if i is None else self.rader[i]

    def inskrivning_rader(self) -> dict[str, int]:
        """inskrivning id → its table row's index in ``rader`` (mode A)."""
        return self._insk

    def fordran_rader(self) -> dict[str, int]:
        """claim id → its table row's index in ``rader`` (mode A; the claims of the table's own rows)."""
        return self._ford

    def plats_i_huvudet(self, key: str) -> str | None:
        """Where a header field (an engine field of the sale, e.g. ``fordelningsdag``) is:
        its label and cell, ``'Fördelningsdag (B11)'``; ``None`` if the range has no such row."""
        return self._huvud.get(key)

    def med_pris(self, pris: Decimal | None) -> Arende:
        """The case with ``pris`` as köpeskilling (``None`` keeps the header's)."""
        assert self.arende is not None
        if pris is None:
            return self.arende
        return replace(self.arende, forsaljning=replace(self.arende.forsaljning, kopeskilling=pris))


# --------------------------------------------------------------------------- locations


class _Plats:
    """Names cells for messages."""

    def __init__(self, topleft: tuple[int, int] | None):
        self.topleft = topleft

    def _addr(self, r: int, c: int) -> str:
        if self.topleft is None:
            return f"rad {r + 1}, kolumn {c + 1} i området"
        return cell_address(self.topleft[0] + r, self.topleft[1] + c)

    def header(self, r: int, label: str) -> str:
        return f"{label} ({self._addr(r, 1)})"

    def cell(self, r: int, c: int) -> str:
        return f"cellen {self._addr(r, c)}"

    def table(self, nr: int, r: int, key: str | None, c: int | None) -> str:
        if key is None or c is None:
            where = f"rad {r + 1} i området" if self.topleft is None else f"rad {self.topleft[0] + r + 1}"
            return f"rad {nr} i tabellen ({where})"
        return f"rad {nr} i tabellen, kolumn {DISPLAY.get(key, key)} ({self._addr(r, c)})"


def _relocate(exc: SakagareError, plats: str) -> SakagareError:
    """The same error class with ``plats`` as its location (the engine named only the field)."""
    new = type(exc).__new__(type(exc))
    SakagareError.__init__(new, exc.detail, None, plats)
    return new


# --------------------------------------------------------------------------- fast conversions
#
# A table row is mostly plain cells: floats, texts, datetimes and blanks (``None``). For those the
# conversions below give exactly what the general ones in :mod:`.values` give, without building the
# cell's name for a message (``p(key)``, only needed when something is wrong) or testing for ranges,
# DataFrames and numpy scalars; anything else, and every case that could raise, goes to the general
# function, which decides and words the message (tests/excel/test_omrade_fast.py compares them).

#: amounts up to this (kronor) take the fast path; larger ones, however rare, are left to the general
#: conversion and whatever bounds it checks
_FAST_MAX = 1e9


def _belopp(value: Any, p: Any, key: str, what: str) -> Decimal | None:
    """:func:`to_decimal` with ``allow_blank`` (a table amount)."""
    if value is None:
        return None
    c = value.__class__
    if c is float and 0.0 <= value <= _FAST_MAX:  # NaN and inf fail the comparison
        return Decimal(repr(value))
    if c is int and 0 <= value <= _FAST_MAX:
        return Decimal(value)
    return to_decimal(value, p(key), allow_blank=True, what=what)


def _text(value: Any) -> str:
    """:func:`to_text`."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value.strip()
    return to_text(value)


def _flagga(value: Any, p: Any, key: str, default: bool) -> bool:
    """:func:`to_bool` (blank → ``default``)."""
    if value is None:
        return default
    return to_bool(value, p(key), default=default)


# --------------------------------------------------------------------------- parsing


def _namn(value: Any, p: Any, key: str) -> str:
    """A name or id cell as text (:func:`_text`); an Excel error value there (``#N/A``, handed over as its
    text by the functions' ``err_to_str``) is refused rather than taken for a name (``p(key)`` names the
    cell, built only then)."""
    text = _text(value)
    if text in EXCEL_ERRORS:
        raise OgiltigtVarde(f"cellen visar felvärdet {text}.", None, p(key))
    return text


def _split_ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    text = to_text(value)
    return tuple(p.strip() for p in re.split(r"[;,\n]", text) if p.strip())


def las_omrade(values: Any, topleft: str | tuple[int, int] | None = None) -> Omrade:
    """Parse a range (2-D list, DataFrame, …) as ``docs/layout.md`` describes.

    ``topleft`` is the range's top-left cell (``"B3"``) if known; errors then give real addresses.
    """
    return las_rader(as_2d(values), topleft)


def las_rader(rows: list[list[Any]], topleft: str | tuple[int, int] | None = None) -> Omrade:
    """:func:`las_omrade` of rows already as :func:`~.values.as_2d` gives them (a rectangular list of lists of
    plain values), without copying them again (the Excel functions' memo has made that copy)."""
    tl = topleft if isinstance(topleft, tuple) or topleft is None else parse_address(topleft)
    plats = _Plats(tl)

    heading = None
    for r, row in enumerate(rows):
        if not is_blank(row[0]) and normalise(row[0]) == "ordning":
            heading = r
            break
    if heading is None:
        raise SaknatVarde(
            "tabellens rubrikrad saknas: en rad vars första cell är 'Ordning' ska stå över tabellen "
            "(se docs/layout.md).",
            None,
            "området",
        )

    # table columns
    kolumner: dict[str, int] = {}
    for c, cell in enumerate(rows[heading]):
        if is_blank(cell):
            continue
        key = _TABLE_LOOKUP.get(normalise(cell))
        if key is None:
            raise OgiltigtVarde(
                f"okänd kolumnrubrik '{to_text(cell)}'. Kända rubriker: {', '.join(TABLE_HEADINGS)}.",
                None,
                plats.cell(heading, c),
            )
        if key in kolumner:
            raise MotstridigaUppgifter(f"kolumnen '{to_text(cell)}' finns två gånger.", None, plats.cell(heading, c))
        kolumner[key] = c

    header_rows = [r for r in range(heading) if not all(is_blank(v) for v in rows[r])]
    if "formansratt" in kolumner:
        if "slag" in kolumner:
            raise MotstridigaUppgifter(
                "en tabell har antingen 'Slag' (ett ärende) eller 'Förmånsrätt' (en färdig lista), inte båda.",
                None,
                plats.cell(heading, kolumner["formansratt"]),
            )
        if header_rows:
            raise MotstridigaUppgifter(
                "en färdig lista (med kolumnen 'Förmånsrätt') har inget huvud; ta bort raderna ovanför 'Ordning'.",
                None,
                plats.cell(header_rows[0], 0),
            )
        return _las_lista(rows, heading, kolumner, plats, tl)
    for key in ("formansratt", "fordran"):
        if key in kolumner:
            raise OgiltigtVarde(
                f"kolumnen '{DISPLAY[key]}' hör till en färdig lista, inte till ett ärende.",
                None,
                plats.cell(heading, kolumner[key]),
            )
    return _las_arende(rows, heading, header_rows, kolumner, plats, tl)


def _header(rows: list[list[Any]], header_rows: list[int], plats: _Plats) -> tuple[dict[str, Any], dict[str, int]]:
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    for r in header_rows:
        row = rows[r]
        label = row[0]
        if is_blank(label):
            raise SaknatVarde(
                f"etiketten saknas framför värdet '{to_text(row[1]) if len(row) > 1 else ''}'.",
                None,
                plats.cell(r, 0),
            )
        key = _HEADER_LOOKUP.get(normalise(label))
        if key is None:
            if normalise(label) in _TABLE_LOOKUP:
                raise OgiltigtVarde(
                    f"'{to_text(label)}' ser ut som en tabellrubrik men står ovanför raden 'Ordning'.",
                    None,
                    plats.cell(r, 0),
                )
            raise OgiltigtVarde(
                f"okänd etikett '{to_text(label)}'. Kända etiketter: {', '.join(HEADER_LABELS)}.",
                None,
                plats.cell(r, 0),
            )
        if key in values:
            raise MotstridigaUppgifter(f"etiketten '{to_text(label)}' finns två gånger.", None, plats.cell(r, 0))
        values[key] = row[1] if len(row) > 1 else None
        where[key] = r
    return values, where


def _forsaljning(values: dict[str, Any], where: dict[str, int], plats: _Plats) -> tuple[Forsaljning, str]:
    def p(key: str) -> str:
        return plats.header(where[key], DISPLAY[key])

    kw: dict[str, Any] = {}
    for key in ("utmatningsdag", "utmatning_inskrivningsdag", "konkursansokningsdag", "deponeringsdag",
                "sakagarforteckningsdag", "fordelningsdag"):
        if key in values:
            kw[key] = to_date(values[key], p(key))
    if "konkurs" in values:
        kw["konkurs"] = to_bool(values["konkurs"], p("konkurs"), default=False)
    if "rattighet_bryter_block" in values:
        kw["rattighet_bryter_block"] = to_bool(values["rattighet_bryter_block"], p("rattighet_bryter_block"), default=True)
    if "manader" in values:
        kw["manader"] = to_decimal(values["manader"], p("manader"), allow_blank=True, what="antalet månader",
                                   maximum=MAX_MANADER)
    if "tidsberakning" in values and not is_blank(values["tidsberakning"]):
        t = _TIDSBERAKNING.get(normalise(values["tidsberakning"]))
        if t is None:
            raise OgiltigtVarde(
                f"'manader' eller 'dagar' väntades, inte '{to_text(values['tidsberakning'])}'.", None, p("tidsberakning")
            )
        kw["tidsberakning"] = t
    if "referensranta" in values:
        kw["referensranta"] = to_percent(values["referensranta"], p("referensranta"), allow_blank=True)
    for key in ("forrattningskostnader", "ranta_kopeskilling"):
        if key in values:
            d = to_decimal(values[key], p(key), allow_blank=True)
            if d is not None:
                kw[key] = d
    if "kopeskilling" in values:
        kw["kopeskilling"] = to_decimal(values["kopeskilling"], p("kopeskilling"), allow_blank=True, what="köpeskillingen")
    if "fastighet" in values:
        kw["fastighet"] = _namn(values["fastighet"], p, "fastighet")
    try:
        forsaljning = Forsaljning(**kw)
    except SakagareError as exc:
        key = exc.field if exc.field in where else None
        raise _relocate(exc, p(key) if key else "huvudet") from None
    return forsaljning, _namn(values["sokande"], p, "sokande") if "sokande" in values else ""


def _rader(rows: list[list[Any]], heading: int, kolumner: dict[str, int], plats: "_Plats",
           tabellrader: list["Tabellrad"]):
    """The table rows below ``heading``: (nr, row index, cells by column key, cell-naming function) for each
    row with content; an empty row is recorded in ``tabellrader`` as blank (so results keep the rows' height)."""
    keys = tuple(kolumner)
    body = rows[heading + 1:]
    columns = [[row[c] for row in body] for c in kolumner.values()]  # the range read once, by column
    width = len(keys)
    for i, cellvalues in enumerate(zip(*columns)):
        nr = i + 1
        r = heading + 1 + i
        if cellvalues.count(None) == width or all(map(is_blank, cellvalues)):
            tabellrader.append(Tabellrad(nr=nr, rad=r, tom=True))
            continue
        cells = dict(zip(keys, cellvalues))

        def p(key: str, _nr: int = nr, _r: int = r) -> str:
            return plats.table(_nr, _r, key, kolumner.get(key))

        yield nr, r, cells, p


def _las_arende(
    rows: list[list[Any]],
    heading: int,
    header_rows: list[int],
    kolumner: dict[str, int],
    plats: _Plats,
    tl: tuple[int, int] | None,
) -> Omrade:
    header, where = _header(rows, header_rows, plats)
    forsaljning, sokande = _forsaljning(header, where, plats)
    dubbelutrop = _bud(header, where, plats)

    inskrivningar: list[Inskrivning] = []
    fordringar: list[Fordran] = []
    tabellrader: list[Tabellrad] = []
    platser: dict[str, int] = {}
    insk: dict[str, int] = {}
    ford: dict[str, int] = {}

    def allman(nr: int, r: int, cells: dict[str, Any], p: Any) -> None:
        """One table row read cell by cell with the general conversions: every row the inline reading below
        does not take, and every error (its order and its message)."""
        get = cells.get  # a missing column reads as blank

        id_ = _namn(get("id"), p, "id") or f"rad {nr}"
        if id_ in platser:
            raise MotstridigaUppgifter(f"id '{id_}' finns redan på rad {tabellrader[platser[id_]].nr}.", None, p("id"))

        belopp = _belopp(get("belopp"), p, "belopp", "inteckningsbeloppet")
        slag_text = _text(get("slag"))
        if slag_text:
            slag = _slag(slag_text)
            if slag is None:
                raise OgiltigtVarde(
                    f"okänt slag '{slag_text}'; ett av {', '.join(sorted(set(_SLAG.values())))} väntades.", None, p("slag")
                )
        elif belopp is not None:
            slag = "inteckning"  # an amount in Inteckningsbelopp can only be an inteckning
        else:
            raise SaknatVarde(
                "slaget saknas (inteckning, servitut, nyttjanderatt, hyresavtal, arrende, rattighet, fordran eller frl6).",
                None,
                p("slag"),
            )

        kapital = _belopp(get("kapital"), p, "kapital", "kapitalet")
        ranta = _belopp(get("ranta"), p, "ranta", "räntan")
        kostnader = _belopp(get("kostnader"), p, "kostnader", "kostnaderna")
        borgenar = _namn(get("borgenar"), p, "borgenar")
        exek = _flagga(get("exekutionsfordran"), p, "exekutionsfordran", False)
        personligt = _flagga(get("personligt_ansvar"), p, "personligt_ansvar", True)
        pantbrev = _split_ids(get("pantbrev"))
        overhypotek = _split_ids(get("overhypotek"))
        utmatta = _split_ids(get("utmatta_pantbrev"))
        v = get("ordning")
        ordning = None if v is None else to_int(v, p("ordning"), minimum=0)
        has_claim = kapital is not None

        if not has_claim:
            for key, v in (("ranta", ranta), ("kostnader", kostnader)):
                if v is not None:
                    raise SaknatVarde(f"{DISPLAY[key].lower()} utan kapital: fyll i Kapital (0 om inget).", None, p("kapital"))
            for key, flag in (("pantbrev", pantbrev), ("overhypotek", overhypotek), ("utmatta_pantbrev", utmatta)):
                if flag:
                    raise SaknatVarde(f"{DISPLAY[key]} är ifyllt men raden har inget kapital.", None, p("kapital"))
            if exek:
                raise SaknatVarde("exekutionsfordran utan kapital.", None, p("kapital"))
            if not is_blank(get("personligt_ansvar")):
                raise SaknatVarde("Personligt ansvar är ifyllt men raden har inget kapital.", None, p("kapital"))

        inskrivning_id = None
        fordran_id = None
        if slag == "inteckning" or slag in SLAG_RATTIGHETER:
            v = get("dag")
            dag = v.date() if v.__class__ is _dt.datetime else to_date(v, p("dag"), allow_blank=False, allow_year=True)
            if slag != "inteckning" and belopp is not None:
                raise OgiltigtVarde("en rättighet har inget inteckningsbelopp; lämna cellen tom.", None, p("belopp"))
            if slag != "inteckning" and has_claim:
                raise OgiltigtVarde("en rättighet har inget kapital; lämna cellen tom.", None, p("kapital"))
            if slag == "inteckning" and belopp is None:
                raise SaknatVarde("inteckningsbeloppet saknas.", None, p("belopp"))
            try:  # the values checked above, the rest (the day, an inteckning of 0 kr) by the engine
                ins = Inskrivning.betrodd(id_, dag, slag, belopp, ordning, borgenar)
            except SakagareError as exc:
                raise _relocate(exc, p(_FIELD_TO_KEY.get(exc.field or "", "id"))) from None
            inskrivningar.append(ins)
            inskrivning_id = id_
            if has_claim:
                fordringar.append(
                    _fordran(
                        id_, borgenar, kapital, ranta, kostnader, pantbrev or (id_,), overhypotek, utmatta,
                        exek, False, personligt, None, p,
                    )
                )
                fordran_id = id_
        else:  # fordran / frl6: a claim without an inskrivning of its own
            if belopp is not None:
                raise OgiltigtVarde(
                    "en fordran utan inteckning har inget inteckningsbelopp; lämna cellen tom.", None, p("belopp")
                )
            if not has_claim:
                raise SaknatVarde("kapitalet saknas.", None, p("kapital"))
            rangdag = to_date(get("dag"), p("dag"))
            if isinstance(rangdag, int):
                raise OgiltigtVarde(
                    f"en fordran behöver ett fullständigt datum som rangdag, inte bara året {rangdag}.", None, p("dag")
                )
            fordringar.append(
                _fordran(
                    id_, borgenar, kapital, ranta, kostnader, pantbrev, overhypotek, utmatta,
                    exek, slag == "frl6", personligt, rangdag, p,
                )
            )
            fordran_id = id_
        platser[id_] = len(tabellrader)
        if inskrivning_id:
            insk[id_] = len(tabellrader)
        if fordran_id:
            ford[id_] = len(tabellrader)
        tabellrader.append(
            Tabellrad(nr=nr, rad=r, tom=False, slag=slag, id=id_, inskrivning=inskrivning_id, fordran=fordran_id)
        )


    body = rows[heading + 1:]
    blank_col = [None] * len(body)
    cols = [[row[kolumner[key]] for row in body] if key in kolumner else blank_col for key in _LEAN_KEYS]
    pos = tuple(kolumner.values())
    width = len(pos)
    for i, (ordning, idv, dagv, slagv, beloppv, borgv, kapv, rantav, kostv, pbv, exv, persv, ohv, utv) in \
            enumerate(zip(*cols)):
        nr = i + 1
        r = heading + 1 + i
        # The common row, an inteckning (with or without a claim) of plain cells, read inline with exactly the
        # general conversions' results; a row or a cell this does not take goes to ``allman``, which reads the
        # row from the start and raises whatever error the row has (tests/excel/test_excel_omrade_fast.py).
        if (_INLINE and idv.__class__ is str and beloppv.__class__ is float and 0.0 < beloppv <= _FAST_MAX and ordning is None
                and ohv is None and utv is None and (slagv is None or slagv.__class__ is str)):
            id_ = idv.strip()
            id_ = id_ or f"rad {nr}"
            slag_text = slagv.strip() if slagv is not None else ""
            borgenar = "" if borgv is None else borgv.strip() if borgv.__class__ is str else None
            kapital = (None if kapv is None else Decimal(repr(kapv))
                       if kapv.__class__ is float and 0.0 <= kapv <= _FAST_MAX else _ANNAT)
            ranta = (_NOLL if rantav is None else Decimal(repr(rantav))
                     if rantav.__class__ is float and 0.0 <= rantav <= _FAST_MAX else _ANNAT)
            kostnader = (_NOLL if kostv is None else Decimal(repr(kostv))
                         if kostv.__class__ is float and 0.0 <= kostv <= _FAST_MAX else _ANNAT)
            exek = False if exv is None else _FLAGGOR.get(exv, _ANNAT) if exv.__class__ is str else _ANNAT
            personligt = True if persv is None else _FLAGGOR.get(persv, _ANNAT) if persv.__class__ is str else _ANNAT
            pantbrev = () if pbv is None else _split_ids(pbv) if pbv.__class__ is str else _ANNAT
            dc = dagv.__class__
            dag = (dagv.date() if dc is _dt.datetime
                   else _ANNAT if dc is not float or not dagv.is_integer()
                   else int(dagv) if 1800 <= dagv <= 2200
                   else _EXCEL_EPOCH + _dt.timedelta(days=int(dagv)) if 2200 < dagv <= _SISTA_SERIAL
                   else _ANNAT)
            if (id_ not in EXCEL_ERRORS and id_ not in platser
                    and (not slag_text or (_SLAG_SEEN.get(slag_text) or _slag(slag_text)) == "inteckning")
                    and borgenar is not None and borgenar not in EXCEL_ERRORS and kapital is not _ANNAT
                    and ranta is not _ANNAT and kostnader is not _ANNAT and exek is not _ANNAT
                    and personligt is not _ANNAT and pantbrev is not _ANNAT and dag is not _ANNAT
                    and (borgenar if kapital is not None else
                         rantav is None and kostv is None and not pantbrev and not exek and persv is None)):
                belopp = Decimal(repr(beloppv))
                try:
                    ins = Inskrivning.betrodd(id_, dag, "inteckning", belopp, None, borgenar)
                except SakagareError as exc:
                    key = _FIELD_TO_KEY.get(exc.field or "", "id")
                    raise _relocate(exc, plats.table(nr, r, key, kolumner.get(key))) from None
                inskrivningar.append(ins)
                k = len(tabellrader)
                platser[id_] = insk[id_] = k
                if kapital is not None:
                    fordringar.append(Fordran.betrodd(id_, borgenar, kapital, ranta, kostnader, pantbrev or (id_,),
                                                      (), (), exek, False, personligt, None))
                    ford[id_] = k
                    tabellrader.append(Tabellrad(nr, r, False, "inteckning", id_, id_, id_))
                else:
                    tabellrader.append(Tabellrad(nr, r, False, "inteckning", id_, id_, None))
                continue
        row = body[i]
        cellvalues = tuple(row[c] for c in pos)
        if cellvalues.count(None) == width or all(map(is_blank, cellvalues)):
            tabellrader.append(Tabellrad(nr, r, True))
            continue
        cells = dict(zip(kolumner, cellvalues))

        def p(key: str, _nr: int = nr, _r: int = r) -> str:
            return plats.table(_nr, _r, key, kolumner.get(key))

        allman(nr, r, cells, p)

    arende = Arende(forsaljning=forsaljning, inskrivningar=tuple(inskrivningar), fordringar=tuple(fordringar))
    return Omrade(
        lage="A",
        rader=tuple(tabellrader),
        rubrikrad=heading,
        kolumner=kolumner,
        arende=arende,
        sokande=sokande,
        topleft=tl,
        dubbelutrop=dubbelutrop,
        _platser=platser,
        _huvud={key: plats.header(r, DISPLAY[key]) for key, r in where.items()},
        _insk=insk,
        _ford=ford,
    )


def _bud(values: dict[str, Any], where: dict[str, int], plats: _Plats) -> tuple[tuple[None, Decimal, Decimal], ...]:
    """The dubbelutrop's bids from the header: both cells or neither (UB 12 kap. 33 §: the property is called
    with and without förbehåll, and the two best bids decide)."""
    bud = {}
    for key in ("bud_med", "bud_utan"):
        if key in values:
            bud[key] = to_decimal(values[key], plats.header(where[key], DISPLAY[key]), allow_blank=True,
                                  what="budet")
    med, utan = bud.get("bud_med"), bud.get("bud_utan")
    if med is None and utan is None:
        return ()
    if med is None or utan is None:
        saknas, finns = ("bud_med", "bud_utan") if med is None else ("bud_utan", "bud_med")
        plats_saknas = plats.header(where[saknas], DISPLAY[saknas]) if saknas in where else f"huvudet (ingen rad {DISPLAY[saknas]})"
        raise SaknatVarde(f"ett dubbelutrop har två bud: {DISPLAY[finns]} är ifyllt, men inte {DISPLAY[saknas]}.",
                          None, plats_saknas)
    return ((None, med, utan),)


#: engine field names → table column keys (for relocating the engine's errors)
_FIELD_TO_KEY = {
    "id": "id",
    "dag": "dag",
    "rangdag": "dag",
    "slag": "slag",
    "belopp": "belopp",
    "ordning": "ordning",
    "innehavare": "borgenar",
    "borgenar": "borgenar",
    "kapital": "kapital",
    "ranta": "ranta",
    "kostnader": "kostnader",
    "pantbrev": "pantbrev",
    "overhypotek": "overhypotek",
    "utmatta_pantbrev": "utmatta_pantbrev",
    "exekutionsfordran": "exekutionsfordran",
    "personligt_ansvar": "personligt_ansvar",
    "frl6_1": "slag",
}


_NOLL = Decimal(0)
#: the table columns the inline reading of a row takes, in its order
_LEAN_KEYS = ("ordning", "id", "dag", "slag", "belopp", "borgenar", "kapital", "ranta", "kostnader", "pantbrev",
              "exekutionsfordran", "personligt_ansvar", "overhypotek", "utmatta_pantbrev")
_ANNAT = object()  # a cell the inline reading leaves to the general one
_INLINE = True  # False: every row through the general reading (the tests compare the two)
#: flag texts the inline reading takes (to_bool gives the same for them)
_FLAGGOR = {"Ja": True, "Nej": False, "ja": True, "nej": False, "JA": True, "NEJ": False}
_EXCEL_EPOCH = EXCEL_EPOCH
_SISTA_SERIAL = date_to_serial(SISTA_DAG)


def _fordran(id_, borgenar, kapital, ranta, kostnader, pantbrev, overhypotek, utmatta, exek, frl6, personligt, rangdag, p):
    if not borgenar:
        raise SaknatVarde("borgenären (Sakägare) saknas för raden med kapital.", None, p("borgenar"))
    # every value is checked already (texts stripped and non-empty, amounts by _belopp, ids by _split_ids,
    # flags by _flagga, the rangdag by to_date): the engine's trusted constructor does not check them again
    return Fordran.betrodd(
        id_, borgenar, kapital, ranta if ranta is not None else _NOLL, kostnader if kostnader is not None else _NOLL,
        tuple(pantbrev), tuple(overhypotek), tuple(utmatta), exek, frl6, personligt, rangdag,
    )


def _las_lista(
    rows: list[list[Any]], heading: int, kolumner: dict[str, int], plats: _Plats, tl: tuple[int, int] | None
) -> Omrade:
    for key, c in kolumner.items():
        if key not in LIST_KEYS:
            raise OgiltigtVarde(
                f"kolumnen '{DISPLAY.get(key, key)}' hör inte till en färdig lista "
                f"(där finns {', '.join(DISPLAY[k] for k in LIST_KEYS)}).",
                None,
                plats.cell(heading, c),
            )
    tabellrader: list[Tabellrad] = []
    lista: list[Listrad] = []
    platser: dict[str, int] = {}
    exek_seen: int | None = None
    for nr, r, cells, p in _rader(rows, heading, kolumner, plats, tabellrader):
        ordning = to_int(cells.get("ordning"), p("ordning"), allow_blank=False, minimum=0)
        formansratt = to_decimal(cells.get("formansratt"), p("formansratt"), what="förmånsrätten")
        fordran = to_decimal(cells.get("fordran"), p("fordran"), allow_blank=True, what="fordran")
        exek = to_bool(cells.get("exekutionsfordran"), p("exekutionsfordran"), default=False)
        if exek:
            if exek_seen is not None:
                raise MotstridigaUppgifter(
                    f"två exekutionsfordringar (rad {exek_seen} och rad {nr}).", None, p("exekutionsfordran")
                )
            exek_seen = nr
        if lista and ordning < lista[-1].ordning:
            raise OgiltigtVarde(
                f"raderna ska stå i förmånsrättsordning: ordning {ordning} efter {lista[-1].ordning}.", None, p("ordning")
            )
        id_ = _namn(cells.get("id"), p, "id") or f"rad {nr}"
        lista.append(
            Listrad(
                nr=nr,
                ordning=ordning,
                formansratt=formansratt,
                id=id_,
                borgenar=_namn(cells.get("borgenar"), p, "borgenar"),
                fordran=fordran,
                exekutionsfordran=exek,
            )
        )
        platser.setdefault(id_, len(tabellrader))
        tabellrader.append(Tabellrad(nr=nr, rad=r, tom=False, id=id_))
    return Omrade(
        lage="B",
        rader=tuple(tabellrader),
        rubrikrad=heading,
        kolumner=kolumner,
        lista=tuple(lista),
        topleft=tl,
        _platser=platser,
    )


__all__ = [
    "HEADER_LABELS",
    "TABLE_HEADINGS",
    "LIST_KEYS",
    "Tabellrad",
    "Listrad",
    "Omrade",
    "las_omrade",
    "las_rader",
]
