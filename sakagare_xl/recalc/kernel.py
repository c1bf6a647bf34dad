"""Generated Python per formula shape for the common case: numbers in, a number out.

A compiled formula (:mod:`.formula`) is a tree of closures, one call per operator, reference and
function; down a column of 1 000 ``=MIN(E8,D8+G8)`` that is some 5 000 Python calls. For a shape made
only of number literals, single-cell references on the formula's own sheet, ``+``, ``-``, ``*``,
parentheses, ``MIN``/``MAX`` of two arguments and our functions that have a direct path for numbers
(:mod:`.fast`), the shape is also turned into one small Python function (a *kernel*), generated once
per shape, that reads the cells straight from the sheet's value dict and computes the result inline.

A kernel is only a shortcut, never a second semantics: it returns the formula's value when every cell it
reads holds a float and every step gives a finite float, computed exactly as the closures compute it
(the same operators in the same order, ``MIN(x, y)`` as Python's ``min(x, y)``, the same direct path
for our functions); in every other case (a blank, a text, an error, a reference off the sheet, an
overflow, a direct path that declines) it returns ``None`` and the caller evaluates the closure tree,
which gives the value or the error as before. Reads have no side effects, so evaluating again is exact.

>>> k = kernel_factory("MIN(E9,D9+G9)", 9, 8)
>>> f = k[0]()
>>> f({(10, 5): 7.0, (10, 4): 2.0, (10, 7): 3.0}.get, 10, 8)
5.0
>>> f({(10, 5): 7.0, (10, 4): "x", (10, 7): 3.0}.get, 10, 8) is None
True
"""

from __future__ import annotations

import math

from .cells import MAX_COL, MAX_ROW
from .formula import (
    _BUILTIN_PREFIXES,
    _INFIX_PREC,
    BUILTINS,
    UNSUPPORTED_BUILTINS,
    RefTemplate,
    Token,
    Tokenizer,
    builtin_name,
    parse_reference,
    udf_candidates,
)

_OPS = ("+", "-", "*")


class _No(Exception):
    """The shape has something a kernel does not do: the closures alone evaluate it."""


