"""Selection by goal: the ranking follows the documented formula."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.analytics.selection import (
    CRITERIA,
    GOALS,
    SelectionError,
    percentile_ranks,
    select,
    weights_for,
)

NAN = float("nan")


def test_percentile_ranks_share_ties_and_keep_gaps() -> None:
    ranks = percentile_ranks(np.array([10.0, NAN, 30.0, 20.0, 20.0, 40.0]))
    np.testing.assert_allclose(ranks, [0.0, NAN, 0.75, 0.375, 0.375, 1.0])
    assert percentile_ranks(np.array([5.0, NAN]))[0] == 1.0
    assert np.isnan(percentile_ranks(np.array([NAN, NAN]))).all()


def test_growth_ranking_follows_the_formula_on_constructed_customers() -> None:
    """Four customers, the growth criteria chosen so that the score can be computed by
    hand: score = 100 * sum(w * percentile) / sum(w)."""
    values = {
        "future_growth": [0.30, 0.10, -0.20, 0.05],
        "white_space": [50_000, 200_000, NAN, 10_000],
        "wallet_headroom": [40.0, 80.0, NAN, 10.0],
        "future_value": [100_000, 40_000, 300_000, 20_000],
        "p_alive": [0.99, 0.95, 0.50, 0.99],
        "buying_center_coverage": [1.0, 0.5, 0.0, NAN],
    }
    selection = select("growth", values)
    weights = GOALS["growth"]
    by_hand = {
        "future_growth": [1, 2 / 3, 0, 1 / 3],
        "white_space": [0.5, 1, 0, 0],
        "wallet_headroom": [0.5, 1, 0, 0],
        "future_value": [2 / 3, 1 / 3, 1, 0],
        "p_alive": [5 / 6, 1 / 3, 0, 5 / 6],
        "buying_center_coverage": [1, 0.5, 0, 0],
    }
    expected = [
        100 * sum(weights[k] * by_hand[k][i] for k in weights) / sum(weights.values())
        for i in range(4)
    ]
    np.testing.assert_allclose(selection.scores, expected)
    assert selection.order.tolist() == list(np.argsort(-np.array(expected), kind="stable"))
    assert selection.order[0] == 1  # most white space, more growth than the big one

    reasons = selection.reasons(1, {k: np.asarray(v, float) for k, v in values.items()})
    assert [r.criterion for r in reasons] == ["white_space", "future_growth", "wallet_headroom"]
    assert reasons[0].value == 200_000
    assert sum(r.contribution for r in selection.reasons(1, values, top=6)) == pytest.approx(
        selection.scores[1]
    )


def test_weights_are_adjustable_and_checked() -> None:
    values = {"future_margin": [1.0, 2.0], "margin_rate": [0.5, 0.1]}
    only_rate = select(
        "profitability",
        values | _zeros(2),
        {
            "future_margin": 0,
            "margin_trend": 0,
            "customer_lifetime_value": 0,
            "payment_discipline": 0,
        },
    )
    assert only_rate.order.tolist() == [0, 1]
    assert only_rate.weights == {"margin_rate": GOALS["profitability"]["margin_rate"]}
    with pytest.raises(SelectionError, match="unknown goal"):
        weights_for("fame")
    with pytest.raises(SelectionError, match="unknown criterion"):
        weights_for("growth", {"luck": 1.0})
    with pytest.raises(SelectionError, match=">= 0"):
        weights_for("growth", {"white_space": -1.0})
    with pytest.raises(SelectionError, match="at least one"):
        weights_for("innovation", dict.fromkeys(GOALS["innovation"], 0.0))
    with pytest.raises(SelectionError, match="values missing"):
        select("innovation", {"fascination": [1.0]})


def _zeros(n: int) -> dict[str, list[float]]:
    return {name: [0.0] * n for name in CRITERIA if name not in ("future_margin", "margin_rate")}


def test_every_goal_uses_known_criteria() -> None:
    for weights in GOALS.values():
        assert set(weights) <= set(CRITERIA)
        assert all(w > 0 for w in weights.values())


@given(
    st.sampled_from(sorted(GOALS)),
    st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=30),
    st.integers(0, 29),
)
def test_a_better_value_never_lowers_a_score(goal: str, column: list[float], row: int) -> None:
    """Raising one customer's value of one criterion (all else equal) never lowers its
    score, and scores stay within 0..100."""
    n = len(column)
    row %= n
    rng = np.random.default_rng(n)
    values = {name: rng.normal(size=n) for name in GOALS[goal]}
    first = next(iter(GOALS[goal]))
    values[first] = np.asarray(column)
    before = select(goal, values).scores
    assert ((before >= 0) & (before <= 100 + 1e-9)).all()
    raised = dict(values)
    raised[first] = values[first].copy()
    raised[first][row] += 1.0 + abs(raised[first][row])
    after = select(goal, raised).scores
    assert after[row] >= before[row] - 1e-9
