"""The shape of each customer's value over time, and where in its life it is now.

Works on dense monthly arrays (customers × months) for a chunk of customers at once; the
decision order and every threshold are documented in `docs/value-types.md` and set in
`config.ValueTypeConfig`. Shapes are judged on calendar months whatever the time unit of
the period table, so that seasons and budget months stay visible.

Decision order (DOMAIN.md): too little history → burr → cyclical → bell → growth /
shrinking → steady. Each decision weighs evidence against the customer's own noise
rather than comparing one number with a fixed cut: a calendar pattern must recur in
years it was not fitted on, a trend must stand out from the quarter-to-quarter swings.
The evidence behind each decision is returned with it, so that the reason shown to the
user names the numbers the rule looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import PhaseConfig, ValueTypeConfig
from kundenbild.analytics.glm import poisson_fit

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

VALUE_TYPES = ("steady", "cyclical", "bell", "growth", "shrinking", "burr", "insufficient_history")
PHASES = ("ramp_up", "mature", "phase_out", "lost")
STEADY, CYCLICAL, BELL, GROWTH, SHRINKING, BURR, INSUFFICIENT = range(7)
RAMP_UP, MATURE, PHASE_OUT, LOST = range(4)


@dataclass(frozen=True)
class MonthlyValues:
    """A chunk of customers: revenue, cost and orders per calendar month.

    Column 0 is the first month of the data (the start of the export), the last column the
    month of the as-of date. `first_month_of_year` is that first column's month (1-12).
    """

    revenue: Array
    cost: Array
    orders: Array
    first_month_of_year: int
    has_cost: bool = True


@dataclass(frozen=True)
class Portfolio:
    """What a customer is compared with: the customers with enough history to judge.

    `monthly_revenue_levels` holds their mean monthly revenues, sorted, so that a
    customer's place in the portfolio (its percentile) can be looked up.
    """

    median_monthly_revenue: float
    median_margin_rate: float
    monthly_revenue_levels: Array

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


def history_bounds(values: MonthlyValues) -> tuple[IntArray, IntArray, BoolArray]:
    """First and last month with an order, and whether the customer has any order."""
    ordered = values.orders > 0
    months = ordered.shape[1]
    has: BoolArray = np.asarray(ordered.any(axis=1))
    first = np.where(has, ordered.argmax(axis=1), months - 1).astype(np.int64)
    last = np.where(has, months - 1 - ordered[:, ::-1].argmax(axis=1), months - 1).astype(np.int64)
    return first, last, has


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
    n, months = values.revenue.shape
    first, last, has = history_bounds(values)
    history = np.where(has, months - first, 0)
    active = np.where(has, last - first + 1, 0)
    orders = values.orders.sum(axis=1).astype(np.int64)
    revenue_total = values.revenue.sum(axis=1)
    monthly = revenue_total / np.maximum(history, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        margin_rate = np.where(
            revenue_total > 0, (revenue_total - values.cost.sum(axis=1)) / revenue_total, np.nan
        )
    if not values.has_cost:
        margin_rate = np.full(n, np.nan)
    with np.errstate(over="ignore"):  # a median of a few cents: huge shares are fine
        share = (
            monthly / portfolio.median_monthly_revenue
            if portfolio.median_monthly_revenue > 0
            else np.full(n, np.inf)
        )
    since_last = np.where(has, months - 1 - last, 0)
    rhythm = np.where(orders > 1, (active - 1) / np.maximum(orders - 1, 1), float(months))

    insufficient = (
        (~has)
        | (history < config.min_history_months)
        | (orders < config.min_orders)
        | (revenue_total <= 0)
    )
    coverage = _quarter_coverage(values.orders, first, history)
    percentile = portfolio.percentile(monthly)
    burr = _burr(history, coverage, share, percentile, margin_rate, portfolio, config)
    # a customer whose first order is not in the data's first month may still be ramping up
    settled = first.copy()
    late = np.flatnonzero(first > 0)
    if len(late):
        settled[late] = _settled_start(values.revenue[late], first[late], last[late], config)
    # a customer still buying is watched to the as-of date, one that stopped to its last
    # order: its silence since is its phase (lost), not a season
    end = np.where(since_last < 12, months - 1, last)
    season = _season_of(values, first, end, config)
    cyclical = (
        (season.years >= 2)
        & (season.recurrence >= config.cyclical_min_recurrence)
        & (season.swing >= config.cyclical_min_swing)
    )
    # judged in half-years where orders come less often than every `lumpy_rhythm_months`
    width = np.where(rhythm >= config.lumpy_rhythm_months, 6, 3).astype(np.int64)
    trend = _trend(values.revenue, settled, last, width, config)
    bell = _bell(values.revenue, first, last, width, config)

    value_type = np.full(n, STEADY, dtype=np.int64)
    value_type[trend.shrinking] = SHRINKING
    value_type[trend.growth] = GROWTH
    value_type[bell.bell] = BELL
    value_type[cyclical] = CYCLICAL
    value_type[burr] = BURR
    value_type[insufficient] = INSUFFICIENT

    phase = _phase(values, value_type, history, since_last, rhythm, has, phases, p_alive)
    return Judgement(
        value_type=value_type,
        phase=phase,
        history_months=history.astype(np.int64),
        active_months=active.astype(np.int64),
        orders=orders,
        months_since_last_order=since_last.astype(np.int64),
        rhythm_months=rhythm,
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


@dataclass(frozen=True)
class _Season:
    recurrence: Array
    swing: Array
    months: IntArray
    share: Array
    years: IntArray


def _season_of(
    values: MonthlyValues, first: IntArray, end: IntArray, config: ValueTypeConfig
) -> _Season:
    """`_season` for the customers with history enough to hold a season twice; nothing
    recurs for the others."""
    n = len(first)
    season = _Season(
        np.zeros(n), np.zeros(n), np.zeros(n, np.int64), np.zeros(n), np.zeros(n, np.int64)
    )
    rows = np.flatnonzero(end - first + 1 >= config.cyclical_min_months)
    if len(rows):
        part = _season(
            values.revenue[rows], values.first_month_of_year, first[rows], end[rows], config
        )
        for name in ("recurrence", "swing", "months", "share", "years"):
            getattr(season, name)[rows] = getattr(part, name)
    return season


def _harmonic_projection(harmonics: tuple[int, ...]) -> Array:
    """The 12 × 12 matrix that keeps only the given harmonics of a calendar profile."""
    c = np.arange(12)
    projection = np.zeros((12, 12))
    for k in harmonics:
        for wave in (np.cos(2 * np.pi * k * c / 12), np.sin(2 * np.pi * k * c / 12)):
            projection += np.outer(wave, wave) * (2.0 / 12.0)
    return projection


def _season(
    revenue: Array,
    first_month_of_year: int,
    start: IntArray,
    end: IntArray,
    config: ValueTypeConfig,
) -> _Season:
    """How much of a customer's month-to-month swings a calendar pattern foretells.

    Each month's revenue is taken relative to the twelve months around it (so trends and
    level changes drop out) and laid out by customer year and calendar month. The
    calendar pattern is the mean of the other years, smoothed to its slow waves
    (`cyclical_harmonics`: periods of four months and more, so that ordering every two or
    three months, evenly over the year, is no pattern). `recurrence` is the share of the
    swings that the other years' pattern foretells in each year (leave one year out: a
    one-off order recurs in no other year); `swing` is the spread of the pattern itself.
    """
    n, months = revenue.shape
    positive = np.maximum(revenue, 0.0)
    t = np.arange(months)[None, :]
    span = end - start + 1
    inside = (t >= start[:, None]) & (t <= end[:, None])
    window_values = np.where(inside, positive, 0.0)
    cumulative = np.concatenate([np.zeros((n, 1)), np.cumsum(window_values, axis=1)], axis=1)
    window = np.clip(t - 6, start[:, None], np.maximum(end - 11, start)[:, None])
    window = np.clip(window, 0, max(months - 12, 0))
    level = (
        np.take_along_axis(cumulative, np.minimum(window + 12, months), axis=1)
        - np.take_along_axis(cumulative, window, axis=1)
    ) / 12.0
    judged = inside & (span[:, None] >= config.cyclical_min_months) & (level > 0)
    with np.errstate(over="ignore"):  # a level of a fraction of a cent: capped just below
        deviation = np.where(judged, positive / np.where(level > 0, level, 1.0) - 1.0, 0.0)
    deviation = np.minimum(deviation, config.cyclical_max_month_ratio - 1.0)

    # each customer's years from its own start, month j of a year its j-th month: the
    # harmonics are the same whichever calendar month a year starts with, so the
    # calendar is only needed to name the high months
    years_total = months // 12 + 1
    offset = (12 * np.arange(years_total)[:, None] + np.arange(12)[None, :]).ravel()
    index = start[:, None] + offset[None, :]
    usable = index < months
    index = np.minimum(index, months - 1)
    seen = (np.take_along_axis(judged, index, axis=1) & usable).astype(np.float64)
    by_year = np.take_along_axis(deviation, index, axis=1) * seen
    seen = seen.reshape(n, years_total, 12)
    by_year = by_year.reshape(n, years_total, 12)

    projection = _harmonic_projection(config.cyclical_harmonics)
    total = by_year.sum(axis=1, keepdims=True)
    count = seen.sum(axis=1, keepdims=True)
    others = np.where(count - seen > 0, (total - by_year) / np.maximum(count - seen, 1.0), 0.0)
    foretold = others @ projection
    waves = by_year @ projection
    covered = seen.sum(axis=2) >= 10  # a year's own slow waves need most of its months
    error = (covered * ((waves - foretold) ** 2).sum(axis=2)).sum(axis=1)
    spread = (covered * (waves**2).sum(axis=2)).sum(axis=1)
    recurrence = np.where(spread > 0, 1.0 - error / np.maximum(spread, 1e-12), 0.0)

    pattern = (np.where(count > 0, total / np.maximum(count, 1.0), 0.0) @ projection)[:, 0, :]
    swing = pattern.std(axis=1)
    high = pattern > 0  # by month of the customer's year
    in_high = np.take_along_axis(high, (t - start[:, None]) % 12, axis=1) & judged
    first_calendar = (first_month_of_year - 1 + start) % 12  # calendar month of j = 0
    by_calendar = np.take_along_axis(
        high, (np.arange(12)[None, :] - first_calendar[:, None]) % 12, 1
    )
    bits = (by_calendar * (1 << np.arange(12))).sum(axis=1).astype(np.int64)
    judged_revenue = np.where(judged, positive, 0.0).sum(axis=1)
    season_share = np.where(
        judged_revenue > 0,
        np.where(in_high, positive, 0.0).sum(axis=1) / np.maximum(judged_revenue, 1e-12),
        0.0,
    )
    years = (seen.sum(axis=2) >= 6).sum(axis=1).astype(np.int64)
    return _Season(recurrence, swing, bits, season_share, years)


@dataclass(frozen=True)
class _Trend:
    growth: BoolArray
    shrinking: BoolArray
    months: IntArray
    factor: Array
    z: Array
    quarterly: Array


@dataclass(frozen=True)
class _Blocks:
    """Revenue per block of a customer's life (a quarter, or a half-year for customers
    who order less often than every `lumpy_rhythm_months`), scaled to a mean of one per
    month: lumpy ordering every few months must not look like swings of the level."""

    y: Array
    exposure: Array  # months of the life in each block (0: outside)
    x: Array  # the block's centre as a fraction of the life
    span_months: Array
    width: IntArray  # months per block


def _blocks(
    revenue: Array, start: IntArray, last: IntArray, width: IntArray, cap: float
) -> _Blocks:
    """Blocks from `start` to `last`; a block above `cap` times the level of the blocks
    around it (a one-off project order) counts as `cap` times that level."""
    n, months = revenue.shape
    offset = np.arange(months)[None, :] - start[:, None]
    inside = (offset >= 0) & (np.arange(months)[None, :] <= last[:, None])
    blocks = months // 3 + 1
    block = np.where(inside, offset // width[:, None], blocks)
    # one flat bincount per measure: far faster than np.add.at
    cell = (np.arange(n)[:, None] * (blocks + 1) + block).ravel()
    size = n * (blocks + 1)
    y = _summed(cell, np.maximum(revenue, 0.0).ravel(), size).reshape(n, blocks + 1)
    exposure = _summed(cell, inside.ravel().astype(np.float64), size).reshape(n, blocks + 1)
    y, exposure = y[:, :blocks], exposure[:, :blocks]
    ceiling = cap * _neighbours_level(y / np.maximum(exposure, 1.0), exposure)
    y = np.where(exposure > 0, np.minimum(y, ceiling * np.maximum(exposure, 1e-12)), 0.0)
    scale = y.sum(axis=1, keepdims=True) / np.maximum(exposure.sum(axis=1, keepdims=True), 1e-12)
    span = np.maximum(last - start + 1, 1).astype(np.float64)
    centre = (
        np.arange(blocks)[None, :] * width[:, None] + np.minimum(exposure, width[:, None]) / 2.0
    )
    return _Blocks(
        y / np.maximum(scale, 1e-12),
        exposure,
        np.clip(centre / span[:, None], 0.0, 1.0),
        span,
        width,
    )


def _summed(cell: IntArray, weights: Array, size: int) -> Array:
    """The weights summed per cell, cells 0 to size - 1."""
    return np.asarray(np.bincount(cell, weights, size), dtype=np.float64)


def _neighbours_level(rate: Array, exposure: Array) -> Array:
    """Per block, the mean monthly rate of the (up to) four blocks around it, itself
    left out, so that a one-off order cannot raise its own yardstick; infinite where
    fewer than two neighbours lie inside the life or they bought nothing (no cap)."""
    inside = exposure > 0
    padded_rate = np.pad(np.where(inside, rate, 0.0), ((0, 0), (2, 2)))
    padded_in = np.pad(inside.astype(np.float64), ((0, 0), (2, 2)))
    total = sum(padded_rate[:, k : k + rate.shape[1]] for k in (0, 1, 3, 4))
    count = sum(padded_in[:, k : k + rate.shape[1]] for k in (0, 1, 3, 4))
    level: Array = np.where((count >= 2) & (total > 0), total / np.maximum(count, 1.0), np.inf)
    return level


def _trend(
    revenue: Array, settled: IntArray, last: IntArray, width: IntArray, config: ValueTypeConfig
) -> _Trend:
    """A log-linear trend of the level over the life after ramp-up, in quarters.

    The life ends at the last order: that a customer stopped is its phase (lost), not its
    shape. A trend counts when the level moved by more than a steady customer drifts
    (`trend_max_steady_drift`, as a factor over the whole life) even after taking off
    `trend_min_z` standard errors of the customer's own quarter-to-quarter noise
    (quasi-Poisson): the cut is the lower end of what the data allow, not the estimate.
    """
    life = _blocks(revenue, settled, last, width, config.trend_outlier_cap)
    line = poisson_fit(life.y, life.exposure, np.stack([np.ones_like(life.x), life.x], axis=-1))
    slope, se, span = line.beta[:, 1], line.se[:, 1], life.span_months
    z = slope / np.maximum(se, 1e-12)
    beyond = np.abs(slope) - config.trend_min_z * se >= np.log(config.trend_max_steady_drift)
    return _Trend(
        growth=beyond & (slope > 0),
        shrinking=beyond & (slope < 0),
        months=np.round(span).astype(np.int64),
        factor=np.exp(slope),
        z=z,
        quarterly=np.expm1(slope / np.maximum(span / 3.0, 1.0)),
    )


@dataclass(frozen=True)
class _Bell:
    bell: BoolArray
    peak_offset: IntArray  # months from the first order to the peak
    rise: Array  # peak level / level of the first half-year
    fall: Array  # peak level / level of the last half-year
    rise_z: Array  # the rise up to the peak, in standard errors
    fall_z: Array  # the fall after it, in standard errors (negative)


def _bell(
    revenue: Array, first: IntArray, last: IntArray, width: IntArray, config: ValueTypeConfig
) -> _Bell:
    """A clear rise to a peak in the middle, then a continuous decline.

    On the whole life from the first order, in quarters: the peak is the best half-year
    (two quarters); the rise compares it with the first half-year, the fall with the
    last. A rise that ends within `ramp_up_months` is a ramp-up, not the rise of a bell.
    Both slopes must stand clear of the noise: a line that bends at the peak (quasi-
    Poisson, rising before, falling after) with each slope `bell_min_z` standard errors
    from flat.
    """
    life = _blocks(revenue, first, last, width, config.trend_outlier_cap)
    full = life.exposure >= width[:, None]
    rate = life.y / np.maximum(life.exposure, 1.0)
    # the level of each half-year: two quarters, or one half-year block
    pair = np.where(full[:, 1:] & full[:, :-1], (rate[:, 1:] + rate[:, :-1]) / 2.0, -np.inf)
    single = np.where(full, rate, -np.inf)[:, : pair.shape[1]]
    half = np.where((width == 3)[:, None], pair, single)
    n = len(rate)
    if half.shape[1] == 0:
        empty = np.zeros(n)
        return _Bell(np.zeros(n, bool), np.zeros(n, np.int64), empty, empty, empty, empty)
    known = np.isfinite(half)
    top = np.where(known, half, -np.inf).argmax(axis=1)
    peak = np.take_along_axis(half, top[:, None], axis=1)[:, 0]
    last_known = np.where(known.any(axis=1), half.shape[1] - 1 - known[:, ::-1].argmax(axis=1), 0)
    start_level = half[:, 0]
    end_level = np.take_along_axis(half, last_known[:, None], 1)[:, 0]
    # a level of a fraction of a cent makes the ratio overflow to infinity, which is right
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rise = np.where(start_level > 0, peak / start_level, np.inf)
        fall = np.where(end_level > 0, peak / end_level, np.inf)
    peak_month = top * width + 3  # the middle of the best half-year
    interior = (
        (peak_month > config.ramp_up_months + 3)
        & (peak_month >= config.bell_min_peak_share * life.span_months)
        & (top < last_known)
    )
    shaped = interior & (rise >= config.bell_min_rise) & (fall >= config.bell_min_fall)
    # the slopes' evidence is fitted only where the levels already make a bell
    rise_z, fall_z = np.zeros(n), np.zeros(n)
    rows = np.flatnonzero(shaped)
    if len(rows):
        x = life.x[rows]
        at = np.clip(peak_month[rows] / life.span_months[rows], 0.05, 0.95)[:, None]
        design = np.stack([np.ones_like(x), np.minimum(x, at), np.maximum(x - at, 0.0)], -1)
        hinge = poisson_fit(life.y[rows], life.exposure[rows], design)
        rise_z[rows] = hinge.beta[:, 1] / np.maximum(hinge.se[:, 1], 1e-12)
        fall_z[rows] = hinge.beta[:, 2] / np.maximum(hinge.se[:, 2], 1e-12)
    bell = shaped & (rise_z >= config.bell_min_rise_z) & (fall_z <= -config.bell_min_fall_z)
    return _Bell(bell, peak_month.astype(np.int64), rise, fall, rise_z, fall_z)


def _phase(
    values: MonthlyValues,
    value_type: IntArray,
    history: IntArray,
    since_last: IntArray,
    rhythm: Array,
    has: BoolArray,
    config: PhaseConfig,
    p_alive: Array | None,
) -> IntArray:
    """lost (silent far longer than its rhythm) → ramp_up (young) → phase_out → mature."""
    last_year = values.revenue[:, -12:].sum(axis=1)
    year_before = values.revenue[:, -24:-12].sum(axis=1)
    silent = has & (since_last >= config.lost_min_months)
    if p_alive is not None:
        lost = silent & (p_alive < config.lost_max_p_alive)
    else:
        # one order gives no rhythm: a year of silence after it counts as lost
        rhythmic = np.where(
            rhythm < values.revenue.shape[1], config.lost_rhythm_factor * rhythm, 12.0
        )
        lost = silent & (since_last >= rhythmic)
    lost |= ~has
    young = history <= config.ramp_up_months
    declining = (value_type == SHRINKING) | (value_type == BELL)
    dropped = (
        (history >= 24)
        & (value_type != CYCLICAL)
        & (last_year <= (1 - config.phase_out_drop) * year_before)
    )
    phase = np.full(len(value_type), MATURE, dtype=np.int64)
    phase[declining | dropped] = PHASE_OUT
    phase[young] = RAMP_UP
    phase[lost] = LOST
    return phase
