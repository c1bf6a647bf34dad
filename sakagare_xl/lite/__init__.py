"""The xlwings Lite files, generated from the same code as the classic add-in.

xlwings Lite runs Python in the browser (Pyodide) and installs packages from PyPI (pure-Python
wheels) through its ``requirements.txt`` tab. ``sakagare_xl`` is not on PyPI and its full
dependency list (lxml, openpyxl, …) is not needed by the functions, so the Lite ``main.py`` is
**self-contained**: it carries the pure part of the package (``sakagare_xl/__init__.py``,
``engine/``, ``adapters/``, ``referensranta_data.py`` and the referensränta CSV) as a compressed
blob, writes it to Pyodide's in-memory file system on start, and then defines the same
functions as :mod:`sakagare_xl.udfs` (whose source is copied in verbatim). ``requirements.txt``
lists only xlwings.

Regenerate after any change to those files::

    python -m sakagare_xl.lite            # writes sakagare_xl/lite/main.py and requirements.txt
    python -m sakagare_xl.lite --check    # exit 1 if the shipped files are stale

``tests/excel/test_lite.py`` fails while the shipped files are stale.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent

#: what the embedded blob holds (paths relative to the package's parent)
EMBED_GLOBS = (
    "sakagare_xl/__init__.py",
    "sakagare_xl/referensranta_data.py",
    "sakagare_xl/data/referensranta.csv",
    "sakagare_xl/engine/*.py",
    "sakagare_xl/adapters/*.py",
)

#: xlwings Lite installs these; the functions need nothing else (stdlib + Decimal).
#: No exact pin: Lite records the versions it installs in requirements-pinned.txt. The floor is the
#: one of pyproject.toml, proved in real Pyodide (tests/excel/test_excel_pyodide.py, marker slow).
REQUIREMENTS = "xlwings>=0.33.20,<1.0\n"


def embedded_files() -> dict[str, str]:
    """The files the Lite main.py carries: relative path → text (sorted, deterministic)."""
    root = PACKAGE.parent
    out: dict[str, str] = {}
    for pattern in EMBED_GLOBS:
        for path in sorted(root.glob(pattern)):
            out[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return dict(sorted(out.items()))


def _blob(files: dict[str, str]) -> tuple[str, str]:
    raw = json.dumps(files, ensure_ascii=False, sort_keys=True).encode("utf-8")
    packed = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
    lines = "\n".join(packed[i : i + 100] for i in range(0, len(packed), 100))
    return lines, hashlib.sha256(raw).hexdigest()


_BOOTSTRAP = '''
# ---------------------------------------------------------------------------------------------
# Bootstrap: unpack the embedded sakagare_xl (pure Python, stdlib only) into the in-memory file
# system and import it from there. xlwings Lite runs main.py again in the same Python whenever
# the code changes: the same embedded engine is then kept (and its memo with it); another one
# (a new main.py pasted in, whatever its version) replaces every sakagare_xl module. An installed
# sakagare_xl that is already imported (this file imported inside the package) is used as it is.
# ---------------------------------------------------------------------------------------------
import base64 as _base64
import importlib as _importlib
import json as _json
import os as _os
import sys as _sys
import tempfile as _tempfile
import zlib as _zlib

_SAKAGARE_XL_SHA256 = "{sha}"
_SAKAGARE_XL_BLOB = """
{blob}
"""


def _install_sakagare_xl():
    name = "sakagare_xl_lite_" + _SAKAGARE_XL_SHA256[:16]
    loaded = _sys.modules.get("sakagare_xl")
    if loaded is not None:
        # an embedded copy lives in <tmp>/sakagare_xl_lite_<its sha256>/sakagare_xl/__init__.py
        where = _os.path.basename(_os.path.dirname(_os.path.dirname(getattr(loaded, "__file__", None) or "")))
        if where == name or not where.startswith("sakagare_xl_lite_"):
            return  # this very engine already imported, or an installed package
        for module in [m for m in _sys.modules if m == "sakagare_xl" or m.startswith("sakagare_xl.")]:
            del _sys.modules[module]
    files = _json.loads(_zlib.decompress(_base64.b64decode("".join(_SAKAGARE_XL_BLOB.split()))).decode("utf-8"))
    root = _os.path.join(_tempfile.gettempdir(), name)
    for rel, text in files.items():
        path = _os.path.join(root, *rel.split("/"))
        _os.makedirs(_os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    data_init = _os.path.join(root, "sakagare_xl", "data", "__init__.py")
    if not _os.path.exists(data_init):
        open(data_init, "w").close()
    _sys.path[:] = [root] + [p for p in _sys.path if "sakagare_xl_lite_" not in _os.path.basename(p)]
    _importlib.invalidate_caches()


_install_sakagare_xl()
'''


def build_main() -> str:
    """The text of the Lite ``main.py``."""
    from sakagare_xl import __version__

    files = embedded_files()
    blob, sha = _blob(files)
    udfs = (PACKAGE / "udfs.py").read_text(encoding="utf-8")
    # drop udfs.py's own docstring and __future__ import; main.py has its own at the top
    body = udfs.split("from __future__ import annotations\n", 1)[1].lstrip("\n")
    header = f'''"""sakagare_xl {__version__} for xlwings Lite: paste this whole file into main.py.

GENERATED by `python -m sakagare_xl.lite` from sakagare_xl/udfs.py and the pure package
(engine, adapters, referensränta table); do not edit by hand. The blob below is that package
source ({len(files)} files, sha256 {sha[:16]}…); the functions are defined at the end of the file.
requirements.txt: see sakagare_xl/lite/requirements.txt (only xlwings). Docs: docs/excel.md.
"""

from __future__ import annotations
'''
    return header + _BOOTSTRAP.format(sha=sha, blob=blob) + "\n\n" + body


def outputs() -> dict[str, str]:
    """File name → text for everything this module generates."""
    return {"main.py": build_main(), "requirements.txt": REQUIREMENTS}


def stale(directory: Path = HERE) -> list[str]:
    """Names of generated files in ``directory`` that are missing or differ from a fresh build."""
    out = []
    for name, text in outputs().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out


def write(directory: Path = HERE) -> list[Path]:
    """Write the generated files (LF line endings, UTF-8)."""
    written = []
    for name, text in outputs().items():
        path = directory / name
        with io.open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        written.append(path)
    return written
