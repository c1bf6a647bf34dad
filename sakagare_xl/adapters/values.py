"""Coercion of the values Excel (or xlwings, or a pandas DataFrame) hands a function.

Excel sends floats for every number, ``None`` or ``""`` for an empty cell,
``datetime`` for a date cell (classic xlwings) or a serial number (xlwings Lite,
Office.js), ``True``/``False`` for booleans and lists of lists for ranges.
Everything here is pure (stdlib + Decimal); pandas is imported only when an
object already looks like a DataFrame.

Every error is a :class:`~sakagare_xl.engine.errors.SakagareError` whose message
is Swedish and names the argument or cell (``plats``).

>>> to_decimal(0.1, "argumentet kapital")
Decimal('0.1')
>>> to_decimal("1 300 000,50", "argumentet kapital")
Decimal('1300000.50')
>>> to_decimal(-100, "argumentet inteckning")
Traceback (most recent call last):
...
sakagare_xl.engine.errors.OgiltigtBelopp: Fel i argumentet inteckning: beloppet är negativt (-100).
>>> to_percent(0.02, "argumentet ref_rate")
Decimal('2.00')
>>> serial_to_date(43101, "argumentet fran")
datetime.date(2018, 1, 1)
>>> to_date("2018-07-01", "argumentet till")
datetime.date(2018, 7, 1)
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..engine.errors import OgiltigtBelopp, OgiltigtDatum, OgiltigtVarde, SaknatVarde
from ..engine.rantesats import tolka_andel
from ..engine.model import MAX_BELOPP, dag_utanfor, for_stort, tusental

#: Day 0 of Excel's 1900 date system as Python counts it (serial 61 = 1900-03-01; the
#: fictitious 1900-02-29 is serial 60, so serials 1..59 are one day off this epoch).
EXCEL_EPOCH = _dt.date(1899, 12, 30)
#: The largest serial Excel accepts (9999-12-31).
MAX_SERIAL = 2958465
ORE = Decimal("0.01")
#: Excel's error values as xlwings hands over an error cell with ``err_to_str`` (English names in every
#: Excel language: Office.js and COM both give them so).
EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


# --------------------------------------------------------------------------- blanks, text


#: Types that are an empty cell whatever their module: pandas' NaT/NA, and Pyodide's ``JsNull``, what a
#: JavaScript ``null`` becomes in Pyodide 0.28 and later: xlwings Lite sends every empty cell of a range
#: and every omitted optional argument as ``null``, and xlwings before 0.36.6 passes it on unchanged.
#: Matched by name so CPython never imports pyodide.
_BLANK_TYPE_NAMES = frozenset({"NaTType", "NAType", "JsNull"})


def is_blank(value: Any) -> bool:
    """An empty cell: ``None``, ``""``, whitespace, a NaN/NaT from a DataFrame, or Pyodide's ``JsNull``."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ in _BLANK_TYPE_NAMES:
        return True
    return False


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars; anything else unchanged."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    return value


def _show(value: Any) -> str:
    """How a bad value is quoted in a message: texts in quotes, numbers as typed, dates as ÅÅÅÅ-MM-DD,
    a range by its size; never Python's repr of a list or a datetime.

    >>> _show("tio"), _show(2.0), _show(_dt.datetime(2023, 1, 1, 10, 0)), _show([[1, 2], [3, 4]])
    ("texten 'tio'", '2', 'datumet 2023-01-01 10:00', 'ett område (2×2 celler)')
    >>> _show("#DIV/0!")  # an error cell, handed over as its text (udfs.py asks xlwings for err_to_str)
    'felvärdet #DIV/0!'
    """
    if isinstance(value, str):
        if value.strip() in EXCEL_ERRORS:
            return f"felvärdet {value.strip()}"
        return f"texten '{value.strip()}'"
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return f"datumet {value.date().isoformat()}"
        return f"datumet {value.isoformat(sep=' ', timespec='minutes')}"
    if isinstance(value, _dt.date):
        return f"datumet {value.isoformat()}"
    if isinstance(value, _dt.time):
        return f"klockslaget {value.isoformat(timespec='minutes')}"
    if _is_range(value):
        rows = as_2d(value)
        return f"ett område ({len(rows)}×{len(rows[0])} celler)"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return f"ett värde av typen {type(value).__name__}"


