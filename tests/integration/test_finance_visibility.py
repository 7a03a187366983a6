"""No finance figure reaches a role without the finance capability: every GET endpoint of the
API (walked from the OpenAPI document), every page and every export, against one customer
whose every finance figure is filled with a distinctive number.

The same walk as management must find each of those numbers, so the test knows the objects
were real and reached, and it would fail if a figure leaked.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from kundenbild.activities.services import ActivityData, activity_create
from kundenbild.buying_center.models import BuyingCenter
from kundenbild.chains.services import (
    ActorData,
    ChainData,
    StageData,
    actor_save,
    chain_save,
    stage_save,
)
from kundenbild.finance.models import Condition, FinanceProfile, SalesLine
from kundenbild.insights.models import CustomerValue
from kundenbild.insights.services import run_analysis
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from tests.factories import ContactFactory, CustomerFactory
from tests.surface import api_paths, fill, page_routes

pytestmark = pytest.mark.django_db

# Keys that carry money or credit: revenue, margins, costs, credit, CLV, forecasts, the
# customer's share of wallet. ABC classes and the value type are judgements, not figures.
FINANCE_KEY = re.compile(
    r"revenue|margin|cost|credit|clv|forecast|share_of_wallet|white_space|payment|"
    r"cash_discount|amount_total",
    re.IGNORECASE,
)
NOT_FINANCE = {"abc_revenue", "abc_margin"}
# An analysis run's thresholds (burr margin rate, CLV years): settings, not anybody's figures.
SETTINGS_KEYS = {"config"}


@pytest.fixture
def filled(users) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A customer with three years of sales, a finance profile, a condition, a need with
    our revenue entered, a buying center, a chain and an analysis run."""
    customer = CustomerFactory(name="Finanzprobe GmbH", owner=users["kam"])
    lines = []
    for back in range(36):
        year, month = divmod(2026 * 12 + 5 - back, 12)
        lines.append(
            SalesLine(
                customer=customer,
                invoice_number=f"F-{back}",
                line_number=1,
                invoice_date=date(year, month + 1, 15),
                article_number="A-7",
                quantity=Decimal(3),
                net_revenue=Decimal("4813.57"),
                cost_of_goods=Decimal("3187.19"),
            )
        )
    SalesLine.objects.bulk_create(lines)
    FinanceProfile.objects.create(
        customer=customer,
        credit_rating="B",
        credit_limit=Decimal("73519.00"),
        payment_days_net=41,
        cash_discount_percent=Decimal("2.75"),
        cash_discount_days=13,
    )
    Condition.objects.create(
        customer=customer,
        kind="discount",
        description="Staffel",
        percent=Decimal("3.75"),
        valid_from=date(2025, 1, 1),
    )
    need = Need.objects.create(customer=customer, title="Stillstand senken")
    demand = Demand.objects.create(need=need, competitor="Würth", description="Kanban")
    EffectiveDemand.objects.create(
        demand=demand, year=2026, amount=Decimal("91234.00"), our_revenue=Decimal("6427.31")
    )
    contact = ContactFactory(customer=customer, roles=["decider"])
    center = BuyingCenter.objects.create(customer=customer, name="Lager")
    center.members.add(contact)
    chain = chain_save(
        data=ChainData(name="Kette", scope="customer", customer_id=customer.pk), by=users["kam"]
    )
    stage = stage_save(chain=chain, data=StageData(name="Kunde"))
    actor = actor_save(
        chain=chain,
        data=ActorData(
            stage_id=stage.pk, identity="customer", customer_id=customer.pk, kind="manufacturer"
        ),
    )
    run = run_analysis(as_of=date(2026, 6, 15), user=users["admin"])
    activity = activity_create(
        customer=customer,
        data=ActivityData(
            kind="call", occurred_on=date(2026, 6, 1), subject="Anruf", contact_ids=(contact.pk,)
        ),
        by=users["kam"],
    )
    return {
        "customer_id": customer.pk,
        "activity_id": activity.pk,
        "contact_id": contact.pk,
        "center_id": center.pk,
        "need_id": need.pk,
        "demand_id": demand.pk,
        "chain_id": chain.pk,
        "actor_id": actor.pk,
        "run_id": run.pk,
    }


