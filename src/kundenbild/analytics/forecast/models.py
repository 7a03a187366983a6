"""Future value: each customer's revenue over the coming months, by several models.

- `last_12m`: "the next twelve months bring what the last twelve brought": the revenue of
  the last twelve months (or of the months the data holds, if fewer) per month, carried
  forward. The baseline any forecast must beat.
- `bgnbd`: the purchase models alone, expected orders (BG/NBD) times expected order value
  (Gamma-Gamma). They take the first order seen as the start of the relationship, which
  a B2B export, cut off at some date, breaks for most customers.
- `bgnbd_truncated`: the same with the BG/NBD that knows left-truncated customers
  (`clv.purchase_models.PurchaseModels.truncated`), the first order's value counted.
- `shape`: the customer's own recent level, moved the way its value type moves, times
  the purchase model's probability that the customer is still active. A trend is only
  continued with two years of history (a shorter one cannot tell a trend from the
  season): a shrinking customer's decline of the last two years and a bell customer's of
  the last 18 months continue; a growth customer grows on at a quarter of its recent
  pace (its rise may be a bell's before the peak), never faster than it grew in the last
  year nor than the portfolio's fastest tenth did. A cyclical customer repeats its
  season. Left-truncated customers are measured from the start of the data.
- `default`: per value type the configured model (`ForecastConfig.model_<type>`); for new
  customers the model the internal backtest found best for their history length
  (`calibration`). Never above `max_factor_of_last_12m` × the last twelve months plus
  `max_above_last_12m`, and with an 80 % band learnt in the same backtest.

Everything works on a chunk of customers at once, on the dense monthly arrays of
`shapes.history.MonthlyValues`, and returns cumulative revenue at a few horizons ("marks",
in months, fractions allowed), from which the 12-month figures, an evaluation horizon and
the yearly steps of the customer lifetime value are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import ForecastConfig
from kundenbild.analytics.forecast.calibration import Calibration
from kundenbild.analytics.forecast.horizon import Horizon
from kundenbild.analytics.glm import poisson_fit
from kundenbild.analytics.shapes.history import MonthlyValues, history_bounds
from kundenbild.analytics.shapes.value_types import BELL, CYCLICAL, GROWTH, SHRINKING, Judgement

Array = npt.NDArray[np.float64]

MODELS = ("last_12m", "bgnbd", "bgnbd_truncated", "shape", "cautious")


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
    portfolio_growth: float  # the portfolio's fast growers' last year / the year before


@dataclass(frozen=True)
class Timing:
    """Where the forecast starts: the as-of day's place in its month, and its calendar
    month; the chunk's monthly arrays end with the as-of month."""

    as_of_month_fraction: float  # share of the as-of month up to and including the day
    as_of_month_of_year: int  # 1-12

    @classmethod
    def of(cls, as_of: date) -> Timing:
        return cls(as_of_month_fraction(as_of), as_of.month)


def as_of_month_fraction(as_of: date) -> float:
    """Share of the as-of month up to and including the as-of day."""
    following = (as_of.replace(day=28) + timedelta(days=4)).replace(day=1)
    days_in_month = (following - as_of.replace(day=1)).days
    return as_of.day / days_in_month


@dataclass(frozen=True)
class Forecasts:
    """Cumulative revenue at each mark (customers × marks): every model, the default and
    the default's band."""

    models: dict[str, Array]
    default: Array
    low: Array
    high: Array


