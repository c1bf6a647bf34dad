"""Walking the money down the rows (RULES §7, UB 13 kap.).

Amounts here are whole öre (``int``) so every split is exact. Within a group of equal rank that the
money does not cover, the shares are proportional to the entitlements and rounded to öre by the
D'Hondt (Jefferson) divisor method: every share is at least its exact quota rounded down, never above
the entitlement, the shares add up to the money exactly, and a larger sum never gives any member
less (no "Alabama paradox", which the largest-remainder method has). See RULES §7 p. 3.

>>> prorata([300, 100], 200)
[150, 50]
>>> prorata([1, 1, 1], 2)          # ties go to the earlier row
[1, 1, 0]
>>> coverage([(1, Decimal("100")), (2, Decimal("50")), (2, Decimal("150"))], Decimal("120"))
[Decimal('100.00'), Decimal('5.00'), Decimal('15.00')]
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction

from .errors import OgiltigtBelopp
from .format import ore


def till_ore(amount: Decimal) -> int:
    """Kronor (Decimal) to whole öre, half up.

    >>> till_ore(Decimal("16002.745")), till_ore(Decimal("5"))
    (1600275, 500)
    """
    cents = amount.scaleb(2)
    if cents == cents.to_integral_value():
        return int(cents)
    return int(ore(amount).scaleb(2))


def fran_ore(n: int) -> Decimal:
    """Whole öre to kronor with two decimals.

    >>> fran_ore(12345), fran_ore(0)
    (Decimal('123.45'), Decimal('0.00'))
    """
    return Decimal(n).scaleb(-2)


def prorata(entitlements: Sequence[int], money: int) -> list[int]:
    """Split ``money`` öre between ``entitlements`` (öre) in proportion, exactly, house-monotone.

    With ``money`` at least the sum, every entitlement is paid in full.
    """
    total = sum(entitlements)
    if money >= total:
        return list(entitlements)
    if money <= 0:
        return [0] * len(entitlements)
    quota = Fraction(money, total)
    shares = [int(e * quota) for e in entitlements]  # floor: e * quota >= 0
    rest = money - sum(shares)
    heap = [(Fraction(a + 1, e), i) for i, (a, e) in enumerate(zip(shares, entitlements)) if e > 0]
    heapq.heapify(heap)
    for _ in range(rest):
        _, i = heapq.heappop(heap)
        shares[i] += 1
        if shares[i] < entitlements[i]:
            heapq.heappush(heap, (Fraction(shares[i] + 1, entitlements[i]), i))
    return shares


def walk(groups: Sequence[Sequence[Sequence[Sequence[int]]]], money: int) -> tuple[list[list[list[int]]], int]:
    """Pay ``money`` down ``groups`` (best rank first). A group is a list of sharing units; a unit is a
    list of tiers paid one after the other (a pantbrev: creditor first, then ägarhypotek); a tier is a list
    of row entitlements of equal rank inside the unit (claims that attached the pantbrev at one time), which
    share pro rata. Units of one group share pro rata by their totals. Returns the payments per row
    (groups → units → rows, the tiers flattened) and the money left (the överskott).

    >>> walk([[[[10], [30, 90]]]], 70)
    ([[[10, 15, 45]]], 0)
    """
    out: list[list[list[int]]] = []
    left = money
    for group in groups:
        if len(group) == 1 and len(group[0]) == 1 and len(group[0][0]) == 1:
            # one row alone at its rank (the common case): what ``prorata([e], left)`` and the tier give
            e = group[0][0][0]
            p = e if left >= e else (0 if left <= 0 else left)
            left -= p
            out.append([[p]])
            continue
        unit_totals = [sum(sum(t) for t in u) for u in group]
        unit_pay = prorata(unit_totals, left)
        left -= sum(unit_pay)
        paid_group = []
        for unit, pay in zip(group, unit_pay):
            rows = []
            for tier in unit:
                if len(tier) == 1:
                    p = min(tier[0], pay)
                    rows.append(p)
                    pay -= p
                else:
                    shares = prorata(tier, pay)
                    rows.extend(shares)
                    pay -= sum(shares)
            paid_group.append(rows)
        out.append(paid_group)
    return out, left


def coverage(rader: Sequence[tuple[Hashable, Decimal]], medel: Decimal) -> list[Decimal]:
    """What each row of a precomputed list receives: ``rader`` are ``(ordning, formansratt)`` in priority
    order (equal ``ordning`` = equal rank, sharing pro rata, RULES §7), ``medel`` the money.

    Adjacent rows with the same ``ordning`` form one group.
    """
    money = till_ore(medel)
    if money < 0:
        raise OgiltigtBelopp("pris", medel)
    groups: list[list[list[int]]] = []
    last: object = object()
    for rank, ent in rader:
        e = till_ore(ent)
        if e < 0:
            raise OgiltigtBelopp("formansratt", ent)
        if groups and rank == last:
            groups[-1].append([[e]])
        else:
            groups.append([[[e]]])
        last = rank
    paid, _ = walk(groups, money)
    return [fran_ore(unit[0]) for group in paid for unit in group]
