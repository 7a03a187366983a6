"""Honest evaluation of the forecasts: fit on the lines up to a cutoff, forecast the months
after it, and compare with what really happened.

Per model and value type: the error of the total (how far the forecast sum is from the
actual sum, in %), the mean absolute error per customer, and Spearman's rank correlation
between forecast and actual (does the forecast put the right customers on top?). For the
default also the share of customers whose actual revenue fell inside the 80 % band
(it should be near 80 %), and the share forecast above three times their last twelve
months plus 1,000 (a forecast no customer's past supports: it should be near none).
Customers who first bought after the cutoff cannot be forecast by any model; their revenue
is reported apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt
from scipy import stats

from kundenbild.analytics.analysis import AnalysisResult
from kundenbild.analytics.arrays import column_numbers
from kundenbild.analytics.forecast.models import MODELS

Array = npt.NDArray[np.float64]
EVALUATED_MODELS = ("default", *MODELS)
# the yardstick of issue 17: no customer's forecast of the next 12 months above three
# times its last 12 months plus 1,000 (fixed, whatever the configured bound)
ABSURD_FACTOR = 3.0
ABSURD_OFFSET = 1000.0


@dataclass(frozen=True)
class Score:
    """One row of the evaluation table."""

    value_type: str  # "all" for every customer
    model: str
    customers: int
    actual: float
    forecast: float
    total_error_percent: float  # (forecast - actual) / actual; NaN if actual is 0
    mean_absolute_error: float
    rank_correlation: float  # NaN where it is undefined (fewer than 3 customers, ties)
    band_coverage: float = float("nan")  # default only: actual inside the band
    above_bound_share: float = float("nan")  # default only: 12-month forecast > 3x + 1,000


@dataclass(frozen=True)
class Evaluation:
    cutoff: date
    until: date
    scores: tuple[Score, ...]
    new_customer_revenue: float  # revenue after the cutoff of customers new since then


def evaluate(result: AnalysisResult) -> Evaluation:
    """Score every model on a result computed with `evaluate_until`."""
    if result.evaluated_until is None or result.actual_total_revenue is None:
        raise ValueError("the analysis was run without an evaluation window")
    table = result.table
    actual = column_numbers(table, "actual_revenue")
    types = np.asarray(table.column("value_type").to_pylist(), dtype=object)
    low, high = column_numbers(table, "forecast_low"), column_numbers(table, "forecast_high")
    inside = (actual >= low - 0.005) & (actual <= high + 0.005)
    above = column_numbers(table, "forecast_revenue_12m") > (
        ABSURD_FACTOR * column_numbers(table, "revenue_12m") + ABSURD_OFFSET + 0.01  # cents
    )
    scores = []
    groups = [("all", np.ones(len(actual), dtype=bool))]
    groups += [(name, types == name) for name in sorted(set(types.tolist()))]
    for value_type, rows in groups:
        for model in EVALUATED_MODELS:
            predicted = column_numbers(table, f"forecast_{model}")[rows]
            score = _score(value_type, model, predicted, actual[rows])
            if model == "default":
                score = replace(
                    score,
                    band_coverage=_share(inside[rows]),
                    above_bound_share=_share(above[rows]),
                )
            scores.append(score)
    return Evaluation(
        cutoff=result.as_of,
        until=result.evaluated_until,
        scores=tuple(scores),
        new_customer_revenue=round(result.actual_total_revenue - float(actual.sum()), 2) + 0.0,
    )


def _share(flags: npt.NDArray[np.bool_]) -> float:
    return float(flags.mean()) if len(flags) else float("nan")


def _score(value_type: str, model: str, predicted: Array, actual: Array) -> Score:
    total_actual = float(actual.sum())
    total_forecast = float(predicted.sum())
    error = (total_forecast - total_actual) / total_actual * 100.0 if total_actual else float("nan")
    mae = float(np.abs(predicted - actual).mean()) if len(actual) else float("nan")
    rank = float("nan")
    if len(actual) >= 3 and np.ptp(actual) > 0 and np.ptp(predicted) > 0:
        rank = float(stats.spearmanr(predicted, actual).statistic)
    return Score(value_type, model, len(actual), total_actual, total_forecast, error, mae, rank)


@dataclass(frozen=True)
class Summary:
    """One model over several cutoffs (rolling origin): the means over the cutoffs."""

    model: str
    cutoffs: int
    mean_absolute_total_error_percent: float
    mean_absolute_error: float
    mean_rank_correlation: float
    mean_band_coverage: float = float("nan")


def summarise(evaluations: list[Evaluation], value_type: str = "all") -> tuple[Summary, ...]:
    """Per model, the mean over the cutoffs of |total error|, MAE and rank correlation: a
    single holdout can flatter or punish a model by the season it happens to cover."""
    rows = []
    for model in EVALUATED_MODELS:
        scores = [
            s
            for evaluation in evaluations
            for s in evaluation.scores
            if s.model == model and s.value_type == value_type
        ]
        rows.append(
            Summary(
                model=model,
                cutoffs=len(scores),
                mean_absolute_total_error_percent=_mean(
                    [abs(s.total_error_percent) for s in scores]
                ),
                mean_absolute_error=_mean([s.mean_absolute_error for s in scores]),
                mean_rank_correlation=_mean([s.rank_correlation for s in scores]),
                mean_band_coverage=_mean([s.band_coverage for s in scores]),
            )
        )
    return tuple(rows)


def _mean(values: list[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")
