"""Analysis runs on the app's sales lines: the service, the CLI, the pages and the API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from typer.testing import CliRunner

from kundenbild.analytics.shapes.phases import PHASES
from kundenbild.analytics.shapes.value_types import VALUE_TYPES
from kundenbild.cli import app
from kundenbild.core.errors import ConflictError
from kundenbild.core.formatting import format_money
from kundenbild.finance.models import SalesLine
from kundenbild.insights import services
from kundenbild.insights.models import (
    PHASE_CHOICES,
    VALUE_TYPE_CHOICES,
    AnalysisRun,
    CustomerValue,
    RunStatus,
)
from kundenbild.insights.selectors import customer_value_history
from kundenbild.insights.services import analysis_run_create, run_analysis
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

LAST_MONTH = date(2026, 6, 1)


def monthly_lines(customer, *, months: int, revenue: int = 1000, cost: int = 600) -> None:  # type: ignore[no-untyped-def]
    """One invoice on the 15th of each of the `months` months up to June 2026."""
    lines = []
    for back in range(months):
        year, month = divmod(LAST_MONTH.year * 12 + LAST_MONTH.month - 1 - back, 12)
        lines.append(
            SalesLine(
                customer=customer,
                invoice_number=f"{customer.number}-{back}",
                line_number=1,
                invoice_date=date(year, month + 1, 15),
                article_number="A-1",
                quantity=Decimal("2.500"),
                net_revenue=Decimal(revenue),
                cost_of_goods=Decimal(cost),
            )
        )
    SalesLine.objects.bulk_create(lines)


def chart_data(page: str) -> dict[str, Any]:
    """The value chart's data, as the page hands it to the script."""
    start = page.index(">", page.index('id="value-chart-data"')) + 1
    return json.loads(page[start : page.index("</script>", start)])  # type: ignore[no-any-return]


def euros(value: Decimal) -> str:
    with translation.override("de"):
        return format_money(value, 0)


@pytest.fixture
def book(users):  # type: ignore[no-untyped-def]
    """A steady customer of four years, a new one of two months, one without sales."""
    steady = CustomerFactory(name="Stetig GmbH", owner=users["kam"])
    new = CustomerFactory(name="Neu AG", owner=users["kam"])
    idle = CustomerFactory(name="Ohne Umsatz KG", owner=users["kam"])
    monthly_lines(steady, months=48)
    monthly_lines(new, months=2, revenue=500, cost=100)
    return {"steady": steady, "new": new, "idle": idle}


def test_the_value_type_and_phase_choices_are_the_analytics_names() -> None:
    assert [code for code, _label in VALUE_TYPE_CHOICES] == list(VALUE_TYPES)
    assert [code for code, _label in PHASE_CHOICES] == list(PHASES)


def test_a_run_stores_one_value_per_customer_with_sales(book, users) -> None:  # type: ignore[no-untyped-def]
    run = run_analysis(user=users["admin"])
    assert run.status == RunStatus.DONE, run.error
    assert run.as_of == date(2026, 6, 15)
    assert (run.lines, run.customers) == (50, 2)
    assert run.started_by == users["admin"]
    assert run.config["as_of"] == "2026-06-15"
    assert "value_types" in str(run.config["config"])
    assert not CustomerValue.objects.filter(customer=book["idle"]).exists()
    steady = CustomerValue.objects.get(run=run, customer=book["steady"])
    assert steady.value_type == "steady"
    assert steady.lifecycle_phase == "mature"
    assert steady.revenue_12m == Decimal("12000.00")
    assert steady.contribution_margin_12m == Decimal("4800.00")
    assert steady.orders_12m == 12
    assert (steady.first_order, steady.last_order) == (date(2022, 7, 15), date(2026, 6, 15))
    # a code and its numbers, worded in each language when shown
    assert steady.reason_code == "steady_flat"
    assert steady.reason_values == {"months": steady.reason_values["months"], "change_percent": 0}
    assert steady.reason("de").startswith("Umsatzniveau über")
    assert steady.reason("en").startswith("Revenue level stable over")
    new = CustomerValue.objects.get(run=run, customer=book["new"])
    assert new.value_type == "insufficient_history"
    assert new.lifecycle_phase == "ramp_up"
    assert {steady.abc_revenue, new.abc_revenue} <= {"A", "B", "C"}


