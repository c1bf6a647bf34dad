"""Result value objects: the rows of the sakägarförteckning, each claim's outcome, and the whole result."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .format import ore

TYPER = ("kostnader", "frl6", "fordran", "overhypotek", "utmatt", "agarhypotek", "rattighet")
STATUS = ("forbehall", "upphor", "dubbelutrop")


class _Arbetsrad:
    """The engine's working state on a row while it computes (not a field: not in ``repr``, ``to_dict``,
    ``dataclasses.fields`` or comparisons): ``_ore``, the row's förmånsrätt in whole öre for the walk."""

    __slots__ = ("_ore",)


@dataclass(slots=True)
class Rad(_Arbetsrad):
    """One row of the sakägarförteckning, in priority order (read-only by convention: a slotted class
    rather than a frozen one, since a 100 000-row list builds as many of them).

    ``ordning`` is the rank: rows of equal rank share it (and share the money pro rata by their
    pantbrev when it does not cover them). ``formansratt`` is what has priority at this row
    (capital + tillägg, ägarhypotek, costs), in kronor rounded to öre; ``andelar`` splits it by claim.
    """

    nr: int
    ordning: int
    typ: str
    ids: tuple[str, ...]
    fordran_ids: tuple[str, ...]
    sakagare: str
    formansratt: Decimal
    kapitaldel: Decimal
    tillagg: Decimal
    tillagg_tak: Decimal | None
    skyddad: bool
    status: str | None
    text: object = field(repr=False, compare=False)
    """the explanation as built by the engine: a string, or (function, *args) rendered on first read as
    ``function(row, *args)``"""
    enhet: int = 0
    andelar: tuple[tuple[str, Decimal], ...] = ()
    slag: str = ""
    block: tuple[str, ...] = ()
    """on the row of a block's last pantbrev (the block's post, with its tillägg): the block's pantbrev (JB 6 kap.
    3 § 2 st.); listed once, so a block of n pantbrev costs n ids, not n²"""
    block_formansratt: Decimal | None = None
    """the block's total förmånsrätt (capital + tillägg), the one post of the sakägarförteckning, on every row of it"""
    block_nr: int | None = None
    """on every row of a block: the ``nr`` of the block's post (the row with ``block``)"""
    utfaller: Decimal | None = None

    @property
    def forklaring(self) -> str:
        """The Swedish explanation of how this row's numbers came about."""
        return _lazy(self, "text")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "nr": self.nr,
            "ordning": self.ordning,
            "typ": self.typ,
            "ids": list(self.ids),
            "fordran_ids": list(self.fordran_ids),
            "sakagare": self.sakagare,
            "formansratt": _num(self.formansratt),
            "kapitaldel": _num(self.kapitaldel),
            "tillagg": _num(self.tillagg),
            "tillagg_tak": _num(self.tillagg_tak),
            "skyddad": self.skyddad,
            "status": self.status,
            "forklaring": self.forklaring,
        }
        if self.slag:
            d["slag"] = self.slag
        if self.block_nr is not None:
            if self.block:
                d["block"] = list(self.block)
            d["block_nr"] = self.block_nr
            d["block_formansratt"] = _num(self.block_formansratt)
        if self.utfaller is not None:
            d["utfaller"] = _num(self.utfaller)
        return d


@dataclass(slots=True)
class FordranResultat:
    """One claim's outcome (read-only by convention): how much has priority, what it receives and its brist (RULES §7 p. 5–6)."""

    id: str
    borgenar: str
    fordran: Decimal
    kapital: Decimal
    ranta: Decimal
    kostnader: Decimal
    formansratt: Decimal
    personligt_ansvar: bool
    exekutionsfordran: bool
    text: object = field(repr=False, compare=False)
    utfaller: Decimal | None = None
    brist: Decimal | None = None
    brist_kostnader: Decimal | None = None
    brist_ranta: Decimal | None = None
    brist_kapital: Decimal | None = None

    @property
    def forklaring(self) -> str:
        """The claim's outcome in one Swedish sentence."""
        return _lazy(self, "text")

    @property
    def brist_personlig(self) -> Decimal | None:
        """The brist that stays a personal, unsecured claim against the debtor."""
        if self.brist is None:
            return None
        return self.brist if self.personligt_ansvar else Decimal("0.00")

    @property
    def brist_forlust(self) -> Decimal | None:
        """The brist that is a loss for the creditor (tredjemanspant, non-recourse)."""
        if self.brist is None:
            return None
        return Decimal("0.00") if self.personligt_ansvar else self.brist

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "borgenar": self.borgenar,
            "fordran": _num(self.fordran),
            "kapital": _num(self.kapital),
            "ranta": _num(self.ranta),
            "kostnader": _num(self.kostnader),
            "formansratt": _num(self.formansratt),
            "exekutionsfordran": self.exekutionsfordran,
            "personligt_ansvar": self.personligt_ansvar,
            "forklaring": self.forklaring,
        }
        if self.utfaller is not None:
            d.update(
                utfaller=_num(self.utfaller),
                brist=_num(self.brist),
                brist_kostnader=_num(self.brist_kostnader),
                brist_ranta=_num(self.brist_ranta),
                brist_kapital=_num(self.brist_kapital),
                brist_personlig=_num(self.brist_personlig),
                brist_forlust=_num(self.brist_forlust),
            )
        return d


