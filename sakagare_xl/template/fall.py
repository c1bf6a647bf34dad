"""What goes into the input cells: a case (``Arende``) laid out as header values and table rows.

:class:`Ifyllnad` holds the values exactly as the cells will hold them, and
:meth:`Ifyllnad.sak_values` gives the 2-D block of the ``Sak`` range as Excel
hands it to a function (``None`` for an empty cell, ``datetime`` for a date,
``float`` for a number), so the cached values written into the workbook come
from the very values a recalculation would see.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..engine.errors import OgiltigtVarde
from ..engine.model import SLAG_INTECKNING, Arende, Fordran
from . import layout as L

Cell = str | float | int | _dt.date | None


@dataclass(frozen=True)
class Ifyllnad:
    """The input cells of one workbook.

    ``header`` maps a header key (``layout.HEADER``) to its cell value;
    ``rows`` are table rows mapping a column key (``layout.COLUMNS``) to its
    value; ``titel`` is shown under the sheet title and ``anmarkningar`` below
    the table (provenance of an example, what is illustrative).
    """

    header: dict[str, Cell] = field(default_factory=dict)
    rows: tuple[dict[str, Cell], ...] = ()
    titel: str = ""
    anmarkningar: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.header) - {f.key for f in L.HEADER}
        if unknown:
            raise ValueError(f"okända rubriker i huvudet: {sorted(unknown)}")
        keys = {c.key for c in L.COLUMNS}
        for row in self.rows:
            if set(row) - keys:
                raise ValueError(f"okända kolumner i tabellen: {sorted(set(row) - keys)}")
        if len(self.rows) > L.TABLE_ROWS:
            raise ValueError(f"mallen har plats för {L.TABLE_ROWS} rader, inte {len(self.rows)}")

    def sak_values(self) -> list[list[object]]:
        """The ``Sak`` range's values as Excel passes them to a function (2-D, row by row)."""
        width = len(L.COLUMNS)
        out: list[list[object]] = []
        for f in L.HEADER:
            out.append([f.label, excel_value(self.header.get(f.key))] + [None] * (width - 2))
        out += [[None] * width for _ in range(L.TABLE_HEADING_ROW - L.SAK_FIRST_ROW - len(L.HEADER))]
        out.append([c.heading for c in L.COLUMNS])
        for i in range(L.TABLE_ROWS):
            row = self.rows[i] if i < len(self.rows) else {}
            out.append([excel_value(row.get(c.key)) for c in L.COLUMNS])
        return out


