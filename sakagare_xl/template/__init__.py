"""The template workbook: build it (XlsxWriter, deterministic) and read a filled one back.

See ``docs/template.md``. :func:`read_arende` turns a filled workbook into an
:class:`~sakagare_xl.engine.model.Arende` (``sakagare-xl berakna arbetsbok.xlsx``).
"""

from __future__ import annotations

from typing import Any


def read_arende(path: Any) -> Any:
    """See :func:`sakagare_xl.template.reader.read_arende`."""
    from .reader import read_arende as _read

    return _read(path)


def build(target: Any, fall: Any = None) -> None:
    """See :func:`sakagare_xl.template.builder.build`."""
    from .builder import build as _build

    _build(target, fall)


__all__ = ["read_arende", "build"]
