"""The changes page names, for every edit, exactly the fields it changed, with old and
new value as the pages show them, and records nothing for a save that changed nothing.

The edits go through the real pages (forms, views, services) on a customer of the demo,
which is loaded in bulk: the case a tester found, where a first unchanged save showed
"Geändert · Kunde" without a field and an address change nobody made.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import formats
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.buying_center.forms import ContactForm
from kundenbild.buying_center.models import Contact
from kundenbild.core.formatting import format_money, format_number
from kundenbild.core.history import MONEY_FIELDS, PERCENT_FIELDS
from kundenbild.customers.forms import CustomerForm
from kundenbild.customers.models import Address, Customer
from kundenbild.demo.loader import load_demo
from kundenbild.finance.models import FinanceProfile
from kundenbild.finance.views import PROFILE_FIELDS

pytestmark = pytest.mark.django_db

Entry = tuple[str, str, dict[str, tuple[str, str]]]
"""What the page shows of one entry: kind, subject, field → (old, new)."""


def entries(client: Client, customer: Customer) -> list[Entry]:
    page = client.get(reverse("profile:customer-history", args=[customer.pk]))
    assert page.status_code == 200
    found = []
    for item in page.content.decode().split('data-testid="history-entry"')[1:]:
        kind = _text(item, "history-kind")
        subject = _text(item, "history-subject")
        changes = re.findall(
            r'data-testid="history-field">(.*?)</span>: <del[^>]*>(.*?)</del> → '
            r'<span data-testid="history-new">(.*?)</span>',
            item,
        )
        found.append(
            (
                kind,
                subject,
                {html.unescape(f): (html.unescape(o), html.unescape(n)) for f, o, n in changes},
            )
        )
    return found


def _text(item: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</', item)
    assert match, testid
    return html.unescape(match.group(1))


def posted(initial: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A form's initial values, as its page would post them back, with `changes`."""
    data = {}
    for name, value in {**initial, **changes}.items():
        if value is None:
            value = ""
        elif isinstance(value, list):
            value = [v.pk if isinstance(v, models.Model) else v for v in value]
        elif isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        data[name] = value
    return data


def new_entries(client: Client, customer: Customer, before: list[Entry]) -> list[Entry]:
    after = entries(client, customer)
    added = after[: len(after) - len(before)]
    assert after[len(added) :] == before, "an earlier entry changed"
    return added


def history_rows(customer: Customer) -> tuple[int, ...]:
    """How many history rows the customer, its addresses, people and finance profile have."""
    return (
        customer.history.count(),
        Address.history.filter(customer_id=customer.pk).count(),
        Contact.history.filter(customer_id=customer.pk).count(),
        FinanceProfile.history.filter(customer_id=customer.pk).count(),
    )


def day(value: date) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT"))


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    load_demo(customers=8, seed=5)
    customer = (
        Customer.objects.filter(finance_profile__isnull=False, contacts__isnull=False)
        .distinct()
        .first()
    )
    assert customer is not None
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client, customer


