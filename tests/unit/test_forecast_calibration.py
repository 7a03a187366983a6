"""The internal backtest's rules, on constructed numbers: where its origin lies, which
model new customers get, their level, the band, and what a cut-off export looks like."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kundenbild.analytics.books import looks_truncated
from kundenbild.analytics.config import ForecastConfig
from kundenbild.analytics.forecast.calibration import (
    SEGMENTS,
    Calibration,
    backtest_origin,
    calibrate,
    segments,
)
from kundenbild.analytics.shapes.value_types import VALUE_TYPES

NEW_1_3 = SEGMENTS.index("new_1_3")
NEW_7_12 = SEGMENTS.index("new_7_12")
STEADY = VALUE_TYPES.index("steady")


def test_the_origin_lies_a_year_before_the_last_full_month() -> None:
    assert backtest_origin(date(2025, 12, 31), date(2021, 1, 1)) == (
        date(2024, 12, 31),
        date(2025, 12, 31),
    )
    # the as-of month is not full: the backtest ends with the month before
    assert backtest_origin(date(2010, 12, 9), date(2009, 12, 1)) == (
        date(2010, 2, 28),
        date(2010, 11, 30),
    )


def test_short_data_get_a_short_backtest_or_none() -> None:
    assert backtest_origin(date(1997, 9, 30), date(1997, 1, 1)) == (
        date(1997, 3, 31),
        date(1997, 9, 30),
    )
    assert backtest_origin(date(2025, 2, 28), date(2025, 1, 1)) is None
    assert backtest_origin(date(2025, 2, 28), None) is None


@given(
    st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    st.integers(min_value=0, max_value=200),
)
def test_the_origin_always_leaves_history_before_and_months_after(as_of: date, back: int) -> None:
    index = as_of.year * 12 + as_of.month - 1 - back
    start = date(index // 12, index % 12 + 1, 1)
    window = backtest_origin(as_of, start)
    if window is None:
        return
    origin, until = window
    assert start < origin < until <= as_of
    months = (until.year - origin.year) * 12 + until.month - origin.month
    assert 1 <= months <= 12
    history = (origin.year - start.year) * 12 + origin.month - start.month + 1
    assert history >= 3


def test_new_customers_fall_into_bands_by_months_of_history() -> None:
    value_type = np.full(6, STEADY)
    new = np.array([True, True, True, True, True, False])
    history = np.array([1, 3, 4, 6, 11, 40])
    assert [SEGMENTS[s] for s in segments(value_type, new, history)] == [
        "new_1_3",
        "new_1_3",
        "new_4_6",
        "new_4_6",
        "new_7_12",
        "steady",
    ]


def _backtest(
    n: int, actual: np.ndarray, forecasts: dict[str, np.ndarray], until: date
) -> Calibration:
    segment = np.full(n, NEW_1_3)
    return calibrate(date(2024, 12, 31), until, segment, forecasts, actual, ForecastConfig())


def _models(n: int, **values: float) -> dict[str, np.ndarray]:
    base = {"last_12m": 100.0, "shape": 100.0, "bgnbd_truncated": 100.0, "cautious": 100.0}
    base.update(values)
    return {name: np.full(n, value) for name, value in {**base, "bgnbd": 100.0}.items()}


def test_a_whole_year_picks_the_new_customers_model_with_the_smallest_error() -> None:
    n = 60
    actual = np.full(n, 300.0)
    chosen = _backtest(n, actual, _models(n, shape=290.0), date(2025, 12, 31))
    assert chosen.models()[NEW_1_3] == "shape"
    # a few months favour whatever fits them: the configured fallback stays
    short = _backtest(n, actual, _models(n, shape=290.0), date(2025, 3, 31))
    assert short.models()[NEW_1_3] == ForecastConfig().model_new


def test_too_few_comparable_customers_keep_the_fallback_and_level_one() -> None:
    n = 10
    chosen = _backtest(n, np.full(n, 300.0), _models(n, shape=290.0), date(2025, 12, 31))
    assert chosen.models()[NEW_1_3] == ForecastConfig().model_new
    assert chosen.levels()[NEW_1_3] == 1.0


def test_the_new_customers_level_is_shrunk_and_bounded_and_never_borrowed() -> None:
    n = 30
    chosen = _backtest(n, np.full(n, 150.0), _models(n), date(2025, 12, 31))
    level = chosen.levels()[NEW_1_3]
    # actual / forecast = 1.5, shrunk with weight 30 / (30 + 30) in logs
    assert level == pytest.approx(1.5**0.5)
    far = _backtest(n, np.full(n, 10_000.0), _models(n), date(2025, 12, 31))
    assert far.levels()[NEW_1_3] == 2.0
    # a cohort of one age says nothing about another: the other bands stay at 1
    assert far.levels()[NEW_7_12] == 1.0
    assert far.levels()[STEADY] == 1.0


def test_the_band_holds_four_in_five_of_the_backtest() -> None:
    rng = np.random.default_rng(1)
    n = 2000
    forecast = rng.uniform(100, 1000, n)
    actual = forecast * rng.lognormal(0.0, 0.4, n)
    segment = np.full(n, STEADY)
    models = {
        name: forecast for name in ("last_12m", "shape", "bgnbd", "bgnbd_truncated", "cautious")
    }
    chosen = calibrate(
        date(2024, 12, 31), date(2025, 12, 31), segment, models, actual, ForecastConfig()
    )
    low, high = chosen.band(12.0)
    inside = (actual >= forecast * low[STEADY]) & (actual <= forecast * high[STEADY])
    assert inside.mean() == pytest.approx(0.8, abs=0.01)
    assert 0 < low[STEADY] < 1 < high[STEADY]


def test_where_many_buy_nothing_the_band_starts_at_nothing_and_still_holds_four_in_five() -> None:
    rng = np.random.default_rng(2)
    n = 2000
    forecast = np.full(n, 100.0)
    actual = np.where(rng.random(n) < 0.3, 0.0, forecast * rng.lognormal(0.0, 0.3, n))
    models = {
        name: forecast for name in ("last_12m", "shape", "bgnbd", "bgnbd_truncated", "cautious")
    }
    chosen = calibrate(
        date(2024, 12, 31), date(2025, 12, 31), np.full(n, STEADY), models, actual, ForecastConfig()
    )
    low, high = chosen.band(12.0)
    assert low[STEADY] == 0.0
    inside = (actual >= forecast * low[STEADY]) & (actual <= forecast * high[STEADY])
    assert inside.mean() == pytest.approx(0.8, abs=0.01)


@settings(max_examples=30, deadline=None)
@given(st.floats(1.0, 12.0), st.floats(1.0, 36.0))
def test_a_longer_horizon_narrows_the_band_towards_the_forecast(
    learnt: float, horizon: float
) -> None:
    origin = date(2024, 1, 31)
    until = (
        date(2024 + int(learnt) // 12, 1, 31) if learnt >= 12 else date(2024, 1 + int(learnt), 28)
    )
    n = 100
    forecast = np.full(n, 100.0)
    actual = forecast * np.linspace(0.5, 1.6, n)
    models = {
        name: forecast for name in ("last_12m", "shape", "bgnbd", "bgnbd_truncated", "cautious")
    }
    chosen = calibrate(origin, until, np.full(n, STEADY), models, actual, ForecastConfig())
    low_a, high_a = chosen.band(horizon)
    low_b, high_b = chosen.band(horizon * 2)
    assert low_a[STEADY] <= low_b[STEADY] <= 1.0 <= high_b[STEADY] <= high_a[STEADY]


def test_without_a_backtest_every_segment_keeps_its_configured_model() -> None:
    config = ForecastConfig(model_steady="last_12m")
    none = Calibration.none(config)
    assert none.models()[STEADY] == "last_12m"
    assert none.models()[NEW_1_3] == config.model_new
    assert np.isnan(none.band(12.0)[0]).all()
    assert none.as_dict()["origin"] is None


def _customers(first_orders: list[date]) -> pa.Table:
    return pa.table({"first_order": pa.array(first_orders, pa.date32())})


def test_an_export_cut_off_has_a_crowd_of_first_orders_in_its_first_month() -> None:
    start = date(2009, 12, 1)
    export = [date(2009, 12, 3)] * 100 + [date(2010, m, 5) for m in range(1, 6) for _ in range(30)]
    assert looks_truncated(_customers(export), start)
    cohort = [date(1997, m, 5) for m in (1, 2, 3) for _ in range(800)]
    assert not looks_truncated(_customers(cohort), date(1997, 1, 1))
