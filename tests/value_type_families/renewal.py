"""Renewal family: order-level renewal processes with order sizes, in continuous time.

Built from DOMAIN.md (the table of six value types and "How a person tells the shapes
apart on a monthly value chart") and the brief, nothing else. Unlike a family of monthly
profiles, nothing here is monthly: a customer is a stream of orders in days, and the
monthly value chart is what a person would draw from its invoice lines.

Construction, per customer
--------------------------
1. A *level curve* L(t) on a daily grid (t in days from 2021-01-01): the shape, times
   small random swings exp(s(t)) (a few sinusoids with periods of 2-9 months; for steady
   customers and burrs also slower, weaker ones of 16-36 months; never near a year, so a
   swing never passes for a season), times a short ramp-up for late starters. L is scaled
   to a mean of 1 over the customer's active days up to `as_of`, so `annual` (€ a year) is
   the customer's mean yearly revenue there.
2. The level change is split between order frequency and order size with a per-customer
   share a: the order intensity is lambda(t) = rate * L(t)**a / mean(L**a) (orders a day)
   and the median order size is m(t) ~ L(t) / that frequency factor, so that the expected
   revenue a day is exactly annual/365.25 * L(t).
3. Orders arrive as a *renewal process in operational time*: gaps ~ Gamma(k, 1/k) (mean 1;
   the shape k is the customer's regularity, ~0.5-0.7 bursty, ~8 very regular) are summed
   to S_1 < S_2 < ... and each S_n is mapped to the first day whose cumulative intensity
   Lambda(t) exceeds it. Regular customers thus order at an even rhythm that speeds up and
   slows down with lambda(t). An existing customer (active from 2021-01-01) places its first
   order after a uniform fraction of a gap; a new one orders on its first day. Customers
   on a *fixed schedule* (steady, quarterly in the same calendar months) have
   S_n = phase + n + small jitter instead.
4. Each order has size m(t) * exp(sigma * z) (lognormal), 1-5 lines (offerings
   "S01".."S60": consecutive codes of the customer's own assortment of 5-25) whose values
   split the order at random (exponential weights). Cost per line = revenue * (1 - margin
   - e), e a per-line noise recentred per customer so that the contribution margin I of
   its labelled history is exactly its margin rate.
5. Some customers place one *project order*: a single order 5-15 times the usual size (at
   most a year's revenue) on a random day of their labelled history. DOMAIN.md's "small
   swings" do not cover it, so it is a deliberate hard case: one bar changes no shape.

Everything is NumPy over (customers x days) and (customers x orders) matrices, one type at a
time; no Python loop per order or line. Gaps and per-order draws come in chunks of columns
from a generator of their own, so a book with `extra_months` holds exactly the same lines
up to `as_of` as the book without: the same process simply goes on (invoice ids are
numbered per customer for the same reason: "RI<customer>-<n>").

Why each type looks the way it does (DOMAIN.md's words in quotes)
-----------------------------------------------------------------
- steady: "after ramp-up, constant apart from small swings"; "none of these: after
  ramp-up the level stays put". Level = a log-linear drift of at most +-25 % over the
  history (end/start uniform in log between 0.8 and 1.25) times swings. Hard cases: irregular
  rhythms and wide order sizes; 20 % order only every 2-4 months ("lumpy ordering every few
  months change[s] none of them"); 15 % order on a fixed quarterly schedule in the same
  calendar months each year (an even rhythm, its level in the order size; not cyclical:
  no months "carry the year" while others have little, it is its ordering rhythm); one-off
  project orders.
- cyclical: "strong recurring swings: seasons, budget cycles; periods of much and of
  little or none"; "whether the high season is two months or six wide, a smooth wave or a
  few budget months far apart". The *order rate* follows a yearly profile (order size may
  follow too: share a in [0.6, 1], 40 % exactly 1) whose trough is 0-10 % of its peak: a
  smooth wave ((1 + cos)/2)**g whose part above half the peak is 2-7 months wide (40 %), a
  block of 2-7 months with soft edges (30 %), or 2-4 non-adjacent budget months with
  unequal weights and *uneven* spacing (30 %; largest gap >= smallest + 2 months, since
  evenly spaced ones are the steady quarterly or half-yearly rhythm). Random phase per
  customer; waves and blocks shift by a few weeks from year to year; a drift of at most
  +-25 % as for steady.
- growth: "rises continuously", "the level moves steadily in one direction over the
  whole history (after ramp-up), by a large factor": L = F**(u**p), u the share of the
  history after ramp-up, F = 2-6 (clean) or 1.6-4 (messy), p in [0.75, 1.3]
  (a little decelerating to a little accelerating: it moves over the whole history).
  After `as_of` it goes on with the same slope.
- shrinking: "declines continuously to a minimum; the relationship ends": L = F**-(u**p),
  F = 2-8 (clean) or 1.6-4 (messy), p in [0.6, 1.25] (p < 1 flattens out at the minimum);
  always an existing customer (a late entry would be a bell's rise). clean: 35 % stop
  ordering 2-9 months before `as_of`; messy: 75 % end after 30-60 months.
- bell: "rises fast after entry, peaks, then declines continuously until the customer is
  lost"; "a clear rise to a peak somewhere in the middle, then a continuous decline, often
  down to nothing". A concave rise from 5-25 % (messy 8-30 %) of the peak to the peak at
  30-60 % of the history, then a cos**2 decline, to 0-10 % for the lost (60 % in clean)
  or to 10-30 % (messy 10-35 %) at `as_of`. clean: 60 % start after 3-18 months;
  messy: a history of 30-60 months anywhere in the window.
- burr: "loyal, but of very small value; contribution margin minimal or negative";
  "a long, regular relationship whose value is tiny next to the other customers ...,
  whatever the shape". 36-60 months, 1.5-4 regular orders a month (k = 3-8, messy 2-6) of
  small, similar size (sigma 0.3-0.6, messy 0.4-0.8); a yearly value of 3-12 % of a
  typical customer's 95,000 €; margin -15 % to +5 %. Its level is flat with a drift (55 %),
  or mildly growing or shrinking (factor 1.3-2.5, 15 % each) or seasonal (trough 35-60 %
  of the peak, 15 %): "whatever the shape".

Readability guard: a shape is only a label if a person can see it on the chart, and noise
must not draw a shape that is not there. The yearly revenue of a compound renewal process
has a coefficient of variation (CV) of about sqrt((exp(sigma**2) - 1 + 1/k) / orders a
year). Each customer gets a bound on it: for a trend (growth, shrinking, each side of a
bell) such that a line through the yearly totals has a t value >= 3.5 (CV 0.08-0.20,
depending on the factor and the years it takes); for steady customers 0.20 (messy 0.25),
lumpy and scheduled ones 0.05 more, cyclical ones 0.15 (messy 0.19) as their season must
show month by month. Where the CV is above its bound, the
order rate is raised by the square root of the excess (up to 6 a month; lumpy and
scheduled customers keep theirs), then sigma lowered and k raised as far as still needed.
Burrs are left alone. So the noisiest habits meet the
gentlest shapes less often: a deliberate bias toward labels a person would agree with.

Scale: ordinary customers' `annual` is lognormal (median 95,000 €, sigma 0.45, clipped to
30,000-400,000 €); order rates 0.5-6 a month (log-uniform, before the guard); contribution
margin I 10-45 % (messy: a quarter of them 8-14 %, near the burr line).

Variants: `clean` -- 70 % of histories start at the beginning, 30 % start after 6-30
months with a 1-6 month ramp-up; k in 0.7-8; sigma 0.3-0.9; swings sd 0.08; project orders
in 5 % of customers. `messy` -- histories of 30-60 months (a quarter the full 60);
k in 0.5-4; sigma 0.5-1.2; swings sd 0.14; project orders in 20 % of customers of any
type; milder trends; low-margin ordinary customers; margin noise per line 6 % (clean 3 %);
quarterly schedules with 6 days of jitter (clean 4).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from tests.value_type_families import LINE_SCHEMA, SHAPES, LabelledBook

VARIANTS = ("clean", "messy")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

AS_OF = date(2025, 12, 31)
_ORIGIN = np.datetime64("2021-01-01", "D")
_LABELLED_DAYS = int((np.datetime64(AS_OF.isoformat(), "D") - _ORIGIN).astype(int)) + 1
_MONTH = 365.25 / 12  # days
_LABELLED_MONTHS = 60
_TYPICAL_ANNUAL = 95_000.0
_OFFERINGS = 60
_MAX_LINES = 5
_CHUNK = 64  # order columns drawn at a time
_MAX_EXTRA_MONTHS = 600
_MAX_YEARS = 64  # years of draws per customer, whatever extra_months (> 5 + 600 / 12)
_KEY_STRIDE = float(2**24)  # separates customers' cumulative intensities in one sorted array


@dataclass(frozen=True)
class _Knobs:
    """What differs between the clean and the messy variant."""

    messy: bool
    regularity: tuple[float, float]  # gamma shape k, log-uniform
    burr_regularity: tuple[float, float]
    lumpy_regularity: tuple[float, float]
    sigma: tuple[float, float]  # order-size spread (lognormal sigma), uniform
    burr_sigma: tuple[float, float]
    swing_sd: float
    project_share: float
    low_margin_share: float  # ordinary customers with 8-14 % margin
    line_margin_sd: float
    growth_factor: tuple[float, float]
    shrink_factor: tuple[float, float]
    bell_rise_from: tuple[float, float]  # start of the rise, share of the peak
    bell_open_end: tuple[float, float]  # level at as_of of bells not lost, share of the peak
    season_jitter_months: float  # year-to-year shift of waves and blocks
    schedule_jitter_days: float
    flat_cv: float  # readability bound on the yearly coefficient of variation, no trend


_KNOBS = {
    "clean": _Knobs(
        messy=False,
        regularity=(0.7, 8.0),
        burr_regularity=(3.0, 8.0),
        lumpy_regularity=(2.0, 8.0),
        sigma=(0.3, 0.9),
        burr_sigma=(0.3, 0.6),
        swing_sd=0.08,
        project_share=0.05,
        low_margin_share=0.0,
        line_margin_sd=0.03,
        growth_factor=(2.0, 6.0),
        shrink_factor=(2.0, 8.0),
        bell_rise_from=(0.05, 0.25),
        bell_open_end=(0.10, 0.30),
        season_jitter_months=0.25,
        schedule_jitter_days=4.0,
        flat_cv=0.20,
    ),
    "messy": _Knobs(
        messy=True,
        regularity=(0.5, 4.0),
        burr_regularity=(2.0, 6.0),
        lumpy_regularity=(1.5, 5.0),
        sigma=(0.5, 1.2),
        burr_sigma=(0.4, 0.8),
        swing_sd=0.14,
        project_share=0.20,
        low_margin_share=0.25,
        line_margin_sd=0.06,
        growth_factor=(1.6, 4.0),
        shrink_factor=(1.6, 4.0),
        bell_rise_from=(0.08, 0.30),
        bell_open_end=(0.10, 0.35),
        season_jitter_months=0.5,
        schedule_jitter_days=6.0,
        flat_cv=0.25,
    ),
}


@dataclass(frozen=True)
class _Grid:
    """The daily time axis from 2021-01-01 to the last day generated."""

    day: FloatArray  # (D,) days since 2021-01-01
    month_of_year: IntArray  # (D,) 0 = January
    year: IntArray  # (D,) 0 = 2021
    year_position: FloatArray  # (D,) position in the year in months, [0, 12)

    @property
    def size(self) -> int:
        return int(self.day.size)


def _grid(extra_months: int) -> _Grid:
    end = (np.datetime64("2026-01", "M") + extra_months).astype("datetime64[D]")
    dates = np.arange(_ORIGIN, end)
    months = dates.astype("datetime64[M]").astype(np.int64)
    day = np.arange(dates.size, dtype=np.float64)
    return _Grid(
        day=day,
        month_of_year=months % 12,
        year=months // 12 - 51,
        year_position=((day + 0.5) / 365.25 % 1.0) * 12.0,
    )


@dataclass(frozen=True)
class _Cohort:
    """The customers of one type: their level curves and ordering habits."""

    level: FloatArray  # (n, D) revenue level, any scale (normalised later)
    active: BoolArray  # (n, D) days on which the customer may order
    fresh: BoolArray  # new customer: first order on its first active day
    annual: FloatArray  # € a year at the mean level of the labelled history
    rate: FloatArray  # orders a month at that level
    freq_share: FloatArray  # share of the level change carried by the order rate
    regularity: FloatArray  # gamma shape of the gaps in operational time
    scheduled: BoolArray  # fixed schedule (S_n = phase + n + jitter) instead of gaps
    sigma: FloatArray
    margin: FloatArray
    lines_p: FloatArray  # lines per order = 1 + Binomial(4, lines_p)
    exempt: BoolArray  # not subject to the readability guard (burrs)
    fixed_rate: BoolArray  # the guard may not change the order rate (lumpy, scheduled)
    noise_bound: FloatArray  # readability: largest coefficient of variation of a year's revenue

    @property
    def n(self) -> int:
        return int(self.level.shape[0])


# --------------------------------------------------------------------------- draws


def _uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> FloatArray:
    return rng.uniform(bounds[0], bounds[1], n)


def _log_uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> FloatArray:
    return np.exp(rng.uniform(np.log(bounds[0]), np.log(bounds[1]), n))


def _smoothstep(x: FloatArray) -> FloatArray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _history(
    n: int, knobs: _Knobs, rng: np.random.Generator, *, min_months: float = 30.0
) -> tuple[FloatArray, BoolArray]:
    """First active day and whether the customer is new (starts inside the window).

    clean: 30 % start after 6-30 months (at most 60 - min_months), the rest at the start;
    messy: histories of min_months-60 months, a quarter the full 60.
    """
    latest = _LABELLED_MONTHS - min_months
    if knobs.messy:
        months = rng.uniform(0.0, latest, n) * (rng.random(n) >= 0.25)
    else:
        months = rng.uniform(6.0, min(30.0, latest), n) * (rng.random(n) < 0.30)
    start = np.floor(months * _MONTH)
    return start, start > 0


def _position(grid: _Grid, start: FloatArray, end: FloatArray) -> FloatArray:
    """Share of the history [start, end) reached on each day: (n, D), < 0 before, > 1 after."""
    return (grid.day[None, :] - start[:, None]) / (end - start)[:, None]


def _active(grid: _Grid, start: FloatArray, end: FloatArray | None = None) -> BoolArray:
    active = grid.day[None, :] >= start[:, None]
    if end is not None:
        active &= grid.day[None, :] < end[:, None]
    return active


def _ramp(grid: _Grid, start: FloatArray, fresh: BoolArray, rng: np.random.Generator) -> FloatArray:
    """New customers rise from 15-50 % to their level within 1-6 months."""
    n = start.size
    length = rng.uniform(1.0, 6.0, n) * _MONTH
    floor = rng.uniform(0.15, 0.5, n)
    x = (grid.day[None, :] - start[:, None]) / length[:, None]
    ramp = floor[:, None] + (1.0 - floor[:, None]) * _smoothstep(x)
    return np.where(fresh[:, None], ramp, 1.0)


def _ramp_end(start: FloatArray, fresh: BoolArray) -> FloatArray:
    """Where a trend starts: after a typical ramp-up for new customers."""
    return start + np.where(fresh, 3.0 * _MONTH, 0.0)


def _swings(
    grid: _Grid, n: int, sd: float, rng: np.random.Generator, *, slow: bool = False
) -> FloatArray:
    """Random swings exp(s(t)), sd of s = `sd`, periods of 2-9 months; with `slow`, about
    half of them 16-36 months long and half as strong instead (a wandering level: only
    where no trend is the label, since a slow swing looks like a trend or a second hump).
    No period near a year."""
    parts = 4
    short = rng.random((n, parts)) < (0.5 if slow else 1.0)
    period = np.where(short, rng.uniform(2.0, 9.0, (n, parts)), rng.uniform(16.0, 36.0, (n, parts)))
    phase = rng.uniform(0.0, 2.0 * np.pi, (n, parts))
    amplitude = sd * np.sqrt(2.0 / parts) * np.where(short, 1.0, 0.5)
    s = np.zeros((n, grid.size))
    for j in range(parts):
        omega = 2.0 * np.pi / (period[:, j] * _MONTH)
        s += amplitude[:, j, None] * np.sin(omega[:, None] * grid.day[None, :] + phase[:, j, None])
    return np.exp(s)


def _drift(grid: _Grid, start: FloatArray, rng: np.random.Generator, ratio: float) -> FloatArray:
    """A slow log-linear drift, end/start of the labelled history in [1/ratio, ratio]."""
    slope = rng.uniform(-np.log(ratio), np.log(ratio), start.size)
    u = _position(grid, start, np.full_like(start, _LABELLED_DAYS))
    return np.exp(slope[:, None] * (u - 0.5))


def _trend(u: FloatArray, power: FloatArray) -> FloatArray:
    """u**p on the labelled history, continued linearly (same slope) after it."""
    u = np.maximum(u, 0.0)
    p = power[:, None]
    return np.where(u <= 1.0, u**p, 1.0 + p * (u - 1.0))


def _trend_bound(change: FloatArray, days: FloatArray) -> FloatArray:
    """Noise bound for a shape resting on a level change of log size `change` over `days`.

    Fitting a line to Y yearly totals with noise CV gives its slope a t value of about
    change * sqrt((Y**2 - 1) / (12 * Y)) / CV; ask for t >= 3.5, CV within 0.08-0.20 (the
    bound holds at the mean level: years at the low end of a trend are noisier).
    """
    years = np.maximum(days / 365.25, 1.5)
    return np.clip(change * np.sqrt((years**2 - 1.0) / (12.0 * years)) / 3.5, 0.08, 0.20)


def _ordinary(n: int, knobs: _Knobs, rng: np.random.Generator) -> dict[str, FloatArray]:
    """Size, rhythm and margin of ordinary (non-burr) customers."""
    annual = np.clip(_TYPICAL_ANNUAL * np.exp(0.45 * rng.standard_normal(n)), 30_000.0, 400_000.0)
    low = rng.random(n) < knobs.low_margin_share
    margin = np.where(low, rng.uniform(0.08, 0.14, n), rng.uniform(0.10, 0.45, n))
    return {
        "annual": annual,
        "rate": _log_uniform(rng, (0.5, 6.0), n),
        "freq_share": rng.uniform(0.3, 1.0, n),
        "regularity": _log_uniform(rng, knobs.regularity, n),
        "sigma": _uniform(rng, knobs.sigma, n),
        "margin": margin,
        "lines_p": rng.uniform(0.05, 0.7, n),
    }


def _cohort(
    level: FloatArray,
    active: BoolArray,
    fresh: BoolArray,
    params: dict[str, FloatArray],
    noise_bound: float | FloatArray,
) -> _Cohort:
    n = level.shape[0]
    return _Cohort(
        level=level,
        active=active,
        fresh=fresh,
        annual=params["annual"],
        rate=params["rate"],
        freq_share=params["freq_share"],
        regularity=params["regularity"],
        scheduled=np.zeros(n, dtype=bool),
        sigma=params["sigma"],
        margin=params["margin"],
        lines_p=params["lines_p"],
        exempt=np.zeros(n, dtype=bool),
        fixed_rate=np.zeros(n, dtype=bool),
        noise_bound=np.broadcast_to(np.asarray(noise_bound, dtype=np.float64), (n,)).copy(),
    )


# --------------------------------------------------------------------------- the six shapes


def _steady(n: int, grid: _Grid, knobs: _Knobs, rng: np.random.Generator) -> _Cohort:
    start, fresh = _history(n, knobs, rng)
    params = _ordinary(n, knobs, rng)
    params["freq_share"] = rng.uniform(0.0, 1.0, n)
    level = (
        _drift(grid, start, rng, 1.25)
        * _swings(grid, n, knobs.swing_sd, rng, slow=True)
        * _ramp(grid, start, fresh, rng)
    )
    rhythm = rng.random(n)
    lumpy = rhythm < 0.20  # every 2-4 months, at no fixed time
    quarterly = (rhythm >= 0.20) & (rhythm < 0.35)  # same calendar months every year
    params["rate"] = np.where(lumpy, 1.0 / rng.uniform(2.0, 4.0, n), params["rate"])
    params["regularity"] = np.where(
        lumpy, _log_uniform(rng, knobs.lumpy_regularity, n), params["regularity"]
    )
    params["rate"] = np.where(quarterly, 1.0 / 3.0, params["rate"])
    # a schedule keeps its calendar months: the level moves the order size only
    params["freq_share"] = np.where(quarterly, 0.0, params["freq_share"])
    # a few orders a year are allowed more noise: lumpiness changes no shape
    fixed = lumpy | quarterly
    bound = np.where(fixed, knobs.flat_cv + 0.05, knobs.flat_cv)
    cohort = _cohort(level, _active(grid, start), fresh, params, bound)
    return replace(cohort, scheduled=quarterly, fixed_rate=fixed)


def _budget_patterns() -> dict[int, IntArray]:
    """Sets of 2-4 budget months: none adjacent, and unevenly spaced (else it is a rhythm)."""
    patterns: dict[int, IntArray] = {}
    for count in (2, 3, 4):
        rows = []
        for months in itertools.combinations(range(12), count):
            gaps = np.diff([*months, months[0] + 12])
            if gaps.min() >= 2 and gaps.max() >= gaps.min() + 2:
                rows.append(months)
        patterns[count] = np.array(rows, dtype=np.int64)
    return patterns


_BUDGET_PATTERNS = _budget_patterns()


def _season(grid: _Grid, n: int, knobs: _Knobs, rng: np.random.Generator) -> FloatArray:
    """A yearly profile, peak 1, trough 0-10 %: wave, block or budget months."""
    kind = rng.choice(3, n, p=[0.4, 0.3, 0.3])  # wave, block, budget months
    width = rng.uniform(2.0, 7.0, n)  # months above half the peak
    centre = rng.uniform(0.0, 12.0, n)
    shift = knobs.season_jitter_months * rng.standard_normal((n, _MAX_YEARS))
    floor = rng.uniform(0.0, 0.10, n)
    offset = grid.year_position[None, :] - centre[:, None] - shift[:, grid.year]
    distance = np.abs((offset + 6.0) % 12.0 - 6.0)  # months from the peak, circular
    half_angle = np.pi * width / 12.0
    gamma = np.log(0.5) / np.log((1.0 + np.cos(half_angle)) / 2.0)
    wave = ((1.0 + np.cos(np.pi * distance / 6.0)) / 2.0) ** gamma[:, None]
    edge = rng.uniform(0.15, 0.4, n)
    block = 1.0 / (1.0 + np.exp(-(width[:, None] / 2.0 - distance) / edge[:, None]))
    weights = np.zeros((n, 12))
    count = rng.integers(2, 5, n)
    for c in (2, 3, 4):
        rows = np.flatnonzero(count == c)
        chosen = _BUDGET_PATTERNS[c][rng.integers(0, len(_BUDGET_PATTERNS[c]), rows.size)]
        weights[rows[:, None], chosen] = rng.uniform(0.4, 1.0, (rows.size, c))
    weights /= weights.max(axis=1, keepdims=True)
    budget = weights[:, grid.month_of_year]
    profile: FloatArray = np.select([kind[:, None] == 0, kind[:, None] == 1], [wave, block], budget)
    return floor[:, None] + (1.0 - floor[:, None]) * profile


def _cyclical(n: int, grid: _Grid, knobs: _Knobs, rng: np.random.Generator) -> _Cohort:
    start, fresh = _history(n, knobs, rng)
    params = _ordinary(n, knobs, rng)
    # the order rate carries the season; order sizes may follow it a little
    params["freq_share"] = np.where(rng.random(n) < 0.4, 1.0, rng.uniform(0.6, 1.0, n))
    level = (
        _season(grid, n, knobs, rng)
        * _drift(grid, start, rng, 1.25)
        * _swings(grid, n, knobs.swing_sd, rng)
        * _ramp(grid, start, fresh, rng)
    )
    # the season must show month by month, not only in the yearly totals
    return _cohort(level, _active(grid, start), fresh, params, 0.75 * knobs.flat_cv)


def _growth(n: int, grid: _Grid, knobs: _Knobs, rng: np.random.Generator) -> _Cohort:
    start, fresh = _history(n, knobs, rng)
    params = _ordinary(n, knobs, rng)
    factor = _log_uniform(rng, knobs.growth_factor, n)
    power = rng.uniform(0.75, 1.3, n)
    trend_start = _ramp_end(start, fresh)
    u = _position(grid, trend_start, np.full(n, float(_LABELLED_DAYS)))
    level = (
        factor[:, None] ** _trend(u, power)
        * _swings(grid, n, knobs.swing_sd, rng)
        * _ramp(grid, start, fresh, rng)
    )
    bound = _trend_bound(np.log(factor), _LABELLED_DAYS - trend_start)
    return _cohort(level, _active(grid, start), fresh, params, bound)


def _shrinking(n: int, grid: _Grid, knobs: _Knobs, rng: np.random.Generator) -> _Cohort:
    params = _ordinary(n, knobs, rng)
    start = np.zeros(n)
    if knobs.messy:
        months = np.where(rng.random(n) < 0.25, np.inf, rng.uniform(30.0, 60.0, n))
    else:
        months = np.where(rng.random(n) < 0.35, _LABELLED_MONTHS - rng.uniform(2, 9, n), np.inf)
    lost = np.isfinite(months) & (months < _LABELLED_MONTHS - 1)
    end = np.where(lost, np.floor(months * _MONTH), float(_LABELLED_DAYS))
    factor = _log_uniform(rng, knobs.shrink_factor, n)
    power = rng.uniform(0.6, 1.25, n)
    level = factor[:, None] ** -_trend(_position(grid, start, end), power) * _swings(
        grid, n, knobs.swing_sd, rng
    )
    active = _active(grid, start, np.where(lost, end, np.inf))
    bound = _trend_bound(np.log(factor), end - start)
    return _cohort(level, active, np.zeros(n, dtype=bool), params, bound)


def _bell(n: int, grid: _Grid, knobs: _Knobs, rng: np.random.Generator) -> _Cohort:
    params = _ordinary(n, knobs, rng)
    if knobs.messy:
        span = rng.uniform(30.0, 60.0, n)
        first = rng.uniform(0.0, 1.0, n) * (_LABELLED_MONTHS - span)
        last = first + span
        lost = last < _LABELLED_MONTHS - 1
    else:
        first = np.where(rng.random(n) < 0.4, 0.0, rng.uniform(3.0, 18.0, n))
        lost = rng.random(n) < 0.6
        last = np.where(lost, rng.uniform(40.0, 58.0, n), float(_LABELLED_MONTHS))
    start = np.floor(first * _MONTH)
    end = np.where(lost, np.floor(last * _MONTH), float(_LABELLED_DAYS))
    peak = rng.uniform(0.3, 0.6, n)[:, None]
    rise_from = _uniform(rng, knobs.bell_rise_from, n)[:, None]
    end_level = np.where(lost, rng.uniform(0.0, 0.10, n), _uniform(rng, knobs.bell_open_end, n))
    end_level = end_level[:, None]
    u = _position(grid, start, end)
    x = np.clip(u / peak, 0.0, 1.0)
    y = np.clip((u - peak) / (1.0 - peak), 0.0, 1.0)
    rise = rise_from + (1.0 - rise_from) * (1.0 - (1.0 - x) ** 2)
    fall = end_level + (1.0 - end_level) * np.cos(np.pi / 2.0 * y) ** 2
    after = end_level * np.exp(-3.0 * np.maximum(u - 1.0, 0.0))
    level = np.where(u < peak, rise, np.where(u <= 1.0, fall, after))
    level = level * _swings(grid, n, knobs.swing_sd, rng)
    active = _active(grid, start, np.where(lost, end, np.inf))
    span = (end - start)[:, None]
    bound = np.minimum(
        _trend_bound(-np.log(rise_from), peak * span),
        _trend_bound(-np.log(np.maximum(end_level, 0.05)), (1.0 - peak) * span),
    )[:, 0]
    return _cohort(level, active, start > 0, params, bound)


def _burr(n: int, grid: _Grid, knobs: _Knobs, rng: np.random.Generator) -> _Cohort:
    start, fresh = _history(n, knobs, rng, min_months=36.0)
    shape = rng.choice(4, n, p=[0.55, 0.15, 0.15, 0.15])  # flat, growth, shrinking, season
    factor = rng.uniform(1.3, 2.5, n)
    power = rng.uniform(0.7, 1.4, n)
    u = _position(grid, _ramp_end(start, fresh), np.full(n, float(_LABELLED_DAYS)))
    trend = factor[:, None] ** _trend(u, power)
    season = _season(grid, n, knobs, rng)
    trough = rng.uniform(0.35, 0.6, n)[:, None]
    underlying = np.select(
        [shape[:, None] == 1, shape[:, None] == 2, shape[:, None] == 3],
        [trend, 1.0 / trend, trough + (1.0 - trough) * season],
        _drift(grid, start, rng, 1.25),
    )
    swings = _swings(grid, n, knobs.swing_sd, rng, slow=True)
    level = underlying * swings * _ramp(grid, start, fresh, rng)
    params = {
        "annual": _TYPICAL_ANNUAL * _log_uniform(rng, (0.03, 0.12), n),
        "rate": _log_uniform(rng, (1.5, 4.0), n),
        "freq_share": rng.uniform(0.0, 1.0, n),
        "regularity": _log_uniform(rng, knobs.burr_regularity, n),
        "sigma": _uniform(rng, knobs.burr_sigma, n),
        "margin": rng.uniform(-0.15, 0.05, n),
        "lines_p": rng.uniform(0.0, 0.3, n),
    }
    cohort = _cohort(level, _active(grid, start), fresh, params, knobs.flat_cv)
    return replace(cohort, exempt=np.ones(n, dtype=bool))


_SHAPE_BUILDERS = {
    "steady": _steady,
    "cyclical": _cyclical,
    "bell": _bell,
    "growth": _growth,
    "shrinking": _shrinking,
    "burr": _burr,
}


def _readable(cohort: _Cohort, sigma_min: float) -> _Cohort:
    """Keep the yearly revenue noise sqrt((e^s^2 - 1 + 1/k) / orders) below the cohort's
    noise bound. Where it is f times too large (in variance), the order rate rises by
    sqrt(f) (to at most 6 a month; lumpy and scheduled customers keep theirs), then sigma
    falls (to sigma_min) and k rises as far as still needed. Burrs keep their habits."""
    k, sigma = cohort.regularity, cohort.sigma
    gap_noise = np.where(cohort.scheduled, 0.0, 1.0 / k)
    budget = cohort.noise_bound**2 * 12.0
    excess = np.maximum((np.expm1(sigma**2) + gap_noise) / (budget * cohort.rate), 1.0)
    raised = np.minimum(cohort.rate * np.sqrt(excess), np.maximum(cohort.rate, 6.0))
    rate = np.where(cohort.fixed_rate, cohort.rate, raised)
    room = budget * rate - gap_noise
    fitting = np.sqrt(np.log1p(np.maximum(room, 1e-9)))
    # few orders a year leave room only for similar sizes
    floor = np.where(cohort.fixed_rate, min(sigma_min, 0.25), sigma_min)
    sigma = np.minimum(sigma, np.maximum(fitting, floor))
    room = budget * rate - np.expm1(sigma**2)
    k = np.minimum(np.maximum(k, 1.0 / np.maximum(room, 1e-3)), 20.0)
    keep = cohort.exempt
    return replace(
        cohort,
        rate=np.where(keep, cohort.rate, rate),
        sigma=np.where(keep, cohort.sigma, sigma),
        regularity=np.where(keep, cohort.regularity, k),
    )


# --------------------------------------------------------------------------- orders and lines


@dataclass(frozen=True)
class _Orders:
    """Orders of one cohort (customer index, day, size) and their lines."""

    customer: IntArray  # (orders,)
    day: IntArray  # (orders,)
    line_order: IntArray  # (lines,) index into the orders
    revenue: FloatArray  # (lines,)
    offering: IntArray  # (lines,) 1..60
    margin_noise: FloatArray  # (lines,)


def _intensity(cohort: _Cohort) -> tuple[FloatArray, FloatArray]:
    """Orders a day lambda(t) and the median order size m(t), both (n, D)."""
    labelled = cohort.active[:, :_LABELLED_DAYS]

    def labelled_mean(x: FloatArray) -> FloatArray:
        window = np.where(labelled, x[:, :_LABELLED_DAYS], 0.0)
        days = labelled.sum(axis=1, keepdims=True).astype(np.float64)
        mean: FloatArray = window.sum(axis=1, keepdims=True) / days
        return mean

    level = np.maximum(cohort.level, 1e-6)
    level = level / labelled_mean(level)
    freq = level ** cohort.freq_share[:, None]
    freq = freq / labelled_mean(freq)
    rate_day = cohort.rate / _MONTH
    intensity = np.where(cohort.active, rate_day[:, None] * freq, 0.0)
    base = cohort.annual / 365.25 / rate_day / np.exp(cohort.sigma**2 / 2.0)
    # level / freq = the size's share of the level change (about 1 on average)
    size = base[:, None] * np.maximum(level / freq, 0.05)
    return intensity, size


@dataclass(frozen=True)
class _Draws:
    """Operational arrival times and per-order draws, (n, W) or (n, W, 5)."""

    arrival: FloatArray
    z: FloatArray  # order-size noise
    lines: IntArray  # lines in the order
    weights: FloatArray  # how the order's value splits over its lines
    pick: FloatArray  # where in the assortment the lines start
    noise: FloatArray  # per-line margin noise


def _arrivals(
    cohort: _Cohort,
    cumulative: FloatArray,
    knobs: _Knobs,
    params_rng: np.random.Generator,
    order_rng: np.random.Generator,
) -> _Draws:
    """Operational arrival times S and per-order draws, chunk by chunk.

    The chunks come from `order_rng` alone and in a fixed order, so the first columns do not
    depend on how far the grid reaches (extra_months).
    """
    n = cohort.n
    total = cumulative[:, -1]
    labelled_total = cumulative[:, _LABELLED_DAYS - 1]
    k = np.where(cohort.scheduled, 1.0, cohort.regularity)[:, None]
    # existing customers' first order after a uniform share of a gap; new ones at once
    lead = np.where(cohort.fresh, 0.0, params_rng.random(n))
    phase = _schedule_phase(cohort, cumulative, params_rng)
    jitter = knobs.schedule_jitter_days / (3.0 * _MONTH)  # in gaps of a quarter
    chunks: list[_Draws] = []
    last = np.zeros(n)
    column = 0
    while True:
        gaps = order_rng.gamma(k, 1.0 / k, (n, _CHUNK))
        if column == 0:
            gaps[:, 0] *= lead
        scheduled = phase[:, None] + column + np.arange(_CHUNK)[None, :]
        scheduled += jitter * order_rng.standard_normal((n, _CHUNK))
        renewal = last[:, None] + np.cumsum(gaps, axis=1)
        arrival = np.where(cohort.scheduled[:, None], np.maximum(scheduled, 0.0), renewal)
        lines = order_rng.binomial(_MAX_LINES - 1, cohort.lines_p[:, None], (n, _CHUNK))
        chunks.append(
            _Draws(
                arrival=arrival,
                z=order_rng.standard_normal((n, _CHUNK)),
                lines=1 + lines.astype(np.int64),
                weights=order_rng.exponential(1.0, (n, _CHUNK, _MAX_LINES)),
                pick=order_rng.random((n, _CHUNK)),
                noise=order_rng.standard_normal((n, _CHUNK, _MAX_LINES)),
            )
        )
        last = renewal[:, -1]
        column += _CHUNK
        if np.all(np.minimum(arrival[:, -1], last) >= total):
            break
    arrival = np.concatenate([c.arrival for c in chunks], axis=1)
    # every customer orders at least once in its labelled history
    arrival[:, 0] = np.minimum(arrival[:, 0], 0.5 * labelled_total)
    return _Draws(
        arrival=arrival,
        z=np.concatenate([c.z for c in chunks], axis=1),
        lines=np.concatenate([c.lines for c in chunks], axis=1),
        weights=np.concatenate([c.weights for c in chunks], axis=1),
        pick=np.concatenate([c.pick for c in chunks], axis=1),
        noise=np.concatenate([c.noise for c in chunks], axis=1),
    )


def _schedule_phase(
    cohort: _Cohort, cumulative: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """Operational time of a scheduled customer's first order: a fixed day of the quarter."""
    n = cohort.n
    quarter = 3.0 * _MONTH
    target = rng.integers(0, 3, n) * _MONTH + rng.uniform(10.0, 20.0, n)  # day of its quarter
    start = np.argmax(cumulative > 0, axis=1).astype(np.float64)
    phase: FloatArray = ((target - start) % quarter) / quarter
    return phase


