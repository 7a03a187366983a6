"""Selection by goal on the app's data: the criteria come from the right places, the
ranking follows the documented formula, and the CLI writes a typed Excel file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from django.urls import reverse
from typer.testing import CliRunner

from kundenbild.analytics.selection import GOALS, percentile_ranks
from kundenbild.cli import app
from kundenbild.insights.models import CustomerValue
from kundenbild.portfolio.criteria import selection_criteria
from tests.integration.selection_world import build_portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(users):  # type: ignore[no-untyped-def]
    return build_portfolio(users)


def test_the_criteria_come_from_the_run_and_the_profile(portfolio) -> None:  # type: ignore[no-untyped-def]
    criteria = selection_criteria()
    assert [c.number for c in criteria.customers] == ["K1", "K2", "K3"]
    v = criteria.values
    np.testing.assert_allclose(v["future_growth"], [0.0, 0.5, -0.2])
    np.testing.assert_allclose(v["white_space"], [20_000, 180_000, np.nan])
    np.testing.assert_allclose(v["wallet_headroom"], [16.7, 90.0, np.nan])
    np.testing.assert_allclose(v["margin_rate"], [0.3, 0.3, -0.1])
    np.testing.assert_allclose(v["margin_trend"], [0.0, 0.8, 0.2])
    np.testing.assert_allclose(v["customer_lifetime_value"], [80_000, 25_000, np.nan])
    np.testing.assert_allclose(v["buying_center_coverage"], [0.0, 0.5, np.nan])
    np.testing.assert_allclose(v["champions"], [0, 1, np.nan])
    np.testing.assert_allclose(v["payment_discipline"], [-11, 5, np.nan])
    np.testing.assert_allclose(v["fascination"], [0.0, 2 / 3, np.nan])
    np.testing.assert_allclose(v["fascination_breadth"], [0, 2, np.nan])
    np.testing.assert_allclose(v["new_offerings"], [1, np.nan, np.nan])  # A-2 in 24 months


def test_the_cli_ranks_by_the_formula_and_writes_a_typed_excel_file(
    portfolio, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "growth.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "select-customers",
            "--goal",
            "growth",
            "--limit",
            "2",
            "--output",
            str(output),
            "--language",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Aufsteiger AG" in result.output
    assert "Klein KG" not in result.output  # only the top 2 are printed
    criteria = selection_criteria()
    weights = GOALS["growth"]
    expected = (
        sum(w * np.nan_to_num(percentile_ranks(criteria.values[k])) for k, w in weights.items())
        * 100
        / sum(weights.values())
    )
    sheet = openpyxl.load_workbook(output).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Rank", "Customer number", "Name", "Score")
    numbers = [row[1] for row in rows[1:]]
    assert numbers == [criteria.customers[i].number for i in np.argsort(-expected, kind="stable")]
    by_number = {row[1]: row for row in rows[1:]}
    for at, customer in enumerate(criteria.customers):
        assert by_number[customer.number][3] == pytest.approx(expected[at], abs=0.01)
        assert isinstance(by_number[customer.number][3], int | float)  # a number, not text
    # K2 leads every growth criterion it has a value for; equal contributions keep the
    # order of the weights
    assert by_number["K2"][4] == (
        "forecast growth: +50%, the highest of all customers; white space (potential − "
        "revenue): €180,000, the highest of all customers; share of wallet not yet won: 90%, "
        "the highest of all customers"
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref


def test_weights_can_be_changed_and_bad_ones_are_refused(portfolio) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    only_margin = runner.invoke(
        app,
        ["select-customers", "--goal", "profitability", "--weight", "margin_rate=1",
         *[part for name in ("future_margin", "margin_trend", "customer_lifetime_value",
                             "payment_discipline") for part in ("--weight", f"{name}=0")]],
    )  # fmt: skip
    assert only_margin.exit_code == 0, only_margin.output
    assert "Weights: margin_rate 1 " in only_margin.output
    refused = runner.invoke(app, ["select-customers", "--goal", "fame"])
    assert refused.exit_code == 1
    assert "unknown goal" in refused.output
    bad = runner.invoke(app, ["select-customers", "--goal", "growth", "--weight", "x"])
    assert bad.exit_code == 1
    assert "criterion=number" in bad.output


def test_the_page_ranks_for_the_goal_with_adjustable_weights(portfolio, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("management")
    page = client.get(reverse("portfolio:selection"), {"goal": "growth"})
    assert page.status_code == 200
    html = page.content.decode()
    # weights are machine numbers in the inputs (a German "1,5" is no number for the browser)
    assert 'name="w_wallet_headroom" value="1.5"' in html
    order = [html.index(name) for name in ("Aufsteiger AG", "Groß GmbH", "Klein KG")]
    assert order == sorted(order)  # K2 leads growth, as the formula says
    # all weight on the future value: the biggest forecast comes first
    weights = {f"w_{name}": "0" for name in GOALS["growth"]} | {"w_future_value": "1"}
    reranked = client.get(reverse("portfolio:selection"), {"goal": "growth", **weights})
    text = reranked.content.decode()
    assert text.index("Groß GmbH") < text.index("Aufsteiger AG")
    download = client.get(reverse("portfolio:selection-download"), {"goal": "profitability"})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet.cell(1, 1).value == "Rang"  # German headers for a German user
    assert isinstance(sheet.cell(2, 4).value, int | float)


def test_users_without_finance_access_may_not_rank_by_money(portfolio, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("service")
    assert client.get(reverse("portfolio:selection")).status_code == 403
    assert client.get(reverse("portfolio:selection-download")).status_code == 403
    assert reverse("portfolio:selection") not in client.get(reverse("home")).content.decode()


def test_the_api_gives_the_ranking_with_reasons_for_finance_users_only(
    portfolio, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for("management")
    answer = client.get("/api/selection/", {"goal": "growth", "limit": 2})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["goal"] == "growth"
    assert data["weights"] == GOALS["growth"]
    assert data["as_of"] == "2026-06-30"
    assert [c["number"] for c in data["customers"]] == ["K2", "K1"]
    top = data["customers"][0]
    assert sum(r["contribution"] for r in top["reasons"]) <= top["score"] + 0.01
    assert top["reasons"][0]["criterion"] == "future_growth"
    assert top["reasons"][0]["value"] == pytest.approx(0.5)
    switched = client.get(
        "/api/selection/", {"goal": "growth", "weights": "future_growth=0,white_space=0"}
    ).json()
    assert "future_growth" not in switched["weights"]
    bad = client.get("/api/selection/", {"goal": "growth", "weights": "luck=1"})
    assert bad.status_code == 400
    assert "luck" in bad.json()["detail"]
    assert api_client_for("service").get("/api/selection/").status_code == 403


def test_each_ranked_customer_carries_its_value_type_and_phase_into_every_output(
    portfolio, tmp_path: Path, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    CustomerValue.objects.filter(customer=portfolio["small"]).update(
        value_type="burr", lifecycle_phase="phase_out"
    )
    output = tmp_path / "growth.csv"
    options = ["select-customers", "--goal", "growth", "--include", "burr"]
    result = CliRunner().invoke(app, [*options, "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert {n: (r["value_type"], r["lifecycle_phase"]) for n, r in _csv(output).items()} == {
        "K1": ("steady", "mature"),
        "K2": ("steady", "mature"),
        "K3": ("burr", "phase_out"),
    }
    api = api_client_for("controller")
    answer = api.get("/api/selection/", {"goal": "growth", "include": "burr"}).json()
    assert {c["number"]: c["value_type"] for c in answer["customers"]}["K3"] == "burr"
    workbook = tmp_path / "growth.xlsx"
    CliRunner().invoke(app, [*options, "--output", str(workbook), "--language", "en"])
    sheet = list(openpyxl.load_workbook(workbook).active.iter_rows(values_only=True))
    assert sheet[0][5:7] == ("Value type", "Lifecycle phase")
    assert {row[1]: row[5] for row in sheet[1:]}["K3"] == "burr"  # the label, in English


def _csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return {row["customer_number"]: row for row in csv.DictReader(f)}


def test_growth_leaves_out_burr_and_lost_customers_unless_included(
    portfolio, tmp_path: Path, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    CustomerValue.objects.filter(customer=portfolio["small"]).update(value_type="burr")
    CustomerValue.objects.filter(customer=portfolio["big"]).update(lifecycle_phase="lost")
    output = tmp_path / "growth.csv"
    result = CliRunner().invoke(
        app, ["select-customers", "--goal", "growth", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert list(_csv(output)) == ["K2"]
    assert "Left out for growth: burr, lost" in result.output
    profitability = tmp_path / "profitability.csv"
    CliRunner().invoke(
        app, ["select-customers", "--goal", "profitability", "--output", str(profitability)]
    )
    assert sorted(_csv(profitability)) == ["K2", "K3"]  # a burr is ranked for profit
    api = api_client_for("controller")
    default = api.get("/api/selection/", {"goal": "growth"}).json()["customers"]
    assert [c["number"] for c in default] == ["K2"]
    both = api.get("/api/selection/?goal=growth&include=burr&include=lost").json()["customers"]
    assert sorted(c["number"] for c in both) == ["K1", "K2", "K3"]


def test_the_ranking_can_be_narrowed_to_value_types(portfolio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    CustomerValue.objects.filter(customer=portfolio["small"]).update(value_type="growth")
    output = tmp_path / "steady.csv"
    options = ["select-customers", "--goal", "growth", "--value-type", "steady"]
    result = CliRunner().invoke(app, [*options, "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = _csv(output)
    assert sorted(rows) == ["K1", "K2"]
    assert {row["value_type"] for row in rows.values()} == {"steady"}
    refused = CliRunner().invoke(
        app, ["select-customers", "--goal", "growth", "--value-type", "gold"]
    )
    assert refused.exit_code == 1
    assert "--value-type: gold ist unbekannt" in refused.output


def test_the_page_shows_each_ranked_customers_value_type_and_phase(portfolio, client_for) -> None:  # type: ignore[no-untyped-def]
    CustomerValue.objects.filter(customer=portfolio["small"]).update(value_type="shrinking")
    page = client_for("controller").get(reverse("portfolio:selection"), {"goal": "growth"})
    text = page.content.decode()
    assert text.count('data-testid="selection-type"') == 3
    assert "kb-type-shrinking" in text
    assert "Schrumpfung" in text
