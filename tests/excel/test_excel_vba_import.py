"""The classic add-in's *Import Functions*, simulated with xlwings' own code on Linux.

``xlwings.udfs.import_udfs`` is what the ribbon button runs (through the add-in's ``ImportPythonUDFs``):
it writes the VBA module ``xlwings_udfs`` with one wrapper per function (``generate_vba_wrapper``),
imports it into the workbook's VBA project and registers each function's help and argument
descriptions with ``Application.MacroOptions``. Here pywin32 is replaced by stubs and the workbook by
a recorder, and ``xw.func``/``xw.arg`` are the Windows decorators (``xlwings.udfs.xlfunc``/``xlarg``),
as ``xlwings/__init__.py`` binds them on Windows. What Excel then does with the module (compiling it,
calling Python through the add-in) needs Windows Excel and is not tested.
"""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

import sakagare_xl.udfs as udfs
from sakagare_xl.adapters.functions import FUNCTIONS

_SIMULATION = r'''
import json, os, sys, types

# pywin32 stubs: enough for xlwings.udfs to import and for import_udfs to run
pythoncom = types.ModuleType("pythoncom")
pythoncom.CoInitialize = lambda: None
pywintypes = types.ModuleType("pywintypes")
pywintypes.com_error = type("com_error", (Exception,), {})
win32com = types.ModuleType("win32com")
client = types.ModuleType("win32com.client")
client.Dispatch = lambda obj: obj
win32com.client = client
sys.modules.update({"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client})

import xlwings as xw
import xlwings.udfs as xu

xw.func, xw.arg, xw.ret = xu.xlfunc, xu.xlarg, xu.xlret  # what xlwings/__init__.py binds on Windows
xu.Book = lambda impl=None: types.SimpleNamespace(sheets=[])  # the workbook has no embedded-code sheets
xw._xlwindows = types.SimpleNamespace(Book=lambda api: api)

class Components:
    def __init__(self):
        self.imported = None
    def __call__(self, name):
        raise pywintypes.com_error("no module " + name)  # first import: nothing to remove
    def Remove(self, component):
        pass
    def Import(self, path):
        with open(path, encoding="utf-8") as fh:
            self.imported = fh.read()

options = []
workbook = types.SimpleNamespace(
    Name="sakagarforteckning.xlsm",
    VBProject=types.SimpleNamespace(VBComponents=Components()),
    Application=types.SimpleNamespace(Version="16.0", MacroOptions=lambda name, **kw: options.append([name, kw])),
)
xu.import_udfs("sakagare_xl.udfs", workbook)
print(json.dumps({"vba": workbook.VBProject.VBComponents.imported, "options": options, "version": xw.__version__}))
'''


@pytest.fixture(scope="module")
def imported() -> dict:
    res = subprocess.run([sys.executable, "-c", _SIMULATION], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def _arg_docs() -> dict[str, list[str]]:
    """The argument docs of udfs.py's ``@_arg(..., doc=...)`` decorators, in signature order."""
    tree = ast.parse(Path(udfs.__file__).read_text(encoding="utf-8"))
    consts = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
            docs = {}
            for dec in node.decorator_list:
                if isinstance(dec, ast.Call) and getattr(dec.func, "id", "") == "_arg":
                    doc = next(k.value for k in dec.keywords if k.arg == "doc")
                    docs[dec.args[0].value] = doc.value if isinstance(doc, ast.Constant) else consts[doc.id]
            out[node.name] = [docs[p] for p in inspect.signature(getattr(udfs, node.name)).parameters]
    return out


def _signature(name: str) -> str:
    params = inspect.signature(getattr(udfs, name)).parameters.values()
    args = ", ".join(("Optional " if p.default is not inspect.Parameter.empty else "") + p.name for p in params)
    return f"Function {name}({args})"


def test_the_vba_module_has_a_wrapper_for_every_function(imported):
    vba = imported["vba"]
    assert vba.startswith('Attribute VB_Name = "xlwings_udfs"')
    for name in FUNCTIONS:
        assert _signature(name) in vba, name
        names = ", ".join(inspect.signature(getattr(udfs, name)).parameters)
        # the wrapper calls back into Python through the add-in with every argument
        assert f'{name} = XLPy.CallUDF("sakagare_xl.udfs", "{name}", Array({names}), ThisWorkbook, Application.Caller)' in vba
        assert f"{name} = Err.Description" in vba  # a VBA-side failure shows as text too
    assert vba.count("\nFunction ") + vba.startswith("Function ") == len(FUNCTIONS)
    assert all(len(line) <= 1024 for line in vba.splitlines())  # VBA's line limit


def test_function_wizard_gets_the_swedish_help_and_argument_descriptions(imported):
    options = {name.split("!", 1)[1]: kw for name, kw in imported["options"]}
    assert sorted(options) == sorted(FUNCTIONS)
    docs = _arg_docs()
    for name, kw in options.items():
        assert kw["Description"] == getattr(udfs, name).__doc__[:255]
        assert len(getattr(udfs, name).__doc__) <= 255  # nothing is cut off
        assert kw["ArgumentDescriptions"] == docs[name]
        assert all(len(d) <= 255 for d in kw["ArgumentDescriptions"])
        assert kw["Category"] == "xlwings"  # Formler > Infoga funktion > kategori xlwings (docs/excel.md)

