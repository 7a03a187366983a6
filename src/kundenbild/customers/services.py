"""Writes on customers: create and update, validated, dated in the history, race-safe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.core.bulk import (
    delete_rows,
    history_write,
    ids_changed,
    ids_in_use,
    refused_as_taken,
)
from kundenbild.core.errors import ConflictError, RecordsRefusedError, Refusal
from kundenbild.core.history import differs_from_stored
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


def _validate(customer: Customer, address: Address | None, *, unique: bool = True) -> None:
    """Check customer and address together, so the user sees every problem at once.

    `unique=False` leaves out the query per customer for a number in use, for a batch
    that checks its numbers at once (`refused_as_taken`).
    """
    errors: dict[str, list[str]] = {}
    try:
        customer.full_clean(validate_unique=unique)
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


@dataclass(frozen=True)
class CheckedCustomers:
    """New customers checked by `customers_check_many`, not yet saved, and the records
    it refused: what `customers_create_many` creates, or refuses."""

    customers: tuple[Customer, ...]
    refused: tuple[Refusal, ...]


def customers_check_many(data: Sequence[CustomerData]) -> CheckedCustomers:
    """Check new customers by the rules of `customer_create`; writes nothing.

    Master data only (no industries, account team or address), and the key account
    manager only as given: a batch comes from a machine, not from the person running it.
    A number in use, or twice in the batch, is found in one query for all.
    """
    customers, refused = [], []
    for index, record in enumerate(data):
        if record.industry_codes or record.team_ids or record.headquarters:
            raise ValueError("customers_check_many takes master data only")
        customer = Customer()
        _apply(customer, record)
        try:
            _validate(customer, None, unique=False)
        except ValidationError as error:
            refused += [
                Refusal(index, field, " ".join(messages))
                for field, messages in error.message_dict.items()
            ]
        customers.append(customer)
    refused += refused_as_taken(customers, "number")
    return CheckedCustomers(tuple(customers), tuple(sorted(refused, key=lambda r: r.index)))


@transaction.atomic
def customers_create_many(
    checked: CheckedCustomers, *, by: User | None, reason: str
) -> list[Customer]:
    """Create the checked customers in bulk, all or none, each with its history row
    ("+", author `by`, change reason `reason`, e.g. the import that created it).

    Raises `RecordsRefusedError` naming every record the check refused. Checking first
    lets a caller report the refusals with its own (an import: the rows of the file)
    before it writes anything; a number taken in between is refused by the database.
    """
    if checked.refused:
        raise RecordsRefusedError(list(checked.refused))
    created = Customer.objects.bulk_create(checked.customers, batch_size=1000)
    history_write(Customer, [c.pk for c in created], kind="+", by=by, reason=reason)
    return created


@transaction.atomic
def customers_delete_unused(ids: Sequence[int], *, by: User | None, reason: str) -> list[int]:
    """Delete those of the customers nobody has worked on: nothing refers to them and
    their history holds only their creation. Returns the ids deleted; the others stay.

    Each deleted customer gets its "-" history row (author `by`, change reason `reason`),
    as a deletion by `delete()` would: its history then says who created it, and why
    and by whom it went. Meant for undoing a batch (`customers_create_many`).
    """
    kept = ids_in_use(Customer, ids) | ids_changed(Customer, ids)
    unused = [pk for pk in ids if pk not in kept]
    history_write(Customer, unused, kind="-", by=by, reason=reason)
    delete_rows(Customer, unused)
    return unused


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
    own_changed = differs_from_stored(locked)
    links_changed = set(industries) != set(locked.industries.all()) or set(team) != set(
        locked.account_team.all()
    )
    address_changed = address is not None and differs_from_stored(address)
    if not (own_changed or links_changed or address_changed):
        return locked  # an unchanged form: no history row, no new version
    locked.version += 1
    if own_changed:
        locked.save()
    else:  # the links and the address keep their own history; the version moves on
        Customer.objects.filter(pk=locked.pk).update(
            version=locked.version, updated_at=timezone.now()
        )
    locked.industries.set(industries)
    locked.account_team.set(team)
    if address_changed:
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
    if differs_from_stored(address):
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
    if differs_from_stored(unit):
        unit.save()
    return unit


@transaction.atomic
def business_unit_delete(*, unit: BusinessUnit) -> None:
    unit.delete()


@transaction.atomic
def customers_update_many(
    customers: Sequence[Customer],
    fields: Sequence[str],
    *,
    by: User | None,
    reason: str,
    changed: Sequence[int] = (),
) -> None:
    """Write `fields` of the customers in bulk, checked by the caller by the rules of
    `customer_update` (an import checks a whole file first). The customers in `changed`
    changed in substance: they get a new version and their "~" history row (author `by`,
    change reason `reason`); the others only had bookkeeping written (`erp_values`)."""
    if not customers:
        return
    moved = set(changed)
    for customer in customers:
        if customer.pk in moved:
            customer.version += 1
    Customer.objects.bulk_update(customers, [*fields, "version"], batch_size=500)
    history_write(Customer, sorted(moved), kind="~", by=by, reason=reason)


@transaction.atomic
def addresses_write_many(
    *,
    create: Sequence[Address] = (),
    update: Sequence[Address] = (),
    delete: Sequence[int] = (),
    by: User | None,
    reason: str,
) -> None:
    """Create, change and delete addresses in bulk, each with its history row, checked
    by the caller (`Address.clean_fields` and `check_postal_code`)."""
    created = Address.objects.bulk_create(create, batch_size=1000)
    history_write(Address, [a.pk for a in created], kind="+", by=by, reason=reason)
    fields = ["kind", "street", "postal_code", "city", "country"]
    Address.objects.bulk_update(update, fields, batch_size=500)
    history_write(Address, [a.pk for a in update], kind="~", by=by, reason=reason)
    history_write(Address, delete, kind="-", by=by, reason=reason)
    delete_rows(Address, delete)


@transaction.atomic
def industries_replace_many(codes: dict[int, tuple[str, ...]]) -> None:
    """Give each customer (by id) exactly the industries named (WZ division codes)."""
    link = Customer.industries.through
    ids = list(codes)
    for start in range(0, len(ids), 900):
        link.objects.filter(customer_id__in=ids[start : start + 900]).delete()
    link.objects.bulk_create(
        [link(customer_id=pk, industry_id=code) for pk, wanted in codes.items() for code in wanted],
        batch_size=1000,
    )
