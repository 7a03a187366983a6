"""A controller imports a debtor export as customers, in the browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kundenbild.accounts.services import roles_ensure_standard
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data
from tests.factories import UserFactory
from tests.integration.test_import_master_customers import debtors, write_debtors

pytestmark = pytest.mark.browser


def test_a_controller_imports_customers_and_finds_them_in_the_list(
    page: Page, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    _reference_data()  # the industries the debtors name, gone after an earlier test's flush
    roles_ensure_standard()
    UserFactory(username="kam", role_code="kam")
    UserFactory(username="kontrolle", role_code="controller")
    login(page, "kontrolle")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Die Datei enthält").select_option(label="Kunden")
    debtor_file = write_debtors(tmp_path / "debitoren.csv", debtors())
    page.get_by_label("ERP-Export").set_input_files(str(debtor_file))
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.get_by_role("heading", name="Was der Import tun würde")).to_be_visible()
    expect(page.get_by_test_id("count-added")).to_have_text("4")
    expect(page.get_by_test_id("added")).to_contain_text("Brenner Antriebe GmbH")
    page.get_by_test_id("import-now").click()
    expect(page.get_by_role("alert").first).to_contain_text("4 Kunden hinzugefügt")
    expect(page.get_by_test_id("import-list")).to_contain_text("debitoren.csv")
    page.get_by_role("link", name="Kunden", exact=True).click()
    expect(page.get_by_role("link", name="Brenner Antriebe GmbH")).to_be_visible()
