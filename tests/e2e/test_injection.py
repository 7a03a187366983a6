"""No user-entered text runs as script: every free text of the demo (customers, people,
offerings, chains and their actors, activities, needs, buying centers) is replaced by a
script payload, and every page with a chart or diagram is opened in Chromium as each of
the six roles, its charts hovered item by item and its actors clicked.

A payload counts as run if a dialog opens or the page sets the flag it writes; it counts
as injected (and contained only by the Content-Security-Policy) if an element of it is in
the page, or the browser reports a policy violation. All three must stay at zero.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Dialog, Page

from kundenbild.buying_center.models import Contact
from kundenbild.chains.models import ChainActor
from kundenbild.demo.loader import load_demo
from kundenbild.insights.models import RunStatus
from kundenbild.insights.services import run_analysis
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data
from tests.payloads import inject_everywhere

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Whatever a payload could have left in the page: its elements, its handlers.
INJECTED = "img[src='x'], [onerror], [onload], script:not([src]):not([type='application/json'])"
CHARTS = ("#portfolio-chart", "#value-chart", "#chain-diagram", "#relationship-map")


def hover_and_click_charts(page: Page) -> int:
    """Shows the tooltip of every item of every chart on the page (as hovering it would),
    moves the mouse across each chart, and returns how many tooltips were shown."""
    shown = 0
    for selector in CHARTS:
        chart = page.locator(selector)
        if chart.count() == 0:
            continue
        shown += page.evaluate(
            """(selector) => {
                const chart = echarts.getInstanceByDom(document.querySelector(selector));
                if (!chart) { return 0; }
                let shown = 0;
                chart.getOption().series.forEach((series, seriesIndex) => {
                  const items = (series.data || []).length;
                  for (let dataIndex = 0; dataIndex < items; dataIndex++) {
                    chart.dispatchAction({ type: "showTip", seriesIndex, dataIndex });
                    shown++;
                  }
                });
                return shown;
            }""",
            selector,
        )
        box = chart.bounding_box()
        if box:
            for step in range(1, 12):
                page.mouse.move(box["x"] + box["width"] * step / 12, box["y"] + box["height"] / 2)
    return shown


def run_and_injected(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """(selector) => ({
            ran: window.__xss === 1,
            injected: Array.from(document.querySelectorAll(selector)).map((e) => e.outerHTML),
        })""",
        INJECTED,
    )


def pages_with_charts() -> dict[str, str]:
    actor = ChainActor.objects.filter(chain__customer__isnull=False).select_related("chain")
    chained = actor.first()
    assert chained is not None, "the demo holds no chain of a customer"
    customer = chained.chain.customer
    assert customer is not None
    with_people = Contact.objects.values_list("customer_id", flat=True).first()
    return {
        "start": reverse("home"),
        "customers": reverse("profile:customer-list"),
        "customer": reverse("profile:customer-detail", args=[customer.pk]),
        "buying center": reverse("buying_center:buying-center", args=[with_people]),
        "chain": reverse("chains:detail", args=[chained.chain_id]),
        "chains": reverse("chains:list"),
        "potential": reverse("potential:customer-potential", args=[customer.pk]),
        "activities": reverse("activities:customer-activities", args=[customer.pk]),
        "offerings": reverse("offerings:matrix"),
        "fascination": reverse("offerings:customer-fascination", args=[customer.pk]),
        "coverage": reverse("buying_center:coverage"),
        "portfolio": reverse("portfolio:portfolio"),
        "selection": reverse("portfolio:selection"),
        "coaching": reverse("portfolio:focus-list"),
    }


ROLES = ("management", "kam", "sales", "service", "controller", "admin")


def test_no_entered_text_runs_as_script_on_any_chart_page(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    _reference_data()
    load_demo(customers=12, seed=7)
    assert inject_everywhere() >= 30
    assert run_analysis().status == RunStatus.DONE
    pages = pages_with_charts()
    shown: dict[str, list[str]] = {}
    for role in ROLES:
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        try:
            shown[role] = walk_as(context.new_page(), role, pages)
        finally:
            context.close()
    assert "portfolio" in shown["management"], "the portfolio, where it all began, was not seen"
    assert "chain" in shown["service"]


def walk_as(page: Page, role: str, pages: dict[str, str]) -> list[str]:
    """Opens every page the role may see, shows every chart item's tooltip and clicks the
    chain's actors; returns the pages seen. Fails on a dialog, a payload element or flag
    in the page, or a policy violation."""
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    violations: list[str] = []
    page.on("dialog", lambda dialog: _record_dialog(dialog, dialogs))
    page.on("console", lambda message: _record_violation(message, violations))
    login(page, role, "demo")
    tooltips = 0
    seen = []
    for name, url in pages.items():
        response = page.goto(url)
        assert response is not None
        if response.status == 403:
            continue
        assert response.status == 200, f"{role}: {name} answered {response.status}"
        seen.append(name)
        tooltips += hover_and_click_charts(page)  # the charts are drawn by the time of "load"
        for link in page.get_by_test_id("actor-link").all()[:4]:
            link.click()
            page.wait_for_load_state("networkidle")
            hover_and_click_charts(page)
        state = run_and_injected(page)
        assert not state["ran"], f"a payload ran on {name} for {role}"
        assert not state["injected"], f"{name} holds {state['injected'][:3]} for {role}"
    assert tooltips >= 10, f"{role}: the charts showed no tooltips, so nothing was tested"
    assert not dialogs, f"{role}: dialogs opened: {dialogs}"
    assert not violations, f"{role}: the Content-Security-Policy had to stop: {violations[:3]}"
    return seen


def _record_dialog(dialog: Dialog, dialogs: list[str]) -> None:
    dialogs.append(dialog.message)
    dialog.dismiss()


def _record_violation(message: ConsoleMessage, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(message.text)


def test_the_api_documentation_works_under_the_policy(page: Page) -> None:
    """Swagger UI is the one page of code we did not write: it must need no exception."""
    _reference_data()
    load_demo(customers=3, seed=7)
    violations: list[str] = []
    page.on("console", lambda message: _record_violation(message, violations))
    login(page, "kam", "demo")
    page.goto("/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert page.locator(".opblock").count() > 20
    assert not violations, violations[:3]