def _is_range(value: Any) -> bool:
    return isinstance(value, (list, tuple)) or _looks_like_dataframe(value) or (
        hasattr(value, "tolist") and hasattr(value, "shape") and getattr(value, "shape", ()) != ()
    )


def _one_value(value: Any, plats: str, error: type = OgiltigtVarde) -> None:
    """Refuse a range where one cell belongs (``TILLAGG(A1:B2; …)``): the Excel functions pass ranges on
    unchanged unless they are a single cell (:func:`scalar`)."""
    if _is_range(value):
        message = f"ett enda värde väntades, inte {_show(value)}"
        if error is OgiltigtBelopp:
            raise OgiltigtBelopp(None, value, plats, reason=message)
        raise error(message + ".", None, plats)


def to_text(value: Any) -> str:
    """A cell as text: ``2004.0`` → ``'2004'`` (ids typed as numbers), dates as ÅÅÅÅ-MM-DD.

    >>> to_text(2004.0), to_text(None), to_text(" P1 ")
    ('2004', '', 'P1')
    """
    value = _plain(value)
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


def normalise(text: Any) -> str:
    """A label or heading reduced for matching: lower case, å/ä→a, ö→o, no parentheses,
    spaces or punctuation (docs/layout.md).

    >>> normalise("Utmätningsdag (ÅÅÅÅ-MM-DD)"), normalise("Ränta på köpeskillingen")
    ('utmatningsdag', 'rantapakopeskillingen')
    """
    s = to_text(text).lower()
    s = re.sub(r"\([^)]*\)", "", s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", s)


# --------------------------------------------------------------------------- numbers


def _decimal_or_none(value: Any) -> Decimal | None:
    value = _plain(value)
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, Decimal):
            d = value
        elif isinstance(value, int):
            d = Decimal(value)
        elif isinstance(value, float):
            d = Decimal(repr(value))
        elif isinstance(value, str):
            s = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            s = s.replace("−", "-").replace("kr", "").replace(":-", "")
            if s.count(",") == 1 and "." not in s:
                s = s.replace(",", ".")
            d = Decimal(s)
        else:
            return None
    except (InvalidOperation, ValueError):
        return None
    return d


def to_decimal(
    value: Any,
    plats: str,
    *,
    allow_blank: bool = False,
    allow_negative: bool = False,
    what: str = "beloppet",
    maximum: Decimal = MAX_BELOPP,
) -> Decimal | None:
    """A number from a cell: ints, floats (via ``repr``, so 0.1 is 0.1), Decimals and
    numeric text (``'1 300 000,50'``). Blank → ``None`` when ``allow_blank``, else an error.

    >>> to_decimal("tio", "rad 2 i tabellen, kolumn Kapital")
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtBelopp: Fel i rad 2 i tabellen, kolumn Kapital: ett tal väntades, inte texten 'tio'.
    """
    _one_value(value, plats, OgiltigtBelopp)
    if is_blank(value):
        if allow_blank:
            return None
        raise SaknatVarde(f"{what} saknas.", None, plats)
    d = _decimal_or_none(value)
    if d is None:
        raise OgiltigtBelopp(None, value, plats, reason=f"ett tal väntades, inte {_show(value)}")
    if not d.is_finite():
        raise OgiltigtBelopp(None, value, plats, reason=f"ett ändligt tal väntades, inte {_show(value)}")
    if d < 0 and not allow_negative:
        raise OgiltigtBelopp(None, value, plats, reason=f"{what} är {negativ(what)} ({_show(value)})")
    if for_stort(d, maximum):
        stor = {"negativ": "stor", "negativa": "stora"}.get(negativ(what), "stort")
        raise OgiltigtBelopp(None, value, plats, reason=f"{what} är orimligt {stor} ({_show(value)}; högst "
                             f"{tusental(maximum)}{' kr' if maximum == MAX_BELOPP else ''})")
    return d


