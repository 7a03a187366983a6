"""`/api/customers/{id}/profile-health`, `/reviews/{area}` and `/history`."""

from __future__ import annotations

from datetime import date, datetime

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from kundenbild.accounts.models import SecurityEventKind
from kundenbild.accounts.requests import acting_user
from kundenbild.accounts.security_log import record_security_event
from kundenbild.core.api_schema import ERRORS, InputSchema
from kundenbild.customers.api import CustomerOut
from kundenbild.customers.models import LegalForm
from kundenbild.customers.permissions import customer_access
from kundenbild.finance.permissions import finance_can_view
from kundenbild.profile.health import profile_health
from kundenbild.profile.history import profile_history
from kundenbild.profile.models import AreaReview, ProfileArea
from kundenbild.profile.permissions import area_review_access
from kundenbild.profile.selectors import CustomerFilters, customer_list
from kundenbild.profile.services import area_review_mark

router = Router(tags=["customers: keeping the profile true"])


class AreaHealthOut(Schema):
    area: ProfileArea
    completeness_percent: int
    missing: list[str]
    reviewed_on: date | None
    reviewed_by: str | None
    review_due: bool


class ReviewOut(Schema):
    area: ProfileArea
    reviewed_on: date
    reviewed_by: str | None


class HistoryEntryOut(Schema):
    when: datetime
    who: str | None
    kind: str
    area: str
    subject: str
    changes: list[tuple[str, str, str]]
    reason: str


def _text(value: object) -> str:
    return "" if value is None else str(value)


@router.get("/{customer_id}/profile-health", response={200: list[AreaHealthOut], **ERRORS})
def get_profile_health(request: HttpRequest, customer_id: int) -> list[AreaHealthOut]:
    """Completeness and review state per area (finance only with the finance capability)."""
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    health = profile_health(
        customer, today=timezone.localdate(), include_finance=finance_can_view(user)
    )
    return [
        AreaHealthOut(
            area=ProfileArea(h.area),
            completeness_percent=h.completeness,
            missing=h.missing,
            reviewed_on=h.reviewed_on,
            reviewed_by=h.reviewed_by.username if h.reviewed_by else None,
            review_due=h.due,
        )
        for h in health
    ]


@router.post("/{customer_id}/reviews/{area}", response={200: ReviewOut, **ERRORS})
def post_review(request: HttpRequest, customer_id: int, area: ProfileArea) -> ReviewOut:
    """Confirm that the area has been checked today and is true."""
    user = acting_user(request)
    customer = area_review_access(user, customer_id, area)
    review: AreaReview = area_review_mark(
        customer=customer, area=area.value, by=user, today=timezone.localdate()
    )
    return ReviewOut(area=area, reviewed_on=review.reviewed_on, reviewed_by=user.username)


@router.get("/{customer_id}/history", response={200: list[HistoryEntryOut], **ERRORS})
def get_history(
    request: HttpRequest, customer_id: int, area: str | None = None
) -> list[HistoryEntryOut]:
    """Every change to the profile, newest first: who, when, what, old and new value."""
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    entries = profile_history(customer, include_finance=finance_can_view(user), area=area)
    return [
        HistoryEntryOut(
            when=e.when,
            who=e.who.username if e.who else None,
            kind=e.kind,
            area=e.area,
            subject=e.subject,
            changes=[(str(label), _text(old), _text(new)) for label, old, new in e.changes],
            reason=e.reason,
        )
        for e in entries
    ]


class CustomerPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[CustomerOut]


class ListParams(InputSchema):
    search: str = Field("", max_length=200)
    legal_form: LegalForm | None = None
    section: str = Field("", max_length=1, description="WZ 2008 section letter")
    industry: str = Field("", max_length=8, description="WZ 2008 division code")
    sort: str = Field("name", pattern="^-?(number|name|city|owner|revenue)$")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=500)


def list_customers(request: HttpRequest, params: Query[ListParams]) -> dict[str, object]:
    filters = CustomerFilters(
        search=params.search,
        legal_form=params.legal_form.value if params.legal_form else "",
        section=params.section.upper(),
        industry=params.industry,
        sort=params.sort.lstrip("-"),
        descending=params.sort.startswith("-"),
    )
    paginator = Paginator(
        customer_list(user=acting_user(request), filters=filters), params.page_size
    )
    page = paginator.get_page(params.page)
    # a page of the list is an export of customer data: one row in the log, no extra query
    record_security_event(
        SecurityEventKind.API_EXPORT,
        request=request,
        detail={"list": "customers", "page": page.number, "count": paginator.count},
    )
    return {
        "count": paginator.count,
        "page": page.number,
        "page_size": params.page_size,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


def add_customer_list(customers_router: Router) -> None:
    """Serve the list at `GET /api/customers/`, on the customers' router.

    The list is composed here (revenue and value types come from the areas above
    customers), but it shares its address with `POST /api/customers/`, and django-ninja
    answers one address from one router only: a second router would answer the first
    one's method with 405. So the API's assembly hands the customers' router to this
    function, and `customers` never imports `profile`.
    """
    customers_router.get(
        "/",
        response={200: CustomerPage, **ERRORS},
        summary="List customers",
        operation_id="kundenbild_customers_api_list_customers",  # as before: clients keep it
    )(list_customers)
