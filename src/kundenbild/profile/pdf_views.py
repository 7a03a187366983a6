"""A customer's profile on one A4 page as a PDF, to take along to a visit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from kundenbild.accounts.models import SecurityEventKind
from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.accounts.security_log import record_security_event
from kundenbild.activities.selectors import activity_list
from kundenbild.buying_center.models import BuyingRoleCode, Closeness, Contact
from kundenbild.buying_center.selectors import contact_is_key
from kundenbild.chains.diagram_svg import chain_diagram_svg
from kundenbild.chains.selectors import ChainPicture, chain_picture, chain_shown_for
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access
from kundenbild.profile.charts import value_chart_svg
from kundenbild.profile.context import customer_profile_context

# what fits on the page beside everything else; the rest is counted ("and 3 more")
MAX_PEOPLE = 8
MAX_PEOPLE_WITHOUT_FINANCE = 14  # the finance section and figures leave room for more
LEVEL_LINE_LETTERS = 88  # offering names on one line beside a level of the pyramid
MAX_POTENTIAL_ROWS = 4
MAX_YEARS = 3
MAX_ADDRESSES = 2
MAX_INDUSTRIES = 2
# a chain drawn for the customer takes the room of a few people and potentials
CHAIN_ROOM_PEOPLE = 4
CHAIN_ROOM_POTENTIAL_ROWS = 3
CHAIN_WIDTH = 700  # drawing units across the page: its text comes out at about 6 pt
# a visit needs the last contacts and what is still open: they take the room of some people
MAX_ACTIVITIES = 5
MAX_FOLLOW_UPS = 3
ACTIVITY_ROOM_PEOPLE = 4
ACTIVITY_ROOM_POTENTIAL_ROWS = 1
# beside a chain, fewer of them: the visit sheet stays one page
CHAIN_ACTIVITIES = 2
CHAIN_FOLLOW_UPS = 2

CLOSENESS_RANK: dict[str, int] = {Closeness.CLOSE: 0, Closeness.GOOD: 1, Closeness.SLIGHT: 2}

T = TypeVar("T")


def customer_profile_pdf_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    context = customer_profile_context(request.user, customer, today=timezone.localdate())
    chain = chain_shown_for(customer)
    context |= _condensed(context, chain_picture(chain) if chain else None)
    html = render_to_string("profile/customer_profile_pdf.html", context, request=request)
    response = HttpResponse(_pdf(html), content_type="application/pdf")
    filename = re.sub(r"[^A-Za-z0-9._-]", "_", customer.number)
    response["Content-Disposition"] = f'attachment; filename="profile-{filename}.pdf"'
    record_security_event(
        SecurityEventKind.PDF_EXPORT,
        request=request,
        detail={"customer": customer.number, "customer_id": customer.pk},
    )
    return response


def _pdf(html: str) -> bytes:
    """The page rendered by WeasyPrint, imported here: it loads Pango when imported, and a
    server without Pango should lose the PDF, not every page."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # the page needs nothing from outside; a field's content must never make us fetch a URL
    fetcher = URLFetcher(allowed_protocols={"data"})
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())


