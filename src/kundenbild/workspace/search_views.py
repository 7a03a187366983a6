"""The global search: the top bar's suggestions as one types, and the results page.

The page works without JavaScript (the top bar's box is a plain GET form); the
suggestions are the same search with fewer rows per kind, fetched by htmx into the
dropdown. With an empty box both show the customers the user opened last.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.profile.recent import recent_customers
from kundenbild.workspace.search import (
    MAX_LENGTH,
    PAGE_LIMIT,
    SUGGESTION_LIMIT,
    search_everything,
)


def _text(request: AuthenticatedRequest) -> str:
    return request.GET.get("q", "")[:MAX_LENGTH].strip()


def search_view(request: AuthenticatedRequest) -> HttpResponse:
    text = _text(request)
    context = {
        "results": search_everything(user=request.user, text=text, limit=PAGE_LIMIT),
        "limit": PAGE_LIMIT,
        "recent": [] if text else recent_customers(request.session),
        "search_text": text,
    }
    return render(request, "workspace/search.html", context)


def search_suggestions_view(request: AuthenticatedRequest) -> HttpResponse:
    """The dropdown's options: matches as one types, or the recently opened customers."""
    text = _text(request)
    context = {
        "results": search_everything(user=request.user, text=text, limit=SUGGESTION_LIMIT),
        "recent": [] if text else recent_customers(request.session),
        "search_text": text,
    }
    return render(request, "workspace/_search_suggestions.html", context)
