"""Parse ordinary Excel formulas (openpyxl's :class:`~openpyxl.formula.Tokenizer`) and compile them to
Python closures.

A compiled formula is independent of the cell it sits in: every relative reference is kept as an offset
from the formula's cell, so ``=MIN(E9,D9+G9)`` in row 9 and ``=MIN(E10,D10+G10)`` in row 10 have the
same *shape* and share one compiled closure (:func:`compile_formula` caches by shape, per process).
The shape key is computed by one regular expression over the formula text (:func:`shape_key`), so a
cache hit costs a few microseconds and never tokenizes.

A closure is called as ``fn(ctx, sheet, row, col)`` where ``ctx`` is the workbook evaluator
(see :mod:`sakagare_xl.recalc.evaluate`). Values are Excel-shaped: float, str, bool, ``None`` (blank),
:class:`~sakagare_xl.recalc.cells.XLError`, :class:`Area` (a reference) and 2-D lists (arrays).
Errors travel as the exception :class:`Err`, which the cell turns into its error value.

Functions our registry knows are called through ``ctx.call_udf``; the spellings Excel, Office.js
add-ins (xlwings Lite), namespaces and LibreOffice give them are understood (:func:`udf_candidates`).
"""

from __future__ import annotations

import datetime as _dt
import math
import operator
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Context, Decimal

from .cells import DIV0, MAX_COL, MAX_ROW, NA, NUM, REF, VALUE, XLError, col_number


def _openpyxl_tokenizer():
    """openpyxl's formula tokenizer module (``openpyxl/formula/tokenizer.py``).

    Importing it the usual way runs ``openpyxl/__init__`` first, which loads the whole workbook model
    and, when installed, numpy: about 0.2 s of every ``sakagare-xl recalc`` process, for a module that
    needs nothing but :mod:`re`. So when openpyxl is not imported yet, the module is loaded on its own
    from openpyxl's installed files; anything unexpected falls back to the plain import.
    """
    import sys

    if "openpyxl" not in sys.modules:
        try:
            import importlib.util

            spec = importlib.util.find_spec("openpyxl")
            folder = list(spec.submodule_search_locations or ())[0] if spec else None
            path = folder and __import__("os").path.join(folder, "formula", "tokenizer.py")
            sub = importlib.util.spec_from_file_location("sakagare_xl.recalc._openpyxl_tokenizer", path)
            module = importlib.util.module_from_spec(sub)
            sub.loader.exec_module(module)
            module.Tokenizer, module.Token, module.TokenizerError  # noqa: B018 - the names we use
            return module
        except Exception:  # noqa: BLE001 - any surprise: the ordinary import below
            pass
    from openpyxl.formula import tokenizer

    return tokenizer


_tok = _openpyxl_tokenizer()
Tokenizer, Token, TokenizerError = _tok.Tokenizer, _tok.Token, _tok.TokenizerError


class Err(Exception):
    """An Excel error raised inside a formula; ``value`` is the :class:`XLError`."""

    __slots__ = ("value",)

    def __init__(self, value: XLError):
        self.value = value


class Unsupported(Exception):
    """A formula recalc cannot evaluate without guessing (Swedish message)."""


class Area:
    """A reference to a rectangle of cells: sheet index and 1-based inclusive bounds."""

    __slots__ = ("s", "r1", "c1", "r2", "c2")

    def __init__(self, s: int, r1: int, c1: int, r2: int, c2: int):
        self.s, self.r1, self.c1, self.r2, self.c2 = s, r1, c1, r2, c2

    @property
    def single(self) -> bool:
        return self.r1 == self.r2 and self.c1 == self.c2

    def key(self) -> tuple:
        return (self.s, self.r1, self.c1, self.r2, self.c2)

    def __repr__(self) -> str:
        return f"Area{self.key()}"


class _Missing:
    """An omitted argument: ``=IF(A1,,1)``."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

# ---------------------------------------------------------------- spellings of function names

#: prefixes Excel writes before functions newer than the file format (built-ins)
_BUILTIN_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.")
#: prefixes for functions Excel does not know (add-in / user-defined functions)
_UDF_PREFIXES = ("_XLUDF.", "_XLDUDF_", "_XLL.", "_XLDUDF.")
#: namespaces our functions may carry (``SAKAGARE.COVERAGE``, Office.js ``_xldudf_SAKAGARE_COVERAGE``)
KNOWN_NAMESPACES = ("SAKAGARE_XL", "SAKAGAREXL", "SAKAGARE", "XLWINGS")


def builtin_name(name: str) -> str:
    u = name.upper()
    for p in _BUILTIN_PREFIXES:
        if u.startswith(p):
            return u[len(p):]
    return u


def udf_candidates(name: str) -> tuple[str, ...]:
    """The names a spelling may stand for, most literal first.

    >>> udf_candidates("_xldudf_COVERAGE")
    ('COVERAGE',)
    >>> udf_candidates("_xludf.sakagare.coverage")
    ('SAKAGARE.COVERAGE', 'COVERAGE')
    >>> udf_candidates("_xldudf_SAKAGARE_TILLAGG_DATUM")
    ('SAKAGARE_TILLAGG_DATUM', 'TILLAGG_DATUM')
    """
    u = name.upper()
    changed = True
    while changed:
        changed = False
        for p in _UDF_PREFIXES:
            if u.startswith(p):
                u = u[len(p):]
                changed = True
    out = [u]
    if "." in u:
        out.append(u.rsplit(".", 1)[1])
    for ns in KNOWN_NAMESPACES:
        for sep in ("_", "."):
            if u.startswith(ns + sep) and len(u) > len(ns) + 1:
                tail = u[len(ns) + 1:]
                if tail not in out:
                    out.append(tail)
    return tuple(out)


# ---------------------------------------------------------------- shape key

_KEY_SKIP = re.compile(r"""("(?:[^"]|"")*"|'(?:[^']|'')*'|\[[^\]]*\])""")
_KEY_REF = re.compile(
    r"""
    (?<![\w.$\\])(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![\w.(!\[])               # A1
    |(?<![\w.$\\])(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![\w.(!\[])  # A:B
    |(?<![\w.$\\])(\$?)(\d+):(\$?)(\d+)(?![\w.(!\[])                      # 1:2
    """,
    re.X,
)


_COLNUM: dict[str, int] = {}


def _colnum(letters: str) -> int:
    n = _COLNUM.get(letters)
    if n is None:
        n = _COLNUM[letters] = col_number(letters)
    return n


def _key_part(text: str, row: int, col: int) -> str:
    """One stretch of formula text (no literals) with its references made relative, in one regex pass."""
    parts = _KEY_REF.split(text)
    n = len(parts)
    if n == 1:
        return text
    out = [parts[0]]
    for i in range(1, n, 13):
        d1, c1, d2, r1, e1, ca, e2, cb, f1, ra, f2, rb = parts[i:i + 12]
        if c1 is not None:  # A1
            out.append(f"\x00R{r1}" if d2 else f"\x00R[{int(r1) - row}]")
            out.append(f"C{c1.upper()}\x00" if d1 else f"C[{_colnum(c1) - col}]\x00")
        elif ca is not None:  # A:B
            a = f"C{ca.upper()}" if e1 else f"C[{_colnum(ca) - col}]"
            b = f"C{cb.upper()}" if e2 else f"C[{_colnum(cb) - col}]"
            out.append(f"\x00{a}:{b}\x00")
        else:  # 1:2
            a = f"R{ra}" if f1 else f"R[{int(ra) - row}]"
            b = f"R{rb}" if f2 else f"R[{int(rb) - row}]"
            out.append(f"\x00{a}:{b}\x00")
        out.append(parts[i + 12])
    return "".join(out)


