"""The fascination pyramid: placing offerings, moving them, the matrix and the catalogue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kundenbild.offerings.models import FascinationAssessment, Offering, OfferingGroup
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering() -> Offering:
    group = OfferingGroup.objects.create(name_de="Service", name_en="Service")
    return Offering.objects.create(
        number="S-1",
        name_de="Wartungsvertrag",
        name_en="Maintenance contract",
        group=group,
        kind="service",
    )


def assess(client, customer, offering, level: int, on: date | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("offerings:assessment-save", args=[customer.pk]),
        {
            "offering": offering.pk,
            "level": level,
            "note": "Lob vom Einkauf",
            "assessed_on": (on or date.today()).isoformat(),
        },
    )


def test_placing_and_moving_an_offering_keeps_its_history(client_for, users, offering) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    assert assess(client, customer, offering, 1).status_code == 302
    assert assess(client, customer, offering, 4).status_code == 302
    assessment = FascinationAssessment.objects.get(customer=customer)
    assert assessment.level == 4
    assert assessment.assessed_by == users["kam"]
    assert [h.level for h in assessment.history.order_by("history_date")] == [1, 4]
    page = client.get(reverse("profile:customer-detail", args=[customer.pk])).content.decode()
    pyramid = page[page.index('data-testid="pyramid"') :]
    assert (
        pyramid.index("Faszinierend")
        < pyramid.index("Wartungsvertrag")
        < pyramid.index("Begeisternd")
    )


def test_a_future_date_is_refused_and_nothing_saved(client_for, users, offering) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = assess(client_for("kam"), customer, offering, 2, date.today() + timedelta(days=3))
    assert response.status_code == 400
    assert "nicht in der Zukunft" in response.content.decode()
    assert not FascinationAssessment.objects.exists()


def test_without_the_edit_right_the_pyramid_is_read_only(client_for, users, offering) -> None:
    customer = CustomerFactory(owner=users["management"])
    client = client_for("service")
    page = client.get(reverse("offerings:customer-fascination", args=[customer.pk]))
    assert page.status_code == 200
    assert 'data-testid="assessment-form"' not in page.content.decode()
    assert assess(client, customer, offering, 3).status_code == 403
    assert not FascinationAssessment.objects.exists()


def test_matrix_shows_who_is_fascinated_by_what(client_for, users, offering) -> None:
    fan = CustomerFactory(name="Fan GmbH", owner=users["kam"])
    neutral = CustomerFactory(name="Neutral AG", owner=users["sales"])
    FascinationAssessment.objects.create(customer=fan, offering=offering, level=4)
    FascinationAssessment.objects.create(customer=neutral, offering=offering, level=1)
    client = client_for("kam")
    html = client.get(reverse("offerings:matrix")).content.decode()
    assert "Fan GmbH" in html
    assert "kb-level-4" in html
    assert "Neutral AG" in html
    mine = client.get(reverse("offerings:matrix"), {"mine": "1"}).content.decode()
    assert "Fan GmbH" in mine
    assert "Neutral AG" not in mine
    catalogue = client.get(reverse("offerings:catalogue")).content.decode()
    assert "Wartungsvertrag" in catalogue


@pytest.mark.parametrize(
    ("role", "allowed"), [("management", True), ("admin", True), ("kam", False), ("service", False)]
)
def test_only_some_roles_extend_the_catalogue(client_for, role: str, allowed: bool) -> None:
    response = client_for(role).post(
        reverse("offerings:offering-create"),
        {"number": "X-1", "name_de": "Neu", "group_name": "Neu", "kind": "product"},
    )
    assert response.status_code == (302 if allowed else 403)
    assert Offering.objects.filter(number="X-1").exists() is allowed


def test_a_duplicate_article_number_is_refused(client_for, offering) -> None:
    response = client_for("admin").post(
        reverse("offerings:offering-create"),
        {"number": "S-1", "name_de": "Doppelt", "group_name": "Service", "kind": "service"},
    )
    assert response.status_code == 400
    assert Offering.objects.filter(number="S-1").count() == 1


def test_the_api_reads_and_writes_the_pyramid(api_client_for, users, offering) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = api_client_for("kam")
    url = f"/api/customers/{customer.pk}/fascination/{offering.number}"
    put = client.put(url, {"level": 3, "note": "begeistert"}, content_type="application/json")
    assert put.status_code == 200
    assert put.json()["level"] == 3
    future = (date.today() + timedelta(days=1)).isoformat()
    refused = client.put(url, {"level": 1, "assessed_on": future}, content_type="application/json")
    assert refused.status_code == 422
    assert "assessed_on" in refused.json()["fields"]
    listed = client.get(f"/api/customers/{customer.pk}/fascination").json()
    assert [(a["offering"], a["level"]) for a in listed] == [("S-1", 3)]
    assert (
        client.put(
            url.replace("S-1", "NOPE"), {"level": 1}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(url).status_code == 204
    assert not FascinationAssessment.objects.exists()
    assert (
        api_client_for("service")
        .put(url, {"level": 2}, content_type="application/json")
        .status_code
        == 403
    )


def test_the_api_lists_and_extends_the_catalogue(api_client_for, offering) -> None:
    assert [o["number"] for o in api_client_for("service").get("/api/offerings/").json()] == ["S-1"]
    new = {"number": "P-9", "name_de": "Kanban", "group": "Lösungen", "kind": "solution"}
    assert (
        api_client_for("kam")
        .post("/api/offerings/", new, content_type="application/json")
        .status_code
        == 403
    )
    created = api_client_for("management").post(
        "/api/offerings/", new, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["group"] == "Lösungen"


def test_an_offering_keeps_its_unit_on_the_page_and_in_the_api(client_for, api_client_for) -> None:
    response = client_for("admin").post(
        reverse("offerings:offering-create"),
        {"number": "K-1", "name_de": "Kabel", "group_name": "Ware", "kind": "product", "unit": "m"},
    )
    assert response.status_code == 302
    assert Offering.objects.get(number="K-1").unit == "m"
    catalogue = client_for("service").get(reverse("offerings:catalogue")).content.decode()
    assert "<td>m</td>" in catalogue
    new = {"number": "H-1", "name_de": "Montage", "group": "Dienst", "kind": "service", "unit": "h"}
    created = api_client_for("management").post(
        "/api/offerings/", new, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["unit"] == "h"
    listed = api_client_for("service").get("/api/offerings/").json()
    assert {o["number"]: o["unit"] for o in listed} == {"K-1": "m", "H-1": "h"}
