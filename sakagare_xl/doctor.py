"""``sakagare-xl kontrollera``: check an installation for the Excel functions and say what is missing.

Checks what can be checked from Python: the Python version, xlwings, the xlwings configuration
(``UDF Modules``, the interpreter) in the user's ``xlwings.conf``, in a workbook's
``xlwings.conf`` sheet and in an ``xlwings.conf`` beside the workbook, the add-in file, that
:mod:`sakagare_xl.udfs` imports with every function, the referensränta table (how far it reaches,
``unverified`` rows) and the xlwings Lite files. It says plainly what needs Excel itself to check.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

OK, VARNING, SAKNAS, KAN_INTE, INFO = "OK", "VARNING", "SAKNAS", "KAN INTE KONTROLLERAS", "INFO"
UDF_MODULE = "sakagare_xl.udfs"
MIN_PYTHON = (3, 11)
#: pyproject.toml: xlwings>=0.33.20,<0.38 (the floor proved in Pyodide and CPython, docs/excel.md §8)
XLWINGS_FLOOR = (0, 33, 20)
XLWINGS_BELOW = (0, 38)


@dataclass(frozen=True)
class Kontroll:
    """One check: what, how it went, and what to do."""

    namn: str
    status: str
    text: str


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def check_python() -> Kontroll:
    v = sys.version_info
    text = f"Python {v.major}.{v.minor}.{v.micro} ({sys.executable})"
    if (v.major, v.minor) < MIN_PYTHON:
        return Kontroll("Python", SAKNAS, f"{text}; sakagare_xl kräver Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} eller senare.")
    return Kontroll("Python", OK, text)


def _dotted(v: tuple[int, ...]) -> str:
    return ".".join(map(str, v))


def xlwings_requirement() -> str:
    """``>=0.33.20,<0.38``: the range pyproject.toml gives (and Lite's requirements.txt's floor)."""
    return f">={_dotted(XLWINGS_FLOOR)},<{_dotted(XLWINGS_BELOW)}"


def check_xlwings(version: str | None = None) -> tuple[Kontroll, object | None]:
    """The installed xlwings against the floor (``version`` stands in for the installed one in tests)."""
    xlwings = None
    if version is None:
        try:
            import xlwings
        except ImportError:
            text = f"xlwings är inte installerat: pip install \"xlwings{xlwings_requirement()}\"."
            return Kontroll("xlwings", SAKNAS, text), None
        version = xlwings.__version__
    v = _version_tuple(version)
    v = v + (0,) * (3 - len(v))
    if v < XLWINGS_FLOOR:
        return (
            Kontroll(
                "xlwings",
                SAKNAS,
                f"xlwings {version} är äldre än {_dotted(XLWINGS_FLOOR)}, den lägsta version funktionerna är "
                f"provade med; pip install \"xlwings{xlwings_requirement()}\".",
            ),
            xlwings,
        )
    if v[:2] >= XLWINGS_BELOW:
        return (
            Kontroll("xlwings", VARNING, f"xlwings {version} är nyare än de provade (xlwings{xlwings_requirement()})."),
            xlwings,
        )
    text = f"xlwings {version} (lägst {_dotted(XLWINGS_FLOOR)}; provat xlwings{xlwings_requirement()})"
    return Kontroll("xlwings", OK, text), xlwings


def read_conf_file(path: Path) -> dict[str, str]:
    """An xlwings.conf file (lines ``"KEY","VALUE"``) → upper-case key → value."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        values = re.findall(r'"([^"]*)"', line)
        if len(values) >= 2:
            out[values[0].strip().upper()] = values[1]
    return out


def read_conf_sheet(workbook: Path) -> dict[str, str] | None:
    """The ``xlwings.conf`` sheet of a workbook (key in A, value in B), or ``None`` if there is none."""
    from openpyxl import load_workbook  # only here: the doctor is the only caller

    wb = load_workbook(workbook, read_only=True, data_only=True)
    try:
        if "xlwings.conf" not in wb.sheetnames:
            return None
        out = {}
        for row in wb["xlwings.conf"].iter_rows(min_col=1, max_col=2, values_only=True):
            if row and row[0]:
                out[str(row[0]).strip().upper()] = "" if row[1] is None else str(row[1])
        return out
    finally:
        wb.close()


def user_conf_path(xlwings_module: object | None) -> Path:
    if xlwings_module is not None and hasattr(xlwings_module, "USER_CONFIG_FILE"):
        return Path(xlwings_module.USER_CONFIG_FILE)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    return Path.home() / ".xlwings" / "xlwings.conf"


def check_config(xlwings_module: object | None, workbook: Path | None) -> list[Kontroll]:
    """``UDF Modules`` in the layers the add-in reads (sheet → beside the workbook → user file)."""
    out: list[Kontroll] = []
    layers: list[tuple[str, dict[str, str]]] = []
    if workbook is not None:
        if not workbook.exists():
            out.append(Kontroll("Arbetsbok", SAKNAS, f"{workbook} finns inte."))
        else:
            try:
                sheet = read_conf_sheet(workbook)
            except Exception as exc:  # noqa: BLE001 - a broken file is reported, not raised
                out.append(Kontroll("Arbetsbok", VARNING, f"kunde inte läsa {workbook}: {exc}"))
                sheet = None
            if sheet is not None:
                layers.append((f"bladet xlwings.conf i {workbook.name}", sheet))
            if workbook.suffix.lower() != ".xlsm":
                out.append(Kontroll("Arbetsbok", VARNING, f"{workbook.name} är inte en .xlsm; Import Functions kräver en makroaktiverad arbetsbok."))
            beside = workbook.parent / "xlwings.conf"
            if beside.exists():
                layers.append((str(beside), read_conf_file(beside)))
    user = user_conf_path(xlwings_module)
    if user.exists():
        layers.append((str(user), read_conf_file(user)))

    found = next(((where, conf["UDF MODULES"]) for where, conf in layers if conf.get("UDF MODULES", "").strip()), None)
    if found is None:
        where_text = ", ".join(w for w, _ in layers) or "ingen xlwings.conf hittades"
        out.append(
            Kontroll(
                "UDF Modules",
                SAKNAS if sys.platform.startswith("win") else INFO,
                f"'UDF Modules' är inte satt ({where_text}). Sätt den till {UDF_MODULE} i xlwings-fliken "
                "(eller i bladet xlwings.conf) och klicka Import Functions.",
            )
        )
    else:
        where, value = found
        modules = [m.strip() for m in value.split(";") if m.strip()]
        if UDF_MODULE in modules:
            out.append(Kontroll("UDF Modules", OK, f"'{value}' ({where})"))
        else:
            out.append(Kontroll("UDF Modules", SAKNAS, f"'{value}' ({where}) saknar {UDF_MODULE}; lägg till det (skilj med ;)."))

    key = "INTERPRETER_WIN" if sys.platform.startswith("win") else "INTERPRETER_MAC"
    interp = next(((where, conf[key]) for where, conf in layers if conf.get(key, "").strip()), None)
    if interp is not None:
        where, value = interp
        path = Path(os.path.expandvars(value))
        if path.exists():
            out.append(Kontroll("Interpreter", OK, f"{value} ({where})"))
        else:
            out.append(Kontroll("Interpreter", SAKNAS, f"{value} ({where}) finns inte; sätt den till {sys.executable}."))
    elif sys.platform.startswith("win") or sys.platform == "darwin":
        out.append(
            Kontroll(
                "Interpreter",
                INFO,
                f"ingen Interpreter satt: tillägget använder python från PATH. Sätt den till {sys.executable} "
                "om sakagare_xl är installerat i just den miljön.",
            )
        )
    return out


def check_udfs() -> list[Kontroll]:
    from .adapters.functions import FUNCTIONS

    try:
        udfs = importlib.import_module(UDF_MODULE)
    except Exception as exc:  # noqa: BLE001
        return [Kontroll("sakagare_xl.udfs", SAKNAS, f"kan inte importeras: {type(exc).__name__}: {exc}")]
    missing = [name for name in FUNCTIONS if not callable(getattr(udfs, name, None))]
    if missing:
        return [Kontroll("sakagare_xl.udfs", SAKNAS, f"funktioner saknas: {', '.join(missing)}")]
    out = [Kontroll("sakagare_xl.udfs", OK, f"{len(FUNCTIONS)} funktioner: {', '.join(FUNCTIONS)}")]
    value = udfs.TILLAGG(700000, 0.02, 6)
    if value == 126000:
        out.append(Kontroll("Provräkning", OK, "=TILLAGG(700000; 0,02; 6) ger 126 000 (700 000 + 126 000 = 826 000)."))
    else:
        out.append(Kontroll("Provräkning", SAKNAS, f"=TILLAGG(700000; 0,02; 6) gav {value!r}, väntat 126 000."))
    return out


def check_referensranta(today: _dt.date | None = None) -> list[Kontroll]:
    """How far the shipped table reaches, how many of its values are unverified, and whether today is past it."""
    from .engine.rantesats import ANGE_FOR_HAND, halvar, procenttext
    from .engine.referensranta import nasta_halvar
    from .referensranta_data import las_tabell

    try:
        tabell = las_tabell()
    except Exception as exc:  # noqa: BLE001
        return [Kontroll("Referensränta", SAKNAS, f"tabellen kan inte läsas: {exc}")]
    unverified = [s for s in tabell.satser if s.status != "verified"]
    n = len(tabell.satser)
    out = [
        Kontroll(
            "Referensränta",
            OK,
            f"tabellen räcker från {halvar(tabell.forsta_dag)} till {halvar(tabell.sista_dag)} "
            f"({tabell.forsta_dag.isoformat()} – {tabell.sista_dag.isoformat()}), {n} halvår; "
            f"{len(unverified)} av {n} värden är inte bekräftade.",
        )
    ]
    today = today or _dt.date.today()
    if today > tabell.sista_dag:
        nasta = nasta_halvar(tabell.sista_dag)
        out.append(
            Kontroll(
                "Referensränta",
                VARNING,
                f"tabellen slutar {tabell.sista_dag.isoformat()} och saknar {halvar(nasta)} och senare (i dag är "
                f"{today.isoformat()}): TILLAGG_DATUM, REFERENSRANTA och ärenden utan fast referensränta ger fel "
                f"för de dagarna. {ANGE_FOR_HAND} Eller uppdatera tabellen.",
            )
        )
    if unverified:
        rows = ", ".join(f"{halvar(s.fran)} ({procenttext(s.procent, 2)})" for s in unverified)
        out.append(
            Kontroll(
                "Referensränta",
                VARNING,
                f"{len(unverified)} värden är inte bekräftade mot Riksbankens beslut ({rows}); "
                "kontrollera dem före användning. Beräkningar som använder dem får en varning.",
            )
        )
    return out


def check_excel() -> list[Kontroll]:
    """Excel and the add-in file: only where Excel exists (Windows, macOS)."""
    if sys.platform.startswith("win"):
        out = []
        try:
            import winreg

            winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Excel.Application")
            out.append(Kontroll("Excel", OK, "Excel är registrerat (Excel.Application)."))
        except OSError:
            out.append(Kontroll("Excel", SAKNAS, "Excel.Application finns inte i registret; är Excel installerat?"))
        appdata = os.environ.get("APPDATA")
        if appdata:
            addin = Path(appdata) / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"
            if addin.exists():
                out.append(Kontroll("xlwings-tillägget", OK, str(addin)))
            else:
                out.append(Kontroll("xlwings-tillägget", SAKNAS, f"{addin} finns inte: kör 'xlwings addin install'."))
        try:
            import win32com  # noqa: F401
        except ImportError:
            out.append(Kontroll("pywin32", SAKNAS, "pywin32 saknas (krävs för UDF:er på Windows): pip install pywin32."))
        else:
            out.append(Kontroll("pywin32", OK, "pywin32 finns."))
        return out
    if sys.platform == "darwin":
        app = Path("/Applications/Microsoft Excel.app")
        return [
            Kontroll("Excel", OK if app.exists() else SAKNAS, str(app) + ("" if app.exists() else " finns inte")),
            Kontroll(
                "Klassiska UDF:er",
                INFO,
                "xlwings klassiska tillägg kör inte egna funktioner (UDF:er) på macOS; använd xlwings Lite (docs/excel.md).",
            ),
        ]
    return [
        Kontroll(
            "Excel",
            INFO,
            f"Excel finns inte för {sys.platform}; funktionerna kan användas via xlwings Lite (Excel på webben) "
            "eller via 'sakagare-xl berakna' och omräkningen (recalc).",
        )
    ]


def check_lite() -> Kontroll:
    from . import lite

    try:
        old = lite.stale()
    except Exception as exc:  # noqa: BLE001
        return Kontroll("xlwings Lite-filer", VARNING, f"kunde inte jämföras: {exc}")
    if old:
        return Kontroll("xlwings Lite-filer", VARNING, f"inaktuella: {', '.join(old)}; kör python -m sakagare_xl.lite.")
    return Kontroll("xlwings Lite-filer", OK, f"aktuella ({lite.HERE / 'main.py'}, requirements.txt).")


CANNOT_CHECK = (
    "att Excel litar på åtkomst till VBA-projektets objektmodell (krävs för Import Functions): "
    "Arkiv > Alternativ > Säkerhetscenter > Inställningar för makron",
    "att xlwings-tillägget är inläst och aktiverat i Excel (fliken xlwings syns)",
    "att Import Functions har körts i just den arbetsboken och att den sparats som .xlsm",
    "att makron är tillåtna för arbetsboken (Spärrad/Betrodd plats)",
    "att xlwings Lite-tillägget är installerat och att main.py/requirements.txt klistrats in",
    "hur Excel faktiskt visar resultaten (spill, talformat, #VÄRDEFEL!/#SAKNAS!)",
)


def kontrollera(workbook: Path | None = None, today: _dt.date | None = None) -> list[Kontroll]:
    """Every check, in order."""
    out = [check_python()]
    xl, xlwings_module = check_xlwings()
    out.append(xl)
    out.extend(check_config(xlwings_module, workbook))
    out.extend(check_excel())
    out.extend(check_udfs())
    out.extend(check_referensranta(today))
    out.append(check_lite())
    return out


def run(args) -> int:
    checks = kontrollera(getattr(args, "arbetsbok", None))
    width = max(len(k.namn) for k in checks)
    swidth = max(len(k.status) for k in checks) + 2
    for k in checks:
        print(f"{'[' + k.status + ']':<{swidth}} {k.namn.ljust(width)}  {k.text}")
    print()
    print("Kan inte kontrolleras utan Excel:")
    for line in CANNOT_CHECK:
        print(f"  - {line}")
    missing = [k for k in checks if k.status == SAKNAS]
    print()
    if missing:
        print(f"{len(missing)} sak(er) saknas: " + "; ".join(k.namn for k in missing) + ".")
        return 1
    print("Inget saknas av det som går att kontrollera härifrån.")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "kontrollera",
        help="kontrollera installationen för Excel-funktionerna (xlwings, UDF Modules, referensräntor)",
        description=__doc__.splitlines()[0],
    )
    p.add_argument(
        "--arbetsbok",
        type=Path,
        default=None,
        metavar="FIL.xlsm",
        help="läs även arbetsbokens blad xlwings.conf och en xlwings.conf bredvid den",
    )
    p.set_defaults(func=run)
