"""The installed package, as a user gets it from a wheel: only ``sakagare_xl`` at top level (no stray
``workbook`` package), the case files of the examples inside it, and ``mall --alla`` working from it.

The wheel is built with ``pip wheel . --no-deps`` (setuptools from PyPI, in pip's build isolation) from a
copy of the files the build reads, so the working tree gets no ``build/`` or ``*.egg-info``. Slow (about
15 s), so it runs with the larger budget: ``python -m pytest -m slow`` (CI runs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_the_package_list_names_every_package():
    """pyproject.toml lists the packages (it maps examples/ to sakagare_xl.examples): a new subpackage
    must be added there, or a wheel would lack it."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "sakagare_xl").rglob("__init__.py")}
    assert found | {"sakagare_xl.examples"} == listed


@pytest.mark.slow
def test_the_wheel_has_the_examples_and_no_stray_package(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    for name in ("sakagare_xl", "examples"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = dist.glob("sakagare_xl-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        z.extractall(tmp_path / "site")
    top = {n.split("/")[0] for n in names}
    assert top == {"sakagare_xl", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}
    examples = sorted(n for n in names if n.startswith("sakagare_xl/examples/"))
    assert examples == sorted(f"sakagare_xl/examples/{p.name}" for p in (REPO / "examples").glob("*.toml"))
    assert "sakagare_xl/data/referensranta.csv" in names and "sakagare_xl/lite/main.py" in names

    # use it: the unpacked wheel first on the path, without site (no editable install of this checkout),
    # the dependencies from this environment's site-packages
    out = tmp_path / "ut"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), sysconfig.get_paths()["purelib"]])}
    code = (
        "import sys, sakagare_xl; from sakagare_xl.cli import main; "
        "assert sakagare_xl.__file__.startswith(sys.argv[1]), sakagare_xl.__file__; "
        "sys.exit(main(['mall', '--alla', sys.argv[2]]))"
    )
    proc = subprocess.run([sys.executable, "-S", "-c", code, str(tmp_path / "site"), str(out)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in (REPO / "workbook").glob("*.xlsx"))
    for p in out.iterdir():  # the same bytes as the repository's shipped workbooks
        assert p.read_bytes() == (REPO / "workbook" / p.name).read_bytes(), p.name
