"""The `kundenbild` command: demo, serve, manage, demo-data, imports, analyze, analyze-file,
evaluate-forecast.

Django is set up only by the commands that need it, so `demo-data` starts fast and
works without a database.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kundenbild.evaluate_cli import evaluate_forecast_command
from kundenbild.select_cli import select_customers_command

app = typer.Typer(
    help="Kundenbild: one living picture of each B2B customer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kundenbild.settings")
    import django
    from django.apps import apps

    if not apps.ready:  # set up once: a second setup rebinds logging to the current stderr
        django.setup()


def _run_server(host: str, port: int, workers: int, *, log_access: bool) -> None:
    import multiprocessing

    from granian import Granian
    from granian.constants import Interfaces

    # the server's workers start as fresh interpreters, not forks: this process may have
    # run an analysis, and a fork would inherit the thread pools of Arrow and DuckDB with
    # their locks half taken (a worker then hung on Ctrl-C, now and then)
    multiprocessing.set_start_method("spawn", force=True)
    Granian(
        "kundenbild.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=4,
        log_access=log_access,
        # a worker that does not stop on Ctrl-C within 5 s is killed, so that the server
        # never waits forever for it (seen now and then after an analysis had run)
        workers_kill_timeout=5,
    ).serve()


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 to serve on.")] = 8000,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Where the demo keeps its SQLite database (created if missing)."),
    ] = None,
    customers: Annotated[int, typer.Option(help="Number of demo customers.", min=1)] = 250,
    seed: Annotated[int, typer.Option(help="Seed of the demo data generator.")] = 42,
) -> None:
    """Start Kundenbild with realistic demo data on an embedded SQLite database."""
    from kundenbild.paths import default_data_dir

    directory = (data_dir or default_data_dir() / "demo").expanduser().resolve()
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["KUNDENBILD_DATA_DIR"] = str(directory)
    os.environ["KUNDENBILD_DEMO"] = "1"
    os.environ.pop("KUNDENBILD_DATABASE_URL", None)
    _setup_django()
    from django.core.management import call_command

    from kundenbild.demo.loader import demo_is_loaded, load_demo
    from kundenbild.demo.users import DEMO_PASSWORD, DEMO_USERS

    console.print(f"[bold]Kundenbild demo[/bold] · data in {directory}")
    call_command("migrate", verbosity=0, interactive=False)
    if demo_is_loaded():
        console.print("Demo data found, reusing it.")
    else:
        with _progress() as progress:
            task = progress.add_task("Loading demo data", total=None)

            def report(done: int, total: int, what: str) -> None:
                progress.update(task, completed=done, total=total, description=what)

            summary = load_demo(customers=customers, seed=seed, progress=report)
        console.print(
            f"Loaded {summary.customers} customers, {summary.contacts} contacts and "
            f"{summary.sales_lines:,} sales lines."
        )
        # a run a quarter earlier first, so the portfolio's changes and the worklist's
        # alerts have a previous run to compare with
        _analyze(_quarter_before_last_month())
        _analyze(None)
    url = f"http://127.0.0.1:{port}/"
    console.print(f"\nOpen [bold cyan]{url}[/bold cyan] and log in as one of:")
    for username, role in DEMO_USERS:
        console.print(f"  {username:<12} password: {DEMO_PASSWORD}   ({role})")
    console.print("The app speaks German; switch to English with the EN button at the top.")
    console.print("\nPress Ctrl-C to stop.\n")
    with _task_worker(), contextlib.suppress(KeyboardInterrupt):
        _run_server("127.0.0.1", port, workers=1, log_access=False)
    console.print("Kundenbild demo stopped.")


def _quarter_before_last_month() -> Any:
    """The last day of the month three months before the last full month."""
    from datetime import date, timedelta

    first = date.today().replace(day=1)
    for _ in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
    return first - timedelta(days=1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="KUNDENBILD_HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="KUNDENBILD_PORT")] = 8000,
    workers: Annotated[int, typer.Option(envvar="KUNDENBILD_WORKERS", min=1)] = 2,
    migrate: Annotated[
        bool, typer.Option(help="Apply database migrations before starting.")
    ] = False,
    task_worker: Annotated[
        bool,
        typer.Option(
            help="Also run the background task worker (analysis runs); turn off where "
            "`kundenbild manage db_worker` runs as a service of its own."
        ),
    ] = True,
) -> None:
    """Run the production server (granian, WSGI) configured by KUNDENBILD_* variables."""
    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if migrate:
        call_command("migrate", interactive=False)
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        console.print(
            f"[red]The database needs {len(pending)} migration(s).[/red] "
            "Run `kundenbild manage migrate` (or start with --migrate)."
        )
        raise typer.Exit(2)
    call_command("collectstatic", interactive=False, verbosity=0)
    console.print(f"Kundenbild serving on http://{host}:{port}/ with {workers} worker(s)")
    worker = _task_worker() if task_worker else contextlib.nullcontext()
    with worker, contextlib.suppress(KeyboardInterrupt):
        _run_server(host, port, workers=workers, log_access=True)


@contextlib.contextmanager
def _task_worker() -> Iterator[None]:
    """Run django-tasks' database worker beside the server, and stop it with the server."""
    import subprocess
    import sys

    from django.conf import settings

    if "DatabaseBackend" not in settings.TASKS["default"]["BACKEND"]:
        yield
        return
    worker = subprocess.Popen(
        [sys.executable, "-m", "kundenbild.cli", "manage", "db_worker", "--interval", "1"],
        env=os.environ.copy(),
    )
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `kundenbild manage migrate`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kundenbild.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kundenbild manage", *ctx.args])


