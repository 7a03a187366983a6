"""The selection narrowed first (the seed's step 1): by offering, with that offering's
white space and share of wallet checked by hand; by the kinds of customer; grouped by
value type; the pearls; and the scope kept with a coaching focus."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from typer.testing import CliRunner

from kundenbild.buying_center.models import Acquaintance, Closeness
from kundenbild.chains.models import ActorIdentity, ActorKind, Chain, ChainActor, ChainStage
from kundenbild.cli import app
from kundenbild.customers.models import Address, AddressKind
from kundenbild.finance.models import SalesLine
from kundenbild.insights.models import CustomerValue
from kundenbild.offerings.models import Offering
from kundenbild.portfolio.criteria import selection_criteria
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.portfolio.scope import Scope, scope_from_input
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.potential.selectors import customer_potential
from tests.factories import ContactFactory
from tests.integration.selection_world import AS_OF, build_portfolio

pytestmark = pytest.mark.django_db


def _demand(customer: Any, offering: Offering, amount: str, entered: str | None = None) -> None:
    need = Need.objects.create(customer=customer, title=f"Bedarf {offering.number}")
    demand = Demand.objects.create(need=need, offering=offering)
    EffectiveDemand.objects.create(
        demand=demand,
        year=AS_OF.year,
        amount=Decimal(amount),
        our_revenue=Decimal(entered) if entered else None,
    )


def _sale(customer: Any, article: str, amount: str, day: date, invoice: str) -> None:
    SalesLine.objects.create(
        customer=customer,
        invoice_number=invoice,
        line_number=1,
        invoice_date=day,
        article_number=article,
        net_revenue=Decimal(amount),
    )


@pytest.fixture
def world(users):  # type: ignore[no-untyped-def]
    """The selection's three customers, with demand and sales of offering S-0: K2 has
    50,000 € potential and bought 8,000 € of it this year (and 1,000 € last year); K1 has
    10,000 € potential with 3,000 € entered by hand and no sales; K3 has neither."""
    customers = build_portfolio(users)
    s0 = Offering.objects.get(number="S-0")
    _demand(customers["rising"], s0, "50000")
    _sale(customers["rising"], "S-0", "5000", date(AS_OF.year, 2, 1), "R-1")
    _sale(customers["rising"], "S-0", "3000", date(AS_OF.year, 5, 1), "R-2")
    _sale(customers["rising"], "S-0", "1000", date(AS_OF.year - 1, 5, 1), "R-3")
    _demand(customers["big"], s0, "10000", entered="3000")
    return customers


def _csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {row["customer_number"]: row for row in csv.DictReader(handle)}


def test_an_offering_narrows_to_its_customers_with_its_own_white_space(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "s0.csv"
    result = CliRunner().invoke(
        app,
        ["select-customers", "--goal", "growth", "--offering", "S-0", "--output", str(output),
         "--language", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Offering: O0" in result.output  # the scope is printed above the ranking
    rows = _csv(output)
    assert sorted(rows) == ["K1", "K2"]  # K3 has neither demand nor sales of S-0
    # by hand: K2 50,000 potential - 8,000 sold this year; K1 10,000 - 3,000 entered
    assert float(rows["K2"]["white_space"]) == pytest.approx(42_000)
    assert float(rows["K2"]["wallet_headroom"]) == pytest.approx(84.0)
    assert float(rows["K1"]["white_space"]) == pytest.approx(7_000)
    assert float(rows["K1"]["wallet_headroom"]) == pytest.approx(70.0)
    # the potential page's figures for the same offering and year
    page = customer_potential(world["rising"], AS_OF.year)
    row = next(r for r in page.rows if r.offering and r.offering.number == "S-0")
    assert float(row.white_space) == pytest.approx(42_000)
    # without the scope, white space is the run's: potential - revenue of 12 months
    everyone = selection_criteria()
    assert list(everyone.values["white_space"][:2]) == [20_000, 180_000]


def test_an_offering_group_sums_its_offerings_and_sales_alone_put_a_customer_in(world) -> None:  # type: ignore[no-untyped-def]
    s1 = Offering.objects.get(number="S-1")
    _demand(world["rising"], s1, "20000", entered="25000")  # more entered than potential
    _sale(world["small"], "S-2", "700", date(AS_OF.year, 3, 1), "R-9")
    scope = scope_from_input(offering_group="Service")
    criteria = selection_criteria(scope)
    by_number = {c.number: at for at, c in enumerate(criteria.customers)}
    assert sorted(by_number) == ["K1", "K2", "K3"]  # K3 only through its sale of S-2
    rising = by_number["K2"]
    # per offering, white space is never below 0 (the potential page's rule): 42,000 + 0
    assert criteria.values["white_space"][rising] == pytest.approx(42_000)
    assert criteria.values["wallet_headroom"][rising] == pytest.approx(100 - 100 * 33_000 / 70_000)
    assert (
        criteria.values["white_space"][by_number["K3"]]
        != criteria.values["white_space"][by_number["K3"]]
    )  # NaN: sales but no potential entered


def test_the_kinds_of_customer_narrow_the_selection(world, users) -> None:  # type: ignore[no-untyped-def]
    big, rising, small = world["big"], world["rising"], world["small"]
    big.size_class, rising.size_class = "large", "small"
    big.owner = users["kam"]
    big.save()
    rising.save()
    Address.objects.filter(kind=AddressKind.HEADQUARTERS).update(postal_code="20095")
    Address.objects.filter(customer=small, kind=AddressKind.HEADQUARTERS).update(
        postal_code="80331"
    )
    rising.industries.add("28")

    def numbers(**given: Any) -> list[str]:
        return [c.number for c in selection_criteria(scope_from_input(**given)).customers]

    assert numbers(size_class="large") == ["K1"]
    assert numbers(owner=users["kam"].username) == ["K1"]
    assert numbers(region="8") == ["K3"]
    assert numbers(industry="28") == ["K2"]
    assert numbers(industry="28", size_class="large") == []
    chain = Chain.objects.create(name="Maschinenbau", scope="segment", industry_id="28")
    stage = ChainStage.objects.create(chain=chain, name="Endkunde")
    ChainActor.objects.create(
        chain=chain, stage=stage, identity=ActorIdentity.CUSTOMER, customer=small,
        kind=ActorKind.USER,
    )  # fmt: skip
    assert numbers(chain="Maschinenbau") == ["K2", "K3"]  # the industry's and an actor


def test_a_scope_that_does_not_fit_is_refused_naming_the_option(world) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    for option, value, message in (
        ("--offering", "X-9", "no offering with the article number X-9"),
        ("--owner", "nobody", "There is no user nobody"),
        ("--phase", "ripe", "ripe is unknown"),
        ("--chain", "Nirgendwo", "no problem-solving chain Nirgendwo"),
        ("--size", "huge", "huge is unknown"),
    ):
        result = runner.invoke(
            app, ["select-customers", "--goal", "growth", option, value, "--language", "en"]
        )
        assert result.exit_code == 1, option
        assert option in result.output, result.output
        assert message in result.output, result.output


def test_the_api_takes_the_scope_and_says_what_it_applied(world, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for("management")
    answer = api.get("/api/selection/", {"goal": "growth", "offering": "S-0"}).json()
    assert [c["number"] for c in answer["customers"]] == ["K2", "K1"]
    assert answer["scope"]["offering"] == "S-0"
    assert answer["left_out"] == ["burr", "lost"]
    refused = api.get("/api/selection/", {"offering": "X-9"})
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["offering"]


def _judge(customers: dict[str, Any], types: dict[str, str]) -> None:
    for key, value_type in types.items():
        CustomerValue.objects.filter(customer=customers[key]).update(value_type=value_type)


def test_grouped_by_type_gives_the_best_of_each_group(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _judge(world, {"big": "steady", "rising": "growth", "small": "steady"})
    result = CliRunner().invoke(
        app, ["select-customers", "--goal", "growth", "--by-type", "--limit", "1"]
    )
    assert result.exit_code == 0, result.output
    # one per type: the best steady customer (K1 before K3) and the growth customer
    assert "K1" in result.output
    assert "K2" in result.output
    assert "K3" not in result.output


def test_pearls_rank_steady_customers_with_the_evidence(world, users) -> None:  # type: ignore[no-untyped-def]
    _judge(world, {"big": "steady", "rising": "steady", "small": "growth"})
    decider = world["big"].contacts.get()
    Acquaintance.objects.create(contact=decider, user=users["admin"], closeness=Closeness.CLOSE)
    ContactFactory(customer=world["rising"], roles=["decider"])
    criteria = selection_criteria()
    by_number = {c.number: at for at, c in enumerate(criteria.customers)}
    values = criteria.values
    # K2 finds S-0 fascinating (4) and S-1 inspiring (3); it bought S-0 this year, not S-1
    assert values["fascination_unrealised"][by_number["K2"]] == 1
    assert values["fascination_unrealised"][by_number["K1"]] == 0  # S-0 only "interesting"
    assert values["close_deciders"][by_number["K1"]] == 1  # known closely
    assert values["close_deciders"][by_number["K2"]] == 0  # the decider known slightly
    result = CliRunner().invoke(
        app, ["select-customers", "--goal", "pearls", "--language", "en", "--limit", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "steady customers only" in result.output
    assert "K3" not in result.output  # a growth customer is no pearl
    assert "K1" in result.output
    assert "K2" in result.output
    assert "white space (potential − revenue): €180,000" in result.output  # K2's evidence


def test_the_page_narrows_groups_and_keeps_the_scope_for_the_coaching_focus(
    world, users, client_for
) -> None:  # type: ignore[no-untyped-def]
    _judge(world, {"big": "steady", "rising": "growth", "small": "steady"})
    client = client_for("management")
    url = reverse("portfolio:selection")
    page = client.get(url, {"goal": "growth", "offering": "S-0", "by_type": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Marktleistung: O0" in html  # the scope, in German
    assert "2 Kunden im Ausschnitt" in html
    assert html.count('data-testid="selection-group"') == 2  # steady and growth
    assert "Klein KG" not in html
    assert "offering=S-0" in html  # the focus link keeps the scope
    focus_url = (
        reverse("portfolio:focus-add", args=[world["rising"].pk]) + "?goal=growth&offering=S-0"
    )
    form = client.get(focus_url).content.decode()
    assert "Marktleistung: O0" in form
    form_data = {"goal": "growth", "owner": users["management"].pk, "review_on": "2026-12-31"}
    posted = client.post(focus_url, form_data)
    assert posted.status_code == 302
    focus = CoachingFocus.objects.get(customer=world["rising"])
    assert Scope.from_json(focus.scope) == Scope(offering="S-0")
    listing = client.get(reverse("portfolio:focus-list")).content.decode()
    assert "Marktleistung: O0" in listing


def test_the_portfolio_and_its_excel_file_take_the_same_scope(
    world, client_for, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    world["big"].size_class = "large"
    world["big"].save()
    answer = api_client_for("management").get("/api/portfolio/", {"offering": "S-0"}).json()
    assert answer["customers"] == 2  # K1 and K2 have demand for S-0, K3 has not
    sized = api_client_for("management").get("/api/portfolio/", {"size_class": "large"}).json()
    assert sized["customers"] == 1
    client = client_for("management")
    selection = client.get(reverse("portfolio:selection"), {"offering": "S-0"}).content.decode()
    assert f"{reverse('portfolio:portfolio')}?offering=S-0" in selection
    sheet = client.get(reverse("portfolio:portfolio-download"), {"offering": "S-0"})
    workbook = openpyxl.load_workbook(io.BytesIO(sheet.content))
    numbers = sorted(row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True))
    assert numbers == ["K1", "K2"]
    selection_sheet = client.get(reverse("portfolio:selection-download"), {"offering": "S-0"})
    ranked = openpyxl.load_workbook(io.BytesIO(selection_sheet.content)).active
    assert sorted(row[1] for row in ranked.iter_rows(min_row=2, values_only=True)) == ["K1", "K2"]


def test_the_api_gives_the_best_of_each_type_and_the_page_drops_what_no_longer_fits(
    world, api_client_for, client_for
) -> None:  # type: ignore[no-untyped-def]
    _judge(world, {"big": "steady", "rising": "growth", "small": "steady"})
    api = api_client_for("management")
    answer = api.get("/api/selection/", {"goal": "growth", "per_type": "true", "limit": 1})
    rows = answer.json()["customers"]
    assert [(row["number"], row["value_type"]) for row in rows] == [
        ("K1", "steady"),
        ("K2", "growth"),
    ]
    assert rows[1]["rank"] == 1  # its rank in the whole ranking
    page = client_for("management").get(
        reverse("portfolio:selection"), {"offering": "X-9", "size_class": "large"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Es gibt keine Marktleistung mit der Artikelnummer X-9." in html
    assert "Größe: Groß" in html  # the rest of the scope holds
