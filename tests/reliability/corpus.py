"""The corpus of bad inputs and the exact message the user sees for each.

Three tables:

* :data:`CASES`: case files in ``corpus/cases/`` (TOML/JSON) → the exact line ``sakagare-xl berakna FILE``
  prints on stderr (``{path}`` stands for the path given on the command line);
* :data:`FUNCTIONS`: Excel-function calls → the exact message (raised by ``adapters.functions``, returned
  as the cell text by ``sakagare_xl.udfs``);
* :data:`WORKBOOKS`: bad workbooks (built by :mod:`bad_workbooks`) → the status and a precise fragment of what
  ``sakagare-xl recalc`` prints, and the exact line of ``sakagare-xl berakna BOOK.xlsx`` (``{path}``,
  ``{name}``: the path and the file name); ``None`` where ``berakna`` legitimately succeeds (it reads the
  input range only, e.g. a formula problem outside it).

Every entry has a one-line ``why``: where the input comes from or what it guards against. ``xfail`` names an
entry whose current behaviour is wrong, with the request filed in /work/notes/requests.md; the test is a
strict xfail, so it fails (and must be un-marked) once the bug is fixed.
"""

from __future__ import annotations

import datetime as dt
import math

# ------------------------------------------------------------------------------------------------ case files
# A half-year outside the shipped referensränta table (RULES.md §8, §9): which half-year, how far the table
# reaches (shared/domain/referensranta.csv: 2002-07-01 – 2026-12-31), and where the rate can be typed instead.
_SAKNAS = ("Fel i fältet 'referensranta': tabellen saknar referensräntan för {h} ({d}); den räcker från andra "
           "halvåret 2002 till andra halvåret 2026 (2002-07-01 – 2026-12-31). Ange referensräntan för hand (en fast "
           "ränta gäller då hela räntetiden): i ärendefilen referensranta = 2 (procent) eller \"2 %\", i mallen cellen "
           "Referensränta (t.ex. 2,00 %), på kommandoraden --referensranta 2% (sakagare-xl berakna och recalc), eller "
           "i en formel TILLAGG(inteckning; 0,02; månader).")