@app.command("demo-data")
def demo_data(
    output: Annotated[Path, typer.Option(help="File to write: .parquet or .csv.")],
    customers: Annotated[int, typer.Option(min=1)] = 250,
    years: Annotated[int, typer.Option(min=1, max=30)] = 5,
    seed: Annotated[int, typer.Option()] = 42,
) -> None:
    """Write a large file of generated sales lines (for benchmarks and import tests)."""
    from kundenbild.demo.generator import write_sales_lines

    if output.suffix.lower() not in {".parquet", ".csv"}:
        console.print("[red]The output file must end in .parquet or .csv.[/red]")
        raise typer.Exit(2)
    with _progress() as progress:
        task = progress.add_task("Generating customers", total=customers)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        summary = write_sales_lines(
            output, customers=customers, years=years, seed=seed, progress=report
        )
    console.print(
        f"Wrote {summary.lines:,} sales lines of {summary.customers:,} customers to "
        f"{summary.path} ({summary.bytes / 1e6:,.1f} MB); shape labels in "
        f"{summary.path}.labels.csv"
    )


@app.command("analyze-file")
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
    import json
    from datetime import date

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    from kundenbild.analytics.analysis import PeriodsOutput, analyze_source
    from kundenbild.analytics.config import AnalysisConfig, ConfigError
    from kundenbild.analytics.lines import LinesError, LineSource
    from kundenbild.reason_text import reason_texts

    err = Console(stderr=True)

    def fail(message: str) -> NoReturn:
        err.print(f"[red]kundenbild analyze-file: {message}[/red]", soft_wrap=True)
        raise typer.Exit(1)

    if output.suffix.lower() not in {".csv", ".parquet"}:
        fail("--output must end in .csv or .parquet")
    if time_unit not in {"week", "month"}:
        fail("--time-unit must be week or month")
    if periods_output and periods_output.suffix.lower() not in {".csv", ".parquet"}:
        fail("--periods-output must end in .csv or .parquet")
    periods_partial = (
        periods_output.with_name(periods_output.name + ".partial") if periods_output else None
    )
    if language not in {"de", "en"}:
        fail("--language must be de or en")
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail(f"--as-of {as_of!r} is not a date like 2026-10-31")
    try:
        settings = AnalysisConfig.from_toml(config) if config else AnalysisConfig()
    except ConfigError as error:
        fail(str(error))
    with _progress(err) as progress:
        report = _stage_reporter(progress, {"read": "Reading lines", "judge": "Judging customers"})
        try:
            result = analyze_source(
                LineSource(lines, skip_without_customer=skip_lines_without_customer),
                as_of=day,
                config=settings,
                progress=report,
                periods=PeriodsOutput(
                    periods_partial, time_unit, parquet=periods_partial.suffixes[-2] == ".parquet"
                )
                if periods_partial
                else None,
                time_unit=time_unit,
            )
        except LinesError as error:
            fail(str(error))
    # the reason in words beside its code and numbers, for readers of the file
    table = result.table
    words = reason_texts(
        table.column("value_type_reason_code").to_pylist(),
        table.column("value_type_reason_values").to_pylist(),
        language,
    )
    table = table.add_column(
        table.column_names.index("value_type_reason_code"),
        "value_type_reason",
        pa.array(words, pa.string()),
    )
    partial = output.with_name(output.name + ".partial")
    if output.suffix.lower() == ".parquet":
        pq.write_table(table, partial)
    else:
        pa_csv.write_csv(table, partial)
    partial.replace(output)
    if periods_output and periods_partial:
        periods_partial.replace(periods_output)
    if model_output:
        model_output.write_text(json.dumps(result.model(), indent=2, default=str), encoding="utf-8")
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


