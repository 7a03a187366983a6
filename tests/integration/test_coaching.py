"""The coaching focus: put a customer in, see its progress, close it, keep the history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.portfolio.selectors import coaching_focus_progress
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(users):  # type: ignore[no-untyped-def]
    customer = CustomerFactory(name="Aufsteiger AG", owner=users["kam"])
    run = AnalysisRun.objects.create(
        as_of=date(2026, 6, 30), status=RunStatus.DONE, finished_at=datetime(2026, 7, 1, tzinfo=UTC)
    )
    CustomerValue.objects.create(
        run=run, customer=customer, value_type="growth", lifecycle_phase="mature",
        reason_code="no_orders", abc_revenue="A", revenue_12m=Decimal("40000"),
        contribution_margin_12m=Decimal("12000"), forecast_revenue_12m=Decimal("50000"),
    )  # fmt: skip
    return customer


def _add(client, customer, **fields):  # type: ignore[no-untyped-def]
    data = {
        "goal": "growth",
        "owner": customer.owner_id,
        "target_revenue": "80000",
        "target_margin": "",
        "review_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "note": "Zweites Werk gewinnen",
    } | fields
    return client.post(reverse("portfolio:focus-add", args=[customer.pk]), data)


def test_a_kam_puts_a_customer_into_the_focus_and_sees_its_progress(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    form = client.get(reverse("portfolio:focus-add", args=[customer.pk]), {"goal": "growth"})
    assert form.status_code == 200
    assert 'value="55000"' in form.content.decode()  # forecast + 10 % as a target proposal
    done = _add(client, customer)
    assert done.status_code == 302
    focus = CoachingFocus.objects.get()
    assert focus.target_revenue == Decimal("80000")
    assert focus.started_on == timezone.localdate()
    listing = client.get(reverse("portfolio:focus-list")).content.decode()
    assert "Aufsteiger AG" in listing
    assert "50 %" in listing  # 40,000 of 80,000
    page = client.get(reverse("profile:customer-detail", args=[customer.pk])).content.decode()
    assert 'data-testid="customer-focus"' in page
    again = _add(client, customer)
    assert again.status_code == 200
    assert "bereits im Coaching-Fokus" in again.content.decode()
    assert CoachingFocus.objects.count() == 1


def test_closing_keeps_the_focus_in_the_history(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    _add(client, customer, review_on=(timezone.localdate() - timedelta(days=1)).isoformat())
    focus = CoachingFocus.objects.get()
    due = client.get(reverse("portfolio:focus-list")).content.decode()
    assert "table-warning" in due  # the review date has passed
    client.post(reverse("portfolio:focus-close", args=[focus.pk]))
    focus.refresh_from_db()
    assert focus.closed_on == timezone.localdate()
    listing = client.get(reverse("portfolio:focus-list")).content.decode()
    assert 'data-testid="focus-closed"' in listing
    assert focus.history.count() == 2  # created, closed
    _add(client, customer)  # a closed focus does not block a new one for the goal
    assert CoachingFocus.objects.filter(closed_on__isnull=True).count() == 1


def test_who_may_not_edit_the_customer_cannot_add_or_close(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    service = client_for("service")
    assert _add(service, customer).status_code == 403
    assert CoachingFocus.objects.count() == 0
    _add(client_for("kam"), customer)
    focus = CoachingFocus.objects.get()
    assert service.post(reverse("portfolio:focus-close", args=[focus.pk])).status_code == 403
    listing = service.get(reverse("portfolio:focus-list")).content.decode()
    assert "Aufsteiger AG" in listing
    assert "80.000" not in listing  # no money without finance access


def test_closing_never_redirects_elsewhere(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    _add(client, customer)
    focus = CoachingFocus.objects.get()
    answer = client.post(
        reverse("portfolio:focus-close", args=[focus.pk]), {"next": "https://evil.example/"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portfolio:focus-list")


def test_a_target_of_zero_or_below_shows_no_percentage(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    """A margin target below 0 (a loss to shrink) has no progress in % that reads right:
    12,000 of −5,000 would be "−240 %"."""
    assert _add(client_for("kam"), customer, target_margin="-5000").status_code == 302
    (progress,) = coaching_focus_progress(list(CoachingFocus.objects.all()))
    assert progress.margin_progress is None
    assert progress.revenue_progress == pytest.approx(50.0)