# (file, expected stderr line, why[, xfail reason])
CASES: list[tuple] = [
    ("c01-toml-syntax.toml",
     "Fel i fältet 'fil': {path} är inte giltig TOML (Invalid value (at line 3, column 13)).",
     "a text value typed without quotes, the most common TOML slip"),
    ("c02-json-syntax.json",
     "Fel i fältet 'fil': {path} är inte giltig JSON (rad 1, kolumn 35).",
     "a trailing comma, as JavaScript allows and JSON does not"),
    ("c03-json-list.json",
     "Fel i fältet 'fil': {path} ska innehålla ett ärende (en tabell med nycklar).",
     "a JSON array at the top level instead of an object"),
    ("c04-latin1.toml",
     "Fel i fältet 'fil': filen {path} är inte UTF-8-text.",
     "a file saved as Latin-1/Windows-1252 by an old editor ('Götet' with ö as one byte)"),
    ("c05-typo-key.toml",
     "Fel i fältet 'manadr': okänd nyckel i ärendet (menade du 'manader'?).",
     "a misspelt key must not be ignored silently"),
    ("c06-negative-kapital.toml",
     "Fel i fordran A, fältet 'kapital': beloppet får inte vara negativt (-100).",
     "a negative capital (sign typo)"),
    ("c07-text-kapital.toml",
     "Fel i fordran A, fältet 'kapital': ett belopp i kronor väntades, inte 'tio'.",
     "an amount written in words"),
    ("c08-zero-pantbrev.toml",
     "Fel i inskrivning P1, fältet 'belopp': ett pantbrev på 0 kr är inte en inteckning.",
     "a pantbrev of 0 kr would silently give 0 to its holder"),
    ("c09-right-with-belopp.toml",
     "Fel i inskrivning S1, fältet 'belopp': en rättighet har inget belopp; lämna fältet tomt.",
     "a servitut with an amount (rights carry no money, RULES §6)"),
    ("c10-unknown-slag.toml",
     "Fel i inskrivning P1, fältet 'slag': ett av inteckning, servitut, nyttjanderatt, hyresavtal, arrende, "
     "rattighet väntades, inte 'hypotek'.",
     "an unknown kind of registration"),
    ("c11-bad-date.toml",
     "Fel i försäljningen, fältet 'utmatningsdag': ett datum ÅÅÅÅ-MM-DD väntades, inte '2023-13-01'.",
     "month 13 (day and month swapped)"),
    ("c12-datetime.toml",
     "Fel i försäljningen, fältet 'utmatningsdag': ett datum utan klockslag väntades, inte 2023-01-01 10:00.",
     "a TOML date-time where a date belongs"),
    ("c13-unknown-pantbrev.toml",
     "Fel i fordran A, fältet 'pantbrev': det finns ingen inskrivning med id 'P9'.",
     "a claim pledged with a pantbrev that is not registered"),
    ("c14-duplicate-id.toml",
     "Fel i inskrivning P1, fältet 'id': två inskrivningar har id 'P1'.",
     "two registrations with the same id (copy-paste)"),
    ("c15-two-exek.toml",
     "Fel i fordran B, fältet 'exekutionsfordran': två eller fler exekutionsfordringar (A, B); bara sökandens "
     "fordran är det.",
     "two sökande claims: the skyddsbelopp would be ambiguous (UB 12 kap. 29 §)"),
    ("c16-no-exek.toml",
     "Fel i fordringarna, fältet 'exekutionsfordran': ingen fordran är markerad som exekutionsfordran "
     "(sökandens fordran); i konkurs anges konkurs = sant.",
     "an exekutiv försäljning without the sökande's claim"),
    ("c17-absurd-rate.toml",
     "Fel i försäljningen, fältet 'referensranta': 500 % ligger utanför det godtagna intervallet -5 % till 25 % för "
     "en referensränta.",
     "a referensränta of 500 % (typed in basis points?)"),
    ("c18-tidsberakning.toml",
     "Fel i försäljningen, fältet 'tidsberakning': 'manader' eller 'dagar' väntades, inte 'veckor'.",
     "an unknown way of counting time"),
    ("c19-konkurs-text.toml",
     "Fel i försäljningen, fältet 'konkurs': true eller false väntades, inte 'ja'.",
     "Swedish 'ja' as a string where TOML wants true"),
    ("c20-nan.json",
     "Fel i försäljningen, fältet 'kopeskilling': beloppet måste vara ett ändligt tal, inte nan.",
     "NaN (Python's json accepts it) must never become a silent number"),
    ("c21-inf.toml",
     "Fel i försäljningen, fältet 'kopeskilling': beloppet måste vara ett ändligt tal, inte inf.",
     "TOML inf as a price"),
    ("c22-year-1700.toml",
     "Fel i inskrivning P1, fältet 'dag': året 1700 är orimligt.",
     "a year that cannot be an inskrivningsdag (typo for 1970?)"),
    ("c23-outside-table.toml",
     _SAKNAS.format(h="första halvåret 1950", d="1950-01-01"),
     "dates before the shipped referensränta table (JB 6 kap. 3 §): no guessed rate"),
    ("c24-dates-reversed.toml",
     "Fel i försäljningen, fältet 'fordelningsdag': fördelningsdagen (2023-01-01) ligger före utmatningsdag "
     "(2023-06-01).",
     "dates swapped: negative months must not give a negative tillägg"),
    ("c25-empty.toml",
     "Fel i försäljningen, fältet 'utmatningsdag': dagen då räntan börjar löpa saknas (ange den, eller 'manader').",
     "an empty file"),
    ("c26-no-id.toml",
     "Fel i inskrivning nr 1, fältet 'id': id saknas.",
     "a registration without id"),
    ("c27-no-kapital.toml",
     "Fel i fordran nr 1 (A), fältet 'kapital': kapital saknas.",
     "a claim without capital must not count as 0"),
    ("c28-pledged-twice.toml",
     "Fel i fordran B, fältet 'pantbrev': pantbrev P1 är pantsatt i första hand både till A-bank och till B-bank; "
     "en andra borgenär ska anges under 'overhypotek'.",
     "one pantbrev pledged first-hand to two creditors"),
    ("c29-huge-number.json",
     "Fel i försäljningen, fältet 'kopeskilling': beloppet måste vara ett ändligt tal, inte inf.",
     "1e400 overflows a JSON float to inf"),
    ("c30-string-dag.json",
     "Fel i inskrivning nr 1 (P1), fältet 'dag': ett datum ÅÅÅÅ-MM-DD väntades, inte 'förra året'.",
     "a date in words"),
    ("c31-pantbrev-not-list.json",
     "Fel i fordran nr 1 (A), fältet 'pantbrev': en lista med pantbrevs-id väntades, inte 5.",
     "a number where a list of pantbrev ids belongs"),
    ("c32-manader-without-rate.toml",
     "Fel i försäljningen, fältet 'referensranta': när tiden anges i månader måste referensräntan anges "
     "(tabellen kräver datum).",
     "months without a rate: the table cannot be used without dates"),
    ("c33-no-dates.toml",
     "Fel i försäljningen, fältet 'utmatningsdag': dagen då räntan börjar löpa saknas (ange den, eller 'manader').",
     "no dates and no months: the tillägg cannot be computed"),
    ("c34-inskrivningar-not-list.toml",
     "Fel i fältet 'inskrivningar': en lista med inskrivningar väntades ([[inskrivningar]] i TOML, en lista i "
     "JSON), inte 'P1'.",
     "a string where the list of registrations belongs (case_io once iterated its characters)"),
    # the referensränta (RULES.md §8): case files are in percent; a value that reads as a fraction is refused
    ("r01-rate-as-fraction.toml",
     'Fel i försäljningen, fältet \'referensranta\': 0,02 kan läsas som 0,02 % eller 2 %; skriv 2 eller "2 %" för 2 % '
     '(eller "0,02 %" för 0,02 %).',
     "issue 9: 0.02 was read as 0,02 % and gave 510 300 instead of 540 000 without a warning"),
    ("r02-rate-negative-fraction.json",
     'Fel i försäljningen, fältet \'referensranta\': -0,005 kan läsas som -0,005 % eller -0,5 %; skriv -0,5 eller '
     '"-0,5 %" för -0,5 % (eller "-0,005 %" för -0,005 %).',
     "Excel's −0,50 % (−0.005) pasted into a case file"),
    ("r03-rate-after-table.toml",
     _SAKNAS.format(h="andra halvåret 2027", d="2027-08-01"),
     "a period after the table's last half-year: the error says which half-year and how to give the rate"),
    ("r04-rate-text-out-of-range.toml",
     "Fel i försäljningen, fältet 'referensranta': 30 % ligger utanför det godtagna intervallet -5 % till 25 % för en "
     "referensränta.",
     "text with a percent sign is percent, and the range is the same as for cells and --referensranta"),
]

