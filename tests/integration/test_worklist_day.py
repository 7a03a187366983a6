"""A key account manager's day with the worklist: the first screen holds what can be done
today, most at stake first; items can be snoozed; the demo's first day flags no review."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from statistics import median
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.core.errors import NotFoundError
from kundenbild.demo.loader import load_demo
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.insights.selectors import latest_run
from kundenbild.insights.services import run_analysis
from kundenbild.profile.health import profile_health, reviews_due
from kundenbild.profile.models import AreaReview, ProfileArea
from kundenbild.workspace.models import WorkItemDismissal
from kundenbild.workspace.ranking import overdue_days, priority, stake
from kundenbild.workspace.selectors import worklist
from kundenbild.workspace.services import work_item_dismiss, work_item_snooze
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'data-testid="work-item" data-kind="([a-z_]+)" data-customer="(\d+)"')


def _shown(html: str) -> list[tuple[str, int]]:
    """(kind, customer) of each item on the page, in order."""
    return [(kind, int(customer)) for kind, customer in ITEM.findall(html)]


def _in_english(user: User) -> Client:
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def _follow_up(customer: Any, user: User, *, step: str, due: date) -> Activity:
    return Activity.objects.create(
        customer=customer,
        kind="call",
        occurred_on=due - timedelta(days=7),
        subject="Telefonat",
        next_step=step,
        follow_up_on=due,
        follow_up_by=user,
        created_by=user,
    )


def _valued(customers: dict[str, Any], revenue: dict[str, int]) -> None:
    run = AnalysisRun.objects.create(
        as_of=date(2026, 3, 31), status=RunStatus.DONE, finished_at=datetime(2026, 4, 1, tzinfo=UTC)
    )
    for name, amount in revenue.items():
        CustomerValue.objects.create(
            run=run,
            customer=customers[name],
            value_type="steady",
            lifecycle_phase="mature",
            reason_code="no_orders",
            abc_revenue="A" if amount >= 100_000 else "C",
            revenue_12m=Decimal(amount),
            contribution_margin_12m=Decimal(amount // 5),
            p_alive=Decimal("0.95"),
        )


def _reviewed(*customers: Any) -> None:
    for customer in customers:
        for area in ProfileArea.values:
            AreaReview.objects.create(customer=customer, area=area, reviewed_on=date.today())


@pytest.fixture
def three_follow_ups(users):  # type: ignore[no-untyped-def]
    """Three of the kam's customers, worth very different amounts, each with a follow-up
    due today; the small one's is a week overdue."""
    today = timezone.localdate()
    kam = users["kam"]
    names = {"Klein": 8_000, "Groß": 2_400_000, "Mittel": 150_000}
    customers = {name: CustomerFactory(name=f"{name} GmbH", owner=kam) for name in names}
    _reviewed(*customers.values())
    _valued(customers, names)
    _follow_up(customers["Klein"], kam, step="Angebot nachfassen", due=today - timedelta(days=7))
    _follow_up(customers["Groß"], kam, step="Jahresgespräch", due=today)
    _follow_up(customers["Mittel"], kam, step="Muster schicken", due=today)
    return customers


def test_the_list_runs_by_what_is_at_stake(three_follow_ups, users) -> None:  # type: ignore[no-untyped-def]
    work = worklist(users["kam"])
    assert [item.customer_name for item in work.items] == ["Groß GmbH", "Mittel GmbH", "Klein GmbH"]
    assert work.stakes[three_follow_ups["Groß"].pk] == (2_400_000.0, "A")


