"""Customer value in the browser, in German, on demo data: a key account manager finds a
customer by its value type and reads why it has it, and sees its forecast beside its last
year; an administrator starts an analysis and sees it finish."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from kundenbild.core.formatting import format_money
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
    page.get_by_role("link", name="Alle Kunden", exact=True).click()  # not only the kam's own
    page.get_by_label("Werttyp").select_option(label="Wachstum")
    table = page.get_by_test_id("customer-table")
    expect(table.get_by_role("link", name=value.customer.name)).to_be_visible()
    table.get_by_role("link", name=value.customer.name).click()
    expect(page.get_by_test_id("customer-name")).to_have_text(value.customer.name)
    expect(page.get_by_test_id("value-type")).to_contain_text("Wachstum")
    expect(page.get_by_test_id("value-reason")).to_have_text(value.reason("de"))
    expect(page.get_by_test_id("value-chart").locator("svg")).to_have_count(1)


def test_the_customer_page_sets_the_forecast_beside_the_last_year(page: Page) -> None:
    _reference_data()
    load_demo(customers=15, seed=11)
    run = run_analysis()
    assert run.status == RunStatus.DONE, run.error
    value = (
        CustomerValue.objects.filter(run=run, value_type__in=("growth", "bell"))
        .exclude(clv=None)
        .select_related("customer")
        .first()
    )
    assert value is not None, "the demo data hold no growing or bell-shaped customer"
    assert value.forecast_revenue_12m is not None
    assert value.clv is not None

    login(page, "kam", "demo")
    page.goto(reverse("profile:customer-detail", args=[value.customer.pk]))
    outlook = page.get_by_test_id("value-outlook")
    expect(outlook).to_contain_text("Letzte 12 Monate")
    expect(outlook).to_contain_text("Prognose nächste 12 Monate")
    with translation.override("de"):
        expect(page.get_by_test_id("outlook-revenue")).to_contain_text(
            format_money(value.forecast_revenue_12m, 0)
        )
        expect(page.get_by_test_id("value-clv")).to_contain_text(format_money(value.clv, 0))
    clv = page.get_by_test_id("value-clv")
    expect(clv).to_contain_text("Kundenwert über die Lebensdauer (CLV)")
    expect(page.get_by_test_id("value-clv")).to_contain_text("8\u00a0% pro Jahr")
    expect(page.get_by_test_id("value-p-alive")).to_contain_text(
        "Wahrscheinlichkeit, dass der Kunde noch aktiv ist"
    )
    expect(page.get_by_test_id("value-p-alive")).to_contain_text(" %")
    expect(page.get_by_test_id("value-expected-orders")).to_be_visible()
    chart = page.get_by_test_id("value-chart")
    expect(chart).to_have_attribute("aria-label", re.compile("Prognose"))
    # the legend names the forecast and its band; the forecast line is dashed
    expect(chart.locator("svg text", has_text="Prognose")).to_have_count(1)
    expect(chart.locator("svg text", has_text="Bandbreite 80 %")).to_have_count(1)
    expect(chart.locator("svg path[stroke-dasharray]").first).to_be_attached()


def test_without_finance_access_the_page_shows_the_outlook_without_money(page: Page) -> None:
    _reference_data()
    load_demo(customers=15, seed=11)
    run = run_analysis()
    value = CustomerValue.objects.filter(run=run).select_related("customer").first()
    assert value is not None

    login(page, "service", "demo")
    page.goto(reverse("profile:customer-detail", args=[value.customer.pk]))
    expect(page.get_by_test_id("value-p-alive")).to_contain_text(
        "Wahrscheinlichkeit, dass der Kunde noch aktiv ist"
    )
    expect(page.get_by_test_id("value-expected-orders")).to_be_visible()
    expect(page.get_by_test_id("value-outlook")).to_have_count(0)
    expect(page.get_by_test_id("value-clv")).to_have_count(0)
    expect(page.get_by_test_id("value-chart")).to_have_count(0)


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
