"""The sakägarförteckning: order of priority, tillägg, ägarhypotek, skyddsbelopp, rights and fördelning.

See RULES.md §2–§7, JB 6 kap. 3 §, JB 17 kap., UB 4 kap. 30 §, UB 12 kap. 29 §, FRL 6, 8 och 9 §§.
:func:`berakna` is the one entry point; it is pure (no files, no clock).

Lawline 15971 (E2): costs 5 000 before D, A 85 000 + ägarhypotek 5 000, B 75 000, C 12 000 +
ägarhypotek 28 000, D receives 10 000 of 25 000.

>>> import datetime as dt
>>> from decimal import Decimal as D
>>> from sakagare_xl.engine.model import Arende, Forsaljning, Inskrivning, Fordran
>>> case = Arende(
...     Forsaljning(manader=D(0), referensranta=D("1.5"), forrattningskostnader=D(5000), kopeskilling=D(220000)),
...     [Inskrivning("P1980", 1980, belopp=D(90000)), Inskrivning("P1984", 1984, belopp=D(70000)),
...      Inskrivning("P1991", 1991, belopp=D(40000)), Inskrivning("P1996", 1996, belopp=D(40000))],
...     [Fordran("A", "A", D(85000), pantbrev=("P1980",)), Fordran("B", "B", D(75000), pantbrev=("P1984",)),
...      Fordran("C", "C", D(12000), pantbrev=("P1991",)),
...      Fordran("D", "D", D(25000), pantbrev=("P1996",), exekutionsfordran=True)])
>>> r = berakna(case)
>>> r.skyddsbelopp, r.fordran("D").utfaller, r.fordran("D").brist, r.agarhypotek_till_agaren, r.overskott
(Decimal('210000.00'), Decimal('10000.00'), Decimal('15000.00'), Decimal('33000.00'), Decimal('0.00'))
"""

from __future__ import annotations

import datetime as _dt
import gc
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from collections.abc import Sequence
from typing import Any

from .format import ORE, kr, ore
from .fordelning import fran_ore, prorata, till_ore, walk
from .model import SLAG_INTECKNING, Arende, Fordran, Forsaljning, Inskrivning  # noqa: F401 (Forsaljning: the doctests)
from .rantesats import varningar as rantevarningar
from .referensranta import Referensrantetabell
from .resultat import FordranResultat, Rad, Resultat
from .tillagg import FAST_PROCENT, Period, Tak, fast_tak, perioder, rantefaktor
from .validering import kontrollera

AGAREN = "Ägaren"
NOLL = Decimal("0.00")
_ZERO = Decimal(0)
_FAST_ANDEL = FAST_PROCENT / 100  # 0.15: the fixed part of the tillägg ceiling (JB 6 kap. 3 §)
_TVA_ORE = Decimal("0.02")
_MONEY_TYPES = frozenset(("fordran", "frl6", "overhypotek", "utmatt"))

SLAGNAMN = {
    "servitut": "Servitut",
    "nyttjanderatt": "Nyttjanderätt",
    "hyresavtal": "Hyresavtal",  # the agreement (slag hyresavtal); "hyresrätt" reads as the tenure form
    "arrende": "Arrende",
    "rattighet": "Rättighet",
}


def _dag(d: object) -> str:
    return d.isoformat() if isinstance(d, _dt.date) else str(d)


def _ar(i: Inskrivning) -> str:
    return str(i.dag) if isinstance(i.dag, int) else i.dag.isoformat()


class _Texter:
    """What the explanations read when they are rendered: the sale, the registrations by id and the tillägg's
    periods. Not the working ``_Berakning``, whose indexes hold rows: an explanation that held it would make the
    result a reference cycle, freed only by the cyclic collector (docs/performance-rounds.md, "Engine, third round")."""

    __slots__ = ("f", "insk", "perioder", "faktor")

    def __init__(self, b: "_Berakning"):
        self.f, self.insk, self.perioder, self.faktor = b.f, b.insk, b.perioder, b.faktor

    def utmatning_av_fastigheten(self, c: Fordran) -> tuple[_dt.date, _dt.date] | None:
        return _Berakning.utmatning_av_fastigheten(self, c)  # (reads only ``f``)


