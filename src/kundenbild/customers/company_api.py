"""`/api/customers/{id}/addresses` and `/business-units`: the company area through the API."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, InputSchema
from kundenbild.customers.models import Address, AddressKind, BusinessUnit
from kundenbild.customers.permissions import customer_access
from kundenbild.customers.services import (
    AddressData,
    address_delete,
    address_save,
    business_unit_delete,
    business_unit_save,
)

router = Router(tags=["customers: company"])


class AddressItem(Schema):
    id: int
    kind: AddressKind
    street: str
    postal_code: str
    city: str
    country: str


class AddressCreate(InputSchema):
    kind: AddressKind = AddressKind.DELIVERY
    street: str = Field(..., min_length=1, max_length=200)
    postal_code: str = Field(..., min_length=1, max_length=12)
    city: str = Field(..., min_length=1, max_length=100)
    country: str = Field("DE", min_length=2, max_length=2)


class BusinessUnitItem(Schema):
    id: int
    name: str
    description: str


class BusinessUnitCreate(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)


@router.get("/{customer_id}/addresses", response={200: list[AddressItem], **ERRORS})
def list_addresses(request: HttpRequest, customer_id: int) -> list[Address]:
    return list(customer_access(acting_user(request), customer_id).addresses.all())


@router.post("/{customer_id}/addresses", response={201: AddressItem, **ERRORS})
def create_address(
    request: HttpRequest, customer_id: int, payload: AddressCreate
) -> Status[Address]:
    customer = customer_access(acting_user(request), customer_id, for_edit=True)
    data = AddressData(**{**payload.model_dump(), "kind": payload.kind.value})
    return Status(201, address_save(customer=customer, data=data))


@router.delete("/{customer_id}/addresses/{address_id}", response={204: None, **ERRORS})
def delete_address(request: HttpRequest, customer_id: int, address_id: int) -> Status[None]:
    customer = customer_access(acting_user(request), customer_id, for_edit=True)
    address_delete(address=get_object_or_404(Address, pk=address_id, customer=customer))
    return Status(204, None)


@router.get("/{customer_id}/business-units", response={200: list[BusinessUnitItem], **ERRORS})
def list_business_units(request: HttpRequest, customer_id: int) -> list[BusinessUnit]:
    return list(customer_access(acting_user(request), customer_id).business_units.all())


@router.post("/{customer_id}/business-units", response={201: BusinessUnitItem, **ERRORS})
def create_business_unit(
    request: HttpRequest, customer_id: int, payload: BusinessUnitCreate
) -> Status[BusinessUnit]:
    customer = customer_access(acting_user(request), customer_id, for_edit=True)
    return Status(201, business_unit_save(customer=customer, **payload.model_dump()))


@router.delete("/{customer_id}/business-units/{unit_id}", response={204: None, **ERRORS})
def delete_business_unit(request: HttpRequest, customer_id: int, unit_id: int) -> Status[None]:
    customer = customer_access(acting_user(request), customer_id, for_edit=True)
    business_unit_delete(unit=get_object_or_404(BusinessUnit, pk=unit_id, customer=customer))
    return Status(204, None)
