"""Every page and endpoint needs a login; each capability is checked both ways."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CustomerFactory, SalesLineFactory

pytestmark = pytest.mark.django_db

ROLES = ("management", "kam", "sales", "service", "controller", "admin")
FINANCE_ROLES = {"management", "kam", "sales", "controller", "admin"}
USER_ADMIN_ROLES = {"admin"}
EDIT_ALL_ROLES = {"management", "admin"}
EDIT_OWN_ROLES = {"management", "kam", "sales", "admin"}


def page_urls(customer_id: int) -> list[str]:
    return [
        reverse("home"),
        reverse("profile:customer-list"),
        reverse("customers:customer-create"),
        reverse("profile:customer-detail", args=[customer_id]),
        reverse("customers:customer-update", args=[customer_id]),
        reverse("profile:customer-history", args=[customer_id]),
        reverse("profile:customer-group", args=[customer_id]),
        reverse("customers:customer-company", args=[customer_id]),
        reverse("offerings:catalogue"),
        reverse("offerings:matrix"),
        reverse("offerings:customer-fascination", args=[customer_id]),
        reverse("finance:customer-finance", args=[customer_id]),
        reverse("activities:customer-activities", args=[customer_id]),
        reverse("buying_center:buying-center", args=[customer_id]),
        reverse("buying_center:coverage"),
        reverse("imports:index"),
        reverse("potential:customer-potential", args=[customer_id]),
        reverse("accounts:settings"),
        reverse("accounts:password-change"),
        reverse("accounts:user-list"),
        reverse("accounts:user-create"),
        reverse("accounts:security-log"),
        "/api/docs",
    ]


def test_anonymous_page_requests_are_redirected_to_the_login(customer) -> None:
    client = Client()
    for url in page_urls(customer.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/customers/"),
        ("post", "/api/customers/"),
        ("get", "/api/customers/{id}"),
        ("patch", "/api/customers/{id}"),
        ("get", "/api/customers/{id}/finance/years"),
        ("get", "/api/customers/{id}/addresses"),
        ("post", "/api/customers/{id}/business-units"),
        ("get", "/api/customers/{id}/fascination"),
        ("put", "/api/customers/{id}/fascination/A-1"),
        ("get", "/api/offerings/"),
        ("get", "/api/customers/{id}/finance/profile"),
        ("put", "/api/customers/{id}/finance/profile"),
        ("get", "/api/customers/{id}/activities"),
        ("post", "/api/activities/1/follow-up-done"),
        ("get", "/api/openapi.json"),
    ],
)
def test_anonymous_api_requests_get_401_as_json(customer, method: str, path: str) -> None:
    response = getattr(Client(), method)(
        path.format(id=customer.pk), content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_wrong_or_revoked_token_is_refused(users, customer) -> None:
    from kundenbild.accounts.services import api_token_create, api_token_revoke

    token, raw = api_token_create(user=users["kam"], name="x")
    ok = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"/api/customers/{customer.pk}")
    assert ok.status_code == 200
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}x").get("/api/customers/").status_code == 401
    api_token_revoke(token=token)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/customers/").status_code == 401


def test_an_inactive_users_token_is_refused(users, api_client_for) -> None:
    client = api_client_for("kam")
    users["kam"].is_active = False
    users["kam"].save()
    assert client.get("/api/customers/").status_code == 401


def test_the_login_page_is_open(db) -> None:
    assert Client().get(reverse("accounts:login")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_finance_section_is_shown_only_with_the_finance_capability(client_for, role: str) -> None:
    line = SalesLineFactory(net_revenue=12345.67)
    response = client_for(role).get(reverse("profile:customer-detail", args=[line.customer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    if role in FINANCE_ROLES:
        assert 'data-testid="finance-years"' in html
        assert 'data-testid="finance-locked"' not in html
        assert "12.346" in html  # revenue in German format, rounded to euros
    else:
        assert 'data-testid="finance-years"' not in html
        assert 'data-testid="finance-locked"' in html
        assert "12.346" not in html


@pytest.mark.parametrize("role", ROLES)
def test_finance_api_follows_the_finance_capability(api_client_for, role: str) -> None:
    line = SalesLineFactory(net_revenue=500)
    response = api_client_for(role).get(f"/api/customers/{line.customer.pk}/finance/years")
    if role in FINANCE_ROLES:
        assert response.status_code == 200
        assert response.json()[0]["revenue"] == "500.00"
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("role", ROLES)
def test_revenue_column_in_the_list_needs_the_finance_capability(client_for, role: str) -> None:
    SalesLineFactory(net_revenue=98765, invoice_date=date.today() - timedelta(days=30))
    html = client_for(role).get(reverse("profile:customer-list")).content.decode()
    assert ("98.765" in html) is (role in FINANCE_ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_user_management_needs_the_capability(client_for, role: str) -> None:
    client = client_for(role)
    expected = 200 if role in USER_ADMIN_ROLES else 403
    assert client.get(reverse("accounts:user-list")).status_code == expected
    assert client.get(reverse("accounts:user-create")).status_code == expected
    response = client.post(
        reverse("accounts:user-create"),
        {
            "username": "neu",
            "role": "sales",
            "language": "de",
            "is_active": "on",
            "password": "Ein-langes-Passwort-2026",
        },
    )
    assert response.status_code == (302 if role in USER_ADMIN_ROLES else 403)


@pytest.mark.parametrize("role", ROLES)
def test_editing_any_customer_needs_the_edit_all_capability(client_for, users, role: str) -> None:
    customer = CustomerFactory(owner=users["management"])
    response = client_for(role).get(reverse("customers:customer-update", args=[customer.pk]))
    assert response.status_code == (200 if role in EDIT_ALL_ROLES else 403)


@pytest.mark.parametrize("role", ROLES)
def test_own_customers_can_be_edited_with_the_edit_own_capability(
    client_for, users, role: str
) -> None:
    owned = CustomerFactory(owner=users[role])
    response = client_for(role).get(reverse("customers:customer-update", args=[owned.pk]))
    assert response.status_code == (200 if role in EDIT_OWN_ROLES else 403)


def test_account_team_members_may_edit_with_the_edit_own_capability(client_for, users) -> None:
    customer = CustomerFactory(owner=users["management"])
    customer.account_team.add(users["sales"], users["service"])
    url = reverse("customers:customer-update", args=[customer.pk])
    assert client_for("sales").get(url).status_code == 200
    assert client_for("service").get(url).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_creating_customers_needs_an_edit_capability(client_for, role: str) -> None:
    response = client_for(role).post(
        reverse("customers:customer-create"), {"number": "K-NEW", "name": "Neu GmbH"}
    )
    assert response.status_code == (302 if role in EDIT_OWN_ROLES else 403)


@pytest.mark.parametrize("role", ROLES)
def test_api_update_uses_the_same_edit_check(api_client_for, users, role: str) -> None:
    customer = CustomerFactory(owner=users["management"])
    response = api_client_for(role).patch(
        f"/api/customers/{customer.pk}", {"name": "Umbenannt GmbH"}, content_type="application/json"
    )
    assert response.status_code == (200 if role in EDIT_ALL_ROLES else 403)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_read_customers(client_for, api_client_for, customer, role: str) -> None:
    assert (
        client_for(role).get(reverse("profile:customer-detail", args=[customer.pk])).status_code
        == 200
    )
    assert api_client_for(role).get(f"/api/customers/{customer.pk}").status_code == 200