def _condensed(context: dict[str, Any], chain: ChainPicture | None = None) -> dict[str, Any]:
    """The lists cut to what fits on one page, each with how many were left out; the
    customer's chain, if it has one, takes the room of some people and potentials."""
    people = sorted(context["contacts"], key=lambda c: not contact_is_key(c))
    group = context["group"]
    show_finance = context["show_finance"]
    max_people = MAX_PEOPLE if show_finance else MAX_PEOPLE_WITHOUT_FINANCE
    max_potential = MAX_POTENTIAL_ROWS
    visits = _visits(context["customer"], beside_chain=chain is not None)
    if visits["activities_shown"]["items"] or visits["follow_ups_shown"]["items"]:
        max_people -= ACTIVITY_ROOM_PEOPLE
        max_potential -= ACTIVITY_ROOM_POTENTIAL_ROWS
    if chain is not None:
        max_people -= CHAIN_ROOM_PEOPLE
        max_potential -= CHAIN_ROOM_POTENTIAL_ROWS
    condensed: dict[str, Any] = {
        "people_shown": _first([_person(c) for c in people], max_people),
        "pyramid_shown": [
            {"level": level, "offerings": _fitting([a.offering.name for a in level.assessments])}
            for level in context["pyramid"]
        ],
        "potential_shown": _first(context["summary"].rows, max_potential),
        "addresses_shown": _first(list(context["addresses"]), MAX_ADDRESSES),
        "industries_shown": _first(list(context["industries"]), MAX_INDUSTRIES),
        "business_unit_count": len(context["business_units"]),
        "group_root": group[0][0] if group else None,
        "years_shown": (context.get("years") or [])[-MAX_YEARS:],
        "open_focus": [f for f in context["coaching"] if f.closed_on is None],
    }
    condensed |= visits
    chart = context.get("monthly_chart")
    if show_finance and chart and chart["months"]:
        # every text inside is escaped by the builder, every number formatted by it
        condensed["value_chart"] = mark_safe(value_chart_svg(chart))  # noqa: S308
    if chain is not None:
        condensed |= _chain(chain)
    return condensed


def _chain(picture: ChainPicture) -> dict[str, Any]:
    """The chain drawn as a strip across the page, and at whom we know nobody, by actor."""
    svg = chain_diagram_svg(picture, width=CHAIN_WIDTH, title=False, compact=True)
    blind: dict[int, list[str]] = {}
    for person in picture.blind_spots:
        blind.setdefault(person.actor_id, []).append(person.display_name)
    return {
        "chain": picture.chain,
        # every text inside is escaped by the drawing
        "chain_diagram": mark_safe(svg),  # noqa: S308
        "chain_blind": [
            {"actor": actor.display_name, "roles": blind[actor.pk]}
            for actor in picture.actors
            if actor.pk in blind
        ],
    }


def _visits(customer: Customer, *, beside_chain: bool = False) -> dict[str, Any]:
    """The last contacts logged, newest first, and the follow-ups still open, soonest
    first: what a visit picks up."""
    logged = list(activity_list(customer=customer).order_by("-occurred_on", "-pk"))
    open_ones = [a for a in logged if a.follow_up_on is not None and not a.follow_up_done]
    open_ones.sort(key=lambda a: (a.follow_up_on, a.pk))
    return {
        "activities_shown": _first(logged, CHAIN_ACTIVITIES if beside_chain else MAX_ACTIVITIES),
        "follow_ups_shown": _first(open_ones, CHAIN_FOLLOW_UPS if beside_chain else MAX_FOLLOW_UPS),
    }


def _person(contact: Contact) -> dict[str, Any]:
    """A person on one line: the buying roles, the decider first, and who of us knows the
    person best, with how many more of us do."""
    roles = sorted(contact.buying_roles.all(), key=lambda r: r.code != BuyingRoleCode.DECIDER)
    known = sorted(contact.acquaintances.all(), key=lambda a: CLOSENESS_RANK.get(a.closeness, 3))
    return {
        "contact": contact,
        "roles": [str(r) for r in roles],
        "closest": known[0] if known else None,
        "others": max(len(known) - 1, 0),
    }


def _first(items: Sequence[T], limit: int) -> dict[str, Any]:
    """Up to `limit` items and the number of those left out."""
    return {"items": items[:limit], "more": max(len(items) - limit, 0)}


def _fitting(names: list[str], letters: int = LEVEL_LINE_LETTERS) -> dict[str, Any]:
    """As many names as fit on a line of about `letters` letters (at least one, shortened
    if need be), and the number of those left out."""
    shown: list[str] = []
    used = 0
    for name in names:
        if shown and used + len(name) > letters:
            break
        shown.append(name if len(name) <= letters else name[: letters - 1] + "…")
        used += len(name) + 2  # with the ", " before the next
    return {"items": shown, "more": len(names) - len(shown)}
