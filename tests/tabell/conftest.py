"""Shared for the table tests: the shipped examples and workbooks, a generated portfolio.

Without pandas (the tables' optional extra) every test here and every doctest of ``sakagare_xl/tabell``
is skipped with the reason shown by ``pytest -rs``; the engine's own tests still run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
WORKBOOKS = sorted((ROOT / "workbook").glob("*.xlsx"))
NEEDS_PANDAS = (ROOT / "tests" / "tabell", ROOT / "sakagare_xl" / "tabell")


def pytest_collection_modifyitems(config, items):
    if importlib.util.find_spec("pandas") is not None:
        return
    skip = pytest.mark.skip(reason="the tables need pandas (pip install 'sakagare_xl[pandas]')")
    for item in items:
        if any(Path(str(item.path)).is_relative_to(d) for d in NEEDS_PANDAS):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def portfolio(tmp_path_factory) -> list[Path]:
    """40 generated cases as JSON files (sakagare_xl.tabell.portfolj, seed 7)."""
    from sakagare_xl.tabell.portfolj import skriv_portfolj

    return skriv_portfolj(tmp_path_factory.mktemp("portfolj"), 40, seed=7)
