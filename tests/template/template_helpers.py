"""Helpers for the template tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

from pathlib import Path

from sakagare_xl.case_io import arende_fran_dict, las_fil
from sakagare_xl.template.exempel import examples_dir

REPO = Path(__file__).resolve().parents[2]


def case(ex):
    """The example's case file as an Arende."""
    return arende_fran_dict(las_fil(examples_dir() / ex.arende))
