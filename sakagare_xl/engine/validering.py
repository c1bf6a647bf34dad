"""Checks across the objects of a case: ids, references, dates, the exekutionsfordran (RULES §8).

Each check raises a :class:`~sakagare_xl.engine.errors.SakagareError` with a Swedish message naming
the field; the engine never guesses.
"""

from __future__ import annotations

from .errors import (
    DubbletteId,
    MotstridigaUppgifter,
    OgiltigtDatum,
    OkandReferens,
    ReferensrantaSaknas,
    SaknatVarde,
)
from .model import Arende


def validera(arende: Arende) -> None:
    """Raise the first problem found in ``arende``; return None when the case can be computed."""
    f = arende.forsaljning
    insk = {}
    for i in arende.inskrivningar:
        if i.id in insk:
            raise DubbletteId(f"två inskrivningar har id {i.id!r}.", "id", f"inskrivning {i.id}")
        insk[i.id] = i
    ford = {}
    for c in arende.fordringar:
        if c.id in ford:
            raise DubbletteId(f"två fordringar har id {c.id!r}.", "id", f"fordran {c.id}")
        ford[c.id] = c

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

    # references
    first_hand: dict[str, str] = {}
    for c in arende.fordringar:
        w = f"fordran {c.id}"
        for name in ("pantbrev", "overhypotek", "utmatta_pantbrev"):
            refs = getattr(c, name)
            if not refs:
                continue
            if len(refs) > 1 and len(set(refs)) != len(refs):
                raise DubbletteId(f"samma pantbrev står två gånger: {', '.join(refs)}.", name, w)
            for ref in refs:
                if ref not in insk:
                    raise OkandReferens(f"det finns ingen inskrivning med id {ref!r}.", name, w)
                if not insk[ref].ar_inteckning:
                    raise OkandReferens(
                        f"{ref!r} är en rättighet ({insk[ref].slag}), inte ett pantbrev.", name, w)
        both = c.pantbrev and (c.overhypotek or c.utmatta_pantbrev) and \
            set(c.pantbrev) & (set(c.overhypotek) | set(c.utmatta_pantbrev))
        if both:
            raise MotstridigaUppgifter(
                f"pantbrev {', '.join(sorted(both))} kan inte vara pantsatt i första hand och samtidigt "
                "överhypotek eller utmätt för samma fordran.", "pantbrev", w)
        for ref in c.pantbrev:
            holder = first_hand.setdefault(ref, c.borgenar)
            if holder != c.borgenar:
                raise MotstridigaUppgifter(
                    f"pantbrev {ref} är pantsatt i första hand både till {holder} och till {c.borgenar}; "
                    "en andra borgenär ska anges under 'overhypotek'.", "pantbrev", w)
        if c.frl6_1 and (c.pantbrev or c.overhypotek or c.utmatta_pantbrev):
            raise MotstridigaUppgifter(
                "en fordran med förmånsrätt enligt FRL 6 § 1 har inga pantbrev.", "frl6_1", w)
        if c.frl6_1 and c.exekutionsfordran:
            pass  # allowed: a samfällighetsförening may apply for the sale
        if c.exekutionsfordran and c.utmatningsdag is not None and f.utmatningsdag is not None \
                and c.utmatningsdag != f.utmatningsdag:
            raise MotstridigaUppgifter(
                f"exekutionsfordrans utmätningsdag ({c.utmatningsdag.isoformat()}) är inte försäljningens "
                f"utmätningsdag ({f.utmatningsdag.isoformat()}); ange den bara en gång.", "utmatningsdag", w)
        if c.frl6_1 and c.utmatningsdag is not None:
            raise MotstridigaUppgifter(
                "en fordran med förmånsrätt enligt FRL 6 § 1 har ingen utmätningsdag.", "utmatningsdag", w)
        unsecured = not (c.pantbrev or c.overhypotek or c.utmatta_pantbrev or c.frl6_1)
        if unsecured and not c.exekutionsfordran and c.rangdag is None and c.utmatningsdag is None:
            raise SaknatVarde(
                "fordran saknar säkerhet i fastigheten: ange pantbrev, överhypotek, utmätta pantbrev, "
                "frl6_1, en utmatningsdag (om fastigheten utmätts för fordringen) eller en rangdag.", "pantbrev", w)
        if c.rangdag is not None and c.utmatningsdag is not None and not c.utmatta_pantbrev:
            raise MotstridigaUppgifter(
                "ange antingen rangdag eller utmatningsdag för fordringen, inte båda (utmätningen ger "
                "förmånsrätt från sin inskrivningsdag, FRL 9 §).", "rangdag", w)
        if unsecured and c.exekutionsfordran and not f.konkurs and f.utmatningsdag is None and c.rangdag is None:
            raise SaknatVarde("en exekutionsfordran utan pantbrev rangordnas efter utmätningsdagen, som saknas.",
                              "utmatningsdag", "försäljningen")

    # explicit order within a day: all or none
    by_day: dict[object, list] = {}
    for i in arende.inskrivningar:
        by_day.setdefault(i.rangdag, []).append(i)
    for day, items in by_day.items():
        if len(items) == 1:
            continue  # one registration on its day: all or none holds
        given = [i.ordning is not None for i in items]
        if any(given) and not all(given):
            missing = ", ".join(i.id for i in items if i.ordning is None)
            raise SaknatVarde(
                f"flera inskrivningar samma dag ({day}) och bara några har 'ordning'; ange ordning även för {missing} "
                "(lika ordning = lika rätt).", "ordning", f"inskrivning {items[[i.ordning is None for i in items].index(True)].id}")

    exek = [c for c in arende.fordringar if c.exekutionsfordran]
    if len(exek) > 1:
        raise MotstridigaUppgifter(
            f"två eller fler exekutionsfordringar ({', '.join(c.id for c in exek)}); bara sökandens fordran är det.",
            "exekutionsfordran", f"fordran {exek[1].id}")
    if not exek and not f.konkurs:
        raise SaknatVarde(
            "ingen fordran är markerad som exekutionsfordran (sökandens fordran); i konkurs anges konkurs = sant.",
            "exekutionsfordran", "fordringarna")
