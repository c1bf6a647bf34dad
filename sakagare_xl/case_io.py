"""Case files (TOML or JSON) to engine objects. The format is documented in ``docs/case-format.md``.

>>> a = arende_fran_dict({"manader": 6, "referensranta": 2, "forrattningskostnader": 0,
...     "inskrivningar": [{"id": "P1990", "dag": 1990, "belopp": 400000}],
...     "fordringar": [{"id": "A", "borgenar": "A-bank", "kapital": 500000, "pantbrev": ["P1990"],
...                     "exekutionsfordran": True}]})
>>> a.fordringar[0].pantbrev
('P1990',)
>>> arende_fran_dict({"manadr": 6})
Traceback (most recent call last):
...
sakagare_xl.engine.errors.OgiltigtVarde: Fel i fältet 'manadr': okänd nyckel i ärendet (menade du 'manader'?).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import tomllib
from pathlib import Path
from typing import Any

from .engine.errors import OgiltigtDatum, OgiltigtVarde, SakagareError
from .engine.model import Arende, Fordran, Forsaljning, Inskrivning
from .engine.rantesats import fran_procent

FORSALJNING_KEYS = {
    "fastighet", "utmatningsdag", "utmatning_inskrivningsdag", "konkurs", "konkursansokningsdag", "deponeringsdag", "fordelningsdag", "manader",
    "sakagarforteckningsdag", "forrattningskostnader", "referensranta", "tidsberakning", "rattighet_bryter_block",
    "kopeskilling", "ranta_kopeskilling",
}
INFO_KEYS = {"sokande", "kalla", "beskrivning", "anteckning"}
TOP_KEYS = FORSALJNING_KEYS | INFO_KEYS | {"inskrivningar", "fordringar", "dubbelutrop"}
INSKRIVNING_KEYS = {"id", "dag", "slag", "belopp", "ordning", "innehavare", "beskrivning"}
FORDRAN_KEYS = {"id", "borgenar", "kapital", "ranta", "kostnader", "pantbrev", "overhypotek", "utmatta_pantbrev",
                "exekutionsfordran", "frl6_1", "personligt_ansvar", "rangdag", "utmatningsdag"}
DUBBELUTROP_KEYS = {"ratt", "bud_med", "bud_utan"}
#: the largest case file read (bytes), checked before reading
MAX_CASE_SIZE = 64 * 1024 * 1024
DATE_KEYS = {"utmatningsdag", "utmatning_inskrivningsdag", "konkursansokningsdag", "deponeringsdag", "fordelningsdag", "sakagarforteckningsdag",
             "rangdag"}


def _check_keys(d: dict, allowed: set[str], where: str | None) -> None:
    if not isinstance(d, dict):
        raise OgiltigtVarde(f"en tabell med nycklar väntades, inte {_shown(d)}.", None, where)
    for key in d:
        if key not in allowed:
            near = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (menade du '{near[0]}'?)" if near else ""
            raise OgiltigtVarde(f"okänd nyckel i ärendet{hint}.", key, where)


def _list(data: dict[str, Any], key: str, what: str) -> list:
    """The array of tables under ``key`` (``[[inskrivningar]]``); anything else is an error naming the key."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise OgiltigtVarde(f"en lista med {what} väntades ([[{key}]] i TOML, en lista i JSON), "
                            f"inte {_shown(value)}.", key, None)
    return value


def _shown(value: Any) -> str:
    """A value as a user would write it, not as Python's repr (no ``None``, no ``[2004]``).

    >>> _shown(None), _shown([2004]), _shown(["S1981"]), _shown({"a": 1}), _shown(5)
    ('ett tomt värde (null)', 'en lista (2004)', "en lista ('S1981')", 'en tabell', '5')
    """
    if value is None:
        return "ett tomt värde (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dict):
        return "en tabell"
    if isinstance(value, list):
        return "en tom lista" if not value else "en lista (" + ", ".join(_shown(v) for v in value[:3]) + (
            ", …)" if len(value) > 3 else ")")
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


