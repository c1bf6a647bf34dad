"""Optional packages of the tables (pandas, pyarrow), imported only when a table is asked for.

``import sakagare_xl`` and the engine never import pandas; a function here that builds a
DataFrame imports it on its first call and says in Swedish how to install it when it is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from ..engine.errors import SakagareError


class PaketSaknas(SakagareError):
    """An optional package (pandas, pyarrow, dask) that a table or a file format needs is not installed."""


def _missing(package: str, extra: str, what: str) -> PaketSaknas:
    return PaketSaknas(f"{what} kräver paketet {package}, som inte är installerat. "
                       f"Installera det med: pip install 'sakagare_xl[{extra}]'", None, package)


def pandas() -> ModuleType:
    """The pandas module, or :class:`PaketSaknas` naming the extra ``[pandas]``."""
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise _missing("pandas", "pandas", "tabeller (DataFrame)") from None


def krav_pyarrow() -> None:
    """Parquet needs pyarrow (pandas' other Parquet engine, fastparquet, is not what we test)."""
    if importlib.util.find_spec("pyarrow") is None:
        raise _missing("pyarrow", "parquet", "Parquet-filer")
