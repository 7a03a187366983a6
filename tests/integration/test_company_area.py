"""Addresses and business units of a customer: pages and API, with the edit permission."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kundenbild.customers.models import Address, BusinessUnit
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DELIVERY = {
    "kind": "delivery",
    "street": "Lagerweg 4",
    "postal_code": "28195",
    "city": "Bremen",
    "country": "de",
}


def test_the_owner_adds_and_removes_an_address(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    response = client.post(reverse("customers:address-create", args=[customer.pk]), DELIVERY)
    assert response.status_code == 302
    address = customer.addresses.get(kind="delivery")
    assert (address.city, address.country) == ("Bremen", "DE")
    assert address.history.count() == 1
    page = client.get(reverse("profile:customer-detail", args=[customer.pk])).content.decode()
    assert "Lagerweg 4" in page
    client.post(reverse("customers:address-delete", args=[customer.pk, address.pk]))
    assert not customer.addresses.filter(kind="delivery").exists()


def test_a_second_headquarters_is_refused_with_a_clear_message(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = client_for("kam").post(
        reverse("customers:address-create", args=[customer.pk]),
        {**DELIVERY, "kind": "headquarters"},
    )
    assert response.status_code == 400
    assert "bereits einen Hauptsitz" in response.content.decode()
    assert customer.addresses.count() == 1


def test_an_invalid_postal_code_is_refused(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = client_for("kam").post(
        reverse("customers:address-create", args=[customer.pk]), {**DELIVERY, "postal_code": "2819"}
    )
    assert response.status_code == 400
    assert "ist keine deutsche Postleitzahl" in response.content.decode()
    assert customer.addresses.count() == 1


def test_business_units_are_added_once_per_name(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    url = reverse("customers:business-unit-create", args=[customer.pk])
    assert (
        client.post(url, {"name": "Werkzeugbau", "description": "Standort Ulm"}).status_code == 302
    )
    duplicate = client.post(url, {"name": "Werkzeugbau"})
    assert duplicate.status_code == 400
    assert BusinessUnit.objects.filter(customer=customer).count() == 1
    unit = BusinessUnit.objects.get(customer=customer)
    client.post(reverse("customers:business-unit-delete", args=[customer.pk, unit.pk]))
    assert not BusinessUnit.objects.filter(customer=customer).exists()


@pytest.mark.parametrize("role", ["service", "controller", "sales"])
def test_without_the_edit_right_nothing_changes(client_for, users, role: str) -> None:
    customer = CustomerFactory(owner=users["management"])
    unit = BusinessUnit.objects.create(customer=customer, name="Einkauf")
    client = client_for(role)
    assert client.get(reverse("customers:customer-company", args=[customer.pk])).status_code == 403
    assert (
        client.post(reverse("customers:address-create", args=[customer.pk]), DELIVERY).status_code
        == 403
    )
    assert (
        client.post(
            reverse("customers:business-unit-delete", args=[customer.pk, unit.pk])
        ).status_code
        == 403
    )
    assert BusinessUnit.objects.filter(pk=unit.pk).exists()
    assert customer.addresses.count() == 1


def test_an_address_of_another_customer_cannot_be_removed_through_this_one(
    client_for, users
) -> None:
    mine = CustomerFactory(owner=users["kam"])
    other = CustomerFactory(owner=users["management"])
    foreign = other.addresses.get()
    response = client_for("kam").post(
        reverse("customers:address-delete", args=[mine.pk, foreign.pk])
    )
    assert response.status_code == 404
    assert Address.objects.filter(pk=foreign.pk).exists()


def test_api_manages_addresses_and_business_units(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["sales"])
    client = api_client_for("sales")
    base = f"/api/customers/{customer.pk}"
    created = client.post(f"{base}/addresses", DELIVERY, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["country"] == "DE"
    kinds = sorted(a["kind"] for a in client.get(f"{base}/addresses").json())
    assert kinds == ["delivery", "headquarters"]
    second_hq = client.post(
        f"{base}/addresses", {**DELIVERY, "kind": "headquarters"}, content_type="application/json"
    )
    assert second_hq.status_code == 422
    assert "kind" in second_hq.json()["fields"]
    unit = client.post(
        f"{base}/business-units", {"name": "Instandhaltung"}, content_type="application/json"
    )
    assert unit.status_code == 201
    assert client.delete(f"{base}/business-units/{unit.json()['id']}").status_code == 204
    assert client.get(f"{base}/business-units").json() == []
    assert client.delete(f"{base}/addresses/{created.json()['id']}").status_code == 204
    missing = client.delete(f"{base}/addresses/{created.json()['id']}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_api_reading_is_open_but_writing_needs_the_edit_right(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["management"])
    client = api_client_for("service")
    assert client.get(f"/api/customers/{customer.pk}/addresses").status_code == 200
    refused = client.post(
        f"/api/customers/{customer.pk}/business-units",
        {"name": "X"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert not BusinessUnit.objects.filter(customer=customer).exists()


def test_changes_to_addresses_and_units_appear_in_the_customer_history(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    client.post(reverse("customers:address-create", args=[customer.pk]), DELIVERY)
    client.post(reverse("customers:business-unit-create", args=[customer.pk]), {"name": "Montage"})
    html = client.get(reverse("profile:customer-history", args=[customer.pk])).content.decode()
    assert "Adresse: Lagerweg 4, Bremen" in html
    assert "Geschäftsbereich: Montage" in html
    assert str(users["kam"]) in html
    assert html.index("Geschäftsbereich: Montage") < html.index("Adresse: Lagerweg 4")