class _Gen:
    def __init__(self, formula: str, row: int, col: int):
        tokens = Tokenizer("=" + formula).items
        if any(t.type == Token.WSPACE for t in tokens):
            raise _No
        self.t = tokens
        self.i = 0
        self.row, self.col = row, col
        self.lines: list[str] = []
        self.n = 0
        self.udfs: list[tuple[str, tuple]] = []
        self.steps = 0  # operators and functions
        # the (row, col) of a formula cell for which every relative reference stays on the sheet
        self.rlo, self.rhi, self.clo, self.chi = 1, MAX_ROW, 1, MAX_COL

    def var(self) -> str:
        self.n += 1
        return f"x{self.n}"

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self):
        if self.i >= len(self.t):
            raise _No
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expr(self, min_prec: int) -> str:  # as formula._Parser.expr, for + - * only
        lhs = self.primary()
        while True:
            tok = self.peek()
            if tok is None or tok.type != Token.OP_IN:
                return lhs
            op = tok.value
            if op not in _OPS:
                raise _No
            prec = _INFIX_PREC[op]
            if prec < min_prec:
                return lhs
            self.take()
            rhs = self.expr(prec + 1)
            v = self.var()
            self.steps += 1
            self.lines.append(f"{v} = {lhs} {op} {rhs}")
            self.lines.append(f"if {v} - {v} != 0.0: return None")  # overflow: the closure raises #NUM!
            lhs = v

    def primary(self) -> str:
        tok = self.take()
        if tok.type == Token.OPERAND:
            return self.operand(tok)
        if tok.type == Token.PAREN and tok.subtype == Token.OPEN:
            inner = self.expr(0)
            close = self.take()
            if close.type != Token.PAREN or close.subtype != Token.CLOSE:
                raise _No
            return inner
        if tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            return self.call(tok.value[:-1])
        raise _No  # a prefix/postfix operator, an array constant, …

    def operand(self, tok) -> str:
        if tok.subtype == Token.NUMBER:
            x = float(tok.value)
            if not math.isfinite(x):
                raise _No
            return repr(x)
        if tok.subtype != Token.RANGE:
            raise _No
        try:
            ref = parse_reference(tok.value, self.row, self.col)
        except Exception:  # noqa: BLE001 - anything the parser refuses: no kernel
            raise _No from None
        if (type(ref) is not RefTemplate or ref.sheet is not None or ref.r1 != ref.r2 or ref.c1 != ref.c2
                or ref.r1abs != ref.r2abs or ref.c1abs != ref.c2abs):
            raise _No
        if ref.r1abs:
            if not 1 <= ref.r1 <= MAX_ROW:
                raise _No
            rk = str(ref.r1)
        else:
            self.rlo = max(self.rlo, 1 - ref.r1)
            self.rhi = min(self.rhi, MAX_ROW - ref.r1)
            rk = f"r + {ref.r1}" if ref.r1 > 0 else (f"r - {-ref.r1}" if ref.r1 else "r")
        if ref.c1abs:
            if not 1 <= ref.c1 <= MAX_COL:
                raise _No
            ck = str(ref.c1)
        else:
            self.clo = max(self.clo, 1 - ref.c1)
            self.chi = min(self.chi, MAX_COL - ref.c1)
            ck = f"c + {ref.c1}" if ref.c1 > 0 else (f"c - {-ref.c1}" if ref.c1 else "c")
        v = self.var()
        self.lines.append(f"{v} = get(({rk}, {ck}))")
        self.lines.append(f"if type({v}) is not float: return None")
        return v

    def args(self) -> list[str]:
        out = []
        while True:
            out.append(self.expr(0))
            tok = self.take()
            if tok.type == Token.FUNC and tok.subtype == Token.CLOSE:
                return out
            if not (tok.type == Token.SEP and tok.subtype == Token.ARG):
                raise _No

    def call(self, raw: str) -> str:
        if ":" in raw:
            raise _No
        args = self.args()
        bname = builtin_name(raw)
        v = self.var()
        self.steps += 1
        if bname in BUILTINS:
            if bname not in ("MIN", "MAX") or len(args) != 2:
                raise _No
            x, y = args  # min(x, y) is x unless y < x; max(x, y) is x unless y > x
            self.lines.append(f"{v} = {y} if {y} {'<' if bname == 'MIN' else '>'} {x} else {x}")
            return v
        if bname in UNSUPPORTED_BUILTINS or raw.upper().startswith(_BUILTIN_PREFIXES):
            raise _No
        k = len(self.udfs)
        self.udfs.append((raw, udf_candidates(raw)))
        self.lines.append(f"{v} = F{k}([{', '.join(args)}])")
        self.lines.append(f"if type({v}) is not float or {v} - {v} != 0.0: return None")
        return v

    def source(self) -> str:
        result = self.expr(0)
        if self.i != len(self.t) or not self.steps:
            raise _No  # (a bare reference or number: no computation to save)
        if self.rlo > self.rhi or self.clo > self.chi:
            raise _No
        params = ", ".join(f"F{k}" for k in range(len(self.udfs)))
        body = "\n".join("        " + line for line in self.lines)
        return (f"def make({params}):\n"
                f"    def kernel(get, r, c):\n"
                f"        if not ({self.rlo} <= r <= {self.rhi} and {self.clo} <= c <= {self.chi}): return None\n"
                f"{body}\n"
                f"        if {result} - {result} != 0.0: return None\n"
                f"        return {result}\n"
                f"    return kernel\n")


def kernel_factory(formula: str, row: int, col: int):
    """``(make, udfs)`` for the shape of ``formula`` at (row, col), or ``None`` when it has no kernel:
    ``make(*fast)`` gives the kernel ``kernel(get, r, c)`` once each of ``udfs`` (spelling, candidates)
    is bound to its direct function."""
    try:
        gen = _Gen(formula, row, col)
        src = gen.source()
    except _No:
        return None
    except Exception:  # noqa: BLE001 - a formula the tokenizer refuses: the closures report it
        return None
    scope: dict = {}
    exec(compile(src, f"<kernel {formula}>", "exec"), scope)  # noqa: S102 - our own generated source
    return scope["make"], tuple(gen.udfs)