def _orders(
    cohort: _Cohort,
    grid: _Grid,
    knobs: _Knobs,
    params_rng: np.random.Generator,
    order_rng: np.random.Generator,
) -> _Orders:
    n = cohort.n
    intensity, size = _intensity(cohort)
    cumulative = np.cumsum(intensity, axis=1)
    drawn = _arrivals(cohort, cumulative, knobs, params_rng, order_rng)
    rows, cols = np.nonzero(drawn.arrival < cumulative[:, -1:])
    # first day whose cumulative intensity exceeds the arrival, all customers in one search
    offset = np.arange(n, dtype=np.float64) * _KEY_STRIDE
    keys = (cumulative + offset[:, None]).ravel()
    found = np.searchsorted(keys, drawn.arrival[rows, cols] + offset[rows], side="right")
    day = found - rows * grid.size
    order_size = size[rows, day] * np.exp(cohort.sigma[rows] * drawn.z[rows, cols])
    project = _project_orders(cohort, size, knobs.project_share, params_rng)
    extra = project.draws
    return _split_lines(
        cohort,
        params_rng,
        customer=np.concatenate([rows, project.customer]).astype(np.int64),
        day=np.concatenate([day, project.day]).astype(np.int64),
        order_size=np.concatenate([order_size, project.size]),
        draws=_Draws(
            arrival=np.empty(0),
            z=np.empty(0),
            lines=np.concatenate([drawn.lines[rows, cols], extra.lines]),
            weights=np.concatenate([drawn.weights[rows, cols], extra.weights]),
            pick=np.concatenate([drawn.pick[rows, cols], extra.pick]),
            noise=np.concatenate([drawn.noise[rows, cols], extra.noise]),
        ),
    )


