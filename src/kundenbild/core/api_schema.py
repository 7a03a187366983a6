"""What every app's API module shares: the error schema, bounded ids and years, and input
hygiene. In core, below every app, so an app's api.py never imports the API's assembly
(`kundenbild.api`), which imports it."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field, field_validator

from kundenbild.core.numbers import MAX_ID


class ErrorOut(Schema):
    code: str
    detail: str
    fields: dict[str, list[str]] | None = None


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An object's id in a query parameter: a larger number names nothing (422, not a 500)."""
Year = Annotated[int, Field(ge=1, le=9999)]


class InputSchema(Schema):
    """Refuses NUL characters anywhere: PostgreSQL cannot store them, so say so clearly.
    Refuses whole numbers beyond a 64-bit integer: no id or count in the database holds
    them, and SQLite would fail on them with a server error."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            raise ValueError(gettext("Text must not contain NUL characters."))
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _fits_the_database(cls, value: object) -> object:
        numbers = value if isinstance(value, list | tuple | set) else [value]
        if any(isinstance(n, int) and abs(n) > MAX_ID for n in numbers):
            raise ValueError(gettext("The number is too large."))
        return value
