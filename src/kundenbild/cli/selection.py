"""`kundenbild select-customers`: the customers ranked for a goal, with their reasons.

Registered by `cli.py`; Django and the analytics load only when the command runs.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kundenbild.cli.console import fail, setup_django


def select_customers_command(
    goal: Annotated[str, typer.Option(help="growth, profitability or innovation.")],
    limit: Annotated[int, typer.Option(min=1, help="How many customers to list.")] = 20,
    output: Annotated[
        Path | None,
        typer.Option(help="All ranked customers with every criterion: .csv or .xlsx."),
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(help="criterion=weight, e.g. white_space=5 (0 switches it off)."),
    ] = None,
    language: Annotated[str, typer.Option(help="de or en: reasons and headers.")] = "de",
    value_type: Annotated[
        list[str] | None,
        typer.Option(help="Rank only customers of this value type (repeatable), e.g. steady."),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            help="Rank a value type or phase the goal leaves out (repeatable): growth leaves "
            "out burr and lost customers, the other goals lost ones."
        ),
    ] = None,
) -> None:
    """Rank all customers by a documented score for a goal (docs/selection.md), from the
    latest analysis run and the profile, and print the best with their top reasons."""

    err = Console(stderr=True)

    if output and output.suffix.lower() not in {".csv", ".xlsx"}:
        fail("select-customers", "--output must end in .csv or .xlsx")
    if language not in {"de", "en"}:
        fail("select-customers", "--language must be de or en")
    overrides: dict[str, float] = {}
    for item in weight or []:
        name, _, number = item.partition("=")
        try:
            overrides[name.strip()] = float(number)
        except ValueError:
            fail("select-customers", f"--weight {item!r} is not criterion=number")
    setup_django()
    from django.utils import translation

    from kundenbild.analytics.selection import LEFT_OUT, SelectionError, select
    from kundenbild.portfolio.criteria import selection_criteria
    from kundenbild.portfolio.exports import reason_text, selection_rows, selection_workbook

    criteria = selection_criteria()
    if not criteria.customers:
        fail("select-customers", "there are no customers to select from")
    try:
        selection = select(goal, criteria.values, overrides)
    except SelectionError as error:
        fail("select-customers", str(error))
    if criteria.run is None:
        err.print("No finished analysis run: value and forecast criteria are empty.")
    _check_types(value_type or [], include or [])
    rows = selection_rows(selection, criteria, include=include or [], only_types=value_type or [])
    left_out = sorted(LEFT_OUT.get(goal, frozenset()) - set(include or []))
    if left_out:
        err.print(f"Left out for {goal}: {', '.join(left_out)} (--include TYPE puts one back).")
    names = list(selection.weights)
    with translation.override(language):
        console = Console(width=max(Console().width, 120))
        console.print(_table(goal, rows[:limit], reason_text))
        weights = ", ".join(f"{name} {value:g}" for name, value in selection.weights.items())
        console.print(f"Weights: {weights} (docs/selection.md).")
        if output and output.suffix.lower() == ".xlsx":
            selection_workbook(rows, names, output)
        elif output:
            _write_csv(rows, names, output, reason_text)
    if output:
        err.print(f"{len(rows):,} ranked customers written to {output}.")


def _check_types(value_types: list[str], include: list[str]) -> None:
    """Refuse a value type or phase Kundenbild does not know, naming those it does."""
    from kundenbild.analytics.shapes.phases import PHASES
    from kundenbild.analytics.shapes.value_types import VALUE_TYPES

    known = {"--value-type": VALUE_TYPES, "--include": (*VALUE_TYPES, *PHASES)}
    for option, given in (("--value-type", value_types), ("--include", include)):
        unknown = sorted(set(given) - set(known[option]))
        if unknown:
            choices = ", ".join(known[option])
            fail("select-customers", f"{option} {unknown[0]!r} is unknown; choose from {choices}")


def _table(goal: str, rows: list[dict[str, Any]], reason_text: Callable[[Any], str]) -> Table:
    table = Table(title=f"Customers for {goal}, best first")
    for heading in ("rank", "customer", "name", "score", "type", "phase", "top reasons"):
        table.add_column(heading, justify="right" if heading in {"rank", "score"} else "left")
    for row in rows:
        table.add_row(
            str(row["rank"]),
            row["customer"].number,
            row["customer"].name,
            f"{row['score']:.1f}",
            row["value_type"],
            row["lifecycle_phase"],
            "; ".join(reason_text(reason) for reason in row["reasons"]),
        )
    return table


def _write_csv(
    rows: list[dict[str, Any]], names: list[str], output: Path, reason_text: Callable[[Any], str]
) -> None:
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["rank", "customer_number", "name", "score", "top_reasons", "value_type",
             "lifecycle_phase", *names]
        )  # fmt: skip
        for row in rows:
            values = [row["values"][name] for name in names]
            writer.writerow(
                [
                    row["rank"],
                    row["customer"].number,
                    row["customer"].name,
                    round(row["score"], 2),
                    "; ".join(reason_text(reason) for reason in row["reasons"]),
                    row["value_type"],
                    row["lifecycle_phase"],
                    *["" if value != value else value for value in values],
                ]
            )
    partial.replace(output)
