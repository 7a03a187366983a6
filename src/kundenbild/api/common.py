"""What every API module shares: the error schema, input hygiene, the acting user."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Schema
from pydantic import field_validator

from kundenbild.accounts.models import User


class ErrorOut(Schema):
    code: str
    detail: str
    fields: dict[str, list[str]] | None = None


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class InputSchema(Schema):
    """Refuses NUL characters anywhere: PostgreSQL cannot store them, so say so clearly."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            raise ValueError(gettext("Text must not contain NUL characters."))
        return value


def acting_user(request: HttpRequest) -> User:
    """The user the bearer token or session authenticated (set by the API's auth classes)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionError("request without an authenticated user")
    return user
