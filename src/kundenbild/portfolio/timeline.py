"""The portfolio over time: customer value per value type and per lifecycle phase in every
finished analysis run, so that "step by step, every customer's value rises" can be seen.

One query lists the runs and one aggregate query sums all of them (grouped by run, value
type and phase; the sums per type and per phase are added up here), so the page costs
the same two queries whether there are two runs or two hundred. The portfolio page's
filters select the customers (`selectors.filtered_values`): owner, industry, group and
region as the customer is today, type, phase and ABC class as each run found them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kundenbild.insights.models import (
    PHASE_CHOICES,
    VALUE_TYPE_CHOICES,
    AnalysisRun,
    CustomerValue,
    RunStatus,
)
from kundenbild.portfolio.selectors import ZERO, PortfolioFilters, filtered_values, value_sums

# what the chart can stack, with the label of its axis
MEASURES = {
    "revenue": _("Revenue, last 12 months"),
    "margin": _("Contribution margin I, last 12 months"),
    "forecast": _("Forecast, next 12 months"),
}
GROUPINGS = {"type": VALUE_TYPE_CHOICES, "phase": PHASE_CHOICES}


@dataclass
class Figures:
    """Customers and their summed value; a missing margin or forecast counts as 0."""

    customers: int = 0
    revenue: Decimal = ZERO
    margin: Decimal = ZERO
    forecast: Decimal = ZERO

    def add(self, row: Mapping[str, Any]) -> None:
        self.customers += row["customers"]
        self.revenue += row["revenue"]
        self.margin += row["margin"]
        self.forecast += row["forecast"]


@dataclass
class TimelineRun:
    """One as-of date of the timeline: the totals, and the figures of every value type
    and every phase (in the order of their choices, zero where no customer has it)."""

    run_id: int
    as_of: date
    total: Figures = field(default_factory=Figures)
    by_type: dict[str, Figures] = field(default_factory=dict)
    by_phase: dict[str, Figures] = field(default_factory=dict)


def timeline_runs() -> list[AnalysisRun]:
    """The finished runs, oldest as-of date first, one per date: of runs sharing an
    as-of date (an analysis repeated on the same sales lines) the latest finished."""
    runs = AnalysisRun.objects.filter(status=RunStatus.DONE, as_of__isnull=False).order_by(
        "as_of", F("finished_at").asc(nulls_first=True), "pk"
    )
    latest: dict[date, AnalysisRun] = {}
    for run in runs.only("pk", "as_of", "finished_at"):
        assert run.as_of is not None  # the filter above
        latest[run.as_of] = run  # ordered: the last one seen is the latest finished
    return list(latest.values())


def portfolio_timeline(filters: PortfolioFilters) -> list[TimelineRun]:
    """Customer value per value type and per phase in every finished run, oldest first."""
    runs = timeline_runs()
    timeline = {
        run.pk: TimelineRun(
            run_id=run.pk,
            as_of=run.as_of,  # type: ignore[arg-type]  # timeline_runs has only dated runs
            by_type={key: Figures() for key, _label in VALUE_TYPE_CHOICES},
            by_phase={key: Figures() for key, _label in PHASE_CHOICES},
        )
        for run in runs
    }
    if not timeline:
        return []
    values = filtered_values(CustomerValue.objects.filter(run_id__in=list(timeline)), filters)
    rows = (
        values.values("run_id", "value_type", "lifecycle_phase").annotate(**value_sums()).order_by()
    )
    for row in rows:
        point = timeline[row["run_id"]]
        point.total.add(row)
        point.by_type.setdefault(row["value_type"], Figures()).add(row)
        point.by_phase.setdefault(row["lifecycle_phase"], Figures()).add(row)
    return list(timeline.values())


@dataclass(frozen=True)
class TimelineRow:
    """A line of the table under the chart: one type or phase on one as-of date."""

    as_of: date
    key: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class TimelinePage:
    """What the portfolio page shows of the timeline: the chart's data and its tables."""

    runs: list[TimelineRun]
    chart: dict[str, Any]
    type_rows: list[TimelineRow]
    phase_rows: list[TimelineRow]


def portfolio_timeline_page(filters: PortfolioFilters) -> TimelinePage:
    """The timeline for the portfolio page, its labels in the active language."""
    runs = portfolio_timeline(filters)
    return TimelinePage(
        runs=runs,
        chart=_chart(runs),
        type_rows=_rows(runs, "type"),
        phase_rows=_rows(runs, "phase"),
    )


def _figures(run: TimelineRun, grouping: str) -> dict[str, Figures]:
    return run.by_type if grouping == "type" else run.by_phase


def _used(runs: list[TimelineRun], grouping: str) -> list[tuple[str, str]]:
    """The types or phases some run has customers of, with their labels: the others
    would only crowd the legend and the table."""
    return [
        (key, str(label))
        for key, label in GROUPINGS[grouping]
        if any(_figures(run, grouping)[key].customers for run in runs)
    ]


def _chart(runs: list[TimelineRun]) -> dict[str, Any]:
    """The data of `portfolio_timeline.js`: per grouping one series per type or phase,
    each with one number per run and measure."""
    return {
        "dates": [date_format(run.as_of, "SHORT_DATE_FORMAT") for run in runs],
        "measures": {key: str(label) for key, label in MEASURES.items()},
        "customers_label": str(_("Customers")),
        "groupings": {
            grouping: [_series(runs, grouping, key, label) for key, label in _used(runs, grouping)]
            for grouping in GROUPINGS
        },
    }


def _series(runs: list[TimelineRun], grouping: str, key: str, label: str) -> dict[str, Any]:
    figures = [_figures(run, grouping)[key] for run in runs]
    return {
        "key": key,
        "label": label,
        "customers": [f.customers for f in figures],
        "revenue": [float(f.revenue) for f in figures],
        "margin": [float(f.margin) for f in figures],
        "forecast": [float(f.forecast) for f in figures],
    }


def _rows(runs: list[TimelineRun], grouping: str) -> list[TimelineRow]:
    """Per run its types or phases with customers, then the run's total (key "")."""
    used = _used(runs, grouping)
    total = str(_("Total"))
    rows = []
    for run in runs:
        figures = _figures(run, grouping)
        rows += [
            TimelineRow(as_of=run.as_of, key=key, label=label, figures=figures[key])
            for key, label in used
            if figures[key].customers
        ]
        rows.append(TimelineRow(as_of=run.as_of, key="", label=total, figures=run.total))
    return rows