def negativ(what: str) -> str:
    """"negativ" agreeing with ``what``, a noun phrase in definite form whose first word is the head noun:
    plural in -na → *negativa* (kostnaderna), common gender in -n → *negativ* (köpeskillingen, räntan,
    fordran), neuter in -t → *negativt* (beloppet, priset, antalet månader).

    >>> [negativ(w) for w in ("köpeskillingen", "fordran", "kostnaderna", "beloppet", "antalet månader")]
    ['negativ', 'negativ', 'negativa', 'negativt', 'negativt']
    """
    head = what.split()[0].lower() if what.strip() else ""
    if head.endswith("na"):
        return "negativa"
    if head.endswith("n"):
        return "negativ"
    return "negativt"


def to_percent(value: Any, plats: str, *, allow_blank: bool = False) -> Decimal | None:
    """A rate given as Excel stores percentages (0.02 = 2 %) → percent as the engine wants it (2).

    Text with a percent sign is read as percent (``'2 %'`` → 2). A number whose percent reading is
    outside the accepted range (−5 % … 25 %) but which would be plausible as percent is refused with
    both readings rather than guessed at: 2 typed for 2 % would be 200 %. The rules and the range are
    :mod:`sakagare_xl.engine.rantesats`, shared with case files and ``--referensranta``.

    >>> to_percent("2 %", "argumentet ref_rate"), to_percent(-0.005, "argumentet ref_rate")
    (Decimal('2'), Decimal('-0.500'))
    >>> to_percent(2, "argumentet ref_rate")
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtVarde: Fel i argumentet ref_rate: 2 kan läsas som 200 % eller 2 %; räntan anges här som andel (0,02 = 2 %): skriv 0,02 eller "2 %" för 2 %.
    """
    _one_value(value, plats)
    if is_blank(value):
        if allow_blank:
            return None
        raise SaknatVarde("räntesatsen saknas.", None, plats)
    pct = isinstance(value, str) and value.strip().endswith("%")
    d = _decimal_or_none(value.strip()[:-1] if pct else value)
    if d is None or not d.is_finite():
        raise OgiltigtVarde(f"en procentsats (t.ex. 2 %) väntades, inte {_show(value)}.", None, plats)
    return tolka_andel(d, pct, None, plats)


def to_int(value: Any, plats: str, *, allow_blank: bool = True, minimum: int | None = None) -> int | None:
    """A whole number (an Ordning, a row number). ``3.0`` is 3; ``2.5`` is an error."""
    _one_value(value, plats)
    if is_blank(value):
        if allow_blank:
            return None
        raise SaknatVarde("ett heltal saknas.", None, plats)
    d = _decimal_or_none(value)
    if d is None or not d.is_finite() or d != d.to_integral_value():
        raise OgiltigtVarde(f"ett heltal väntades, inte {_show(value)}.", None, plats)
    n = int(d)
    if minimum is not None and n < minimum:
        raise OgiltigtVarde(f"ett heltal från {minimum} väntades, inte {n}.", None, plats)
    return n


_JA = {"ja", "j", "sant", "true", "yes", "y", "x", "1"}
_NEJ = {"nej", "n", "falskt", "false", "no", "0"}


def to_bool(value: Any, plats: str, *, default: bool) -> bool:
    """``Ja``/``Nej``, ``SANT``/``FALSKT``, ``TRUE``/``FALSE``, 1/0; blank → ``default``.

    >>> to_bool("Ja", "x", default=False), to_bool(None, "x", default=True), to_bool(0.0, "x", default=True)
    (True, True, False)
    """
    value = _plain(value)
    _one_value(value, plats)
    if is_blank(value):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = normalise(value)
    if key in _JA:
        return True
    if key in _NEJ:
        return False
    raise OgiltigtVarde(f"Ja eller Nej väntades, inte {_show(value)}.", None, plats)


# --------------------------------------------------------------------------- dates