def test_a_run_stores_forecasts_p_alive_clv_and_a_monthly_path(book) -> None:  # type: ignore[no-untyped-def]
    run = run_analysis()
    assert run.status == RunStatus.DONE, run.error
    values = list(CustomerValue.objects.filter(run=run))
    assert len(values) == 2
    for value in values:
        assert value.forecast_revenue_12m is not None
        assert value.forecast_revenue_12m >= 0
        assert value.forecast_margin_12m is not None
        assert value.clv is not None
        assert value.clv >= 0
        assert value.p_alive is not None
        assert 0 <= value.p_alive <= 1
        assert value.expected_orders_12m is not None
        assert value.expected_orders_12m >= 0
        # the calendar months after the as-of date (2026-06-15)
        assert [m["month"] for m in value.forecast_path] == [
            f"{2026 + (6 + m - 1) // 12}-{(6 + m - 1) % 12 + 1:02d}" for m in range(1, 13)
        ]
        for month in value.forecast_path:
            assert 0 <= month["low"] <= month["revenue"] <= month["high"]
        total = sum(Decimal(str(m["revenue"])) for m in value.forecast_path)
        assert abs(total - value.forecast_revenue_12m) <= Decimal("0.10")
    steady = next(v for v in values if v.customer_id == book["steady"].pk)
    # a customer who bought 1,000 every month for four years keeps doing so
    assert Decimal("9000") <= steady.forecast_revenue_12m <= Decimal("15000")
    assert steady.p_alive > Decimal("0.9")
    assert steady.forecast_margin_12m is not None
    assert steady.forecast_margin_12m < steady.forecast_revenue_12m


def test_a_run_without_costs_stores_no_forecast_margin_or_clv(users) -> None:  # type: ignore[no-untyped-def]
    monthly_lines(CustomerFactory(owner=users["kam"]), months=36, cost=0)
    value = CustomerValue.objects.get(run=run_analysis())
    assert value.forecast_revenue_12m is not None
    assert value.forecast_revenue_12m > 0
    assert (value.forecast_margin_12m, value.clv) == (None, None)
    assert value.p_alive is not None


def test_every_run_is_kept_so_the_history_shows_earlier_types(book) -> None:  # type: ignore[no-untyped-def]
    first = run_analysis(as_of=date(2025, 6, 30))
    second = run_analysis()
    history = customer_value_history(book["steady"])
    assert [v.run for v in history] == [second, first]
    assert history[1].revenue_12m == Decimal("12000.00")
    assert first.as_of == date(2025, 6, 30)


def test_a_failed_run_is_marked_failed_and_stores_no_values(book, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real_store = services._store

    def store_then_fail(run, result):  # type: ignore[no-untyped-def]
        real_store(run, result)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_store", store_then_fail)
    run = run_analysis()
    assert run.status == RunStatus.FAILED
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "disk full")
    assert run.finished_at is not None
    assert not CustomerValue.objects.exists()


def test_without_sales_lines_the_run_fails_with_a_message_to_act_on(users) -> None:  # type: ignore[no-untyped-def]
    run = run_analysis()
    assert run.status == RunStatus.FAILED
    assert "Import" in run.error


def test_a_second_run_is_refused_while_one_is_queued(book) -> None:  # type: ignore[no-untyped-def]
    analysis_run_create()
    with pytest.raises(ConflictError):
        analysis_run_create()


def test_the_cli_analyzes_and_prints_the_customers_per_type(book) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", "--as-of", "2026-06-30"])
    assert result.exit_code == 0, result.output
    assert "steady 1" in result.output
    assert "insufficient_history 1" in result.output
    assert AnalysisRun.objects.get().as_of == date(2026, 6, 30)
    bad = runner.invoke(app, ["analyze", "--as-of", "30.06.2026"])
    assert bad.exit_code == 2
    assert "not a date" in bad.output


def test_the_cli_fails_clearly_without_sales_lines(db) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["analyze"])
    assert result.exit_code == 1
    assert "keine Umsatzzeilen" in result.output


def test_the_customer_page_shows_type_phase_reason_and_history(book, client_for) -> None:  # type: ignore[no-untyped-def]
    run_analysis(as_of=date(2025, 6, 30))
    run = run_analysis()
    value = CustomerValue.objects.get(run=run, customer=book["steady"])
    html = client_for("kam").get(reverse("profile:customer-detail", args=[book["steady"].pk]))
    text = html.content.decode()
    assert 'data-testid="value-type"' in text
    assert "unauffällig" in text
    assert "Reifephase" in text
    assert value.reason("de") in text
    assert value.reason("en") not in text
    assert 'data-testid="value-history"' in text
    assert 'id="value-chart-data"' in text
    assert "12.000\u00a0€" in text