def test_without_finance_rights_the_abc_class_ranks_and_no_value_shows(
    three_follow_ups, users, client_for
) -> None:  # type: ignore[no-untyped-def]
    for customer in three_follow_ups.values():
        customer.owner = users["service"]
        customer.save()
    Activity.objects.update(follow_up_by=users["service"])
    work = worklist(users["service"])
    items = work.items
    assert {value for value, _abc in work.stakes.values()} == {None}
    # A before C; the two A customers by urgency and then name, not by revenue
    assert [item.customer_name for item in items] == ["Groß GmbH", "Mittel GmbH", "Klein GmbH"]
    page = client_for("service").get(reverse("home")).content.decode()
    assert 'data-testid="work-stake"' not in page
    assert "2.400.000" not in page
    kam_page = client_for("kam").get(reverse("home")).content.decode()
    assert 'data-testid="work-stake"' not in kam_page  # nothing of kam's left
    Activity.objects.update(follow_up_by=users["kam"])
    for customer in three_follow_ups.values():
        customer.owner = users["kam"]
        customer.save()
    kam_page = client_for("kam").get(reverse("home")).content.decode()
    assert "2.400.000" in kam_page


def test_a_snoozed_item_hides_until_its_day_and_then_comes_back(
    three_follow_ups, users, client_for
) -> None:  # type: ignore[no-untyped-def]
    kam = users["kam"]
    today = timezone.localdate()
    item = next(i for i in worklist(kam).items if i.customer_name == "Groß GmbH")
    response = client_for("kam").post(
        reverse("workspace:work-item-snooze"), {"key": item.key, "days": "7", "next": "/"}
    )
    assert response.status_code == 302
    snooze = WorkItemDismissal.objects.get()
    assert snooze.snoozed_until == today + timedelta(days=7)
    for day in (today, today + timedelta(days=6)):
        work = worklist(kam, today=day)
        assert item.key not in {i.key for i in work.items}
        assert (work.snoozed, work.dismissed) == (1, 0)
    back = worklist(kam, today=today + timedelta(days=7))
    assert item.key in {i.key for i in back.items}
    assert back.snoozed == 0
    page = client_for("kam").get(reverse("home")).content.decode()
    assert "1 Eintrag zurückgestellt" in page
    put_aside = page[page.index('data-testid="dismissals"') :]
    assert f"bis {(today + timedelta(days=7)).strftime('%d.%m.%Y')}" in put_aside
    assert "Jetzt zurückholen" in put_aside


def test_after_a_snooze_the_item_can_be_put_aside_again(three_follow_ups, users) -> None:  # type: ignore[no-untyped-def]
    kam = users["kam"]
    today = timezone.localdate()
    item = next(i for i in worklist(kam).items if i.customer_name == "Mittel GmbH")
    work_item_snooze(user=kam, key=item.key, until=today + timedelta(days=1), today=today)
    with pytest.raises(NotFoundError, match="nicht mehr auf Ihrer Arbeitsliste"):
        work_item_snooze(user=kam, key=item.key, until=today + timedelta(days=3), today=today)
    # the snooze has ended (its day is today): a new decision closes it, with history
    snooze = WorkItemDismissal.objects.get()
    WorkItemDismissal.objects.filter(pk=snooze.pk).update(snoozed_until=today)
    dismissal = work_item_dismiss(user=kam, key=item.key, reason="erledigt am Telefon")
    snooze.refresh_from_db()
    assert snooze.restored_at is not None
    assert snooze.history.count() == 2
    assert dismissal.snoozed_until is None
    assert item.key not in {i.key for i in worklist(kam).items}


