"""Login for every page, and each user's own language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _accepted_language(header: str) -> str | None:
    """The first supported language of an Accept-Language header (API clients use it)."""
    for code, _quality in parse_accept_lang_header(header):
        base = code.split("-")[0].lower()
        if base in SUPPORTED:
            return base
    return None


class UserLanguageMiddleware:
    """German by default; a logged-in user's choice, else the language cookie, wins.

    The browser's Accept-Language is ignored for pages: the product is German first, and
    a user switches to English once, in their settings or on the login page. API clients
    may ask for a language with Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = settings.LANGUAGE_CODE
        if user is not None and user.is_authenticated:
            language = user.language
        else:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if cookie in SUPPORTED:
                language = cookie
        if request.path_info.startswith("/api/"):
            language = _accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "")) or language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-required middleware, except for the API, which answers 401 itself.

    The docs page is for people: without a session it sends them to the login page. The
    schema (openapi.json) is for programs too and checks a session or a token itself
    (api.auth.session_or_token).
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/") and not request.path_info.startswith("/api/docs"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
