"""Future value: each customer's revenue over the coming months, by several models.

- `last_12m`: "the next twelve months bring what the last twelve brought": the revenue of
  the last twelve months (or of the months the data holds, if fewer) per month, carried
  forward. The baseline any forecast must beat.
- `bgnbd`: the purchase models alone, expected orders (BG/NBD) times expected order value
  (Gamma-Gamma). They take the first order seen as the start of the relationship, which
  a B2B export, cut off at some date, breaks for most customers.
- `bgnbd_truncated`: the same with the BG/NBD that knows left-truncated customers
  (`purchase_models.PurchaseModels.truncated`), the first order's value counted.
- `shape`: the customer's own recent level, moved the way its value type moves (a growth
  customer's trend of the last two years continues, damped hard; a shrinking customer's
  decline continues; a bell customer's decline of the last 18 months continues; a
  cyclical customer repeats its season), times the purchase model's probability that
  the customer is still active. Left-truncated customers are measured from the start of
  the data, not from their first order seen; new customers take `bgnbd_truncated`.
- `default`: per value type, the model that forecast best on holdouts
  (`ForecastConfig.model_<type>`, chosen with `kundenbild evaluate-forecast`).

Everything works on a chunk of customers at once, on the dense monthly arrays of
`value_types.MonthlyValues`, and returns cumulative revenue at a few horizons ("marks",
in months, fractions allowed), from which the 12-month figures, an evaluation horizon and
the yearly steps of the customer lifetime value are read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import ForecastConfig
from kundenbild.analytics.glm import poisson_fit
from kundenbild.analytics.value_types import (
    BELL,
    CYCLICAL,
    GROWTH,
    SHRINKING,
    VALUE_TYPES,
    Judgement,
    MonthlyValues,
    history_bounds,
)

Array = npt.NDArray[np.float64]

MODELS = ("last_12m", "bgnbd", "bgnbd_truncated", "shape")


@dataclass(frozen=True)
class Purchases:
    """What the purchase models and the engine say about each customer of a chunk."""

    p_alive: Array  # from the BG/NBD that knows left-truncated customers
    expected_orders: Array  # (customers, marks): that BG/NBD's orders up to each mark
    expected_orders_plain: Array  # the same from the plain BG/NBD of the papers
    order_value: Array  # Gamma-Gamma expected value of an order
    order_value_with_first: Array  # the same, counting the first order too
    revenue_12m: Array
    exposure_months: Array  # months of the last year the customer could be seen buying
    new: npt.NDArray[np.bool_]  # first order within the last year, after the data began
    data_months: float  # months of the last year the data covers (the baseline's span)


@dataclass(frozen=True)
class Timing:
    """Where the forecast starts: the as-of day's place in its month, and its calendar
    month; the chunk's monthly arrays end with the as-of month."""

    as_of_month_fraction: float  # share of the as-of month up to and including the day
    as_of_month_of_year: int  # 1-12


def forecast(
    values: MonthlyValues,
    judgement: Judgement,
    purchases: Purchases,
    marks: tuple[float, ...],
    timing: Timing,
    config: ForecastConfig,
) -> dict[str, Array]:
    """Cumulative revenue at each mark (customers × marks), for every model and the
    default, which picks per customer the model configured for its value type."""
    months = int(np.ceil(max(marks)))
    run_rate = (
        purchases.revenue_12m[:, None]
        / max(purchases.data_months, 1.0)
        * np.asarray(marks)[None, :]
    )
    purchase_model = purchases.expected_orders_plain * purchases.order_value[:, None]
    # without a fitted purchase model (no customer ordered twice) the run rate stands in
    purchase_model = np.where(np.isfinite(purchase_model), purchase_model, run_rate)
    shape = _at_marks(_shape_path(values, judgement, purchases, months, timing, config), marks)
    # a new customer's run rate since its first order counts that order over a few weeks
    # (one order in June makes twelve a year): the purchase model shrinks it properly, with
    # the first order's value counted (it tells a new B2B customer's size)
    truncated_model = purchases.expected_orders * purchases.order_value_with_first[:, None]
    truncated_model = np.where(np.isfinite(truncated_model), truncated_model, run_rate)
    shape[purchases.new] = truncated_model[purchases.new]
    results = {
        "last_12m": run_rate,
        "bgnbd": purchase_model,
        "bgnbd_truncated": truncated_model,
        "shape": shape,
    }
    chosen = np.array([MODELS.index(config.model_for(name)) for name in VALUE_TYPES])
    pick = chosen[judgement.value_type]
    stacked = np.stack([results[name] for name in MODELS])
    results["default"] = np.take_along_axis(stacked, pick[None, :, None], axis=0)[0]
    return {name: np.maximum(np.nan_to_num(value), 0.0) for name, value in results.items()}


def _at_marks(path: Array, marks: tuple[float, ...]) -> Array:
    """Cumulative sums of a monthly path at fractional month marks."""
    cumulative = np.concatenate([np.zeros((len(path), 1)), np.cumsum(path, axis=1)], axis=1)
    columns = []
    for mark in marks:
        whole = int(np.floor(mark))
        part = mark - whole
        value = cumulative[:, whole]
        if part > 0:
            value = value + part * path[:, whole]
        columns.append(value)
    return np.stack(columns, axis=1)


