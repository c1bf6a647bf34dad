"""``sakagare-xl berakna CASE``: the sakägarförteckning (and fördelning) of a case file or a filled workbook."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from .engine.errors import SakagareError
from .engine.format import kr
from .engine.resultat import Resultat

TYPNAMN = {
    "kostnader": "Kostnader",
    "frl6": "FRL 6 § 1",
    "fordran": "Fordran",
    "overhypotek": "Överhypotek",
    "utmatt": "Utmätt pantbrev",
    "agarhypotek": "Ägarhypotek",
    "rattighet": "Rättighet",
}
STATUSNAMN = {"forbehall": "förbehålls", "upphor": "upphör", "dubbelutrop": "dubbelutrop"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "berakna",
        help="beräkna sakägarförteckning och fördelning för ett ärende (TOML, JSON eller ifylld mall .xlsx)",
        description="Beräknar sakägarförteckningen (och fördelningen när köpeskilling anges) för ett ärende.",
    )
    p.add_argument("arende", metavar="ARENDE", help="ärendefil (.toml, .json) eller ifylld mall (.xlsx, .xlsm)")
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p.add_argument("--utan-forklaring", action="store_true", help="visa inte förklaringen till varje rad")
    p.add_argument("--referensranta", type=_rate, metavar="RÄNTA",
                   help="en fast referensränta i stället för ärendets (och tabellens): 2%% eller 0,02 (en andel), "
                   "som sakagare-xl recalc; en ensam 2 vägras")
    p.set_defaults(func=run)


def _rate(text: str) -> Decimal:
    """``--referensranta`` → percent; the same reading and range as recalc's flag and the workbook cell."""
    from .engine.rantesats import fran_andel

    try:
        return fran_andel(text)
    except SakagareError as exc:
        raise argparse.ArgumentTypeError(exc.detail) from None


def load(path: str) -> tuple[object, list]:
    """The case and its dubbelutrop bids, (right id or ``None`` = every right needing dubbelutrop, bid with
    förbehåll, bid without), from a case file or a filled workbook (its header's two bid cells)."""
    from .case_io import arende_fran_dict, dubbelutrop_fran_dict, las_fil
    from .engine.model import belopp

    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        from .template.reader import read_case

        return read_case(path)
    data = las_fil(path)
    bids = [(ratt, belopp(med, "bud_med", "dubbelutrop"), belopp(utan, "bud_utan", "dubbelutrop"))
            for ratt, med, utan in dubbelutrop_fran_dict(data)]
    return arende_fran_dict(data), bids


