"""Reads on analysis runs and customer values; "latest" means the newest finished run."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery

from kundenbild.customers.models import Customer
from kundenbild.insights.models import (
    PHASE_CHOICES,
    VALUE_TYPE_CHOICES,
    AnalysisRun,
    CustomerValue,
    RunStatus,
)


def latest_run() -> AnalysisRun | None:
    return AnalysisRun.objects.filter(status=RunStatus.DONE).order_by("-finished_at", "-pk").first()


def analysis_run_list(*, limit: int = 20) -> list[AnalysisRun]:
    return list(
        AnalysisRun.objects.select_related("started_by").order_by("-created_at", "-pk")[:limit]
    )


def analysis_run_active() -> AnalysisRun | None:
    """The newest queued or running run, if any."""
    return (
        AnalysisRun.objects.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING))
        .order_by("-created_at", "-pk")
        .first()
    )


def customer_value_history(customer: Customer) -> list[CustomerValue]:
    """The customer's values in finished runs, newest first."""
    return list(
        CustomerValue.objects.filter(customer=customer, run__status=RunStatus.DONE)
        .select_related("run")
        .order_by("-run__finished_at", "-run_id")
    )


@dataclass(frozen=True)
class TypeCount:
    value_type: str
    label: str
    customers: int
    percent: float


def value_type_counts(run: AnalysisRun) -> list[TypeCount]:
    """Customers per value type in a run, in the order of the types, zeros included."""
    counts = dict(
        CustomerValue.objects.filter(run=run)
        .values("value_type")
        .annotate(n=Count("pk"))
        .values_list("value_type", "n")
    )
    total = sum(counts.values()) or 1
    return [
        TypeCount(code, str(label), counts.get(code, 0), 100 * counts.get(code, 0) / total)
        for code, label in VALUE_TYPE_CHOICES
    ]


VALUE_FIELDS = (
    "value_type",
    "lifecycle_phase",
    "abc_revenue",
    "revenue_12m",
    "contribution_margin_12m",
)


def with_latest_values(qs: QuerySet[Customer], run: AnalysisRun) -> QuerySet[Customer]:
    """Annotate `value_<field>` from the run's value of each customer (null where none)."""
    value = CustomerValue.objects.filter(run=run, customer=OuterRef("pk"))
    return qs.annotate(
        **{f"value_{name}": Subquery(value.values(name)[:1]) for name in VALUE_FIELDS}
    )


def value_type_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in VALUE_TYPE_CHOICES]


def phase_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in PHASE_CHOICES]


# what the analytics core uses unless the run's configuration says otherwise
DEFAULT_CLV_YEARS = 3
DEFAULT_DISCOUNT_RATE = 0.08


@dataclass(frozen=True)
class ValueOutlook:
    """A customer's future value beside its current value, as the customer page shows it."""

    revenue_change: Decimal | None  # forecast against the last 12 months, in %, to 0.1
    margin_change: Decimal | None
    # the forecast revenue's 80 % band over the 12 months (the monthly path's ends summed)
    revenue_low: Decimal | None
    revenue_high: Decimal | None
    p_alive_percent: Decimal | None
    clv_years: int
    discount_percent: Decimal

    @property
    def discount_decimals(self) -> int:
        return 0 if self.discount_percent == self.discount_percent.to_integral_value() else 1


def customer_value_outlook(value: CustomerValue) -> ValueOutlook | None:
    """The forecast of a value with its changes; None for a run made before forecasts."""
    if value.forecast_revenue_12m is None and value.p_alive is None:
        return None
    settings = _forecast_settings(value.run)
    rate = Decimal(str(settings.get("discount_rate", DEFAULT_DISCOUNT_RATE)))
    return ValueOutlook(
        revenue_change=_change(value.revenue_12m, value.forecast_revenue_12m),
        margin_change=_change(value.contribution_margin_12m, value.forecast_margin_12m),
        revenue_low=_path_sum(value.forecast_path, "low"),
        revenue_high=_path_sum(value.forecast_path, "high"),
        p_alive_percent=None if value.p_alive is None else value.p_alive * 100,
        clv_years=int(settings.get("clv_years", DEFAULT_CLV_YEARS)),
        discount_percent=(rate * 100).quantize(Decimal("0.1")),
    )


def _path_sum(path: Any, key: str) -> Decimal | None:
    """A figure of the forecast path summed over its months; None without a whole path."""
    if not isinstance(path, list) or len(path) != 12:
        return None
    figures = [month.get(key) if isinstance(month, dict) else None for month in path]
    if any(figure is None for figure in figures):
        return None
    return sum((Decimal(str(figure)) for figure in figures), Decimal(0)).quantize(Decimal(1))


def _forecast_settings(run: AnalysisRun) -> dict[str, Any]:
    """The `[forecast]` settings the run was made with (`AnalysisResult.model()`)."""
    config = run.config.get("config") if isinstance(run.config, dict) else None
    forecast = config.get("forecast") if isinstance(config, dict) else None
    return forecast if isinstance(forecast, dict) else {}


def _change(current: Decimal | None, future: Decimal | None) -> Decimal | None:
    """Percent change; none from nothing or from a loss, where a percentage misleads."""
    if current is None or future is None or current <= 0:
        return None
    return ((future - current) / current * 100).quantize(Decimal("0.1"))


def previous_run(run: AnalysisRun) -> AnalysisRun | None:
    return (
        AnalysisRun.objects.filter(status=RunStatus.DONE, finished_at__lt=run.finished_at)
        .order_by("-finished_at", "-pk")
        .first()
    )