@dataclass(frozen=True)
class _Projects:
    """One-off project orders and their line draws."""

    customer: IntArray
    day: IntArray
    size: FloatArray
    draws: _Draws


def _project_orders(
    cohort: _Cohort, size: FloatArray, share: float, rng: np.random.Generator
) -> _Projects:
    """One order 5-15 times the usual size (at most a year's revenue) on a random active day
    of the labelled history."""
    n = cohort.n
    has_project = rng.random(n) < share
    place = rng.random(n)
    multiple = rng.uniform(5.0, 15.0, n)
    labelled = cohort.active[:, :_LABELLED_DAYS]
    first = np.argmax(labelled, axis=1)
    last = _LABELLED_DAYS - 1 - np.argmax(labelled[:, ::-1], axis=1)
    day = np.floor(first + place * (last - first + 1)).astype(np.int64)
    lines = 1 + rng.binomial(_MAX_LINES - 1, cohort.lines_p).astype(np.int64)
    weights = rng.exponential(1.0, (n, _MAX_LINES))
    pick = rng.random(n)
    noise = rng.standard_normal((n, _MAX_LINES))
    chosen = np.flatnonzero(has_project)
    return _Projects(
        customer=chosen.astype(np.int64),
        day=day[chosen],
        size=np.minimum(multiple[chosen] * size[chosen, day[chosen]], cohort.annual[chosen]),
        draws=_Draws(
            arrival=np.empty(0),
            z=np.empty(0),
            lines=lines[chosen],
            weights=weights[chosen],
            pick=pick[chosen],
            noise=noise[chosen],
        ),
    )


