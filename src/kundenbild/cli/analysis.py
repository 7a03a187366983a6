"""Analysis: of a file without a database (analyze-file), of the database's lines (analyze)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from kundenbild.cli.console import console, fail, progress_bar, setup_django, stage_reporter


def analyze_file_command(
    lines: Annotated[list[Path], typer.Argument(help="Invoice lines: CSV, Excel or Parquet.")],
    output: Annotated[Path, typer.Option(help="Result per customer: .csv or .parquet.")],
    as_of: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD; default: the last date in the data.")
    ] = None,
    time_unit: Annotated[str, typer.Option(help="week or month (period of the models).")] = "month",
    config: Annotated[Path | None, typer.Option(help="TOML file with thresholds.")] = None,
    model_output: Annotated[
        Path | None, typer.Option(help="JSON file: the thresholds and parameters used.")
    ] = None,
    language: Annotated[str, typer.Option(help="de or en: language of value_type_reason.")] = "de",
    periods_output: Annotated[
        Path | None,
        typer.Option(help="Value over time per customer and --time-unit: .csv or .parquet."),
    ] = None,
    skip_lines_without_customer: Annotated[
        bool,
        typer.Option(help="Leave out (and count) lines without a customer number."),
    ] = False,
) -> None:
    """Value type, lifecycle phase and portfolio figures per customer, without a database."""
    from datetime import date

    from kundenbild.analytics.analysis import analyze_source
    from kundenbild.analytics.config import AnalysisConfig, ConfigError
    from kundenbild.analytics.io.lines import LinesError, LineSource
    from kundenbild.analytics.io.writing import (
        TABLE_SUFFIXES,
        PeriodsOutput,
        write_json,
        write_table,
    )

    err = Console(stderr=True)

    if output.suffix.lower() not in TABLE_SUFFIXES:
        fail("analyze-file", "--output must end in .csv or .parquet")
    if time_unit not in {"week", "month"}:
        fail("analyze-file", "--time-unit must be week or month")
    if periods_output and periods_output.suffix.lower() not in TABLE_SUFFIXES:
        fail("analyze-file", "--periods-output must end in .csv or .parquet")
    if language not in {"de", "en"}:
        fail("analyze-file", "--language must be de or en")
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail("analyze-file", f"--as-of {as_of!r} is not a date like 2026-10-31")
    try:
        settings = AnalysisConfig.from_toml(config) if config else AnalysisConfig()
    except ConfigError as error:
        fail("analyze-file", str(error))
    periods = PeriodsOutput.atomic(periods_output, time_unit) if periods_output else None
    with progress_bar(err) as progress:
        report = stage_reporter(progress, {"read": "Reading lines", "judge": "Judging customers"})
        try:
            result = analyze_source(
                LineSource(lines, skip_without_customer=skip_lines_without_customer),
                as_of=day,
                config=settings,
                progress=report,
                periods=periods,
                time_unit=time_unit,
            )
        except LinesError as error:
            fail("analyze-file", str(error))
    write_table(_with_reason_words(result.table, language), output)
    if periods:
        periods.complete()
    if model_output:
        write_json(result.model(), model_output)
    _print_summary(err, result, output)


def _print_summary(err: Console, result: Any, output: Path) -> None:
    """Customers per value type, the revenue of the last and the next twelve months, and
    the lines left out."""
    import pyarrow.compute as pc

    counts = result.table.group_by("value_type").aggregate([("customer_id", "count")])
    summary = ", ".join(
        f"{row['value_type']} {row['customer_id_count']:,}"
        for row in sorted(counts.to_pylist(), key=lambda r: r["value_type"])
    )
    err.print(
        f"Analysed {result.lines:,} lines of {result.table.num_rows:,} customers as of "
        f"{result.as_of}: {summary}. Written to {output}."
    )
    last_year = pc.sum(result.table.column("revenue_12m")).as_py() or 0.0
    next_year = pc.sum(result.table.column("forecast_revenue_12m")).as_py() or 0.0
    err.print(
        f"Revenue of the last 12 months {last_year:,.2f}; forecast for the next 12 months "
        f"{next_year:,.2f}."
    )
    if result.lines_without_customer:
        err.print(f"Left out {result.lines_without_customer:,} lines without a customer number.")


def _with_reason_words(table: Any, language: str) -> Any:
    """The result with each reason in words (in `language`) beside its code and numbers,
    for the people who read the file."""
    import pyarrow as pa

    from kundenbild.reason_text import reason_texts

    words = reason_texts(
        table.column("value_type_reason_code").to_pylist(),
        table.column("value_type_reason_values").to_pylist(),
        language,
    )
    return table.add_column(
        table.column_names.index("value_type_reason_code"),
        "value_type_reason",
        pa.array(words, pa.string()),
    )


def analyze_command(
    as_of: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD; default: the last invoice date.")
    ] = None,
) -> None:
    """Analyse the sales lines in the database and store each customer's value type."""
    from datetime import date

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail("analyze", f"--as-of {as_of!r} is not a date like 2026-10-31", code=2)
    setup_django()
    analyze_database(day)


def analyze_database(as_of: Any) -> None:
    """Run the analysis with a progress bar and print the customers per value type."""
    from kundenbild.core.errors import ApplicationError
    from kundenbild.insights.models import RunStatus
    from kundenbild.insights.selectors import value_type_counts
    from kundenbild.insights.services import run_analysis

    labels = {"read": "Reading sales lines", "judge": "Judging customers", "store": "Storing"}
    with progress_bar() as progress:
        report = stage_reporter(progress, labels)
        try:
            run = run_analysis(as_of=as_of, progress=report)
        except ApplicationError as error:
            progress.stop()
            fail("analyze", str(error.message))
    if run.status != RunStatus.DONE:
        fail("analyze", f"The analysis failed: {run.error}")
    counts = ", ".join(f"{c.value_type} {c.customers:,}" for c in value_type_counts(run))
    console.print(
        f"Analysed {run.lines:,} sales lines of {run.customers:,} customers as of "
        f"{run.as_of} (run {run.pk}): {counts}."
    )
