"""Tables (pandas DataFrames) of results, of many cases at once and of price scenarios. See docs/pandas.md.

pandas is optional (``pip install 'sakagare_xl[pandas]'``): importing this package does not import it;
building the first DataFrame does. Parquet needs pyarrow (``[parquet]``), a cluster Dask (``[dask]``).

* :func:`rader_tabell`, :func:`fordringar_tabell`, :func:`arende_tabell`: one result as tables;
* :func:`sammanstall`: many case files and filled workbooks in one table (``sakagare-xl sammanstall``);
* :func:`scenarier`, :func:`brist_per_borgenar`: price scenarios and the expected loss;
* :func:`recalc_tabell`: the report of ``sakagare-xl recalc``;
* :func:`skriv`: a table to ``.xlsx``, ``.csv`` or ``.parquet``.
"""

from ._pd import PaketSaknas
from .filer import hitta_filer
from .recalc import recalc_tabell
from .resultat import arende_tabell, fordringar_tabell, rader_tabell
from .sammanstallning import sammanstall
from .scenario import andring, brist_per_borgenar, scenarier
from .skriv import skriv

__all__ = [
    "PaketSaknas", "hitta_filer", "rader_tabell", "fordringar_tabell", "arende_tabell", "sammanstall", "scenarier",
    "brist_per_borgenar", "andring", "recalc_tabell", "skriv",
]
