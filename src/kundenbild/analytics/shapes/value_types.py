"""The shape of each customer's value over time, and where in its life it is now.

Works on dense monthly arrays (customers × months) for a chunk of customers at once; the
decision order and every threshold are documented in `docs/value-types.md` and set in
`config.ValueTypeConfig`. Shapes are judged on calendar months whatever the time unit of
the period table, so that seasons and budget months stay visible.

Decision order (DOMAIN.md): too little history → burr → cyclical → bell → growth /
shrinking → steady. Each decision weighs evidence against the customer's own noise
rather than comparing one number with a fixed cut: a calendar pattern must recur in
years it was not fitted on (`seasons`), a trend must stand out from the quarter-to-quarter
swings (`trends`). Burr, the one rule that compares a customer with the portfolio, is
here. The evidence behind each decision is returned with it (`Judgement`), so that the
reason shown to the user names the numbers the rule looked at; the phase (`phases`) is
judged in the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import PhaseConfig, ValueTypeConfig
from kundenbild.analytics.shapes.history import Life, MonthlyValues
from kundenbild.analytics.shapes.phases import phase_of
from kundenbild.analytics.shapes.seasons import season_of
from kundenbild.analytics.shapes.trends import Bell, Trend, bell_of, trend_of

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

VALUE_TYPES = ("steady", "cyclical", "bell", "growth", "shrinking", "burr", "insufficient_history")
STEADY, CYCLICAL, BELL, GROWTH, SHRINKING, BURR, INSUFFICIENT = range(7)


@dataclass(frozen=True)
class Portfolio:
    """What a customer is compared with: the customers with enough history to judge.

    `monthly_revenue_levels` holds their mean monthly revenues, sorted, so that a
    customer's place in the portfolio (its percentile) can be looked up.
    """

    median_monthly_revenue: float
    median_margin_rate: float
    monthly_revenue_levels: Array

    def share(self, monthly_revenue: Array) -> Array:
        """Mean monthly revenue against the median customer's (infinite if that is 0)."""
        with np.errstate(over="ignore"):  # a median of a few cents: huge shares are fine
            if self.median_monthly_revenue > 0:
                result: Array = monthly_revenue / self.median_monthly_revenue
                return result
            return np.full(len(monthly_revenue), np.inf)

    def percentile(self, monthly_revenue: Array) -> Array:
        """Share of the portfolio's customers whose mean monthly revenue is lower."""
        levels = self.monthly_revenue_levels
        if not len(levels):
            return np.zeros_like(monthly_revenue)
        # in cents: the engine's sums and the chunk's sums of the same months differ in
        # their last bits, which must not move a customer past itself
        cents = np.round(np.asarray(levels) * 100.0)
        result: Array = np.searchsorted(cents, np.round(monthly_revenue * 100.0), "left") / len(
            levels
        )
        return result


@dataclass(frozen=True)
class Judgement:
    """Per customer: type and phase codes plus the evidence the reasons quote."""

    value_type: IntArray
    phase: IntArray
    history_months: IntArray
    active_months: IntArray  # first to last order
    orders: IntArray
    months_since_last_order: IntArray
    rhythm_months: Array  # mean months between orders
    monthly_revenue: Array
    value_share: Array  # monthly revenue / the portfolio's median
    value_percentile: Array  # share of the portfolio's customers that are smaller
    margin_rate: Array  # NaN without costs
    quarter_coverage: Array  # share of the quarters of its history with an order
    trend_months: IntArray  # months the trend was measured over (after ramp-up)
    trend_factor: Array  # level at the end / level at the start of those months
    trend_z: Array  # the trend in standard errors (noise) from no change
    quarterly_change: Array  # mean change per quarter, as a fraction
    peak_offset: IntArray  # months from the first order to the peak (bell)
    rise_factor: Array
    fall_factor: Array
    rise_z: Array  # the rise up to the peak, in standard errors
    fall_z: Array  # the fall after the peak, in standard errors
    season_recurrence: Array  # share of the month-to-month swings the calendar foretells
    season_swing: Array  # relative size of the recurring calendar pattern
    season_months: IntArray  # bit m-1 set: calendar month m lies above the year's mean
    season_share: Array  # share of the revenue those months brought
    season_years: IntArray  # years of history the pattern was checked on
    has_cost: bool


