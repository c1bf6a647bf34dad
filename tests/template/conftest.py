"""Shared fixtures: the shipped workbooks, built once per test session into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from sakagare_xl.template.builder import build_bytes
from sakagare_xl.template.exempel import EXEMPEL, MALL, ifyllnad


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """Every shipped workbook (template + examples) freshly built: file name → path."""
    out = tmp_path_factory.mktemp("workbooks")
    paths = {MALL: out / MALL}
    paths[MALL].write_bytes(build_bytes(None))
    for ex in EXEMPEL:
        paths[ex.fil] = out / ex.fil
        paths[ex.fil].write_bytes(build_bytes(ifyllnad(ex)))
    return paths

