"""sakagare_xl: the Swedish sakägarförteckning, tillägg (JB 6:3), skyddsbelopp and fördelning,
as a pure Python engine (:mod:`sakagare_xl.engine`), Excel functions through xlwings
(:mod:`sakagare_xl.udfs`), a template workbook and headless batch recalculation."""

__version__ = "0.1.0"