# ------------------------------------------------------------------------------------------- Excel functions

#: the small case of adapters/omrade.py's doctest with an exekutionsfordran column (docs/layout.md)
SAK = [
    ["Utmätningsdag", "2018-01-01", None, None, None, None, None, None],
    ["Fördelningsdag", "2018-07-01", None, None, None, None, None, None],
    ["Referensränta", 0.02, None, None, None, None, None, None],
    ["Ordning", "Id", "Inskrivningsdag", "Slag", "Inteckningsbelopp", "Sakägare", "Kapital", "Exekutionsfordran"],
    [None, "P1990", 1990, "inteckning", 400000, "A-bank", 1300000, "Ja"],
    [None, "P1992", 1992, "inteckning", 300000, None, None, None],
]


def sak(row: int | None = None, col: int | None = None, value=None) -> list[list]:
    """A copy of :data:`SAK`, with one cell changed."""
    out = [list(r) for r in SAK]
    if row is not None:
        out[row][col] = value
    return out


_PRIS = "Fel i argumentet pris: köpeskillingen saknas: ge den som argumentet pris eller på raden Köpeskilling i området."
_TABELL = _SAKNAS

# (function, args, exact message, why)
FUNCTIONS: list[tuple] = [
    ("TILLAGG", (-100, 0.02, 6), "Fel i argumentet inteckning: inteckningsbeloppet är negativt (-100).",
     "a negative pantbrev amount"),
    ("TILLAGG", ("abc", 0.02, 6), "Fel i argumentet inteckning: ett tal väntades, inte texten 'abc'.",
     "text in the amount cell"),
    ("TILLAGG", (100000, 2, 6),
     'Fel i argumentet ref_rate: 2 kan läsas som 200 % eller 2 %; räntan anges här som andel (0,02 = 2 %): skriv 0,02 '
     'eller "2 %" för 2 %.',
     "2 typed for 2 %: refused with both readings, not read as 200 % (RULES.md §8)"),
    ("TILLAGG", (100000, 0.3, 6),
     'Fel i argumentet ref_rate: 0,3 kan läsas som 30 % eller 0,3 %; räntan anges här som andel (0,02 = 2 %): skriv '
     '0,003 eller "0,3 %" för 0,3 %.',
     "30 % is outside the range, 0,3 % inside: both readings shown"),
    ("TILLAGG", (100000, 30, 6),
     "Fel i argumentet ref_rate: 30 betyder 3000 %, som ligger utanför det godtagna intervallet -5 % till 25 % för en "
     "referensränta.",
     "neither reading plausible: the range, the same as for case files and --referensranta"),
    ("TILLAGG", (100000, "30 %", 6),
     "Fel i argumentet ref_rate: 30 % ligger utanför det godtagna intervallet -5 % till 25 % för en referensränta.",
     "text with a percent sign is percent, and range-checked"),
    ("TILLAGG", (100000, 0.02, None), "Fel i argumentet months: antalet månader saknas.",
     "an empty months cell must not count as 0 months"),
    ("TILLAGG", (True, 0.02, 6), "Fel i argumentet inteckning: ett tal väntades, inte SANT.",
     "a boolean cell (TRUE would be 1 in Excel arithmetic)"),
    ("TILLAGG", (math.nan, 0.02, 6), "Fel i argumentet inteckning: inteckningsbeloppet saknas.",
     "NaN from a DataFrame is an empty cell, never a number"),
    ("TILLAGG", (math.inf, 0.02, 6), "Fel i argumentet inteckning: ett ändligt tal väntades, inte inf.",
     "an infinite amount"),
    ("TILLAGG", (100000, 0.02, -3), "Fel i argumentet months: antalet månader är negativt (-3).",
     "negative months"),
    ("TILLAGG", (100000, "#N/A", 6),
     "Fel i argumentet ref_rate: en procentsats (t.ex. 2 %) väntades, inte felvärdet #N/A.",
     "an Excel error value passed on as text by the add-in"),
    ("TILLAGG_DATUM", (100000, dt.datetime(2020, 6, 1), dt.datetime(2020, 1, 1)),
     "Fel i argumenten fran och till: till (2020-01-01) ligger före fran (2020-06-01); byt plats på datumen.",
     "dates swapped"),
    ("TILLAGG_DATUM", (100000, dt.datetime(1950, 1, 1), dt.datetime(1950, 6, 1)), _TABELL.format(h="första halvåret 1950", d="1950-01-01"),
     "a period before the shipped referensränta table"),
    ("TILLAGG_DATUM", (100000, 43101, 43282, None, None, "veckor"),
     "Fel i argumentet tidsberakning: 'manader' eller 'dagar' väntades, inte 'veckor'.",
     "an unknown way of counting time"),
    ("TILLAGG_DATUM", (100000, "igår", 43282),
     "Fel i argumentet fran: ett datum (ÅÅÅÅ-MM-DD) väntades, inte texten 'igår'.",
     "a date in words"),
    ("REFERENSRANTA", ("inte ett datum",),
     "Fel i argumentet datum: ett datum (ÅÅÅÅ-MM-DD) väntades, inte texten 'inte ett datum'.",
     "text where a date belongs"),
    ("REFERENSRANTA", (dt.datetime(1990, 1, 1),), _TABELL.format(h="första halvåret 1990", d="1990-01-01"),
     "a day before the table: no guessed rate"),
    ("REFERENSRANTA", (-5,), "Fel i argumentet datum: -5 är inget datum Excel känner (serienummer 1–2958465).",
     "a negative serial date"),
    ("REFERENSRANTA", (None,), "Fel i argumentet datum: datumet saknas.", "an empty date cell"),
    ("COVERAGE", ([["a", "b"], [1, 2]], 100),
     "Fel i området: tabellens rubrikrad saknas: en rad vars första cell är 'Ordning' ska stå över tabellen "
     "(se docs/layout.md).",
     "a range that is not a Sak range"),
    ("COVERAGE", (None, 100),
     "Fel i området: tabellens rubrikrad saknas: en rad vars första cell är 'Ordning' ska stå över tabellen "
     "(se docs/layout.md).",
     "an empty range argument"),
    ("COVERAGE", (SAK, None), _PRIS, "no price anywhere: no silent 0"),
    ("COVERAGE", (sak(3, 7, "Pengar"), 100),
     "Fel i cellen rad 4, kolumn 8 i området: okänd kolumnrubrik 'Pengar'. Kända rubriker: Ordning, Id, "
     "Inskrivningsdag, Slag, Inteckningsbelopp, Sakägare, Kapital, Ränta, Kostnader, Pantbrev, Exekutionsfordran, "
     "Personligt ansvar, Överhypotek, Utmätta pantbrev, Förmånsrätt, Fordran.",
     "an unknown column heading is never ignored"),
    ("COVERAGE", (sak(4, 6, -5), 100),
     "Fel i rad 1 i tabellen, kolumn Kapital (rad 5, kolumn 7 i området): kapitalet är negativt (-5).",
     "a negative capital in the table, named by row and column"),
    ("COVERAGE", (sak(4, 3, "hypotek"), 100),
     "Fel i rad 1 i tabellen, kolumn Slag (rad 5, kolumn 4 i området): okänt slag 'hypotek'; ett av arrende, "
     "fordran, frl6, hyresavtal, inteckning, nyttjanderatt, rattighet, servitut väntades.",
     "an unknown slag in the table"),
    ("COVERAGE", (sak(0, 0, "Utmatningsdagen"), 100),
     "Fel i cellen rad 1, kolumn 1 i området: okänd etikett 'Utmatningsdagen'. Kända etiketter: Fastighet, "
     "Utmätningsdag, Konkurs, Konkursansökningsdag, Deponeringsdag, Sakägarförteckningsdag, Fördelningsdag, "
     "Månader, Tidsberäkning, Referensränta, Förrättningskostnader, Köpeskilling, Ränta på köpeskillingen, "
     "Sökande, Rättighet bryter block, Utmätningens inskrivningsdag, Bud med förbehåll, Bud utan förbehåll.",
     "a misspelt header label"),
    ("COVERAGE", (SAK, "mycket"), "Fel i argumentet pris: ett tal väntades, inte texten 'mycket'.", "a price in words"),
    ("COVERAGE", (SAK, -1), "Fel i argumentet pris: priset är negativt (-1).", "a negative price"),
    ("SAK_RAD", (SAK, 0, "utfaller", 100), "Fel i argumentet rad: ett heltal från 1 väntades, inte 0.",
     "row 0 (0-based counting)"),
    ("SAK_RAD", (SAK, 9, "utfaller", 100),
     "Fel i argumentet rad: tabellen har 2 rader under rubrikraden; rad 9 finns inte.",
     "a row beyond the table must not give 0"),
    ("SAK_RAD", (SAK, 1, "pengar", 100),
     "Fel i argumentet kolumn: okänd kolumn 'pengar'; en av tillagg, formansratt, agarhypotek, skyddad, status, "
     "utfaller, brist, forklaring, block_formansratt, formansratt_utmatning, nr väntades.",
     "an unknown column name"),
    ("SAK_RAD", (SAK, 1.5, "utfaller", 100), "Fel i argumentet rad: ett heltal väntades, inte 1.5.",
     "a fractional row number"),
    ("SAK_SUMMA", (SAK, "allt", 100),
     "Fel i argumentet kolumn: okänd kolumn 'allt'; en av skyddsbelopp, lagsta_bud, medel, utdelat, overskott, "
     "agarhypotek, kostnader_utfaller, brist, varningar väntades.",
     "an unknown summary name"),
    ("SKYDDSBELOPP", (sak(4, 7, None),),
     "Fel i fordringarna, fältet 'exekutionsfordran': ingen fordran är markerad som exekutionsfordran "
     "(sökandens fordran); i konkurs anges konkurs = sant.",
     "no sökande: no skyddsbelopp (UB 12 kap. 29 §)"),
    ("FORKLARING", (SAK, "x"), "Fel i argumentet rad: ett heltal väntades, inte texten 'x'.", "a row in words"),
    ("BRIST", (SAK,), _PRIS, "BRIST without a price"),
    ("OVERSKOTT", (SAK,), _PRIS, "OVERSKOTT without a price"),
    ("FORDELNING", (sak(1, 1, "2017-01-01"), 100),
     "Fel i Fördelningsdag (rad 2, kolumn 2 i området): fördelningsdagen (2017-01-01) ligger före utmätningsdag "
     "(2018-01-01).",
     "the fördelningsdag before the utmätningsdag, named by its header cell"),
]

