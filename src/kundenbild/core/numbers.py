"""The range of whole numbers the database can hold as an id, and how a value too large
for the database is recognised.

Every primary key is a BigAutoField: a signed 64-bit integer. A larger number can never
name an object, and handed to the database it fails differently per engine (SQLite
raises OverflowError, PostgreSQL compares it as numeric or refuses it on insert).
"""

from __future__ import annotations

from django.db import DataError
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1
DOES_NOT_FIT = _("A number or text is too large for the database.")


def too_large_for_an_id(text: str) -> bool:
    """Whether the text is a whole number (sign allowed) beyond a 64-bit integer."""
    digits = text.strip().removeprefix("-").removeprefix("+")
    return digits.isascii() and digits.isdigit() and int(digits) > MAX_ID


def id_from_text(text: str | None) -> int | None:
    """The id a query parameter names, or None where it is no id at all (empty, not a
    whole number, or too large): pages ignore such a value, as they do any unknown one."""
    value = (text or "").strip()
    if not (value.isascii() and value.isdigit()) or too_large_for_an_id(value):
        return None
    return int(value)


def does_not_fit_the_database(error: BaseException) -> bool:
    """Whether the database refused a value as too large: SQLite's driver raises
    OverflowError for integers beyond 64 bits, PostgreSQL a DataError (numeric out of
    range, text too long). Both are bad input, not a fault of the server."""
    return isinstance(error, OverflowError | DataError)
