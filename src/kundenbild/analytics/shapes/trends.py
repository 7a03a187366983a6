"""Whether a customer's level moves one way, or rises to a peak and falls: the evidence for
`growth`, `shrinking` and `bell`.

Both are fitted on a customer's life in quarters (half-years for customers who order less
often), as quasi-Poisson regressions, and count only where they stand out from the
customer's own quarter-to-quarter noise (docs/value-types.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import ValueTypeConfig
from kundenbild.analytics.glm import poisson_fit

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Trend:
    """Per customer: whether its level rose or fell beyond a steady drift, and by how much."""

    growth: BoolArray
    shrinking: BoolArray
    months: IntArray  # months the trend was measured over (after ramp-up)
    factor: Array  # level at the end / level at the start of those months
    z: Array  # the trend in standard errors (noise) from no change
    quarterly: Array  # mean change per quarter, as a fraction


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


def trend_of(
    revenue: Array, settled: IntArray, last: IntArray, width: IntArray, config: ValueTypeConfig
) -> Trend:
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
    return Trend(
        growth=beyond & (slope > 0),
        shrinking=beyond & (slope < 0),
        months=np.round(span).astype(np.int64),
        factor=np.exp(slope),
        z=z,
        quarterly=np.expm1(slope / np.maximum(span / 3.0, 1.0)),
    )


@dataclass(frozen=True)
class Bell:
    """Per customer: whether it rose to a peak and fell since, with the evidence."""

    bell: BoolArray
    peak_offset: IntArray  # months from the first order to the peak
    rise: Array  # peak level / level of the first half-year
    fall: Array  # peak level / level of the last half-year
    rise_z: Array  # the rise up to the peak, in standard errors
    fall_z: Array  # the fall after it, in standard errors (negative)


def bell_of(
    revenue: Array, first: IntArray, last: IntArray, width: IntArray, config: ValueTypeConfig
) -> Bell:
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
        return Bell(np.zeros(n, bool), np.zeros(n, np.int64), empty, empty, empty, empty)
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
    return Bell(bell, peak_month.astype(np.int64), rise, fall, rise_z, fall_z)
