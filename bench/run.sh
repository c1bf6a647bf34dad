#!/bin/sh
# Run the benchmarks: bench/run.sh [--quick] [--write-docs] [other python -m bench options]
#   bench/run.sh --recalc-targets   only issue 12's recalc rows (LibreOffice, CLI --jobs 1 with and without
#                                   --alla, API --jobs 1, the computing floor, the memory rows): ~5 minutes
#
# Uses $VENV (default: the active venv, else .venv in the repository (git-ignored)), installs the project with the
# `bench` extra (the `formulas` library) at the pinned versions, installs LibreOffice when `soffice` is
# missing and this runs as root (Debian/Ubuntu), then runs `python -m bench` and prints the tables.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

if [ -z "${VENV:-}" ]; then
    if [ -n "${VIRTUAL_ENV:-}" ]; then VENV=$VIRTUAL_ENV; else VENV=$ROOT/.venv; fi
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo "creating venv $VENV" >&2
    python3 -m venv "$VENV"
fi
PY=$VENV/bin/python
if ! "$PY" -c "import sakagare_xl, formulas, openpyxl" 2>/dev/null; then
    echo "installing sakagare_xl[bench] into $VENV" >&2
    "$PY" -m pip install -q -c constraints.txt -e ".[bench]"
fi

if ! command -v soffice >/dev/null 2>&1 && ! command -v libreoffice >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing LibreOffice (libreoffice-calc-nogui)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
    else
        echo "LibreOffice (soffice) not found and not root: the LibreOffice column is skipped." >&2
        echo "Install it with: apt-get install -y --no-install-recommends libreoffice-calc-nogui" >&2
    fi
fi

exec "$PY" -m bench "$@"
