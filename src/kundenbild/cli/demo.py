"""The demo: the app on generated data, and generated lines written to a file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from kundenbild.cli.analysis import analyze_database
from kundenbild.cli.console import console, fail, progress_bar, setup_django
from kundenbild.cli.server import run_server, running_task_worker


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
    setup_django()
    from django.core.management import call_command

    from kundenbild.demo.loader import demo_coaching_baseline, demo_is_loaded, load_demo
    from kundenbild.demo.users import DEMO_PASSWORD, DEMO_USERS

    console.print(f"[bold]Kundenbild demo[/bold] · data in {directory}")
    call_command("migrate", verbosity=0, interactive=False)
    if demo_is_loaded():
        console.print("Demo data found, reusing it.")
    else:
        with progress_bar() as progress:
            task = progress.add_task("Loading demo data", total=None)

            def report(done: int, total: int, what: str) -> None:
                progress.update(task, completed=done, total=total, description=what)

            summary = load_demo(customers=customers, seed=seed, progress=report)
        console.print(
            f"Loaded {summary.customers} customers, {summary.contacts} contacts and "
            f"{summary.sales_lines:,} sales lines."
        )
        # a run as of the coaching foci's start, so their effect has a value before it;
        # a run a quarter earlier than the latest, so the portfolio's changes and the
        # worklist's alerts have a previous run to compare with
        analyze_database(demo_coaching_baseline())
        analyze_database(_quarter_before_last_month())
        analyze_database(None)
    url = f"http://127.0.0.1:{port}/"
    console.print(f"\nOpen [bold cyan]{url}[/bold cyan] and log in as one of:")
    for username, role in DEMO_USERS:
        console.print(f"  {username:<12} password: {DEMO_PASSWORD}   ({role})")
    console.print("The app speaks German; switch to English with the EN button at the top.")
    console.print("\nPress Ctrl-C to stop.\n")
    with running_task_worker(), contextlib.suppress(KeyboardInterrupt):
        run_server("127.0.0.1", port, workers=1, log_access=False)
    console.print("Kundenbild demo stopped.")


def _quarter_before_last_month() -> Any:
    """The last day of the month three months before the last full month."""
    from datetime import date, timedelta

    first = date.today().replace(day=1)
    for _ in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
    return first - timedelta(days=1)


def demo_data(
    output: Annotated[Path, typer.Option(help="File to write: .parquet or .csv.")],
    customers: Annotated[int, typer.Option(min=1)] = 250,
    years: Annotated[int, typer.Option(min=1, max=30)] = 5,
    seed: Annotated[int, typer.Option()] = 42,
) -> None:
    """Write a large file of generated sales lines (for benchmarks and import tests)."""
    from kundenbild.demo.generator import write_sales_lines

    if output.suffix.lower() not in {".parquet", ".csv"}:
        fail("demo-data", "The output file must end in .parquet or .csv.", code=2)
    with progress_bar() as progress:
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
