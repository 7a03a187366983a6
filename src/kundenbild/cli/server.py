"""Serving the app: the production server, its task worker, Django's management commands."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Annotated

import typer

from kundenbild.cli.console import console, fail, setup_django


def run_server(host: str, port: int, workers: int, *, log_access: bool) -> None:
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
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if migrate:
        call_command("migrate", interactive=False)
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        fail(
            "serve",
            f"The database needs {len(pending)} migration(s). "
            "Run `kundenbild manage migrate` (or start with --migrate).",
            code=2,
        )
    call_command("collectstatic", interactive=False, verbosity=0)
    console.print(f"Kundenbild serving on http://{host}:{port}/ with {workers} worker(s)")
    worker = running_task_worker() if task_worker else contextlib.nullcontext()
    with worker, contextlib.suppress(KeyboardInterrupt):
        run_server(host, port, workers=workers, log_access=True)


@contextlib.contextmanager
def running_task_worker() -> Iterator[None]:
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


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `kundenbild manage migrate`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kundenbild.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kundenbild manage", *ctx.args])
