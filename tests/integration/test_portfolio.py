"""The portfolio page: shares per type and phase, ABC cross table, quadrants, changes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.portfolio.selectors import PortfolioFilters, portfolio
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _run(day: int) -> AnalysisRun:
    return AnalysisRun.objects.create(
        as_of=date(2026, 6, day),
        status=RunStatus.DONE,
        finished_at=datetime(2026, 7, day, tzinfo=UTC),
    )


def _value(run, customer, value_type, abc, abc_margin, revenue, margin, forecast):  # type: ignore[no-untyped-def]
    CustomerValue.objects.create(
        run=run, customer=customer, value_type=value_type, lifecycle_phase="mature",
        reason_code="no_orders", abc_revenue=abc, abc_margin=abc_margin,
        revenue_12m=Decimal(revenue), contribution_margin_12m=Decimal(margin),
        forecast_revenue_12m=Decimal(forecast),
    )  # fmt: skip


@pytest.fixture
def runs(users):  # type: ignore[no-untyped-def]
    big = CustomerFactory(name="Groß GmbH", owner=users["kam"])
    burr = CustomerFactory(name="Klette KG", owner=users["kam"])
    rising = CustomerFactory(name="Aufsteiger AG", owner=users["sales"])
    old, new = _run(1), _run(30)
    _value(old, big, "steady", "A", "A", 90_000, 30_000, 90_000)
    _value(old, burr, "burr", "C", "C", 2_000, -200, 2_000)
    _value(old, rising, "steady", "B", "B", 8_000, 2_000, 9_000)
    _value(new, big, "steady", "A", "C", 100_000, 1_000, 95_000)
    _value(new, burr, "burr", "C", "C", 2_000, -500, 2_000)
    _value(new, rising, "growth", "A", "B", 20_000, 6_500, 40_000)
    return {"run": new, "big": big, "burr": burr, "rising": rising}


def test_shares_abc_quadrants_and_changes(runs) -> None:  # type: ignore[no-untyped-def]
    data = portfolio(runs["run"], PortfolioFilters())
    assert data.customers == 3
    assert data.revenue == Decimal("122000")
    by_type = {share.key: share for share in data.by_type}
    assert by_type["burr"].customers == 1
    assert by_type["burr"].margin_share == pytest.approx(-500 / 7_000 * 100)
    assert by_type["growth"].revenue_share == pytest.approx(20_000 / 122_000 * 100)
    assert dict(data.abc)["A"] == [0, 1, 1]  # the big one is A by revenue, C by margin
    # medians (20,000 now, 40,000 future) count as high
    assert data.quadrants == {"stars": 2, "falling": 0, "rising": 0, "small": 1}
    changed = {c["name"]: c for c in data.changes}
    assert set(changed) == {"Aufsteiger AG"}  # type and class changed; the others kept both
    assert changed["Aufsteiger AG"]["abc_before"] == "B"
    only_sales = portfolio(runs["run"], PortfolioFilters(owner=runs["rising"].owner_id))
    assert only_sales.customers == 1


def test_the_page_filters_and_links_the_matrix_points(runs, client_for, users) -> None:  # type: ignore[no-untyped-def]
    client = client_for("management")
    page = client.get(reverse("portfolio:portfolio"), {"owner": users["kam"].pk})
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index(">", html.index('id="portfolio-chart-data"')) + 1
    chart = json.loads(html[start : html.index("</script>", start)])
    assert {p["name"] for p in chart["points"]} == {"Groß GmbH", "Klette KG"}
    assert chart["customer_url"].endswith("/0/")
    assert 'data-testid="portfolio-abc"' in html
    assert client_for("service").get(reverse("portfolio:portfolio")).status_code == 403


def test_without_a_run_the_page_says_what_to_do(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("management").get(reverse("portfolio:portfolio"))
    assert page.status_code == 200
    assert "erste" in page.content.decode() or "first run" in page.content.decode()


def test_the_customer_list_downloads_as_typed_excel_without_money_for_service(
    runs, client_for, users
) -> None:  # type: ignore[no-untyped-def]
    import io

    import openpyxl

    url = reverse("profile:customer-list-download")
    answer = client_for("management").get(url, {"owner": users["kam"].pk})
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nr."  # German headers for a German user
    assert "Umsatz 12 Monate" in rows[0]
    assert {row[1] for row in rows[1:]} == {"Groß GmbH", "Klette KG"}  # the filter holds
    revenue_column = rows[0].index("Umsatz 12 Monate")
    assert all(isinstance(row[revenue_column], int | float) for row in rows[1:])
    assert sheet.freeze_panes == "A2"
    service = client_for("service").get(url)
    headers = next(
        openpyxl.load_workbook(io.BytesIO(service.content)).active.iter_rows(values_only=True)
    )
    assert "Umsatz 12 Monate" not in headers
    assert not any("Deckungsbeitrag" in str(h) or "DB I" in str(h) for h in headers)


def test_the_api_gives_the_same_portfolio(runs, api_client_for, users) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for("management")
    data = client.get("/api/portfolio/").json()
    assert data["customers"] == 3
    assert data["abc"]["A"] == {"A": 0, "B": 1, "C": 1}
    assert data["quadrants"] == {"stars": 2, "falling": 0, "rising": 0, "small": 1}
    burr = next(s for s in data["by_value_type"] if s["key"] == "burr")
    assert burr["margin_share"] == pytest.approx(-500 / 7_000 * 100, abs=0.01)
    one_owner = client.get("/api/portfolio/", {"owner": users["kam"].pk}).json()
    assert one_owner["customers"] == 2
    assert api_client_for("service").get("/api/portfolio/").status_code == 403


def test_the_portfolio_downloads_with_its_filters(runs, client_for, users) -> None:  # type: ignore[no-untyped-def]
    import io

    import openpyxl

    url = reverse("portfolio:portfolio-download")
    answer = client_for("management").get(url, {"value_type": "steady"})
    assert answer.status_code == 200
    rows = list(
        openpyxl.load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][:3] == ("Nr.", "Name", "Werttyp")
    assert [row[1] for row in rows[1:]] == ["Groß GmbH"]
    assert rows[1][6] == 100_000  # revenue as a number
    assert client_for("service").get(url).status_code == 403
    from kundenbild.accounts.models import SecurityEvent

    logged = SecurityEvent.objects.get(kind="excel_export")
    assert (logged.user, logged.detail["list"]) == (users["management"], "portfolio")


def test_filters_by_industry_group_region_and_as_of_date(runs, client_for) -> None:  # type: ignore[no-untyped-def]
    from kundenbild.customers.models import Address, Industry

    big, burr, rising = runs["big"], runs["burr"], runs["rising"]
    machines = Industry.objects.get(code="28")
    big.industries.add(machines)
    rising.industries.add(machines)
    burr.parent = big  # Klette is a subsidiary of Groß; Aufsteiger is on its own
    burr.save()
    Address.objects.filter(customer=rising).update(postal_code="20095")  # Hamburg: zone 2
    run = runs["run"]

    def names(**filters) -> set[str]:  # type: ignore[no-untyped-def]
        data = portfolio(run, PortfolioFilters(**filters))
        return {p["name"] for p in data.points}

    assert names(industry="28") == {"Groß GmbH", "Aufsteiger AG"}
    assert names(group=big.pk) == {"Groß GmbH", "Klette KG"}
    assert names(region="2") == {"Aufsteiger AG"}
    assert names(region="8") == {"Groß GmbH", "Klette KG"}  # München
    assert names(industry="28", region="8") == {"Groß GmbH"}

    client = client_for("management")
    older = AnalysisRun.objects.get(as_of=date(2026, 6, 1))
    page = client.get(reverse("portfolio:portfolio"), {"run": older.pk}).content.decode()
    assert f'<option value="{older.pk}" selected>' in page
    assert 'data-testid="portfolio-changes"' not in page  # nothing ran before the first run
    api = client.get("/api/portfolio/", {"run": older.pk, "group": big.pk}).json()
    assert (api["run_id"], api["customers"]) == (older.pk, 2)
    without_clv = client.get("/api/portfolio/", {"future": "clv"}).json()["quadrants"]
    assert without_clv == {"stars": 0, "falling": 2, "rising": 0, "small": 1}  # no CLV: low
    assert Decimal(api["revenue_12m"]) == 92_000  # 90,000 + 2,000 in the older run
    assert client.get("/api/portfolio/", {"run": 999_999}).status_code == 404
    download = client.get(reverse("portfolio:portfolio-download"), {"region": "2"})
    assert download.status_code == 200


def test_the_matrix_can_take_the_clv_as_future_value(runs, client_for) -> None:  # type: ignore[no-untyped-def]
    CustomerValue.objects.filter(run=runs["run"], customer=runs["big"]).update(clv=Decimal("5000"))
    CustomerValue.objects.filter(run=runs["run"], customer=runs["rising"]).update(
        clv=Decimal("80000")
    )
    data = portfolio(runs["run"], PortfolioFilters(), future="clv")
    future = {p["name"]: p["future"] for p in data.points}
    assert future == {"Groß GmbH": 5000.0, "Aufsteiger AG": 80000.0, "Klette KG": 0.0}
    # split at 20,000 now and 80,000 CLV: Groß is high now but low later, Klette has no CLV
    assert data.quadrants == {"stars": 1, "falling": 1, "rising": 0, "small": 1}
    page = client_for("management").get(reverse("portfolio:portfolio"), {"future": "clv"})
    html = page.content.decode()
    assert '<option value="clv" selected>' in html
    assert '"diagonal": false' in html