# ------------------------------------------------------------------------------------------------- workbooks
# (builder, recalc status, recalc fragment, berakna exact line or None, why[, xfail: {"recalc"|"berakna": reason}])
WORKBOOKS: list[tuple] = [
    ('empty', 'inte en arbetsbok',
     '{path}: filen är tom',
     "Fel i fältet 'fil': {path} är ingen Excel-arbetsbok (.xlsx/.xlsm).",
     'a 0-byte file (an interrupted copy)'),
    ('text_file', 'inte en arbetsbok',
     '{path}: filen är ingen Excel-arbetsbok (.xlsx/.xlsm är zip-filer)',
     "Fel i fältet 'fil': {path} är ingen Excel-arbetsbok (.xlsx/.xlsm).",
     'a CSV renamed to .xlsx'),
    ('truncated', 'felaktig fil',
     '{path}: zip-filen är skadad (File is not a zip file)',
     "Fel i fältet 'fil': {path} är ingen Excel-arbetsbok (.xlsx/.xlsm).",
     'half a download'),
    ('ole_encrypted', 'krypterad',
     '{path}: filen är krypterad/lösenordsskyddad eller en gammal .xls (OLE-format); spara den utan lösenord '
     'som .xlsx eller .xlsm',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (filen är krypterad/lösenordsskyddad eller en "
     'gammal .xls (OLE-format); spara den utan lösenord som .xlsx eller .xlsm).',
     'a password-protected workbook (an OLE compound file, MS-OFFCRYPTO)'),
    ('docx_zip', 'inte en arbetsbok',
     '{path}: zip-filen är ingen Excel-arbetsbok (workbook.xml saknas)',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (zip-filen är ingen Excel-arbetsbok "
     '(workbook.xml saknas)).',
     'a Word document renamed to .xlsx'),
    ('zip_bomb', 'osäker fil',
     '{path}: delen xl/worksheets/sheet1.xml packas upp 1028 gånger (gräns 200); möjlig zip-bomb',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (delen xl/worksheets/sheet1.xml packas upp 1028 "
     'gånger (gräns 200); möjlig zip-bomb).',
     'a member that inflates ~1000×'),
    ('xml_bomb', 'osäker fil',
     '{path}: delen xl/workbook.xml innehåller en DOCTYPE/ENTITY-deklaration (möjlig XML-bomb); filen läses '
     'inte',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (delen xl/workbook.xml innehåller en "
     'DOCTYPE/ENTITY-deklaration (möjlig XML-bomb); filen läses inte).',
     'billion laughs in workbook.xml'),
    ('xxe', 'osäker fil',
     '{path}: delen xl/sharedStrings.xml innehåller en DOCTYPE/ENTITY-deklaration (möjlig XML-bomb); filen '
     'läses inte',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (delen xl/sharedStrings.xml innehåller en "
     'DOCTYPE/ENTITY-deklaration (möjlig XML-bomb); filen läses inte).',
     'an external entity reading /etc/passwd into a shared string'),
    ('encrypted_member', 'krypterad',
     '{path}: filen är krypterad (lösenordsskyddad zip)',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (filen är krypterad (lösenordsskyddad zip)).",
     'a zip member with the ZipCrypto flag'),
    ('no_functions', 'inget att räkna om',  # issue 11: skipped, no failure (recalc exits 0)
     'arbetsboken använder inga av sakägarfunktionerna; filen lämnas orörd; 1 formler saknar sparat värde '
     '(--alla räknar ut dem)',
     "Fel i fil: arbetsboken {name} har inget namngivet område 'Sak' (se docs/layout.md).",
     'some other workbook in the same folder'),
    ('negative_kapital', 'fel i formel',
     '{path}: Fel i rad 1 i tabellen, kolumn Kapital (G24): kapitalet är negativt (-85000). '
     '(påverkar 199 celler, t.ex. Sakägarförteckning!U6)',
     'Fel i rad 1 i tabellen, kolumn Kapital (G24): kapitalet är negativt (-85000).',
     "a sign typo in the template's table"),
    ('text_kapital', 'fel i formel',
     "{path}: Fel i rad 1 i tabellen, kolumn Kapital (G24): ett tal väntades, inte texten 'mycket'. "
     '(påverkar 199 celler, t.ex. Sakägarförteckning!U6)',
     "Fel i rad 1 i tabellen, kolumn Kapital (G24): ett tal väntades, inte texten 'mycket'.",
     'text in an amount cell of the template'),
    ('unknown_label', 'fel i formel',
     "{path}: Fel i cellen A6: okänd etikett 'Utmätningsdagen'. Kända etiketter:",
     "Fel i cellen A6: okänd etikett 'Utmätningsdagen'. Kända etiketter: Fastighet, Utmätningsdag, Konkurs, "
     'Konkursansökningsdag, Deponeringsdag, Sakägarförteckningsdag, Fördelningsdag, Månader, Tidsberäkning, '
     'Referensränta, Förrättningskostnader, Köpeskilling, Ränta på köpeskillingen, Sökande, Rättighet bryter '
     'block, Utmätningens inskrivningsdag, Bud med förbehåll, Bud utan förbehåll.',
     'a header label edited by hand'),
    ('negative_price', 'fel i formel',
     '{path}: Fel i argumentet pris: priset är negativt (-220000). (påverkar 12 celler, t.ex. '
     'Sakägarförteckning!U8)',
     'Fel i Köpeskilling (B16): köpeskillingen är negativ (-220000).',
     'a negative köpeskilling'),
    ('unknown_function', 'okänd funktion',
     '{path}: cell Sakägarförteckning!P24: okänd funktion FOOBAR; filen lämnas orörd',
     None,
     'an unknown function around one of ours (berakna reads only the input range, which is fine)'),
    ('circular', 'cirkelreferens',
     '{path}: cell Sakägarförteckning!E24: formeln ingår i en cirkelreferens; filen lämnas orörd',
     None,
     'an input cell computed from a result: never iterated (berakna reads the cached input, which is fine)'),
    ('malformed_sheet', 'skadad fil',
     '{path}: bladet Sakägarförteckning är avkortat (</sheetData> saknas)',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (bladet Sakägarförteckning är avkortat "
     '(</sheetData> saknas)).',
     'the sheet XML cut in half'),
    ('missing_sheet', 'skadad fil',
     '{path}: delen xl/worksheets/sheet1.xml saknas (bladet Sakägarförteckning); filen är skadad\n',
     "Fel i namnet Sak: bladet 'Sakägarförteckning' som namnet 'Sak' pekar på finns inte.",
     "the main sheet's part missing from the zip (was: recalc read it as an empty sheet and wrote #REF!)"),
    ('no_sak_name', 'fel i arbetsboken',
     '{path}: cell Sakägarförteckning!U6: namnet Sak finns inte i arbetsboken (också i 374 andra celler); '
     'filen lämnas orörd\n',
     "Fel i fil: arbetsboken {name} har inget namngivet område 'Sak' (se docs/layout.md).",
     'the name Sak renamed in Name Manager (was: recalc wrote #NAME? with status ok)'),
    ('invalid_utf8_formula', 'skadad fil',
     '{path}: bladet Sakägarförteckning är inte giltig UTF-8 (byte 0x89 på rad 2, kolumn 7042)',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (bladet Sakägarförteckning är inte giltig UTF-8 "
     '(byte 0x89 på rad 2, kolumn 7042)).',
     'a byte that is not UTF-8 inside a formula (found by test_fuzz)'),
    ('invalid_utf8_sheet', 'skadad fil',
     '{path}: bladet Sakägarförteckning är inte giltig UTF-8 (byte 0x89 på rad 2, kolumn 7370)',
     "Fel i fältet 'fil': {path} kan inte läsas som arbetsbok (bladet Sakägarförteckning är inte giltig UTF-8 "
     '(byte 0x89 på rad 2, kolumn 7370)).',
     'a byte that is not UTF-8 inside a cached text value'),
]
