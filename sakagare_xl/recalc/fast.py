"""Direct paths for our functions when every argument is a plain number.

recalc calls our Excel functions through :data:`sakagare_xl.adapters.functions.FUNCTIONS`, whose
argument handling accepts anything a cell can hold (text with spaces and "kr", percent signs, ranges,
blanks) and words the Swedish error messages. A column of 1 000 ``=TILLAGG(D8,$B$3,F8)`` passes plain
floats; for those the same engine computation is made here without the general conversions, and
anything else (a blank, text, a negative amount, a rate outside −5 % … 25 %, a missing argument) returns
``None`` so that the caller takes the general path, which gives the error exactly as the add-in does.

Every function here must return exactly what the registry's function returns for the same arguments
(tests/recalc/test_fast.py compares them over many random arguments).
"""

from __future__ import annotations

import math
import sys as _sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_TEMPLATES: dict[tuple[float, float], tuple] = {}
_LIMIT = 10_000
_MAX_BELOPP = 1e15  # engine.model.MAX_BELOPP and MAX_MANADER: beyond them the general path words the refusal
_MAX_MANADER = 4800.0
_engine: dict = {}


def _money(amount):
    """``adapters.values.money``: a float rounded to öre, half up (RULES §8); ``None`` → ``""``. Here so that
    the direct path does not import the adapters' conversions and, through them, ``engine.model``."""
    if amount is None:
        return ""
    return float(amount.quantize(_engine["ore"], rounding=ROUND_HALF_UP))


def _imports() -> dict:
    if not _engine:
        from ..engine.format import ORE
        from ..engine.rantesats import inom_intervallet
        from ..engine.tillagg import FAST_PROCENT, Tak, fast_tak, tillagg_anvant

        _engine.update(money=_money, ore=ORE, Tak=Tak, fast_tak=fast_tak, tillagg_anvant=tillagg_anvant,
                       inom=inom_intervallet, fast_procent=FAST_PROCENT)
    return _engine


def _mall(rate_f: float, months_f: float):
    """For one (ref_rate, months): the engine's ceiling for amount 0, whose periods and interest factor do
    not depend on the amount, so one serves every pantbrev; ``None`` when the rate or the months are
    outside what the general path accepts without a message."""
    key = (rate_f, months_f)
    hit = _TEMPLATES.get(key, _TEMPLATES)
    if hit is _TEMPLATES:
        hit = None
        if math.isfinite(rate_f) and math.isfinite(months_f):
            rate = Decimal(repr(rate_f))
            manader = Decimal(repr(months_f))
            if 0 <= manader <= _MAX_MANADER and _imports()["inom"](rate * 100):
                hit = _imports()["fast_tak"](Decimal(0), rate * 100, Fraction(manader))
        if len(_TEMPLATES) >= _LIMIT:
            _TEMPLATES.clear()
        _TEMPLATES[key] = hit
    return hit


def tillagg(args: list) -> float | None:
    """``TILLAGG(inteckning, ref_rate, months[, fordran])`` (JB 6 kap. 3 §) for finite floats in range:
    inteckning, months and fordran ≥ 0 and −0,05 ≤ ref_rate ≤ 0,25 (what ``to_decimal``/``to_percent`` accept
    without a message); ``fordran`` may be ``None`` (omitted). ``None`` when another path must decide."""
    n = len(args)
    if n < 3 or n > 4:
        return None
    belopp_f, rate_f, months_f = args[0], args[1], args[2]
    fordran_f = args[3] if n == 4 else None
    if belopp_f is None or rate_f is None or months_f is None or not math.isfinite(belopp_f):
        return None
    mall = _mall(rate_f, months_f)
    if mall is None:
        return None
    if not 0 <= belopp_f <= _MAX_BELOPP:
        return None
    belopp = Decimal(repr(belopp_f))
    e = _engine
    # Tak(belopp, mall.perioder, mall.faktor).tak, the same Decimal operations in the same order
    # (fixed part + interest part), without making the Tak
    tak = belopp * e["fast_procent"] / 100 + belopp * mall.faktor
    if fordran_f is not None:
        if not (math.isfinite(fordran_f) and 0 <= fordran_f <= _MAX_BELOPP):
            return None
        f = Decimal(repr(fordran_f))
        return e["money"](e["tillagg_anvant"](belopp, f, tak))
    return float(tak.quantize(e["ore"], rounding=ROUND_HALF_UP))  # money(tak): öre, half up (RULES §8)


