"""Issue 22 in the browser, on demo data: a key account manager logs a call with two people
on a customer's page; the buying center shows the call's date as both people's last
contact, and the worklist's "deciders without contact" for the customer is gone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from playwright.sync_api import Page, expect

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import Contact
from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from kundenbild.workspace.selectors import worklist
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DECIDERS = "decider_without_contact"


def _customer_with_deciders_to_call() -> tuple[Customer, list[Contact]]:
    """A customer of the kam's worklist with at most two deciders nobody spoke to or knows,
    and two people to call that include them all."""
    kam = User.objects.get(username="kam")
    for item in worklist(kam).items:
        if item.kind != DECIDERS or len(item.facts["people"]) > 2:
            continue
        customer = Customer.objects.get(pk=item.customer_id)
        names = {name for name, _known, _last in item.facts["people"]}
        people = sorted(customer.contacts.all(), key=lambda c: str(c) not in names)
        if len(people) >= 2 and {str(p) for p in people[:2]} >= names:
            return customer, people[:2]
    raise AssertionError("the demo data hold no suitable customer")


def test_a_call_with_two_people_updates_their_last_contact_and_the_worklist(page: Page) -> None:
    _reference_data()
    load_demo(customers=15, seed=11)
    customer, people = _customer_with_deciders_to_call()
    today = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")

    login(page, "kam", "demo")
    page.goto(f"/?kind={DECIDERS}&all=1")
    # the customer's name heads its group of items; each item carries its customer's id
    items = page.locator(f'[data-testid="work-item"][data-customer="{customer.pk}"]')
    expect(items).to_have_count(1)

    page.goto(reverse("profile:customer-detail", args=[customer.pk]))
    page.get_by_test_id("activities-link").click()
    form = page.get_by_test_id("activity-form")
    form.get_by_label("Art").select_option(label="Anruf")
    form.get_by_label("Betreff").fill("Rückruf wegen Angebot")
    participants = form.get_by_role("group", name="Beteiligte Personen")
    for person in people:
        participants.get_by_label(str(person), exact=True).check()
    form.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert").first).to_contain_text("Die Aktivität wurde erfasst.")

    page.goto(reverse("profile:customer-detail", args=[customer.pk]))
    page.get_by_test_id("buying-center-link").click()
    table = page.get_by_test_id("people-table")
    for person in people:
        row = table.get_by_role("row").filter(has_text=person.full_name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(today)

    page.goto(f"/?kind={DECIDERS}&all=1")
    expect(items).to_have_count(0)
