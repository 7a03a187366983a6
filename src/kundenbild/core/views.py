"""Shared view plumbing: the typed request of a logged-in user, the home redirect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from kundenbild.accounts.models import User

    class AuthenticatedRequest(HttpRequest):
        user: User
else:
    AuthenticatedRequest = HttpRequest
