"""Writes to the security log (accounts.SecurityEvent) and reads it for the log page."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from kundenbild.accounts.models import SecurityEvent, SecurityEventKind, User


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as axes determined it (so that the log and the lockout agree
    behind a proxy), else REMOTE_ADDR; None for anything that is not an IP address, which
    PostgreSQL's inet column would refuse."""
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _acting_user(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None


def record_security_event(
    kind: SecurityEventKind,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Log one event; the user defaults to the request's (a session or an API token),
    the username to the user's own."""
    actor = user or _acting_user(request)
    return SecurityEvent.objects.create(
        kind=kind,
        user=actor,
        username=(username or (actor.username if actor else ""))[:150],
        ip_address=client_address(request),
        detail=detail or {},
    )


def security_event_list(kind: str = "") -> QuerySet[SecurityEvent]:
    """The newest events first, of one kind if a known kind is given."""
    events = SecurityEvent.objects.select_related("user").order_by("-created_at", "-pk")
    if kind in SecurityEventKind.values:
        events = events.filter(kind=kind)
    return events
