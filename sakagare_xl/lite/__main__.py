"""``python -m sakagare_xl.lite [--check] [--ut KATALOG]``: write (or check) the xlwings Lite files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import HERE, stale, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sakagare_xl.lite", description=__doc__)
    parser.add_argument("--check", action="store_true", help="skriv inget; avsluta med 1 om filerna är inaktuella")
    parser.add_argument("--ut", type=Path, default=HERE, help="katalog (standard: sakagare_xl/lite)")
    args = parser.parse_args(argv)
    if args.check:
        old = stale(args.ut)
        if old:
            print(f"Inaktuella xlwings Lite-filer i {args.ut}: {', '.join(old)}. Kör: python -m sakagare_xl.lite")
            return 1
        print(f"xlwings Lite-filerna i {args.ut} är aktuella.")
        return 0
    for path in write(args.ut):
        print(f"skrev {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
