"""Did coaching work? Focus and peer customers with known value paths over three analysis
runs: the effect figure, its sign, the peers chosen, and where the pages show it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kundenbild.accounts.models import User
from kundenbild.analytics.coaching_effect import EffectConfig
from kundenbild.customers.models import Customer
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.portfolio.effect import (
    MEASURED,
    NO_BASELINE,
    NO_RUN_SINCE,
    TOO_FEW_PEERS,
    coaching_effect,
)
from kundenbild.portfolio.models import CoachingFocus
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

AS_OF = (date(2025, 6, 30), date(2025, 12, 31), date(2026, 6, 30))
STARTED = date(2025, 7, 1)
# six steady small peers: revenue from about 100,000 €, each grows 4,000 to 6,000 € a run
# (mean 5,000 €), margin 1,000 € a run
PEER_GROWTH = (4_000, 5_000, 6_000, 4_000, 5_000, 6_000)
SIX_PEERS = EffectConfig(peers=6)


@pytest.fixture
def runs() -> list[AnalysisRun]:
    return [
        AnalysisRun.objects.create(
            as_of=as_of,
            status=RunStatus.DONE,
            finished_at=datetime(as_of.year, as_of.month, as_of.day, 23, tzinfo=UTC),
        )
        for as_of in AS_OF
    ]


def _customer(
    runs: list[AnalysisRun],
    revenue: tuple[float, ...],
    margin: tuple[float | None, ...] | None = None,
    *,
    value_type: str = "steady",
    size: str = "small",
    **fields: Any,
) -> Customer:
    """A customer with one value per run: its revenue (and margin) of the last 12 months."""
    customer = CustomerFactory(size_class=size, **fields)
    margins = margin or tuple(r * 0.3 for r in revenue)
    for run, rev, mar in zip(runs, revenue, margins, strict=True):
        CustomerValue.objects.create(
            run=run, customer=customer, value_type=value_type, lifecycle_phase="mature",
            reason_code="no_orders", abc_revenue="B", revenue_12m=Decimal(rev),
            contribution_margin_12m=None if mar is None else Decimal(mar),
        )  # fmt: skip
    return customer


def _peers(runs: list[AnalysisRun]) -> list[Customer]:
    return [
        _customer(
            runs,
            (start, start + growth, start + 2 * growth),
            (30_000, 31_000, 32_000),
            name=f"Vergleich {i}",
        )
        for i, (start, growth) in enumerate(
            zip((96_000, 98_000, 100_000, 102_000, 104_000, 106_000), PEER_GROWTH, strict=True)
        )
    ]


def _focus(customer: Customer, goal: str, users: dict[str, Any], **fields: Any) -> CoachingFocus:
    values = {"started_on": STARTED, "review_on": date(2026, 9, 30)} | fields
    return CoachingFocus.objects.create(customer=customer, goal=goal, owner=users["kam"], **values)


@pytest.fixture
def world(runs, users) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A grower and a loser in focus, their six peers, and customers that must not be
    peers: another value type, another size, one in focus earlier."""
    _peers(runs)
    grower = _customer(
        runs, (100_000, 130_000, 160_000), (30_000, 36_000, 45_000), name="Aufsteiger AG"
    )
    loser = _customer(runs, (100_000, 90_000, 80_000), name="Absteiger KG")
    _customer(runs, (100_000, 400_000, 900_000), value_type="growth")
    _customer(runs, (100_000, 400_000, 900_000), size="large")
    once = _customer(runs, (100_000, 400_000, 900_000), name="Früher im Fokus")
    _focus(once, "innovation", users, started_on=date(2025, 1, 1), closed_on=date(2025, 3, 1))
    return {
        "grower": _focus(grower, "growth", users),
        "loser": _focus(loser, "profitability", users),
    }  # fmt: skip


def test_the_effect_is_the_change_beyond_the_peers_at_every_run_since_the_start(
    world, runs
) -> None:  # type: ignore[no-untyped-def]
    effect = coaching_effect(config=SIX_PEERS)
    grower = effect.by_focus[world["grower"].pk]
    assert grower.status == MEASURED
    assert grower.baseline == runs[0]
    assert [m.run for m in grower.measurements] == runs[1:]
    first, latest = grower.measurements
    assert first.peers == 6
    assert first.size_matched
    assert first.revenue is not None
    assert first.revenue.estimate == pytest.approx(30_000 - 5_000)
    assert first.revenue.peer_change == pytest.approx(5_000)
    assert latest.revenue is not None
    assert latest.revenue.estimate == pytest.approx(60_000 - 10_000)
    assert latest.revenue.verdict == "gain"
    assert latest.revenue.low > 0
    assert latest.margin is not None
    assert latest.margin.estimate == pytest.approx(15_000 - 2_000)
    assert grower.latest is latest


