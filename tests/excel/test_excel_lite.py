"""The xlwings Lite files: generated from the same code, up to date, and self-contained."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from sakagare_xl import lite
from sakagare_xl.adapters.functions import FUNCTIONS

MAIN = lite.HERE / "main.py"


def test_shipped_lite_files_are_up_to_date():
    stale = lite.stale()
    assert stale == [], (
        f"sakagare_xl/lite/{', '.join(stale)} is stale (engine, adapters or udfs.py changed): "
        "run `python -m sakagare_xl.lite` and commit the result"
    )


def test_requirements_list_only_xlwings():
    lines = [x for x in (lite.HERE / "requirements.txt").read_text().splitlines() if x.strip() and not x.startswith("#")]
    assert len(lines) == 1 and lines[0].startswith("xlwings")


def test_embedded_files_are_the_pure_package_only():
    files = lite.embedded_files()
    assert "sakagare_xl/adapters/functions.py" in files and "sakagare_xl/data/referensranta.csv" in files
    assert not any(p.endswith("udfs.py") or "/recalc/" in p or "/template/" in p for p in files)
    for path, text in files.items():
        if path.endswith(".py"):
            for heavy in ("import lxml", "import openpyxl", "import xlsxwriter", "import xlwings"):
                assert heavy not in text, (path, heavy)


def _run_main(extra_env: dict[str, str], code: str, tmp_path) -> dict:
    env = dict(os.environ, TMPDIR=str(tmp_path), **extra_env)
    script = textwrap.dedent(
        f"""
        import json, runpy, sys
        ns = runpy.run_path({str(MAIN)!r}, run_name="main")
        import sakagare_xl
        out = {{"file": sakagare_xl.__file__}}
        """
    ) + textwrap.dedent(code) + "\nprint(json.dumps(out))\n"
    # run outside the checkout so the installed package is not picked up from the working directory
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_main_py_runs_self_contained(tmp_path):
    got = _run_main(
        {},
        """
        out["tillagg"] = ns["TILLAGG"](700000.0, 0.02, 6.0)
        out["datum"] = ns["TILLAGG_DATUM"](100000.0, 44835.0, 45017.0)
        out["error"] = ns["TILLAGG"](-100.0, 0.02, 6.0)
        out["names"] = sorted(k for k in ns if k.isupper() and callable(ns[k]))
        """,
        tmp_path,
    )
    assert got["file"].startswith(str(tmp_path))  # the embedded copy, not the installed package
    assert got["tillagg"] == 126000.0 and got["datum"] == 17750.0
    assert got["error"].startswith("Fel i argumentet inteckning")
    assert set(FUNCTIONS) <= set(got["names"])


def test_lite_registers_every_function(tmp_path):
    # xlwings Lite builds the function metadata from main.py with the same code as xlwings Server
    got = _run_main(
        {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"},
        """
        import types, xlwings as xw
        m = types.ModuleType("main"); m.__dict__.update(ns)
        out["names"] = sorted(f["name"] for f in xw.server.custom_functions_meta(m)["functions"])
        """,
        tmp_path,
    )
    assert got["names"] == sorted(FUNCTIONS)


def test_check_command(tmp_path):
    from sakagare_xl.lite.__main__ import main

    assert main(["--ut", str(tmp_path)]) == 0
    assert main(["--check", "--ut", str(tmp_path)]) == 0
    (tmp_path / "requirements.txt").write_text("xlwings\npandas\n")
    assert main(["--check", "--ut", str(tmp_path)]) == 1


def _variant_main(tmp_path) -> str:
    """main.py with other embedded engine content (a marker added to sakagare_xl/__init__.py)."""
    files = lite.embedded_files()
    files["sakagare_xl/__init__.py"] += '\nLITE_RELOAD_MARKER = "variant"\n'
    original = lite.embedded_files
    lite.embedded_files = lambda: files
    try:
        path = tmp_path / "variant_main.py"
        path.write_text(lite.build_main(), encoding="utf-8")
        return str(path)
    finally:
        lite.embedded_files = original


def test_a_new_main_py_replaces_the_engine_of_a_running_session(tmp_path):
    # xlwings Lite runs main.py again in the same Python when the code changes
    got = _run_main(
        {},
        f"""
        import sakagare_xl.adapters.functions as F1
        runpy.run_path({str(MAIN)!r}, run_name="main")  # the same file again: kept
        import sakagare_xl.adapters.functions as F2
        ns2 = runpy.run_path({_variant_main(tmp_path)!r}, run_name="main")  # another engine: reloaded
        import sakagare_xl.adapters.functions as F3
        out["same_kept"] = F1 is F2
        out["variant_new"] = F3 is not F1 and F3.__file__ != F1.__file__
        out["marker"] = sys.modules["sakagare_xl"].LITE_RELOAD_MARKER
        out["stale_modules"] = [m for m, mod in sys.modules.items()
                                if m.startswith("sakagare_xl") and mod is not None
                                and not getattr(mod, "__file__", "").startswith(F3.__file__.rsplit("/sakagare_xl/", 1)[0])]
        out["tillagg"] = ns2["TILLAGG"](700000.0, 0.02, 6.0)
        ns3 = runpy.run_path({str(MAIN)!r}, run_name="main")  # back to the shipped one
        out["back"] = getattr(sys.modules["sakagare_xl"], "LITE_RELOAD_MARKER", None)
        """,
        tmp_path,
    )
    assert got["same_kept"] and got["variant_new"] and got["marker"] == "variant"
    assert got["stale_modules"] == [] and got["tillagg"] == 126000.0 and got["back"] is None


def test_an_installed_package_already_imported_is_used(tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    script = textwrap.dedent(
        f"""
        import json, runpy, sakagare_xl
        before = sakagare_xl.__file__
        runpy.run_path({str(MAIN)!r}, run_name="main")
        import sakagare_xl as again
        print(json.dumps({{"same": again.__file__ == before, "tmp": again.__file__.startswith({str(tmp_path)!r})}}))
        """
    )
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout.strip().splitlines()[-1]) == {"same": True, "tmp": False}
