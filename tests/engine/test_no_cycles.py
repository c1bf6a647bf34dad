"""The result holds no reference cycle: a dropped result is freed by reference counting alone.

Why: with a cycle (each row's lazy explanation holding the row, the working state holding the rows), every object
of a dropped result waits for the cyclic collector — ~3 ms a 1 000-row COVERAGE in CPython, 24 ms in Pyodide
(docs/performance-rounds.md, "Engine, third round"). With the collector off, ``gc.collect()`` after dropping the result
counts the objects only it could free; it must find none.
"""

import gc
import weakref
from decimal import Decimal as D

import pytest

from sakagare_xl.engine import avgor_dubbelutrop, berakna

from .build import case, d, ford, pb, ratt, sale


def _arende(kopeskilling):
    # provenance: made up to reach every kind of row and explanation: costs, a block of two pantbrev (JB 6 kap.
    # 3 § 2 st.), two pantbrev of equal rank, a second-hand claim (överhypotek), two claims attaching one pantbrev
    # at one time (FRL 9 § 4 st.), an exekutionsfordran without pantbrev (utmätning of the property, FRL 8 §), a
    # right before and one after it, a claim ranked by its rangdag and a holder's pantbrev without a claim (RULES §5)
    return case(
        sale(utmatningsdag=d(2013, 3, 1), fordelningsdag=d(2013, 9, 1), forrattningskostnader=D(5000),
             **({} if kopeskilling is None else {"kopeskilling": D(kopeskilling)})),
        [pb("P1", 1990, 100000), pb("P2", 1991, 50000), pb("P3", 1992, 40000), pb("P4", 1992, 40000),
         ratt("S1", 1993), pb("P5", 1994, 80000), pb("P6", 1995, 30000, innehavare="Bank X"), ratt("S2", 2014)],
        [ford("A", 130000, "P1", "P2"), ford("B", 30000, "P3"), ford("C", 20000, "P4"),
         ford("Ö", 60000, overhypotek=("P1",)),
         ford("U1", 30000, utmatta_pantbrev=("P5",), utmatningsdag=d(2012, 5, 1)),
         ford("U2", 40000, utmatta_pantbrev=("P5",), utmatningsdag=d(2012, 5, 1)),
         ford("E", 70000, exekutionsfordran=True), ford("X", 5000, rangdag=d(2000, 1, 1))])


def _freed_by_refcount(make) -> int:
    """The objects that only the cyclic collector can free once the result of ``make()`` is dropped."""
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        res = make()
        ref = weakref.ref(res)
        del res
        assert ref() is None  # freed at once: nothing but a cycle could keep it
        return gc.collect()
    finally:
        if was:
            gc.enable()


@pytest.mark.parametrize("kopeskilling", [None, 0, 150000, 10**7])
@pytest.mark.parametrize("read", [False, True])
def test_result_freed_without_the_cyclic_collector(kopeskilling, read):
    a = _arende(kopeskilling)
    res = berakna(a)
    typer = {r.typ for r in res.rader}
    assert {"kostnader", "fordran", "overhypotek", "utmatt", "agarhypotek", "rattighet"} <= typer
    assert any(r.block for r in res.rader)

    def make():
        r = berakna(a)
        if read:
            r.to_dict()  # every explanation rendered
        return r

    assert _freed_by_refcount(make) == 0


def test_dubbelutrop_result_freed_without_the_cyclic_collector():
    a = _arende(150000)
    assert _freed_by_refcount(lambda: avgor_dubbelutrop(berakna(a), [(None, D(100000), D(200000))])) == 0
