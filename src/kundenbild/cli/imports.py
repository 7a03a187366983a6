"""Imports into the database: sales lines, costs, their rollback, and the totals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from kundenbild.cli.console import console, fail, progress_bar, report_refusal, setup_django


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

    setup_django()
    from kundenbild.accounts.models import User
    from kundenbild.core.errors import ApplicationError
    from kundenbild.imports.services import ImportRefusedError, import_file

    err = Console(stderr=True)
    if not file.is_file():
        fail("import-sales", f"No such file: {file}", code=2)
    by = User.objects.filter(username=user).first() if user else None
    if user and by is None:
        fail("import-sales", f"No such user: {user}", code=2)
    with progress_bar(err) as progress:
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
            report_refusal(err, refused, refused.result.problems, refused.result.summary(), as_json)
        except ApplicationError as error:
            progress.stop()
            fail("import-sales", str(error.message))
    if as_json:
        print(json.dumps(result.summary()))
    else:
        _print_summary(file, result, dry_run=dry_run)


def _print_summary(file: Path, result: Any, *, dry_run: bool) -> None:
    verb = "Would import" if dry_run else "Imported"
    console.print(
        f"{verb} {file.name}: {result.lines_added:,} lines added, "
        f"{result.lines_replaced:,} replaced, {result.lines_unchanged:,} unchanged; "
        f"net revenue {result.revenue_total:,.2f} EUR; "
        f"{len(result.customers_created):,} customers and "
        f"{len(result.offerings_created):,} offerings created."
    )


def import_costs_command(
    file: Annotated[Path, typer.Argument(help="Costs per customer, period and kind.")],
    dry_run: Annotated[bool, typer.Option(help="Check and report; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Import customer costs (bonuses, special service, key account effort) per period."""
    import json

    setup_django()
    from kundenbild.core.errors import ApplicationError
    from kundenbild.imports.costs import CostImportRefusedError, import_costs

    err = Console(stderr=True)
    if not file.is_file():
        fail("import-costs", f"No such file: {file}", code=2)
    try:
        result = import_costs(file, dry_run=dry_run)
    except CostImportRefusedError as refused:
        report_refusal(err, refused, refused.result.problems, refused.result.summary(), as_json)
    except ApplicationError as error:
        fail("import-costs", str(error.message))
    if as_json:
        print(json.dumps(result.summary()))
        return
    verb = "Would import" if dry_run else "Imported"
    console.print(
        f"{verb} {file.name}: {result.costs_added} costs added, {result.costs_replaced} "
        f"replaced, {result.costs_unchanged} unchanged; total {result.amount_total:,.2f} EUR."
    )


def import_rollback_command(
    import_id: Annotated[int, typer.Argument(help="The id printed by import-sales --json.")],
) -> None:
    """Undo an import (the newest still in effect): its lines go, replaced ones return."""
    setup_django()
    from kundenbild.core.errors import ApplicationError
    from kundenbild.imports.models import ImportRun
    from kundenbild.imports.services import import_rollback

    run = ImportRun.objects.filter(pk=import_id).first()
    if run is None:
        fail("import-rollback", f"No import with id {import_id}.", code=2)
    try:
        import_rollback(run=run, by=None)
    except ApplicationError as error:
        fail("import-rollback", str(error.message))
    console.print(f"Rolled back import {import_id} ({run.file_name}).")


def sales_totals_command(
    by: Annotated[str | None, typer.Option(help="Group by 'year' or 'customer'.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Totals of the sales lines in the database, to reconcile with the ERP."""
    import json

    if by not in (None, "year", "customer"):
        fail("sales-totals", "--by must be 'year' or 'customer'.", code=2)
    setup_django()
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
