"""`kundenbild evaluate-forecast`: how well each forecast model did on a holdout.

The analytics core is imported only when the command runs, so that other commands start
fast.
"""

from __future__ import annotations

import calendar
import math
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer
from rich.console import Console
from rich.table import Table

from kundenbild.cli.console import fail, progress_bar, stage_reporter


def evaluate_forecast_command(
    lines: Annotated[list[Path], typer.Argument(help="Invoice lines: CSV, Excel or Parquet.")],
    cutoff: Annotated[
        list[str] | None,
        typer.Option(
            help="YYYY-MM-DD: fit on the lines up to this day, forecast after. Repeat it "
            "for a rolling-origin evaluation (a summary over all cutoffs follows)."
        ),
    ] = None,
    monthly_cutoffs: Annotated[
        str | None,
        typer.Option(
            help="FIRST..LAST (YYYY-MM-DD..YYYY-MM-DD): every month end from the first to "
            "the last date as a cutoff, e.g. 2010-03-31..2010-06-30."
        ),
    ] = None,
    horizon_months: Annotated[
        int, typer.Option(min=1, max=120, help="Months after the cutoff to forecast.")
    ] = 12,
    output: Annotated[
        Path | None,
        typer.Option(help="Per customer: every model's forecast and the actual, .csv or .parquet."),
    ] = None,
    config: Annotated[Path | None, typer.Option(help="TOML file with thresholds.")] = None,
    skip_lines_without_customer: Annotated[
        bool,
        typer.Option(help="Leave out (and count) lines without a customer number."),
    ] = False,
) -> None:
    """Fit on the lines before the cutoff, forecast the horizon, compare with the actual
    lines after it: per model and value type, the error of the total, the mean absolute
    error per customer and the rank correlation."""
    from kundenbild.analytics.config import AnalysisConfig, ConfigError
    from kundenbild.analytics.evaluation import evaluate, summarise
    from kundenbild.analytics.io.writing import write_table

    err = Console(stderr=True)

    if output and output.suffix.lower() not in {".csv", ".parquet"}:
        fail("evaluate-forecast", "--output must end in .csv or .parquet")
    days = _cutoff_days(cutoff or [], monthly_cutoffs)
    try:
        settings = AnalysisConfig.from_toml(config) if config else AnalysisConfig()
    except ConfigError as error:
        fail("evaluate-forecast", str(error))
    console = Console(width=max(Console().width, 132))  # the table needs its columns
    evaluations = []
    tables = []
    for day in days:
        result = _analyse_until(
            lines, day, horizon_months, settings, skip_lines_without_customer, err
        )
        evaluation = evaluate(result)
        evaluations.append(evaluation)
        if result.lines_without_customer and len(evaluations) == 1:
            err.print(
                f"Left out {result.lines_without_customer:,} lines without a customer number."
            )
        console.print(_table(evaluation))
        console.print(
            f"Fitted on the lines up to {evaluation.cutoff}, compared with {evaluation.cutoff} "
            f"to {evaluation.until} ({(evaluation.until - evaluation.cutoff).days} days). "
            f"Customers new after the cutoff bought {evaluation.new_customer_revenue:,.2f} "
            "in that time, which no model forecasts."
        )
        if output:
            tables.append(_per_customer(result.table, evaluation.cutoff))
    if len(evaluations) > 1:
        console.print(_origins_table(evaluations))
        console.print(_summary_table(summarise(evaluations)))
    if output:
        write_table(pa.concat_tables(tables), output)
        err.print(f"Per-customer forecasts and actuals written to {output}.")


def _cutoff_days(cutoffs: list[str], monthly_cutoffs: str | None) -> list[date]:
    """The cutoffs asked for, each once and in order; a clear failure for a bad date."""
    days = []
    for text in cutoffs:
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            fail("evaluate-forecast", f"--cutoff {text!r} is not a date like 2010-06-30")
    if monthly_cutoffs:
        try:
            first, last = (date.fromisoformat(part) for part in monthly_cutoffs.split(".."))
        except ValueError:
            fail(
                "evaluate-forecast",
                f"--monthly-cutoffs {monthly_cutoffs!r} is not like 2010-03-31..2010-06-30",
            )
        if last < first:
            fail("evaluate-forecast", "--monthly-cutoffs: the last date lies before the first")
        days += month_ends(first, last)
    if not days:
        fail("evaluate-forecast", "give at least one --cutoff, or --monthly-cutoffs FIRST..LAST")
    return sorted(set(days))