def forecast(
    values: MonthlyValues,
    judgement: Judgement,
    purchases: Purchases,
    marks: tuple[float, ...],
    timing: Timing,
    config: ForecastConfig,
    calibration: Calibration,
    segment: npt.NDArray[np.int64],
) -> Forecasts:
    """Every model's forecast, and the default: per customer the model of its segment
    (`calibration.segments`), bounded by what its last twelve months make plausible."""
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
        # the smaller of two estimates that each overshoot in a known way: the run rate
        # where a cohort of new customers fades, the purchase model where most of them
        # buy once (a new customer's fallback without a backtest of a whole year)
        "cautious": np.minimum(run_rate, purchase_model),
    }
    results = {name: np.maximum(np.nan_to_num(value), 0.0) for name, value in results.items()}
    pick = np.array([MODELS.index(model) for model in calibration.models()])[segment]
    stacked = np.stack([results[name] for name in MODELS])
    default = np.take_along_axis(stacked, pick[None, :, None], axis=0)[0]
    default = default * calibration.levels()[segment][:, None]
    default = default * _bound(default, purchases, marks, config)[:, None]
    low, high = _band(default, values, segment, calibration, marks, config)
    return Forecasts(results, default, low, high)


def monthly_paths(result: Forecasts, horizon: Horizon) -> dict[str, Array]:
    """The default forecast and its band per coming month (differences of the cumulative
    marks 1 to 12)."""
    months = [horizon.index(float(m)) for m in range(1, 13)]

    def per_month(cumulative: Array) -> Array:
        picked = cumulative[:, months]
        steps: Array = np.diff(np.concatenate([np.zeros((len(picked), 1)), picked], axis=1), axis=1)
        return steps

    path = per_month(result.default)
    # the band of each month is the band of the year, shared out like the forecast
    twelve = result.default[:, horizon.index(12.0)]
    with np.errstate(invalid="ignore", divide="ignore"):
        low_share = np.where(twelve > 0, result.low[:, horizon.index(12.0)] / twelve, 1.0)
        high_share = np.where(twelve > 0, result.high[:, horizon.index(12.0)] / twelve, 1.0)
    return {
        "revenue": path,
        "low": path * low_share[:, None],
        "high": path * high_share[:, None],
    }


def _bound(
    default: Array, purchases: Purchases, marks: tuple[float, ...], config: ForecastConfig
) -> Array:
    """Per customer, the factor (at most 1) that keeps the next twelve months' forecast
    within `max_factor_of_last_12m` × the last twelve months + `max_above_last_12m`."""
    twelve = _at_month(default, marks, 12.0)
    ceiling = config.max_factor_of_last_12m * purchases.revenue_12m + config.max_above_last_12m
    result: Array = np.where(twelve > ceiling, ceiling / np.maximum(twelve, 1e-12), 1.0)
    return result


def _at_month(cumulative: Array, marks: tuple[float, ...], month: float) -> Array:
    """The cumulative forecast at `month`, interpolated between the marks around it."""
    grid = np.array([0.0, *marks])
    padded = np.concatenate([np.zeros((len(cumulative), 1)), cumulative], axis=1)
    if month >= grid[-1]:
        result: Array = padded[:, -1] * month / max(grid[-1], 1e-12)
        return result
    at = int(np.searchsorted(grid, month, side="right"))
    share = (month - grid[at - 1]) / (grid[at] - grid[at - 1])
    result = padded[:, at - 1] + share * (padded[:, at] - padded[:, at - 1])
    return result


def _band(
    default: Array,
    values: MonthlyValues,
    segment: npt.NDArray[np.int64],
    calibration: Calibration,
    marks: tuple[float, ...],
    config: ForecastConfig,
) -> tuple[Array, Array]:
    """The default's band at each mark: the backtest's ratios for the customer's segment,
    or, where none were learnt, the customer's own month-to-month swings over the last
    year, as if months were independent (normal approximation)."""
    recent = values.revenue[:, -12:]
    ordered = np.cumsum(recent != 0, axis=1) > 0  # from the first month with revenue on
    count = np.maximum(ordered.sum(axis=1), 1)
    mean = np.where(ordered, recent, 0.0).sum(axis=1) / count
    spread = np.sqrt(np.where(ordered, (recent - mean[:, None]) ** 2, 0.0).sum(axis=1) / count)
    z = float(_normal_quantile((1.0 + config.band_coverage) / 2.0))
    lows, highs = [], []
    for at, mark in enumerate(marks):
        low_ratio, high_ratio = calibration.band(mark)
        low_ratio, high_ratio = low_ratio[segment], high_ratio[segment]
        learnt = np.isfinite(low_ratio) & np.isfinite(high_ratio)
        width = z * spread * np.sqrt(mark)
        value = default[:, at]
        lows.append(np.where(learnt, value * np.nan_to_num(low_ratio), value - width))
        highs.append(np.where(learnt, value * np.nan_to_num(high_ratio), value + width))
    low, high = np.stack(lows, axis=1), np.stack(highs, axis=1)
    return np.maximum(low, 0.0), np.maximum(high, default)


