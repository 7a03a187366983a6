"""The coaching list shows what was entered with a focus: its targets against the latest
analysis and its note; money only to whoever may see finance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.portfolio.models import CoachingFocus
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def focus(users) -> CoachingFocus:  # type: ignore[no-untyped-def]
    customer = CustomerFactory(name="Ziel GmbH", owner=users["kam"])
    run = AnalysisRun.objects.create(
        as_of=date(2026, 6, 30), status=RunStatus.DONE, finished_at=datetime(2026, 7, 1, tzinfo=UTC)
    )
    CustomerValue.objects.create(
        run=run, customer=customer, value_type="growth", lifecycle_phase="mature",
        reason_code="no_orders", abc_revenue="A", revenue_12m=Decimal("40000"),
        contribution_margin_12m=Decimal("12000"), forecast_revenue_12m=Decimal("50000"),
    )  # fmt: skip
    today = timezone.localdate()
    return CoachingFocus.objects.create(
        customer=customer,
        goal="profitability",
        owner=users["kam"],
        target_revenue=Decimal("80000"),
        target_margin=Decimal("16000"),
        review_on=today + timedelta(days=30),
        started_on=today,
        note="Zweites Werk gewinnen,\nWartungsvertrag anbieten",
    )


def _row(client: Client, focus: CoachingFocus) -> str:
    page = client.get(reverse("portfolio:focus-list")).content.decode()
    start = page.index(f'id="focus-{focus.pk}"')
    return page[start : page.index("</tr>", start)]


def _client(user, language: str) -> Client:  # type: ignore[no-untyped-def]
    user.language = language
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("language", "target"),
    [
        ("de", "Ziel-Deckungsbeitrag I: 16.000 € · letzte 12 Monate: 12.000 € (75 %)"),
        ("en", "Target contribution margin I: €16,000 · last 12 months: €12,000 (75 %)"),
    ],
)
def test_who_may_see_finance_reads_the_targets_the_progress_and_the_note(
    users, focus, language, target
) -> None:
    row = _row(_client(users["kam"], language), focus)
    assert target in " ".join(row.split())
    assert 'data-testid="focus-note">Zweites Werk gewinnen,\nWartungsvertrag anbieten<' in row
    assert "50 %" in row  # revenue 40,000 of the 80,000 targeted


def test_who_may_not_see_finance_reads_the_note_but_no_money(users, focus) -> None:
    row = _row(_client(users["service"], "de"), focus)
    assert "Zweites Werk gewinnen" in row
    assert "Ziel-Deckungsbeitrag" not in row
    for money in ("16.000", "12.000", "80.000", "40.000", "75 %"):
        assert money not in row


def test_a_focus_without_margin_target_or_note_adds_no_empty_lines(users, focus) -> None:
    CoachingFocus.objects.filter(pk=focus.pk).update(target_margin=None, note="")
    row = _row(_client(users["kam"], "de"), focus)
    assert 'data-testid="focus-margin-target"' not in row
    assert 'data-testid="focus-note"' not in row