app.command("evaluate-forecast")(evaluate_forecast_command)
app.command("select-customers")(select_customers_command)


@app.command("analyze")
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
        Console(stderr=True).print(f"[red]--as-of {as_of!r} is not a date like 2026-10-31[/red]")
        raise typer.Exit(2) from None
    _setup_django()
    _analyze(day)


def _analyze(as_of: Any) -> None:
    """Run the analysis with a progress bar and print the customers per value type."""
    from kundenbild.core.errors import ApplicationError
    from kundenbild.insights.models import RunStatus
    from kundenbild.insights.selectors import value_type_counts
    from kundenbild.insights.services import run_analysis

    labels = {"read": "Reading sales lines", "judge": "Judging customers", "store": "Storing"}
    with _progress() as progress:
        report = _stage_reporter(progress, labels)
        try:
            run = run_analysis(as_of=as_of, progress=report)
        except ApplicationError as error:
            progress.stop()
            Console(stderr=True).print(f"[red]{error.message}[/red]")
            raise typer.Exit(1) from None
    if run.status != RunStatus.DONE:
        Console(stderr=True).print(f"[red]The analysis failed: {run.error}[/red]")
        raise typer.Exit(1)
    counts = ", ".join(f"{c.value_type} {c.customers:,}" for c in value_type_counts(run))
    console.print(
        f"Analysed {run.lines:,} sales lines of {run.customers:,} customers as of "
        f"{run.as_of} (run {run.pk}): {counts}."
    )


