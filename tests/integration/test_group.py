"""The group page: the whole tree of a corporate group with group totals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, SalesLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():  # type: ignore[no-untyped-def]
    root = CustomerFactory(name="Holding SE", employees=10)
    child = CustomerFactory(name="Tochter GmbH", parent=root, employees=200)
    grandchild = CustomerFactory(name="Enkel GmbH", parent=child, employees=None)
    CustomerFactory(name="Fremd GmbH", employees=999)
    recent = date.today() - timedelta(days=20)
    SalesLineFactory(customer=child, net_revenue=1000, invoice_date=recent)
    SalesLineFactory(customer=grandchild, net_revenue=234.5, invoice_date=recent)
    SalesLineFactory(
        customer=root, net_revenue=5000, invoice_date=date.today() - timedelta(days=800)
    )
    return root, child, grandchild


def test_group_page_shows_the_whole_tree_from_any_member(client_for, group) -> None:
    grandchild = group[2]
    html = (
        client_for("kam")
        .get(reverse("profile:customer-group", args=[grandchild.pk]))
        .content.decode()
    )
    table = html[html.index('data-testid="group-table"') :]
    assert table.index("Holding SE") < table.index("Tochter GmbH") < table.index("Enkel GmbH")
    assert "Fremd GmbH" not in table
    assert "3 Unternehmen" in html


def test_group_totals_add_up_employees_and_recent_revenue(client_for, group) -> None:
    root, _child, _grandchild = group
    html = (
        client_for("controller")
        .get(reverse("profile:customer-group", args=[root.pk]))
        .content.decode()
    )
    totals = html[html.index('data-testid="group-totals"') :]
    assert "210" in totals
    assert "1 Unternehmen ohne Angabe" in totals
    assert "1.235\u00a0€" in totals  # 1,000 + 234.50; the old line is outside the 12 months


def test_group_revenue_needs_the_finance_capability(client_for, group) -> None:
    root, _child, _grandchild = group
    html = (
        client_for("service")
        .get(reverse("profile:customer-group", args=[root.pk]))
        .content.decode()
    )
    assert "1.235" not in html
    assert "Umsatz 12 Monate" not in html


def test_a_customer_without_group_gets_a_one_line_group_page(client_for, customer) -> None:
    response = client_for("service").get(reverse("profile:customer-group", args=[customer.pk]))
    assert response.status_code == 200
    assert "1 Unternehmen" in response.content.decode()