def portfolio_of(monthly_revenue: Array, margin_rate: Array, enough: BoolArray) -> Portfolio:
    """The portfolio over the customers with enough history (all if none has)."""
    pick = enough if enough.any() else np.ones_like(enough)
    rates = margin_rate[pick]
    rates = rates[np.isfinite(rates)]
    levels = np.sort(monthly_revenue[pick])
    return Portfolio(
        median_monthly_revenue=float(np.median(levels)) if len(levels) else 0.0,
        median_margin_rate=float(np.median(rates)) if len(rates) else float("nan"),
        monthly_revenue_levels=levels,
    )


def judge(
    values: MonthlyValues,
    portfolio: Portfolio,
    config: ValueTypeConfig,
    phases: PhaseConfig,
    p_alive: Array | None = None,
) -> Judgement:
    """Type and phase of each customer of the chunk, with the evidence for both.

    `p_alive` is the purchase model's probability that each customer is still active;
    with it, a customer is lost exactly when that probability is below one half (and it
    has been silent for `lost_min_months`), so that the phase never contradicts the
    probability shown beside it. Without it, the silence against the customer's rhythm
    decides.
    """
    life = Life.of(values)
    monthly = life.revenue / np.maximum(life.history, 1)
    margin_rate = _margin_rate(values, life.revenue)
    share = portfolio.share(monthly)
    percentile = portfolio.percentile(monthly)
    coverage = _quarter_coverage(values.orders, life.first, life.history)
    burr = _burr(life.history, coverage, share, percentile, margin_rate, portfolio, config)
    # a customer still buying is watched to the as-of date, one that stopped to its last
    # order: its silence since is its phase (lost), not a season
    end = np.where(life.since_last < 12, values.revenue.shape[1] - 1, life.last)
    season = season_of(values, life.first, end, config)
    # judged in half-years where orders come less often than every `lumpy_rhythm_months`
    width = np.where(life.rhythm >= config.lumpy_rhythm_months, 6, 3).astype(np.int64)
    settled = _settled_starts(values, life, config)
    trend = trend_of(values.revenue, settled, life.last, width, config)
    bell = bell_of(values.revenue, life.first, life.last, width, config)
    value_type = _decided(life, burr, season.recurs(config), trend, bell, config)
    phase = phase_of(
        values,
        life,
        phases,
        p_alive,
        declining=(value_type == SHRINKING) | (value_type == BELL),
        cyclical=value_type == CYCLICAL,
    )
    return Judgement(
        value_type=value_type,
        phase=phase,
        history_months=life.history.astype(np.int64),
        active_months=life.active.astype(np.int64),
        orders=life.orders,
        months_since_last_order=life.since_last.astype(np.int64),
        rhythm_months=life.rhythm,
        monthly_revenue=monthly,
        value_share=share,
        value_percentile=percentile,
        margin_rate=margin_rate,
        quarter_coverage=coverage,
        trend_months=trend.months,
        trend_factor=trend.factor,
        trend_z=trend.z,
        quarterly_change=trend.quarterly,
        peak_offset=bell.peak_offset,
        rise_factor=bell.rise,
        fall_factor=bell.fall,
        rise_z=bell.rise_z,
        fall_z=bell.fall_z,
        season_recurrence=season.recurrence,
        season_swing=season.swing,
        season_months=season.months,
        season_share=season.share,
        season_years=season.years,
        has_cost=values.has_cost,
    )


def _decided(
    life: Life,
    burr: BoolArray,
    cyclical: BoolArray,
    trend: Trend,
    bell: Bell,
    config: ValueTypeConfig,
) -> IntArray:
    """Each customer's value type in the decision order of DOMAIN.md, read backwards: a
    later rule overrides an earlier one, so too little history wins over everything."""
    insufficient = (
        (~life.has)
        | (life.history < config.min_history_months)
        | (life.orders < config.min_orders)
        | (life.revenue <= 0)
    )
    value_type = np.full(len(life.has), STEADY, dtype=np.int64)
    value_type[trend.shrinking] = SHRINKING
    value_type[trend.growth] = GROWTH
    value_type[bell.bell] = BELL
    value_type[cyclical] = CYCLICAL
    value_type[burr] = BURR
    value_type[insufficient] = INSUFFICIENT
    return value_type