@dataclass(frozen=True)
class Resultat:
    """The sakägarförteckning (and, with a price, the fördelning) of a case."""

    fastighet: str
    rader: tuple[Rad, ...]
    fordringar: tuple[FordranResultat, ...]
    skyddsbelopp: Decimal
    exekutionsfordran: str | None
    installningar: dict[str, Any]
    varningar: tuple[str, ...] = ()
    medel: Decimal | None = None
    overskott: Decimal | None = None
    agarhypotek_till_agaren: Decimal | None = None
    text_skyddsbelopp: object = field(default="", repr=False, compare=False)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def forklaring_skyddsbelopp(self) -> str:
        """The skyddsbelopp written out as a sum, with the statute."""
        return _lazy(self, "text_skyddsbelopp")

    @property
    def lagsta_bud(self) -> Decimal:
        """The lowest acceptable bid: it must cover the skyddsbelopp (UB 12 kap. 29 §)."""
        return self.skyddsbelopp

    @property
    def utdelat(self) -> Decimal | None:
        """Everything paid out at the rows (incl. ägarhypotek to the owner), without the överskott."""
        if self.medel is None:
            return None
        return sum((r.utfaller for r in self.rader if r.utfaller is not None), Decimal("0.00"))

    def rad(self, nr: int) -> Rad:
        return self.rader[nr - 1]

    def fordran(self, id: str) -> FordranResultat:
        for f in self.fordringar:
            if f.id == id:
                return f
        raise KeyError(id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; amounts are numbers in kronor rounded to öre."""
        d: dict[str, Any] = {
            "fastighet": self.fastighet,
            "skyddsbelopp": _num(self.skyddsbelopp),
            "lagsta_bud": _num(self.lagsta_bud),
            "forklaring_skyddsbelopp": self.forklaring_skyddsbelopp,
            "exekutionsfordran": self.exekutionsfordran,
            "rader": [r.to_dict() for r in self.rader],
            "fordringar": [f.to_dict() for f in self.fordringar],
            "installningar": self.installningar,
            "varningar": list(self.varningar),
        }
        if self.medel is not None:
            d["medel"] = _num(self.medel)
            d["utdelat"] = _num(self.utdelat)
            d["agarhypotek_till_agaren"] = _num(self.agarhypotek_till_agaren)
            d["overskott"] = _num(self.overskott)
            d["brist_personlig"] = _num(sum((f.brist_personlig for f in self.fordringar), Decimal("0.00")))
            d["brist_forlust"] = _num(sum((f.brist_forlust for f in self.fordringar), Decimal("0.00")))
        d.update(self.extra)
        return d


def _lazy(obj: object, name: str) -> str:
    """Render an explanation stored as (function, *args) once, on first read, and keep the string: the function
    gets ``obj`` first, so the tuple never holds its own row (the result stays free of reference cycles and is
    freed by reference counting alone, without the cyclic collector)."""
    value = getattr(obj, name)
    if isinstance(value, tuple):
        value = value[0](obj, *value[1:])
        object.__setattr__(obj, name, value)
    return value


def _num(value: Decimal | None) -> float | int | None:
    """Kronor for JSON: rounded to öre; whole kronor as int so 826000 prints as 826000."""
    if value is None:
        return None
    v = ore(value)
    return int(v) if v == v.to_integral_value() else float(v)