def _analyse_until(
    lines: list[Path],
    day: date,
    horizon_months: int,
    settings: Any,
    skip_lines_without_customer: bool,
    err: Console,
) -> Any:
    """The analysis as of `day`, with the lines of the horizon after it kept for scoring."""
    from kundenbild.analytics.analysis import analyze_source
    from kundenbild.analytics.io.lines import LinesError, LineSource

    labels = {
        "read": "Reading lines",
        "backtest": "Backtesting inside the data",
        "judge": "Forecasting customers",
    }
    with progress_bar(err) as progress:
        try:
            return analyze_source(
                LineSource(lines, skip_without_customer=skip_lines_without_customer),
                as_of=day,
                config=settings,
                progress=stage_reporter(progress, labels),
                evaluate_until=add_months(day, horizon_months),
            )
        except LinesError as error:
            fail("evaluate-forecast", str(error))


def month_ends(first: date, last: date) -> list[date]:
    """Every month end from the month of `first` to `last`, both included where they are
    month ends themselves (a `first` in the middle of a month starts at that month's end)."""
    ends: list[date] = []
    index = first.year * 12 + first.month - 1
    while True:
        year, month = divmod(index, 12)
        end = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        if end > last:
            return ends
        ends.append(end)
        index += 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has fewer days."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _table(evaluation: Any) -> Table:
    table = Table(title="Forecast against actual revenue")
    for heading in ("value type", "model", "customers", "actual", "forecast"):
        table.add_column(heading, justify="left" if heading in {"value type", "model"} else "right")
    for heading in ("total error %", "MAE per customer", "rank corr.", "in band", "> 3x"):
        table.add_column(heading, justify="right")
    previous = None
    for score in evaluation.scores:
        first = score.value_type != previous
        if first and previous is not None:
            table.add_section()
        previous = score.value_type
        table.add_row(
            score.value_type if first else "",
            score.model,
            f"{score.customers:,}",
            f"{score.actual:,.0f}",
            f"{score.forecast:,.0f}",
            _number(score.total_error_percent, "{:+.1f}"),
            _number(score.mean_absolute_error, "{:,.1f}"),
            _number(score.rank_correlation, "{:.3f}"),
            _number(score.band_coverage * 100, "{:.1f} %"),
            _number(score.above_bound_share * 100, "{:.2f} %"),
        )
    return table


def _origins_table(evaluations: list[Any]) -> Table:
    """The backtest at a glance: per origin, the default against the last-12-months run
    rate, the band's coverage and the share of forecasts above 3x + 1,000."""
    table = Table(title="All customers, per origin: default against last 12 months")
    for heading in ("origin", "until"):
        table.add_column(heading)
    for heading in (
        "total error %",
        "last 12m %",
        "MAE",
        "last 12m MAE",
        "rank corr.",
        "last 12m rank",
        "in band",
        "> 3x",
    ):
        table.add_column(heading, justify="right")
    for evaluation in evaluations:
        rows = {s.model: s for s in evaluation.scores if s.value_type == "all"}
        ours, base = rows["default"], rows["last_12m"]
        table.add_row(
            str(evaluation.cutoff),
            str(evaluation.until),
            _number(ours.total_error_percent, "{:+.1f}"),
            _number(base.total_error_percent, "{:+.1f}"),
            _number(ours.mean_absolute_error, "{:,.1f}"),
            _number(base.mean_absolute_error, "{:,.1f}"),
            _number(ours.rank_correlation, "{:.3f}"),
            _number(base.rank_correlation, "{:.3f}"),
            _number(ours.band_coverage * 100, "{:.1f} %"),
            _number(ours.above_bound_share * 100, "{:.2f} %"),
        )
    return table


def _summary_table(rows: Any) -> Table:
    table = Table(title=f"All customers, mean over {rows[0].cutoffs} cutoffs")
    table.add_column("model")
    for heading in ("|total error| %", "MAE per customer", "rank corr.", "in band"):
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(
            row.model,
            _number(row.mean_absolute_total_error_percent, "{:.1f}"),
            _number(row.mean_absolute_error, "{:,.1f}"),
            _number(row.mean_rank_correlation, "{:.3f}"),
            _number(row.mean_band_coverage * 100, "{:.1f} %"),
        )
    return table


def _number(value: float, form: str) -> str:
    return "–" if math.isnan(value) else form.format(value)


def _per_customer(table: Any, cutoff: date) -> Any:
    keep = [
        name
        for name in table.column_names
        if name in {"customer_id", "value_type", "lifecycle_phase", "p_alive"}
        or name.startswith(("forecast_", "actual_"))
    ]
    selected = table.select(keep)
    return selected.add_column(0, "cutoff", pa.array([cutoff] * selected.num_rows, pa.date32()))
