"""Marking an area of the profile as reviewed."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from kundenbild.accounts.models import User
from kundenbild.customers.models import Customer
from kundenbild.profile.models import AreaReview, ProfileArea


@transaction.atomic
def area_review_mark(*, customer: Customer, area: str, by: User, today: date) -> AreaReview:
    """Record that `by` checked the area today and found it true."""
    review, _created = AreaReview.objects.update_or_create(
        customer=customer,
        area=ProfileArea(area),
        defaults={"reviewed_on": today, "reviewed_by": by},
    )
    return review
