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
    # customer before the export began (left-truncated): it has no visible ramp-up
    left_truncation_months: int = 6
    # months after a new customer's first order that are ramp-up, not shape
    ramp_up_months: int = 3
    # burr: long, regular, tiny next to the other customers, margin minimal or negative
    burr_min_months: int = 24
    burr_min_quarter_coverage: float = 0.6
    burr_max_value_share: float = 0.1
    burr_max_margin_rate: float = 0.15
    burr_relative_margin_rate: float = 0.5
    # cyclical: the same few months carry the year, year after year
    cyclical_min_months: int = 24
    cyclical_season_months: int = 3
    cyclical_min_season_share: float = 0.55
    # growth, shrinking: the level moves one way over the whole history by a large factor
    trend_min_factor: float = 2.0
    trend_min_z: float = 1.0
    # bell: rise to a peak in the middle, then a continuous decline, each by this factor
    bell_min_rise: float = 1.5
    bell_min_fall: float = 2.0
    bell_min_evidence: float = 1.0
    bell_breakpoints: tuple[float, ...] = (0.2, 0.35, 0.5, 0.65, 0.8)


@dataclass(frozen=True)
class PhaseConfig:
    """Where in its life a customer is now."""

    ramp_up_months: int = 12
    lost_min_months: int = 6
    lost_rhythm_factor: float = 3.0
    phase_out_drop: float = 0.5


FORECAST_MODELS = ("last_12m", "bgnbd", "bgnbd_truncated", "shape")


@dataclass(frozen=True)
class ForecastConfig:
    """How future value is forecast (`forecast.py`, `docs/forecast.md`)."""

    # customer lifetime value: discounted contribution margin over these years
    clv_years: int = 3
    discount_rate: float = 0.08
    # a customer's margin rate counts with weight orders / (orders + this), the rest is
    # the population's rate
    margin_shrinkage_orders: float = 5.0
    # shape model: trend over the last months, continued with damping per month, capped
    trend_months: int = 24
    bell_trend_months: int = 18
    trend_damping: float = 1.0  # declines: measured best undamped (within the 3x cap)
    growth_damping: float = 0.5
    trend_max_factor: float = 3.0
    # shape model: season from the last years, blended towards a flat year by this share
    season_years: int = 2
    season_shrinkage: float = 0.25
    shape_uses_p_alive: bool = True
    # the default model per value type, chosen by holdout error (docs/forecast.md)
    model_steady: str = "shape"
    model_cyclical: str = "shape"
    model_bell: str = "shape"
    model_growth: str = "shape"
    model_shrinking: str = "shape"
    model_burr: str = "shape"
    model_insufficient_history: str = "shape"

    def __post_init__(self) -> None:
        for key, value in asdict(self).items():
            if key.startswith("model_") and value not in FORECAST_MODELS:
                raise ConfigError(
                    f"[forecast] {key} must be one of {', '.join(FORECAST_MODELS)}, not {value!r}"
                )
        shares = (self.trend_damping, self.growth_damping, self.season_shrinkage)
        if not all(0.0 <= share <= 1.0 for share in shares):
            raise ConfigError(
                "[forecast] trend_damping, growth_damping and season_shrinkage lie in [0, 1]"
            )
        if min(self.trend_months, self.bell_trend_months) < 3 or self.trend_max_factor < 1.0:
            raise ConfigError(
                "[forecast] trend_months and bell_trend_months >= 3, trend_max_factor >= 1"
            )

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
