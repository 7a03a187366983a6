"""Writes on needs, demands and effective demand."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kundenbild.core.errors import ApplicationError
from kundenbild.core.history import differs_from_stored
from kundenbild.core.locking import lock_current
from kundenbild.customers.models import BusinessUnit, Customer
from kundenbild.offerings.models import Offering
from kundenbild.potential.models import Demand, EffectiveDemand, Need


@dataclass(frozen=True)
class NeedData:
    title: str
    description: str = ""
    priority: str = "medium"
    business_unit_id: int | None = None


@dataclass(frozen=True)
class DemandData:
    offering_id: int | None = None
    competitor: str = ""
    competitor_offering: str = ""
    description: str = ""


@dataclass(frozen=True)
class EffectiveDemandData:
    year: int
    amount: Decimal
    confidence: int = 50
    source: str = "estimate"
    our_revenue: Decimal | None = None


STALE_NEED = gettext_lazy(
    "Someone else changed this need while you were editing. Please reload the page and "
    "enter your changes again."
)


@transaction.atomic
def need_save(
    *,
    customer: Customer,
    data: NeedData,
    need: Need | None = None,
    expected_version: int | None = None,
) -> Need:
    if need is None:
        need = Need(customer=customer)
    else:
        need = lock_current(need, expected_version, STALE_NEED)
    if (
        data.business_unit_id is not None
        and not BusinessUnit.objects.filter(pk=data.business_unit_id, customer=customer).exists()
    ):
        raise ApplicationError(
            _("This business unit does not belong to the customer."), field="business_unit"
        )
    need.title = data.title.strip()
    need.description = data.description.strip()
    need.priority = data.priority
    need.business_unit_id = data.business_unit_id
    need.full_clean()
    if need.pk is None:
        need.save()
    elif differs_from_stored(need):
        need.version += 1
        need.save()
    return need


@transaction.atomic
def need_delete(*, need: Need) -> None:
    """Removes the need with its demands and their effective demand."""
    need.delete()


@transaction.atomic
def demand_save(*, need: Need, data: DemandData, demand: Demand | None = None) -> Demand:
    demand = demand or Demand(need=need)
    if data.offering_id is not None and not Offering.objects.filter(pk=data.offering_id).exists():
        raise ApplicationError(_("This offering does not exist."), field="offering")
    demand.offering_id = data.offering_id
    demand.competitor = data.competitor.strip()
    demand.competitor_offering = data.competitor_offering.strip()
    demand.description = data.description.strip()
    demand.full_clean()
    if differs_from_stored(demand):
        demand.save()
    return demand


@transaction.atomic
def demand_delete(*, demand: Demand) -> None:
    demand.delete()


@transaction.atomic
def effective_demand_set(*, demand: Demand, data: EffectiveDemandData) -> EffectiveDemand:
    """The effective demand of one year; entering a year again replaces its figures."""
    row = EffectiveDemand.objects.filter(demand=demand, year=data.year).first()
    row = row or EffectiveDemand(demand=demand, year=data.year)
    row.amount = data.amount
    row.confidence = data.confidence
    row.source = data.source
    row.our_revenue = data.our_revenue
    row.full_clean()
    if differs_from_stored(row):
        row.save()
    return row


@transaction.atomic
def demand_with_effective_create(
    *, need: Need, demand: DemandData, effective: EffectiveDemandData | None
) -> Demand:
    """A demand and, when given, its effective demand for a year: both or neither."""
    created = demand_save(need=need, data=demand)
    if effective is not None:
        effective_demand_set(demand=created, data=effective)
    return created


@transaction.atomic
def effective_demand_delete(*, row: EffectiveDemand) -> None:
    row.delete()