def shape_key(formula: str, row: int, col: int) -> str:
    """The formula with every reference rewritten relative to (row, col), R1C1-like.

    Text literals, quoted sheet names and bracketed parts are kept as they are.

    >>> shape_key("MIN(E9,D9+G9)", 9, 8) == shape_key("MIN(E10,D10+G10)", 10, 8)
    True
    >>> shape_key('"A1"&A1', 1, 2) == shape_key('"A2"&A2', 2, 2)   # text is not a reference
    False
    """
    if '"' not in formula and "'" not in formula and "[" not in formula:
        return _key_part(formula, row, col)
    parts = _KEY_SKIP.split(formula)
    # odd positions are the skipped literals
    for i in range(0, len(parts), 2):
        if parts[i]:
            parts[i] = _key_part(parts[i], row, col)
    return "\x01".join(parts)


# ---------------------------------------------------------------- references

_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")
_COLS = re.compile(r"(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})$")
_ROWS = re.compile(r"(\$?)(\d+):(\$?)(\d+)$")
_NAME_OK = re.compile(r"[A-Za-z_\\][\w.\\]*$")


@dataclass(frozen=True)
class RefTemplate:
    """A reference as written: bounds relative to the formula cell unless absolute."""

    sheet: str | None
    r1: int
    r1abs: bool
    c1: int
    c1abs: bool
    r2: int
    r2abs: bool
    c2: int
    c2abs: bool

    def bounds(self, row: int, col: int) -> tuple[int, int, int, int]:
        r1 = self.r1 if self.r1abs else row + self.r1
        r2 = self.r2 if self.r2abs else row + self.r2
        c1 = self.c1 if self.c1abs else col + self.c1
        c2 = self.c2 if self.c2abs else col + self.c2
        return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


@dataclass(frozen=True)
class NameRef:
    sheet: str | None
    name: str  # upper-case
    spelling: str = field(default="", compare=False)  # as written in the formula (for messages)


def _split_sheet(text: str) -> tuple[str | None, str]:
    if "!" not in text:
        return None, text
    if text.startswith("'"):
        end = text.rfind("'!")
        if end < 0:
            raise Unsupported(f"kan inte läsa referensen {text}")
        return text[1:end].replace("''", "'"), text[end + 2:]
    sheet, _, rest = text.rpartition("!")
    return sheet, rest


def parse_reference(text: str, row: int, col: int) -> RefTemplate | NameRef | XLError:
    """Parse a RANGE operand: ``A1``, ``$A$1:B2``, ``A:A``, ``1:1``, ``'Blad 1'!A1``, a defined name."""
    sheet, ref = _split_sheet(text)
    if sheet is not None and (sheet.startswith("[") or ":" in sheet):
        raise Unsupported(f"referenser till andra filer eller flera blad stöds inte ({text})")
    if ref.upper() == "#REF!":
        return REF
    parts = ref.split(":")
    if len(parts) <= 2:
        m1 = _CELL.match(parts[0])
        m2 = _CELL.match(parts[-1])
        if m1 and m2:
            r1, c1 = int(m1.group(4)), col_number(m1.group(2))
            r2, c2 = int(m2.group(4)), col_number(m2.group(2))
            if r1 <= MAX_ROW and r2 <= MAX_ROW and c1 <= MAX_COL and c2 <= MAX_COL:
                return RefTemplate(
                    sheet,
                    r1 if m1.group(3) else r1 - row, bool(m1.group(3)),
                    c1 if m1.group(1) else c1 - col, bool(m1.group(1)),
                    r2 if m2.group(3) else r2 - row, bool(m2.group(3)),
                    c2 if m2.group(1) else c2 - col, bool(m2.group(1)),
                )
        m = _COLS.match(ref)
        if m:
            c1, c2 = col_number(m.group(2)), col_number(m.group(4))
            return RefTemplate(
                sheet, 1, True, c1 if m.group(1) else c1 - col, bool(m.group(1)),
                MAX_ROW, True, c2 if m.group(3) else c2 - col, bool(m.group(3)),
            )
        m = _ROWS.match(ref)
        if m:
            r1, r2 = int(m.group(2)), int(m.group(4))
            return RefTemplate(
                sheet, r1 if m.group(1) else r1 - row, bool(m.group(1)), 1, True,
                r2 if m.group(3) else r2 - row, bool(m.group(3)), MAX_COL, True,
            )
    if len(parts) == 1 and _NAME_OK.match(ref) and "[" not in ref:
        return NameRef(sheet, ref.upper(), ref)
    raise Unsupported(f"kan inte läsa referensen {text}")


# ---------------------------------------------------------------- value coercion (Excel rules)

_NUMTYPES = (int, float)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
EPOCH = _dt.date(1899, 12, 30)


def date_to_serial(d: _dt.date) -> int:
    n = (d - EPOCH).days
    return n if n >= 61 else n - 1


def serial_to_date(serial: float) -> _dt.date:
    n = int(math.floor(serial))
    if n < 1 or n > 2958465:
        raise Err(NUM)
    if n == 60:
        raise Err(VALUE)  # Excel's fictitious 1900-02-29
    return EPOCH + _dt.timedelta(days=n if n > 60 else n + 1)


