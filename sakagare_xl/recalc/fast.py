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
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_TEMPLATES: dict[tuple[float, float], tuple] = {}
_LIMIT = 10_000
_MAX_BELOPP = 1e15  # engine.model.MAX_BELOPP and MAX_MANADER: beyond them the general path words the refusal
_MAX_MANADER = 4800.0
_engine: dict = {}


def _imports() -> dict:
    if not _engine:
        from ..adapters.values import ORE, money
        from ..engine.rantesats import inom_intervallet
        from ..engine.tillagg import FAST_PROCENT, Tak, fast_tak, tillagg_anvant

        _engine.update(money=money, ore=ORE, Tak=Tak, fast_tak=fast_tak, tillagg_anvant=tillagg_anvant,
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
    try:
        from ..adapters import functions as real
    except ImportError:  # pragma: no cover - the adapters are part of the package
        return {}
    out = {}
    if functions.get("TILLAGG") is real.TILLAGG:
        out["TILLAGG"] = tillagg
    return out