def _text(value: Any, field: str, where: str | None, default: str = "") -> str:
    """A text field (fastighet, beskrivning, borgenar, …): a string, or absent; a number or a table is refused.

    >>> _text(5, "fastighet", None)
    Traceback (most recent call last):
    ...
    sakagare_xl.engine.errors.OgiltigtVarde: Fel i fältet 'fastighet': en text inom citattecken väntades, inte 5.
    """
    if value is None:
        return default
    if not isinstance(value, str):
        raise OgiltigtVarde(f"en text inom citattecken väntades, inte {_shown(value)}.", field, where)
    return value


def _date(value: Any, field: str, where: str | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise OgiltigtDatum(f"ett datum utan klockslag väntades, inte {_shown(value)}.", field, where)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise OgiltigtDatum(f"ett datum ÅÅÅÅ-MM-DD väntades, inte {_shown(value)}.", field, where)


def _dag(value: Any, where: str) -> dt.date | int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        return int(value)
    d = _date(value, "dag", where)
    if d is None:
        raise OgiltigtDatum("inskrivningsdagen saknas.", "dag", where)
    return d


def _bool(value: Any, field: str, where: str | None) -> bool:
    if isinstance(value, bool):
        return value
    raise OgiltigtVarde(f"true eller false väntades, inte {_shown(value)}.", field, where)


def _ids(value: Any, field: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise OgiltigtVarde(f"en lista med pantbrevs-id väntades, inte {_shown(value)}.", field, where)
    bad = next((v for v in value if not isinstance(v, str)), None)
    if bad is not None or None in value:
        raise OgiltigtVarde(f"varje pantbrevs-id ska vara en text, inte {_shown(bad)}.", field, where)
    return tuple(value)


def arende_fran_dict(data: dict[str, Any]) -> Arende:
    """An :class:`Arende` from a parsed case file; unknown keys are errors (typos never pass silently)."""
    _check_keys(data, TOP_KEYS, None)
    for key in INFO_KEYS & data.keys():
        _text(data[key], key, None)
    kw: dict[str, Any] = {}
    for key in FORSALJNING_KEYS & data.keys():
        value = data[key]
        if key in DATE_KEYS:
            value = _date(value, key, "försäljningen")
        elif key in ("konkurs", "rattighet_bryter_block"):
            value = _bool(value, key, "försäljningen")
        elif key == "referensranta" and value is not None:
            value = fran_procent(value, key, "försäljningen")  # percent; 0.02 is refused (RULES.md §8)
        elif key in ("fastighet", "tidsberakning"):
            value = _text(value, key, "försäljningen")
        kw[key] = value
    forsaljning = Forsaljning(**kw)

    inskrivningar = []
    for n, item in enumerate(_list(data, "inskrivningar", "inskrivningar"), start=1):
        where = f"inskrivning nr {n}" + (f" ({item.get('id')})" if isinstance(item, dict) and item.get("id") else "")
        _check_keys(item, INSKRIVNING_KEYS, where)
        if "id" not in item:
            raise OgiltigtVarde("id saknas.", "id", where)
        inskrivningar.append(Inskrivning(
            id=item["id"], dag=_dag(item.get("dag"), where), slag=item.get("slag", "inteckning"),
            belopp=item.get("belopp"), ordning=item.get("ordning"), innehavare=_text(item.get("innehavare"), "innehavare", where),
            beskrivning=_text(item.get("beskrivning"), "beskrivning", where)))

    fordringar = []
    for n, item in enumerate(_list(data, "fordringar", "fordringar"), start=1):
        where = f"fordran nr {n}" + (f" ({item.get('id')})" if isinstance(item, dict) and item.get("id") else "")
        _check_keys(item, FORDRAN_KEYS, where)
        if "id" not in item:
            raise OgiltigtVarde("id saknas.", "id", where)
        if "kapital" not in item:
            raise OgiltigtVarde("kapital saknas.", "kapital", where)
        fordringar.append(Fordran(
            id=item["id"], borgenar=_text(item.get("borgenar"), "borgenar", where), kapital=item["kapital"],
            ranta=item.get("ranta", 0), kostnader=item.get("kostnader", 0),
            pantbrev=_ids(item.get("pantbrev"), "pantbrev", where),
            overhypotek=_ids(item.get("overhypotek"), "overhypotek", where),
            utmatta_pantbrev=_ids(item.get("utmatta_pantbrev"), "utmatta_pantbrev", where),
            exekutionsfordran=_bool(item.get("exekutionsfordran", False), "exekutionsfordran", where),
            frl6_1=_bool(item.get("frl6_1", False), "frl6_1", where),
            personligt_ansvar=_bool(item.get("personligt_ansvar", True), "personligt_ansvar", where),
            rangdag=_date(item.get("rangdag"), "rangdag", where),
            utmatningsdag=_date(item.get("utmatningsdag"), "utmatningsdag", where)))
    return Arende(forsaljning, tuple(inskrivningar), tuple(fordringar))


def dubbelutrop_fran_dict(data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The optional ``[[dubbelutrop]]`` entries: (right id, bid with förbehåll, bid without)."""
    out = []
    for n, item in enumerate(_list(data, "dubbelutrop", "dubbelutrop"), start=1):
        where = f"dubbelutrop nr {n}"
        _check_keys(item, DUBBELUTROP_KEYS, where)
        for key in DUBBELUTROP_KEYS:
            if key not in item:
                raise OgiltigtVarde(f"{key} saknas.", key, where)
        out.append((_text(item["ratt"], "ratt", where), item["bud_med"], item["bud_utan"]))
    return out


def las_fil(path: str | Path) -> dict[str, Any]:
    """Read a TOML or JSON case file into a dict; errors in Swedish naming the file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_CASE_SIZE:  # before reading: a case of 10 000 inskrivningar is a few MB
            raise SakagareError(f"filen {p} är {size} byte; ett ärende är högst {MAX_CASE_SIZE} byte.", "fil")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise SakagareError(f"filen {p} finns inte.", "fil") from None
    except OSError as exc:
        raise SakagareError(f"filen {p} kan inte läsas ({exc.strerror}).", "fil") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SakagareError(f"filen {p} är inte UTF-8-text.", "fil") from None
    kind = "JSON" if p.suffix.lower() == ".json" else "TOML"
    try:
        if kind == "JSON":
            data = json.loads(text, object_pairs_hook=_unique_keys)
        else:
            data = tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise SakagareError(f"{p} är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno}).", "fil") from None
    except tomllib.TOMLDecodeError as exc:
        raise SakagareError(f"{p} är inte giltig TOML ({exc}).", "fil") from None
    except _DuplicateKey as exc:
        raise OgiltigtVarde(f"nyckeln står två gånger i {p}; bara en får finnas (annars gäller tyst den sista).",
                            exc.key, None) from None
    except RecursionError:
        raise SakagareError(f"{p} är för djupt nästlad för att vara ett ärende.", "fil") from None
    except ValueError as exc:  # an integer of more than 4 300 digits (sys.get_int_max_str_digits)
        if "digits" not in str(exc):
            raise
        raise SakagareError(f"{p} innehåller ett heltal med mer än 4 300 siffror.", "fil") from None
    if not isinstance(data, dict):
        raise SakagareError(f"{p} ska innehålla ett ärende (en tabell med nycklar).", "fil")
    _no_surrogates(data, None, None)
    return data


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads`` keeps the last of two equal keys silently; refuse instead (TOML already does)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


_WHERE = {"inskrivningar": "inskrivning", "fordringar": "fordran", "dubbelutrop": "dubbelutrop"}


def _no_surrogates(value: Any, field: str | None, where: str | None) -> None:
    """Refuse a text with a lone surrogate (JSON ``"\\ud800"``): it is no character, cannot be printed or
    saved as UTF-8, and would otherwise stop the output half-way."""
    if isinstance(value, str):
        bad = next((ch for ch in value if "\ud800" <= ch <= "\udfff"), None)
        if bad is not None:
            raise OgiltigtVarde(f"texten innehåller ett ogiltigt tecken (U+{ord(bad):04X}, ett ensamt "
                                "surrogattecken).", field, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_surrogates(key, field, where)
            _no_surrogates(item, key, where)
    elif isinstance(value, list):
        for n, item in enumerate(value, start=1):
            _no_surrogates(item, field, f"{_WHERE[field]} nr {n}" if field in _WHERE and where is None else where)