def fast_paths(functions: dict) -> dict:
    """name → direct function, for the names whose registry entry is the real adapter function."""
    if functions is FUNCTIONS:  # the real registry by construction, whether loaded yet or not
        return {"TILLAGG": tillagg}
    try:
        from ..adapters import functions as real
    except ImportError:  # pragma: no cover - the adapters are part of the package
        return {}
    out = {}
    if functions.get("TILLAGG") is real.TILLAGG:
        out["TILLAGG"] = tillagg
    return out


# ----------------------------------------------------------------------------- the registry, loaded on use

#: the names of :data:`sakagare_xl.adapters.functions.FUNCTIONS` (in its order) and of its ``RANGE_FUNCTIONS``,
#: known without importing the adapters (tests/test_startup.py checks that they are the same)
NAMES = ("TILLAGG", "TILLAGG_DATUM", "REFERENSRANTA", "COVERAGE", "SKYDDSBELOPP", "BRIST", "OVERSKOTT",
         "FORDELNING", "FORKLARING", "SAK_RAD", "SAK_SUMMA")
RANGE_FUNCTIONS = ("COVERAGE", "SKYDDSBELOPP", "BRIST", "OVERSKOTT", "FORDELNING", "FORKLARING", "SAK_RAD",
                   "SAK_SUMMA")


class _Deferred:
    """A registry entry before the adapters are imported: calling it imports them and calls the real
    function (the evaluator takes its functions with ``registry[name]``, which loads them first)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __call__(self, *args, **kwargs):
        return FUNCTIONS[self.name](*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self.name}, not loaded yet>"


def _registry() -> "_Registry":
    return FUNCTIONS


class _Registry(dict):
    """:data:`sakagare_xl.adapters.functions.FUNCTIONS` as recalc's default registry, with the adapters
    (``adapters.functions``, ``omrade``, ``values`` and ``engine.model``: ~9 ms of every process) imported
    only when a value is taken: a formula on the general path, SAK_SUMMA for the report. Its names are
    there from the start (which formulas are ours, the plan's key), and a workbook whose calls all take a
    direct path (a column of plain-number ``TILLAGG``) never imports them. Once loaded, every value is the
    adapters' own function. Pickled as a reference to this one registry (``--jobs N`` workers)."""

    __slots__ = ()

    def _load(self) -> None:
        from ..adapters import functions as real

        if any(type(v) is _Deferred for v in dict.values(self)):
            dict.update(self, real.FUNCTIONS)

    def loaded(self) -> bool:
        return not any(type(v) is _Deferred for v in dict.values(self))

    def __getitem__(self, name):
        value = dict.__getitem__(self, name)
        if type(value) is _Deferred:
            self._load()
            value = dict.__getitem__(self, name)
        return value

    def get(self, name, default=None):
        """The entry without loading anything (a :class:`_Deferred` before the adapters are imported,
        unless they already are: then the real function, as :data:`IDENTITY` gives)."""
        if name not in self:
            return default
        if "sakagare_xl.adapters.functions" in _sys.modules:
            return self[name]
        return dict.__getitem__(self, name)

    def values(self):
        self._load()
        return dict.values(self)

    def items(self):
        self._load()
        return dict.items(self)

    def __reduce__(self):
        return (_registry, ())


FUNCTIONS = _Registry((name, _Deferred(name)) for name in NAMES)


class _Identity:
    """What ``evaluate._addressed`` compares a registry's entries with (``functions.get(n) is
    real.FUNCTIONS[n]``): the adapters' function when they are imported, else the entry of the
    registry above that is not loaded yet, so neither comparison imports them."""

    __slots__ = ()

    def __getitem__(self, name):
        real = _sys.modules.get("sakagare_xl.adapters.functions")
        if real is not None:
            return real.FUNCTIONS[name]
        return FUNCTIONS.get(name)


class REAL:
    """``evaluate._addressed`` reads ``RANGE_FUNCTIONS`` and ``FUNCTIONS[name]`` of this instead of the adapters
    module, so that making an evaluator does not import them (see :class:`_Identity`)."""

    RANGE_FUNCTIONS = RANGE_FUNCTIONS
    FUNCTIONS = _Identity()
