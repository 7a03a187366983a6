"""What every API module shares: the error schema, input hygiene, the acting user."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field, field_validator

from kundenbild.accounts.models import User
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


def acting_user(request: HttpRequest) -> User:
    """The user the bearer token or session authenticated (set by the API's auth classes)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionError("request without an authenticated user")
    return user
