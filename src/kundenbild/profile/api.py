"""`/api/customers/{id}/profile-health`, `/reviews/{area}` and `/history`."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from kundenbild.api.common import ERRORS, acting_user
from kundenbild.customers.permissions import customer_access
from kundenbild.finance.permissions import finance_can_view, finance_edit_access
from kundenbild.profile.health import profile_health
from kundenbild.profile.history import profile_history
from kundenbild.profile.models import AreaReview, ProfileArea
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
    customer = customer_access(user, customer_id, for_edit=area != ProfileArea.FINANCE)
    if area == ProfileArea.FINANCE:
        finance_edit_access(user, customer)
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
