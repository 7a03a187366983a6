"""Which customers a goal ranks: the value types and phases it leaves out."""

from __future__ import annotations

import numpy as np

from kundenbild.analytics.selection import LEFT_OUT, candidates, select


def test_growth_leaves_out_burrs_and_lost_customers_and_include_puts_them_back() -> None:
    types, phases = ["steady", "burr", "growth", ""], ["mature", "mature", "lost", ""]
    assert candidates("growth", types, phases).tolist() == [True, False, False, True]
    assert candidates("growth", types, phases, include=["burr"]).tolist() == [
        True, True, False, True
    ]  # fmt: skip
    assert candidates("profitability", types, phases).tolist() == [True, True, False, True]


def test_only_types_narrows_to_those_types() -> None:
    types, phases = ["steady", "growth", "steady"], ["mature", "ramp_up", "lost"]
    assert candidates("growth", types, phases, only_types=["steady"]).tolist() == [
        True, False, False
    ]  # fmt: skip


def test_every_goal_says_what_it_leaves_out() -> None:
    from kundenbild.analytics.selection import GOALS

    assert set(LEFT_OUT) == set(GOALS)


def test_the_ranking_of_the_candidates_keeps_their_order_and_scores() -> None:
    others = {"wallet_headroom": 0, "future_value": 0, "p_alive": 0, "buying_center_coverage": 0}
    values = {"future_growth": [0.1, 0.9, 0.5], "white_space": [1, 3, 2]}
    selection = select("growth", values, others)
    eligible = np.array([True, False, True])
    assert selection.ranked(eligible).tolist() == [2, 0]
    assert selection.ranked().tolist() == [1, 2, 0]
