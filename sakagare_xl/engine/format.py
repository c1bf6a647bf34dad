"""Swedish formatting of amounts, percentages and fractions for the explanations.

>>> kr(Decimal("826000"))
'826 000'
>>> kr(Decimal("16002.7397"))
'16 002,74'
>>> pct(Decimal("2"))
'2,00 %'
>>> pct(Decimal("15"), 0)
'15 %'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")


def ore(amount: Decimal) -> Decimal:
    """Round to öre, half up (RULES §8)."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def kr(amount: Decimal) -> str:
    """An amount in kronor as Swedish text: space between thousands, decimal comma, öre only when not whole."""
    a = ore(amount)
    text = f"{abs(a):,.2f}".replace(",", " ")
    if text.endswith(".00"):
        text = text[:-3]
    else:
        text = text.replace(".", ",")
    return ("−" if a < 0 else "") + text


def tal(value: Decimal, decimals: int | None = None) -> str:
    """A plain number with a decimal comma, trailing zeros dropped unless ``decimals`` is given."""
    if decimals is not None:
        s = f"{value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    else:
        s = f"{value:f}"
        if "." in s:
            s = s.rstrip("0").rstrip(".")
    return s.replace("-", "−").replace(".", ",")


def pct(value: Decimal, decimals: int = 2) -> str:
    """A percentage as Swedish text."""
    return tal(value, decimals) + " %"
