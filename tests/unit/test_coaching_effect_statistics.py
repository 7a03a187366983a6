"""The effect of a coaching focus against matched peers: difference in differences with a
bootstrap interval (kundenbild.analytics.coaching_effect)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.analytics import coaching_effect as module
from kundenbild.analytics.coaching_effect import (
    EffectConfig,
    focus_effect,
    match_peers,
    total_effect,
)

euros = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
peer_paths = st.lists(st.tuples(euros, euros), min_size=3, max_size=15)
FAST = EffectConfig(replicates=400)


def test_the_examples_in_the_docstrings_run() -> None:
    assert doctest.testmod(module).failed == 0


@given(before=euros, after=euros, peers=peer_paths, shift=euros)
def test_adding_a_constant_to_every_peers_change_shifts_the_effect_by_minus_it(
    before: float, after: float, peers: list[tuple[float, float]], shift: float
) -> None:
    b0, b1 = np.array(peers).T
    plain = focus_effect(before, after, b0, b1, config=FAST, seed=3)
    shifted = focus_effect(before, after, b0, b1 + shift, config=FAST, seed=3)
    assert plain is not None
    assert shifted is not None
    tolerance = 1e-6 * (1 + np.abs(np.array(peers)).max() + abs(shift) + abs(before) + abs(after))
    assert shifted.estimate == pytest.approx(plain.estimate - shift, abs=tolerance)
    assert shifted.low == pytest.approx(plain.low - shift, abs=tolerance)
    assert shifted.high == pytest.approx(plain.high - shift, abs=tolerance)


@given(before=euros, peers=peer_paths, lift=euros)
def test_a_customer_that_moved_like_its_peers_plus_a_lift_gets_the_lift_back(
    before: float, peers: list[tuple[float, float]], lift: float
) -> None:
    b0, b1 = np.array(peers).T
    after = before + float((b1 - b0).mean()) + lift
    effect = focus_effect(before, after, b0, b1, config=FAST)
    assert effect is not None
    scale = 1e-6 * (1 + np.abs(np.array(peers)).max() + abs(before) + abs(lift))
    assert effect.estimate == pytest.approx(lift, abs=scale)
    assert effect.low <= effect.estimate + scale
    assert effect.estimate - scale <= effect.high


def test_a_clear_lift_is_a_gain_a_clear_drop_a_loss_and_noise_unclear() -> None:
    rng = np.random.default_rng(0)
    b0 = rng.uniform(90_000, 110_000, 10)
    b1 = b0 + rng.normal(2_000, 1_000, 10)  # the peers grow by about 2,000 €
    gain = focus_effect(100_000.0, 112_000.0, b0, b1)
    loss = focus_effect(100_000.0, 92_000.0, b0, b1)
    like = focus_effect(100_000.0, 102_000.0, b0, b1)
    assert gain is not None
    assert loss is not None
    assert like is not None
    assert gain.estimate > 9_000
    assert gain.verdict == "gain"
    assert loss.estimate < -9_000
    assert loss.verdict == "loss"
    assert like.verdict == "unclear"
    assert like.low < 0 < like.high


def test_the_same_seed_gives_the_same_interval() -> None:
    b0, b1 = np.arange(5.0), np.arange(5.0) * 3
    first = focus_effect(0.0, 10.0, b0, b1, seed=(7, 8))
    again = focus_effect(0.0, 10.0, b0, b1, seed=(7, 8))
    assert first is not None
    assert again is not None
    assert (first.low, first.high) == (again.low, again.high)


def test_the_interval_narrows_with_less_spread_among_the_peers() -> None:
    b0 = np.zeros(10)
    wide = focus_effect(0.0, 100.0, b0, np.linspace(-500, 500, 10))
    narrow = focus_effect(0.0, 100.0, b0, np.linspace(-50, 50, 10))
    assert wide is not None
    assert narrow is not None
    assert narrow.high - narrow.low < (wide.high - wide.low) / 5


def test_too_few_peers_or_an_unknown_value_give_no_effect() -> None:
    assert focus_effect(0.0, 1.0, [0.0, 0.0], [1.0, 1.0]) is None
    assert focus_effect(0.0, 1.0, [0.0, 0.0, np.nan], [1.0, 1.0, 1.0]) is None  # 2 known
    assert focus_effect(np.nan, 1.0, [0.0] * 3, [1.0] * 3) is None  # no margin known


def test_the_total_of_a_goal_sums_the_effects_and_widens_less_than_their_sum() -> None:
    b0 = np.zeros(10)
    b1 = np.linspace(-100, 100, 10)
    effects = [focus_effect(0.0, lift, b0, b1, seed=i) for i, lift in enumerate([50, 80, 20])]
    assert all(effects)
    total = total_effect([e for e in effects if e is not None])
    assert total is not None
    assert total.estimate == pytest.approx(150.0)
    assert total.mean == pytest.approx(50.0)
    assert total.customers == 3
    widths = sum(e.high - e.low for e in effects if e is not None)
    assert total.low < 150.0 < total.high
    assert total.high - total.low < widths  # independent chances partly cancel
    assert total_effect([]) is None


def test_peers_share_the_value_type_and_size_and_are_the_nearest_by_start() -> None:
    types = ["steady", "steady", "steady", "steady", "growth", "steady", "steady"]
    sizes = ["small", "small", "small", "small", "small", "large", "small"]
    starts = [10_000.0, 12_000.0, 500_000.0, 9_000.0, 10_000.0, 10_000.0, 11_000.0]
    peers = match_peers("steady", "small", 10_000.0, types, sizes, starts, EffectConfig(peers=3))
    assert peers.size_matched
    assert sorted(peers.rows.tolist()) == [0, 3, 6]  # not the growth one, not the large one


def test_the_size_is_left_out_of_the_match_when_too_few_share_it() -> None:
    types = ["steady"] * 5
    sizes = ["large", "large", "medium", "medium", ""]
    peers = match_peers("steady", "", 100.0, types, sizes, [100.0, 1e6, 90.0, 120.0, 100.0])
    assert not peers.size_matched
    assert set(peers.rows.tolist()) == {0, 1, 2, 3, 4}
    blank = match_peers("steady", "", 100.0, types, sizes, [1.0] * 5, EffectConfig(min_peers=1))
    assert blank.size_matched
    assert blank.rows.tolist() == [4]


def test_a_customer_of_a_type_nobody_else_has_has_no_peers() -> None:
    peers = match_peers("burr", "small", 1.0, ["steady"] * 4, ["small"] * 4, [1.0] * 4)
    assert peers.rows.tolist() == []