def test_a_customer_that_fell_behind_its_peers_has_a_negative_effect(world) -> None:  # type: ignore[no-untyped-def]
    effect = coaching_effect(config=SIX_PEERS)
    latest = effect.by_focus[world["loser"].pk].latest
    assert latest is not None
    assert latest.revenue is not None
    assert latest.revenue.estimate == pytest.approx(-20_000 - 10_000)
    assert latest.revenue.verdict == "loss"
    assert latest.revenue.high < 0


def test_each_goal_sums_the_latest_effects_of_its_foci(world, runs, users) -> None:  # type: ignore[no-untyped-def]
    second = _customer(runs, (98_000, 99_000, 118_000), name="Zweiter Aufsteiger")
    _focus(second, "growth", users)
    goals = {goal.goal: goal for goal in coaching_effect(config=SIX_PEERS).goals}
    growth = goals["growth"]
    assert (growth.foci, growth.measured) == (2, 2)
    assert growth.revenue is not None
    assert growth.revenue.estimate == pytest.approx(50_000 + (20_000 - 10_000))
    assert growth.revenue.low < growth.revenue.estimate < growth.revenue.high
    assert growth.margin is not None
    assert goals["profitability"].revenue is not None
    assert goals["profitability"].revenue.estimate == pytest.approx(-30_000)
    assert goals["innovation"].foci == 1  # the focus started before the first run
    assert goals["innovation"].revenue is None


def test_peers_are_never_in_focus_share_type_and_size_and_start_nearest(world, runs) -> None:  # type: ignore[no-untyped-def]
    """With room for ten peers, the six steady small ones and a far larger one are taken,
    never the other type, the other size, the one once in focus, nor the loser; with
    room for six, the far larger one is left out."""
    _customer(runs, (5_000_000, 9_000_000, 15_000_000), name="Riese")
    latest = coaching_effect().by_focus[world["grower"].pk].latest
    assert latest is not None
    assert latest.peers == 7
    assert latest.revenue is not None
    # the far larger peer grew 10,000,000 €: it alone moves the peers' mean
    assert latest.revenue.peer_change == pytest.approx((60_000 + 10_000_000) / 7)
    nearest = coaching_effect(config=SIX_PEERS).by_focus[world["grower"].pk].latest
    assert nearest is not None
    assert nearest.peers == 6
    assert nearest.revenue is not None
    assert nearest.revenue.peer_change == pytest.approx(10_000)


def test_too_few_peers_of_the_size_widen_the_match_to_every_size(runs, users) -> None:  # type: ignore[no-untyped-def]
    _peers(runs)
    medium = _customer(runs, (100_000, 150_000, 200_000), size="medium")
    focus = _focus(medium, "growth", users)
    latest = coaching_effect(config=SIX_PEERS).by_focus[focus.pk].latest
    assert latest is not None
    assert not latest.size_matched
    assert latest.peers == 6


def test_without_a_run_since_the_start_or_before_it_there_is_no_figure(world, runs, users) -> None:  # type: ignore[no-untyped-def]
    late = _focus(
        Customer.objects.get(name="Vergleich 0"), "growth", users, started_on=date(2026, 7, 15)
    )
    early = _focus(
        Customer.objects.get(name="Vergleich 1"), "growth", users, started_on=date(2025, 1, 1)
    )
    lonely = _focus(_customer(runs, (1.0, 2.0, 3.0), value_type="bell"), "innovation", users)
    effect = coaching_effect()
    assert effect.by_focus[late.pk].status == NO_RUN_SINCE
    assert effect.by_focus[early.pk].status == NO_BASELINE
    assert effect.by_focus[lonely.pk].status == TOO_FEW_PEERS
    assert effect.by_focus[late.pk].latest is None


def test_up_to_a_run_measures_only_the_runs_until_then(world, runs) -> None:  # type: ignore[no-untyped-def]
    upto = coaching_effect(up_to=runs[1]).by_focus[world["grower"].pk]
    assert [m.run for m in upto.measurements] == [runs[1]]  # the portfolio's chosen run
    assert upto.latest is not None
    assert upto.latest.revenue is not None
    assert upto.latest.revenue.estimate == pytest.approx(25_000)