def save_customer(client: Client, customer: Customer, **changes: Any) -> None:
    customer.refresh_from_db()
    data = posted(CustomerForm.initial_for(customer), **changes)
    response = client.post(reverse("customers:customer-update", args=[customer.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def save_finance(client: Client, customer: Customer, **changes: Any) -> None:
    profile = FinanceProfile.objects.get(customer=customer)
    initial = {f: getattr(profile, f) for f in PROFILE_FIELDS}
    response = client.post(
        reverse("finance:profile-save", args=[customer.pk]), posted(initial, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def test_every_entry_names_exactly_the_fields_its_edit_changed(demo) -> None:  # type: ignore[no-untyped-def]
    client, customer = demo
    history = entries(client, customer)
    assert all(kind == "Angelegt" and not changes for kind, _s, changes in history)

    rows = history_rows(customer)
    save_customer(client, customer)  # nothing changed: the tester's first edit
    assert new_entries(client, customer, history) == []
    assert history_rows(customer) == rows  # nor recorded: no row the page must hide
    assert Customer.objects.get(pk=customer.pk).version == customer.version

    old_name, old_employees = customer.name, customer.employees
    other = User.objects.get(username="kam")
    save_customer(
        client, customer, name="Umbenannt GmbH", employees=12345, legal_form="AG", owner=other
    )
    after = new_entries(client, customer, history)
    assert after == [
        (
            "Geändert",
            "Kunde",
            {
                "Name": (old_name, "Umbenannt GmbH"),
                "Mitarbeitende": (str(old_employees or "—"), "12345"),
                "Rechtsform": (customer.get_legal_form_display() or "—", "AG"),
                "Key-Account-Manager": (str(customer.owner), str(other)),
            },
        )
    ]
    history = entries(client, customer)

    street = customer.headquarters.street
    save_customer(client, customer, hq_street="Neuer Weg 7")
    assert new_entries(client, customer, history) == [
        (
            "Geändert",
            "Adresse: Neuer Weg 7, " + customer.headquarters.city,
            {"Straße und Hausnummer": (street, "Neuer Weg 7")},
        )
    ]
    history = entries(client, customer)

    contact = Contact.objects.filter(customer=customer).first()
    contact_url = reverse("buying_center:contact-update", args=[customer.pk, contact.pk])
    initial = ContactForm.initial_for(contact)
    old_attitude = contact.get_attitude_display()
    response = client.post(
        contact_url,
        posted(initial, attitude="opponent", last_contact_on=date(2025, 3, 4)),
    )
    assert response.status_code == 302
    old_contact = day(contact.last_contact_on) if contact.last_contact_on else "—"
    assert new_entries(client, customer, history) == [
        (
            "Geändert",
            f"Ansprechpartner: {contact.first_name} {contact.last_name}",
            {
                "Haltung zu uns": (old_attitude or "—", "Gegner"),
                "Letzter Kontakt": (old_contact, "04.03.2025"),
            },
        )
    ]
    history = entries(client, customer)

    rows = history_rows(customer)
    unchanged = posted(ContactForm.initial_for(Contact.objects.get(pk=contact.pk)))
    assert client.post(contact_url, unchanged).status_code == 302
    assert new_entries(client, customer, history) == []
    assert history_rows(customer) == rows

    profile = FinanceProfile.objects.get(customer=customer)
    save_finance(client, customer, credit_limit="50000")
    history = entries(client, customer)
    save_finance(
        client,
        customer,
        credit_limit="60000.00",
        rated_on=date(2026, 1, 31),
        credit_rating="2",
        credit_source="crif",
    )
    changed = new_entries(client, customer, history)
    assert len(changed) == 1
    kind, subject, fields = changed[0]
    assert (kind, subject) == ("Geändert", "Finanzprofil")
    assert fields["Kreditlimit"] == ("50.000,00\u00a0€", "60.000,00\u00a0€")
    assert fields["Bewertet am"] == (
        day(profile.rated_on) if profile.rated_on else "—",
        "31.01.2026",
    )
    assert set(fields) <= {"Kreditlimit", "Bewertet am", "Bonität", "Quelle der Bonität"}
    history = entries(client, customer)

    rows = history_rows(customer)
    save_finance(client, customer)  # the same values again: 60000 is stored as 60000.00
    assert new_entries(client, customer, history) == []
    assert history_rows(customer) == rows

    activity = Activity.objects.create(
        customer=customer,
        kind="call",
        subject="Rückruf",
        follow_up_on=date.today() + timedelta(days=3),
        follow_up_by=User.objects.get(username="admin"),
        created_by=User.objects.get(username="admin"),
    )
    history = entries(client, customer)
    assert client.post(reverse("activities:follow-up-done", args=[activity.pk])).status_code == 302
    assert new_entries(client, customer, history) == [
        ("Geändert", "Aktivität: Rückruf", {"Wiedervorlage erledigt": ("Nein", "Ja")})
    ]


CUSTOMER_EDITS = {
    "name": st.sampled_from(["Alpha GmbH", "Beta AG", "Gamma KG"]),
    "employees": st.none() | st.integers(min_value=0, max_value=100_000),
    "notes": st.sampled_from(["", "Jahresgespräch im März", "Rahmenvertrag"]),
}
FINANCE_EDITS = {
    "credit_limit": st.none()
    | st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    "payment_days_net": st.none() | st.integers(min_value=0, max_value=365),
    "rated_on": st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    "observed_days_to_pay": st.none()
    | st.decimals(min_value=0, max_value=999, places=1, allow_nan=False, allow_infinity=False),
}


def shown(model: type[models.Model], name: str, value: Any) -> str:
    """A value as the page should show it, by what the field holds."""
    if value is None or value == "":
        return "—"
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        assert f"{model._meta.label_lower}.{name}" not in PERCENT_FIELDS
        if f"{model._meta.label_lower}.{name}" in MONEY_FIELDS:
            return format_money(Decimal(value))
        return format_number(Decimal(value), field.decimal_places)
    if isinstance(value, date):
        return day(value)
    return str(value)


def label(model: type[models.Model], name: str) -> str:
    text = str(model._meta.get_field(name).verbose_name)
    return text[:1].upper() + text[1:]


@settings(
    max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(
    customer_edit=st.fixed_dictionaries({}, optional=CUSTOMER_EDITS),
    finance_edit=st.fixed_dictionaries({}, optional=FINANCE_EDITS),
)
def test_random_edits_show_exactly_what_they_changed(
    client_for, users, customer_edit: dict[str, Any], finance_edit: dict[str, Any]
) -> None:  # type: ignore[no-untyped-def]
    customer = Customer.objects.filter(number="H-1").first()
    if customer is None:
        customer = Customer.objects.create(
            number="H-1", name="Alpha GmbH", size_class="large", owner=users["admin"]
        )
        FinanceProfile.objects.create(
            customer=customer, credit_rating="2", credit_source="crif", rated_on=date(2024, 1, 1)
        )
    client = client_for("admin")
    before_customer = {name: getattr(customer, name) for name in CUSTOMER_EDITS}
    profile = FinanceProfile.objects.get(customer=customer)
    before_finance = {name: getattr(profile, name) for name in FINANCE_EDITS}
    history = entries(client, customer)

    save_customer(client, customer, **customer_edit)
    save_finance(client, customer, **finance_edit)

    expected = []
    for model, subject, before, edit in [
        (FinanceProfile, "Finanzprofil", before_finance, finance_edit),
        (Customer, "Kunde", before_customer, customer_edit),
    ]:
        changed = {
            label(model, name): (shown(model, name, before[name]), shown(model, name, value))
            for name, value in edit.items()
            if value != before[name]
        }
        if changed:
            expected.append(("Geändert", subject, changed))
    assert new_entries(client, customer, history) == expected


def test_a_change_to_a_record_loaded_without_history_says_its_old_values_are_unknown(
    client_for, users
) -> None:  # type: ignore[no-untyped-def]
    customer = Customer.objects.create(number="H-2", name="Ohne Verlauf GmbH")
    (address,) = Address.objects.bulk_create(
        [Address(customer=customer, street="Altweg 1", postal_code="10115", city="Berlin")]
    )
    address.street = "Neuweg 2"
    address.save()
    (entry,) = [e for e in entries(client_for("admin"), customer) if e[1].startswith("Adresse")]
    assert entry == ("Geändert", "Adresse: Neuweg 2, Berlin", {})
    page = client_for("admin").get(reverse("profile:customer-history", args=[customer.pk]))
    assert "Die Werte vor dieser Änderung wurden nicht festgehalten." in page.content.decode()
