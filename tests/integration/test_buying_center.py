"""The buying center: people with roles, influence and attitude, and our coverage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kundenbild.buying_center.models import Contact
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def add(client, customer, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("buying_center:buying-center", args=[customer.pk]), data)


def test_a_person_with_two_roles_appears_with_coverage_gaps(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    response = add(
        client,
        customer,
        first_name="Eva",
        last_name="Roth",
        function="Geschäftsführerin",
        roles=["decider", "initiator"],
        influence="high",
        attitude="supporter",
    )
    assert response.status_code == 302
    eva = Contact.objects.get(last_name="Roth")
    assert sorted(r.code for r in eva.buying_roles.all()) == ["decider", "initiator"]
    html = client.get(reverse("profile:customer-detail", args=[customer.pk])).content.decode()
    coverage = html[html.index('data-testid="coverage"') :]
    assert "Entscheider" in html
    assert "Unterstützer" in html
    assert "Einkäufer" in coverage[: coverage.index("Schlüsselpersonen")]  # a role nobody fills
    assert "Eva Roth" in coverage  # a decider none of us knows


def test_knowing_a_key_person_twice_removes_the_gaps(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    add(client, customer, last_name="Roth", roles=["decider"], known_by=[users["kam"].pk])
    html = client.get(reverse("buying_center:buying-center", args=[customer.pk])).content.decode()
    single = html[html.index("Nur einem von uns bekannte Schlüsselpersonen") :]
    assert "Roth" in single[: single.index("</div>")]
    eva = Contact.objects.get(last_name="Roth")
    client.post(
        reverse("buying_center:contact-update", args=[customer.pk, eva.pk]),
        {
            "last_name": "Roth",
            "roles": ["decider"],
            "known_by": [users["kam"].pk, users["sales"].pk],
            "last_contact_on": (date.today() - timedelta(days=400)).isoformat(),
        },
    )
    html = client.get(reverse("buying_center:buying-center", args=[customer.pk])).content.decode()
    single = html[html.index("Nur einem von uns bekannte Schlüsselpersonen") :]
    assert "Roth" not in single[: single.index("</div>")]
    stale = html[html.index("Seit sechs Monaten ohne Kontakt") :]
    assert "Roth" in stale[: stale.index("</div>")]
    assert eva.history.count() >= 2


def test_without_the_edit_right_the_buying_center_is_read_only(client_for, users) -> None:
    customer = CustomerFactory(owner=users["management"])
    client = client_for("service")
    page = client.get(reverse("buying_center:buying-center", args=[customer.pk]))
    assert page.status_code == 200
    assert 'data-testid="contact-form"' not in page.content.decode()
    assert add(client, customer, last_name="X").status_code == 403
    assert not Contact.objects.exists()


def test_a_person_needs_a_last_name_and_a_valid_email(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = add(client_for("kam"), customer, first_name="Nur", email="kaputt")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich" in html
    assert "gültige E-Mail-Adresse" in html
    assert not Contact.objects.exists()


def test_salutation_title_and_mobile_are_kept_and_shown_on_the_profile(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    response = add(
        client,
        customer,
        salutation="ms",
        title="Dr.",
        first_name="Eva",
        last_name="Roth",
        phone="0561 123",
        mobile="0171 456",
    )
    assert response.status_code == 302
    eva = Contact.objects.get(last_name="Roth")
    assert (eva.salutation, eva.title, eva.mobile) == ("ms", "Dr.", "0171 456")
    html = client.get(reverse("profile:customer-detail", args=[customer.pk])).content.decode()
    people = html[html.index('data-testid="people-table"') :]
    assert "Frau Dr. Eva Roth" in people
    assert "0171 456" in people
    form = client.get(reverse("buying_center:contact-update", args=[customer.pk, eva.pk]))
    assert 'value="Dr."' in form.content.decode()


def test_the_history_leaves_the_erp_values_out(users) -> None:
    history_fields = {f.name for f in Contact.history.model._meta.get_fields()}
    assert {"salutation", "title", "mobile"} <= history_fields
    assert "erp_values" not in history_fields
