"""Error pages in the product's look, with a message in the user's language; under /api/
the same errors as JSON with a code, as the API's own handlers give them, so that a
client never has to parse an HTML page (an unknown API address, a failure in middleware)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def error_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The error page, or under /api/ the JSON every API error has."""
    if _api(request):
        return JsonResponse({"code": code, "detail": message}, status=status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("The request is not valid.")
    return error_response(request, 400, "bad_request", message)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("You do not have permission to see this page.")
    return error_response(request, 403, "permission_denied", message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return error_response(request, 404, "not_found", _("This address does not exist."))
    message = _("This page does not exist. Perhaps the link is outdated.")
    return error_response(request, 404, "not_found", message)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        message = _("Something went wrong on the server; it has been logged.")
        return JsonResponse({"code": "server_error", "detail": message}, status=500)
    template = loader.get_template("core/error_500.html")
    return HttpResponse(template.render({}), status=500)
