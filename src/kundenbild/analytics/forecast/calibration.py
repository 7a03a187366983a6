"""What the data's own past says about the forecast: an internal backtest.

Before forecasting from the as-of date, the analysis repeats itself on the lines up to an
earlier origin (a year before, or fewer months where the data are shorter) and compares
its forecasts with what the customers really bought up to the as-of date. Two things are
learnt there and nowhere else, because they differ from one book of business to the next:

- **which model fits new customers**, per history length: in one book a customer's first
  months are a ramp-up to a large level (the purchase model's rate is right), in another
  most new customers buy once and again a little (their revenue so far is right). The
  model with the smallest error among comparable customers at the origin is taken, if
  the backtest covers a whole year (a shorter one favours whichever model is right for a
  few months) and there were at least `calibration_min_customers` of them; otherwise
  `model_new`.
- **how wide the 80 % band must be**: split conformal prediction (Vovk et al. 2005; Lei
  et al. 2018, "Distribution-free predictive inference for regression"): per segment, the
  10th and 90th percentile of actual / forecast at the origin, applied to the forecast
  from the as-of date. A ratio learnt over h months is taken to the power sqrt(h / H)
  for a horizon of H months: a longer horizon averages more months (for independent
  months the spread of the log falls with the square root of their number).

- **the level of new customers' forecast**: the purchase models' level depends on the
  book (its order values, how many new customers buy again); where their forecast
  missed the new customers of the same history length in the backtest, the same factor
  (shrunk towards 1 as n / (n + 30) for n customers, between ½ and 2) corrects it.

The segments are the value types, and new customers by months of history. For the
established customers no level is learnt: one year's ratio per value type moved by as
much as the error it would correct, from one year to the next, in every generated book
we tried (docs/forecast.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import ForecastConfig
from kundenbild.analytics.shapes.value_types import VALUE_TYPES

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# new customers by months since their first order; every value type for the others
NEW_BANDS = ((1, 3), (4, 6), (7, 12))
SEGMENTS = (*VALUE_TYPES, *(f"new_{lo}_{hi}" for lo, hi in NEW_BANDS))
NEW_MODELS = ("last_12m", "shape", "bgnbd_truncated", "cautious")
SHRINK_CUSTOMERS = 30.0
MIN_HORIZON_MONTHS = 1
MIN_HISTORY_MONTHS = 3  # months up to the origin, its own included


def segments(
    value_type: IntArray, new: npt.NDArray[np.bool_], history_months: IntArray
) -> IntArray:
    """Each customer's segment: its value type, or its history band if it is new."""
    band = np.searchsorted(np.array([hi for _, hi in NEW_BANDS]), history_months, side="left")
    band = np.minimum(band, len(NEW_BANDS) - 1)
    result: IntArray = np.where(new, len(VALUE_TYPES) + band, value_type).astype(np.int64)
    return result


def backtest_origin(as_of: date, data_start: date | None) -> tuple[date, date] | None:
    """The internal backtest's origin and end: whole months, the origin a month end at
    most twelve months before the last full month of the data, with at least three
    months of history up to it; None if the data are too short for a month after."""
    if data_start is None:
        return None
    last_full = _month_end(as_of) if as_of == _month_end(as_of) else _month_end(_back(as_of, 1))
    start_index = data_start.year * 12 + data_start.month - 1
    end_index = last_full.year * 12 + last_full.month - 1
    horizon = min(12, end_index - start_index - MIN_HISTORY_MONTHS + 1)
    if horizon < MIN_HORIZON_MONTHS:
        return None
    return _month_end(_back(last_full, horizon)), last_full


def _back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


@dataclass(frozen=True)
class Segment:
    name: str
    customers: int
    model: str  # the default forecast's model for this segment
    level: float  # the default forecast is multiplied by this
    band_low: float  # actual / forecast, lower end of the band
    band_high: float
    errors: dict[str, float]  # mean absolute error of each candidate model (new customers)


@dataclass(frozen=True)
class Calibration:
    """What the internal backtest learnt; `origin` None means it could not be run and
    every segment keeps the configured model and the band from the customer's own
    month-to-month swings."""

    origin: date | None
    until: date | None
    customers: int
    segments: tuple[Segment, ...]

    @classmethod
    def none(cls, config: ForecastConfig) -> Calibration:
        return cls(
            None,
            None,
            0,
            tuple(
                Segment(name, 0, _configured(name, config), 1.0, np.nan, np.nan, {})
                for name in SEGMENTS
            ),
        )

    @property
    def horizon_months(self) -> float:
        if self.origin is None or self.until is None:
            return 0.0
        return (self.until - self.origin).days / (365.25 / 12)

    def models(self) -> tuple[str, ...]:
        """The default model of each segment, in `SEGMENTS` order."""
        return tuple(segment.model for segment in self.segments)

    def levels(self) -> Array:
        """The level factor of each segment, in `SEGMENTS` order."""
        return np.array([segment.level for segment in self.segments])

    def band(self, months: float) -> tuple[Array, Array]:
        """Lower and upper band ratio of each segment for a horizon of `months` (NaN: no
        band learnt): the learnt ratios to the power sqrt(learnt horizon / months)."""
        power = np.sqrt(self.horizon_months / max(months, 1e-9)) if self.origin else 1.0
        low = np.array([s.band_low for s in self.segments])
        high = np.array([s.band_high for s in self.segments])
        with np.errstate(divide="ignore", invalid="ignore"):
            return (
                np.where(low > 0, low**power, low),
                np.where(high > 0, high**power, high),
            )

    def as_dict(self) -> dict[str, Any]:
        """For MODEL.json and the stored run: JSON has no NaN, a missing band is None."""
        return {
            "origin": self.origin.isoformat() if self.origin else None,
            "until": self.until.isoformat() if self.until else None,
            "customers": self.customers,
            "segments": [_finite(asdict(s)) for s in self.segments if s.customers],
        }


