"""The portfolio over time draws in the browser and its switches restack it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from kundenbild.accounts.services import roles_ensure_standard
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from tests.e2e.test_journeys import login
from tests.factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIES = (
    "() => echarts.getInstanceByDom(document.getElementById('portfolio-timeline-chart'))"
    ".getOption().series.map(s => [s.name, s.data.map(d => d.value)])"
)


def test_the_timeline_switches_between_types_phases_and_values(page: Page) -> None:
    roles_ensure_standard()
    UserFactory(username="chefin", role_code="management")
    customer = CustomerFactory(name="Nordwerk GmbH")
    for month, (value_type, phase, revenue) in enumerate(
        [("growth", "ramp_up", 10_000), ("steady", "mature", 25_000)], start=1
    ):
        run = AnalysisRun.objects.create(
            as_of=date(2026, month, 28),
            status=RunStatus.DONE,
            finished_at=datetime(2026, month + 1, 1, tzinfo=UTC),
        )
        CustomerValue.objects.create(
            run=run, customer=customer, value_type=value_type, lifecycle_phase=phase,
            reason_code="no_orders", abc_revenue="A", revenue_12m=Decimal(revenue),
            contribution_margin_12m=Decimal(revenue // 4),
            forecast_revenue_12m=Decimal(revenue * 2),
        )  # fmt: skip
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, "chefin")
    page.goto("/portfolio/")
    expect(page.get_by_test_id("portfolio-timeline-chart").locator("svg")).to_be_visible()
    assert page.evaluate(SERIES) == [["unauffällig", [0, 25_000]], ["Wachstum", [10_000, 0]]]
    timeline = page.get_by_test_id("portfolio-timeline")
    timeline.get_by_text("Nach Lebenszyklusphase", exact=True).click()
    timeline.get_by_text("Prognose", exact=True).click()
    assert page.evaluate(SERIES) == [["Anlaufphase", [20_000, 0]], ["Reifephase", [0, 50_000]]]
    assert errors == []
