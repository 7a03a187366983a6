"""Logging an exchange with people brings their last contact, the worklist and the coverage
up to date at once; changing or deleting it moves the date back only as far as their other
activities or a date entered by hand (docs/decisions/0009)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.activities.services import (
    ActivityData,
    activity_create,
    activity_delete,
    activity_update,
)
from kundenbild.buying_center.models import Acquaintance, Closeness, Contact
from kundenbild.buying_center.services import ContactData, contact_save
from kundenbild.profile.models import AreaReview, ProfileArea
from kundenbild.workspace.selectors import worklist
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _call(on: date, *people: Contact, kind: str = "call") -> ActivityData:
    return ActivityData(
        kind=kind, occurred_on=on, subject="Telefonat", contact_ids=tuple(p.pk for p in people)
    )


def _last(contact: Contact) -> date | None:
    contact.refresh_from_db()
    return contact.last_contact_on


def _reviewed(customer: Any) -> None:
    """All profile areas freshly reviewed, so only the deciders are on the worklist."""
    for area in ProfileArea.values:
        AreaReview.objects.create(customer=customer, area=area, reviewed_on=TODAY)


def test_a_call_logged_on_the_page_closes_the_worklist_item_and_the_coverage_gap(
    client_for, users
) -> None:
    """The tester's case: Peter Wolf decides, nobody knows him, nobody has spoken to him."""
    customer = CustomerFactory(name="Wolf Maschinenbau GmbH", owner=users["kam"])
    _reviewed(customer)
    wolf = ContactFactory(
        customer=customer, first_name="Peter", last_name="Wolf", roles=["decider"]
    )
    kam = client_for("kam")
    assert [i.kind for i in worklist(users["kam"]).items] == ["decider_without_contact"]
    page = _buying_center_page(kam, customer)
    assert "Peter Wolf" in _coverage_line(page, "Schlüsselpersonen, die niemand von uns kennt")
    response = kam.post(
        reverse("activities:activity-create", args=[customer.pk]),
        {
            "kind": "call",
            "occurred_on": TODAY.isoformat(),
            "subject": "Anruf",
            "contacts": [wolf.pk],
        },
    )
    assert response.status_code == 302
    assert _last(wolf) == TODAY
    assert worklist(users["kam"]).items == []
    page = _buying_center_page(kam, customer)
    assert "Peter Wolf" not in _coverage_line(page, "Schlüsselpersonen, die niemand von uns kennt")
    assert TODAY.strftime("%d.%m.%Y") in page  # his "Letzter Kontakt" in the people's table
    assert Acquaintance.objects.get(contact=wolf).user == users["kam"]


def _coverage_line(page: str, label: str) -> str:
    """One line of the coverage box on the buying center page."""
    start = page.index(label, page.index('data-testid="coverage"'))
    return page[start : page.index("</div>", start)]


def _buying_center_page(client: Client, customer: Any) -> str:
    return client.get(reverse("buying_center:buying-center", args=[customer.pk])).content.decode()


def test_a_stale_decider_leaves_the_worklist_and_the_stale_list_with_the_call(
    client_for, users
) -> None:
    customer = CustomerFactory(name="Lange her KG", owner=users["kam"])
    _reviewed(customer)
    olga = ContactFactory(
        customer=customer,
        last_name="Lange",
        roles=["decider"],
        last_contact_on=TODAY - timedelta(days=400),
    )
    Acquaintance.objects.create(contact=olga, user=users["kam"], closeness=Closeness.CLOSE)
    assert len(worklist(users["kam"]).items) == 1
    page = _buying_center_page(client_for("kam"), customer)
    assert "Lange" in _coverage_line(page, "Seit sechs Monaten ohne Kontakt")
    activity_create(customer=customer, data=_call(TODAY - timedelta(days=1), olga), by=users["kam"])
    assert worklist(users["kam"]).items == []
    page = _buying_center_page(client_for("kam"), customer)
    assert "Lange" not in _coverage_line(page, "Seit sechs Monaten ohne Kontakt")
    assert Acquaintance.objects.get(contact=olga).closeness == Closeness.CLOSE  # kept as it was


def test_logging_never_moves_the_last_contact_back(users) -> None:
    person = ContactFactory(last_contact_on=TODAY - timedelta(days=2))
    activity_create(
        customer=person.customer, data=_call(TODAY - timedelta(days=30), person), by=users["kam"]
    )
    assert _last(person) == TODAY - timedelta(days=2)


def test_a_note_about_people_is_no_contact_with_them(users) -> None:
    person = ContactFactory()
    activity_create(
        customer=person.customer, data=_call(TODAY, person, kind="note"), by=users["kam"]
    )
    assert _last(person) is None
    assert not Acquaintance.objects.filter(contact=person).exists()


