"""An older commit's package beside the working tree's, for the scripts that compare old and new code in turns
(``ab_*``) or prove a change a pure speed change (``samma_*``)."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def unpack(commit: str, dest: str | Path) -> Path:
    """``sakagare_xl`` as it is at ``commit`` (``git archive``), unpacked into ``dest``; returns ``dest``."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "sakagare_xl"], check=True,
                          capture_output=True).stdout
    tarfile.open(fileobj=io.BytesIO(data)).extractall(dest)
    return Path(dest)


def move_aside(prefix: str = "_new_") -> dict:
    """Take the imported ``sakagare_xl`` modules out of the way (kept alive under ``prefix + name``), so that
    the next import of ``sakagare_xl`` finds another copy first on ``sys.path``; returns them by their name."""
    moved = {}
    for name in [k for k in sys.modules if k == "sakagare_xl" or k.startswith("sakagare_xl.")]:
        moved[name] = sys.modules[prefix + name] = sys.modules.pop(name)
    return moved


def import_old(commit: str, dest: str | Path) -> None:
    """Unpack ``commit`` into ``dest`` and make ``import sakagare_xl…`` give its modules from now on (the working
    tree's, imported before, stay alive under ``_new_…``)."""
    unpack(commit, dest)
    move_aside()
    sys.path.insert(0, str(dest))
