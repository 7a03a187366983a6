"""The reason codes and numbers of the analytics core, on constructed judgements."""

from __future__ import annotations

import doctest
import json
import math
import time
from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kundenbild.analytics.config import ValueTypeConfig
from kundenbild.analytics.shapes import reasons as reasons_module
from kundenbild.analytics.shapes.reasons import REASON_CODES, reasons, season_months
from kundenbild.analytics.shapes.value_types import (
    BELL,
    BURR,
    CYCLICAL,
    GROWTH,
    INSUFFICIENT,
    SHRINKING,
    STEADY,
    Judgement,
)
from kundenbild.reason_text import REASON_CODES as WORDED_CODES

CONFIG = ValueTypeConfig()


def _judgement(rows: int, *, has_cost: bool = True, **columns: Any) -> Judgement:
    """A judgement of `rows` customers: zeros, one order each, except for `columns`."""
    values: dict[str, Any] = {}
    for field in fields(Judgement):
        if field.name == "has_cost":
            continue
        dtype = np.int64 if field.type == "IntArray" else np.float64
        values[field.name] = np.zeros(rows, dtype)
    values["orders"] = np.ones(rows, np.int64)
    for name, column in columns.items():
        values[name] = np.asarray(column, values[name].dtype)
    return Judgement(**values, has_cost=has_cost)


def _reasons(judgement: Judgement) -> list[tuple[str, dict[str, Any]]]:
    codes, values = reasons(judgement, CONFIG)
    return [
        (code, json.loads(numbers))
        for code, numbers in zip(codes.to_pylist(), values.to_pylist(), strict=True)
    ]


def test_every_code_of_the_core_can_be_worded() -> None:
    assert set(REASON_CODES) == set(WORDED_CODES)


def test_a_steady_level_that_moved_10_percent_is_not_called_stable() -> None:
    factors = [1.0, 1.05, 0.951, 1.1, 1.12, 0.7]
    judged = _reasons(
        _judgement(6, value_type=[STEADY] * 6, trend_months=[48] * 6, trend_factor=factors)
    )
    assert judged == [
        ("steady_flat", {"months": 48, "change_percent": 0}),
        ("steady_flat", {"months": 48, "change_percent": 5}),
        ("steady_flat", {"months": 48, "change_percent": -5}),
        ("steady_swings", {"months": 48, "change_percent": 10}),
        ("steady_swings", {"months": 48, "change_percent": 12}),
        ("steady_swings", {"months": 48, "change_percent": -30}),
    ]


def test_a_customer_without_orders_has_no_orders_whatever_its_type() -> None:
    judged = _reasons(_judgement(2, value_type=[GROWTH, INSUFFICIENT], orders=[0, 0]))
    assert judged == [("no_orders", {}), ("no_orders", {})]


def test_insufficient_history_quotes_the_minimum() -> None:
    judged = _reasons(_judgement(1, value_type=[INSUFFICIENT], history_months=[6], orders=[4]))
    assert judged == [
        (
            "insufficient_history",
            {
                "months": 6,
                "orders": 4,
                "min_months": CONFIG.min_history_months,
                "min_orders": CONFIG.min_orders,
            },
        )
    ]


def test_a_burr_quotes_its_margin_only_where_there_are_costs() -> None:
    columns = {
        "value_type": [BURR] * 2,
        "history_months": [48, 48],
        "monthly_revenue": [35.5, 1234.4],
        "value_share": [0.01234, 0.1],
        "value_percentile": [0.084, 0.3],
        "margin_rate": [0.031, math.nan],  # revenue netted to nothing: no margin rate
    }
    with_costs = _reasons(_judgement(2, **columns))
    assert with_costs[0] == (
        "burr",
        {
            "months": 48,
            "monthly_revenue": 36,
            "share_percent": 1.2,
            "percentile": 8,
            "margin_percent": 3,
        },
    )
    assert with_costs[1][0] == "burr_no_cost"
    without = _reasons(_judgement(2, has_cost=False, **columns))
    assert [code for code, _numbers in without] == ["burr_no_cost", "burr_no_cost"]
    assert without[0][1] == {
        "months": 48,
        "monthly_revenue": 36,
        "share_percent": 1.2,
        "percentile": 8,
    }
    assert without[1][1]["share_percent"] == 10.0  # one decimal, a float even when whole


def test_a_season_over_the_turn_of_the_year_reads_in_calendar_order() -> None:
    november_to_january = 1 << 10 | 1 << 11 | 1 << 0
    judged = _reasons(
        _judgement(
            3,
            value_type=[CYCLICAL] * 3,
            season_months=[november_to_january, 1 << 5 | 1 << 6, 1 << 2 | 1 << 8],
            season_share=[0.814, 0.5, 0.6],
            season_recurrence=[0.72, 1.3, -0.2],
            season_years=[4, 3, 5],
        )
    )
    assert judged[0] == (
        "cyclical",
        {"months": [11, 12, 1], "share_percent": 81, "recurrence_percent": 72, "years": 4},
    )
    assert judged[1][1]["months"] == [6, 7]
    assert judged[1][1]["recurrence_percent"] == 100  # clipped
    assert judged[2][1]["months"] == [3, 9]
    assert judged[2][1]["recurrence_percent"] == 0


