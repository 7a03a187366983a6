"""`/api/imports`: import sales lines, list and roll back imports; `/api/sales-totals`."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, ErrorOut
from kundenbild.core.errors import ApplicationError
from kundenbild.imports.costs import CostImportRefusedError, import_costs
from kundenbild.imports.master.services import MasterImportRefusedError, import_master_file
from kundenbild.imports.middleware import too_large_message
from kundenbild.imports.models import ImportRun, ImportStatus
from kundenbild.imports.permissions import import_access
from kundenbild.imports.read_errors import FileTooLargeError
from kundenbild.imports.selectors import import_list, sales_totals
from kundenbild.imports.services import (
    ImportRefusedError,
    Problem,
    import_file,
    import_rollback,
)

router = Router(tags=["imports"])
totals_router = Router(tags=["imports"])


class ProblemOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportResultOut(Schema):
    dry_run: bool
    lines_added: int
    lines_replaced: int
    lines_unchanged: int
    lines_invalid: int
    revenue_total: Decimal
    customers_created: list[str]
    offerings_created: list[str]
    import_id: int | None
    problems: list[ProblemOut]


class RefusedOut(ErrorOut):
    """A refused file lists its invalid rows; a malformed request has none."""

    problems: list[ProblemOut] = Field(default_factory=list)
    lines_invalid: int = 0


class ImportRunOut(Schema):
    id: int
    created_at: datetime
    created_by: str | None
    file_name: str
    checksum: str
    kind: str
    content: str
    lines_added: int
    lines_replaced: int
    lines_unchanged: int
    revenue_total: Decimal
    customers_created: int
    offerings_created: int
    status: ImportStatus
    rolled_back_at: datetime | None

    @staticmethod
    def resolve_created_by(obj: ImportRun) -> str | None:
        return obj.created_by.username if obj.created_by else None


class TotalsOut(Schema):
    key: str | int | None
    lines: int
    revenue: Decimal
    cost: Decimal
    contribution_margin_1: Decimal


@contextmanager
def _saved(upload: UploadedFile) -> Iterator[Path]:
    """The uploaded file in a temporary folder, under its own suffix (the format).

    A file over the limit is refused here, before it is copied; one whose announced
    size was already too large never reaches the endpoint (`UploadLimitMiddleware`)."""
    if (upload.size or 0) > settings.MAX_UPLOAD_BYTES:
        raise FileTooLargeError(too_large_message(), code="file_too_large")
    suffix = Path(upload.name or "upload.csv").suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path


def _refused(
    refusal: ApplicationError, problems: list[Problem], invalid: int
) -> Status[dict[str, object]]:
    return Status(
        422,
        {
            "code": refusal.code,
            "detail": str(refusal.message),
            "problems": [p.__dict__ for p in problems],
            "lines_invalid": invalid,
        },
    )


@router.post(
    "/",
    response={**ERRORS, 200: ImportResultOut, 201: ImportResultOut, 413: ErrorOut, 422: RefusedOut},
    summary="Import sales lines from a CSV, xlsx or Parquet file",
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    create_missing: Form[bool] = False,
    mapping: Form[str] = "",
    delimiter: Form[Literal["", ";", ",", "\t", "|"]] = "",
    decimal: Form[Literal["", ",", "."]] = "",
    encoding: Form[Literal["", "utf-8", "utf-8-sig", "cp1252"]] = "",
    date_format: Form[Literal["", "%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"]] = "",
) -> Status[dict[str, object]]:
    """All or nothing: with invalid rows nothing is imported and 422 lists them.

    `dry_run` reports what would happen and writes nothing (200); an import answers 201.
    The dialect is detected; `delimiter`, `decimal`, `encoding` and `date_format` fix
    the parts that detection gets wrong.
    """
    user = acting_user(request)
    import_access(user)
    with _saved(file) as path:
        try:
            result = import_file(
                path,
                by=user,
                file_name=file.name or path.name,
                mapping_name=mapping or None,
                overrides={
                    "delimiter": delimiter,
                    "decimal": decimal,
                    "encoding": encoding,
                    "date_format": date_format,
                },
                create_missing=create_missing,
                dry_run=dry_run,
            )
        except ImportRefusedError as refused:
            return _refused(refused, refused.result.problems, refused.result.lines_invalid)
    body = {
        **result.__dict__,
        "import_id": result.run_id,
        "problems": [],
    }
    return Status(200 if dry_run else 201, body)


class CostImportOut(Schema):
    dry_run: bool
    costs_added: int
    costs_replaced: int
    costs_unchanged: int
    rows_invalid: int
    amount_total: Decimal


@router.post(
    "/costs",
    response={**ERRORS, 200: CostImportOut, 413: ErrorOut, 422: RefusedOut},
    summary="Import costs per customer and period (for contribution margins II and III)",
)
def create_cost_import(
    request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False
) -> Status[dict[str, object]]:
    """Columns: customer number, period (2025-03, 03/2025 or 2025), kind, amount."""
    import_access(acting_user(request))
    with _saved(file) as path:
        try:
            result = import_costs(path, dry_run=dry_run)
        except CostImportRefusedError as refused:
            return _refused(refused, refused.result.problems, refused.result.rows_invalid)
    return Status(200, {**result.__dict__})


class FieldChangeOut(Schema):
    row: int
    number: str
    name: str
    fields: dict[str, list[str]] = Field(description="field → [old, new]")


class ConflictOut(Schema):
    row: int
    number: str
    name: str
    field: str
    kundenbild: str
    erp: str
    baseline: str | None
    overwritten: bool


class DuplicateOut(Schema):
    row: int
    number: str
    name: str
    other_number: str
    other_name: str
    other_row: int | None
    reason: Literal["vat_id", "name_postal_code", "email", "email_other_customer", "name"]


class MasterImportOut(Schema):
    content: str
    dry_run: bool
    rows: int
    added: int
    changed: int
    unchanged: int
    invalid: int
    conflicts: int
    duplicates: int
    import_id: int | None
    changes: list[FieldChangeOut]
    conflict_fields: list[ConflictOut]
    probable_duplicates: list[DuplicateOut]
    problems: list[ProblemOut]


def _import_master(
    request: HttpRequest,
    content: str,
    file: UploadedFile,
    *,
    dry_run: bool,
    mapping: str,
    overwrite: list[str],
    delimiter: str,
    encoding: str,
) -> Status[dict[str, object]]:
    user = acting_user(request)
    import_access(user)
    with _saved(file) as path:
        try:
            result = import_master_file(
                path,
                content,
                by=user,
                file_name=file.name or path.name,
                mapping_name=mapping or None,
                overrides={"delimiter": delimiter, "encoding": encoding},
                overwrite=overwrite,
                dry_run=dry_run,
            )
        except MasterImportRefusedError as refused:
            problems = [Problem(**p.__dict__) for p in refused.result.problems]
            return _refused(refused, problems, refused.result.invalid)
    return Status(200 if dry_run or result.run_id is None else 201, result.details())


@router.post(
    "/customers",
    response={**ERRORS, 200: MasterImportOut, 201: MasterImportOut, 413: ErrorOut, 422: RefusedOut},
    summary="Import customers (an ERP debtor export) by customer number",
)
def create_customer_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    mapping: Form[str] = "",
    overwrite: Form[list[str] | None] = None,
    delimiter: Form[Literal["", ";", ",", "\t", "|"]] = "",
    encoding: Form[Literal["", "utf-8", "utf-8-sig", "cp1252"]] = "",
) -> Status[dict[str, object]]:
    """New customers are added; known ones change where the ERP changed a field since the
    last import; a field changed on both sides is a conflict and keeps Kundenbild's
    value unless `overwrite` names it (a field, `NUMBER:FIELD`, or `*`). All or
    nothing: with invalid rows nothing is imported and 422 lists them. A dry run, or a
    file that changes nothing, answers 200; an import 201."""
    return _import_master(
        request, "customers", file, dry_run=dry_run, mapping=mapping, overwrite=overwrite or [],
        delimiter=delimiter, encoding=encoding,
    )  # fmt: skip


@router.post(
    "/offerings",
    response={**ERRORS, 200: MasterImportOut, 201: MasterImportOut, 413: ErrorOut, 422: RefusedOut},
    summary="Import offerings (an ERP article list) by article number",
)
def create_offering_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    mapping: Form[str] = "",
    overwrite: Form[list[str] | None] = None,
    delimiter: Form[Literal["", ";", ",", "\t", "|"]] = "",
    encoding: Form[Literal["", "utf-8", "utf-8-sig", "cp1252"]] = "",
) -> Status[dict[str, object]]:
    """As customers, by article number: name (German and English), group, kind, unit."""
    return _import_master(
        request, "offerings", file, dry_run=dry_run, mapping=mapping, overwrite=overwrite or [],
        delimiter=delimiter, encoding=encoding,
    )  # fmt: skip


@router.post(
    "/people",
    response={**ERRORS, 200: MasterImportOut, 201: MasterImportOut, 413: ErrorOut, 422: RefusedOut},
    summary="Import people (a CRM or Outlook export) by e-mail, or customer and name",
)
def create_people_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    mapping: Form[str] = "",
    overwrite: Form[list[str] | None] = None,
    delimiter: Form[Literal["", ";", ",", "\t", "|"]] = "",
    encoding: Form[Literal["", "utf-8", "utf-8-sig", "cp1252"]] = "",
) -> Status[dict[str, object]]:
    """As customers, keyed by e-mail address (or customer number and name): salutation,
    title, names, function, department, phones, buying roles, influence, attitude, and
    who of our staff knows the person (user names or e-mail addresses)."""
    return _import_master(
        request, "people", file, dry_run=dry_run, mapping=mapping, overwrite=overwrite or [],
        delimiter=delimiter, encoding=encoding,
    )  # fmt: skip


@router.get("/", response={200: list[ImportRunOut], **ERRORS})
def list_imports(request: HttpRequest) -> list[ImportRun]:
    import_access(acting_user(request))
    return import_list()


@router.post("/{import_id}/rollback", response={200: ImportRunOut, **ERRORS})
def rollback_import(request: HttpRequest, import_id: int) -> ImportRun:
    """Undo an import (the newest still in effect): its lines go, replaced ones return."""
    user = acting_user(request)
    import_access(user)
    run = get_object_or_404(ImportRun, pk=import_id)
    return import_rollback(run=run, by=user)


@totals_router.get("/", response={200: list[TotalsOut], **ERRORS})
def get_sales_totals(
    request: HttpRequest, by: Literal["year", "customer"] | None = None
) -> list[dict[str, object]]:
    """Lines, revenue, cost and CM I in total, or per `year` or `customer` (number)."""
    import_access(acting_user(request))
    return sales_totals(by)
