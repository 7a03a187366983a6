"""Every threshold the analysis decides with, in frozen dataclasses passed explicitly.

`docs/value-types.md` explains each one. A TOML file can override any of them:

    [value_types]
    trend_min_factor = 2.5

    [phases]
    lost_rhythm_factor = 4

Unknown sections or keys are refused, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """The configuration file cannot be used; the message says which key and why."""


@dataclass(frozen=True)
class ValueTypeConfig:
    """How the six shapes of DOMAIN.md are told apart (decision order: see value_types)."""

    # too little history to judge a shape
    min_history_months: int = 12
    min_orders: int = 3
    # a customer whose first order falls this close to the start of the data was already a
    # customer before the export began (left-truncated): it has no visible ramp-up. With
    # `detect_left_truncation`, only if the data look like an export cut off (many more
    # first orders in the first month than in the months after it); a book that starts
    # with its customers' first orders (an acquisition cohort) has no such customers.
    left_truncation_months: int = 6
    detect_left_truncation: bool = True
    # a new customer's ramp-up ends when its last three months reach half its typical
    # three months, at most this many months after its first order
    ramp_up_months: int = 6
    ramp_up_reached: float = 0.8
    # burr: long, regular, of little value, margin minimal or negative
    burr_min_months: int = 24
    burr_min_quarter_coverage: float = 0.6
    # either in the lower part of the portfolio with (at most) a minimal margin ...
    burr_max_value_percentile: float = 0.33
    burr_max_margin_rate: float = 0.05
    # ... or tiny next to the median customer with a thin margin
    burr_max_value_share: float = 0.1
    burr_max_thin_margin_rate: float = 0.15
    burr_relative_margin_rate: float = 0.5
    # cyclical: a calendar pattern that recurs year after year and carries the year; the
    # months after ramp-up must hold its season twice
    cyclical_min_months: int = 18
    cyclical_harmonics: tuple[int, ...] = (1, 2, 3)
    cyclical_min_recurrence: float = 0.2
    cyclical_min_swing: float = 0.4
    cyclical_max_month_ratio: float = 8.0
    # growth, shrinking: the level moves one way by more than a steady customer drifts,
    # even at the lower end of what the noise allows
    trend_max_steady_drift: float = 1.3
    trend_min_z: float = 1.0
    trend_outlier_cap: float = 2.5
    # customers ordering less often than this are judged in half-years, not quarters
    lumpy_rhythm_months: float = 1.5
    # bell: rise to a peak in the middle, then a continuous decline, each by this factor
    bell_min_rise: float = 1.5
    bell_min_fall: float = 2.0
    bell_min_rise_z: float = 1.5
    bell_min_fall_z: float = 2.0
    bell_min_peak_share: float = 0.2


@dataclass(frozen=True)
class PhaseConfig:
    """Where in its life a customer is now."""

    ramp_up_months: int = 12
    lost_min_months: int = 6
    # lost: the purchase model gives less than this probability of still being active
    # (the same probability the page shows beside the phase) ...
    lost_max_p_alive: float = 0.5
    # ... or, where no purchase model could be fitted, silent this many times its rhythm
    lost_rhythm_factor: float = 3.0
    phase_out_drop: float = 0.5


FORECAST_MODELS = ("last_12m", "bgnbd", "bgnbd_truncated", "shape", "cautious")


@dataclass(frozen=True)
class ForecastConfig:
    """How future value is forecast (`forecast.py`, `docs/forecast.md`)."""

    # customer lifetime value: discounted contribution margin over these years
    clv_years: int = 3
    discount_rate: float = 0.08
    # a customer's margin rate counts with weight orders / (orders + this), the rest is
    # the population's rate
    margin_shrinkage_orders: float = 5.0
    # shape model: trend over the last months; only with this much history, because a
    # shorter one cannot tell a trend from the season
    trend_min_history_months: int = 24
    trend_months: int = 24
    bell_trend_months: int = 18
    trend_damping: float = 1.0  # declines: measured best undamped (within the 3x cap)
    # growth continues at this share of its recent pace (in logs): a rise may as well be
    # a bell before its peak. It never exceeds the customer's own growth of the last year
    # nor what the portfolio's fastest tenth grew.
    growth_share: float = 0.25
    growth_portfolio_quantile: float = 0.9
    trend_max_factor: float = 3.0
    # shape model: season from the last years, blended towards a flat year by this share
    season_years: int = 2
    season_shrinkage: float = 0.25
    shape_uses_p_alive: bool = True
    # no forecast of the next 12 months above this multiple of the last 12 months plus
    # this amount (in the currency of the data): more than that is no evidence but hope
    max_factor_of_last_12m: float = 3.0
    max_above_last_12m: float = 1000.0
    # the internal backtest: the analysis repeats itself on the data up to a year before
    # the as-of date (fewer months if the data are shorter) and learns from the months
    # after it which model fits short histories and how wide the 80 % band must be
    calibrate: bool = True
    calibration_customers: int = 5_000
    calibration_min_customers: int = 30
    band_coverage: float = 0.8
    # the default model per value type, chosen by holdout error (docs/forecast.md)
    model_steady: str = "shape"
    model_cyclical: str = "shape"
    model_bell: str = "shape"
    model_growth: str = "shape"
    model_shrinking: str = "shape"
    model_burr: str = "shape"
    model_insufficient_history: str = "shape"
    # new customers (first order in the last year, after the data began), where the
    # internal backtest cannot choose (less than a year, too few comparable customers):
    # the smaller of their run rate and the purchase model, never a few months annualised
    model_new: str = "cautious"

    def __post_init__(self) -> None:
        for key, value in asdict(self).items():
            if key.startswith("model_") and value not in FORECAST_MODELS:
                raise ConfigError(
                    f"[forecast] {key} must be one of {', '.join(FORECAST_MODELS)}, not {value!r}"
                )
        shares = (
            self.trend_damping,
            self.growth_share,
            self.season_shrinkage,
            self.growth_portfolio_quantile,
        )
        if not all(0.0 <= share <= 1.0 for share in shares):
            raise ConfigError(
                "[forecast] trend_damping, growth_share, growth_portfolio_quantile and "
                "season_shrinkage lie in [0, 1]"
            )
        if min(self.trend_months, self.bell_trend_months) < 3 or self.trend_max_factor < 1.0:
            raise ConfigError(
                "[forecast] trend_months and bell_trend_months >= 3, trend_max_factor >= 1"
            )
        if not 0.5 <= self.band_coverage < 1.0:
            raise ConfigError("[forecast] band_coverage lies in [0.5, 1)")

    def model_for(self, value_type: str) -> str:
        model: str = getattr(self, f"model_{value_type}")
        return model


@dataclass(frozen=True)
class AnalysisConfig:
    value_types: ValueTypeConfig = field(default_factory=ValueTypeConfig)
    phases: PhaseConfig = field(default_factory=PhaseConfig)
    forecast: ForecastConfig = field(default_factory=ForecastConfig)
    # ABC: A = the customers making the first 80 %, B = the next 15 %, C = the rest
    abc_a_share: float = 0.8
    abc_b_share: float = 0.95
    # customers judged together in one NumPy chunk (bounds memory, not results)
    chunk_customers: int = 20_000
    # chunks judged side by side; 0: one per processor core
    workers: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_toml(cls, path: Path) -> AnalysisConfig:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot be read ({error})") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: not valid TOML ({error})") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> AnalysisConfig:
        config = cls()
        nested = {
            "value_types": config.value_types,
            "phases": config.phases,
            "forecast": config.forecast,
        }
        top: dict[str, Any] = {}
        for key, value in data.items():
            if key in nested:
                if not isinstance(value, dict):
                    raise ConfigError(f"{source}: [{key}] must be a section")
                top[key] = _override(nested[key], value, f"{source}: [{key}]")
            else:
                top[key] = value
        result: AnalysisConfig = _override(config, top, source)
        return result


def _override(base: Any, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(base)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown setting {key!r}")
        current = getattr(base, key)
        if isinstance(current, tuple):
            value = tuple(value) if isinstance(value, list) else value
        expected = type(current)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != isinstance(current, bool):
            raise ConfigError(
                f"{where}: {key} must be {expected.__name__}, not {type(value).__name__}"
            )
        if isinstance(value, int | float) and value < 0:
            raise ConfigError(f"{where}: {key} must not be negative")
        changes[key] = value
    return replace(base, **changes)
