"""Migration 0006 keeps the reasons of earlier runs: their texts become the code "text",
and going back words every coded reason in German and English again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from tests.factories import CustomerFactory

BEFORE = [("insights", "0005_work_item_dismissal")]
AFTER = [("insights", "0006_reason_code_and_values")]


def _migrate(target: list[tuple[str, str]]) -> Any:
    """Migrate the test database to `target`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def back_to_today() -> Any:
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_today")
def test_reasons_of_earlier_runs_survive_the_migration_both_ways() -> None:
    customer = CustomerFactory(name="Alt GmbH")
    run = AnalysisRun.objects.create(status=RunStatus.DONE)
    old = _migrate(BEFORE).get_model("insights", "CustomerValue")
    old.objects.create(
        run_id=run.pk,
        customer_id=customer.pk,
        value_type="steady",
        lifecycle_phase="mature",
        reason_de="Umsatzniveau über 30 Monate stabil (Faktor 0,7 vom Anfang zum Ende)",
        reason_en="Revenue level stable over 30 months (factor 0.7 from start to end)",
        revenue_12m=Decimal("1000.00"),
        abc_revenue="B",
    )

    new = _migrate(AFTER).get_model("insights", "CustomerValue").objects.get()
    assert new.reason_code == "text"
    assert new.reason_values == {
        "de": "Umsatzniveau über 30 Monate stabil (Faktor 0,7 vom Anfang zum Ende)",
        "en": "Revenue level stable over 30 months (factor 0.7 from start to end)",
    }
    value = CustomerValue.objects.get()
    assert value.reason("de") == new.reason_values["de"]
    assert value.reason("en") == new.reason_values["en"]

    CustomerValue.objects.update(
        reason_code="growth", reason_values={"months": 48, "factor": 2.8, "quarterly_percent": 9}
    )
    back = _migrate(BEFORE).get_model("insights", "CustomerValue").objects.get()
    assert back.reason_de == "Umsatz über 48 Monate um durchschnittlich 9\u00a0% pro Quartal " + (
        "gestiegen (Faktor 2,8)."
    )
    assert back.reason_en == "Revenue grew by 9% a quarter on average over 48 months (factor 2.8)."
