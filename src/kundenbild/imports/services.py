"""Import sales lines: all or nothing, never a line twice, every import recorded.

Lines are identified by invoice number and line. Where the ERP gives no invoice number,
a stable key from the line's content stands in (customer, date, article, quantity,
revenue, and the how-manieth identical line it is), so re-importing the same or an
overlapping export never doubles a line, while a corrected line replaces the old one.

The merge runs in the database: the file's lines go into a temporary staging table, and
three set operations (replace changed, count unchanged, insert new) do the rest inside
one transaction. A failure, or a killed process, leaves the database as it was.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kundenbild.accounts.models import SecurityEventKind, User
from kundenbild.accounts.security_log import record_security_event
from kundenbild.analytics.io.columns import guess_mapping
from kundenbild.analytics.io.reading import (
    Dialect,
    Lines,
    ReadError,
    convert,
    read_file,
    sniff_override,
    sniff_values,
)
from kundenbild.core.bulk import ids_created
from kundenbild.core.errors import ApplicationError, ConflictError, Refusal
from kundenbild.customers.models import Customer
from kundenbild.customers.services import (
    CheckedCustomers,
    CustomerData,
    customers_check_many,
    customers_create_many,
    customers_delete_unused,
)
from kundenbild.imports.master.customer_write import rollback_customers
from kundenbild.imports.master.offering_import import rollback_offerings
from kundenbild.imports.master.person_import import rollback_people
from kundenbild.imports.merge import merge_lines, undo_lines
from kundenbild.imports.models import ImportContent, ImportMapping, ImportRun, ImportStatus
from kundenbild.imports.read_errors import listed, unreadable
from kundenbild.imports.selectors import import_reason, rollback_reason
from kundenbild.offerings.models import Offering, OfferingGroup, OfferingKind
from kundenbild.offerings.services import (
    CheckedOfferings,
    OfferingData,
    offerings_check_many,
    offerings_create_many,
    offerings_delete_unused,
)

Progress = Callable[[int, int, str], None]
MAX_PROBLEMS = 1000  # listed in full; beyond that only counted
FIELD_LABELS = {
    "customer_number": gettext_lazy("customer number"),
    "invoice_date": gettext_lazy("invoice date"),
    "net_revenue": gettext_lazy("net revenue"),
    "invoice_number": gettext_lazy("invoice number"),
    "line_number": gettext_lazy("line"),
    "article_number": gettext_lazy("article number"),
    "quantity": gettext_lazy("quantity"),
    "unit_price": gettext_lazy("unit price (revenue = quantity × price)"),
    "cost_of_goods": gettext_lazy("cost of goods"),
    "discount": gettext_lazy("discount or rebate"),
    "freight": gettext_lazy("freight"),
}
BATCH = 20_000
IMPORTED_GROUP = "Aus dem ERP importiert"  # the catalogue group of offerings an import creates


@dataclass(frozen=True)
class Problem:
    """A refused row: its number in the file, the column, the value, and why."""

    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportResult:
    dry_run: bool
    lines_in_file: int = 0
    lines_added: int = 0
    lines_replaced: int = 0
    lines_unchanged: int = 0
    lines_invalid: int = 0
    revenue_total: Decimal = Decimal("0.00")
    customers_created: list[str] = field(default_factory=list)
    offerings_created: list[str] = field(default_factory=list)
    years: dict[int, tuple[int, Decimal]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    run_id: int | None = None
    # what was read, so a page can offer to change the mapping or the dialect
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    dialect: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "lines_added": self.lines_added,
            "lines_replaced": self.lines_replaced,
            "lines_unchanged": self.lines_unchanged,
            "lines_invalid": self.lines_invalid,
            "revenue_total": float(self.revenue_total),
            "customers_created": len(self.customers_created),
            "offerings_created": len(self.offerings_created),
            "years": {
                str(y): {"lines": n, "revenue": float(r)}
                for y, (n, r) in sorted(self.years.items())
            },
            "import_id": self.run_id,
        }


class ImportRefusedError(ApplicationError):
    """The file has invalid rows; nothing was imported."""

    status = 422

    def __init__(self, result: ImportResult):
        super().__init__(
            ngettext(
                "%(count)s row is invalid; nothing has been imported. Correct it and "
                "import the file again.",
                "%(count)s rows are invalid; nothing has been imported. Correct them and "
                "import the file again.",
                result.lines_invalid,
            )
            % {"count": result.lines_invalid},
            code="invalid_rows",
        )
        self.result = result


class ColumnsMissingError(ApplicationError):
    """Required columns could not be found; the user must map them."""

    def __init__(
        self, message: str, *, headers: list[str], mapping: dict[str, str], dialect: dict[str, str]
    ):
        super().__init__(message, code="columns_missing")
        self.headers = headers
        self.mapping = mapping
        self.dialect = dialect


REASONS = {
    "empty": lambda: _("is empty"),
    "not_a_date": lambda: _("is not a date"),
    "not_a_number": lambda: _("is not a number"),
    "not_a_line_number": lambda: _("is not a line number (a whole number from 0)"),
    "out_of_range": lambda: _("is too large"),
    "date_out_of_range": lambda: _("is not a date between the years 1901 and 2199"),
    "too_long": lambda: _("is longer than 40 characters"),
}


def _problems_from_reading(lines: Lines) -> list[Problem]:
    return [Problem(e.row, e.column, e.value, str(REASONS[e.reason]())) for e in lines.errors]


def _keys(table: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Invoice number and line of every row; content keys where the ERP gives none.

    Stays in Arrow when the file has both (the usual case), so ten million lines do not
    become ten million Python objects.
    """
    invoices = table.column("invoice_number").combine_chunks()
    lines = table.column("line_number").combine_chunks()
    has_invoice = pc.and_(pc.is_valid(invoices), pc.not_equal(invoices, ""))
    if pc.all(has_invoice).as_py() and pc.all(pc.is_valid(lines)).as_py():
        return invoices, pc.cast(lines, pa.int64())
    invoice_list = invoices.to_pylist()
    line_list = lines.to_pylist()
    customers = table.column("customer_number").to_pylist()
    dates = table.column("invoice_date").to_pylist()
    articles = table.column("article_number").to_pylist()
    quantities = table.column("quantity").to_pylist()
    revenues = table.column("net_revenue").to_pylist()
    seen: Counter[str] = Counter()
    for i, invoice in enumerate(invoice_list):
        if not invoice:
            content = f"{customers[i]}|{dates[i]}|{articles[i]}|{quantities[i]}|{revenues[i]:.2f}"
            invoice_list[i] = (
                "~" + hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()[:20]
            )
        if line_list[i] is None:
            seen[invoice_list[i]] += 1
            line_list[i] = seen[invoice_list[i]]
    return pa.array(invoice_list, pa.string()), pa.array(line_list, pa.int64())