def finance_figures(customer_id: int) -> dict[str, Decimal]:
    """Every money figure of the customer that is big enough to be unmistakable in a page."""
    value = CustomerValue.objects.get(customer_id=customer_id)
    figures = {
        "revenue 12 months": value.revenue_12m,
        "margin 12 months": value.contribution_margin_12m,
        "forecast revenue": value.forecast_revenue_12m,
        "forecast margin": value.forecast_margin_12m,
        "CLV": value.clv,
        "credit limit": FinanceProfile.objects.get(customer_id=customer_id).credit_limit,
        "our revenue entered": Decimal("6427.31"),
    }
    years = (
        SalesLine.objects.filter(customer_id=customer_id)
        .annotate(year=ExtractYear("invoice_date"))
        .values("year")
        .annotate(revenue=Sum("net_revenue"), cost=Sum("cost_of_goods"))
    )
    for row in years:
        figures[f"revenue {row['year']}"] = row["revenue"]
        figures[f"margin I {row['year']}"] = row["revenue"] - row["cost"]
    return {name: v for name, v in figures.items() if v is not None and abs(v) >= 1000}


def spellings(value: Decimal) -> set[str]:
    """How a figure may be written: raw, German and English, with cents or rounded."""
    cents = f"{value:.2f}"
    whole = f"{value:.0f}"
    english_cents = f"{value:,.2f}"
    english_whole = f"{value:,.0f}"
    german = str.maketrans(",.", ".,")
    return {
        cents,
        whole,
        english_cents,
        english_whole,
        english_cents.translate(german),
        english_whole.translate(german),
    }


def found(figures: dict[str, Decimal], text: str) -> set[str]:
    return {name for name, value in figures.items() if any(s in text for s in spellings(value))}


def finance_keys_with_values(body: Any, path: str = "") -> Iterator[str]:
    """Paths of finance-named keys that carry a value (not null, not empty)."""
    if isinstance(body, dict):
        for key, value in body.items():
            here = f"{path}.{key}"
            if FINANCE_KEY.search(key) and key not in NOT_FINANCE and value not in (None, [], {}):
                yield here
            if key not in SETTINGS_KEYS:
                yield from finance_keys_with_values(value, here)
    elif isinstance(body, list):
        for index, item in enumerate(body):
            yield from finance_keys_with_values(item, f"{path}[{index}]")


def readable(response: Any) -> str:
    """The text a person gets: HTML, JSON, every cell of a workbook, the text of a PDF."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            f"{cell:.2f}\n{cell}" if isinstance(cell, float | int) else str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "pdf" in content_type:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", errors="replace")


def api_walk(client: Client, ids: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {
        path: (response.status_code, response.content.decode())
        for path in api_paths(ids)
        for response in [client.get(path)]
    }


def test_no_finance_figure_reaches_service_through_the_api(api_client_for, filled) -> None:  # type: ignore[no-untyped-def]
    figures = finance_figures(filled["customer_id"])
    assert len(figures) >= 8
    answers = api_walk(api_client_for("service"), filled)
    assert len(answers) >= 25
    for path, (status, text) in answers.items():
        assert status in (200, 403), f"{path} answered {status}: {text[:300]}"
        assert not found(figures, text), f"{path} shows {found(figures, text)}"
        if status == 200:
            leaked = list(finance_keys_with_values(json.loads(text)))
            assert not leaked, f"{path} fills {leaked}"


def test_the_same_api_walk_shows_every_figure_to_management(api_client_for, filled) -> None:  # type: ignore[no-untyped-def]
    figures = finance_figures(filled["customer_id"])
    answers = api_walk(api_client_for("management"), filled)
    seen = set().union(*(found(figures, text) for _status, text in answers.values()))
    assert seen == set(figures)
    assert any(
        list(finance_keys_with_values(json.loads(text)))
        for status, text in answers.values()
        if status == 200
    )


def page_walk(client: Client, ids: dict[str, Any]) -> dict[str, tuple[int, str]]:
    answers = {}
    for name, route in page_routes():
        url = fill(route, ids, default="finance")
        response = client.get(url)
        answers[f"{name} {url}"] = (response.status_code, readable(response))
    return answers


def test_no_finance_figure_reaches_service_on_pages_and_exports(client_for, filled) -> None:  # type: ignore[no-untyped-def]
    figures = finance_figures(filled["customer_id"])
    answers = page_walk(client_for("service"), filled)
    assert len(answers) >= 60
    for page, (status, text) in answers.items():
        assert status < 500, f"{page} answered {status}"
        assert not found(figures, text), f"{page} shows {found(figures, text)}"


def test_the_same_page_walk_shows_every_figure_to_management(client_for, filled) -> None:  # type: ignore[no-untyped-def]
    figures = finance_figures(filled["customer_id"])
    answers = page_walk(client_for("management"), filled)
    seen = set().union(*(found(figures, text) for _status, text in answers.values()))
    assert seen == set(figures)
