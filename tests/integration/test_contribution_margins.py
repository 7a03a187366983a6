"""Contribution margins I–III: a worked example by hand, and a demo customer recomputed."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.cli import app
from kundenbild.demo.loader import load_demo
from kundenbild.finance.margins import contribution_margins, margins_by_offering
from kundenbild.finance.models import CustomerCost, OverheadRate, SalesLine
from tests.factories import CustomerFactory, SalesLineFactory

pytestmark = pytest.mark.django_db


def test_a_worked_example(users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    day = date(2025, 3, 10)
    SalesLineFactory(customer=customer, invoice_date=day, article_number="A", net_revenue=10_000,
                     cost_of_goods=6_000, discount=200, freight=100)  # fmt: skip
    SalesLineFactory(customer=customer, invoice_date=date(2025, 9, 1), article_number="B",
                     net_revenue=5_000, cost_of_goods=2_500, discount=0, freight=50)  # fmt: skip
    CustomerCost.objects.create(customer=customer, year=2025, kind="bonus", amount=600)
    CustomerCost.objects.create(
        customer=customer, year=2025, month=3, kind="key_account", amount=300
    )
    OverheadRate.objects.update_or_create(activity_kind="visit", defaults={"amount": 250})
    OverheadRate.objects.update_or_create(activity_kind="call", defaults={"amount": 25})
    for kind in ("visit", "visit", "call", "note"):
        Activity.objects.create(customer=customer, kind=kind, occurred_on=day, subject="x")
    (row,) = contribution_margins(customer)
    # I   = 15,000 − 8,500                    = 6,500
    # II  = 6,500 − (200 + 100 + 50) − 600    = 5,550
    # III = 5,550 − (2 × 250 + 25 + 0) − 300  = 4,725
    assert row.contribution_margin_1 == Decimal("6500.00")
    assert row.contribution_margin_2 == Decimal("5550.00")
    assert row.contribution_margin_3 == Decimal("4725.00")
    months = {r.month: r for r in contribution_margins(customer, monthly=True, year=2025)}
    assert sorted(months) == list(range(1, 13))  # the yearly bonus is spread over the months
    assert months[3].contribution_margin_3 == Decimal("10000") - 6000 - 300 - 50 - 525 - 300
    assert sum((m.contribution_margin_3 for m in months.values()), Decimal(0)) == Decimal("4725")
    by_offering = {m.article_number: m for m in margins_by_offering(customer, 2025)}
    assert by_offering["A"].contribution_margin_2 == Decimal("3700.00")


def test_a_demo_customer_matches_a_recomputation_from_its_lines() -> None:
    load_demo(customers=12, seed=5)
    line = SalesLine.objects.select_related("customer").order_by("pk").first()
    assert line is not None
    customer = line.customer
    year = line.invoice_date.year
    CustomerCost.objects.create(
        customer=customer, year=year, kind="service", amount=Decimal("1234.50")
    )
    lines = list(SalesLine.objects.filter(customer=customer, invoice_date__year=year))
    rates = dict(OverheadRate.objects.values_list("activity_kind", "amount"))
    effort = sum(
        (
            rates.get(a.kind, Decimal(0))
            for a in Activity.objects.filter(customer=customer, occurred_on__year=year)
        ),
        Decimal(0),
    )
    revenue = sum((x.net_revenue for x in lines), Decimal(0))
    cm1 = revenue - sum((x.cost_of_goods for x in lines), Decimal(0))
    cm2 = cm1 - sum((x.discount + x.freight for x in lines), Decimal(0)) - Decimal("1234.50")
    cm3 = cm2 - effort
    row = next(r for r in contribution_margins(customer) if r.year == year)
    assert (row.revenue, row.contribution_margin_1) == (revenue, cm1)
    assert (row.contribution_margin_2, row.contribution_margin_3) == (cm2, cm3)
    client = Client()
    client.force_login(User.objects.get(username="controller"))  # as the demo left it
    page = client.get(reverse("finance:customer-finance", args=[customer.pk]), {"year": year})
    assert page.status_code == 200
    assert 'data-testid="margins-months"' in page.content.decode()


def test_costs_are_imported_per_customer_and_period_and_never_counted_twice(
    tmp_path: Path,
) -> None:
    customer = CustomerFactory(number="K-7")
    path = tmp_path / "kosten.csv"
    path.write_bytes(
        "Kundennummer;Periode;Kostenart;Betrag\n"
        "K-7;2025;Bonus;1.200,00\n"
        "K-7;03/2025;Sonderleistung;350,50\n"
        "K-7;2025-04;Key-Account-Aufwand;99\n".encode("cp1252")
    )
    runner = CliRunner()
    dry = json.loads(runner.invoke(app, ["import-costs", str(path), "--dry-run", "--json"]).stdout)
    assert dry["costs_added"] == 3
    assert not CustomerCost.objects.exists()  # a dry run writes nothing
    first = json.loads(runner.invoke(app, ["import-costs", str(path), "--json"]).stdout)
    assert (first["costs_added"], first["amount_total"]) == (3, 1649.5)
    again = json.loads(runner.invoke(app, ["import-costs", str(path), "--json"]).stdout)
    assert (again["costs_added"], again["costs_unchanged"]) == (0, 3)
    (row,) = contribution_margins(customer)
    assert row.other_direct_costs == Decimal("1550.50")
    assert row.other_overheads == Decimal("99.00")
    bad = tmp_path / "bad.csv"
    bad.write_text("Kundennummer;Periode;Kostenart;Betrag\nK-7;13/2025;Bonus;1\nK-8;2025;Miete;1\n")
    refused = runner.invoke(app, ["import-costs", str(bad)])
    assert refused.exit_code == 1
    assert "row 2, Periode" in refused.output
    assert "row 3, Kundennummer" in refused.output
    assert CustomerCost.objects.count() == 3


def test_the_controller_sets_overhead_rates_and_others_may_not(client_for, users) -> None:
    url = reverse("finance:overhead-rates")
    assert client_for("kam").get(url).status_code == 403
    data = {"visit": "300", "call": "20", "email": "5", "meeting": "120", "note": "0"}
    assert client_for("controller").post(url, data).status_code == 302
    assert OverheadRate.objects.get(activity_kind="visit").amount == Decimal("300.00")
    refused = client_for("controller").post(url, {**data, "visit": "-1"})
    assert refused.status_code == 400
    assert OverheadRate.objects.get(activity_kind="visit").amount == Decimal("300.00")


def test_costs_through_the_api(api_client_for, tmp_path: Path) -> None:
    CustomerFactory(number="K-9")
    path = tmp_path / "costs.csv"
    path.write_text("customer;period;kind;amount\nK-9;2026-02;freight;120.50\n")
    client = api_client_for("controller")
    with path.open("rb") as f:
        done = client.post("/api/imports/costs", {"file": f})
    assert done.status_code == 200, done.content
    assert done.json()["costs_added"] == 1
    assert CustomerCost.objects.get().amount == Decimal("120.50")
    with path.open("rb") as f:
        assert api_client_for("kam").post("/api/imports/costs", {"file": f}).status_code == 403
