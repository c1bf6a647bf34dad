"""The report of ``sakagare-xl recalc`` as a DataFrame: from the report rows of
:func:`sakagare_xl.recalc.batch.run_batch`, or from the ``PREFIX.csv`` / ``PREFIX.json`` that
``--report PREFIX`` writes (docs/recalc.md).

A row per workbook: ``Fil``, ``Status``, ``OK`` (recalculated or needing no change),
``Skyddsbelopp``, ``Utdelat``, ``Överskott`` (exact amounts, as in every table here),
``Ändrade celler``, ``Skriven`` and ``Fel`` (the messages, joined by `` | `` as in the CSV).

>>> from decimal import Decimal
>>> from sakagare_xl.recalc.batch import Row
>>> df = recalc_tabell([Row("a.xlsx", "ok", 210000, 220000.5, 0, 3, True)])
>>> df[["Fil", "OK", "Utdelat", "Ändrade celler", "Skriven"]].values.tolist()
[['a.xlsx', True, Decimal('220000.50'), 3, True]]
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..engine.errors import SakagareError
from .kolumner import BELOPP, FLAGGA, HELTAL, TEXT, Kolumner, check_belopp

KOLUMNER = {
    "Fil": TEXT, "Status": TEXT, "OK": FLAGGA, "Skyddsbelopp": BELOPP, "Utdelat": BELOPP, "Överskott": BELOPP,
    "Ändrade celler": HELTAL, "Skriven": FLAGGA, "Fel": TEXT,
}
OK_STATUS = ("ok", "oförändrad")  # as sakagare_xl.recalc.batch.Row.failed


def _belopp(value: Any, path: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise SakagareError(f"rapporten har ett belopp som inte är ett tal ({value!s}).", None, path) from None


def _rows_from_file(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            if path.lower().endswith(".json"):
                data = json.load(fh)
                if not isinstance(data, list):
                    raise SakagareError("en lista med en rad per arbetsbok väntades.", None, path)
                return data
            out = []
            for rec in csv.DictReader(fh):
                rec = dict(rec)
                rec["written"] = rec.get("written") == "ja"
                rec["errors"] = [e for e in (rec.get("errors") or "").split(" | ") if e]
                out.append(rec)
            return out
    except FileNotFoundError:
        raise SakagareError(f"rapporten {path} finns inte.", None, "fil") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SakagareError(f"rapporten {path} kan inte läsas ({exc}).", None, "fil") from None


def recalc_kolumner(source: str | os.PathLike[str] | Iterable[Any]) -> Kolumner:
    """The columns of :func:`recalc_tabell`, without pandas."""
    if isinstance(source, (str, os.PathLike)):
        where = os.fspath(source)
        rows = _rows_from_file(where)
    else:
        where = "rapporten"
        rows = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) else dict(r) for r in source]
    k = Kolumner(KOLUMNER)
    for n, r in enumerate(rows, start=1):
        if not isinstance(r, dict) or "path" not in r or "status" not in r:
            raise SakagareError(f"rad {n} saknar path eller status (är det en rapport från sakagare-xl recalc?).",
                                None, where)
        errors = r.get("errors") or []
        changed = r.get("cells_changed")
        k.add({
            "Fil": r["path"], "Status": r["status"], "OK": r["status"] in OK_STATUS,
            "Skyddsbelopp": _belopp(r.get("skyddsbelopp"), where), "Utdelat": _belopp(r.get("distributed"), where),
            "Överskott": _belopp(r.get("overskott"), where),
            "Ändrade celler": int(changed) if changed not in (None, "") else None,
            "Skriven": bool(r.get("written")), "Fel": " | ".join(errors) if errors else None,
        })
    return k


def recalc_tabell(source: str | os.PathLike[str] | Iterable[Any], *, belopp: str = "decimal"):
    """The recalc report as a DataFrame: ``source`` is a list of report rows (``Row`` objects or their
    dicts) or the path of a ``.csv``/``.json`` report."""
    check_belopp(belopp)
    return recalc_kolumner(source).frame(belopp)