def _shape_path(
    values: MonthlyValues,
    judgement: Judgement,
    purchases: Purchases,
    months: int,
    timing: Timing,
    config: ForecastConfig,
) -> Array:
    """Expected revenue in each coming month (customers × months)."""
    n = len(judgement.value_type)
    level = purchases.revenue_12m / np.maximum(purchases.exposure_months, 1.0)
    path = np.repeat(level[:, None], months, axis=1)

    # growth and shrinking: the trend of the last two years; a bell's decline since its
    # peak shows in a shorter window. Growth is damped harder: it slows as it matures.
    for types, window, damping in (
        ((GROWTH,), config.trend_months, config.growth_damping),
        ((SHRINKING,), config.trend_months, config.trend_damping),
        ((BELL,), config.bell_trend_months, config.trend_damping),
    ):
        rows = np.flatnonzero(np.isin(judgement.value_type, types))
        if len(rows) == 0:
            continue
        end_level, slope = _recent_trend(values, rows, timing, window)
        steps = np.cumsum(damping ** np.arange(1, months + 1))
        factor = np.exp(np.clip(slope[:, None] * steps[None, :], *_log_cap(config)))
        trend = end_level[:, None] * factor
        # the type says which way the value moves: lumpy orders can tilt a two-year line
        # the other way, but a growth customer is not forecast below its run rate, nor a
        # declining one above it
        keep = np.maximum if types == (GROWTH,) else np.minimum
        path[rows] = keep(trend, level[rows, None])

    cyclical = judgement.value_type == CYCLICAL
    if cyclical.any():
        rows = np.flatnonzero(cyclical)
        season = _season_index(values.revenue[rows], timing, config)
        calendar = (timing.as_of_month_of_year - 1 + np.arange(1, months + 1)) % 12
        path[rows] = level[rows, None] * season[:, calendar]

    alive = np.clip(purchases.p_alive, 0.0, 1.0) if config.shape_uses_p_alive else np.ones(n)
    result: Array = path * alive[:, None]
    return result


def _log_cap(config: ForecastConfig) -> tuple[float, float]:
    cap = np.log(config.trend_max_factor)
    return -cap, cap


def _recent_trend(
    values: MonthlyValues, rows: npt.NDArray[np.intp], timing: Timing, months: int
) -> tuple[Array, Array]:
    """Log-linear level over the last `months` (quasi-Poisson, per month): the fitted
    level of the as-of month, per month, and the slope per month."""
    revenue = np.maximum(values.revenue[rows], 0.0)
    width = min(months, revenue.shape[1])
    y = revenue[:, -width:]
    first, _, _ = history_bounds(
        MonthlyValues(values.revenue[rows], values.cost[rows], values.orders[rows], 1)
    )
    start = np.maximum(first - (revenue.shape[1] - width), 0)
    exposure = (np.arange(width)[None, :] >= start[:, None]).astype(np.float64)
    exposure[:, -1] *= timing.as_of_month_fraction
    x = (np.arange(width, dtype=np.float64) - (width - 1))[None, :, None]
    design = np.concatenate([np.ones((len(rows), width, 1)), np.repeat(x, len(rows), 0)], axis=2)
    fit = poisson_fit(y, exposure, design)
    level: Array = np.exp(fit.beta[:, 0])
    slope: Array = fit.beta[:, 1]
    return level, slope


def _season_index(revenue: Array, timing: Timing, config: ForecastConfig) -> Array:
    """Per customer and calendar month (0 = January): the month's revenue over the last
    `season_years` full years against the mean month, blended with 1 by
    `season_shrinkage` so that one odd month is not repeated forever."""
    years = max(1, min(config.season_years, revenue.shape[1] // 12))
    width = years * 12
    block = np.maximum(revenue[:, -width:], 0.0)
    # the calendar month of each column, counting back from the as-of month
    calendar = (timing.as_of_month_of_year - 1 - np.arange(width)[::-1]) % 12
    index = np.zeros((len(revenue), 12))
    for month in range(12):
        index[:, month] = block[:, calendar == month].sum(axis=1)
    mean = index.sum(axis=1, keepdims=True) / 12.0
    raw = np.where(mean > 0, index / np.maximum(mean, 1e-12), 1.0)
    shrink = config.season_shrinkage
    result: Array = (1.0 - shrink) * raw + shrink
    return result


def margin_rate(revenue: Array, cost: Array, orders: Array, config: ForecastConfig) -> Array:
    """Each customer's contribution margin rate, shrunk towards the population's rate the
    fewer orders it has: w = orders / (orders + k), k = `margin_shrinkage_orders`."""
    total = float(revenue[revenue > 0].sum())
    population = float((revenue - cost)[revenue > 0].sum()) / total if total > 0 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(revenue > 0, (revenue - cost) / revenue, population)
    weight = orders / (orders + config.margin_shrinkage_orders)
    result: Array = weight * own + (1.0 - weight) * population
    return result


def lifetime_value(yearly_margin: Array, discount_rate: float) -> Array:
    """Discounted margin of the coming years (customers × years), each year's margin
    counted at the middle of the year."""
    years = yearly_margin.shape[1]
    factors = (1.0 + discount_rate) ** -(np.arange(years) + 0.5)
    result: Array = yearly_margin @ factors
    return result