class _Berakning:
    def __init__(self, arende: Arende, tabell: Referensrantetabell | None):
        self.insk, exek = kontrollera(arende)
        self.arende = arende
        self.f = arende.forsaljning
        self.tabell = tabell
        # indexes: pantbrev id -> the claims it secures first-hand, second-hand (överhypotek) and attached for,
        # in case-file order (keeps the computation linear in the rows); ``special``: the pantbrev in the last two;
        # each claim's amount still unpaid
        self.claims = claims = list(arende.fordringar)
        first_hand: dict[str, list[Fordran]] = {}
        second_hand: dict[str, list[Fordran]] = {}
        attached: dict[str, list[Fordran]] = {}
        remaining: dict[str, Decimal] = {}
        self.blocks_possible = False  # whether a claim has two pantbrev (only then can a block form)
        for c in claims:
            pantbrev = c.pantbrev
            for pid in pantbrev:
                on = first_hand.get(pid)
                if on is None:
                    first_hand[pid] = [c]
                else:
                    on.append(c)
            if len(pantbrev) > 1:
                self.blocks_possible = True
            for pid in c.overhypotek:
                second_hand.setdefault(pid, []).append(c)
            for pid in c.utmatta_pantbrev:
                attached.setdefault(pid, []).append(c)
            remaining[c.id] = c.belopp
        # a pantbrev held by someone other than the owner with no claim notified is the holder's claim (RULES §5)
        for i in arende.inskrivningar:
            if i.innehavare and i.slag == SLAG_INTECKNING and i.id not in first_hand:
                c = Fordran(f"{i.id} (innehav)", i.innehavare, i.belopp, pantbrev=(i.id,))
                claims.append(c)
                first_hand[i.id] = [c]
                remaining[c.id] = c.belopp
        self.first_hand, self.second_hand, self.attached, self.remaining = first_hand, second_hand, attached, remaining
        self.special = second_hand.keys() | attached.keys()
        self.lika_nr = 0
        #: id(row) -> its number of equal rank, for the rows of claims that attached one pantbrev at one time
        self.lika_of: dict[int, int] = {}
        #: id(block tuple) -> the block's first-hand rows, in order
        self.block_rows: dict[int, list[Rad]] = {}
        self.exek = exek[0] if exek else None
        if self.f.manader is not None:
            self.perioder: tuple[Period, ...] = fast_tak(Decimal(0), self.f.referensranta, Fraction(self.f.manader)).perioder
        else:
            self.perioder = perioder(
                self.f.startdag, self.f.fordelningsdag, tabell,
                sakagarforteckningsdag=self.f.sakagarforteckningsdag,
                tidsberakning=self.f.tidsberakning,
                referensranta=self.f.referensranta,
                fran_falt=self.f.startdag_falt,
            )
        self.faktor = rantefaktor(self.perioder)
        self.texter = _Texter(self)

    # ---- order of priority (RULES §2) ----
    def ranking(self) -> list[list[tuple[str, object]]]:
        posts: list[tuple[tuple, int, str, object]] = []
        n = 0
        # a key is (1, day, phase, order, 0): on one inskrivningsdag the utmätningar entered that day come
        # first (phase 0, by the time of the utmätning), then the registrations (phase 1, by ``ordning``), then
        # claims ranked by a plain ``rangdag`` (phase 2); FRL 6 § 1 claims (0,) before all, unranked claims (2,)
        # after all. ``n`` orders equal keys by the case's order (and never compares two kinds of post)
        for i in self.arende.inskrivningar:
            d = i.dag
            posts.append(((1, d if type(d) is _dt.date else i.rangdag, 1, i.ordning or 0, 0), n,
                          "insk" if i.slag == SLAG_INTECKNING else "ratt", i))
            n += 1
        for c in self.claims:
            if c.frl6_1:
                posts.append(((0,), n, "frl6", c))  # (utmatning_av_fastigheten gives such a claim nothing more)
                n += 1
                continue
            secured = c.pantbrev or c.overhypotek or c.utmatta_pantbrev
            if c.utmatningsdag is None and not c.exekutionsfordran:
                if not secured:
                    key = (1, c.rangdag, 2, 0, 0) if c.rangdag is not None else (2,)
                    posts.append((key, n, "oprioriterad", c))
                    n += 1
                continue  # (utmatning_av_fastigheten gives such a claim nothing)
            att = None if not secured and c.rangdag is not None else self.utmatning_av_fastigheten(c)
            if att is not None:
                # FRL 8 §: the utmätning gives priority (to the part the pantbrev do not cover); FRL 9 § 3 st. and
                # UB 4 kap. 30 § 4 st.: before every inteckning and right sought on its inskrivningsdag or later;
                # FRL 9 § 4 st.: by the time of the utmätning, simultaneous ones with equal rank
                insk_dag, dag = att
                posts.append(((1, insk_dag, 0, dag, 0), n, "utmatning" if secured else "oprioriterad", c))
                n += 1
            elif not secured:
                key = (1, c.rangdag, 2, 0, 0) if c.rangdag is not None else (2,)
                posts.append((key, n, "oprioriterad", c))
                n += 1
        posts.sort()  # by (key, n): n is unique, so the kind and the object are never compared
        groups: list[list[tuple[str, object]]] = []
        last = None
        for key, _, kind, obj in posts:
            if groups and key == last:
                groups[-1].append((kind, obj))
            else:
                groups.append([(kind, obj)])
            last = key
        return groups

    def utmatning_av_fastigheten(self, c: Fordran) -> tuple[_dt.date, _dt.date] | None:
        """(inskrivningsdag, utmätningsdag) of the utmätning of the property made for ``c``, or None.

        The exekutionsfordran's is the sale's utmätning (none in konkurs). Another claim attached the property
        when it has an ``utmatningsdag`` and no ``utmatta_pantbrev``; made on the sale's utmätningsdag it was
        entered with the sale's utmätning, otherwise on its own day (RULES §2 p. 3, docs/rules.md)."""
        f = self.f
        if c.frl6_1:
            return None
        if c.exekutionsfordran:
            if f.konkurs or f.utmatningsdag is None:
                return None
            return f.utmatningens_inskrivningsdag, f.utmatningsdag
        if c.utmatningsdag is None or c.utmatta_pantbrev:
            return None
        if c.utmatningsdag == f.utmatningsdag:
            return f.utmatningens_inskrivningsdag, c.utmatningsdag
        return c.utmatningsdag, c.utmatningsdag

    def claims_on(self, pid: str) -> list[Fordran]:
        """The claims that ``pid`` secures first-hand, in case-file order."""
        return self.first_hand.get(pid, [])

    def blocks(self, groups: list[list[tuple[str, object]]]) -> dict[str, tuple[str, ...]]:
        """Blockregeln (JB 6 kap. 3 § 2 st.: "Har flera pantbrev överlämnats som pant för fordran ..."): pantbrev
        pledged for the same claim(s), with equal rank or directly after each other, form one block. The key is
        the set of claims each pantbrev secures first-hand: a creditor's claims secured by every pantbrev of the
        run are treated together; a pantbrev pledged for other claims (even of the same creditor) is no part of
        the block. A right in between breaks it unless ``rattighet_bryter_block`` is false.

        Returns the blocks of two or more pantbrev, by each member's id (a pantbrev not listed is a block of its
        own). A block of two needs a claim secured by both, so without a claim on two pantbrev there is none."""
        if not self.blocks_possible:
            return {}
        block_of: dict[str, list[str]] = {}
        open_blocks: dict[tuple[str, ...], list[str]] = {}
        bryter = self.f.rattighet_bryter_block
        first_hand = self.first_hand
        for group in groups:
            if len(group) == 1:
                # one registration or claim alone at its rank (the common case): the general steps below, shortened
                kind, obj = group[0]
                if kind == "insk":
                    claims = first_hand.get(obj.id)
                    if claims:
                        h = (claims[0].id,) if len(claims) == 1 else tuple([c.id for c in claims])
                        blk = open_blocks.get(h) or []
                        blk.append(obj.id)
                        block_of[obj.id] = blk
                        open_blocks = {h: blk}
                        continue
                elif kind == "ratt" and not bryter:
                    continue  # a right alone does not break a block
                open_blocks = {}
                continue
            only_rights = all(k == "ratt" for k, _ in group)
            if only_rights and not self.f.rattighet_bryter_block:
                continue
            here: dict[tuple[str, ...], list[str]] = {}
            for kind, obj in group:
                if kind == "insk":
                    claims = self.claims_on(obj.id)
                    if claims:
                        here.setdefault(tuple(c.id for c in claims), []).append(obj.id)
            new_open = {}
            for h, pids in here.items():
                blk = open_blocks.get(h) or []
                blk.extend(pids)
                new_open[h] = blk
                for p in pids:
                    block_of[p] = blk  # the same list object, so later members extend every entry
            open_blocks = new_open
        frozen: dict[int, tuple[str, ...]] = {}
        for p, b in block_of.items():
            if len(b) > 1:
                frozen[id(b)] = tuple(b)
        return {p: frozen[id(b)] for p, b in block_of.items() if len(b) > 1}

    # ---- rows ----
    # Each row is built once, as the public ``Rad``: here its amounts, by ``_fordela`` its number, rank, protection
    # and payment; ``_ore`` keeps its förmånsrätt in öre for the walk. The amounts a row shows are rounded to öre
    # where they are computed and kept as one ``Decimal`` each: its förmånsrätt, its kapitaldel and its share (one
    # claim) are often the same amount, and then the same object. An explanation is built when read, with the
    # row's utfaller (if any) at its end.
    def take(self, cid: str, amount: Decimal) -> Decimal:
        a = max(min(self.remaining[cid], amount), Decimal(0))
        self.remaining[cid] -= a
        return a

    def pantbrev_unit(self, p: Inskrivning, block_of: dict[str, tuple[str, ...]]) -> list[Rad]:
        """The rows of one pantbrev: its first-hand creditor (capital, and the tillägg if it ends a block),
        second-hand pledgees and attaching creditors from the ägarhypotek, then the owner."""
        rows: list[Rad] = []
        pid = p.id
        left = p.belopp
        eligible = self.first_hand.get(pid)
        if eligible:
            remaining = self.remaining
            blk = block_of.get(pid) or (pid,)
            if len(eligible) == 1 and len(blk) == 1:
                # one claim, a pantbrev of its own (the common case): the general steps below, written out
                c = eligible[0]
                cid = c.id
                need_before = remaining[cid]
                belopp = p.belopp
                a, remaining[cid], t, ceiling, share = _en_fordran(need_before, left, belopp, self.faktor)
                left -= a
                kapitaldel = belopp - left
                # nr, ordning, typ, ids, fordran_ids, sakagare, formansratt, kapitaldel, tillagg, tillagg_tak,
                # skyddad, status, text, enhet, andelar, slag
                row = Rad(0, 0, "fordran", (pid,), (cid,), c.borgenar, share if share else NOLL,
                          kapitaldel.quantize(ORE, ROUND_HALF_UP), t, ceiling.quantize(ORE, ROUND_HALF_UP), False,
                          None, None, 0, ((cid, share),), "inteckning")
                row.text = (_text_fordran, self.texter, p, need_before, blk, kapitaldel == belopp, belopp)
                row._ore = int(share * 100)
                rows.append(row)
            else:
                need_before = sum(remaining[c.id] for c in eligible)
                andelar: list[tuple[str, Decimal]] = []
                for c in eligible:
                    a = self.take(c.id, left)
                    left -= a
                    andelar.append((c.id, a))
                kapitaldel = p.belopp - left
                tak_belopp = ceiling = None
                t = NOLL
                if blk[-1] == pid:
                    # every pantbrev of a block secures exactly these claims (the block's key)
                    bsum = p.belopp if len(blk) == 1 else sum(self.insk[b].belopp for b in blk)
                    need = sum(remaining[c.id] for c in eligible)
                    tak_belopp = bsum
                    ceiling = bsum * FAST_PROCENT / 100 + bsum * self.faktor  # Tak.tak, the Tak built when read
                    t = ore(min(need, max(ceiling, Decimal(0))))
                    rest = t
                    for c in eligible:
                        a = self.take(c.id, rest)
                        rest -= a
                        for k, (cid, amt) in enumerate(andelar):
                            if cid == c.id:
                                andelar[k] = (cid, amt + a)
                                break
                        else:
                            andelar.append((c.id, a))
                shares = tuple([(cid, ore(a)) for cid, a in andelar])
                formansratt = sum((a for _, a in shares), NOLL)
                row = Rad(0, 0, "fordran", (pid,),
                          (shares[0][0],) if len(shares) == 1 else tuple([cid for cid, _ in shares]),
                          eligible[0].borgenar, formansratt, kapitaldel.quantize(ORE, ROUND_HALF_UP), t,
                          None if ceiling is None else ceiling.quantize(ORE, ROUND_HALF_UP), False, None, None, 0,
                          shares, "inteckning", blk if len(blk) > 1 and blk[-1] == pid else ())
                row.text = (_text_fordran, self.texter, p, need_before, blk, kapitaldel == p.belopp, tak_belopp)
                row._ore = int(formansratt * 100)
                if len(blk) > 1:
                    self.block_rows.setdefault(id(blk), []).append(row)
                rows.append(row)
        for c in self.second_hand.get(pid, ()):
            need = self.remaining[c.id]
            a = self.take(c.id, left)
            left -= a
            q = ore(a)
            row = Rad(0, 0, "overhypotek", (pid,), (c.id,), c.borgenar, q, q, NOLL, None, False, None, None, 0,
                      ((c.id, q),), "inteckning")
            row.text = (_text_andrahand, p, need, a + left, None, 0)
            row._ore = int(q * 100)
            rows.append(row)
        attached = self.attached.get(pid)
        if attached:
            left = self.attached_rows(p, attached, left, rows)
        if left > 0:
            q = left.quantize(ORE, ROUND_HALF_UP)
            row = Rad(0, 0, "agarhypotek", (pid,), (), AGAREN, q, q, NOLL, None, False, None, None, 0, (),
                      "inteckning")
            row.text = (_text_agarhypotek, p, left)
            row._ore = int(q * 100)
            rows.append(row)
        return rows

    def attached_rows(self, p: Inskrivning, attached: list[Fordran], left: Decimal, rows: list[Rad]) -> Decimal:
        """Claims that attached (utmätt) the owner's pantbrev ``p``: paid from the ägarhypotek without tillägg
        (JB 6 kap. 3 § 3 st.), by the time of the utmätning; claims attached at one time (the same
        ``utmatningsdag``; without one, the sale's) have equal rank and share pro rata to their claims
        (FRL 9 § 4 st.: "Utmätning för flera fordringar på en gång ger lika rätt"). Returns what is left."""
        default = self.f.utmatningsdag

        def when(c: Fordran) -> tuple:
            d = c.utmatningsdag or default
            return (0, d) if d is not None else (1,)

        order = sorted(attached, key=when)  # stable: listed order within one time
        k = 0
        while k < len(order):
            j = k + 1
            while j < len(order) and when(order[j]) == when(order[k]):
                j += 1
            tier = order[k:j]
            needs = [self.remaining[c.id] for c in tier]
            if len(tier) == 1:
                amounts = [min(needs[0], left)]
            elif sum(needs) <= left:
                amounts = needs
            else:
                amounts = [fran_ore(x) for x in prorata([till_ore(n) for n in needs], till_ore(left))]
            lika = (self.lika_nr + 1) if len(tier) > 1 else None
            self.lika_nr += len(tier) > 1
            d = when(tier[0])
            taken = []
            for c, need, a in zip(tier, needs, amounts):
                a = self.take(c.id, a)
                taken.append(a)
                q = ore(a)
                row = Rad(0, 0, "utmatt", (p.id,), (c.id,), c.borgenar, q, q, NOLL, None, False, None, None, 0,
                          ((c.id, q),), "inteckning")
                row.text = (_text_andrahand, p, need, left, d[1] if len(d) > 1 else None, len(tier))
                row._ore = int(q * 100)
                if lika is not None:
                    self.lika_of[id(row)] = lika
                rows.append(row)
            left -= sum(taken)
            k = j
        return left

    def claim_row(self, kind: str, c: Fordran) -> Rad:
        need = self.remaining[c.id]
        a = self.take(c.id, need)
        q = ore(a)
        row = Rad(0, 0, "frl6" if kind == "frl6" else "fordran", (), (c.id,), c.borgenar, q, q, NOLL, None, False,
                  None, None, 0, ((c.id, q),), "fordran")
        row.text = (_text_claim, self.texter, kind, c, a)
        row._ore = int(q * 100)
        return row

    def units(self, group: list[tuple[str, object]]) -> list[list[Rad]]:
        """The rows of one group of equal rank, as units: a pantbrev's rows, or one row."""
        units: list[list[Rad]] = []
        for kind, obj in group:
            if kind == "insk":
                units.append(self.pantbrev_unit(obj, self.block_of))
            elif kind == "ratt":
                r = Rad(0, 0, "rattighet", (obj.id,), (), obj.innehavare or obj.beskrivning or SLAGNAMN[obj.slag],
                        NOLL, NOLL, NOLL, None, False, None, "", 0, (), obj.slag)
                r._ore = 0
                units.append([r])
            elif kind == "utmatning" and self.remaining[obj.id] <= 0:
                continue  # the pantbrev covered the whole claim: no row at the utmätning
            else:
                units.append([self.claim_row(kind, obj)])
        return units

    def exek_group(self, groups: list[list[tuple[str, object]]]) -> int | None:
        """The index of the group holding the exekutionsfordran's first row, or None. A pantbrev's rows always
        include a row for each claim it secures or is attached for; a claim's own post has a row unless it is the
        post at the utmätning of a claim with nothing left, which before any of its other rows means a claim of 0."""
        exek = self.exek
        if exek is None:
            return None
        pids = {*exek.pantbrev, *exek.overhypotek, *exek.utmatta_pantbrev}
        for gi, group in enumerate(groups):
            for kind, obj in group:
                if kind == "insk":
                    if obj.id in pids:
                        return gi
                elif obj is exek and not (kind == "utmatning" and self.remaining[exek.id] <= 0):
                    return gi
        return None


