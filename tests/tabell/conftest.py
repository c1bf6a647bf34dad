"""Shared for the table tests: the shipped examples and workbooks, a generated portfolio."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pandas", reason="the tables need pandas (pip install 'sakagare_xl[pandas]')")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
WORKBOOKS = sorted((ROOT / "workbook").glob("*.xlsx"))


@pytest.fixture(scope="session")
def portfolio(tmp_path_factory) -> list[Path]:
    """40 generated cases as JSON files (sakagare_xl.tabell.portfolj, seed 7)."""
    from sakagare_xl.tabell.portfolj import skriv_portfolj

    return skriv_portfolj(tmp_path_factory.mktemp("portfolj"), 40, seed=7)
