"""Start-up: what a command imports (no timing here; bench/ab_recalc_cli.py measures it).

``sakagare_xl.engine`` imports its modules on first use of a public name, and ``sakagare-xl recalc`` builds
a parser with its own sub-command only; both must keep every name and every help text as before.
"""

from __future__ import annotations

import importlib
import pickle
import subprocess
import sys

import pytest

import sakagare_xl.engine as engine
from sakagare_xl import cli


def test_every_public_engine_name_is_the_defining_modules_object():
    # provenance: the names engine/__init__ imported eagerly before the start-up round (commit 4f8b984)
    assert set(engine._WHERE) == set(engine.__all__)
    for name, module in engine._WHERE.items():
        assert getattr(engine, name) is getattr(importlib.import_module(f"sakagare_xl.engine.{module}"), name), name
    for module in engine._MODULES:
        assert getattr(engine, module) is importlib.import_module(f"sakagare_xl.engine.{module}")
    with pytest.raises(AttributeError):
        engine.no_such_name  # noqa: B018


def test_star_import_gives_every_public_name():
    ns: dict = {}
    exec("from sakagare_xl.engine import *", ns)
    assert set(engine.__all__) <= set(ns)


def test_one_engine_module_does_not_import_the_others():
    code = ("import sys, sakagare_xl.engine.tillagg; "
            "print(sorted(m for m in sys.modules if m.startswith('sakagare_xl.engine.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "sakagare_xl.engine.forteckning" not in out and "sakagare_xl.engine.tillagg" in out, out


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_a_sub_command_alone_parses_and_helps_as_in_the_whole_parser(command, capsys):
    assert set(cli.COMMANDS.values()) == set(cli.SUBCOMMANDS)
    helps = []
    for parser in (cli.build_parser(), cli.build_parser(command)):
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--help"])
        helps.append(capsys.readouterr().out)
    assert helps[0] == helps[1] and command in helps[0]


def test_recalc_imports_no_other_sub_command():
    code = ("import sys; from sakagare_xl import cli; cli.build_parser('recalc'); "
            "print(sorted(m for m in sys.modules if m.startswith('sakagare_xl.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for other in ("sakagare_xl.berakna_cli", "sakagare_xl.tabell", "sakagare_xl.doctor", "sakagare_xl.template",
                  "sakagare_xl.engine.forteckning"):
        assert other not in out, out


def test_the_deferred_registry_has_the_adapters_names_and_functions():
    # provenance: recalc.fast.FUNCTIONS stands for adapters.functions.FUNCTIONS (issue 12, start-up round 3)
    from sakagare_xl.adapters import functions as real
    from sakagare_xl.recalc import fast
    from sakagare_xl.recalc.core import default_functions

    assert default_functions() is fast.FUNCTIONS
    assert fast.NAMES == tuple(real.FUNCTIONS) and fast.RANGE_FUNCTIONS == real.RANGE_FUNCTIONS
    assert list(fast.FUNCTIONS) == list(real.FUNCTIONS)
    for name in fast.NAMES:
        assert fast.FUNCTIONS[name] is real.FUNCTIONS[name] and fast.FUNCTIONS.get(name) is real.FUNCTIONS[name]
    assert dict(fast.FUNCTIONS.items()) == real.FUNCTIONS
    assert pickle.loads(pickle.dumps(fast.FUNCTIONS)) is fast.FUNCTIONS


def test_a_recalc_of_plain_tillagg_does_not_import_the_adapters(tmp_path):
    # a workbook whose only function calls are plain-number TILLAGG (the bench's 20-row workbook) takes the
    # direct path; one of workbook/ (SAK_SUMMA for the report) imports the adapters on first use
    from bench.workbooks import make_ours

    src = make_ours(tmp_path / "in", 1, 20)[0]
    code = ("import sys; from sakagare_xl.recalc.core import recalc_bytes; "
            f"o = recalc_bytes(open({str(src)!r}, 'rb').read()); "
            "print(o.status, o.evaluated, sorted(m for m in sys.modules if m.startswith(('sakagare_xl.adapters', 'sakagare_xl.engine.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "sakagare_xl.adapters.functions" not in out and "sakagare_xl.engine.model" not in out, out
    assert "sakagare_xl.engine.tillagg" in out, out
    assert out.split()[0] == "ok", out
