"""recalc's direct path for TILLAGG (sakagare_xl/recalc/fast.py) gives exactly what the registry's
TILLAGG gives, and steps aside (None) whenever the general path has to word an error.

Expected values are the registry function itself (sakagare_xl.adapters.functions.FUNCTIONS["TILLAGG"],
JB 6 kap. 3 §), called with the same floats.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sakagare_xl.adapters.functions import FUNCTIONS
from sakagare_xl.engine.errors import SakagareError
from sakagare_xl.recalc import fast
from sakagare_xl.recalc.core import recalc_bytes

from .helpers import cached

TILLAGG = FUNCTIONS["TILLAGG"]


def general(args):
    """The registry's answer: a float, or the class of the error it raises."""
    try:
        return TILLAGG(*args)
    except SakagareError as exc:
        return type(exc)


def check(args) -> bool:
    """The direct path agrees with the general one; True when it answered itself."""
    got = fast.tillagg(list(args))
    want = general(args)
    if got is None:
        return False
    assert type(want) is float, (args, got, want)
    assert got == want and repr(got) == repr(want), (args, got, want)
    return True


amounts = st.one_of(
    st.integers(0, 50_000_000).map(float),  # whole kronor, the common case
    st.floats(0, 1e9, allow_nan=False).map(lambda x: round(x, 2)),  # öre
    st.floats(min_value=-1e12, max_value=1e15),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 5e-324]),
)
rates = st.one_of(
    st.sampled_from([0.0, 0.005, 0.01, 0.02, 0.025, 0.035, 0.04, -0.005, 0.0275, 0.999, 1.0, -1.0, 2.0,
                     0.25, 0.2500001, -0.05, -0.0500001, 0.3]),  # the ends of the one accepted range
    st.floats(-1.5, 1.5),
    st.sampled_from([math.nan, math.inf, -0.0]),
)
months = st.one_of(st.integers(0, 60).map(float), st.floats(-5, 120), st.sampled_from([math.nan, math.inf, -0.0]))


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(amounts, rates, months, st.one_of(st.none(), amounts))
def test_same_as_the_registry(belopp, rate, manader, fordran):
    args = (belopp, rate, manader) if fordran is None else (belopp, rate, manader, fordran)
    check(args)


def test_answers_itself_for_plain_numbers():
    # the bench's shape: whole-krona amounts, the seven rates of bench/peers/gen.py, 0..24 months
    rnd = random.Random(7)
    answered = 0
    for _ in range(3000):
        args = [rnd.randrange(50, 5000) * 1000.0, rnd.choice([0.0, 0.005, 0.01, 0.02, 0.025, 0.035, 0.04]),
                float(rnd.randrange(0, 25))]
        if rnd.random() < 0.3:
            args.append(round(args[0] * rnd.uniform(0.4, 1.4), 2))
        answered += check(args)
    assert answered == 3000


@pytest.mark.parametrize(
    "args",
    [
        # each of these is an error message (or an argument count) the general path must give
        (-1.0, 0.02, 6.0), (100000.0, 2.0, 6.0), (100000.0, 1.0, 6.0), (100000.0, 0.3, 6.0), (100000.0, -0.06, 6.0),
        (100000.0, 0.02, -1.0),
        (100000.0, 0.02, 6.0, -5.0), (math.nan, 0.02, 6.0), (math.inf, 0.02, 6.0), (100000.0, math.nan, 6.0),
        (100000.0, 0.02, 6.0, math.inf), (None, 0.02, 6.0), (100000.0,), (1.0, 0.02, 6.0, 1.0, 1.0),
    ],
)
def test_steps_aside_for_errors(args):
    assert fast.tillagg(list(args)) is None


def test_only_for_the_real_function():
    assert fast.fast_paths(FUNCTIONS) == {"TILLAGG": fast.tillagg}
    assert fast.fast_paths({**FUNCTIONS, "TILLAGG": lambda *a: 0.0}) == {}


def test_a_workbook_gives_the_same_bytes_with_and_without_the_direct_path(tmp_path):
    import xlsxwriter

    p = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Blad 1")
    ws.write_number("B1", 0.025)
    rnd = random.Random(3)
    for i in range(2, 60):
        ws.write_number(f"A{i}", rnd.randrange(1, 3000) * 1000)
        ws.write_number(f"C{i}", rnd.randrange(0, 30))
        ws.write_number(f"E{i}", rnd.randrange(1, 3000) * 1000)
        ws.write_formula(f"D{i}", f"=TILLAGG(A{i},$B$1,C{i})", None, 0)
        ws.write_formula(f"F{i}", f"=TILLAGG(A{i},$B$1,C{i},E{i})", None, 0)
        ws.write_formula(f"G{i}", f"=MIN(E{i},A{i}+D{i})", None, 0)
    ws.write_formula("D60", "=TILLAGG(A2,2,C2)", None, 0)  # a rate of 2 = 200 %: the general path's error
    wb.close()
    data = p.read_bytes()
    direct = recalc_bytes(data, FUNCTIONS, write_errors=True)
    plain = recalc_bytes(data, dict(FUNCTIONS), write_errors=True)  # a copy of the registry: no direct path
    plain_fns = {**FUNCTIONS, "TILLAGG": lambda *a: TILLAGG(*a)}
    wrapped = recalc_bytes(data, plain_fns, write_errors=True)
    assert direct.status == wrapped.status == "fel i formel"
    assert direct.errors == wrapped.errors
    assert direct.data == wrapped.data
    assert plain.data == direct.data
    values = cached(direct.data)
    assert values["D2"] == TILLAGG(values["A2"], 0.025, values["C2"])