def excel_value(value: Cell | Decimal | bool) -> object:
    """A Python value as Excel stores and returns it: numbers are floats, dates datetimes, "" is empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (Decimal, int)):
        return float(value)
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    return value


def _amount(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def _janej(flag: bool) -> str:
    return "Ja" if flag else "Nej"


def _bud(dubbelutrop: Sequence[tuple[object, object, object]]) -> tuple[object, object]:
    """The header's one pair of bids (``Bud med förbehåll``, ``Bud utan förbehåll``) from a case's
    ``[[dubbelutrop]]`` entries: the bids are for the property, so every entry must have the same two."""
    pairs = {(Decimal(str(med)), Decimal(str(utan))) for _, med, utan in dubbelutrop}
    if len(pairs) > 1:
        raise OgiltigtVarde(
            "mallen har ett par bud (Bud med förbehåll, Bud utan förbehåll) för fastigheten, som avgör varje "
            "rättighet med dubbelutrop; ärendets dubbelutrop har olika bud "
            f"({'; '.join(f'{r}: {med} / {utan}' for r, med, utan in dubbelutrop)}).", None, "dubbelutrop")
    if not pairs:
        return None, None
    med, utan = pairs.pop()
    return float(med), float(utan)


def from_arende(arende: Arende, titel: str = "", anmarkningar: tuple[str, ...] = (),
                dubbelutrop: Sequence[tuple[object, object, object]] = ()) -> Ifyllnad:
    """Lay out a case in the template's cells (the inverse of reading the ``Sak`` range).

    Each registration gets a row; a claim sits on the row of the first pantbrev
    pledged for it (its ``Pantbrev`` cell lists them all unless it is only that
    row's own), and a claim without a first-hand pantbrev gets a ``fordran``
    (or ``frl6``) row of its own. ``dubbelutrop`` are the case's bids (right id, bid with förbehåll, bid
    without); the header holds them as one pair for every right that needs dubbelutrop.
    """
    bud_med, bud_utan = _bud(dubbelutrop)
    s = arende.forsaljning
    sokande = next((f.borgenar for f in arende.fordringar if f.exekutionsfordran), "")
    header: dict[str, Cell] = {
        "fastighet": s.fastighet or None,
        "utmatningsdag": s.utmatningsdag,
        "konkurs": _janej(s.konkurs),
        "konkursansokningsdag": s.konkursansokningsdag,
        "deponeringsdag": s.deponeringsdag,
        "sakagarforteckningsdag": s.sakagarforteckningsdag,
        "fordelningsdag": s.fordelningsdag,
        "manader": _amount(s.manader),
        "tidsberakning": s.tidsberakning,
        "referensranta": None if s.referensranta is None else float(s.referensranta / 100),
        "forrattningskostnader": _amount(s.forrattningskostnader),
        "kopeskilling": _amount(s.kopeskilling),
        "ranta_kopeskilling": _amount(s.ranta_kopeskilling) if s.ranta_kopeskilling else None,
        "bud_med": bud_med,
        "bud_utan": bud_utan,
        "sokande": sokande or None,
        "rattighet_bryter_block": _janej(s.rattighet_bryter_block),
        "utmatning_inskrivningsdag": s.utmatning_inskrivningsdag,
    }
    home: dict[str, Fordran] = {}  # inskrivning id -> the claim written on its row
    holder: dict[str, str] = {}  # pantbrev id -> the creditor it is pledged to first-hand
    loose: list[Fordran] = []
    for f in arende.fordringar:
        for p in f.pantbrev:
            holder.setdefault(p, f.borgenar)
        if f.pantbrev and f.pantbrev[0] not in home:
            home[f.pantbrev[0]] = f
        else:
            loose.append(f)
    rows: list[dict[str, Cell]] = []
    for ins in arende.inskrivningar:
        row: dict[str, Cell] = {
            "ordning": ins.ordning,
            "id": ins.id,
            "dag": ins.dag,
            "slag": ins.slag,
            "belopp": _amount(ins.belopp) if ins.slag == SLAG_INTECKNING else None,
            "borgenar": holder.get(ins.id) or ins.innehavare or None,
        }
        f = home.get(ins.id)
        if f is not None:
            row.update(_claim_cells(f, own=ins.id))
        rows.append(row)
    for f in loose:
        row = {
            "id": f.id,
            "dag": f.rangdag,
            "slag": "frl6" if f.frl6_1 else "fordran",
            "borgenar": f.borgenar,
        }
        row.update(_claim_cells(f, own=None))
        rows.append(row)
    return Ifyllnad(header=header, rows=tuple(rows), titel=titel, anmarkningar=anmarkningar)


def _claim_cells(f: Fordran, own: str | None) -> dict[str, Cell]:
    pantbrev = "" if f.pantbrev == ((own,) if own else ()) else ", ".join(f.pantbrev)
    return {
        "borgenar": f.borgenar,
        "kapital": float(f.kapital),
        "ranta": float(f.ranta) if f.ranta else None,
        "kostnader": float(f.kostnader) if f.kostnader else None,
        "pantbrev": pantbrev or None,
        "exekutionsfordran": "Ja" if f.exekutionsfordran else None,
        "personligt_ansvar": None if f.personligt_ansvar else "Nej",
        "overhypotek": ", ".join(f.overhypotek) or None,
        "utmatta_pantbrev": ", ".join(f.utmatta_pantbrev) or None,
    }
