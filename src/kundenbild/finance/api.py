"""`/api/customers/{id}/finance/...`: the finance profile and conditions of a customer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, InputSchema
from kundenbild.customers.permissions import customer_access
from kundenbild.finance.margins import contribution_margins
from kundenbild.finance.models import Condition, ConditionKind, CreditSource, FinanceProfile
from kundenbild.finance.permissions import finance_access, finance_edit_access
from kundenbild.finance.selectors import finance_profile_get
from kundenbild.finance.services import (
    ConditionData,
    FinanceProfileData,
    condition_create,
    condition_delete,
    finance_profile_save,
)

router = Router(tags=["customers: finance"])


class FinanceProfileOut(Schema):
    credit_rating: str
    credit_source: str
    rated_on: date | None
    credit_limit: Decimal | None
    payment_days_net: int | None
    cash_discount_percent: Decimal | None
    cash_discount_days: int | None
    observed_days_to_pay: Decimal | None
    version: int


class FinanceProfileIn(InputSchema):
    version: int | None = Field(
        None, description="the version you read; the update is refused (409) if it changed"
    )
    credit_rating: str = Field("", max_length=40)
    credit_source: CreditSource | None = None
    rated_on: date | None = None
    credit_limit: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    payment_days_net: int | None = Field(None, ge=0, le=365)
    cash_discount_percent: Decimal | None = Field(None, max_digits=4, decimal_places=2)
    cash_discount_days: int | None = Field(None, ge=0, le=365)
    observed_days_to_pay: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=1)


class ConditionOut(Schema):
    id: int
    kind: ConditionKind
    description: str
    percent: Decimal | None
    valid_from: date
    valid_until: date | None


class ConditionIn(InputSchema):
    kind: ConditionKind
    description: str = Field(..., min_length=1, max_length=300)
    percent: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    valid_from: date
    valid_until: date | None = None


@router.get("/{customer_id}/finance/profile", response={200: FinanceProfileOut, **ERRORS})
def get_profile(request: HttpRequest, customer_id: int) -> FinanceProfile:
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    finance_access(user)
    return finance_profile_get(customer)


@router.put("/{customer_id}/finance/profile", response={200: FinanceProfileOut, **ERRORS})
def put_profile(
    request: HttpRequest, customer_id: int, payload: FinanceProfileIn
) -> FinanceProfile:
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    finance_edit_access(user, customer)
    values = payload.model_dump(exclude={"version"})
    values["credit_source"] = payload.credit_source.value if payload.credit_source else ""
    return finance_profile_save(
        customer=customer, data=FinanceProfileData(**values), expected_version=payload.version
    )


@router.get("/{customer_id}/finance/conditions", response={200: list[ConditionOut], **ERRORS})
def list_conditions(request: HttpRequest, customer_id: int) -> list[Condition]:
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    finance_access(user)
    return list(customer.conditions.all())


@router.post("/{customer_id}/finance/conditions", response={201: ConditionOut, **ERRORS})
def create_condition(
    request: HttpRequest, customer_id: int, payload: ConditionIn
) -> Status[Condition]:
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    finance_edit_access(user, customer)
    data = ConditionData(**{**payload.model_dump(), "kind": payload.kind.value})
    return Status(201, condition_create(customer=customer, data=data))


@router.delete("/{customer_id}/finance/conditions/{condition_id}", response={204: None, **ERRORS})
def delete_condition(request: HttpRequest, customer_id: int, condition_id: int) -> Status[None]:
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    finance_edit_access(user, customer)
    condition_delete(condition=get_object_or_404(Condition, pk=condition_id, customer=customer))
    return Status(204, None)


class YearFiguresOut(Schema):
    year: int
    revenue: Decimal
    cost_of_goods: Decimal
    contribution_margin_1: Decimal
    direct_costs: Decimal
    contribution_margin_2: Decimal
    overheads: Decimal
    contribution_margin_3: Decimal
    invoices: int


@router.get(
    "/{customer_id}/finance/years",
    operation_id="kundenbild_customers_api_customer_finance_years",  # as before the move
    response={200: list[YearFiguresOut], **ERRORS},
    summary="Revenue and contribution margins I–III per year",
)
def customer_finance_years(request: HttpRequest, customer_id: int) -> list[YearFiguresOut]:
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    finance_access(user)
    return [
        YearFiguresOut(
            year=r.year,
            revenue=r.revenue,
            cost_of_goods=r.cost_of_goods,
            contribution_margin_1=r.contribution_margin_1,
            direct_costs=r.line_direct_costs + r.other_direct_costs,
            contribution_margin_2=r.contribution_margin_2,
            overheads=r.activity_overheads + r.other_overheads,
            contribution_margin_3=r.contribution_margin_3,
            invoices=r.invoices,
        )
        for r in contribution_margins(customer)
    ]