def _finite(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: None if isinstance(value, float) and not np.isfinite(value) else value
        for key, value in values.items()
    }


def _configured(segment: str, config: ForecastConfig) -> str:
    return config.model_new if segment.startswith("new_") else config.model_for(segment)


def calibrate(
    origin: date,
    until: date,
    segment: IntArray,
    forecasts: dict[str, Array],
    actual: Array,
    config: ForecastConfig,
) -> Calibration:
    """Learn the new customers' model and every segment's band from the backtest.

    `forecasts` holds each model's forecast from the origin to `until`, `segment` each
    customer's segment at the origin, `actual` what it bought in between.
    """
    enough = config.calibration_min_customers
    chosen: list[str] = []
    errors: list[dict[str, float]] = []
    for code, name in enumerate(SEGMENTS):
        rows = segment == code
        model = _configured(name, config)
        mae: dict[str, float] = {}
        whole_year = (until - origin).days >= 365
        if name.startswith("new_") and whole_year and rows.sum() >= enough:
            mae = {m: float(np.abs(forecasts[m][rows] - actual[rows]).mean()) for m in NEW_MODELS}
            model = min(mae, key=lambda m: mae[m])
        chosen.append(model)
        errors.append(mae)
    default = np.zeros(len(actual))
    for code, model in enumerate(chosen):
        rows = segment == code
        default[rows] = forecasts[model][rows]
    levels = _new_levels(segment, default, actual, enough)
    for code, level in enumerate(levels):
        default[segment == code] *= level
    lows, highs = _bands(segment, default, actual, config)
    return Calibration(
        origin=origin,
        until=until,
        customers=len(actual),
        segments=tuple(
            Segment(
                name,
                int((segment == code).sum()),
                chosen[code],
                levels[code],
                lows[code],
                highs[code],
                errors[code],
            )
            for code, name in enumerate(SEGMENTS)
        ),
    )


def _new_levels(segment: IntArray, forecast: Array, actual: Array, enough: int) -> list[float]:
    """Per segment the factor on new customers' forecasts (1 for the others): actual /
    forecast of the segment, shrunk towards 1 and kept between ½ and 2. Never pooled
    over history lengths: a cohort three months old fades unlike one of nine months."""

    def level(rows: npt.NDArray[np.bool_]) -> float:
        n, predicted = int(rows.sum()), float(forecast[rows].sum())
        if n < enough or predicted <= 0:
            return float("nan")
        weight = n / (n + SHRINK_CUSTOMERS)
        return float(
            np.clip(np.exp(weight * np.log(max(actual[rows].sum() / predicted, 1e-9))), 0.5, 2.0)
        )

    levels = []
    for code in range(len(SEGMENTS)):
        own = level(segment == code) if code >= len(VALUE_TYPES) else 1.0
        levels.append(own if np.isfinite(own) else 1.0)
    return levels


def _bands(
    segment: IntArray, forecast: Array, actual: Array, config: ForecastConfig
) -> tuple[list[float], list[float]]:
    """Per segment, the quantiles of actual / forecast that hold `band_coverage` of the
    customers between them.

    Where more than the lower tail bought nothing at all, the band starts at nothing and
    reaches up to the `band_coverage` quantile: the customers who stop are inside it,
    and a band from the 10th to the 90th percentile would hold 90 % of them, not 80 %.
    One pooled band for all segments: per segment, the ratios of one year moved too much
    to the next in the generated books (docs/forecast.md); the segments are kept for the
    report.
    """
    tail = (1.0 - config.band_coverage) / 2.0
    # a forecast below a cent says "nothing"; its ratio would only be noise (or overflow)
    usable = forecast >= 0.01
    ratio = np.where(usable, actual / np.where(usable, forecast, 1.0), np.nan)
    values = ratio[usable]
    low, high = float("nan"), float("nan")
    if len(values) >= config.calibration_min_customers:
        low = float(np.quantile(values, tail))
        upper = 1.0 - tail if low > 0 else config.band_coverage
        high = float(np.quantile(values, upper))
        low = max(low, 0.0)
    return [low] * len(SEGMENTS), [high] * len(SEGMENTS)
