"""What a new user does first: log in, find a customer, open it, switch language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kundenbild.accounts.services import roles_ensure_standard
from tests.factories import CustomerFactory, SalesLineFactory, UserFactory

pytestmark = pytest.mark.browser


def login(page: Page, username: str, password: str = "correct horse battery") -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def test_a_key_account_manager_logs_in_and_opens_a_customer(page: Page) -> None:
    roles_ensure_standard()
    UserFactory(username="weber", role_code="kam")
    customer = CustomerFactory(name="Nordwerk Hydraulik GmbH & Co. KG", number="K10042")
    CustomerFactory(name="Südblech Umformtechnik GmbH")
    SalesLineFactory(customer=customer, net_revenue=2500, invoice_date="2026-03-15")

    login(page, "weber")
    expect(page.get_by_test_id("worklist")).to_be_visible()
    page.get_by_role("link", name="Kunden", exact=True).click()
    expect(page.get_by_role("heading", name="Kunden")).to_be_visible()
    page.get_by_label("Suche").fill("nordwerk")
    table = page.get_by_test_id("customer-table")
    expect(table.get_by_role("link", name="Südblech Umformtechnik GmbH")).to_have_count(0)
    table.get_by_role("link", name="Nordwerk Hydraulik GmbH & Co. KG").click()
    expect(page.get_by_test_id("customer-name")).to_have_text("Nordwerk Hydraulik GmbH & Co. KG")
    expect(page.get_by_role("heading", name="Buying Center")).to_be_visible()
    expect(page.get_by_test_id("finance-years")).to_contain_text("2.500\u00a0€")
    expect(page.get_by_test_id("value-chart").locator("svg")).to_have_count(1)

    page.get_by_test_id("language-switch").get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Customer value")).to_be_visible()
    expect(page.get_by_test_id("finance-years")).to_contain_text("€2,500")


def test_a_wrong_password_is_explained_and_the_service_user_sees_no_finance(page: Page) -> None:
    roles_ensure_standard()
    UserFactory(username="lang", role_code="service")
    customer = CustomerFactory(name="Kessler Antriebe AG")
    SalesLineFactory(customer=customer, net_revenue=999)

    login(page, "lang", password="falsch")
    expect(page.get_by_role("alert")).to_contain_text(
        "Beide Felder berücksichtigen die Groß-/Kleinschreibung"
    )
    page.get_by_label("Passwort").fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Kunden", exact=True).click()
    page.get_by_role("link", name="Kessler Antriebe AG").click()
    expect(page.get_by_test_id("finance-locked")).to_be_visible()
    expect(page.get_by_test_id("finance-years")).to_have_count(0)


def test_an_edit_with_a_bad_vat_number_shows_the_error_and_keeps_the_input(page: Page) -> None:
    roles_ensure_standard()
    user = UserFactory(username="albrecht", role_code="management")
    customer = CustomerFactory(name="Brauer & Söhne KG", owner=user)

    login(page, "albrecht")
    page.goto(f"/customers/{customer.pk}/edit/")
    page.get_by_label("Umsatzsteuer-ID").fill("DE000")
    page.get_by_label("Mitarbeitende").fill("75")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_text("ist keine gültige Umsatzsteuer-Identifikationsnummer")).to_be_visible()
    expect(page.get_by_label("Mitarbeitende")).to_have_value("75")
    page.get_by_label("Umsatzsteuer-ID").fill("DE136695976")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Ihre Änderungen wurden gespeichert.")).to_be_visible()
    expect(page.get_by_text("DE136695976")).to_be_visible()


def test_a_controller_uploads_an_export_checks_it_and_imports_it(page: Page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    from tests.integration.test_import_sales import customers, write_german_csv

    settings.DATA_DIR = tmp_path
    roles_ensure_standard()
    UserFactory(username="kontrolle", role_code="controller")
    customers()
    login(page, "kontrolle")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("ERP-Export").set_input_files(str(write_german_csv(tmp_path / "export.csv")))
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.get_by_role("heading", name="Was der Import tun würde")).to_be_visible()
    expect(page.get_by_test_id("would-add")).to_have_text("5")
    page.get_by_test_id("import-now").click()
    expect(page.get_by_role("alert").first).to_contain_text("5 Zeilen hinzugefügt")
    expect(page.get_by_test_id("sales-totals")).to_contain_text("16.911\u00a0€")
