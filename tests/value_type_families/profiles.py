"""The *profiles* family: monthly expected-value curves × multiplicative noise → invoices.

Construction, for every customer:

1. an **expected monthly revenue curve** over the months from 2021-01 on (customers × months,
   built with NumPy per value type): a shape curve (trend, season, peak) × a short ramp-up
   for late starters × a slow random wobble, zero before the start and after a lost
   customer's last month, scaled so that its mean over the labelled months is the
   customer's yearly size / 12 (a typical customer 90,000 € a year × e^U(−0.25, 0.25) per
   seed, customers lognormal around it with sigma 0.45, clipped to 0.4–3×);
2. **multiplicative noise** on each month's demand: lognormal with mean 1 and a
   per-customer sigma, plus in the messy variant occasional heavier shocks (×e^N(0, 0.6) in
   4 % of the months);
3. **lumpy ordering**: some customers order only in every 2nd or 3rd month, always in the
   same calendar months, others at random gaps of 1–3 months; the demand of the months
   without an order goes into the next order (the customer buys the same, in fewer
   orders), so lumpiness changes the look of the bars, not the level. Messy: a one-off
   project order (2–7× the usual monthly level on top of the month's own order, so 3–8×)
   in a fifth of the customers of every type. Months under 25 € have no order;
4. each order month is split into 1–3 invoices on random days of that month, each with
   1–4 lines (offerings "A01".."A40", each customer with its own favourite range), and
   cost per line = revenue × (1 − the customer's margin rate ± a small per-line noise,
   sd 3 points); the line noise is centred per customer, so a customer's contribution
   margin I rate over the book is exactly its drawn rate (up to cents).

Why each type looks the way it does (DOMAIN.md, "How a person tells the shapes apart on a
monthly value chart", and the table of value types; "small swings, lumpy ordering every few
months and a short ramp-up at the start change none of them", so every type gets those):

- **steady** ("after ramp-up, constant apart from small swings"; "none of these: after
  ramp-up the level stays put"): flat curve with the hard cases around it: a slow drift of
  the level by up to ±25 % over the whole history, a random wobble of up to ±15 % (a
  Brownian bridge, so it adds no net trend), in some a faint seasonal ripple (±5–15 %),
  lumpy ordering including customers who order evenly every quarter in the same calendar
  months every year (regular rhythm, equal orders: steady, not cyclical), and a share of
  small customers (15 % of them, 10–30 % of a typical one) with healthy margins of
  20–45 % (small but profitable: steady, not burr). Lumpy: 35 % quarterly, 15 % every 2nd
  month, 50 % at random gaps of 1–3 months.
- **cyclical** ("strong recurring swings: seasons, budget cycles; periods of much and of
  little or none"; "whether the high season is two months or six wide, a smooth wave or a
  few budget months far apart"): a fixed 12-month pattern repeated every year, in three
  forms: a smooth raised-cosine wave whose high season (width at half peak) is 2–7 months,
  troughs between 0 and 20 % (wide seasons) or 30 % (narrow ones) of the peak (45 %); a
  block season of 2–6 adjacent strong months, the rest at 0–15 % (25 %); 2–4 *non-adjacent,
  unevenly spaced* budget months of different size (0.5–1.5) that carry the year, the rest
  at 0–8 % (30 %; uneven spacing, longest gap ≥ shortest + 3, so that they cannot be read
  as a steady customer's even quarterly rhythm). Random phase, a mild drift (×0.85–1.18
  over the history). Lumpy wave and block customers skip only off-season months, and then
  buy nothing in them (no carrying, which would smear the season).
- **growth** ("rises continuously until some event breaks it"; "moves steadily in one
  direction over the whole history, by a large factor"): the level after ramp-up rises by
  a factor of 2–6 (clean) / 1.6–4 (messy, log-uniform) from the first year of the history
  to the last one, exponentially (40 %), linearly (35 %) or logistic-ish (25 %, still
  rising at the end). The factor is measured between the middles of the first and the
  last 12 months, so that short histories move by as much as long ones.
- **shrinking** ("declines continuously to a minimum; the relationship ends"): the mirror
  image, falling by a factor of 2–8 (clean) / 1.6–4 (messy); 30 % stop ordering for good
  2–10 months before the end of the window (the decline then runs up to their end).
- **bell** ("rises fast after entry, peaks, then declines continuously until the customer
  is lost"; "a clear rise to a peak somewhere in the middle"): from 5–25 % (messy 10–35 %)
  of the peak at entry, a roughly linear rise (power 0.7–1.2) to a peak at 30–60 % of the
  customer's history (at least 6 months after entry, at the latest month 44), then a
  continuous fall (power 0.9–1.6) which reaches nothing before the end of the window in
  55–65 % of them and is otherwise at most 30–35 % of the peak by then.
- **burr** ("loyal, but of very small value; contribution margin minimal or negative";
  "a long, regular relationship whose value is tiny next to the other customers … whatever
  the shape"): 36–60 months of orders in most months (70 %, some at gaps of 1–3 months)
  or quarters (30 %), 2–12 % of a typical customer's yearly revenue, margin −15 % … +3 %
  (clean) / +5 % (messy), mostly flat with a wobble, a fifth with a drift of up to ×2
  either way (the burr rule comes first).

Variants: `clean` — 75 % of the histories cover all 60 months, 25 % start after 12–30
months with a 2–6 month ramp-up; noise sigma 0.20–0.35; 20 % lumpy ordering; margins
12–45 %. `messy` — histories of 30–60 months (35 % from month 0, the others start in months
1–30), sigma 0.30–0.60 plus shocks, 40 % lumpy ordering, project orders, milder trends, and
15 % of the ordinary customers with low margins of 8–14 %.

With `extra_months`, the same process continues after `as_of` (trends go on, lost customers
stay lost). The random draws are arranged so that the lines up to `as_of` do not depend on
`extra_months`: the customers' parameters come first, and the month-level and line-level
draws of the labelled window and of the extra months come from separate generators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from tests.value_type_families import LINE_SCHEMA, SHAPES, LabelledBook

VARIANTS = ("clean", "messy")

WINDOW = 60  # labelled months, 2021-01 .. 2025-12
FIRST_MONTH = np.datetime64("2021-01", "M")
AS_OF = date(2025, 12, 31)
LAST = WINDOW - 1  # index of the last labelled month
NEVER = 10**6  # `end` of a customer who is never lost
MIN_ORDER = 25.0  # € below which a month has no order
N_OFFERINGS = 40
OFFERINGS = [f"A{i + 1:02d}" for i in range(N_OFFERINGS)]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Rng = np.random.Generator


@dataclass(frozen=True)
class _Variant:
    start_at_zero: float  # share of histories that begin with the window
    late_start: tuple[int, int]  # start month of the others
    ramp: tuple[int, int]  # ramp-up months of late starters
    sigma: tuple[float, float]  # lognormal noise per month
    shock: float  # chance of a heavier shock per month
    lumpy: float  # share of customers with lumpy ordering
    project: float  # share of customers with one project order
    growth: tuple[float, float]  # growth factor over the history
    shrink: tuple[float, float]  # shrinking factor (start / end)
    low_margin: float  # share of ordinary customers with 8–14 % margin
    burr_margin: tuple[float, float]
    bell_entry: tuple[float, float]  # level at entry, share of the peak
    bell_reach: tuple[float, float]  # share of the decline done by the end of the window


_VARIANTS = {
    "clean": _Variant(
        start_at_zero=0.75,
        late_start=(12, 30),
        ramp=(2, 6),
        sigma=(0.20, 0.35),
        shock=0.0,
        lumpy=0.20,
        project=0.0,
        growth=(2.0, 6.0),
        shrink=(2.0, 8.0),
        low_margin=0.0,
        burr_margin=(-0.15, 0.03),
        bell_entry=(0.05, 0.25),
        bell_reach=(0.75, 1.5),
    ),
    "messy": _Variant(
        start_at_zero=0.35,
        late_start=(1, 30),
        ramp=(2, 6),
        sigma=(0.30, 0.60),
        shock=0.04,
        lumpy=0.40,
        project=0.20,
        growth=(1.6, 4.0),
        shrink=(1.6, 4.0),
        low_margin=0.15,
        burr_margin=(-0.15, 0.05),
        bell_entry=(0.10, 0.35),
        bell_reach=(0.7, 1.4),
    ),
}


@dataclass
class _Customers:
    """Parameters of a group of customers, one entry per customer (arrays of length n)."""

    curve: FloatArray  # (n, months) shape of the expected level, any scale
    start: IntArray  # first month of the history
    ramp: IntArray  # ramp-up months after the start
    end: IntArray  # first month without orders for good (NEVER: not lost)
    annual: FloatArray  # mean yearly revenue over the labelled months
    margin: FloatArray  # contribution margin I rate
    sigma: FloatArray  # lognormal noise per month
    wobble: FloatArray  # amplitude of the slow wobble (log scale)
    period: IntArray  # 1: any month; 2/3: only every 2nd/3rd month, same calendar months
    phase: IntArray  # which months of the period
    order_prob: FloatArray  # chance that the next order comes a month later (else 2–3)
    sure_level: FloatArray  # months with a curve value at least this always have an order
    carry: BoolArray  # a skipped month's value goes into the next order (else it is lost)
    project: BoolArray  # has a one-off project order (messy)
    project_at: FloatArray  # where in its labelled history, 0..1
    project_mult: FloatArray  # project value / usual monthly level
    offer_base: IntArray  # first offering of the customer's range
    offer_span: IntArray  # size of the customer's range


def _log_uniform(rng: Rng, low: float, high: float, n: int) -> FloatArray:
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


def _position(t: IntArray, t0: IntArray, t1: IntArray) -> FloatArray:
    """(customers × months) position 0..1 between months t0 and t1, 0 before, > 1 after."""
    span = np.maximum(t1 - t0, 1)[:, None]
    out: FloatArray = np.maximum((t[None, :] - t0[:, None]) / span, 0.0)
    return out


def _year_position(t: IntArray, t0: IntArray, t1: IntArray) -> FloatArray:
    """(customers × months) position that is 0 in the middle of the first 12 months from t0
    and 1 in the middle of the last 12 months up to t1 (> 1 after; before t0 it stays at its
    value at t0): a trend factor between 0 and 1 is then about the ratio of the last year's
    level to the first one's, which is what a person compares on the chart, whatever the
    length of the history."""
    span = np.maximum(t1 - t0 - 11, 6)[:, None]
    out: FloatArray = (np.maximum(t[None, :] - t0[:, None], 0) - 5.5) / span
    return out


def _common(rng: Rng, n: int, months: int, v: _Variant, typical: float) -> _Customers:
    """Draws what every type shares; the type builders then overwrite what differs."""
    at_zero = rng.random(n) < v.start_at_zero
    start = np.where(at_zero, 0, rng.integers(v.late_start[0], v.late_start[1] + 1, n))
    ramp = np.where(start > 0, rng.integers(v.ramp[0], v.ramp[1] + 1, n), 0)
    annual = typical * np.clip(np.exp(rng.normal(0.0, 0.45, n)), 0.4, 3.0)
    low = rng.random(n) < v.low_margin
    margin = np.where(low, rng.uniform(0.08, 0.14, n), rng.uniform(0.12, 0.45, n))
    return _Customers(
        curve=np.ones((n, months)),
        start=start.astype(np.int64),
        ramp=ramp.astype(np.int64),
        end=np.full(n, NEVER, dtype=np.int64),
        annual=annual,
        margin=margin,
        sigma=rng.uniform(v.sigma[0], v.sigma[1], n),
        wobble=rng.uniform(0.0, 0.10, n),
        period=np.ones(n, dtype=np.int64),
        phase=np.zeros(n, dtype=np.int64),
        order_prob=np.ones(n),
        sure_level=np.full(n, np.inf),
        carry=np.ones(n, dtype=bool),
        project=rng.random(n) < v.project,
        project_at=rng.random(n),
        project_mult=rng.uniform(2.0, 7.0, n),  # added to the month's own order: 3–8×
        offer_base=rng.integers(0, N_OFFERINGS, n),
        offer_span=rng.integers(3, 16, n),
    )


def _lumpy(
    rng: Rng,
    c: _Customers,
    share: float,
    kinds: tuple[float, float, float] = (0.35, 0.15, 0.50),
    next_month: tuple[float, float] = (0.35, 0.70),
) -> None:
    """Sets lumpy ordering for a `share` of the customers: every 3rd month (quarterly, same
    calendar months every year), every 2nd month, or at random gaps of 1–3 months (a gap of
    1 month with a probability from `next_month`), in the proportions `kinds`."""
    n = c.start.size
    lumpy = rng.random(n) < share
    kind = rng.choice(3, size=n, p=kinds)
    c.period = np.where(lumpy & (kind == 0), 3, np.where(lumpy & (kind == 1), 2, 1))
    c.phase = rng.integers(0, 3, n) % c.period
    c.order_prob = np.where(lumpy & (kind == 2), rng.uniform(next_month[0], next_month[1], n), 1.0)


def _trend(rng: Rng, u: FloatArray, factor: FloatArray) -> FloatArray:
    """Level 1 at u = 0 and `factor` at u = 1, exponential, linear or logistic-ish per
    customer, and on the same way outside (a linear trend stays above 0.3 × the lower end)."""
    n = factor.size
    form = rng.choice(3, size=n, p=(0.4, 0.35, 0.25))
    f = factor[:, None]
    exponential = f**u
    linear = np.maximum(1.0 + (f - 1.0) * u, 0.3 * np.minimum(f, 1.0))
    k = rng.uniform(3.0, 5.0, n)[:, None]
    mid = rng.uniform(0.35, 0.65, n)[:, None]
    sig0, sig1 = 1 / (1 + np.exp(k * mid)), 1 / (1 + np.exp(-k * (1 - mid)))
    logistic = f ** ((1 / (1 + np.exp(-k * (u - mid))) - sig0) / (sig1 - sig0))
    out: FloatArray = np.select(
        [form[:, None] == 0, form[:, None] == 1], [exponential, linear], logistic
    )
    return out


# --- the six types -------------------------------------------------------------------------


def _steady(rng: Rng, n: int, t: IntArray, v: _Variant, typical: float) -> _Customers:
    c = _common(rng, n, t.size, v, typical)
    small = rng.random(n) < 0.15
    c.annual = np.where(small, typical * rng.uniform(0.10, 0.30, n), c.annual)
    c.margin = np.where(small, rng.uniform(0.20, 0.45, n), c.margin)
    drift = _log_uniform(rng, 0.75, 1.25, n)  # level at the end / at the start
    u = _position(t, c.start + c.ramp, np.full(n, LAST))
    ripple = np.where(rng.random(n) < 0.3, rng.uniform(0.05, 0.15, n), 0.0)
    ripple_phase = rng.uniform(0.0, 12.0, n)
    season = 1.0 + ripple[:, None] * np.cos(2 * np.pi * (t[None, :] - ripple_phase[:, None]) / 12)
    c.curve = drift[:, None] ** u * season
    c.wobble = rng.uniform(0.0, 0.15, n)
    _lumpy(rng, c, v.lumpy)
    return c


def _cyclical(rng: Rng, n: int, t: IntArray, v: _Variant, typical: float) -> _Customers:
    c = _common(rng, n, t.size, v, typical)
    form = rng.choice(3, size=n, p=(0.45, 0.25, 0.30))
    year = np.select(
        [form[:, None] == 0, form[:, None] == 1],
        [_season_wave(rng, n), _season_block(rng, n)],
        _season_budget(rng, n),
    )
    year = year / year.mean(axis=1, keepdims=True)
    drift = _log_uniform(rng, 0.85, 1.18, n)
    u = _position(t, c.start + c.ramp, np.full(n, LAST))
    c.curve = year[:, t % 12] * drift[:, None] ** u
    # skipped months only for the wave and block forms and only out of season, where the
    # customer then buys nothing ("periods of much and of little or none"): the season itself
    # stays as it is
    _lumpy(rng, c, v.lumpy, kinds=(0.0, 0.0, 1.0), next_month=(0.3, 0.7))
    c.order_prob = np.where(form == 2, 1.0, c.order_prob)
    c.sure_level = np.full(n, 0.9)
    c.carry = np.zeros(n, dtype=bool)
    return c


def _season_wave(rng: Rng, n: int) -> FloatArray:
    """Raised-cosine bump; `width` = months above half the peak, 2–7."""
    centre = rng.uniform(0.0, 12.0, n)[:, None]
    width = rng.uniform(2.0, 7.0, n)[:, None]
    floor = rng.uniform(0.0, 1.0, n)[:, None] * np.where(width <= 4.5, 0.30, 0.20)
    d = np.abs((np.arange(12)[None, :] - centre + 6.0) % 12.0 - 6.0)  # circular distance
    bump = 0.5 * (1.0 + np.cos(np.pi * np.minimum(d / width, 1.0)))
    out: FloatArray = floor + (1.0 - floor) * bump
    return out


def _season_block(rng: Rng, n: int) -> FloatArray:
    """2–6 adjacent strong months, the rest at 0–15 %."""
    first = rng.integers(0, 12, n)[:, None]
    length = rng.integers(2, 7, n)[:, None]
    floor = rng.uniform(0.0, 0.15, n)[:, None]
    inside = (np.arange(12)[None, :] - first) % 12 < length
    out: FloatArray = np.where(inside, 1.0, floor)
    return out


def _season_budget(rng: Rng, n: int) -> FloatArray:
    """2–4 budget months, not adjacent and unevenly spaced (longest gap ≥ shortest + 3), of
    different size; the rest at 0–8 %."""
    k = rng.integers(2, 5, n)
    gaps = np.zeros((n, 4), dtype=np.int64)
    todo = np.ones(n, dtype=bool)
    while todo.any():  # rejection sampling, a few rounds
        for size in (2, 3, 4):
            rows = np.flatnonzero(todo & (k == size))
            extra = rng.multinomial(12 - 2 * size, [1 / size] * size, size=rows.size)
            gaps[rows, :size] = 2 + extra
            gaps[rows, size:] = 0
        spread = gaps.max(axis=1) - np.where(gaps > 0, gaps, 99).min(axis=1)
        todo = spread < 3
    first = rng.integers(0, 12, n)[:, None]
    months = (first + np.cumsum(gaps, axis=1) - gaps[:, :1]) % 12  # first month = first
    weights = rng.uniform(0.5, 1.5, (n, 4)) * (gaps > 0)
    year = np.repeat(rng.uniform(0.0, 0.08, n)[:, None], 12, axis=1)
    rows = np.repeat(np.arange(n)[:, None], 4, axis=1)
    np.maximum.at(year, (rows, months), weights)
    return year


def _growth(rng: Rng, n: int, t: IntArray, v: _Variant, typical: float) -> _Customers:
    c = _common(rng, n, t.size, v, typical)
    factor = _log_uniform(rng, v.growth[0], v.growth[1], n)
    c.curve = _trend(rng, _year_position(t, c.start + c.ramp, np.full(n, LAST)), factor)
    _lumpy(rng, c, v.lumpy)
    return c


def _shrinking(rng: Rng, n: int, t: IntArray, v: _Variant, typical: float) -> _Customers:
    c = _common(rng, n, t.size, v, typical)
    factor = 1.0 / _log_uniform(rng, v.shrink[0], v.shrink[1], n)
    ends = rng.random(n) < 0.30
    c.end = np.where(ends, rng.integers(50, 59, n), NEVER)
    last = np.minimum(c.end - 1, LAST)
    c.curve = _trend(rng, _year_position(t, c.start + c.ramp, last), factor)
    _lumpy(rng, c, v.lumpy)
    return c


def _bell(rng: Rng, n: int, t: IntArray, v: _Variant, typical: float) -> _Customers:
    c = _common(rng, n, t.size, v, typical)
    c.ramp[:] = 0  # the rise is the shape itself
    s = c.start.astype(np.float64)
    peak = s + np.maximum(np.round(rng.uniform(0.30, 0.60, n) * (LAST - s)), 6.0)
    peak = np.minimum(peak, LAST - 15.0)
    entry = rng.uniform(v.bell_entry[0], v.bell_entry[1], n)
    rise_power = rng.uniform(0.7, 1.2, n)  # about linear: the rise is plain to see
    reach = rng.uniform(v.bell_reach[0], v.bell_reach[1], n)  # ≥ 1: lost by the end
    gone = peak + (LAST - peak) / reach  # month where the fall reaches nothing
    fall_power = rng.uniform(0.9, 1.6, n)
    tt = t[None, :].astype(np.float64)
    x = np.clip((tt - s[:, None]) / (peak - s)[:, None], 0.0, 1.0)
    y = np.clip((tt - peak[:, None]) / (gone - peak)[:, None], 0.0, 1.0)
    rise = entry[:, None] + (1.0 - entry[:, None]) * x ** rise_power[:, None]
    fall = (1.0 - y) ** fall_power[:, None]
    c.curve = np.where(tt <= peak[:, None], rise, fall)
    c.end = np.ceil(gone).astype(np.int64)
    c.wobble = rng.uniform(0.0, 0.05, n)
    _lumpy(rng, c, v.lumpy)
    return c


def _burr(rng: Rng, n: int, t: IntArray, v: _Variant, typical: float) -> _Customers:
    c = _common(rng, n, t.size, v, typical)
    late = c.start > 0  # a long relationship: 36–60 months
    c.start = np.where(late, rng.integers(min(v.late_start[0], 24), 25, n), 0)
    c.ramp = np.where(late, c.ramp, 0)
    c.annual = typical * rng.uniform(0.02, 0.12, n)
    c.margin = rng.uniform(v.burr_margin[0], v.burr_margin[1], n)
    wide = rng.random(n) < 0.2
    drift = np.where(wide, _log_uniform(rng, 0.5, 2.0, n), _log_uniform(rng, 0.8, 1.25, n))
    c.curve = drift[:, None] ** _position(t, c.start + c.ramp, np.full(n, LAST))
    c.wobble = rng.uniform(0.0, 0.20, n)
    # orders in most months or quarters
    _lumpy(rng, c, 0.45, kinds=(0.65, 0.0, 0.35), next_month=(0.5, 0.8))
    return c


_BUILDERS = {
    "steady": _steady,
    "cyclical": _cyclical,
    "bell": _bell,
    "growth": _growth,
    "shrinking": _shrinking,
    "burr": _burr,
}


def _concat(groups: list[_Customers]) -> _Customers:
    fields = _Customers.__dataclass_fields__
    merged: dict[str, Any] = {f: np.concatenate([getattr(g, f) for g in groups]) for f in fields}
    return _Customers(**merged)


# --- months: expected level → noisy demand → orders -----------------------------------------


def _bridge(rng: Rng, n: int, length: int) -> FloatArray:
    """Random walks pinned to 0 at both ends, scaled to a maximum of 1 in absolute value."""
    walk = np.cumsum(rng.standard_normal((n, length)), axis=1)
    x = np.linspace(0.0, 1.0, length)[None, :]
    bridge = walk - walk[:, :1] - x * (walk[:, -1:] - walk[:, :1])
    scale = np.abs(bridge).max(axis=1, keepdims=True)
    out: FloatArray = bridge / np.where(scale > 0, scale, 1.0)
    return out


def _expected(c: _Customers, t: IntArray, wobble: FloatArray) -> FloatArray:
    """Expected revenue per customer and month, in €."""
    tt = t[None, :]
    active = (tt >= c.start[:, None]) & (tt < c.end[:, None])
    into = tt - c.start[:, None]
    ramp = np.where(into < c.ramp[:, None], (into + 1) / (c.ramp[:, None] + 1), 1.0)
    level = c.curve * ramp * np.exp(c.wobble[:, None] * wobble) * active
    window = level[:, :WINDOW].sum(axis=1) / np.maximum(active[:, :WINDOW].sum(axis=1), 1)
    out: FloatArray = level * (c.annual / 12 / window)[:, None]
    return out


def _order_months(rng: Rng, c: _Customers, t: IntArray) -> BoolArray:
    """Months with an order, for the months `t` (one block): every `period`-th month, and
    for customers with an `order_prob` < 1 at random gaps of 1, 2 or 3 months (never longer:
    lumpy ordering, not a pause), plus the months whose curve reaches `sure_level`."""
    n, length = c.start.size, t.size
    tt = t[None, :]
    possible = (tt - c.phase[:, None]) % c.period[:, None] == 0
    draw = rng.random((n, length))
    one = c.order_prob[:, None]
    gaps = np.where(draw < one, 1, np.where(draw < one + (1 - one) * 0.6, 2, 3))
    at = np.cumsum(gaps, axis=1) - gaps[:, :1]  # months after the block's first month
    rows = np.repeat(np.arange(n), length)
    inside = at.ravel() < length
    drawn = np.zeros((n, length), dtype=bool)
    drawn[rows[inside], at.ravel()[inside]] = True
    drawn |= c.curve[:, t] >= c.sure_level[:, None]
    active = (tt >= c.start[:, None]) & (tt < c.end[:, None])
    out: BoolArray = possible & drawn & active
    return out


def _carry(level: FloatArray, orders: BoolArray, carry: BoolArray) -> FloatArray:
    """Each order takes the demand of its month and, for customers who `carry`, of the
    months since the last order; months without an order have 0."""
    n, months = level.shape
    total = np.cumsum(level, axis=1)
    last = np.maximum.accumulate(np.where(orders, np.arange(months)[None, :], -1), axis=1)
    before = np.concatenate([np.full((n, 1), -1), last[:, :-1]], axis=1)
    carried = np.where(before >= 0, np.take_along_axis(total, np.maximum(before, 0), axis=1), 0.0)
    out: FloatArray = np.where(orders, np.where(carry[:, None], total - carried, level), 0.0)
    return out


def _noise(rng: Rng, c: _Customers, length: int, shock: float) -> FloatArray:
    """Multiplicative noise per customer and month, mean 1 apart from the shocks (a factor
    of e^N(0, 0.6), with probability `shock` per month)."""
    sigma = c.sigma[:, None]
    z = rng.standard_normal((c.sigma.size, length))
    shocks = (rng.random(z.shape) < shock) * rng.normal(0.0, 0.6, z.shape)
    out: FloatArray = np.exp(sigma * z - sigma**2 / 2 + shocks)
    return out


def _add_projects(values: FloatArray, level: FloatArray, c: _Customers) -> None:
    """One month with a project order on top: 2–7× the usual level (a 12-month mean)."""
    rows = np.flatnonzero(c.project)
    if rows.size == 0:
        return
    stop = np.minimum(c.end[rows], WINDOW)
    month = c.start[rows] + (c.project_at[rows] * (stop - c.start[rows])).astype(np.int64)
    lo, hi = np.maximum(month - 6, 0), np.minimum(month + 6, WINDOW)
    total = np.concatenate([np.zeros((level.shape[0], 1)), np.cumsum(level, axis=1)], axis=1)
    usual = (total[rows, hi] - total[rows, lo]) / (hi - lo)
    values[rows, month] += c.project_mult[rows] * usual


# --- lines ---------------------------------------------------------------------------------


def _shares(rng: Rng, group: IntArray, groups: int) -> FloatArray:
    """Random shares that sum to 1 within each group."""
    weight = rng.gamma(2.0, size=group.size)
    out: FloatArray = weight / np.bincount(group, weight, groups)[group]
    return out


def _lines(
    rng: Rng, values: FloatArray, first: int, c: _Customers, done: IntArray
) -> tuple[dict[str, npt.NDArray[Any]], IntArray]:
    """Invoice lines for the order values of one block of months starting at month `first`;
    `done` = invoices per customer so far (their numbers go on). Returns the line columns
    (customer index, day number, revenue, cost, invoice number, offering index) and the
    invoices per customer after this block."""
    n = values.shape[0]
    cust, month = np.nonzero(values)
    amount = values[cust, month]
    n_inv = rng.choice(3, size=cust.size, p=(0.5, 0.3, 0.2)) + 1
    order_of = np.repeat(np.arange(cust.size), n_inv)
    inv_amount = amount[order_of] * _shares(rng, order_of, cust.size)
    inv_cust, inv_month = cust[order_of], month[order_of] + first
    starts = (FIRST_MONTH + inv_month).astype("datetime64[D]")
    days_in = ((FIRST_MONTH + inv_month + 1).astype("datetime64[D]") - starts).astype(np.int64)
    inv_day = starts.astype(np.int64) + (rng.random(inv_cust.size) * days_in).astype(np.int64)
    # invoice numbers in date order per customer
    chrono = np.lexsort((inv_day, inv_cust))
    inv_cust, inv_day, inv_amount = inv_cust[chrono], inv_day[chrono], inv_amount[chrono]
    first_of = np.searchsorted(inv_cust, inv_cust, side="left")
    inv_no = np.arange(inv_cust.size) - first_of + done[inv_cust] + 1

    n_lines = rng.choice(4, size=inv_cust.size, p=(0.3, 0.3, 0.25, 0.15)) + 1
    inv_of = np.repeat(np.arange(inv_cust.size), n_lines)
    line_cust = inv_cust[inv_of]
    revenue = np.maximum(
        np.round(inv_amount[inv_of] * _shares(rng, inv_of, inv_cust.size), 2), 0.01
    )
    spread = rng.random(inv_of.size) ** 2 * c.offer_span[line_cust]
    offering = (c.offer_base[line_cust] + spread.astype(np.int64)) % N_OFFERINGS
    # cost: margin ± line noise, the noise centred per customer (revenue-weighted)
    noise = np.clip(rng.normal(0.0, 0.03, inv_of.size), -0.08, 0.08)
    weighted = np.bincount(line_cust, revenue * noise, n) / np.maximum(
        np.bincount(line_cust, revenue, n), 0.01
    )
    noise = noise - weighted[line_cust]
    cost = np.round(revenue * (1.0 - c.margin[line_cust] - noise), 2)
    columns = {
        "cust": line_cust,
        "day": inv_day[inv_of],
        "revenue": revenue,
        "cost": cost,
        "invoice": inv_no[inv_of],
        "offering": offering,
    }
    return columns, done + np.bincount(inv_cust, minlength=n)


def _strings(names: list[str], index: npt.NDArray[np.int64]) -> pa.Array:
    """`names[index]` as an Arrow string column."""
    return pa.array(names, pa.string()).take(pa.array(index))


# --- the book ------------------------------------------------------------------------------


def generate(
    *, variant: str = "clean", customers_per_type: int = 100, seed: int = 0, extra_months: int = 0
) -> LabelledBook:
    """A labelled book of `customers_per_type` customers of each of the six shapes, with
    lines from 2021-01-01 to 2025-12-31 (+ `extra_months` more months of the same process)."""
    if variant not in _VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose one of {VARIANTS}")
    if customers_per_type < 1 or extra_months < 0:
        raise ValueError("customers_per_type must be ≥ 1 and extra_months ≥ 0")
    v = _VARIANTS[variant]
    v_no = VARIANTS.index(variant)
    months = WINDOW + extra_months
    t = np.arange(months, dtype=np.int64)
    n = customers_per_type

    base = np.random.default_rng([seed, v_no, 0])
    typical = 90_000.0 * float(np.exp(base.uniform(-0.25, 0.25)))  # € per year
    groups = [
        _BUILDERS[shape](np.random.default_rng([seed, v_no, 1, i]), n, t, v, typical)
        for i, shape in enumerate(SHAPES)
    ]
    c = _concat(groups)
    shape_of = np.repeat(np.array(SHAPES), n)
    number = base.permutation(c.start.size) + 1  # ids do not reveal the type
    ids = [f"P{k:06d}" for k in number]

    # the labelled window and the extra months draw from their own generators, so that
    # the window's lines do not depend on `extra_months`
    blocks = [(0, WINDOW)] + ([(WINDOW, months)] if extra_months else [])
    rngs = [np.random.default_rng([seed, v_no, 2, b]) for b in range(len(blocks))]
    wobble, orders, noise = [], [], []
    for rng, (lo, hi) in zip(rngs, blocks, strict=True):
        wobble.append(_bridge(rng, len(ids), hi - lo))
        orders.append(_order_months(rng, c, t[lo:hi]))
        noise.append(_noise(rng, c, hi - lo, v.shock))
    level = _expected(c, t, np.concatenate(wobble, axis=1))
    demand = level * np.concatenate(noise, axis=1)
    values = _carry(demand, np.concatenate(orders, axis=1), c.carry)
    _add_projects(values, level, c)
    values[values < MIN_ORDER] = 0.0

    parts = []
    done = np.zeros(len(ids), dtype=np.int64)
    for rng, (lo, hi) in zip(rngs, blocks, strict=True):
        part, done = _lines(rng, values[:, lo:hi], lo, c, done)
        parts.append(part)
    col = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((col["invoice"], number[col["cust"]]))  # invoices are in date order
    col = {k: a[order] for k, a in col.items()}

    # invoices: a new one wherever customer or number changes from the line before
    new = np.ones(col["cust"].size, dtype=bool)
    new[1:] = (np.diff(col["cust"]) != 0) | (np.diff(col["invoice"]) != 0)
    invoice_names = [
        f"{ids[k]}-{i:04d}" for k, i in zip(col["cust"][new], col["invoice"][new], strict=True)
    ]
    lines = pa.table(
        {
            "customer_id": _strings(ids, col["cust"]),
            "date": pa.array(col["day"].astype(np.int32), pa.date32()),
            "revenue": pa.array(col["revenue"], pa.float64()),
            "cost": pa.array(col["cost"], pa.float64()),
            "invoice_id": _strings(invoice_names, np.cumsum(new) - 1),
            "offering": _strings(OFFERINGS, col["offering"]),
        },
        schema=LINE_SCHEMA,
    )
    labels = dict(sorted(zip(ids, (str(s) for s in shape_of), strict=True)))
    return LabelledBook(lines=lines, labels=labels, as_of=AS_OF)
