"""Writes on customers: create and update, validated, dated in the history, race-safe."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.core.errors import ConflictError
from kundenbild.customers.models import Address, AddressKind, BusinessUnit, Customer, Industry


@dataclass(frozen=True)
class HeadquartersData:
    street: str
    postal_code: str
    city: str
    country: str = "DE"


@dataclass(frozen=True)
class CustomerData:
    """Everything a person can set on a customer's master data in one go."""

    number: str
    name: str
    legal_form: str = ""
    parent_id: int | None = None
    industry_codes: tuple[str, ...] = ()
    employees: int | None = None
    size_class: str = ""
    website: str = ""
    register_court: str = ""
    register_number: str = ""
    vat_id: str = ""
    notes: str = ""
    owner_id: int | None = None
    team_ids: tuple[int, ...] = ()
    headquarters: HeadquartersData | None = None


def _industries(codes: tuple[str, ...]) -> list[Industry]:
    found = list(Industry.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {i.code for i in found})
    if missing:
        raise ValidationError(
            {"industries": _("Unknown WZ 2008 code: %(codes)s.") % {"codes": ", ".join(missing)}}
        )
    return found


def _team(ids: tuple[int, ...]) -> list[User]:
    members = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(members) != len(set(ids)):
        raise ValidationError({"account_team": _("The account team names an unknown user.")})
    return members


def _apply(customer: Customer, data: CustomerData) -> None:
    customer.number = data.number.strip()
    customer.name = data.name.strip()
    customer.legal_form = data.legal_form
    customer.parent_id = data.parent_id
    customer.employees = data.employees
    customer.size_class = data.size_class
    customer.website = data.website
    customer.register_court = data.register_court.strip()
    customer.register_number = data.register_number.strip()
    customer.vat_id = data.vat_id.strip()
    customer.notes = data.notes
    customer.owner_id = data.owner_id


def _headquarters(customer: Customer, hq: HeadquartersData | None) -> Address | None:
    """The headquarters address with the new values applied, not yet saved."""
    if hq is None:
        return None
    address = None
    if customer.pk is not None:
        address = customer.addresses.filter(kind=AddressKind.HEADQUARTERS).first()
    address = address or Address(kind=AddressKind.HEADQUARTERS)
    address.street = hq.street.strip()
    address.postal_code = hq.postal_code.strip()
    address.city = hq.city.strip()
    address.country = hq.country.strip() or "DE"
    return address


def _validate(customer: Customer, address: Address | None) -> None:
    """Check customer and address together, so the user sees every problem at once."""
    errors: dict[str, list[str]] = {}
    try:
        customer.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if address is not None:
        try:
            address.full_clean(exclude=["customer"])
        except ValidationError as error:
            errors.update(
                {f"headquarters.{name}": msgs for name, msgs in error.message_dict.items()}
            )
    if errors:
        raise ValidationError(errors)


def _save_headquarters(customer: Customer, address: Address | None) -> None:
    if address is not None:
        address.customer = customer
        address.save()


@transaction.atomic
def customer_create(*, data: CustomerData, by: User | None) -> Customer:
    customer = Customer()
    _apply(customer, data)
    if customer.owner_id is None and by is not None:
        customer.owner_id = by.pk
    address = _headquarters(customer, data.headquarters)
    _validate(customer, address)
    industries = _industries(data.industry_codes)
    team = _team(data.team_ids)
    customer.save()
    customer.industries.set(industries)
    customer.account_team.set(team)
    _save_headquarters(customer, address)
    return customer


@transaction.atomic
def customer_update(
    *, customer: Customer, data: CustomerData, by: User | None, expected_version: int | None
) -> Customer:
    """Apply an edit; refuse it if someone else saved in between (optimistic lock)."""
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _(
                "Someone else changed this customer while you were editing. Please reload the "
                "page and enter your changes again."
            )
        )
    _apply(locked, data)
    address = _headquarters(locked, data.headquarters)
    _validate(locked, address)
    industries = _industries(data.industry_codes)
    team = _team(data.team_ids)
    locked.version += 1
    locked.save()
    locked.industries.set(industries)
    locked.account_team.set(team)
    _save_headquarters(locked, address)
    return locked


@dataclass(frozen=True)
class AddressData:
    kind: str
    street: str
    postal_code: str
    city: str
    country: str = "DE"


@transaction.atomic
def address_save(
    *, customer: Customer, data: AddressData, address: Address | None = None
) -> Address:
    """Create an address of the customer, or change one of its addresses."""
    address = address or Address(customer=customer)
    address.kind = data.kind
    address.street = data.street.strip()
    address.postal_code = data.postal_code.strip()
    address.city = data.city.strip()
    address.country = data.country.strip().upper() or "DE"
    address.full_clean()
    address.save()
    return address


@transaction.atomic
def address_delete(*, address: Address) -> None:
    address.delete()


@transaction.atomic
def business_unit_save(
    *, customer: Customer, name: str, description: str = "", unit: BusinessUnit | None = None
) -> BusinessUnit:
    """Create a business unit of the customer, or rename or describe one."""
    unit = unit or BusinessUnit(customer=customer)
    unit.name = name.strip()
    unit.description = description.strip()
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def business_unit_delete(*, unit: BusinessUnit) -> None:
    unit.delete()