def test_season_months_start_after_the_longest_gap() -> None:
    assert season_months(0) == []
    assert season_months(0xFFF) == list(range(1, 13))
    assert season_months(1 << 11) == [12]
    assert season_months(1 << 11 | 1 << 0 | 1 << 1) == [12, 1, 2]


def test_bell_growth_and_shrinking_quote_their_evidence() -> None:
    judged = _reasons(
        _judgement(
            4,
            value_type=[BELL, BELL, GROWTH, SHRINKING],
            rise_factor=[3.0, 2.46, 0, 0],
            peak_offset=[18, 7, 0, 0],
            fall_factor=[4.0, math.inf, 0, 0],
            trend_months=[0, 0, 48, 40],
            trend_factor=[0, 0, 2.84, 0.213],
            quarterly_change=[0, 0, 0.087, -0.125],
        )
    )
    assert judged == [
        ("bell", {"rise_factor": 3.0, "peak_months": 18, "now_percent": 25}),
        ("bell", {"rise_factor": 2.5, "peak_months": 7, "now_percent": 0}),
        ("growth", {"months": 48, "factor": 2.8, "quarterly_percent": 9}),
        ("shrinking", {"months": 40, "now_percent": 21, "quarterly_percent": 13}),
    ]


def test_the_values_stay_with_their_customers_and_ints_stay_ints() -> None:
    types = [GROWTH, STEADY, INSUFFICIENT, GROWTH, STEADY]
    judged = _reasons(
        _judgement(
            5,
            value_type=types,
            trend_months=[10, 20, 30, 40, 50],
            trend_factor=[2.0, 1.0, 1.0, 3.0, 1.0],
            history_months=[1, 2, 3, 4, 5],
        )
    )
    assert [code for code, _numbers in judged] == [
        "growth",
        "steady_flat",
        "insufficient_history",
        "growth",
        "steady_flat",
    ]
    assert [n.get("months") for _code, n in judged] == [10, 20, 3, 40, 50]
    assert all(type(n["months"]) is int for _code, n in judged)


def test_no_customers_give_empty_columns() -> None:
    codes, values = reasons(_judgement(0), CONFIG)
    assert (len(codes), len(values)) == (0, 0)


def _refuse(constant: str) -> None:
    raise AssertionError(f"not JSON: {constant}")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([STEADY, CYCLICAL, BELL, GROWTH, SHRINKING, BURR, INSUFFICIENT]),
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(0, 4095),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_any_evidence_gives_valid_json_with_finite_numbers(
    rows: list[tuple[int, float, int]],
) -> None:
    n = len(rows)
    number = np.array([r[1] for r in rows])
    judgement = _judgement(
        n,
        value_type=[r[0] for r in rows],
        season_months=[r[2] for r in rows],
        **{
            name: number
            for name in (
                "monthly_revenue",
                "value_share",
                "value_percentile",
                "margin_rate",
                "trend_factor",
                "quarterly_change",
                "rise_factor",
                "fall_factor",
                "season_recurrence",
                "season_share",
            )
        },
    )
    codes, values = reasons(judgement, CONFIG)
    for code, text in zip(codes.to_pylist(), values.to_pylist(), strict=True):
        assert code in REASON_CODES
        numbers = json.loads(text, parse_constant=_refuse)
        for value in numbers.values():
            assert all(math.isfinite(v) for v in (value if isinstance(value, list) else [value]))


def test_a_hundred_thousand_customers_take_well_under_a_second() -> None:
    rng = np.random.default_rng(3)
    n = 100_000
    judgement = _judgement(
        n,
        value_type=rng.integers(0, 7, n),
        orders=rng.integers(0, 40, n),
        season_months=rng.integers(0, 4096, n),
        trend_factor=rng.uniform(0.2, 5, n),
        fall_factor=rng.uniform(1, 9, n),
        margin_rate=rng.uniform(-0.1, 0.5, n),
    )
    reasons(judgement, CONFIG)
    start = time.perf_counter()
    codes, _values = reasons(judgement, CONFIG)
    assert time.perf_counter() - start < 1.0
    assert len(codes) == n


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(reasons_module).failed == 0


@pytest.mark.parametrize("bits", [0b1, 0b110000000001, 0b011111111110])
def test_season_months_are_the_set_bits(bits: int) -> None:
    assert sorted(season_months(bits)) == [m for m in range(1, 13) if bits >> (m - 1) & 1]