def _text_fordran(row: Rad, b: _Texter, p: Inskrivning, need_before: Decimal, blk: tuple[str, ...],
                  hela: bool, tak_belopp: Decimal | None) -> str:
    """``hela``: the claim took the pantbrev's whole amount as capital."""
    text = f"Pantbrev {p.id} ({_ar(p)}, {kr(p.belopp)}) för {row.sakagare}: fordran {kr(need_before)}"
    if hela and need_before > p.belopp:
        text += f" > {kr(p.belopp)}"
    tak = None if tak_belopp is None else Tak(tak_belopp, b.perioder, b.faktor)
    if tak is None:
        # name the block by its last pantbrev only: a row's explanation never lists the whole block
        text += f"; pantbrevet ingår i blocket som slutar med pantbrev {blk[-1]}, där tillägget placeras"
    else:
        ceiling = tak.tak
        if len(blk) > 1:
            text = (f"Block {_block_namn(b, blk)} ({row.sakagare}, blockregeln JB 6 kap. 3 § 2 st.): {kr(tak.belopp)} + "
                    f"{tak.formel()} = {kr(tak.belopp + ceiling)} som högst; på denna rad kapital "
                    f"{kr(row.kapitaldel)}; blockets förmånsrätt tillhopa {kr(row.block_formansratt)}")
        else:
            text += f"; tillägg högst {tak.formel()} = {kr(ceiling)} (JB 6 kap. 3 §)"
        if row.tillagg:
            text += f"; tillägg {kr(row.tillagg)} används"
            if row.tillagg < ceiling:
                text += " (fordran behöver inte mer; outnyttjat tak blir inte ägarhypotek)"
        elif len(blk) == 1:
            text += "; inget tillägg behövs"
    return text + f". Förmånsrätt {kr(row.formansratt)}." + _utfall(row)