def test_the_customer_page_sets_the_forecast_beside_the_last_12_months(book, client_for) -> None:  # type: ignore[no-untyped-def]
    run = run_analysis()
    value = CustomerValue.objects.get(run=run, customer=book["steady"])
    assert value.clv is not None
    text = (
        client_for("kam")
        .get(reverse("profile:customer-detail", args=[book["steady"].pk]))
        .content.decode()
    )
    assert 'data-testid="value-outlook"' in text
    assert "Letzte 12 Monate" in text
    assert "Prognose nächste 12 Monate" in text
    assert euros(value.forecast_revenue_12m) in text
    assert "Wahrscheinlichkeit, dass der Kunde noch aktiv ist" in text
    assert "Kundenwert über die Lebensdauer (CLV)" in text
    assert euros(value.clv) in text
    assert "abgezinster Deckungsbeitrag I der nächsten 3 Jahre, 8\u00a0% pro Jahr" in text
    # the chart's axis runs on through the 12 forecast months
    chart = chart_data(text)
    assert chart["months"][-13:] == ["2026-06"] + [m["month"] for m in value.forecast_path]
    assert chart["forecast"]["revenue"][-12:] == [m["revenue"] for m in value.forecast_path]
    assert chart["forecast"]["high"][-13] is None
    assert chart["revenue"][-12:] == [None] * 12
    assert chart["labels"]["forecast"] == "Prognose"
    assert "mit der Prognose" in text  # the chart's description names the forecast
    # the year's 80 % band beside the forecast: the monthly path's ends summed
    low = sum(Decimal(str(m["low"])) for m in value.forecast_path)
    high = sum(Decimal(str(m["high"])) for m in value.forecast_path)
    assert low <= value.forecast_revenue_12m <= high
    band = f"80\u00a0%: {euros(low.quantize(Decimal(1)))} – {euros(high.quantize(Decimal(1)))}"
    assert band in text, band
    assert "sein 80-%-Bereich (in 8 von 10 Fällen liegt der Umsatz des Jahres darin)" in text


def test_the_chart_keeps_sales_after_an_older_runs_forecast(book, client_for) -> None:  # type: ignore[no-untyped-def]
    run_analysis(as_of=date(2025, 3, 31))
    text = (
        client_for("kam")
        .get(reverse("profile:customer-detail", args=[book["steady"].pk]))
        .content.decode()
    )
    chart = chart_data(text)
    assert chart["months"][0] == "2022-07"
    assert chart["months"][-1] == "2026-06"  # the sales lines go on after the forecast
    assert chart["revenue"][-1] == 1000.0
    forecast = dict(zip(chart["months"], chart["forecast"]["revenue"], strict=True))
    assert forecast["2025-03"] is None
    assert forecast["2025-04"] is not None
    assert forecast["2026-03"] is not None
    assert forecast["2026-04"] is None


def test_a_value_from_before_forecasts_shows_the_figures_as_before(book, client_for) -> None:  # type: ignore[no-untyped-def]
    run = run_analysis()
    CustomerValue.objects.filter(run=run).update(
        forecast_revenue_12m=None,
        forecast_margin_12m=None,
        clv=None,
        p_alive=None,
        expected_orders_12m=None,
        forecast_path=[],
    )
    text = (
        client_for("kam")
        .get(reverse("profile:customer-detail", args=[book["steady"].pk]))
        .content.decode()
    )
    assert 'data-testid="value-outlook"' not in text
    assert 'data-testid="value-future"' not in text
    assert "12.000\u00a0€" in text
    assert "forecast" not in chart_data(text)


def test_the_english_page_gives_the_english_reason(book, users, client_for) -> None:  # type: ignore[no-untyped-def]
    run = run_analysis()
    users["kam"].language = "en"
    users["kam"].save()
    value = CustomerValue.objects.get(run=run, customer=book["steady"])
    text = (
        client_for("kam")
        .get(reverse("profile:customer-detail", args=[book["steady"].pk]))
        .content.decode()
    )
    assert value.reason("en") in text
    assert value.reason("de") not in text
    assert ">steady<" in text


