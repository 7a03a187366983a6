"""`/api/customers/{id}/needs` and `/potential`: needs, demand, effective demand, potential."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, InputSchema, Year
from kundenbild.finance.api_fields import FINANCE_NOTE, FinanceOnly
from kundenbild.offerings.models import Offering
from kundenbild.potential.models import Demand, DemandSource, EffectiveDemand, Need, Priority
from kundenbild.potential.permissions import potential_access
from kundenbild.potential.selectors import (
    customer_potential,
    need_list,
    potential_years,
    selected_year,
)
from kundenbild.potential.services import (
    DemandData,
    EffectiveDemandData,
    NeedData,
    demand_delete,
    demand_save,
    effective_demand_delete,
    effective_demand_set,
    need_delete,
    need_save,
)

router = Router(tags=["customers: needs and potential"])
need_router = Router(tags=["needs and potential"])
demand_router = Router(tags=["needs and potential"])


class EffectiveDemandOut(Schema):
    year: int
    amount: Decimal
    confidence: int
    source: DemandSource
    our_revenue: FinanceOnly[Decimal] = Field(
        None, description="our revenue entered for the offering and year; " + FINANCE_NOTE
    )


class DemandOut(Schema):
    id: int
    offering_number: str | None
    competitor: str
    competitor_offering: str
    description: str
    effective: list[EffectiveDemandOut]

    @staticmethod
    def resolve_offering_number(obj: Demand) -> str | None:
        return obj.offering.number if obj.offering else None

    @staticmethod
    def resolve_effective(obj: Demand) -> list[EffectiveDemand]:
        return list(obj.effective.all())


class NeedOut(Schema):
    id: int
    title: str
    description: str
    priority: Priority
    business_unit_id: int | None
    demands: list[DemandOut]
    version: int

    @staticmethod
    def resolve_demands(obj: Need) -> list[Demand]:
        return list(obj.demands.all())


class NeedIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=20_000)
    priority: Priority = Priority.MEDIUM
    business_unit_id: int | None = None
    version: int | None = Field(
        None, description="on update: the version you read; refused (409) if it changed"
    )


class DemandIn(InputSchema):
    offering_number: str | None = Field(None, description="article number of our offering")
    competitor: str = Field("", max_length=150)
    competitor_offering: str = Field("", max_length=200)
    description: str = Field("", max_length=300)


class EffectiveDemandIn(InputSchema):
    amount: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    confidence: int = Field(50, ge=0, le=100)
    source: DemandSource = DemandSource.ESTIMATE
    our_revenue: Decimal | None = Field(
        None,
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="used only when there are no sales lines for the offering and year",
    )


class PotentialRowOut(Schema):
    label: str
    offering_number: str | None
    needs: list[str]
    competitors: list[str]
    potential: Decimal
    weighted: Decimal
    our_revenue: FinanceOnly[Decimal] = Field(None, description=FINANCE_NOTE)
    revenue_source: FinanceOnly[str] = Field(
        None, description="sales, entered or null; " + FINANCE_NOTE
    )
    share_of_wallet_percent: FinanceOnly[Decimal] = Field(None, description=FINANCE_NOTE)
    white_space: FinanceOnly[Decimal] = Field(None, description=FINANCE_NOTE)


class PotentialOut(Schema):
    year: int
    potential: Decimal
    weighted: Decimal
    our_revenue: FinanceOnly[Decimal] = Field(None, description=FINANCE_NOTE)
    share_of_wallet_percent: FinanceOnly[Decimal] = Field(None, description=FINANCE_NOTE)
    white_space: FinanceOnly[Decimal] = Field(None, description=FINANCE_NOTE)
    rows: list[PotentialRowOut]


def _need(request: HttpRequest, need_id: int, *, for_edit: bool = False) -> Need:
    need = get_object_or_404(Need.objects.only("pk", "customer_id"), pk=need_id)
    customer = potential_access(acting_user(request), need.customer_id, for_edit=for_edit)
    return get_object_or_404(need_list(customer=customer), pk=need_id)


def _demand_data(payload: DemandIn) -> DemandData:
    offering = (
        get_object_or_404(Offering, number=payload.offering_number)
        if payload.offering_number
        else None
    )
    return DemandData(
        offering_id=offering.pk if offering else None,
        competitor=payload.competitor,
        competitor_offering=payload.competitor_offering,
        description=payload.description,
    )


@router.get("/{customer_id}/needs", response={200: list[NeedOut], **ERRORS})
def list_needs(request: HttpRequest, customer_id: int) -> list[Need]:
    return list(need_list(customer=potential_access(acting_user(request), customer_id)))


@router.post("/{customer_id}/needs", response={201: NeedOut, **ERRORS})
def create_need(request: HttpRequest, customer_id: int, payload: NeedIn) -> Status[Need]:
    customer = potential_access(acting_user(request), customer_id, for_edit=True)
    data = NeedData(
        title=payload.title,
        description=payload.description,
        priority=payload.priority.value,
        business_unit_id=payload.business_unit_id,
    )
    need = need_save(customer=customer, data=data)
    return Status(201, get_object_or_404(need_list(customer=customer), pk=need.pk))


@need_router.put("/{need_id}", response={200: NeedOut, **ERRORS})
def update_need(request: HttpRequest, need_id: int, payload: NeedIn) -> Need:
    need = _need(request, need_id, for_edit=True)
    data = NeedData(
        title=payload.title,
        description=payload.description,
        priority=payload.priority.value,
        business_unit_id=payload.business_unit_id,
    )
    need_save(customer=need.customer, data=data, need=need, expected_version=payload.version)
    return _need(request, need_id)


@need_router.delete("/{need_id}", response={204: None, **ERRORS})
def delete_need(request: HttpRequest, need_id: int) -> Status[None]:
    need_delete(need=_need(request, need_id, for_edit=True))
    return Status(204, None)


@need_router.post("/{need_id}/demands", response={201: DemandOut, **ERRORS})
def create_demand(request: HttpRequest, need_id: int, payload: DemandIn) -> Status[Demand]:
    need = _need(request, need_id, for_edit=True)
    return Status(201, demand_save(need=need, data=_demand_data(payload)))


def _demand(request: HttpRequest, demand_id: int) -> Demand:
    demand = get_object_or_404(Demand.objects.select_related("need"), pk=demand_id)
    potential_access(acting_user(request), demand.need.customer_id, for_edit=True)
    return demand


@demand_router.delete("/{demand_id}", response={204: None, **ERRORS})
def delete_demand(request: HttpRequest, demand_id: int) -> Status[None]:
    demand_delete(demand=_demand(request, demand_id))
    return Status(204, None)


@demand_router.put("/{demand_id}/effective/{year}", response={200: EffectiveDemandOut, **ERRORS})
def put_effective_demand(
    request: HttpRequest, demand_id: int, year: int, payload: EffectiveDemandIn
) -> EffectiveDemand:
    demand = _demand(request, demand_id)
    data = EffectiveDemandData(
        year=year,
        amount=payload.amount,
        confidence=payload.confidence,
        source=payload.source.value,
        our_revenue=payload.our_revenue,
    )
    return effective_demand_set(demand=demand, data=data)


@demand_router.delete("/{demand_id}/effective/{year}", response={204: None, **ERRORS})
def delete_effective_demand(request: HttpRequest, demand_id: int, year: int) -> Status[None]:
    demand = _demand(request, demand_id)
    effective_demand_delete(row=get_object_or_404(EffectiveDemand, demand=demand, year=year))
    return Status(204, None)


@router.get("/{customer_id}/potential", response={200: PotentialOut, **ERRORS})
def get_potential(request: HttpRequest, customer_id: int, year: Year | None = None) -> PotentialOut:
    """Potential per offering; revenue-based figures only with the finance capability."""
    customer = potential_access(acting_user(request), customer_id)
    chosen = year if year is not None else selected_year(None, potential_years(customer))
    summary = customer_potential(customer, chosen)
    return PotentialOut(
        year=summary.year,
        potential=summary.potential,
        weighted=summary.weighted,
        our_revenue=summary.our_revenue,
        share_of_wallet_percent=summary.share,
        white_space=summary.white_space,
        rows=[
            PotentialRowOut(
                label=r.label,
                offering_number=r.offering.number if r.offering else None,
                needs=r.needs,
                competitors=r.competitors,
                potential=r.potential,
                weighted=r.weighted,
                our_revenue=r.our_revenue,
                revenue_source=r.revenue_source or None,
                share_of_wallet_percent=r.share,
                white_space=r.white_space,
            )
            for r in summary.rows
        ],
    )
