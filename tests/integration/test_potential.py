"""Needs → demand → effective demand → potential, on the page and through the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kundenbild.offerings.models import Offering, OfferingGroup
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from tests.factories import CustomerFactory, SalesLineFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
YEAR = date.today().year


@pytest.fixture
def offering(db) -> Offering:  # type: ignore[no-untyped-def]
    group = OfferingGroup.objects.create(name_de="Service", name_en="Service")
    return Offering.objects.create(
        number="S-100",
        name_de="Wartungsvertrag",
        name_en="Maintenance",
        group=group,
        kind="service",
    )


def test_a_need_with_demand_and_potential_sets_the_share_of_wallet(
    client_for, users, offering
) -> None:
    customer = CustomerFactory(owner=users["kam"])
    SalesLineFactory(
        customer=customer,
        article_number="S-100",
        net_revenue=30_000,
        invoice_date=date(YEAR, 1, 15),
    )
    client = client_for("kam")
    url = reverse("potential:customer-potential", args=[customer.pk])
    response = client.post(
        url,
        {
            "need-title": "Stillstände senken",
            "need-priority": "high",
            "demand-offering": offering.pk,
            "demand-competitor": "Würth",
            "demand-year": YEAR,
            "demand-amount": "120000",
            "demand-confidence": "70",
            "demand-source": "customer",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(url)
    summary = page.context["summary"]
    assert summary.potential == 120_000
    assert summary.share == 25  # 30,000 of 120,000, from the sales lines
    assert summary.white_space == 90_000
    html = page.content.decode()
    assert "25,0 %" in html
    assert "Würth" in html
    assert f'aria-label="Wirksame Nachfrage {YEAR} entfernen"' in html  # one sentence, not glued
    detail = client.get(reverse("profile:customer-detail", args=[customer.pk])).content.decode()
    assert 'data-testid="share-of-wallet">25,0 %' in detail


def test_a_competitor_demand_without_year_and_a_bad_amount_are_refused(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    url = reverse("potential:customer-potential", args=[customer.pk])
    refused = client.post(
        url,
        {
            "need-title": "Lager",
            "need-priority": "medium",
            "demand-competitor": "Würth",
            "demand-amount": "-5",
        },
    )
    assert refused.status_code == 400
    assert not Need.objects.exists()  # nothing half-saved
    only_need = client.post(url, {"need-title": "Lager", "need-priority": "medium"})
    assert only_need.status_code == 302
    need = Need.objects.get()
    assert not need.demands.exists()
    add = client.post(
        reverse("potential:demand-add", args=[customer.pk, need.pk]),
        {
            f"demand-{need.pk}-competitor": "Würth",
            f"demand-{need.pk}-competitor_offering": "C-Teile-Kanban",
            f"demand-{need.pk}-year": YEAR,
            f"demand-{need.pk}-amount": "50000",
            f"demand-{need.pk}-confidence": "50",
            f"demand-{need.pk}-source": "estimate",
        },
    )
    assert add.status_code == 302, add.context["demand_forms"][need.pk].errors
    demand = Demand.objects.get()
    again = client.post(
        reverse("potential:effective-set", args=[customer.pk, demand.pk]),
        {
            f"effective-{demand.pk}-year": YEAR,
            f"effective-{demand.pk}-amount": "60000",
            f"effective-{demand.pk}-confidence": "80",
            f"effective-{demand.pk}-source": "tender",
        },
    )
    assert again.status_code == 302
    row = EffectiveDemand.objects.get()  # the year was replaced, not doubled
    assert (row.amount, row.confidence, row.source) == (60_000, 80, "tender")


def test_a_stale_edit_of_a_need_is_refused(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    need = Need.objects.create(customer=customer, title="Lager")
    client = client_for("kam")
    url = reverse("potential:need-update", args=[customer.pk, need.pk])
    base = {"need-priority": "low", "need-version": "0"}
    assert client.post(url, {**base, "need-title": "Lager senken"}).status_code == 302
    stale = client.post(url, {**base, "need-title": "Lager halbieren"})
    assert stale.status_code == 400
    assert "während Sie es bearbeitet haben" in stale.content.decode()
    need.refresh_from_db()
    assert need.title == "Lager senken"


def test_without_finance_rights_potential_shows_but_revenue_does_not(
    client_for, api_client_for, users, offering
) -> None:
    customer = CustomerFactory(owner=users["kam"])
    need = Need.objects.create(customer=customer, title="Lager")
    demand = Demand.objects.create(need=need, offering=offering)
    EffectiveDemand.objects.create(demand=demand, year=YEAR, amount=10_000)
    SalesLineFactory(
        customer=customer, article_number="S-100", net_revenue=4321, invoice_date=date(YEAR, 2, 1)
    )
    html = (
        client_for("service")
        .get(reverse("potential:customer-potential", args=[customer.pk]))
        .content.decode()
    )
    assert "10.000" in html
    assert "4.321" not in html
    assert 'data-testid="share-of-wallet"' not in html
    body = api_client_for("service").get(f"/api/customers/{customer.pk}/potential").json()
    assert float(body["potential"]) == 10_000
    assert body["our_revenue"] is None
    assert body["rows"][0]["share_of_wallet_percent"] is None
    assert (
        client_for("service")
        .post(reverse("potential:need-delete", args=[customer.pk, need.pk]))
        .status_code
        == 403
    )


def test_the_api_builds_the_chain_and_computes_the_share(api_client_for, users, offering) -> None:
    customer = CustomerFactory(owner=users["kam"])
    SalesLineFactory(
        customer=customer, article_number="S-100", net_revenue=5_000, invoice_date=date(YEAR, 3, 1)
    )
    client = api_client_for("kam")
    need = client.post(
        f"/api/customers/{customer.pk}/needs",
        {"title": "Stillstand", "priority": "high"},
        content_type=JSON,
    )
    assert need.status_code == 201
    need_id = need.json()["id"]
    demand = client.post(
        f"/api/needs/{need_id}/demands", {"offering_number": "S-100"}, content_type=JSON
    ).json()
    put = client.put(
        f"/api/demands/{demand['id']}/effective/{YEAR}",
        {"amount": "20000", "confidence": 90, "source": "tender"},
        content_type=JSON,
    )
    assert put.status_code == 200
    potential = client.get(f"/api/customers/{customer.pk}/potential?year={YEAR}").json()
    assert float(potential["share_of_wallet_percent"]) == 25.0
    assert potential["rows"][0]["revenue_source"] == "sales"
    listed = client.get(f"/api/customers/{customer.pk}/needs").json()
    assert listed[0]["demands"][0]["effective"][0]["confidence"] == 90
    stale = client.put(
        f"/api/needs/{need_id}",
        {"title": "X", "version": 5},
        content_type=JSON,
    )
    assert stale.status_code == 409
    assert client.delete(f"/api/needs/{need_id}").status_code == 204
    assert not EffectiveDemand.objects.exists()