def serial_to_date(serial: Any, plats: str) -> _dt.date:
    """An Excel serial number (1900 date system) → date. The time of day is dropped.

    Excel counts 1900-02-29, which did not exist (the Lotus 1-2-3 bug): serial 60 is
    refused, serials before it are one day off the usual epoch.

    >>> serial_to_date(1, "x"), serial_to_date(59, "x"), serial_to_date(61, "x")
    (datetime.date(1900, 1, 1), datetime.date(1900, 2, 28), datetime.date(1900, 3, 1))
    """
    _one_value(serial, plats, OgiltigtDatum)
    d = _decimal_or_none(serial)
    if d is None or not d.is_finite():
        raise OgiltigtDatum(f"ett datum väntades, inte {_show(serial)}.", None, plats)
    n = int(d.to_integral_value(rounding="ROUND_FLOOR"))
    if n < 1 or n > MAX_SERIAL:
        raise OgiltigtDatum(f"{_show(serial)} är inget datum Excel känner (serienummer 1–{MAX_SERIAL}).", None, plats)
    if n == 60:
        raise OgiltigtDatum("1900-02-29 finns inte (Excels serienummer 60).", None, plats)
    if n < 60:
        return EXCEL_EPOCH + _dt.timedelta(days=n + 1)
    return EXCEL_EPOCH + _dt.timedelta(days=n)


def date_to_serial(day: _dt.date) -> int:
    """A date → Excel serial number (1900 date system), the inverse of :func:`serial_to_date`.

    >>> date_to_serial(_dt.date(2018, 1, 1))
    43101
    """
    if isinstance(day, _dt.datetime):
        day = day.date()
    n = (day - EXCEL_EPOCH).days
    return n - 1 if n <= 60 else n


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def to_date(value: Any, plats: str, *, allow_blank: bool = True, allow_year: bool = False) -> _dt.date | int | None:
    """A date from a cell (:func:`_to_date`), refused outside 1800-01-01 – 2200-12-31 (engine/model.py).

    >>> to_date(2958465, "cell B2")
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtDatum: Fel i cell B2: datumet 9999-12-31 är orimligt (ett datum mellan 1800-01-01 och 2200-12-31 väntades).
    """
    day = _to_date(value, plats, allow_blank=allow_blank, allow_year=allow_year)
    if isinstance(day, _dt.date) and dag_utanfor(day):
        raise OgiltigtDatum(f"{dag_utanfor(day)}.", None, plats)
    return day


def _to_date(value: Any, plats: str, *, allow_blank: bool = True, allow_year: bool = False) -> _dt.date | int | None:
    """A date from a cell: a ``datetime``/``date`` (classic xlwings, pandas), an Excel serial
    number (xlwings Lite) or ``ÅÅÅÅ-MM-DD`` text.

    With ``allow_year`` a bare year (``1980`` as number or text, 1800–2200) is returned as
    an ``int``: the engine ranks it as that year (an old inskrivning known only by year).
    Serial numbers 1800–2200 would be days in 1904–1906, so the reading is unambiguous in practice.

    >>> to_date(1980, "x", allow_year=True), to_date("1980", "x", allow_year=True)
    (1980, 1980)
    >>> to_date("2018-13-01", "argumentet fran")
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtDatum: Fel i argumentet fran: 2018-13-01 är inget giltigt datum (ÅÅÅÅ-MM-DD).
    """
    value = _plain(value)
    _one_value(value, plats, OgiltigtDatum)
    if is_blank(value):
        if allow_blank:
            return None
        raise SaknatVarde("datumet saknas.", None, plats)
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):
        raise OgiltigtDatum(f"ett datum väntades, inte {_show(value)}.", None, plats)
    if isinstance(value, (int, float, Decimal)):
        if allow_year and float(value).is_integer() and 1800 <= value <= 2200:
            return int(value)
        return serial_to_date(value, plats)
    if isinstance(value, str):
        s = value.strip()
        if allow_year and re.fullmatch(r"\d{4}", s) and 1800 <= int(s) <= 2200:
            return int(s)
        m = _ISO.match(s)
        if m:
            try:
                return _dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise OgiltigtDatum(f"{s} är inget giltigt datum (ÅÅÅÅ-MM-DD).", None, plats) from None
        raise OgiltigtDatum(f"ett datum (ÅÅÅÅ-MM-DD) väntades, inte {_show(value)}.", None, plats)
    raise OgiltigtDatum(f"ett datum väntades, inte {_show(value)}.", None, plats)


# --------------------------------------------------------------------------- ranges


def _looks_like_dataframe(obj: Any) -> bool:
    return hasattr(obj, "columns") and hasattr(obj, "index") and hasattr(obj, "itertuples")


