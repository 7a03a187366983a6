"""The coaching focus (to portfolio) and the dismissed work items (to workspace) left
insights in the layering step: an installation that upgrades keeps every row and its
history, and going back puts them where they were."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kundenbild.accounts.models import User
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.workspace.models import WorkItemDismissal
from tests.factories import CustomerFactory

BEFORE = [("insights", "0006_reason_code_and_values"), ("portfolio", None), ("workspace", None)]


def _migrate(target: list[tuple[str, str | None]]) -> Any:
    """Migrate the test database to `target`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in target if t[1] is not None]).apps


def _leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_today() -> Any:
    yield
    _migrate(_leaves())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_today")
def test_coaching_and_dismissals_keep_their_rows_when_they_move_out_of_insights() -> None:
    customer = CustomerFactory(name="Umzug GmbH")
    user = User.objects.create_user("kam-move", password="pw-move-1234")
    old = _migrate(BEFORE)
    old.get_model("insights", "CoachingFocus").objects.create(
        customer_id=customer.pk,
        goal="growth",
        owner_id=user.pk,
        review_on=date(2027, 3, 1),
        started_on=date(2026, 12, 1),
        note="Rahmenvertrag verlängern",
    )
    old.get_model("insights", "WorkItemDismissal").objects.create(
        user_id=user.pk,
        customer_id=customer.pk,
        kind="profile_stale",
        key="profile_stale:1:never",
        summary="Drei Bereiche fällig",
        reason="Besuch nächste Woche",
    )

    _migrate(_leaves())
    focus = CoachingFocus.objects.get()
    assert (focus.customer_id, focus.note) == (customer.pk, "Rahmenvertrag verlängern")
    assert WorkItemDismissal.objects.get().reason == "Besuch nächste Woche"
    tables = set(connection.introspection.table_names())
    assert {"portfolio_coachingfocus", "workspace_workitemdismissal"} <= tables
    assert not {t for t in tables if t in ("insights_coachingfocus", "insights_workitemdismissal")}

    back = _migrate(BEFORE)
    assert back.get_model("insights", "CoachingFocus").objects.get().note == (
        "Rahmenvertrag verlängern"
    )
    assert back.get_model("insights", "WorkItemDismissal").objects.count() == 1