def compute(path: str, referensranta: Decimal | None = None) -> Resultat:
    """Compute the result of the case in ``path`` with the shipped referensränta table, or with the fixed
    ``referensranta`` (percent) from the command line, which replaces the case's own; a dubbelutrop with
    bids is decided (the right's status becomes förbehåll or upphör, UB 12 kap. 33 §)."""
    import dataclasses

    from .engine import avgor_dubbelutrop, berakna
    from .referensranta_data import las_tabell

    arende, bids = load(path)
    if referensranta is not None:
        arende = dataclasses.replace(
            arende, forsaljning=dataclasses.replace(arende.forsaljning, referensranta=referensranta))
    res = berakna(arende, las_tabell())
    if bids:
        res = avgor_dubbelutrop(res, bids)
    return res


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def render(res: Resultat, explain: bool = True) -> str:
    """The result as readable text: the sakägarförteckning, the claims and the settings used."""
    priced = res.medel is not None
    title = "Sakägarförteckning" + (" och fördelning" if priced else "")
    out = [f"{title}{': ' + res.fastighet if res.fastighet else ''}", ""]
    # a block is one post: its total förmånsrätt on the row of its last pantbrev (where its tillägg is)
    blocks = any(r.block for r in res.rader)
    headers = ["Nr", "Ordn.", "Typ", "Sakägare", "Pantbrev", "Förmånsrätt", "Tillägg"]
    headers += ["Block tillhopa"] if blocks else []
    headers += ["Skyddad", "Förbehåll"] + (["Utfaller"] if priced else [])
    rows = []
    for r in res.rader:
        row = [str(r.nr), str(r.ordning), TYPNAMN[r.typ], r.sakagare, ", ".join(r.ids),
               kr(r.formansratt), kr(r.tillagg) if r.tillagg else ""]
        if blocks:
            row.append(kr(r.block_formansratt) if r.block else "")
        row += ["ja" if r.skyddad else "nej", STATUSNAMN.get(r.status or "", "")]
        if priced:
            row.append(kr(r.utfaller))
        rows.append(row)
    extra = 1 if blocks else 0
    out.append(_table(headers, rows, {0, 1, 5, 6} | ({7} if blocks else set()) | ({9 + extra} if priced else set())))
    out.append("")
    out.append(f"Skyddsbelopp (lägsta godtagbara bud): {kr(res.skyddsbelopp)} kr")
    out.append(f"  {res.forklaring_skyddsbelopp}")
    if priced:
        out.append(f"Medel att fördela: {kr(res.medel)} kr; utdelat {kr(res.utdelat)} kr, "
                   f"varav ägarhypotek till ägaren {kr(res.agarhypotek_till_agaren)} kr; överskott {kr(res.overskott)} kr")
    out.append("")
    fh = ["Fordran", "Borgenär", "Belopp", "Förmånsrätt"]
    if priced:
        fh += ["Utfaller", "Brist", "varav kapital", "Personligt ansvar"]
    frows = []
    for f in res.fordringar:
        row = [f.id + (" (sökande)" if f.exekutionsfordran else ""), f.borgenar, kr(f.fordran), kr(f.formansratt)]
        if priced:
            row += [kr(f.utfaller), kr(f.brist), kr(f.brist_kapital), "ja" if f.personligt_ansvar else "nej"]
        frows.append(row)
    out.append(_table(fh, frows, {2, 3, 4, 5, 6}))
    if priced:
        pers = sum((f.brist_personlig for f in res.fordringar), Decimal(0))
        loss = sum((f.brist_forlust for f in res.fordringar), Decimal(0))
        out.append(f"Brist som kvarstår som personlig fordran: {kr(pers)} kr; brist som är förlust: {kr(loss)} kr")
    for d in res.extra.get("dubbelutrop", []):
        out.append(f"Dubbelutrop för {d['ratt']}: bud med förbehåll {kr(Decimal(str(d['bud_med'])))}, utan "
                   f"{kr(Decimal(str(d['bud_utan'])))}: säljs {'med förbehåll' if d['beslut'] == 'forbehall' else 'utan förbehåll (rättigheten upphör)'}")
    if explain:
        out += ["", "Förklaringar:"]
        out += [f"  {r.nr}. {r.forklaring}" for r in res.rader]
    s = res.installningar
    out += ["", "Inställningar: tidsberäkning " + s["tidsberakning"] + ", referensränta " +
            ("enligt tabell" if s["referensranta"] == "tabell" else "fast") + " (" +
            ("; ".join(f"{p['referensranta']:.2f} % under {p['tid']} år".replace(".", ",")
                       for p in s["referensranta_perioder"]) or "ingen löptid: bara 15 %") +
            "), kostnader " + s["kostnader_placeras"] + ", rättighet bryter block: " +
            ("ja" if s["rattighet_bryter_block"] else "nej") +
            (", utmätningens inskrivningsdag " + s["utmatning_inskrivningsdag"] if s.get("utmatning_inskrivningsdag") else "") +
            (", sakägarförteckningsdag " + s["sakagarforteckningsdag"] if s["sakagarforteckningsdag"] else "")]
    for w in res.varningar:
        out.append(f"Varning: {w}")
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    try:
        res = compute(args.arende, args.referensranta)
    except SakagareError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.json:
        json.dump(res.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render(res, explain=not args.utan_forklaring))
    return 0
