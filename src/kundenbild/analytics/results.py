"""The judged book as the tables the analysis returns: one row per customer, and with the
monthly forecast one row per customer and coming month.

Names and units of the columns are part of the analysis' interface (the files of
`analyze-file`, the app's stored values, docs/forecast.md): money in the data's currency
rounded to cents, margins empty where the data have no costs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from kundenbild.analytics.arrays import column_numbers
from kundenbild.analytics.books import Book
from kundenbild.analytics.clv.value import lifetime_value, margin_rate
from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.forecast.horizon import Horizon
from kundenbild.analytics.forecast.models import MODELS
from kundenbild.analytics.judging import Judged
from kundenbild.analytics.portfolio import abc_classes
from kundenbild.analytics.shapes.phases import PHASES
from kundenbild.analytics.shapes.value_types import INSUFFICIENT, VALUE_TYPES

Array = npt.NDArray[np.float64]


def result_tables(
    book: Book, judged: Judged, config: AnalysisConfig, horizon: Horizon
) -> tuple[pa.Table, pa.Table | None]:
    """One row per customer: type, phase, reason, figures of the last twelve months and
    the forecasts; with an evaluation every model's forecast and what really happened.
    With `horizon.monthly`, also each customer's forecast for every coming month."""
    columns = _columns(book, judged, config, horizon)
    if horizon.evaluation is not None:
        columns.update(_evaluation_columns(book, judged, horizon))
    paths = _forecast_paths(book, judged) if horizon.monthly else None
    return pa.table(columns), paths


def _columns(
    book: Book, judged: Judged, config: AnalysisConfig, horizon: Horizon
) -> dict[str, Any]:
    customers, has_cost = book.customers, book.has_cost
    revenue_total = column_numbers(customers, "revenue")
    orders_total = column_numbers(customers, "orders")
    revenue_12m = column_numbers(customers, "revenue_12m")
    orders_12m = column_numbers(customers, "orders_12m")
    margin_12m = revenue_12m - column_numbers(customers, "cost_12m")
    rate = margin_rate(
        revenue_total, column_numbers(customers, "cost"), orders_total, config.forecast
    )
    at_12 = horizon.index(12.0)
    forecast_12m = judged.default[:, at_12]
    expected_orders = _expected_orders(
        _orders_or_run_rate(judged.expected_orders, orders_12m, book.data_months),
        forecast_12m,
        revenue_12m,
        orders_12m,
        judged.exposure_months,
        judged.new,
    )
    abc = (config.abc_a_share, config.abc_b_share)
    return {
        "customer_id": customers.column("customer"),
        "value_type": _names(VALUE_TYPES, judged.value_type),
        "lifecycle_phase": _names(PHASES, judged.phase),
        # a code and its numbers (JSON); the words come through gettext (kundenbild.reason_text)
        "value_type_reason_code": judged.reason_code,
        "value_type_reason_values": judged.reason_values,
        "revenue_12m": _money(revenue_12m),
        "contribution_margin_12m": _money(margin_12m, known=has_cost),
        "abc_revenue": pa.array(abc_classes(revenue_12m, *abc)),
        "abc_margin": pa.array(abc_classes(margin_12m, *abc))
        if has_cost
        else pa.nulls(customers.num_rows, pa.string()),
        "first_order": customers.column("first_order"),
        "last_order": customers.column("last_order"),
        "orders_12m": pa.array(orders_12m.astype(np.int64)),
        "orders_total": pa.array(orders_total.astype(np.int64)),
        "revenue_total": pa.array(np.round(revenue_total, 2)),
        "has_shape": pa.array(judged.value_type != INSUFFICIENT),
        "forecast_revenue_12m": _money(forecast_12m),
        "forecast_revenue_12m_low": _money(judged.low[:, at_12]),
        "forecast_revenue_12m_high": _money(judged.high[:, at_12]),
        "forecast_margin_12m": _money(forecast_12m * rate, known=has_cost),
        "p_alive": pa.array(np.round(judged.p_alive, 4), pa.float64()),
        "expected_orders_12m": pa.array(np.round(expected_orders, 3), pa.float64()),
        "clv": _money(_lifetime_values(judged.default, rate, horizon, config), known=has_cost),
    }


