"""A key account manager finds a customer twice and merges the duplicate into the other."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kundenbild.accounts.services import roles_ensure_standard
from kundenbild.customers.models import Customer
from tests.e2e.test_journeys import login
from tests.factories import ContactFactory, CustomerFactory, SalesLineFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_duplicate_is_merged_after_seeing_what_moves(page: Page) -> None:
    roles_ensure_standard()
    kam = UserFactory(username="weber", role_code="kam")
    survivor = CustomerFactory(name="Nordwerk Hydraulik GmbH", number="K10042", owner=kam)
    duplicate = CustomerFactory(name="Nordwerk Hydraulik", number="K20001", owner=kam)
    ContactFactory(customer=duplicate, first_name="Anna", last_name="Roth")
    SalesLineFactory(customer=duplicate, net_revenue=1200)

    login(page, "weber")
    page.goto(f"/customers/{duplicate.pk}/")
    page.get_by_test_id("merge-link").click()
    expect(
        page.get_by_role("heading", name="Mit einem anderen Kunden zusammenführen")
    ).to_be_visible()
    page.get_by_label("Kundennummer").fill("K10042")
    page.get_by_role("button", name="Anzeigen, was übergeht").click()
    preview = page.get_by_test_id("merge-preview")
    expect(preview).to_contain_text("Von Nordwerk Hydraulik zu Nordwerk Hydraulik GmbH")
    expect(preview).to_contain_text("Ansprechpartner")
    page.get_by_role("button", name="Zusammenführen und Nordwerk Hydraulik löschen").click()

    expect(page.get_by_test_id("customer-name")).to_have_text("Nordwerk Hydraulik GmbH")
    expect(page.get_by_role("alert")).to_contain_text("wurde mit diesem Kunden zusammengeführt")
    expect(page.get_by_text("Anna Roth")).to_be_visible()
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    assert survivor.sales_lines.count() == 1
