"""Where everything sits in the template workbook.

The input range ``Sak`` follows ``docs/layout.md`` (the contract shared with
the Excel functions and ``recalc``): a header block of label/value rows, an
empty row, then a table whose heading row starts with ``Ordning``. Every
computed cell lies outside ``Sak`` (to the right of it, or on other sheets),
so Excel never sees a circular reference.

Positions are 0-based (row, col) as XlsxWriter uses them; :func:`a1` turns
them into absolute A1 references.

>>> a1(4, 1)
'$B$5'
>>> SAK_REF
"='Sakägarförteckning'!$A$5:$N$43"
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

SHEET = "Sakägarförteckning"
SHEET_FORKLARING = "Förklaring"
SHEET_DIAGRAM = "Diagram"
SHEET_UTSKRIFT = "Utskrift"

#: rows above ``Sak``: title, subtitle, colour legend, section heading
TITLE_ROW = 0
SUBTITLE_ROW = 1
LEGEND_ROW = 2
SECTION_ROW = 3


@dataclass(frozen=True)
class HeaderField:
    """One label/value row of the header block.

    ``key`` is the contract key (docs/layout.md), ``name`` the defined name of
    the value cell, ``kind`` one of text, date, janej, tidsberakning, percent,
    amount, number.
    """

    key: str
    label: str
    name: str
    kind: str
    help: str


HEADER: tuple[HeaderField, ...] = (
    HeaderField("fastighet", "Fastighet", "Fastighet", "text", "Fastighetens beteckning, t.ex. Lillbäcken 1:1."),
    HeaderField("utmatningsdag", "Utmätningsdag", "Utmatningsdag", "date",
                "Dagen för utmätningen (ÅÅÅÅ-MM-DD). Tilläggsräntan löper från den (JB 6 kap. 3 §)."),
    HeaderField("konkurs", "Konkurs", "Konkurs", "janej",
                "Ja vid försäljning i konkurs: räntan löper från konkursansökan och förrättningskostnaderna går först."),
    HeaderField("konkursansokningsdag", "Konkursansökningsdag", "Konkursansokningsdag", "date",
                "Dagen då konkursansökan kom in (endast vid konkurs)."),
    HeaderField("deponeringsdag", "Deponeringsdag", "Deponeringsdag", "date",
                "Frivilligt: dag då köpeskillingen deponerades; räntan räknas då från den dagen."),
    HeaderField("sakagarforteckningsdag", "Sakägarförteckningsdag", "Sakagarforteckningsdag", "date",
                "Frivilligt: dagen då sakägarförteckningen upprättades. Senare ändringar av referensräntan beaktas inte."),
    HeaderField("fordelningsdag", "Fördelningsdag", "Fordelningsdag", "date",
                "Dagen då köpeskillingen fördelas; tilläggsräntan löper hit."),
    HeaderField("manader", "Månader (i stället för datum)", "Manader", "number",
                "Frivilligt (övningsuppgifter): antal månader i stället för utmätnings- och fördelningsdag."),
    HeaderField("tidsberakning", "Tidsberäkning", "Tidsberakning", "tidsberakning",
                "manader (hela månader, standard) eller dagar (dagar/365). Tom = manader."),
    HeaderField("referensranta", "Referensränta (tom = enligt tabell)", "Referensranta", "percent",
                "En fast referensränta i procent, t.ex. 2,00 %. Lämna tom för Riksbankens värden enligt tabellen."),
    HeaderField("forrattningskostnader", "Förrättningskostnader", "Forrattningskostnader", "amount",
                "Kostnaderna för förrättningen i kronor (UB 12 kap.)."),
    HeaderField("kopeskilling", "Köpeskilling", "Kopeskilling", "amount",
                "Frivilligt: priset. Med det beräknas fördelningen (utfaller, brist, överskott)."),
    HeaderField("ranta_kopeskilling", "Ränta på köpeskillingen", "Ranta_kopeskilling", "amount",
                "Frivilligt: ränta som köpeskillingen har gett; fördelas tillsammans med den."),
    HeaderField("bud_med", "Bud med förbehåll", "Bud_med_forbehall", "amount",
                "Frivilligt, vid dubbelutrop: det bästa budet med förbehåll för rättigheterna (UB 12 kap. 33 §). "
                "Med båda buden avgörs varje rättighet med dubbelutrop: förbehåll eller upphör."),
    HeaderField("bud_utan", "Bud utan förbehåll", "Bud_utan_forbehall", "amount",
                "Frivilligt, vid dubbelutrop: det bästa budet utan förbehåll för de rättigheter som kräver "
                "dubbelutrop. Rättigheten upphör bara om budet med förbehåll inte täcker de bättre fordringarna "
                "och budet utan täcker dem bättre."),
    HeaderField("sokande", "Sökande", "Sokande", "text",
                "Den som begärt försäljningen (visas bara; exekutionsfordran markeras i tabellen)."),
    HeaderField("rattighet_bryter_block", "Rättighet bryter block", "Rattighet_bryter_block", "janej",
                "Ja (standard): en inskriven rättighet mellan två pantbrev bryter blocket (JB 6 kap. 3 § 2 st.)."),
    HeaderField("utmatning_inskrivningsdag", "Utmätningens inskrivningsdag", "Utmatning_inskrivningsdag", "date",
                "Frivilligt: inskrivningsdagen då utmätningen antecknades. Tom = utmätningsdagen. Utmätningen går "
                "före inteckningar och rättigheter som söks den dagen eller senare (FRL 9 §, UB 4 kap. 30 §)."),
)

SAK_FIRST_ROW = SECTION_ROW + 1
HEADER_ROW = {f.key: SAK_FIRST_ROW + i for i, f in enumerate(HEADER)}
#: the header block fills the rows down to the table's heading row (the row that was an empty separator holds
#: the last header field since "Utmätningens inskrivningsdag" was added, so every cell below kept its address)
SEPARATOR_ROW = SAK_FIRST_ROW + len(HEADER) - 1
TABLE_HEADING_ROW = SAK_FIRST_ROW + len(HEADER)
TABLE_ROWS = 20
TABLE_FIRST_ROW = TABLE_HEADING_ROW + 1
TABLE_LAST_ROW = TABLE_FIRST_ROW + TABLE_ROWS - 1
LABEL_COL = 0
VALUE_COL = 1


@dataclass(frozen=True)
class Column:
    """One input column of the table: heading (contract), key, width, kind, help."""

    key: str
    heading: str
    width: float
    kind: str
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("ordning", "Ordning", 34, "ordning",
           "Ordning mellan inskrivningar samma dag (1 före 2). Tom = lika rätt."),
    Column("id", "Id", 15, "id", "Inskrivningens id, t.ex. P1990 (för en fordran utan inskrivning: fordringens id)."),
    Column("dag", "Inskrivningsdag", 16, "dag",
           "Inskrivningsdag (ÅÅÅÅ-MM-DD) eller bara året (1980). Fordran utan inskrivning: dess rangdag."),
    Column("slag", "Slag", 14, "slag", "inteckning, servitut, nyttjanderatt, hyresavtal, arrende, rattighet, fordran eller frl6."),
    Column("belopp", "Inteckningsbelopp", 19, "amount", "Pantbrevets belopp (endast inteckning)."),
    Column("borgenar", "Sakägare", 20, "text", "Borgenären, pantbrevets innehavare eller rättighetshavaren."),
    Column("kapital", "Kapital", 14, "amount", "Fordringens kapital. Tom = ingen fordran på raden."),
    Column("ranta", "Ränta", 12, "amount", "Fordringens upplupna ränta."),
    Column("kostnader", "Kostnader", 12, "amount", "Fordringens kostnader."),
    Column("pantbrev", "Pantbrev", 14, "text",
           "Id för pantbrev som pantsatts för fordringen, åtskilda med , eller ;. Tom = radens eget pantbrev."),
    Column("exekutionsfordran", "Exekutionsfordran", 19, "janej", "Ja för sökandens fordran."),
    Column("personligt_ansvar", "Personligt ansvar", 12, "janej",
           "Nej vid tredjemanspant eller lån utan personligt ansvar. Tom = Ja."),
    Column("overhypotek", "Överhypotek", 13, "text", "Pantbrev pantsatta i andra hand för fordringen (ur ägarhypoteket, utan tillägg)."),
    Column("utmatta_pantbrev", "Utmätta pantbrev", 13, "text", "Ägarens pantbrev utmätta för fordringen (ur ägarhypoteket, utan tillägg)."),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
SAK_LAST_COL = len(COLUMNS) - 1

#: the computed block, right of ``Sak`` (one empty column between), one row per table row
RESULT_FIRST_COL = SAK_LAST_COL + 2
RESULT_TITLE_ROW = SEPARATOR_ROW
RESULT_HEADING_ROW = TABLE_HEADING_ROW


@dataclass(frozen=True)
class ResultColumn:
    """A computed column: heading, the ``SAK_RAD`` column it shows, width, kind (amount, bool, text)."""

    heading: str
    field: str
    width: float
    kind: str
    priced: bool = False  # needs the köpeskilling


RESULT_COLUMNS: tuple[ResultColumn, ...] = (
    ResultColumn("Tillägg", "tillagg", 13, "amount"),
    ResultColumn("Förmånsrätt", "formansratt", 15, "amount"),
    ResultColumn("Ägarhypotek", "agarhypotek", 13, "amount"),
    ResultColumn("Skyddad", "skyddad", 9, "bool"),
    ResultColumn("Förbehåll / upphör / dubbelutrop", "status", 16, "text"),
    ResultColumn("Utfaller", "utfaller", 15, "amount", priced=True),
    ResultColumn("Brist", "brist", 14, "amount", priced=True),
    ResultColumn("Block tillhopa", "block_formansratt", 14, "amount"),
    ResultColumn("Genom utmätning (FRL 8 §)", "formansratt_utmatning", 14, "amount"),
)
RESULT_COL = {c.field: RESULT_FIRST_COL + i for i, c in enumerate(RESULT_COLUMNS)}
RESULT_LAST_COL = RESULT_FIRST_COL + len(RESULT_COLUMNS) - 1

#: the summary block, right of the header block: label (overflowing to the right) and value
SUMMARY_TITLE_ROW = SECTION_ROW
SUMMARY_LABEL_COL = RESULT_FIRST_COL
SUMMARY_VALUE_COL = RESULT_COL["utfaller"]
SUMMARY_FIRST_ROW = SAK_FIRST_ROW

#: the notes below the table
NOTES_ROW = TABLE_LAST_ROW + 2

#: the chart data block on the Diagram sheet
CHART_STEPS = 20
CHART_SLOTS_EMPTY = 8  # creditor columns in the empty template


#: the print sheet (``Utskrift``): the sakägarförteckning laid out for A4 landscape, one line per filled
#: table row in priority order. Rows (0-based): title, facts, the table's heading, then one row per rank.
PRINT_TITLE_ROW = 0
PRINT_FACTS_ROW = 2  # four rows of label/value pairs (two pairs per row)
PRINT_FACT_ROWS = 4
PRINT_WARN_ROW = PRINT_FACTS_ROW + PRINT_FACT_ROWS
PRINT_HEADING_ROW = PRINT_WARN_ROW + 2
PRINT_FIRST_ROW = PRINT_HEADING_ROW + 1
PRINT_LAST_ROW = PRINT_FIRST_ROW + TABLE_ROWS - 1
PRINT_NOTE_ROW = PRINT_LAST_ROW + 2


@dataclass(frozen=True)
class PrintColumn:
    """A column of the print sheet: heading, width (Excel units), kind and where the value comes from.

    ``source`` is ``"in:<key>"`` (an input column of the table, ``COLUMNS``), ``"ut:<field>"`` (a computed
    column of the main sheet, ``RESULT_COLUMNS``) or one of the derived values ``nr`` (the place in the
    list), ``post`` (kind and id of the registration or claim), ``belopp`` (the pantbrev's amount, or the
    claim's for a claim without pantbrev) and ``skydd`` (a right's förbehåll/upphör/dubbelutrop, else
    whether the row is skyddad). ``kind``: int, text, dag, amount, amount0 (zero shown empty), center.
    """

    heading: str
    width: float
    kind: str
    source: str


#: the columns of a real sakägarförteckning, in its order. A new computed column of the main sheet
#: prints by adding one line here (as "Block tillhopa", the block as one post, JB 6:3 2 st.):
#: up to ``PRINT_WIDTH`` units the page prints at 100 %, beyond it the sheet is fitted to the page width
#: (148 units: 95 %, body text 9.5 pt); the tests allow up to 125 % of it (80 %: 8 pt).
PRINT_COLUMNS: tuple[PrintColumn, ...] = (
    PrintColumn("Nr", 4, "int", "nr"),
    PrintColumn("Sakägare", 20, "text", "in:borgenar"),
    PrintColumn("Rättighet/fordran", 22, "text", "post"),
    PrintColumn("Inskrivningsdag", 14, "dag", "dag"),
    PrintColumn("Belopp", 13, "amount", "belopp"),
    PrintColumn("Förmånsrätt", 13, "amount", "ut:formansratt"),
    PrintColumn("Tillägg", 11, "amount0", "ut:tillagg"),
    PrintColumn("Block tillhopa", 13, "amount", "ut:block_formansratt"),
    PrintColumn("Skyddad/förbehåll", 13, "center", "skydd"),
    PrintColumn("Utfaller", 13, "amount", "ut:utfaller"),
    PrintColumn("Brist", 12, "amount", "ut:brist"),
)
#: the widths' sum that fits A4 landscape (0.4" margins) at 100 % in Excel's units (7 px + 5 px per column)
PRINT_WIDTH = 140
#: hidden helper columns right of the printed ones: each table row's place (SAK_RAD "nr"), the table
#: row printed on each line, and the lookup of Slag → the word printed
PRINT_RANK_COL = len(PRINT_COLUMNS) + 1
PRINT_ROWREF_COL = PRINT_RANK_COL + 1
PRINT_MAP_COL = PRINT_ROWREF_COL + 1
#: Slag (as typed, any case; docs/layout.md's aliases too) → the word the printed list uses
SLAG_ORD: tuple[tuple[str, str], ...] = (
    ("inteckning", "Pantbrev"),
    ("pantbrev", "Pantbrev"),
    ("servitut", "Servitut"),
    ("nyttjanderatt", "Nyttjanderätt"),
    ("hyresavtal", "Hyresavtal"),
    ("hyresratt", "Hyresavtal"),
    ("arrende", "Arrende"),
    ("rattighet", "Rättighet"),
    ("fordran", "Fordran"),
    ("frl6", "Fordran (FRL 6 § 1)"),
    ("frl6_1", "Fordran (FRL 6 § 1)"),
)


def a1(row: int, col: int) -> str:
    """Absolute A1 reference of a 0-based cell."""
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


def col_range(col: int, first_row: int, last_row: int) -> str:
    """Absolute A1 reference of a column segment."""
    return f"{a1(first_row, col)}:{a1(last_row, col)}"


def sheet_ref(sheet: str, ref: str) -> str:
    """A reference qualified with a quoted sheet name."""
    return f"'{sheet}'!{ref}"


SAK_REF = "=" + sheet_ref(SHEET, f"{a1(SAK_FIRST_ROW, 0)}:{a1(TABLE_LAST_ROW, SAK_LAST_COL)}")

#: every defined name of a header value cell
HEADER_NAMES = {f.name: f for f in HEADER}

__all__ = [
    "SHEET", "SHEET_FORKLARING", "SHEET_DIAGRAM", "SHEET_UTSKRIFT", "PRINT_COLUMNS", "HEADER", "COLUMNS", "RESULT_COLUMNS", "a1", "col_range",
    "sheet_ref", "SAK_REF", "xl_col_to_name",
]
