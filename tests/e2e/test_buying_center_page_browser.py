"""The buying-center page in the browser: roles picked with a click, the people first,
the forms on demand."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kundenbild.buying_center.models import Acquaintance, Contact, ContactRelation
from kundenbild.customers.models import Customer
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data
from tests.factories import ContactFactory, CustomerFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LAPTOP = {"width": 1280, "height": 800}  # a 13" laptop at 100 %


LONG_NAME = ("Maximiliane", "Oberbürgermeister-Schwarzenberger")
PEOPLE: list[tuple[str, str, list[str], str, str]] = [
    ("Eva", "Roth", ["decider", "initiator"], "high", "champion"),
    ("Jonas", "Klein", ["user"], "low", "neutral"),
    ("Petra", "Wolf", ["buyer", "gatekeeper"], "medium", "sceptic"),
    ("Ali", "Demir", ["influencer"], "medium", "supporter"),
    ("Sabine", "Lang", ["user", "influencer"], "low", "opponent"),
    ("Thomas", "Berg", ["decider"], "high", "neutral"),
    ("Ina", "Schulz", [], "", ""),
    ("Markus", "Vogel", ["gatekeeper"], "low", "supporter"),
    (*LONG_NAME, ["initiator", "user", "influencer", "decider", "buyer", "gatekeeper"], "high", ""),
    ("Lea", "Fuchs", ["buyer"], "medium", "champion"),
]


def _buying_center() -> Customer:
    """A customer with ten people, their relations and three of us who know some."""
    _reference_data()
    kam = UserFactory(username="kam", role_code="kam")
    colleagues = [kam, UserFactory(username="sales", role_code="sales")]
    customer = CustomerFactory(owner=kam, name="Nordwerk Hydraulik GmbH")
    people = [
        ContactFactory(
            customer=customer,
            first_name=first,
            last_name=last,
            roles=roles,
            influence=influence,
            attitude=attitude,
        )
        for first, last, roles, influence, attitude in PEOPLE
    ]
    for source, target, kind in [(1, 0, "reports_to"), (2, 0, "reports_to"), (3, 5, "influences"),
                                 (4, 3, "opposes"), (7, 2, "trusts"), (8, 5, "influences"),
                                 (9, 2, "reports_to")]:  # fmt: skip
        ContactRelation.objects.create(source=people[source], target=people[target], kind=kind)
    for person, user in [(0, 0), (2, 0), (5, 1), (8, 1), (3, 0)]:
        Acquaintance.objects.create(contact=people[person], user=colleagues[user], closeness="good")
    return customer


def test_two_buying_roles_are_picked_with_two_plain_clicks(page: Page) -> None:
    customer = _buying_center()
    page.set_viewport_size(LAPTOP)
    login(page, "kam")
    page.goto(f"/buying-center/customers/{customer.pk}/")
    people = page.get_by_test_id("people-table")
    box = people.bounding_box()
    assert box is not None
    assert box["y"] < LAPTOP["height"] / 2  # the people come first
    form = page.get_by_test_id("contact-form")
    expect(form).to_be_hidden()

    page.get_by_role("button", name="Person hinzufügen").click()
    expect(form).to_be_visible()
    form.get_by_label("Nachname").fill("Haas")
    roles = form.get_by_role("group", name="Rollen im Buying Center")
    roles.get_by_text("Entscheider", exact=True).click()
    roles.get_by_text("Einkäufer", exact=True).click()
    expect(roles.get_by_role("checkbox", checked=True)).to_have_count(2)
    form.get_by_role("button", name="Speichern").click()

    expect(page.get_by_role("alert").first).to_contain_text("Haas wurde dem Buying Center")
    haas = Contact.objects.get(last_name="Haas")
    assert sorted(r.code for r in haas.buying_roles.all()) == ["buyer", "decider"]
    page.goto(f"/buying-center/customers/{customer.pk}/")
    row = page.get_by_test_id("people-table").get_by_role("row").filter(has_text="Haas")
    expect(row).to_contain_text("Entscheider")
    expect(row).to_contain_text("Einkäufer")


def test_the_person_form_opens_by_keyboard_and_comes_back_open_with_its_errors(
    page: Page,
) -> None:
    customer = _buying_center()
    login(page, "kam")
    page.goto(f"/buying-center/customers/{customer.pk}/")
    toggle = page.get_by_role("button", name="Person hinzufügen")
    for _ in range(60):  # tab through the page up to the button
        page.keyboard.press("Tab")
        if toggle.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("the button cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    form = page.get_by_test_id("contact-form")
    expect(form).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(form.get_by_label("Anrede")).to_be_focused()  # the cursor is in the form

    page.keyboard.press("Tab")  # to the title
    page.keyboard.press("Tab")  # to the first name
    page.keyboard.type("Ohne Nachname")
    page.keyboard.press("Enter")  # sends the form: the last name is missing

    expect(form).to_be_visible()
    expect(form).to_contain_text("Dieses Feld ist zwingend erforderlich.")
    expect(form.get_by_label("Nachname")).to_be_focused()
    expect(form.get_by_label("Vorname")).to_have_value("Ohne Nachname")
