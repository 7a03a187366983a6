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
    goal: Annotated[str, typer.Option(help="growth, profitability, innovation or pearls.")],
    limit: Annotated[
        int, typer.Option(min=1, help="How many customers to list (with --by-type: per type).")
    ] = 20,
    output: Annotated[
        Path | None,
        typer.Option(help="All ranked customers with every criterion: .csv or .xlsx."),
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(help="criterion=weight, e.g. white_space=5 (0 switches it off)."),
    ] = None,
    language: Annotated[str, typer.Option(help="de or en: reasons and headers.")] = "de",
    offering: Annotated[
        str,
        typer.Option(
            help="Only customers with demand or sales of this article number; white space "
            "and share of wallet become this offering's."
        ),
    ] = "",
    offering_group: Annotated[
        str, typer.Option(help="The same for an offering group (its id or German name).")
    ] = "",
    value_type: Annotated[
        list[str] | None,
        typer.Option(help="Rank only customers of this value type (repeatable), e.g. steady."),
    ] = None,
    phase: Annotated[
        list[str] | None,
        typer.Option(help="Rank only customers in this lifecycle phase (repeatable)."),
    ] = None,
    industry: Annotated[str, typer.Option(help="WZ 2008 division code, e.g. 28.")] = "",
    size: Annotated[str, typer.Option(help="micro, small, medium or large.")] = "",
    region: Annotated[
        str, typer.Option(help="Postal zone: first digit of the headquarters' postal code.")
    ] = "",
    owner: Annotated[
        str, typer.Option(help="Key account manager: user name, e-mail address or id.")
    ] = "",
    chain: Annotated[
        str, typer.Option(help="Customers of a problem-solving chain: id or name.")
    ] = "",
    include: Annotated[
        list[str] | None,
        typer.Option(
            help="Rank a value type or phase the goal leaves out (repeatable): growth leaves "
            "out burr and lost customers, the other goals lost ones."
        ),
    ] = None,
    by_type: Annotated[
        bool, typer.Option("--by-type", help="The best of each value type, type by type.")
    ] = False,
) -> None:
    """Rank the customers in a scope by a documented score for a goal (docs/selection.md),
    from the latest analysis run and the profile, and print the best with their top
    reasons."""
    if output and output.suffix.lower() not in {".csv", ".xlsx"}:
        fail("select-customers", "--output must end in .csv or .xlsx")
    if language not in {"de", "en"}:
        fail("select-customers", "--language must be de or en")
    overrides = _weights(weight or [])
    setup_django()
    from django.utils import translation

    with translation.override(language):
        scope = _scope(
            offering=offering,
            offering_group=offering_group,
            value_types=value_type or [],
            phases=phase or [],
            industry=industry,
            size_class=size,
            region=region,
            owner=owner,
            chain=chain,
        )
        _check_include(include or [])
        _rank(goal, scope, overrides, include or [], limit, by_type, output)


def _weights(items: list[str]) -> dict[str, float]:
    overrides: dict[str, float] = {}
    for item in items:
        name, _, number = item.partition("=")
        try:
            overrides[name.strip()] = float(number)
        except ValueError:
            fail("select-customers", f"--weight {item!r} is not criterion=number")
    return overrides


def _scope(**given: Any) -> Any:
    """The scope from the options, or a clear refusal naming the option."""
    from kundenbild.core.errors import ApplicationError
    from kundenbild.portfolio.scope import scope_from_input

    options = {
        "value_type": "--value-type",
        "size_class": "--size",
        "offering_group": "--offering-group",
    }
    try:
        return scope_from_input(**given)
    except ApplicationError as error:
        option = options.get(error.field or "", f"--{error.field}")
        fail("select-customers", f"{option}: {error.message}")


def _check_include(include: list[str]) -> None:
    """Refuse a value type or phase Kundenbild does not know, naming those it does."""
    from kundenbild.analytics.shapes.phases import PHASES
    from kundenbild.analytics.shapes.value_types import VALUE_TYPES

    known = (*VALUE_TYPES, *PHASES)
    unknown = sorted(set(include) - set(known))
    if unknown:
        fail(
            "select-customers",
            f"--include {unknown[0]!r} is unknown; choose from {', '.join(known)}",
        )


def _rank(
    goal: str,
    scope: Any,
    overrides: dict[str, float],
    include: list[str],
    limit: int,
    by_type: bool,
    output: Path | None,
) -> None:
    """Rank, print the scope and the table, write the file."""
    from kundenbild.analytics.selection import LEFT_OUT, ONLY_TYPES, SelectionError, select
    from kundenbild.portfolio.criteria import selection_criteria
    from kundenbild.portfolio.exports import reason_text, selection_rows, selection_workbook
    from kundenbild.portfolio.scope import scope_lines

    err = Console(stderr=True)
    criteria = selection_criteria(scope)
    if not criteria.customers:
        fail("select-customers", "there are no customers to select from in this scope")
    try:
        selection = select(goal, criteria.values, overrides)
    except SelectionError as error:
        fail("select-customers", str(error))
    if criteria.run is None:
        err.print("No finished analysis run: value and forecast criteria are empty.")
    rows = selection_rows(selection, criteria, include=include, per_type=limit if by_type else None)
    console = Console(width=max(Console().width, 120))
    for what, which in scope_lines(scope):
        console.print(f"[bold]{what}:[/bold] {which}")
    left_out = sorted(LEFT_OUT.get(goal, frozenset()) - set(include))
    if left_out:
        console.print(f"Left out for {goal}: {', '.join(left_out)} (--include TYPE puts one back).")
    if goal in ONLY_TYPES and not scope.value_types:
        console.print(f"Ranked for {goal}: {', '.join(sorted(ONLY_TYPES[goal]))} customers only.")
    console.print(_table(goal, rows if by_type else rows[:limit], reason_text))
    weights = ", ".join(f"{name} {value:g}" for name, value in selection.weights.items())
    console.print(f"Weights: {weights} (docs/selection.md).")
    if output:
        everyone = selection_rows(selection, criteria, include=include) if by_type else rows
        if output.suffix.lower() == ".xlsx":
            selection_workbook(everyone, list(selection.weights), output)
        else:
            _write_csv(everyone, list(selection.weights), output, reason_text)
        err.print(f"{len(everyone):,} ranked customers written to {output}.")


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
