"""The finance profile: credit, payment terms and conditions, only for finance roles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kundenbild.finance.models import Condition, FinanceProfile
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "credit_rating": "182",
    "credit_source": "creditreform",
    "rated_on": "2026-03-01",
    "credit_limit": "50000",
    "payment_days_net": "30",
    "cash_discount_percent": "2",
    "cash_discount_days": "10",
    "observed_days_to_pay": "34.5",
    "version": "0",
}


def test_the_owner_records_credit_and_terms_and_everyone_with_finance_sees_them(
    client_for, users
) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = client_for("kam").post(reverse("finance:profile-save", args=[customer.pk]), PROFILE)
    assert response.status_code == 302
    profile = FinanceProfile.objects.get(customer=customer)
    assert (profile.payment_days_net, profile.version) == (30, 1)
    html = (
        client_for("controller")
        .get(reverse("profile:customer-detail", args=[customer.pk]))
        .content.decode()
    )
    assert "30 Tage netto, 2,0 % Skonto innerhalb von 10 Tagen" in html
    assert "50.000\u00a0€" in html
    service = (
        client_for("service")
        .get(reverse("profile:customer-detail", args=[customer.pk]))
        .content.decode()
    )
    assert "Skonto" not in service
    assert (
        client_for("service")
        .get(reverse("finance:customer-finance", args=[customer.pk]))
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"credit_source": ""}, "woher die Bonität stammt"),
        ({"cash_discount_days": ""}, "Skonto und Skontofrist zusammen"),
        ({"cash_discount_days": "45"}, "nicht länger als das Zahlungsziel"),
        ({"cash_discount_percent": "15"}, "zwischen 0 und 10 %"),
        ({"credit_limit": "-5"}, "größer oder gleich 0"),
    ],
)
def test_inconsistent_terms_are_explained_and_nothing_saved(
    client_for, users, change, message
) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = client_for("kam").post(
        reverse("finance:profile-save", args=[customer.pk]), {**PROFILE, **change}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FinanceProfile.objects.exists()


def test_a_stale_finance_edit_is_refused(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    url = reverse("finance:profile-save", args=[customer.pk])
    assert client_for("controller").post(url, PROFILE).status_code == 302
    stale = client_for("kam").post(url, {**PROFILE, "payment_days_net": "60"})
    assert stale.status_code == 409
    assert "Jemand anderes hat dieses Finanzprofil geändert" in stale.content.decode()
    assert FinanceProfile.objects.get(customer=customer).payment_days_net == 30


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("controller", True),
        ("admin", True),
        ("management", True),
        ("kam", False),
        ("sales", False),
        ("service", False),
    ],
)
def test_who_may_edit_the_finance_profile_of_someone_elses_customer(
    client_for, users, role, allowed
) -> None:
    customer = CustomerFactory(owner=users["admin"])
    response = client_for(role).post(reverse("finance:profile-save", args=[customer.pk]), PROFILE)
    assert response.status_code == (302 if allowed else 403)
    assert FinanceProfile.objects.filter(customer=customer).exists() is allowed


def test_conditions_with_validity(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    url = reverse("finance:condition-create", args=[customer.pk])
    past = {
        "kind": "bonus",
        "description": "Jahresbonus 2024",
        "percent": "3",
        "valid_from": "2024-01-01",
        "valid_until": "2024-12-31",
    }
    current = {
        "kind": "discount",
        "description": "Rahmenrabatt",
        "percent": "12",
        "valid_from": (date.today() - timedelta(days=10)).isoformat(),
    }
    assert client.post(url, past).status_code == 302
    assert client.post(url, current).status_code == 302
    backwards = client.post(url, {**past, "valid_until": "2023-12-31"})
    assert backwards.status_code == 400
    assert "Das Ende liegt vor dem Beginn" in backwards.content.decode()
    html = client.get(reverse("profile:customer-detail", args=[customer.pk])).content.decode()
    assert 'Rahmenrabatt (12,00 %) <span class="badge text-bg-success">gültig' in html
    assert "heute nicht gültig" in html
    assert Condition.objects.filter(customer=customer).count() == 2


def test_the_api_reads_and_writes_the_finance_profile(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = api_client_for("kam")
    url = f"/api/customers/{customer.pk}/finance/profile"
    assert client.get(url).json()["version"] == 0
    body = {
        "credit_rating": "2",
        "credit_source": "internal",
        "rated_on": "2026-01-05",
        "payment_days_net": 30,
        "version": 0,
    }
    saved = client.put(url, body, content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["version"] == 1
    assert client.put(url, body, content_type="application/json").status_code == 409
    wrong = client.put(
        url, {**body, "version": 1, "cash_discount_percent": "2"}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert "cash_discount_days" in wrong.json()["fields"]
    assert api_client_for("service").get(url).status_code == 403
    conditions = f"/api/customers/{customer.pk}/finance/conditions"
    created = client.post(
        conditions,
        {"kind": "rebate", "description": "Staffel", "valid_from": "2026-01-01"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert len(client.get(conditions).json()) == 1
    assert client.delete(f"{conditions}/{created.json()['id']}").status_code == 204
