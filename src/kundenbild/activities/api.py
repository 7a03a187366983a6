"""`/api/customers/{id}/activities` (the contact log), `/api/activities/{id}` (one entry:
read, change, delete) and closing follow-ups."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from kundenbild.accounts.models import User
from kundenbild.accounts.requests import acting_user
from kundenbild.activities.models import Activity, ActivityKind
from kundenbild.activities.permissions import activity_access, follow_up_access
from kundenbild.activities.selectors import activity_list
from kundenbild.activities.services import (
    ActivityData,
    activity_create,
    activity_delete,
    activity_update,
    follow_up_done,
)
from kundenbild.core.api_schema import ERRORS, InputSchema
from kundenbild.customers.permissions import customer_access

router = Router(tags=["customers: activities"])
follow_up_router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    kind: ActivityKind
    occurred_on: date
    subject: str
    outcome: str
    contact_ids: list[int]
    next_step: str
    follow_up_on: date | None
    follow_up_by: str | None
    follow_up_done: bool
    created_by: str | None

    @staticmethod
    def resolve_contact_ids(obj: Activity) -> list[int]:
        return sorted(c.pk for c in obj.contacts.all())

    @staticmethod
    def resolve_follow_up_by(obj: Activity) -> str | None:
        return obj.follow_up_by.username if obj.follow_up_by else None

    @staticmethod
    def resolve_created_by(obj: Activity) -> str | None:
        return obj.created_by.username if obj.created_by else None


class ActivityIn(InputSchema):
    kind: ActivityKind
    occurred_on: date | None = Field(None, description="defaults to today")
    subject: str = Field(..., min_length=1, max_length=200)
    outcome: str = Field("", max_length=20_000)
    contact_ids: list[int] = Field(default_factory=list)
    next_step: str = Field("", max_length=300)
    follow_up_on: date | None = None
    follow_up_by: str | None = Field(None, description="username; defaults to you")


class ActivityPatch(InputSchema):
    """Only the fields sent change; null clears `outcome`, `next_step`, `contact_ids` and
    the follow-up."""

    kind: ActivityKind | None = None
    occurred_on: date | None = None
    subject: str | None = Field(None, min_length=1, max_length=200)
    outcome: str | None = Field(None, max_length=20_000)
    contact_ids: list[int] | None = None
    next_step: str | None = Field(None, max_length=300)
    follow_up_on: date | None = None
    follow_up_by: str | None = Field(None, description="username; defaults to you")


CLEARED_BY_NULL = {"outcome": "", "next_step": "", "contact_ids": []}


def _data(payload: ActivityIn) -> ActivityData:
    follow_up_by = (
        get_object_or_404(User, username=payload.follow_up_by, is_active=True)
        if payload.follow_up_by
        else None
    )
    return ActivityData(
        kind=payload.kind.value,
        occurred_on=payload.occurred_on or timezone.localdate(),
        subject=payload.subject,
        outcome=payload.outcome,
        contact_ids=tuple(payload.contact_ids),
        next_step=payload.next_step,
        follow_up_on=payload.follow_up_on,
        follow_up_by_id=follow_up_by.pk if follow_up_by else None,
    )


def _current_as_input(activity: Activity) -> dict[str, object]:
    return {
        "kind": activity.kind,
        "occurred_on": activity.occurred_on,
        "subject": activity.subject,
        "outcome": activity.outcome,
        "contact_ids": sorted(c.pk for c in activity.contacts.all()),
        "next_step": activity.next_step,
        "follow_up_on": activity.follow_up_on,
        "follow_up_by": activity.follow_up_by.username if activity.follow_up_by else None,
    }


@router.get("/{customer_id}/activities", response={200: list[ActivityOut], **ERRORS})
def list_activities(request: HttpRequest, customer_id: int) -> list[Activity]:
    return list(activity_list(customer=customer_access(acting_user(request), customer_id)))


@router.post("/{customer_id}/activities", response={201: ActivityOut, **ERRORS})
def create_activity(
    request: HttpRequest, customer_id: int, payload: ActivityIn
) -> Status[Activity]:
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    return Status(201, activity_create(customer=customer, data=_data(payload), by=user))


@follow_up_router.get("/{activity_id}", response={200: ActivityOut, **ERRORS})
def get_activity(request: HttpRequest, activity_id: int) -> Activity:
    return activity_access(acting_user(request), activity_id)


@follow_up_router.put("/{activity_id}", response={200: ActivityOut, **ERRORS})
def update_activity(request: HttpRequest, activity_id: int, payload: ActivityIn) -> Activity:
    """Replace an activity (its author, or whoever may edit the customer); the people's
    last contact follows."""
    user = acting_user(request)
    activity = activity_access(user, activity_id, for_edit=True)
    return activity_update(activity=activity, data=_data(payload), by=user)


@follow_up_router.patch("/{activity_id}", response={200: ActivityOut, **ERRORS})
def patch_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> Activity:
    user = acting_user(request)
    activity = activity_access(user, activity_id, for_edit=True)
    changes = payload.model_dump(exclude_unset=True)
    for key, cleared in CLEARED_BY_NULL.items():
        if key in changes and changes[key] is None:
            changes[key] = cleared
    try:
        merged = ActivityIn(**{**_current_as_input(activity), **changes})
    except PydanticValidationError as error:
        raise NinjaValidationError([dict(e) for e in error.errors()]) from None
    return activity_update(activity=activity, data=_data(merged), by=user)


@follow_up_router.delete("/{activity_id}", response={204: None, **ERRORS})
def delete_activity(request: HttpRequest, activity_id: int) -> Status[None]:
    activity = activity_access(acting_user(request), activity_id, for_edit=True)
    activity_delete(activity=activity)
    return Status(204, None)


@follow_up_router.post("/{activity_id}/follow-up-done", response={200: ActivityOut, **ERRORS})
def close_follow_up(request: HttpRequest, activity_id: int) -> Activity:
    user = acting_user(request)
    activity = get_object_or_404(Activity.objects.select_related("customer"), pk=activity_id)
    customer_access(user, activity.customer_id)
    follow_up_access(user, activity)
    return follow_up_done(activity=activity)
