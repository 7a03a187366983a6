"""The words for the fields of master-data files: the columns a file maps (`kinds.py`)
and the record fields a report compares (an address is one field per kind)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

_ADDRESS_PARTS = {
    "street": _("street"),
    "postal_code": _("postal code"),
    "city": _("city"),
    "country": _("country"),
}

CUSTOMER_LABELS: dict[str, Promise] = {
    "number": _("customer number"),
    "name": _("name"),
    "name_2": _("name 2"),
    "name_3": _("name 3"),
    **_ADDRESS_PARTS,
    "house_number": _("house number"),
    "vat_id": _("VAT number"),
    "register_court": _("register court"),
    "register_number": _("register number"),
    "industry": _("industry"),
    "employees": _("employees"),
    "parent_number": _("number of the group parent"),
    "parent": _("group parent"),
    "owner": _("key account manager"),
    "segment": _("customer segment"),
    "legal_form": _("legal form"),
    "website": _("website"),
    "delivery_street": _("delivery address: street"),
    "delivery_postal_code": _("delivery address: postal code"),
    "delivery_city": _("delivery address: city"),
    "delivery_country": _("delivery address: country"),
    "billing_street": _("billing address: street"),
    "billing_postal_code": _("billing address: postal code"),
    "billing_city": _("billing address: city"),
    "billing_country": _("billing address: country"),
    "address_headquarters": _("Headquarters"),
    "address_delivery": _("Delivery address"),
    "address_billing": _("Billing address"),
}

PEOPLE_LABELS: dict[str, Promise] = {
    "customer_number": _("customer number"),
    "customer": _("customer"),  # as the report compares it: the customer's number
    "salutation": _("salutation"),
    "title": _("academic title"),
    "first_name": _("first name"),
    "last_name": _("last name"),
    "function": _("function"),
    "department": _("department"),
    "email": _("E-mail"),
    "phone": _("phone"),
    "mobile": _("mobile phone"),
    "buying_roles": _("buying roles"),
    "influence": _("influence"),
    "attitude": _("attitude towards us"),
    "known_by": _("known by (our staff)"),
}

OFFERING_LABELS: dict[str, Promise] = {
    "number": _("article number"),
    "name": _("name"),
    "name_de": _("name"),
    "name_en": _("English name"),
    "group": _("offering group"),
    "kind": _("kind"),
    "unit": _("unit"),
}

LABELS: dict[str, dict[str, Promise]] = {
    "customers": CUSTOMER_LABELS,
    "people": PEOPLE_LABELS,
    "offerings": OFFERING_LABELS,
}


def field_label(content: str, field: str) -> str:
    """The field's name for people, capitalised; the field's own name if it has none."""
    label = LABELS.get(content, {}).get(field)
    return str(capfirst(str(label) if label is not None else field))


def field_value(value: str | None) -> str:
    """A compared value as one line: an address's lines joined with commas, its empty
    parts left out."""
    return ", ".join(part for part in (value or "").split("\n") if part)
