"""Whether a customer's year has a season that recurs: the evidence for `cyclical`.

A calendar pattern counts only if it foretells the swings of years it was not fitted on
(leave one year out), so that a one-off order, or ordering every two or three months
evenly over the year, is no season (docs/value-types.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import ValueTypeConfig
from kundenbild.analytics.shapes.history import MonthlyValues

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Season:
    """Per customer: how strongly its calendar pattern recurs, and which months it holds."""

    recurrence: Array  # share of the month-to-month swings the other years foretell
    swing: Array  # relative size of the recurring pattern
    months: IntArray  # bit m-1 set: calendar month m lies above the year's mean
    share: Array  # share of the revenue those months brought
    years: IntArray  # years of history the pattern was checked on

    def recurs(self, config: ValueTypeConfig) -> BoolArray:
        """Whether the pattern recurs year after year and carries the year: cyclical."""
        recurring: BoolArray = (
            (self.years >= 2)
            & (self.recurrence >= config.cyclical_min_recurrence)
            & (self.swing >= config.cyclical_min_swing)
        )
        return recurring


def season_of(
    values: MonthlyValues, first: IntArray, end: IntArray, config: ValueTypeConfig
) -> Season:
    """`_season` for the customers with history enough to hold a season twice; nothing
    recurs for the others."""
    n = len(first)
    season = Season(
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
) -> Season:
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
    return Season(recurrence, swing, bits, season_share, years)