def _split_lines(
    cohort: _Cohort,
    rng: np.random.Generator,
    *,
    customer: IntArray,
    day: IntArray,
    order_size: FloatArray,
    draws: _Draws,
) -> _Orders:
    """Each order's 1-5 lines: its value split by random weights, offerings from the
    customer's assortment (consecutive codes from a random one, so no code repeats)."""
    n = cohort.n
    first_offering = rng.integers(0, _OFFERINGS, n)
    assortment = rng.integers(_MAX_LINES, 26, n)
    present = np.arange(_MAX_LINES)[None, :] < draws.lines[:, None]
    weights = np.where(present, draws.weights, 0.0)
    share = weights / weights.sum(axis=1, keepdims=True)
    base = np.floor(draws.pick * assortment[customer]).astype(np.int64)
    slot = (base[:, None] + np.arange(_MAX_LINES)[None, :]) % assortment[customer][:, None]
    offering = (first_offering[customer][:, None] + slot) % _OFFERINGS + 1
    order_index, line_index = np.nonzero(present)
    return _Orders(
        customer=customer,
        day=day,
        line_order=order_index.astype(np.int64),
        revenue=order_size[order_index] * share[order_index, line_index],
        offering=offering[order_index, line_index].astype(np.int64),
        margin_noise=draws.noise[order_index, line_index],
    )


