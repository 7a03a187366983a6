"""Turns refusals raised by services and permission checks into proper pages, refuses
numbers no database id can hold, and sets the Content-Security-Policy on every response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kundenbild.core.errors import ApplicationError
from kundenbild.core.errorviews import error_response
from kundenbild.core.numbers import DOES_NOT_FIT, does_not_fit_the_database, too_large_for_an_id


class ApplicationErrorMiddleware:
    """Refusals become the error page with their status and message; so does input the
    database cannot hold (a number beyond its integers, a text beyond its columns), which
    no form or parameter check may let through to a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path_info.startswith("/api/"):
            return None
        if does_not_fit_the_database(exception):
            return error_response(request, 400, "invalid", str(DOES_NOT_FIT))
        if not isinstance(exception, ApplicationError):
            return None
        return render(
            request,
            "core/error.html",
            {"status": exception.status, "message": exception.message},
            status=exception.status,
        )


def content_security_policy(directives: dict[str, list[str]]) -> str:
    """The header value of a policy given as directive -> sources."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sends the policy in settings.CONTENT_SECURITY_POLICY with every response.

    Why our own ten lines and not django-csp: the policy is one fixed string (every script
    is an external file, so no nonces are needed), and Django 5.2 has no built-in CSP yet.
    A view that sets its own policy keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.header = content_security_policy(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


class OversizedNumberMiddleware:
    """Answers 404 for an address whose id no database integer can hold.

    A 20-digit `/customers/<id>/` used to reach the database, where SQLite overflows (a
    500) and PostgreSQL compares it as numeric. Checking the address once, here, covers
    every page, export and endpoint, those to come included. It runs after the login
    check (anonymous pages still go to the login; the API still answers 401 to a request
    without credentials). Query parameters are checked where they are read (the API's
    `Id` and `Year` types, `core.numbers.id_from_text` in views), bodies by the API's
    input schemas, and whatever slips through becomes a 400/422, never a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        api = request.path_info.startswith("/api/")
        if api and not (request.user.is_authenticated or "authorization" in request.headers):
            return None
        if any(too_large_for_an_id(part) for part in request.path_info.split("/")):
            return error_response(request, 404, "not_found", _("This object does not exist."))
        return None