def _dataframe_rows(df: Any) -> list[list[Any]]:
    """A DataFrame → rows; its column labels become the first row unless they are 0..n-1
    (a frame read with ``header=False``). The index is dropped."""
    import pandas as pd  # only here: the object is already a DataFrame

    columns = list(df.columns)
    rows: list[list[Any]] = []
    if not isinstance(df.columns, pd.RangeIndex) and columns != list(range(len(columns))):
        rows.append([None if isinstance(c, str) and c.startswith("Unnamed:") else c for c in columns])
    for tup in df.itertuples(index=False, name=None):
        rows.append([None if _isna(v) else _plain(v) for v in tup])
    return rows


def _isna(value: Any) -> bool:
    try:
        return is_blank(value) or bool(value != value)  # NaN, NaT, pd.NA
    except (TypeError, ValueError):
        return False


_PLAIN_TYPES = frozenset({type(None), str, float, int, bool, Decimal, _dt.date, _dt.datetime})


def _plain_row(row: Any) -> list[Any]:
    row = list(row)
    if not _PLAIN_TYPES.issuperset(map(type, row)):  # numpy scalars and the like
        row = [_plain(c) for c in row]
    return row


def as_2d(value: Any) -> list[list[Any]]:
    """Any range shape → a rectangular list of rows.

    A scalar is a 1×1 range; a flat list is one row (xlwings sends a one-row or one-column
    range as a flat list unless told ``ndim=2``; the udf wrappers ask for ``ndim=2``);
    a pandas DataFrame keeps its column labels as the first row; numpy arrays via ``tolist``.
    Ragged rows are padded with ``None``.

    >>> as_2d(5), as_2d([1, 2]), as_2d([[1], [2, 3]])
    ([[5]], [[1, 2]], [[1, None], [2, 3]])
    """
    if _looks_like_dataframe(value):
        rows = _dataframe_rows(value)
    elif hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        rows = as_2d(value.tolist())
    elif isinstance(value, (list, tuple)):
        if not value:
            rows = [[None]]
        elif all(isinstance(r, (list, tuple)) for r in value):
            rows = [_plain_row(r) for r in value]
        else:
            rows = [_plain_row(value)]
    else:
        rows = [[_plain(value)]]
    width = max(map(len, rows), default=1) or 1
    for r in rows:
        if len(r) < width:
            r.extend([None] * (width - len(r)))
    return rows


def scalar(value: Any) -> Any:
    """A single-cell argument that arrived as ``[[x]]`` or ``[x]`` → ``x``; a larger range is an error
    left to the caller (returned unchanged)."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return _plain(value)


def single(value: Any, plats: str) -> Any:
    """:func:`scalar`, and a larger range is an error naming ``plats``.

    >>> single([["manader"]], "argumentet tidsberakning")
    'manader'
    >>> single([[1, 2], [3, 4]], "argumentet kolumn")
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtVarde: Fel i argumentet kolumn: ett enda värde väntades, inte ett område (2×2 celler).
    """
    value = scalar(value)
    _one_value(value, plats)
    return value


# --------------------------------------------------------------------------- results


def ore(amount: Decimal) -> Decimal:
    """Round to öre, half up (RULES §8)."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def money(amount: Decimal | None) -> float | str:
    """An amount for a cell: a float rounded to öre; ``None`` (nothing to show) → ``""``."""
    if amount is None:
        return ""
    return float(ore(amount))


def cell_address(row: int, col: int) -> str:
    """0-based (row, col) → A1 address.

    >>> cell_address(0, 0), cell_address(11, 27)
    ('A1', 'AB12')
    """
    letters = ""
    n = col + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row + 1}"


def parse_address(address: str | None) -> tuple[int, int] | None:
    """``'B3'`` or ``'Blad1!$B$3'`` or ``'B3:P40'`` → 0-based (row, col) of the top-left cell.

    >>> parse_address("Sak!$B$3:$P$40"), parse_address(None)
    ((2, 1), None)
    """
    if address is None or (isinstance(address, str) and not address.strip()):
        return None
    m = re.search(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::[^!]*)?$", str(address).strip())
    if not m:
        raise OgiltigtVarde(f"en celladress som B3 väntades, inte {_show(address)}.", None, "adressen")
    col = 0
    for ch in m[1].upper():
        col = col * 26 + (ord(ch) - 64)
    return int(m[2]) - 1, col - 1
