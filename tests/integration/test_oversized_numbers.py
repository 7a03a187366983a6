"""A number no database integer can hold is refused everywhere, never a server error: in
an address (every page and every API operation: 404), in an API query parameter or body
(422, JSON), in a page's query or form (the page, or its error page, with a 4xx)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pydantic import BaseModel, ValidationError

from kundenbild.api.main import api
from kundenbild.core.api_schema import InputSchema
from kundenbild.core.numbers import MAX_ID, id_from_text, too_large_for_an_id
from tests.factories import ContactFactory
from tests.surface import api_paths, api_query_parameters, fill, page_routes

pytestmark = pytest.mark.django_db

HUGE = "98765432109876543210"  # 20 digits
QUERY_NUMBERS = ("owner", "group", "run", "year", "center", "actor", "customer", "page", "kind")


def test_the_limit_is_a_signed_64_bit_integer() -> None:
    assert too_large_for_an_id(str(MAX_ID + 1))
    assert too_large_for_an_id(f"-{MAX_ID + 1}")
    assert not too_large_for_an_id(str(MAX_ID))
    assert not too_large_for_an_id("Schrauben 12345678901234567890")
    assert id_from_text(str(MAX_ID)) == MAX_ID
    assert id_from_text(HUGE) is None
    assert id_from_text("١٢") is None  # digits of another script are no id either


def test_every_page_with_an_impossible_id_is_not_found(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("admin")
    routes = [(name, route) for name, route in page_routes() if "<int:" in route]
    assert len(routes) >= 60
    for name, route in routes:
        for method in (client.get, client.post):
            response = method(fill(route, {}, default=HUGE))
            assert response.status_code == 404, f"{name}: {response.status_code}"


def test_every_api_operation_with_an_impossible_id_is_not_found(api_client_for) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for("admin")
    ids: Any = type("Huge", (dict,), {"__missing__": lambda self, key: HUGE})()
    tried = 0
    for method in ("get", "post", "put", "patch", "delete"):
        for path in api_paths(ids, method):
            if HUGE not in path:
                continue
            response = client.generic(method.upper(), path, "{}", "application/json")
            assert response.status_code == 404, f"{method} {path}: {response.status_code}"
            assert response.json()["code"] == "not_found"
            tried += 1
    assert tried >= 60


def test_every_integer_query_parameter_of_the_api_refuses_it(api_client_for, customer) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for("admin")
    parameters = list(api_query_parameters("integer"))
    assert len(parameters) >= 6
    for template, name in parameters:
        path = fill(template.replace("{", "<").replace("}", ">"), {"customer_id": customer.pk})
        response = client.get(path, {name: HUGE})
        assert response.status_code == 422, f"{path}?{name}: {response.status_code}"
        assert any(field.endswith(name) for field in response.json()["fields"])


def _input_schemas() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = [InputSchema]
    while pending:
        schema = pending.pop()
        found.append(schema)
        pending.extend(schema.__subclasses__())
    return found


def test_every_integer_in_an_api_body_refuses_it() -> None:
    assert api.get_openapi_schema()  # every router (and so every schema) is loaded
    checked = 0
    for schema in _input_schemas():
        for name, field in schema.model_fields.items():
            annotation = str(field.annotation)
            if "int" not in annotation or "Decimal" in annotation:
                continue
            value: Any = [int(HUGE)] if "list" in annotation else int(HUGE)
            with pytest.raises(ValidationError) as refused, translation.override("en"):
                schema.model_validate({name: value})
            assert any(
                e["loc"][:1] == (name,) and ("too large" in e["msg"] or "less than" in e["msg"])
                for e in refused.value.errors()
            ), f"{schema.__name__}.{name}"
            checked += 1
    assert checked >= 15


def test_the_activity_api_refuses_an_impossible_contact(api_client_for, users, customer) -> None:  # type: ignore[no-untyped-def]
    customer.owner = users["kam"]
    customer.save()
    body = {"kind": "call", "subject": "Anruf", "contact_ids": [int(HUGE)]}
    response = api_client_for("kam").post(
        f"/api/customers/{customer.pk}/activities", json.dumps(body), "application/json"
    )
    assert response.status_code == 422
    assert "contact_ids" in response.json()["fields"]


def test_every_page_survives_impossible_numbers_in_its_query(client_for, users, customer) -> None:  # type: ignore[no-untyped-def]
    client = client_for("management")
    query = {name: HUGE for name in QUERY_NUMBERS}
    ids = {"customer_id": customer.pk}
    routes = [(n, r) for n, r in page_routes() if set(r.split("<")[1:]) <= {"int:customer_id>/"}]
    assert len(routes) >= 35
    for name, route in routes:
        response = client.get(fill(route, ids), query)
        assert response.status_code < 500, f"{name}: {response.status_code}"
    for listing in ("profile:customer-list", "profile:customer-list-download"):
        response = client.get(reverse(listing), {"owner": HUGE})
        assert response.status_code < 500
    for listing in ("portfolio:portfolio", "portfolio:portfolio-download"):
        response = client.get(reverse(listing), {"owner": HUGE, "group": HUGE, "run": HUGE})
        assert response.status_code < 500


def test_a_form_choosing_an_impossible_object_is_refused_not_a_server_error(
    client_for, users, customer
) -> None:  # type: ignore[no-untyped-def]
    customer.owner = users["kam"]
    customer.save()
    ContactFactory(customer=customer)
    response = client_for("kam").post(
        reverse("activities:activity-create", args=[customer.pk]),
        {"kind": "call", "subject": "Anruf", "occurred_on": "2026-05-04", "contacts": [HUGE]},
    )
    assert 400 <= response.status_code < 500 or response.status_code == 200
    assert response.status_code != 302
