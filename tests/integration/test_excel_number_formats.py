"""Every Excel export shows each column as the pages do: euros as euros, fractions as
percentages (P(aktiv) 0.9993 as 99,9 %, not 1,00), counts as whole numbers, dates as
dates; the cells stay numbers, so the sheet still sorts and sums."""

from __future__ import annotations

import io
import math
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from kundenbild.core import excel
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.portfolio.exports import CRITERION_LABELS, CRITERION_UNITS
from tests.factories import CustomerFactory
from tests.integration.selection_world import build_portfolio

MONEY = '#,##0.00 "€"'
PERCENT = "0.0 %"


def sheet_of(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content)).active


def column(sheet: Any, header: str) -> list[Any]:
    """The cells of the column with this header, below the header."""
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header) + 1
    return [sheet.cell(row, index) for row in range(2, sheet.max_row + 1)]


def test_each_kind_of_column_is_written_in_its_number_format() -> None:
    columns = [
        excel.text("Name"),
        excel.count("Kontakte"),
        excel.number("Tage", 1),
        excel.money("Umsatz"),
        excel.percent("P(aktiv)"),
        excel.day("Letzte Bestellung"),
    ]
    rows = [
        ["Groß GmbH", 3.0, Decimal("12.5"), Decimal("50000.00"), Decimal("0.9993"),
         date(2026, 1, 31)],
        ["Klein KG", 0, math.nan, None, 0.125, None],
    ]  # fmt: skip
    with translation.override("de"):
        sheet = sheet_of(excel.workbook("Kunden", columns, rows))
    formats = [sheet.cell(2, c).number_format for c in range(1, 7)]
    assert formats == ["General", "#,##0", "#,##0.0", MONEY, PERCENT, "dd.mm.yyyy"]
    first = [sheet.cell(2, c).value for c in range(1, 7)]
    assert first == ["Groß GmbH", 3, 12.5, 50000.0, 0.9993, datetime(2026, 1, 31)]
    assert isinstance(first[1], int)  # a count is a whole number, not 3.0
    assert [sheet.cell(3, c).value for c in range(1, 7)] == ["Klein KG", 0, None, None, 0.125, None]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"
    assert sheet.cell(1, 1).font.bold
    with translation.override("en"):
        english = sheet_of(excel.workbook("Customers", [excel.day("Day")], [[date(2026, 1, 31)]]))
    assert english.cell(2, 1).number_format == "yyyy-mm-dd"


def test_a_value_that_does_not_fit_its_column_is_refused() -> None:
    with pytest.raises(TypeError):
        excel.workbook("x", [excel.money("Umsatz")], [["50.000 €"]])
    with pytest.raises(TypeError):
        excel.workbook("x", [excel.day("Tag")], [["2026-01-31"]])
    with pytest.raises(ValueError, match="zip"):  # a row with more cells than columns
        excel.workbook("x", [excel.text("Name")], [["a", "b"]])


@pytest.fixture
def run(users):  # type: ignore[no-untyped-def]
    run = AnalysisRun.objects.create(
        as_of=date(2026, 6, 30), status=RunStatus.DONE, finished_at=datetime(2026, 7, 1, tzinfo=UTC)
    )
    for number, name, revenue, p_alive in (("K1", "Groß GmbH", "100000.50", "0.9993"),
                                            ("K2", "Klein KG", "2000", "0.4000")):  # fmt: skip
        CustomerValue.objects.create(
            run=run, customer=CustomerFactory(number=number, name=name, owner=users["kam"]),
            value_type="steady", lifecycle_phase="mature", reason_code="no_orders",
            abc_revenue="A", revenue_12m=Decimal(revenue), contribution_margin_12m=Decimal("-500"),
            forecast_revenue_12m=Decimal(revenue), clv=Decimal("80000"), p_alive=Decimal(p_alive),
        )  # fmt: skip
    return run


