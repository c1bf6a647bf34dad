"""Write a table as ``.xlsx``, ``.csv`` or ``.parquet`` (chosen by the file's suffix).

* ``.xlsx`` (XlsxWriter): amounts as numbers with the format ``# ##0,00`` (Excel shows its own
  thousands separator and decimal comma), dates as dates, a frozen, filtered heading row.
* ``.csv``: UTF-8, comma-separated, decimal point, dates ``ÅÅÅÅ-MM-DD``, amounts exactly as they are
  (``826000.00``, or öre as integers); for people, prefer ``.xlsx``.
* ``.parquet`` (needs pyarrow: ``pip install 'sakagare_xl[parquet]'``): Decimal columns become
  ``decimal128(…, 2)``, öre ``int64``, dates ``date32``: exact and typed.

Writes are atomic (a temporary file in the same folder, then :func:`os.replace`).
"""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal

from ..engine.errors import OgiltigtVarde
from ._pd import krav_pyarrow, pandas
from .kolumner import ATTR, BELOPP, DATUM, FLAGGA, HELTAL, ORE_SUFFIX

FORMAT = (".xlsx", ".csv", ".parquet")
BLAD = "Sammanställning"


def _suffix(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in FORMAT:
        raise OgiltigtVarde(f"filen {path} ska sluta på .xlsx, .csv eller .parquet.", "--ut")
    return suffix


def skriv(df, path: str | os.PathLike[str], sheet: str = BLAD) -> str:
    """Write ``df`` to ``path`` in the format its suffix names; returns the path."""
    path = os.fspath(path)
    suffix = _suffix(path)
    if suffix == ".parquet":
        krav_pyarrow()
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~" + os.path.basename(path) + ".", suffix=".tmp" + suffix, dir=folder)
    os.close(fd)
    try:
        if suffix == ".csv":
            df.to_csv(tmp, index=False, encoding="utf-8", date_format="%Y-%m-%d")
        elif suffix == ".parquet":
            _parquet(df, tmp)
        else:
            _xlsx(df, tmp, sheet)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def kinds(df) -> dict[str, str]:
    """Each column's kind (:mod:`sakagare_xl.tabell.kolumner`): from the table's ``attrs`` where it has them,
    else guessed from the values (a table the user built or changed)."""
    pd = pandas()
    known = dict(df.attrs.get(ATTR, {}))
    out = {}
    for name in df.columns:
        col = df[name]
        if name in known:
            out[name] = known[name]
        elif str(name).endswith(ORE_SUFFIX):
            out[name] = BELOPP
        elif pd.api.types.is_datetime64_any_dtype(col):
            out[name] = DATUM
        elif col.dtype == object and any(isinstance(v, Decimal) for v in col.head(1000)):
            out[name] = BELOPP
        else:
            out[name] = ""
    return out


def _parquet(df, path: str) -> None:
    """Typed Parquet: kronor ``decimal128(18, 2)`` in every file (so that files of one portfolio can be read
    as one dataset), öre ``int64``, dates ``date32``, empty text columns ``string``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pd = pandas()
    k = kinds(df)
    arrays, fields = [], []
    for name in df.columns:
        col, kind = df[name], k[name]
        if kind == BELOPP and not str(name).endswith(ORE_SUFFIX):
            typ = pa.decimal128(18, 2)
            values = [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else Decimal(v) for v in col]
        elif kind == DATUM:
            typ = pa.date32()
            values = [None if pd.isna(v) else v.date() for v in col]
        else:
            arr = pa.array(col, from_pandas=True)
            if pa.types.is_null(arr.type):
                arr = arr.cast(pa.int64() if kind in (HELTAL, BELOPP) else pa.bool_() if kind == FLAGGA else pa.string())
            arrays.append(arr)
            fields.append(pa.field(str(name), arr.type))
            continue
        arrays.append(pa.array(values, type=typ))
        fields.append(pa.field(str(name), typ))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)


def _xlsx(df, path: str, sheet: str) -> None:
    pd = pandas()
    with pd.ExcelWriter(path, engine="xlsxwriter", date_format="yyyy-mm-dd", datetime_format="yyyy-mm-dd") as xw:
        df.to_excel(xw, sheet_name=sheet[:31], index=False)
        wb, ws = xw.book, xw.sheets[sheet[:31]]
        money = wb.add_format({"num_format": "#,##0.00"})
        ore = wb.add_format({"num_format": "0"})
        k = kinds(df)
        for i, name in enumerate(df.columns):
            col = df[name]
            width = min(60, max(len(str(name)), *(len(str(v)) for v in col.head(200)), 6) + 2) if len(col) else len(str(name)) + 2
            if str(name).endswith(ORE_SUFFIX):
                ws.set_column(i, i, width, ore)
            elif k[name] == BELOPP:
                ws.set_column(i, i, width, money)
            else:
                ws.set_column(i, i, width)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(df), 1), max(len(df.columns) - 1, 0))
