"""Importing master data: customers (and, the same way, people and offerings) from the
ERP's exports, with the sales import's guarantees.

A file is read, mapped, converted and checked as a whole (`customer_plan`), against
the database, before anything is written; a dry run stops there and reports. Then it
is written in one transaction (`customer_write`), recorded as an `ImportRun`, and each
record's old values are kept so that the newest import can be rolled back. Records are
matched by the keys users have (customer number); a field changes only where the ERP
changed it (`comparison`, docs/decisions/0008).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, Protocol

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kundenbild.accounts.models import SecurityEventKind, User
from kundenbild.accounts.security_log import record_security_event
from kundenbild.analytics.io.reading import Dialect
from kundenbild.core.errors import ApplicationError
from kundenbild.imports.master.comparison import Comparison
from kundenbild.imports.master.customer_plan import plan_customers
from kundenbild.imports.master.customer_write import write_customers
from kundenbild.imports.master.customers import RowProblem
from kundenbild.imports.master.kinds import KINDS, KindMapping
from kundenbild.imports.master.offering_import import plan_offerings, write_offerings
from kundenbild.imports.master.person_import import plan_people, write_people
from kundenbild.imports.master.reading import MasterFile, read_master_file
from kundenbild.imports.models import ImportContent, ImportMapping, ImportRun
from kundenbild.imports.selectors import import_reason
from kundenbild.imports.services import MAX_PROBLEMS, file_checksum

Progress = Callable[[int, int, str], None]
Rows = Iterable[tuple[int, Mapping[str, str]]]


class PlannedRecord(Protocol):
    """One record of a file, as each kind plans it."""

    @property
    def row_number(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def comparison(self) -> Comparison | None: ...  # None for a new record
    @property
    def writes(self) -> bool: ...


class FilePlan(Protocol):
    @property
    def records(self) -> Sequence[PlannedRecord]: ...
    @property
    def problems(self) -> list[RowProblem]: ...
    @property
    def duplicates(self) -> Sequence[Any]: ...
    @property
    def rows(self) -> int: ...
    @property
    def unchanged(self) -> int: ...  # records left out of `records` as unchanged
    @property
    def invalid_rows(self) -> int: ...


@dataclass(frozen=True)
class Handler:
    """How one kind of master data is checked and written."""

    plan: Callable[[Rows, KindMapping, Collection[str], Callable[[int, int], None]], Any]
    write: Callable[..., None]  # (plan, *, run, by, reason)


HANDLERS = {
    ImportContent.CUSTOMERS: Handler(
        lambda rows, mapping, overwrite, progress: plan_customers(
            rows, mapping, overwrite=overwrite, progress=progress
        ),
        write_customers,
    ),
    ImportContent.OFFERINGS: Handler(
        lambda rows, mapping, overwrite, _progress: plan_offerings(rows, mapping, overwrite),
        write_offerings,
    ),
    ImportContent.PEOPLE: Handler(
        lambda rows, mapping, overwrite, _progress: plan_people(rows, mapping, overwrite),
        write_people,
    ),
}


@dataclass
class MasterImportResult:
    """What a master-data import did, or would do: records added, changed field by field
    (old → new), unchanged, conflicting, and the rows refused."""

    content: str
    dry_run: bool
    rows_in_file: int = 0
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    invalid: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    run_id: int | None = None
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    dialect: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The counts, as the CLI's and the API's JSON give them."""
        return {
            "content": self.content,
            "dry_run": self.dry_run,
            "rows": self.rows_in_file,
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "conflicts": len(self.conflicts),
            "duplicates": len(self.duplicates),
            "import_id": self.run_id,
        }

    def details(self) -> dict[str, Any]:
        """The summary with every change, conflict and problem spelled out."""
        return {
            **self.summary(),
            "changes": self.changed,
            "conflict_fields": self.conflicts,
            "probable_duplicates": self.duplicates,
            "problems": [p.__dict__ for p in self.problems],
        }


class MasterImportRefusedError(ApplicationError):
    """The file has invalid rows; nothing was imported."""

    status = 422

    def __init__(self, result: MasterImportResult):
        super().__init__(
            ngettext(
                "%(count)s row is invalid; nothing has been imported. Correct it and "
                "import the file again.",
                "%(count)s rows are invalid; nothing has been imported. Correct them and "
                "import the file again.",
                result.invalid,
            )
            % {"count": result.invalid},
            code="invalid_rows",
        )
        self.result = result