def _block_namn(b: _Texter, blk: tuple[str, ...]) -> str:
    """A block named once: its pantbrev with their days, or for a long block the first, the last and the count."""
    if len(blk) <= 6:
        return "+".join(f"{x} ({_ar(b.insk[x])})" for x in blk)
    return f"{blk[0]} ({_ar(b.insk[blk[0]])}) … {blk[-1]} ({_ar(b.insk[blk[-1]])}), {len(blk)} pantbrev"


def _text_andrahand(row: Rad, p: Inskrivning, need: Decimal, available: Decimal, dag: object, n: int) -> str:
    why = "pantsatt i andra hand (överhypotek)" if row.typ == "overhypotek" else "utmätt för fordringen"
    if row.typ == "utmatt" and dag is not None:
        why += f" {_dag(dag)}"
    if n > 1:
        return (f"Ägarhypotek i pantbrev {p.id} {why} till {row.sakagare}, samtidigt med {n - 1} andra "
                f"fordringar: lika rätt, kvar av pantbrevet {kr(available)} delas i proportion till fordringarna "
                f"(FRL 9 § 4 st.); fordran {kr(need)}, andel {kr(row.kapitaldel)}, utan tillägg (JB 6 kap. 3 § 3 st.)."
                + _utfall(row))
    return (f"Ägarhypotek i pantbrev {p.id} {why} till {row.sakagare}: min(fordran {kr(need)}, "
            f"kvar av pantbrevet {kr(available)}) = {kr(row.kapitaldel)}, utan tillägg (JB 6 kap. 3 § 3 st.)."
            + _utfall(row))


def _text_agarhypotek(row: Rad, p: Inskrivning, left: Decimal) -> str:
    used = p.belopp - left
    if not used:
        return f"Pantbrev {p.id} ({_ar(p)}, {kr(p.belopp)}) är inte pantsatt: hela beloppet är ägarhypotek." + _utfall(row)
    return (f"Ägarhypotek i pantbrev {p.id} ({_ar(p)}): {kr(p.belopp)} − {kr(used)} = {kr(left)} "
            "tillfaller ägaren på pantbrevets plats, utan tillägg." + _utfall(row))


def _text_claim(row: Rad, b: _Texter, kind: str, c: Fordran, a: Decimal) -> str:
    return _text_claim_base(b, kind, c, a) + _utfall(row)


def _text_claim_base(b: _Texter, kind: str, c: Fordran, a: Decimal) -> str:
    if kind == "frl6":
        return f"Särskild förmånsrätt enligt FRL 6 § 1 för {c.borgenar}: fordran {kr(a)}."
    att = None if kind == "frl6" or (kind != "utmatning" and c.rangdag is not None) else b.utmatning_av_fastigheten(c)
    if att is not None:
        insk_dag, dag = att
        when = _dag(dag) + (f", antecknad på inskrivningsdagen {_dag(insk_dag)}" if insk_dag != dag else "")
        who = f"exekutionsfordran ({c.borgenar})" if c.exekutionsfordran else f"fordran för {c.borgenar}"
        what = (f"Den del av {who} som pantbreven inte täcker, {kr(a)}," if kind == "utmatning"
                else f"{who[0].upper()}{who[1:]} utan pantbrev, {kr(a)},")
        return (f"{what} har förmånsrätt genom utmätningen {when} (FRL 8 §): efter inskrivningar sökta före den "
                "inskrivningsdagen, före inteckningar och rättigheter sökta samma dag eller senare (FRL 9 § 3 st., "
                "UB 4 kap. 30 § 4 st.).")
    day = c.rangdag
    if day is None:
        return f"Fordran för {c.borgenar} utan förmånsrätt i fastigheten: {kr(a)}."
    return f"Fordran för {c.borgenar} utan pantbrev: förmånsrätt från {_dag(day)}, {kr(a)}."


def _text_utfall(row: Rad, utfaller: Decimal) -> str:
    if row.typ == "rattighet":
        return ""
    if utfaller == row.formansratt:
        return f" Utfaller {kr(utfaller)} (fullt)."
    if utfaller:
        return f" Utfaller {kr(utfaller)} av {kr(row.formansratt)}: medlen räcker inte längre."
    return " Utfaller 0: medlen är slut."