@pytest.mark.django_db
def test_the_portfolio_export_shows_money_in_euros_and_p_alive_in_percent(run, client_for) -> None:  # type: ignore[no-untyped-def]
    answer = client_for("management").get(reverse("portfolio:portfolio-download"))
    sheet = sheet_of(answer.content)
    assert [c.value for c in column(sheet, "Name")] == ["Groß GmbH", "Klein KG"]
    for header in (
        "Umsatz der letzten 12 Monate",
        "Deckungsbeitrag I der letzten 12 Monate",
        "Prognose der nächsten 12 Monate",
        "Kundenwert über die Lebensdauer (CLV)",
    ):
        cells = column(sheet, header)
        assert {c.number_format for c in cells} == {MONEY}, header
        assert all(isinstance(c.value, int | float) for c in cells), header
    assert column(sheet, "Umsatz der letzten 12 Monate")[0].value == 100000.5
    p_alive = column(sheet, "Wahrscheinlichkeit „noch aktiv“")
    assert [c.value for c in p_alive] == [0.9993, 0.4]  # a fraction, shown as 99,9 %
    assert {c.number_format for c in p_alive} == {PERCENT}
    assert {c.number_format for c in column(sheet, "ABC Umsatz")} == {"General"}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref


@pytest.mark.django_db
def test_the_customer_list_export_shows_revenue_and_margin_in_euros(run, client_for) -> None:  # type: ignore[no-untyped-def]
    sheet = sheet_of(
        client_for("management").get(reverse("profile:customer-list-download")).content
    )
    for header in ("Umsatz 12 Monate", "DB I 12 Monate"):
        cells = column(sheet, header)
        assert cells, header
        assert {c.number_format for c in cells} == {MONEY}, header
        assert all(isinstance(c.value, int | float) for c in cells), header
    assert {c.value for c in column(sheet, "DB I 12 Monate")} == {-500}
    assert {c.number_format for c in column(sheet, "Nr.")} == {"General"}
    assert {type(c.value) for c in column(sheet, "Nr.")} == {str}  # K1 stays text
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref


EXPECTED_FORMAT = {
    "money": MONEY,
    "change": PERCENT,
    "share": PERCENT,
    "percent": PERCENT,
    "days": "#,##0",
    "years": "#,##0.0",
    "count": "#,##0",
}


@pytest.mark.django_db
@pytest.mark.parametrize("goal", ["growth", "profitability", "innovation"])
def test_the_selection_export_shows_each_criterion_in_its_unit(
    goal: str, users, client_for
) -> None:  # type: ignore[no-untyped-def]
    build_portfolio(users)
    answer = client_for("management").get(reverse("portfolio:selection-download"), {"goal": goal})
    sheet = sheet_of(answer.content)
    headers = [cell.value for cell in sheet[1]]
    assert [c.number_format for c in column(sheet, "Rang")] == ["#,##0"] * (sheet.max_row - 1)
    assert all(isinstance(c.value, int) for c in column(sheet, "Rang"))
    assert {c.number_format for c in column(sheet, "Punkte")} == {"#,##0.00"}
    with translation.override("de"):
        labels = {str(label): name for name, label in CRITERION_LABELS.items()}
    criteria = [h for h in headers if h in labels]
    assert len(criteria) >= 3
    for header in criteria:
        unit = CRITERION_UNITS.get(labels[header], "count")
        cells = [c for c in column(sheet, header) if c.value is not None]
        assert {c.number_format for c in cells} <= {EXPECTED_FORMAT[unit]}, header
        assert all(isinstance(c.value, int | float) for c in cells), header
        if unit in ("share", "percent", "change"):
            assert all(-5 <= c.value <= 5 for c in cells), header  # fractions, not percents
    if goal == "growth":
        growth = column(sheet, next(h for h, n in labels.items() if n == "future_growth"))
        by_number = {sheet.cell(c.row, 2).value: c.value for c in growth}
        assert by_number["K2"] == pytest.approx(0.5)  # +50 %, stored as a fraction
        headroom = column(sheet, next(h for h, n in labels.items() if n == "wallet_headroom"))
        assert {sheet.cell(c.row, 2).value: c.value for c in headroom}["K2"] == pytest.approx(0.9)
