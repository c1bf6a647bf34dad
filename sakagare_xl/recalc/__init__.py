"""Headless recalculation of saved workbooks: ``sakagare-xl recalc``. See docs/recalc.md."""