def import_master_file(
    path: Path,
    content: str,
    *,
    by: User | None,
    file_name: str | None = None,
    mapping_name: str | None = None,
    columns: Mapping[str, str] | None = None,
    overrides: Mapping[str, str | None] | None = None,
    overwrite: Collection[str] = (),
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MasterImportResult:
    """Read, map, check and import one master-data file of `content` ("customers", …);
    refuse it whole (`MasterImportRefusedError`) if any row is invalid. `overwrite`
    settles conflicts for the ERP: field names, "number:field", or "*" for all."""
    report = progress or (lambda done, total, what: None)
    kind = KINDS[content]
    saved, dialect = _saved_mapping(mapping_name, content)
    report(0, 0, "reading")
    master = read_master_file(
        path, kind, saved={**saved, **(columns or {})}, dialect=dialect, overrides=overrides
    )
    report(0, 0, "checking")
    handler = HANDLERS[ImportContent(content)]
    plan: FilePlan = handler.plan(
        master.rows(),
        master.mapping,
        overwrite,
        lambda done, total: report(done, total, "checking"),
    )
    result = _result(plan, master, content=content, dry_run=dry_run)
    if result.invalid:
        _refuse(result, by=by, file_name=file_name or path.name)
    if dry_run or not any(p.writes for p in plan.records):
        return result  # the same file again writes nothing, not even a record of itself
    report(0, 0, "writing")
    with transaction.atomic():
        run = ImportRun.objects.create(
            created_by=by,
            file_name=(file_name or path.name)[:255],
            checksum=file_checksum(path),
            kind=master.raw.kind,
            content=content,
            dialect=master.dialect.__dict__,
            mapping=dict(master.mapping.columns),
            lines_added=len(result.added),
            lines_replaced=len(result.changed),
            lines_unchanged=result.unchanged,
            conflicts=len(result.conflicts),
        )
        handler.write(plan, run=run, by=by, reason=import_reason(run.pk))
    result.run_id = run.pk
    record_security_event(
        SecurityEventKind.IMPORT_DONE,
        user=by,
        detail={"run": run.pk, "file": run.file_name, "content": content, **result.summary()},
    )
    return result


def _saved_mapping(name: str | None, content: str) -> tuple[dict[str, str], Dialect | None]:
    if not name:
        return {}, None
    stored = ImportMapping.objects.filter(name=name, content=content).first()
    if stored is None:
        raise ApplicationError(
            _("There is no saved column mapping named “%(name)s” for this kind of file.")
            % {"name": name},
            code="unknown_mapping",
        )
    return dict(stored.columns), Dialect(**stored.dialect) if stored.dialect else None


def _result(
    plan: FilePlan, master: MasterFile, *, content: str, dry_run: bool
) -> MasterImportResult:
    result = MasterImportResult(
        content=content,
        dry_run=dry_run,
        rows_in_file=plan.rows,
        invalid=plan.invalid_rows,
        problems=plan.problems[:MAX_PROBLEMS],
        duplicates=[d.__dict__ for d in plan.duplicates],
        headers=list(master.raw.headers),
        mapping=dict(master.mapping.columns),
        dialect=dict(master.dialect.__dict__),
        unchanged=plan.unchanged,
    )
    for planned in plan.records:
        who = {"row": planned.row_number, "number": planned.key, "name": planned.label}
        comparison = planned.comparison
        if comparison is None:
            result.added.append(who)
            continue
        result.conflicts += [{**who, **c.__dict__} for c in comparison.conflicts]
        if comparison.changes:
            fields = {c.field: [c.old, c.new] for c in comparison.changes}
            result.changed.append({**who, "fields": fields})
        else:
            result.unchanged += 1
    return result


def _refuse(result: MasterImportResult, *, by: User | None, file_name: str) -> NoReturn:
    """Log the refusal and refuse: nothing has been written."""
    record_security_event(
        SecurityEventKind.IMPORT_FAILED,
        user=by,
        detail={
            "file": file_name[:255],
            "lines_invalid": result.invalid,
            "dry_run": result.dry_run,
        },
    )
    raise MasterImportRefusedError(result)
