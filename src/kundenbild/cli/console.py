"""What every command shares: the consoles, Django's setup, progress bars, and one way
to fail with a message."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()


def fail(command: str, message: str, code: int = 1) -> NoReturn:
    """Say on stderr why the command stops, in one line, and exit with `code`."""
    Console(stderr=True).print(f"[red]kundenbild {command}: {message}[/red]", soft_wrap=True)
    raise typer.Exit(code)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kundenbild.settings")
    import django
    from django.apps import apps

    if not apps.ready:  # set up once: a second setup rebinds logging to the current stderr
        django.setup()


def stage_reporter(progress: Progress, labels: dict[str, str]) -> Callable[[str, int, int], None]:
    """A progress callback for a job in stages: each stage gets its own bar."""
    tasks: dict[str, Any] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(labels.get(stage, stage), total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return report


def progress_bar(to: Console = console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=to,
        transient=True,
    )


def report_refusal(
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
