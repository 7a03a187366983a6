"""The top bar's search on demo data: "/" jumps to it, the keyboard picks a suggestion, the
customer opened shows up under "recently viewed"; usable on a laptop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kundenbild.accounts.models import User
from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from kundenbild.workspace.search import SUGGESTION_LIMIT, search_everything
from tests.e2e.screens import LAPTOP, PHONE, SCREENS
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo() -> Customer:
    """A demo customer of another manager than `kam`, and the part of its name to type."""
    _reference_data()
    load_demo(customers=20, seed=7)
    return Customer.objects.exclude(owner__username="kam").order_by("pk").first()  # type: ignore[return-value]


def _typed_part(customer: Customer) -> str:
    """The longest word of the name: enough to find it among the demo's customers."""
    return max(customer.name.split(), key=len)[:8]


def _pick_by_keyboard(page: Page, customer: Customer) -> None:
    """Arrow down through the suggestions to the customer, then Enter."""
    box = page.get_by_role("combobox", name="Kunden, Personen, Marktleistungen und Ketten finden")
    option_id = f"kb-option-customer-{customer.pk}"
    expect(page.locator(f"#{option_id}")).to_be_visible()
    for _ in range(12):
        page.keyboard.press("ArrowDown")
        if box.get_attribute("aria-activedescendant") == option_id:
            break
    else:
        pytest.fail("the customer's suggestion cannot be reached with the arrow keys")
    page.keyboard.press("Enter")


@SCREENS
def test_a_key_account_manager_finds_a_customer_with_slash_and_the_keyboard(
    page: Page, demo: Customer, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    login(page, "kam", "demo")
    expect(page.get_by_test_id("worklist")).to_be_visible()
    page.wait_for_load_state()
    box = page.get_by_role("combobox", name="Kunden, Personen, Marktleistungen und Ketten finden")
    if viewport is PHONE:
        expect(box).to_be_hidden()  # behind the navbar toggler until asked for
    else:  # the box fits beside the links of a key account manager: one row, not two
        assert page.evaluate("() => document.querySelector('nav.navbar').offsetHeight") < 80
    page.keyboard.press("/")
    expect(box).to_be_focused()
    text = _typed_part(demo)
    kam = User.objects.get(username="kam")
    expected = search_everything(user=kam, text=text, limit=SUGGESTION_LIMIT).customers
    assert demo in expected, (text, expected)
    page.keyboard.type(text)
    listbox = page.get_by_role("listbox", name="Vorschläge")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    width = viewport["width"]
    right = page.evaluate(
        "() => document.getElementById('kb-search-list').getBoundingClientRect().right"
    )
    assert right <= width, f"the suggestions end at {right} px on a {width} px screen"
    _pick_by_keyboard(page, demo)

    expect(page).to_have_url(re.compile(rf"/customers/{demo.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(demo.name)
    page.wait_for_load_state()  # the deferred script listens from here on
    page.keyboard.press("/")
    expect(box).to_be_focused()
    recent = page.get_by_test_id("recent-customer")
    expect(recent.first).to_have_text(re.compile(re.escape(demo.name)))
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_slash_inside_a_field_stays_in_the_field_and_enter_shows_all_results(
    page: Page, demo: Customer
) -> None:
    page.set_viewport_size(LAPTOP)
    login(page, "kam", "demo")
    page.goto("/customers/")
    field = page.get_by_label("Suche", exact=True)
    field.click()
    page.keyboard.type("a/b")
    expect(field).to_have_value("a/b")
    box = page.get_by_role("combobox", name="Kunden, Personen, Marktleistungen und Ketten finden")
    expect(box).not_to_be_focused()
    box.click()
    page.keyboard.type(_typed_part(demo))
    expect(page.get_by_role("listbox", name="Vorschläge")).to_be_visible()
    page.keyboard.press("Enter")  # nothing chosen: the results page
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.get_by_test_id("found-customers")).to_contain_text(demo.name)
