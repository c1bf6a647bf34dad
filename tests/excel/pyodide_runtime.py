"""Real Pyodide (the runtime of xlwings Lite) for the tests, installed once into a cache directory.

What is installed, all pinned:

* Node's ``pyodide`` package from npm, the version and integrity hashes in
  ``tests/excel/pyodide/package.json`` / ``package-lock.json`` (``npm ci``);
* micropip: not in the npm package (Pyodide normally fetches it from its CDN, which the CI machine
  cannot reach), so the very version Pyodide's ``pyodide-lock.json`` names is downloaded from PyPI
  (``pip download --no-deps``) and loaded from that file;
* xlwings: the pure-Python wheel (``py3-none-any``, the one micropip takes in Lite) of the version
  in ``constraints.txt``, or any version asked for, downloaded the same way and installed by micropip
  from Pyodide's file system.

The cache is ``$SAKAGARE_PYODIDE_CACHE`` or ``~/.cache/sakagare_xl/pyodide``, outside the checkout,
keyed by the lock file's hash; a file lock keeps parallel test runs from installing twice.
``python tests/excel/pyodide_runtime.py [XLWINGS_VERSION ...]`` prepares it, by default for the pinned
xlwings and the floor of pyproject.toml (``.ci/run`` does this).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent / "pyodide"
ROOT = Path(__file__).resolve().parents[2]
HARNESS = HERE / "lite_harness.mjs"
MIN_NODE = 18  # pyodide's package.json: "engines": {"node": ">=18.0.0"}


class Unavailable(Exception):
    """Why real Pyodide cannot be had here (the test is skipped with this text)."""


@dataclass(frozen=True)
class Runtime:
    node: str
    node_modules: Path
    micropip_wheel: Path
    xlwings_wheel: Path
    pyodide_version: str


def cache_root() -> Path:
    env = os.environ.get("SAKAGARE_PYODIDE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sakagare_xl" / "pyodide"


def pinned_xlwings() -> str:
    """The xlwings version of constraints.txt."""
    m = re.search(r"^xlwings==(\S+)", (ROOT / "constraints.txt").read_text(), re.M)
    if not m:
        raise RuntimeError("constraints.txt pins no xlwings")
    return m[1]


def floor_xlwings() -> str:
    """The lowest xlwings the package allows (pyproject.toml ``xlwings>=X``), proved in Pyodide too."""
    m = re.search(r'"xlwings>=([0-9.]+)', (ROOT / "pyproject.toml").read_text())
    if not m:
        raise RuntimeError("pyproject.toml gives xlwings no floor")
    return m[1]


def _pyodide_pin() -> str:
    return json.loads((HERE / "package.json").read_text())["dependencies"]["pyodide"]


@contextmanager
def _locked(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    try:
        res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"{what}: {' '.join(cmd)} failed ({exc})") from None
    if res.returncode != 0:
        tail = (res.stderr or res.stdout).strip().splitlines()[-3:]
        raise Unavailable(f"{what}: {' '.join(cmd)} exited {res.returncode}: {' | '.join(tail)}")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node is not installed (needed to run Pyodide, the runtime of xlwings Lite)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = int(re.findall(r"\d+", version)[0])
    if major < MIN_NODE:
        raise Unavailable(f"node {version} is older than {MIN_NODE}, which pyodide {_pyodide_pin()} requires")
    return node


def _npm_install(directory: Path) -> Path:
    """``npm ci`` of the pinned pyodide into ``directory`` (once); its node_modules."""
    modules = directory / "node_modules"
    if (directory / ".installed").exists():
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable("npm is not installed (needed to install pyodide)")
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / name, directory / name)
    _run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], "npm unreachable or pyodide not installable",
         cwd=directory)
    (directory / ".installed").write_text(_pyodide_pin() + "\n")
    return modules


def _wheel(wheels: Path, name: str, version: str, python: str) -> Path:
    """The pure-Python wheel ``name==version`` from PyPI (cached)."""
    found = sorted(wheels.glob(f"{name}-{version}-py3-none-any.whl"))
    if found:
        return found[0]
    _run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--platform", "any",
         "--implementation", "py", "--python-version", python, "-d", str(wheels), f"{name}=={version}"],
        f"PyPI unreachable or no pure-Python wheel of {name} {version}",
    )
    found = sorted(wheels.glob(f"{name}-{version}-py3-none-any.whl"))
    if not found:
        raise Unavailable(f"pip downloaded no py3-none-any wheel of {name} {version}")
    return found[0]


def ensure(xlwings_version: str | None = None) -> Runtime:
    """The runtime, installing what is missing; :class:`Unavailable` says why it cannot be had."""
    node = _node()
    lock_hash = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()[:12]
    directory = cache_root() / f"pyodide-{_pyodide_pin()}-{lock_hash}"
    with _locked(directory):
        modules = _npm_install(directory)
        lock = json.loads((modules / "pyodide" / "pyodide-lock.json").read_text())
        python = ".".join(lock["info"]["python"].split(".")[:2])
        wheels = directory / "wheels"
        micropip = _wheel(wheels, "micropip", lock["packages"]["micropip"]["version"], python)
        xlwings = _wheel(wheels, "xlwings", xlwings_version or pinned_xlwings(), python)
    return Runtime(node, modules, micropip, xlwings, _pyodide_pin())


def run_plan(runtime: Runtime, steps: list[dict], workdir: Path, timeout: float = 600) -> dict:
    """Run ``steps`` in one Pyodide start (lite_harness.mjs); the harness's JSON answer."""
    plan = {
        "node_modules": str(runtime.node_modules),
        "micropip_wheel": str(runtime.micropip_wheel),
        "xlwings_wheel": str(runtime.xlwings_wheel),
        "steps": steps,
    }
    path = workdir / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    res = subprocess.run([runtime.node, str(HARNESS), str(path)], capture_output=True, text=True, timeout=timeout)
    if res.returncode != 0 or not res.stdout.strip():
        raise RuntimeError(f"lite_harness.mjs failed ({res.returncode}):\n{res.stderr[-4000:]}")
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["stderr"] = res.stderr
    return out


if __name__ == "__main__":
    versions = sys.argv[1:] or [pinned_xlwings(), floor_xlwings()]
    try:
        for v in versions:
            rt = ensure(v)
            print(f"pyodide {rt.pyodide_version} in {rt.node_modules}; {rt.micropip_wheel.name}; {rt.xlwings_wheel.name}")
    except Unavailable as exc:
        print(f"Real Pyodide not available, its tests will be skipped: {exc}")
