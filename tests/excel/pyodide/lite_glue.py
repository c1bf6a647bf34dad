"""What xlwings Lite does around a workbook's main.py, run inside real Pyodide by lite_harness.mjs.

Modelled on xlwings' own Lite glue (xlwings-server, ``app/lite/main.py``): the code of main.py is
executed as a fresh module named ``main`` (and put in ``sys.modules``); a call arrives from
JavaScript as a JS object (``JSON.parse`` of the Office.js request body) and is turned into Python
with ``to_py()`` (so a JS ``null`` is Pyodide's ``JsNull``, not ``None``); the call goes through
``xlwings.server.custom_functions_call``; an exception becomes ``{"error": str(exc)}``, which Lite's
JavaScript raises as ``CustomFunctions.Error(invalidValue, message)``: ``#VALUE!`` with the message on
the error flag.
"""

import importlib.util
import io
import json
import os
import sys
import time
import traceback
from contextlib import redirect_stdout

# As in Lite: xlwings' custom-function decorators are the server ones (else ``xw.func`` does nothing
# outside Windows), and the non-commercial licence key that unlocks xlwings.server in Lite.
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # noqa: E402
from xlwings.server import custom_functions_call, custom_functions_meta  # noqa: E402

MODULE = None


def _dump(obj):
    return json.dumps(obj, ensure_ascii=False, default=repr)


def load(text):
    """Run main.py's text as the module ``main``, as Lite does when the code is saved."""
    global MODULE
    spec = importlib.util.spec_from_loader("main", loader=None)
    module = importlib.util.module_from_spec(spec)
    out = io.StringIO()
    with redirect_stdout(out):
        exec(compile(text, "main.py", "exec"), module.__dict__)
    sys.modules["main"] = module
    MODULE = module
    return _dump({"printed": out.getvalue()})


def meta():
    return _dump(custom_functions_meta(MODULE))


async def _call(data):
    printed = io.StringIO()
    try:
        with redirect_stdout(printed):
            result = await custom_functions_call(data, MODULE)
        return {"result": result, "printed": printed.getvalue()}
    except Exception as exc:  # noqa: BLE001 - what Lite's glue does: the message goes to the cell
        return {"error": str(exc), "error_type": type(exc).__name__, "printed": printed.getvalue(),
                "details": traceback.format_exc(limit=3)}


async def call(js_data):
    return _dump(await _call(js_data.to_py()))


async def timed_call(js_data, clear_cache):
    """One call, timed inside Python (ms); the engine's memo cleared first when ``clear_cache``."""
    data = js_data.to_py()
    if clear_cache:
        sys.modules["sakagare_xl.adapters.functions"].CACHE.clear()
    t0 = time.perf_counter()
    out = await _call(data)
    out["ms"] = (time.perf_counter() - t0) * 1000
    return _dump(out)


def run(code):
    """Free Python (for checks the calls cannot make); returns the JSON of the variable ``out``."""
    ns = {"xw": xw, "sys": sys, "MODULE": MODULE}
    exec(code, ns)
    return _dump(ns.get("out"))
