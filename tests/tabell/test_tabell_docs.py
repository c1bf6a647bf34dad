"""docs/pandas.md is a doctest: its worked example runs on the shipped examples and workbooks."""

from __future__ import annotations

import doctest
import os

from .conftest import ROOT


def test_the_worked_example_in_docs_pandas_md(tmp_path, monkeypatch):
    for name in ("examples", "workbook"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)  # the example writes ut/sammanstallning.xlsx
    result = doctest.testfile(str(ROOT / "docs" / "pandas.md"), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0
    assert os.path.exists(tmp_path / "ut" / "sammanstallning.xlsx")
