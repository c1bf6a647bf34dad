"""One exception hierarchy for every error a user can see.

Every message is Swedish and names the field (or cell) and what was expected.
Modelled on python-stdnum's ``ValidationError`` family: catch
:class:`SakagareError` to catch them all.

>>> try:
...     raise OgiltigtBelopp("kapital", "-100", "fordran A")
... except SakagareError as exc:
...     print(exc)
Fel i fordran A, fältet 'kapital': beloppet får inte vara negativt (-100).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal


def visa(value: object) -> str:
    """A value as the user wrote it, for an error message; never Python's repr of a container.

    >>> visa("tio"), visa(Decimal("-5")), visa(_dt.datetime(2023, 1, 1, 10, 0)), visa([1, 2]), visa(None)
    ("'tio'", '-5', '2023-01-01 10:00', 'en lista med 2 värden', 'ett tomt värde')
    """
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return "sant" if value else "falskt"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, dict):
        return "en tabell"
    if isinstance(value, (list, tuple)):
        return f"en lista med {len(value)} värden"
    return f"ett värde av typen {type(value).__name__}"


class SakagareError(ValueError):
    """Base class of every error the engine (and the layers above it) raise.

    ``field`` names the input field (or cell) the error is about, ``where``
    the object it belongs to (``"fordran A"``, ``"inskrivning P2004"``).
    """

    def __init__(self, message: str, field: str | None = None, where: str | None = None):
        self.field = field
        self.where = where
        self.detail = message
        prefix = "Fel"
        if where and field:
            prefix = f"Fel i {where}, fältet '{field}'"
        elif field:
            prefix = f"Fel i fältet '{field}'"
        elif where:
            prefix = f"Fel i {where}"
        super().__init__(f"{prefix}: {message}")


class OgiltigtVarde(SakagareError):
    """A value of the wrong kind: text where a number belongs, an unknown choice."""


class OgiltigtBelopp(OgiltigtVarde):
    """A negative, non-numeric or non-finite amount."""

    def __init__(self, field: str, value: object, where: str | None = None, reason: str | None = None):
        reason = reason or f"beloppet får inte vara negativt ({value})"
        super().__init__(f"{reason}.", field, where)
        self.value = value


class OgiltigtDatum(OgiltigtVarde):
    """A missing, malformed or impossible date, or dates in the wrong order."""


class SaknatVarde(SakagareError):
    """A required input is missing."""


class OkandReferens(SakagareError):
    """A reference (pantbrev id, fordran id) that does not exist or is of the wrong kind."""


class DubbletteId(SakagareError):
    """Two objects with the same id."""


class MotstridigaUppgifter(SakagareError):
    """Inputs that cannot all be true: two exekutionsfordringar, a pantbrev pledged first-hand to two creditors."""


class ReferensrantaSaknas(SakagareError):
    """No referensränta for a day: outside the shipped table, or not given. See JB 6 kap. 3 §."""
