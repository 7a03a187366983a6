"""The shape of each customer's value over time, and where in its life it is now.

Works on dense monthly arrays (customers × months) for a chunk of customers at once; the
decision order and every threshold are documented in `docs/value-types.md` and set in
`config.ValueTypeConfig`. Shapes are judged on calendar months whatever the time unit of
the period table, so that seasons and budget months stay visible.

Decision order (DOMAIN.md): too little history → burr → cyclical → bell → growth /
shrinking → steady. The evidence behind each decision is returned with it, so that the
reason shown to the user names the numbers the rule looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import PhaseConfig, ValueTypeConfig
from kundenbild.analytics.glm import Fit, poisson_fit

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

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
    """What a customer is compared with: the middle of all customers with enough history."""

    median_monthly_revenue: float
    median_margin_rate: float


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
    margin_rate: Array  # NaN without costs
    trend_factor: Array  # level at the end / level at the start
    quarterly_change: Array  # mean change per quarter, as a fraction
    peak_offset: IntArray  # months from the first order to the peak (bell)
    rise_factor: Array
    fall_factor: Array
    season_start: IntArray  # calendar month (1-12) the season starts
    season_share: Array
    season_years: IntArray
    years: IntArray
    has_cost: bool


def portfolio_of(
    monthly_revenue: Array, margin_rate: Array, enough: npt.NDArray[np.bool_]
) -> Portfolio:
    """The portfolio medians over the customers with enough history (all if none has)."""
    pick = enough if enough.any() else np.ones_like(enough)
    rates = margin_rate[pick]
    rates = rates[np.isfinite(rates)]
    return Portfolio(
        median_monthly_revenue=float(np.median(monthly_revenue[pick])) if pick.any() else 0.0,
        median_margin_rate=float(np.median(rates)) if len(rates) else float("nan"),
    )


def history_bounds(values: MonthlyValues) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """First and last month with an order, and whether the customer has any order."""
    ordered = values.orders > 0
    months = ordered.shape[1]
    has: npt.NDArray[np.bool_] = np.asarray(ordered.any(axis=1))
    first = np.where(has, ordered.argmax(axis=1), months - 1).astype(np.int64)
    last = np.where(has, months - 1 - ordered[:, ::-1].argmax(axis=1), months - 1).astype(np.int64)
    return first, last, has


def judge(
    values: MonthlyValues,
    portfolio: Portfolio,
    config: ValueTypeConfig,
    phases: PhaseConfig,
) -> Judgement:
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
    burr = _burr(values, first, history, monthly, share, margin_rate, portfolio, config)
    season_start, season_share, season_years, years = _season(values, first, config)
    cyclical = (
        (history >= config.cyclical_min_months)
        & (season_share >= config.cyclical_min_season_share)
        & (season_years >= 2)
    )
    trend = _trend(values, first, last, config)

    value_type = np.full(n, STEADY, dtype=np.int64)
    value_type[trend.shrinking] = SHRINKING
    value_type[trend.growth] = GROWTH
    value_type[trend.bell] = BELL
    value_type[cyclical] = CYCLICAL
    value_type[burr] = BURR
    value_type[insufficient] = INSUFFICIENT

    phase = _phase(values, value_type, history, since_last, rhythm, has, phases)
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
        margin_rate=margin_rate,
        trend_factor=trend.factor,
        quarterly_change=trend.quarterly,
        peak_offset=trend.peak_offset,
        rise_factor=trend.rise,
        fall_factor=trend.fall,
        season_start=season_start,
        season_share=season_share,
        season_years=season_years,
        years=years,
        has_cost=values.has_cost,
    )


def _burr(
    values: MonthlyValues,
    first: IntArray,
    history: IntArray,
    monthly: Array,
    share: Array,
    margin_rate: Array,
    portfolio: Portfolio,
    config: ValueTypeConfig,
) -> npt.NDArray[np.bool_]:
    """Long, regular, tiny next to the others, and a minimal or negative margin."""
    n, months = values.revenue.shape
    offset = np.arange(months)[None, :] - first[:, None]
    quarter = np.where(offset >= 0, offset // 3, -1)
    quarters = np.maximum((history + 2) // 3, 1)
    ordered = (values.orders > 0) & (quarter >= 0)
    rows, cols = np.nonzero(ordered)
    seen = np.zeros((n, months // 3 + 2), dtype=bool)
    seen[rows, quarter[rows, cols]] = True
    coverage = seen.sum(axis=1) / quarters
    median_rate = portfolio.median_margin_rate
    limit = config.burr_max_margin_rate
    if np.isfinite(median_rate):
        limit = max(limit, config.burr_relative_margin_rate * median_rate)
    # without costs the margin cannot be judged: tiny, long and regular decide alone
    low_margin = np.where(np.isfinite(margin_rate), margin_rate <= limit, True)
    burr: npt.NDArray[np.bool_] = (
        (history >= config.burr_min_months)
        & (coverage >= config.burr_min_quarter_coverage)
        & (share <= config.burr_max_value_share)
        & low_margin
    )
    return burr


def _season(
    values: MonthlyValues, first: IntArray, config: ValueTypeConfig
) -> tuple[IntArray, Array, IntArray, IntArray]:
    """The best run of `cyclical_season_months` calendar months, its share of the revenue,
    and in how many of the customer's years it held at least half of that year."""
    n, months = values.revenue.shape
    revenue = np.maximum(values.revenue, 0.0)
    offset = np.arange(months)[None, :] - first[:, None]
    inside = offset >= 0
    calendar = (values.first_month_of_year - 1 + np.arange(months)) % 12
    by_month = np.zeros((n, 12))
    for m in range(12):
        by_month[:, m] = np.where(inside[:, calendar == m], revenue[:, calendar == m], 0.0).sum(1)
    total = by_month.sum(axis=1)
    width = config.cyclical_season_months
    windows = np.stack(
        [by_month[:, [(s + i) % 12 for i in range(width)]].sum(axis=1) for s in range(12)], axis=1
    )
    start = windows.argmax(axis=1)
    share = np.where(total > 0, windows.max(axis=1) / np.maximum(total, 1e-12), 0.0)
    in_season = ((calendar[None, :] - start[:, None]) % 12) < width
    year = np.where(inside, offset // 12, 0)
    n_years = months // 12 + 1
    per_year = np.zeros((n, n_years))
    season_per_year = np.zeros((n, n_years))
    rows = np.repeat(np.arange(n), months)
    np.add.at(per_year, (rows, year.ravel()), np.where(inside, revenue, 0.0).ravel())
    np.add.at(
        season_per_year, (rows, year.ravel()), np.where(inside & in_season, revenue, 0.0).ravel()
    )
    years = (per_year > 0).sum(axis=1)
    strong = (season_per_year >= 0.5 * per_year) & (per_year > 0)
    return (
        (start + 1).astype(np.int64),
        share,
        strong.sum(axis=1).astype(np.int64),
        years.astype(np.int64),
    )


@dataclass(frozen=True)
class _Trend:
    growth: npt.NDArray[np.bool_]
    shrinking: npt.NDArray[np.bool_]
    bell: npt.NDArray[np.bool_]
    factor: Array
    quarterly: Array
    peak_offset: IntArray
    rise: Array
    fall: Array


@dataclass(frozen=True)
class _Quarters:
    """Revenue per quarter of a customer's life, scaled to a mean of one per month."""

    y: Array
    exposure: Array  # months of the life in each quarter (0: outside)
    x: Array  # the quarter's centre as a fraction of the life
    span_months: Array


def _quarters(revenue: Array, start: IntArray, last: IntArray) -> _Quarters:
    n, months = revenue.shape
    offset = np.arange(months)[None, :] - start[:, None]
    inside = (offset >= 0) & (np.arange(months)[None, :] <= last[:, None])
    quarters = months // 3 + 1
    block = np.where(inside, offset // 3, quarters)
    rows = np.repeat(np.arange(n), months)
    y = np.zeros((n, quarters + 1))
    exposure = np.zeros((n, quarters + 1))
    np.add.at(y, (rows, block.ravel()), np.maximum(revenue, 0.0).ravel())
    np.add.at(exposure, (rows, block.ravel()), inside.ravel().astype(np.float64))
    y, exposure = y[:, :quarters], exposure[:, :quarters]
    scale = y.sum(axis=1, keepdims=True) / np.maximum(exposure.sum(axis=1, keepdims=True), 1e-12)
    span = np.maximum(last - start + 1, 1).astype(np.float64)
    centre = np.arange(quarters)[None, :] * 3.0 + np.minimum(exposure, 3.0) / 2.0
    return _Quarters(
        y / np.maximum(scale, 1e-12), exposure, np.clip(centre / span[:, None], 0.0, 1.0), span
    )


@dataclass(frozen=True)
class _Bend:
    """The best single bend of the log level: log change before and after it."""

    before: Array
    after: Array
    at: Array  # fraction of the life
    evidence: Array  # deviance saved against the straight line, in dispersion units


def _bend(q: _Quarters, straight: Fit, breakpoints: tuple[float, ...]) -> _Bend:
    n = len(q.y)
    ones = np.ones_like(q.x)
    start = np.column_stack([straight.beta, np.zeros(n)])
    best = np.full(n, np.inf)
    at = np.zeros(n)
    before = np.zeros(n)
    after = np.zeros(n)
    for k in breakpoints:
        hinge = poisson_fit(
            q.y, q.exposure, np.stack([ones, q.x, np.maximum(0.0, q.x - k)], -1), start=start
        )
        better = hinge.deviance < best
        best[better] = hinge.deviance[better]
        at[better] = k
        before[better] = hinge.beta[better, 1] * k
        after[better] = (hinge.beta[better, 1] + hinge.beta[better, 2]) * (1 - k)
    evidence = (straight.deviance - best) / np.maximum(straight.dispersion, 1e-12)
    return _Bend(before, after, at, evidence)


def _straight(q: _Quarters) -> Fit:
    return poisson_fit(q.y, q.exposure, np.stack([np.ones_like(q.x), q.x], axis=-1))


def _trend(
    values: MonthlyValues, first: IntArray, last: IntArray, config: ValueTypeConfig
) -> _Trend:
    """Level over the active life in quarters: a log-linear trend and the best bend.

    The life ends at the last order: that a customer stopped is its phase (lost), not its
    shape. For growth and shrinking, a new customer's first months are ramp-up and left
    out (customers already there when the data starts, left-truncated, have none). A bell
    is judged on the whole life: it needs a fall after its rise, which no ramp-up has,
    and its rise starts at the first order.
    """
    new = first >= config.left_truncation_months
    start = np.where(new, np.minimum(first + config.ramp_up_months, last), first)
    whole = _quarters(values.revenue, first, last)
    whole_line = _straight(whole)
    whole_bend = _bend(whole, whole_line, config.bell_breakpoints)
    # the trend after ramp-up: the whole life's line, refitted only for new customers
    slope = whole_line.beta[:, 1].copy()
    se = whole_line.se[:, 1].copy()
    span = whole.span_months.copy()
    if new.any():
        rows = np.flatnonzero(new)
        settled = _quarters(values.revenue[rows], start[rows], last[rows])
        line = _straight(settled)
        slope[rows], se[rows], span[rows] = line.beta[:, 1], line.se[:, 1], settled.span_months
    z = slope / np.maximum(se, 1e-12)
    trend = np.log(config.trend_min_factor)
    bell = (
        (whole_bend.before >= np.log(config.bell_min_rise))
        & (whole_bend.after <= -np.log(config.bell_min_fall))
        & (whole_bend.evidence >= config.bell_min_evidence)
    )
    growth = (slope >= trend) & (z >= config.trend_min_z)
    shrinking = (slope <= -trend) & (z <= -config.trend_min_z)
    return _Trend(
        growth=growth,
        shrinking=shrinking,
        bell=bell,
        factor=np.exp(slope),
        quarterly=np.expm1(slope / np.maximum(span / 3.0, 1.0)),
        peak_offset=np.round(whole_bend.at * whole.span_months).astype(np.int64),
        rise=np.exp(whole_bend.before),
        fall=np.exp(-whole_bend.after),
    )


def _phase(
    values: MonthlyValues,
    value_type: IntArray,
    history: IntArray,
    since_last: IntArray,
    rhythm: Array,
    has: npt.NDArray[np.bool_],
    config: PhaseConfig,
) -> IntArray:
    """lost (silent far longer than its rhythm) → ramp_up (young) → phase_out → mature."""
    last_year = values.revenue[:, -12:].sum(axis=1)
    year_before = values.revenue[:, -24:-12].sum(axis=1)
    # one order gives no rhythm: a year of silence after it counts as lost
    silence = np.where(rhythm < values.revenue.shape[1], config.lost_rhythm_factor * rhythm, 12.0)
    lost = has & (since_last >= np.maximum(config.lost_min_months, silence))
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
