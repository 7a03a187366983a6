"""Shared view plumbing: the typed request of a logged-in user, the home redirect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

if TYPE_CHECKING:
    from kundenbild.accounts.models import User

    class AuthenticatedRequest(HttpRequest):
        user: User
else:
    AuthenticatedRequest = HttpRequest


def home(request: HttpRequest) -> HttpResponse:
    return redirect("customers:customer-list")
