"""The workbooks shipped in ``workbook/``: the empty template and the filled examples.

The examples are built from the lead's case files in ``examples/`` (the same
files ``sakagare-xl berakna`` reads), so a workbook and its case file can be
compared number for number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fall import Ifyllnad, from_arende

#: the empty template's file name
MALL = "sakagarforteckning.xlsx"


@dataclass(frozen=True)
class Exempel:
    """A filled example: output file, case file (in ``examples/``), subtitle and notes."""

    fil: str
    arende: str
    titel: str
    anmarkningar: tuple[str, ...]


EXEMPEL: tuple[Exempel, ...] = (
    Exempel(
        "exempel-e2.xlsx",
        "e2-lawline-15971.toml",
        "Exempel E2: Lawline 15971 ”Sakägarförteckning”, köpeskilling 220 000 kr.",
        (
            "Källa: Lawline, fråga 15971 ”Sakägarförteckning”. Källan anger: kostnaderna placeras närmast före D; A täcks "
            "fullt och 5 000 av A:s pantbrev är ägarhypotek; B täcks av tillägget; C täcks och 28 000 är ägarhypotek.",
            "Följer av reglerna: kostnader 5 000; D får 10 000 och har en brist på 15 000; ägaren får 33 000 i "
            "ägarhypotek; överskott 0; skyddsbelopp med D som sökande 210 000.",
            "Källan anger inga datum: Månader = 0 ger ett tillägg på högst 15 % (B behöver bara 5 000).",
        ),
    ),
    Exempel(
        "exempel-e3.xlsx",
        "e3-lawline-skyddsbelopp.toml",
        "Exempel E3: Lawline ”Hur upprättas en sakägarförteckning, samt hur räknas ett skyddsbelopp ut?” (A–E).",
        (
            "Källa: Lawline. Skyddsbeloppet är kostnaderna och fordringarna med bättre rätt än D:s (och ägarhypotek).",
            "Följer av reglerna (tidsberäkning manader, 3 månader): B:s tak 89 000 × (15 % + 6 % × 3/12) = 14 685, "
            "B täcks med 103 685; skyddsbelopp 92 000 + 103 685 + 107 000 + 30 000 = 332 685.",
            "Året 2013 är illustrativt (källan anger 1 februari–1 maj ett år som inte är skottår). Ingen köpeskilling: "
            "fyll i Köpeskilling för att se fördelningen.",
        ),
    ),
    Exempel(
        "ovning-2018.xlsx",
        "e5-2018-block.toml",
        "Övningen från 2018 (E5): A-banks block 400 000 (1990) + 300 000 (1992) för en fordran på 1 300 000.",
        (
            "Övningen som projektet utgick från: blocket 700 000 × (15 % + (2 % + 4 %) × 6/12) = 700 000 × 1,18 = "
            "826 000 täcks på blockets plats (JB 6 kap. 3 § 2 st.).",
            "Övriga uppgifter är illustrativa, påhittade för exemplet: servitutet 1985, hyresavtalet 1998, C-banken som "
            "sökande med pantbrev 2001, datumen, förrättningskostnaderna och köpeskillingen.",
            "Referensräntan 2 % är övningens; Riksbankens referensränta var −0,50 % under 2018 (lämna cellen tom för "
            "tabellen). Hyresavtalet kräver dubbelutrop; buden står i huvudet (Bud med förbehåll 800 000, Bud utan "
            "förbehåll 1 200 000, köpeskillingen här): budet med förbehåll täcker inte fordringarna med bättre rätt och "
            "budet utan täcker dem bättre, så hyresavtalet upphör (UB 12 kap. 33 §). Töm buden för att se läget före "
            "utropet (dubbelutrop).",
        ),
    ),
)


def examples_dir() -> Path | None:
    """The folder with the case files: the repository's ``examples/`` or the installed package data."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "examples", here.parents[1] / "examples"):
        if candidate.is_dir():
            return candidate
    return None


def ifyllnad(ex: Exempel, katalog: Path | None = None) -> Ifyllnad:
    """The input cells of an example, from its case file."""
    from ..case_io import arende_fran_dict, dubbelutrop_fran_dict, las_fil

    katalog = katalog or examples_dir()
    if katalog is None:
        raise FileNotFoundError("katalogen examples/ med ärendefilerna finns inte")
    data = las_fil(katalog / ex.arende)
    return from_arende(arende_fran_dict(data), titel=ex.titel, anmarkningar=ex.anmarkningar,
                       dubbelutrop=dubbelutrop_fran_dict(data))
