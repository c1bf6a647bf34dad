from __future__ import annotations

from pathlib import Path

import pytest

from sakagare_xl.case_io import arende_fran_dict, las_fil
from sakagare_xl.engine import berakna
from sakagare_xl.referensranta_data import las_tabell

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def tabell():
    return las_tabell()


def load_example(name: str, **override):
    data = las_fil(EXAMPLES / name)
    data.update(override)
    return arende_fran_dict(data)


def run_example(name: str, **override):
    return berakna(load_example(name, **override), las_tabell())