def _utfall(row: Rad) -> str:
    """What a row receives, as the end of its explanation (nothing without a price)."""
    return "" if row.utfaller is None else _text_utfall(row, row.utfaller)


def _text_med_utfall(row: Rad, text: str) -> str:
    return text + _utfall(row)


def _text_skydd(resultat: Resultat, exek: Fordran | None, skydd: Decimal) -> str:
    parts = [r for r in resultat.rader if r.skyddad and r.formansratt]
    if exek is None:
        text = "Ingen exekutionsfordran (konkurs): skyddsbeloppet är kostnaderna och alla fordringar med förmånsrätt"
    else:
        text = f"Kostnaderna och allt med bättre rätt än exekutionsfordran ({exek.borgenar})"
    terms = " + ".join(f"{kr(r.formansratt)} ({r.sakagare}{', ' + r.ids[0] if r.ids else ''})" for r in parts)
    return text + f" (UB 12 kap. 29 §): {terms or '0'} = {kr(skydd)}."


def _text_fordran_resultat(_: FordranResultat, c: Fordran, fr: Decimal, utfaller: Decimal | None, brist: Decimal | None) -> str:
    text = f"{c.borgenar}: fordran {kr(c.belopp)}, varav {kr(fr)} med förmånsrätt"
    if fr < c.belopp:
        text += f"; {kr(c.belopp - fr)} utanför pantbreven"
    if utfaller is not None:
        text += f"; utfaller {kr(utfaller)}, brist {kr(brist)}"
        if brist:
            text += (" (kvarstår som personlig fordran mot gäldenären)" if c.personligt_ansvar
                     else " (förlust för borgenären: inget personligt ansvar)")
    return text + "."


def _tiers(unit: list[Rad], lika_of: dict[int, int]) -> list[list[int]]:
    """A pantbrev's rows as the walk takes them: tiers paid one after the other, the rows of a tier (claims
    attached at one time) sharing pro rata (RULES §7 p. 3, FRL 9 § 4 st.)."""
    if len(unit) == 1:
        return [[unit[0]._ore]]
    if not lika_of:
        return [[r._ore] for r in unit]
    tiers: list[list[int]] = []
    last = None
    for r in unit:
        e = r._ore
        lika = lika_of.get(id(r))
        if lika is not None and lika == last:
            tiers[-1].append(e)
        else:
            tiers.append([e])
        last = lika
    return tiers


def _upphor(row: Rad) -> None:
    row.status = "upphor"
    row.text = (f"{SLAGNAMN[row.slag]} {row.ids[0]} har inte bättre rätt än exekutionsfordran och upphör vid "
                "försäljningen, om inte budet täcker allt med bättre rätt.")


def _settings(b: _Berakning) -> dict[str, Any]:
    f = b.f
    return {
        "tidsberakning": f.tidsberakning,
        "referensranta": "tabell" if f.referensranta is None else float(f.referensranta),
        "referensranta_perioder": [
            {"referensranta": float(p.referensranta), "tid": p.tid.text} for p in b.perioder
        ],
        "manader": None if f.manader is None else float(f.manader),
        "startdag": None if f.manader is not None or f.startdag is None else f.startdag.isoformat(),
        "startdag_falt": f.startdag_falt,
        "fordelningsdag": None if f.fordelningsdag is None else f.fordelningsdag.isoformat(),
        "sakagarforteckningsdag": None if f.sakagarforteckningsdag is None else f.sakagarforteckningsdag.isoformat(),
        "konkurs": f.konkurs,
        "rattighet_bryter_block": f.rattighet_bryter_block,
        "kostnader_placeras": "först (konkurs)" if f.konkurs else "närmast före exekutionsfordran",
        "lika_rang": "delar proportionellt per pantbrev (D'Hondt per öre); inom ett pantbrev borgenären före ägarhypoteket",
        "avrundning": "öre, halvt uppåt, endast visade belopp",
        "utmatning_inskrivningsdag": (None if f.utmatningens_inskrivningsdag is None
                                      else f.utmatningens_inskrivningsdag.isoformat()),
        "exekutionsfordran_utan_pantbrev": ("genom utmätningen (FRL 8 §): efter inskrivningar sökta före utmätningens "
                                            "inskrivningsdag, före dem som söks den dagen eller senare (FRL 9 §)"),
        "block": "per fordran: pantbrev som pantsatts för samma fordringar (JB 6 kap. 3 § 2 st.)",
        "samtidig_utmatning": "lika rätt, delning i proportion till fordringarna (FRL 9 § 4 st.)",
    }


def _warnings(b: _Berakning) -> list[str]:
    """Rate warnings: unverified table values, a fixed rate off the 0,50 % grid (RULES.md §8, §9)."""
    return rantevarningar(b.f, b.tabell)


