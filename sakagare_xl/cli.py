"""The ``sakagare-xl`` command. Each sub-command lives in its own module with
``register(subparsers)``; heavy imports happen inside the sub-command's run function."""

from __future__ import annotations

import argparse
import errno
import gc
import importlib
import os
import sys

from . import __version__

#: sub-command modules, in the order ``--help`` lists them
SUBCOMMANDS = (
    "sakagare_xl.berakna_cli",
    "sakagare_xl.template.cli",
    "sakagare_xl.recalc.cli",
    "sakagare_xl.tabell.cli",
    "sakagare_xl.doctor",
)

#: the name each sub-command module registers: ``sakagare-xl recalc …`` imports the recalc module only (the
#: others import the engine, the table functions and more, which a batch of 20-row workbooks would wait for)
COMMANDS = {
    "berakna": "sakagare_xl.berakna_cli",
    "mall": "sakagare_xl.template.cli",
    "recalc": "sakagare_xl.recalc.cli",
    "sammanstall": "sakagare_xl.tabell.cli",
    "kontrollera": "sakagare_xl.doctor",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``command`` (a sub-command's name, the first argument), one with that
    sub-command only, which parses its arguments and words its help and errors the same way."""
    parser = argparse.ArgumentParser(
        prog="sakagare-xl",
        description="Sakägarförteckning, tillägg (JB 6:3), skyddsbelopp och fördelning.",
    )
    parser.add_argument("--version", action="version", version=f"sakagare-xl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    names = (COMMANDS[command],) if command in COMMANDS else SUBCOMMANDS
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a sub-command not installed in this build
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


#: ``True`` once :func:`main` runs as the program (``sakagare-xl``, ``python -m sakagare_xl``: no ``argv`` given)
_PROGRAM = False


class imports_without_gc:
    """``with imports_without_gc(): import …``: the cyclic garbage collector paused while modules are imported,
    and restored as it was afterwards. In the program (not when a caller runs :func:`main` in its own process)
    what was imported is then frozen (:func:`gc.freeze`): the modules' classes, functions and tables, tens of
    thousands of objects that live as long as the process, are left out of every later collection instead of
    being walked again by each (5–15 ms of collections in a recalc of 50 small workbooks, ~1 ms frozen)."""

    def __enter__(self):
        self._was = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc) -> None:
        if _PROGRAM:
            gc.freeze()
        if self._was:
            gc.enable()


class _PipeSafe:
    """stdout for a sub-command: a reader that stops early (``sakagare-xl berakna … | head -1``) ends the
    output, not the command (recalc still finishes its files and its report, without a BrokenPipeError),
    and a text that cannot be encoded (a lone surrogate in a file name) is written escaped (``\\udc80``)."""

    def __init__(self, stream):
        self._stream = stream
        self.broken = False
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot be reconfigured
                pass

    def _guard(self, op, *args):
        if self.broken:
            return None
        try:
            return op(*args)
        except OSError as exc:
            if not isinstance(exc, BrokenPipeError) and exc.errno not in (errno.EPIPE, errno.EINVAL):
                raise
            self.broken = True
            try:  # later writes, and the flush at exit, go nowhere instead of raising again
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, self._stream.fileno())
                os.close(devnull)
            except (OSError, ValueError, AttributeError):
                pass
            return None

    def write(self, text: str) -> int:
        self._guard(self._stream.write, text)
        return len(text)

    def flush(self) -> None:
        self._guard(self._stream.flush)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    global _PROGRAM
    if argv is None:
        _PROGRAM = True
        argv = sys.argv[1:]
    with imports_without_gc():
        parser = build_parser(argv[0] if argv else None)
        args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    stdout = sys.stdout
    sys.stdout = safe = _PipeSafe(stdout)
    try:
        rc = int(args.func(args) or 0)
        safe.flush()
        return rc
    finally:
        sys.stdout = stdout


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
