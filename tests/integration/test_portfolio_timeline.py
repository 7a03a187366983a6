"""The portfolio over time: customer value per type and phase in every analysis run."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.portfolio.selectors import PortfolioFilters
from kundenbild.portfolio.timeline import portfolio_timeline
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _run(as_of: date, finished: datetime, status: str = RunStatus.DONE) -> AnalysisRun:
    return AnalysisRun.objects.create(as_of=as_of, status=status, finished_at=finished)


def _value(run, customer, value_type, phase, revenue, margin, forecast) -> None:  # type: ignore[no-untyped-def]
    CustomerValue.objects.create(
        run=run, customer=customer, value_type=value_type, lifecycle_phase=phase,
        reason_code="no_orders", abc_revenue="A",
        revenue_12m=Decimal(revenue),
        contribution_margin_12m=None if margin is None else Decimal(margin),
        forecast_revenue_12m=None if forecast is None else Decimal(forecast),
    )  # fmt: skip


@pytest.fixture
def runs(users):  # type: ignore[no-untyped-def]
    """Three as-of dates; the second analysed twice, and a failed run on a fourth date."""
    big = CustomerFactory(name="Groß GmbH", owner=users["kam"])
    burr = CustomerFactory(name="Klette KG", owner=users["kam"])
    rising = CustomerFactory(name="Aufsteiger AG", owner=users["sales"])
    first = _run(date(2026, 1, 31), datetime(2026, 2, 1, tzinfo=UTC))
    repeated = _run(date(2026, 4, 30), datetime(2026, 5, 1, tzinfo=UTC))
    second = _run(date(2026, 4, 30), datetime(2026, 5, 2, tzinfo=UTC))
    # created last, finished between: the order of finishing counts, not of creation
    third = _run(date(2026, 7, 31), datetime(2026, 8, 1, tzinfo=UTC))
    failed = _run(date(2026, 10, 31), datetime(2026, 11, 1, tzinfo=UTC), RunStatus.FAILED)
    _value(first, big, "steady", "mature", 100_000, 30_000, 110_000)
    _value(first, burr, "burr", "mature", 10_000, -5_000, 10_000)
    _value(first, rising, "growth", "ramp_up", 20_000, 5_000, 30_000)
    _value(repeated, big, "steady", "mature", 999_999, 999_999, 999_999)  # superseded
    _value(second, big, "steady", "mature", 120_000, 40_000, 130_000)
    _value(second, burr, "burr", "phase_out", 8_000, -4_000, 6_000)
    _value(second, rising, "growth", "ramp_up", 40_000, 12_000, 60_000)
    _value(third, big, "steady", "mature", 150_000, 50_000, 160_000)
    _value(third, burr, "burr", "lost", 0, 0, None)  # no forecast: counts as 0
    _value(third, rising, "steady", "mature", 70_000, None, 80_000)  # no margin: counts as 0
    _value(failed, big, "steady", "mature", 1, 1, 1)
    return {
        "runs": [first, second, third],
        "repeated": repeated,
        "big": big,
        "burr": burr,
        "rising": rising,
    }


def _sums(by_key) -> dict[str, tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """The non-empty figures per key as whole numbers: customers, revenue, margin, forecast."""
    return {
        key: (f.customers, int(f.revenue), int(f.margin), int(f.forecast))
        for key, f in by_key.items()
        if f.customers
    }


def test_the_timeline_sums_value_per_type_and_phase_in_every_run(runs) -> None:  # type: ignore[no-untyped-def]
    timeline = portfolio_timeline(PortfolioFilters())
    assert [run.run_id for run in timeline] == [run.pk for run in runs["runs"]]
    dates = [date(2026, 1, 31), date(2026, 4, 30), date(2026, 7, 31)]
    assert [run.as_of for run in timeline] == dates
    first, second, third = timeline
    assert _sums(first.by_type) == {
        "steady": (1, 100_000, 30_000, 110_000),
        "burr": (1, 10_000, -5_000, 10_000),
        "growth": (1, 20_000, 5_000, 30_000),
    }
    assert _sums(second.by_phase) == {
        "mature": (1, 120_000, 40_000, 130_000),
        "phase_out": (1, 8_000, -4_000, 6_000),
        "ramp_up": (1, 40_000, 12_000, 60_000),
    }
    assert _sums(third.by_type) == {
        "steady": (2, 220_000, 50_000, 240_000),
        "burr": (1, 0, 0, 0),
    }
    assert _sums(third.by_phase) == {"mature": (2, 220_000, 50_000, 240_000), "lost": (1, 0, 0, 0)}
    assert [int(run.total.revenue) for run in timeline] == [130_000, 168_000, 220_000]
    assert [run.total.customers for run in timeline] == [3, 3, 3]
    assert list(first.by_type)[:3] == ["steady", "cyclical", "bell"]  # every type, in order


def test_runs_sharing_an_as_of_date_count_once_the_latest_finished(runs) -> None:  # type: ignore[no-untyped-def]
    repeated = runs["repeated"]
    repeated.finished_at = datetime(2026, 5, 3, tzinfo=UTC)  # now it is the later one
    repeated.save()
    timeline = portfolio_timeline(PortfolioFilters())
    assert [run.as_of for run in timeline].count(date(2026, 4, 30)) == 1
    assert timeline[1].run_id == repeated.pk
    assert int(timeline[1].total.revenue) == 999_999


def test_the_filters_of_the_portfolio_apply_to_every_run(runs, users) -> None:  # type: ignore[no-untyped-def]
    from kundenbild.customers.models import Address, Industry

    def revenue(**filters) -> list[int]:  # type: ignore[no-untyped-def]
        return [int(run.total.revenue) for run in portfolio_timeline(PortfolioFilters(**filters))]

    assert revenue(owner=users["kam"].pk) == [110_000, 128_000, 150_000]
    assert revenue(value_type="steady") == [100_000, 120_000, 220_000]  # the type of each run
    assert revenue(phase="ramp_up") == [20_000, 40_000, 0]  # an empty run stays on the axis
    runs["rising"].industries.add(Industry.objects.get(code="28"))
    assert revenue(industry="28") == [20_000, 40_000, 70_000]
    Address.objects.filter(customer=runs["rising"]).update(postal_code="20095")
    assert revenue(region="2") == [20_000, 40_000, 70_000]
    runs["burr"].parent = runs["big"]
    runs["burr"].save()
    assert revenue(group=runs["big"].pk) == [110_000, 128_000, 150_000]


def test_the_queries_do_not_grow_with_the_number_of_runs(runs) -> None:  # type: ignore[no-untyped-def]
    filters = PortfolioFilters(owner=runs["big"].owner_id, industry="28", region="8")
    with CaptureQueriesContext(connection) as three_runs:
        portfolio_timeline(filters)
    for month in (9, 10, 11, 12):
        run = _run(date(2026, month, 1), datetime(2026, month, 2, tzinfo=UTC))
        _value(run, runs["big"], "steady", "mature", 1, 1, 1)
    with CaptureQueriesContext(connection) as seven_runs:
        assert len(portfolio_timeline(filters)) == 7
    assert len(seven_runs) == len(three_runs) == 2


def _chart(html: str) -> dict:  # type: ignore[type-arg]
    start = html.index(">", html.index('id="portfolio-timeline-data"')) + 1
    return json.loads(html[start : html.index("</script>", start)])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("language", "heading", "date_label", "type_label", "money"),
    [
        ("de", "Kundenwert im Zeitverlauf", "31.07.2026", "unauffällig", "220.000"),
        ("en", "Customer value over time", "07/31/2026", "steady", "220,000"),
    ],
)
def test_the_page_shows_the_chart_data_and_the_table_in_the_users_language(
    runs, client_for, users, language, heading, date_label, type_label, money
) -> None:  # type: ignore[no-untyped-def]
    users["management"].language = language
    users["management"].save()
    page = client_for("management").get(reverse("portfolio:portfolio"))
    html = page.content.decode()
    assert heading in html
    chart = _chart(html)
    assert chart["dates"][-1] == date_label
    steady = next(s for s in chart["groupings"]["type"] if s["key"] == "steady")
    assert steady["label"] == type_label
    assert steady["revenue"] == [100_000, 120_000, 220_000]
    assert steady["customers"] == [1, 1, 2]
    lost = next(s for s in chart["groupings"]["phase"] if s["key"] == "lost")
    assert lost["forecast"] == [0, 0, 0]
    assert {s["key"] for s in chart["groupings"]["type"]} == {"steady", "burr", "growth"}
    table = html[html.index('data-testid="portfolio-timeline-table"') :]
    badge = re.search(r'<span class="badge kb-type-steady"[^>]*>([^<]*)</span>', table)
    assert badge is not None
    assert badge.group(1) == type_label  # the badge's title explains the type
    assert money in table
    assert "portfolio_timeline.js" in html


def test_the_page_filters_the_timeline_too(runs, client_for, users) -> None:  # type: ignore[no-untyped-def]
    page = client_for("management").get(
        reverse("portfolio:portfolio"), {"owner": users["sales"].pk}
    )
    chart = _chart(page.content.decode())
    assert [s["key"] for s in chart["groupings"]["type"]] == ["steady", "growth"]


def test_with_one_run_the_page_says_the_chart_grows_with_every_run(users, client_for) -> None:  # type: ignore[no-untyped-def]
    run = _run(date(2026, 1, 31), datetime(2026, 2, 1, tzinfo=UTC))
    _value(run, CustomerFactory(owner=users["kam"]), "steady", "mature", 100, 30, 110)
    html = client_for("management").get(reverse("portfolio:portfolio")).content.decode()
    assert 'data-testid="portfolio-timeline-single"' in html
    assert "wächst mit jedem Analyselauf: Bisher gibt es einen, zum Stichtag 31.01.2026" in html
    assert 'id="portfolio-timeline-data"' not in html
    assert "portfolio_timeline.js" not in html


def test_the_api_gives_the_timeline_with_the_portfolio_filters(runs, api_client_for, users) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for("management")
    answer = client.get("/api/portfolio/timeline")
    assert answer.status_code == 200
    data = answer.json()["runs"]
    assert [run["as_of"] for run in data] == ["2026-01-31", "2026-04-30", "2026-07-31"]
    assert [run["run_id"] for run in data] == [run.pk for run in runs["runs"]]
    steady = next(t for t in data[2]["by_value_type"] if t["key"] == "steady")
    assert (steady["customers"], Decimal(steady["revenue_12m"])) == (2, 220_000)
    assert Decimal(steady["contribution_margin_12m"]) == 50_000
    assert (len(data[2]["by_value_type"]), len(data[2]["by_phase"])) == (7, 4)
    lost = next(p for p in data[2]["by_phase"] if p["key"] == "lost")
    assert lost["customers"] == 1
    owned = client.get("/api/portfolio/timeline", {"owner": users["kam"].pk}).json()["runs"]
    assert [Decimal(run["revenue_12m"]) for run in owned] == [110_000, 128_000, 150_000]
    assert client.get("/api/portfolio/timeline", {"phase": "sleeping"}).status_code == 422
    assert api_client_for("service").get("/api/portfolio/timeline").status_code == 403


def test_before_the_first_analysis_the_api_timeline_is_empty(api_client_for) -> None:  # type: ignore[no-untyped-def]
    answer = api_client_for("management").get("/api/portfolio/timeline")
    assert (answer.status_code, answer.json()) == (200, {"runs": []})