def berakna(arende: Arende, tabell: Referensrantetabell | None = None) -> Resultat:
    """The sakägarförteckning of ``arende`` and, when it has a köpeskilling, the fördelning.

    ``tabell`` is the referensränta table (:func:`sakagare_xl.referensranta_data.las_tabell`); it is
    needed only when the case gives no fixed ``referensranta``.

    The garbage collector is paused for the one computation (and restored as it was): it builds many small
    objects that all stay alive, and with the collector on, a 10 000-row case spent 13–23 % of its time in
    collections that free nothing (docs/performance-rounds.md, "Engine"). Nothing outside the call is touched.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _berakna(arende, tabell)
    finally:
        if was_enabled:
            gc.enable()


def _fordela(b: _Berakning, groups: list[list[tuple[str, object]]]
             ) -> tuple[tuple[Rad, ...], Decimal, int | None, Decimal | None]:
    """The rows in priority order, built and paid in one pass, best rank first: (rows, skyddsbelopp, the öre left
    after the last row or None without a price, what the owner receives at the pantbrev's places or None).
    ``b.received`` and ``b.formansratt`` get each claim's receipts and förmånsrätt.

    Costs (RULES §2 p. 4): first in konkurs, else immediately before the exekutionsfordran's best rank.
    Protection: costs + everything of better rank than the exekutionsfordran (UB 12 kap. 29 §); every group
    before the sökande's is better (the costs' own group holds only the costs). Inside the sökande's group only
    rows before it in its own pantbrev (a first-hand claim before a second-hand one), and only when that
    pantbrev has no equal-rank sibling: with one, they share with unprotected rows; and never a row attached at
    the same time as the sökande (equal rank, FRL 9 § 4 st.). Konkurs without sökande: the konkursbo ranks
    last, everything is better.
    Rights (RULES §6): förbehåll, upphör or dubbelutrop, by the protected money before them; with a price, a right
    ranking after the sökande is kept when the price covers everything before it.
    Fördelning (RULES §7): the money walks down group by group, in öre: a group the money covers is paid in full,
    one after the money is gone gets nothing, and the one in between is paid by ``fordelning.walk``.
    """
    f = b.f
    exek = b.exek
    exek_gi = b.exek_group(groups)
    costs_first = f.konkurs or exek_gi is None
    kostnader = ore(f.forrattningskostnader)
    cost = Rad(0, 0, "kostnader", (), (), "Förrättningskostnader", kostnader, kostnader, NOLL, None, True, None, None,
               0, (), "kostnader")
    cost._ore = int(kostnader * 100)
    if costs_first:
        cost.text = (_text_med_utfall, f"Förrättningskostnader {kr(kostnader)} tas först" +
                     (" (konkurs)." if f.konkurs else "."))
    else:
        cost.text = (_text_med_utfall, f"Förrättningskostnader {kr(kostnader)} placeras närmast före "
                                       f"exekutionsfordran ({exek.borgenar}) (UB 12 kap.).")
    medel = f.medel
    left = None if medel is None else till_ore(medel)
    priced = left is not None
    # each claim's receipts and förmånsrätt (0,00 plus its amounts, as ``sum`` adds them), and the outcome of a
    # claim whose only row is a pantbrev's first-hand row written out below
    received: dict[str, Decimal] = {}
    formansratt: dict[str, Decimal] = {}
    done: dict[str, FordranResultat] = {}
    b.received, b.formansratt, b.done = received, formansratt, done
    rget, fget = received.get, formansratt.get
    rader: list[Rad] = []
    add = rader.append
    lika_of = b.lika_of
    texter = b.texter
    first_hand, special, block_of, remaining, faktor = b.first_hand, b.special, b.block_of, b.remaining, b.faktor
    H = ROUND_HALF_UP
    skydd = True  # the rows before the exekutionsfordran's group are protected
    skydd_ore = 0
    money_before = False  # a protected money row with förmånsrätt in an earlier group (dubbelutrop)
    short_before = False  # an earlier group not paid in full
    agarhypotek_ore = 0
    nr = ordning = enhet = 0
    for gi in range(-1, len(groups)):
        if gi < 0 or gi == exek_gi:
            if (gi < 0) == costs_first:
                # the costs, a group of their own
                nr += 1
                ordning += 1
                enhet += 1
                cost.nr, cost.ordning, cost.enhet = nr, ordning, enhet
                e = cost._ore
                skydd_ore += e
                if priced:
                    pay = e if left >= e else (0 if left <= 0 else left)
                    left -= pay
                    cost.utfaller = kostnader if pay == e and e else (Decimal(pay).scaleb(-2) if pay else NOLL)
                    if pay < e:
                        short_before = True
                add(cost)
            if gi < 0:
                continue
            skydd = False
        group = groups[gi]
        plain = False
        if gi != exek_gi:
            if len(group) == 1:
                kind, p = group[0]
                if kind == "insk":
                    pid = p.id
                    eligible = first_hand.get(pid)
                    plain = (eligible is None or len(eligible) == 1) and pid not in special and pid not in block_of
            else:
                plain = _plain(group, first_hand, special, block_of) and (
                    not priced or left <= 0 or left >= _ore_bound(group, faktor))
        if plain:
            # a group of plain pantbrev (the common case: most often one pantbrev), each alone or of equal rank,
            # each pledged first-hand for at most one claim and for that claim alone, not pledged in second hand
            # or attached: what ``pantbrev_unit`` builds and the general steps below pay, written out one pantbrev
            # after the other. For a group of several only when the money certainly covers it all or is gone
            # (``_ore_bound``): then paying one pantbrev after the other pays each in full, or nothing, just as
            # the general steps pay the group; the group the money runs out in takes the general steps'
            # pro rata walk.
            ordning += 1
            for _, p in group:
                pid = p.id
                eligible = first_hand.get(pid)
                # the same arithmetic as ``pantbrev_unit`` (``_en_fordran``) and the general steps
                enhet += 1
                belopp = p.belopp
                ids = (pid,)
                rest = belopp
                short_here = False
                if eligible is not None:
                    c = eligible[0]
                    cid = c.id
                    need_before = remaining[cid]
                    a, still_needed, t, ceiling, share = _en_fordran(need_before, rest, belopp, faktor)
                    rest -= a
                    e = int(share * 100)
                    fr = share if share else NOLL  # 0,00 + share
                    # the claim's only row: no other pantbrev, pledge or post of its own (RULES §2 p. 3)
                    only = (len(c.pantbrev) == 1 and not c.overhypotek and not c.utmatta_pantbrev
                            and not c.exekutionsfordran and c.utmatningsdag is None)
                    if not only:
                        remaining[cid] = still_needed
                    utfaller = u = None
                    if priced:
                        pay = e if left >= e else (0 if left <= 0 else left)
                        left -= pay
                        if pay == e:
                            utfaller = u = fr if e else NOLL
                        elif pay:
                            utfaller = u = Decimal(pay).scaleb(-2)
                            short_here = True
                        else:
                            utfaller = u = NOLL
                            short_here = True
                    if only:
                        done[cid] = _utfall_fordran(c, fr, u)
                    else:
                        if priced:
                            received[cid] = rget(cid, NOLL) + u
                        formansratt[cid] = fget(cid, NOLL) + share
                    if skydd:
                        skydd_ore += e
                        if e > 0:
                            money_before = True
                    nr += 1
                    kapitaldel = belopp - rest
                    # nr, ordning, typ, ids, fordran_ids, sakagare, formansratt, kapitaldel, tillagg,
                    # tillagg_tak, skyddad, status, text, enhet, andelar, slag, block, block_formansratt,
                    # block_nr, utfaller
                    row = Rad(nr, ordning, "fordran", ids, (cid,), c.borgenar, fr, kapitaldel.quantize(ORE, H), t,
                              ceiling.quantize(ORE, H), skydd, None, None, enhet, ((cid, share),), "inteckning",
                              (), None, None, utfaller)
                    row.text = (_text_fordran, texter, p, need_before, ids, kapitaldel == belopp, belopp)
                    row._ore = e
                    add(row)
                if rest > 0:
                    q = rest.quantize(ORE, H)
                    e = int(q * 100)
                    utfaller = None
                    if priced:
                        pay = e if left >= e else (0 if left <= 0 else left)
                        left -= pay
                        if pay == e:
                            utfaller = q if e else NOLL
                        else:
                            utfaller = Decimal(pay).scaleb(-2) if pay else NOLL
                            short_here = True
                        agarhypotek_ore += pay
                    if skydd:
                        skydd_ore += e
                    nr += 1
                    row = Rad(nr, ordning, "agarhypotek", ids, (), AGAREN, q, q, NOLL, None, skydd, None, None,
                              enhet, (), "inteckning", (), None, None, utfaller)
                    row.text = (_text_agarhypotek, p, rest)
                    row._ore = e
                    add(row)
                if short_here:
                    short_before = True
            continue

        units = b.units(group)
        if not units:
            continue
        ordning += 1
        if gi == exek_gi:
            exek_id = exek.id
            eu, er = next(((ui, ri) for ui, unit in enumerate(units) for ri, r in enumerate(unit)
                           if exek_id in r.fordran_ids), (-1, -1))
            exek_lika = lika_of.get(id(units[eu][er])) if lika_of and eu >= 0 else None
            protect_before = len(units) == 1
        else:
            protect_before = False
        rights = None
        money_here = False
        gtotal = 0
        for ui, unit in enumerate(units):
            enhet += 1
            for ri, row in enumerate(unit):
                nr += 1
                row.nr = nr
                row.ordning = ordning
                row.enhet = enhet
                e = row._ore
                gtotal += e
                if skydd or (protect_before and ui == eu and ri < er
                             and (exek_lika is None or lika_of.get(id(row)) != exek_lika)):
                    row.skyddad = True
                    skydd_ore += e
                typ = row.typ
                if typ == "rattighet":
                    if rights is None:
                        rights = []
                    rights.append(row)
                elif not money_before and row.skyddad and typ in _MONEY_TYPES and row.formansratt > 0:
                    money_here = True
                add(row)
        if rights is not None:
            for row in rights:
                name = SLAGNAMN[row.slag]
                if row.skyddad and money_before:
                    row.status = "dubbelutrop"
                    row.text = (f"{name} {row.ids[0]} har bättre rätt än exekutionsfordran men sämre än en "
                                "skyddad fordran: dubbelutrop (med och utan förbehåll); ger inga pengar.")
                elif row.skyddad:
                    row.status = "forbehall"
                    row.text = (f"{name} {row.ids[0]} har bättre rätt än exekutionsfordran och förbehålls "
                                "vid försäljningen; ger inga pengar.")
                else:
                    _upphor(row)
        if money_here:
            money_before = True
        if not priced:
            for unit in units:
                for row in unit:
                    for cid, amt in row.andelar:
                        formansratt[cid] = fget(cid, NOLL) + amt
            continue
        if left >= gtotal:
            # paid in full: each row's utfaller is its förmånsrätt (both in öre, two decimals), and each claim's
            # share of it is its share of the förmånsrätt
            left -= gtotal
            short_here = False
            for unit in units:
                for row in unit:
                    row.utfaller = row.formansratt if row._ore else NOLL
                    for cid, amt in row.andelar:
                        received[cid] = rget(cid, NOLL) + amt
                        formansratt[cid] = fget(cid, NOLL) + amt
                    if row.typ == "agarhypotek":
                        agarhypotek_ore += row._ore
        elif left <= 0:
            short_here = gtotal > 0
            for unit in units:
                for row in unit:
                    row.utfaller = NOLL
                    for cid, amt in row.andelar:
                        formansratt[cid] = fget(cid, NOLL) + amt
        else:
            paid, left = walk([[_tiers(unit, lika_of) for unit in units]], left)
            short_here = False
            for unit, paid_unit in zip(units, paid[0]):
                for row, pay in zip(unit, paid_unit):
                    if pay < row._ore:
                        short_here = True
                    utfaller = row.formansratt if pay == row._ore and pay else (
                        Decimal(pay).scaleb(-2) if pay else NOLL)  # fran_ore
                    row.utfaller = utfaller
                    rest = utfaller
                    for cid, amt in row.andelar:
                        x = min(rest, amt)
                        received[cid] = rget(cid, NOLL) + x
                        rest -= x
                        formansratt[cid] = fget(cid, NOLL) + amt
                    if row.typ == "agarhypotek":
                        agarhypotek_ore += pay
        if rights is not None and not short_before:
            for row in rights:
                if row.status == "upphor":
                    row.status = "forbehall"
                    row.text += " Köpeskillingen täcker allt med bättre rätt, så rättigheten förbehålls."
        if short_here:
            short_before = True
    # a block is one post (NJA 1981 s. 459: "Fyra inteckningar, tillhopa ..."): its total förmånsrätt on every
    # row of it; the block's pantbrev are listed once, on its last row (the post), and every row points there
    for members in b.block_rows.values():
        total = sum((r.formansratt for r in members), NOLL)
        post = members[-1].nr
        for r in members:
            r.block_formansratt = total
            r.block_nr = post
    # the skyddsbelopp and the owner's receipts are sums of amounts in öre
    return (tuple(rader), fran_ore(skydd_ore), left, None if left is None else fran_ore(agarhypotek_ore))


def _plain(group: list[tuple[str, object]], first_hand: dict[str, list[Fordran]], special: Any,
           block_of: dict[str, tuple[str, ...]]) -> bool:
    """Whether every post of ``group`` is a pantbrev pledged first-hand for at most one claim and for that claim
    alone, not pledged in second hand or attached, and not in a block (the pantbrev ``_fordela`` writes out)."""
    for kind, p in group:
        if kind != "insk":
            return False
        pid = p.id
        eligible = first_hand.get(pid)
        if not ((eligible is None or len(eligible) == 1) and pid not in special and pid not in block_of):
            return False
    return True


def _en_fordran(need_before: Decimal, left: Decimal, belopp: Decimal, faktor: Decimal
                ) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
    """One claim on a pantbrev of its own (JB 6 kap. 3 §): the capital it takes from the pantbrev's amount
    (``left`` of it unused so far), then the tillägg it still needs, up to the ceiling ``belopp × (15 % +
    faktor)``. Returns (capital, what the claim still needs after both, the tillägg used rounded to öre, the
    ceiling, the share — capital + tillägg — rounded to öre).

    The general steps' arithmetic (``take``, ``ore(min(need, max(ceiling, 0)))``), written out for the common
    case: ``min(x, y)`` is ``y if y < x else x`` and ``max(x, y)`` is ``y if y > x else x``; ``belopp × 0.15``
    is ``belopp × 15 / 100``, the same value rounded the same at 28 digits; amounts in between may differ from
    the general steps' in their exponent only, which rounding to öre removes (bench/samma_engine.py).
    """
    a = left if left < need_before else need_before
    if _ZERO > a:
        a = _ZERO
    need = need_before - a
    ceiling = belopp * _FAST_ANDEL + belopp * faktor
    t = _ZERO if _ZERO > ceiling else ceiling
    t = (t if t < need else need).quantize(ORE, ROUND_HALF_UP)
    a2 = t if t < need else need
    if _ZERO > a2:
        a2 = _ZERO
    return a, need - a2, t, ceiling, (a + a2).quantize(ORE, ROUND_HALF_UP)


def _ore_bound(group: list[tuple[str, object]], faktor: Decimal) -> Decimal:
    """At least the öre a group of plain pantbrev can have priority for: each pantbrev's rows (its claim's
    share and the ägarhypotek) together are at most its amount and its tillägg ceiling (the share's tillägg
    at most the ceiling rounded to öre, and the two roundings at most ½ öre each), so amount + ceiling + 2 öre."""
    bound = _ZERO
    for _, p in group:
        belopp = p.belopp
        ceiling = belopp * _FAST_ANDEL + belopp * faktor
        bound += belopp + (ceiling if ceiling > _ZERO else _ZERO) + _TVA_ORE
    return bound * 100


def _utfall_fordran(c: Fordran, fr: Decimal, u: Decimal | None) -> FordranResultat:
    """A claim's outcome from its förmånsrätt ``fr`` (the sum of its shares) and its receipts ``u`` (``None``
    without a price). A partial payment goes to costs, then interest, then capital (RULES §7 p. 5). A claim paid
    nothing has its whole amount as brist, split as it is; one paid in full has none (the general steps give the
    same amounts: every amount here has two decimals, so ``x - 0`` is ``x`` and ``x - x`` is 0,00)."""
    H = ROUND_HALF_UP
    kap, ranta, kost = c.kapital.quantize(ORE, H), c.ranta.quantize(ORE, H), c.kostnader
    kost = kost.quantize(ORE, H) if kost or kost.is_signed() else NOLL  # (a plain 0 is 0,00)
    total = kap + ranta + kost
    if u is None:
        return FordranResultat(c.id, c.borgenar, total, kap, ranta, kost, fr, c.personligt_ansvar,
                               c.exekutionsfordran, (_text_fordran_resultat, c, fr, None, None))
    if not u:
        return FordranResultat(c.id, c.borgenar, total, kap, ranta, kost, fr, c.personligt_ansvar,
                               c.exekutionsfordran, (_text_fordran_resultat, c, fr, u, total), u, total, kost, ranta,
                               kap)
    if u == total and not (ranta.is_signed() or kap.is_signed()):
        # (a -0 amount, Decimal('-0'), would keep its sign in the general steps)
        return FordranResultat(c.id, c.borgenar, total, kap, ranta, kost, fr, c.personligt_ansvar,
                               c.exekutionsfordran, (_text_fordran_resultat, c, fr, u, NOLL), u, NOLL, NOLL, NOLL,
                               NOLL)
    rest = u
    x_kost = min(rest, kost)
    rest -= x_kost
    x_ranta = min(rest, ranta)
    rest -= x_ranta
    x_kap = min(rest, kap)
    brist = max(total - u, NOLL)
    return FordranResultat(c.id, c.borgenar, total, kap, ranta, kost, fr, c.personligt_ansvar, c.exekutionsfordran,
                           (_text_fordran_resultat, c, fr, u, brist), u, brist, kost - x_kost, ranta - x_ranta,
                           kap - x_kap)


def _berakna(arende: Arende, tabell: Referensrantetabell | None) -> Resultat:
    b = _Berakning(arende, tabell)
    f = b.f
    groups = b.ranking()
    b.block_of = b.blocks(groups)
    rader, skydd, left, agarhypotek = _fordela(b, groups)
    medel = f.medel

    # each claim's outcome, in the case's order (a claim whose one row was paid in _fordela has it already)
    done, received, formansratt = b.done, b.received, b.formansratt
    priced = medel is not None
    fordringar = []
    add = fordringar.append
    for c in b.claims:
        cid = c.id
        x = done.get(cid)
        if x is None:
            x = _utfall_fordran(c, formansratt.get(cid, NOLL), received.get(cid, NOLL) if priced else None)
        add(x)

    warnings = _warnings(b)
    if medel is not None and medel < skydd:
        warnings.append(f"Köpeskillingen ({kr(medel)}) täcker inte skyddsbeloppet ({kr(skydd)}); ett sådant bud "
                        "får inte antas (UB 12 kap. 29 §).")
    return Resultat(
        fastighet=f.fastighet, rader=rader, fordringar=tuple(fordringar), skyddsbelopp=skydd,
        exekutionsfordran=None if b.exek is None else b.exek.id, installningar=_settings(b),
        varningar=tuple(warnings), medel=None if medel is None else ore(medel),
        overskott=None if left is None else fran_ore(left),
        agarhypotek_till_agaren=agarhypotek, text_skyddsbelopp=(_text_skydd, b.exek, skydd),
    )


def dubbelutrop_beslut(resultat: Resultat, ratt_id: str, bud_med: Decimal, bud_utan: Decimal) -> str:
    """Decide a dubbelutrop given the best bid with förbehåll and the best bid without (RULES §6).

    The property is sold without förbehåll (the right falls: ``"upphor"``) only if the bid with
    förbehåll does not cover the claims with better rank than the right and the bid without covers
    them better; otherwise with förbehåll (``"forbehall"``).
    """
    rows = resultat.rader
    idx = next((k for k, r in enumerate(rows) if r.typ == "rattighet" and ratt_id in r.ids), None)
    if idx is None:
        from .errors import OkandReferens
        raise OkandReferens(f"det finns ingen rättighet med id {ratt_id!r}.", "ratt_id")
    rank = rows[idx].ordning
    better = sum((r.formansratt for r in rows if r.ordning < rank), NOLL)
    if bud_med >= better:
        return "forbehall"
    return "upphor" if min(bud_utan, better) > min(bud_med, better) else "forbehall"


def avgor_dubbelutrop(resultat: Resultat, bud: Sequence[tuple[str | None, Decimal, Decimal]]) -> Resultat:
    """The result after the dubbelutrop (UB 12 kap. 33 §, RULES §6): each entry of ``bud`` is (right id,
    best bid with förbehåll, best bid without); the id ``None`` means every right the sakägarförteckning
    flags ``dubbelutrop`` (the workbook's header holds one pair of bids for the property). A decided right
    gets the status ``forbehall`` or ``upphor`` and its explanation says which bids decided it; every
    decision is listed in ``extra["dubbelutrop"]``. The distribution is unchanged: a right gets no money.

    >>> import datetime as dt
    >>> from sakagare_xl.referensranta_data import las_tabell
    >>> a = Arende(Forsaljning(utmatningsdag=dt.date(2018, 1, 1), fordelningsdag=dt.date(2018, 7, 1),
    ...            referensranta=Decimal(2)),
    ...        (Inskrivning("P1", 1990, "inteckning", Decimal(400000)), Inskrivning("H1", 1998, "hyresavtal"),
    ...         Inskrivning("P2", 2001, "inteckning", Decimal(500000))),
    ...        (Fordran("A", "A-bank", Decimal(400000), pantbrev=("P1",)),
    ...         Fordran("C", "C-banken", Decimal(450000), pantbrev=("P2",), exekutionsfordran=True)))
    >>> r = avgor_dubbelutrop(berakna(a, las_tabell()), [(None, Decimal(300000), Decimal(900000))])
    >>> [x.status for x in r.rader if x.typ == "rattighet"], r.extra["dubbelutrop"][0]["beslut"]
    (['upphor'], 'upphor')
    """
    import dataclasses

    rows = list(resultat.rader)
    beslut = []
    for ratt_id, med, utan in bud:
        if ratt_id is None:
            targets = [r.ids[0] for r in rows if r.typ == "rattighet" and r.status == "dubbelutrop"]
        else:
            targets = [ratt_id]
        for rid in targets:
            b = dubbelutrop_beslut(resultat, rid, med, utan)
            beslut.append({"ratt": rid, "bud_med": float(med), "bud_utan": float(utan), "beslut": b})
            k = next(k for k, r in enumerate(rows) if r.typ == "rattighet" and rid in r.ids)
            if rows[k].status != "dubbelutrop":
                continue  # a right that needs no dubbelutrop keeps its status; the decision is listed only
            sagt = "säljs med förbehåll" if b == "forbehall" else "säljs utan förbehåll, rättigheten upphör"
            rows[k] = dataclasses.replace(rows[k], status=b,
                                          text=f"{rows[k].forklaring} Dubbelutropet (bud med förbehåll {kr(med)}, utan "
                                               f"förbehåll {kr(utan)}): {sagt}.")
    extra = dict(resultat.extra)
    if beslut:
        extra["dubbelutrop"] = beslut
    return dataclasses.replace(resultat, rader=tuple(rows), extra=extra)


__all__ = ["berakna", "dubbelutrop_beslut", "avgor_dubbelutrop"]
