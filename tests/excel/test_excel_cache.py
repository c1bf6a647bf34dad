"""The memo behind the range functions: a list range (xlwings sends a new list on every call) is keyed on its
raw values without normalising every cell, and still never mixes up TRUE with 1 (equal in Python).

Regression for the bench helper's finding (requests.md, "[bench → recalc + excel-functions] perf"): SAK_RAD's
memo key cost ≈ 2.5 ms per call on a 1 000-row range, so 1 000 per-row calls took 3 s against 0.3 s for one
COVERAGE. The speed itself is measured in bench/ (no timed assertions here).
"""

from __future__ import annotations

import pytest
from conftest import e2_range

from sakagare_xl.adapters import functions as F
from sakagare_xl.adapters import values as V
from sakagare_xl.adapters.functions import BRIST, CACHE, COVERAGE, FORDELNING, SAK_RAD
from sakagare_xl.engine.errors import SakagareError


def fresh(rows: list[list]) -> list[list]:
    """A new list of new rows with the same values, as xlwings hands a range to every call."""
    return [list(r) for r in rows]


def test_a_hit_on_a_fresh_list_reads_no_cell(monkeypatch):
    r = e2_range()
    first = [SAK_RAD(fresh(r), n, "utfaller") for n in range(1, 5)]
    calls = []
    monkeypatch.setattr(F, "as_2d", lambda *a: calls.append("as_2d") or V.as_2d(*a))
    monkeypatch.setattr(F, "_freeze", lambda *a: calls.append("_freeze") or ())
    monkeypatch.setattr(F, "_las", lambda *a: calls.append("_las"))
    assert [SAK_RAD(fresh(r), n, "utfaller") for n in range(1, 5)] == first
    assert calls == []
    assert CACHE.misses == 1


# E2 (Lawline 15971) with one cell typed as the number 1 and as TRUE: equal as Python keys, different cells
@pytest.mark.parametrize("row, col", [(6, 1), (9, 7)], ids=["Id", "Exekutionsfordran"])
def test_true_and_one_never_share_an_entry(row, col):
    as_one, as_true = e2_range(), e2_range()
    as_one[row][col], as_true[row][col] = 1.0, True
    got_one, got_true = FORDELNING(fresh(as_one)), FORDELNING(fresh(as_true))
    CACHE.clear()
    assert got_true == FORDELNING(fresh(as_true))  # what a cold cache gives
    CACHE.clear()
    assert got_one == FORDELNING(fresh(as_one))
    if col == 1:  # an Id typed as TRUE reads 'Ja', typed as 1 reads '1'
        assert got_one != got_true


def test_true_after_one_is_still_an_error():
    # Kapital 1 is a valid claim; Kapital TRUE is refused. The memo holds the first: the second must not hit it.
    r = e2_range()
    r[6][6] = 1.0
    COVERAGE(fresh(r))
    r[6][6] = True
    with pytest.raises(SakagareError, match=r"ett tal väntades, inte SANT"):
        COVERAGE(fresh(r))
    r[6][6] = 1.0
    assert COVERAGE(fresh(r)) == COVERAGE(r)


def test_a_changed_cell_in_a_fresh_list_is_a_new_entry():
    r = e2_range()
    assert BRIST(fresh(r))[3] == [15000.0]  # E2: D's claim 25 000 gets 10 000
    r[9][6] = 30000.0  # D's claim 25 000 → 30 000: still 10 000 paid, 20 000 short
    assert BRIST(fresh(r))[3] == [20000.0]
    assert CACHE.misses == 2


@pytest.mark.parametrize("shape", ["tuple rows", "tuple of tuples", "ragged"])
def test_other_shapes_of_one_range_share_an_entry(shape):
    # a range handed over as a list of tuples, a new tuple of tuples each call, or with rows of unequal length
    # (padded with blanks by as_2d) is found again, not computed on every call
    r = e2_range()
    make = {"tuple rows": lambda: [tuple(x) for x in r], "tuple of tuples": lambda: tuple(map(tuple, r)),
            "ragged": lambda: [list(x[:2]) if i < 4 else list(x) for i, x in enumerate(r)]}[shape]
    first = COVERAGE(make())
    CACHE.hits = CACHE.misses = 0
    assert [COVERAGE(make()) for _ in range(3)] == [first] * 3
    assert CACHE.misses == 0 and CACHE.hits == 3
