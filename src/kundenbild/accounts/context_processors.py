"""Values every template needs: the demo flag and the user's capabilities."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kundenbild.accounts.capabilities import capabilities_of


def kundenbild(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "KUNDENBILD_DEMO": settings.KUNDENBILD_DEMO,
        "caps": capabilities_of(user) if user is not None else frozenset(),
    }
