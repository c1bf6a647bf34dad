"""``recalc --excel``: let real Microsoft Excel recalculate and save, through xlwings.

Only on Windows and macOS, where Excel can be installed; xlwings is imported here, inside the code
path, never at module level. Excel recalculates *everything* and saves the file itself, so unlike the
built-in recalculation the whole file may change (Excel rewrites its own XML).
"""

from __future__ import annotations

import os
import sys

from .batch import Row, Task


class ExcelUnavailable(Exception):
    """Excel cannot be driven here (Swedish message)."""


def check_platform() -> None:
    if sys.platform not in ("win32", "darwin"):
        raise ExcelUnavailable(
            "--excel kräver Microsoft Excel, som bara finns för Windows och macOS; "
            "här används den inbyggda omräkningen (kör utan --excel)."
        )


def run_excel(tasks: list[Task], dry_run: bool = False) -> list[Row]:  # pragma: no cover - needs Excel
    check_platform()
    try:
        import xlwings as xw
    except ImportError as exc:
        raise ExcelUnavailable(f"--excel kräver paketet xlwings ({exc})") from None
    rows: list[Row] = []
    try:
        app = xw.App(visible=False, add_book=False)
    except Exception as exc:  # noqa: BLE001
        raise ExcelUnavailable(f"Excel gick inte att starta via xlwings ({exc})") from None
    try:
        app.display_alerts = False
        app.screen_updating = False
        for t in tasks:
            try:
                book = app.books.open(os.path.abspath(t.src), update_links=False)
                try:
                    app.calculate()
                    if not dry_run:
                        if os.path.abspath(t.dest) == os.path.abspath(t.src):
                            book.save()
                        else:
                            os.makedirs(os.path.dirname(os.path.abspath(t.dest)), exist_ok=True)
                            book.save(os.path.abspath(t.dest))
                finally:
                    book.close()
                rows.append(Row(t.src, "ok", written=not dry_run))
            except Exception as exc:  # noqa: BLE001 - report and go on
                rows.append(Row(t.src, "excel-fel", errors=[f"{t.src}: Excel kunde inte räkna om filen ({exc})"]))
    finally:
        app.quit()
    return rows
