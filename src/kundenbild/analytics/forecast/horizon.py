"""The months ahead at which the forecasts are read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kundenbild.analytics.clv.purchase_models import DAYS_PER_MONTH
from kundenbild.analytics.config import ForecastConfig


@dataclass(frozen=True)
class Horizon:
    """The months ahead at which cumulative forecasts are read: 12 (the `_12m` columns),
    every full year of the lifetime value, and the evaluation horizon if there is one."""

    marks: tuple[float, ...]
    clv_years: int
    evaluation: float | None  # months from the as-of date to the end of the evaluation

    monthly: bool = False

    @classmethod
    def of(
        cls,
        as_of: date,
        config: ForecastConfig,
        until: date | None = None,
        *,
        monthly: bool = False,
    ) -> Horizon:
        """With `monthly`, also every month of the coming year (for the value chart)."""
        marks = {12.0, *(12.0 * year for year in range(1, config.clv_years + 1))}
        if monthly:
            marks.update(float(month) for month in range(1, 13))
        evaluation = None
        if until is not None:
            evaluation = (until - as_of).days / DAYS_PER_MONTH
            marks.add(evaluation)
        return cls(tuple(sorted(marks)), config.clv_years, evaluation, monthly)

    def index(self, months: float) -> int:
        return self.marks.index(months)
