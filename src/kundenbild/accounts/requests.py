"""Who is asking: the typed request of a signed-in user on a page, and the user an API call
authenticated. Here, in accounts, because both name the User model, and every app's views
and API need them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from kundenbild.accounts.models import User

if TYPE_CHECKING:

    class AuthenticatedRequest(HttpRequest):
        user: User
else:
    AuthenticatedRequest = HttpRequest


def acting_user(request: HttpRequest) -> User:
    """The user the bearer token or session authenticated (set by the API's auth classes)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionError("request without an authenticated user")
    return user