def _evaluation_columns(book: Book, judged: Judged, horizon: Horizon) -> dict[str, Any]:
    """Every model's forecast up to the end of the evaluation, the default's band, and
    what really happened in that time."""
    assert horizon.evaluation is not None
    at = horizon.index(horizon.evaluation)
    customers = book.customers
    actual = column_numbers(customers, "actual_revenue")
    columns = {"forecast_default": _money(judged.default[:, at])}
    for name in MODELS:
        columns[f"forecast_{name}"] = _money(judged.models[name][:, at])
    columns["forecast_low"] = _money(judged.low[:, at])
    columns["forecast_high"] = _money(judged.high[:, at])
    columns["actual_revenue"] = _money(actual)
    columns["actual_margin"] = _money(
        actual - column_numbers(customers, "actual_cost"), known=book.has_cost
    )
    columns["actual_orders"] = pa.array(column_numbers(customers, "actual_orders").astype(np.int64))
    return columns


def _forecast_paths(book: Book, judged: Judged) -> pa.Table:
    """customer_id, month (1-12 after the as-of date), revenue and its band (low, high)."""
    customers = book.customers
    return pa.table(
        {
            "customer_id": pa.array(
                np.repeat(np.asarray(customers.column("customer").to_pylist(), object), 12),
                pa.string(),
            ),
            "month": pa.array(np.tile(np.arange(1, 13), customers.num_rows), pa.int32()),
            **{
                key: pa.array(np.round(judged.monthly[key].reshape(-1), 2), pa.float64())
                for key in ("revenue", "low", "high")
            },
        }
    )


def _names(names: tuple[str, ...], codes: npt.NDArray[np.int64]) -> pa.Array:
    return pa.array(np.array(names, dtype=object)[codes], pa.string())


def _money(values: Array, *, known: bool = True) -> pa.Array:
    """Amounts rounded to cents; empty where they are not `known` (a margin without
    costs in the data)."""
    if not known:
        return pa.nulls(len(values), pa.float64())
    return pa.array(np.round(values, 2), pa.float64())


def _lifetime_values(
    default: Array, rate: Array, horizon: Horizon, config: AnalysisConfig
) -> Array:
    """The default forecast's revenue of each coming year times the margin rate,
    discounted (`clv.value.lifetime_value`)."""
    years = [horizon.index(12.0 * y) for y in range(1, horizon.clv_years + 1)]
    start = np.zeros((len(default), 1))
    yearly = np.diff(np.concatenate([start, default[:, years]], axis=1), axis=1)
    return lifetime_value(yearly * rate[:, None], config.forecast.discount_rate)


def _expected_orders(
    purchase_model: Array,
    forecast_12m: Array,
    revenue_12m: Array,
    orders_12m: Array,
    exposure: Array,
    new: npt.NDArray[np.bool_],
) -> Array:
    """Orders expected in the next 12 months, consistent with the revenue forecast: the
    order rate of the last year, moved as the forecast moves the revenue (a growth
    customer forecast at +27 % is expected to order about 27 % more often). New customers,
    and customers without revenue in the last year, take the purchase model's number."""
    months = np.maximum(exposure, 1.0)
    run_rate = revenue_12m / months * 12.0
    with np.errstate(invalid="ignore", divide="ignore"):
        moved = orders_12m / months * 12.0 * forecast_12m / run_rate
    usable = ~new & (run_rate > 0) & np.isfinite(moved)
    result: Array = np.where(usable, moved, purchase_model)
    return result


def _orders_or_run_rate(expected: Array, orders_12m: Array, months: float) -> Array:
    """The purchase model's expected orders, or where it could not be fitted, the orders
    of the last twelve months (per month of data, for a year)."""
    run_rate = orders_12m / max(months, 1.0) * 12.0
    result: Array = np.where(np.isfinite(expected), expected, run_rate)
    return result