def test_a_user_without_finance_sees_the_type_but_no_money_or_reason(book, client_for) -> None:  # type: ignore[no-untyped-def]
    run = run_analysis()
    value = CustomerValue.objects.get(run=run, customer=book["steady"])
    client = client_for("service")
    text = client.get(reverse("profile:customer-detail", args=[book["steady"].pk])).content.decode()
    assert "unauffällig" in text
    assert value.reason("de") not in text
    assert "12.000" not in text
    assert "4.800" not in text
    assert 'id="value-chart-data"' not in text
    # the outlook without money: how likely the customer still buys, and how often
    assert 'data-testid="value-p-alive"' in text
    assert 'data-testid="value-expected-orders"' in text
    assert 'data-testid="value-outlook"' not in text
    assert 'data-testid="value-clv"' not in text
    assert value.forecast_revenue_12m is not None
    assert euros(value.forecast_revenue_12m) not in text
    listing = client.get(reverse("profile:customer-list") + "?sort=-value_margin").content
    assert "4.800" not in listing.decode()
    assert "unauffällig" in listing.decode()


def test_the_list_filters_by_type_phase_and_abc_and_sorts_by_margin(book, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    url = reverse("profile:customer-list")
    before = client.get(url + "?value_type=steady").content.decode()
    assert "Stetig GmbH" not in before  # no run yet: nothing has a type
    run_analysis()
    page = client.get(url + "?value_type=steady").content.decode()
    assert "Stetig GmbH" in page
    assert "Neu AG" not in page
    assert "Ohne Umsatz KG" not in page
    ramp = client.get(url + "?phase=ramp_up").content.decode()
    assert "Neu AG" in ramp
    assert "Stetig GmbH" not in ramp
    by_abc = client.get(url + "?abc=A").content.decode()
    assert "Stetig GmbH" in by_abc
    ordered = client.get(url + "?sort=-value_margin").content.decode()
    assert ordered.index("Stetig GmbH") < ordered.index("Neu AG") < ordered.index("Ohne Umsatz")
    ascending = client.get(url + "?sort=value_margin").content.decode()
    assert ascending.index("Neu AG") < ascending.index("Stetig GmbH") < ascending.index("Ohne")
    assert "4.800\u00a0€" in ordered
    assert client.get(url + "?value_type=nonsense").status_code == 200


def test_only_who_imports_data_may_start_a_run(
    book, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    for role in ("kam", "sales", "service", "management"):
        response = client_for(role).post(reverse("insights:run-start"))
        assert response.status_code == 403, role
        page = client_for(role).get(reverse("insights:run-list")).content.decode()
        assert 'data-testid="run-start"' not in page
    assert not AnalysisRun.objects.exists()
    admin = client_for("admin")
    assert 'data-testid="run-start"' in admin.get(reverse("insights:run-list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("insights:run-start"))
    assert response.status_code == 302
    run = AnalysisRun.objects.get()
    assert run.status == RunStatus.DONE  # the immediate task backend ran it
    page = admin.get(reverse("insights:run-list")).content.decode()
    assert 'data-testid="type-counts"' in page
    assert "unauffällig" in page


def test_the_progress_of_a_queued_run_is_polled_until_it_is_done(book, client_for) -> None:  # type: ignore[no-untyped-def]
    run = analysis_run_create()
    client = client_for("admin")
    page = client.get(reverse("insights:run-list")).content.decode()
    assert 'hx-trigger="every 1s"' in page
    progress_url = reverse("insights:run-progress", args=[run.pk])
    assert 'hx-trigger="every 1s"' in client.get(progress_url).content.decode()
    services.analysis_run_execute(run=run)
    done = client.get(progress_url).content.decode()
    assert 'data-testid="run-finished"' in done
    assert "hx-trigger" not in done


def test_the_api_gives_a_customers_values_with_money_only_for_finance(book, api_client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/customers/{book['steady'].pk}/value"
    empty = api_client_for("kam").get(url).json()
    assert empty == {"latest": None, "history": []}
    run_analysis(as_of=date(2025, 6, 30))
    run_analysis()
    body = api_client_for("kam").get(url).json()
    assert body["latest"]["value_type"] == "steady"
    assert body["latest"]["as_of"] == "2026-06-15"
    assert Decimal(body["latest"]["revenue_12m"]) == Decimal("12000.00")
    value = CustomerValue.objects.filter(customer=book["steady"]).latest("run__as_of")
    assert body["latest"]["reason_code"] == value.reason_code == "steady_flat"
    assert body["latest"]["reason_values"] == value.reason_values
    assert body["latest"]["reason"] == value.reason("de")  # the user's language
    english = api_client_for("kam").get(url, headers={"accept-language": "en"}).json()
    assert english["latest"]["reason"] == value.reason("en")
    assert english["latest"]["reason_values"] == value.reason_values
    assert [v["as_of"] for v in body["history"]] == ["2026-06-15", "2025-06-30"]
    latest = body["latest"]
    assert Decimal(latest["forecast_revenue_12m"]) > 0
    assert Decimal(latest["forecast_margin_12m"]) > 0
    assert Decimal(latest["clv"]) > 0
    assert 0 <= Decimal(latest["p_alive"]) <= 1
    assert Decimal(latest["expected_orders_12m"]) > 0
    assert len(latest["forecast_path"]) == 12
    assert latest["forecast_path"][0]["month"] == "2026-07"
    hidden = api_client_for("service").get(url).json()
    assert hidden["latest"]["value_type"] == "steady"
    assert hidden["latest"]["revenue_12m"] is None
    for reason in ("reason", "reason_code", "reason_values"):
        assert hidden["latest"][reason] is None, reason
    for money in ("forecast_revenue_12m", "forecast_margin_12m", "clv", "forecast_path"):
        assert hidden["latest"][money] is None, money
    assert hidden["latest"]["p_alive"] == latest["p_alive"]
    assert hidden["latest"]["expected_orders_12m"] == latest["expected_orders_12m"]
    assert api_client_for("kam").get("/api/customers/999999/value").status_code == 404


def test_the_api_lists_runs_and_only_admins_start_them(
    book, api_client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    assert api_client_for("kam").post("/api/analysis-runs/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        started = api_client_for("admin").post("/api/analysis-runs/")
    assert started.status_code == 202
    assert started.json()["status"] == "queued"
    run = api_client_for("admin").get(f"/api/analysis-runs/{started.json()['id']}").json()
    assert run["status"] == "done"
    assert run["value_types"]["steady"] == 1
    runs = api_client_for("service").get("/api/analysis-runs/").json()
    assert [r["id"] for r in runs] == [run["id"]]
    one = api_client_for("service").get(f"/api/analysis-runs/{run['id']}").json()
    assert one["customers"] == 2
    assert api_client_for("service").get("/api/analysis-runs/999999").status_code == 404


@pytest.mark.slow
def test_a_run_started_in_the_app_is_executed_by_the_database_task_worker(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The production path: the run is queued in django-tasks' table, `db_worker` runs it."""
    env = {k: v for k, v in os.environ.items() if k != "KUNDENBILD_DATABASE_URL"}
    env["KUNDENBILD_DATA_DIR"] = str(tmp_path)

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "kundenbild.cli", "manage", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "-v0")
    manage(
        "shell",
        "-c",
        "from django.db import transaction;"
        "from kundenbild.demo.loader import load_demo;"
        "from kundenbild.insights.tasks import analysis_run_start;"
        "load_demo(customers=12, seed=5);"
        "transaction.atomic()(analysis_run_start)()",
    )
    queued = "from kundenbild.insights.models import AnalysisRun as R;print(R.objects.get().status)"
    assert manage("shell", "-c", queued).split()[-1] == "queued"
    manage("db_worker", "--batch")
    assert manage("shell", "-c", queued).split()[-1] == "done"


def test_on_the_demo_data_every_type_occurs_with_a_plausible_share(db) -> None:  # type: ignore[no-untyped-def]
    from kundenbild.demo.loader import load_demo
    from kundenbild.insights.selectors import value_type_counts

    load_demo(customers=250, seed=42)
    run = run_analysis()
    shares = {c.value_type: c.percent for c in value_type_counts(run)}
    assert run.customers == 250
    for value_type in ("steady", "cyclical", "bell", "growth", "shrinking", "burr"):
        assert 5 <= shares[value_type] <= 50, shares
    assert shares["insufficient_history"] <= 10, shares


def test_a_run_stores_potential_and_share_of_wallet_where_needs_were_entered(
    book, client_for
) -> None:  # type: ignore[no-untyped-def]
    from kundenbild.potential.models import Demand, EffectiveDemand, Need

    need = Need.objects.create(customer=book["steady"], title="Ersatzteile")
    demand = Demand.objects.create(need=need, competitor="Würth", description="Teile")
    EffectiveDemand.objects.create(
        demand=demand, year=2026, amount=Decimal("24000"), our_revenue=Decimal("6000")
    )
    run = run_analysis()
    steady = CustomerValue.objects.get(run=run, customer=book["steady"])
    new = CustomerValue.objects.get(run=run, customer=book["new"])
    assert steady.potential == Decimal("24000.00")
    # our revenue of 2026 towards that need, as entered (the potential page's figure)
    assert steady.share_of_wallet == Decimal("25.0")
    assert (new.potential, new.share_of_wallet) == (None, None)
    text = (
        client_for("kam")
        .get(reverse("profile:customer-detail", args=[book["steady"].pk]))
        .content.decode()
    )
    assert 'data-testid="value-share-of-wallet">25,0 %' in text
