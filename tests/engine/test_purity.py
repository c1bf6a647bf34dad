"""The engine stays pure: stdlib + Decimal, no Excel library, no files, no clock."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "sakagare_xl" / "engine"
FORBIDDEN_MODULES = {"xlwings", "openpyxl", "xlsxwriter", "lxml", "defusedxml", "pandas", "numpy", "formulas",
                     "os", "io", "pathlib", "time", "random", "csv", "json", "tomllib", "importlib"}
STDLIB_OK = {"__future__", "bisect", "calendar", "collections", "dataclasses", "datetime", "decimal", "fractions", "functools",
             "gc", "heapq", "typing"}


def imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0], node.lineno


def test_engine_imports_only_stdlib_whitelist():
    for path in ENGINE.glob("*.py"):
        for mod, line in imports(path):
            assert mod not in FORBIDDEN_MODULES, f"{path.name}:{line} imports {mod}"
            assert mod in STDLIB_OK, f"{path.name}:{line} imports {mod}, not on the engine's list"


def test_engine_never_reads_the_clock_or_files():
    for path in ENGINE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for bad in ("date.today(", "datetime.now(", "datetime.utcnow(", "open(", "time.time("):
            assert bad not in text, f"{path.name} uses {bad}"


def test_importing_engine_loads_no_excel_library():
    code = ("import sys, sakagare_xl.engine, sakagare_xl.engine.forteckning; "
            "bad = [m for m in ('xlwings', 'openpyxl', 'xlsxwriter', 'lxml', 'pandas') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