def to_num(v):
    t = type(v)
    if t is float or t is int:
        return v
    if v is None or v is MISSING:
        return 0.0
    if t is bool:
        return 1.0 if v else 0.0
    if t is str:
        s = v.strip()
        try:
            return float(s)
        except ValueError:
            pass
        if s.endswith("%"):
            try:
                return float(s[:-1]) / 100
            except ValueError:
                pass
        m = _ISO_DATE.match(s)
        if m:
            try:
                return float(date_to_serial(_dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
            except ValueError:
                pass
        raise Err(VALUE)
    if t is XLError:
        raise Err(v)
    if t is list:
        return to_num(v[0][0])
    raise Err(VALUE)


def num_text(x: float) -> str:
    """A number as Excel's General format turns it into text (15 significant digits)."""
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    s = format(x, ".15g")
    if "e" in s:
        mant, exp = s.split("e")
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        return f"{mant}E{'+' if int(exp) >= 0 else '-'}{abs(int(exp)):02d}"
    return s


def to_text(v) -> str:
    t = type(v)
    if t is str:
        return v
    if t is float or t is int:
        return num_text(v)
    if v is None or v is MISSING:
        return ""
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is XLError:
        raise Err(v)
    if t is list:
        return to_text(v[0][0])
    raise Err(VALUE)


def to_bool(v) -> bool:
    t = type(v)
    if t is bool:
        return v
    if t is float or t is int:
        return v != 0
    if v is None or v is MISSING:
        return False
    if t is str:
        u = v.strip().upper()
        if u in ("TRUE", "SANT"):
            return True
        if u in ("FALSE", "FALSKT"):
            return False
        raise Err(VALUE)
    if t is XLError:
        raise Err(v)
    if t is list:
        return to_bool(v[0][0])
    raise Err(VALUE)


def deref(ctx, x):
    """A reference → its value (one cell) or 2-D list of values; anything else unchanged."""
    if type(x) is Area:
        if x.r1 == x.r2 and x.c1 == x.c2:
            return ctx.cell_value(x.s, x.r1, x.c1)
        return ctx.area_values(x)
    return x


def scalar(ctx, x, row: int, col: int):
    """One value for a scalar context: implicit intersection for a multi-cell reference."""
    if type(x) is Area:
        if x.r1 == x.r2 and x.c1 == x.c2:
            v = ctx.cell_value(x.s, x.r1, x.c1)
        elif x.c1 == x.c2 and x.r1 <= row <= x.r2:
            v = ctx.cell_value(x.s, row, x.c1)
        elif x.r1 == x.r2 and x.c1 <= col <= x.c2:
            v = ctx.cell_value(x.s, x.r1, col)
        else:
            raise Err(VALUE)
        if type(v) is XLError:
            raise Err(v)
        return v
    if type(x) is list:
        x = x[0][0]
    if type(x) is XLError:
        raise Err(x)
    return x


def _is_num(v) -> bool:
    t = type(v)
    return t is float or t is int


def _cmp_key(v):
    t = type(v)
    if t is float or t is int:
        return (0, v)
    if t is str:
        return (1, v.upper())
    if t is bool:
        return (2, v)
    return (0, 0.0)


def compare(op: str, a, b) -> bool:
    if (type(a) is float and a - a != 0.0) or (type(b) is float and b - b != 0.0):
        raise Err(NUM)  # an overflow (1E200*1E200) is #NUM! in Excel, never a number to compare
    if a is None or a is MISSING:
        a = "" if type(b) is str else (False if type(b) is bool else 0.0)
    if b is None or b is MISSING:
        b = "" if type(a) is str else (False if type(a) is bool else 0.0)
    if type(a) is XLError:
        raise Err(a)
    if type(b) is XLError:
        raise Err(b)
    ka, kb = _cmp_key(a), _cmp_key(b)
    if op == "=":
        return ka == kb
    if op == "<>":
        return ka != kb
    if op == "<":
        return ka < kb
    if op == ">":
        return ka > kb
    if op == "<=":
        return ka <= kb
    return ka >= kb


def _pow(a, b):
    try:
        r = math.pow(a, b)
    except (OverflowError, ValueError):
        raise Err(NUM) from None
    return r


def _div(a, b):
    if b == 0:
        raise Err(DIV0)
    return a / b


_ARITH = {
    "+": lambda a, b: to_num(a) + to_num(b),
    "-": lambda a, b: to_num(a) - to_num(b),
    "*": lambda a, b: to_num(a) * to_num(b),
    "/": lambda a, b: _div(to_num(a), to_num(b)),
    "^": lambda a, b: _pow(to_num(a), to_num(b)),
    "&": lambda a, b: to_text(a) + to_text(b),
}
for _op in ("=", "<>", "<", ">", "<=", ">="):
    _ARITH[_op] = (lambda o: lambda a, b: compare(o, a, b))(_op)


def _elementwise(f, a, b):
    """Excel's array broadcasting for a binary operator."""
    la, lb = type(a) is list, type(b) is list
    ra = len(a) if la else 1
    ca = len(a[0]) if la else 1
    rb = len(b) if lb else 1
    cb = len(b[0]) if lb else 1
    rows, cols = max(ra, rb), max(ca, cb)
    out = []
    for i in range(rows):
        line = []
        for j in range(cols):
            try:
                if la:
                    if (ra > 1 and i >= ra) or (ca > 1 and j >= ca):
                        raise Err(NA)
                    x = a[i if ra > 1 else 0][j if ca > 1 else 0]
                else:
                    x = a
                if lb:
                    if (rb > 1 and i >= rb) or (cb > 1 and j >= cb):
                        raise Err(NA)
                    y = b[i if rb > 1 else 0][j if cb > 1 else 0]
                else:
                    y = b
                line.append(f(x, y))
            except Err as e:
                line.append(e.value)
        out.append(line)
    return out


def _map1(f, a):
    out = []
    for line in a:
        row = []
        for x in line:
            try:
                row.append(f(x))
            except Err as e:
                row.append(e.value)
        out.append(row)
    return out


def _flat(v):
    """Values of a reference/array/scalar, flattened row by row."""
    if type(v) is list:
        for line in v:
            yield from line
    else:
        yield v


# ---------------------------------------------------------------- compile state and cache

@dataclass
class Compiled:
    fn: object  # fn(ctx, sheet, row, col)
    refs: tuple  # RefTemplate | NameRef
    udfs: tuple  # (spelling, candidates)
    problems: tuple  # Swedish messages: unsupported functions, syntax
    volatile: bool = False
    #: (formula text, row, col) it was compiled from (its shape's origin), for :mod:`.kernel`
    src: tuple = ()
    #: :func:`.kernel.kernel_factory` of the shape, once asked for (``None``: none; unset: not asked)
    kernel: object = False


@dataclass
class _State:
    row: int
    col: int
    refs: list = field(default_factory=list)
    udfs: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    volatile: bool = False


_CACHE: dict[str, Compiled] = {}
CACHE_LIMIT = 50_000
#: (formula text, row, col) → compiled: workbooks of one template have the same formulas in the same
#: cells, so a batch finds them here without computing the shape key again
_AT: dict[tuple[str, int, int], Compiled] = {}
AT_LIMIT = 200_000
stats = {"hits": 0, "misses": 0}


def compile_formula(formula: str, row: int, col: int) -> Compiled:
    """Compile ``formula`` (text without '=') at (row, col); cached by shape across workbooks."""
    at = (formula, row, col)
    hit = _AT.get(at)
    if hit is None:
        key = shape_key(formula, row, col)
        hit = _CACHE.get(key)
        if hit is None:
            stats["misses"] += 1
            hit = _compile(formula, row, col)
            hit.src = (formula, row, col)
            if len(_CACHE) >= CACHE_LIMIT:
                _CACHE.clear()
            _CACHE[key] = hit
        else:
            stats["hits"] += 1
        if len(_AT) >= AT_LIMIT:
            _AT.clear()
        _AT[at] = hit
    else:
        stats["hits"] += 1
    return hit


def _failing(message: str):
    def fn(ctx, s, r, c):
        raise Unsupported(message)

    return fn


def _compile(formula: str, row: int, col: int) -> Compiled:
    st = _State(row, col)
    try:
        tokens = Tokenizer("=" + formula).items
        parser = _Parser(tokens, st)
        fn = parser.parse()
    except (TokenizerError, Unsupported, IndexError, ValueError) as exc:
        msg = str(exc) if isinstance(exc, Unsupported) else f"kan inte tolka formeln ={formula}"
        st.problems.append(msg)
        fn = _failing(msg)
    return Compiled(fn, tuple(st.refs), tuple(st.udfs.items()), tuple(st.problems), st.volatile)


# ---------------------------------------------------------------- parser

_INFIX_PREC = {":": 8, "^": 5, "*": 4, "/": 4, "+": 3, "-": 3, "&": 2,
               "=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1}
_ENDS_OPERAND = {(Token.OPERAND, None), (Token.FUNC, Token.CLOSE), (Token.PAREN, Token.CLOSE), (Token.ARRAY, Token.CLOSE)}


class _Parser:
    def __init__(self, tokens, st: _State):
        items = []
        for i, t in enumerate(tokens):
            if t.type == Token.WSPACE:
                prev = items[-1] if items else None
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                if (
                    prev is not None and nxt is not None
                    and (prev.type == Token.OPERAND or prev.subtype == Token.CLOSE)
                    and (nxt.type in (Token.OPERAND, Token.FUNC, Token.PAREN, Token.ARRAY) and nxt.subtype != Token.CLOSE)
                ):
                    raise Unsupported("snittoperatorn (mellanslag mellan referenser) stöds inte")
                continue
            items.append(t)
        self.t = items
        self.i = 0
        self.st = st

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def parse(self):
        if not self.t:
            return lambda ctx, s, r, c: None
        fn = self.expr(0)
        if self.i != len(self.t):
            raise Unsupported(f"oväntat '{self.t[self.i].value}' i formeln")
        return fn

    def expr(self, min_prec: int):
        lhs = self.unary()
        while True:
            tok = self.peek()
            if tok is None or tok.type != Token.OP_IN:
                return lhs
            op = tok.value
            prec = _INFIX_PREC.get(op)
            if prec is None:
                raise Unsupported(f"operatorn {op} stöds inte")
            if prec < min_prec:
                return lhs
            self.take()
            rhs = self.expr(prec + 1)
            lhs = _binary(op, lhs, rhs)

    def unary(self):
        tok = self.peek()
        if tok is not None and tok.type == Token.OP_PRE:
            self.take()
            inner = self.unary()
            if tok.value == "-":
                fn = _negate(inner)
            else:
                fn = inner
        else:
            fn = self.primary()
        while True:
            tok = self.peek()
            if tok is not None and tok.type == Token.OP_POST and tok.value == "%":
                self.take()
                fn = _percent(fn)
            else:
                return fn

    def primary(self):
        tok = self.take()
        if tok.type == Token.OPERAND:
            return self.operand(tok)
        if tok.type == Token.PAREN and tok.subtype == Token.OPEN:
            fn = self.expr(0)
            close = self.take()
            if close.type != Token.PAREN:
                raise Unsupported("parenteserna i formeln går inte ihop")
            return fn
        if tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            name = tok.value[:-1]
            if ":" in name and not name.startswith("'"):  # A1:INDEX(...) comes as one token
                left, _, fname = name.rpartition(":")
                return _binary(":", self.operand(Token(left, Token.OPERAND, Token.RANGE)), self.call(fname))
            return self.call(name)
        if tok.type == Token.ARRAY and tok.subtype == Token.OPEN:
            return self.array()
        raise Unsupported(f"oväntat '{tok.value}' i formeln")

    def operand(self, tok):
        sub = tok.subtype
        v = tok.value
        if sub == Token.NUMBER:
            num = float(v)
            return lambda ctx, s, r, c: num
        if sub == Token.TEXT:
            text = v[1:-1].replace('""', '"')
            return lambda ctx, s, r, c: text
        if sub == Token.LOGICAL:
            b = v.upper() == "TRUE"
            return lambda ctx, s, r, c: b
        if sub == Token.ERROR:
            err = XLError(v.upper())
            return lambda ctx, s, r, c: err
        ref = parse_reference(v, self.st.row, self.st.col)
        if type(ref) is XLError:
            def fn(ctx, s, r, c):
                raise Err(REF)
            return fn
        self.st.refs.append(ref)
        if type(ref) is NameRef:
            name, sheet = ref.name, ref.sheet
            return lambda ctx, s, r, c: ctx.name_value(name, sheet, s)
        t = ref
        sheet = t.sheet
        if t.r1 == t.r2 and t.c1 == t.c2 and t.r1abs == t.r2abs and t.c1abs == t.c2abs:
            dr, ra, dc, ca = t.r1, t.r1abs, t.c1, t.c1abs

            def cell(ctx, s, r, c):
                si = s if sheet is None else ctx.sheet_index(sheet)
                rr = dr if ra else r + dr
                cc = dc if ca else c + dc
                if rr < 1 or cc < 1 or rr > MAX_ROW or cc > MAX_COL:
                    raise Err(REF)
                return Area(si, rr, cc, rr, cc)

            # the cell's value without an Area in between, for operators and functions that
            # dereference a single cell anyway (``ctx.sv[sheet]``: (row, col) → current value)
            if sheet is None and not ra and not ca:
                def vget(ctx, s, r, c):
                    rr = r + dr
                    cc = c + dc
                    if rr < 1 or cc < 1 or rr > MAX_ROW or cc > MAX_COL:
                        raise Err(REF)
                    return ctx.sv[s].get((rr, cc))
            else:
                def vget(ctx, s, r, c):
                    si = s if sheet is None else ctx.sheet_index(sheet)
                    rr = dr if ra else r + dr
                    cc = dc if ca else c + dc
                    if rr < 1 or cc < 1 or rr > MAX_ROW or cc > MAX_COL:
                        raise Err(REF)
                    return ctx.sv[si].get((rr, cc))

            cell.vget = vget
            return cell

        def area(ctx, s, r, c):
            si = s if sheet is None else ctx.sheet_index(sheet)
            r1, c1, r2, c2 = t.bounds(r, c)
            if r1 < 1 or c1 < 1 or r2 > MAX_ROW or c2 > MAX_COL:
                raise Err(REF)
            return Area(si, r1, c1, r2, c2)

        return area

    def args(self):
        out = []
        expect_arg = True
        while True:
            tok = self.peek()
            if tok is None:
                raise Unsupported("en funktion saknar avslutande parentes")
            if tok.type == Token.FUNC and tok.subtype == Token.CLOSE:
                self.take()
                if out and expect_arg:
                    out.append(_missing)
                return out
            if tok.type == Token.SEP and tok.subtype == Token.ARG:
                self.take()
                if expect_arg:
                    out.append(_missing)
                expect_arg = True
                continue
            if not expect_arg:
                raise Unsupported(f"oväntat '{tok.value}' i formeln")
            out.append(self.expr(0))
            expect_arg = False

    def call(self, raw_name: str):
        args = self.args()
        bname = builtin_name(raw_name)
        spec = BUILTINS.get(bname)
        if spec is not None:
            if bname in VOLATILE:
                self.st.volatile = True
            lo, hi, maker = spec
            if not (lo <= len(args) <= hi):
                raise Unsupported(f"fel antal argument till {bname} ({len(args)})")
            return maker(args)
        if bname in UNSUPPORTED_BUILTINS or raw_name.upper().startswith(_BUILTIN_PREFIXES):
            self.st.problems.append(f"funktionen {bname} stöds inte av recalc")
            return _failing(f"funktionen {bname} stöds inte av recalc")
        cands = udf_candidates(raw_name)
        self.st.udfs[raw_name] = cands
        return _udf_call(raw_name, cands, args)

    def array(self):
        rows: list[list] = [[]]
        while True:
            tok = self.take()
            if tok.type == Token.ARRAY and tok.subtype == Token.CLOSE:
                break
            if tok.type == Token.SEP:
                if tok.subtype == Token.ROW:
                    rows.append([])
                continue
            neg = False
            if tok.type == Token.OP_PRE:
                neg = tok.value == "-"
                tok = self.take()
            if tok.type != Token.OPERAND or tok.subtype == Token.RANGE:
                raise Unsupported("matriskonstanter får bara innehålla konstanter")
            if tok.subtype == Token.NUMBER:
                v = float(tok.value)
                v = -v if neg else v
            elif tok.subtype == Token.TEXT:
                v = tok.value[1:-1].replace('""', '"')
            elif tok.subtype == Token.LOGICAL:
                v = tok.value.upper() == "TRUE"
            else:
                v = XLError(tok.value.upper())
            rows[-1].append(v)
        if len({len(r) for r in rows}) != 1:
            raise Unsupported("matriskonstanten har rader av olika längd")
        return lambda ctx, s, r, c: [list(line) for line in rows]


def _missing(ctx, s, r, c):
    return MISSING


def _value(ctx, x):
    """Deref for an operator: one cell → value, several → 2-D list."""
    if type(x) is Area:
        return deref(ctx, x)
    return x


def _binary(op, fa, fb):
    if op == ":":
        def rng(ctx, s, r, c):
            a, b = fa(ctx, s, r, c), fb(ctx, s, r, c)
            if type(a) is not Area or type(b) is not Area or a.s != b.s:
                raise Err(VALUE)
            return Area(a.s, min(a.r1, b.r1), min(a.c1, b.c1), max(a.r2, b.r2), max(a.c2, b.c2))

        return rng
    f = _ARITH[op]
    fast = _FLOAT_OPS.get(op)
    ga = getattr(fa, "vget", None)
    gb = getattr(fb, "vget", None)

    def fn(ctx, s, r, c):
        if ga is None:
            a = fa(ctx, s, r, c)
            if type(a) is Area:
                a = deref(ctx, a)
        else:
            a = ga(ctx, s, r, c)
        if gb is None:
            b = fb(ctx, s, r, c)
            if type(b) is Area:
                b = deref(ctx, b)
        else:
            b = gb(ctx, s, r, c)
        if fast is not None and type(a) is float and type(b) is float:
            out = fast(a, b)
            if out - out == 0.0:  # finite
                return out
            raise Err(NUM)  # overflow to ±inf (or inf - inf): Excel's #NUM!
        if type(a) is list or type(b) is list:
            return _elementwise(_finite_op(f), a, b)
        out = f(a, b)
        if type(out) is float and out - out != 0.0:
            raise Err(NUM)
        return out

    return fn


def _finite_op(f):
    def g(a, b):
        out = f(a, b)
        if type(out) is float and out - out != 0.0:
            raise Err(NUM)
        return out

    return g


_FLOAT_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def _negate(fa):
    def fn(ctx, s, r, c):
        a = _value(ctx, fa(ctx, s, r, c))
        if type(a) is list:
            return _map1(lambda x: -to_num(x), a)
        return -to_num(a)

    return fn


def _percent(fa):
    def fn(ctx, s, r, c):
        a = _value(ctx, fa(ctx, s, r, c))
        if type(a) is list:
            return _map1(lambda x: to_num(x) / 100, a)
        return to_num(a) / 100

    return fn


def _udf_call(raw_name, cands, args):
    # a single-cell reference is passed as its value (what ctx.call_udf would read from the Area anyway)
    args = [getattr(f, "vget", None) or f for f in args]

    def fn(ctx, s, r, c):
        return ctx.call_udf(raw_name, cands, [f(ctx, s, r, c) for f in args], s, r, c)

    return fn


# ---------------------------------------------------------------- built-in functions
# Each entry: NAME -> (min args, max args, maker(argfns) -> fn(ctx, s, r, c)).

BUILTINS: dict[str, tuple[int, int, object]] = {}
VOLATILE = {"TODAY"}
#: Excel functions we know exist but do not evaluate (reported rather than guessed)
UNSUPPORTED_BUILTINS = {
    "OFFSET", "INDIRECT", "CELL", "INFO", "NOW", "RAND", "RANDBETWEEN", "HYPERLINK", "GETPIVOTDATA",
    "LET", "LAMBDA", "FILTER", "SORT", "UNIQUE", "SEQUENCE", "XLOOKUP", "TEXTJOIN", "SUMIFS", "COUNTIFS",
    "AVERAGEIF", "AVERAGEIFS", "HLOOKUP", "LOOKUP", "CHOOSE", "NETWORKDAYS", "WORKDAY", "DATEDIF", "DAYS360",
}


def builtin(name: str, lo: int = 0, hi: int = 255):
    def deco(maker):
        BUILTINS[name] = (lo, hi, maker)
        return maker

    return deco


#: what Python raises where Excel gives #NUM!: INT/TEXT of an infinite value (OverflowError), int() of a NaN
#: (ValueError), a Decimal operation out of range (decimal.InvalidOperation, an ArithmeticError)
_NUMERIC_FAULTS = (ArithmeticError, ValueError)


def scalar_fn(name: str, lo: int, hi: int):
    """A function of scalar arguments (implicit intersection; errors propagate)."""

    def deco(f):
        def maker(args):
            gets = [getattr(a, "vget", None) for a in args]
            if any(g is not None for g in gets):
                def one(a, g):
                    if g is None:
                        return lambda ctx, s, r, c: scalar(ctx, a(ctx, s, r, c), r, c)

                    def direct(ctx, s, r, c):
                        v = g(ctx, s, r, c)
                        if type(v) is XLError:
                            raise Err(v)
                        return v

                    return direct

                parts = [one(a, g) for a, g in zip(args, gets)]

                def fn(ctx, s, r, c):
                    try:
                        return f(*[p(ctx, s, r, c) for p in parts])
                    except _NUMERIC_FAULTS:
                        raise Err(NUM) from None

                return fn

            def fn(ctx, s, r, c):
                vals = [scalar(ctx, a(ctx, s, r, c), r, c) for a in args]
                try:
                    return f(*vals)
                except _NUMERIC_FAULTS:
                    raise Err(NUM) from None

            return fn

        BUILTINS[name] = (lo, hi, maker)
        return f

    return deco


def _numbers_in(ctx, x, strict_scalar: bool = True) -> list:
    """Numbers for SUM-like functions: references/arrays skip text, booleans and blanks; direct
    arguments are converted (text that is not a number is #VALUE!). Errors propagate (the first one in
    row order)."""
    if type(x) is Area:
        if x.r1 != x.r2 or x.c1 != x.c2:
            return ctx.area_numbers(x)
        x = [[ctx.cell_value(x.s, x.r1, x.c1)]]
    elif type(x) is not list:
        if x is MISSING:
            return []
        return [to_num(x)]
    return numbers_of([v for line in x for v in line])


def numbers_of(values) -> list:
    """The numbers among cell values, as SUM-like functions read a reference: floats and ints kept, texts,
    booleans and blanks skipped, the first error (in the values' order) raised."""
    out = []
    add = out.append
    for v in values:
        t = type(v)
        if t is float or t is int:
            add(v)
        elif t is XLError:
            raise Err(v)
    return out


def _agg(name, reducer, empty):
    def maker(args):
        pairs = [(a, getattr(a, "vget", None)) for a in args]

        def fn(ctx, s, r, c):
            nums = []
            for a, g in pairs:
                if g is not None:  # one cell: numbers count, text/booleans/blanks are skipped
                    v = g(ctx, s, r, c)
                    t = type(v)
                    if t is float or t is int:
                        nums.append(v)
                    elif t is XLError:
                        raise Err(v)
                    continue
                x = a(ctx, s, r, c)
                if type(x) is float:
                    nums.append(x)
                else:
                    nums.extend(_numbers_in(ctx, x))
            if not nums:
                if type(empty) is XLError:
                    raise Err(empty)
                return empty
            return reducer(nums)

        if len(pairs) == 2 and (reducer is min or reducer is max):
            # MIN(x, y) / MAX(x, y) of two numbers, the common case, without the list; anything else
            # (text, a range, an error, a blank) goes through fn above
            (a0, g0), (a1, g1) = pairs
            general = fn

            def fn(ctx, s, r, c):  # noqa: F811
                x = a0(ctx, s, r, c) if g0 is None else g0(ctx, s, r, c)
                if type(x) is float:
                    y = a1(ctx, s, r, c) if g1 is None else g1(ctx, s, r, c)
                    if type(y) is float:
                        return reducer(x, y)
                return general(ctx, s, r, c)

        return fn

    BUILTINS[name] = (1, 255, maker)


_agg("SUM", math.fsum, 0.0)
_agg("MIN", min, 0.0)
_agg("MAX", max, 0.0)
_agg("AVERAGE", lambda xs: math.fsum(xs) / len(xs), DIV0)
_agg("PRODUCT", math.prod, 0.0)


@builtin("COUNT", 1)
def _count(args):
    def fn(ctx, s, r, c):
        n = 0
        for a in args:
            x = a(ctx, s, r, c)
            if type(x) is Area or type(x) is list:
                n += sum(1 for v in _flat(deref(ctx, x)) if _is_num(v))
            elif x is not MISSING:
                try:
                    to_num(x)
                    n += 1
                except Err:
                    pass
        return float(n)

    return fn


@builtin("COUNTA", 1)
def _counta(args):
    def fn(ctx, s, r, c):
        n = 0
        for a in args:
            x = a(ctx, s, r, c)
            if type(x) is Area or type(x) is list:
                n += sum(1 for v in _flat(deref(ctx, x)) if v is not None)
            elif x is not MISSING:
                n += 1
        return float(n)

    return fn


@builtin("COUNTBLANK", 1, 1)
def _countblank(args):
    def fn(ctx, s, r, c):
        x = deref(ctx, args[0](ctx, s, r, c))
        return float(sum(1 for v in _flat(x) if v is None or v == ""))

    return fn


def _criterion(crit):
    """COUNTIF/SUMIF criterion → predicate (numbers, text with = <> < > <= >=; no wildcards)."""
    if type(crit) is str:
        m = re.match(r"^(<=|>=|<>|=|<|>)?(.*)$", crit, re.S)
        op, rest = m.group(1) or "=", m.group(2)
        if any(ch in rest for ch in "*?~"):
            raise Unsupported("jokertecken i villkor (COUNTIF/SUMIF) stöds inte av recalc")
        if rest == "" and op in ("=", "<>"):
            return (lambda v: v is None or v == "") if op == "=" else (lambda v: not (v is None or v == ""))
        try:
            target = float(rest)
        except ValueError:
            target = rest
    else:
        op, target = "=", crit
    if _is_num(target):
        return lambda v: _is_num(v) and compare(op, v, target)
    kind = type(target)
    return lambda v: type(v) is kind and compare(op, v, target)


@builtin("COUNTIF", 2, 2)
def _countif(args):
    def fn(ctx, s, r, c):
        rng = deref(ctx, args[0](ctx, s, r, c))
        pred = _criterion(scalar(ctx, args[1](ctx, s, r, c), r, c))
        return float(sum(1 for v in _flat(rng) if pred(v)))

    return fn


@builtin("SUMIF", 2, 3)
def _sumif(args):
    def fn(ctx, s, r, c):
        rng = deref(ctx, args[0](ctx, s, r, c))
        pred = _criterion(scalar(ctx, args[1](ctx, s, r, c), r, c))
        tot = deref(ctx, args[2](ctx, s, r, c)) if len(args) > 2 else rng
        crit = list(_flat(rng))
        vals = list(_flat(tot))
        out = 0.0
        for k, v in zip(crit, vals):
            if pred(k) and _is_num(v):
                out += v
        return out

    return fn


@builtin("SUMPRODUCT", 1)
def _sumproduct(args):
    def fn(ctx, s, r, c):
        arrays = []
        for a in args:
            v = deref(ctx, a(ctx, s, r, c))
            if type(v) is not list:
                v = [[v]]
            arrays.append(v)
        shape = (len(arrays[0]), len(arrays[0][0]))
        if any((len(x), len(x[0])) != shape for x in arrays):
            raise Err(VALUE)
        total = 0.0
        for i in range(shape[0]):
            for j in range(shape[1]):
                p = 1.0
                for x in arrays:
                    v = x[i][j]
                    if type(v) is XLError:
                        raise Err(v)
                    p *= v if _is_num(v) else 0.0
                total += p
        return total

    return fn


_ROUND_CONTEXT = Context(prec=800)  # a double has at most 767 significant digits: every quantize below is exact


def _round(x, digits, mode):
    """ROUND/ROUNDUP/ROUNDDOWN on the number as Excel shows it, to 15 significant digits (the double
    −3.9499999999999997 of ``-2.82-1.13`` is −3.95, so ``ROUNDDOWN(-2.82-1.13;2)`` is −3.95; the argument
    behaves as ``VALUE(x&"")``, docs/recalc.md), half away from zero. Digits beyond ±400 change nothing
    (``ROUND(B1;400)`` is B1, ``ROUND(B1;-400)`` is 0), as in Excel. Never −0: Excel has no negative
    zero (``ROUNDDOWN(-5;-1)`` is 0)."""
    x = to_num(x)
    if x - x != 0.0:
        raise Err(NUM)
    digits = max(-400, min(400, int(to_num(digits))))
    q = Decimal(1).scaleb(-digits)
    d = Decimal(format(float(x), ".15g"))
    ctx = _ROUND_CONTEXT
    return float(d.quantize(q, rounding=mode, context=ctx)) + 0.0 if digits >= 0 else float(
        ctx.multiply(ctx.divide(d, Decimal(10) ** -digits).quantize(Decimal(1), rounding=mode, context=ctx),
                     Decimal(10) ** -digits)
    ) + 0.0


scalar_fn("ROUND", 2, 2)(lambda x, d: _round(x, d, ROUND_HALF_UP))
scalar_fn("ROUNDUP", 2, 2)(lambda x, d: _round(x, d, ROUND_UP))
scalar_fn("ROUNDDOWN", 2, 2)(lambda x, d: _round(x, d, ROUND_DOWN))
scalar_fn("ABS", 1, 1)(lambda x: abs(to_num(x)))
scalar_fn("INT", 1, 1)(lambda x: float(math.floor(to_num(x))))
scalar_fn("SIGN", 1, 1)(lambda x: float((to_num(x) > 0) - (to_num(x) < 0)))
scalar_fn("N", 1, 1)(lambda x: x if _is_num(x) else (1.0 if x is True else 0.0))
scalar_fn("NOT", 1, 1)(lambda x: not to_bool(x))
scalar_fn("LEN", 1, 1)(lambda x: float(len(to_text(x))))
scalar_fn("UPPER", 1, 1)(lambda x: to_text(x).upper())
scalar_fn("LOWER", 1, 1)(lambda x: to_text(x).lower())
scalar_fn("TRIM", 1, 1)(lambda x: re.sub(" +", " ", to_text(x).strip(" ")))


def _char_count(n, least: int = 0) -> int:
    """A character count or position of LEFT/RIGHT/MID: below ``least`` is #VALUE! in Excel."""
    k = int(to_num(n))
    if k < least:
        raise Err(VALUE)
    return k


scalar_fn("LEFT", 1, 2)(lambda x, n=1.0: to_text(x)[: _char_count(n)])
scalar_fn("RIGHT", 1, 2)(lambda x, n=1.0: to_text(x)[max(0, len(to_text(x)) - _char_count(n)):] if _char_count(n) else "")
scalar_fn("MID", 3, 3)(lambda x, a, n: to_text(x)[_char_count(a, 1) - 1: _char_count(a, 1) - 1 + _char_count(n)])


@scalar_fn("NA", 0, 0)
def _na():
    raise Err(NA)


@scalar_fn("MOD", 2, 2)
def _mod(a, b):
    a, b = to_num(a), to_num(b)
    if b == 0:
        raise Err(DIV0)
    return a - b * math.floor(a / b)


@scalar_fn("DATE", 3, 3)
def _date(y, m, d):
    y, m, d = int(to_num(y)), int(to_num(m)), int(to_num(d))
    if 0 <= y < 1900:
        y += 1900
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    try:
        base = _dt.date(y, m, 1)
    except ValueError:
        raise Err(NUM) from None
    return float(date_to_serial(base) + d - 1)


scalar_fn("YEAR", 1, 1)(lambda x: float(serial_to_date(to_num(x)).year))
scalar_fn("MONTH", 1, 1)(lambda x: float(serial_to_date(to_num(x)).month))
scalar_fn("DAY", 1, 1)(lambda x: float(serial_to_date(to_num(x)).day))


def _add_months(d: _dt.date, months: int) -> _dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = [31, 29 if (year % 4 == 0 and (year % 100 or year % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return _dt.date(year, month, min(d.day, last))


@scalar_fn("EDATE", 2, 2)
def _edate(start, months):
    try:
        return float(date_to_serial(_add_months(serial_to_date(to_num(start)), int(to_num(months)))))
    except ValueError:
        raise Err(NUM) from None


@scalar_fn("EOMONTH", 2, 2)
def _eomonth(start, months):
    d = _add_months(serial_to_date(to_num(start)).replace(day=1), int(to_num(months)) + 1)
    return float(date_to_serial(d) - 1)


@builtin("TODAY", 0, 0)
def _today(args):
    return lambda ctx, s, r, c: float(date_to_serial(ctx.today()))


@builtin("IF", 1, 3)
def _if(args):
    cond = args[0]
    yes = args[1] if len(args) > 1 else (lambda ctx, s, r, c: True)
    no = args[2] if len(args) > 2 else (lambda ctx, s, r, c: False)

    def fn(ctx, s, r, c):
        v = cond(ctx, s, r, c)
        if type(v) is Area:
            v = deref(ctx, v) if v.single else scalar(ctx, v, r, c)
        if type(v) is list:
            return _elementwise(lambda x, _: _if_pick(ctx, s, r, c, x, yes, no), v, 0.0)
        branch = yes if to_bool(v) else no
        out = branch(ctx, s, r, c)
        return 0.0 if out is MISSING else out

    return fn


def _if_pick(ctx, s, r, c, x, yes, no):
    out = _value(ctx, (yes if to_bool(x) else no)(ctx, s, r, c))
    return scalar(ctx, out, r, c) if out is not MISSING else 0.0


@builtin("IFERROR", 2, 2)
def _iferror(args):
    a, alt = args

    def fn(ctx, s, r, c):
        try:
            v = a(ctx, s, r, c)
            if type(v) is Area and v.single:
                v = deref(ctx, v)
            if type(v) is XLError:
                raise Err(v)
            if type(v) is list:
                fallback = None
                out = []
                for line in v:
                    row = []
                    for x in line:
                        if type(x) is XLError:
                            if fallback is None:
                                fallback = scalar(ctx, _value(ctx, alt(ctx, s, r, c)), r, c)
                            x = fallback
                        row.append(x)
                    out.append(row)
                return out
            return v
        except Err:
            return alt(ctx, s, r, c)

    return fn


@builtin("IFNA", 2, 2)
def _ifna(args):
    a, alt = args

    def fn(ctx, s, r, c):
        try:
            v = a(ctx, s, r, c)
            if type(v) is Area and v.single:
                v = deref(ctx, v)
            if v is NA:
                raise Err(NA)
            return v
        except Err as e:
            if e.value is NA:
                return alt(ctx, s, r, c)
            raise

    return fn


def _logical(name, combine):
    def maker(args):
        def fn(ctx, s, r, c):
            vals = []
            for a in args:
                x = a(ctx, s, r, c)
                if type(x) is Area or type(x) is list:
                    for v in _flat(deref(ctx, x)):
                        if type(v) is XLError:
                            raise Err(v)
                        if type(v) is bool or _is_num(v):
                            vals.append(bool(v))
                elif x is not MISSING:
                    vals.append(to_bool(x))
            if not vals:
                raise Err(VALUE)
            return combine(vals)

        return fn

    BUILTINS[name] = (1, 255, maker)


_logical("AND", all)
_logical("OR", any)


def _is(name, pred, catch=False):
    def maker(args):
        def fn(ctx, s, r, c):
            try:
                x = args[0](ctx, s, r, c)
                if type(x) is Area:
                    x = ctx.cell_value(x.s, x.r1, x.c1) if x.single else scalar(ctx, x, r, c)
                elif type(x) is list:
                    x = x[0][0]
            except Err as e:
                if not catch:
                    raise
                x = e.value
            return pred(x)

        return fn

    BUILTINS[name] = (1, 1, maker)


_is("ISNUMBER", _is_num, True)
_is("ISTEXT", lambda v: type(v) is str, True)
_is("ISBLANK", lambda v: v is None, True)
_is("ISERROR", lambda v: type(v) is XLError, True)
_is("ISERR", lambda v: type(v) is XLError and v is not NA, True)
_is("ISNA", lambda v: v is NA, True)
_is("ISLOGICAL", lambda v: type(v) is bool, True)


@builtin("CONCATENATE", 1)
def _concatenate(args):
    def fn(ctx, s, r, c):
        return "".join(to_text(scalar(ctx, a(ctx, s, r, c), r, c)) for a in args)

    return fn


@builtin("CONCAT", 1)
def _concat(args):
    def fn(ctx, s, r, c):
        out = []
        for a in args:
            for v in _flat(deref(ctx, a(ctx, s, r, c))):
                out.append(to_text(v))
        return "".join(out)

    return fn


def _signed(spec: str, scale: float = 1.0, suffix: str = ""):
    """A number format of TEXT: the sign is the number's own, so a negative number that rounds to 0
    keeps its minus (``TEXT(-0,3;"0")`` is "-0" in Excel) and a zero is never "-0" (Excel has no
    negative zero: ``TEXT(ROUNDDOWN(-5;-1);"0.00")`` is "0.00")."""
    digits = int(spec[-2]) if spec[-1] == "f" and spec[-2].isdigit() else 0

    def fmt(x):
        y = _round(abs(x) * scale, digits, ROUND_HALF_UP)
        return ("-" if x < 0 else "") + format(y, spec) + suffix

    return fmt


def _date_text(x) -> str:
    """``TEXT(x;"yyyy-mm-dd")``: serial 0 is Excel's day 0 of January 1900 ("1900-01-00"), 60 its
    fictitious 1900-02-29; a negative serial or one after 9999-12-31 is #VALUE! (Excel cannot show
    it as a date; in a cell it shows #####, KB 182247)."""
    n = math.floor(x)
    if n < 0 or n > 2958465:
        raise Err(VALUE)
    if n == 0:
        return "1900-01-00"
    if n == 60:
        return "1900-02-29"
    return serial_to_date(n).isoformat()


_TEXT_FORMATS = {
    "0": _signed(".0f"),
    "0.00": _signed(".2f"),
    "#,##0": _signed(",.0f"),
    "#,##0.00": _signed(",.2f"),
    "0%": _signed(".0f", 100.0, "%"),
    "0.0%": _signed(".1f", 100.0, "%"),
    "0.00%": _signed(".2f", 100.0, "%"),
    "YYYY-MM-DD": _date_text,
    "ÅÅÅÅ-MM-DD": _date_text,
    "GENERAL": num_text,
    "@": num_text,
}


@scalar_fn("TEXT", 2, 2)
def _text(value, fmt):
    f = _TEXT_FORMATS.get(to_text(fmt).upper())
    if f is None:
        raise Unsupported(f"TEXT med formatet \"{to_text(fmt)}\" stöds inte av recalc")
    if type(value) is str:
        try:
            value = to_num(value)
        except Err:
            return value
    return f(to_num(value))


@builtin("ROW", 0, 1)
def _row(args):
    def fn(ctx, s, r, c):
        if not args:
            return float(r)
        x = args[0](ctx, s, r, c)
        if type(x) is not Area:
            raise Err(VALUE)
        return float(x.r1)

    return fn


@builtin("COLUMN", 0, 1)
def _column(args):
    def fn(ctx, s, r, c):
        if not args:
            return float(c)
        x = args[0](ctx, s, r, c)
        if type(x) is not Area:
            raise Err(VALUE)
        return float(x.c1)

    return fn


def _dims(ctx, x):
    if type(x) is list:
        return len(x), len(x[0])
    return 1, 1


@builtin("ROWS", 1, 1)
def _rows(args):
    def fn(ctx, s, r, c):
        x = args[0](ctx, s, r, c)
        if type(x) is Area:
            return float(x.r2 - x.r1 + 1)
        return float(_dims(ctx, x)[0])

    return fn


@builtin("COLUMNS", 1, 1)
def _columns(args):
    def fn(ctx, s, r, c):
        x = args[0](ctx, s, r, c)
        if type(x) is Area:
            return float(x.c2 - x.c1 + 1)
        return float(_dims(ctx, x)[1])

    return fn


@builtin("INDEX", 2, 3)
def _index(args):
    def fn(ctx, s, r, c):
        x = args[0](ctx, s, r, c)
        i = args[1](ctx, s, r, c)
        i = 0 if i is MISSING else int(to_num(scalar(ctx, i, r, c)))
        j = args[2](ctx, s, r, c) if len(args) > 2 else MISSING
        j = 0 if j is MISSING else int(to_num(scalar(ctx, j, r, c)))
        if type(x) is Area:
            nr, nc = x.r2 - x.r1 + 1, x.c2 - x.c1 + 1
        else:
            if type(x) is not list:
                x = [[x]]
            nr, nc = len(x), len(x[0])
        if len(args) == 2 and (nr == 1 or nc == 1) and nr * nc > 1:
            # one-dimensional: the single index runs along the vector
            if nr == 1:
                i, j = 1, i
        if i < 0 or j < 0 or i > nr or j > nc:
            raise Err(REF)
        if type(x) is Area:
            r1, r2 = (x.r1, x.r2) if i == 0 else (x.r1 + i - 1, x.r1 + i - 1)
            c1, c2 = (x.c1, x.c2) if j == 0 else (x.c1 + j - 1, x.c1 + j - 1)
            if j == 0 and nc == 1:
                c1 = c2 = x.c1
            return Area(x.s, r1, c1, r2, c2)
        if i == 0 and j == 0:
            return x
        if i == 0:
            return [[line[j - 1]] for line in x]
        if j == 0:
            return [list(x[i - 1])] if nc > 1 else x[i - 1][0]
        return x[i - 1][j - 1]

    return fn


def _lookup_match(v, target):
    if type(target) is str:
        return type(v) is str and v.upper() == target.upper()
    if _is_num(target):
        return _is_num(v) and v == target
    return v == target


@builtin("MATCH", 2, 3)
def _match(args):
    def fn(ctx, s, r, c):
        target = scalar(ctx, args[0](ctx, s, r, c), r, c)
        arr = deref(ctx, args[1](ctx, s, r, c))
        mode = args[2](ctx, s, r, c) if len(args) > 2 else MISSING
        mode = 1 if mode is MISSING else int(to_num(scalar(ctx, mode, r, c)))
        if type(arr) is not list:
            arr = [[arr]]
        if len(arr) > 1 and len(arr[0]) > 1:
            raise Err(NA)
        vec = [line[0] for line in arr] if len(arr[0]) == 1 else list(arr[0])
        return float(_match_pos(vec, target, mode))

    return fn


def _match_pos(vec, target, mode) -> int:
    if mode == 0:
        if type(target) is str and any(ch in target for ch in "*?~"):
            raise Unsupported("jokertecken i MATCH/VLOOKUP stöds inte")
        for k, v in enumerate(vec, 1):
            if _lookup_match(v, target):
                return k
        raise Err(NA)
    best = None
    key = _cmp_key(target)
    for k, v in enumerate(vec, 1):
        if v is None or type(v) is XLError or _cmp_key(v)[0] != key[0]:
            continue
        if (mode > 0 and _cmp_key(v) <= key) or (mode < 0 and _cmp_key(v) >= key):
            best = k
        else:
            break
    if best is None:
        raise Err(NA)
    return best


@builtin("VLOOKUP", 3, 4)
def _vlookup(args):
    def fn(ctx, s, r, c):
        target = scalar(ctx, args[0](ctx, s, r, c), r, c)
        table = deref(ctx, args[1](ctx, s, r, c))
        col = int(to_num(scalar(ctx, args[2](ctx, s, r, c), r, c)))
        approx = args[3](ctx, s, r, c) if len(args) > 3 else MISSING
        approx = True if approx is MISSING else to_bool(scalar(ctx, approx, r, c))
        if type(table) is not list:
            table = [[table]]
        if col < 1:
            raise Err(VALUE)
        if col > len(table[0]):
            raise Err(REF)
        pos = _match_pos([line[0] for line in table], target, 1 if approx else 0)
        v = table[pos - 1][col - 1]
        return 0.0 if v is None else v

    return fn