def test_a_rerun_on_the_same_date_replaces_the_earlier_one(world, runs) -> None:  # type: ignore[no-untyped-def]
    rerun = AnalysisRun.objects.create(
        as_of=AS_OF[2], status=RunStatus.DONE, finished_at=datetime(2026, 7, 2, tzinfo=UTC)
    )
    for value in CustomerValue.objects.filter(run=runs[2]):
        value.pk, value.run = None, rerun
        value.save()
    grower = coaching_effect().by_focus[world["grower"].pk]
    assert [m.run for m in grower.measurements] == [runs[1], rerun]


@pytest.mark.parametrize(
    ("language", "words", "figure"),
    [("de", "Wirkung", "+50.000\u00a0€"), ("en", "Effect", "+€50,000")],
)
def test_the_coaching_list_and_the_portfolio_show_the_effect(  # type: ignore[no-untyped-def]
    world, users, client_for, language: str, words: str, figure: str
) -> None:
    users["kam"].language = language
    users["kam"].save()
    client = client_for("kam")
    listing = client.get(reverse("portfolio:focus-list")).content.decode()
    assert 'data-testid="coaching-effect"' in listing
    assert words in listing
    assert 'data-testid="focus-effect"' in listing
    assert 'data-testid="effect-runs"' in listing
    assert figure in listing
    portfolio = client.get(reverse("portfolio:portfolio")).content.decode()
    assert 'data-testid="portfolio-effect"' in portfolio
    assert words in portfolio
    assert 'data-testid="effect-goal-growth"' in portfolio
    assert figure in portfolio


def test_who_may_not_see_money_sees_no_effect(world, client_for) -> None:  # type: ignore[no-untyped-def]
    listing = client_for("service").get(reverse("portfolio:focus-list")).content.decode()
    assert "Aufsteiger AG" in listing
    assert 'data-testid="coaching-effect"' not in listing
    assert 'data-testid="focus-effect"' not in listing
    assert client_for("service").get(reverse("portfolio:portfolio")).status_code == 403


def test_the_api_gives_each_goal_and_focus_with_its_runs(world, runs, api_client_for) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for("controller")
    answer = client.get("/api/coaching/effect")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["level"] == 0.9
    growth = next(goal for goal in data["goals"] if goal["goal"] == "growth")
    assert growth["revenue"]["estimate"] == 50_000
    assert growth["revenue"]["verdict"] == "gain"
    grower = next(f for f in data["foci"] if f["focus_id"] == world["grower"].pk)
    assert grower["status"] == "measured"
    assert grower["baseline_as_of"] == "2025-06-30"
    assert [m["as_of"] for m in grower["measurements"]] == ["2025-12-31", "2026-06-30"]
    assert grower["measurements"][0]["revenue"]["estimate"] == 25_000
    assert grower["measurements"][1]["margin"]["estimate"] == 13_000
    earlier = client.get("/api/coaching/effect", {"run": runs[1].pk}).json()
    grower = next(f for f in earlier["foci"] if f["focus_id"] == world["grower"].pk)
    assert len(grower["measurements"]) == 1
    assert client.get("/api/coaching/effect", {"run": runs[2].pk + 99}).status_code == 404
    assert api_client_for("service").get("/api/coaching/effect").status_code == 403


def test_the_demo_shows_an_effect_for_its_coaching_foci() -> None:
    """As `kundenbild demo` loads it: foci started a year ago, a run as of their start,
    and the latest run."""
    from kundenbild.demo.loader import demo_coaching_baseline, load_demo
    from kundenbild.insights.services import run_analysis

    load_demo(customers=75, seed=42)
    foci = list(CoachingFocus.objects.all())
    assert len(foci) == 3
    assert {focus.goal for focus in foci} == {"growth", "profitability", "innovation"}
    assert {focus.started_on for focus in foci} == {demo_coaching_baseline()}
    for as_of in (demo_coaching_baseline(), None):
        run_analysis(as_of=as_of)
    effect = coaching_effect()
    assert all(focus.status == MEASURED for focus in effect.foci)
    assert all(goal.revenue is not None for goal in effect.goals if goal.foci)
    client = Client()
    client.force_login(User.objects.get(username="management"))  # the demo's own login
    listing = client.get(reverse("portfolio:focus-list")).content.decode()
    # revenue and margin of each goal and of each focus
    assert listing.count('data-testid="effect-figure"') == 3 * 2 + 3 * 2