def _duplicates(invoices: pa.Array, lines: pa.Array, rows: pa.ChunkedArray) -> list[Problem]:
    """Lines that appear twice in the file (same invoice and line), found in Arrow."""
    keys = pa.table({"invoice": invoices, "line": lines, "row": rows.combine_chunks()})
    counted = keys.group_by(["invoice", "line"]).aggregate([("row", "count"), ("row", "min")])
    doubled = counted.filter(pc.greater(counted.column("row_count"), 1))
    if doubled.num_rows == 0:
        return []
    first = {
        (i, n): r
        for i, n, r in zip(
            doubled.column("invoice").to_pylist(),
            doubled.column("line").to_pylist(),
            doubled.column("row_min").to_pylist(),
            strict=True,
        )
    }
    suspects = keys.filter(pc.is_in(keys.column("invoice"), value_set=doubled.column("invoice")))
    problems = []
    for invoice, line, row in zip(
        suspects.column("invoice").to_pylist(),
        suspects.column("line").to_pylist(),
        suspects.column("row").to_pylist(),
        strict=True,
    ):
        origin = first.get((invoice, line))
        if origin is not None and origin != row:
            problems.append(
                Problem(
                    row,
                    _("invoice and line"),
                    f"{invoice}/{line}",
                    _("appears twice in the file (also in row %(row)s)") % {"row": origin},
                )
            )
    return problems


