"""`/api/customers/`: list, read, create, update; the same checks as the pages."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from kundenbild.accounts.models import User
from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, InputSchema
from kundenbild.customers.models import Customer, LegalForm, SizeClass
from kundenbild.customers.permissions import customer_access, customer_create_access
from kundenbild.customers.services import (
    CustomerData,
    HeadquartersData,
    customer_create,
    customer_update,
)

router = Router(tags=["customers"])


class AddressOut(Schema):
    street: str
    postal_code: str
    city: str
    country: str


class AddressIn(InputSchema):
    street: str = Field(..., min_length=1, max_length=200)
    postal_code: str = Field(..., min_length=1, max_length=12)
    city: str = Field(..., min_length=1, max_length=100)
    country: str = Field("DE", min_length=2, max_length=2)


class CustomerOut(Schema):
    id: int
    number: str
    name: str
    legal_form: str
    parent_id: int | None
    industries: list[str]
    employees: int | None
    size_class: str
    website: str
    register_court: str
    register_number: str
    vat_id: str
    notes: str
    owner: str | None
    account_team: list[str]
    headquarters: AddressOut | None
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_industries(obj: Customer) -> list[str]:
        return [i.code for i in obj.industries.all()]

    @staticmethod
    def resolve_owner(obj: Customer) -> str | None:
        return obj.owner.username if obj.owner else None

    @staticmethod
    def resolve_account_team(obj: Customer) -> list[str]:
        return sorted(u.username for u in obj.account_team.all())

    @staticmethod
    def resolve_headquarters(obj: Customer) -> AddressOut | None:
        hq = obj.headquarters
        return AddressOut.model_validate(hq) if hq else None


class CustomerIn(InputSchema):
    number: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    legal_form: LegalForm | None = None
    parent_id: int | None = None
    industries: list[str] = Field(default_factory=list, description="WZ 2008 division codes")
    employees: int | None = Field(None, ge=0, le=10_000_000)
    size_class: SizeClass | None = None
    website: str = Field("", max_length=200)
    register_court: str = Field("", max_length=100)
    register_number: str = Field("", max_length=30)
    vat_id: str = Field("", max_length=20)
    notes: str = Field("", max_length=20_000)
    owner: str | None = Field(None, description="username of the key account manager")
    account_team: list[str] = Field(default_factory=list, description="usernames")
    headquarters: AddressIn | None = None


class CustomerPatch(InputSchema):
    version: int | None = Field(
        None, description="the version you read; the update is refused (409) if it changed"
    )
    number: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=200)
    legal_form: LegalForm | None = None
    parent_id: int | None = None
    industries: list[str] | None = None
    employees: int | None = Field(None, ge=0, le=10_000_000)
    size_class: SizeClass | None = None
    website: str | None = Field(None, max_length=200)
    register_court: str | None = Field(None, max_length=100)
    register_number: str | None = Field(None, max_length=30)
    vat_id: str | None = Field(None, max_length=20)
    notes: str | None = Field(None, max_length=20_000)
    owner: str | None = None
    account_team: list[str] | None = None
    headquarters: AddressIn | None = None


def _user_ids(usernames: list[str]) -> tuple[int, ...]:
    found = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    missing = sorted(set(usernames) - set(found))
    if missing:
        raise ValidationError(
            {"users": gettext("Unknown user: %(names)s.") % {"names": ", ".join(missing)}}
        )
    return tuple(found[name] for name in usernames)


def _data_from(payload: CustomerIn) -> CustomerData:
    owner_ids = _user_ids([payload.owner]) if payload.owner else ()
    hq = payload.headquarters
    return CustomerData(
        number=payload.number,
        name=payload.name,
        legal_form=payload.legal_form.value if payload.legal_form else "",
        parent_id=payload.parent_id,
        industry_codes=tuple(payload.industries),
        employees=payload.employees,
        size_class=payload.size_class.value if payload.size_class else "",
        website=payload.website,
        register_court=payload.register_court,
        register_number=payload.register_number,
        vat_id=payload.vat_id,
        notes=payload.notes,
        owner_id=owner_ids[0] if owner_ids else None,
        team_ids=_user_ids(payload.account_team),
        headquarters=HeadquartersData(**hq.model_dump()) if hq else None,
    )


def _current_as_input(customer: Customer) -> dict[str, object]:
    hq = customer.headquarters
    return {
        "number": customer.number,
        "name": customer.name,
        "legal_form": customer.legal_form or None,
        "parent_id": customer.parent_id,
        "industries": [i.code for i in customer.industries.all()],
        "employees": customer.employees,
        "size_class": customer.size_class or None,
        "website": customer.website,
        "register_court": customer.register_court,
        "register_number": customer.register_number,
        "vat_id": customer.vat_id,
        "notes": customer.notes,
        "owner": customer.owner.username if customer.owner else None,
        "account_team": sorted(u.username for u in customer.account_team.all()),
        "headquarters": AddressOut.model_validate(hq).model_dump() if hq else None,
    }


@router.post("/", response={201: CustomerOut, **ERRORS}, summary="Create a customer")
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[Customer]:
    user = acting_user(request)
    customer_create_access(user)
    return Status(201, customer_create(data=_data_from(payload), by=user))


@router.get("/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="Read a customer")
def get_customer(request: HttpRequest, customer_id: int) -> Customer:
    return customer_access(acting_user(request), customer_id)


CLEARABLE_TEXT = ("website", "register_court", "register_number", "vat_id", "notes")
"""Optional text fields that a PATCH with null clears; null elsewhere is refused with 422."""


@router.patch("/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="Change a customer")
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerPatch) -> Customer:
    user = acting_user(request)
    customer = customer_access(user, customer_id, for_edit=True)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    for key in CLEARABLE_TEXT:
        if key in changes and changes[key] is None:
            changes[key] = ""
    try:
        merged = CustomerIn(**{**_current_as_input(customer), **changes})
    except PydanticValidationError as error:
        raise NinjaValidationError([dict(e) for e in error.errors()]) from None
    return customer_update(
        customer=customer, data=_data_from(merged), by=user, expected_version=version
    )
