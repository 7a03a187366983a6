"""No serious or critical accessibility violation, as axe-core counts them, on the pages of
a key account manager's day: as `kam` on every page of the day, as `management` on those
`kam` may not open (as `controller` the imports), each on a 13" laptop and on a phone;
and the top bar's search with its suggestions open. Table headers without a name (axe
counts them minor) are refused too: the testers found three.

The checker is tested first on a page built to fail, so that a broken injection or an
axe-core that finds nothing cannot pass as an accessible app.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from kundenbild.activities.models import Activity
from kundenbild.chains.models import Chain
from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from kundenbild.insights.models import RunStatus
from kundenbild.insights.services import run_analysis
from tests.e2e.accessibility import (
    EVERY_IMPACT,
    assert_accessible,
    axe_source,
    serious_violations,
    violations,
)
from tests.e2e.screens import LAPTOP, PHONE
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Each page is checked as the first of these who may open it: the imports are the
# controller's.
ROLES = ("kam", "management", "controller")

# Grey on white (2.3 : 1), an unnamed button, a field without a label: three serious
# rules; and a table header without text, which axe counts minor.
FAILING = """<!doctype html><html lang="de"><head><title>t</title></head><body><main>
<p style="color:#aaaaaa;background:#ffffff">Kaum lesbar</p>
<button id="bare"></button>
<input id="nameless" type="text">
<table><tr><th>Name</th><th id="blank"></th></tr><tr><td>A</td><td>B</td></tr></table>
</main></body></html>"""


def test_the_checker_finds_what_it_should(browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(FAILING)
        found = serious_violations(page)
        rules = {line.split()[1] for line in found}
        assert {"color-contrast", "button-name", "label"} <= rules, found
        assert any("#bare" in line for line in found), found
        assert "empty-table-header" not in rules  # minor: not among the serious ones
        headers = violations(page, EVERY_IMPACT, rules=("empty-table-header",))
        assert len(headers) == 1, headers
        assert "#blank" in headers[0], headers
        with pytest.raises(AssertionError, match="button-name"):
            assert_accessible(page)
        page.set_content(FAILING.replace("#aaaaaa", "#595959"))
        assert not [line for line in violations(page) if "color-contrast" in line]
    finally:
        context.close()


def _day_pages() -> dict[str, str]:
    """The pages of the day, with the demo's records that have the most to show."""
    customer = (
        Customer.objects.filter(
            owner__username="kam", contacts__isnull=False, activities__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert customer is not None, "the demo gives kam no customer with people and activities"
    chain = Chain.objects.order_by("pk").first()
    assert chain is not None, "the demo holds no chain"
    activity = Activity.objects.filter(customer=customer).order_by("pk").first()
    assert activity is not None, "the demo gives kam's customer no activity"
    word = max(customer.name.split(), key=len)[:6]
    return {
        "start": reverse("home"),
        "search": f"{reverse('workspace:search')}?q={word}",
        "customers": reverse("profile:customer-list"),
        "customer": reverse("profile:customer-detail", args=[customer.pk]),
        "buying center": reverse("buying_center:buying-center", args=[customer.pk]),
        "activities and the call form": reverse(
            "activities:customer-activities", args=[customer.pk]
        ),
        "an activity": reverse("activities:activity-update", args=[activity.pk]),
        "coaching": reverse("portfolio:focus-list"),
        "selection": reverse("portfolio:selection"),
        "portfolio": reverse("portfolio:portfolio"),
        "potential": reverse("potential:customer-potential", args=[customer.pk]),
        "chains": reverse("chains:list"),
        "chain": reverse("chains:detail", args=[chain.pk]),
        "imports": reverse("imports:index"),
        "value types": reverse("insights:value-types-help"),
    }


def _check(page: Page, role: str, pages: dict[str, str]) -> tuple[list[str], list[str]]:
    """Opens each page at both sizes; returns the violations and the pages refused."""
    found: list[str] = []
    refused: list[str] = []
    for name, url in pages.items():
        for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            response = page.goto(url)
            assert response is not None
            if response.status == 403:
                refused.append(name)
                break
            assert response.status == 200, f"{role}: {name} answered {response.status}"
            page.wait_for_load_state("networkidle")
            found += [f"{role} {size} {line}" for line in serious_violations(page)]
            # the testers' finding, though axe counts it minor: headers with no name
            lines = violations(page, EVERY_IMPACT, rules=("empty-table-header",))
            found += [f"{role} {size} {line}" for line in lines]
    return found, refused


def _check_suggestions(page: Page, word: str) -> list[str]:
    """The top bar's search with its suggestions open and one chosen by arrow key: the
    listbox exists only while typing, so no page visit sees it."""
    found: list[str] = []
    for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(reverse("home"))
        if size == "phone":
            page.locator(".navbar-toggler").click()
        page.get_by_role("combobox").fill(word)
        # the typed word's suggestions, not the recently viewed shown on focus
        expect(page.locator("#kb-option-all")).to_be_visible()
        page.keyboard.press("ArrowDown")
        found += [f"suggestions {size} {line}" for line in serious_violations(page)]
    return found


def test_the_pages_of_the_day_have_no_serious_violation(browser: Any, live_server: Any) -> None:
    axe_source()  # without axe-core: skip (or fail) before loading the demo
    _reference_data()
    load_demo(customers=15, seed=11)
    assert run_analysis().status == RunStatus.DONE
    pages = _day_pages()
    found: list[str] = []
    refused: list[str] = []
    for role in ROLES:
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            login(page, role, "demo")
            seen, refused = _check(page, role, pages)
            found += seen
            if role == "kam":
                found += _check_suggestions(page, word=pages["search"].rsplit("=", 1)[1])
        finally:
            context.close()
        pages = {name: pages[name] for name in refused}
        if not pages:
            break
    assert not refused, f"no role of {ROLES} can open {refused}"
    assert not found, f"{len(found)} violation(s) (rule, impact, element):\n" + "\n".join(found)
