"""Issue 22's acceptance walk: a key account manager's whole day in the browser, on demo
data, at 1280×800 and on a 390×844 phone.

Start page, a search from the top bar, a customer, a call logged with two participants
and a follow-up, the buying center, the worklist again, the visit PDF. On every page
visited: no action button lies outside the viewport or its card, and axe-core finds no
serious or critical violation.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from tests.e2e.accessibility import serious_violations
from tests.e2e.screens import SCREENS, sideways_overflow
from tests.e2e.test_activity_updates_contact import DECIDERS, _customer_with_deciders_to_call
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data
from tests.e2e.visible_actions import actions_out_of_view

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST_SCREEN = 20
SEARCH_BOX = "Kunden, Personen, Marktleistungen und Ketten finden"


def _page_holds_up(page: Page) -> None:
    """What every page of the day must hold, whatever the width: every action within the
    viewport and its card, no sideways scrolling of the page, and no serious or critical
    finding of axe-core."""
    page.wait_for_load_state("networkidle")
    assert not actions_out_of_view(page), (page.url, actions_out_of_view(page))
    assert sideways_overflow(page) <= 0, (page.url, "px too wide", sideways_overflow(page))
    assert not serious_violations(page), serious_violations(page)


def _search_and_open(page: Page, customer: Customer) -> None:
    """ "/" focuses the top bar's search (on a phone it opens the menu); type, pick."""
    page.keyboard.press("/")
    box = page.get_by_role("combobox", name=SEARCH_BOX)
    expect(box).to_be_focused()
    page.keyboard.type(max(customer.name.split(), key=len)[:8])
    page.locator(f"#kb-option-customer-{customer.pk}").click()
    expect(page.get_by_test_id("customer-name")).to_contain_text(customer.name)


def _log_call(page: Page, people: list[str], subject: str, next_step: str) -> None:
    """The activities page's form: a call today with two people and a follow-up in a week."""
    form = page.get_by_test_id("activity-form")
    form.get_by_label("Art").select_option(label="Anruf")
    form.get_by_label("Betreff").fill(subject)
    participants = form.get_by_role("group", name="Beteiligte Personen")
    for name in people:  # plain clicks on checkboxes, no Ctrl
        participants.get_by_label(name, exact=True).click()
    form.get_by_label("Nächster Schritt").fill(next_step)
    in_a_week = timezone.localdate() + timedelta(days=7)
    form.get_by_label("Wiedervorlage am").fill(in_a_week.isoformat())
    form.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert").first).to_contain_text("Die Aktivität wurde erfasst.")


def _pdf_text(page: Page) -> str:
    """Download the visit PDF from the customer page and read its text."""
    with page.expect_download() as download:
        page.get_by_test_id("profile-pdf").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    return "\n".join(p.extract_text() for p in reader.pages)


@SCREENS
def test_a_key_account_managers_day(page: Page, viewport: dict[str, int]) -> None:
    _reference_data()
    load_demo(customers=15, seed=11)
    customer, people = _customer_with_deciders_to_call()
    names = [str(p) for p in people]
    today = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    subject, next_step = "Rückruf wegen Rahmenvertrag", "Angebot für die Ersatzteile schicken"
    page.set_viewport_size(viewport)

    login(page, "kam", "demo")
    expect(page.get_by_test_id("worklist")).to_be_visible()
    assert page.get_by_test_id("work-item").count() <= FIRST_SCREEN
    _page_holds_up(page)
    deciders = page.locator(f'[data-testid="work-item"][data-customer="{customer.pk}"]')
    page.goto(f"/?kind={DECIDERS}&all=1")
    expect(deciders).to_have_count(1)
    page.goto("/")

    _search_and_open(page, customer)
    _page_holds_up(page)

    page.get_by_test_id("activities-link").click()
    _page_holds_up(page)
    _log_call(page, names, subject, next_step)
    _page_holds_up(page)

    page.goto(reverse("buying_center:buying-center", args=[customer.pk]))
    _page_holds_up(page)
    table = page.get_by_test_id("people-table")
    for person in people:
        row = table.get_by_role("row").filter(has_text=person.full_name)
        expect(row).to_contain_text(today)

    page.goto(f"/?kind={DECIDERS}&all=1")
    expect(deciders).to_have_count(0)
    _page_holds_up(page)

    page.goto(reverse("profile:customer-detail", args=[customer.pk]))
    text = _pdf_text(page)
    assert subject in text, text
    assert next_step in text, text
    for person in people:
        assert person.last_name in text
