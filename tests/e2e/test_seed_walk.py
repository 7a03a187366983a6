"""The seed's walk through customer care in the browser, as management: narrow the
customers down to an offering, look at them by value type, open the pearls, put two of
them into the coaching focus with the scope kept, and see whether coaching worked."""

from __future__ import annotations

import re

import pytest
from django.db.models import Count, Q
from playwright.sync_api import Page, expect

from kundenbild.demo.loader import demo_coaching_baseline, load_demo
from kundenbild.insights.models import CustomerValue, RunStatus
from kundenbild.insights.services import run_analysis
from kundenbild.offerings.models import Offering
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.portfolio.scope import Scope
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _offering_with_most_steady_customers() -> Offering:
    """The offering whose scope holds the most steady customers (the pearls' ground)."""
    steady = CustomerValue.objects.filter(value_type="steady").values("customer_id")
    return (
        Offering.objects.annotate(
            steady=Count(
                "demands__need__customer",
                filter=Q(demands__need__customer__in=steady),
                distinct=True,
            )
        )
        .order_by("-steady", "number")
        .first()
    )


def test_management_walks_the_seeds_steps_of_customer_care(page: Page) -> None:
    _reference_data()
    load_demo(customers=60, seed=7)  # with coaching foci started a year ago
    run_analysis(as_of=demo_coaching_baseline())  # the value before their start
    run = run_analysis()
    assert run.status == RunStatus.DONE, run.error
    offering = _offering_with_most_steady_customers()
    assert offering is not None

    login(page, "management", "demo")
    page.get_by_test_id("nav-selection").click()
    # 1. narrow it down to an offering
    page.get_by_label("Marktleistung", exact=True).select_option(offering.number)
    page.get_by_role("button", name="Neu ordnen").click()
    scope = page.get_by_test_id("selection-scope")
    expect(scope).to_contain_text(f"Marktleistung: {offering.name_de}")
    in_scope = int(re.search(r"(\d+) Kunden? im Ausschnitt", scope.inner_text()).group(1))  # type: ignore[union-attr]
    assert 0 < in_scope < 60

    # 2. look at the groups
    page.get_by_test_id("selection-by-type").click()
    groups = page.get_by_test_id("selection-group")
    expect(groups.first).to_be_visible()
    assert groups.count() >= 2
    expect(scope).to_contain_text(f"Marktleistung: {offering.name_de}")

    # 3. open the pearls: steady customers only, each with its evidence
    page.get_by_role("link", name=re.compile("Perlen")).click()
    expect(page.get_by_test_id("pearls-intro")).to_be_visible()
    expect(scope).to_contain_text(f"Marktleistung: {offering.name_de}")
    page.get_by_role("link", name="Eine Liste").click()
    rows = page.get_by_test_id("selection-table").locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 2
    for at in range(rows.count()):
        expect(rows.nth(at).get_by_test_id("selection-type")).to_contain_text(
            "unauffällig", ignore_case=True
        )

    # 4. two customers into the coaching focus, the scope kept
    chosen = []
    for rank in range(2):
        row = page.get_by_test_id("selection-table").locator("tbody tr").nth(rank)
        chosen.append(row.locator("td").nth(1).get_by_role("link").first.inner_text())
        row.get_by_test_id("focus-add").click()
        expect(page.get_by_test_id("focus-scope")).to_contain_text(offering.name_de)
        expect(page.get_by_role("combobox", name="Ziel")).to_have_value("pearls")
        page.get_by_role("button", name="In den Coaching-Fokus aufnehmen").click()
        expect(page.get_by_test_id("focus-table")).to_contain_text(chosen[-1])
        page.go_back()
        page.go_back()
    focus = CoachingFocus.objects.filter(closed_on=None, customer__name__in=chosen, goal="pearls")
    assert focus.count() == 2
    assert {Scope.from_json(f.scope).offering for f in focus} == {offering.number}

    # 5. did coaching work? the demo's foci of a year ago are measured against their
    # peers; the two just chosen have no analysis since their start yet
    page.get_by_test_id("nav-focus").click()
    effect = page.get_by_test_id("coaching-effect")
    expect(effect).to_contain_text("Wirkung")
    expect(effect.get_by_test_id("effect-figure").first).to_contain_text("€")
    for name in chosen:
        row = page.get_by_test_id("focus-table").locator("tr", has_text=name)
        expect(row).to_contain_text(offering.name_de)  # the scope it was chosen from
        expect(row.get_by_test_id("effect-status")).to_contain_text("noch keine Analyse")
    measured = page.get_by_test_id("focus-table").get_by_test_id("effect-runs")
    expect(measured.first).to_be_visible()
