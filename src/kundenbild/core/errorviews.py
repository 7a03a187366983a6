"""Error pages in the product's look, with a message in the user's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("You do not have permission to see this page.")
    return render(request, "core/error.html", {"status": 403, "message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("This page does not exist. Perhaps the link is outdated.")
    return render(request, "core/error.html", {"status": 404, "message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("core/error_500.html")
    return HttpResponse(template.render({}), status=500)
