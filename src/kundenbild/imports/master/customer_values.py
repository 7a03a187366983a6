"""A customer's master data as text, one value per field, from the file and from the
database alike: what `comparison.compare` weighs, what `erp_values` keeps, what the
dry run shows (old → new), and what a rollback writes back.

The fields a file brings are those whose columns it has; a customer's other fields are
never compared and never touched. An address is one field per kind (headquarters,
delivery, billing): its street, postal code, city and country on four lines.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kundenbild.customers.models import Address, AddressKind, Customer, SizeClass
from kundenbild.identifiers import normalize_vat_id, parse_register_number
from kundenbild.imports.master.customers import AddressRow, CustomerRow
from kundenbild.imports.master.kinds import KindMapping

# the customer's own columns, set as they are (after the file's value is normalised)
PLAIN = ("name", "legal_form", "vat_id", "register_court", "register_number", "website", "segment")
ADDRESS_KINDS = {
    "address_headquarters": (AddressKind.HEADQUARTERS, ""),
    "address_delivery": (AddressKind.DELIVERY, "delivery_"),
    "address_billing": (AddressKind.BILLING, "billing_"),
}
_ADDRESS_PARTS = ("street", "postal_code", "city", "country")
FIELDS = (*PLAIN, "employees", "industry", "parent", "owner", *ADDRESS_KINDS)


def brought(mapping: KindMapping) -> frozenset[str]:
    """The fields a file with this mapping brings (the legal form also comes from the
    name: see `file_values`)."""
    columns = set(mapping.columns)
    fields = {f for f in PLAIN if f in columns} | {"name"}
    fields |= {f for f in ("employees", "owner") if f in columns}
    fields |= {"industry"} & columns | ({"parent"} if "parent_number" in columns else set())
    for field, (_kind, prefix) in ADDRESS_KINDS.items():
        parts = {prefix + p for p in _ADDRESS_PARTS} | ({"house_number"} if not prefix else set())
        if parts & columns:
            fields.add(field)
    return frozenset(fields)


def address_text(street: str, postal_code: str, city: str, country: str) -> str:
    return "\n".join((street, postal_code, city, country))


def address_parts(text: str) -> tuple[str, str, str, str] | None:
    """An address field's four parts; None for the empty field (no such address)."""
    if not text:
        return None
    street, postal_code, city, country = text.split("\n")
    return street, postal_code, city, country


def file_values(row: CustomerRow, fields: frozenset[str], owner: str) -> dict[str, str]:
    """The row's value of each field the file brings, normalised as the database would
    store it; `owner` is the user name the row's key account manager resolved to. A
    legal form the row neither states nor shows in its name is not brought."""
    values = {
        "name": row.name,
        "legal_form": row.legal_form,
        "vat_id": normalize_vat_id(row.vat_id) if row.vat_id else "",
        "register_court": row.register_court,
        "register_number": _register_number(row.register_number),
        "website": _website(row.website),
        "segment": row.segment,
        "employees": "" if row.employees is None else str(row.employees),
        # Kundenbild's industries are the 88 WZ divisions: "28.41" is division 28
        "industry": (row.industry_code or "")[:2],
        "parent": row.parent_number,
        "owner": owner,
    }
    by_kind: dict[str, AddressRow] = {a.kind: a for a in row.addresses}
    for field, (kind, _prefix) in ADDRESS_KINDS.items():
        found = by_kind.get(kind)
        values[field] = (
            address_text(found.street, found.postal_code, found.city, found.country)
            if found
            else ""
        )
    chosen = {f: v for f, v in values.items() if f in fields}
    if row.legal_form:  # from its column or from the name
        chosen["legal_form"] = row.legal_form
    return chosen


@dataclass(frozen=True)
class Relations:
    """A stored customer's addresses (in the order the page lists them) and industry
    codes: read for a chunk of customers in two queries (`relations_of`), not through
    Django's prefetching, which builds two query sets per customer."""

    addresses: tuple[Address, ...] = ()
    industries: tuple[str, ...] = ()

    def first_address(self, kind: str) -> Address | None:
        return next((a for a in self.addresses if a.kind == kind), None)


NO_RELATIONS = Relations()  # of a customer not yet saved


def relations_of(ids: Sequence[int]) -> dict[int, Relations]:
    addresses: dict[int, list[Address]] = defaultdict(list)
    for address in Address.objects.filter(customer_id__in=ids).order_by("kind", "id"):
        addresses[address.customer_id].append(address)
    codes: dict[int, list[str]] = defaultdict(list)
    link = Customer.industries.through.objects.filter(customer_id__in=ids)
    for customer_id, code in link.values_list("customer_id", "industry_id"):
        codes[customer_id].append(code)
    return {pk: Relations(tuple(addresses[pk]), tuple(sorted(codes[pk]))) for pk in ids}


def record_values(
    customer: Customer, relations: Relations, parent_number: str, owner: str
) -> dict[str, str]:
    """The customer's value of every field, as `file_values` gives them."""
    values = {f: getattr(customer, f) or "" for f in PLAIN}
    values["employees"] = "" if customer.employees is None else str(customer.employees)
    values["industry"] = ",".join(relations.industries)
    values["parent"] = parent_number
    values["owner"] = owner
    for field, (kind, _prefix) in ADDRESS_KINDS.items():
        found = relations.first_address(kind)
        values[field] = (
            address_text(found.street, found.postal_code, found.city, found.country)
            if found
            else ""
        )
    return values


def apply_plain(customer: Customer, values: Mapping[str, str]) -> None:
    """Set the customer's own columns among `values` (not parent, owner, industry or
    addresses, which name other rows)."""
    for field in PLAIN:
        if field in values:
            setattr(customer, field, values[field])
    if "employees" in values:
        customer.employees = int(values["employees"]) if values["employees"] else None
        customer.size_class = SizeClass.for_employees(customer.employees)


def _register_number(text: str) -> str:
    """As the customer's `clean` stores it; as given where it does not parse (the
    validation then says why)."""
    with contextlib.suppress(ValueError):
        return str(parse_register_number(text)) if text else ""
    return text


def _website(text: str) -> str:
    """An address as ERPs keep it ("www.example.de") as the link the field holds."""
    if text and "://" not in text:
        return f"https://{text}"
    return text