# --------------------------------------------------------------------------- the book


def _cost(
    revenue: FloatArray,
    customer: IntArray,
    labelled: BoolArray,
    margin: FloatArray,
    noise: FloatArray,
) -> FloatArray:
    """Cost = revenue * (1 - margin - e); e recentred so each customer's labelled margin
    is exactly its margin rate."""
    customers = int(margin.size)
    weight = np.where(labelled, revenue, 0.0)
    mean = np.bincount(customer, weight * noise, customers) / np.maximum(
        np.bincount(customer, weight, customers), 1e-9
    )
    return revenue * (1.0 - margin[customer] - (noise - mean[customer]))


def _sequence(customer: IntArray, day: IntArray) -> IntArray:
    """Each order's number among its customer's orders by date: 1, 2, ..."""
    ordering = np.lexsort((day, customer))
    sorted_customer = customer[ordering]
    first = np.searchsorted(sorted_customer, sorted_customer, side="left")
    sequence = np.empty_like(ordering)
    sequence[ordering] = np.arange(ordering.size) - first + 1
    return sequence


def _digits(numbers: IntArray, width: int) -> pa.Array:
    return pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width=width, padding="0")


def generate(
    *, variant: str = "clean", customers_per_type: int = 100, seed: int = 0, extra_months: int = 0
) -> LabelledBook:
    """A book of invoice lines whose customers were made with a known value type.

    `customers_per_type` customers of each of the six SHAPES, history 2021-01-01 to
    2025-12-31 (`as_of`); with `extra_months` the same processes go on after it and the
    lines up to `as_of` stay exactly the same.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}, expected one of {VARIANTS}")
    if customers_per_type < 1:
        raise ValueError("customers_per_type must be >= 1")
    if not 0 <= extra_months <= _MAX_EXTRA_MONTHS:
        raise ValueError(f"extra_months must be within 0..{_MAX_EXTRA_MONTHS}")
    knobs = _KNOBS[variant]
    grid = _grid(extra_months)
    n = customers_per_type
    streams = np.random.SeedSequence([seed, VARIANTS.index(variant)]).spawn(2 * len(SHAPES) + 1)

    parts: list[_Orders] = []
    margins = []
    for index, shape in enumerate(SHAPES):
        params_rng = np.random.default_rng(streams[2 * index])
        order_rng = np.random.default_rng(streams[2 * index + 1])
        cohort = _SHAPE_BUILDERS[shape](n, grid, knobs, params_rng)
        cohort = _readable(cohort, sigma_min=knobs.sigma[0])
        parts.append(_orders(cohort, grid, knobs, params_rng, order_rng))
        margins.append(cohort.margin)

    # customer numbers in random order, so an id says nothing about the type
    numbers = np.random.default_rng(streams[-1]).permutation(len(SHAPES) * n) + 1
    order_customer = numbers[np.concatenate([p.customer + i * n for i, p in enumerate(parts)])]
    order_day = np.concatenate([p.day for p in parts])
    order_offsets = np.cumsum([0] + [p.day.size for p in parts[:-1]])
    line_order = np.concatenate(
        [p.line_order + o for p, o in zip(parts, order_offsets, strict=True)]
    )
    line_customer = order_customer[line_order]
    line_day = order_day[line_order]
    sequence = _sequence(order_customer, order_day)[line_order]
    revenue = np.maximum(np.round(np.concatenate([p.revenue for p in parts]), 2), 0.01)
    noise = np.concatenate([p.margin_noise for p in parts]) * knobs.line_margin_sd
    margin = np.concatenate(margins)[np.argsort(numbers)]  # by customer number
    cost = _cost(revenue, line_customer - 1, line_day < _LABELLED_DAYS, margin, noise)
    offering = np.concatenate([p.offering for p in parts])

    order = np.lexsort((offering, sequence, line_customer))
    table = pa.Table.from_arrays(
        [
            pc.binary_join_element_wise("R", _digits(line_customer[order], 6), ""),
            pa.array((_ORIGIN + line_day[order]).astype("datetime64[D]"), pa.date32()),
            pa.array(revenue[order], pa.float64()),
            pa.array(np.round(cost[order], 2), pa.float64()),
            pc.binary_join_element_wise(
                "RI", _digits(line_customer[order], 6), "-", _digits(sequence[order], 4), ""
            ),
            pc.binary_join_element_wise("S", _digits(offering[order], 2), ""),
        ],
        schema=LINE_SCHEMA,
    )
    labels = {
        f"R{numbers[index * n + j]:06d}": shape
        for index, shape in enumerate(SHAPES)
        for j in range(n)
    }
    return LabelledBook(lines=table, labels=labels, as_of=AS_OF)
