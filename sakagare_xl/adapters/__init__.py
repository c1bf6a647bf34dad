"""Pure adapters between Excel-shaped values and the engine (no xlwings here).

* :mod:`.values`: coercion of single cell values (numbers, dates, booleans, ranges);
* :mod:`.omrade`: the range parser (``docs/layout.md``) → :class:`~sakagare_xl.engine.model.Arende`;
* :mod:`.functions`: one pure function per Excel function and the registry ``FUNCTIONS``.
"""
