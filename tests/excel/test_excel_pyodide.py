"""The Lite main.py in real Pyodide (the runtime of xlwings Lite), called through xlwings' own entry point.

One Pyodide start (Node's ``pyodide`` from npm, see tests/excel/pyodide_runtime.py) runs a plan of steps:
``sakagare_xl/lite/main.py`` exactly as shipped is executed as the module ``main`` the way xlwings Lite
does it, every function of docs/excel.md is called through ``xlwings.server.custom_functions_call``
with the request body Office.js sends (every argument a 2-D matrix, an omitted argument or an empty
cell ``null`` → Pyodide's ``JsNull``, numbers as Excel stores them so 0,02 is 0.02, dates as serial
numbers, an error cell as Office.js' error object), and ``custom_functions_meta`` is read.

Expected values: the worked examples of docs/excel.md §4 (E1–E5 of EXAMPLES.md, provenance beside each),
and for the rest the same call in CPython through :mod:`sakagare_xl.udfs` (the same code must give the
same cells in both runtimes). Skipped, with the reason printed, only where node/npm/PyPI cannot be had.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import sys
from pathlib import Path

import pytest
from conftest import e2_range, e3_range, e4_range, e5_range

import sakagare_xl.udfs as udfs
from sakagare_xl import lite
from sakagare_xl.adapters.functions import CACHE, FUNCTIONS
from sakagare_xl.adapters.values import date_to_serial, is_blank

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pyodide_runtime  # noqa: E402

MAIN = lite.HERE / "main.py"
DIV0 = {"type": "Error", "basicType": "Error", "basicValue": "#DIV/0!", "errorType": "Div0"}


def _serials(rows):
    """A range as Office.js sends it: dates as serial numbers."""
    return [[float(date_to_serial(c)) if isinstance(c, dt.date) else c for c in r] for r in rows]


def _m(value):
    """An argument as Office.js sends it (every parameter has dimensionality "matrix")."""
    if value is None:
        return None  # an omitted optional argument
    if isinstance(value, list):
        return value if value and isinstance(value[0], list) else [value]
    return [[value]]


def _body(name, *args):
    return {
        "func_name": name,
        "args": [_m(a) for a in args],
        "caller_address": "[sak.xlsx]Blad1!J6",
        "content_language": "sv-SE",
        "version": "0.37.8",
        "client": "Office.js",
        "runtime": "1.4",
    }


E2 = _serials(e2_range())  # Lawline 15971, with a trailing empty row (all null)
E3 = _serials(e3_range())  # Lawline A–E, dates as serials
E4 = _serials(e4_range())  # Pluggakuten Lillbäcken 1:1
E5 = _serials(e5_range(kopeskilling=1000000.0))
E2_DIV0 = [list(r) for r in E2]
E2_DIV0[7][6] = DIV0  # B's Kapital shows #DIV/0!
E2_NA_NAME = [list(r) for r in E2]
E2_NA_NAME[7][5] = {"type": "Error", "basicType": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}
LIST = [["Ordning", "Förmånsrätt", "Sakägare"], [1, 50000.0, "A"], [2, 80000.0, "B"], [2, 40000.0, "C"]]

#: (id, function, args, expected cell(s) or None = the CPython result). Provenance as in test_excel_functions.py.
CALLS = [
    # E5, the seed example: 700 000 × (15 % + (2 % + 4 %) × 6/12) = 126 000 → 826 000 covered
    ("tillagg_e5", "TILLAGG", (700000.0, 0.02, 6.0), [[126000]]),
    ("tillagg_e5_blank_fordran", "TILLAGG", (700000.0, 0.02, 6.0, [[None]]), [[126000]]),  # empty cell
    # E1: ceiling 16 000, claim 116 000 − 100 000 = 16 000 used
    ("tillagg_e1", "TILLAGG", (100000.0, 0.02, 2.0, 116000.0), [[16000]]),
    # E3: B's ceiling 89 000 × (15 % + 6 % × 3/12) = 14 685
    ("tillagg_e3", "TILLAGG", (89000.0, 0.02, 3.0), [[14685]]),
    # E5 typed as text cells (a Swedish "700 000,00" and "2 %"): read as numbers, same 126 000
    ("tillagg_e5_text_cells", "TILLAGG", ("700 000,00", "2 %", 6.0), [[126000]]),
    # docs/excel.md §4: 0,50 % then 2,50 % from 2023-01-01 → 17 750, as text and as serials
    ("tillagg_datum_text", "TILLAGG_DATUM", (100000.0, "2022-10-01", "2023-04-01"), [[17750]]),
    ("tillagg_datum_serial", "TILLAGG_DATUM", (100000.0, 44835.0, 45017.0, None, None, None), [[17750]]),
    ("tillagg_datum_frozen", "TILLAGG_DATUM", (100000.0, 44835.0, 45017.0, [[None]], "2022-12-31"), None),
    ("tillagg_datum_dagar", "TILLAGG_DATUM", (100000.0, 44835.0, 45017.0, None, None, "dagar"), None),
    # Riksbanken: −0,50 % from 2016-01-01 to 2018-12-31
    ("referensranta_text", "REFERENSRANTA", ("2018-03-15",), [[-0.005]]),
    ("referensranta_serial", "REFERENSRANTA", (43174.0,), [[-0.005]]),  # 43174 = 2018-03-15
    # E2 (Lawline 15971): 90 000 / 75 000 / 40 000 / 10 000, "" for the empty row
    ("coverage_e2", "COVERAGE", (E2,), [[90000], [75000], [40000], [10000], [""]]),
    ("coverage_e2_blank_pris", "COVERAGE", (E2, [[None]]), [[90000], [75000], [40000], [10000], [""]]),
    ("coverage_list", "COVERAGE", (LIST, 100000.0), None),  # precomputed list, pro rata at Ordning 2
    ("skyddsbelopp_e2", "SKYDDSBELOPP", (E2,), [[210000]]),
    ("skyddsbelopp_e3", "SKYDDSBELOPP", (E3,), [[332685]]),  # 92 000 + 103 685 + 107 000 + 30 000
    ("skyddsbelopp_e4", "SKYDDSBELOPP", (E4,), [[30000]]),  # the costs; the 1981 servitut is kept
    ("brist_e2", "BRIST", (E2, 220000.0), [[0], [0], [0], [15000], [""]]),
    ("overskott_e2", "OVERSKOTT", (E2,), [[0]]),
    ("overskott_e5", "OVERSKOTT", (E5,), [[174000]]),  # 1 000 000 − 826 000
    ("fordelning_e2", "FORDELNING", (E2,), None),
    ("fordelning_e4", "FORDELNING", (E4, 4000000.0), None),
    ("forklaring_e2", "FORKLARING", (E2, 4.0), None),
    ("sak_rad_e2_tillagg", "SAK_RAD", (E2, 2.0, "tillagg"), [[5000]]),  # B needs 5 000 of tillägg
    ("sak_rad_e3_skyddad", "SAK_RAD", (E3, 1.0, "skyddad"), [[True]]),
    ("sak_rad_e4_status", "SAK_RAD", (E4, 1.0, "status"), [["förbehåll"]]),
    ("sak_summa_e2_agarhypotek", "SAK_SUMMA", (E2, "agarhypotek"), [[33000]]),
    ("sak_summa_e3_varningar", "SAK_SUMMA", (E3, "varningar"), None),
]

#: (id, function, args, Swedish message): bad input → an exception, which Lite shows as #VALUE! + message
ERRORS = [
    ("negative", "TILLAGG", (-100.0, 0.02, 6.0), "Fel i argumentet inteckning: inteckningsbeloppet är negativt (-100)."),
    ("rate_as_2", "TILLAGG", (700000.0, 2.0, 6.0), "Fel i argumentet ref_rate:"),  # 2 typed for 2 %
    ("reversed", "TILLAGG_DATUM", (100000.0, 45017.0, 44835.0),
     "Fel i argumenten fran och till: till (2022-10-01) ligger före fran (2023-04-01); byt plats på datumen."),
    ("range_for_value", "TILLAGG", ([[1.0, 2.0], [3.0, 4.0]], 0.02, 6.0),
     "Fel i argumentet inteckning: ett enda värde väntades, inte ett område (2×2 celler)."),
    ("error_cell_argument", "TILLAGG", (DIV0, 0.02, 6.0), "Fel i argumentet inteckning: ett tal väntades, inte felvärdet #DIV/0!"),
    ("error_cell_in_range", "COVERAGE", (E2_DIV0,), "kolumn Kapital"),
    ("error_cell_as_name", "COVERAGE", (E2_NA_NAME,), "kolumn Sakägare (rad 8, kolumn 6 i området): cellen visar felvärdet #N/A."),
    ("unknown_column", "SAK_RAD", (E2, 1.0, "nonsens"), "Fel i argumentet kolumn"),
]

#: (id, function, args): a value that does not exist yet → a real #N/A, the message printed to Lite's output
NOT_AVAILABLE = [
    ("list_without_price", "COVERAGE", (LIST,), "köpeskillingen saknas"),
    ("outside_the_table", "REFERENSRANTA", ("1990-01-01",), "1990-01-01"),
]


def _reload_variant() -> str:
    """main.py with different embedded engine content (a marker added to the package's __init__.py)."""
    files = lite.embedded_files()
    files["sakagare_xl/__init__.py"] += '\nLITE_RELOAD_MARKER = "variant"\n'
    original = lite.embedded_files
    lite.embedded_files = lambda: files
    try:
        return lite.build_main()
    finally:
        lite.embedded_files = original


_ENGINE_STATE = """
import sakagare_xl, sakagare_xl.adapters.functions as F
out = {"marker": getattr(sakagare_xl, "LITE_RELOAD_MARKER", None), "functions_id": id(F),
       "cache_size": len(F.CACHE.data),
       "sha": MODULE._SAKAGARE_XL_SHA256, "file": F.__file__}
"""

_JSNULL = """
from pyodide.ffi import jsnull
from sakagare_xl.adapters.values import is_blank, to_decimal, as_2d
import sakagare_xl.adapters.functions as F
out = {"type": type(jsnull).__name__, "is_blank": is_blank(jsnull),
       "fordran": to_decimal(jsnull, "x", allow_blank=True),
       "tillagg": F.FUNCTIONS["TILLAGG"]([[700000.0]], [[0.02]], [[6.0]], jsnull),
       "platform": sys.platform, "real_errors": MODULE.REAL_ERRORS}
"""


def _bench_rows(n: int):
    if str(pyodide_runtime.ROOT) not in sys.path:
        sys.path.insert(0, str(pyodide_runtime.ROOT))
    from bench import cases

    rows, price = cases.sak_range(n)
    return _serials([[c.date() if isinstance(c, dt.datetime) else c for c in r] for r in rows]), price


def plan() -> tuple[list[dict], dict[str, int]]:
    """The steps and, per name, the index of its result."""
    steps: list[dict] = []
    index: dict[str, int] = {}

    def add(name, step):
        index[name] = len(steps)
        steps.append(step)

    add("load", {"op": "load", "path": str(MAIN)})
    add("meta", {"op": "meta"})
    for name, fn, args, _ in CALLS:
        add(name, {"op": "call", "data": _body(fn, *args)})
    for name, fn, args, _ in ERRORS:
        add("error_" + name, {"op": "call", "data": _body(fn, *args)})
    for name, fn, args, _ in NOT_AVAILABLE:
        add("na_" + name, {"op": "call", "data": _body(fn, *args)})
    add("jsnull", {"op": "run", "code": _JSNULL})
    # COVERAGE over 1 000 rows with the memo cold (measured, never asserted on), then warm
    rows, price = _bench_rows(1000)
    add("coverage_1000_cold", {"op": "timed_call", "data": _body("COVERAGE", rows, price), "clear_cache": True})
    add("coverage_1000_warm", {"op": "timed_call", "data": _body("COVERAGE", rows, price), "clear_cache": False})
    # a running Lite session gets a new main.py: the same one (engine kept, memo kept), another (engine reloaded)
    add("state_1", {"op": "run", "code": _ENGINE_STATE})
    add("load_same", {"op": "load", "path": str(MAIN)})
    add("state_same", {"op": "run", "code": _ENGINE_STATE})
    add("load_variant", {"op": "load", "text": _reload_variant()})
    add("state_variant", {"op": "run", "code": _ENGINE_STATE})
    add("after_variant", {"op": "call", "data": _body("COVERAGE", E2)})
    add("load_back", {"op": "load", "path": str(MAIN)})
    add("state_back", {"op": "run", "code": _ENGINE_STATE})
    return steps, index


def _versions():
    """The xlwings versions run: the pinned one (or ``SAKAGARE_LITE_XLWINGS``, to try another) in the fast
    suite, the floor of pyproject.toml/requirements.txt with the larger budget (marker ``slow``)."""
    first = os.environ.get("SAKAGARE_LITE_XLWINGS") or pyodide_runtime.pinned_xlwings()
    out = [first]
    floor = pyodide_runtime.floor_xlwings()
    if floor != first:
        out.append(pytest.param(floor, marks=pytest.mark.slow, id=f"floor-{floor}"))
    return out


@pytest.fixture(scope="module", params=_versions())
def pyodide_run(request, tmp_path_factory):
    try:
        runtime = pyodide_runtime.ensure(request.param)
    except pyodide_runtime.Unavailable as exc:
        print(f"\nSKIP real Pyodide: {exc}", file=sys.stderr)
        pytest.skip(f"real Pyodide not available: {exc}")
    steps, index = plan()
    out = pyodide_runtime.run_plan(runtime, steps, tmp_path_factory.mktemp("pyodide"))
    results = out["results"]
    broken = [r for r in results if "harness_error" in r]
    assert not broken, broken[0]
    cold, warm = results[index["coverage_1000_cold"]]["ms"], results[index["coverage_1000_warm"]]["ms"]
    print(f"\nPyodide {out['pyodide']}, xlwings {runtime.xlwings_wheel.name}: start {out['startup_ms']} ms; "
          f"COVERAGE over 1 000 rows {cold:.0f} ms (memo cold), {warm:.1f} ms (warm)")
    return {name: results[i] for name, i in index.items()}


def _classic(value):
    """An argument as the classic add-in hands it over (error cells as their text: ``err_to_str``)."""
    if isinstance(value, dict) and value.get("type") == "Error":
        return value["basicValue"]
    if isinstance(value, list):
        return [_classic(v) for v in value]
    return value


def _cpython(fn, args):
    """The same call through sakagare_xl.udfs in CPython, in the shape Office.js gets back (a matrix)."""
    CACHE.clear()
    got = getattr(udfs, fn)(*[_classic(a) for a in args])
    return got if isinstance(got, list) else [[got]]


def _arg_docs() -> dict[str, dict[str, str]]:
    """The ``@xw.arg(..., doc=...)`` texts of udfs.py, read from its source (in CPython the decorators
    are no-ops outside Windows, so the source is where they can be read)."""
    import ast

    source = Path(udfs.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    consts = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
    out: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
            docs = {}
            for dec in node.decorator_list:
                if isinstance(dec, ast.Call) and getattr(dec.func, "id", getattr(dec.func, "attr", "")) in ("_arg", "arg"):
                    doc = next(k.value for k in dec.keywords if k.arg == "doc")
                    docs[dec.args[0].value] = doc.value if isinstance(doc, ast.Constant) else consts[doc.id]
            out[node.name] = docs
    return out


def test_the_plan_calls_every_documented_function():
    assert {c[1] for c in CALLS} == set(FUNCTIONS)
    documented = Path(pyodide_runtime.ROOT / "docs" / "excel.md").read_text(encoding="utf-8")
    assert all(f"`{name}(" in documented for name in FUNCTIONS)


def test_main_py_loads_as_lite_runs_it(pyodide_run):
    assert pyodide_run["load"] == {"printed": ""}
    state = pyodide_run["jsnull"]
    assert state["platform"] == "emscripten" and state["real_errors"] is True


@pytest.mark.parametrize("name,fn,args,expected", CALLS, ids=[c[0] for c in CALLS])
def test_every_function_gives_its_value(pyodide_run, name, fn, args, expected):
    got = pyodide_run[name]
    assert "error" not in got, got
    assert got["result"] == _cpython(fn, args)  # the same cells as in CPython
    if expected is not None:
        assert got["result"] == expected


def test_forklaring_and_fordelning_read_as_documented(pyodide_run):
    text = pyodide_run["forklaring_e2"]["result"][0][0]
    # docs/excel.md §4, E2: "Pantbrev P1996 (1996, 40 000) för D: … Utfaller 10 000 av 25 000 …"
    assert text.startswith("Pantbrev P1996 (1996, 40") and "Utfaller 10" in text
    table = pyodide_run["fordelning_e2"]["result"]
    assert table[0] == ["Rad", "Borgenär", "Förmånsrätt", "Utfaller", "Brist"]


@pytest.mark.parametrize("name,fn,args,message", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_is_an_excel_error_with_the_swedish_message(pyodide_run, name, fn, args, message):
    got = pyodide_run["error_" + name]
    # Lite's glue turns the exception into {"error": message}; its JavaScript raises that as
    # CustomFunctions.Error(invalidValue, message): #VALUE! with the message on the error flag
    assert got.get("error_type") == "XlwingsError", got
    assert message in got["error"] and got["error"].startswith("Fel")
    assert "Traceback" not in got["error"]
    assert got["error"] == _cpython(fn, args)[0][0]  # the classic add-in shows the same text


@pytest.mark.parametrize("name,fn,args,message", NOT_AVAILABLE, ids=[e[0] for e in NOT_AVAILABLE])
def test_missing_values_are_a_real_na(pyodide_run, name, fn, args, message):
    got = pyodide_run["na_" + name]
    assert got["result"] == [[{"type": "Error", "errorType": "NotAvailable"}]], got
    assert message in got["printed"]  # printed to Lite's output pane


def test_metadata_has_every_function_with_swedish_help(pyodide_run):
    meta = pyodide_run["meta"]
    funcs = {f["name"]: f for f in meta["functions"]}
    assert sorted(funcs) == sorted(FUNCTIONS)
    assert meta["allowErrorForDataTypeAny"] is True  # error cells reach the function (then refused by name)
    docs = _arg_docs()
    for name, f in funcs.items():
        py = getattr(udfs, name)
        assert f["description"] == py.__doc__  # the Swedish help, naming the statute
        sig = inspect.signature(py)
        assert [p["name"] for p in f["parameters"]] == list(sig.parameters)
        for p in f["parameters"]:
            optional = sig.parameters[p["name"]].default is not inspect.Parameter.empty
            assert p.get("optional", False) is optional, (name, p["name"])
            assert p["description"] == docs[name][p["name"]], (name, p["name"])


def test_jsnull_is_blank_in_pyodide(pyodide_run):
    got = pyodide_run["jsnull"]
    assert got["type"] == "JsNull" and got["is_blank"] is True and got["fordran"] is None
    assert got["tillagg"] == 126000.0  # JsNull as the optional fordran: the ceiling, as for None


def test_jsnull_is_blank_in_cpython_without_pyodide():
    class JsNull:  # what pyodide.ffi.JsNull looks like to values.py: only its type name is checked
        pass

    assert is_blank(JsNull()) and "pyodide" not in sys.modules


def test_coverage_over_1000_rows_runs(pyodide_run):
    cold, warm = pyodide_run["coverage_1000_cold"], pyodide_run["coverage_1000_warm"]
    assert "error" not in cold, cold
    assert len(cold["result"]) == 1000 and cold["result"] == warm["result"]
    rows, price = _bench_rows(1000)
    assert cold["result"] == _cpython("COVERAGE", (rows, price))


def test_a_new_main_py_in_a_running_session_reloads_the_engine(pyodide_run):
    first, same = pyodide_run["state_1"], pyodide_run["state_same"]
    variant, back = pyodide_run["state_variant"], pyodide_run["state_back"]
    assert first["marker"] is None
    # the same main.py again (Lite re-runs it): the engine and its memo stay
    assert same["functions_id"] == first["functions_id"] and same["sha"] == first["sha"]
    assert same["cache_size"] == first["cache_size"] > 0
    # another embedded engine: purged and imported anew from the new blob
    assert variant["marker"] == "variant" and variant["sha"] != first["sha"]
    assert variant["functions_id"] != first["functions_id"] and variant["file"] != first["file"]
    assert pyodide_run["after_variant"]["result"] == [[90000], [75000], [40000], [10000], [""]]
    # and back to the shipped one
    assert back["marker"] is None and back["sha"] == first["sha"]
