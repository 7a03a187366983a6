"""Bearer tokens for programs, the session for the browser (docs page, htmx)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from kundenbild.accounts.models import User
from kundenbild.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; CSRF is checked for unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def unauthenticated(request: HttpRequest) -> HttpResponse:
    """The API's 401 answer, as main.on_unauthenticated gives it for the endpoints."""
    body = {
        "code": "unauthenticated",
        "detail": _("Authentication required: send a valid API token."),
    }
    return JsonResponse(body, status=401)


def session_or_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs_decorator for the schema and the docs page: a logged-in browser or a program
    with a valid token may read them, so that clients can generate code from the schema.

    Everybody else gets the API's 401 JSON. (The docs page never gets here anonymously:
    accounts.middleware sends a browser without a session to the login page first.)
    """

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if SessionAuth().authenticate(request, None) is not None:
            return view(request, *args, **kwargs)
        if BearerToken()(request) is not None:
            return view(request, *args, **kwargs)
        return unauthenticated(request)

    return checked
