"""Writes on the finance profile and on conditions."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kundenbild.core.errors import ApplicationError, ConflictError
from kundenbild.core.history import differs_from_stored
from kundenbild.customers.models import Customer
from kundenbild.finance.models import Condition, FinanceProfile, OverheadRate


@dataclass(frozen=True)
class FinanceProfileData:
    credit_rating: str = ""
    credit_source: str = ""
    rated_on: date | None = None
    credit_limit: Decimal | None = None
    payment_days_net: int | None = None
    cash_discount_percent: Decimal | None = None
    cash_discount_days: int | None = None
    observed_days_to_pay: Decimal | None = None


@transaction.atomic
def finance_profile_save(
    *, customer: Customer, data: FinanceProfileData, expected_version: int | None
) -> FinanceProfile:
    """Save the profile; refuse if someone else saved in between (optimistic lock)."""
    profile = FinanceProfile.objects.select_for_update().filter(
        customer=customer
    ).first() or FinanceProfile(customer=customer, version=0)
    if expected_version is not None and profile.version != expected_version:
        raise ConflictError(
            _(
                "Someone else changed this finance profile while you were editing. Please "
                "reload the page and enter your changes again."
            )
        )
    for field in fields(data):
        setattr(profile, field.name, getattr(data, field.name))
    profile.full_clean()
    if differs_from_stored(profile):  # an unchanged form: no history row, same version
        profile.version += 1
        profile.save()
    return profile


@dataclass(frozen=True)
class ConditionData:
    kind: str
    description: str
    valid_from: date
    percent: Decimal | None = None
    valid_until: date | None = None


@transaction.atomic
def condition_create(*, customer: Customer, data: ConditionData) -> Condition:
    condition = Condition(customer=customer, **vars(data))
    condition.full_clean()
    condition.save()
    return condition


@transaction.atomic
def condition_delete(*, condition: Condition) -> None:
    condition.delete()


@transaction.atomic
def overhead_rates_save(*, rates: dict[str, Decimal]) -> list[OverheadRate]:
    """Set the cost per activity of each kind (used for contribution margin III)."""
    saved = []
    for kind, amount in rates.items():
        if amount < 0:
            raise ApplicationError(_("A rate cannot be negative."), field=kind)
        rate, _created = OverheadRate.objects.update_or_create(
            activity_kind=kind, defaults={"amount": amount}
        )
        saved.append(rate)
    return saved
