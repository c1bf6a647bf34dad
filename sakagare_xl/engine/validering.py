"""Checks across the objects of a case: ids, references, dates, the exekutionsfordran (RULES §8).

Each check raises a :class:`~sakagare_xl.engine.errors.SakagareError` with a Swedish message naming
the field; the engine never guesses.
"""

from __future__ import annotations

import datetime as _dt

from .errors import (
    DubbletteId,
    MotstridigaUppgifter,
    OgiltigtDatum,
    OkandReferens,
    ReferensrantaSaknas,
    SaknatVarde,
)
from .model import SLAG_INTECKNING, Arende, Fordran, Inskrivning


def validera(arende: Arende) -> None:
    """Raise the first problem found in ``arende``; return None when the case can be computed."""
    kontrollera(arende)


def kontrollera(arende: Arende) -> tuple[dict[str, Inskrivning], list[Fordran]]:
    """:func:`validera`, returning what the engine needs of its work: the registrations by id and the claims
    marked exekutionsfordran (one at most)."""
    f = arende.forsaljning
    insk: dict[str, Inskrivning] = {}
    for i in arende.inskrivningar:
        if i.id in insk:
            raise DubbletteId(f"två inskrivningar har id {i.id!r}.", "id", f"inskrivning {i.id}")
        insk[i.id] = i
    ford: set[str] = set()
    for c in arende.fordringar:
        if c.id in ford:
            raise DubbletteId(f"två fordringar har id {c.id!r}.", "id", f"fordran {c.id}")
        ford.add(c.id)

    # dates and time
    if f.manader is not None:
        if f.referensranta is None:
            raise ReferensrantaSaknas(
                "när tiden anges i månader måste referensräntan anges (tabellen kräver datum).",
                "referensranta", "försäljningen")
    else:
        if f.startdag is None:
            raise SaknatVarde("dagen då räntan börjar löpa saknas (ange den, eller 'manader').",
                              f.startdag_falt, "försäljningen")
        if f.fordelningsdag is None:
            raise SaknatVarde("fördelningsdagen saknas (ange den, eller 'manader').", "fordelningsdag", "försäljningen")
        if f.fordelningsdag < f.startdag:
            raise OgiltigtDatum(
                f"fördelningsdagen ({f.fordelningsdag.isoformat()}) ligger före {f.startdag_falt} "
                f"({f.startdag.isoformat()}).", "fordelningsdag", "försäljningen")
        s = f.sakagarforteckningsdag
        if s is not None and not f.startdag <= s <= f.fordelningsdag:
            raise OgiltigtDatum(
                f"sakägarförteckningsdagen ({s.isoformat()}) ska ligga mellan {f.startdag_falt} "
                f"({f.startdag.isoformat()}) och fördelningsdagen ({f.fordelningsdag.isoformat()}).",
                "sakagarforteckningsdag", "försäljningen")
    if f.utmatning_inskrivningsdag is not None:
        if f.utmatningsdag is None:
            raise SaknatVarde("utmätningens inskrivningsdag är angiven men utmätningsdagen saknas.",
                              "utmatningsdag", "försäljningen")
        if f.utmatning_inskrivningsdag < f.utmatningsdag:
            raise OgiltigtDatum(
                f"utmätningens inskrivningsdag ({f.utmatning_inskrivningsdag.isoformat()}) ligger före "
                f"utmätningsdagen ({f.utmatningsdag.isoformat()}); utmätningen antecknas samma dag eller senare "
                "(UB 4 kap. 30 § 2 st.).", "utmatning_inskrivningsdag", "försäljningen")
    if f.konkurs and f.konkursansokningsdag is None and f.deponeringsdag is None and f.manader is None:
        raise SaknatVarde("konkursansökningsdagen saknas (konkurs = sant).", "konkursansokningsdag", "försäljningen")

    # references (each claim's checks in this order; the field's name and the claim are named in the error)
    first_hand: dict[str, str] = {}
    exek: list[Fordran] = []
    sale_day = f.utmatningsdag
    for c in arende.fordringar:
        pantbrev, over, utm = c.pantbrev, c.overhypotek, c.utmatta_pantbrev
        if pantbrev:
            _refs(c, "pantbrev", pantbrev, insk)
        if over:
            _refs(c, "overhypotek", over, insk)
        if utm:
            _refs(c, "utmatta_pantbrev", utm, insk)
        both = pantbrev and (over or utm) and set(pantbrev) & (set(over) | set(utm))
        if both:
            raise MotstridigaUppgifter(
                f"pantbrev {', '.join(sorted(both))} kan inte vara pantsatt i första hand och samtidigt "
                "överhypotek eller utmätt för samma fordran.", "pantbrev", f"fordran {c.id}")
        borgenar = c.borgenar
        for ref in pantbrev:
            holder = first_hand.setdefault(ref, borgenar)
            if holder != borgenar:
                raise MotstridigaUppgifter(
                    f"pantbrev {ref} är pantsatt i första hand både till {holder} och till {borgenar}; "
                    "en andra borgenär ska anges under 'overhypotek'.", "pantbrev", f"fordran {c.id}")
        frl6, exekf, dag, rangdag = c.frl6_1, c.exekutionsfordran, c.utmatningsdag, c.rangdag
        if frl6 and (pantbrev or over or utm):
            raise MotstridigaUppgifter(
                "en fordran med förmånsrätt enligt FRL 6 § 1 har inga pantbrev.", "frl6_1", f"fordran {c.id}")
        # (frl6_1 and exekutionsfordran together are allowed: a samfällighetsförening may apply for the sale)
        if exekf and dag is not None and sale_day is not None and dag != sale_day:
            raise MotstridigaUppgifter(
                f"exekutionsfordrans utmätningsdag ({dag.isoformat()}) är inte försäljningens "
                f"utmätningsdag ({sale_day.isoformat()}); ange den bara en gång.", "utmatningsdag", f"fordran {c.id}")
        if frl6 and dag is not None:
            raise MotstridigaUppgifter(
                "en fordran med förmånsrätt enligt FRL 6 § 1 har ingen utmätningsdag.", "utmatningsdag",
                f"fordran {c.id}")
        unsecured = not (pantbrev or over or utm or frl6)
        if unsecured and not exekf and rangdag is None and dag is None:
            raise SaknatVarde(
                "fordran saknar säkerhet i fastigheten: ange pantbrev, överhypotek, utmätta pantbrev, "
                "frl6_1, en utmatningsdag (om fastigheten utmätts för fordringen) eller en rangdag.", "pantbrev",
                f"fordran {c.id}")
        if rangdag is not None and dag is not None and not utm:
            raise MotstridigaUppgifter(
                "ange antingen rangdag eller utmatningsdag för fordringen, inte båda (utmätningen ger "
                "förmånsrätt från sin inskrivningsdag, FRL 9 §).", "rangdag", f"fordran {c.id}")
        if unsecured and exekf and not f.konkurs and sale_day is None and rangdag is None:
            raise SaknatVarde("en exekutionsfordran utan pantbrev rangordnas efter utmätningsdagen, som saknas.",
                              "utmatningsdag", "försäljningen")
        if exekf:
            exek.append(c)

    # explicit order within a day: all or none (a day with one registration holds it)
    by_day: dict[object, Inskrivning | list[Inskrivning]] = {}
    several = False
    for i in arende.inskrivningar:
        d = i.dag
        day = d if type(d) is _dt.date else i.rangdag
        prev = by_day.get(day)
        if prev is None:
            by_day[day] = i
        elif type(prev) is list:
            prev.append(i)
        else:
            by_day[day] = [prev, i]
            several = True
    if several:
        for day, items in by_day.items():
            if type(items) is not list:
                continue
            given = [i.ordning is not None for i in items]
            if any(given) and not all(given):
                missing = ", ".join(i.id for i in items if i.ordning is None)
                raise SaknatVarde(
                    f"flera inskrivningar samma dag ({day}) och bara några har 'ordning'; ange ordning även för "
                    f"{missing} (lika ordning = lika rätt).", "ordning",
                    f"inskrivning {items[[i.ordning is None for i in items].index(True)].id}")

    if len(exek) > 1:
        raise MotstridigaUppgifter(
            f"två eller fler exekutionsfordringar ({', '.join(c.id for c in exek)}); bara sökandens fordran är det.",
            "exekutionsfordran", f"fordran {exek[1].id}")
    if not exek and not f.konkurs:
        raise SaknatVarde(
            "ingen fordran är markerad som exekutionsfordran (sökandens fordran); i konkurs anges konkurs = sant.",
            "exekutionsfordran", "fordringarna")
    return insk, exek


def _refs(c: Fordran, name: str, refs: tuple[str, ...], insk: dict[str, Inskrivning]) -> None:
    """Every id in ``refs`` (the field ``name`` of claim ``c``) names a pantbrev, once."""
    if len(refs) > 1 and len(set(refs)) != len(refs):
        raise DubbletteId(f"samma pantbrev står två gånger: {', '.join(refs)}.", name, f"fordran {c.id}")
    for ref in refs:
        i = insk.get(ref)
        if i is None:
            raise OkandReferens(f"det finns ingen inskrivning med id {ref!r}.", name, f"fordran {c.id}")
        if i.slag != SLAG_INTECKNING:
            raise OkandReferens(f"{ref!r} är en rättighet ({i.slag}), inte ett pantbrev.", name, f"fordran {c.id}")
