"""Customer value in the browser, in German, on demo data: a key account manager finds a
customer by its value type and reads why it has it; an administrator starts an analysis
and sees it finish."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kundenbild.demo.loader import load_demo
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.insights.services import run_analysis
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data

# The demo loader needs the rows migrations seed, which a transactional test's flush
# removes; serialized rollback restores them, and _reference_data re-seeds them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_key_account_manager_sees_why_a_customer_has_its_type(page: Page) -> None:
    _reference_data()
    load_demo(customers=15, seed=11)
    run = run_analysis()
    assert run.status == RunStatus.DONE, run.error
    value = (
        CustomerValue.objects.filter(run=run, value_type="growth")
        .select_related("customer")
        .first()
    )
    assert value is not None, "the demo data hold no growing customer"

    login(page, "kam", "demo")
    page.get_by_role("link", name="Kunden", exact=True).click()
    page.get_by_label("Werttyp").select_option(label="Wachstum")
    table = page.get_by_test_id("customer-table")
    expect(table.get_by_role("link", name=value.customer.name)).to_be_visible()
    table.get_by_role("link", name=value.customer.name).click()
    expect(page.get_by_test_id("customer-name")).to_have_text(value.customer.name)
    expect(page.get_by_test_id("value-type")).to_contain_text("Wachstum")
    expect(page.get_by_test_id("value-reason")).to_have_text(value.reason_de)
    expect(page.get_by_test_id("value-chart").locator("svg")).to_have_count(1)


def test_an_administrator_starts_an_analysis_and_sees_it_finish(page: Page) -> None:
    _reference_data()
    load_demo(customers=15, seed=12)

    login(page, "admin", "demo")
    page.get_by_role("link", name="Kunden", exact=True).click()
    page.get_by_test_id("analysis-link").click()
    expect(page.get_by_role("heading", name="Kundenwertanalyse")).to_be_visible()
    page.get_by_test_id("run-start").click()
    expect(page.get_by_test_id("run-finished")).to_contain_text(
        "Die Analyse ist beendet: 15 Kunden"
    )
    expect(page.get_by_test_id("type-counts")).to_contain_text("unauffällig")
    run = AnalysisRun.objects.get()
    assert run.status == RunStatus.DONE
    assert run.started_by is not None
    assert run.started_by.username == "admin"
