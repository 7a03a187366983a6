"""Activities are corrected and deleted by their author or by whoever may edit the customer,
on the pages and through the API, with history; the people's last contact follows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kundenbild.activities.models import Activity
from kundenbild.activities.services import ActivityData, activity_create
from kundenbild.buying_center.models import Contact
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def logged(users) -> Activity:  # type: ignore[no-untyped-def]
    """A call the sales user logged with Anna Berg, at a customer the kam owns."""
    customer = CustomerFactory(owner=users["kam"], name="Berg & Söhne GmbH")
    anna = ContactFactory(customer=customer, first_name="Anna", last_name="Berg")
    data = ActivityData(
        kind="call",
        occurred_on=TODAY - timedelta(days=3),
        subject="Jahresgespräch",
        contact_ids=(anna.pk,),
    )
    return activity_create(customer=customer, data=data, by=users["sales"])


def _form(activity: Activity, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": activity.kind,
        "occurred_on": activity.occurred_on.isoformat(),
        "subject": activity.subject,
        "outcome": activity.outcome,
        "contacts": [c.pk for c in activity.contacts.all()],
        "next_step": activity.next_step,
    }
    return data | changes


def _last(contact: Contact) -> date | None:
    contact.refresh_from_db()
    return contact.last_contact_on


@pytest.mark.parametrize("role", ["sales", "kam", "management"])  # author, owner, all customers
def test_the_author_and_who_may_edit_the_customer_change_an_activity(
    client_for, users, logged, role
) -> None:
    anna = logged.contacts.get()
    ben = ContactFactory(customer=logged.customer, first_name="Ben", last_name="Kurz")
    client = client_for(role)
    url = reverse("activities:activity-update", args=[logged.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Aktivität ändern" in form.content.decode()
    assert 'value="Jahresgespräch"' in form.content.decode()
    day = TODAY - timedelta(days=1)
    response = client.post(
        url, _form(logged, subject="Jahresgespräch 2027", occurred_on=day, contacts=[ben.pk])
    )
    assert response.status_code == 302
    logged.refresh_from_db()
    assert (logged.subject, logged.occurred_on) == ("Jahresgespräch 2027", day)
    assert list(logged.contacts.all()) == [ben]
    assert (_last(anna), _last(ben)) == (None, day)
    latest = logged.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", users[role])
    assert [p.contact_id for p in latest.contacts.all()] == [ben.pk]


@pytest.mark.parametrize("role", ["service", "controller"])
def test_who_neither_logged_it_nor_may_edit_the_customer_cannot_change_it(
    client_for, logged, role
) -> None:
    client = client_for(role)
    edit = reverse("activities:activity-update", args=[logged.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _form(logged, subject="Übernommen")).status_code == 403
    assert client.post(reverse("activities:activity-delete", args=[logged.pk])).status_code == 403
    logged.refresh_from_db()
    assert logged.subject == "Jahresgespräch"
    page = client.get(reverse("activities:customer-activities", args=[logged.customer_id]))
    assert reverse("activities:activity-update", args=[logged.pk]) not in page.content.decode()


def test_an_activity_that_does_not_exist_is_404(client_for) -> None:
    client = client_for("kam")
    assert client.get(reverse("activities:activity-update", args=[999_999])).status_code == 404
    assert client.post(reverse("activities:activity-delete", args=[999_999])).status_code == 404


def test_a_change_that_breaks_a_rule_is_explained_and_not_saved(client_for, logged) -> None:
    future = (TODAY + timedelta(days=2)).isoformat()
    response = client_for("sales").post(
        reverse("activities:activity-update", args=[logged.pk]),
        _form(logged, occurred_on=future, subject="Vorgezogen"),
    )
    assert response.status_code == 400
    assert "nicht in der Zukunft" in response.content.decode()
    logged.refresh_from_db()
    assert logged.subject == "Jahresgespräch"
    assert _last(logged.contacts.get()) == TODAY - timedelta(days=3)


def test_deleting_asks_on_the_page_then_removes_it_keeps_its_history_and_the_date(
    client_for, users, logged
) -> None:
    anna = logged.contacts.get()
    client = client_for("sales")
    page = client.get(reverse("activities:activity-update", args=[logged.pk])).content.decode()
    assert 'data-confirm="Diese Aktivität löschen?' in page
    url = reverse("activities:activity-delete", args=[logged.pk])
    assert client.get(url).status_code == 405  # only a POST deletes
    response = client.post(url, follow=True)
    assert "Die Aktivität wurde gelöscht." in response.content.decode()
    assert not Activity.objects.filter(pk=logged.pk).exists()
    assert _last(anna) is None
    gone = Activity.history.filter(id=logged.pk).latest()
    assert (gone.history_type, gone.history_user, gone.subject) == (
        "-",
        users["sales"],
        "Jahresgespräch",
    )
    history = client_for("kam").get(reverse("profile:customer-history", args=[anna.customer_id]))
    assert "Jahresgespräch" in history.content.decode()


@pytest.mark.parametrize(
    ("language", "edit", "title"),
    [("de", "Bearbeiten", "Aktivität ändern"), ("en", "Edit", "Change activity")],
)
def test_the_customer_page_links_each_activity_its_reader_may_change(
    users, logged, language, edit, title
) -> None:
    other = activity_create(
        customer=logged.customer,
        data=ActivityData(kind="visit", occurred_on=TODAY, subject="Besuch"),
        by=users["kam"],
    )
    sales = users["sales"]
    sales.language = language
    sales.save()
    client = Client()
    client.force_login(sales)
    page = client.get(reverse("profile:customer-detail", args=[logged.customer_id]))
    html = page.content.decode()
    mine = reverse("activities:activity-update", args=[logged.pk])
    assert f'<a href="{mine}" data-testid="activity-edit">{edit}</a>' in html
    assert reverse("activities:activity-update", args=[other.pk]) not in html  # the kam's
    assert title in client.get(mine).content.decode()


def test_the_api_reads_changes_and_deletes_an_activity(api_client_for, users, logged) -> None:
    anna = logged.contacts.get()
    client = api_client_for("sales")
    url = f"/api/activities/{logged.pk}"
    assert client.get(url).json()["contact_ids"] == [anna.pk]
    patched = client.patch(
        url,
        {"subject": "Nachgefasst", "occurred_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["subject"] == "Nachgefasst"
    assert patched.json()["contact_ids"] == [anna.pk]  # what the PATCH left out stays
    assert _last(anna) == TODAY
    body = {"kind": "meeting", "subject": "Workshop", "occurred_on": "2026-01-05"}
    put = client.put(url, body, content_type="application/json")
    assert put.status_code == 200
    assert (put.json()["kind"], put.json()["contact_ids"]) == ("meeting", [])
    assert _last(anna) is None
    cleared = client.patch(url, {"contact_ids": None}, content_type="application/json")
    assert cleared.status_code == 200
    bad = client.patch(url, {"subject": None}, content_type="application/json")
    assert bad.status_code == 422
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    kinds = [r.history_type for r in Activity.history.filter(id=logged.pk)]  # newest first
    assert (kinds[0], kinds[-1], kinds.count("~") >= 3) == ("-", "+", True)


@pytest.mark.parametrize("role", ["service", "controller"])
def test_the_api_refuses_changes_by_who_neither_logged_it_nor_may_edit_the_customer(
    api_client_for, logged, role
) -> None:
    client = api_client_for(role)
    url = f"/api/activities/{logged.pk}"
    assert client.get(url).status_code == 200  # reading the log is for everyone
    body = {"subject": "Übernommen"}
    assert client.patch(url, body, content_type="application/json").status_code == 403
    put = client.put(url, {"kind": "call", **body}, content_type="application/json")
    assert put.status_code == 403
    assert client.delete(url).status_code == 403
    assert Activity.objects.get(pk=logged.pk).subject == "Jahresgespräch"
    assert client.delete("/api/activities/999999").status_code == 404