@app.command("import-sales")
def import_sales_command(
    file: Annotated[Path, typer.Argument(help="The ERP export: .csv, .xlsx or .parquet.")],
    mapping: Annotated[
        str | None, typer.Option(help="Name of a saved column mapping to use.")
    ] = None,
    create_missing: Annotated[
        bool, typer.Option(help="Create unknown customers and offerings instead of refusing.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option(help="Check and report what would happen; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    user: Annotated[str | None, typer.Option(help="Username recorded as importer.")] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter, e.g. ';' (default: detected).")
    ] = None,
    decimal: Annotated[
        str | None, typer.Option(help="Decimal mark: ',' or '.' (default: detected).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="utf-8, utf-8-sig or cp1252 (default: detected).")
    ] = None,
    date_format: Annotated[
        str | None, typer.Option(help="e.g. %d.%m.%Y or %Y-%m-%d (default: detected).")
    ] = None,
) -> None:
    """Import sales lines from an ERP export: all or nothing, never a line twice."""
    import json

    _setup_django()
    from kundenbild.accounts.models import User
    from kundenbild.core.errors import ApplicationError
    from kundenbild.imports.services import ImportRefusedError, import_file

    err = Console(stderr=True)
    if not file.is_file():
        err.print(f"[red]No such file: {file}[/red]")
        raise typer.Exit(2)
    by = User.objects.filter(username=user).first() if user else None
    if user and by is None:
        err.print(f"[red]No such user: {user}[/red]")
        raise typer.Exit(2)
    with _progress(err) as progress:
        task = progress.add_task("Reading", total=None)

        def report(done: int, total: int, what: str) -> None:
            progress.update(
                task, description=what.capitalize(), completed=done, total=total or None
            )

        try:
            overrides = {
                "delimiter": delimiter,
                "decimal": decimal,
                "encoding": encoding,
                "date_format": date_format,
            }
            result = import_file(
                file,
                by=by,
                overrides=overrides,
                mapping_name=mapping,
                create_missing=create_missing,
                dry_run=dry_run,
                progress=report,
            )
        except ImportRefusedError as refused:
            progress.stop()
            _report_refusal(
                err, refused, refused.result.problems, refused.result.summary(), as_json
            )
        except ApplicationError as error:
            progress.stop()
            err.print(f"[red]{error.message}[/red]")
            raise typer.Exit(1) from None
    summary = result.summary()
    if as_json:
        print(json.dumps(summary))
        return
    verb = "Would import" if dry_run else "Imported"
    console.print(
        f"{verb} {file.name}: {result.lines_added:,} lines added, "
        f"{result.lines_replaced:,} replaced, {result.lines_unchanged:,} unchanged; "
        f"net revenue {result.revenue_total:,.2f} EUR; "
        f"{len(result.customers_created):,} customers and "
        f"{len(result.offerings_created):,} offerings created."
    )


@app.command("import-costs")
def import_costs_command(
    file: Annotated[Path, typer.Argument(help="Costs per customer, period and kind.")],
    dry_run: Annotated[bool, typer.Option(help="Check and report; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Import customer costs (bonuses, special service, key account effort) per period."""
    import json

    _setup_django()
    from kundenbild.core.errors import ApplicationError
    from kundenbild.imports.costs import CostImportRefusedError, import_costs

    err = Console(stderr=True)
    if not file.is_file():
        err.print(f"[red]No such file: {file}[/red]")
        raise typer.Exit(2)
    try:
        result = import_costs(file, dry_run=dry_run)
    except CostImportRefusedError as refused:
        _report_refusal(err, refused, refused.result.problems, refused.result.summary(), as_json)
    except ApplicationError as error:
        err.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(result.summary()))
        return
    verb = "Would import" if dry_run else "Imported"
    console.print(
        f"{verb} {file.name}: {result.costs_added} costs added, {result.costs_replaced} "
        f"replaced, {result.costs_unchanged} unchanged; total {result.amount_total:,.2f} EUR."
    )


@app.command("import-rollback")
def import_rollback_command(
    import_id: Annotated[int, typer.Argument(help="The id printed by import-sales --json.")],
) -> None:
    """Undo an import (the newest still in effect): its lines go, replaced ones return."""
    _setup_django()
    from kundenbild.core.errors import ApplicationError
    from kundenbild.imports.models import ImportRun
    from kundenbild.imports.services import import_rollback

    run = ImportRun.objects.filter(pk=import_id).first()
    if run is None:
        Console(stderr=True).print(f"[red]No import with id {import_id}.[/red]")
        raise typer.Exit(2)
    try:
        import_rollback(run=run, by=None)
    except ApplicationError as error:
        Console(stderr=True).print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from None
    console.print(f"Rolled back import {import_id} ({run.file_name}).")


@app.command("sales-totals")
def sales_totals_command(
    by: Annotated[str | None, typer.Option(help="Group by 'year' or 'customer'.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Totals of the sales lines in the database, to reconcile with the ERP."""
    import json

    if by not in (None, "year", "customer"):
        Console(stderr=True).print("[red]--by must be 'year' or 'customer'.[/red]")
        raise typer.Exit(2)
    _setup_django()
    from kundenbild.imports.selectors import sales_totals

    rows = sales_totals(by)
    if as_json:

        def plain(row: dict[str, Any]) -> dict[str, Any]:
            return {k: (float(v) if k not in ("key", "lines") else v) for k, v in row.items()}

        if by is None:
            print(json.dumps({k: v for k, v in plain(rows[0]).items() if k != "key"}))
        else:
            print(json.dumps([plain(r) for r in rows]))
        return
    for row in rows:
        console.print(
            f"{row['key']!s:<14} {row['lines']:>12,} lines  revenue {row['revenue']:>16,.2f}  "
            f"cost {row['cost']:>16,.2f}  CM I {row['contribution_margin_1']:>16,.2f}"
        )


def _stage_reporter(progress: Progress, labels: dict[str, str]) -> Callable[[str, int, int], None]:
    """A progress callback for a job in stages: each stage gets its own bar."""
    tasks: dict[str, Any] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(labels.get(stage, stage), total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return report


def _progress(to: Console = console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=to,
        transient=True,
    )


def _report_refusal(
    err: Console, refusal: Any, problems: list[Any], summary: dict[str, Any], as_json: bool
) -> NoReturn:
    """Name the refused rows (the first 50), say why, and exit with 1."""
    import json

    for p in problems[:50]:
        err.print(f"row {p.row}, {p.column} = {p.value!r}: {p.message}")
    if len(problems) > 50:
        err.print(f"… and {len(problems) - 50} more")
    err.print(f"[red]{refusal.message}[/red]")
    if as_json:
        print(json.dumps(summary))
    raise typer.Exit(1)


def main() -> None:
    app(prog_name="kundenbild")


if __name__ == "__main__":
    main()