def _normal_quantile(p: float) -> float:
    from scipy.special import ndtri

    return float(ndtri(p))


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

    # a trend needs two years of history: within one, the season looks like a trend
    long_enough = judgement.history_months >= config.trend_min_history_months
    # shrinking: the decline of the last two years continues; a bell's since its peak
    # shows in a shorter window
    for kind, window in ((SHRINKING, config.trend_months), (BELL, config.bell_trend_months)):
        rows = np.flatnonzero((judgement.value_type == kind) & long_enough)
        if len(rows) == 0:
            continue
        end_level, slope = _recent_trend(values, rows, timing, window)
        steps = np.cumsum(config.trend_damping ** np.arange(1, months + 1))
        factor = np.exp(np.clip(slope[:, None] * steps[None, :], *_log_cap(config)))
        # the type says which way the value moves: lumpy orders can tilt a two-year line
        # the other way, but a declining customer is not forecast above its run rate
        path[rows] = np.minimum(end_level[:, None] * factor, level[rows, None])
    rows = np.flatnonzero((judgement.value_type == GROWTH) & long_enough)
    if len(rows):
        path[rows] = level[rows, None] * _growth(values, rows, timing, purchases, config)[:, None]

    cyclical = judgement.value_type == CYCLICAL
    if cyclical.any():
        rows = np.flatnonzero(cyclical)
        season = _season_index(values.revenue[rows], timing, config)
        calendar = (timing.as_of_month_of_year - 1 + np.arange(1, months + 1)) % 12
        path[rows] = level[rows, None] * season[:, calendar]

    alive = np.clip(purchases.p_alive, 0.0, 1.0) if config.shape_uses_p_alive else np.ones(n)
    result: Array = path * alive[:, None]
    return result


def _growth(
    values: MonthlyValues,
    rows: npt.NDArray[np.intp],
    timing: Timing,
    purchases: Purchases,
    config: ForecastConfig,
) -> Array:
    """A growth customer's factor on its level: `growth_share` of the yearly growth of its
    last two years (in logs), at most its own growth of the last year and the portfolio's
    fast growers' (`Purchases.portfolio_growth`), never below 1."""
    _, slope = _recent_trend(values, rows, timing, config.trend_months)
    pace = np.exp(config.growth_share * 12.0 * np.maximum(slope, 0.0))
    last = values.revenue[rows, -12:].sum(axis=1)
    before = values.revenue[rows, -24:-12].sum(axis=1)
    own = np.where(before > 0, last / np.maximum(before, 1e-12), np.inf)
    bound = np.minimum(own, purchases.portfolio_growth)
    result: Array = np.maximum(np.minimum(pace, bound), 1.0)
    return result


def portfolio_growth(revenue: Array, history_months: Array, quantile: float) -> float:
    """The growth of the last year over the year before that a share `quantile` of the
    customers with two years of history did not exceed (infinite with too few of them)."""
    last = revenue[:, -12:].sum(axis=1)
    before = revenue[:, -24:-12].sum(axis=1)
    known = (history_months >= 24) & (before > 0) & (revenue.shape[1] >= 24)
    if known.sum() < 20:
        return float("inf")
    return float(np.quantile(last[known] / before[known], quantile))


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