def test_editing_and_deleting_fall_back_to_the_other_activities_then_the_date_noted(
    users,
) -> None:
    kam = users["kam"]
    noted = TODAY - timedelta(days=100)
    person = ContactFactory(last_contact_on=noted)  # written past the service: counts as noted
    other = ContactFactory(customer=person.customer)
    older = activity_create(
        customer=person.customer, data=_call(TODAY - timedelta(days=20), person), by=kam
    )
    newest = activity_create(customer=person.customer, data=_call(TODAY, person, other), by=kam)
    assert (_last(person), _last(other)) == (TODAY, TODAY)
    activity_update(activity=newest, data=_call(TODAY - timedelta(days=5), other), by=kam)
    assert (_last(person), _last(other)) == (TODAY - timedelta(days=20), TODAY - timedelta(days=5))
    activity_delete(activity=older)
    assert _last(person) == noted  # the date entered by hand is not lost
    activity_delete(activity=newest)
    assert _last(other) is None


def test_a_date_entered_by_hand_later_than_the_calls_survives_their_deletion(users) -> None:
    person = ContactFactory()
    call = activity_create(
        customer=person.customer, data=_call(TODAY - timedelta(days=9), person), by=users["kam"]
    )
    _save_with_date(person, TODAY - timedelta(days=1))
    assert _last(person) == TODAY - timedelta(days=1)
    activity_delete(activity=call)
    assert _last(person) == TODAY - timedelta(days=1)


def test_saving_a_person_keeps_the_date_an_activity_gave_as_logged_not_noted(users) -> None:
    """The form sends the date shown; unchanged, it stays the activity's, so deleting the
    activity afterwards takes it away."""
    person = ContactFactory()
    call = activity_create(customer=person.customer, data=_call(TODAY, person), by=users["kam"])
    person.refresh_from_db()
    _save_with_date(person, person.last_contact_on, function="Einkaufsleiter")
    activity_delete(activity=call)
    assert _last(person) is None


def test_a_colleagues_form_opened_before_the_call_does_not_move_the_date_back(users) -> None:
    person = ContactFactory(last_contact_on=TODAY - timedelta(days=50))
    opened_with = person.last_contact_on
    version = Contact.objects.get(pk=person.pk).version
    activity_create(customer=person.customer, data=_call(TODAY, person), by=users["kam"])
    assert Contact.objects.get(pk=person.pk).version == version  # no conflict for the form
    _save_with_date(person, opened_with, version=version)
    assert _last(person) == TODAY


def _save_with_date(
    person: Contact, day: date | None, *, version: int | None = None, function: str = ""
) -> None:
    data = ContactData(
        first_name=person.first_name,
        last_name=person.last_name,
        function=function,
        last_contact_on=day,
    )
    contact_save(customer=person.customer, data=data, contact=person, expected_version=version)


def test_the_change_of_the_last_contact_is_in_the_persons_history(users) -> None:
    person = ContactFactory()
    activity_create(customer=person.customer, data=_call(TODAY, person), by=users["kam"])
    rows = person.history.order_by("history_date")
    assert [(r.history_type, r.last_contact_on) for r in rows] == [("+", None), ("~", TODAY)]


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "update", "delete", "note"]),
        st.integers(0, 400),
        st.sets(st.integers(0, 2), max_size=3),
        st.integers(0, 10),
    ),
    max_size=8,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noted=st.one_of(st.none(), st.integers(0, 400)), operations=OPERATIONS)
def test_the_last_contact_is_always_the_later_of_the_noted_date_and_the_exchanges(
    users: dict[str, User], noted: int | None, operations: list[tuple[str, int, set[int], int]]
) -> None:
    customer = CustomerFactory()
    noted_on = None if noted is None else TODAY - timedelta(days=noted)
    people = [ContactFactory(customer=customer, last_contact_on=noted_on) for _ in range(3)]
    for operation, days_ago, which, pick in operations:
        existing = list(Activity.objects.filter(customer=customer).order_by("pk"))
        data = _call(
            TODAY - timedelta(days=days_ago),
            *(people[i] for i in sorted(which)),
            kind="note" if operation == "note" else "visit",
        )
        if operation in ("create", "note") or not existing:
            activity_create(customer=customer, data=data, by=users["sales"])
        elif operation == "update":
            activity_update(activity=existing[pick % len(existing)], data=data, by=users["kam"])
        else:
            activity_delete(activity=existing[pick % len(existing)])
    for person in people:
        exchanges = Activity.objects.filter(contacts=person).exclude(kind="note")
        dates = [d for d in [noted_on, *exchanges.values_list("occurred_on", flat=True)] if d]
        assert _last(person) == max(dates, default=None)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Visits, calls, e-mails and meetings logged with this person move it on."),
        ("de", "Besuche, Anrufe, E-Mails und Termine, die mit dieser Person erfasst werden"),
    ],
)
def test_the_persons_form_says_that_activities_move_the_last_contact_on(
    users, language, text
) -> None:
    kam = users["kam"]
    kam.language = language
    kam.save()
    person = ContactFactory(customer=CustomerFactory(owner=kam))
    client = Client()
    client.force_login(kam)
    url = reverse("buying_center:contact-update", args=[person.customer_id, person.pk])
    assert text in client.get(url).content.decode()
