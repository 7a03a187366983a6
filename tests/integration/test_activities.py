"""The contact log and follow-ups on the start page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import Contact
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def log(client, customer, **extra):  # type: ignore[no-untyped-def]
    data = {
        "kind": "visit",
        "occurred_on": date.today().isoformat(),
        "subject": "Jahresgespräch",
        "outcome": "Bedarf an Wartung für Linie 3",
    }
    return client.post(reverse("activities:activity-create", args=[customer.pk]), {**data, **extra})


def test_service_staff_log_a_call_that_appears_on_the_customer_page(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    person = Contact.objects.create(customer=customer, first_name="Anna", last_name="Berg")
    client = client_for("service")
    assert log(client, customer, kind="call", contacts=[person.pk]).status_code == 302
    activity = Activity.objects.get(customer=customer)
    assert activity.created_by == users["service"]
    assert list(activity.contacts.all()) == [person]
    html = client.get(reverse("profile:customer-detail", args=[customer.pk])).content.decode()
    assert "Jahresgespräch" in html
    assert "Mit: Anna Berg" in html


def test_a_follow_up_appears_on_the_start_page_of_whom_it_is_for_until_done(
    client_for, users
) -> None:
    customer = CustomerFactory(owner=users["kam"], name="Wiedervorlage GmbH")
    author = client_for("sales")
    today = date.today()
    assert (
        log(
            author,
            customer,
            next_step="Angebot schicken",
            follow_up_on=today.isoformat(),
            follow_up_by=users["kam"].pk,
        ).status_code
        == 302
    )
    log(
        author,
        customer,
        subject="Später",
        next_step="Nachfassen",
        follow_up_on=(today + timedelta(days=5)).isoformat(),
        follow_up_by=users["kam"].pk,
    )
    kam = client_for("kam")
    start = kam.get(reverse("home")).content.decode()
    due = start[
        start.index('data-testid="worklist"') : start.index('data-testid="follow-ups-upcoming"')
    ]
    assert "Angebot schicken" in due
    assert "Nachfassen" not in due
    assert "Nachfassen" in start
    assert "Angebot schicken" not in client_for("sales").get(reverse("home")).content.decode()
    activity = Activity.objects.get(next_step="Angebot schicken")
    assert (
        client_for("service")
        .post(reverse("activities:follow-up-done", args=[activity.pk]))
        .status_code
        == 403
    )
    kam.post(reverse("activities:follow-up-done", args=[activity.pk]), {"next": "/"})
    activity.refresh_from_db()
    assert activity.follow_up_done
    assert "Angebot schicken" not in kam.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"occurred_on": (date.today() + timedelta(days=2)).isoformat()}, "nicht in der Zukunft"),
        ({"follow_up_on": date.today().isoformat()}, "worum es bei der Wiedervorlage geht"),
        (
            {"next_step": "x", "occurred_on": "2026-01-10", "follow_up_on": "2026-01-01"},
            "nicht vor der Aktivität",
        ),
        ({"subject": ""}, "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_implausible_activities_are_explained_and_not_saved(
    client_for, users, extra, message
) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = log(client_for("kam"), customer, **extra)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_people_of_another_customer_cannot_be_attached(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    stranger = Contact.objects.create(customer=CustomerFactory(), last_name="Fremd")
    response = log(client_for("kam"), customer, contacts=[stranger.pk])
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_the_api_logs_activities_and_closes_follow_ups(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = api_client_for("kam")
    body = {
        "kind": "meeting",
        "subject": "Workshop",
        "next_step": "Protokoll",
        "follow_up_on": date.today().isoformat(),
    }
    created = client.post(
        f"/api/customers/{customer.pk}/activities", body, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["follow_up_by"] == "kam"
    future = {**body, "occurred_on": (date.today() + timedelta(days=1)).isoformat()}
    refused = client.post(
        f"/api/customers/{customer.pk}/activities", future, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "occurred_on" in refused.json()["fields"]
    assert len(client.get(f"/api/customers/{customer.pk}/activities").json()) == 1
    done = client.post(f"/api/activities/{created.json()['id']}/follow-up-done")
    assert done.status_code == 200
    assert done.json()["follow_up_done"] is True
