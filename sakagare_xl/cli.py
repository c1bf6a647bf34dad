"""The ``sakagare-xl`` command. Each sub-command lives in its own module with
``register(subparsers)``; heavy imports happen inside the sub-command's run function."""

from __future__ import annotations

import argparse
import importlib
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sakagare-xl",
        description="Sakägarförteckning, tillägg (JB 6:3), skyddsbelopp och fördelning.",
    )
    parser.add_argument("--version", action="version", version=f"sakagare-xl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a sub-command not installed in this build
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
