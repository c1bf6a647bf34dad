"""Build the shipped workbooks in this folder: the empty template and the filled examples.

    python workbook/build.py            # or: sakagare-xl mall --alla workbook

Thin wrapper over :mod:`sakagare_xl.template` (see docs/template.md). The output is
deterministic: running it again rewrites nothing unless the code or the case files changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sakagare_xl.template.cli import main

if __name__ == "__main__":
    sys.exit(main(["--alla", str(Path(__file__).resolve().parent)]))