def _margin_rate(values: MonthlyValues, revenue: Array) -> Array:
    """Contribution margin I over the whole history, as a share of its revenue; NaN
    without revenue, and for everyone where the data have no costs."""
    if not values.has_cost:
        return np.full(len(revenue), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate: Array = np.where(revenue > 0, (revenue - values.cost.sum(axis=1)) / revenue, np.nan)
    return rate


def _settled_starts(values: MonthlyValues, life: Life, config: ValueTypeConfig) -> IntArray:
    """The month each customer's ramp-up ended (`_settled_start`): a customer whose first
    order is not in the data's first month may still be ramping up."""
    settled = life.first.copy()
    late = np.flatnonzero(life.first > 0)
    if len(late):
        settled[late] = _settled_start(
            values.revenue[late], life.first[late], life.last[late], config
        )
    return settled


def _quarter_coverage(orders: Array, first: IntArray, history: IntArray) -> Array:
    """Share of the quarters since the first order in which the customer ordered."""
    n, months = orders.shape
    offset = np.arange(months)[None, :] - first[:, None]
    quarter = np.where(offset >= 0, offset // 3, -1)
    quarters = np.maximum((history + 2) // 3, 1)
    rows, cols = np.nonzero((orders > 0) & (quarter >= 0))
    seen = np.zeros((n, months // 3 + 2), dtype=bool)
    seen[rows, quarter[rows, cols]] = True
    coverage: Array = seen.sum(axis=1) / quarters
    return coverage


def _burr(
    history: IntArray,
    coverage: Array,
    share: Array,
    percentile: Array,
    margin_rate: Array,
    portfolio: Portfolio,
    config: ValueTypeConfig,
) -> BoolArray:
    """Long and regular, of little value, and a minimal or negative margin.

    Two ways to be of little value: in the lower part of the portfolio (a percentile, so
    that it does not depend on how large the median customer is) with a margin of at
    most `burr_max_margin_rate`, or tiny next to the median customer with a thin margin
    (at most `burr_max_thin_margin_rate`, and at most a fraction of the portfolio's median
    rate, so that in a low-margin trade an ordinary margin is not thin).
    """
    thin = config.burr_max_thin_margin_rate
    if np.isfinite(portfolio.median_margin_rate):
        thin = min(thin, config.burr_relative_margin_rate * portfolio.median_margin_rate)
    known = np.isfinite(margin_rate)
    # without costs the margin cannot be judged: tiny, long and regular decide alone
    minimal = known & (margin_rate <= config.burr_max_margin_rate)
    thin_margin = np.where(known, margin_rate <= thin, True)
    little = ((percentile <= config.burr_max_value_percentile) & minimal) | (
        (share <= config.burr_max_value_share) & thin_margin
    )
    burr: BoolArray = (
        (history >= config.burr_min_months)
        & (coverage >= config.burr_min_quarter_coverage)
        & little
    )
    return burr


def _settled_start(
    revenue: Array, first: IntArray, last: IntArray, config: ValueTypeConfig
) -> IntArray:
    """The month a customer's ramp-up ends: where its three-month level first reaches
    `ramp_up_reached` of its best within the first `ramp_up_months` after its first order
    (not the best itself, which is as often a lucky month as the end of the ramp-up).

    A ramp-up is a short rise at the start; what rises for longer is a shape (growth, or
    the rise of a bell) and is judged after it.
    """
    n, months = revenue.shape
    positive = np.maximum(revenue, 0.0)
    cumulative = np.concatenate([np.zeros((n, 1)), np.cumsum(positive, axis=1)], axis=1)
    t = np.arange(months)[None, :]
    trailing = cumulative[:, 1:] - cumulative[:, np.maximum(t[0] - 2, 0)]  # months t-2..t
    ramp = config.ramp_up_months
    window = (t >= first[:, None] + 2) & (t <= np.minimum(first + ramp + 2, last)[:, None])
    early = np.where(window, trailing, -1.0)
    top = early.max(axis=1, keepdims=True)
    reached = (early >= config.ramp_up_reached * top) & window
    settled = np.where(window.any(axis=1), reached.argmax(axis=1) - 2, first)
    result: IntArray = np.clip(settled, first, np.minimum(first + ramp, last)).astype(np.int64)
    return result
