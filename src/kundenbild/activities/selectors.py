"""Reads: a customer's contact log and a user's follow-ups."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.customers.models import Customer

UPCOMING_DAYS = 14


def activity_list(*, customer: Customer) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(customer=customer)
        .select_related("created_by", "follow_up_by")
        .prefetch_related("contacts")
    )


def follow_ups_open(*, user: User, today: date) -> tuple[list[Activity], list[Activity]]:
    """The user's open follow-ups: (due today or overdue, due in the next two weeks)."""
    open_ones = (
        Activity.objects.filter(
            follow_up_by=user,
            follow_up_done=False,
            follow_up_on__lte=today + timedelta(days=UPCOMING_DAYS),
        )
        .select_related("customer")
        .order_by("follow_up_on")
    )
    due = [a for a in open_ones if a.follow_up_on is not None and a.follow_up_on <= today]
    upcoming = [a for a in open_ones if a.follow_up_on is not None and a.follow_up_on > today]
    return due, upcoming