def _customer_ids(numbers: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    unique = sorted(set(numbers))
    for start in range(0, len(unique), 900):
        chunk = unique[start : start + 900]
        ids.update(Customer.objects.filter(number__in=chunk).values_list("number", "pk"))
    return ids


def _year_totals(table: pa.Table) -> dict[int, tuple[int, Decimal]]:
    grouped = (
        pa.table({"year": pc.year(table.column("invoice_date")), "r": table.column("net_revenue")})
        .group_by("year")
        .aggregate([("r", "sum"), ("r", "count")])
    )
    return {
        int(y): (int(n), Decimal(repr(round(r, 2))).quantize(Decimal("0.01")))
        for y, r, n in zip(
            grouped.column("year").to_pylist(),
            grouped.column("r_sum").to_pylist(),
            grouped.column("r_count").to_pylist(),
            strict=True,
        )
    }


def _stage_rows(
    table: pa.Table, invoices: pa.Array, lines: pa.Array, customer_ids: dict[str, int]
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows for the staging table, batch by batch; values converted by Arrow, not Python.

    Numbers go as their shortest decimal text (already rounded to cents in `convert`),
    dates as ISO text; both databases cast them on insert.
    """
    numbers = pa.array(list(customer_ids), pa.string())
    ids = pa.array(list(customer_ids.values()), pa.int64())
    as_text = ("quantity", "net_revenue", "cost_of_goods", "discount", "freight")
    for start in range(0, table.num_rows, BATCH):
        part = table.slice(start, BATCH)
        customer = pc.take(ids, pc.index_in(part.column("customer_number"), value_set=numbers))
        columns = [
            invoices.slice(start, part.num_rows).to_pylist(),
            lines.slice(start, part.num_rows).to_pylist(),
            customer.to_pylist(),
            pc.cast(part.column("invoice_date"), pa.string()).to_pylist(),
            part.column("article_number").to_pylist(),
            *(pc.cast(part.column(name), pa.string()).to_pylist() for name in as_text),
        ]
        yield list(zip(*columns, strict=True))


@dataclass(frozen=True)
class _Missing:
    """What the file names and the database lacks, checked by the services that will
    create it: while the file is checked, so that a refusal is reported with its rows."""

    customers: CheckedCustomers
    offerings: CheckedOfferings


def _check_missing(numbers: Sequence[str], articles: Sequence[str]) -> _Missing:
    customers = [
        CustomerData(number=n, name=_("Customer %(number)s") % {"number": n}) for n in numbers
    ]
    offerings = [
        OfferingData(
            number=a, name_de=a, name_en="", group_name=IMPORTED_GROUP, kind=OfferingKind.PRODUCT
        )
        for a in articles
    ]
    checked = customers_check_many(customers)
    for customer in checked.customers:  # until a customer import brings its master data
        customer.master_data_missing = True
    return _Missing(checked, offerings_check_many(offerings))


def _refused_rows(
    table: pa.Table, field: str, header: str, values: Sequence[str], refused: Sequence[Refusal]
) -> tuple[set[int], list[Problem]]:
    """Every row holding a value the service refused, with the service's reason."""
    why = {values[r.index]: r.message for r in refused}
    if not why:
        return set(), []
    holding = table.filter(pc.is_in(table.column(field), value_set=pa.array(list(why))))
    rows = list(
        zip(holding.column("row").to_pylist(), holding.column(field).to_pylist(), strict=True)
    )
    problems = [Problem(row, header, value, why[value]) for row, value in rows[:MAX_PROBLEMS]]
    return {row for row, _value in rows}, problems


def _create_missing(missing: _Missing, *, by: User | None, run_id: int) -> list[Customer]:
    """The missing customers and offerings, through their services, each with its history
    row naming the import."""
    reason = import_reason(run_id)
    created = customers_create_many(missing.customers, by=by, reason=reason)
    if missing.offerings.offerings:
        OfferingGroup.objects.get_or_create(
            name_de=IMPORTED_GROUP, defaults={"name_en": "Imported from the ERP"}
        )
        offerings_create_many(missing.offerings, by=by, reason=reason)
    return created


def import_sales(
    *,
    lines: Lines,
    file_name: str,
    checksum: str,
    kind: str,
    mapping: dict[str, str],
    by: User | None,
    create_missing: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every line, then import all of them or none; `dry_run` only reports."""
    report = progress or (lambda done, total, what: None)
    table = lines.table
    result = ImportResult(dry_run=dry_run, lines_in_file=table.num_rows + lines.invalid_rows)
    problems = _problems_from_reading(lines)
    invoices, line_numbers = _keys(table)
    duplicates = _duplicates(invoices, line_numbers, table.column("row"))
    problems += duplicates
    other_bad_rows = {p.row for p in duplicates}  # valid cells, but the line cannot go in
    numbers = pc.unique(table.column("customer_number")).to_pylist()
    customer_ids = _customer_ids(numbers)
    unknown = sorted(set(numbers) - customer_ids.keys())
    new_articles = _new_articles(table)
    if unknown and not create_missing:
        header = mapping.get("customer_number", "customer_number")
        rows, found = _unknown_customers(table, unknown, header)
        other_bad_rows |= rows
        problems += found
    missing = _check_missing(unknown, new_articles) if create_missing else None
    if missing is not None:
        rows, found = _missing_refused(table, mapping, missing, unknown, new_articles)
        other_bad_rows |= rows
        problems += found
    result.revenue_total = Decimal(
        repr(round(pc.sum(table.column("net_revenue")).as_py() or 0, 2))
    ).quantize(Decimal("0.01"))
    result.years = _year_totals(table)
    result.customers_created = unknown if create_missing else []
    result.offerings_created = new_articles if create_missing else []
    if problems or lines.invalid_rows:
        # the reader drops invalid rows, so the other problems are on different rows
        result.lines_invalid = lines.invalid_rows + len(other_bad_rows)
        result.problems = sorted(problems, key=lambda p: p.row)[:MAX_PROBLEMS]
        _refuse(result, by=by, file_name=file_name)
    with transaction.atomic():
        run = ImportRun.objects.create(
            created_by=by,
            file_name=file_name[:255],
            checksum=checksum,
            kind=kind,
            **_run_fields(result, lines, mapping),
        )
        if missing is not None:
            created = _create_missing(missing, by=by, run_id=run.pk)
            customer_ids.update((c.number, c.pk) for c in created)
        counts = merge_lines(
            _stage_rows(table, invoices, line_numbers, customer_ids),
            total=table.num_rows,
            run_id=run.pk,
            report=report,
        )
        result.lines_added, result.lines_replaced, result.lines_unchanged = counts
        if dry_run:  # the same work, then undone: the counts are exact
            transaction.set_rollback(True)
            return result
        run.lines_added, run.lines_replaced, run.lines_unchanged = counts
        run.save(update_fields=["lines_added", "lines_replaced", "lines_unchanged"])
        result.run_id = run.pk
    _log_done(run, by=by)
    return result


def _log_done(run: ImportRun, *, by: User | None) -> None:
    record_security_event(
        SecurityEventKind.IMPORT_DONE,
        user=by,
        detail={
            "run": run.pk,
            "file": run.file_name,
            "lines_added": run.lines_added,
            "lines_replaced": run.lines_replaced,
        },
    )


def _run_fields(result: ImportResult, lines: Lines, mapping: dict[str, str]) -> dict[str, Any]:
    """What the record of an import keeps of how the file was read and what it holds."""
    return {
        "dialect": lines.dialect.__dict__,
        "mapping": mapping,
        "revenue_total": result.revenue_total,
        "customers_created": len(result.customers_created),
        "offerings_created": len(result.offerings_created),
    }


def _missing_refused(
    table: pa.Table,
    mapping: dict[str, str],
    missing: Any,
    unknown: list[str],
    new_articles: list[str],
) -> tuple[set[int], list[Problem]]:
    """The rows of customers and offerings to create that their own rules refuse."""
    bad_rows: set[int] = set()
    problems: list[Problem] = []
    for column, values, refused in (
        ("customer_number", unknown, missing.customers.refused),
        ("article_number", new_articles, missing.offerings.refused),
    ):
        rows, found = _refused_rows(table, column, mapping.get(column, column), values, refused)
        bad_rows |= rows
        problems += found
    return bad_rows, problems


def _new_articles(table: pa.Table) -> list[str]:
    """The article numbers of the file that no offering has yet, sorted."""
    articles = sorted(a for a in pc.unique(table.column("article_number")).to_pylist() if a)
    known = set(Offering.objects.filter(number__in=articles).values_list("number", flat=True))
    return [a for a in articles if a not in known]


def _unknown_customers(
    table: pa.Table, unknown: list[str], header: str
) -> tuple[set[int], list[Problem]]:
    """The rows naming a customer number nobody has, and a problem for each (the first
    MAX_PROBLEMS)."""
    of_strangers = table.filter(
        pc.is_in(table.column("customer_number"), value_set=pa.array(unknown, pa.string()))
    )
    strangers = list(
        zip(
            of_strangers.column("row").to_pylist(),
            of_strangers.column("customer_number").to_pylist(),
            strict=True,
        )
    )
    problems = [
        Problem(row, header, number, _("is not a known customer number"))
        for row, number in strangers[:MAX_PROBLEMS]
    ]
    return {row for row, _number in strangers}, problems


def _refuse(result: ImportResult, *, by: User | None, file_name: str) -> NoReturn:
    """Log the refusal and refuse: nothing has been written."""
    record_security_event(
        SecurityEventKind.IMPORT_FAILED,
        user=by,
        detail={
            "file": file_name[:255],
            "lines_invalid": result.lines_invalid,
            "dry_run": result.dry_run,
        },
    )
    raise ImportRefusedError(result)


@transaction.atomic
def import_rollback(*, run: ImportRun, by: User | None) -> ImportRun:
    """Undo an import: remove the lines it added, restore those it replaced, and remove
    the customers and offerings it created.

    Only the newest import that is still in effect can be rolled back, so that a later
    import's view of the lines stays true; roll back several one after the other.

    A customer (or offering) the import created stays if someone has worked on it since:
    changed it, or added anything that refers to it (people, activities, an analysis),
    since removing it would take their work along. Each one removed gets its "-" history
    row naming the rollback and who did it, rather than losing its "+" row: the history
    says what happened (created by import 7, removed by its rollback), the way it does
    for a customer a person deletes, and one that stays still shows where it came from.
    """
    locked = ImportRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != ImportStatus.IMPORTED:
        raise ConflictError(_("This import has already been rolled back."))
    newest = ImportRun.objects.filter(status=ImportStatus.IMPORTED).order_by("-pk").first()
    if newest is None or newest.pk != locked.pk:
        raise ConflictError(
            _("Only the newest import can be rolled back; roll back the later ones first.")
        )
    created, reason = import_reason(locked.pk), rollback_reason(locked.pk)
    master = {
        ImportContent.CUSTOMERS: rollback_customers,
        ImportContent.OFFERINGS: rollback_offerings,
        ImportContent.PEOPLE: rollback_people,
    }
    if locked.content in master:
        master[ImportContent(locked.content)](locked, by=by, created=created, reason=reason)
        return _rolled_back(locked, by=by, detail={"content": locked.content})
    undo_lines(locked.pk)
    customers = ids_created(Customer, created)
    offerings = ids_created(Offering, created)
    customers_removed = customers_delete_unused(customers, by=by, reason=reason)
    offerings_removed = offerings_delete_unused(offerings, by=by, reason=reason)
    detail = {
        "customers_removed": len(customers_removed),
        "customers_kept": len(customers) - len(customers_removed),
        "offerings_removed": len(offerings_removed),
        "offerings_kept": len(offerings) - len(offerings_removed),
    }
    return _rolled_back(locked, by=by, detail=detail)


def _rolled_back(run: ImportRun, *, by: User | None, detail: dict[str, Any]) -> ImportRun:
    """Mark the import rolled back, and log who did it."""
    run.status = ImportStatus.ROLLED_BACK
    run.rolled_back_at = timezone.now()
    run.rolled_back_by = by
    run.save()
    record_security_event(
        SecurityEventKind.IMPORT_ROLLED_BACK,
        user=by,
        detail={"run": run.pk, "file": run.file_name, **detail},
    )
    return run


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    path: Path,
    *,
    by: User | None,
    file_name: str | None = None,
    mapping_name: str | None = None,
    columns: dict[str, str] | None = None,
    dialect: Dialect | None = None,
    overrides: dict[str, str | None] | None = None,
    create_missing: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, map, check and import one export file (see `import_sales`).

    `dialect` fixes how the file is written; `overrides` fixes only some of it
    (e.g. the decimal mark) and lets the rest be detected.
    """
    report = progress or (lambda done, total, what: None)
    saved: dict[str, str] = dict(columns or {})
    if mapping_name:
        stored = ImportMapping.objects.filter(
            name=mapping_name, content=ImportContent.SALES
        ).first()
        if stored is None:
            raise ApplicationError(
                _("There is no saved column mapping named “%(name)s”.") % {"name": mapping_name},
                code="unknown_mapping",
            )
        saved = {**stored.columns, **saved}
        if dialect is None and stored.dialect:
            dialect = Dialect(**stored.dialect)
    report(0, 0, "reading")
    try:
        chosen = {k: v for k, v in (overrides or {}).items() if v}
        raw = read_file(path, dialect or sniff_override(path, chosen), settings.IMPORT_LIMITS)
        mapping = guess_mapping(raw.headers, saved)
        missing = mapping.missing_required()
        if missing:
            raise ColumnsMissingError(
                _(
                    "Required columns not found: %(fields)s. The file has: %(headers)s. "
                    "Map them by hand and save the mapping for next time."
                )
                % {
                    "fields": ", ".join(str(FIELD_LABELS[f]) for f in missing),
                    "headers": listed(raw.headers),
                },
                headers=raw.headers,
                mapping=dict(mapping.columns),
                dialect=raw.dialect.__dict__,
            )
        if dialect is None and chosen:
            dialect = replace(sniff_values(raw, mapping), **chosen)
        lines = convert(raw, mapping, dialect)
    except ReadError as error:
        raise unreadable(error) from None
    headers, kind = raw.headers, raw.kind
    del raw  # the file's own text columns: half the memory of a large import
    report(0, 0, "checking")
    try:
        result = import_sales(
            lines=lines,
            file_name=file_name or path.name,
            checksum=file_checksum(path),
            kind=kind,
            mapping=dict(mapping.columns),
            by=by,
            create_missing=create_missing,
            dry_run=dry_run,
            progress=report,
        )
    except ImportRefusedError as refused:
        _describe(refused.result, headers, dict(mapping.columns), lines.dialect)
        raise
    _describe(result, headers, dict(mapping.columns), lines.dialect)
    return result


def _describe(
    result: ImportResult, headers: list[str], mapping: dict[str, str], dialect: Dialect
) -> None:
    result.headers, result.mapping, result.dialect = headers, mapping, dict(dialect.__dict__)


@transaction.atomic
def mapping_save(
    *, name: str, columns: dict[str, str], dialect: dict[str, str], by: User | None
) -> ImportMapping:
    """Save (or overwrite) a column mapping under a name, for the next export."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the mapping a name."), field="mapping_name")
    unknown = set(columns) - set(FIELD_LABELS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    other = ImportMapping.objects.filter(name=name).exclude(content=ImportContent.SALES).first()
    if other is not None:
        raise ApplicationError(
            _("The name “%(name)s” is taken by a mapping for %(content)s; choose another name.")
            % {"name": name, "content": other.get_content_display()},
            field="mapping_name",
        )
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name, defaults={"columns": columns, "dialect": dialect, "created_by": by}
    )
    return mapping
