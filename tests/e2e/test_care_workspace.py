"""The customer care workspace in the browser, in German, as a sales lead would use it:
portfolio, a customer from the matrix, the selection for revenue growth, two customers
into the coaching focus, the selection as Excel, the focus on the customer page, and its
profile as a one-page PDF to take along."""

from __future__ import annotations

import openpyxl
import pytest
from django.db.models import Q
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from kundenbild.insights.models import CustomerValue, RunStatus
from kundenbild.insights.selectors import latest_run
from kundenbild.insights.services import run_analysis
from kundenbild.portfolio.models import CoachingFocus
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_sales_lead_selects_develops_and_takes_the_list_along(page: Page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _reference_data()
    load_demo(customers=25, seed=11)
    run = run_analysis()
    assert run.status == RunStatus.DONE, run.error
    owner = Customer.objects.exclude(owner=None).values_list("owner", flat=True).first()
    owned = Customer.objects.filter(owner_id=owner).count()
    demo_focus = CoachingFocus.objects.filter(closed_on=None).count()  # started a year ago

    login(page, "management", "demo")
    page.get_by_test_id("nav-portfolio").click()
    page.get_by_label("Key-Account-Manager").select_option(value=str(owner))
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_test_id("portfolio-customers")).to_have_text(str(owned))
    chart = page.get_by_test_id("portfolio-chart")
    expect(chart.locator("svg")).to_have_count(1)
    # a real click on the first customer's point, where the chart itself draws it (once
    # the points have grown in: ECharts animates them from nothing)
    page.wait_for_timeout(1500)
    x, y = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('portfolio-chart'));
            const series = chart.getOption().series.findIndex(
                s => s.data && s.data.length && s.data[0].id);
            const point = chart.getOption().series[series].data[0];
            return chart.convertToPixel({seriesIndex: series}, point.value);
        }"""
    )
    box = chart.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.get_by_test_id("customer-name")).to_be_visible()
    opened = page.get_by_test_id("customer-name").inner_text()
    assert Customer.objects.filter(name=opened, owner_id=owner).exists()

    page.get_by_test_id("nav-selection").click()
    expect(page.get_by_role("link", name="Umsatzwachstum")).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_label("Angezeigte Kunden").select_option("10")
    page.get_by_role("button", name="Neu ordnen").click()
    rows = page.get_by_test_id("selection-table").locator("tbody tr")
    expect(rows).to_have_count(10)
    chosen = []
    for rank in range(2):
        row = page.get_by_test_id("selection-table").locator("tbody tr").nth(rank)
        chosen.append(row.locator("td").nth(1).get_by_role("link").first.inner_text())
        row.get_by_test_id("focus-add").click()
        expect(page.get_by_role("combobox", name="Ziel")).to_have_value("growth")
        page.get_by_role("button", name="In den Coaching-Fokus aufnehmen").click()
        expect(page.get_by_test_id("focus-table")).to_contain_text(chosen[-1])
        page.go_back()
        page.go_back()
    assert CoachingFocus.objects.filter(closed_on=None).count() == demo_focus + 2

    page.get_by_test_id("nav-selection").click()
    with page.expect_download() as download:
        page.get_by_test_id("selection-download").click()
    path = tmp_path / "auswahl.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    rows_in_file = list(sheet.iter_rows(values_only=True))
    assert rows_in_file[0][:4] == ("Rang", "Kundennummer", "Name", "Punkte")
    left_out = CustomerValue.objects.filter(run=latest_run()).filter(
        Q(value_type="burr") | Q(lifecycle_phase="lost")
    )  # growth leaves out burrs and lost customers
    assert len(rows_in_file) == Customer.objects.count() - left_out.count() + 1
    shown = {row[5] for row in rows_in_file[1:]} | {row[6] for row in rows_in_file[1:]}
    assert not {"Klette", "verloren"} & shown
    assert rows_in_file[1][2] == chosen[0]

    page.get_by_test_id("nav-focus").click()
    page.get_by_test_id("focus-table").get_by_role("link", name=chosen[0]).click()
    expect(page.get_by_test_id("customer-focus")).to_contain_text("Umsatzwachstum")

    with page.expect_download() as download:
        page.get_by_test_id("profile-pdf").click()
    customer = Customer.objects.get(name=chosen[0])
    assert download.value.suggested_filename == f"profile-{customer.number}.pdf"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    pdf = PdfReader(path)
    assert len(pdf.pages) == 1
    assert customer.name in " ".join(pdf.pages[0].extract_text().split())
