"""Master-data imports from the command line: one command a night keeps Kundenbild in
step with the ERP (`import-customers`; people and offerings the same way)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from kundenbild.cli.console import console, fail, progress_bar, report_refusal, setup_django

MAPPING = Annotated[str | None, typer.Option(help="Name of a saved column mapping to use.")]
DRY_RUN = Annotated[
    bool, typer.Option(help="Check and report what would change, field by field; write nothing.")
]
AS_JSON = Annotated[
    bool,
    typer.Option(
        "--json",
        help="Print JSON: added, changed, unchanged, invalid, conflicts, import_id "
        "(with --details: every change, conflict and refused row).",
    ),
]
DETAILS = Annotated[bool, typer.Option(help="With --json: list every change and conflict.")]
OVERWRITE = Annotated[
    list[str] | None,
    typer.Option(
        help="Settle conflicts for the ERP: a field (e.g. name), NUMBER:FIELD for one "
        "record, or '*' for all. Repeatable. Without it, Kundenbild's values stay."
    ),
]
USER = Annotated[str | None, typer.Option(help="Username recorded as importer.")]
DELIMITER = Annotated[str | None, typer.Option(help="CSV delimiter (default: detected).")]
ENCODING = Annotated[
    str | None, typer.Option(help="utf-8, utf-8-sig or cp1252 (default: detected).")
]


def import_customers_command(
    file: Annotated[Path, typer.Argument(help="The ERP's debtor export: .csv or .xlsx.")],
    mapping: MAPPING = None,
    dry_run: DRY_RUN = False,
    as_json: AS_JSON = False,
    details: DETAILS = False,
    overwrite: OVERWRITE = None,
    user: USER = None,
    delimiter: DELIMITER = None,
    encoding: ENCODING = None,
) -> None:
    """Import customers by number: new ones added, changed fields updated where the ERP
    changed them, conflicts reported; all or nothing."""
    _import_master(
        "import-customers",
        "customers",
        file,
        mapping=mapping,
        dry_run=dry_run,
        as_json=as_json,
        details=details,
        overwrite=overwrite or [],
        user=user,
        overrides={"delimiter": delimiter, "encoding": encoding},
    )


def import_offerings_command(
    file: Annotated[Path, typer.Argument(help="The ERP's article list: .csv or .xlsx.")],
    mapping: MAPPING = None,
    dry_run: DRY_RUN = False,
    as_json: AS_JSON = False,
    details: DETAILS = False,
    overwrite: OVERWRITE = None,
    user: USER = None,
    delimiter: DELIMITER = None,
    encoding: ENCODING = None,
) -> None:
    """Import offerings by article number: new ones added, changed fields updated where
    the ERP changed them, conflicts reported; all or nothing."""
    _import_master(
        "import-offerings",
        "offerings",
        file,
        mapping=mapping,
        dry_run=dry_run,
        as_json=as_json,
        details=details,
        overwrite=overwrite or [],
        user=user,
        overrides={"delimiter": delimiter, "encoding": encoding},
    )


def import_people_command(
    file: Annotated[Path, typer.Argument(help="The CRM's or Outlook's people export.")],
    mapping: MAPPING = None,
    dry_run: DRY_RUN = False,
    as_json: AS_JSON = False,
    details: DETAILS = False,
    overwrite: OVERWRITE = None,
    user: USER = None,
    delimiter: DELIMITER = None,
    encoding: ENCODING = None,
) -> None:
    """Import people by e-mail address (or customer and name) into the customers' buying
    centers: added, updated where the source changed them, conflicts reported."""
    _import_master(
        "import-people",
        "people",
        file,
        mapping=mapping,
        dry_run=dry_run,
        as_json=as_json,
        details=details,
        overwrite=overwrite or [],
        user=user,
        overrides={"delimiter": delimiter, "encoding": encoding},
    )


def _import_master(
    command: str,
    content: str,
    file: Path,
    *,
    mapping: str | None,
    dry_run: bool,
    as_json: bool,
    details: bool,
    overwrite: list[str],
    user: str | None,
    overrides: dict[str, str | None],
) -> None:
    setup_django()
    from kundenbild.accounts.models import User
    from kundenbild.core.errors import ApplicationError
    from kundenbild.imports.master.services import MasterImportRefusedError, import_master_file

    err = Console(stderr=True)
    if not file.is_file():
        fail(command, f"No such file: {file}", code=2)
    by = User.objects.filter(username=user).first() if user else None
    if user and by is None:
        fail(command, f"No such user: {user}", code=2)
    with progress_bar(err) as progress:
        task = progress.add_task("Reading", total=None)

        def report(done: int, total: int, what: str) -> None:
            progress.update(
                task, description=what.capitalize(), completed=done, total=total or None
            )

        try:
            result = import_master_file(
                file,
                content,
                by=by,
                mapping_name=mapping,
                overrides=overrides,
                overwrite=overwrite,
                dry_run=dry_run,
                progress=report,
            )
        except MasterImportRefusedError as refused:
            progress.stop()
            summary = refused.result.details() if details else refused.result.summary()
            report_refusal(err, refused, refused.result.problems, summary, as_json)
        except ApplicationError as error:
            progress.stop()
            fail(command, str(error.message))
    if as_json:
        print(json.dumps(result.details() if details else result.summary(), ensure_ascii=False))
    else:
        _print_report(file, result)


def _print_report(file: Path, result: Any) -> None:
    """The counts, then the first changes and every conflict, one line each."""
    verb = "Would import" if result.dry_run else "Imported"
    console.print(
        f"{verb} {file.name}: {len(result.added):,} added, {len(result.changed):,} changed, "
        f"{result.unchanged:,} unchanged, {len(result.conflicts):,} conflicts, "
        f"{len(result.duplicates):,} probable duplicates"
        + (f"; import {result.run_id}." if result.run_id else ".")
    )
    for change in result.changed[:50]:
        fields = "; ".join(
            f"{name}: {_shown(old)} → {_shown(new)}"
            for name, (old, new) in change["fields"].items()
        )
        console.print(f"  ~ {change['number']} {change['name']}: {fields}", soft_wrap=True)
    if len(result.changed) > 50:
        console.print(f"  … and {len(result.changed) - 50:,} more changed")
    for conflict in result.conflicts:
        kept = "ERP value taken" if conflict["overwritten"] else "Kundenbild's value kept"
        ours, theirs = _shown(conflict["kundenbild"]), _shown(conflict["erp"])
        console.print(
            f"  ! {conflict['number']} {conflict['field']}: Kundenbild {ours}, ERP {theirs} "
            f"({kept})",
            soft_wrap=True,
        )

    for duplicate in result.duplicates[:20]:
        why = REASONS[duplicate["reason"]]
        console.print(
            f"  = row {duplicate['row']}: {duplicate['number']} {duplicate['name']} and "
            f"{duplicate['other_number']} {duplicate['other_name']} ({why})",
            soft_wrap=True,
        )
    if len(result.duplicates) > 20:
        console.print(f"  … and {len(result.duplicates) - 20:,} more probable duplicates")


REASONS = {
    "vat_id": "same VAT ID",
    "name_postal_code": "similar name, same postal code",
    "email": "same e-mail address",
    "email_other_customer": "same e-mail address at another customer",
    "name": "same name at the customer, another e-mail address",
}


def _shown(value: str) -> str:
    return repr(value.replace("\n", ", ")) if value else "—"
