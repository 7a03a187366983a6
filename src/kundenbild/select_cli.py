"""`kundenbild select-customers`: the customers ranked for a goal, with their reasons.

Registered by `cli.py`; Django and the analytics load only when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table


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
) -> None:
    """Rank all customers by a documented score for a goal (docs/selection.md), from the
    latest analysis run and the profile, and print the best with their top reasons."""
    from kundenbild.cli import _setup_django

    err = Console(stderr=True)

    def fail(message: str) -> NoReturn:
        err.print(f"[red]kundenbild select-customers: {message}[/red]", soft_wrap=True)
        raise typer.Exit(1)

    if output and output.suffix.lower() not in {".csv", ".xlsx"}:
        fail("--output must end in .csv or .xlsx")
    overrides: dict[str, float] = {}
    for item in weight or []:
        name, _, number = item.partition("=")
        try:
            overrides[name.strip()] = float(number)
        except ValueError:
            fail(f"--weight {item!r} is not criterion=number")
    _setup_django()
    from kundenbild.analytics.selection import SelectionError, select
    from kundenbild.insights.selection import selection_criteria

    criteria = selection_criteria()
    if not criteria.customers:
        fail("there are no customers to select from")
    try:
        selection = select(goal, criteria.values, overrides)
    except SelectionError as error:
        fail(str(error))
    if criteria.run is None:
        err.print("No finished analysis run: value and forecast criteria are empty.")
    console = Console(width=max(Console().width, 120))
    table = Table(title=f"Customers for {goal}, best first")
    for heading in ("rank", "customer", "name", "score", "top reasons"):
        table.add_column(heading, justify="right" if heading in {"rank", "score"} else "left")
    rows = _rows(selection, criteria)
    for row in rows[:limit]:
        table.add_row(
            str(row["rank"]),
            row["customer"],
            row["name"],
            f"{row['score']:.1f}",
            "; ".join(row["reasons"]),
        )
    console.print(table)
    weights = ", ".join(f"{name} {value:g}" for name, value in selection.weights.items())
    console.print(f"Weights: {weights} (docs/selection.md).")
    if output:
        _write(rows, list(selection.weights), output)
        err.print(f"{len(rows):,} ranked customers written to {output}.")


def _rows(selection: Any, criteria: Any) -> list[dict[str, Any]]:
    rows = []
    for rank, at in enumerate(selection.order, start=1):
        customer = criteria.customers[at]
        reasons = [
            f"{reason.criterion} {_pct(reason.percentile)}"
            if reason.percentile == reason.percentile
            else f"{reason.criterion}: no data"
            for reason in selection.reasons(int(at), criteria.values)
        ]
        rows.append(
            {
                "rank": rank,
                "customer": customer.number,
                "name": customer.name,
                "score": float(selection.scores[at]),
                "reasons": reasons,
                "values": {name: float(criteria.values[name][at]) for name in selection.weights},
            }
        )
    return rows


def _pct(percentile: float) -> str:
    return f"(top {max(1, round(100 * (1 - percentile)))} %)"


def _write(rows: list[dict[str, Any]], names: list[str], output: Path) -> None:
    headers = ["rank", "customer number", "name", "score", "top reasons", *names]
    table = [
        [
            row["rank"],
            row["customer"],
            row["name"],
            round(row["score"], 2),
            "; ".join(row["reasons"]),
            *[None if v != v else v for v in (row["values"][name] for name in names)],
        ]
        for row in rows
    ]
    partial = output.with_name(output.name + ".partial")
    if output.suffix.lower() == ".csv":
        import csv

        with partial.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows(table)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(partial))
        sheet = book.add_worksheet("selection")
        bold = book.add_format({"bold": True})
        number = book.add_format({"num_format": "#,##0.00"})
        sheet.write_row(0, 0, headers, bold)
        for r, values in enumerate(table, start=1):
            for c, value in enumerate(values):
                if isinstance(value, float):
                    sheet.write_number(r, c, value, number)
                elif value is None:
                    sheet.write_blank(r, c, None)
                else:
                    sheet.write(r, c, value)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(table), len(headers) - 1)
        sheet.set_column(2, 2, 32)
        sheet.set_column(4, 4, 60)
        book.close()
    partial.replace(output)
