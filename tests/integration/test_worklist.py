"""The worklist of the start page: what changed for a user's customers, and dismissals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import Acquaintance
from kundenbild.customers.models import Customer
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.profile.models import AreaReview, ProfileArea
from kundenbild.workspace.models import WorkItemDismissal
from kundenbild.workspace.selectors import worklist
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _run(as_of: date, finished: datetime) -> AnalysisRun:
    return AnalysisRun.objects.create(as_of=as_of, status=RunStatus.DONE, finished_at=finished)


def _value(run: AnalysisRun, customer: Any, **fields: Any) -> CustomerValue:
    defaults: dict[str, Any] = {
        "value_type": "steady",
        "lifecycle_phase": "mature",
        "reason_code": "no_orders",
        "abc_revenue": "B",
        "revenue_12m": Decimal("50000"),
        "contribution_margin_12m": Decimal("10000"),
        "p_alive": Decimal("0.95"),
    }
    return CustomerValue.objects.create(run=run, customer=customer, **(defaults | fields))


def _reviewed(*customers: Any) -> None:
    """All profile areas freshly reviewed, so only the items under test are listed."""
    for customer in customers:
        for area in ProfileArea.values:
            AreaReview.objects.create(customer=customer, area=area, reviewed_on=date.today())


@pytest.fixture
def two_runs(users):  # type: ignore[no-untyped-def]
    """Two runs a quarter apart, with one customer per kind of change (all the kam's)."""
    kam = users["kam"]
    names = ["Schrumpf", "Glocke", "Blass", "Verlust", "Immer klein", "Knapp", "Fremd"]
    c = {name: CustomerFactory(name=f"{name} GmbH", owner=kam) for name in names}
    c["Fremd"].owner = users["sales"]
    c["Fremd"].save()
    c["Verlust"].account_team.add(users["service"])
    c["Schrumpf"].account_team.add(users["service"])
    _reviewed(*c.values())
    before = _run(date(2026, 6, 30), datetime(2026, 7, 1, tzinfo=UTC))
    now = _run(date(2026, 9, 30), datetime(2026, 10, 1, tzinfo=UTC))
    _value(before, c["Schrumpf"], value_type="growth")
    _value(now, c["Schrumpf"], value_type="shrinking")
    _value(before, c["Glocke"], value_type="bell", lifecycle_phase="mature")
    _value(now, c["Glocke"], value_type="bell", lifecycle_phase="phase_out")
    _value(before, c["Blass"], p_alive=Decimal("0.90"))
    _value(now, c["Blass"], p_alive=Decimal("0.65"))  # fell by 25 points
    _value(before, c["Verlust"], contribution_margin_12m=Decimal("800"))
    _value(now, c["Verlust"], contribution_margin_12m=Decimal("-1234.50"))
    _value(before, c["Immer klein"], value_type="shrinking", p_alive=Decimal("0.60"))
    _value(now, c["Immer klein"], value_type="shrinking", p_alive=Decimal("0.45"))  # below 50 %
    _value(before, c["Knapp"], p_alive=Decimal("0.70"))
    _value(now, c["Knapp"], p_alive=Decimal("0.55"))  # 15 points and above 50 %: no item
    _value(before, c["Fremd"], value_type="steady")
    _value(now, c["Fremd"], value_type="shrinking")
    return c


def _kinds(user: Any) -> set[tuple[str, str]]:
    return {(item.customer_name, item.kind) for item in worklist(user).items}


def test_the_worklist_reports_changes_between_the_last_two_runs(two_runs, users) -> None:  # type: ignore[no-untyped-def]
    assert _kinds(users["kam"]) == {
        ("Schrumpf GmbH", "type_shrinking"),
        ("Glocke GmbH", "bell_past_peak"),
        ("Blass GmbH", "p_alive_dropped"),
        ("Verlust GmbH", "margin_negative"),
        ("Immer klein GmbH", "p_alive_dropped"),  # still shrinking is no news, 45 % is
    }
    items = {item.customer_name: item for item in worklist(users["kam"]).items}
    assert items["Blass GmbH"].text == (
        "Die Wahrscheinlichkeit, dass der Kunde noch aktiv ist, ist von 90 % auf 65 % gesunken."
    )
    assert "Wachstum" in items["Schrumpf GmbH"].text
    assert "-1.234" in items["Verlust GmbH"].text
    assert items["Verlust GmbH"].url.endswith("#finance")
    assert items["Schrumpf GmbH"].url == (
        reverse("profile:customer-detail", args=[two_runs["Schrumpf"].pk]) + "#value"
    )
    kinds = [item.kind for item in worklist(users["kam"]).items]
    assert kinds[0] == "margin_negative"  # what costs money comes first


def test_a_customer_new_to_the_latest_run_counts_as_changed(users) -> None:
    customer = CustomerFactory(name="Neu AG", owner=users["kam"])
    _reviewed(customer)
    _run(date(2026, 6, 30), datetime(2026, 7, 1, tzinfo=UTC))
    now = _run(date(2026, 9, 30), datetime(2026, 10, 1, tzinfo=UTC))
    _value(now, customer, value_type="shrinking", p_alive=Decimal("0.2"))
    assert _kinds(users["kam"]) == {("Neu AG", "type_shrinking")}  # no P(alive) before


def test_margins_reach_only_users_who_may_see_finance(two_runs, users) -> None:  # type: ignore[no-untyped-def]
    assert _kinds(users["service"]) == {("Schrumpf GmbH", "type_shrinking")}
    page = users_client(users, "service").get(reverse("home")).content.decode()
    assert "Verlust GmbH" not in page
    assert "1.234" not in page


def users_client(users: Any, role: str) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(users[role])
    return client


def test_deciders_nobody_knows_or_spoke_to_for_half_a_year(users) -> None:
    customer = CustomerFactory(name="Entscheider KG", owner=users["kam"])
    _reviewed(customer)
    today = timezone.localdate()
    ContactFactory(customer=customer, first_name="Ute", last_name="Unbekannt", roles=["decider"])
    known = ContactFactory(
        customer=customer,
        first_name="Kai",
        last_name="Kontakt",
        roles=["decider"],
        last_contact_on=today - timedelta(days=20),
    )
    Acquaintance.objects.create(contact=known, user=users["kam"])
    old = ContactFactory(
        customer=customer,
        first_name="Olga",
        last_name="Lange",
        roles=["decider"],
        last_contact_on=today - timedelta(days=400),
    )
    Acquaintance.objects.create(contact=old, user=users["kam"])
    ContactFactory(customer=customer, last_name="Anwender", roles=["user"])
    [item] = worklist(users["kam"]).items  # one item for the customer, the least known first
    assert item.text == (
        "2 Entscheider ohne Kontakt: "
        "Ute Unbekannt entscheidet, und niemand von uns kennt diese Person. "
        "Olga Lange entscheidet; der letzte Kontakt war am "
        f"{(today - timedelta(days=400)).strftime('%d.%m.%Y')}."
    )
    assert item.url == reverse("buying_center:buying-center", args=[customer.pk])
    Acquaintance.objects.create(
        contact=old.customer.contacts.get(last_name="Unbekannt"), user=users["sales"]
    )
    [after] = worklist(users["kam"]).items  # Ute is known now: a new state, a new key
    assert after.key != item.key
    assert "Ute Unbekannt entscheidet, und noch niemand hat einen Kontakt erfasst." in after.text


def test_follow_ups_coaching_reviews_and_profile_reviews_due(users) -> None:
    customer = CustomerFactory(name="Pflege GmbH", owner=users["kam"])
    today = timezone.localdate()
    # a customer of last year: the review clock of its profile areas has run out
    Customer.objects.filter(pk=customer.pk).update(created_at=timezone.now() - timedelta(days=400))
    Activity.objects.create(
        customer=customer,
        kind="call",
        occurred_on=today - timedelta(days=3),
        subject="Telefonat",
        next_step="Muster schicken",
        follow_up_on=today,
        follow_up_by=users["kam"],
        created_by=users["sales"],
    )
    focus = CoachingFocus.objects.create(
        customer=customer,
        goal="growth",
        owner=users["kam"],
        review_on=today - timedelta(days=1),
        started_on=today - timedelta(days=90),
    )
    items = {i.kind: i for i in worklist(users["kam"]).items}
    assert set(items) == {"follow_up_due", "coaching_review_due", "profile_stale"}
    assert items["follow_up_due"].text == "Muster schicken"
    assert items["coaching_review_due"].url.endswith(f"#focus-{focus.pk}")
    assert items["profile_stale"].text == "5 Bereiche des Profils sind zur Prüfung fällig."
    assert worklist(users["sales"]).items == []  # none of it is the sales user's


def test_dismissing_hides_the_item_keeps_the_reason_and_can_be_undone(two_runs, users) -> None:  # type: ignore[no-untyped-def]
    client = users_client(users, "kam")
    item = next(i for i in worklist(users["kam"]).items if i.kind == "bell_past_peak")
    url = reverse("workspace:work-item-dismiss")
    refused = client.post(url, {"key": item.key, "reason": "  "}, follow=True)
    assert "Bitte sagen Sie, warum" in refused.content.decode()
    assert not WorkItemDismissal.objects.exists()
    done = client.post(url, {"key": item.key, "reason": "Auslauf wie geplant", "next": "/"})
    assert done.status_code == 302
    page = client.get(reverse("home")).content.decode()
    worklist_part = page[
        page.index('data-testid="worklist"') : page.index('data-testid="dismissals"')
    ]
    assert "Glocke GmbH" not in worklist_part
    dismissed = page[page.index('data-testid="dismissals"') :]
    assert "Glocke GmbH" in dismissed
    assert "Auslauf wie geplant" in dismissed
    assert worklist(users["kam"]).dismissed == 1
    dismissal = WorkItemDismissal.objects.get()
    assert (dismissal.user, dismissal.kind) == (users["kam"], "bell_past_peak")
    again = client.post(url, {"key": item.key, "reason": "doppelt"}, follow=True)
    assert "nicht mehr auf Ihrer Arbeitsliste" in again.content.decode()
    assert WorkItemDismissal.objects.count() == 1

    assert (
        users_client(users, "sales")
        .post(reverse("workspace:work-item-restore", args=[dismissal.pk]))
        .status_code
        == 403
    )
    client.post(reverse("workspace:work-item-restore", args=[dismissal.pk]))
    dismissal.refresh_from_db()
    assert dismissal.restored_at is not None
    assert dismissal.history.count() == 2  # dismissed, restored: both on record
    assert "bell_past_peak" in {i.kind for i in worklist(users["kam"]).items}


def test_a_dismissal_covers_one_occurrence_only(two_runs, users) -> None:  # type: ignore[no-untyped-def]
    item = next(i for i in worklist(users["kam"]).items if i.kind == "type_shrinking")
    users_client(users, "kam").post(
        reverse("workspace:work-item-dismiss"), {"key": item.key, "reason": "bekannt"}
    )
    assert "type_shrinking" not in {i.kind for i in worklist(users["kam"]).items}
    # the customer recovers and shrinks again: a new occurrence, back on the list
    recovered = _run(date(2026, 10, 31), datetime(2026, 11, 1, tzinfo=UTC))
    _value(recovered, two_runs["Schrumpf"], value_type="steady")
    again = _run(date(2026, 11, 30), datetime(2026, 12, 1, tzinfo=UTC))
    _value(again, two_runs["Schrumpf"], value_type="shrinking")
    assert ("Schrumpf GmbH", "type_shrinking") in _kinds(users["kam"])


def test_nobody_dismisses_an_item_of_someone_elses_list(two_runs, users) -> None:  # type: ignore[no-untyped-def]
    item = next(i for i in worklist(users["sales"]).items if i.kind == "type_shrinking")
    response = users_client(users, "kam").post(
        reverse("workspace:work-item-dismiss"), {"key": item.key, "reason": "nicht meins"}
    )
    assert response.status_code == 302
    assert not WorkItemDismissal.objects.exists()
    assert item in worklist(users["sales"]).items


def test_the_start_page_filters_by_kind_and_shows_an_empty_state(two_runs, users) -> None:  # type: ignore[no-untyped-def]
    client = users_client(users, "kam")
    page = client.get(reverse("home"), {"kind": "bell_past_peak"}).content.decode()
    part = page[page.index('data-testid="worklist"') : page.index('data-testid="dismissals"')]
    assert part.count('data-testid="work-item"') == 1
    assert "Glocke GmbH" in part
    assert "Schrumpf GmbH" not in part
    empty = users_client(users, "controller").get(reverse("home")).content.decode()
    assert 'data-testid="worklist-empty"' in empty


def test_a_sales_lead_sees_the_changes_in_value_of_every_customer(two_runs, users) -> None:  # type: ignore[no-untyped-def]
    kinds = _kinds(users["management"])
    assert ("Fremd GmbH", "type_shrinking") in kinds  # owned by the sales user
    assert ("Verlust GmbH", "margin_negative") in kinds
    assert not {kind for _name, kind in kinds} & {"decider_without_contact", "profile_stale"}
