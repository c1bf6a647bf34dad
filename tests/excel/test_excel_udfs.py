"""sakagare_xl.udfs: what Excel sees (names, argument docs) and that no call ever raises into a cell."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import e2_range
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sakagare_xl.udfs as udfs
from sakagare_xl.adapters.functions import FUNCTIONS

STATUTE = ("JB 6 kap. 3 §", "UB 12 kap. 29 §", "UB 13 kap.", "Räntelagen 9 §")


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    # xlwings' own metadata builder (the one xlwings Server and Lite use) lives in xlwings.pro, which
    # needs a license key to import; "noncommercial" is the key xlwings documents for non-commercial use.
    env.update(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    return env


def _run_server(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=_server_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def meta() -> dict:
    return _run_server(
        """
        import json, xlwings as xw, sakagare_xl.udfs as u
        print(json.dumps(xw.server.custom_functions_meta(u)))
        """
    )


def test_excel_sees_every_function_by_its_ascii_name(meta):
    names = [f["name"] for f in meta["functions"]]
    assert sorted(names) == sorted(FUNCTIONS)
    assert all(n.isascii() and n == n.upper() for n in names)


def test_descriptions_are_swedish_name_the_statute_and_fit_the_wizard(meta):
    for f in meta["functions"]:
        d = f["description"]
        # the classic add-in passes at most 255 characters to Excel's MacroOptions
        assert 40 <= len(d) <= 255, f["name"]
        assert any(s in d for s in STATUTE), f["name"]
        assert "\n" not in d


def test_every_argument_has_a_swedish_doc(meta):
    import inspect

    for f in meta["functions"]:
        sig = inspect.signature(getattr(udfs, f["name"]))
        assert [p["name"] for p in f["parameters"]] == list(sig.parameters), f["name"]
        for p in f["parameters"]:
            assert not p["description"].startswith("Positional argument"), (f["name"], p["name"])
            assert 10 <= len(p["description"]) <= 255
            assert p["name"].isascii() and p["name"].isidentifier()
            optional = sig.parameters[p["name"]].default is not inspect.Parameter.empty
            assert p.get("optional", False) == optional, (f["name"], p["name"])


def test_the_documented_signatures(meta):
    params = {f["name"]: [p["name"] for p in f["parameters"]] for f in meta["functions"]}
    assert params["TILLAGG"] == ["inteckning", "ref_rate", "months", "fordran"]
    assert params["TILLAGG_DATUM"] == [
        "inteckning", "fran", "till", "fordran", "sakagarforteckningsdag", "tidsberakning"]
    assert params["COVERAGE"] == ["omrade", "pris"]
    assert params["SAK_RAD"] == ["omrade", "rad", "kolumn", "pris"]


def test_real_excel_errors_on_server_and_lite():
    got = _run_server(
        """
        import json, xlwings as xw, sakagare_xl.udfs as u
        from xlwings.pro._xlofficejs import errorstr_to_errortype
        out = {"real": u.REAL_ERRORS}
        try:
            u.TILLAGG(-100.0, 0.02, 6.0)
        except xw.XlwingsError as exc:
            out["raised"] = str(exc)
        out["na"] = u.COVERAGE([["Ordning", "Förmånsrätt"], [1, 5.0]], None)
        out["na_cell"] = errorstr_to_errortype(out["na"], "1.4")
        out["ok"] = u.TILLAGG(700000.0, 0.02, 6.0)
        print(json.dumps(out))
        """
    )
    assert got["real"] is True
    # bad input → #VALUE! with the Swedish message as the error's text
    assert got["raised"] == "Fel i argumentet inteckning: inteckningsbeloppet är negativt (-100)."
    # a value that is not available (no price) → a real #N/A
    assert got["na"] == "#N/A" and got["na_cell"] == {"type": "Error", "errorType": "NotAvailable"}
    assert got["ok"] == 126000.0


def test_classic_addin_shows_the_message_as_text():
    assert udfs.REAL_ERRORS is False  # Linux, no XLWINGS_ON_SERVER: the classic behaviour
    assert udfs.TILLAGG(-100.0, 0.02, 6.0) == "Fel i argumentet inteckning: inteckningsbeloppet är negativt (-100)."
    assert udfs.TILLAGG(700000.0, 0.02, 6.0) == 126000.0
    assert udfs.TILLAGG_DATUM(100000.0, 45017.0, 44835.0).startswith("Fel i argumenten fran och till")
    assert udfs.COVERAGE(e2_range()) == [[90000.0], [75000.0], [40000.0], [10000.0], [""]]
    assert udfs.SKYDDSBELOPP(e2_range()) == 210000.0


def test_an_unexpected_error_is_text_too(monkeypatch):
    def boom(*args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(FUNCTIONS, "TILLAGG", boom)
    out = udfs.TILLAGG(1.0, 0.02, 6.0)
    assert out.startswith("Fel: oväntat fel i TILLAGG (ZeroDivisionError")


_cell = st.one_of(
    st.none(),
    st.just(""),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**12, max_value=10**12),
    st.booleans(),
    st.text(max_size=12),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["Ja", "Nej", "2 %", "1 300 000,50", "2018-07-01", "inteckning", "Ordning", "Kapital", "#N/A"]),
)
_range = st.one_of(_cell, st.lists(_cell, max_size=4), st.lists(st.lists(_cell, min_size=1, max_size=4), max_size=5))


def _excel_shaped(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (str, bool)):
        return True
    if isinstance(value, list):
        return all(isinstance(r, list) and all(_excel_shaped(c) for c in r) for r in value)
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(FUNCTIONS)), args=st.lists(_range, min_size=1, max_size=6))
def test_udfs_never_raise_and_never_return_nan(name, args):
    import inspect

    fn = getattr(udfs, name)
    n = len(inspect.signature(fn).parameters)
    required = sum(p.default is inspect.Parameter.empty for p in inspect.signature(fn).parameters.values())
    args = (args + [None] * n)[: max(required, min(len(args), n))]
    out = fn(*args)
    assert _excel_shaped(out), out
    if isinstance(out, str) and out.startswith("Fel"):
        assert "Traceback" not in out


@settings(max_examples=40, deadline=None)
@given(row=st.integers(min_value=6, max_value=9), col=st.integers(min_value=1, max_value=7), cell=_cell)
def test_a_bad_cell_in_e2_gives_a_message_or_a_number(row, col, cell):
    r = e2_range()
    r[row][col] = cell
    out = udfs.COVERAGE(r)
    assert _excel_shaped(out)
    if isinstance(out, str):
        assert out.startswith("Fel")