def test_a_snooze_needs_a_day_after_today_and_within_a_year(
    three_follow_ups, users, client_for
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    key = worklist(users["kam"]).items[0].key
    client = client_for("kam")
    url = reverse("workspace:work-item-snooze")
    for until, message in [
        (today, "Bitte wählen Sie einen Tag nach heute"),
        (today + timedelta(days=400), "Bitte wählen Sie einen Tag innerhalb eines Jahres"),
        ("morgen", "an dem der Eintrag zurückkommen soll"),
    ]:
        page = client.post(url, {"key": key, "until": str(until)}, follow=True)
        assert message in page.content.decode()
    assert not WorkItemDismissal.objects.exists()
    client.post(url, {"key": key, "until": str(today + timedelta(days=30))})
    assert WorkItemDismissal.objects.get().snoozed_until == today + timedelta(days=30)
    page = _in_english(users["kam"]).get(reverse("home")).content.decode()
    assert "1 item snoozed" in page
    assert "Bring back now" in page
    assert "Until tomorrow" in page


def test_the_first_screen_holds_twenty_and_more_shows_the_rest(users, client_for) -> None:
    kam = users["kam"]
    today = timezone.localdate()
    for n in range(26):
        customer = CustomerFactory(
            name=f"Kunde {n:02d} mit einem sehr langen Namen " * 3, owner=kam
        )
        _reviewed(customer)
        _follow_up(customer, kam, step="x" * 120 + " Schritt", due=today)
    client = client_for("kam")
    first = client.get(reverse("home")).content.decode()
    assert len(_shown(first)) == 20
    assert "6 weitere Einträge zeigen" in first
    everything = client.get(reverse("home"), {"all": "1"}).content.decode()
    assert len(_shown(everything)) == 26
    assert _shown(everything)[:20] == _shown(first)
    assert "weitere Einträge zeigen" not in everything
    # long names and texts stay in their cell: clamped or truncated, whole in the title
    assert 'class="kb-clamp" title="' + "x" * 120 in first
    assert "Show 6 more items" in _in_english(kam).get(reverse("home")).content.decode()


def test_a_follow_up_overdue_long_enough_outranks_an_equal_customers_fresh_one(users) -> None:
    kam = users["kam"]
    today = timezone.localdate()
    customers = {n: CustomerFactory(name=f"{n} AG", owner=kam) for n in ("Alt", "Neu")}
    _reviewed(*customers.values())
    _valued(customers, {"Alt": 50_000, "Neu": 50_000})
    _follow_up(customers["Neu"], kam, step="heute", due=today)
    _follow_up(customers["Alt"], kam, step="seit Wochen", due=today - timedelta(days=30))
    assert [i.customer_name for i in worklist(kam).items] == ["Alt AG", "Neu AG"]


def test_on_the_demos_first_day_the_first_screen_runs_by_value_and_no_review_is_due(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(customers=250, seed=42)
    run_analysis()
    kam = User.objects.get(username="kam")
    today = timezone.localdate()
    work = worklist(kam, today=today)

    # no profile area is due on the first day: not on the list, not on a customer page
    assert "profile_stale" not in {item.kind for item in work.items}
    assert not reviews_due(owner=kam, today=today, include_finance=True)
    for customer in kam.owned_customers.order_by("pk")[:5]:
        health = profile_health(customer, today=today, include_finance=True)
        assert not [h.area for h in health if h.due]

    client = Client()
    client.force_login(kam)
    page = client.get(reverse("home")).content.decode()
    shown = _shown(page)
    assert 0 < len(shown) <= 20
    assert len(work.items) > 20  # the rest is behind "more"
    assert "weitere Einträge zeigen" in page

    # the order against the customers' values, read here from the latest run
    run = latest_run()
    values = {
        customer_id: max(revenue, forecast if forecast is not None else revenue)
        for customer_id, revenue, forecast in CustomerValue.objects.filter(run=run).values_list(
            "customer_id", "revenue_12m", "forecast_revenue_12m"
        )
    }
    by_key = {(item.kind, item.customer_id): item for item in work.items}
    best: dict[int, float] = {}
    for kind, customer_id in shown:
        item = by_key[(kind, customer_id)]
        score = priority(stake(values.get(customer_id)), kind, overdue_days(item.since, today))
        best[customer_id] = max(best.get(customer_id, 0.0), score)
    order = list(dict.fromkeys(customer_id for _kind, customer_id in shown))
    assert [best[c] for c in order] == sorted(best.values(), reverse=True)
    # the urgency spans a factor of 6 at most: nobody shown ahead of a customer worth more
    for ahead, behind in pairwise(order):
        worth_ahead, worth_behind = (max(float(values.get(c, 0)), 0.0) for c in (ahead, behind))
        assert worth_ahead * 6 + 6 >= worth_behind
    # and the first screen holds the valuable customers, the rest the smaller ones
    rest = {item.customer_id for item in work.items} - set(order)
    assert median(float(values.get(c, 0)) for c in order) > median(
        float(values.get(c, 0)) for c in rest
    )
