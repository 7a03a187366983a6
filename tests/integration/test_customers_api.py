"""`/api/customers/`: behaviour, validation and translated errors."""

from __future__ import annotations

import pytest

from kundenbild.customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

VALID = {
    "number": "K-900",
    "name": "Hansen Präzisionstechnik GmbH",
    "legal_form": "GmbH",
    "industries": ["28"],
    "employees": 120,
    "vat_id": "DE136695976",
    "register_court": "Amtsgericht Hamburg",
    "register_number": "hrb12345",
    "headquarters": {"street": "Hafenstraße 3", "postal_code": "20457", "city": "Hamburg"},
}


def test_create_then_read_a_customer(api_client_for, users) -> None:
    client = api_client_for("kam")
    created = client.post("/api/customers/", VALID, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["register_number"] == "HRB 12345"
    assert body["size_class"] == "medium"
    assert body["owner"] == "kam"
    assert body["headquarters"]["city"] == "Hamburg"
    read = client.get(f"/api/customers/{body['id']}").json()
    assert read == body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"vat_id": "DE136695977"}, "vat_id"),
        ({"number": "=HYPERLINK(1)"}, "number"),
        ({"number": "K\t900"}, "number"),
        ({"register_number": "HRX 1"}, "register_number"),
        ({"industries": ["00"]}, "industries"),
        (
            {"headquarters": {"street": "A 1", "postal_code": "123", "city": "X"}},
            "headquarters.postal_code",
        ),
        ({"employees": -3}, "employees"),
        ({"name": ""}, "name"),
        ({"legal_form": "Kapitalgesellschaft"}, "legal_form"),
        ({"name": "Null\x00Werk GmbH"}, "name"),
        (
            {"headquarters": {"street": "A 1", "postal_code": "10115", "city": "B\x00"}},
            "headquarters.city",
        ),
    ],
)
def test_invalid_input_is_refused_with_the_field_and_changes_nothing(
    api_client_for, change: dict, field: str
) -> None:
    response = api_client_for("kam").post(
        "/api/customers/", {**VALID, **change}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert any(key.startswith(field) for key in body["fields"]), body
    assert not Customer.objects.exists()


def test_errors_are_german_by_default_and_english_on_request(api_client_for) -> None:
    client = api_client_for("kam")
    bad = {**VALID, "vat_id": "DE1"}
    german = client.post("/api/customers/", bad, content_type="application/json").json()
    english = client.post(
        "/api/customers/", bad, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert "ist keine gültige" in german["fields"]["vat_id"][0]
    assert "is not a valid VAT number" in english["fields"]["vat_id"][0]
    assert german["detail"] != english["detail"]


def test_malformed_json_is_refused(api_client_for) -> None:
    response = api_client_for("kam").post(
        "/api/customers/", "{not json", content_type="application/json"
    )
    assert response.status_code in {400, 422}
    assert "detail" in response.json()
    assert not Customer.objects.exists()


def test_duplicate_customer_numbers_are_refused(api_client_for) -> None:
    CustomerFactory(number="K-900")
    response = api_client_for("admin").post(
        "/api/customers/", VALID, content_type="application/json"
    )
    assert response.status_code == 422
    assert "number" in response.json()["fields"]
    assert Customer.objects.count() == 1


def test_list_is_paginated_searchable_and_sorted(api_client_for) -> None:
    for i in range(7):
        CustomerFactory(name=f"Alpha {i} GmbH", number=f"A{i}")
    CustomerFactory(name="Zeta Logistik KG", number="Z1")
    client = api_client_for("service")
    page = client.get("/api/customers/?page_size=3&page=2").json()
    assert (page["count"], page["pages"], page["page"]) == (8, 3, 2)
    assert len(page["results"]) == 3
    found = client.get("/api/customers/?search=zeta").json()
    assert [c["number"] for c in found["results"]] == ["Z1"]
    desc = client.get("/api/customers/?sort=-number&page_size=2").json()
    assert [c["number"] for c in desc["results"]] == ["Z1", "A6"]


def test_list_parameters_are_validated(api_client_for) -> None:
    client = api_client_for("kam")
    assert client.get("/api/customers/?page_size=0").status_code == 422
    assert client.get("/api/customers/?sort=password").status_code == 422


def test_patch_changes_only_what_is_sent(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"], employees=5)
    client = api_client_for("kam")
    response = client.patch(
        f"/api/customers/{customer.pk}",
        {"name": "Neuer Name GmbH"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Neuer Name GmbH"
    assert body["employees"] == 5
    assert body["version"] == customer.version + 1


def test_patch_with_a_stale_version_is_refused_with_409(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = api_client_for("kam")
    first = client.patch(
        f"/api/customers/{customer.pk}",
        {"name": "Eins", "version": 1},
        content_type="application/json",
    )
    assert first.status_code == 200
    second = client.patch(
        f"/api/customers/{customer.pk}",
        {"name": "Zwei", "version": 1},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"
    customer.refresh_from_db()
    assert customer.name == "Eins"


def test_a_group_cycle_is_refused(api_client_for, users) -> None:
    parent = CustomerFactory(owner=users["kam"])
    child = CustomerFactory(owner=users["kam"], parent=parent)
    response = api_client_for("kam").patch(
        f"/api/customers/{parent.pk}", {"parent_id": child.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "parent" in response.json()["fields"]
    parent.refresh_from_db()
    assert parent.parent_id is None


def test_an_unknown_parent_is_refused_not_a_server_error(api_client_for) -> None:
    response = api_client_for("kam").post(
        "/api/customers/", {**VALID, "parent_id": 987654}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "parent" in response.json()["fields"]


def test_unknown_customer_is_404(api_client_for) -> None:
    response = api_client_for("kam").get("/api/customers/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_openapi_document_describes_the_customer_endpoints(client_for) -> None:
    schema = client_for("service").get("/api/openapi.json").json()
    assert {"/api/customers/", "/api/customers/{customer_id}"} <= set(schema["paths"])
    responses = schema["paths"]["/api/customers/{customer_id}"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(responses)
    assert "BearerToken" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "%", "_", "' OR 1=1 --", "ß" * 200])
def test_strange_search_text_never_breaks_the_list(api_client_for, client_for, text: str) -> None:
    api = api_client_for("kam").get("/api/customers/", {"search": text})
    assert api.status_code in {200, 422}
    page = client_for("kam").get("/customers/", {"q": text})
    assert page.status_code == 200


def test_patch_with_null_clears_optional_text_and_refuses_required_fields(
    api_client_for, users
) -> None:
    customer = CustomerFactory(owner=users["kam"], website="https://example.com")
    client = api_client_for("kam")
    cleared = client.patch(
        f"/api/customers/{customer.pk}", {"website": None}, content_type="application/json"
    )
    assert cleared.status_code == 200
    assert cleared.json()["website"] == ""
    for body in ({"name": None}, {"industries": None}, {"account_team": None}):
        refused = client.patch(
            f"/api/customers/{customer.pk}", body, content_type="application/json"
        )
        assert refused.status_code == 422, body
        assert refused.json()["code"] == "invalid"
