"""Input value objects: the sale, the registrations and the claims.

All are frozen dataclasses; amounts are :class:`~decimal.Decimal`, days are
:class:`datetime.date` (or, for an old registration known only by its year,
an ``int`` year). Validation of single values happens in ``__post_init__``;
validation across objects (references, duplicates) in
:func:`sakagare_xl.engine.validering.validera`.

Field names are the case-file keys (see ``docs/case-format.md``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .errors import OgiltigtBelopp, OgiltigtDatum, OgiltigtVarde, visa
from .rantesats import kontrollera_procent

#: The kinds of registration (``slag``). ``inteckning`` is a mortgage; the rest are rights.
SLAG_INTECKNING = "inteckning"
SLAG_RATTIGHETER = ("servitut", "nyttjanderatt", "hyresavtal", "arrende", "rattighet")
SLAG = (SLAG_INTECKNING,) + SLAG_RATTIGHETER

TIDSBERAKNING = ("manader", "dagar")

Dag = _dt.date | int  # a day, or only a year for old registrations

#: The largest amount accepted anywhere (case files, workbook cells, function arguments, ``--kopeskilling``):
#: 10^15 kr, a thousand times Sweden's GDP. Beyond it a number is a typo, and the Decimal arithmetic
#: (28 digits) could no longer show every öre.
MAX_BELOPP = Decimal(10) ** 15
#: The most months of tillägg interest accepted (``manader``): 4 800, the 400 years of :data:`FORSTA_DAG`–
#: :data:`SISTA_DAG`.
MAX_MANADER = Decimal(4800)
#: Days outside 1800-01-01 – 2200-12-31 are refused (the same bounds as a bare year, 1800–2200): a
#: fördelningsdag 9999-12-31 is a placeholder, not a day to count months to.
FORSTA_DAG = _dt.date(1800, 1, 1)
SISTA_DAG = _dt.date(2200, 12, 31)


def tusental(d: Decimal) -> str:
    """A whole amount with spaces between thousands, as a limit is shown in a message.

    >>> tusental(MAX_BELOPP)
    '1 000 000 000 000 000'
    """
    return f"{int(d):,}".replace(",", " ")


def for_stort(d: Decimal, maximum: Decimal = MAX_BELOPP) -> bool:
    """Whether ``d`` (finite) is beyond the bound (by absolute value)."""
    return abs(d) > maximum


def dag_utanfor(day: _dt.date) -> str | None:
    """The Swedish reason a day outside :data:`FORSTA_DAG`–:data:`SISTA_DAG` is refused, or ``None``.

    >>> dag_utanfor(_dt.date(9999, 12, 31))
    'datumet 9999-12-31 är orimligt (ett datum mellan 1800-01-01 och 2200-12-31 väntades)'
    """
    if FORSTA_DAG <= day <= SISTA_DAG:
        return None
    return (f"datumet {day.isoformat()} är orimligt (ett datum mellan {FORSTA_DAG.isoformat()} och "
            f"{SISTA_DAG.isoformat()} väntades)")


def belopp(value: object, field_name: str, where: str | None = None, *, allow_none: bool = False) -> Decimal | None:
    """Turn ``value`` into a non-negative ``Decimal`` or raise :class:`OgiltigtBelopp`.

    Accepts ints, Decimals, floats (through their shortest repr, so 0.1 is 0.1)
    and numeric strings with a decimal comma or point and spaces as thousands
    separators.

    >>> belopp("1 300 000,50", "kapital")
    Decimal('1300000.50')
    >>> belopp(0.1, "kapital")
    Decimal('0.1')
    >>> belopp("tio", "kapital", "fordran A")
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtBelopp: Fel i fordran A, fältet 'kapital': ett belopp i kronor väntades, inte 'tio'.
    """
    if type(value) is Decimal and value.is_finite() and 0 <= value <= MAX_BELOPP:
        return value  # what the checks below return for a plain amount (the common case), without them
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise OgiltigtBelopp(field_name, value, where, reason="beloppet saknas")
    if isinstance(value, bool):
        raise OgiltigtBelopp(field_name, value, where, reason=f"ett belopp i kronor väntades, inte {visa(value)}")
    try:
        if isinstance(value, Decimal):
            d = value
        elif isinstance(value, int):
            d = Decimal(value)
        elif isinstance(value, float):
            d = Decimal(repr(value))
        elif isinstance(value, str):
            d = Decimal(value.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
        else:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise OgiltigtBelopp(field_name, value, where, reason=f"ett belopp i kronor väntades, inte {visa(value)}") from None
    if not d.is_finite():
        raise OgiltigtBelopp(field_name, value, where, reason=f"beloppet måste vara ett ändligt tal, inte {visa(value)}")
    if d < 0:
        raise OgiltigtBelopp(field_name, value, where)
    if for_stort(d):
        raise OgiltigtBelopp(field_name, value, where,
                             reason=f"beloppet {visa(value)} är orimligt stort (högst {tusental(MAX_BELOPP)} kr)")
    return d


def procent(value: object, field_name: str, where: str | None = None) -> Decimal:
    """A referensränta already in percent (may be negative: it has no floor), inside the one accepted
    range of :mod:`sakagare_xl.engine.rantesats`. Readers of typed input (case files, cells, flags) check
    the unit first (:func:`~sakagare_xl.engine.rantesats.fran_procent`, ``fran_andel``).

    >>> procent(-0.5, "referensranta")
    Decimal('-0.5')
    """
    return kontrollera_procent(value, field_name, where)


_new = object.__new__  # for the trusted constructors (``betrodd``), which skip ``__post_init__``


def _check_dag(value: object, field_name: str, where: str | None, *, allow_year: bool = False) -> None:
    if value is None or type(value) is _dt.date and FORSTA_DAG <= value <= SISTA_DAG:
        return  # no day, or a plain day in range (the common case): nothing below would raise
    if isinstance(value, _dt.datetime) or not isinstance(value, (_dt.date, int)) or isinstance(value, bool):
        raise OgiltigtDatum(f"ett datum (ÅÅÅÅ-MM-DD) väntades, inte {visa(value)}.", field_name, where)
    if isinstance(value, int):
        if not allow_year:
            raise OgiltigtDatum(f"ett fullständigt datum väntades, inte bara ett år ({value}).", field_name, where)
        if not 1800 <= value <= 2200:
            raise OgiltigtDatum(f"året {value} är orimligt.", field_name, where)
    elif dag_utanfor(value):
        raise OgiltigtDatum(f"{dag_utanfor(value)}.", field_name, where)


@dataclass(frozen=True)
class Forsaljning:
    """The sale: dates, costs, settings and (optionally) the price.

    ``utmatningsdag`` starts the tillägg interest; in konkurs
    ``konkursansokningsdag`` does, and where the price was deposited
    ``deponeringsdag`` does (JB 6 kap. 3 §). ``manader`` replaces the dates
    (exam exercises) and then needs a fixed ``referensranta``.
    ``referensranta`` is in percent (2.0 means 2 %); ``None`` means the shipped table.
    ``utmatning_inskrivningsdag`` is the inskrivningsdag on which the utmätning was entered in the land
    register (UB 4 kap. 30 § 2 st.); the utmätning ranks before every inteckning and right sought that day
    or later (FRL 9 § 3 st., UB 4 kap. 30 § 4 st.). ``None`` means the utmätningsdag.
    """

    fordelningsdag: _dt.date | None = None
    utmatningsdag: _dt.date | None = None
    utmatning_inskrivningsdag: _dt.date | None = None
    konkurs: bool = False
    konkursansokningsdag: _dt.date | None = None
    deponeringsdag: _dt.date | None = None
    sakagarforteckningsdag: _dt.date | None = None
    manader: Decimal | None = None
    forrattningskostnader: Decimal = Decimal(0)
    referensranta: Decimal | None = None
    tidsberakning: str = "manader"
    rattighet_bryter_block: bool = True
    kopeskilling: Decimal | None = None
    ranta_kopeskilling: Decimal = Decimal(0)
    fastighet: str = ""

    def __post_init__(self) -> None:
        w = "försäljningen"
        for name in ("fordelningsdag", "utmatningsdag", "utmatning_inskrivningsdag", "konkursansokningsdag",
                     "deponeringsdag", "sakagarforteckningsdag"):
            _check_dag(getattr(self, name), name, w)
        if self.tidsberakning not in TIDSBERAKNING:
            raise OgiltigtVarde(f"'manader' eller 'dagar' väntades, inte {visa(self.tidsberakning)}.", "tidsberakning", w)
        for name in ("forrattningskostnader", "ranta_kopeskilling"):
            object.__setattr__(self, name, belopp(getattr(self, name), name, w))
        for name in ("kopeskilling", "manader"):
            object.__setattr__(self, name, belopp(getattr(self, name), name, w, allow_none=True))
        if self.manader is not None and for_stort(self.manader, MAX_MANADER):
            raise OgiltigtVarde(f"antalet månader {visa(self.manader)} är orimligt (högst {tusental(MAX_MANADER)}).",
                                "manader", w)
        if self.referensranta is not None:
            object.__setattr__(self, "referensranta", procent(self.referensranta, "referensranta", w))
        for name in ("konkurs", "rattighet_bryter_block"):
            if not isinstance(getattr(self, name), bool):
                raise OgiltigtVarde(f"sant eller falskt väntades, inte {visa(getattr(self, name))}.", name, w)

    @property
    def startdag(self) -> _dt.date | None:
        """The day the tillägg interest starts (JB 6 kap. 3 §)."""
        if self.deponeringsdag is not None:
            return self.deponeringsdag
        if self.konkurs:
            return self.konkursansokningsdag
        return self.utmatningsdag

    @property
    def startdag_falt(self) -> str:
        if self.deponeringsdag is not None:
            return "deponeringsdag"
        return "konkursansokningsdag" if self.konkurs else "utmatningsdag"

    @property
    def utmatningens_inskrivningsdag(self) -> _dt.date | None:
        """The inskrivningsdag of the utmätning: given, or the utmätningsdag (UB 4 kap. 30 § 2 st.)."""
        return self.utmatning_inskrivningsdag or self.utmatningsdag

    @property
    def medel(self) -> Decimal | None:
        """The money distributed: köpeskilling plus interest on it."""
        if self.kopeskilling is None:
            return None
        return self.kopeskilling + self.ranta_kopeskilling


@dataclass(frozen=True)
class Inskrivning:
    """A registration: an inteckning (with ``belopp``) or a right.

    ``dag`` is the inskrivningsdag (or only a year). ``ordning`` orders
    registrations of the same day (lower first); without it they have equal
    rank (JB 17 kap.). An unregistered right gives its rank date as ``dag``.
    ``innehavare`` is who holds the pantbrev (an inteckning nobody holds is the owner's: ägarhypotek
    whole, JB 6 kap.) or, for a right, the rättighetshavare (a sakägare shown in the list).
    """

    id: str
    dag: Dag
    slag: str = SLAG_INTECKNING
    belopp: Decimal | None = None
    ordning: int | None = None
    innehavare: str = ""
    beskrivning: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise OgiltigtVarde("varje inskrivning behöver ett id (text).", "id", "inskrivningarna")
        w = f"inskrivning {self.id}"
        if self.dag is None:
            raise OgiltigtDatum("inskrivningsdagen saknas.", "dag", w)
        _check_dag(self.dag, "dag", w, allow_year=True)
        if self.slag not in SLAG:
            raise OgiltigtVarde(f"ett av {', '.join(SLAG)} väntades, inte {visa(self.slag)}.", "slag", w)
        if self.slag == SLAG_INTECKNING:
            object.__setattr__(self, "belopp", belopp(self.belopp, "belopp", w))
            if self.belopp == 0:
                raise OgiltigtBelopp("belopp", self.belopp, w, reason="ett pantbrev på 0 kr är inte en inteckning")
        elif self.belopp not in (None, 0, Decimal(0)):
            raise OgiltigtVarde("en rättighet har inget belopp; lämna fältet tomt.", "belopp", w)
        if self.ordning is not None and (isinstance(self.ordning, bool) or not isinstance(self.ordning, int)):
            raise OgiltigtVarde(f"ett heltal väntades, inte {visa(self.ordning)}.", "ordning", w)

    @classmethod
    def betrodd(cls, id: str, dag: Dag, slag: str, belopp: Decimal | None, ordning: int | None,
                innehavare: str) -> "Inskrivning":
        """An ``Inskrivning`` from a reader that has already checked its values, made without the checks of
        ``__post_init__`` that those make redundant; what the reader leaves open is still checked here, with
        the same message. The reader guarantees: ``id`` a non-empty stripped text; ``slag`` one of
        :data:`SLAG`; for an inteckning ``belopp`` a finite ``Decimal`` in 0 … :data:`MAX_BELOPP`, for a
        right ``None``; ``ordning`` ``None`` or an ``int`` (not a bool); ``innehavare`` a text. Still
        checked: ``dag`` (a day or a year, in range) and an inteckning of 0 kr.

        >>> dag = _dt.date(2001, 5, 2)
        >>> Inskrivning.betrodd("P1", dag, "inteckning", Decimal(100), None, "") == Inskrivning("P1", dag, belopp=100)
        True
        """
        w = None
        if dag is None or type(dag) is not _dt.date or not FORSTA_DAG <= dag <= SISTA_DAG:
            w = f"inskrivning {id}"
            if dag is None:
                raise OgiltigtDatum("inskrivningsdagen saknas.", "dag", w)
            _check_dag(dag, "dag", w, allow_year=True)
        if belopp == 0 and slag == SLAG_INTECKNING:
            raise OgiltigtBelopp("belopp", belopp, w or f"inskrivning {id}",
                                 reason="ett pantbrev på 0 kr är inte en inteckning")
        obj = _new(cls)
        d = obj.__dict__  # set item by item, in the fields' order: cheaper than ``update`` with keywords
        d["id"] = id
        d["dag"] = dag
        d["slag"] = slag
        d["belopp"] = belopp
        d["ordning"] = ordning
        d["innehavare"] = innehavare
        d["beskrivning"] = ""
        return obj

    @property
    def ar_inteckning(self) -> bool:
        return self.slag == SLAG_INTECKNING

    @property
    def rangdag(self) -> _dt.date:
        """The day used for ranking: a bare year ranks as its first day and ties with that whole year."""
        return _dt.date(self.dag, 1, 1) if isinstance(self.dag, int) else self.dag


@dataclass(frozen=True)
class Fordran:
    """A claim as notified (bevakad): capital, interest, costs and its security.

    ``pantbrev`` are pledged to the creditor in first hand; ``overhypotek``
    in second hand (paid from the ägarhypotek, no tillägg, JB 6 kap. 3 § 3 st.);
    ``utmatta_pantbrev`` are the owner's pantbrev attached for this claim (paid
    from the ägarhypotek, no tillägg). ``frl6_1`` marks special priority under
    FRL 6 § 1. An unsecured claim that is not the exekutionsfordran needs a
    ``rangdag`` (a day its priority starts, ranked after the registrations of that day) or an
    ``utmatningsdag``.
    ``utmatningsdag`` is the day of the utmätning made for this claim: of the pantbrev in
    ``utmatta_pantbrev`` when it has some, otherwise of the property. Claims attached at one time (the
    same day) have equal rank and share pro rata; attachments at different times rank by time (FRL 9 §
    4 st.). The exekutionsfordran's utmätning is the sale's (``Forsaljning.utmatningsdag``).
    ``personligt_ansvar`` false means the brist is a loss (tredjemanspant, non-recourse).
    """

    id: str
    borgenar: str
    kapital: Decimal
    ranta: Decimal = Decimal(0)
    kostnader: Decimal = Decimal(0)
    pantbrev: tuple[str, ...] = ()
    overhypotek: tuple[str, ...] = ()
    utmatta_pantbrev: tuple[str, ...] = ()
    exekutionsfordran: bool = False
    frl6_1: bool = False
    personligt_ansvar: bool = True
    rangdag: _dt.date | None = None
    utmatningsdag: _dt.date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise OgiltigtVarde("varje fordran behöver ett id (text).", "id", "fordringarna")
        w = f"fordran {self.id}"
        if not isinstance(self.borgenar, str) or not self.borgenar.strip():
            raise OgiltigtVarde("borgenären saknas.", "borgenar", w)
        for name in ("kapital", "ranta", "kostnader"):
            object.__setattr__(self, name, belopp(getattr(self, name), name, w))
        for name in ("pantbrev", "overhypotek", "utmatta_pantbrev"):
            v = getattr(self, name)
            if type(v) is tuple and not v:
                continue  # the default, nothing to check or convert
            if isinstance(v, str):
                v = (v,)
            try:
                v = tuple(v)
            except TypeError:
                raise OgiltigtVarde(f"en lista med pantbrevs-id väntades, inte {visa(v)}.", name, w) from None
            if not all(isinstance(x, str) and x.strip() for x in v):
                raise OgiltigtVarde(f"en lista med pantbrevs-id väntades, inte {visa(v)}.", name, w)
            object.__setattr__(self, name, v)
        for name in ("exekutionsfordran", "frl6_1", "personligt_ansvar"):
            if not isinstance(getattr(self, name), bool):
                raise OgiltigtVarde(f"sant eller falskt väntades, inte {visa(getattr(self, name))}.", name, w)
        _check_dag(self.rangdag, "rangdag", w)
        _check_dag(self.utmatningsdag, "utmatningsdag", w)

    @classmethod
    def betrodd(cls, id: str, borgenar: str, kapital: Decimal, ranta: Decimal, kostnader: Decimal,
                pantbrev: tuple[str, ...], overhypotek: tuple[str, ...], utmatta_pantbrev: tuple[str, ...],
                exekutionsfordran: bool, frl6_1: bool, personligt_ansvar: bool,
                rangdag: _dt.date | None) -> "Fordran":
        """A ``Fordran`` from a reader that has already checked every value ``__post_init__`` checks, made
        without checking them again (``utmatningsdag`` is ``None``). The reader guarantees: ``id`` and
        ``borgenar`` non-empty stripped texts; the three amounts finite ``Decimal`` in 0 …
        :data:`MAX_BELOPP`; the three id lists tuples of non-empty stripped texts; the three flags bools;
        ``rangdag`` ``None`` or a date in :data:`FORSTA_DAG` … :data:`SISTA_DAG`. A reader that cannot
        guarantee one of these uses the ordinary constructor.

        >>> Fordran.betrodd("F1", "Bank", Decimal(5), Decimal(0), Decimal(0), ("P1",), (), (), False, False,
        ...                 True, None) == Fordran("F1", "Bank", Decimal(5), pantbrev=("P1",))
        True
        """
        obj = _new(cls)
        d = obj.__dict__  # set item by item, in the fields' order: cheaper than ``update`` with keywords
        d["id"] = id
        d["borgenar"] = borgenar
        d["kapital"] = kapital
        d["ranta"] = ranta
        d["kostnader"] = kostnader
        d["pantbrev"] = pantbrev
        d["overhypotek"] = overhypotek
        d["utmatta_pantbrev"] = utmatta_pantbrev
        d["exekutionsfordran"] = exekutionsfordran
        d["frl6_1"] = frl6_1
        d["personligt_ansvar"] = personligt_ansvar
        d["rangdag"] = rangdag
        d["utmatningsdag"] = None
        return obj

    @property
    def belopp(self) -> Decimal:
        """The whole claim: capital + interest + costs."""
        return self.kapital + self.ranta + self.kostnader


@dataclass(frozen=True)
class Arende:
    """A whole case: the sale, its registrations and the notified claims."""

    forsaljning: Forsaljning
    inskrivningar: tuple[Inskrivning, ...] = field(default_factory=tuple)
    fordringar: tuple[Fordran, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inskrivningar", tuple(self.inskrivningar))
        object.__setattr__(self, "fordringar", tuple(self.fordringar))
