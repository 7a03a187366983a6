"""`/api/offerings/` (the catalogue) and `/api/customers/{id}/fascination` (the pyramid)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, InputSchema
from kundenbild.customers.permissions import customer_access
from kundenbild.offerings.models import (
    FascinationAssessment,
    FascinationLevel,
    Offering,
    OfferingKind,
)
from kundenbild.offerings.permissions import offering_catalogue_access
from kundenbild.offerings.selectors import offering_list
from kundenbild.offerings.services import (
    OfferingData,
    assessment_delete,
    assessment_save,
    offering_save,
)

catalogue_router = Router(tags=["offerings"])
fascination_router = Router(tags=["customers: fascination"])


class OfferingOut(Schema):
    id: int
    number: str
    name_de: str
    name_en: str
    group: str
    kind: OfferingKind
    unit: str
    active: bool

    @staticmethod
    def resolve_group(obj: Offering) -> str:
        return obj.group.name_de


class OfferingIn(InputSchema):
    number: str = Field(..., min_length=1, max_length=40)
    name_de: str = Field(..., min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    group: str = Field(..., min_length=1, max_length=100)
    kind: OfferingKind
    unit: str = Field("", max_length=20, description="e.g. piece, kg, h")
    active: bool = True


class AssessmentOut(Schema):
    offering: str = Field(..., description="article number")
    level: FascinationLevel = Field(..., description="1 expected … 4 fascinating")
    note: str
    assessed_on: date

    @staticmethod
    def resolve_offering(obj: FascinationAssessment) -> str:
        return obj.offering.number


class AssessmentIn(InputSchema):
    level: FascinationLevel = Field(..., description="1 expected … 4 fascinating")
    note: str = Field("", max_length=5000)
    assessed_on: date | None = Field(None, description="defaults to today")


@catalogue_router.get("/", response={200: list[OfferingOut], **ERRORS})
def list_offerings(request: HttpRequest, include_inactive: bool = False) -> list[Offering]:
    acting_user(request)
    return list(offering_list(active_only=not include_inactive))


@catalogue_router.post("/", response={201: OfferingOut, **ERRORS})
def create_offering(request: HttpRequest, payload: OfferingIn) -> Status[Offering]:
    offering_catalogue_access(acting_user(request))
    data = OfferingData(
        number=payload.number,
        name_de=payload.name_de,
        name_en=payload.name_en,
        group_name=payload.group,
        kind=payload.kind.value,
        active=payload.active,
        unit=payload.unit,
    )
    return Status(201, offering_save(data=data))


@fascination_router.get("/{customer_id}/fascination", response={200: list[AssessmentOut], **ERRORS})
def list_assessments(request: HttpRequest, customer_id: int) -> list[FascinationAssessment]:
    customer = customer_access(acting_user(request), customer_id)
    return list(customer.fascination.select_related("offering"))


@fascination_router.put(
    "/{customer_id}/fascination/{offering_number}", response={200: AssessmentOut, **ERRORS}
)
def put_assessment(
    request: HttpRequest, customer_id: int, offering_number: str, payload: AssessmentIn
) -> FascinationAssessment:
    user = acting_user(request)
    customer = customer_access(user, customer_id, for_edit=True)
    offering = get_object_or_404(Offering, number=offering_number)
    return assessment_save(
        customer=customer,
        offering=offering,
        level=int(payload.level),
        note=payload.note,
        assessed_on=payload.assessed_on or timezone.localdate(),
        by=user,
    )


@fascination_router.delete(
    "/{customer_id}/fascination/{offering_number}", response={204: None, **ERRORS}
)
def delete_assessment(request: HttpRequest, customer_id: int, offering_number: str) -> Status[None]:
    customer = customer_access(acting_user(request), customer_id, for_edit=True)
    assessment = get_object_or_404(
        FascinationAssessment, customer=customer, offering__number=offering_number
    )
    assessment_delete(assessment=assessment)
    return Status(204, None)
