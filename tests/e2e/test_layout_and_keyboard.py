"""The daily pages work on a 13" laptop and on a tablet, and by keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from kundenbild.insights.models import RunStatus
from kundenbild.insights.services import run_analysis
from kundenbild.workspace.models import WorkItemDismissal
from tests.e2e.screens import LAPTOP, sideways_overflow, tab_to
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TABLET = {"width": 768, "height": 1024}  # a tablet upright


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    _reference_data()
    load_demo(customers=25, seed=11)
    run = run_analysis()
    assert run.status == RunStatus.DONE, run.error
    return Customer.objects.order_by("pk").first()


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["laptop", "tablet"])
def test_no_page_scrolls_sideways(page: Page, demo, viewport) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(viewport)
    login(page, "management", "demo")
    for url in [
        "/",
        "/customers/",
        f"/customers/{demo.pk}/",
        f"/buying-center/customers/{demo.pk}/",
        "/portfolio/",
        "/portfolio/selection/",
        "/portfolio/coaching/",
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        overflow = sideways_overflow(page)
        assert overflow <= 1, f"{url} is {overflow} px too wide at {viewport['width']} px"


def test_a_work_item_is_dismissed_by_keyboard_alone(page: Page, demo) -> None:  # type: ignore[no-untyped-def]
    login(page, "kam", "demo")
    items = page.get_by_test_id("work-item")
    expect(items.first).to_be_visible()
    first = items.first
    customer = first.get_attribute("data-customer-name") or ""
    assert customer
    dismiss = first.get_by_role("button", name="Ausblenden")
    tab_to(page, dismiss, limit=200, what="the first item's dismiss button")
    page.keyboard.press("Enter")
    reason = first.get_by_label("Warum braucht dies keine Aufmerksamkeit?")
    expect(reason).to_be_visible()
    page.keyboard.press("Tab")
    expect(reason).to_be_focused()
    page.keyboard.type("Mit dem Kunden besprochen")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("dismissals")).to_contain_text("Mit dem Kunden besprochen")
    expect(page.get_by_test_id("dismissals")).to_contain_text(customer)
    assert WorkItemDismissal.objects.get().reason == "Mit dem Kunden besprochen"


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["laptop", "tablet"])
def test_long_names_and_texts_stay_inside_their_worklist_row(page: Page, demo, viewport) -> None:  # type: ignore[no-untyped-def]
    """A name without spaces and a next step of one long word wrap or clamp in their cell."""
    from datetime import timedelta

    from django.utils import timezone

    from kundenbild.accounts.models import User
    from kundenbild.activities.models import Activity

    kam = User.objects.get(username="kam")
    today = timezone.localdate()
    demo.name = "Langname" * 20
    demo.owner = kam
    demo.save()
    Activity.objects.create(
        customer=demo,
        kind="call",
        occurred_on=today - timedelta(days=3),
        subject="Telefonat",
        next_step="Nachfassen" * 40 + " und dann noch viel mehr Text " * 20,
        follow_up_on=today - timedelta(days=200),  # long overdue: near the top
        follow_up_by=kam,
        created_by=kam,
    )
    page.set_viewport_size(viewport)
    login(page, "kam", "demo")
    page.goto("/?kind=follow_up_due")
    row = page.get_by_test_id("work-item").filter(has_text="Nachfassen").first
    expect(row).to_be_visible()
    overflow = sideways_overflow(page)
    assert overflow <= 1, f"the worklist is {overflow} px too wide"
    text = row.get_by_test_id("work-item-text")
    assert text.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert text.evaluate(
        "e => e.getBoundingClientRect().height < 6 * parseFloat(getComputedStyle(e).lineHeight)"
    )
    assert "und dann noch viel mehr Text" in (text.get_attribute("title") or "")
    row_box = row.bounding_box()
    assert row_box is not None
    for button in row.get_by_role("button").all():
        box = button.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= row_box["x"] + row_box["width"] + 1


def test_the_portfolio_matrix_switches_to_log_axes_and_lists_its_customers(
    page: Page, demo
) -> None:  # type: ignore[no-untyped-def]
    login(page, "management", "demo")
    page.goto("/portfolio/")
    page.get_by_label("Logarithmische Achsen", exact=False).check()
    axis = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('portfolio-chart'))"
        ".getOption().xAxis[0].type"
    )
    assert axis == "log"
    page.get_by_text("Die größten Kunden der Matrix als Tabelle").click()
    table = page.get_by_test_id("portfolio-points-table")
    expect(table.get_by_role("link").first).to_be_visible()
